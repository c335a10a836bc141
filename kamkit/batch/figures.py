"""The key figures of an account on the management index, from ``kamkit.analysis``."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from kamkit import analysis as an
from kamkit.workbook import AccountData

FIGURES = ("year", "revenue_eur", "revenue_growth_pct", "margin_pct", "share",
           "share_change_pts")
"""The figures, all for the last full year before the as-of date; ``plan_status`` follows
once the plan computations exist."""


def _value(frame: pd.DataFrame, year: int, column: str) -> float | None:
    rows = frame.loc[frame["year"] == year, column]
    if rows.empty or pd.isna(rows.iloc[0]):
        return None
    value = float(rows.iloc[0])
    return None if math.isinf(value) else value


def key_figures(account: AccountData, as_of: dt.date) -> dict[str, float | int | None]:
    """Revenue, its growth, margin and share of wallet of the last full year, and the change
    of the share against the year before, from the account's data as of ``as_of``.

    Returns
    -------
    dict
        ``year``; ``revenue_eur``; ``revenue_growth_pct`` and ``margin_pct`` in per cent;
        ``share`` as a fraction; ``share_change_pts`` in percentage points. None where a
        figure cannot be computed (no sales, no spend estimate, no year before).
    """
    known = an.cut_off(account, as_of)
    year = an.last_full_year(as_of)
    revenue = an.revenue_by_year(known)
    wallet = an.share_of_wallet(known, by=("year",))
    share, before = _value(wallet, year, "share"), _value(wallet, year - 1, "share")
    return {
        "year": year,
        "revenue_eur": _value(revenue, year, "revenue_eur"),
        "revenue_growth_pct": _value(revenue, year, "growth_pct"),
        "margin_pct": _value(revenue, year, "margin_pct"),
        "share": share,
        "share_change_pts": (share - before) * 100 if None not in (share, before) else None,
    }
