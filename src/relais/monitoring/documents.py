"""The note to the minister (one page of PDF, in French or Arabic) and the
workbook of every table behind it (formula-safe)."""

import datetime
import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from relais.core.pdf import render_pdf
from relais.core.spreadsheets import neutralise
from relais.territory.maps import region_map_svg
from relais.training.models import Session

from . import charts, selectors
from .figures import dilution_signal, headline_line
from .presenters import disaggregations, headlines


def _note_content(*, actor, programme, region) -> dict:
    figures = selectors.dashboard(actor=actor, programme=programme, region=region)
    projected = selectors.projections(
        actor=actor, programme=programme, region=region, base=figures
    )
    dilution = selectors.dilution(actor=actor, programme=programme, region=region)
    signal = dilution_signal(dilution["by_generation"], dilution["pilot"])
    return {
        "figures": figures,
        "projection": projected,
        "dilution": dilution,
        "headlines": headlines(figures, signal, dilution["pilot"]),
    }


def minister_note(*, actor, programme, region, language: str) -> bytes:
    with translation.override(language):
        content = _note_content(actor=actor, programme=programme, region=region)
        figures, projected = content["figures"], content["projection"]
        shown = headline_line(projected)
        chart = None
        if shown is not None:
            chart = charts.projection_chart(
                actual=shown["actual"],
                projected=shown["projected"],
                target=shown["target"].people if shown["target"] else None,
                width=520,
                height=200,
            )
        region_map = region_map_svg(
            names={r["region"].code: str(r["region"]) for r in figures["regions"]},
            shares=figures["coverage"],
            standalone=True,
        )
        return render_pdf(
            "monitoring/pdf/note.html",
            {
                **content,
                "programme": programme,
                "region": region,
                "language": language,
                "today": timezone.localdate(),
                "region_map": region_map,
                "chart": chart,
                "shown": shown,
            },
        )


def _cell(value):
    """Numbers and dates stay numbers and dates; text cannot become a formula."""
    if value is None or isinstance(value, int | float | datetime.date):
        return value
    return neutralise(value)


def _sheet(workbook, title: str, header: list, rows) -> None:
    sheet = workbook.create_sheet(title[:31])
    sheet.append([_cell(value) for value in header])
    for row in rows:
        sheet.append([_cell(value) for value in row])


def workbook(*, actor, programme, region) -> bytes:
    content = _note_content(actor=actor, programme=programme, region=region)
    figures, projected = content["figures"], content["projection"]
    dilution = content["dilution"]
    book = Workbook(write_only=True)
    _sheet(
        book,
        _("Summary"),
        [_("Programme"), _("Scope"), _("Date"), _("Figures as of")],
        [
            [
                str(programme),
                str(region) if region else _("All my scope"),
                timezone.localdate(),
                timezone.localtime(figures["refreshed_at"]).replace(tzinfo=None)
                if figures["refreshed_at"]
                else None,
            ],
            *([line] for line in content["headlines"]),
        ],
    )
    _sheet(
        book,
        _("Regions"),
        [
            _("Region"),
            _("People trained"),
            _("Women"),
            _("Men"),
            _("Sex unknown"),
            _("Certified trainers"),
            _("Active trainers"),
            _("Multiplication factor"),
            _("Sessions held"),
            _("Sessions planned"),
            _("Share of current target"),
        ],
        (
            [
                str(row["region"]),
                row["figures"]["people"],
                row["figures"]["female"],
                row["figures"]["male"],
                row["figures"]["sex_unknown"],
                row["certified"],
                row["active"],
                row["factor"],
                row["held"],
                row["planned"],
                figures["coverage"].get(row["region"].code),
            ]
            for row in figures["regions"]
        ),
    )
    _sheet(
        book,
        _("Generations"),
        [
            _("Generation"),
            _("People trained"),
            _("Learning gain"),
            _("Low (95 %)"),
            _("High (95 %)"),
        ],
        (
            [
                generation,
                figures["by_generation"][generation]["people"],
                estimate.mean,
                estimate.low,
                estimate.high,
            ]
            for generation, estimate in dilution["by_generation"]
        ),
    )
    levels = dict(Session.Level.choices)
    audiences = dict(Session.Audience.choices)
    _sheet(
        book,
        _("Breakdowns"),
        [_("Breakdown"), _("Value"), _("People trained")],
        [
            *(
                [_("Level"), str(levels.get(key, key)), value["people"]]
                for key, value in figures["by_level"].items()
            ),
            *(
                [_("Audience"), str(audiences.get(key, key)), value["people"]]
                for key, value in figures["by_audience"].items()
            ),
            *(
                [_("Month"), key, value["people"]]
                for key, value in figures["by_month"].items()
            ),
            *(
                [str(dimension), str(label), value]
                for dimension, values in disaggregations(figures["total"])
                for label, value, _name, _code in values
            ),
        ],
    )
    _sheet(
        book,
        _("Targets"),
        [
            _("Region"),
            _("Audience"),
            pgettext("period", "From"),
            pgettext("period", "To"),
            pgettext("objective", "Target"),
            _("People trained"),
            _("Gap"),
        ],
        (
            [
                str(item["target"].territory),
                str(audiences.get(item["target"].audience, _("All"))),
                item["target"].period_start,
                item["target"].period_end,
                item["target"].people,
                item["actual"],
                item["gap"],
            ]
            for item in figures["targets"]
        ),
    )
    lines = [projected["overall"]] if projected["overall"] else []
    _sheet(
        book,
        _("Projection"),
        [
            _("Region"),
            _("People trained"),
            _("Active trainers"),
            pgettext("objective", "Target"),
            _("Target reached in"),
            _("Before the end of the period"),
        ],
        (
            [
                str(line["region"]) if line["region"] else _("All my scope"),
                line["trained"],
                line["active"],
                line["target"].people if line["target"] else None,
                line["reached"],
                line["on_time"] if line["target"] else None,
            ]
            for line in [*lines, *projected["lines"]]
        ),
    )
    _sheet(
        book,
        _("Projection rates"),
        [_("Rate"), _("Value")],
        ([name, value] for name, value in vars(projected["parameters"]).items()),
    )
    _sheet(
        book,
        _("Trainer effects"),
        [_("Trainer"), _("Trainees with scores"), _("Mean gain"), _("Shrunk gain")],
        (
            # No person: one the reader may not see, named by nobody here.
            [
                str(person) if person else "—",
                effect.n,
                effect.raw_mean,
                effect.shrunk_mean,
            ]
            for person, effect in dilution["flagged"]
        ),
    )
    _sheet(
        book,
        _("Questions"),
        [_("Question"), _("From generation"), _("To generation"), _("Loss")],
        (
            [item.item, item.from_generation, item.to_generation, item.loss]
            for item in dilution["items"]
        ),
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
