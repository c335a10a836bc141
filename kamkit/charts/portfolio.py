"""The portfolio matrix: every account placed by its attractiveness to us (up) and our
position in it (right), in four named quadrants, sized by revenue or wallet, with a line
from where it stood last quarter; each account's label placed beside its mark where it
overlaps no other label, mark or quadrant name."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from kamkit.charts import theme
from kamkit.charts.common import EUR_FORMAT, Chart, built, finish, nothing
from kamkit.labels import counted, t
from kamkit.portfolio.scores import QUADRANTS, quadrant

SCALE = (0.0, 100.0)
"""Both axes' range: scores 0-100."""

STATUS_COLOURS = {"key_account": theme.US, "prospect": theme.WARNING}

_CORNERS = {"invest": (75, 97), "develop": (25, 97), "maintain": (75, 3),
            "opportunistic": (25, 3)}
"""Where each quadrant's name sits: (position, attractiveness)."""

WIDTH, HEIGHT = 560, 460
"""The matrix's plot in pixels."""
AREAS = (40, 900)
"""The marks' areas in square pixels, from no revenue (or wallet) to the largest."""
LABEL_SIZE = 10
"""The accounts' labels in pixels."""
LABEL_ROOM = 1.3
"""How much larger than ``LABEL_SIZE`` a label's box is reckoned: a slide draws mark text
1.25 times as large (``kamkit.deck.images``)."""
CHAR_WIDTH = 0.7
"""A character's width in ems, generously: the labels are ids in capitals."""

Box = tuple[float, float, float, float]
"""left, top, right, bottom in pixels of the plot (top down)."""


def _overlap(a: Box, b: Box) -> float:
    return (max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
            * max(0.0, min(a[3], b[3]) - max(a[1], b[1])))


def label_places(data: pd.DataFrame, size_column: str = "size",
                 label_column: str = "account_id") -> pd.DataFrame:
    """Where each account's label goes: beside its mark (right, left, above, below or a
    corner), the first place, biggest marks first, that overlaps no label placed before,
    no other mark and no quadrant name, and stays inside the plot; else the place that
    overlaps least.

    Parameters
    ----------
    data
        One row per mark: ``position`` and ``attractiveness`` (0-100), ``size_column``
        (what the mark's area grows with) and ``label_column``.

    Returns
    -------
    DataFrame
        ``label_x`` and ``label_y`` in the axes' units: the label's top left corner, in
        ``data``'s order and index.
    """
    kx, ky = WIDTH / 100, HEIGHT / 100
    font = LABEL_SIZE * LABEL_ROOM
    largest = float(data[size_column].max()) if len(data) else 0.0
    low, high = AREAS
    radius = [math.sqrt((low + (high - low) * (float(v) / largest if largest > 0 else 0.0))
                        / math.pi) for v in data[size_column]]
    xs = [float(v) * kx for v in data["position"]]
    ys = [(100 - float(v)) * ky for v in data["attractiveness"]]
    marks: list[Box] = [(x - r, y - r, x + r, y + r) for x, y, r in zip(xs, ys, radius,
                                                                      strict=True)]
    name_width = font * 0.6 * 30  # the quadrants' names: about 30 characters, most small
    taken: list[Box] = [(x * kx - name_width / 2, (100 - y) * ky - font,
                         x * kx + name_width / 2, (100 - y) * ky + font)
                        for x, y in _CORNERS.values()]
    places: dict[int, tuple[float, float]] = {}
    order = sorted(range(len(data)), key=lambda i: -radius[i])
    for i in order:
        x, y, r = xs[i], ys[i], radius[i]
        w, h = CHAR_WIDTH * font * len(str(data[label_column].iloc[i])), font * 1.2
        best: tuple[float, float, float] | None = None
        for ring in (0.0, h):  # beside the mark, else a line further out
            d, e = r * 0.75 + 2 + ring, r + 3 + ring
            for left, top in ((x + e, y - h / 2), (x - e - w, y - h / 2),
                              (x - w / 2, y - e - h), (x - w / 2, y + e),
                              (x + d, y - d - h), (x + d, y + d), (x - d - w, y - d - h),
                              (x - d - w, y + d)):
                box = (left, top, left + w, top + h)
                outside = w * h - _overlap(box, (0, 0, WIDTH, HEIGHT))
                # a label on another mark would seem to name it: as bad as on a label
                cost = ring + 4 * (sum(_overlap(box, other) for other in taken)
                                   + sum(_overlap(box, mark) for j, mark in enumerate(marks)
                                         if j != i)) + 8 * outside
                if best is None or cost < best[0]:
                    best = (cost, left, top)
            if best is not None and best[0] <= ring:
                break
        assert best is not None
        _, left, top = best
        taken.append((left, top, left + w, top + h))
        places[i] = (left / kx, 100 - top / ky)
    return pd.DataFrame({"label_x": [places[i][0] for i in range(len(data))],
                         "label_y": [places[i][1] for i in range(len(data))]},
                        index=data.index)


