"""The account's history with us (A4): revenue by year and the timeline of events.

Money is in EUR in ``*_eur`` columns; ``*_pct`` columns are percentages (per cent, not
fractions); a percentage whose denominator is 0 or missing is NA (NaN).
"""

from __future__ import annotations

import pandas as pd

from kamkit.frames import share, typed
from kamkit.workbook import AccountData


def revenue_by_year(account: AccountData) -> pd.DataFrame:
    """Our revenue and gross margin from the account per calendar year (A4).

    Years between the first and the last year with sales are all present, with 0 where
    nothing was sold, so a growth rate never skips a year.

    Parameters
    ----------
    account
        One account's data (``cut_off`` it first for an as-of view).

    Returns
    -------
    DataFrame
        One row per year, oldest first: ``year``, ``revenue_eur``, ``gross_margin_eur``,
        ``margin_pct`` (gross margin / revenue x 100; NA when revenue is 0),
        ``growth_pct`` (revenue against the year before, x 100; NA for the first year or
        when the year before is 0) and ``months_with_sales`` (months with at least one
        sales row: fewer than 12 shows a partial year, such as the current one).
    """
    sales = account.sales
    months = pd.to_datetime(sales["month"])
    frame = pd.DataFrame({
        "year": months.dt.year.astype("Int64"),
        "month": months,
        "revenue_eur": sales["revenue_eur"],
        "gross_margin_eur": sales["gross_margin_eur"],
    }).dropna(subset=["year"])
    if frame.empty:
        return typed(frame, _REVENUE_COLUMNS)
    yearly = frame.groupby("year").agg(
        revenue_eur=("revenue_eur", "sum"),
        gross_margin_eur=("gross_margin_eur", "sum"),
        months_with_sales=("month", "nunique"),
    )
    years = pd.RangeIndex(int(yearly.index.min()), int(yearly.index.max()) + 1)
    yearly = yearly.reindex(pd.Index(years, dtype="Int64", name="year"), fill_value=0)
    previous = yearly["revenue_eur"].shift(1)
    result = yearly.reset_index().assign(
        margin_pct=share(yearly["gross_margin_eur"], yearly["revenue_eur"]).to_numpy() * 100,
        growth_pct=share(yearly["revenue_eur"] - previous, previous).to_numpy() * 100,
    )
    return typed(result, _REVENUE_COLUMNS)


_REVENUE_COLUMNS = {"year": "Int64", "revenue_eur": "float64", "gross_margin_eur": "float64",
                    "margin_pct": "float64", "growth_pct": "float64",
                    "months_with_sales": "int64"}


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
        ``amount_eur`` (NA when not given). Events on the same day keep the workbook order.
    """
    history = account.history.sort_values("date", kind="stable", na_position="last")
    return typed(history, {"date": "datetime64[s]", "type": "string",
                           "description": "string", "amount_eur": "float64"})
