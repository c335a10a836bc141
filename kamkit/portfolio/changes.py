"""What changed between two quarter snapshots, as each was reported: figures, health and its
components, the place in the matrix, and the plan's commitments (so a plan cannot quietly
move its goalposts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from kamkit.frames import typed
from kamkit.plan import CLOSED
from kamkit.portfolio.snapshot import Snapshot

CHANGE_COLUMNS: dict[str, object] = {
    "account_id": "string", "change": "string", "subject": "string", "before": "object",
    "after": "object", "delta": "float64",
}

FIGURES = ("revenue_12m", "revenue", "share", "plan_achievement_pct")
"""The key figures compared; ``delta`` is after minus before in the figure's unit (a share
as a fraction)."""

CHANGES = (
    "account_new", "account_gone",
    *FIGURES, "plan_status", "health", "health_component", "attractiveness", "position",
    "quadrant",
    "objective_new", "objective_removed", "objective_retargeted", "objective_redated",
    "action_new", "action_removed", "action_closed", "action_overdue", "action_redated",
    "action_reassigned",
)
"""The ``change`` codes of ``changes``, in the order rows are listed per account."""


def _number(value: object) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(
        value, bool) else np.nan


def _delta(before: object, after: object) -> float:
    return _number(after) - _number(before)


def _days(before: object, after: object) -> float:
    if not isinstance(before, str) or not isinstance(after, str):
        return np.nan
    return float((dt.date.fromisoformat(after) - dt.date.fromisoformat(before)).days)


def _by_id(plan: Mapping[str, Any] | None, part: str) -> dict[str, dict[str, Any]]:
    """The plan's objectives or actions (``part``) by id; none without a plan."""
    return {str(item["id"]): item for item in (plan or {}).get(part) or []}


def _plan_rows(before: Mapping[str, Any] | None,
               after: Mapping[str, Any] | None) -> list[tuple[str, object, object, object, float]]:
    """(change, subject, before, after, delta) of the plan's objectives and actions."""
    rows: list[tuple[str, object, object, object, float]] = []
    old_obj = _by_id(before, "objectives")
    new_obj = _by_id(after, "objectives")
    for key, item in new_obj.items():
        was = old_obj.get(key)
        if was is None:
            rows.append(("objective_new", key, None, item.get("title"), np.nan))
            continue
        if was.get("target") != item.get("target"):
            rows.append(("objective_retargeted", key, was.get("target"), item.get("target"),
                         _delta(was.get("target"), item.get("target"))))
        if was.get("deadline") != item.get("deadline"):
            rows.append(("objective_redated", key, was.get("deadline"), item.get("deadline"),
                         _days(was.get("deadline"), item.get("deadline"))))
    rows += [("objective_removed", key, item.get("title"), None, np.nan)
             for key, item in old_obj.items() if key not in new_obj]
    old_act = _by_id(before, "actions")
    new_act = _by_id(after, "actions")
    for key, item in new_act.items():
        was = old_act.get(key)
        if was is None:
            rows.append(("action_new", key, None, item.get("what"), np.nan))
        else:
            if was.get("status") not in CLOSED and item.get("status") in CLOSED:
                rows.append(("action_closed", key, was.get("status"), item.get("status"),
                             np.nan))
            if was.get("due") != item.get("due"):
                rows.append(("action_redated", key, was.get("due"), item.get("due"),
                             _days(was.get("due"), item.get("due"))))
            if was.get("owner") != item.get("owner"):
                rows.append(("action_reassigned", key, was.get("owner"), item.get("owner"),
                             np.nan))
        if item.get("overdue") and not (was or {}).get("overdue"):
            rows.append(("action_overdue", key, None, item.get("due"), np.nan))
    rows += [("action_removed", key, item.get("what"), None, np.nan)
             for key, item in old_act.items() if key not in new_act]
    return rows


def _account_rows(before: Mapping[str, Any],
                  after: Mapping[str, Any]) -> list[tuple[str, object, object, object, float]]:
    rows: list[tuple[str, object, object, object, float]] = []
    old_fig, new_fig = before.get("figures", {}), after.get("figures", {})
    for figure in FIGURES:
        rows.append((figure, None, old_fig.get(figure), new_fig.get(figure),
                     _delta(old_fig.get(figure), new_fig.get(figure))))
    rows.append(("plan_status", None, old_fig.get("plan_status"), new_fig.get("plan_status"),
                 np.nan))
    old_health, new_health = before.get("health", {}), after.get("health", {})
    rows.append(("health", None, old_health.get("score"), new_health.get("score"),
                 _delta(old_health.get("score"), new_health.get("score"))))
    old_parts = old_health.get("components", {})
    for code, part in new_health.get("components", {}).items():
        was = old_parts.get(code, {})
        rows.append(("health_component", code, was.get("points"), part.get("points"),
                     _delta(was.get("points"), part.get("points"))))
    old_place, new_place = before.get("matrix", {}), after.get("matrix", {})
    for axis in ("attractiveness", "position", "quadrant"):
        rows.append((axis, None, old_place.get(axis), new_place.get(axis),
                     np.nan if axis == "quadrant" else _delta(old_place.get(axis),
                                                               new_place.get(axis))))
    return rows + _plan_rows(before.get("plan"), after.get("plan"))


def changes(previous: Snapshot | None, current: Snapshot) -> pd.DataFrame:
    """What changed per account from ``previous`` to ``current``, both as reported.

    Parameters
    ----------
    previous
        The earlier snapshot (``read_snapshot``); None when there is none: then every
        account is ``account_new`` and nothing else is listed.
    current
        The later snapshot.

    Returns
    -------
    DataFrame
        ``account_id``, ``change`` (a code of ``CHANGES``), ``subject`` (the health
        component, objective or action id; NA for account-level rows), ``before`` and
        ``after`` (the values as reported: numbers, texts, YYYY-MM-DD dates or None) and
        ``delta`` (after - before for numbers: EUR, a share as a fraction, health and
        component points, axis scores, an objective's target; days for a re-dated objective
        or action; NA otherwise). Per account of either snapshot, in ``current``'s order
        then the accounts gone: every figure, health, component and matrix row (delta NA
        where either side is missing), then only the plan changes that happened:
        objectives new, removed, re-targeted, re-dated; actions new, removed, closed, newly
        overdue, re-dated, given another owner.
    """
    old = (previous or {}).get("accounts", {})
    rows: list[tuple[object, ...]] = []
    for account_id, after in current["accounts"].items():
        if account_id not in old:
            rows.append((account_id, "account_new", None, None, after.get("name"), np.nan))
            if previous is None:
                continue
            after_rows = _account_rows({}, after)
        else:
            after_rows = _account_rows(old[account_id], after)
        rows += [(account_id, *row) for row in after_rows]
    rows += [(account_id, "account_gone", None, before.get("name"), None, np.nan)
             for account_id, before in old.items() if account_id not in current["accounts"]]
    frame = pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))
    return typed(frame, CHANGE_COLUMNS)
