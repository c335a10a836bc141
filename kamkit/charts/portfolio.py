"""The portfolio matrix: every account placed by its attractiveness to us (up) and our
position in it (right), in four named quadrants, sized by revenue or wallet, with a line
from where it stood last quarter; marks on nearly one spot drawn a little apart (never so far
that a mark stops covering its own place), smaller marks over larger ones; each account's
label placed beside its mark where it overlaps no other label, mark or quadrant name and lies
nearer its own mark than any other, else further out with a leader line."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from kamkit.charts import theme
from kamkit.charts.common import AMOUNT_FORMAT, Chart, built, finish, nothing
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


def radii(sizes: pd.Series) -> list[float]:
    """The marks' radii in pixels: their areas run over ``AREAS`` with ``sizes``, from 0 to
    the largest (every mark the smallest when none is above 0)."""
    largest = float(sizes.max()) if len(sizes) else 0.0
    low, high = AREAS
    return [math.sqrt((low + (high - low) * (float(v) / largest if largest > 0 else 0.0))
                      / math.pi) for v in sizes]


SPREAD = 0.75
"""How far a mark may be drawn from its place, as a share of its radius: marks on nearly one
spot are pushed apart so each shows, and each still covers the point it stands for."""
APART = 1.0
"""How much further apart than the larger radius two marks' centres are drawn (pixels): then
neither centre lies under the other mark, and the smaller mark (drawn on top) shows whole."""
_ROUNDS = 40
_TURN = math.pi * (3 - math.sqrt(5))
"""The golden angle: marks on exactly one spot are pushed apart in directions that differ."""


def drawn_places(data: pd.DataFrame, size_column: str = "size",
                 middle: float = 50.0) -> pd.DataFrame:
    """Where each mark is drawn: at its place, except where marks lie so close that one
    would hide another (centres nearer than the larger radius plus ``APART``); those are
    pushed apart along the line between them, each at most ``SPREAD`` of its own radius,
    never out of the plot nor over ``middle`` into another quadrant, so the drawn mark
    still covers its exact place (which the tooltip and the table give) in its own
    quadrant. The same data always give the same places.

    Parameters
    ----------
    data
        One row per mark: ``position`` and ``attractiveness`` (0-100) and ``size_column``.
    middle
        Where the axes turn from low to high (a score equal to it is high).

    Returns
    -------
    DataFrame
        In ``data``'s order and index: ``drawn_position`` and ``drawn_attractiveness`` in
        the axes' units.
    """
    kx, ky = WIDTH / 100, HEIGHT / 100
    radius = np.array(radii(data[size_column]), dtype=float)
    home = np.column_stack([data["position"].to_numpy(dtype=float) * kx,
                            (100 - data["attractiveness"].to_numpy(dtype=float)) * ky])
    at = home.copy()
    # each mark stays in its quadrant: between the plot's edge and the middle lines
    mx, my = middle * kx, (100 - middle) * ky
    high_x, high_y = home[:, 0] >= mx, home[:, 1] <= my
    low_edge = np.column_stack([np.where(high_x, mx, 0.0), np.where(high_y, 0.0, my)])
    high_edge = np.column_stack([np.where(high_x, WIDTH, mx), np.where(high_y, my, HEIGHT)])
    need = np.maximum.outer(radius, radius) + APART
    reach = SPREAD * radius
    for _ in range(_ROUNDS):
        distance = np.hypot(*(at[:, None, :] - at[None, :, :]).transpose(2, 0, 1))
        close = np.argwhere(np.triu(distance < need - 1e-6, k=1))
        if not len(close):
            break
        before = at.copy()
        for i, j in close:  # one pair at a time, each seeing the last one's move
            step = at[j] - at[i]
            length = math.hypot(*step)
            if length < 1e-6:  # on one spot: a direction of their own
                step, length = np.array([math.cos(_TURN * j), math.sin(_TURN * j)]), 1.0
            push = (need[i, j] - length) / 2 * step / length
            for k, move in ((i, -push), (j, push)):
                shift = at[k] + move - home[k]
                far = math.hypot(*shift)
                if far > reach[k]:
                    shift = shift * (reach[k] / far)
                at[k] = np.clip(home[k] + shift, low_edge[k], high_edge[k])
        if np.allclose(at, before):  # as far apart as their reach allows
            break
    return pd.DataFrame({"drawn_position": at[:, 0] / kx,
                         "drawn_attractiveness": 100 - at[:, 1] / ky}, index=data.index)


def _overlap(a: Box, b: Box) -> float:
    return (max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
            * max(0.0, min(a[3], b[3]) - max(a[1], b[1])))


def _nearest(box: Box, x: float, y: float) -> tuple[float, float]:
    """The point of ``box`` nearest to (x, y)."""
    return min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])


def _gap(box: Box, x: float, y: float, r: float) -> float:
    """How far ``box`` lies from the edge of the mark of radius ``r`` at (x, y)."""
    nx, ny = _nearest(box, x, y)
    return math.hypot(nx - x, ny - y) - r


SAME_SPOT = 3.0
"""Marks whose centres lie closer than this (pixels) share one label ("ATLAS, LUMEN"):
two labels could never say which of two marks on one spot is which."""
AMBIGUOUS = 50.0
"""What a label nearer another mark than its own costs, in pixels of distance: more than
moving it a line further out with a leader line to its mark."""


def label_places(data: pd.DataFrame, size_column: str = "size",
                 label_column: str = "account_id") -> pd.DataFrame:
    """Where each account's label goes: beside its mark (right, left, above, below or a
    corner), the first place, biggest marks first, that overlaps no label placed before,
    no other mark and no quadrant name, stays inside the plot and lies nearer its own mark
    than any other; else a line or two further out, with a leader line to its mark; else
    the place that costs least. Marks on one spot (``SAME_SPOT``) share one label.

    Parameters
    ----------
    data
        One row per mark: ``position`` and ``attractiveness`` (0-100), ``size_column``
        (what the mark's area grows with) and ``label_column``.

    Returns
    -------
    DataFrame
        In ``data``'s order and index: ``label`` (the text; empty for a mark another's
        label names), ``label_x`` and ``label_y`` in the axes' units (the label's top left
        corner), and ``leader_x``, ``leader_y``, ``leader_x2``, ``leader_y2`` (from the
        mark's edge to the label; NaN where the label sits beside its mark).
    """
    kx, ky = WIDTH / 100, HEIGHT / 100
    font = LABEL_SIZE * LABEL_ROOM
    radius = radii(data[size_column])
    xs = [float(v) * kx for v in data["position"]]
    ys = [(100 - float(v)) * ky for v in data["attractiveness"]]
    marks: list[Box] = [(x - r, y - r, x + r, y + r) for x, y, r in zip(xs, ys, radius,
                                                                      strict=True)]
    name_width = font * 0.6 * 30  # the quadrants' names: about 30 characters, most small
    taken: list[Box] = [(x * kx - name_width / 2, (100 - y) * ky - font,
                         x * kx + name_width / 2, (100 - y) * ky + font)
                        for x, y in _CORNERS.values()]
    order = sorted(range(len(data)), key=lambda i: -radius[i])
    # marks on one spot: the biggest names them all, the others get no label of their own
    group: dict[int, list[int]] = {}
    for i in order:
        owner = next((j for j in group if math.hypot(xs[i] - xs[j], ys[i] - ys[j])
                      < SAME_SPOT), None)
        if owner is None:
            group[i] = [i]
        else:
            group[owner].append(i)
    texts = [""] * len(data)
    nan = math.nan
    out = {i: (nan, nan, nan, nan, nan, nan) for i in range(len(data))}
    for i, members in group.items():
        x, y, r = xs[i], ys[i], max(radius[j] for j in members)
        texts[i] = ", ".join(str(data[label_column].iloc[j]) for j in sorted(members))
        w, h = CHAR_WIDTH * font * len(texts[i]), font * 1.2
        best: tuple[float, float, float, bool] | None = None
        for ring in (0.0, h, 2 * h):  # beside the mark, else further out with a leader
            d, e = r * 0.75 + 2 + ring, r + 3 + ring
            for left, top in ((x + e, y - h / 2), (x - e - w, y - h / 2),
                              (x - w / 2, y - e - h), (x - w / 2, y + e),
                              (x + d, y - d - h), (x + d, y + d), (x - d - w, y - d - h),
                              (x - d - w, y + d)):
                box = (left, top, left + w, top + h)
                outside = w * h - _overlap(box, (0, 0, WIDTH, HEIGHT))
                own = _gap(box, x, y, r)
                # a label nearer another mark than its own would seem to name that one
                ambiguous = any(_gap(box, xs[j], ys[j], radius[j]) < own
                                for j in range(len(data)) if j not in members)
                # a label on another mark would seem to name it: as bad as on a label
                cost = ring + AMBIGUOUS * ambiguous + 4 * (
                    sum(_overlap(box, other) for other in taken)
                    + sum(_overlap(box, mark) for j, mark in enumerate(marks)
                          if j not in members)) + 8 * outside
                if best is None or cost < best[0]:
                    best = (cost, left, top, ring > 0 or ambiguous)
            if best is not None and best[0] <= ring:
                break
        assert best is not None
        _, left, top, leader = best
        box = (left, top, left + w, top + h)
        taken.append(box)
        line = (nan, nan, nan, nan)
        if leader:  # from the mark's edge to the nearest point of its label
            nx, ny = _nearest(box, x, y)
            length = math.hypot(nx - x, ny - y) or 1.0
            sx, sy = x + (nx - x) * r / length, y + (ny - y) * r / length
            line = (sx / kx, 100 - sy / ky, nx / kx, 100 - ny / ky)
        out[i] = (left / kx, 100 - top / ky, *line)
    columns = ("label_x", "label_y", "leader_x", "leader_y", "leader_x2", "leader_y2")
    return pd.DataFrame({"label": texts,
                         **{c: [out[i][k] for i in range(len(data))]
                            for k, c in enumerate(columns)}}, index=data.index)


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
    # larger marks first, so a smaller one is drawn over a larger and never under it
    data = data.sort_values("size", ascending=False, kind="stable")
    data = data.join(drawn_places(data, middle=middle))
    x = alt.X("drawn_position:Q", scale=alt.Scale(domain=list(SCALE)),
              title=t("chart.portfolio.position", language))
    y = alt.Y("drawn_attractiveness:Q", scale=alt.Scale(domain=list(SCALE)),
              title=t("chart.portfolio.attractiveness", language))
    layers: list[alt.Chart] = [_quadrants(middle, language)]
    if {"attractiveness_before", "position_before"} <= set(data.columns):
        moved = data.dropna(subset=["attractiveness_before", "position_before"])
        if not moved.empty:
            layers.append(alt.Chart(moved).mark_rule(color="#888", strokeDash=[3, 2]).encode(
                x=alt.X("position_before:Q"), y=alt.Y("attractiveness_before:Q"),
                x2=alt.X2("drawn_position"), y2=alt.Y2("drawn_attractiveness")))
            layers.append(alt.Chart(moved).mark_point(shape="circle", size=18, color="#888",
                                                      filled=False).encode(
                x=alt.X("position_before:Q"), y=alt.Y("attractiveness_before:Q")))
    statuses = [s for s in STATUS_COLOURS if s in set(data["status"])]
    points = alt.Chart(data).mark_circle(opacity=0.85, stroke="white", strokeWidth=1).encode(
        x=x, y=y,
        size=alt.Size("size:Q", title=t(f"chart.portfolio.size.{size}", language),
                      scale=alt.Scale(range=[40, 900]), legend=alt.Legend(format=AMOUNT_FORMAT)),
        color=alt.Color("status_name:N", title=t("word.status", language),
                        scale=alt.Scale(domain=[t(f"status.{s}", language) for s in statuses],
                                        range=[STATUS_COLOURS[s] for s in statuses])),
        tooltip=[alt.Tooltip("name:N", title=t("batch.col.account", language)),
                 alt.Tooltip("attractiveness:Q", format=".0f",
                             title=t("chart.portfolio.attractiveness", language)),
                 alt.Tooltip("position:Q", format=".0f",
                             title=t("chart.portfolio.position", language)),
                 alt.Tooltip("size:Q", format=AMOUNT_FORMAT,
                             title=t(f"chart.portfolio.size.{size}", language))])
    placed = data.join(label_places(data.assign(position=data["drawn_position"],
                                                attractiveness=data["drawn_attractiveness"])))
    named = placed[(placed["label"] != "").to_numpy()]
    labels = alt.Chart(named).mark_text(align="left", baseline="top", fontSize=LABEL_SIZE,
                                        color=theme.DARK_TEXT).encode(
        x=alt.X("label_x:Q", scale=alt.Scale(domain=list(SCALE))),
        y=alt.Y("label_y:Q", scale=alt.Scale(domain=list(SCALE))), text=alt.Text("label:N"))
    led = named.dropna(subset=["leader_x"])
    if not led.empty:  # a label away from its mark: a thin line says whose it is
        layers.append(alt.Chart(led).mark_rule(color=theme.MUTED, strokeWidth=0.8).encode(
            x=alt.X("leader_x:Q", scale=alt.Scale(domain=list(SCALE))),
            x2=alt.X2("leader_x2"),
            y=alt.Y("leader_y:Q", scale=alt.Scale(domain=list(SCALE))),
            y2=alt.Y2("leader_y2")))
    chart = alt.layer(*layers, points, labels).properties(width=WIDTH, height=HEIGHT)
    return finish(chart, language, t("chart.portfolio.title", language),
                  _description(data, middle, size, language))
