"""The cascade's figures worked out from rows already read: sums, shares,
breakdowns, the projection of each target and the dilution signal.

Pure arithmetic: nothing here queries the database or words a sentence. The
queries are in selectors.py, the labels and the headlines in presenters.py.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from . import projection, statistics
from .summaries import SUMMARY_COUNTS

UNKNOWN = "unknown"  # the drill-down filter value of what is not known


MEASURES = [*SUMMARY_COUNTS, "gain_sum", "gain_squares"]


# What most breakdowns show: the people, and their learning gain.
PEOPLE_AND_GAIN = ("people", "gain_n", "gain_sum", "gain_squares")


@dataclass
class Figures:
    """Sums of some of the summary's measures, for one slice of the cascade."""

    measures: tuple = tuple(MEASURES)
    values: dict = field(default_factory=dict)

    def __post_init__(self):
        self.values = dict.fromkeys(self.measures, 0)

    def add(self, row: dict) -> None:
        values = self.values
        for name in self.measures:
            values[name] += row[name] or 0

    def __getitem__(self, name):
        return self.values[name]

    @property
    def gain(self) -> statistics.Estimate:
        return statistics.estimate(
            self["gain_n"], self["gain_sum"], self["gain_squares"]
        )


def breakdown(rows, key: str, measures=PEOPLE_AND_GAIN) -> dict:
    """Figures by the value of the row field `key`."""
    result: dict = {}
    for row in rows:
        value = row[key]
        if value not in result:
            result[value] = Figures(measures)
        result[value].add(row)
    return result


def total(rows) -> Figures:
    figures = Figures()
    for row in rows:
        figures.add(row)
    return figures


def target_progress(targets, rows) -> list[dict]:
    """Each target with the people trained in its region, audience and period."""
    result = []
    for target in targets:
        code = target.territory.code if target.territory.level == "region" else ""
        actual = sum(
            row["people"]
            for row in rows
            if (not code or row["region"] == code)
            and (not target.audience or row["audience"] == target.audience)
            and target.period_start.replace(day=1) <= row["month"] <= target.period_end
        )
        result.append(
            {
                "target": target,
                "actual": actual,
                "gap": max(target.people - actual, 0),
                "share": actual / target.people,
            }
        )
    return result


def coverage_by_region(progress: list[dict], today=None) -> dict[str, float]:
    """Region code -> share of its current targets reached (for the map)."""
    today = today or timezone.localdate()
    planned: dict[str, int] = defaultdict(int)
    actual: dict[str, int] = defaultdict(int)
    for item in progress:
        target = item["target"]
        if target.territory.level != "region":
            continue
        if not target.period_start <= today <= target.period_end:
            continue
        planned[target.territory.code] += target.people
        actual[target.territory.code] += item["actual"]
    return {code: min(actual[code] / planned[code], 1.0) for code in planned}


def generation_order(item):
    generation = item[0]
    return (generation is None, generation or 0)


def gain_by_generation(rows) -> list[tuple[int | None, statistics.Estimate]]:
    generations = breakdown(rows, "generation")
    return [
        (generation, figures.gain)
        for generation, figures in sorted(generations.items(), key=generation_order)
    ]


def current_target(targets: list[dict], today) -> dict | None:
    """The target whose period holds today, or else the next one to start."""
    running = [
        t
        for t in targets
        if t["target"].period_start <= today <= t["target"].period_end
    ]
    upcoming = sorted(
        (t for t in targets if t["target"].period_start > today),
        key=lambda t: t["target"].period_start,
    )
    return (running or upcoming or [None])[0]


HORIZON_MONTHS = 60


def headline_line(result: dict) -> dict | None:
    """The projection to draw: the whole scope's, or else its (only) region's."""
    return result["overall"] or (result["lines"][0] if result["lines"] else None)


def project_line(region, targets, active, rows, code, parameters, start, today):
    """One region's (or the country's) projection against its current target."""
    item = current_target(targets, today)
    target = item["target"] if item else None
    period_start = target.period_start.replace(day=1) if target else None
    monthly = defaultdict(int)
    for row in rows:
        if code is not None and row["region"] != code:
            continue
        if target and target.audience and row["audience"] != target.audience:
            continue
        if period_start and row["month"] < period_start:
            continue
        monthly[row["month"]] += row["people"]
    cumulative, actual = 0, []
    for month in sorted(monthly):
        cumulative += monthly[month]
        actual.append((month, cumulative))
    projected = projection.project(
        start=start,
        trained_so_far=cumulative,
        active_trainers=active,
        parameters=parameters,
        months=HORIZON_MONTHS,
    )
    reached = projection.month_reached(projected, target.people) if target else None
    if target and cumulative >= target.people:
        reached = actual[-1][0] if actual else start
    return {
        "region": region,
        "target": target,
        "trained": cumulative,
        "active": active,
        "reached": reached,
        "on_time": bool(reached and target and reached <= target.period_end),
        "actual": actual,
        "projected": [
            (month.month, month.cumulative)
            for month in projected
            if not target
            or month.month <= max(target.period_end, reached or target.period_end)
        ],
    }


PILOT_GENERATION = 1


def dilution_signal(by_generation, pilot) -> tuple[int, float] | None:
    """The deepest generation whose gain is clearly below the pilot group's:
    (generation, points lost), or None when no generation is."""
    if pilot is None or pilot.mean is None:
        return None
    signal = None
    for generation, estimate in by_generation:
        if generation is None or generation <= PILOT_GENERATION:
            continue
        if estimate.high is not None and estimate.high < pilot.mean:
            signal = (generation, pilot.mean - estimate.mean)
    return signal
