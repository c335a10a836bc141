"""The quarter snapshot and the changes between two, as reported."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from kamkit import portfolio as pf
from kamkit.errors import KamkitError
from kamkit.workbook import Workbook

AS_OF = "2025-12-31"


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_snapshot_holds_figures_health_matrix_and_commitments(book: Workbook) -> None:
    snap = pf.snapshot(book, AS_OF)
    assert (snap["format"], snap["version"], snap["as_of"], snap["quarter"]) == (
        pf.FORMAT, pf.VERSION, "2025-12-31", "2025Q4")
    assert list(snap["accounts"]) == ["A1", "A2", "A3"]
    a1 = snap["accounts"]["A1"]
    assert a1["figures"]["revenue"] == pytest.approx(2_000)
    assert a1["figures"]["revenue_12m"] == pytest.approx(2_000)
    assert a1["figures"]["share"] == pytest.approx(2_000 / 12_000)
    assert a1["health"]["score"] == pytest.approx(pf.health(book, AS_OF)["health"].iloc[0])
    assert a1["health"]["components"]["overdue_actions"]["value"] == 1
    assert a1["matrix"] == {"attractiveness": pytest.approx(47.5),
                            "position": pytest.approx(pf.matrix(book, AS_OF)["position"][0]),
                            "attractiveness_override": False, "position_override": False,
                            "quadrant": "maintain"}
    plan = a1["plan"]
    assert plan["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert plan["objectives"][0] == {"id": "OBJ1", "title": "Revenue to EUR 30k",
                                     "metric": "revenue", "target": 30000,
                                     "deadline": "2025-12-31", "owner": "P2"}
    assert [(a["id"], a["owner"], a["due"], a["status"], a["overdue"])
            for a in plan["actions"]] == [("ACT1", "P2", "2025-03-01", "open", True),
                                          ("ACT2", None, "2025-05-01", "done", False)]
    assert snap["accounts"]["A2"]["plan"] is None
    assert snap["accounts"]["A2"]["figures"]["revenue"] is None  # no sales: not 0
    json.dumps(snap, allow_nan=False)  # plain JSON, no NaN


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_snapshot_round_trip_is_identical_and_repeatable(book: Workbook, tmp_path: Path) -> None:
    path = pf.write_snapshot(tmp_path / "2025Q4" / "snapshot.json", pf.snapshot(book, AS_OF))
    first = path.read_bytes()
    assert pf.read_snapshot(path) == pf.snapshot(book, AS_OF)
    pf.write_snapshot(path, pf.snapshot(book, AS_OF))
    assert path.read_bytes() == first  # re-running a quarter writes the same file
    assert [p.name for p in path.parent.iterdir()] == ["snapshot.json"]  # no temporary left


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "is not a readable snapshot"),
    ('{"format": "other"}', "is not a kamkit portfolio snapshot"),
    ('{"format": "kamkit-portfolio-snapshot", "version": 99}', "format version 99"),
    ('{"format": "kamkit-portfolio-snapshot", "version": 1}', "needs \"as_of\""),
])
def test_read_snapshot_names_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "snapshot.json"
    path.write_text(text)
    with pytest.raises(KamkitError, match=message) as raised:
        pf.read_snapshot(path)
    assert str(path) in str(raised.value)
    with pytest.raises(KamkitError, match="No snapshot at"):
        pf.read_snapshot(tmp_path / "missing.json")


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_merge_replaces_only_the_accounts_run(book: Workbook) -> None:
    whole = pf.snapshot(book, AS_OF)
    part = pf.snapshot(book, AS_OF, account_ids=["A1"])
    part["accounts"]["A1"]["name"] = "changed"
    merged = pf.merge_snapshots(whole, part)
    assert list(merged["accounts"]) == ["A1", "A2", "A3"]
    assert merged["accounts"]["A1"]["name"] == "changed"
    assert merged["accounts"]["A2"] == whole["accounts"]["A2"]
    with pytest.raises(KamkitError, match="one date"):
        pf.merge_snapshots(whole, pf.snapshot(book, "2025-09-30", account_ids=["A1"]))


def _account(revenue: float | None, health: float | None, points: float,
             actions: list[dict[str, Any]], objectives: list[dict[str, Any]],
             status: str | None = "on_track") -> dict[str, Any]:
    return {
        "name": "Alpha",
        "figures": {"revenue_12m": revenue, "revenue": revenue, "share": 0.25,
                    "plan_achievement_pct": 100.0, "plan_status": status},
        "health": {"score": health, "components": {"revenue_trend": {"points": points}}},
        "matrix": {"attractiveness": 60.0, "position": 40.0, "quadrant": "develop"},
        "plan": {"objectives": objectives, "actions": actions},
    }


def _snap(as_of: str, **accounts: dict[str, Any]) -> dict[str, Any]:
    return {"format": pf.FORMAT, "version": pf.VERSION, "as_of": as_of, "accounts": accounts}


OBJECTIVES = [{"id": "OB1", "title": "Grow", "target": 100_000, "deadline": "2026-12-31"}]
ACTIONS = [
    {"id": "AC1", "what": "Call", "owner": "P1", "due": "2026-08-01", "status": "open",
     "overdue": False},
    {"id": "AC2", "what": "Visit", "owner": "P2", "due": "2026-09-15", "status": "open",
     "overdue": False},
    {"id": "AC3", "what": "Offer", "owner": "P2", "due": "2026-07-01", "status": "open",
     "overdue": True},
]


def _change(frame: pd.DataFrame, change: str, subject: str | None = None) -> pd.Series:
    rows = frame[(frame["change"] == change)
                 & (frame["subject"].isna() if subject is None else frame["subject"] == subject)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_changes_between_two_quarters_as_reported() -> None:
    before = _snap("2026-06-30", A1=_account(1_000_000, 70.0, 6.0, ACTIONS, OBJECTIVES))
    actions = copy.deepcopy(ACTIONS)
    actions[0]["status"] = "done"                # AC1 closed
    actions[1]["due"], actions[1]["overdue"] = "2026-12-15", False  # AC2 re-dated 91 days
    actions[1]["owner"] = "P3"
    actions[2]["overdue"] = True                 # AC3 was overdue already: not new
    actions.append({"id": "AC4", "what": "Audit", "owner": None, "due": "2026-09-01",
                    "status": "open", "overdue": True})  # new and overdue
    objectives = [{**OBJECTIVES[0], "target": 80_000}]  # re-targeted down
    after = _snap("2026-09-30", A1=_account(900_000, 55.5, 2.5, actions, objectives,
                                            "at_risk"))
    found = pf.changes(before, after)
    assert _change(found, "revenue_12m")["delta"] == -100_000
    assert _change(found, "health")["delta"] == pytest.approx(55.5 - 70.0)
    component = _change(found, "health_component", "revenue_trend")
    assert (component["before"], component["after"], component["delta"]) == (6.0, 2.5, -3.5)
    status = _change(found, "plan_status")
    assert (status["before"], status["after"]) == ("on_track", "at_risk")
    assert _change(found, "share")["delta"] == 0
    assert _change(found, "objective_retargeted", "OB1")["delta"] == -20_000
    assert _change(found, "action_closed", "AC1")["after"] == "done"
    redated = _change(found, "action_redated", "AC2")
    assert (redated["before"], redated["after"], redated["delta"]) == (
        "2026-09-15", "2026-12-15", 91)
    assert _change(found, "action_reassigned", "AC2")["after"] == "P3"
    assert _change(found, "action_new", "AC4")["after"] == "Audit"
    assert _change(found, "action_overdue", "AC4")["after"] == "2026-09-01"
    assert not ((found["change"] == "action_overdue") & (found["subject"] == "AC3")).any()
    assert not (found["change"] == "objective_redated").any()
    assert set(found["change"]) <= set(pf.CHANGES)


def test_changes_with_missing_figures_accounts_gone_and_no_previous() -> None:
    before = _snap("2026-06-30", A1=_account(None, None, 5.0, [], []),
                   B9=_account(10.0, 50.0, 5.0, [], []))
    after = _snap("2026-09-30", A1=_account(500.0, 60.0, 5.0, [], []),
                  C1=_account(10.0, 50.0, 5.0, [], []))
    found = pf.changes(before, after)
    revenue = _change(found[found["account_id"] == "A1"], "revenue_12m")
    assert revenue["before"] is None and pd.isna(revenue["delta"])  # never a silent 0
    assert _change(found, "account_gone")["account_id"] == "B9"
    assert _change(found, "account_new")["account_id"] == "C1"
    first = pf.changes(None, after)
    assert list(first["change"]) == ["account_new", "account_new"]


@pytest.mark.parametrize(("content", "english", "dutch"), [
    (None, "No snapshot at", "Geen momentopname op"),
    ("{", "snapshot.json: is not a readable snapshot", "is geen leesbare momentopname"),
    ('{"format": "x"}', "is not a kamkit portfolio snapshot",
     "is geen portefeuille-momentopname van kamkit"),
    ('{"format": "kamkit-portfolio-snapshot", "version": 9}', "format version 9",
     "formaatversie 9"),
    ('{"format": "kamkit-portfolio-snapshot", "version": 1}', 'needs "as_of"',
     'heeft "as_of" (een datum)'),
])
def test_a_bad_snapshot_is_said_in_each_language(tmp_path: Path, content: str | None,
                                                 english: str, dutch: str) -> None:
    from kamkit.portfolio import read_snapshot

    path = tmp_path / "snapshot.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(KamkitError) as raised:
        read_snapshot(path)
    assert english in str(raised.value) and english in raised.value.in_language("en")
    assert dutch in raised.value.in_language("nl")
