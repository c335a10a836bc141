"""The action plan (P4): horizons relative to the as-of date, overdue and unowned actions,
objectives without actions.

Mini A1: ACT1 "Propose security pilot", owner P2, due 2025-03-01, open; ACT2 "Board
lunch", no owner, due 2025-05-01, done; both for OBJ1. OBJ2 has no action.
"""

from __future__ import annotations

import datetime as dt

from kamkit.documents import Action
from kamkit.plan import HORIZONS, action_plan, objectives_without_action

AS_OF = dt.date(2025, 6, 30)


def _action(action_id: str, due: str, status: str = "open", owner: str | None = "P2",
            objective: str | None = "OBJ1") -> Action:
    return Action(id=action_id, what=f"Do {action_id}", owner=owner,
                  due=dt.date.fromisoformat(due), status=status, objective=objective)


def test_a1_actions(a1) -> None:
    plan = action_plan(a1, AS_OF)
    assert plan["id"].tolist() == ["ACT1", "ACT2"]
    assert plan["horizon"].tolist() == ["overdue", "done"]
    assert plan["overdue"].tolist() == [True, False]
    assert plan["no_owner"].tolist() == [False, True]
    assert plan["owner_name"].iloc[0] == "Bram Peeters"
    assert plan["objective_title"].tolist() == ["Revenue to EUR 30k"] * 2
    # 2025-03-01 to 2025-06-30: 31 (March) + 30 (April) + 31 (May) + 29 = 121 days past
    assert plan["days_to_due"].iloc[0] == -121


def test_horizons(a1, replan) -> None:
    actions = (
        _action("later", "2026-07-01"),
        _action("q4-last", "2026-06-30"),  # 12 months after 2025-06-30
        _action("q4-first", "2025-10-01"),
        _action("m3-last", "2025-09-30"),  # 3 months after 2025-06-30
        _action("m3-first", "2025-07-22"),
        _action("w3-last", "2025-07-21"),  # 21 days after 2025-06-30
        _action("w3-today", "2025-06-30"),  # due today is not overdue
        _action("overdue", "2025-06-29"),
        _action("done", "2025-01-01", status="done"),
        _action("cancelled", "2026-01-01", status="cancelled"),
    )
    plan = action_plan(replan(a1, actions=actions), AS_OF).set_index("id")
    assert plan["horizon"].to_dict() == {
        "overdue": "overdue", "w3-today": "next 3 weeks", "w3-last": "next 3 weeks",
        "m3-first": "next 3 months", "m3-last": "next 3 months",
        "q4-first": "next 4 quarters", "q4-last": "next 4 quarters", "later": "later",
        "done": "done", "cancelled": "done",
    }
    # listed by horizon, then due date
    assert list(plan.index) == ["overdue", "w3-today", "w3-last", "m3-first", "m3-last",
                                "q4-first", "q4-last", "later", "done", "cancelled"]
    assert plan.loc["overdue", "days_to_due"] == -1 and plan.loc["w3-last", "days_to_due"] == 21
    assert plan["overdue"].sum() == 1
    assert plan.loc["cancelled", "status"] == "cancelled"
    assert set(plan["horizon"]) <= set(HORIZONS)


def test_quarter_end_as_of(a1, replan) -> None:
    # as of 2025-09-30, "3 months" runs to 2025-12-30 (the same day number)
    actions = (_action("in", "2025-12-30"), _action("out", "2025-12-31"))
    plan = action_plan(replan(a1, actions=actions), "2025Q3").set_index("id")
    assert plan.loc["in", "horizon"] == "next 3 months"
    assert plan.loc["out", "horizon"] == "next 4 quarters"


def test_objectives_without_action(a1, replan) -> None:
    missing = objectives_without_action(a1)
    assert missing["id"].tolist() == ["OBJ2"]
    assert missing["title"].tolist() == ["Happier client"]
    # a cancelled action does not work towards an objective; a done one does
    cancelled = replan(a1, actions=(_action("A", "2025-05-01", "cancelled", objective="OBJ2"),))
    assert objectives_without_action(cancelled)["id"].tolist() == ["OBJ1", "OBJ2"]
    done = replan(a1, actions=(_action("A", "2025-05-01", "done", objective="OBJ2"),
                               _action("B", "2025-05-01", objective="OBJ1")))
    assert objectives_without_action(done).empty


def test_account_without_plan(a1, a2) -> None:
    for function in (lambda a: action_plan(a, AS_OF), objectives_without_action):
        empty, full = function(a2), function(a1)
        assert empty.empty
        assert empty.dtypes.to_dict() == full.dtypes.to_dict()
