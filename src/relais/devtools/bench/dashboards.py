"""The dashboard benchmark: each cascade dashboard and drill-down list against
the hand-written SQL that gives the same answer, measured in the same run.

Run it on the national dataset (`relais bench-data --scale national`, which
also makes the summaries). For each page it times the selector that feeds it
(the figures, not the HTML) and the equivalent hand-written SQL, best of
`repeat` runs each, and prints the ratio: Relais's overhead over the database
itself. It also times, once, what the national figures would cost read straight
from the enrolments and people (a GROUP BY region and sex), to show what the
summary tables save.
"""

import time

from django.core.paginator import Paginator
from django.db import connection
from django.utils import timezone

from relais.accounts.models import RoleMembership, User
from relais.core.dates import add_months
from relais.core.roles import Role
from relais.monitoring import selectors
from relais.territory.models import Territory
from relais.training.models import Programme

PAGE = 50
REGION = "09"


def _user(username: str, role: str, territory: Territory) -> User:
    user, created = User.objects.get_or_create(username=username)
    if created:
        RoleMembership.objects.create(user=user, role=role, territory=territory)
    return User.objects.get(pk=user.pk)  # memberships are read once per user


def best(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def sql(statements):
    """Run hand-written statements (text, parameters) and fetch every row."""

    def run():
        with connection.cursor() as cursor:
            for text, parameters in statements:
                cursor.execute(text, parameters)
                cursor.fetchall()

    return run


def page_of(queryset):
    def run():
        page = Paginator(queryset, PAGE).page(1)
        return page.paginator.count, list(page)

    return run


SUMMARY_SUMS = ", ".join(f"SUM({name})" for name in selectors.MEASURES)


def trained_rows_sql(programme, like):
    """People trained by region, level, audience, generation and month."""
    return (
        f"""SELECT SUBSTR(province_path, 4, 2), level, audience, generation,
               month, {SUMMARY_SUMS}
        FROM monitoring_trainingsummary
        WHERE programme_id = %s AND province_path LIKE %s
        GROUP BY SUBSTR(province_path, 4, 2), level, audience, generation, month""",
        [programme.pk, like],
    )


def dashboard_sql(programme, prefix, today, months=selectors.DEFAULT_INACTIVE_MONTHS):
    since = add_months(today, -months)
    like = prefix + "%"
    return [
        ("SELECT id, code, path FROM territory_territory WHERE level = 'region'", []),
        trained_rows_sql(programme, like),
        (
            """SELECT SUBSTR(c.territory_path, 4, 2), COUNT(*),
                   SUM(CASE WHEN EXISTS (
                       SELECT 1 FROM training_facilitation f
                       JOIN training_session s ON s.id = f.session_id
                       WHERE f.person_id = c.person_id
                         AND f.role IN ('lead', 'co_facilitator')
                         AND s.programme_id = %s AND s.start_date >= %s
                         AND s.start_date <= %s AND s.status <> 'cancelled'
                   ) THEN 1 ELSE 0 END)
            FROM training_certification c
            WHERE c.programme_id = %s AND c.status = 'certified'
              AND (c.expires_on IS NULL OR c.expires_on >= %s)
              AND c.territory_path LIKE %s
            GROUP BY SUBSTR(c.territory_path, 4, 2)""",
            [programme.pk, since, today, programme.pk, today, like],
        ),
        (
            """SELECT SUBSTR(province_path, 4, 2), SUM(trainees)
            FROM monitoring_trainersummary
            WHERE programme_id = %s AND province_path LIKE %s
            GROUP BY SUBSTR(province_path, 4, 2)""",
            [programme.pk, like],
        ),
        (
            """SELECT SUBSTR(territory_path, 4, 2),
                   SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN status <> 'closed' THEN 1 ELSE 0 END)
            FROM training_session
            WHERE programme_id = %s AND status <> 'cancelled'
              AND territory_path LIKE %s
            GROUP BY SUBSTR(territory_path, 4, 2)""",
            [programme.pk, like],
        ),
        (
            """SELECT t.id, t.audience, t.period_start, t.period_end, t.people, r.code
            FROM monitoring_target t
            JOIN territory_territory r ON r.id = t.territory_id
            WHERE t.programme_id = %s AND r.path LIKE %s""",
            [programme.pk, like],
        ),
        (
            """SELECT MAX(refreshed_at) FROM monitoring_trainingsummary
            WHERE programme_id = %s""",
            [programme.pk],
        ),
    ]


def projection_sql(programme, prefix, today):
    since = add_months(today, -12)
    like = prefix + "%"
    return [
        *dashboard_sql(programme, prefix, today),
        (
            """SELECT SUM(sessions), SUM(enrolled), SUM(completed)
            FROM monitoring_sessionsummary
            WHERE programme_id = %s AND province_path LIKE %s AND month >= %s""",
            [programme.pk, like, since.replace(day=1)],
        ),
        (
            """SELECT COUNT(*) FROM training_facilitation f
            JOIN training_session s ON s.id = f.session_id
            WHERE f.role IN ('lead', 'co_facilitator') AND s.programme_id = %s
              AND s.start_date >= %s AND s.start_date <= %s
              AND s.status <> 'cancelled' AND s.territory_path LIKE %s""",
            [programme.pk, since, today, like],
        ),
        (
            """SELECT
                SUM(CASE WHEN certified_on >= %s AND level = 'relay_trainer'
                    THEN 1 ELSE 0 END),
                SUM(CASE WHEN status IN ('expired', 'revoked', 'suspended')
                    AND updated_at >= %s THEN 1 ELSE 0 END),
                SUM(CASE WHEN certified_on IS NOT NULL THEN 1 ELSE 0 END)
            FROM training_certification
            WHERE programme_id = %s AND territory_path LIKE %s""",
            [since, since, programme.pk, like],
        ),
    ]


def dilution_sql(programme, prefix):
    like = prefix + "%"
    return [
        trained_rows_sql(programme, like),
        (
            """SELECT trainer_id, SUM(trainees), SUM(gain_n), SUM(gain_sum),
                   SUM(gain_squares)
            FROM monitoring_trainersummary
            WHERE programme_id = %s AND province_path LIKE %s
            GROUP BY trainer_id""",
            [programme.pk, like],
        ),
        (
            """SELECT item, generation, SUM(answers), SUM(score_sum), SUM(max_sum)
            FROM monitoring_itemsummary
            WHERE programme_id = %s AND province_path LIKE %s
            GROUP BY item, generation""",
            [programme.pk, like],
        ),
    ]


def people_sql(programme, region_prefix, generation, sex):
    where = """f.programme_id = %s AND f.territory_path LIKE %s
        AND f.territory_path LIKE %s AND l.generation = %s AND p.sex = %s"""
    parameters = [programme.pk, "MA/%", region_prefix + "%", generation, sex]
    return [
        (
            f"""SELECT COUNT(*) FROM monitoring_trainedperson f
            JOIN people_person p ON p.id = f.person_id
            JOIN training_lineage l ON l.person_id = f.person_id
            WHERE {where}""",
            parameters,
        ),
        (
            f"""SELECT f.id, f.month, f.gain, p.id, p.first_name, p.last_name, p.sex,
                   l.generation, s.id, s.code, s.level
            FROM monitoring_trainedperson f
            JOIN people_person p ON p.id = f.person_id
            JOIN training_lineage l ON l.person_id = f.person_id
            JOIN training_session s ON s.id = f.session_id
            WHERE {where}
            ORDER BY p.last_name, p.first_name, f.person_id LIMIT {PAGE}""",
            parameters,
        ),
    ]


def sessions_sql(programme, region_prefix):
    where = """s.programme_id = %s AND s.status = 'closed'
        AND s.territory_path LIKE %s AND s.territory_path LIKE %s"""
    parameters = [programme.pk, "MA/%", region_prefix + "%"]
    return [
        (f"SELECT COUNT(*) FROM training_session s WHERE {where}", parameters),
        (
            f"""SELECT s.id, s.code, s.title, s.level, s.start_date, s.end_date,
                   s.status, o.id, o.name_fr
            FROM training_session s
            JOIN organisations_organisation o ON o.id = s.venue_id
            WHERE {where}
            ORDER BY s.start_date DESC, s.code LIMIT {PAGE}""",
            parameters,
        ),
    ]


def trainers_sql(programme, today, months=selectors.DEFAULT_INACTIVE_MONTHS):
    since = add_months(today, -months)
    delivered = """FROM training_facilitation f
        JOIN training_session s ON s.id = f.session_id
        WHERE f.person_id = c.person_id AND f.role IN ('lead', 'co_facilitator')
          AND s.programme_id = %s AND s.start_date <= %s
          AND s.status <> 'cancelled'"""
    where = f"""c.programme_id = %s AND c.status = 'certified'
        AND (c.expires_on IS NULL OR c.expires_on >= %s)
        AND c.territory_path LIKE 'MA/%%'
        AND NOT EXISTS (SELECT 1 {delivered} AND s.start_date >= %s)"""
    parameters = [programme.pk, today, programme.pk, today, since]
    return [
        (f"SELECT COUNT(*) FROM training_certification c WHERE {where}", parameters),
        (
            f"""SELECT c.id, c.level, c.certified_on, p.id, p.first_name,
                   p.last_name,
                   (SELECT MAX(s.start_date) {delivered}) AS last_delivery,
                   (SELECT COUNT(*) {delivered}),
                   (SELECT SUM(t.trainees) FROM monitoring_trainersummary t
                    WHERE t.trainer_id = c.person_id AND t.programme_id = %s)
            FROM training_certification c
            JOIN people_person p ON p.id = c.person_id
            WHERE {where}
            ORDER BY last_delivery, p.last_name, c.id LIMIT {PAGE}""",
            [
                programme.pk,
                today,
                programme.pk,
                today,
                programme.pk,
                *parameters,
            ],
        ),
    ]


RAW_REGION_AND_SEX = """
    SELECT SUBSTR(s.territory_path, 4, 2), p.sex, COUNT(DISTINCT e.person_id)
    FROM training_enrolment e
    JOIN training_session s ON s.id = e.session_id
    JOIN people_person p ON p.id = e.person_id
    WHERE e.status = 'completed' AND s.programme_id = %s
    GROUP BY SUBSTR(s.territory_path, 4, 2), p.sex
"""


def run(*, repeat: int = 3, out=print) -> list[tuple[str, float, float]]:
    programme = Programme.objects.get(code="BENCH")
    country = Territory.objects.get(code="MA")
    region = Territory.objects.get(level=Territory.Level.REGION, code=REGION)
    national = _user("bench.national", Role.NATIONAL_ADMIN, country)
    coordinator = _user("bench.coordinator", Role.REGIONAL_COORDINATOR, region)
    today = timezone.localdate()
    cases = [
        (
            "national dashboard",
            lambda: selectors.dashboard(actor=national, programme=programme),
            sql(dashboard_sql(programme, "MA/", today)),
        ),
        (
            "regional dashboard",
            lambda: selectors.dashboard(
                actor=coordinator, programme=programme, region=region
            ),
            sql(dashboard_sql(programme, region.path, today)),
        ),
        (
            "projection",
            lambda: selectors.projections(actor=national, programme=programme),
            sql(projection_sql(programme, "MA/", today)),
        ),
        (
            "dilution",
            lambda: selectors.dilution(actor=national, programme=programme),
            sql(dilution_sql(programme, "MA/")),
        ),
        (
            "people drill-down",
            page_of(
                selectors.trained_people(
                    actor=national,
                    programme=programme,
                    region=region,
                    filters={"generation": 3, "sex": "F"},
                )
            ),
            sql(people_sql(programme, region.path, 3, "F")),
        ),
        (
            "sessions drill-down",
            page_of(
                selectors.drill_sessions(
                    actor=national, programme=programme, region=region, state="held"
                )
            ),
            sql(sessions_sql(programme, region.path)),
        ),
        (
            "inactive trainers",
            page_of(
                selectors.trainers_list(
                    actor=national,
                    programme=programme,
                    months=selectors.DEFAULT_INACTIVE_MONTHS,
                    inactive=True,
                )
            ),
            sql(trainers_sql(programme, today)),
        ),
    ]
    out(f"{'page':<22}{'Relais s':>10}{'SQL s':>10}{'ratio':>8}")
    results = []
    for name, relais, baseline in cases:
        relais()  # a first run fills the caches, for both sides alike
        baseline()
        relais_seconds = best(relais, repeat)
        sql_seconds = best(baseline, repeat)
        results.append((name, relais_seconds, sql_seconds))
        out(
            f"{name:<22}{relais_seconds:>10.3f}{sql_seconds:>10.3f}"
            f"{relais_seconds / sql_seconds:>7.1f}×"
        )
    started = time.perf_counter()
    sql([(RAW_REGION_AND_SEX, [programme.pk])])()
    raw = time.perf_counter() - started
    national_seconds = results[0][1]
    out(
        f"Without the summaries, people trained by region and sex alone take "
        f"{raw:.2f} s from the enrolments ({raw / national_seconds:.1f}× the whole "
        f"national dashboard)."
    )
    return results
