"""One look for every chart: the palette (the same colour for "us" and for each competitor
everywhere, see ``kamkit.charts.colours``), fonts and sizes."""

from __future__ import annotations

from typing import Any, Final

US = "#1b4f8a"
IN_HOUSE = "#7f7f7f"
UNKNOWN = "#c9c9c9"
MARGIN = "#5b9a68"
ALERT = "#c0392b"
WARNING = "#e08a00"
TARGET = "#555555"
SCORE = "#444444"  # the customer's satisfaction score: the customer's, not ours, so not blue
DARK_TEXT = "#222222"  # text on light marks, and the page's text
MUTED = "#5f6368"  # secondary text: 6:1 on white (WCAG AA asks 4.5:1)
RULE = "#dddddd"  # table rules
PANEL = "#f3f7fb"  # the findings box
HEAD = "#f7f9fc"  # table heads and the contents box of a page
NOTE = "#fff8e6"  # the "not available yet" box
HOVER = "#eef4fb"  # a sortable table's row or heading under the pointer
SELECTED = "#dbe8f7"  # the picked row of a sortable table
BOX_RULE = "#ccd"  # the SWOT's and the confrontation's boxes
CARD_RULE = "#d5dde8"  # key-figure tiles and the summary's box
TREE_RULE = "#aab"  # the organisation tree's dotted line
TAG = "#eef"  # a contact's role tags in the organisation tree
POINT_TEXT = "#333"  # a SWOT point
WARNING_TEXT = "#b26a00"  # a warning in the workbench's editor (errors are ALERT)
ON_TRACK_TEXT = "#2e7d32"  # status words as text: darker than the chart colours for contrast
AT_RISK_TEXT = "#8a5300"
# Plan monitoring: a forecast's status, and an action's status (overdue is ALERT).
STATUS_COLOURS = {"on_track": MARGIN, "at_risk": WARNING, "off_track": ALERT}
# Colours mean one thing in a report: the blue of "us" is never a status, a service or a level.
ACTION_COLOURS = {"open": "#6a51a3", "in_progress": "#a39bd0", "done": MARGIN,
                  "cancelled": UNKNOWN}
# Services (A5): muted earth and plum tones, apart from the blue of us and the bright
# competitor colours of A7.
SERVICE_COLOURS = ("#8c6d31", "#bd9e39", "#637939", "#b5cf6b", "#843c39", "#d6616b",
                   "#7b4173", "#ce6dbd", "#8c8c5a", "#e7ba52")
STRENGTH_SCHEME: Final = "purples"  # relationship strength 1-5 (A8)
# Colour-blind-safe hues (Okabe-Ito without the blue kept for us), given to competitors in
# the order of competitors.csv so a competitor has one colour across accounts and reports.
COMPETITOR_COLOURS = ("#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#f0e442",
                      "#8c564b", "#17becf")
LEVEL_COLOURS = {"strategic": "#1b4f8a", "tactical": "#5c8fc7", "operational": "#a9c6e8"}
PAGE = {"accent": US, "text": DARK_TEXT, "muted": MUTED, "line": "#dde3ec", "rule": RULE,
        "panel": PANEL, "head": HEAD, "alert": ALERT, "hover": HOVER, "selected": SELECTED}
"""The colours a report page uses (``kamkit.report.html.stylesheet`` makes them CSS custom
properties ``--kk-<name>``): the accent is the blue of "us" on the charts."""
FONT = "Helvetica, Arial, sans-serif"
WIDTH = 560
HEIGHT = 260


LABEL_SIZE = 11
"""Axis and legend labels, in chart pixels: the smallest text of a chart's guides."""
GUIDE_TITLE_SIZE = 12
LEGEND_LABEL_LIMIT = WIDTH
"""A legend label's room in pixels: the chart's width, so a label is shown whole ("2024: 10
maanden met omzet, lichter getekend"; Vega's own 160 pixels cut it)."""
CHART_TITLE_SIZE = 14


def config() -> dict[str, Any]:
    """The kamkit look as Vega-Lite config (a new dict each call): fonts, no chart border,
    readable axes. ``kamkit.charts.common.finish`` adds the language's locale."""
    return {"font": FONT, "view": {"stroke": None},
            "axis": {"labelFontSize": LABEL_SIZE, "titleFontSize": GUIDE_TITLE_SIZE,
                     "grid": True, "gridColor": "#eeeeee"},
            "legend": {"labelFontSize": LABEL_SIZE, "titleFontSize": GUIDE_TITLE_SIZE,
                       "orient": "bottom", "labelLimit": LEGEND_LABEL_LIMIT,
                       "titleLimit": LEGEND_LABEL_LIMIT},
            "title": {"fontSize": CHART_TITLE_SIZE, "anchor": "start"}}


_VEGA_DEFAULTS: dict[str, dict[str, float]] = {
    "header": {"labelFontSize": 10, "titleFontSize": 11},
    "axis": {"labelLimit": 180},
    "legend": {"labelLimit": 240, "titleLimit": 180, "symbolSize": 100},
    "text": {"fontSize": 11},
}
"""Vega-Lite's own sizes where ``config`` sets none, enlarged like the rest (a legend's
labels have ``LEGEND_LABEL_LIMIT`` from ``config``; 240 for a chart without it)."""

_GUIDE_KEYS = ("labelFontSize", "titleFontSize", "subtitleFontSize", "labelLimit",
               "titleLimit")


def enlarged(spec: dict[str, Any], guides: float, marks: float) -> dict[str, Any]:
    """A chart's spec (``chart.to_dict()``) with its text enlarged: the text of axes,
    legends, facet headers and titles ``guides`` times (label widths alike, legend symbols
    in proportion), text drawn as marks (values on bars, names in cells) ``marks`` times,
    less because it has to fit the marks it labels. The chart keeps its size, so its text
    takes a larger part of it: for a chart shown smaller than on a page, such as on a
    projected slide."""
    def walk(node: object, in_mark: bool) -> object:
        if isinstance(node, list):
            return [walk(item, in_mark) for item in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in ("data", "datasets", "values"):
                out[key] = value  # the figures, not the look
            elif isinstance(value, int | float) and not isinstance(value, bool):
                if key in _GUIDE_KEYS or (key == "fontSize" and not in_mark):
                    out[key] = value * guides
                elif key == "fontSize":
                    out[key] = value * marks
                elif key == "symbolSize":
                    out[key] = value * guides ** 2  # an area
                else:
                    out[key] = value
            else:
                out[key] = walk(value, in_mark or key in ("mark", "text"))
        return out

    config = spec.get("config", {})
    defaults = {part: {**sizes, **config.get(part, {})}
                for part, sizes in _VEGA_DEFAULTS.items()}
    result = walk({**spec, "config": {**config, **defaults}}, False)
    assert isinstance(result, dict)
    return result

# Whitespace cells (the report's chart, the workbench grid): the colour says what room there is
# to sell; "no spend" and "no estimate" are light neutrals beside the holder colours.
ROOM_COLOURS = {"cross selling": "#f6d7a7", "deep selling": "#cfe3f5", "held": "#d8ecd9",
                "no spend": "#e4e4dc", "no estimate": "#f3f3f3"}
