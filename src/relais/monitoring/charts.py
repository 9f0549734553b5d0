"""Dashboard charts, drawn on the server as self-contained SVG.

No script, no stylesheet, no font file: every colour and size is an attribute,
so the same markup works in a page, in a page read offline and in a PDF made by
WeasyPrint. The text inherits the font of the page around it, which is what
shapes Arabic labels properly. The chart itself reads left to right in every
language, like the maps: time and the axis labels do not mirror.
"""

import datetime
import math

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from relais.core.dates import month_start

INK = "#212529"
MUTED = "#6c757d"
GRID = "#e9ecef"
BLUE = "#0d6efd"
RED = "#dc3545"
FONT_SIZE = 11
# An estimate of the width of one character at FONT_SIZE, for laying out text
# without measuring it.
CHAR_WIDTH = 6.5
DASHED = "6 4"


def _coordinate(value: float) -> str:
    return f"{value:.1f}"


def _number(value: float, decimals: int | None = None) -> str:
    """A number in the reader's format; whole values without decimals."""
    # Django cuts off the decimals it does not show: round them first.
    value = round(value, 2 if decimals is None else decimals)
    if decimals is None and value == int(value):
        value = int(value)
    return number_format(value, decimal_pos=decimals, force_grouping=True)


def _month(day: datetime.date) -> str:
    # "N" abbreviates months the way each language does ("sept." in French);
    # "M" cuts them to three letters, which in French makes June and July alike.
    return date_format(day, "N Y")


def nice_ticks(low: float, high: float, *, whole: bool = False) -> list[float]:
    """Four or five round values from below `low` to above `high`.

    Round means a step of 1, 2, 2.5 or 5 times a power of ten; `whole` keeps to
    whole steps (people are counted, not measured). Very small whole ranges get
    fewer ticks rather than fractions of a person.
    """
    if high <= low:
        high = low + 1
    span = high - low
    magnitude = 10 ** math.floor(math.log10(span / 4))
    for factor in (1, 2, 2.5, 5, 10, 20, 25, 50):
        step = factor * magnitude
        if step * 4 < span or (whole and (step < 1 or step != int(step))):
            continue
        # The tolerance keeps 0.30000000000000004 from adding a tick.
        first = math.floor(low / step + 1e-9)
        last = math.ceil(high / step - 1e-9)
        if last - first <= 4:
            return [round(i * step, 10) for i in range(first, last + 1)]
    return [low, high]  # not reached: a step of 50 × span / 4 always fits


def _decimals(ticks: list[float]) -> int:
    """How many decimals the ticks need to be told apart (0.25 needs two)."""
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    decimals = 0
    while decimals < 6 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-6:
        decimals += 1
    return decimals


def _text(x, y, content, *, anchor="start", fill=INK, extra="") -> str:
    return (
        f'<text x="{_coordinate(x)}" y="{_coordinate(y)}" text-anchor="{anchor}" '
        f'fill="{fill}"{extra}>{escape(content)}</text>'
    )


def _line(x1, y1, x2, y2, *, stroke, kind, width=1, dashed=False) -> str:
    dash = f' stroke-dasharray="{DASHED}"' if dashed else ""
    return (
        f'<line class="{kind}" x1="{_coordinate(x1)}" y1="{_coordinate(y1)}" '
        f'x2="{_coordinate(x2)}" y2="{_coordinate(y2)}" stroke="{stroke}" '
        f'stroke-width="{width}"{dash}/>'
    )


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        # The width of the page, the height from the view box. Without a width,
        # WeasyPrint fails on an SVG inside right-to-left text.
        f'width="100%" role="img" aria-label="{escape(title)}" class="relais-chart" '
        f'style="direction:ltr" font-size="{FONT_SIZE}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )
    # Every interpolated text is escaped.
    return mark_safe(svg)  # nosec B308, B703


def _nothing_to_show(width: int, height: int, title: str) -> SafeString:
    return _svg(
        width,
        height,
        title,
        [
            _text(
                width / 2,
                height / 2,
                _("Nothing to show yet."),
                anchor="middle",
                fill=MUTED,
            )
        ],
    )


