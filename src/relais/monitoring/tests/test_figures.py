"""Every figure of the cascade dashboards against the hand-built cascade (see
conftest.py), with the answers worked out by hand."""

import datetime
import io
import math

import pytest

from relais.monitoring import projection, selectors, summaries
from relais.monitoring.figures import dilution_signal
from relais.monitoring.models import TrainedPerson, TrainingSummary
from relais.monitoring.services import target_save
from relais.people.services import person_update
from relais.territory.models import Territory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)
# Normalised gains, (post % − pre %) / (100 − pre %), scores out of 20.
GAIN_P1 = (80 - 40) / (100 - 40)  # 0.6667
GAIN_Q1 = (75 - 50) / (100 - 50)  # 0.5
GAIN_R1 = (85 - 45) / (100 - 45)  # 0.7273
GAIN_S1 = (70 - 20) / (100 - 20)  # 0.625


def figures(world, programme, **extra):
    return selectors.dashboard(
        actor=world.national_admin, programme=programme, today=TODAY, **extra
    )


def test_reach_by_generation_level_audience_and_month(world, programme, cascade):
    result = figures(world, programme)
    assert result["total"]["people"] == 4  # P1, Q1, R1, S1
    people = {k: v["people"] for k, v in result["by_generation"].items()}
    assert people == {1: 2, 2: 1, 3: 1}  # P1 and Q1 (trained by a master), R1, S1
    assert {k: v["people"] for k, v in result["by_level"].items()} == {
        "tot": 1,
        "relay": 2,
        "end_user": 1,
    }
    assert {k: v["people"] for k, v in result["by_audience"].items()} == {
        "cadres": 3,
        "beneficiaries": 1,
    }
    assert {k.month: v["people"] for k, v in result["by_month"].items()} == {
        7: 1,
        9: 1,
        10: 1,
        11: 1,
    }
    souss = next(row for row in result["regions"] if row["region"].code == "09")
    assert souss["figures"]["people"] == 4
    assert souss["held"] == 5 and souss["planned"] == 0


def test_unknown_is_counted_as_unknown(world, programme, cascade):
    commune = Territory.objects.filter(level="commune", kind="urban").first()
    p1 = cascade["p1"]
    person_update(
        actor=world.national_admin,
        person=p1,
        sex="F",
        birth_year=1990,  # 36 at the end of the 2026 session
        disability="no",
    )
    p1.residence = commune
    p1.save(update_fields=["residence"])
    summaries.summarise([programme.pk])
    total = figures(world, programme)["total"]
    assert (total["female"], total["male"], total["sex_unknown"]) == (1, 0, 3)
    assert (total["age_35_44"], total["age_unknown"]) == (1, 3)
    assert (total["urban"], total["rural"], total["area_unknown"]) == (1, 0, 3)
    assert (total["disability_no"], total["disability_unknown"]) == (1, 3)


def test_the_people_behind_a_figure_are_the_people_it_counted(
    world, programme, cascade
):
    """A person edited after the figures were made stays where the figure
    counted them until the figures are made again; then both move together."""

    def figure_and_list():
        figure = figures(world, programme)["total"]["age_35_44"]
        listed = selectors.trained_people(
            actor=world.national_admin,
            programme=programme,
            filters={"age": "35_44", "sex": "F"},
        )
        return figure, [row.person for row in listed]

    p1 = cascade["p1"]
    assert figure_and_list() == (0, [])
    person_update(actor=world.national_admin, person=p1, sex="F", birth_year=1990)
    assert figure_and_list() == (0, [])
    summaries.summarise([programme.pk])
    assert figure_and_list() == (1, [p1])
    assert TrainedPerson.objects.get(person=p1).generation == 1  # trained by masters


def test_certified_and_active_trainers_and_multiplication(world, programme, cascade):
    result = figures(world, programme)
    # Certified: masters A and B (Rabat, their ministry), P1 and R1 (Souss).
    assert result["certified"] == 4
    # Within six months (since 29 May), all four led or co-facilitated.
    assert result["active"] == 4
    # Within two months (since 29 September): only P1 (October) and R1.
    assert figures(world, programme, months=2)["active"] == 2
    souss = next(row for row in result["regions"] if row["region"].code == "09")
    # People trained in Souss by each trainer: A 1 (P1), B 1 (Q1), P1 2 (Q1 as
    # co-facilitator, R1), R1 1 (S1): 5, for its 2 certified trainers.
    assert souss["certified"] == 2
    assert souss["factor"] == 5 / 2


def test_trainer_activation_list(world, programme, cascade):
    inactive = selectors.trainers_list(
        actor=world.national_admin,
        programme=programme,
        months=2,
        inactive=True,
        today=TODAY,
    )
    assert {c.person for c in inactive} == {cascade["a"], cascade["b"]}
    everyone = {
        c.person: c
        for c in selectors.trainers_list(
            actor=world.national_admin,
            programme=programme,
            months=2,
            inactive=False,
            today=TODAY,
        )
    }
    p1 = everyone[cascade["p1"]]
    assert (p1.delivered, p1.trained) == (3, 2)  # REL-0, REL-1, REL-2; Q1, R1
    assert p1.last_delivery == datetime.date(2026, 10, 19)


