"""Charts of the account plan (P2, P4, P5): one function per chart.

As in ``kamkit.charts.analysis``: each function takes frames computed by ``kamkit.plan``
and a report ``language``, returns an Altair chart passed through ``common.finish`` (the
theme, with the language's number separators and month names), or None when there is nothing
to draw (an empty frame, as every plan computation returns for an account without a
plan, or no value to chart). The functions compute no business figures: they translate,
order and position what the frames hold. Every title comes from ``labels.yaml``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Literal

import altair as alt
import pandas as pd

from kamkit import formatting as fmt
from kamkit.charts import theme
from kamkit.charts.common import (
    PCT_FORMAT,
    Chart,
    amount_axis,
    built,
    dates,
    finish,
    nothing,
    tip,
    tips,
    vega_date,
)
from kamkit.charts.textfit import fit_keeping_end
from kamkit.currency import MONEY
from kamkit.documents import ACTION_STATUSES
from kamkit.labels import check_language, t, words
from kamkit.periods import parse_as_of
from kamkit.plan import DEFAULT_THRESHOLDS, HORIZONS, MEASURES, STATUSES, StatusThresholds

__all__ = ["action_timeline_chart", "objective_progress_chart", "plan_vs_actual_chart"]

_MONTH_FORMAT = "%b"
_MONTH_YEAR_FORMAT = "%B %Y"
# Every month labelled by its short name; January and the first month with the year below.
_MONTH_LABELS = ("month(datum.value) === 0 || datum.index === 0 ? "
                 "[datum.label, timeFormat(datum.value, '%Y')] : datum.label")
_DASHES = {"target": [6, 4], "actual": [1, 0], "forecast": [2, 3]}
_SERIES_LABELS = {"target": "word.target", "actual": "plan_chart.actual",
                  "forecast": "word.forecast"}
_OBJECTIVE_LABEL_LIMIT = 300  # px of an objective's id and title on the axis
# The progress bars' room: beside the objectives' labels the chart fits the printed page's
# 703 px at its drawn scale (one chart's width of bars printed it at 0.8, 6.8 pt text)
_PROGRESS_WIDTH = 440
_PROGRESS_MAX = 1.5  # progress bars are drawn up to 150% of the way to the target
_PROGRESS_MIN = -1.5  # and down to -150% (moving away from it); the text gives the value
_PROGRESS_STEP = 0.25  # a tick every 25%; the axis starts at the step below the lowest bar
_PROGRESS_TEXT_INSIDE = 1.25  # bars longer than this carry their text inside
_UNIT_DECIMALS = {"score 0-10": 2}  # other units but EUR: one decimal
_ID_WIDTH_PX = 44  # room an action's id takes beside its point on the time axis
_ID_FONT = 10
_ID_DX = 8  # an id starts this far from its point's centre
_CHAR_PX = 0.7  # a character's width at most, in font sizes (an id's room at the as-of rule)
_LANE_PX = 18
_AS_OF_TEXT_LEFT_FROM = 0.8  # the as-of text goes left of its rule in the last fifth


def _month_axis(title: str | None) -> alt.Axis:
    """A tick a month, labelled by its short name in the chart's language (January and the
    first month with the year)."""
    return alt.Axis(format=_MONTH_FORMAT, labelExpr=_MONTH_LABELS,
                    tickCount={"interval": "month", "step": 1}, labelAngle=0, title=title)


# ---------------------------------------------------------------------------- P5


@built
def plan_vs_actual_chart(pva: pd.DataFrame, language: str,
                         fc: pd.DataFrame | None = None) -> Chart | None:
    """Cumulative targets against cumulative actuals over the plan period (P5).

    Parameters
    ----------
    pva
        ``plan.plan_vs_actual(account, as_of)``.
    language
        A report language ("en", "nl": ``kamkit.labels.LANGUAGES``).
    fc
        ``plan.forecast(account, as_of)`` (optional): adds a dotted forecast line from the
        last month with actuals to the period end, and a subtitle with the forecast, its
        achievement of the target and its status (coloured by status).

    Returns
    -------
    Chart or None
        One panel per measure (revenue above gross margin), months on the x axis: the
        cumulative target as a dashed line and the cumulative actual as a line with points
        over the months that have actuals. A measure without any target or actual other
        than zero gets no panel (flat lines at zero say nothing); None when the frame is
        empty or no measure has one.
    """
    check_language(language)
    if nothing(pva):
        return None
    forecasts = ({} if fc is None or nothing(fc) else
                 {row["measure"]: row for row in fc.to_dict("records")})
    shown = [measure for measure in MEASURES
             if _any_figure(pva, f"cum_{measure}_target", f"cum_{measure}")]
    if not shown:
        return None
    panels = [_measure_panel(pva, measure, forecasts.get(measure), measure == shown[-1],
                             language) for measure in shown]
    chart = panels[0] if len(panels) == 1 else alt.vconcat(*panels, spacing=24)
    actual = pva["cum_revenue"][pva["has_actual"].fillna(False).to_numpy().astype(bool)]
    target = pva["cum_revenue_target"].dropna()
    description = t("chart.desc.plan_vs_actual", language,
                    actual=fmt.amount(actual.iloc[-1] if not actual.empty else 0, language),
                    target=fmt.amount(target.iloc[-1] if not target.empty else None, language))
    return finish(chart, language, t("chart.title.plan_vs_actual", language), description)


def _any_figure(frame: pd.DataFrame, *columns: str) -> bool:
    """True when one of ``columns`` holds a figure other than zero."""
    return any((frame[column].fillna(0) != 0).any() for column in columns if column in frame)


def _measure_panel(pva: pd.DataFrame, measure: str, forecast: dict | None, titled: bool,
                   language: str) -> alt.LayerChart:
    """The cumulative target, actual and (given a forecast row) forecast of one measure;
    ``titled``: the month axis has a title (the lowest panel)."""
    names = {series: t(_SERIES_LABELS[series], language) for series in _DASHES}
    months = pd.to_datetime(pva["month"])
    wide = pd.DataFrame({
        "month": months.to_numpy(),
        "cum_target": pva[f"cum_{measure}_target"].to_numpy(),
        "cum_actual": pva[f"cum_{measure}"].to_numpy(),
        "achievement": (pva[f"cum_{measure}_achievement_pct"] / 100).to_numpy(),
        "month_target": pva[f"{measure}_target"].to_numpy(),
        "month_actual": pva[measure].to_numpy(),
    })
    actual = wide[pva["has_actual"].to_numpy() & wide["cum_actual"].notna().to_numpy()]
    parts = [wide.assign(series=names["target"], value=wide["cum_target"], end=False),
             actual.assign(series=names["actual"], value=actual["cum_actual"], end=False)]
    title: alt.TitleParams | str = t(f"plan_chart.{measure}", language)
    if forecast is not None and pd.notna(forecast["forecast"]):
        if not actual.empty and len(actual) < len(wide):
            ends = wide.iloc[[actual.index[-1], len(wide) - 1]]
            parts.append(ends.assign(series=names["forecast"], end=[False, True],
                                     value=[actual["cum_actual"].iloc[-1],
                                            forecast["forecast"]]))
        title = _forecast_title(t(f"plan_chart.{measure}", language), forecast, language)
    data = pd.concat(parts, ignore_index=True)
    domain = [names[s] for s in _DASHES]
    series_colours = [theme.TARGET, theme.US, theme.US]
    legend = alt.Legend(title=None, values=[s for s in domain if s in set(data["series"])])
    month_title = t("plan_chart.month", language)
    month_tip = alt.Tooltip("month:T", format=_MONTH_YEAR_FORMAT, title=month_title)
    tooltip = [month_tip,
               tip("cum_target", "word.to_date_target", language, "quantitative", "amount"),
               tip("cum_actual", "word.to_date_actual", language, "quantitative", "amount"),
               tip("achievement", "plan_chart.achievement", language, "quantitative",
                   PCT_FORMAT),
               tip("month_target", "plan_chart.month_target", language, "quantitative",
                   "amount"),
               tip("month_actual", "plan_chart.month_actual", language, "quantitative",
                   "amount")]
    base = alt.Chart().encode(  # its data on the layers' parent (``built``)
        x=alt.X("month:T", axis=_month_axis(month_title if titled else None),
                scale=alt.Scale(domain=[vega_date(months.min()), vega_date(months.max())])),
        y=alt.Y("value:Q", axis=amount_axis(f"plan_chart.cum_{measure}", language)),
    )
    lines = base.mark_line(strokeWidth=2).encode(
        color=alt.Color("series:N", scale=alt.Scale(domain=domain, range=series_colours),
                        legend=legend),
        strokeDash=alt.StrokeDash("series:N",
                                  scale=alt.Scale(domain=domain, range=list(_DASHES.values())),
                                  legend=legend),
    )
    # Points carry the tooltips: the target's are invisible, the actual's filled.
    target_points = base.transform_filter(alt.datum.series == names["target"]).mark_point(
        opacity=0, size=80).encode(tooltip=tooltip)
    actual_points = base.transform_filter(alt.datum.series == names["actual"]).mark_point(
        filled=True, size=40, color=theme.US, opacity=1).encode(tooltip=tooltip)
    forecast_end = base.transform_filter("datum.end").mark_point(
        shape="diamond", filled=True, size=80, color=theme.US, opacity=1).encode(
        tooltip=[month_tip, tip("value", "plan_chart.forecast", language, "quantitative",
                                "amount")])
    layers = [lines, target_points, actual_points]
    if data["end"].any():
        layers.append(forecast_end)
    return alt.LayerChart(data=data, layer=layers, width=theme.WIDTH,
                          height=int(theme.HEIGHT * 0.8), title=title)


def _forecast_title(measure_title: str, forecast: dict, language: str) -> alt.TitleParams:
    """The panel title with the forecast as subtitle, coloured by its status."""
    values = {"forecast": fmt.amount_short(forecast["forecast"], language),
              "achievement": fmt.per_cent(forecast["achievement_pct"], language)}
    status = forecast["status"]
    if pd.isna(status):
        return alt.TitleParams(measure_title, subtitle=t("plan_chart.forecast_only", language,
                                                         **values))
    return alt.TitleParams(
        measure_title,
        subtitle=t("plan_chart.forecast_status", language, **values,
                   status=words([status], "status.", language)[0]),
        subtitleColor=theme.STATUS_COLOURS.get(str(status), theme.TARGET),
        subtitleFontSize=12, subtitleFontWeight="bold")


# ---------------------------------------------------------------------------- P2


OBJECTIVE_STATUS = StatusThresholds(at_risk_below=1.0,
                                    off_track_below=DEFAULT_THRESHOLDS.off_track_below)
"""An objective's status by its progress: on track once its target is reached or forecast
to be (what "objectives on track" counts on the index), at risk from P5's off-track line."""


