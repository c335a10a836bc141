"""Inputs for the account strategy (P3): the product mix (where to deep sell and cross sell)
and the price mix (margin per service against the margin policy)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kamkit.analysis.as_of import cut_off
from kamkit.analysis.wallet import whitespace
from kamkit.frames import empty, frame_of, shares, typed
from kamkit.grouping import Groups, floats
from kamkit.periods import last_full_year, parse_as_of
from kamkit.workbook import AccountData

SELLING_ROOMS = ("deep selling", "cross selling")
"""The whitespace rooms the product mix lists."""

PRICE_YEARS = 3
"""The price mix covers this many calendar years up to the as-of year."""

_PRODUCT_COLUMNS: dict[str, object] = {
    "rank": "int64", "room": "string", "service": "string", "service_name": "string",
    "location": "string", "location_name": "string", "spend": "float64",
    "our_revenue": "float64", "share": "float64", "open_spend": "float64",
    "main_holder": "string", "main_holder_name": "string", "confidence": "string",
}


def product_mix(account: AccountData, year: int, held_at: float = 0.95) -> pd.DataFrame:
    """Where the account has room to buy more from us in ``year``, largest room first (P3).

    Deep selling: a service x location we sell in with a share below ``held_at`` (more of
    what they already buy from us). Cross selling: a service x location with spend where we
    sell nothing (what they buy elsewhere). Both from ``analysis.whitespace``; cells that
    are held, have no spend or no estimate are left out (``whitespace`` shows them all).

    Parameters
    ----------
    account
        One account's data.
    year
        The calendar year of the spend estimates (e.g. the plan year, or
        ``last_full_year(as_of)``).
    held_at
        The share from which a cell counts as held.

    Returns
    -------
    DataFrame
        One row per cell with room, ranked by ``open_spend`` (the EUR headroom: spend minus
        our revenue) from large to small, ties by service and location in workbook order:
        ``rank`` (1 = the most room), ``room`` ("deep selling" or "cross selling"),
        ``service``, ``service_name``, ``location``, ``location_name``, ``spend``,
        ``our_revenue``, ``share``, ``open_spend``, ``main_holder``,
        ``main_holder_name`` and ``confidence``.
    """
    cells = whitespace(account, year, held_at=held_at)
    room = cells[cells["room"].isin(SELLING_ROOMS).to_numpy()]
    room = room.sort_values("open_spend", ascending=False, kind="stable", na_position="last")
    room = room.assign(rank=np.arange(1, len(room) + 1))
    return typed(room, _PRODUCT_COLUMNS)


_PRICE_COLUMNS: dict[str, object] = {
    "service": "string", "service_name": "string", "year": "Int64", "months": "int64",
    "revenue": "float64", "gross_margin": "float64", "margin_pct": "float64",
    "trend_pts": "float64", "min_margin_pct": "float64", "below_policy": "boolean",
    "volume": "float64", "unit": "string", "price_per_unit": "float64",
}


def price_mix(account: AccountData, as_of: dt.date | str) -> pd.DataFrame:
    """Revenue and margin per service over the last 3 years against the margin policy (P3).

    The years are ``as_of``'s year and the two before it, from the year the workbook's
    sales history begins (``AccountData.sales_months``: no rows for years before it);
    sales after ``as_of`` do not count (``analysis.cut_off``), so the as-of year holds
    ``months`` months (12 for the others). Every service sold in those years gets every
    year, 0 where nothing was sold (the gross margin NA instead of 0 when the service's
    margin is not known in any of the years).

    Parameters
    ----------
    account
        One account's data.
    as_of
        The analysis date (a date, "2026-09-30" or "2026Q3").

    Returns
    -------
    DataFrame
        One row per service and year, services in workbook order, oldest year first:
        ``service``, ``service_name``, ``year``, ``months``, ``revenue``,
        ``gross_margin``, ``margin_pct`` (gross margin / revenue x 100; NA without
        revenue), ``trend_pts`` (margin_pct minus the year before's, in points; NA for the
        first year or without either), ``min_margin_pct`` (the policy in services.csv),
        ``below_policy`` (margin_pct below the policy; NA without a margin), ``volume``
        (NA when no sales row gives one), ``unit`` and ``price_per_unit`` (revenue of
        the rows with a volume / that volume; NA when the volume is 0 or missing).
    """
    day = parse_as_of(as_of)
    known = cut_off(account, day)
    sales = known.sales
    # no years before the workbook's sales history begins: nothing is known of them
    first = known.sales_months[0] if known.sales_months else sales["month"].min()
    begins = first.year if pd.notna(first) else day.year
    years = list(range(max(day.year - PRICE_YEARS + 1, begins), day.year + 1))
    sales = sales[sales["month"].dt.year.isin(years).to_numpy()]
    if sales.empty:
        return empty(_PRICE_COLUMNS)
    # grouped with ``Groups`` (the bits of ``groupby([service, year])``) and built as one
    # frame: pandas' groupby, merges and assign took longer than the sums
    groups = Groups(sales["service"], sales["month"].dt.year.tolist())
    volume = floats(sales["volume"])
    totals = dict(zip(groups.keys, zip(
        groups.sums(sales["revenue"]), groups.sums_if_known(sales["gross_margin"]),
        groups.sums_or_na(volume),
        groups.sums(np.where(np.isnan(volume), np.nan, floats(sales["revenue"]))),
        strict=True), strict=True))
    # a year without sales has 0 margin on 0 revenue where the service's margin is known
    # in the years shown; an unknown margin stays unknown (n/a, never a 0)
    margins_known = set(sales.loc[sales["gross_margin"].notna().to_numpy(), "service"])
    sold = set(sales["service"])
    services = account.services[account.services["service"].isin(sold).to_numpy()]
    grid = [(service, year) for service in services["service"] for year in years]
    unsold = [(0.0, 0.0 if service in margins_known else np.nan, np.nan, 0.0)
              for service, _ in grid]
    revenue, gross_margin, volumes, priced = (
        np.array(column, dtype="float64")
        for column in zip(*(totals.get(cell, empty_cell)
                            for cell, empty_cell in zip(grid, unsold, strict=True)),
                          strict=True))
    margin = shares(gross_margin, revenue) * 100
    before = np.r_[np.nan, margin[:-1]]
    first_year = np.arange(len(grid)) % len(years) == 0  # the year before is another service's
    policy = np.repeat(floats(services["min_margin_pct"]), len(years))
    full = last_full_year(day)
    return frame_of({
        "service": [service for service, _ in grid],
        "service_name": np.repeat(services["name"].to_numpy(), len(years)),
        "year": [year for _, year in grid],
        "months": [12 if year <= full else day.month for _, year in grid],
        "revenue": revenue, "gross_margin": gross_margin, "margin_pct": margin,
        "trend_pts": margin - np.where(first_year, np.nan, before),
        "min_margin_pct": policy,
        "below_policy": [pd.NA if np.isnan(m) else bool(m < least)
                         for m, least in zip(margin.tolist(), policy.tolist(), strict=True)],
        "volume": volumes, "unit": np.repeat(services["unit"].to_numpy(), len(years)),
        "price_per_unit": shares(priced, volumes),
    }, _PRICE_COLUMNS)
