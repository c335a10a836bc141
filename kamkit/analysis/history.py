"""The account's history with us (A4): revenue by year, the timeline of events, and the
customer's voice (satisfaction scores and complaints from feedback.csv).

Money is in the workbook's currency in columns named for the amount (``revenue``); ``*_pct``
columns are percentages (per cent, not fractions); a percentage whose denominator is 0 or
missing is NA (NaN).
"""

from __future__ import annotations

import datetime as dt
from typing import cast

import numpy as np
import pandas as pd

from kamkit.frames import empty, frame_of, shares, typed
from kamkit.grouping import Groups
from kamkit.memo import per_account
from kamkit.periods import months_covered, parse_as_of
from kamkit.workbook import AccountData


@per_account
def revenue_by_year(account: AccountData) -> pd.DataFrame:
    """Our revenue and gross margin from the account per calendar year (A4).

    Years from the account's first year with sales to the last year of the workbook's
    sales history are all present, with 0 where nothing was sold, so a growth rate never
    skips a year and an account that stopped buying shows 0 and -100%.

    Parameters
    ----------
    account
        One account's data (``cut_off`` it first for an as-of view).

    Returns
    -------
    DataFrame
        One row per year, oldest first: ``year``, ``revenue``, ``gross_margin``,
        ``margin_pct`` (gross margin / revenue x 100; NA when revenue is 0),
        ``growth_pct`` (revenue against the year before, x 100; NA for the first year or
        when the year before is 0, and where this year or the one before is partial),
        ``months_with_sales`` (months with at least one sales row), ``months_covered`` (the
        months of the year the workbook's sales history covers, every account together) and
        ``partial`` (fewer than 12 covered: the history's first or last year, such as the
        running one; an account that buys seasonally has full years).
    """
    sales = account.sales
    # grouped with ``Groups`` (the bits of ``groupby("year")``) and built as one frame: on
    # one account's rows pandas' groupby, reindex and assign took longer than the sums
    months = pd.to_datetime(sales["month"])
    dated = months.notna().to_numpy()
    if not dated.any():
        return empty(_REVENUE_COLUMNS)
    month = months[dated]
    groups = Groups(month.dt.year.tolist())
    sold: dict[int, tuple[float, float, int]] = {
        cast(int, year): (revenue, margin, count) for (year,), revenue, margin, count in zip(
            groups.keys, groups.sums(sales["revenue"][dated]).tolist(),
            groups.sums_if_known(sales["gross_margin"][dated]).tolist(),
            groups.distinct(month), strict=True)}
    # the workbook's history as a whole (else the account's own): an account that stopped
    # buying has its years to the end of it, with 0
    first, last = account.sales_months or (month.min(), month.max())
    years = range(min(sold), max(max(sold), last.year) + 1)
    rows = [sold.get(year, (0.0, 0.0, 0)) for year in years]  # 0 in a year without sales
    revenue = np.array([row[0] for row in rows], dtype="float64")
    margins = np.array([row[1] for row in rows], dtype="float64")
    with_sales = np.array([row[2] for row in rows], dtype="int64")
    covered = np.array(months_covered(years, first, last), dtype="int64")
    partial = covered < 12
    previous = np.r_[np.nan, revenue[:-1]]
    # a partial year's growth would compare months with a year: not computed
    growth = np.where(partial | np.r_[False, partial[:-1]], np.nan,
                      shares(revenue - previous, previous))
    return frame_of({"year": list(years), "revenue": revenue, "gross_margin": margins,
                     "margin_pct": shares(margins, revenue) * 100, "growth_pct": growth * 100,
                     "months_with_sales": with_sales, "months_covered": covered,
                     "partial": partial}, _REVENUE_COLUMNS)


_REVENUE_COLUMNS = {"year": "Int64", "revenue": "float64", "gross_margin": "float64",
                    "margin_pct": "float64", "growth_pct": "float64",
                    "months_with_sales": "int64", "months_covered": "int64", "partial": "bool"}


def timeline(account: AccountData) -> pd.DataFrame:
    """The account's history events, oldest first (A4).

    Parameters
    ----------
    account
        One account's data.

    Returns
    -------
    DataFrame
        ``date`` (datetime64), ``type`` (won, lost, contract, ...), ``description`` and
        ``amount`` (NA when not given). Events on the same day keep the workbook order.
    """
    history = account.history.sort_values("date", kind="stable", na_position="last")
    return typed(history, {"date": "datetime64[s]", "type": "string",
                           "description": "string", "amount": "float64"})


def _feedback_of(account: AccountData, kind: str) -> pd.DataFrame:
    """The account's feedback rows of one kind, oldest first, with the service's name."""
    feedback = account.feedback
    rows = feedback[(feedback["kind"] == kind).fillna(False).to_numpy()]
    rows = rows.sort_values("date", kind="stable", na_position="last")
    services = dict(zip(account.services["service"], account.services["name"], strict=True))
    return rows.assign(service_name=rows["service"].map(
        lambda s: services.get(s, s) if pd.notna(s) else pd.NA))


def satisfaction(account: AccountData) -> pd.DataFrame:
    """The customer's satisfaction scores over time (A4, the customer's voice).

    Parameters
    ----------
    account
        One account's data (``cut_off`` it first for an as-of view).

    Returns
    -------
    DataFrame
        One row per ``satisfaction`` row of feedback.csv with a score, oldest first:
        ``date``, ``score`` (0-10), ``service`` and ``service_name`` (NA for the whole
        account) and ``description``.
    """
    rows = _feedback_of(account, "satisfaction").dropna(subset=["score"])
    return typed(rows, {"date": "datetime64[s]", "score": "float64", "service": "string",
                        "service_name": "string", "description": "string"})


COMPLAINT_STATUSES = ("open", "closed")
"""The ``status`` codes of ``complaints``."""


def complaints(account: AccountData, as_of: dt.date | str) -> pd.DataFrame:
    """The customer's complaints with their status on ``as_of`` (A4, the customer's voice).

    A complaint is open until its ``closed`` date; one closed after ``as_of`` is still open
    on ``as_of``; one made after ``as_of`` is left out.

    Parameters
    ----------
    account
        One account's data.
    as_of
        The date the status is for (a date, "2026-09-30" or "2026Q3").

    Returns
    -------
    DataFrame
        One row per ``complaint`` row of feedback.csv, oldest first: ``date``, ``service``,
        ``service_name``, ``description``, ``closed`` (NaT while open on ``as_of``),
        ``status`` ("open" or "closed") and ``days`` (days from the complaint to its
        closing, or to ``as_of`` while open).
    """
    day = pd.Timestamp(parse_as_of(as_of))
    rows = _feedback_of(account, "complaint")
    rows = rows[(rows["date"] <= day).fillna(False).to_numpy()]
    closed = pd.to_datetime(rows["closed"]).where(pd.to_datetime(rows["closed"]) <= day)
    is_open = closed.isna().to_numpy()
    until = closed.where(~is_open, day)
    result = rows.assign(
        closed=closed, status=pd.Series(["open" if o else "closed" for o in is_open],
                                        index=rows.index, dtype="string"),
        days=(until - pd.to_datetime(rows["date"])).dt.days)
    return typed(result, {"date": "datetime64[s]", "service": "string",
                          "service_name": "string", "description": "string",
                          "closed": "datetime64[s]", "status": "string", "days": "Int64"})
