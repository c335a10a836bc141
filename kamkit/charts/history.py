"""The charts of our history with the account (A4): revenue and margin per year above the
events on the same time axis, and the customer's voice (satisfaction over time with the
complaints). From the frames of ``kamkit.analysis.history``."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kamkit import formatting as fmt
from kamkit.charts import theme
from kamkit.charts.common import Chart, amount_axis, built, dates, finish, nothing, tip, vega_date
from kamkit.labels import check_language, t, words
from kamkit.schema import EVENT_TYPES

__all__ = ["revenue_history_chart", "satisfaction_chart"]

_EVENT_COLOURS = {"won": theme.MARGIN, "lost": theme.ALERT, "complaint": theme.WARNING,
                  "escalation": theme.WARNING}
_OTHER_EVENT_COLOUR = theme.IN_HOUSE


@built
def revenue_history_chart(revenue_by_year: pd.DataFrame, timeline: pd.DataFrame,
                          language: str) -> Chart | None:
    """Our revenue and gross margin per year, above the account's history events (A4).

    Parameters
    ----------
    revenue_by_year
        ``history.revenue_by_year(account)``.
    timeline
        ``history.timeline(account)``.
    language
        A report language ("en", "nl": ``kamkit.labels.LANGUAGES``).

    Returns
    -------
    Chart or None
        Revenue bars with the gross margin as a narrower bar inside, on a time axis, and
        below them the events on the same axis, one lane per type (won, lost, complaint
        ... coloured differently); either part alone when the other frame is empty; None
        when both are empty. The axis starts at the first year with sales (earlier events
        are in the report's table, not drawn over empty years); a year still running is
        drawn lighter and named so in the legend.
    """
    check_language(language)
    has_revenue = not nothing(revenue_by_year, "revenue")
    if has_revenue:
        revenue_by_year = revenue_by_year[revenue_by_year["revenue"].fillna(0).to_numpy()
                                          != 0]
        has_revenue = not revenue_by_year.empty
    events = (timeline[timeline["date"].notna().to_numpy()]
              if timeline is not None and not timeline.empty else None)
    if has_revenue and events is not None:
        first_sale = pd.Timestamp(int(revenue_by_year["year"].min()), 1, 1)
        events = events[(pd.to_datetime(events["date"]) >= first_sale).to_numpy()]
    has_events = events is not None and not events.empty
    if not has_revenue and not has_events:
        return None
    years: list[int] = []
    if has_revenue:
        years += [int(y) for y in revenue_by_year["year"]]
    if has_events and events is not None:
        years += [int(d.year) for d in pd.to_datetime(events["date"])]
    x_scale = alt.Scale(domain=[vega_date(pd.Timestamp(min(years), 1, 1)),
                                vega_date(pd.Timestamp(max(years) + 1, 1, 1))])

    def x_axis(titled: bool) -> alt.Axis:
        # A label at the start of each year, written into the year; none at the domain's end.
        return alt.Axis(format="%Y", title=t("word.year", language) if titled else None,
                        tickCount={"interval": "year", "step": 1}, labelAlign="left",
                        labelOffset=4, labelExpr=f"year(datum.value) > {max(years)} ? '' : "
                                                 "datum.label")

    parts: list[alt.Chart | alt.LayerChart] = []
    if has_revenue:
        parts.append(_revenue_bars(revenue_by_year, x_scale, x_axis(not has_events),
                                   language))
    if has_events:
        parts.append(_event_strip(events, x_scale, x_axis(True), language))
    chart = (parts[0] if len(parts) == 1 else
             alt.vconcat(*parts, spacing=12, resolve=alt.Resolve(scale=alt.ScaleResolveMap(
                 color="independent", opacity="independent"))))
    description = [_describe_revenue(revenue_by_year, language)] if has_revenue else []
    if has_events:
        description.append(t("chart.desc.events", language))
    return finish(chart, language, t("chart.title.history", language), " ".join(description))


def _describe_revenue(revenue: pd.DataFrame, language: str) -> str:
    """The bars in a sentence: the years drawn and the last full year's figures."""
    full = revenue[revenue["months_with_sales"].to_numpy() >= 12]
    last = (full if not full.empty else revenue).iloc[-1]
    return t("chart.desc.history", language, first=int(revenue["year"].min()),
             last=int(revenue["year"].max()), year=int(last["year"]),
             revenue=fmt.amount(last["revenue"], language),
             margin=fmt.amount(last["gross_margin"], language))


def _revenue_bars(revenue: pd.DataFrame, x_scale: alt.Scale, x_axis: alt.Axis,
                  language: str) -> alt.Chart:
    """Revenue bars over each year (Feb-Nov) and the gross margin inside (mid Apr-mid Oct);
    a partial year (fewer than 12 months with sales) is drawn lighter. A gross margin not
    known in any year is neither drawn nor named in the legend."""
    revenue_name = t("word.revenue", language)
    margin_name = t("word.gross_margin", language)
    has_margin = bool(revenue["gross_margin"].notna().any())
    rows = []
    for row in revenue.itertuples(index=False):
        year = int(row.year)
        common = {"year_label": str(year), "revenue": row.revenue,
                  "gross_margin": row.gross_margin, "margin_pct": row.margin_pct,
                  "growth_pct": row.growth_pct, "months": int(row.months_with_sales),
                  "full": int(row.months_with_sales) >= 12}
        common["period"] = (t("chart.full_year", language) if common["full"] else
                            t("chart.part_year", language, year=year, count=common["months"]))
        rows.append({**common, "series": revenue_name, "amount": row.revenue,
                     "start": pd.Timestamp(year, 2, 1), "end": pd.Timestamp(year, 12, 1)})
        if has_margin:
            rows.append({**common, "series": margin_name, "amount": row.gross_margin,
                         "start": pd.Timestamp(year, 4, 15), "end": pd.Timestamp(year, 10, 15)})
    data = pd.DataFrame(rows)
    full_year = t("chart.full_year", language)
    periods = [full_year, *dict.fromkeys(p for p in data["period"] if p != full_year)]
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("start:T", scale=x_scale, axis=x_axis),
        x2=alt.X2("end:T"),
        y=alt.Y("amount:Q", axis=amount_axis("word.amount", language)),
        y2=alt.Y2Datum(0),
        opacity=alt.Opacity("period:N", scale=alt.Scale(
                            domain=periods, range=[1.0, *[0.5] * (len(periods) - 1)]),
                            # grey swatches: this legend says full or part year, the
                            # colour legend says revenue or margin (a blue "Full year"
                            # would look like a second "Revenue")
                            legend=alt.Legend(title=None, symbolFillColor=theme.MUTED,
                                              symbolStrokeWidth=0) if len(periods) > 1
                            else None),
        color=alt.Color("series:N",
                        scale=alt.Scale(domain=[revenue_name, margin_name][:1 + has_margin],
                                        range=[theme.US, theme.MARGIN][:1 + has_margin]),
                        legend=alt.Legend(title=None) if has_margin else None),
        tooltip=[tip("year_label", "word.year", language),
                 tip("revenue", "word.revenue", language, "quantitative", "amount"),
                 tip("gross_margin", "word.gross_margin", language, "quantitative",
                     "amount"),
                 tip("margin_pct", "word.margin_pct", language, "quantitative", ".1f"),
                 tip("growth_pct", "chart.growth_pct", language, "quantitative", "+.1f"),
                 tip("months", "chart.months_with_sales", language, "quantitative")],
    ).properties(width=theme.WIDTH, height=theme.HEIGHT)


