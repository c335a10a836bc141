"""Charts of the account analysis (A2-A8 and whitespace): one function per chart.

Each function takes frames computed by ``kamkit.analysis`` and a ``language`` ("en" or
"nl"), and returns an Altair chart already passed through ``theme.styled``. The functions
compute no business figures of their own: they translate, order and position what the
frames hold. Every title (axis, legend, tooltip, facet header) comes from ``labels.yaml``.

A chart with nothing to show returns None (the caller shows a "missing data" message):
an empty frame, as every computation returns for an account without data, or a frame
whose charted values are all missing.

Holders keep one colour on every chart and account: the colour domain is built from the
whole workbook's competitors table (``theme.holder_scale``), not from the holders present.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import altair as alt
import pandas as pd

from kamkit import formatting as fmt
from kamkit.charts import theme
from kamkit.errors import KamkitError
from kamkit.labels import check_language, t, words
from kamkit.schema import CONFIDENCES, EVENT_TYPES, IN_HOUSE, LEVELS, UNKNOWN, US

__all__ = [
    "contact_matrix_chart",
    "coverage_chart",
    "holder_shares_chart",
    "revenue_history_chart",
    "share_changes_chart",
    "share_of_wallet_chart",
    "spend_chart",
    "whitespace_chart",
]

Chart = alt.TopLevelMixin

EUR_FORMAT = ",.0f"
"""Vega format of EUR amounts; the unit is in the title ("Spend (EUR)"), the separators
come from the language's number locale (1,234 in en, 1.234 in nl)."""
PCT_FORMAT = ".0%"
_NUMBER_LOCALES = {
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["EUR ", ""]},
    "nl": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]},
}
_DATE_FORMATS = {"en": "%Y-%m-%d", "nl": "%d-%m-%Y"}
_TIME_LOCALES = {
    "en": {"dateTime": "%x, %X", "date": _DATE_FORMATS["en"], "time": "%H:%M:%S",
           "periods": ["AM", "PM"],
           "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                    "Saturday"],
           "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
           "months": ["January", "February", "March", "April", "May", "June", "July",
                      "August", "September", "October", "November", "December"],
           "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                           "Oct", "Nov", "Dec"]},
    "nl": {"dateTime": "%a %e %B %Y %X", "date": _DATE_FORMATS["nl"], "time": "%H:%M:%S",
           "periods": ["AM", "PM"],
           "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag",
                    "zaterdag"],
           "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
           "months": ["januari", "februari", "maart", "april", "mei", "juni", "juli",
                      "augustus", "september", "oktober", "november", "december"],
           "shortMonths": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep",
                           "okt", "nov", "dec"]},
}
"""Vega time locales: month and day names of time axes ("%b") per language."""

_HOLDER_WORDS = {US: "word.us", IN_HOUSE: "word.in_house", UNKNOWN: "word.unknown"}
_NO_ESTIMATE_COLOUR = "#f3f3f3"
_NO_SPEND_COLOUR = "#e4e4dc"
_EMPTY_CELL = "#f4f4f4"
_DARK_TEXT = "#222222"
_EVENT_COLOURS = {"won": theme.MARGIN, "lost": theme.ALERT, "complaint": theme.WARNING,
                  "escalation": theme.WARNING}
_OTHER_EVENT_COLOUR = theme.IN_HOUSE
_CONFIDENCE_OPACITY = {"high": 1.0, "medium": 0.5, "low": 0.15}
_SERVICE_SCHEME = "tableau10"
_SEGMENT_LABEL_FROM = 0.06  # stacked segments smaller than this get no text
_SEGMENT_LABEL_WIDTH = 40  # bars narrower than this (px) get no text
_WRAPPED_LABEL = "length(datum.label) > 14 ? split(datum.label, ' ') : datum.label"


# ---------------------------------------------------------------------------- helpers


def nothing(frame: pd.DataFrame | None, column: str | None = None) -> bool:
    """True when there is nothing to chart: no rows, or no value at all in ``column``."""
    if frame is None or frame.empty:
        return True
    return column is not None and bool(frame[column].isna().all())


