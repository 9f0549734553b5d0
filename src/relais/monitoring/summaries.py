"""Keep the summary tables of the dashboards current (see models.py for why).

`record_session` adds a closed session's completers to `TrainedPerson` and asks
for the programme's summaries to be made again in the background; `rebuild`
derives everything from the facts, for `relais monitoring refresh` and the
benchmarks. Making a programme's summaries is a few INSERT … SELECT … GROUP BY
statements over `TrainedPerson`, so it costs the same whatever happened since.
"""

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from relais.core.bulk import insert
from relais.training.models import Enrolment, Instrument, Result, Session
from relais.training.services import normalised_gain

from .models import (
    AGE_BOUNDS,
    AgeGroup,
    ItemSummary,
    SessionSummary,
    TrainedPerson,
    TrainerActivity,
    TrainerSummary,
    TrainingSummary,
    age_group_of,
    area_of,
)

FACT_COLUMNS = [
    "programme_id",
    "person_id",
    "session_id",
    "territory_path",
    "organisation_path",
    "province_path",
    "level",
    "audience",
    "month",
    "year",
    "gain",
    "last_name",
    "first_name",
    "sex",
    "age_group",
    "area",
    "disability",
    "generation",
]


def province_of(territory_path: str) -> str:
    """The province (or prefecture) part of a path: 'MA/09/09.001/'."""
    return "/".join(territory_path.split("/")[:3]) + "/"


# Each count column of TrainingSummary, as a condition on f (TrainedPerson).
SUMMARY_COUNTS = {
    "people": "1 = 1",
    "female": "f.sex = 'F'",
    "male": "f.sex = 'M'",
    "sex_unknown": "f.sex = ''",
    **{
        f"age_{group.value or 'unknown'}": f"f.age_group = '{group.value}'"
        for group in AgeGroup
    },
    "urban": "f.area = 'urban'",
    "rural": "f.area = 'rural'",
    "area_unknown": "f.area = ''",
    "disability_yes": "f.disability = 'yes'",
    "disability_no": "f.disability = 'no'",
    "disability_unknown": "f.disability = ''",
    "gain_n": "f.gain IS NOT NULL",
}


def _age_group_sql() -> str:
    """`age_group_of` in SQL, on f (TrainedPerson) and p (the person)."""
    age = "f.year - p.birth_year"
    cases = []
    for group, (low, high) in AGE_BOUNDS.items():
        bounds = [f"{age} >= {low}"] if low is not None else []
        bounds += [f"{age} < {high}"] if high is not None else []
        cases.append(f"WHEN {' AND '.join(bounds)} THEN '{group.value}'")
    return f"CASE WHEN p.birth_year IS NULL THEN '' {' '.join(cases)} ELSE '' END"


# The person's columns of TrainedPerson, as SQL on f, p, their residence t and
# their lineage l (see refresh_people).
PERSON_COLUMNS = {
    "last_name": "p.last_name",
    "first_name": "p.first_name",
    "sex": "p.sex",
    "age_group": _age_group_sql(),
    "area": "CASE WHEN t.kind IN ('urban', 'rural') THEN t.kind ELSE '' END",
    "disability": "p.disability",
    "generation": "l.generation",
}


def _fact_rows(enrolments) -> dict[tuple[int, int], tuple]:
    """The first completion of each person in each programme among `enrolments`."""
    maxima = {
        (i.programme_id, i.kind): float(i.max_score) for i in Instrument.objects.all()
    }

    def score(kind):
        return Subquery(
            Result.objects.filter(
                enrolment=OuterRef("pk"), instrument__kind=kind
            ).values("score")[:1]
        )

    rows = (
        enrolments.filter(status=Enrolment.Status.COMPLETED)
        .annotate(pre=score("pre_test"), post=score("post_test"))
        .values_list(
            "session__programme_id",
            "person_id",
            "session_id",
            "session__territory_path",
            "session__organisation_path",
            "session__level",
            "session__audience",
            "session__end_date",
            "pre",
            "post",
            "person__last_name",
            "person__first_name",
            "person__sex",
            "person__birth_year",
            "person__residence__kind",
            "person__disability",
            "person__lineage__generation",
        )
        .order_by()
    )
    first: dict[tuple[int, int], tuple] = {}
    for row in rows.iterator(chunk_size=10_000):
        programme, person, session, territory, organisation, level = row[:6]
        audience, end, pre, post, last_name, first_name, sex = row[6:13]
        birth_year, residence, disability, generation = row[13:]
        key = (programme, person)
        if key in first and (first[key][-1], first[key][2]) <= (end, session):
            continue
        gain = None
        if pre is not None and post is not None:
            gain = normalised_gain(
                float(pre) * 100 / maxima[(programme, Instrument.Kind.PRE_TEST)],
                float(post) * 100 / maxima[(programme, Instrument.Kind.POST_TEST)],
            )
        first[key] = (
            programme,
            person,
            session,
            territory,
            organisation,
            province_of(territory),
            level,
            audience,
            end.replace(day=1),
            end.year,
            gain,
            last_name,
            first_name,
            sex,
            age_group_of(end.year, birth_year),
            area_of(residence),
            disability,
            generation,
            end,  # only to compare completions; not written
        )
    return first


