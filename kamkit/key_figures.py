"""The key figures of an account, and of every account of a workbook at once: what the
management index, the workbench's portfolio view and ``Workbook.key_figures`` show, from
``kamkit.analysis`` and ``kamkit.plan``."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import pandas as pd

from kamkit import analysis as an
from kamkit.periods import last_full_year
from kamkit.plan import forecast
from kamkit.workbook import AccountData, Workbook


def _first(rows: pd.DataFrame, column: str) -> float | None:
    values = rows[column]
    if values.empty or pd.isna(values.iloc[0]):
        return None
    value = float(values.iloc[0])
    return None if math.isinf(value) else value


def _value(frame: pd.DataFrame, year: int, column: str) -> float | None:
    return _first(frame[frame["year"] == year], column)


PLAN_REASONS = ("no_plan", "no_revenue_target", "not_started", "no_forecast")
"""Why an account has no plan status (``plan_status_reason``): no plan; a plan without a
revenue target (none, or 0, in its monthly targets); nothing to judge yet (no month of the
plan period has ended); no forecast for another reason."""

GROWTH_REASONS = ("no_revenue", "first_year", "part_year", "no_revenue_before")
"""Why a year's revenue growth is not known (``revenue_growth_reason``): no revenue that
year; the account's first year of sales; that year or the one before is a part of a year in
the workbook's sales history; no revenue the year before."""


SHARE_REASONS = ("no_estimate", "no_spend", "no_estimate_before", "no_spend_before")
"""Why a year's share of wallet, or its change on the year before, is not known
(``share_reason``, ``share_change_reason``): no spend estimate that year, or its spend
estimated at 0; the same of the year before (a change only)."""


def _share_reason(wallet: pd.DataFrame, year: int) -> str | None:
    """Why the share of ``year`` in ``wallet`` (``analysis.share_of_wallet``) is not known;
    None when it is."""
    if _value(wallet, year, "share") is not None:
        return None
    spend = _value(wallet, year, "spend")
    return "no_spend" if spend is not None and spend <= 0 else "no_estimate"


def _plan_reason(account: AccountData, revenue_plan: pd.DataFrame) -> str:
    """Why ``revenue_plan`` (the revenue row of ``plan.forecast``) has no status."""
    document = account.document
    if revenue_plan.empty or document is None or document.plan is None:
        return "no_plan"
    row = revenue_plan.iloc[0]
    if pd.isna(row["target"]) or row["target"] == 0:
        return "no_revenue_target"
    return "not_started" if row["months_elapsed"] == 0 else "no_forecast"


def growth_reason(revenue: pd.DataFrame, year: int) -> str | None:
    """Why the growth of ``year`` in ``revenue`` (``analysis.revenue_by_year``, or the
    portfolio's total of it) is not known, one of ``GROWTH_REASONS``; None when it is."""
    rows = revenue.set_index("year")
    if year not in rows.index or not rows.at[year, "revenue"]:
        return "no_revenue"
    if pd.notna(rows.at[year, "growth_pct"]):
        return None
    if year - 1 not in rows.index:
        return "first_year"
    if rows.at[year, "partial"] or rows.at[year - 1, "partial"]:
        return "part_year"
    return "no_revenue_before"


def account_key_figures(account: AccountData,
                        as_of: dt.date) -> dict[str, float | int | str | None]:
    """Revenue, its growth, margin and share of wallet of the last full year, the change of
    the share against the year before, and where the plan's revenue is heading, from the
    account's data as of ``as_of``.

    Returns
    -------
    dict
        ``year``; ``revenue`` (None in a year without sales: a prospect's);
        ``revenue_growth_pct`` and ``margin_pct`` in per cent, and
        ``revenue_growth_reason`` (one of ``GROWTH_REASONS`` when the growth is not known,
        else None);
        ``share`` as a fraction; ``share_change_pts`` in percentage points;
        ``share_reason`` and ``share_change_reason`` (one of ``SHARE_REASONS`` when the
        share or its change is not known, else None);
        ``plan_status`` ("on_track", "at_risk" or "off_track": the plan period's revenue
        forecast against its target, from ``plan.forecast``, whose forecast is
        ``plan.run_rate``, the one P2 and the reports use) and ``plan_achievement_pct``
        (that forecast / target, in per cent), and ``plan_status_reason`` (one of
        ``PLAN_REASONS`` without a status, else None). None where a figure cannot be
        computed (no spend estimate, no year before, no plan or nothing to judge yet).
    """
    known = an.cut_off(account, as_of)
    year = last_full_year(as_of)
    revenue = an.revenue_by_year(known)
    wallet = an.share_of_wallet(known, by=("year",))
    share, before = _value(wallet, year, "share"), _value(wallet, year - 1, "share")
    share_reason = _share_reason(wallet, year)
    before_reason = _share_reason(wallet, year - 1)
    plan = forecast(known, as_of)
    revenue_plan = plan[plan["measure"] == "revenue"]
    status = None if revenue_plan.empty else revenue_plan["status"].iloc[0]
    status = None if status is None or pd.isna(status) else str(status)
    return {
        "year": year,
        "revenue": _value(revenue, year, "revenue"),
        "revenue_growth_pct": _value(revenue, year, "growth_pct"),
        "revenue_growth_reason": growth_reason(revenue, year),
        "margin_pct": _value(revenue, year, "margin_pct"),
        "share": share,
        "share_change_pts": (share - before) * 100
        if share is not None and before is not None else None,
        "share_reason": share_reason,
        "share_change_reason": share_reason or (before_reason and f"{before_reason}_before"),
        "plan_status": status,
        "plan_achievement_pct": _first(revenue_plan, "achievement_pct") if status else None,
        "plan_status_reason": None if status else _plan_reason(known, revenue_plan),
    }


COLUMNS = ("account_id", "name", "status", "kam", "year", "revenue", "revenue_growth_pct",
           "revenue_growth_reason", "margin_pct", "share", "share_change_pts", "share_reason",
           "share_change_reason", "plan_status", "plan_achievement_pct", "plan_status_reason")
"""The columns of ``key_figures``, in order."""


def key_figures(workbook: Workbook, as_of: dt.date,
                account_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """The key figures of every account (or of ``account_ids``) as of ``as_of``, one row each.

    Returns
    -------
    DataFrame
        ``COLUMNS``: the account's id, name, status and KAM (person id) from accounts.csv,
        then the figures of ``account_key_figures`` (NA where one cannot be computed), in
        workbook order.
    """
    accounts = workbook.accounts.set_index("account_id")
    rows = []
    for account_id in account_ids if account_ids is not None else workbook.account_ids:
        info = accounts.loc[account_id]
        figures = account_key_figures(workbook.account(account_id), as_of)
        rows.append({"account_id": account_id, "name": info["name"], "status": info["status"],
                     "kam": info["kam"], **figures})
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    numeric = ["revenue", "revenue_growth_pct", "margin_pct", "share", "share_change_pts",
               "plan_achievement_pct"]
    return frame.astype({column: "float64" for column in numeric} | {"year": "Int64"})
