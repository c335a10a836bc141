"""Holder colours: who holds the account's spend gets one colour on every chart and account.

The colour domain is built from the whole workbook's competitors table, not from the
holders present: us first, every competitor in workbook order (``theme.COMPETITOR_COLOURS``
in turn), then in-house and unknown. Holders are named as readers see them
(``labels.holder_label``: us, in-house and unknown translated, competitors by name).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import altair as alt
import pandas as pd

from kamkit.charts import theme
from kamkit.labels import holder_label, t

__all__ = ["holder_colour", "holder_names", "holder_rank", "holder_scale"]

_LEGEND_STROKE = "#bbbbbb"  # outlines the light swatches (unknown, no estimate)


def holder_names(frame: pd.DataFrame, language: str) -> list[str]:
    """Holders (``holder``) as readers see them; competitors by ``holder_name``."""
    return [holder_label(holder, name, language)
            for holder, name in zip(frame["holder"], frame["holder_name"], strict=True)]


def holder_scale(competitors: pd.DataFrame, language: str,
                 extra: Sequence[tuple[str, str]] = ()) -> alt.Scale:
    """The colour scale over holder names: us, every competitor of the workbook in its
    order, in-house, unknown, then the (name, colour) pairs of ``extra``."""
    domain = _domain(competitors, language, extra)
    colours = [theme.US, *(theme.COMPETITOR_COLOURS[i % len(theme.COMPETITOR_COLOURS)]
                           for i in range(len(competitors))), theme.IN_HOUSE, theme.UNKNOWN,
               *(colour for _, colour in extra)]
    return alt.Scale(domain=domain, range=colours)


def _domain(competitors: pd.DataFrame, language: str,
            extra: Sequence[tuple[str, str]] = ()) -> list[str]:
    """The holder names of ``holder_scale``'s domain, in its order."""
    return [t("word.us", language), *(str(n) for n in competitors["name"]),
            t("word.in_house", language), t("word.unknown", language),
            *(name for name, _ in extra)]


def holder_colour(field: str, present: Iterable[str], competitors: pd.DataFrame,
                  language: str, title_key: str | None = "word.holder",
                  extra: Sequence[tuple[str, str]] = (),
                  columns: Callable[[list[str]], int] | None = None) -> alt.Color:
    """The colour encoding of holders: fixed colours for us and every competitor of the
    workbook; the legend lists only the holders present (no legend when ``title_key`` is
    None). ``extra`` adds (name, colour) pairs such as "no estimate"; ``columns`` gives the
    legend's columns for its labels (else one row)."""
    scale = holder_scale(competitors, language, extra)
    if title_key is None:
        return alt.Color(f"{field}:N", scale=scale, legend=None)
    shown = set(present)
    legend_values = [name for name in scale.domain if name in shown]
    return alt.Color(f"{field}:N", scale=scale,
                     legend=alt.Legend(title=t(title_key, language), values=legend_values,
                                       symbolStrokeColor=_LEGEND_STROKE,
                                       symbolStrokeWidth=0.5,
                                       columns=alt.Undefined if columns is None
                                       else columns(legend_values)))


def holder_rank(names: Iterable[str], competitors: pd.DataFrame, language: str) -> list[int]:
    """The position of each holder name in the colour domain (stacking order)."""
    # the domain alone: an Altair scale takes longer to make than the ranks
    domain = _domain(competitors, language)
    order = {name: rank for rank, name in enumerate(domain)}
    return [order.get(name, len(domain)) for name in names]
