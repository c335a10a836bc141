"""The health score of an account: 0-100 from weighted components, each shown with its
value, weight and points so anyone can take it apart."""

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
    MIN_KNOWN_WEIGHT_PCT,
    Measured,
    assess,
    measure,
    too_little_known,
)
from kamkit.schema import DEFAULT_MIN_STRENGTH
from kamkit.workbook import Workbook

HEALTH_AXIS = "health"

HEALTH_COLUMNS: dict[str, object] = {
    "account_id": "string", "component": "string", "source": "string", "value": "float64",
    "unit": "string", "low": "float64", "high": "float64", "points": "float64",
    "weight": "float64", "effective_weight": "float64", "contribution": "float64",
    "note": "string", "health": "float64", "known_weight_pct": "float64",
}

SUMMARY_COLUMNS: dict[str, object] = {
    "account_id": "string", "health": "float64", "known_weight_pct": "float64",
    "weakest": "string", "weakest_points": "float64",
}


def _health(measured: Measured, min_known_pct: float = MIN_KNOWN_WEIGHT_PCT) -> pd.DataFrame:
    assessed = assess(measured, (HEALTH_AXIS,), min_known_pct)  # too little known: NA
    frame = assessed.rename(columns={"criterion": "component", "score": "health"})
    return typed(frame, HEALTH_COLUMNS)


def health(workbook: Workbook, as_of: str | dt.date,
           account_ids: Sequence[str] | None = None,
           statuses: Sequence[str] = DEFAULT_STATUSES, *,
           min_strength: int = DEFAULT_MIN_STRENGTH,
           min_known_pct: float = MIN_KNOWN_WEIGHT_PCT) -> pd.DataFrame:
    """Each account's health score, component by component (long format).

    The components are the ``health`` criteria of the workbook's criteria table, or the
    defaults (``kamkit.scoring.DEFAULT_CRITERIA``): revenue trend, share-of-wallet trend,
    relationship coverage of decision makers and high-influence contacts, satisfaction,
    complaints, plan progress, overdue actions, and data freshness (days since the last
    recorded contact, age of the wallet estimates, days since the document was last
    reviewed). Points 0-10 per
    component on its scale; ``contribution = effective_weight x points / 10`` and the
    health is their sum, 0-100. A component without a value is left out (``note``
    "missing"; the other weights count for the whole, ``known_weight_pct`` says how much
    had a value), except the freshness components, where never recorded scores 0 points
    ("missing_counts_as_worst"). Where less than ``min_known_pct`` of the weight has points
    (default ``MIN_KNOWN_WEIGHT_PCT``, half) the account has no health score (NA): too
    little is known.

    Parameters
    ----------
    workbook
        The workbook.
    as_of
        The date (or quarter) the data count to.
    account_ids, statuses, min_strength
        Which accounts, and from which relationship strength a decision maker or
        high-influence contact counts as covered, as for ``scores.scores`` (default: key
        accounts and prospects; 3).
    min_known_pct
        The share of the weight (per cent) with points below which there is no score.

    Returns
    -------
    DataFrame
        One row per account x component, accounts in workbook order, components in
        criteria order: ``account_id``, ``component``, ``source``, ``value``, ``unit``,
        ``low``, ``high``, ``points``, ``weight``, ``effective_weight``,
        ``contribution``, ``note``, ``health`` (the account's total, repeated; NA when
        too little is known) and ``known_weight_pct``.
    """
    return _health(measure(workbook, parse_as_of(as_of), account_ids, statuses,
                           min_strength=min_strength), min_known_pct)


def health_summary(components: pd.DataFrame) -> pd.DataFrame:
    """One row per account of a ``health`` frame: ``account_id``, ``health``,
    ``known_weight_pct``, and the component with the fewest points among those with weight
    (``weakest``, ``weakest_points``; NA when none has points)."""
    rows = []
    for account_id, own in components.groupby("account_id", sort=False):
        weighted = own[(own["weight"] > 0).to_numpy()].dropna(subset=["points"])
        weakest = weighted.loc[weighted["points"].idxmin()] if not weighted.empty else None
        rows.append({"account_id": account_id, "health": own["health"].iloc[0],
                     "known_weight_pct": own["known_weight_pct"].iloc[0],
                     "weakest": pd.NA if weakest is None else weakest["component"],
                     "weakest_points": np.nan if weakest is None else weakest["points"]})
    return typed(pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS)), SUMMARY_COLUMNS)


__all__ = ["ASSESSMENT_COLUMNS", "HEALTH_COLUMNS", "MIN_KNOWN_WEIGHT_PCT", "SUMMARY_COLUMNS",
           "health", "health_summary", "too_little_known"]
