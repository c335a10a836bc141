"""The portfolio matrix: every account placed by its attractiveness to us (up) and our
position in it (right), in four named quadrants, sized by revenue or wallet, with a line
from where it stood last quarter."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kamkit.charts import theme
from kamkit.charts.common import EUR_FORMAT, Chart, finish, nothing
from kamkit.labels import t

SCALE = (0.0, 100.0)
"""Both axes' range: scores 0-100."""

STATUS_COLOURS = {"key_account": theme.US, "prospect": theme.WARNING}

_CORNERS = {"invest": (75, 97), "develop": (25, 97), "maintain": (75, 3),
            "opportunistic": (25, 3)}
"""Where each quadrant's name sits: (position, attractiveness)."""


def _quadrants(middle: float, language: str) -> alt.Chart:
    low, high = SCALE
    boxes = pd.DataFrame([
        {"x": middle, "x2": high, "y": middle, "y2": high, "fill": "#e3efe3"},
        {"x": low, "x2": middle, "y": middle, "y2": high, "fill": "#fdf0d9"},
        {"x": middle, "x2": high, "y": low, "y2": middle, "fill": "#e6eef8"},
        {"x": low, "x2": middle, "y": low, "y2": middle, "fill": "#f1f1f1"}])
    rects = alt.Chart(boxes).mark_rect(opacity=0.7).encode(
        x=alt.X("x:Q"), x2="x2", y=alt.Y("y:Q"), y2="y2",
        color=alt.Color("fill:N", scale=None))
    names = pd.DataFrame([{"x": x, "y": y, "text": t(f"quadrant.{key}", language)}
                          for key, (x, y) in _CORNERS.items()])
    text = alt.Chart(names).mark_text(fontSize=11, fontWeight="bold", color="#555").encode(
        x="x:Q", y="y:Q", text="text:N")
    return rects + text


def portfolio_matrix_chart(placements: pd.DataFrame, language: str, size: str = "revenue",
                           middle: float = 50.0) -> Chart | None:
    """The matrix of ``placements``.

    Parameters
    ----------
    placements
        One row per account: ``account_id``, ``name``, ``status``, ``attractiveness`` and
        ``position`` (0-100), ``revenue``, ``wallet``, and optionally
        ``attractiveness_before`` and ``position_before`` (last quarter's placement).
    size
        "revenue" (our revenue of the last full year) or "wallet" (the account's spend).
    """
    if nothing(placements, "attractiveness"):
        return None
    size_column = "wallet" if size == "wallet" else "revenue"
    data = placements.dropna(subset=["attractiveness", "position"]).assign(
        status_name=lambda f: [t(f"status.{s}", language) for s in f["status"]],
        size=lambda f: f[size_column].fillna(0.0))
    x = alt.X("position:Q", scale=alt.Scale(domain=list(SCALE)),
              title=t("chart.portfolio.position", language))
    y = alt.Y("attractiveness:Q", scale=alt.Scale(domain=list(SCALE)),
              title=t("chart.portfolio.attractiveness", language))
    layers: list[alt.Chart] = [_quadrants(middle, language)]
    if {"attractiveness_before", "position_before"} <= set(data.columns):
        moved = data.dropna(subset=["attractiveness_before", "position_before"])
        if not moved.empty:
            layers.append(alt.Chart(moved).mark_rule(color="#888", strokeDash=[3, 2]).encode(
                x="position_before:Q", y="attractiveness_before:Q", x2="position",
                y2="attractiveness"))
            layers.append(alt.Chart(moved).mark_point(shape="circle", size=18, color="#888",
                                                      filled=False).encode(
                x="position_before:Q", y="attractiveness_before:Q"))
    statuses = [s for s in STATUS_COLOURS if s in set(data["status"])]
    points = alt.Chart(data).mark_circle(opacity=0.85, stroke="white", strokeWidth=1).encode(
        x=x, y=y,
        size=alt.Size("size:Q", title=t(f"chart.portfolio.size.{size}", language),
                      scale=alt.Scale(range=[40, 900]), legend=alt.Legend(format=EUR_FORMAT)),
        color=alt.Color("status_name:N", title=t("word.status", language),
                        scale=alt.Scale(domain=[t(f"status.{s}", language) for s in statuses],
                                        range=[STATUS_COLOURS[s] for s in statuses])),
        tooltip=[alt.Tooltip("name:N", title=t("batch.col.account", language)),
                 alt.Tooltip("attractiveness:Q", format=".0f",
                             title=t("chart.portfolio.attractiveness", language)),
                 alt.Tooltip("position:Q", format=".0f",
                             title=t("chart.portfolio.position", language)),
                 alt.Tooltip("size:Q", format=EUR_FORMAT,
                             title=t(f"chart.portfolio.size.{size}", language))])
    labels = alt.Chart(data).mark_text(align="left", dx=8, dy=-6, fontSize=10,
                                       color=theme.DARK_TEXT).encode(x=x, y=y,
                                                                     text="account_id:N")
    chart = alt.layer(*layers, points, labels).properties(
        width=560, height=460, title=t("chart.portfolio.title", language))
    return finish(chart, language)
