"""The cascade projection: month by month, by hand, on small numbers."""

import dataclasses
import datetime
import math
from decimal import Decimal

import pytest
from django.utils import translation

from relais.core.dates import add_months, month_start
from relais.monitoring.projection import (
    Parameters,
    ProjectedMonth,
    explanation,
    month_reached,
    project,
)

# One session a month per trainer, five people trained per session, one trained
# person in five becomes an active trainer.
DOUBLING = Parameters(
    sessions_per_trainer_per_quarter=3,
    seats_per_session=10,
    completion_rate=0.5,
    certification_rate=0.4,
    activation_rate=0.5,
    attrition_per_quarter=0,
)


def test_three_months_without_attrition_add_up_by_hand():
    """Trained = active × 3/3 × 10 × 0.5; new active = trained × 0.4 × 0.5."""
    months = project(
        start=datetime.date(2026, 11, 15),
        trained_so_far=100,
        active_trainers=2,
        parameters=DOUBLING,
        months=3,
    )
    # November: 2 trainers train 2 × 5 = 10, who bring 10 × 0.2 = 2 trainers.
    # December: 2 + 2 = 4 trainers train 20, who bring 4.
    # January: 4 + 4 = 8 trainers train 40.
    assert months == [
        ProjectedMonth(datetime.date(2026, 11, 1), 2, 10, 100 + 10),
        ProjectedMonth(datetime.date(2026, 12, 1), 4, 20, 100 + 10 + 20),
        ProjectedMonth(datetime.date(2027, 1, 1), 8, 40, 100 + 10 + 20 + 40),
    ]


def test_attrition_is_spread_over_the_three_months_of_a_quarter():
    """Losing 7/8 in a quarter keeps (1/8) ** (1/3) = 1/2 each month."""
    parameters = dataclasses.replace(DOUBLING, attrition_per_quarter=0.875)
    months = project(
        start=datetime.date(2026, 3, 1),
        trained_so_far=0,
        active_trainers=8,
        parameters=parameters,
        months=3,
    )
    # March: 8 trainers train 8 × 5 = 40; April: 8 / 2 + 40 × 0.2 = 12 train 60;
    # May: 12 / 2 + 60 × 0.2 = 18 train 90.
    assert [m.month for m in months] == [
        datetime.date(2026, 3, 1),
        datetime.date(2026, 4, 1),
        datetime.date(2026, 5, 1),
    ]
    assert [m.active_trainers for m in months] == pytest.approx([8, 12, 18])
    assert [m.trained for m in months] == pytest.approx([40, 60, 90])
    assert [m.cumulative for m in months] == pytest.approx([40, 100, 190])


def test_no_months_give_an_empty_projection():
    assert (
        project(
            start=datetime.date(2026, 1, 1),
            trained_so_far=5,
            active_trainers=1,
            parameters=DOUBLING,
            months=0,
        )
        == []
    )


def test_months_roll_over_december_into_the_next_year():
    assert month_start(datetime.date(2026, 12, 31), 1) == datetime.date(2027, 1, 1)
    assert month_start(datetime.date(2026, 11, 1), 14) == datetime.date(2028, 1, 1)
    assert month_start(datetime.date(2027, 1, 1), -1) == datetime.date(2026, 12, 1)
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2027, 1, 31), -1) == datetime.date(2026, 12, 31)


@pytest.fixture
def doubling_months():
    # Cumulative 110, 130, 170 from November 2026, as computed above.
    return project(
        start=datetime.date(2026, 11, 1),
        trained_so_far=100,
        active_trainers=2,
        parameters=DOUBLING,
        months=3,
    )


def test_the_month_reached_is_the_first_whose_cumulative_meets_the_target(
    doubling_months,
):
    assert month_reached(doubling_months, 130) == datetime.date(2026, 12, 1)
    assert month_reached(doubling_months, 131) == datetime.date(2027, 1, 1)
    assert month_reached(doubling_months, 170) == datetime.date(2027, 1, 1)


def test_a_target_beyond_the_horizon_is_not_reached(doubling_months):
    assert month_reached(doubling_months, 171) is None
    assert month_reached([], 1) is None


def test_a_target_already_met_is_reached_in_the_first_month(doubling_months):
    assert month_reached(doubling_months, 50) == datetime.date(2026, 11, 1)


def test_a_target_met_up_to_rounding_counts_as_reached():
    month = ProjectedMonth(datetime.date(2026, 1, 1), 1, 0.1, 0.1 + 0.2)
    assert month_reached([month], 0.3) == datetime.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("completion_rate", 1.2, "completion rate must be between 0 and 1"),
        ("certification_rate", -0.1, "certification rate must be between 0 and 1"),
        ("activation_rate", math.nan, "activation rate must be between 0 and 1"),
        ("attrition_per_quarter", 2, "quarterly attrition must be between 0 and 1"),
        ("seats_per_session", -1, "seats per session cannot be negative"),
        (
            "sessions_per_trainer_per_quarter",
            math.inf,
            "sessions per trainer cannot be negative",
        ),
    ],
)
def test_invalid_parameters_are_refused_with_a_readable_message(field, value, message):
    with translation.override("en"), pytest.raises(ValueError, match=message):
        dataclasses.replace(DOUBLING, **{field: value})


def test_the_limits_of_the_rates_are_valid():
    dataclasses.replace(
        DOUBLING, completion_rate=1, certification_rate=0, attrition_per_quarter=1
    )


def test_decimals_from_a_form_are_taken_as_floats():
    parameters = dataclasses.replace(DOUBLING, completion_rate=Decimal("0.5"))
    assert parameters.completion_rate == 0.5
    assert isinstance(parameters.completion_rate, float)
    with translation.override("en"), pytest.raises(ValueError, match="between"):
        dataclasses.replace(DOUBLING, completion_rate="half")


def test_negative_starting_points_are_refused():
    common = {
        "start": datetime.date(2026, 1, 1),
        "trained_so_far": 0,
        "active_trainers": 1,
        "parameters": DOUBLING,
        "months": 1,
    }
    with translation.override("en"):
        for name in ("trained_so_far", "active_trainers", "months"):
            with pytest.raises(ValueError, match="cannot be negative"):
                project(**{**common, name: -1})


def test_the_explanation_states_each_step_with_its_value():
    with translation.override("en"):
        sentences = explanation(DOUBLING)
    assert sentences == [
        "Each active trainer delivers 3 sessions every three months, "
        "spread evenly over the three months.",
        "Each session enrols 10 people.",
        "50% of the people enrolled complete the session: they count as "
        "trained in that month.",
        "40% of the people trained are certified as trainers.",
        "50% of the newly certified trainers go on to deliver sessions, "
        "from the following month.",
        "0% of the active trainers stop delivering every three months, "
        "a little each month.",
        # 3 / 3 × 10 × 0.5 = 5 people, 5 × 0.4 × 0.5 = 1 trainer.
        "In all, each active trainer trains about 5 people a month and "
        "brings about 1 new active trainers a month.",
    ]


def test_the_explanation_writes_numbers_the_reader_s_way():
    parameters = dataclasses.replace(
        DOUBLING, seats_per_session=12.5, completion_rate=0.875
    )
    with translation.override("fr"):
        sentences = explanation(parameters)
    assert "12,5" in sentences[1]
    assert sentences[2].startswith("87,5")