class _Frame:
    """The plot area inside the margins, and the scale of its y axis."""

    def __init__(self, *, width, height, left, right, top, bottom, ticks):
        self.left, self.right = left, width - right
        self.top, self.bottom = top, height - bottom
        self.ticks = ticks
        self.low, self.high = ticks[0], ticks[-1]

    def y(self, value: float) -> float:
        share = (value - self.low) / (self.high - self.low)
        return self.bottom - share * (self.bottom - self.top)

    def y_axis(self) -> list[str]:
        decimals = _decimals(self.ticks)
        parts = []
        for tick in self.ticks:
            y = self.y(tick)
            parts.append(
                _line(self.left, y, self.right, y, stroke=GRID, kind="grid")
                + _text(
                    self.left - 6,
                    y + FONT_SIZE / 3,
                    _number(tick, decimals),
                    anchor="end",
                    fill=MUTED,
                )
            )
        return parts


def _legend(x: float, y: float, entries: list[tuple[str, str, bool]]) -> list[str]:
    """Line samples with their names, side by side from (x, y)."""
    parts = []
    for name, colour, dashed in entries:
        parts.append(
            _line(x, y, x + 20, y, stroke=colour, kind="legend", width=2, dashed=dashed)
        )
        parts.append(_text(x + 25, y + FONT_SIZE / 3, name))
        x += 25 + len(name) * CHAR_WIDTH + 16
    return parts


def _polyline(points: list[tuple[float, float]], *, stroke, kind, dashed) -> str:
    dash = f' stroke-dasharray="{DASHED}"' if dashed else ""
    coordinates = " ".join(f"{_coordinate(x)},{_coordinate(y)}" for x, y in points)
    return (
        f'<polyline class="{kind}" points="{coordinates}" fill="none" '
        f'stroke="{stroke}" stroke-width="2" stroke-linejoin="round"{dash}/>'
    )


