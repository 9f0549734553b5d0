"""The cascade's figures in words: the labels of the disaggregations and the
headlines of the note to the minister, in the reader's language.

Nothing here queries the database: it words figures already worked out (see
figures.py and selectors.py).
"""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .figures import UNKNOWN, Figures
from .models import AgeGroup, Area


def disaggregations(figures: Figures) -> list[tuple[str, list[tuple]]]:
    """(dimension, [(label, people, drill-down filter, its value)]), "unknown"
    shown as such."""
    return [
        (
            gettext_lazy("Sex"),
            [
                (gettext_lazy("Women"), figures["female"], "sex", "F"),
                (gettext_lazy("Men"), figures["male"], "sex", "M"),
                (gettext_lazy("Unknown"), figures["sex_unknown"], "sex", UNKNOWN),
            ],
        ),
        (
            gettext_lazy("Age group"),
            [
                (
                    group.label,
                    figures[f"age_{group.value or 'unknown'}"],
                    "age",
                    group.value or UNKNOWN,
                )
                for group in AgeGroup
            ],
        ),
        (
            gettext_lazy("Urban or rural residence"),
            [
                (area.label, figures[name], "area", area.value or UNKNOWN)
                for area, name in (
                    (Area.URBAN, "urban"),
                    (Area.RURAL, "rural"),
                    (Area.UNKNOWN, "area_unknown"),
                )
            ],
        ),
        (
            gettext_lazy("Disability"),
            [
                (
                    gettext_lazy("With a disability"),
                    figures["disability_yes"],
                    "disability",
                    "yes",
                ),
                (
                    gettext_lazy("Without a disability"),
                    figures["disability_no"],
                    "disability",
                    "no",
                ),
                (
                    gettext_lazy("Unknown"),
                    figures["disability_unknown"],
                    "disability",
                    UNKNOWN,
                ),
            ],
        ),
    ]


def headlines(figures: dict, signal, pilot) -> list[str]:
    """The three lines of the note to the minister, written from the data: the
    best region, the thinnest region, and the dilution signal.

    Regions are ranked by their share of the current target where targets are
    set, and otherwise by people trained per 10,000 inhabitants.
    """
    coverage = figures["coverage"]
    ranked = []
    for row in figures["regions"]:
        code, region = row["region"].code, row["region"]
        if coverage:
            if code in coverage:
                ranked.append((coverage[code], region, "target"))
        elif region.population_2024:
            people = row["figures"]["people"]
            ranked.append((people * 10_000 / region.population_2024, region, "rate"))
    ranked.sort(key=lambda item: item[0])
    lines = []
    if ranked:
        for label, (value, region, kind) in (
            (_("Best region"), ranked[-1]),
            (_("Thinnest region"), ranked[0]),
        ):
            if kind == "target":
                text = _("%(region)s, with %(share)s%% of its current target reached.")
                values = {"share": number_format(value * 100, 0)}
            else:
                text = _(
                    "%(region)s, with %(rate)s people trained per 10,000 inhabitants."
                )
                values = {"rate": number_format(value, 1)}
            lines.append(f"{label}: " + text % {"region": region, **values})
    else:
        lines.append(_("No region can be ranked yet: nobody has been trained."))
    if pilot is None or pilot.mean is None:
        lines.append(
            _("Dilution cannot be measured yet: the pilot group has no test scores.")
        )
    elif signal is None:
        lines.append(
            _(
                "No dilution: no generation learns clearly less than the pilot "
                "group (gain %(gain)s)."
            )
            % {"gain": number_format(pilot.mean, 2)}
        )
    else:
        generation, lost = signal
        lines.append(
            _(
                "Dilution: generation %(generation)s gains %(lost)s less than the "
                "pilot group (%(gain)s)."
            )
            % {
                "generation": generation,
                "lost": number_format(lost, 2),
                "gain": number_format(pilot.mean, 2),
            }
        )
    return lines
