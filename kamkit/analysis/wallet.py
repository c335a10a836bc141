"""The account's wallet (A5), our share of it (A6), who holds the rest (A7) and whitespace.

Conventions of every frame returned here: money is in the workbook's currency in columns named
for the amount (``spend``, ``our_revenue``);
shares are fractions 0..1 in columns named ``share*``; a share whose denominator is 0 or
missing is NA (NaN), never inf or 0. ``confidence`` is the lowest confidence of the
estimates behind a row ("low" < "medium" < "high"); NA where no estimate is involved. A
total of several estimates also says how much of its spend each confidence carries
(``CONFIDENCE_MIX``): a total of mostly high estimates with one small low one is mostly
high, not low.

Grouping: ``by`` takes some of "year", "service", "location" (in any order; returned in
that order). Our revenue of a year is the sum of the sales months of that calendar year.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from pandas.api.typing import DataFrameGroupBy

from kamkit.frames import (
    CELL_DIMENSIONS,
    check_by,
    confidence_name,
    confidence_rank,
    dims_dtypes,
    outer_merge,
    share,
    typed,
)
from kamkit.memo import per_account
from kamkit.schema import CONFIDENCES, IN_HOUSE, UNKNOWN, US
from kamkit.workbook import AccountData

_CELL = list(CELL_DIMENSIONS)
_EPSILON = 0.005  # half a cent: amounts closer than this are equal
_HOLDER_ORDER = {US: 0, IN_HOUSE: 2, UNKNOWN: 3}  # competitors: 1
CONFIDENCE_MIX = tuple(f"share_{level}_confidence" for level in CONFIDENCES)
"""The columns of ``total_spend`` and ``share_of_wallet`` that split a row's estimated
spend by the confidence of its estimates: ``share_high_confidence``,
``share_medium_confidence``, ``share_low_confidence``, fractions adding up to 1 (NA when the
row's estimated spend is 0 or missing)."""
NO_ESTIMATE = "no estimate"
ROOMS = ("deep selling", "cross selling", "held", "no spend", NO_ESTIMATE)
"""The ``room`` categories of ``whitespace``."""


# ---------------------------------------------------------------------------- cells


def _sums_or_na(grouped: DataFrameGroupBy, column: str) -> np.ndarray:
    """Per group, in the groups' order, the sum of ``column``, NA when every value of the
    group is missing (nothing to add up is not 0).

    Each group's sum is ``Series.sum(min_count=1)`` of its rows in their order (NumPy's sum
    of the values with the missing ones as 0), as an ``agg`` of that function gave it to
    the last bit, without a Series made for every group.
    """
    values = grouped.obj[column].to_numpy(dtype="float64", na_value=np.nan)
    known = ~np.isnan(values)
    filled = np.where(known, values, 0.0)
    codes = grouped.ngroup().to_numpy(dtype="float64", na_value=np.nan)
    rows = np.flatnonzero(~np.isnan(codes))  # rows with a missing key are in no group
    order = rows[np.argsort(codes[rows], kind="stable")]
    bounds = np.searchsorted(codes[order], np.arange(grouped.ngroups + 1))
    sums = np.full(grouped.ngroups, np.nan)
    for group in range(grouped.ngroups):
        members = order[bounds[group]:bounds[group + 1]]
        if known[members].any():
            sums[group] = np.add.reduce(filled[members])
    return sums


def _holder_order(holders: pd.Series) -> pd.Series:
    """The order holders are listed in: us, competitors, in-house, unknown."""
    return holders.map(lambda h: _HOLDER_ORDER.get(h, 1))


@per_account
def _sales_cells(account: AccountData) -> pd.DataFrame:
    """Our revenue per calendar year x service x location."""
    sales = account.sales
    frame = pd.DataFrame({
        "year": pd.to_datetime(sales["month"]).dt.year.astype("Int64"),
        "service": sales["service"],
        "location": sales["location"],
        "revenue": sales["revenue"],
    })
    return frame.groupby(_CELL, as_index=False)["revenue"].sum()


@per_account
def _cells(account: AccountData) -> pd.DataFrame:
    """Every cell with a spend estimate or sales: spend (NaN without estimate),
    our_revenue_total (all sales), our_revenue (sales where there is an estimate),
    confidence rank (``conf``), has_estimate."""
    spend = account.spend[[*_CELL, "spend", "confidence"]]
    sales = _sales_cells(account).rename(columns={"revenue": "our_revenue_total"})
    cells = outer_merge(spend, sales, _CELL, indicator=True)
    has_estimate = (cells["_merge"] != "right_only").to_numpy()
    total = cells["our_revenue_total"].astype("float64").fillna(0.0)
    return cells.assign(
        spend=cells["spend"].astype("float64"),
        our_revenue_total=total,
        our_revenue=total.where(has_estimate, 0.0),
        conf=confidence_rank(cells["confidence"]),
        has_estimate=has_estimate,
    ).drop(columns=["_merge", "confidence"])


def _capped_share(ours: pd.Series, spend: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Our share (NA where spend is 0 or missing) capped at 1.0, and whether it was capped."""
    raw = share(ours, spend)
    capped = (raw > 1.0).to_numpy()
    return raw.where(~capped, 1.0), pd.Series(capped, index=raw.index)


def _confidence_mix(rows: pd.DataFrame, by: Sequence[str], confidence: pd.Series
                    ) -> pd.DataFrame:
    """Per group of ``by``: the share of its ``spend`` whose estimate has each
    confidence (``CONFIDENCE_MIX``; NA where the group's spend is 0 or missing)."""
    parts = rows.assign(**{column: rows["spend"].where(
                               (confidence == level).fillna(False).to_numpy(dtype=bool), 0.0)
                           for column, level in zip(CONFIDENCE_MIX, CONFIDENCES, strict=True)})
    sums = parts.groupby(list(by), as_index=False)[["spend", *CONFIDENCE_MIX]].sum()
    return sums.assign(**{column: share(sums[column], sums["spend"])
                          for column in CONFIDENCE_MIX}).drop(columns="spend")


# ---------------------------------------------------------------------------- A5


@per_account
def total_spend(account: AccountData, by: Sequence[str] = ("year",)) -> pd.DataFrame:
    """The account's total spend (its wallet) from the spend estimates (A5).

    Parameters
    ----------
    account
        One account's data.
    by
        Grouping, including "year": ``("year",)``, ``("year", "service")``,
        ``("year", "location")`` or ``("year", "service", "location")``.

    Returns
    -------
    DataFrame
        One row per group, sorted by it: the ``by`` columns, ``spend``, ``volume``
        and its ``unit`` (both NA when the group mixes services, whose units differ, or
        has no volume), ``confidence`` (lowest in the group), ``estimates`` (number of
        spend rows) and ``CONFIDENCE_MIX`` (the share of the group's spend estimated with
        high, medium and low confidence).
    """
    by = check_by(by)
    spend = account.spend
    unit_of = dict(zip(account.services["service"], account.services["unit"], strict=True))
    # the lowest confidence as the lowest rank: one vectorised "min", not a function per group
    groups = spend.assign(conf=confidence_rank(spend["confidence"])).groupby(
        list(by), as_index=False)
    grouped = groups.agg(
        spend=("spend", "sum"),
        services=("service", "nunique"),
        first_service=("service", "first"),
        conf=("conf", "min"),
        estimates=("spend", "size"),
    ).assign(volume=_sums_or_na(groups, "volume"))
    one_service = (grouped["services"] == 1).to_numpy()
    result = grouped.assign(
        confidence=confidence_name(grouped["conf"]),
        volume=grouped["volume"].where(one_service),
        unit=grouped["first_service"].map(unit_of).where(one_service),
    ).merge(_confidence_mix(spend, by, spend["confidence"]), on=list(by), how="left")
    return typed(result, {**dims_dtypes(by), "spend": "float64", "volume": "float64",
                          "unit": "string", "confidence": "string", "estimates": "int64",
                          **dict.fromkeys(CONFIDENCE_MIX, "float64")})


# ---------------------------------------------------------------------------- A6


@per_account
def share_of_wallet(account: AccountData, by: Sequence[str] = ("year",)) -> pd.DataFrame:
    """Our share of the account's wallet: our revenue / its estimated total spend (A6).

    Our revenue counts towards the share only in cells (year x service x location) that
    have a spend estimate; ``our_revenue_total`` also holds the sales in cells without
    one, so nothing is dropped silently. A group with sales but no estimate has
    ``spend`` and ``share`` NA.

    Parameters
    ----------
    account
        One account's data.
    by
        Grouping, including "year" (see ``total_spend``).

    Returns
    -------
    DataFrame
        One row per group with an estimate or sales, sorted by it: the ``by`` columns,
        ``our_revenue``, ``our_revenue_total``, ``spend``, ``share``
        (``our_revenue / spend``; NA when spend is 0 or missing; capped at 1.0),
        ``capped`` (True when our revenue exceeds the group's estimate: the estimate is too
        low), ``confidence`` (the lowest of the group's estimates), ``estimates`` (number
        of spend estimates in the group) and ``CONFIDENCE_MIX`` (the share of the group's
        estimated spend with high, medium and low confidence).

    Notes
    -----
    Capping is done per group: a cell over its estimate is capped when ``by`` reaches down
    to the cell, while in a coarser group its excess counts against the other cells.
    A current, partial year compares part of a year's sales with a whole year's estimate;
    use ``last_full_year`` or show ``revenue_by_year``'s ``months_with_sales`` beside it.
    """
    by = check_by(by)
    cells = _cells(account)
    groups = cells.groupby(list(by), as_index=False)
    grouped = groups.agg(
        our_revenue=("our_revenue", "sum"),
        our_revenue_total=("our_revenue_total", "sum"),
        conf=("conf", "min"),
        estimates=("has_estimate", "sum"),
    ).assign(spend=_sums_or_na(groups, "spend"))
    ratio, capped = _capped_share(grouped["our_revenue"], grouped["spend"])
    result = grouped.assign(share=ratio, capped=capped,
                            confidence=confidence_name(grouped["conf"]))
    mix = _confidence_mix(cells, by, confidence_name(cells["conf"]))
    result = result.merge(mix, on=list(by), how="left")
    return typed(result, {**dims_dtypes(by), "our_revenue": "float64",
                          "our_revenue_total": "float64", "spend": "float64",
                          "share": "float64", "capped": "bool", "confidence": "string",
                          "estimates": "int64", **dict.fromkeys(CONFIDENCE_MIX, "float64")})


def share_moves(account: AccountData, from_year: int, to_year: int) -> pd.DataFrame:
    """How our share moved per cell (service x location) between two years, ranked by what
    the move is worth in euros (A6).

    Parameters
    ----------
    account
        One account's data.
    from_year, to_year
        The years compared.

    Returns
    -------
    DataFrame
        One row per cell with a share in both years: ``service``, ``location``,
        ``share_from``, ``share_to`` (as in ``share_of_wallet`` by cell), ``change_pts``
        (``(share_to - share_from) x 100``), ``spend`` (the cell's estimate in
        ``to_year``) and ``moved`` (``(share_to - share_from) x spend``: the revenue
        the move is worth at this year's spend). Sorted by the size of ``moved``,
        largest first: a few points of a large cell come before many points of a small
        one.
    """
    cells = share_of_wallet(account, by=("year", "service", "location"))
    cells = cells.dropna(subset=["share"])

    def year(value: int) -> pd.DataFrame:
        return cells[(cells["year"] == value).to_numpy()].set_index(["service", "location"])

    start, end = year(from_year), year(to_year)
    both = start.index.intersection(end.index)
    result = pd.DataFrame({"share_from": start.loc[both, "share"],
                           "share_to": end.loc[both, "share"],
                           "spend": end.loc[both, "spend"]}, index=both)
    result = result.assign(change_pts=(result["share_to"] - result["share_from"]) * 100,
                           moved=(result["share_to"] - result["share_from"])
                           * result["spend"])
    result = result.reset_index().sort_values("moved", key=abs, ascending=False,
                                              kind="stable")
    return typed(result, {"service": "string", "location": "string", "share_from": "float64",
                          "share_to": "float64", "change_pts": "float64",
                          "spend": "float64", "moved": "float64"})


# ---------------------------------------------------------------------------- A7


@per_account
def _holder_cells(account: AccountData) -> pd.DataFrame:
    """Spend per cell with an estimate and holder: "us" from our sales, the named shares, and
    "unknown" for the explicit unknown shares plus what remains of the estimate (never
    negative). Columns: the cell, holder, spend, conf (rank), total (the cell's
    estimate)."""
    cells = _cells(account)
    cells = cells[cells["has_estimate"].to_numpy()]
    named = account.spend_shares.assign(conf=lambda f: confidence_rank(f["confidence"]))
    named = named.merge(cells[[*_CELL, "conf"]], on=_CELL, suffixes=("", "_cell"))
    named = named.assign(conf=named[["conf", "conf_cell"]].min(axis=1))
    held = named.groupby(_CELL, as_index=False)["spend"].sum().rename(
        columns={"spend": "held"})
    cells = cells.merge(held, on=_CELL, how="left")
    remainder = (cells["spend"] - cells["our_revenue"]
                 - cells["held"].fillna(0.0)).clip(lower=0.0)
    ours = cells.assign(holder=US, spend=cells["our_revenue"])
    rest = cells.assign(holder=UNKNOWN, spend=remainder)
    keep = [*_CELL, "holder", "spend", "conf"]
    long = pd.concat([ours[keep], rest[keep], named[keep]], ignore_index=True)
    long = long.astype({"holder": "string"}).groupby([*_CELL, "holder"], as_index=False).agg(
        spend=("spend", "sum"), conf=("conf", "min"))
    return long.merge(cells[[*_CELL, "spend"]].rename(columns={"spend": "total"}),
                      on=_CELL)


def _holder_names(account: AccountData, holders: pd.Series) -> pd.Series:
    """A competitor's name from competitors.csv; any other holder keeps its id."""
    names = dict(zip(account.competitors["competitor"], account.competitors["name"],
                     strict=True))
    return holders.map(lambda h: names.get(h, h)).astype("string")


@per_account
def holder_shares(account: AccountData, by: Sequence[str] = ("year",)) -> pd.DataFrame:
    """Who holds the account's spend: us, competitors, in-house, unknown (A7).

    Per cell with a spend estimate, "us" is our revenue there (from sales), the named
    holders come from spend_shares, and "unknown" gets the explicit unknown shares plus the
    remainder of the estimate after us and the named holders; when that remainder would be
    negative (the holders add up to more than the estimate) it is 0. Cells without an
    estimate are left out (``share_of_wallet`` shows their sales).

    Parameters
    ----------
    account
        One account's data.
    by
        Grouping, including "year" (see ``total_spend``).

    Returns
    -------
    DataFrame
        One row per group and holder, "us" and "unknown" always included, sorted by group
        then us, competitors (largest first), in-house, unknown: the ``by`` columns,
        ``holder`` ("us", a competitor id, "in-house", "unknown"), ``holder_name`` (the
        competitor's name; the id itself for "us", "in-house" and "unknown", which charts
        translate with the labels ``word.us``, ``word.in_house``, ``word.unknown``),
        ``spend``, ``share`` (``spend`` over the group's total: its estimate, or the
        sum of the holders when that is larger, so the shares of a group add up to 1; NA
        when the total is 0), ``total`` (the group's estimate), ``over_allocated``
        (True when the holders add up to more than the estimate) and ``confidence``
        (lowest of the group's estimates and the holder's own share estimates).
    """
    by = check_by(by)
    long = _holder_cells(account)
    keys = list(by)
    per_holder = long.groupby([*keys, "holder"], as_index=False).agg(
        spend=("spend", "sum"), conf=("conf", "min"))
    cells = long.drop_duplicates(_CELL)
    totals = cells.groupby(keys, as_index=False)["total"].sum()
    held = per_holder.groupby(keys, as_index=False)["spend"].sum().rename(
        columns={"spend": "held"})
    result = per_holder.merge(totals, on=keys).merge(held, on=keys)
    result = result.assign(
        holder_name=_holder_names(account, result["holder"]),
        share=share(result["spend"], result[["total", "held"]].max(axis=1)),
        over_allocated=(result["held"] > result["total"] + _EPSILON).to_numpy(),
        confidence=confidence_name(result["conf"]),
        order=_holder_order(result["holder"]),
    ).sort_values([*keys, "order", "spend", "holder"],
                  ascending=[*[True] * len(keys), True, False, True])
    return typed(result, {**dims_dtypes(by), "holder": "string", "holder_name": "string",
                          "spend": "float64", "share": "float64", "total": "float64",
                          "over_allocated": "bool", "confidence": "string"})


def share_changes(account: AccountData, from_year: int, to_year: int,
                  by: Sequence[str] = ()) -> pd.DataFrame:
    """How each holder's share moved between two years, in percentage points (A7).

    Parameters
    ----------
    account
        One account's data.
    from_year, to_year
        The years compared.
    by
        Extra grouping: some of "service", "location" ("year" may be given and is ignored:
        the years are the ones compared).

    Returns
    -------
    DataFrame
        One row per holder (and group) seen in either year: the ``by`` columns, ``holder``,
        ``holder_name``, ``share_from``, ``share_to`` (as in ``holder_shares``; 0 for a
        holder absent in a year whose group has an estimate, NA when the group has no
        estimate that year), ``change_pts`` (``(share_to - share_from) * 100``, e.g. -7.0
        for 34% -> 27%; NA when either share is NA), ``spend_from`` and
        ``spend_to``. Sorted by ``change_pts`` ascending: the biggest loser first, the
        biggest gainer last among the rows with a change; rows without a change at the end.
    """
    dims = [d for d in check_by(by, need_year=False) if d != "year"]
    shares = holder_shares(account, by=("year", *dims))
    shares = shares[shares["year"].isin([from_year, to_year]).to_numpy()]
    holders = shares[[*dims, "holder", "holder_name"]].drop_duplicates()
    years = pd.DataFrame({"year": pd.array([from_year, to_year], dtype="Int64")})
    grid = holders.merge(years.drop_duplicates(), how="cross")
    present = shares[[*dims, "year"]].drop_duplicates().assign(present=True)
    grid = grid.merge(shares[[*dims, "year", "holder", "share", "spend"]],
                      on=[*dims, "year", "holder"], how="left")
    grid = grid.merge(present, on=[*dims, "year"], how="left")
    absent = grid["present"].notna().to_numpy() & grid["spend"].isna().to_numpy()
    grid.loc[absent, ["share", "spend"]] = 0.0

    def year_part(year: int, suffix: str) -> pd.DataFrame:
        part = grid[(grid["year"] == year).to_numpy()]
        return part[[*dims, "holder", "share", "spend"]].rename(
            columns={"share": f"share_{suffix}", "spend": f"spend_{suffix}"})

    result = holders.merge(year_part(from_year, "from"), on=[*dims, "holder"], how="left")
    result = result.merge(year_part(to_year, "to"), on=[*dims, "holder"], how="left")
    result = result.assign(
        change_pts=(result["share_to"] - result["share_from"]) * 100.0
    ).sort_values("change_pts", na_position="last", kind="stable")
    return typed(result, {**dims_dtypes(dims), "holder": "string", "holder_name": "string",
                          "share_from": "float64", "share_to": "float64",
                          "change_pts": "float64", "spend_from": "float64",
                          "spend_to": "float64"})


# ---------------------------------------------------------------------------- whitespace


def whitespace(account: AccountData, year: int, held_at: float = 0.95) -> pd.DataFrame:
    """The service x location matrix of one year: where there is room to sell.

    Parameters
    ----------
    account
        One account's data.
    year
        The calendar year.
    held_at
        The share from which a cell counts as held (~100%).

    Returns
    -------
    DataFrame
        One row per service x location of the workbook (all of them, services and
        locations in workbook order, so empty cells show): ``service``, ``service_name``,
        ``location``, ``location_name``, ``spend`` (NA without an estimate),
        ``our_revenue`` (all our sales there that year), ``share`` (ours / spend, NA
        when spend is 0 or missing, capped at 1.0), ``capped``, ``main_holder`` (the
        largest holder: "us", a competitor id, "in-house", "unknown", or "no estimate") and
        ``main_holder_name``, ``open_spend`` (spend minus ours, at least 0; NA without an
        estimate), ``room`` and ``confidence``. ``room`` is one of ``ROOMS``:
        "deep selling" (we sell there, share below ``held_at``), "cross selling" (spend
        exists, we sell nothing there), "held" (share at least ``held_at``, or we sell
        there while the estimate is 0), "no spend" (an estimate of 0 and no sales) and
        "no estimate" (no spend estimate).
    """
    services = account.services[["service", "name"]].rename(columns={"name": "service_name"})
    locations = account.locations[["location", "name"]].rename(
        columns={"name": "location_name"})
    grid = services.merge(locations, how="cross")
    cells = _cells(account)
    cells = cells[(cells["year"] == year).fillna(False).to_numpy()]
    grid = grid.merge(cells[["service", "location", "spend", "our_revenue_total",
                             "conf"]], on=["service", "location"], how="left")
    ours = grid["our_revenue_total"].fillna(0.0)
    spend = grid["spend"]
    ratio, capped = _capped_share(ours, spend)
    holders = _holder_cells(account)
    holders = holders[((holders["year"] == year) & (holders["spend"] > 0)).to_numpy()]
    main = (holders.assign(order=_holder_order(holders["holder"]))
            .sort_values(["spend", "order"], ascending=[False, True], kind="stable")
            .drop_duplicates(["service", "location"])[["service", "location", "holder"]])
    grid = grid.merge(main, on=["service", "location"], how="left")
    no_estimate = spend.isna().to_numpy()
    main_holder = grid["holder"].astype("object").where(grid["holder"].notna(), UNKNOWN)
    main_holder = main_holder.where(~no_estimate, NO_ESTIMATE).astype("string")
    sells = (ours > _EPSILON).to_numpy()
    room = np.select(
        [no_estimate, sells & (ratio.isna() | (ratio >= held_at)).to_numpy(), sells,
         (spend > _EPSILON).to_numpy()],
        ["no estimate", "held", "deep selling", "cross selling"],
        default="no spend",
    )
    result = grid.assign(
        our_revenue=ours, share=ratio, capped=capped, main_holder=main_holder,
        main_holder_name=_holder_names(account, main_holder),
        open_spend=(spend - ours).clip(lower=0.0), room=room,
        confidence=confidence_name(grid["conf"]),
    )
    return typed(result, {"service": "string", "service_name": "string",
                          "location": "string", "location_name": "string",
                          "spend": "float64", "our_revenue": "float64",
                          "share": "float64", "capped": "bool", "main_holder": "string",
                          "main_holder_name": "string", "open_spend": "float64",
                          "room": "string", "confidence": "string"})
