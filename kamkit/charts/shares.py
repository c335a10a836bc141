"""Charts of who holds the account's spend (A7): shares per holder and year, and how they
moved. Holders keep one colour on every chart (``kamkit.charts.colours``)."""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from kamkit import formatting as fmt
from kamkit.charts import colours, common, theme
from kamkit.charts.common import PCT_FORMAT, Chart, built, tip
from kamkit.charts.facets import (
    facet_names,
    facet_title_key,
    facet_width,
    faceted,
    legend_columns,
)
from kamkit.errors import KamkitError
from kamkit.grouping import Groups
from kamkit.labels import check_language, t
from kamkit.schema import US

__all__ = ["holder_shares_chart", "share_changes_chart"]

_TITLES = {None: "chart.title.holder_shares", "service": "chart.title.holder_shares_service",
           "location": "chart.title.holder_shares_location"}
_SEGMENT_LABEL_FROM = 0.06  # stacked segments smaller than this get no text
_SEGMENT_LABEL_WIDTH = 40  # bars narrower than this (px) get no text


@built
def holder_shares_chart(holder_shares: pd.DataFrame, competitors: pd.DataFrame,
                        language: str, facet: str | None = None,
                        names: pd.DataFrame | None = None) -> Chart | None:
    """Who holds the account's spend, per year: 100% stacked bars by holder (A7).

    Parameters
    ----------
    holder_shares
        ``wallet.holder_shares(account, by=("year",))``; for small multiples
        ``by=("year", "service")`` or ``("year", "location")``.
    competitors
        The whole workbook's competitors table (``account.competitors``), so every
        competitor keeps its colour on every chart and account.
    language
        A report language ("en", "nl": ``kamkit.labels.LANGUAGES``).
    facet
        None, "service" or "location": one small chart per service or location.
    names
        The services or locations table, to title the small multiples with names instead
        of ids (optional).

    Returns
    -------
    Chart or None
        None when the frame is empty or has no share.
    """
    check_language(language)
    if common.nothing(holder_shares, "share"):
        return None
    if facet is not None and facet not in holder_shares:
        raise KamkitError(f"holder_shares_chart(facet={facet!r}) needs a frame computed with "
                          f"holder_shares(account, by=('year', {facet!r})).")
    rows = holder_shares[holder_shares["share"].notna().to_numpy()]
    holder_names = colours.holder_names(rows, language)
    columns: dict[str, Any] = {
        "year_label": common.year_labels(rows["year"]),
        "holder": [str(h) for h in rows["holder"]],
        "holder_label": holder_names,
        "rank": colours.holder_rank(holder_names, competitors, language),
        "share": rows["share"].to_numpy(),
        "spend": rows["spend"].to_numpy(),
        "confidence": common.confidences(rows["confidence"], language),
    }
    keys = ["year_label"]
    order: list[str] = []
    width = theme.WIDTH
    if facet is not None:
        columns["facet_label"], order = facet_names(rows, facet, names)
        keys.append("facet_label")
        width = facet_width(len(order))
    labelled = width * 0.7 / len(set(columns["year_label"])) >= _SEGMENT_LABEL_WIDTH
    data = _stacked(columns, keys, labelled, language)

    tooltip = [tip("year_label", "word.year", language),
               tip("holder_label", "word.holder", language),
               tip("share", "word.share", language, "quantitative", PCT_FORMAT),
               tip("spend", "word.spend", language, "quantitative", "amount"),
               tip("confidence", "word.confidence", language)]
    if facet is not None:
        tooltip.insert(1, tip("facet_label", facet_title_key(facet), language))
    base = alt.Chart().encode(
        x=alt.X("year_label:O", title=t("word.year", language),
                axis=alt.Axis(labelAngle=0), scale=alt.Scale(paddingInner=0.3)))
    bars = base.mark_bar().encode(
        y=alt.Y("bottom:Q", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=PCT_FORMAT, title=t("word.share", language))),
        y2=alt.Y2("top:Q"),
        # the legend in rows as wide as the chart: in one row it made the chart wider than
        # the printed page, which shrank it to about 0.7 of the others
        color=colours.holder_colour("holder_label", holder_names, competitors, language,
                                    columns=legend_columns),
        tooltip=tooltip)
    text = base.mark_text(fontSize=10).encode(
        y=alt.Y("middle:Q"), text=alt.Text("share_text:N"),
        color=common.text_colour(f"datum.holder === '{US}'"), tooltip=tooltip)
    title = t(_TITLES[facet], language)
    description = _describe_shares(data, language)
    chart = (alt.LayerChart(layer=[bars, text], data=data, width=theme.WIDTH,
                            height=theme.HEIGHT) if facet is None
             else faceted([bars, text], data, facet, order, language))
    return common.finish(chart, language, title, description)


