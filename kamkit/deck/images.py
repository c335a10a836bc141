"""Charts as pictures for slides: the Altair chart the HTML report shows, drawn to PNG at
twice its size by vl-convert (sharp on a projector), its text enlarged to be read from the
back of a meeting room, with its description as alt text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import altair as alt

from kamkit.charts.render import chart_spec, chart_title
from kamkit.charts.theme import enlarged
from kamkit.report.base import Section

SCALE = 2
"""Pixels per chart pixel: 2x, sharp when projected."""

GUIDE_TEXT = 1.6
"""How much larger axis, legend and title text is drawn on a slide than on a page: a chart
fills about half a slide's width, about 7 inches on kamkit's template, where the page's
11-pixel labels would be 8 pt; enlarged they are 13 pt and more."""

MARK_TEXT = 1.25
"""How much larger the text on marks (values on bars, names in cells) is drawn: less, as it
has to fit the marks it labels."""

LEGEND_COLUMNS = 3
"""A legend's entries per row, and a chart's legends one above the other: a page's legends
run in one row, as wide as their entries take, which on a slide would shrink the whole
picture to fit them."""


@dataclass(frozen=True)
class ChartImage:
    """A chart drawn to PNG: the bytes, its size in chart pixels and its alt text."""

    png: bytes
    width: int  # in chart pixels (the PNG has SCALE times as many)
    height: int
    alt: str


def alt_text(spec: dict[str, Any]) -> str:
    """What a chart shows, for a reader who cannot see it: its description (which names
    the main figure), else its title."""
    return str(spec.get("description") or chart_title(spec) or "")


def section_charts(section: Section) -> list[alt.TopLevelMixin]:
    """The Altair charts of a report's section, in order."""
    return [block for block in section.blocks if isinstance(block, alt.TopLevelMixin)]


def slide_spec(chart: alt.TopLevelMixin, legends: str = "bottom") -> dict[str, Any]:
    """The spec ``chart`` is drawn from on a slide: the report's, with its text enlarged
    (``GUIDE_TEXT``, ``MARK_TEXT``) and its legends wrapped (``LEGEND_COLUMNS``); below the
    chart as on the page, or at its ``legends="right"`` (a chart about as tall as wide,
    which a 16:9 slide shows larger so)."""
    spec = enlarged(chart_spec(chart), GUIDE_TEXT, MARK_TEXT)
    legend = spec["config"]["legend"]
    if legends == "right":
        legend["orient"] = "right"
    else:
        legend.setdefault("columns", LEGEND_COLUMNS)
    legend.setdefault("layout", {legend.get("orient", "bottom"): {
        "direction": "vertical", "anchor": "start"}})
    return spec


def chart_image(chart: alt.TopLevelMixin, legends: str = "bottom") -> ChartImage:
    """``chart`` drawn to PNG at ``SCALE``x for a slide (``slide_spec``), offline
    (vl-convert bundles Vega)."""
    import vl_convert
    from altair.utils._importers import vl_version_for_vl_convert

    spec = slide_spec(chart, legends)
    png = vl_convert.vegalite_to_png(spec, vl_version=vl_version_for_vl_convert(), scale=SCALE)
    # the PNG header holds the size: width and height as big-endian integers at 16 and 20
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return ChartImage(png, width // SCALE, height // SCALE, alt_text(spec))