@built
def objective_progress_chart(status: pd.DataFrame, language: str) -> Chart | None:
    """How far each objective has come from its baseline to its target (P2).

    Parameters
    ----------
    status
        ``plan.objective_status(account, as_of)``.
    language
        A report language ("en", "nl": ``kamkit.labels.LANGUAGES``).

    Returns
    -------
    Chart or None
        One horizontal bar per objective with a ``progress`` (id and title on the y axis,
        in plan order), from 0 to its value: to the right towards the rule at 100% (the
        target), to the left below 0 for an objective moving away from its target, with a
        point at its value. The axis runs from 0 (or the 25% step below the lowest
        progress, at most -150%) to 150%; a bar beyond either end stops there and its text
        gives the value (red below 0). Coloured by status (``OBJECTIVE_STATUS``), the
        colours of P5's status: on track from 100% (the target reached or forecast to be,
        as the index counts objectives on track), at risk from 90%, off track below
        (green never means a bar going the wrong way). An objective that is
        not SMART says so after its name (and in its tooltip, the SMART check); None when
        the frame is empty or no objective has a progress.
    """
    check_language(language)
    if nothing(status, "progress"):
        return None
    rows = status[status["progress"].notna().to_numpy()]
    smart_keys: dict[bool | None, str] = {True: "plan_chart.smart_yes",
                                          False: "plan_chart.smart_no"}
    smart_names = [t(smart_keys.get(v, "plan_chart.smart_na"), language)
                   for v in (None if pd.isna(s) else bool(s) for s in rows["smart"])]
    statuses = [str(OBJECTIVE_STATUS.status(float(p))) for p in rows["progress"]]
    not_smart = t("plan_chart.smart_no", language)
    units = [str(u) if pd.notna(u) else "" for u in rows["unit"]]
    data = pd.DataFrame({
        # a long title is shortened before the verdict, never the verdict itself
        "objective": [fit_keeping_end(f"{i} {title}", f" ({not_smart})" if smart == not_smart
                                      else "", _OBJECTIVE_LABEL_LIMIT, theme.LABEL_SIZE)
                      for i, title, smart in zip(rows["id"], rows["title"], smart_names,
                                                 strict=True)],
        "title": [f"{i} {title}" for i, title in zip(rows["id"], rows["title"], strict=True)],
        "status": [t(f"status.{s}", language) for s in statuses],
        "progress": rows["progress"].to_numpy(),
        "shown": rows["progress"].clip(_PROGRESS_MIN, _PROGRESS_MAX).to_numpy(),
        "progress_text": [fmt.share(p, language) for p in rows["progress"]],
        "smart": smart_names,
        "scope": [str(s) if pd.notna(s) else "" for s in rows["scope"]],
        "unit": words(units, "unit.", language),
        **{column: [_metric_text(v, u, language) for v, u in zip(rows[column], units,
                                                                 strict=True)]
           for column in ("baseline", "current", "forecast", "target")},
    })
    domain = [t(f"status.{s}", language) for s in STATUSES]
    y = alt.Y("objective:N", sort=list(data["objective"]), title=None,  # "OB1 ..." says it
              axis=alt.Axis(labelLimit=_OBJECTIVE_LABEL_LIMIT, grid=False))
    tooltip = [tip("title", "word.objective", language),  # whole, as the axis may shorten it
               tip("scope", "word.scope", language),
               tip("baseline", "word.baseline", language),
               tip("current", "word.to_date_months", language),
               tip("forecast", "word.forecast", language),
               tip("target", "word.target", language),
               tip("unit", "word.unit", language),
               tip("progress_text", "plan_chart.progress", language),
               tip("status", "word.status", language),
               tip("smart", "plan_chart.smart", language)]
    low = min(0.0, math.floor(float(data["shown"].min()) / _PROGRESS_STEP) * _PROGRESS_STEP)
    ticks = [low + step * _PROGRESS_STEP
             for step in range(round((_PROGRESS_MAX - low) / _PROGRESS_STEP) + 1)]
    base = alt.Chart(data).encode(
        y=y, x=alt.X("shown:Q", scale=alt.Scale(domain=[low, _PROGRESS_MAX], nice=False),
                     axis=alt.Axis(format=PCT_FORMAT, values=ticks,
                                   title=t("plan_chart.progress", language))),
        tooltip=tooltip)
    colour = alt.Color("status:N", scale=alt.Scale(
        domain=domain, range=[theme.STATUS_COLOURS[s] for s in STATUSES]),
        legend=alt.Legend(title=t("word.status", language),
                          values=[d for d in domain if d in set(data["status"])]))
    bars = base.mark_bar(height={"band": 0.6}).encode(color=colour)
    inside = base.transform_filter(f"datum.shown > {_PROGRESS_TEXT_INSIDE}").mark_text(
        align="right", dx=-5, fontSize=11, color="white").encode(text=alt.Text("progress_text:N"))
    outside = base.transform_filter(
        f"datum.progress >= 0 && datum.shown <= {_PROGRESS_TEXT_INSIDE}").mark_text(
        align="left", dx=5, fontSize=11, color=theme.DARK_TEXT).encode(
        text=alt.Text("progress_text:N"))
    # Moving away from the target: the bar runs left of 0, a point pointing back marks
    # its value, and the value is written in red beside it.
    below = base.transform_filter("datum.progress < 0")
    backwards = below.mark_point(shape="triangle-left", filled=True, size=90,
                                 opacity=1).encode(color=colour)
    backwards_text = below.mark_text(align="left", dx=8, fontSize=11,
                                     color=theme.ALERT).encode(
        x=alt.XDatum(0), text=alt.Text("progress_text:N"))
    target = alt.Chart(pd.DataFrame({"x": [1.0]}))
    halo = target.mark_rule(color="white", strokeWidth=4).encode(x=alt.X("x:Q"))
    rule = target.mark_rule(color=theme.TARGET, strokeDash=[4, 3], strokeWidth=1.5).encode(
        x=alt.X("x:Q"))
    rule_text = target.mark_text(align="center", dy=-8, fontSize=11,
                                 color=theme.TARGET).encode(
        x=alt.X("x:Q"), y=alt.YValue(0), text=alt.TextValue(t("word.target", language)))
    height = max(60, 34 * len(data))
    chart = alt.layer(bars, halo, rule, backwards, inside, outside, backwards_text,
                      rule_text, width=_PROGRESS_WIDTH, height=height)
    objectives = "; ".join(f"{i} {p}" for i, p in zip(rows["id"], data["progress_text"],
                                                      strict=True))
    return finish(chart, language, t("chart.title.objective_progress", language),
                  t("chart.desc.objective_progress", language, objectives=objectives))