def _stacked(columns: dict[str, Any], keys: list[str], labelled: bool,
             language: str) -> pd.DataFrame:
    """The chart's frame of ``columns`` (name -> one value a row): its rows in stacking
    order, by ``keys`` then ``rank``, each with its segment's ``top``, ``bottom`` and
    ``middle`` (fractions of its stack: the shares of a stack add up to 1, normalised
    anyway) and its ``share_text`` (none on a small segment or a narrow bar).

    Equals, to the last bit and index, the pandas way (tests/test_chart_fast_paths.py keeps
    it): ``DataFrame(columns).sort_values([*keys, "rank"], kind="stable")``, ``fraction =
    share / groupby(keys)["share"].transform("sum")``, ``top =
    fraction.groupby(keys).cumsum()``. Python's sort is stable too, and ``Groups`` adds up
    as pandas does; on a chart's few rows pandas' sorting and grouping took most of the
    chart's time."""
    size = len(columns["rank"])
    order = sorted(range(size), key=lambda row: (*(columns[k][row] for k in keys),
                                                  columns["rank"][row]))
    ordered = {name: (values[order] if isinstance(values, np.ndarray)
                      else [values[row] for row in order])
               for name, values in columns.items()}
    groups = Groups(*(ordered[k] for k in keys))
    share = np.asarray(ordered["share"], dtype="float64")
    with np.errstate(all="ignore"):  # a stack of nothing: NaN, as pandas divides
        fraction = share / groups.sums(share)[groups.codes]
    top = groups.running_sums(fraction)
    ordered.update(top=top, bottom=top - fraction, middle=top - fraction / 2, share_text=[
        fmt.share(s, language) if labelled and f >= _SEGMENT_LABEL_FROM else ""
        for s, f in zip(share.tolist(), fraction.tolist(), strict=True)])
    return pd.DataFrame(ordered, index=pd.RangeIndex(size).take(order))


def _describe_shares(data: pd.DataFrame, language: str) -> str:
    """The years drawn, and who held the most of the spend in the last one (all facets).

    The holders' spend in the last year is added up by ``Groups`` (as
    ``groupby(["holder", "holder_label"])["spend"].sum()`` does, tests/test_chart_fast_paths.py),
    their total and ours as ``Series.sum`` does (NumPy's sum, a missing value as 0)."""
    years = data["year_label"].tolist()
    first, last = min(years), max(years)
    in_last = [row for row, year in enumerate(years) if year == last]
    holders = data["holder"].to_numpy(dtype=object)[in_last]
    groups = Groups(holders, data["holder_label"].to_numpy(dtype=object)[in_last])
    spend = groups.sums(data["spend"].to_numpy(dtype="float64")[in_last])
    total = np.nansum(spend)
    leader = int(np.nanargmax(spend)) if total > 0 else 0
    ours = np.nansum(spend[[key[0] == US for key in groups.keys]])
    return t("chart.desc.holder_shares", language, first=first, last=last,
             year=last, leader=groups.keys[leader][1],
             leader_share=fmt.share(spend[leader] / total if total else None, language),
             ours=fmt.share(ours / total if total else None, language))


