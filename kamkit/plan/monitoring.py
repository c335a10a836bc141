"""Monitoring the plan's revenue and gross margin (P5): monthly targets, actuals against
them, and a forecast to the period end with an on-track status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamkit.analysis.as_of import cut_off
from kamkit.errors import KamkitError
from kamkit.frames import empty, frame_of, shares, typed
from kamkit.grouping import Groups, floats
from kamkit.memo import per_account
from kamkit.periods import months, parse_as_of
from kamkit.plan._common import plan_of, ratio
from kamkit.plan.forecasting import complete_months, run_rate, seasonality
from kamkit.workbook import AccountData

MEASURES = ("revenue", "gross_margin")
"""The measures monitored, as in the column names (``revenue``, ``revenue_target``, ...)."""

STATUSES = ("on_track", "at_risk", "off_track")
"""The ``status`` codes of ``forecast``, best first."""

_TOLERANCE = 1e-9  # an achievement this close to a threshold counts as on it


@dataclass(frozen=True)
class StatusThresholds:
    """When a forecast is on track, at risk or off track.

    An achievement (forecast / target) below ``at_risk_below`` is at risk, below
    ``off_track_below`` off track, otherwise on track; a value exactly on a threshold counts
    as the better status. Both are fractions: 0.97 is 97%.
    """

    at_risk_below: float = 0.97
    off_track_below: float = 0.90

    def __post_init__(self) -> None:
        if not 0 <= self.off_track_below <= self.at_risk_below:
            raise KamkitError(
                f"StatusThresholds need 0 <= off_track_below <= at_risk_below, got "
                f"off_track_below={self.off_track_below}, at_risk_below={self.at_risk_below}."
            )

    def status(self, achievement: float) -> object:
        """"on_track", "at_risk" or "off_track" for an achievement fraction; NA for NA."""
        if pd.isna(achievement):
            return pd.NA
        if achievement >= self.at_risk_below - _TOLERANCE:
            return "on_track"
        if achievement >= self.off_track_below - _TOLERANCE:
            return "at_risk"
        return "off_track"


DEFAULT_THRESHOLDS = StatusThresholds()


_TARGET_COLUMNS: dict[str, object] = {
    "month": "datetime64[s]", "revenue_target": "float64",
    "gross_margin_target": "float64", "phasing": "string",
}


@per_account
def monthly_targets(account: AccountData) -> pd.DataFrame:
    """The plan's revenue and gross margin targets per month of the plan period (P5).

    A month listed in ``targets.monthly`` takes those targets ("monthly"). The other
    months share what the annual target (``targets.annual``, taken as the target of the
    whole plan period) leaves after the listed months, by the account's own seasonality:
    each month in proportion to its calendar month's share of the revenue of the last up
    to 3 whole years before the period (``seasonality``; "seasonal"), or in equal parts
    when there is no such history or it holds no revenue in those months ("equal"). The
    gross margin is phased like the revenue. Without an annual target the other months
    are NA (phasing NA). Monthly targets outside the period are ignored; when the listed
    months already add up to more than the annual target, the other months get 0 (the
    validator warns about such a plan).

    Parameters
    ----------
    account
        One account's data.

    Returns
    -------
    DataFrame
        One row per month of the plan period: ``month`` (its first day),
        ``revenue_target``, ``gross_margin_target`` and ``phasing``. Empty with
        these columns when the account has no plan.
    """
    plan = plan_of(account)
    if plan is None:
        return empty(_TARGET_COLUMNS)
    frame = pd.DataFrame({"month": months(plan.period.start, plan.period.end)})
    given = {pd.Timestamp(f"{m.month}-01"): m for m in plan.targets.monthly}
    listed = frame["month"].isin(set(given)).to_numpy()
    frame = frame.assign(
        revenue_target=[given[m].revenue if m in given else np.nan
                            for m in frame["month"]],
        gross_margin_target=[given[m].gross_margin if m in given else np.nan
                                 for m in frame["month"]],
        # numpy's stubs take no None filler; it gives an object column with missing values
        phasing=np.where(listed, "monthly", None),  # type: ignore[call-overload]
    )
    weights, how = _weights(account, plan.period.start, frame.loc[~listed, "month"])
    annual = plan.targets.annual
    for measure, total in (("revenue", annual.revenue),
                           ("gross_margin", annual.gross_margin)):
        if total is None or listed.all():
            continue
        column = f"{measure}_target"
        rest = max(total - frame.loc[listed, column].sum(), 0.0)
        frame.loc[~listed, column] = rest * weights
        frame.loc[~listed, "phasing"] = how
    return typed(frame, _TARGET_COLUMNS)


def _weights(account: AccountData, start: dt.date,
             months_to_phase: pd.Series) -> tuple[np.ndarray, str]:
    """Each month's part of a remainder: by seasonality, or equal parts without one."""
    shares = seasonality(account, start).set_index("calendar_month")["share"]
    weights = months_to_phase.dt.month.map(shares).fillna(0.0).to_numpy()
    if weights.sum() > 0:
        return weights / weights.sum(), "seasonal"
    count = max(len(months_to_phase), 1)
    return np.full(len(months_to_phase), 1 / count), "equal"


