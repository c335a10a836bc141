"""Small multiples: one small chart per service or location, at most three a row."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kamkit.charts import theme
from kamkit.charts.common import Chart
from kamkit.errors import KamkitError
from kamkit.labels import t

__all__ = ["facet_names", "facet_title_key", "facet_width", "faceted"]

_COLUMNS = 3


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


def facet_width(count: int) -> int:
    """The width of one of ``count`` small multiples, at most three a row."""
    return max(120, theme.WIDTH // min(count, _COLUMNS) - 30)


def faceted(layers: list[alt.Chart], data: pd.DataFrame, facet: str, order: list[str],
            language: str) -> Chart:
    """Small multiples of ``layers`` drawn over ``data``, one per value of its
    ``facet_label`` column, in ``order``."""
    # sized as it is made, the data given to ``facet``: a layered chart's copy (by
    # ``properties``, or by ``facet`` moving its data) combines its layers again
    sized = alt.LayerChart(layer=layers, width=facet_width(len(order)),
                           height=int(theme.HEIGHT * 0.7))
    return sized.facet(
        data=data,
        facet=alt.Facet("facet_label:N", sort=order, title=t(facet_title_key(facet), language),
                        header=alt.Header(labelFontSize=12, titleFontSize=12)),
        columns=min(len(order), _COLUMNS))
