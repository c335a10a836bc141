"""The portfolio stories the demo workbook tells (scripts/make_demo.py, stories 11 and 12)."""

from __future__ import annotations

import pandas as pd
import pytest

from kamkit import portfolio as pf
from kamkit.portfolio.scores import SALES_OUTCOMES
from kamkit.workbook import Workbook

pytestmark = pytest.mark.slow  # two snapshots of the whole demo portfolio (seconds of CPU)


@pytest.fixture(scope="module")
def snapshots(demo: Workbook) -> dict[str, pf.Snapshot]:
    return {quarter: pf.snapshot(demo, quarter) for quarter in ("2026Q2", "2026Q3")}


def test_polder_slides_into_attention(snapshots: dict[str, pf.Snapshot]) -> None:
    health = {quarter: {a: entry["health"]["score"] for a, entry in snap["accounts"].items()}
              for quarter, snap in snapshots.items()}
    before, after = health["2026Q2"]["POLDER"], health["2026Q3"]["POLDER"]
    assert before >= 60 > 50 > after
    # the largest fall of all accounts with a score (three prospects have too little known)
    falls = {a: health["2026Q2"][a] - health["2026Q3"][a] for a in health["2026Q3"]
             if health["2026Q2"][a] is not None and health["2026Q3"][a] is not None}
    assert set(health["2026Q3"]) - set(falls) == {"AMAND", "GRID", "ORBIT"}
    assert max(falls, key=falls.__getitem__) == "POLDER"
    changes = pf.changes(snapshots["2026Q2"], snapshots["2026Q3"])
    changes = changes[changes["account_id"] == "POLDER"]
    components = changes[changes["change"] == "health_component"].set_index("subject")
    for part in ("complaints", "satisfaction", "overdue_actions", "revenue_trend",
                 "document_review"):
        assert components.loc[part, "delta"] < 0, part
    assert set(changes.loc[changes["change"] == "action_overdue", "subject"]) == {"AC03",
                                                                                 "AC04"}


def test_amand_is_the_prospect_worth_pursuing(demo: Workbook) -> None:
    ranked = pf.prospects(demo, "2026Q3")
    first = ranked.iloc[0]
    assert (first["account_id"], first["reason"]) == ("AMAND", "open_wallet")
    assert first["quadrant"] == "develop"
    # no sales yet: build first where selling is not the measure (not "share of wallet 0%")
    assert pd.isna(first["gap"]) or first["gap"] not in SALES_OUTCOMES
    grid = ranked.set_index("account_id").loc["GRID"]
    assert grid["attractiveness"] == 70  # the KAM's override of 7.0


def test_every_quadrant_is_populated(demo: Workbook) -> None:
    placed = pf.matrix(demo, "2026Q3")
    assert set(placed["quadrant"]) == set(pf.QUADRANTS)
    assert not placed.loc[placed["status"] == "key_account", "attractiveness_override"].any()