_ACTUAL_COLUMNS: dict[str, object] = {
    "month": "datetime64[s]", "revenue_target": "float64",
    "gross_margin_target": "float64", "revenue": "float64",
    "gross_margin": "float64", "has_actual": "bool",
    "cum_revenue_target": "float64", "cum_gross_margin_target": "float64",
    "cum_revenue": "float64", "cum_gross_margin": "float64",
    "cum_revenue_achievement_pct": "float64", "cum_gross_margin_achievement_pct": "float64",
}


@per_account
def plan_vs_actual(account: AccountData, as_of: dt.date | str) -> pd.DataFrame:
    """Targets and actual sales per month of the plan period, and both cumulated (P5).

    A month has actuals once it has ended on ``as_of`` (``forecasting.complete_months``):
    the running month is left out, so a month that has only begun is not set against its
    whole target. A complete month without sales rows has 0, a later month NA.

    Parameters
    ----------
    account
        One account's data.
    as_of
        The date actuals run to (a date, "2026-09-30" or "2026Q3").

    Returns
    -------
    DataFrame
        One row per month of the plan period: ``month``, ``revenue_target``,
        ``gross_margin_target`` (see ``monthly_targets``), ``revenue``,
        ``gross_margin`` (actuals; NA after ``as_of``), ``has_actual``,
        ``cum_revenue_target``, ``cum_gross_margin_target`` (cumulated from the
        period start), ``cum_revenue``, ``cum_gross_margin`` (NA after ``as_of``)
        and ``cum_revenue_achievement_pct``, ``cum_gross_margin_achievement_pct``
        (cumulated actual / cumulated target x 100; NA when the target is 0 or NA). Empty
        with these columns when the account has no plan.
    """
    targets = monthly_targets(account)
    if targets.empty:
        return empty(_ACTUAL_COLUMNS)
    day = parse_as_of(as_of)
    sales = cut_off(account, day).sales
    plan = plan_of(account)
    assert plan is not None
    done = complete_months(plan.period.start, plan.period.end, day)
    has_actual = targets["month"].isin(set(done)).to_numpy()
    # grouped with ``Groups`` and built as one frame: the bits of ``total_if_known``, a
    # reindex and cumulative sums, without pandas' groupby, reindex and assign
    by_month = Groups(sales["month"])
    position = {month: number for number, month in enumerate(by_month.key_column(0))}
    columns: dict[str, object] = {**{name: targets[name] for name in _TARGET_COLUMNS
                                     if name != "phasing"}, "has_actual": has_actual}
    for measure in MEASURES:
        sold = by_month.sums_if_known(sales[measure])
        # a month without sales is 0; a month whose margin is unknown stays unknown, and so
        # does every total through it
        actual = np.array([sold[position[month]] if month in position else 0.0
                           for month in targets["month"]], dtype="float64")
        cum_target = _cumulative(floats(targets[f"{measure}_target"]))
        cum_actual = np.where(has_actual, np.cumsum(actual), np.nan)
        columns |= {measure: np.where(has_actual, actual, np.nan),
                    f"cum_{measure}_target": cum_target, f"cum_{measure}": cum_actual,
                    f"cum_{measure}_achievement_pct": shares(cum_actual, cum_target) * 100}
    return frame_of(columns, _ACTUAL_COLUMNS)


def _cumulative(values: np.ndarray) -> np.ndarray:
    """The running total of ``values``, NaN where a value is missing and the later totals
    without it: the bits of ``Series.cumsum()``."""
    missing = np.isnan(values)
    totals = np.cumsum(np.where(missing, 0.0, values))
    totals[missing] = np.nan
    return totals


_FORECAST_COLUMNS: dict[str, object] = {
    "measure": "string", "target": "float64", "target_to_date": "float64",
    "actual_to_date": "float64", "remaining_target": "float64",
    "achievement_to_date_pct": "float64", "forecast": "float64",
    "achievement_pct": "float64", "status": "string", "months_elapsed": "int64",
    "months_total": "int64", "through": "datetime64[s]", "weighting": "string",
}


