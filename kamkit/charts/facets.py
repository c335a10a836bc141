"""Small multiples: one small chart per service or location, as many a row as fit the
width of one chart, so that their text prints at the size of the other charts' text."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from kamkit.charts import theme
from kamkit.charts.common import Chart
from kamkit.errors import KamkitError
from kamkit.labels import t

__all__ = ["facet_columns", "facet_height", "facet_names", "facet_title_key", "facet_width",
           "faceted", "legend_columns"]

_COLUMNS = 3  # panels a row at most: five year labels (11 px) need about 150 px
_SPACING = 20  # Vega-Lite's space between panels, in pixels
_Y_AXIS_PX = 60  # the first panel's y axis (labels and title) left of its plot
_ROW_HEIGHTS = {1: 0.7, 2: 0.6}  # a panel's height in theme.HEIGHT by rows (more: 0.5)
_SYMBOL_PX = 26  # a legend entry's symbol and gaps, besides its label
_CHAR_PX = 0.62  # an average legend character, in font sizes


def facet_names(frame: pd.DataFrame, facet: str,
                names: pd.DataFrame | None) -> tuple[list[str], list[str]]:
    """The facet column's ids as names (from a services or locations table when given), and
    the order of the small multiples (the table's order, else as in the frame)."""
    if names is None:
        labels_ = [str(v) for v in frame[facet]]
        return labels_, list(dict.fromkeys(labels_))
    lookup = dict(zip(names[facet], names["name"], strict=True))
    labels_ = [str(lookup.get(v, v)) for v in frame[facet]]
    present = set(labels_)
    order = [str(n) for n in names["name"] if str(n) in present]
    return labels_, order + [n for n in dict.fromkeys(labels_) if n not in order]


def facet_title_key(facet: str) -> str:
    """The label key naming ``facet`` ("word.service"); a clear error for other columns."""
    if facet not in ("service", "location"):
        raise KamkitError(f"Cannot draw small multiples by {facet!r}: use 'service' or "
                          "'location' (and compute the frame with by=('year', facet)).")
    return f"word.{facet}"


def facet_columns(count: int) -> int:
    """How many of ``count`` small multiples go in a row: all up to ``_COLUMNS``, else rows
    of about the same length (4 as 2 + 2, 7 as 3 + 3 + 1)."""
    rows = math.ceil(count / _COLUMNS)
    return math.ceil(count / rows)


def facet_width(count: int) -> int:
    """The width of one of ``count`` small multiples: their row as wide as one chart
    (``theme.WIDTH`` and its y axis), so that the faceted chart prints at the scale of the
    others."""
    columns = facet_columns(count)
    return (theme.WIDTH - (columns - 1) * _SPACING) // columns


def facet_height(count: int) -> int:
    """The height of one of ``count`` small multiples: lower as there are more rows."""
    rows = math.ceil(count / facet_columns(count))
    return int(theme.HEIGHT * _ROW_HEIGHTS.get(rows, 0.5))


def legend_columns(labels: list[str]) -> int:
    """How many legend entries fit in a row of one chart's width (with its y axis)."""
    widest = max((len(label) for label in labels), default=1)
    entry = _SYMBOL_PX + widest * theme.LABEL_SIZE * _CHAR_PX
    return max(1, int((theme.WIDTH + _Y_AXIS_PX) // entry))


def faceted(layers: list[alt.Chart], data: pd.DataFrame, facet: str, order: list[str],
            language: str) -> Chart:
    """Small multiples of ``layers`` drawn over ``data``, one per value of its
    ``facet_label`` column, in ``order``."""
    # sized as it is made, the data given to ``facet``: a layered chart's copy (by
    # ``properties``, or by ``facet`` moving its data) combines its layers again
    sized = alt.LayerChart(layer=layers, width=facet_width(len(order)),
                           height=facet_height(len(order)))
    return sized.facet(
        data=data,
        facet=alt.Facet("facet_label:N", sort=order, title=t(facet_title_key(facet), language),
                        header=alt.Header(labelFontSize=12, titleFontSize=12)),
        columns=facet_columns(len(order)), spacing=_SPACING)