def test_the_activation_list_follows_assignments_and_cancellations_at_once(
    world, programme, cascade
):
    """Assigning a trainer, removing them or cancelling their session moves them
    between active and inactive at once; a session still to come counts from
    its first day."""
    from django.utils import timezone

    from relais.training import services
    from relais.training.tests.conftest import plan

    admin, master = world.national_admin, cascade["a"]
    today = timezone.localdate()

    def inactive(day=today):
        rows = selectors.trainers_list(
            actor=admin, programme=programme, months=2, inactive=True, today=day
        )
        return master in {row.person for row in rows}

    assert inactive()
    recent = plan(world, programme, "REL-8", today - datetime.timedelta(days=3))
    lead = services.facilitation_assign(
        actor=admin, session=recent, person=master, role="lead"
    )
    assert not inactive()
    services.facilitation_remove(actor=admin, facilitation=lead)
    assert inactive()
    services.facilitation_assign(
        actor=admin, session=recent, person=master, role="lead"
    )
    services.session_set_status(actor=admin, session=recent, status="cancelled")
    assert inactive()

    first_day = today + datetime.timedelta(days=10)
    coming = plan(world, programme, "REL-9", first_day)
    services.facilitation_assign(
        actor=admin, session=coming, person=master, role="co_facilitator"
    )
    assert inactive()
    assert not inactive(first_day)
    row = next(
        row
        for row in selectors.trainers_list(
            actor=admin, programme=programme, months=2, inactive=False, today=first_day
        )
        if row.person == master
    )
    assert row.last_delivery == first_day


def test_gain_by_generation_with_intervals(world, programme, cascade):
    result = selectors.dilution(actor=world.national_admin, programme=programme)
    by_generation = dict(result["by_generation"])
    first = by_generation[1]
    mean = (GAIN_P1 + GAIN_Q1) / 2
    sd = abs(GAIN_P1 - GAIN_Q1) / math.sqrt(2)
    half_width = 12.706 * sd / math.sqrt(2)  # Student's t, 1 degree of freedom
    assert first.n == 2
    assert first.mean == pytest.approx(mean)
    assert first.low == pytest.approx(mean - half_width, abs=1e-3)
    assert first.high == pytest.approx(mean + half_width, abs=1e-3)
    assert by_generation[2].mean == pytest.approx(GAIN_R1)
    assert by_generation[3].mean == pytest.approx(GAIN_S1)
    assert result["pilot"] is first
    # Intervals this wide show no clear dilution, and no trainer stands out.
    assert dilution_signal(result["by_generation"], first) is None
    assert result["flagged"] == []
    assert result["grand_mean"] == pytest.approx(
        (GAIN_P1 + 2 * GAIN_Q1 + GAIN_R1 + GAIN_S1) / 5  # Q1 counts for B and P1
    )


def test_the_dilution_signal_names_the_deepest_generation_clearly_below():
    pilot = selectors.statistics.Estimate(n=40, mean=0.6, low=0.55, high=0.65)
    rows = [
        (1, pilot),
        (2, selectors.statistics.Estimate(n=40, mean=0.5, low=0.45, high=0.55)),
        (3, selectors.statistics.Estimate(n=40, mean=0.4, low=0.35, high=0.45)),
        (4, selectors.statistics.Estimate(n=3, mean=0.2, low=-0.5, high=0.9)),
    ]
    generation, lost = dilution_signal(rows, pilot)
    assert generation == 3 and lost == pytest.approx(0.2)


def target(world, programme, code, people, **extra):
    return target_save(
        actor=world.national_admin,
        programme=programme,
        territory=Territory.objects.get(code=code),
        audience=extra.pop("audience", ""),
        period_start=extra.pop("period_start", datetime.date(2026, 7, 1)),
        period_end=extra.pop("period_end", datetime.date(2027, 6, 30)),
        people=people,
    )


def test_targets_planned_against_actual(world, programme, cascade):
    target(world, programme, "09", 100)
    target(world, programme, "09", 10, audience="beneficiaries")
    # A target whose period ended before the cascade started counts nobody.
    target(
        world,
        programme,
        "02",
        50,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
    )
    result = figures(world, programme)
    progress = {
        (i["target"].territory.code, i["target"].audience): (
            i["actual"],
            i["gap"],
        )
        for i in result["targets"]
    }
    assert progress == {
        ("09", ""): (4, 96),
        ("09", "beneficiaries"): (1, 9),
        ("02", ""): (0, 50),
    }
    # The map shades Souss by its current targets: (4 + 1) / (100 + 10).
    assert result["coverage"] == {"09": pytest.approx(5 / 110)}