def _metric_text(value: object, unit: str, language: str) -> str:
    """A metric value in its unit: EUR as an amount, % with one decimal and a % sign."""
    if unit == MONEY:
        return fmt.amount(value, language)
    text = fmt.number(value, language, _UNIT_DECIMALS.get(unit, 1))
    return f"{text}%" if unit == "%" and pd.notna(value) else text


# ---------------------------------------------------------------------------- P4


@built
def action_timeline_chart(actions: pd.DataFrame, as_of: dt.date | str,
                          language: str) -> Chart | None:
    """The plan's actions on a time axis by due date, one row per horizon (P4).

    Parameters
    ----------
    actions
        ``plan.action_plan(account, as_of)``.
    as_of
        The date the horizons were computed for (a date, "2026-09-30" or "2026Q3"), drawn
        as a vertical rule.
    language
        A report language ("en", "nl": ``kamkit.labels.LANGUAGES``).

    Returns
    -------
    Chart or None
        A point per action at its due date, labelled with its id, in the row of its horizon
        (overdue, next 3 weeks, next 3 months, next 4 quarters, later, done; only the rows
        with actions); actions close in time within a row get lanes of their own. Overdue
        actions are red (``theme.ALERT``), the others coloured by status; None when the
        frame is empty.
    """
    check_language(language)
    if nothing(actions, "due"):
        return None
    day = pd.Timestamp(parse_as_of(as_of))
    rows = actions[actions["due"].notna().to_numpy()].reset_index(drop=True)
    due = pd.to_datetime(rows["due"])
    first, last = min(due.min(), day), max(due.max(), day)
    pad = max(pd.Timedelta(days=14), (last - first) * 0.04)
    first, last = first - pad, last + pad + (last - first) * 0.06  # room for the last id
    overdue = t("horizon.overdue", language)
    status_names = words(rows["status"], "action.", language)
    states = [overdue if late else name
              for late, name in zip(rows["overdue"], status_names, strict=True)]
    left = _left_of_rule(rows["id"], due, day, first, last)
    if left.any():  # an id left of its point stays inside the plot
        room = pd.Timedelta(days=_ID_WIDTH_PX * (last - first).days / theme.WIDTH)
        first = min(first, due[left].min() - room)
    days_per_px = (last - first).days / theme.WIDTH
    data = pd.DataFrame({
        "id": [str(v) for v in rows["id"]],
        "what": [str(v) for v in rows["what"]],
        "owner": [str(v) if pd.notna(v) else t("plan_chart.no_owner", language)
                  for v in rows["owner_name"]],
        "due": due.to_numpy(),
        "due_text": dates(rows["due"], language),
        "days_to_due": rows["days_to_due"].to_numpy(),
        "status": status_names,
        "state": states,
        "horizon": words(rows["horizon"], "horizon.", language),
        "objective": [f"{o} {title}" if pd.notna(o) else ""
                      for o, title in zip(rows["objective"], rows["objective_title"].fillna(""),
                                          strict=True)],
        "id_side": ["left" if v else "right" for v in left],
    })
    lanes = _lanes(rows["horizon"], due, left, pd.Timedelta(days=_ID_WIDTH_PX * days_per_px))
    data["row_y"], centres, separators, total = _horizon_rows(rows["horizon"], lanes)
    state_domain = [overdue, *words(ACTION_STATUSES, "action.", language)]
    state_colours = [theme.ALERT, *(theme.ACTION_COLOURS[s] for s in ACTION_STATUSES)]
    x = alt.X("due:T",
              scale=alt.Scale(domain=[vega_date(first), vega_date(last)]),
              axis=_month_axis(t("plan_chart.due", language)))
    tooltip = tips(language, ("id", "word.action"), ("what", "plan_chart.what"),
                   ("owner", "word.owner"), ("due_text", "plan_chart.due"),
                   ("days_to_due", "plan_chart.days_to_due", "quantitative"),
                   ("status", "word.status"), ("horizon", "word.horizon"),
                   ("objective", "word.objective"))
    base = alt.Chart(data).encode(
        x=x,
        y=alt.Y("row_y:Q", scale=alt.Scale(domain=[0, total], reverse=True, nice=False,
                                           zero=False),
                axis=alt.Axis(values=list(centres), grid=False, ticks=False, domain=False,
                              labelExpr=_lookup(centres, "horizon.", language),
                              labelPadding=8, title=t("word.horizon", language))),
        tooltip=tooltip)
    points = base.mark_point(filled=True, size=110, opacity=0.95).encode(
        color=alt.Color("state:N", scale=alt.Scale(domain=state_domain, range=state_colours),
                        legend=alt.Legend(title=t("word.status", language),
                                          values=[s for s in state_domain
                                                  if s in set(states)])))
    # an id the as-of rule would cross goes left of its point (a layer of its own)
    placed: list[tuple[alt.Chart, Literal["left", "right"], int]] = [(base, "left", _ID_DX)]
    if left.any():
        def side(name: str) -> alt.Chart:
            return base.transform_filter(alt.FieldEqualPredicate(field="id_side", equal=name))

        placed = [(side("right"), "left", _ID_DX), (side("left"), "right", -_ID_DX)]
    ids = [on.mark_text(align=align, dx=dx, fontSize=_ID_FONT, color="#333333").encode(
        text=alt.Text("id:N")) for on, align, dx in placed]
    when = pd.DataFrame({"due": [day], "text": [t("plan_chart.as_of", language,
                                                   date=dates(pd.Series([day]), language)[0])]})
    rule = alt.Chart(when).mark_rule(color=theme.TARGET, strokeDash=[4, 3],
                                     strokeWidth=1.5).encode(x=x)
    late = (day - first) / (last - first) > _AS_OF_TEXT_LEFT_FROM  # text left of the rule
    rule_text = alt.Chart(when).mark_text(align="right" if late else "left",
                                          dx=-4 if late else 4, dy=-8, fontSize=11,
                                          color=theme.TARGET).encode(
        x=x, y=alt.YValue(0), text=alt.Text("text:N"))
    layers = [rule, points, *ids, rule_text]
    if separators:
        layers.insert(0, alt.Chart(pd.DataFrame({"y": separators})).mark_rule(
            color="#dddddd").encode(y=alt.Y("y:Q")))
    chart = alt.layer(*layers, width=theme.WIDTH, height=total * _LANE_PX)
    description = t("chart.desc.actions", language, actions=len(data),
                    overdue=int((data["state"] == overdue).sum()),
                    done=int((rows["status"] == "done").sum()))
    return finish(chart, language, t("chart.title.actions", language), description)