def finish(chart: Chart, language: str) -> Chart:
    """The kamkit look, with the language's number separators and month names."""
    out = theme.styled(chart).copy(deep=["config"])
    out.config["locale"] = {"number": _NUMBER_LOCALES[language],
                            "time": _TIME_LOCALES[language]}
    return out


def eur_axis(title_key: str, language: str) -> alt.Axis:
    """An axis of EUR amounts, the unit in its title."""
    return alt.Axis(format=EUR_FORMAT, title=t(title_key, language))


def tip(field: str, title_key: str, language: str, kind: str = "nominal",
        format: str | None = None, **values: object) -> alt.Tooltip:
    """One tooltip line with a translated title; ``format="eur"`` for EUR amounts."""
    fmt_string = EUR_FORMAT if format == "eur" else format
    extra = {"format": fmt_string} if fmt_string else {}
    return alt.Tooltip(field, type=kind, title=t(title_key, language, **values),
                       **extra)


def _confidences(values: Iterable[object], language: str) -> list[str]:
    return words(values, "word.", language)


def _years(values: pd.Series) -> list[str]:
    """Years as labels of an ordinal axis ("2025", never "2,025")."""
    return [str(int(year)) for year in values]


def dates(values: pd.Series, language: str) -> list[str]:
    stamps = pd.to_datetime(values)
    return ["" if pd.isna(d) else d.strftime(_DATE_FORMATS[language]) for d in stamps]


def _holder_names(frame: pd.DataFrame, language: str) -> list[str]:
    """Holders as readers see them: us, in-house and unknown translated; competitors by name
    (``holder_name``)."""
    return [t(_HOLDER_WORDS[holder], language) if holder in _HOLDER_WORDS else str(name)
            for holder, name in zip(frame["holder"], frame["holder_name"], strict=True)]


def _holder_domain(competitors: pd.DataFrame, language: str) -> list[str]:
    """Every holder's display name in colour order: us, all competitors in workbook order,
    in-house, unknown."""
    return list(_holder_scale(competitors, language).domain)


def _holder_scale(competitors: pd.DataFrame, language: str,
                  extra: Sequence[tuple[str, str]] = ()) -> alt.Scale:
    scale = theme.holder_scale(t("word.us", language), [str(n) for n in competitors["name"]],
                               t("word.in_house", language), t("word.unknown", language))
    if not extra:
        return scale
    return alt.Scale(domain=[*scale.domain, *(name for name, _ in extra)],
                     range=[*scale.range, *(colour for _, colour in extra)])


def _holder_colour(field: str, present: Iterable[str], competitors: pd.DataFrame,
                   language: str, title_key: str | None = "word.holder",
                   extra: Sequence[tuple[str, str]] = ()) -> alt.Color:
    """The colour encoding of holders: fixed colours for us and every competitor of the
    workbook; the legend lists only the holders present (no legend when ``title_key`` is
    None). ``extra`` adds (name, colour) pairs such as "no estimate"."""
    scale = _holder_scale(competitors, language, extra)
    if title_key is None:
        return alt.Color(f"{field}:N", scale=scale, legend=None)
    shown = set(present)
    legend_values = [name for name in scale.domain if name in shown]
    return alt.Color(f"{field}:N", scale=scale,
                     legend=alt.Legend(title=t(title_key, language), values=legend_values,
                                       symbolStrokeColor="#bbbbbb", symbolStrokeWidth=0.5))


def _holder_rank(names: Iterable[str], competitors: pd.DataFrame, language: str) -> list[int]:
    """The position of each holder name in the colour domain (stacking order)."""
    domain = _holder_domain(competitors, language)
    order = {name: rank for rank, name in enumerate(domain)}
    return [order.get(name, len(domain)) for name in names]


def _text_colour(test: str) -> alt.SchemaBase:
    """White text where ``test`` (a Vega expression) holds, dark text elsewhere."""
    return alt.when(test).then(alt.value("white")).otherwise(alt.value(_DARK_TEXT))