def _description(data: pd.DataFrame, middle: float, size: str, language: str) -> str:
    """How many accounts the matrix places, and how many in each quadrant."""
    counts = pd.Series([quadrant(a, p, middle) for a, p in zip(
        data["attractiveness"], data["position"], strict=True)]).value_counts()
    return t("chart.desc.portfolio", language, accounts=counted("accounts", len(data), language),
             size=t(f"size.{size}", language), quadrants=", ".join(
        f"{t(f'quadrant.short.{q}', language)} {int(counts[q])}" for q in QUADRANTS
        if q in counts))


def _quadrants(middle: float, language: str) -> alt.Chart:
    low, high = SCALE
    boxes = pd.DataFrame([
        {"x": middle, "x2": high, "y": middle, "y2": high, "fill": "#e3efe3"},
        {"x": low, "x2": middle, "y": middle, "y2": high, "fill": "#fdf0d9"},
        {"x": middle, "x2": high, "y": low, "y2": middle, "fill": "#e6eef8"},
        {"x": low, "x2": middle, "y": low, "y2": middle, "fill": "#f1f1f1"}])
    rects = alt.Chart(boxes).mark_rect(opacity=0.7).encode(
        x=alt.X("x:Q"), x2=alt.X2("x2"), y=alt.Y("y:Q"), y2=alt.Y2("y2"),
        color=alt.Color("fill:N", scale=None))
    names = pd.DataFrame([{"x": x, "y": y, "text": t(f"quadrant.{key}", language)}
                          for key, (x, y) in _CORNERS.items()])
    text = alt.Chart(names).mark_text(fontSize=11, fontWeight="bold", color="#555").encode(
        x=alt.X("x:Q"), y=alt.Y("y:Q"), text=alt.Text("text:N"))
    return rects + text


@built
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
                x=alt.X("position_before:Q"), y=alt.Y("attractiveness_before:Q"),
                x2=alt.X2("position"), y2=alt.Y2("attractiveness")))
            layers.append(alt.Chart(moved).mark_point(shape="circle", size=18, color="#888",
                                                      filled=False).encode(
                x=alt.X("position_before:Q"), y=alt.Y("attractiveness_before:Q")))
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
    placed = data.join(label_places(data))
    labels = alt.Chart(placed).mark_text(align="left", baseline="top", fontSize=LABEL_SIZE,
                                         color=theme.DARK_TEXT).encode(
        x=alt.X("label_x:Q", scale=alt.Scale(domain=list(SCALE))),
        y=alt.Y("label_y:Q", scale=alt.Scale(domain=list(SCALE))), text=alt.Text("account_id:N"))
    chart = alt.layer(*layers, points, labels).properties(width=WIDTH, height=HEIGHT)
    return finish(chart, language, t("chart.portfolio.title", language),
                  _description(data, middle, size, language))
