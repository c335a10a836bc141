"""Selecting and prioritising accounts: attractiveness and our position from weighted
criteria, the portfolio matrix's quadrants, and prospects ranked by their potential."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from kamkit.frames import typed
from kamkit.periods import parse_as_of
from kamkit.portfolio.assess import (
    ASSESSMENT_COLUMNS,
    DEFAULT_STATUSES,
    Measured,
    assess,
    measure,
)
from kamkit.schema import DEFAULT_MIN_STRENGTH
from kamkit.scoring import MAX_POINTS
from kamkit.workbook import Workbook

MATRIX_AXES = ("attractiveness", "position")

QUADRANTS: dict[str, str] = {
    "invest": "high attractiveness, strong position: invest to grow and defend",
    "develop": "high attractiveness, weak position: invest selectively to build "
               "(key development accounts)",
    "maintain": "low attractiveness, strong position: maintain, serve efficiently",
    "opportunistic": "low attractiveness, weak position: serve opportunistically, manage "
                     "for cash or withdraw",
}
"""The quadrants of the portfolio matrix, by code, with the approach the method implies
(``docs/method.md``); reports translate the codes through the labels."""

THRESHOLD = 50.0
"""Where an axis (0-100) turns from low to high; a score on it counts as high."""

SCORE_COLUMNS: dict[str, object] = {
    "name": "string", "status": "string", **ASSESSMENT_COLUMNS,
    "computed_score": "float64", "override_score": "float64", "override": "bool",
}
MATRIX_COLUMNS: dict[str, object] = {
    "account_id": "string", "name": "string", "status": "string", "kam": "string",
    "attractiveness": "float64", "position": "float64",
    "attractiveness_computed": "float64", "position_computed": "float64",
    "attractiveness_override": "bool", "position_override": "bool",
    "attractiveness_known_pct": "float64", "position_known_pct": "float64",
    "quadrant": "string", "revenue": "float64", "wallet": "float64",
    "open_wallet": "float64",
}
PROSPECT_COLUMNS: dict[str, object] = {
    "rank": "int64", "account_id": "string", "name": "string", "kam": "string",
    "attractiveness": "float64", "position": "float64", "quadrant": "string",
    "wallet": "float64", "open_wallet": "float64", "revenue": "float64",
    "reason": "string", "reason_value": "float64", "reason_unit": "string",
    "gap": "string", "gap_value": "float64", "gap_unit": "string",
}


def quadrant(attractiveness: float | None, position: float | None,
             threshold: float = THRESHOLD) -> str | None:
    """The quadrant (a code of ``QUADRANTS``) of a place in the matrix; None when either
    score is missing. A score equal to ``threshold`` counts as high.

    Examples
    --------
    >>> quadrant(72, 35), quadrant(50, 50), quadrant(20, None)
    ('develop', 'invest', None)
    """
    if attractiveness is None or position is None or pd.isna(attractiveness) or pd.isna(
            position):
        return None
    high, strong = attractiveness >= threshold, position >= threshold
    if high:
        return "invest" if strong else "develop"
    return "maintain" if strong else "opportunistic"


def _with_overrides(assessed: pd.DataFrame, measured: Measured) -> pd.DataFrame:
    accounts = measured.accounts.set_index("account_id")
    override = pd.Series([accounts.at[a, x] if x in accounts.columns else np.nan
                          for a, x in zip(assessed["account_id"], assessed["axis"],
                                          strict=True)],
                         index=assessed.index, dtype="float64") * (100 / MAX_POINTS)
    return assessed.assign(
        name=assessed["account_id"].map(accounts["name"]),
        status=assessed["account_id"].map(accounts["status"]),
        computed_score=assessed["score"],
        override_score=override,
        override=override.notna(),
        score=override.where(override.notna(), assessed["score"]),
    )


def _scores(measured: Measured) -> pd.DataFrame:
    return typed(_with_overrides(assess(measured, MATRIX_AXES), measured), SCORE_COLUMNS)


def scores(workbook: Workbook, as_of: str | dt.date,
           account_ids: Sequence[str] | None = None,
           statuses: Sequence[str] = DEFAULT_STATUSES, *,
           min_strength: int = DEFAULT_MIN_STRENGTH) -> pd.DataFrame:
    """Attractiveness and our position per account, taken apart into their criteria.

    Each criterion (``criteria.criteria``: the workbook's criteria table or the defaults)
    gets a value (computed from the account's data as of ``as_of``, or the latest judgement
    on or before it), 0-10 points on its scale, and a contribution ``effective_weight x
    points / 10``; the axis score (0-100) is the sum of the contributions. A criterion
    without a value is left out (``note`` says why) and the weights with a value count for
    the whole (``effective_weight``; ``known_weight_pct`` is the share of weight with a
    value); with less than ``MIN_KNOWN_WEIGHT_PCT`` of the weight known the axis has no
    computed score (NA), as for the health score. An ``attractiveness`` or ``position``
    filled in accounts.csv (0-10) overrides the computed score (x 10): ``score`` is then
    the override, ``computed_score`` still the computed one.

    Parameters
    ----------
    workbook
        The workbook.
    as_of
        The date (or quarter) the data count to.
    account_ids
        The accounts to score; None: every account whose status is in ``statuses``.
    statuses
        Which accounts to score when ``account_ids`` is None (default: key accounts and
        prospects).
    min_strength
        The relationship strength from which a decision maker or high-influence contact counts
        as covered (as in the contact matrix, A8; default 3, regular working contact).

    Returns
    -------
    DataFrame
        One row per account x axis x criterion: ``name``, ``status``, ``account_id``,
        ``axis`` ("attractiveness" or "position"), ``criterion``, ``source`` ("computed" or
        "judgement"), ``value`` (in ``unit``), ``low`` and ``high`` (the values giving 0 and
        10 points; the portfolio's largest value where the scale runs to it), ``points``
        (0-10; NA when left out), ``weight`` (as configured), ``effective_weight``,
        ``contribution``, ``note`` (NA, "missing", "missing_counts_as_worst" or
        "no_scale"), ``score`` (the axis score in force, 0-100), ``known_weight_pct``,
        ``computed_score``, ``override_score`` (NA without override) and ``override``.
        A scale that runs to the portfolio's largest value (wallet, open wallet) takes it
        over every account of ``statuses`` and those asked for, so an account scores the
        same whether it is asked for alone or with the whole portfolio.
    """
    return _scores(measure(workbook, parse_as_of(as_of), account_ids, statuses,
                           min_strength=min_strength))


def _matrix(measured: Measured, scored: pd.DataFrame) -> pd.DataFrame:
    per_axis = scored.drop_duplicates(["account_id", "axis"]).set_index(
        ["account_id", "axis"])
    accounts = measured.accounts
    rows = []
    for info in accounts.to_dict("records"):
        account_id = info["account_id"]
        row: dict[str, object] = {"account_id": account_id, "name": info["name"],
                                  "status": info["status"], "kam": info["kam"]}
        for axis in MATRIX_AXES:
            item = per_axis.loc[(account_id, axis)] if (account_id, axis) in per_axis.index \
                else None
            row[axis] = np.nan if item is None else item["score"]
            row[f"{axis}_computed"] = np.nan if item is None else item["computed_score"]
            row[f"{axis}_override"] = False if item is None else bool(item["override"])
            row[f"{axis}_known_pct"] = np.nan if item is None else item["known_weight_pct"]
        row["quadrant"] = quadrant(row["attractiveness"], row["position"])  # type: ignore[arg-type]
        values = measured.values[account_id]
        row["revenue"] = measured.figures[account_id]["revenue"]
        row["wallet"] = values["wallet"]
        row["open_wallet"] = values["open_wallet"]
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(MATRIX_COLUMNS))
    return typed(frame, MATRIX_COLUMNS)


def matrix(workbook: Workbook, as_of: str | dt.date,
           account_ids: Sequence[str] | None = None,
           statuses: Sequence[str] = DEFAULT_STATUSES, *,
           min_strength: int = DEFAULT_MIN_STRENGTH) -> pd.DataFrame:
    """The portfolio matrix: every account placed by attractiveness and our position.

    Parameters
    ----------
    workbook, as_of, account_ids, statuses, min_strength
        As for ``scores``.

    Returns
    -------
    DataFrame
        One row per account, in workbook order: ``account_id``, ``name``, ``status``,
        ``kam``; ``attractiveness`` and ``position`` (0-100, the override where one is
        given), ``*_computed`` (from the criteria), ``*_override`` (bool),
        ``*_known_pct`` (share of the weight with a value; below ``MIN_KNOWN_WEIGHT_PCT``
        the computed score is NA, and without an override the account is not placed);
        ``quadrant`` (a code of ``QUADRANTS``; NA when a score is missing); for the size
        of its mark
        ``revenue`` (ours, last full year; NA without sales), ``wallet`` (its total
        spend, last full year) and ``open_wallet`` (the part not bought from us).
        Movement since last quarter: ``changes`` between two snapshots.
    """
    measured = measure(workbook, parse_as_of(as_of), account_ids, statuses,
                       min_strength=min_strength)
    return _matrix(measured, _scores(measured))


def _extreme(rows: pd.DataFrame, column: str, largest: bool) -> tuple[object, float, object]:
    """(criterion, value, unit) of the row with the largest (or smallest) ``column``."""
    rows = rows.dropna(subset=[column])
    rows = rows[(rows["weight"] > 0).to_numpy()]
    if rows.empty:
        return pd.NA, np.nan, pd.NA
    pick = rows[column].idxmax() if largest else rows[column].idxmin()
    return rows.at[pick, "criterion"], rows.at[pick, "value"], rows.at[pick, "unit"]


SALES_OUTCOMES = frozenset({"share_of_wallet", "share_trend", "revenue_trend", "history"})
"""Position criteria that only selling moves: 0 (or not known) for a prospect we have not
sold to yet, so never the place to build first ("build first: share of wallet (0%)")."""


def _number(value: object) -> float:
    """``value`` as a float, 0.0 where it is not known."""
    return 0.0 if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def prospects(workbook: Workbook, as_of: str | dt.date, *,
              min_strength: int = DEFAULT_MIN_STRENGTH) -> pd.DataFrame:
    """The prospects (status ``prospect``) ranked by large-account potential.

    Potential is the attractiveness score (override included); ties go to the larger open
    wallet, then workbook order. The reason is the attractiveness criterion that
    contributes most; the gap the position criterion with the fewest points (where to build
    first; for a prospect without sales, not one of ``SALES_OUTCOMES``). Criteria with
    weight 0 are never a reason or gap.

    Returns
    -------
    DataFrame
        ``PROSPECT_COLUMNS``: ``rank`` (1 = most potential), ``account_id``, ``name``,
        ``kam``, ``attractiveness``, ``position``, ``quadrant``, ``wallet``,
        ``open_wallet``, ``revenue`` (NA: no sales yet), ``reason`` (criterion
        code), ``reason_value`` and ``reason_unit``, ``gap``, ``gap_value`` and
        ``gap_unit``. Empty with these columns when there are no prospects. Portfolio-max
        scales run over the key accounts and prospects together, so a prospect's wallet is
        measured against the accounts it would join.
    """
    measured = measure(workbook, parse_as_of(as_of), min_strength=min_strength)
    scored = _scores(measured)
    placed = _matrix(measured, scored)
    placed = placed[(placed["status"] == "prospect").to_numpy()]
    rows = []
    for info in placed.to_dict("records"):
        own = scored[(scored["account_id"] == info["account_id"]).to_numpy()]
        reason = _extreme(own[(own["axis"] == "attractiveness").to_numpy()], "contribution",
                          largest=True)
        position = own[(own["axis"] == "position").to_numpy()]
        if not _number(info["revenue"]):  # no sales yet: build the relationship, not "sales"
            position = position[~position["criterion"].isin(SALES_OUTCOMES).to_numpy()]
        gap = _extreme(position, "points", largest=False)
        rows.append({**info, "reason": reason[0], "reason_value": reason[1],
                     "reason_unit": reason[2], "gap": gap[0], "gap_value": gap[1],
                     "gap_unit": gap[2]})
    frame = pd.DataFrame(rows, columns=[c for c in PROSPECT_COLUMNS if c != "rank"])
    frame = frame.sort_values(["attractiveness", "open_wallet"], ascending=False,
                              kind="stable", na_position="last")
    frame = frame.assign(rank=np.arange(1, len(frame) + 1))
    return typed(frame, PROSPECT_COLUMNS)
