"""A month-by-month projection of the people the cascade trains.

The model, in plain words. Each month, every active trainer delivers a third of
the sessions they deliver in a quarter; each session enrols the same number of
people, and a share of them complete it: they are the people trained that month,
added to those trained so far. A share of the people trained are certified as
trainers, and a share of those go on to deliver: they join the active trainers
the following month. Meanwhile some active trainers stop: the quarterly
attrition, spread evenly over its three months.

It is a model, not a forecast: it assumes the rates stay as they are, and it
counts fractions of people so that small regions do not round to nothing.
"""

import datetime
import math
from dataclasses import dataclass, fields

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.core.dates import month_start

# Shares, from 0 to 1.
RATES = {
    "completion_rate": gettext_lazy("The completion rate must be between 0 and 1."),
    "certification_rate": gettext_lazy(
        "The certification rate must be between 0 and 1."
    ),
    "activation_rate": gettext_lazy("The activation rate must be between 0 and 1."),
    "attrition_per_quarter": gettext_lazy(
        "The quarterly attrition must be between 0 and 1."
    ),
}
# Counts, zero or more.
COUNTS = {
    "sessions_per_trainer_per_quarter": gettext_lazy(
        "The number of sessions per trainer cannot be negative."
    ),
    "seats_per_session": gettext_lazy(
        "The number of seats per session cannot be negative."
    ),
}


@dataclass(frozen=True)
class Parameters:
    """The rates the projection assumes; an invalid set cannot be built."""

    sessions_per_trainer_per_quarter: float  # sessions one active trainer delivers
    seats_per_session: float  # people enrolled per session
    completion_rate: float  # share of enrolled who complete (0..1)
    certification_rate: float  # share of completers who become certified trainers
    activation_rate: float  # share of newly certified trainers who go on to deliver
    attrition_per_quarter: float  # share of active trainers who stop in a quarter

    def __post_init__(self):
        for field in fields(self):
            try:
                # Decimals from a form or a model become floats, for arithmetic.
                value = float(getattr(self, field.name))
            except (TypeError, ValueError):
                value = math.nan
            object.__setattr__(self, field.name, value)
            # NaN compares false with everything, so it must be ruled out first.
            valid = math.isfinite(value)
            if field.name in RATES:
                if not (valid and 0 <= value <= 1):
                    raise ValueError(str(RATES[field.name]))
            elif not (valid and value >= 0):
                raise ValueError(str(COUNTS[field.name]))


@dataclass(frozen=True)
class ProjectedMonth:
    month: datetime.date  # first day of the month
    active_trainers: float  # trainers delivering during the month
    trained: float  # people who complete in that month
    cumulative: float  # trained so far, the actual count at the start included


def _trained_per_trainer_per_month(parameters: Parameters) -> float:
    return (
        parameters.sessions_per_trainer_per_quarter
        / 3
        * parameters.seats_per_session
        * parameters.completion_rate
    )


def project(
    *,
    start: datetime.date,
    trained_so_far: int,
    active_trainers: float,
    parameters: Parameters,
    months: int,
) -> list[ProjectedMonth]:
    """The projection for `months` months, from the month of `start`."""
    if trained_so_far < 0:
        raise ValueError(_("The number of people trained cannot be negative."))
    if active_trainers < 0:
        raise ValueError(_("The number of active trainers cannot be negative."))
    if months < 0:
        raise ValueError(_("The number of months cannot be negative."))
    per_trainer = _trained_per_trainer_per_month(parameters)
    new_trainer_share = parameters.certification_rate * parameters.activation_rate
    # The quarterly attrition compounds over three months, so each month keeps
    # the cube root of what a quarter keeps.
    monthly_retention = (1 - parameters.attrition_per_quarter) ** (1 / 3)
    active = float(active_trainers)
    cumulative = float(trained_so_far)
    result = []
    for offset in range(months):
        trained = active * per_trainer
        cumulative += trained
        result.append(
            ProjectedMonth(
                month=month_start(start, offset),
                active_trainers=active,
                trained=trained,
                cumulative=cumulative,
            )
        )
        # The newly certified start delivering the following month.
        active = active * monthly_retention + trained * new_trainer_share
    return result


def month_reached(
    projection: list[ProjectedMonth], target: float
) -> datetime.date | None:
    """The first month whose cumulative count reaches `target`, None if none does.

    A target already reached by the actual count is reached in the first month.
    """
    for month in projection:
        # A sum of fractions may fall a hair short of a target it meets exactly.
        if month.cumulative >= target or math.isclose(month.cumulative, target):
            return month.month
    return None


def _number(value: float, places: int = 2) -> str:
    """A number for reading: rounded, without a trailing ",0" on whole values."""
    value = round(value, places)
    if value == int(value):
        value = int(value)
    return number_format(value, force_grouping=True)


def _percent(share: float) -> str:
    return _number(share * 100, places=1)


def explanation(parameters: Parameters) -> list[str]:
    """The model in plain words, one sentence per step, with the values assumed."""
    per_trainer = _trained_per_trainer_per_month(parameters)
    new_trainers = (
        per_trainer * parameters.certification_rate * parameters.activation_rate
    )
    return [
        _(
            "Each active trainer delivers %(sessions)s sessions every three months, "
            "spread evenly over the three months."
        )
        % {"sessions": _number(parameters.sessions_per_trainer_per_quarter)},
        _("Each session enrols %(seats)s people.")
        % {"seats": _number(parameters.seats_per_session)},
        _(
            "%(rate)s%% of the people enrolled complete the session: they count as "
            "trained in that month."
        )
        % {"rate": _percent(parameters.completion_rate)},
        _("%(rate)s%% of the people trained are certified as trainers.")
        % {"rate": _percent(parameters.certification_rate)},
        _(
            "%(rate)s%% of the newly certified trainers go on to deliver sessions, "
            "from the following month."
        )
        % {"rate": _percent(parameters.activation_rate)},
        _(
            "%(rate)s%% of the active trainers stop delivering every three months, "
            "a little each month."
        )
        % {"rate": _percent(parameters.attrition_per_quarter)},
        _(
            "In all, each active trainer trains about %(people)s people a month and "
            "brings about %(trainers)s new active trainers a month."
        )
        % {"people": _number(per_trainer), "trainers": _number(new_trainers)},
    ]
