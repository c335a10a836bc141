"""Charts of the account's wallet (A5, A6 and whitespace): its total spend by service, our
share of it, and where there is room to sell. From the frames of ``kamkit.analysis.wallet``."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kamkit import formatting as fmt
from kamkit.analysis.wallet import CONFIDENCE_MIX
from kamkit.charts import colours, theme
from kamkit.charts.common import (
    PCT_FORMAT,
    Chart,
    amount_axis,
    built,
    confidences,
    finish,
    nothing,
    text_colour,
    tip,
    year_labels,
)
from kamkit.charts.facets import legend_columns
from kamkit.errors import KamkitError
from kamkit.labels import check_language, t, words
from kamkit.schema import CONFIDENCES, US

__all__ = ["share_of_wallet_chart", "spend_chart", "whitespace_chart"]

_CONFIDENCE_OPACITY = {"high": 1.0, "medium": 0.5, "low": 0.15}
_LEVEL_OF = dict(zip(CONFIDENCE_MIX, CONFIDENCES, strict=True))
_WRAPPED_LABEL = "length(datum.label) > 10 ? split(datum.label, ' ') : datum.label"
"""A service's name under its whitespace column: over two lines where it is more than one
word of more than 10 characters, as a 96-pixel column holds at a slide's larger text."""
_LONGEST_WORD = 11
"""Characters of the longest word that fits under a column; a longer word ("Ongedierte-
bestrijding") slants the names, which would otherwise run into each other."""


# ---------------------------------------------------------------------------- A5


@built
def spend_chart(total_spend_by_year_service: pd.DataFrame, services: pd.DataFrame,
                language: str) -> Chart | None:
    """The account's total spend per year, stacked by service (A5).

    Parameters
    ----------
    total_spend_by_year_service
        ``wallet.total_spend(account, by=("year", "service"))``.
    services
        The workbook's services table (``account.services``): names and their order.
    language
        A report language ("en", "nl": ``kamkit.labels.LANGUAGES``).

    Returns
    -------
    Chart or None
        Stacked bars of ``spend`` per year, coloured by service; None when the frame is
        empty or has no spend.
    """
    check_language(language)
    frame = total_spend_by_year_service
    if nothing(frame, "spend"):
        return None
    if "service" not in frame:
        raise KamkitError("spend_chart takes total_spend(account, by=('year', 'service')).")
    names = dict(zip(services["service"], services["name"], strict=True))
    order = [str(name) for name in services["name"]]
    data = frame[frame["spend"].notna().to_numpy()]
    service_names = [str(names.get(s, s)) for s in data["service"]]
    data = pd.DataFrame({
        "year_label": year_labels(data["year"]),
        "service_name": service_names,
        "service_rank": [order.index(n) if n in order else len(order) for n in service_names],
        "spend": data["spend"].to_numpy(),
        "confidence": confidences(data["confidence"], language),
    })
    shown = [n for n in order if n in set(service_names)]
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("year_label:O", title=t("word.year", language),
                axis=alt.Axis(labelAngle=0), scale=alt.Scale(paddingInner=0.35)),
        y=alt.Y("spend:Q", axis=amount_axis("word.spend", language)),
        color=alt.Color("service_name:N",
                        scale=alt.Scale(domain=order, range=[
                            theme.SERVICE_COLOURS[i % len(theme.SERVICE_COLOURS)]
                            for i in range(len(order))]),
                        # in rows as wide as the chart: in one row the legend made the
                        # chart wider than the printed page (review 10)
                        legend=alt.Legend(title=t("word.service", language), values=shown,
                                          columns=legend_columns(shown))),
        order=alt.Order("service_rank:Q"),
        tooltip=[tip("year_label", "word.year", language),
                 tip("service_name", "word.service", language),
                 tip("spend", "word.spend", language, "quantitative", "amount"),
                 tip("confidence", "word.confidence", language)],
    ).properties(width=theme.WIDTH, height=theme.HEIGHT)
    years = data.groupby("year_label")["spend"].sum()
    last = years.index[-1]
    services_last = data[data["year_label"] == last].groupby("service_name")["spend"].sum()
    description = t("chart.desc.spend", language, first=years.index[0], last=last, year=last,
                    total=fmt.amount(years.iloc[-1], language), service=services_last.idxmax(),
                    amount=fmt.amount(services_last.max(), language))
    return finish(chart, language, t("chart.title.spend", language), description)