def _event_strip(events: pd.DataFrame, x_scale: alt.Scale, x_axis: alt.Axis,
                 language: str) -> alt.Chart:
    """The history events as points on the time axis, one lane per event type."""
    types = [str(v) for v in events["type"]]
    known = [e for e in EVENT_TYPES if e in set(types)]
    order = [*known, *sorted(set(types) - set(known))]
    names = words(order, "event.", language)
    data = pd.DataFrame({
        "date": pd.to_datetime(events["date"]).to_numpy(),
        "date_text": dates(events["date"], language),
        "type_label": words(types, "event.", language),
        "description": [str(d) if pd.notna(d) else "" for d in events["description"]],
        "amount": events["amount"].to_numpy(),
    })
    colours = [_EVENT_COLOURS.get(e, _OTHER_EVENT_COLOUR) for e in order]
    return alt.Chart(data).mark_point(filled=True, size=120, opacity=0.9).encode(
        x=alt.X("date:T", scale=x_scale, axis=x_axis),
        y=alt.Y("type_label:N", sort=names, title=t("chart.event", language),
                axis=alt.Axis(grid=True)),
        color=alt.Color("type_label:N", scale=alt.Scale(domain=names, range=colours),
                        legend=None),
        tooltip=[tip("date_text", "word.date", language),
                 tip("type_label", "word.type", language),
                 tip("description", "word.description", language),
                 tip("amount", "word.amount", language, "quantitative", "amount")],
    ).properties(width=theme.WIDTH, height=max(40, 26 * len(order)))