def _months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first days of month from `first` to `last`, both included."""
    month = first if first.day == 1 else month_start(first, 1)
    months = []
    while month <= last:
        months.append(month)
        month = month_start(month, 1)
    return months


def projection_chart(
    *,
    actual: list[tuple[datetime.date, float]],
    projected: list[tuple[datetime.date, float]],
    target: float | None,
    width: int = 640,
    height: int = 260,
) -> SafeString:
    """People trained so far and projected, against the target.

    actual and projected: (date, cumulative count), the projected series picking
    up where the actual one ends.
    """
    title = _("People trained, cumulative")
    actual, projected = sorted(actual), sorted(projected)
    if not actual and not projected:
        return _nothing_to_show(width, height, title)
    if actual and projected and projected[0][0] > actual[-1][0]:
        # The dashed line starts from the last known count, not from nowhere.
        projected = [actual[-1], *projected]
    points = actual + projected
    values = [value for _day, value in points]
    if target is not None:
        values.append(target)
    ticks = nice_ticks(min([0, *values]), max(values), whole=True)
    frame = _Frame(
        width=width, height=height, left=56, right=36, top=30, bottom=28, ticks=ticks
    )
    first = min(day for day, _value in points)
    last = max(day for day, _value in points)
    days = (last - first).days

    def x(day: datetime.date) -> float:
        if not days:
            return (frame.left + frame.right) / 2
        return frame.left + (day - first).days / days * (frame.right - frame.left)

    def xy(series):
        return [(x(day), frame.y(value)) for day, value in series]

    parts = frame.y_axis()
    # A few month labels, as many as fit: about one for every 90 points of width.
    months = _months_between(first, last) or [first]
    step = math.ceil(len(months) / max(2, (frame.right - frame.left) // 90))
    for month in months[::step]:
        parts.append(
            _line(
                x(month),
                frame.bottom,
                x(month),
                frame.bottom + 4,
                stroke=MUTED,
                kind="tick",
            )
            + _text(
                x(month), frame.bottom + 16, _month(month), anchor="middle", fill=MUTED
            )
        )
    parts.append(
        _line(
            frame.left,
            frame.bottom,
            frame.right,
            frame.bottom,
            stroke=MUTED,
            kind="axis",
        )
    )

    legend, description = [], []
    if target is not None:
        # Drawn first, so that the lines of people trained pass over it.
        target_label = _("Target: %(count)s") % {"count": _number(target, 0)}
        y = frame.y(target)
        parts.append(_line(frame.left, y, frame.right, y, stroke=RED, kind="target"))
        parts.append(_text(frame.right, y - 4, target_label, anchor="end", fill=RED))
    if actual:
        parts.append(_polyline(xy(actual), stroke=BLUE, kind="actual", dashed=False))
        day, value = actual[-1]
        parts.append(
            f'<circle class="last-actual" cx="{_coordinate(x(day))}" '
            f'cy="{_coordinate(frame.y(value))}" r="3.5" fill="{BLUE}"/>'
        )
        legend.append((_("Actual"), BLUE, False))
        description.append(
            _("Actual: %(count)s in %(month)s.")
            % {"count": _number(value, 0), "month": _month(day)}
        )
    if projected:
        parts.append(
            _polyline(xy(projected), stroke=BLUE, kind="projected", dashed=True)
        )
        day, value = projected[-1]
        legend.append((_("Projected"), BLUE, True))
        description.append(
            _("Projected: %(count)s in %(month)s.")
            % {"count": _number(value, 0), "month": _month(day)}
        )
    if target is not None:
        legend.append((pgettext("objective", "Target"), RED, False))
        description.append(target_label)
    parts.extend(_legend(frame.left, 12, legend))
    parts.insert(0, f"<desc>{escape(' '.join(description))}</desc>")
    return _svg(width, height, title, parts)


def interval_chart(
    *,
    rows: list[tuple[str, float | None, float | None, float | None]],
    reference: float | None,
    reference_label: str,
    title: str = "",
    width: int = 640,
    height: int = 220,
) -> SafeString:
    """One mean per row with its confidence interval, and a reference line.

    rows: (label, mean, low, high); a row without a mean shows "no data", a row
    without low and high shows its mean alone. Made for the learning gain by
    generation, with the pilot group's gain as the reference.
    """
    title = title or _("Averages with their confidence intervals")
    if not rows:
        return _nothing_to_show(width, height, title)
    values = [
        value for _label, *numbers in rows for value in numbers if value is not None
    ]
    if reference is not None:
        values.append(reference)
    # Zero stays in view: a gain reads against no gain at all.
    ticks = nice_ticks(min([0, *values]), max([0, *values]))
    frame = _Frame(
        width=width, height=height, left=56, right=16, top=24, bottom=30, ticks=ticks
    )
    band = (frame.right - frame.left) / len(rows)
    # Labels longer than their band are cut, and shown whole on hover.
    room = max(3, int(band / CHAR_WIDTH) - 1)

    parts = frame.y_axis()
    parts.append(
        _line(
            frame.left,
            frame.bottom,
            frame.right,
            frame.bottom,
            stroke=MUTED,
            kind="axis",
        )
    )
    if reference is not None:
        y = frame.y(reference)
        parts.append(
            _line(
                frame.left, y, frame.right, y, stroke=RED, kind="reference", dashed=True
            )
        )
        parts.append(_text(frame.right, y - 4, reference_label, anchor="end", fill=RED))
    for index, (label, mean, low, high) in enumerate(rows):
        x = frame.left + (index + 0.5) * band
        shown = label if len(label) <= room else label[: room - 1] + "…"
        row = [_text(x, frame.bottom + 16, shown, anchor="middle")]
        if mean is None:
            summary = _("%(label)s: no data") % {"label": label}
            row.append(
                _text(
                    x,
                    (frame.top + frame.bottom) / 2,
                    _("no data"),
                    anchor="middle",
                    fill=MUTED,
                    extra=' font-style="italic"',
                )
            )
        else:
            if low is not None and high is not None:
                summary = _("%(label)s: %(mean)s (from %(low)s to %(high)s)") % {
                    "label": label,
                    "mean": _number(mean),
                    "low": _number(low),
                    "high": _number(high),
                }
                row.append(
                    _line(
                        x, frame.y(low), x, frame.y(high), stroke=BLUE, kind="whisker"
                    )
                )
                for end in (low, high):
                    row.append(
                        _line(
                            x - 5,
                            frame.y(end),
                            x + 5,
                            frame.y(end),
                            stroke=BLUE,
                            kind="whisker",
                        )
                    )
            else:
                summary = _("%(label)s: %(mean)s") % {
                    "label": label,
                    "mean": _number(mean),
                }
            row.append(
                f'<circle class="point" cx="{_coordinate(x)}" '
                f'cy="{_coordinate(frame.y(mean))}" r="4" fill="{BLUE}"/>'
            )
        parts.append(f"<g><title>{escape(summary)}</title>{''.join(row)}</g>")
    return _svg(width, height, title, parts)