# ---------------------------------------------------------------------------- A6


@built
def share_of_wallet_chart(sow_by_year: pd.DataFrame, language: str) -> Chart | None:
    """Our share of the account's wallet per year, with how sure the estimate is (A6).

    Parameters
    ----------
    sow_by_year
        ``wallet.share_of_wallet(account, by=("year",))``.
    language
        A report language ("en", "nl": ``kamkit.labels.LANGUAGES``).

    Returns
    -------
    Chart or None
        A line with points (0-100%), the points' fill showing the confidence that carries
        most of the year's estimated spend (the tooltip gives the whole split,
        ``wallet.CONFIDENCE_MIX``); None when the frame is empty or no year has a share
        (no spend estimate).
    """
    check_language(language)
    if nothing(sow_by_year, "share"):
        return None
    rows = sow_by_year[sow_by_year["share"].notna().to_numpy()]
    data = pd.DataFrame({
        "year_label": year_labels(rows["year"]),
        "share": rows["share"].to_numpy(),
        "share_text": [fmt.share(s, language) for s in rows["share"]],
        "our_revenue": rows["our_revenue"].to_numpy(),
        "spend": rows["spend"].to_numpy(),
        "confidence": confidences(  # the level with most of the spend; ties: the higher
            rows[list(CONFIDENCE_MIX)].fillna(0.0).idxmax(axis=1).map(_LEVEL_OF), language),
        "confidence_mix": [fmt.mix(zip(confidences(CONFIDENCES, language), r, strict=True),
                                   language) for r in rows[list(CONFIDENCE_MIX)].to_numpy()],
    })
    confidence_names = confidences(CONFIDENCES, language)
    base = alt.Chart().encode(  # its data on the layers' parent (``built``)
        x=alt.X("year_label:O", title=t("word.year", language),
                axis=alt.Axis(labelAngle=0), scale=alt.Scale(padding=0.5)),
        y=alt.Y("share:Q", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=PCT_FORMAT, title=t("chart.share_of_wallet", language))),
    )
    tooltip = [tip("year_label", "word.year", language),
               tip("our_revenue", "chart.our_revenue", language, "quantitative", "amount"),
               tip("spend", "word.spend", language, "quantitative", "amount"),
               tip("share", "word.share", language, "quantitative", PCT_FORMAT),
               tip("confidence_mix", "word.confidence_mix", language)]
    line = base.mark_line(color=theme.US, strokeWidth=2.5)
    # A white disc hides the line, the fill shows the confidence, a ring keeps the outline.
    disc = base.mark_point(filled=True, size=150, color="white", opacity=1)
    fill = base.mark_point(filled=True, size=150, color=theme.US).encode(
        opacity=alt.Opacity(
            "confidence:N",
            scale=alt.Scale(domain=confidence_names,
                            range=[_CONFIDENCE_OPACITY[c] for c in CONFIDENCES]),
            legend=alt.Legend(title=t("chart.confidence_most", language), symbolSize=150,
                              symbolStrokeColor=theme.US, symbolStrokeWidth=2)),
        tooltip=tooltip)
    ring = base.mark_point(filled=False, size=150, color=theme.US, strokeWidth=2,
                           opacity=1).encode(tooltip=tooltip)
    text = base.mark_text(dy=-16, fontSize=12, color=theme.US).encode(text=alt.Text("share_text:N"))
    chart = alt.layer(line, disc, fill, ring, text, data=data, width=theme.WIDTH,
                      height=theme.HEIGHT)
    description = t("chart.desc.share_of_wallet", language, first=data["year_label"].iloc[0],
                    last=data["year_label"].iloc[-1], year=data["year_label"].iloc[-1],
                    share=data["share_text"].iloc[-1])
    return finish(chart, language, t("chart.title.share_of_wallet", language), description)


# ---------------------------------------------------------------------------- whitespace


