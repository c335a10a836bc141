"""The criteria in force and their weights: the workbook's ``criteria`` table, or the
defaults below for every axis the table does not mention; and how a value becomes points.

Three axes: ``attractiveness`` and ``position`` (the portfolio matrix) and ``health`` (the
health score). Each criterion is computed (a code of ``metrics.METRICS``) or a judgement
(scored 0-10 by people in the ``judgements`` table). Per axis the weights add up to 100;
points run from 0 to 10, so an axis score is ``sum(weight x points) / 10``, 0-100.
"""

from __future__ import annotations

import math

import pandas as pd

from kamkit.frames import typed
from kamkit.scoring import (
    AXES,
    DEFAULT_CRITERIA,
    JUDGEMENT,
    MAX_POINTS,
    METRICS_BY_CODE,
    PORTFOLIO_MAX,
)
from kamkit.workbook import Workbook

CRITERIA_COLUMNS: dict[str, object] = {
    "axis": "string", "criterion": "string", "source": "string", "weight": "float64",
    "low": "float64", "high": "float64", "high_is_max": "bool", "low_is_max": "bool",
    "missing_is_worst": "bool", "unit": "string", "from_workbook": "bool",
}

JUDGEMENT_LOW, JUDGEMENT_HIGH = 0.0, MAX_POINTS
"""A judgement is scored 0-10 and counts as its points."""


def _scale_end(given: object, default: float | str) -> tuple[float, bool]:
    """(value, is_portfolio_max) of a scale end: the criteria table's cell, else the
    metric's default."""
    end = default if given is None or pd.isna(given) else given
    if end == PORTFOLIO_MAX:
        return math.nan, True
    return float(end), False  # type: ignore[arg-type]


def _row(axis: str, criterion: str, weight: float, source: str, low: object = None,
         high: object = None, from_workbook: bool = False) -> dict[str, object]:
    if source == JUDGEMENT:
        return {"axis": axis, "criterion": criterion, "source": source, "weight": weight,
                "low": JUDGEMENT_LOW, "high": JUDGEMENT_HIGH, "low_is_max": False,
                "high_is_max": False, "missing_is_worst": False, "unit": "score 0-10",
                "from_workbook": from_workbook}
    metric = METRICS_BY_CODE[criterion]
    low_value, low_max = _scale_end(low, metric.low)
    high_value, high_max = _scale_end(high, metric.high)
    return {"axis": axis, "criterion": criterion, "source": source, "weight": weight,
            "low": low_value, "high": high_value, "low_is_max": low_max,
            "high_is_max": high_max, "missing_is_worst": metric.missing_is_worst,
            "unit": metric.unit, "from_workbook": from_workbook}


def criteria(workbook: Workbook, axis: str | None = None) -> pd.DataFrame:
    """The criteria in force: the workbook's ``criteria`` rows for every axis it mentions,
    the defaults (``DEFAULT_CRITERIA``) for the others.

    The workbook was validated on loading (weights per axis add up to 100, computed
    criteria are known metrics, ``low`` differs from ``high``), so this never fails.

    Parameters
    ----------
    workbook
        The workbook.
    axis
        One of ``AXES`` to get that axis only; None for all.

    Returns
    -------
    DataFrame
        One row per axis x criterion, in axis order then table order: ``axis``,
        ``criterion``, ``source`` ("computed" or "judgement"), ``weight`` (per axis adding
        up to 100), ``low`` and ``high`` (the values giving 0 and 10 points; NaN where the
        end is the portfolio's largest value, flagged in ``low_is_max`` / ``high_is_max``),
        ``missing_is_worst`` (a missing value scores 0 points instead of being left out),
        ``unit`` and ``from_workbook`` (False for a default).
    """
    table = workbook.table("criteria")
    given = set(table["axis"].dropna())
    rows = []
    for name in AXES:
        if axis is not None and name != axis:
            continue
        if name in given:
            for _, item in table[(table["axis"] == name).fillna(False).to_numpy()].iterrows():
                rows.append(_row(name, str(item["criterion"]), float(item["weight"]),
                                 str(item["source"]), item["low"], item["high"], True))
        else:
            rows += [_row(a, c, float(w), s) for a, c, w, s in DEFAULT_CRITERIA if a == name]
    return typed(pd.DataFrame(rows), CRITERIA_COLUMNS)


def points(value: float | None, low: float, high: float) -> float:
    """0-10 points for ``value`` on the scale from ``low`` (0 points) to ``high`` (10),
    linear between and clipped outside; ``high < low`` means lower is better. NaN for a
    missing value.

    Raises
    ------
    ValueError
        When ``low == high`` or either is missing: the scale has no length (the criteria
        table's check keeps a workbook from getting here).

    Examples
    --------
    >>> points(15, 10, 35), points(60, 0, 60), points(45, 120, 30)  # the last: lower is better
    (2.0, 10.0, 8.333333333333334)
    """
    if value is None or pd.isna(value):
        return math.nan
    if pd.isna(low) or pd.isna(high) or low == high:
        raise ValueError(f"a scale from {low} to {high} has no length")
    return min(max((float(value) - low) / (high - low), 0.0), 1.0) * MAX_POINTS + 0.0


__all__ = ["CRITERIA_COLUMNS", "criteria", "points"]
