"""The SVG charts: well-formed, complete, inside their view box, escaped."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation
from django.utils.safestring import SafeString

from relais.monitoring.charts import interval_chart, nice_ticks, projection_chart

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def parse(svg) -> ET.Element:
    assert isinstance(svg, SafeString)
    return ET.fromstring(str(svg))


def elements(root, tag, kind=None):
    found = root.iter(f"{SVG}{tag}")
    return [e for e in found if kind is None or e.get("class") == kind]


def texts(root) -> list[str]:
    return [e.text for e in root.iter(f"{SVG}text")]


def assert_inside_view_box(root):
    _x, _y, width, height = (float(v) for v in root.get("viewBox").split())
    points = []
    for element in root.iter():
        for x, y in (("x", "y"), ("x1", "y1"), ("x2", "y2"), ("cx", "cy")):
            if element.get(x) is not None:
                points.append((float(element.get(x)), float(element.get(y))))
        if element.get("points"):
            points += [
                tuple(float(v) for v in pair.split(","))
                for pair in element.get("points").split()
            ]
    assert points
    for x, y in points:
        assert 0 <= x <= width and 0 <= y <= height, (x, y)


def assert_accessible(root, title):
    assert root.get("role") == "img"
    assert root.get("aria-label") == title
    assert root[0].tag == f"{SVG}title" and root[0].text == title


# Ticks


@pytest.mark.parametrize(
    ("low", "high", "whole", "ticks"),
    [
        # 300 / 4 = 75 a step at least: 100 is the first round one.
        (0, 300, True, [0, 100, 200, 300]),
        # 1100 / 4 = 275: 250 would need five steps to pass 1100, so 500.
        (0, 1100, True, [0, 500, 1000, 1500]),
        # 6.5 / 4 = 1.625: steps of 2 from -2 (below -1.2) to 6 (above 5.3).
        (-1.2, 5.3, False, [-2, 0, 2, 4, 6]),
        # 0.3 / 4 = 0.075: 0.1, without a stray 0.30000000000000004.
        (0, 0.3, False, [0, 0.1, 0.2, 0.3]),
        # Nothing to span: from 0 to 1, in quarters or in whole people.
        (0, 0, False, [0, 0.25, 0.5, 0.75, 1]),
        (0, 0, True, [0, 1]),
        (0, 3, True, [0, 1, 2, 3]),
    ],
)
def test_ticks_are_few_and_round(low, high, whole, ticks):
    assert nice_ticks(low, high, whole=whole) == ticks


# Projection chart

ACTUAL = [(datetime.date(2026, 1, 1), 0), (datetime.date(2026, 3, 1), 100)]
PROJECTED = [(datetime.date(2026, 4, 1), 150), (datetime.date(2026, 5, 1), 200)]


def test_the_projection_chart_draws_actual_projected_and_target():
    root = parse(projection_chart(actual=ACTUAL, projected=PROJECTED, target=300))
    assert_accessible(root, "People trained, cumulative")
    assert_inside_view_box(root)
    (actual,) = elements(root, "polyline", "actual")
    (projected,) = elements(root, "polyline", "projected")
    assert actual.get("stroke-dasharray") is None
    assert projected.get("stroke-dasharray")
    # Ticks 0, 100, 200, 300 over the plot from y 232 (260 - 28) to y 30.
    # Days from 1 January to 1 May: 31 + 28 + 31 + 30 = 120, over x 56 to 604.
    # 1 March: x = 56 + 59 / 120 × 548 = 325.4; 100: y = 232 - 100 / 300 × 202.
    last_actual = "325.4,164.7"
    assert actual.get("points").split() == ["56.0,232.0", last_actual]
    # The dashed line picks up from the last actual point.
    assert projected.get("points").split()[0] == last_actual
    assert len(projected.get("points").split()) == 1 + len(PROJECTED)
    (target,) = elements(root, "line", "target")
    assert target.get("y1") == target.get("y2") == "30.0"
    labels = texts(root)
    assert "Target: 300" in labels
    assert {"Actual", "Projected", "Target"} <= set(labels)
    assert {"0", "100", "200", "300"} <= set(labels)
    assert "Jan. 2026" in labels and "May 2026" in labels
    assert root.find(f"{SVG}desc").text == (
        "Actual: 100 in March 2026. Projected: 200 in May 2026. Target: 300"
    )


def test_the_projection_chart_has_four_or_five_y_ticks_and_a_few_months():
    months = [datetime.date(2024 + m // 12, m % 12 + 1, 1) for m in range(36)]
    root = parse(
        projection_chart(
            actual=[(d, 40 * i) for i, d in enumerate(months[:12])],
            projected=[(d, 40 * (i + 12)) for i, d in enumerate(months[12:])],
            target=None,
        )
    )
    assert_inside_view_box(root)
    assert 4 <= len(elements(root, "line", "grid")) <= 5
    # 36 months on a 548-point plot: no more than 548 // 90 = 6 labels.
    assert 2 <= len(elements(root, "line", "tick")) <= 6
    assert not elements(root, "line", "target")
    assert "Target" not in texts(root)


def test_a_projection_without_actual_counts_draws_the_projection_alone():
    root = parse(projection_chart(actual=[], projected=PROJECTED, target=None))
    assert not elements(root, "polyline", "actual")
    (projected,) = elements(root, "polyline", "projected")
    assert len(projected.get("points").split()) == len(PROJECTED)
    assert_inside_view_box(root)


def test_an_empty_projection_chart_says_there_is_nothing_to_show():
    root = parse(projection_chart(actual=[], projected=[], target=1000))
    assert texts(root) == ["Nothing to show yet."]
    assert not elements(root, "polyline")


def test_the_projection_chart_speaks_the_reader_s_language():
    with translation.override("fr"):
        root = parse(
            projection_chart(
                actual=[(datetime.date(2026, 9, 1), 12500)], projected=[], target=None
            )
        )
    assert "sept. 2026" in texts(root)
    assert "12\xa0500" in root.find(f"{SVG}desc").text


# Interval chart

ROWS = [
    ("Pilot", 4.0, 3.0, 5.0),
    ("Generation 1", 3.0, 2.0, 4.0),
    ("Generation 2", 1.0, None, None),  # one trainee: a mean, no interval
    ("Generation 3", None, None, None),
]


def test_the_interval_chart_draws_one_point_per_row_with_its_whisker():
    root = parse(interval_chart(rows=ROWS, reference=4.0, reference_label="Pilot"))
    assert_accessible(root, "Averages with their confidence intervals")
    assert_inside_view_box(root)
    assert len(elements(root, "circle", "point")) == 3
    # A vertical line and two caps for each of the two rows with an interval.
    assert len(elements(root, "line", "whisker")) == 2 * 3
    assert len(elements(root, "line", "reference")) == 1
    labels = texts(root)
    assert labels.count("no data") == 1
    assert {"Pilot", "Generation 1", "Generation 2", "Generation 3"} <= set(labels)
    hover = [e.text for e in root.iter(f"{SVG}title")][1:]
    assert hover == [
        "Pilot: 4 (from 3 to 5)",
        "Generation 1: 3 (from 2 to 4)",
        "Generation 2: 1",
        "Generation 3: no data",
    ]


def test_the_interval_chart_places_the_mean_by_hand():
    root = parse(
        interval_chart(
            rows=[("A", 2, 1, 3)], reference=None, reference_label="", title="Gain"
        )
    )
    assert_accessible(root, "Gain")
    (point,) = elements(root, "circle", "point")
    # Ticks 0 to 3; the plot spans x 56 to 624 (640 - 16), y 190 (220 - 30) to 24.
    # One row: x = 56 + 568 / 2 = 340; y = 190 - 2 / 3 × 166 = 79.3.
    assert (point.get("cx"), point.get("cy")) == ("340.0", "79.3")
    assert {"0", "1", "2", "3"} <= set(texts(root))
    assert not elements(root, "line", "reference")


def test_negative_gains_stay_inside_the_chart():
    root = parse(
        interval_chart(
            rows=[("A", -0.4, -1.2, 0.3), ("B", 5.3, 4.0, 6.0)],
            reference=None,
            reference_label="",
        )
    )
    assert_inside_view_box(root)
    # From -1.2 to 6: steps of 2 from -2 to 6.
    assert {"-2", "0", "2", "4", "6"} <= set(texts(root))


def test_labels_are_escaped():
    svg = interval_chart(
        rows=[("<&>", 1.0, 0.5, 1.5)],
        reference=1.0,
        reference_label='Pilot "<b>"',
        title="<script>",
    )
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;&amp;&gt;" in svg
    root = parse(svg)
    assert root.get("aria-label") == "<script>"
    assert {"<&>", 'Pilot "<b>"'} <= set(texts(root))


def test_long_labels_are_shortened_and_kept_whole_on_hover():
    label = "A generation with a very long name " * 3
    rows = [(label, 1.0, 0.5, 1.5)] * 8
    root = parse(interval_chart(rows=rows, reference=None, reference_label=""))
    # Eight bands in 568 points: 71 each, room for 71 // 6.5 - 1 = 9 characters.
    shown = [t for t in texts(root) if t.startswith("A gen")]
    assert shown == ["A genera…"] * 8
    assert f"{label}: 1 (from 0.5 to 1.5)" in [e.text for e in root.iter(f"{SVG}title")]


def test_an_empty_interval_chart_says_there_is_nothing_to_show():
    root = parse(interval_chart(rows=[], reference=2.0, reference_label="Pilot"))
    assert "Nothing to show yet." in texts(root)
    assert not elements(root, "circle")


def test_rows_without_any_data_still_draw_an_axis():
    root = parse(
        interval_chart(
            rows=[("G1", None, None, None)], reference=None, reference_label=""
        )
    )
    assert texts(root).count("no data") == 1
    assert_inside_view_box(root)


def test_the_interval_chart_builds_in_arabic():
    with translation.override("ar"):
        root = parse(
            interval_chart(
                rows=[("الجيل الأول", 2.5, 1.5, 3.5)],
                reference=3.0,
                reference_label="المجموعة التجريبية",
            )
        )
    assert {"الجيل الأول", "المجموعة التجريبية"} <= set(texts(root))
    assert "direction:ltr" in root.get("style")