def _facet_names(frame: pd.DataFrame, facet: str,
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


def _facet_title_key(facet: str) -> str:
    if facet not in ("service", "location"):
        raise KamkitError(f"Cannot draw small multiples by {facet!r}: use 'service' or "
                          "'location' (and compute the frame with by=('year', facet)).")
    return f"word.{facet}"


_FACET_COLUMNS = 3


def _facet_width(count: int) -> int:
    """The width of one of ``count`` small multiples, at most three a row."""
    return max(120, theme.WIDTH // min(count, _FACET_COLUMNS) - 30)


def _faceted(chart: alt.LayerChart, facet: str, order: list[str], language: str) -> Chart:
    """Small multiples of ``chart`` over the ``facet_label`` column, in ``order``."""
    sized = chart.properties(width=_facet_width(len(order)), height=int(theme.HEIGHT * 0.7))
    return sized.facet(
        facet=alt.Facet("facet_label:N", sort=order, title=t(_facet_title_key(facet), language),
                        header=alt.Header(labelFontSize=12, titleFontSize=12)),
        columns=min(len(order), _FACET_COLUMNS))


# ---------------------------------------------------------------------------- A5


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
        "en" or "nl".

    Returns
    -------
    Chart or None
        Stacked bars of ``spend_eur`` per year, coloured by service; None when the frame is
        empty or has no spend.
    """
    check_language(language)
    frame = total_spend_by_year_service
    if nothing(frame, "spend_eur"):
        return None
    if "service" not in frame:
        raise KamkitError("spend_chart takes total_spend(account, by=('year', 'service')).")
    names = dict(zip(services["service"], services["name"], strict=True))
    order = [str(name) for name in services["name"]]
    data = frame[frame["spend_eur"].notna().to_numpy()]
    service_names = [str(names.get(s, s)) for s in data["service"]]
    data = pd.DataFrame({
        "year_label": _years(data["year"]),
        "service_name": service_names,
        "service_rank": [order.index(n) if n in order else len(order) for n in service_names],
        "spend_eur": data["spend_eur"].to_numpy(),
        "confidence": _confidences(data["confidence"], language),
    })
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("year_label:O", title=t("word.year", language),
                axis=alt.Axis(labelAngle=0), scale=alt.Scale(paddingInner=0.35)),
        y=alt.Y("spend_eur:Q", axis=eur_axis("word.spend", language)),
        color=alt.Color("service_name:N",
                        scale=alt.Scale(domain=order, scheme=_SERVICE_SCHEME),
                        legend=alt.Legend(title=t("word.service", language),
                                          values=[n for n in order if n in set(service_names)])),
        order=alt.Order("service_rank:Q"),
        tooltip=[tip("year_label", "word.year", language),
                 tip("service_name", "word.service", language),
                 tip("spend_eur", "word.spend", language, "quantitative", "eur"),
                 tip("confidence", "word.confidence", language)],
    ).properties(width=theme.WIDTH, height=theme.HEIGHT)
    return finish(chart, language)


# ---------------------------------------------------------------------------- A6


def share_of_wallet_chart(sow_by_year: pd.DataFrame, language: str) -> Chart | None:
    """Our share of the account's wallet per year, with how sure the estimate is (A6).

    Parameters
    ----------
    sow_by_year
        ``wallet.share_of_wallet(account, by=("year",))``.
    language
        "en" or "nl".

    Returns
    -------
    Chart or None
        A line with points (0-100%), the points' fill showing the confidence; None when
        the frame is empty or no year has a share (no spend estimate).
    """
    check_language(language)
    if nothing(sow_by_year, "share"):
        return None
    rows = sow_by_year[sow_by_year["share"].notna().to_numpy()]
    data = pd.DataFrame({
        "year_label": _years(rows["year"]),
        "share": rows["share"].to_numpy(),
        "share_text": [fmt.pct(s, language) for s in rows["share"]],
        "our_revenue_eur": rows["our_revenue_eur"].to_numpy(),
        "spend_eur": rows["spend_eur"].to_numpy(),
        "confidence": _confidences(rows["confidence"], language),
    })
    confidence_names = _confidences(CONFIDENCES, language)
    base = alt.Chart(data).encode(
        x=alt.X("year_label:O", title=t("word.year", language),
                axis=alt.Axis(labelAngle=0), scale=alt.Scale(padding=0.5)),
        y=alt.Y("share:Q", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=PCT_FORMAT, title=t("chart.share_of_wallet", language))),
    )
    tooltip = [tip("year_label", "word.year", language),
               tip("our_revenue_eur", "chart.our_revenue", language, "quantitative", "eur"),
               tip("spend_eur", "word.spend", language, "quantitative", "eur"),
               tip("share", "word.share", language, "quantitative", PCT_FORMAT),
               tip("confidence", "word.confidence", language)]
    line = base.mark_line(color=theme.US, strokeWidth=2.5)
    # A white disc hides the line, the fill shows the confidence, a ring keeps the outline.
    disc = base.mark_point(filled=True, size=150, color="white", opacity=1)
    fill = base.mark_point(filled=True, size=150, color=theme.US).encode(
        opacity=alt.Opacity(
            "confidence:N",
            scale=alt.Scale(domain=confidence_names,
                            range=[_CONFIDENCE_OPACITY[c] for c in CONFIDENCES]),
            legend=alt.Legend(title=t("word.confidence", language), symbolSize=150,
                              symbolStrokeColor=theme.US, symbolStrokeWidth=2)),
        tooltip=tooltip)
    ring = base.mark_point(filled=False, size=150, color=theme.US, strokeWidth=2,
                           opacity=1).encode(tooltip=tooltip)
    text = base.mark_text(dy=-16, fontSize=12, color=theme.US).encode(text="share_text:N")
    chart = alt.layer(line, disc, fill, ring, text).properties(width=theme.WIDTH,
                                                               height=theme.HEIGHT)
    return finish(chart, language)


# ---------------------------------------------------------------------------- A7


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
        "en" or "nl".
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
    if nothing(holder_shares, "share"):
        return None
    if facet is not None and facet not in holder_shares:
        raise KamkitError(f"holder_shares_chart(facet={facet!r}) needs a frame computed with "
                          f"holder_shares(account, by=('year', {facet!r})).")
    rows = holder_shares[holder_shares["share"].notna().to_numpy()]
    holder_names = _holder_names(rows, language)
    data = pd.DataFrame({
        "year_label": _years(rows["year"]),
        "holder": [str(h) for h in rows["holder"]],
        "holder_label": holder_names,
        "rank": _holder_rank(holder_names, competitors, language),
        "share": rows["share"].to_numpy(),
        "spend_eur": rows["spend_eur"].to_numpy(),
        "confidence": _confidences(rows["confidence"], language),
    })
    keys = ["year_label"]
    order: list[str] = []
    width = theme.WIDTH
    if facet is not None:
        data["facet_label"], order = _facet_names(rows, facet, names)
        keys.append("facet_label")
        width = _facet_width(len(order))
    labelled = width * 0.7 / data["year_label"].nunique() >= _SEGMENT_LABEL_WIDTH
    # Positions of the stacked segments (shares of a group add up to 1; normalised anyway).
    data = data.sort_values([*keys, "rank"], kind="stable")
    fraction = data["share"] / data.groupby(keys)["share"].transform("sum")
    data = data.assign(top=fraction.groupby([data[k] for k in keys]).cumsum())
    data = data.assign(
        bottom=data["top"] - fraction, middle=data["top"] - fraction / 2,
        share_text=[fmt.pct(s, language) if labelled and f >= _SEGMENT_LABEL_FROM else ""
                    for s, f in zip(data["share"], fraction, strict=True)])

    tooltip = [tip("year_label", "word.year", language),
               tip("holder_label", "word.holder", language),
               tip("share", "word.share", language, "quantitative", PCT_FORMAT),
               tip("spend_eur", "word.spend", language, "quantitative", "eur"),
               tip("confidence", "word.confidence", language)]
    if facet is not None:
        tooltip.insert(1, tip("facet_label", _facet_title_key(facet), language))
    base = alt.Chart().encode(
        x=alt.X("year_label:O", title=t("word.year", language),
                axis=alt.Axis(labelAngle=0), scale=alt.Scale(paddingInner=0.3)))
    bars = base.mark_bar().encode(
        y=alt.Y("bottom:Q", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=PCT_FORMAT, title=t("word.share", language))),
        y2="top:Q",
        color=_holder_colour("holder_label", holder_names, competitors, language),
        tooltip=tooltip)
    text = base.mark_text(fontSize=10).encode(
        y="middle:Q", text="share_text:N",
        color=_text_colour(f"datum.holder === '{US}'"), tooltip=tooltip)
    layered = alt.layer(bars, text, data=data)
    if facet is None:
        return finish(layered.properties(width=theme.WIDTH, height=theme.HEIGHT), language)
    return finish(_faceted(layered, facet, order, language), language)


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
        "en" or "nl".
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
    if nothing(changes, "change_pts"):
        return None
    rows = changes[changes["change_pts"].notna().to_numpy()]
    dims = [d for d in ("service", "location") if d in rows]
    holder_names = _holder_names(rows, language)
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
        "spend_from_eur": rows["spend_from_eur"].to_numpy(),
        "spend_to_eur": rows["spend_to_eur"].to_numpy(),
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
                 tip("spend_to_eur", "word.spend", language, "quantitative", "eur")],
    )
    bars = base.mark_bar(height={"band": 0.7}).encode(  # the axis names the holders
        color=_holder_colour("holder_label", holder_names, competitors, language, None))
    gains = base.mark_text(align="left", dx=4, fontSize=11).encode(
        text="change_text:N").transform_filter("datum.change_pts >= 0")
    losses = base.mark_text(align="right", dx=-4, fontSize=11).encode(
        text="change_text:N").transform_filter("datum.change_pts < 0")
    zero = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(
        color="#555555", strokeWidth=1).encode(x="zero:Q")
    height = max(100, min(theme.HEIGHT, 34 * len(data)))
    chart = alt.layer(bars, zero, gains, losses).properties(width=theme.WIDTH, height=height)
    return finish(chart, language)


# ---------------------------------------------------------------------------- whitespace


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
        "en" or "nl".

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
    if no_estimate.all() and not (ws["our_revenue_eur"].fillna(0) > 0).any():
        return None
    rooms = words(ws["room"], "room.", language)
    holder_names = _holder_names(ws.rename(columns={"main_holder": "holder",
                                                    "main_holder_name": "holder_name"}),
                                 language)
    neutral = {"no estimate", "no spend"}
    cell_labels = [room if raw in neutral else holder
                   for raw, room, holder in zip(ws["room"], rooms, holder_names, strict=True)]
    texts = []
    for share_, open_, ours in zip(ws["share"], ws["open_eur"], ws["our_revenue_eur"],
                                   strict=True):
        if pd.notna(share_):
            texts.append(t("chart.whitespace_cell", language, share=fmt.pct(share_, language),
                           open=fmt.eur_short(open_, language)))
        else:
            texts.append(fmt.eur_short(ours, language) if pd.notna(ours) and ours > 0 else "")
    data = pd.DataFrame({
        "service_name": [str(s) for s in ws["service_name"]],
        "location_name": [str(s) for s in ws["location_name"]],
        "cell_label": cell_labels,
        "main_holder": [str(h) for h in ws["main_holder"]],
        "holder_label": holder_names,
        "spend_eur": ws["spend_eur"].to_numpy(),
        "our_revenue_eur": ws["our_revenue_eur"].to_numpy(),
        "share": ws["share"].to_numpy(),
        "open_eur": ws["open_eur"].to_numpy(),
        "room": rooms,
        "confidence": _confidences(ws["confidence"], language),
        "text": texts,
    })
    services = list(dict.fromkeys(data["service_name"]))
    locations = list(dict.fromkeys(data["location_name"]))
    extra = [(t("room.no_estimate", language), _NO_ESTIMATE_COLOUR),
             (t("room.no_spend", language), _NO_SPEND_COLOUR)]
    base = alt.Chart(data).encode(
        x=alt.X("service_name:N", sort=services, title=t("word.service", language),
                axis=alt.Axis(labelAngle=0, domain=False, ticks=False, grid=False,
                              labelExpr=_WRAPPED_LABEL)),
        y=alt.Y("location_name:N", sort=locations, title=t("word.location", language),
                axis=alt.Axis(domain=False, ticks=False, grid=False)),
        tooltip=[tip("service_name", "word.service", language),
                 tip("location_name", "word.location", language),
                 tip("spend_eur", "word.spend", language, "quantitative", "eur"),
                 tip("our_revenue_eur", "chart.our_revenue", language, "quantitative",
                     "eur"),
                 tip("share", "chart.our_share", language, "quantitative", PCT_FORMAT),
                 tip("holder_label", "chart.main_holder", language),
                 tip("open_eur", "word.open", language, "quantitative", "eur"),
                 tip("room", "word.room", language),
                 tip("confidence", "word.confidence", language)],
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=_holder_colour("cell_label", cell_labels, competitors, language,
                             "chart.main_holder", extra))
    text = base.mark_text(fontSize=10, lineBreak="\n").encode(
        text="text:N",
        color=_text_colour(f"datum.main_holder === '{US}' && datum.cell_label === "
                           f"datum.holder_label"))
    width = max(theme.WIDTH, 96 * len(services))
    height = max(theme.HEIGHT, 40 * len(locations))
    return finish(alt.layer(cells, text).properties(width=width, height=height), language)


# ---------------------------------------------------------------------------- A4


def _year_start(year: int) -> dict[str, int]:
    return {"year": int(year), "month": 1, "date": 1}


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
        "en" or "nl".

    Returns
    -------
    Chart or None
        Revenue bars with the gross margin as a narrower bar inside, on a time axis, and
        below them the events on the same axis, one lane per type (won, lost, complaint
        ... coloured differently); either part alone when the other frame is empty; None
        when both are empty.
    """
    check_language(language)
    has_revenue = not nothing(revenue_by_year, "revenue_eur")
    events = (timeline[timeline["date"].notna().to_numpy()]
              if timeline is not None and not timeline.empty else None)
    has_events = events is not None and not events.empty
    if not has_revenue and not has_events:
        return None
    years: list[int] = []
    if has_revenue:
        years += [int(y) for y in revenue_by_year["year"]]
    if has_events:
        years += [int(d.year) for d in pd.to_datetime(events["date"])]
    x_scale = alt.Scale(domain=[_year_start(min(years)), _year_start(max(years) + 1)])

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
             alt.vconcat(*parts, spacing=12).resolve_scale(color="independent"))
    return finish(chart, language)


def _revenue_bars(revenue: pd.DataFrame, x_scale: alt.Scale, x_axis: alt.Axis,
                  language: str) -> alt.Chart:
    """Revenue bars over each year (Feb-Nov) and the gross margin inside (mid Apr-mid Oct);
    a partial year (fewer than 12 months with sales) is drawn lighter."""
    revenue_name = t("word.revenue", language)
    margin_name = t("word.gross_margin", language)
    rows = []
    for row in revenue.itertuples(index=False):
        year = int(row.year)
        common = {"year_label": str(year), "revenue_eur": row.revenue_eur,
                  "gross_margin_eur": row.gross_margin_eur, "margin_pct": row.margin_pct,
                  "growth_pct": row.growth_pct, "months": int(row.months_with_sales),
                  "full": int(row.months_with_sales) >= 12}
        rows.append({**common, "series": revenue_name, "amount": row.revenue_eur,
                     "start": pd.Timestamp(year, 2, 1), "end": pd.Timestamp(year, 12, 1)})
        rows.append({**common, "series": margin_name, "amount": row.gross_margin_eur,
                     "start": pd.Timestamp(year, 4, 15), "end": pd.Timestamp(year, 10, 15)})
    data = pd.DataFrame(rows)
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("start:T", scale=x_scale, axis=x_axis),
        x2="end:T",
        y=alt.Y("amount:Q", axis=eur_axis("word.amount", language)),
        y2=alt.datum(0),
        opacity=alt.when("datum.full").then(alt.value(1.0)).otherwise(alt.value(0.5)),
        color=alt.Color("series:N",
                        scale=alt.Scale(domain=[revenue_name, margin_name],
                                        range=[theme.US, theme.MARGIN]),
                        legend=alt.Legend(title=None)),
        tooltip=[tip("year_label", "word.year", language),
                 tip("revenue_eur", "word.revenue", language, "quantitative", "eur"),
                 tip("gross_margin_eur", "word.gross_margin", language, "quantitative",
                     "eur"),
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
        "amount_eur": events["amount_eur"].to_numpy(),
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
                 tip("amount_eur", "word.amount", language, "quantitative", "eur")],
    ).properties(width=theme.WIDTH, height=max(40, 26 * len(order)))