@transaction.atomic
def rebuild(programme_ids: list[int] | None = None) -> dict[str, int]:
    """Derive the trained people and every summary again from the facts."""
    facts = TrainedPerson.objects.all()
    enrolments = Enrolment.objects.all()
    if programme_ids is not None:
        facts = facts.filter(programme_id__in=programme_ids)
        enrolments = enrolments.filter(session__programme_id__in=programme_ids)
    facts.delete()
    rows = _fact_rows(enrolments)
    written = insert(
        TrainedPerson._meta.db_table,
        FACT_COLUMNS,
        (row[:-1] for row in rows.values()),
    )
    programmes = sorted({programme for programme, _ in rows}) or programme_ids or []
    summarise(programmes)
    return {"trained": written, "summary": TrainingSummary.objects.count()}


@transaction.atomic
def record_session(session: Session) -> None:
    """Add the completers of a closed session (their first completion only)."""
    rows = _fact_rows(Enrolment.objects.filter(session=session))
    existing = {
        fact.person_id: fact
        for fact in TrainedPerson.objects.filter(
            programme_id=session.programme_id,
            person_id__in=[person for _, person in rows],
        ).select_related("session")
    }
    fresh = []
    for (_, person), row in rows.items():
        known = existing.get(person)
        if known and (known.session.end_date, known.session_id) <= (row[-1], row[2]):
            continue
        if known:
            known.delete()
        fresh.append(row[:-1])
    insert(TrainedPerson._meta.db_table, FACT_COLUMNS, fresh)


def analyse() -> None:
    """Refresh the database's statistics, so that its planner keeps choosing the
    indexes the dashboards' queries need as the tables grow (SQLite keeps none
    until asked; PostgreSQL's autovacuum lags behind bulk loads)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def refresh_people(programme_ids: list[int]) -> None:
    """Copy to TrainedPerson what changed since of its people (an edited birth
    year, a move, a generation found by a rebuilt lineage): one UPDATE that
    writes only the rows that differ."""
    placeholders = ", ".join(["%s"] * len(programme_ids))
    assignments = ", ".join(f"{name} = {sql}" for name, sql in PERSON_COLUMNS.items())
    changed = " OR ".join(
        f"COALESCE(f.{name}, -1) <> COALESCE({sql}, -1)"
        if name == "generation"
        else f"f.{name} <> {sql}"
        for name, sql in PERSON_COLUMNS.items()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE monitoring_trainedperson AS f SET {assignments}
            FROM people_person p
            LEFT JOIN territory_territory t ON t.id = p.residence_id
            LEFT JOIN training_lineage l ON l.person_id = p.id
            WHERE p.id = f.person_id AND f.programme_id IN ({placeholders})
              AND ({changed})
            """,  # nosec B608
            programme_ids,
        )