@built
def whitespace_chart(ws: pd.DataFrame, competitors: pd.DataFrame,
                     language: str) -> Chart | None:
    """Where there is room to sell: a service x location grid of one year (whitespace).

    Parameters
    ----------
    ws
        ``wallet.whitespace(account, year)``.
    competitors
        The whole workbook's competitors table, for the fixed holder colours.
    language
        A report language ("en", "nl": ``kamkit.labels.LANGUAGES``).

    Returns
    -------
    Chart or None
        One cell per service (column) and location (row), coloured by its main holder
        ("no estimate" and "no spend" in light neutrals), with our share and the open EUR
        in it; None when the frame is empty or no cell has an estimate or sales.
    """
    check_language(language)
    if ws is None or ws.empty:
        return None
    no_estimate = (ws["room"] == "no estimate").fillna(True).to_numpy()
    if no_estimate.all() and not (ws["our_revenue"].fillna(0) > 0).any():
        return None
    rooms = words(ws["room"], "room.", language)
    holder_names = colours.holder_names(ws.rename(columns={"main_holder": "holder",
                                                    "main_holder_name": "holder_name"}),
                                 language)
    neutral = {"no estimate", "no spend"}
    cell_labels = [room if raw in neutral else holder
                   for raw, room, holder in zip(ws["room"], rooms, holder_names, strict=True)]
    texts = []
    for share_, open_, ours in zip(ws["share"], ws["open_spend"], ws["our_revenue"],
                                   strict=True):
        if pd.notna(share_):
            texts.append(t("chart.whitespace_cell", language, share=fmt.share(share_, language),
                           open=fmt.amount_short(open_, language)))
        else:
            texts.append(fmt.amount_short(ours, language) if pd.notna(ours) and ours > 0 else "")
    data = pd.DataFrame({
        "service_name": [str(s) for s in ws["service_name"]],
        "location_name": [str(s) for s in ws["location_name"]],
        "cell_label": cell_labels,
        "main_holder": [str(h) for h in ws["main_holder"]],
        "holder_label": holder_names,
        "spend": ws["spend"].to_numpy(),
        "our_revenue": ws["our_revenue"].to_numpy(),
        "share": ws["share"].to_numpy(),
        "open_spend": ws["open_spend"].to_numpy(),
        "room": rooms,
        "confidence": confidences(ws["confidence"], language),
        "text": texts,
    })
    services = list(dict.fromkeys(data["service_name"]))
    locations = list(dict.fromkeys(data["location_name"]))
    extra = [(t("room.no_estimate", language), theme.ROOM_COLOURS["no estimate"]),
             (t("room.no_spend", language), theme.ROOM_COLOURS["no spend"])]
    base = alt.Chart().encode(  # its data on the layers' parent (``built``)
        x=alt.X("service_name:N", sort=services, title=t("word.service", language),
                axis=alt.Axis(domain=False, ticks=False, grid=False, labelLimit=200,
                              **({"labelAngle": 0, "labelExpr": _WRAPPED_LABEL}
                                 if max((len(word) for name in services
                                         for word in name.split()), default=0)
                                 <= _LONGEST_WORD else {"labelAngle": -35}))),
        y=alt.Y("location_name:N", sort=locations, title=t("word.location", language),
                axis=alt.Axis(domain=False, ticks=False, grid=False)),
        tooltip=[tip("service_name", "word.service", language),
                 tip("location_name", "word.location", language),
                 tip("spend", "word.spend", language, "quantitative", "amount"),
                 tip("our_revenue", "chart.our_revenue", language, "quantitative",
                     "amount"),
                 tip("share", "chart.our_share", language, "quantitative", PCT_FORMAT),
                 tip("holder_label", "chart.main_holder", language),
                 tip("open_spend", "word.open", language, "quantitative", "amount"),
                 tip("room", "word.room", language),
                 tip("confidence", "word.confidence", language)],
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=colours.holder_colour("cell_label", cell_labels, competitors, language,
                                    "chart.main_holder", extra, columns=legend_columns))
    text = base.mark_text(fontSize=10, lineBreak="\n").encode(
        text=alt.Text("text:N"),
        color=text_colour(f"datum.main_holder === '{US}' && datum.cell_label === "
                           f"datum.holder_label"))
    width = max(theme.WIDTH, 96 * len(services))
    height = max(theme.HEIGHT, 40 * len(locations))
    room = ws["room"].isin(["cross selling", "deep selling"]).to_numpy()
    description = t("chart.desc.whitespace", language, cells=len(ws), open_cells=int(room.sum()),
                    open=fmt.amount(ws["open_spend"][room].sum(), language))
    return finish(alt.layer(cells, text, data=data).properties(width=width, height=height),
                  language, t("chart.title.whitespace", language), description)