_COMPLAINT_COLOURS = {"open": theme.ALERT, "closed": theme.WARNING}
_SCORE_STEP = 1.0  # the score axis starts a whole point below the lowest score


@built
def satisfaction_chart(scores: pd.DataFrame, complaints: pd.DataFrame,
                       language: str) -> Chart | None:
    """The customer's satisfaction over time, with the complaints on the same axis (A4).

    Parameters
    ----------
    scores
        ``history.satisfaction(account)``.
    complaints
        ``history.complaints(account, as_of)``.
    language
        A report language ("en", "nl": ``kamkit.labels.LANGUAGES``).

    Returns
    -------
    Chart or None
        The scores (0-10) as a line with a point per survey, the axis from the whole point
        below the lowest score to 10, and each complaint as a triangle along the bottom
        at its date, red while open, orange once closed; either part alone when the other
        frame is empty; None when both are empty.
    """
    check_language(language)
    has_scores = not nothing(scores, "score")
    has_complaints = not nothing(complaints, "date")
    if not has_scores and not has_complaints:
        return None
    low = (max(0.0, float(scores["score"].min()) // _SCORE_STEP * _SCORE_STEP - _SCORE_STEP)
           if has_scores else 0.0)
    y_scale = alt.Scale(domain=[low, 10], nice=False, zero=False)
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year"))
    layers: list[alt.Chart] = []
    if has_scores:
        data = pd.DataFrame({
            "date": pd.to_datetime(scores["date"]).to_numpy(),
            "date_text": dates(scores["date"], language),
            "score": scores["score"].to_numpy(),
            "description": [str(d) if pd.notna(d) else "" for d in scores["description"]],
        })
        tooltip = [tip("date_text", "word.date", language),
                   tip("score", "chart.satisfaction", language, "quantitative", ".1f"),
                   tip("description", "word.description", language)]
        base = alt.Chart(data).encode(
            x=x, y=alt.Y("score:Q", scale=y_scale,
                         axis=alt.Axis(title=t("chart.satisfaction", language))),
            tooltip=tooltip)
        layers += [base.mark_line(color=theme.SCORE, strokeWidth=2),
                   base.mark_point(color=theme.SCORE, filled=True, size=60, opacity=1)]
    if has_complaints:
        statuses = [str(s) for s in complaints["status"]]
        names = words(["open", "closed"], "complaint.", language)
        data = pd.DataFrame({
            "date": pd.to_datetime(complaints["date"]).to_numpy(),
            "date_text": dates(complaints["date"], language),
            "status": words(statuses, "complaint.", language),
            "service": [str(s) if pd.notna(s) else "" for s in complaints["service_name"]],
            "description": [str(d) if pd.notna(d) else ""
                            for d in complaints["description"]],
            "at": low,
        })
        layers.append(alt.Chart(data).mark_point(
            shape="triangle-up", filled=True, size=110, opacity=1, yOffset=-7).encode(
            x=x, y=alt.Y("at:Q", scale=y_scale, title=t("chart.satisfaction", language)),
            color=alt.Color("status:N", scale=alt.Scale(
                domain=names, range=[_COMPLAINT_COLOURS["open"],
                                     _COMPLAINT_COLOURS["closed"]]),
                legend=alt.Legend(title=t("chart.complaints", language),
                                  values=[n for n in names if n in set(data["status"])])),
            tooltip=[tip("date_text", "word.date", language),
                     tip("status", "word.status", language),
                     tip("service", "word.service", language),
                     tip("description", "word.description", language)]))
    chart = alt.layer(*layers, width=theme.WIDTH, height=theme.HEIGHT * 2 // 3)
    description = []
    if has_scores:
        last = scores.iloc[-1]
        description.append(t("chart.desc.satisfaction", language,
                             first=dates(scores["date"].iloc[:1], language)[0],
                             last=dates(scores["date"].iloc[-1:], language)[0],
                             score=fmt.number(last["score"], language, 1)))
    if has_complaints:
        description.append(t("chart.desc.complaints", language, complaints=len(complaints),
                             open=int((complaints["status"] == "open").sum())))
    return finish(chart, language, t("chart.title.satisfaction", language),
                  " ".join(description))