def _lookup(codes: dict[float, str], prefix: str, language: str) -> str:
    """A Vega expression labelling each axis value with its code's label ("" elsewhere)."""
    names = words(codes.values(), prefix, language)
    return "".join(f"datum.value === {value!r} ? {json.dumps(name)} : "
                   for value, name in zip(codes, names, strict=True)) + "''"


def _horizon_rows(horizons: pd.Series, lanes: list[int],
                  ) -> tuple[list[float], dict[float, str], list[float], float]:
    """Where each action sits on the y axis (in lanes, from the top): one row per horizon
    present, in the order of ``HORIZONS``, as high as its lanes plus half a lane above and
    below. Also the rows' centres (for the axis labels, with the horizon's code), the
    lines between the rows and the total height."""
    codes = [str(h) for h in horizons]
    present = [h for h in HORIZONS if h in set(codes)]
    present += sorted(set(codes) - set(present))
    top: dict[str, float] = {}
    size: dict[str, int] = {}
    position = 0.0
    for horizon in present:
        size[horizon] = 1 + max(lane for code, lane in zip(codes, lanes, strict=True)
                                if code == horizon)
        top[horizon] = position
        position += size[horizon] + 1
    centres = {top[h] + (size[h] + 1) / 2: h for h in present}
    places = [top[code] + 1 + lane for code, lane in zip(codes, lanes, strict=True)]
    return places, centres, [top[h] for h in present[1:]], position