@per_account
def forecast(account: AccountData, as_of: dt.date | str,
             thresholds: StatusThresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """The revenue and gross margin expected at the end of the plan period, and a status (P5).

    ``forecast`` is ``forecasting.run_rate`` over the plan period, the one forecast
    kamkit makes (the P2 objectives, the findings and the key figures use it too): the
    actual of the complete months, extrapolated to the period end by the account's
    seasonality (equal months without one). The running month is left out of the actual,
    the target to date and the forecast alike. ``achievement_to_date_pct = actual to date /
    target to date x 100`` over the complete months; ``achievement_pct = forecast / target
    x 100`` (NA when the target is 0 or NA); ``status`` compares it (as a fraction) with
    ``thresholds``. Before the first month of the period has ended there is nothing to
    judge: forecast and status are NA. After the period end the forecast is the actual.

    Parameters
    ----------
    account
        One account's data.
    as_of
        The date actuals run to (a date, "2026-09-30" or "2026Q3").
    thresholds
        When the forecast is at risk or off track (default: below 97% and 90%).

    Returns
    -------
    DataFrame
        One row per measure ("revenue", "gross_margin"): ``measure``, ``target`` (the
        period's target), ``target_to_date``, ``actual_to_date``,
        ``remaining_target``, ``achievement_to_date_pct``, ``forecast``,
        ``achievement_pct``, ``status`` (one of ``STATUSES`` or NA), ``months_elapsed``
        (complete months), ``months_total``, ``through`` (the last day counted: the end of
        the last complete month; NaT before any) and ``weighting`` ("seasonal" or "equal").
        Empty with these columns when the account has no plan.
    """
    monthly = plan_vs_actual(account, as_of)
    if monthly.empty:
        return empty(_FORECAST_COLUMNS)
    plan = plan_of(account)
    assert plan is not None
    day = parse_as_of(as_of)
    known = cut_off(account, day)
    elapsed = monthly["has_actual"].to_numpy()
    rows = []
    for measure in MEASURES:
        targets = monthly[f"{measure}_target"]
        target = targets.sum(min_count=1)
        to_date = targets[elapsed].sum()
        actual = monthly.loc[elapsed, measure].sum(skipna=False)  # NaN: unknown
        remaining = targets[~elapsed].sum(min_count=1) if (~elapsed).any() else 0.0
        rate = run_rate(known, measure, plan.period.start, plan.period.end, day)
        achievement = ratio(rate.forecast, target)
        rows.append({
            "measure": measure, "target": target, "target_to_date": to_date,
            "actual_to_date": actual, "remaining_target": remaining,
            "achievement_to_date_pct": ratio(actual, to_date) * 100,
            "forecast": rate.forecast, "achievement_pct": achievement * 100,
            "status": thresholds.status(achievement),
            "months_elapsed": int(elapsed.sum()), "months_total": len(monthly),
            "through": pd.Timestamp(rate.through) if rate.through else pd.NaT,
            "weighting": rate.weighting,
        })
    return typed(pd.DataFrame(rows), _FORECAST_COLUMNS)


_RECONCILE_COLUMNS: dict[str, object] = {
    "id": "string", "measure": "string", "objective_target": "float64",
    "plan_target": "float64", "difference": "float64", "forecast": "float64",
    "plan_target_source": "string",
}


def reconcile_targets(status: pd.DataFrame, fc: pd.DataFrame,
                      targets: pd.DataFrame) -> pd.DataFrame:
    """Where a P2 objective and P5 monitoring target the same figure, how their targets
    differ.

    An objective targets what P5 monitors when its metric is revenue or gross margin, it
    has no scope (the whole account) and its deadline is the plan period's end (or it has
    none). Both are forecast by ``forecasting.run_rate`` over the same months, so their
    forecasts are equal; only the targets can differ, because they are written in two
    places of the plan: the objective's ``target`` and P5's ``targets`` (the annual target,
    or the sum of the monthly targets).

    Parameters
    ----------
    status
        ``objective_status(account, as_of)``.
    fc
        ``forecast(account, as_of)``.
    targets
        ``monthly_targets(account)``: tells whether P5's target is the sum of monthly
        targets.

    Returns
    -------
    DataFrame
        One row per such objective: ``id``, ``measure``, ``objective_target``,
        ``plan_target`` (P5's target of the period), ``difference`` (P5's minus the
        objective's; 0 when they agree), ``forecast`` (the one forecast both are
        judged on) and ``plan_target_source`` ("monthly": the plan's monthly targets add
        up to it; "annual": the annual target, phased).
    """
    if status.empty or fc.empty:
        return empty(_RECONCILE_COLUMNS)
    last_month = targets["month"].max()  # a deadline in it is the period end
    whole = (status["service"].isna() & status["location"].isna()).to_numpy()
    to_end = (status["deadline"].isna() | (status["deadline"] >= last_month)).to_numpy()
    measured = status["metric"].isin(MEASURES).fillna(False).to_numpy()
    rows = status[whole & to_end & measured & status["target"].notna().to_numpy()]
    if rows.empty:
        return empty(_RECONCILE_COLUMNS)
    plan = fc.set_index("measure")
    source = "monthly" if (targets["phasing"] == "monthly").all() else "annual"
    result = pd.DataFrame({
        "id": rows["id"], "measure": rows["metric"], "objective_target": rows["target"],
        "plan_target": rows["metric"].map(plan["target"]),
        "forecast": rows["metric"].map(plan["forecast"]),
        "plan_target_source": source,
    })
    result = result.assign(
        difference=result["plan_target"] - result["objective_target"])
    return typed(result, _RECONCILE_COLUMNS)
