"""What changed between two quarter snapshots, as each was reported: figures, health and its
components, the place in the matrix, and the plan's commitments (so a plan cannot quietly
move its goalposts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

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


_Row = tuple[str, object, object, object, float]


def _differs(before: object, after: object) -> bool:
    return before != after


def _closed(before: object, after: object) -> bool:
    return before not in CLOSED and after in CLOSED


def _no_delta(before: object, after: object) -> float:
    return np.nan


class _Part(NamedTuple):
    """How one part of a plan is compared: its items' change codes start with ``noun``,
    ``name`` is the field that names an item, each rule is (change, field, whether it
    changed, delta); ``overdue``: list an item that became overdue."""

    noun: str
    name: str
    rules: tuple[tuple[str, str, Callable[[object, object], bool],
                       Callable[[object, object], float]], ...]
    overdue: bool = False


_PARTS = {
    "objectives": _Part("objective", "title", (
        ("retargeted", "target", _differs, _delta),
        ("redated", "deadline", _differs, _days))),
    "actions": _Part("action", "what", (
        ("closed", "status", _closed, _no_delta),
        ("redated", "due", _differs, _days),
        ("reassigned", "owner", _differs, _no_delta)), overdue=True),
}
"""The plan's commitments compared between snapshots, in the order their rows are listed."""


def _plan_rows(before: Mapping[str, Any] | None,
               after: Mapping[str, Any] | None) -> list[_Row]:
    """(change, subject, before, after, delta) of the plan's objectives and actions."""
    rows: list[_Row] = []
    for key, part in _PARTS.items():
        old, new = _by_id(before, key), _by_id(after, key)
        for item_id, item in new.items():
            was = old.get(item_id)
            if was is None:
                rows.append((f"{part.noun}_new", item_id, None, item.get(part.name), np.nan))
            else:
                rows += [(f"{part.noun}_{change}", item_id, was.get(field), item.get(field),
                          delta(was.get(field), item.get(field)))
                         for change, field, changed, delta in part.rules
                         if changed(was.get(field), item.get(field))]
            if part.overdue and item.get("overdue") and not (was or {}).get("overdue"):
                rows.append((f"{part.noun}_overdue", item_id, None, item.get("due"), np.nan))
        rows += [(f"{part.noun}_removed", item_id, item.get(part.name), None, np.nan)
                 for item_id, item in old.items() if item_id not in new]
    return rows


def _account_rows(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[_Row]:
    rows: list[_Row] = []
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