def _left_of_rule(ids: pd.Series, due: pd.Series, day: pd.Timestamp, first: pd.Timestamp,
                  last: pd.Timestamp) -> pd.Series:
    """Whether each action's id goes left of its point: where the as-of rule (at ``day``)
    would cross the id's text on the right, on a time axis from ``first`` to ``last``."""
    px = theme.WIDTH / (last - first).total_seconds()
    to_rule = (day - due).dt.total_seconds() * px
    room = _ID_DX + ids.astype(str).str.len() * _ID_FONT * _CHAR_PX + 2
    return (to_rule > 0) & (to_rule <= room)


def _lanes(horizons: pd.Series, due: pd.Series, left: pd.Series,
           width: pd.Timedelta) -> list[int]:
    """A lane per action within its horizon row so that ids do not overlap: the first lane
    whose last id ends before this one starts (an id takes ``width`` right of its point,
    or left of it where ``left``; actions taken by where their id starts)."""
    starts = due - width * left.astype(int)
    lanes = [0] * len(due)
    ends: dict[tuple[object, int], pd.Timestamp] = {}
    for position in sorted(range(len(due)), key=lambda i: starts.iloc[i]):
        horizon, start = horizons.iloc[position], starts.iloc[position]
        lane = 0
        while (horizon, lane) in ends and start < ends[(horizon, lane)]:
            lane += 1
        ends[(horizon, lane)] = start + width
        lanes[position] = lane
    return lanes
