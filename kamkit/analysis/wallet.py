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

An account's tables are small: the computations group and join them in plain Python and
NumPy (``kamkit.grouping``), adding up as pandas does, and build each returned frame once.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamkit.frames import (
    CELL_DIMENSIONS,
    check_by,
    confidence_names,
    confidence_rank,
    dims_dtypes,
    frame_of,
    shares,
)
from kamkit.grouping import Groups, Key, floats
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
_MIX_DTYPES = dict.fromkeys(CONFIDENCE_MIX, "float64")


# ---------------------------------------------------------------------------- cells


def _holder_order(holder: object) -> int:
    """Where a holder is listed: us, competitors, in-house, unknown."""
    return _HOLDER_ORDER.get(holder, 1)  # type: ignore[call-overload]


def _cell_keys(frame: pd.DataFrame) -> list[Key]:
    """The (year, service, location) of each row of a table keyed by cell."""
    return list(zip(*(frame[d].tolist() for d in _CELL), strict=True))


def _levels(by: Sequence[str]) -> list[int]:
    """The positions of the ``by`` dimensions in a cell's key."""
    return [_CELL.index(d) for d in by]


def _project(keys: Sequence[Key], levels: Sequence[int]) -> list[list[Hashable]]:
    """The key columns at ``levels`` of ``keys``."""
    return [[key[level] for key in keys] for level in levels]


