"""The action plan (P4): who does what and when, by horizon, with overdue and unowned
actions flagged; and the objectives no action works towards."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kamkit.frames import empty, typed
from kamkit.memo import per_account
from kamkit.periods import parse_as_of, shift_months
from kamkit.plan._common import names_of, person_names, plan_of
from kamkit.workbook import AccountData

HORIZONS = ("overdue", "next 3 weeks", "next 3 months", "next 4 quarters", "later", "done")
"""The ``horizon`` of an action, in the order actions are listed."""

CLOSED = ("done", "cancelled")
"""Action statuses that need no more work."""

_ACTION_COLUMNS: dict[str, object] = {
    "id": "string", "what": "string", "owner": "string", "owner_name": "string",
    "due": "datetime64[s]", "status": "string", "objective": "string",
    "objective_title": "string", "horizon": "string", "days_to_due": "int64",
    "overdue": "bool", "no_owner": "bool",
}


def _horizon(due: dt.date, status: str, as_of: dt.date) -> str:
    """The action's horizon (see ``action_plan``)."""
    if status in CLOSED:
        return "done"
    for horizon, last in (("overdue", as_of - dt.timedelta(days=1)),
                          ("next 3 weeks", as_of + dt.timedelta(weeks=3)),
                          ("next 3 months", shift_months(as_of, 3)),
                          ("next 4 quarters", shift_months(as_of, 12))):
        if due <= last:
            return horizon
    return "later"


@per_account
def action_plan(account: AccountData, as_of: dt.date | str) -> pd.DataFrame:
    """The plan's actions with their horizon relative to ``as_of`` (P4).

    ``horizon``: "done" for a done or cancelled action (``status`` tells which); for the
    others "overdue" when due before ``as_of``, "next 3 weeks" when due from ``as_of`` up
    to 21 days after it, "next 3 months" up to the same day 3 months later (the month's
    last day when it has no such day), "next 4 quarters" up to 12 months later, else
    "later".

    Parameters
    ----------
    account
        One account's data.
    as_of
        The reference date (a date, "2026-09-30" or "2026Q3").

    Returns
    -------
    DataFrame
        One row per action, by ``horizon`` in the order of ``HORIZONS``, then by due
        date, then in plan order: ``id``, ``what``, ``owner`` (person id; NA when none),
        ``owner_name``, ``due``, ``status``, ``objective`` (id; NA when none),
        ``objective_title``, ``horizon``, ``days_to_due`` (due minus ``as_of`` in days,
        negative when past), ``overdue`` (horizon "overdue") and ``no_owner``. Empty with
        these columns when the account has no plan.
    """
    plan = plan_of(account)
    if plan is None or not plan.actions:
        return empty(_ACTION_COLUMNS)
    day = parse_as_of(as_of)
    titles = {objective.id: objective.title for objective in plan.objectives}
    frame = pd.DataFrame([action.model_dump() for action in plan.actions])
    horizon = [_horizon(due, status, day) for due, status in zip(
        frame["due"], frame["status"], strict=True)]
    frame = frame.assign(
        owner=frame["owner"].astype("string"),
        objective=frame["objective"].astype("string"),
        due=pd.to_datetime(frame["due"]),
        horizon=horizon,
        order=[HORIZONS.index(h) for h in horizon],
    )
    frame = frame.assign(
        owner_name=names_of(frame["owner"], person_names(account)),
        objective_title=names_of(frame["objective"], titles),
        days_to_due=(frame["due"] - pd.Timestamp(day)).dt.days,
        overdue=np.equal(horizon, "overdue"),
        no_owner=frame["owner"].isna().to_numpy(),
    ).sort_values(["order", "due"], kind="stable")
    return typed(frame, _ACTION_COLUMNS)


def objectives_without_action(account: AccountData) -> pd.DataFrame:
    """The plan's objectives that no action works towards (P4).

    A cancelled action does not count; a done one does.

    Parameters
    ----------
    account
        One account's data.

    Returns
    -------
    DataFrame
        One row per such objective, in plan order: ``id``, ``title``, ``kind``,
        ``metric``, ``owner``, ``owner_name`` and ``deadline``. Empty with these columns
        when there are none or the account has no plan.
    """
    columns = {"id": "string", "title": "string", "kind": "string", "metric": "string",
               "owner": "string", "owner_name": "string", "deadline": "datetime64[s]"}
    plan = plan_of(account)
    if plan is None:
        return empty(columns)
    worked_on = {a.objective for a in plan.actions if a.status != "cancelled"}
    rows = [{"id": o.id, "title": o.title, "kind": o.kind, "metric": o.metric,
             "owner": o.owner, "deadline": pd.Timestamp(o.deadline) if o.deadline else pd.NaT}
            for o in plan.objectives if o.id not in worked_on]
    frame = pd.DataFrame(rows, columns=[c for c in columns if c != "owner_name"])
    frame = frame.assign(owner_name=names_of(frame["owner"], person_names(account)))
    return typed(frame, columns)