# ---------------------------------------------------------------------------- A8


def coverage_chart(coverage_by_level: pd.DataFrame, language: str) -> Chart | None:
    """How many of the account's contacts at each level we relate to (A8).

    Parameters
    ----------
    coverage_by_level
        ``contacts.coverage_by_level(account)``.
    language
        "en" or "nl".

    Returns
    -------
    Chart or None
        Per level (strategic, tactical, operational) a bar of covered and not covered
        contacts with the coverage % beside it; None when the frame is empty or the account
        has no contacts.
    """
    check_language(language)
    if nothing(coverage_by_level) or not (coverage_by_level["contacts"] > 0).any():
        return None
    covered_name = t("word.covered", language)
    uncovered_name = t("chart.not_covered", language)
    level_names = words(LEVELS, "level.", language)
    rows = []
    for row in coverage_by_level.itertuples(index=False):
        common = {"level_label": words([row.level], "level.", language)[0],
                  "contacts": int(row.contacts), "covered": int(row.covered),
                  "share_covered": row.share_covered,
                  "mean_best_strength": row.mean_best_strength,
                  "text": (f"{fmt.pct(row.share_covered, language)} "
                           f"({int(row.covered)}/{int(row.contacts)})")}
        rows.append({**common, "status": covered_name, "count": int(row.covered), "rank": 0})
        rows.append({**common, "status": uncovered_name,
                     "count": int(row.contacts) - int(row.covered), "rank": 1})
    data = pd.DataFrame(rows)
    most = int(data["contacts"].max())
    y = alt.Y("level_label:N", sort=level_names, title=t("word.level", language))
    tooltip = [tip("level_label", "word.level", language),
               tip("contacts", "word.contacts", language, "quantitative"),
               tip("covered", "word.covered", language, "quantitative"),
               tip("share_covered", "word.coverage", language, "quantitative", PCT_FORMAT),
               tip("mean_best_strength", "word.strength", language, "quantitative", ".1f")]
    bars = alt.Chart(data).mark_bar(height={"band": 0.65}).encode(
        y=y,
        x=alt.X("count:Q", stack="zero", scale=alt.Scale(domain=[0, most * 1.3]),
                axis=alt.Axis(format="d", tickMinStep=1, title=t("word.contacts", language))),
        color=alt.Color("status:N", scale=alt.Scale(domain=[covered_name, uncovered_name],
                                                    range=[theme.US, theme.UNKNOWN]),
                        legend=alt.Legend(title=t("word.coverage", language))),
        order=alt.Order("rank:Q"),
        tooltip=tooltip)
    text = alt.Chart(data).transform_filter("datum.rank === 0").mark_text(
        align="left", dx=5, fontSize=12).encode(
        y=y, x="contacts:Q", text="text:N", tooltip=tooltip)
    chart = alt.layer(bars, text).properties(width=theme.WIDTH, height=theme.HEIGHT // 2)
    return finish(chart, language)


def contact_matrix_chart(matrix: pd.DataFrame, org: pd.DataFrame,
                         language: str) -> Chart | None:
    """Our people x the account's contacts, with the strength of each relationship (A8).

    Parameters
    ----------
    matrix
        ``contacts.contact_matrix(account, as_of)``.
    org
        ``organisation.org_chart(account)``: every contact, so contacts without any
        relationship show as empty columns.
    language
        "en" or "nl".

    Returns
    -------
    Chart or None
        A grid with our people as rows and the contacts as columns, grouped by level
        (strategic first) and sorted by name within it; strength 1-5 as colour and text;
        None when the matrix is empty (no relationships).
    """
    check_language(language)
    if nothing(matrix, "strength"):
        return None
    level_rank = {level: rank for rank, level in enumerate(LEVELS)}
    contacts = (org[["contact_id", "name", "title", "level"]] if not nothing(org) else
                matrix[["contact_id", "contact_name", "contact_title", "contact_level"]]
                .set_axis(["contact_id", "name", "title", "level"], axis=1))
    contacts = (contacts.drop_duplicates("contact_id")
                .assign(rank=lambda f: f["level"].map(level_rank).fillna(len(LEVELS)))
                .sort_values(["rank", "name"], kind="stable"))
    people = (matrix[["person_id", "person_name", "person_level"]]
              .drop_duplicates("person_id")
              .assign(rank=lambda f: f["person_level"].map(level_rank).fillna(len(LEVELS)))
              .sort_values(["rank", "person_name"], kind="stable"))
    links = matrix.drop_duplicates(["person_id", "contact_id"])[
        ["person_id", "contact_id", "strength", "last_contact", "days_since"]]
    grid = (people[["person_id", "person_name"]]
            .merge(contacts[["contact_id", "name", "title", "level"]], how="cross")
            .merge(links, on=["person_id", "contact_id"], how="left"))
    level_names = words(LEVELS, "level.", language)
    data = pd.DataFrame({
        "person": [str(p) for p in grid["person_name"]],
        "contact": [str(c) for c in grid["name"]],
        "title": [str(v) if pd.notna(v) else "" for v in grid["title"]],
        "level_label": words(grid["level"], "level.", language),
        "strength": [None if pd.isna(s) else int(s) for s in grid["strength"]],
        "last_contact": dates(grid["last_contact"], language),
        "days_since": [None if pd.isna(d) else int(d) for d in grid["days_since"]],
    })
    people_order = [str(p) for p in people["person_name"]]
    contact_order = [str(c) for c in contacts["name"]]
    step = max(34, min(90, theme.WIDTH // max(1, len(contact_order))))
    tooltip = [tip("person", "word.our_person", language),
               tip("contact", "word.contact", language),
               tip("title", "word.title", language),
               tip("level_label", "word.level", language),
               tip("strength", "word.strength", language, "quantitative"),
               tip("last_contact", "chart.last_contact", language),
               tip("days_since", "word.days_since", language, "quantitative")]
    colour = alt.Color("strength:Q", scale=alt.Scale(domain=[1, 5], scheme="blues"),
                       legend=alt.Legend(title=t("word.strength", language), tickCount=5,
                                         format="d"))
    row_step = min(40, max(26, theme.HEIGHT // 8))
    shown_levels = [name for name in level_names if name in set(data["level_label"])]
    shown_levels += sorted(set(data["level_label"]) - set(shown_levels))
    blocks = []
    for index, level in enumerate(shown_levels):
        part = data[(data["level_label"] == level).to_numpy()]
        base = alt.Chart(part).encode(
            x=alt.X("contact:N", sort=[c for c in contact_order if c in set(part["contact"])],
                    title=None,
                    axis=alt.Axis(labelAngle=-35, labelLimit=140, domain=False, ticks=False,
                                  grid=False)),
            y=alt.Y("person:N", sort=people_order, title=t("word.our_person", language),
                    axis=alt.Axis(domain=False, ticks=False, grid=False) if index == 0
                    else None),
        )
        empty = base.mark_rect(color=_EMPTY_CELL, stroke="white", strokeWidth=2).encode(
            tooltip=tooltip[:4])
        linked = base.transform_filter("isValid(datum.strength)")
        cells = linked.mark_rect(stroke="white", strokeWidth=2).encode(
            color=colour, tooltip=tooltip)
        text = linked.mark_text(fontSize=12).encode(
            text="strength:Q", color=_text_colour("datum.strength >= 4"), tooltip=tooltip)
        blocks.append(alt.layer(empty, cells, text).properties(
            title=alt.TitleParams(level, fontSize=12, fontWeight="normal", anchor="middle"),
            width=alt.Step(step), height=alt.Step(row_step)))
    chart = alt.hconcat(*blocks, spacing=8).properties(
        title=alt.TitleParams(t("word.contact", language), fontSize=12, anchor="middle"))
    return finish(chart, language)
