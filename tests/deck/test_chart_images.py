"""Charts drawn for a slide: the report's chart definition with its text enlarged (guides
more than the text on marks), legends wrapped, the figures untouched."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from kamkit.charts.theme import enlarged
from kamkit.deck.images import GUIDE_TEXT, MARK_TEXT, chart_image, section_charts, slide_spec
from kamkit.report.analysis import AnalysisReport

pytestmark = pytest.mark.slow  # draws report charts as slide images, as the other deck tests

AS_OF = dt.date(2026, 9, 30)


@pytest.fixture(scope="module")
def report() -> AnalysisReport:
    return AnalysisReport.build(None, "MAAS", AS_OF, "en")


def _sizes(node: Any, path: str = "") -> dict[str, float]:
    """Every font size of a spec, by its path."""
    found: dict[str, float] = {}
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("datasets", "data"):
                continue
            where = f"{path}/{key}"
            if key.endswith(("fontSize", "FontSize")) and isinstance(value, int | float):
                found[where] = float(value)
            else:
                found.update(_sizes(value, where))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found.update(_sizes(item, f"{path}/{index}"))
    return found


@pytest.mark.parametrize("section", ["a7", "whitespace", "a8"])
def test_every_text_of_the_chart_is_enlarged_and_the_figures_kept(report, section) -> None:
    chart = section_charts(report.section(section))[0]
    page = chart.to_dict()
    before = _sizes(page)
    after = _sizes(enlarged(page, 2.0, 1.5))
    assert before and set(before) <= set(after)
    marks = {path for path in before if "/mark/" in path}
    assert marks, before  # the chart writes text on its marks
    for path, size in before.items():
        assert after[path] == pytest.approx(size * (1.5 if path in marks else 2.0)), path
    # Vega-Lite's own sizes where kamkit sets none are enlarged too
    assert after["/config/header/labelFontSize"] == 20
    assert after["/config/text/fontSize"] == pytest.approx(16.5)
    # the figures and the report's chart are what they were
    assert json.dumps(enlarged(page, 2.0, 1.5)["datasets"]) == json.dumps(page["datasets"])
    assert _sizes(chart.to_dict()) == before


def test_a_slides_chart_keeps_its_legend_within_reach(report) -> None:
    """A page's legend of ten competitors runs in one row, wider than the chart: on a slide
    it wraps, so the picture is not shrunk to fit the legend."""
    chart = section_charts(report.section("a7"))[0]
    spec = slide_spec(chart)
    assert spec["config"]["legend"]["columns"] == 3
    assert spec["config"]["axis"]["labelFontSize"] == pytest.approx(11 * GUIDE_TEXT)
    image = chart_image(chart)
    assert image.width < 1.3 * chart.to_dict()["width"], image.width
    assert image.alt == chart.to_dict()["description"]
    assert MARK_TEXT < GUIDE_TEXT