def _taken(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``values`` at ``rows``, NaN where a row is -1 (none)."""
    taken = np.full(len(rows), np.nan)
    some = rows >= 0
    taken[some] = values[rows[some]]
    return taken


def _clipped(values: np.ndarray) -> np.ndarray:
    """``Series.clip(lower=0)``: negative amounts 0, missing ones kept."""
    return np.where(values < 0.0, 0.0, values)


@dataclass(frozen=True)
class _Cells:
    """Every cell with a spend estimate or sales, in cell order: ``spend`` (NaN without an
    estimate), ``total`` (our revenue there: all sales), ``ours`` (our revenue where there
    is an estimate, else 0), ``conf`` (the estimate's confidence rank) and
    ``estimated``."""

    keys: list[Key]
    spend: np.ndarray
    total: np.ndarray
    ours: np.ndarray
    conf: np.ndarray
    estimated: np.ndarray


@per_account
def _sales_cells(account: AccountData) -> dict[Key, float]:
    """Our revenue per calendar year x service x location, in cell order."""
    sales = account.sales
    years = pd.to_datetime(sales["month"]).dt.year.astype("Int64")
    groups = Groups(years, sales["service"], sales["location"])
    return dict(zip(groups.keys, groups.sums(sales["revenue"]).tolist(), strict=True))


@per_account
def _cells(account: AccountData) -> _Cells:
    """Every cell with a spend estimate or sales (the outer join of the two on the cell,
    sorted by it)."""
    spend = account.spend
    sold = _sales_cells(account)
    estimates = _cell_keys(spend)
    known = set(estimates)
    rows: list[tuple[Key, int]] = [(key, row) for row, key in enumerate(estimates)]
    rows += [(key, -1) for key in sold if key not in known]
    rows.sort(key=lambda item: item[0])  # stable: an estimate's rows keep their order
    picked = np.array([row for _, row in rows], dtype=np.intp)
    estimated = picked >= 0
    spent = floats(spend["spend"])
    ranks = confidence_rank(spend["confidence"]).to_numpy()
    total = np.array([sold.get(key, 0.0) for key, _ in rows], dtype="float64")
    return _Cells(
        keys=[key for key, _ in rows],
        spend=_taken(spent, picked),
        total=total,
        ours=np.where(estimated, total, 0.0),
        conf=_taken(ranks, picked),
        estimated=estimated,
    )


def _capped_share(ours: np.ndarray, spend: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Our share (NA where spend is 0 or missing) capped at 1.0, and whether it was capped."""
    raw = shares(ours, spend)
    capped = raw > 1.0
    return np.where(capped, 1.0, raw), capped


def _confidence_mix(groups: Groups, spend: pd.Series | np.ndarray,
                    confidence: Sequence[object]) -> dict[str, np.ndarray]:
    """Per group: the share of its ``spend`` whose estimate has each confidence
    (``CONFIDENCE_MIX``; NA where the group's spend is 0 or missing)."""
    amounts = floats(spend)
    total = groups.sums(spend)
    mix = {}
    for column, level in zip(CONFIDENCE_MIX, CONFIDENCES, strict=True):
        at_level = np.array([isinstance(c, str) and c == level for c in confidence],
                            dtype=bool)
        mix[column] = shares(groups.sums(np.where(at_level, amounts, 0.0)), total)
    return mix


def _dimension_columns(groups: Groups, by: Sequence[str]) -> dict[str, list[Hashable]]:
    return {d: groups.key_column(level) for level, d in enumerate(by)}


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
    groups = Groups(*(spend[d] for d in by))
    one_service = np.array([n == 1 for n in groups.distinct(spend["service"])], dtype=bool)
    units = [unit_of.get(service) if one else None
             for service, one in zip(groups.firsts(spend["service"]), one_service,
                                     strict=True)]
    return frame_of({
        **_dimension_columns(groups, by),
        "spend": groups.sums(spend["spend"]),
        "volume": np.where(one_service, groups.sums_or_na(spend["volume"]), np.nan),
        "unit": [None if pd.isna(unit) else unit for unit in units],
        "confidence": confidence_names(groups.minima(confidence_rank(spend["confidence"]))),
        "estimates": groups.counts(),
        **_confidence_mix(groups, spend["spend"], spend["confidence"].tolist()),
    }, {**dims_dtypes(by), "spend": "float64", "volume": "float64", "unit": "string",
        "confidence": "string", "estimates": "int64", **_MIX_DTYPES})


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
    groups = Groups(*_project(cells.keys, _levels(by)))
    ours = groups.sums(cells.ours)
    spend = groups.sums_or_na(cells.spend)
    ratio, capped = _capped_share(ours, spend)
    return frame_of({
        **_dimension_columns(groups, by),
        "our_revenue": ours,
        "our_revenue_total": groups.sums(cells.total),
        "spend": spend,
        "share": ratio,
        "capped": capped,
        "confidence": confidence_names(groups.minima(cells.conf)),
        "estimates": groups.sums(cells.estimated.astype("float64")).astype("int64"),
        **_confidence_mix(groups, cells.spend, confidence_names(cells.conf)),
    }, {**dims_dtypes(by), "our_revenue": "float64", "our_revenue_total": "float64",
        "spend": "float64", "share": "float64", "capped": "bool", "confidence": "string",
        "estimates": "int64", **_MIX_DTYPES})


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
    known = cells[cells["share"].notna().to_numpy()]
    rows = list(zip(known["year"].tolist(), known["service"].tolist(),
                    known["location"].tolist(), known["share"].tolist(),
                    known["spend"].tolist(), strict=True))
    end = {(s, loc): (share, spend) for year, s, loc, share, spend in rows if year == to_year}
    both = [(s, loc, share, *end[s, loc]) for year, s, loc, share, _ in rows
            if year == from_year and (s, loc) in end]
    start_share = np.array([row[2] for row in both], dtype="float64")
    end_share = np.array([row[3] for row in both], dtype="float64")
    spend = np.array([row[4] for row in both], dtype="float64")
    moved = (end_share - start_share) * spend
    # largest move first; equal sizes keep the cells' order (a stable sort)
    order = sorted(range(len(both)), key=lambda i: -abs(moved[i]))
    return frame_of({
        "service": [both[i][0] for i in order], "location": [both[i][1] for i in order],
        "share_from": start_share[order], "share_to": end_share[order],
        "change_pts": ((end_share - start_share) * 100)[order], "spend": spend[order],
        "moved": moved[order],
    }, {"service": "string", "location": "string", "share_from": "float64",
        "share_to": "float64", "change_pts": "float64", "spend": "float64",
        "moved": "float64"})


# ---------------------------------------------------------------------------- A7


@dataclass(frozen=True)
class _Holdings:
    """Spend per cell with an estimate and holder, sorted by cell and holder: ``keys``
    (the cells), ``holders``, ``spend``, ``conf`` (rank) and ``total`` (the cell's
    estimate)."""

    keys: list[Key]
    holders: list[str]
    spend: np.ndarray
    conf: np.ndarray
    total: np.ndarray


@per_account
def _holder_cells(account: AccountData) -> _Holdings:
    """Spend per cell with an estimate and holder: "us" from our sales, the named shares, and
    "unknown" for the explicit unknown shares plus what remains of the estimate (never
    negative)."""
    cells = _cells(account)
    estimated = np.flatnonzero(cells.estimated)
    cell_keys = [cells.keys[i] for i in estimated]
    row_of = {key: number for number, key in enumerate(cell_keys)}
    shared = account.spend_shares
    # the named shares of cells with an estimate, each at the lower confidence of its own
    # and its cell's estimate
    named = [(row, row_of[key]) for row, key in enumerate(_cell_keys(shared)) if key in row_of]
    rows = np.array([row for row, _ in named], dtype=np.intp)
    of_cell = np.array([cell for _, cell in named], dtype=np.intp)
    named_spend = floats(shared["spend"])[rows]
    named_conf = np.fmin(confidence_rank(shared["confidence"]).to_numpy()[rows],
                         cells.conf[estimated][of_cell])
    every_holder = shared["holder"].tolist()
    named_holders = [every_holder[row] for row in rows.tolist()]
    named_keys = [cell_keys[cell] for cell in of_cell.tolist()]
    held = Groups(*_project(named_keys, range(3)))
    held_of = dict(zip(held.keys, held.sums(named_spend).tolist(), strict=True))
    spend, ours, conf = cells.spend[estimated], cells.ours[estimated], cells.conf[estimated]
    rest = _clipped(spend - ours - np.array([held_of.get(key, 0.0) for key in cell_keys]))
    # us, then the rest as unknown, then the named holders: the order pandas added them up
    keys = cell_keys + cell_keys + named_keys
    holders = [US] * len(cell_keys) + [UNKNOWN] * len(cell_keys) + named_holders
    groups = Groups(*_project(keys, range(3)), holders)
    total_of = dict(zip(cell_keys, spend.tolist(), strict=True))
    amounts = np.concatenate([ours, rest, named_spend])
    return _Holdings(
        keys=[key[:3] for key in groups.keys],
        holders=[str(key[3]) for key in groups.keys],
        spend=groups.sums(amounts),
        conf=groups.minima(np.concatenate([conf, conf, named_conf])),
        total=np.array([total_of[key[:3]] for key in groups.keys], dtype="float64"),
    )


def _holder_names(account: AccountData, holders: Sequence[object]) -> list[object]:
    """A competitor's name from competitors.csv; any other holder keeps its id."""
    names = dict(zip(account.competitors["competitor"], account.competitors["name"],
                     strict=True))
    return [names.get(h, h) for h in holders]


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
    held = _holder_cells(account)
    levels = _levels(by)
    per_holder = Groups(*_project(held.keys, levels), held.holders)
    spend = per_holder.sums(held.spend)
    # each cell's estimate once (the rows of a cell are together), added up per group
    first = [i for i, key in enumerate(held.keys) if i == 0 or held.keys[i - 1] != key]
    cells = Groups(*_project([held.keys[i] for i in first], levels))
    total_of = dict(zip(cells.keys, cells.sums(held.total[first]).tolist(), strict=True))
    groups = [key[:-1] for key in per_holder.keys]
    in_group = Groups(*_project(groups, range(len(levels))))
    held_of = dict(zip(in_group.keys, in_group.sums(spend).tolist(), strict=True))
    total = np.array([total_of[group] for group in groups], dtype="float64")
    holding = np.array([held_of[group] for group in groups], dtype="float64")
    holders = [key[-1] for key in per_holder.keys]
    confidence = confidence_names(per_holder.minima(held.conf))
    order = sorted(range(len(holders)), key=lambda i: (
        groups[i], _holder_order(holders[i]), -spend[i], holders[i]))
    result = {
        **{d: [groups[i][level] for i in order] for level, d in enumerate(by)},
        "holder": [holders[i] for i in order],
        "holder_name": _holder_names(account, [holders[i] for i in order]),
        "spend": spend[order],
        "share": shares(spend, np.fmax(total, holding))[order],
        "total": total[order],
        "over_allocated": (holding > total + _EPSILON)[order],
        "confidence": [confidence[i] for i in order],
    }
    return frame_of(result, {**dims_dtypes(by), "holder": "string", "holder_name": "string",
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
    frame = holder_shares(account, by=("year", *dims))
    groups = (list(zip(*(frame[d].tolist() for d in dims), strict=True)) if dims
              else [()] * len(frame))
    rows = [row for row in zip(frame["year"].tolist(), groups, frame["holder"].tolist(),
                               frame["holder_name"].tolist(), frame["share"].tolist(),
                               frame["spend"].tolist(), strict=True)
            if row[0] in (from_year, to_year)]
    # each holder of a group once, in the order first seen (from_year first)
    holders = list(dict.fromkeys((group, holder, name) for _, group, holder, name, _, _
                                 in rows))
    found = {(year, group, holder): (share, spend)
             for year, group, holder, _, share, spend in rows}
    present = {(year, group) for year, group, *_ in rows}

    def in_year(year: int, group: tuple[Hashable, ...], holder: str) -> tuple[float, float]:
        # a holder absent from a group with an estimate that year holds nothing there
        blank = 0.0 if (year, group) in present else np.nan
        return found.get((year, group, holder), (blank, blank))

    before = np.array([in_year(from_year, g, h) for g, h, _ in holders],
                      dtype="float64").reshape(-1, 2)
    after = np.array([in_year(to_year, g, h) for g, h, _ in holders],
                     dtype="float64").reshape(-1, 2)
    change = (after[:, 0] - before[:, 0]) * 100.0
    # the biggest loser first; no change known last; ties keep their order (stable)
    order = sorted(range(len(holders)), key=lambda i: (
        bool(np.isnan(change[i])), 0.0 if np.isnan(change[i]) else change[i]))
    return frame_of({
        **{d: [holders[i][0][level] for i in order] for level, d in enumerate(dims)},
        "holder": [holders[i][1] for i in order],
        "holder_name": [holders[i][2] for i in order],
        "share_from": before[order, 0], "share_to": after[order, 0],
        "change_pts": change[order],
        "spend_from": before[order, 1], "spend_to": after[order, 1],
    }, {**dims_dtypes(dims), "holder": "string", "holder_name": "string",
        "share_from": "float64", "share_to": "float64", "change_pts": "float64",
        "spend_from": "float64", "spend_to": "float64"})


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
    services, locations = account.services, account.locations
    grid = [(s, sn, loc, ln)
            for s, sn in zip(services["service"].tolist(), services["name"].tolist(),
                             strict=True)
            for loc, ln in zip(locations["location"].tolist(), locations["name"].tolist(),
                               strict=True)]
    cells = _cells(account)
    in_year = {key[1:]: i for i, key in enumerate(cells.keys) if key[0] == year}
    picked = np.array([in_year.get((s, loc), -1) for s, _, loc, _ in grid], dtype=np.intp)
    spend = _taken(cells.spend, picked)
    ours = np.nan_to_num(_taken(cells.total, picked), nan=0.0)
    ratio, capped = _capped_share(ours, spend)
    no_estimate = np.isnan(spend)
    main = _main_holders(account, year)
    main_holder = [NO_ESTIMATE if none else main.get((s, loc), UNKNOWN)
                   for (s, _, loc, _), none in zip(grid, no_estimate, strict=True)]
    sells = ours > _EPSILON
    room = np.select(
        [no_estimate, sells & (np.isnan(ratio) | (ratio >= held_at)), sells,
         spend > _EPSILON],
        ["no estimate", "held", "deep selling", "cross selling"],
        default="no spend",
    )
    return frame_of({
        "service": [row[0] for row in grid], "service_name": [row[1] for row in grid],
        "location": [row[2] for row in grid], "location_name": [row[3] for row in grid],
        "spend": spend, "our_revenue": ours, "share": ratio, "capped": capped,
        "main_holder": main_holder,
        "main_holder_name": _holder_names(account, main_holder),
        "open_spend": _clipped(spend - ours), "room": room,
        "confidence": confidence_names(_taken(cells.conf, picked)),
    }, {"service": "string", "service_name": "string", "location": "string",
        "location_name": "string", "spend": "float64", "our_revenue": "float64",
        "share": "float64", "capped": "bool", "main_holder": "string",
        "main_holder_name": "string", "open_spend": "float64", "room": "string",
        "confidence": "string"})


def _main_holders(account: AccountData, year: int) -> dict[Key, str]:
    """The largest holder of each cell of ``year`` that has one with spend: the first by
    spend (largest first), then by the holders' order, then by name."""
    held = _holder_cells(account)
    candidates = [i for i, key in enumerate(held.keys)
                  if key[0] == year and held.spend[i] > 0]
    candidates.sort(key=lambda i: (-held.spend[i], _holder_order(held.holders[i])))
    main: dict[Key, str] = {}
    for i in candidates:
        main.setdefault(held.keys[i][1:], held.holders[i])
    return main
