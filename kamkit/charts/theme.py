"""One look for every chart: the palette (the same colour for "us" and for each competitor
everywhere, see ``kamkit.charts.colours``), fonts and sizes."""

from __future__ import annotations

import altair as alt

US = "#1b4f8a"
IN_HOUSE = "#7f7f7f"
UNKNOWN = "#c9c9c9"
MARGIN = "#5b9a68"
ALERT = "#c0392b"
WARNING = "#e08a00"
TARGET = "#555555"
DARK_TEXT = "#222222"  # text on light marks
# Plan monitoring: a forecast's status, and an action's status (overdue is ALERT).
STATUS_COLOURS = {"on_track": MARGIN, "at_risk": WARNING, "off_track": ALERT}
ACTION_COLOURS = {"open": US, "in_progress": "#5c8fc7", "done": MARGIN, "cancelled": UNKNOWN}
# Colour-blind-safe hues (Okabe-Ito without the blue kept for us), given to competitors in
# the order of competitors.csv so a competitor has one colour across accounts and reports.
COMPETITOR_COLOURS = ("#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#f0e442",
                      "#8c564b", "#17becf")
LEVEL_COLOURS = {"strategic": "#1b4f8a", "tactical": "#5c8fc7", "operational": "#a9c6e8"}
FONT = "Helvetica, Arial, sans-serif"
WIDTH = 560
HEIGHT = 260


def styled(chart: alt.TopLevelMixin, title: str | None = None) -> alt.TopLevelMixin:
    """The kamkit look: fonts, no chart border, readable axes."""
    if title:
        chart = chart.properties(title=title)
    return (chart.configure(font=FONT)
            .configure_view(stroke=None)
            .configure_axis(labelFontSize=11, titleFontSize=12, grid=True, gridColor="#eeeeee")
            .configure_legend(labelFontSize=11, titleFontSize=12, orient="bottom")
            .configure_title(fontSize=14, anchor="start"))

# Whitespace cells (the report's chart, the workbench grid): the colour says what room there is
# to sell; "no spend" and "no estimate" are light neutrals beside the holder colours.
ROOM_COLOURS = {"cross selling": "#f6d7a7", "deep selling": "#cfe3f5", "held": "#d8ecd9",
                "no spend": "#e4e4dc", "no estimate": "#f3f3f3"}