@built
def share_changes_chart(changes: pd.DataFrame, competitors: pd.DataFrame, language: str,
                        years: tuple[int, int] | None = None) -> Chart | None:
    """How each holder's share moved between two years, in percentage points (A7).

    Parameters
    ----------
    changes
        ``wallet.share_changes(account, from_year, to_year)`` (``by=()``).
    competitors
        The whole workbook's competitors table, for the fixed holder colours.
    language
        A report language ("en", "nl": ``kamkit.labels.LANGUAGES``).
    years
        The years compared, to title the shares in the tooltip (the frame does not hold
        them); without them the tooltip says "before" and "after".

    Returns
    -------
    Chart or None
        Diverging horizontal bars around a zero rule, the biggest loser on top; None when
        the frame is empty or no holder has a change (a year without estimate).
    """
    check_language(language)
    if common.nothing(changes, "change_pts"):
        return None
    rows = changes[changes["change_pts"].notna().to_numpy()]
    dims = [d for d in ("service", "location") if d in rows]
    holder_names = colours.holder_names(rows, language)
    labels_ = (holder_names if not dims else
               [" · ".join([name, *map(str, parts)]) for name, *parts in
                zip(holder_names, *(rows[d] for d in dims), strict=True)])
    data = pd.DataFrame({
        "holder": [str(h) for h in rows["holder"]],
        "holder_label": holder_names,
        "row_label": labels_,
        "change_pts": rows["change_pts"].to_numpy(),
        "change_text": [fmt.points(c, language, 1) for c in rows["change_pts"]],
        "share_from": rows["share_from"].to_numpy(),
        "share_to": rows["share_to"].to_numpy(),
        "spend_from": rows["spend_from"].to_numpy(),
        "spend_to": rows["spend_to"].to_numpy(),
    })
    if years is None:
        share_from, share_to = t("chart.share_from", language), t("chart.share_to", language)
    else:
        share_from, share_to = (t("chart.share_in", language, year=y) for y in years)
    reach = max(float(data["change_pts"].abs().max()), 1.0)
    low = min(float(data["change_pts"].min()), 0.0) - 0.35 * reach
    high = max(float(data["change_pts"].max()), 0.0) + 0.35 * reach
    base = alt.Chart(data).encode(
        y=alt.Y("row_label:N", sort=list(dict.fromkeys(data["row_label"])),
                title=t("word.holder", language)),
        x=alt.X("change_pts:Q", scale=alt.Scale(domain=[low, high], nice=False),
                title=t("word.change_pts", language)),
        tooltip=[tip("holder_label", "word.holder", language),
                 alt.Tooltip("share_from:Q", title=share_from, format=PCT_FORMAT),
                 alt.Tooltip("share_to:Q", title=share_to, format=PCT_FORMAT),
                 tip("change_text", "word.change_pts", language),
                 tip("spend_to", "word.spend", language, "quantitative", "amount")],
    )
    bars = base.mark_bar(height={"band": 0.7}).encode(  # the axis names the holders
        color=colours.holder_colour("holder_label", holder_names, competitors, language, None))
    gains = base.mark_text(align="left", dx=4, fontSize=11).encode(
        text=alt.Text("change_text:N")).transform_filter("datum.change_pts >= 0")
    losses = base.mark_text(align="right", dx=-4, fontSize=11).encode(
        text=alt.Text("change_text:N")).transform_filter("datum.change_pts < 0")
    zero = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(
        color="#555555", strokeWidth=1).encode(x=alt.X("zero:Q"))
    height = max(100, min(theme.HEIGHT, 34 * len(data)))
    chart = alt.layer(bars, zero, gains, losses, width=theme.WIDTH, height=height)
    gain, loss = data.loc[data["change_pts"].idxmax()], data.loc[data["change_pts"].idxmin()]
    description = t("chart.desc.share_changes", language, gainer=gain["row_label"],
                    gain=gain["change_text"], loser=loss["row_label"], loss=loss["change_text"])
    title = (t("chart.title.share_changes", language, start=years[0], end=years[1])
             if years else t("word.change_pts", language))
    return common.finish(chart, language, title, description)