def test_projection_month_by_month(world, programme, cascade):
    target(world, programme, "09", 100)
    what_if = projection.Parameters(
        sessions_per_trainer_per_quarter=3,
        seats_per_session=10,
        completion_rate=0.5,
        certification_rate=0.2,
        activation_rate=0.5,
        attrition_per_quarter=0,
    )
    result = selectors.projections(
        actor=world.national_admin,
        programme=programme,
        parameters=what_if,
        today=TODAY,
    )
    souss = next(line for line in result["lines"] if line["region"].code == "09")
    # Souss has 2 active trainers (P1, R1; the masters are in Rabat). Each
    # active trainer trains 3 / 3 × 10 × 0.5 = 5 people a month; every person
    # trained brings 0.2 × 0.5 = 0.1 new active trainer from the month after.
    # December: 2 trainers train 10 (4 so far → 14), then 2 + 1 = 3 trainers;
    # January: 15 (29), 4.5 trainers; February: 22.5 (51.5), 6.75 trainers;
    # March: 33.75 (85.25), 10.125 trainers; April: 50.625 (135.875): the
    # target of 100 is reached in April 2027, before the end of June.
    assert souss["trained"] == 4 and souss["active"] == 2
    cumulative = [value for _, value in souss["projected"][:5]]
    assert cumulative == pytest.approx([14, 29, 51.5, 85.25, 135.875])
    assert souss["projected"][0][0] == datetime.date(2026, 12, 1)
    assert souss["reached"] == datetime.date(2027, 4, 1)
    assert souss["on_time"] is True


def test_projection_that_never_reaches_its_target(world, programme, cascade):
    target(world, programme, "09", 1_000_000)
    result = selectors.projections(
        actor=world.national_admin, programme=programme, today=TODAY
    )
    souss = next(line for line in result["lines"] if line["region"].code == "09")
    assert souss["reached"] is None and souss["on_time"] is False


def test_projection_rates_come_from_the_data(world, programme, cascade):
    result = selectors.projections(
        actor=world.national_admin, programme=programme, today=TODAY
    )
    rates = result["from_data"]
    # Closed sessions: TOT-1 3 enrolled (1 completed), REL-0 1 (1), REL-1 2 (1),
    # REL-2 0, EU-1 1 (1): 7 enrolled and 4 completed in 5 sessions.
    assert rates.seats_per_session == round(7 / 5, 1)
    assert rates.completion_rate == round(4 / 7, 3)
    # 7 deliveries (leads and co-facilitations) by 4 active trainers in a year.
    assert rates.sessions_per_trainer_per_quarter == round(7 / 4 / 4, 2)
    # P1 and R1 certified out of 4 people trained; all certified trainers active.
    assert rates.certification_rate == 0.5
    assert rates.activation_rate == 1
    assert rates.attrition_per_quarter == 0


def test_rebuilding_the_summaries_gives_what_closing_sessions_kept(
    world, programme, cascade
):
    def snapshot():
        facts = set(
            TrainedPerson.objects.values_list("person_id", "session_id", "gain")
        )
        summary = set(
            TrainingSummary.objects.values_list(
                "province_path", "level", "audience", "generation", "month", "people"
            )
        )
        return facts, summary

    kept = snapshot()
    assert len(kept[0]) == 4
    summaries.rebuild()
    assert snapshot() == kept


def test_rebuilding_the_lineage_makes_the_summaries_again(world, programme, cascade):
    """`relais lineage rebuild` may move people between generations: the
    dashboards, which count by generation, follow at once."""
    from django.core.management import call_command

    kept = set(TrainingSummary.objects.values_list("generation", "people"))
    TrainingSummary.objects.all().delete()
    call_command("lineage", "rebuild", stdout=io.StringIO())
    assert set(TrainingSummary.objects.values_list("generation", "people")) == kept
    assert kept


def test_closing_a_session_makes_the_summaries_after_the_commit(
    world, programme, masters, django_capture_on_commit_callbacks
):
    from relais.training.tests.conftest import make_person, plan, run_session

    trainee = make_person(world, "New", "Trainee")
    session = plan(world, programme, "TOT-9", datetime.date(2026, 7, 6), level="tot")
    with django_capture_on_commit_callbacks(execute=True):
        run_session(world, session, masters[0], [trainee], scores={trainee: (8, 16)})
    assert TrainingSummary.objects.get().people == 1


def test_a_scope_narrower_than_a_province_counts_from_the_trained_people(
    world, programme, cascade
):
    """An M&E officer of one centre: the province summary cannot be cut to a
    centre, so the same figures come from the trained people themselves."""
    from relais.core.roles import Role
    from tests.cast import make_user

    officer = make_user("me_agadir", Role.ME_OFFICER, organisation=world.centre_agadir)
    by_centre = selectors.dashboard(actor=officer, programme=programme, today=TODAY)
    by_country = figures(world, programme)
    # Sums of gains come from rows added in another order: equal up to rounding.
    assert by_centre["total"].values == pytest.approx(by_country["total"].values)
    assert {k: v["people"] for k, v in by_centre["by_generation"].items()} == {
        1: 2,
        2: 1,
        3: 1,
    }
    # Nothing held elsewhere shows up for the centre.
    other = make_user("me_oujda", Role.ME_OFFICER, organisation=world.centre_oujda)
    assert (
        selectors.dashboard(actor=other, programme=programme, today=TODAY)["total"][
            "people"
        ]
        == 0
    )