def _make_activity(programme_ids: list[int], people: list[int] | None = None) -> None:
    """TrainerActivity of these programmes (and people, when given), as of today."""
    activity = TrainerActivity.objects.filter(programme_id__in=programme_ids)
    if people is not None:
        activity = activity.filter(trainer_id__in=people)
    activity.delete()
    where = "s.programme_id IN ({})".format(", ".join(["%s"] * len(programme_ids)))
    params = [*programme_ids]
    if people is not None:
        where += " AND f.person_id IN ({})".format(", ".join(["%s"] * len(people)))
        params += people
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO monitoring_traineractivity
                (programme_id, trainer_id, last_delivery, next_delivery)
            SELECT s.programme_id, f.person_id,
                   MAX(CASE WHEN s.start_date <= %s THEN s.start_date END),
                   MIN(CASE WHEN s.start_date > %s THEN s.start_date END)
            FROM training_facilitation f
            JOIN training_session s ON s.id = f.session_id
            WHERE f.role IN ('lead', 'co_facilitator') AND s.status <> 'cancelled'
              AND {where}
            GROUP BY s.programme_id, f.person_id
            """,  # nosec B608
            [today, today, *params],
        )


@transaction.atomic
def record_deliveries(programme_id: int, people: list[int]) -> None:
    """Make the activity of these trainers again (see TrainerActivity)."""
    if people:
        _make_activity([programme_id], people)


@transaction.atomic
def summarise(programme_ids: list[int]) -> None:
    """Make the summaries of these programmes again from `TrainedPerson`."""
    if not programme_ids:
        return
    for model in (TrainingSummary, SessionSummary, TrainerSummary, ItemSummary):
        model.objects.filter(programme_id__in=programme_ids).delete()
    placeholders = ", ".join(["%s"] * len(programme_ids))
    refresh_people(programme_ids)
    _make_activity(programme_ids)
    month_sql = (
        "DATE_TRUNC('month', s.end_date)::date"
        if connection.vendor == "postgresql"
        else "DATE(s.end_date, 'start of month')"
    )
    counts = ",\n".join(
        f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"
        for condition in SUMMARY_COUNTS.values()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO monitoring_trainingsummary
                (programme_id, province_path, level, audience, generation, month,
                 refreshed_at, {", ".join(SUMMARY_COUNTS)}, gain_sum, gain_squares)
            SELECT f.programme_id, f.province_path, f.level, f.audience,
                   f.generation, f.month, %s, {counts},
                   COALESCE(SUM(f.gain), 0), COALESCE(SUM(f.gain * f.gain), 0)
            FROM monitoring_trainedperson f
            WHERE f.programme_id IN ({placeholders})
            GROUP BY f.programme_id, f.province_path, f.level, f.audience,
                     f.generation, f.month
            """,  # nosec B608
            [timezone.now(), *programme_ids],
        )
        # Region codes have 2 characters and province codes 6 (HCP), so a
        # province's path is the first 13 characters of the paths below it.
        cursor.execute(
            f"""
            INSERT INTO monitoring_sessionsummary
                (programme_id, province_path, level, month, sessions, enrolled,
                 completed)
            SELECT s.programme_id, SUBSTR(s.territory_path, 1, 13), s.level, s.month,
                   COUNT(*), SUM(s.enrolled), SUM(s.completed)
            FROM (
                SELECT s.id, s.programme_id, s.territory_path, s.level,
                       {month_sql} AS month,
                       SUM(CASE WHEN e.status IN ('completed', 'failed')
                           THEN 1 ELSE 0 END) AS enrolled,
                       SUM(CASE WHEN e.status = 'completed' THEN 1 ELSE 0 END)
                           AS completed
                FROM training_session s
                LEFT JOIN training_enrolment e ON e.session_id = s.id
                WHERE s.status = 'closed' AND s.programme_id IN ({placeholders})
                GROUP BY s.id, s.programme_id, s.territory_path, s.level, s.end_date
            ) s
            GROUP BY s.programme_id, SUBSTR(s.territory_path, 1, 13), s.level, s.month
            """,  # nosec B608
            programme_ids,
        )
        cursor.execute(
            f"""
            INSERT INTO monitoring_trainersummary
                (programme_id, trainer_id, province_path, trainees, gain_n,
                 gain_sum, gain_squares)
            SELECT f.programme_id, k.trainer_id, f.province_path, COUNT(*),
                   COUNT(f.gain), COALESCE(SUM(f.gain), 0),
                   COALESCE(SUM(f.gain * f.gain), 0)
            FROM monitoring_trainedperson f
            JOIN training_traininglink k
              ON k.trainee_id = f.person_id AND k.session_id = f.session_id
            WHERE f.programme_id IN ({placeholders})
            GROUP BY f.programme_id, k.trainer_id, f.province_path
            """,  # nosec B608
            programme_ids,
        )
        cursor.execute(
            f"""
            INSERT INTO monitoring_itemsummary
                (programme_id, province_path, item, generation, answers,
                 score_sum, max_sum)
            SELECT f.programme_id, f.province_path, i.item, l.generation, COUNT(*),
                   SUM(i.score), SUM(i.max_score)
            FROM training_itemscore i
            JOIN training_result r ON r.id = i.result_id
            JOIN training_instrument n ON n.id = r.instrument_id
            JOIN training_enrolment e ON e.id = r.enrolment_id
            JOIN monitoring_trainedperson f
              ON f.person_id = e.person_id AND f.session_id = e.session_id
            JOIN training_lineage l ON l.person_id = f.person_id
            WHERE n.kind = 'post_test' AND f.programme_id IN ({placeholders})
            GROUP BY f.programme_id, f.province_path, i.item, l.generation
            """,  # nosec B608
            programme_ids,
        )
