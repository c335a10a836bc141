"""The contact matrix and its gaps (A8).

Mini A1 relationships: P1 (strategic) - C1 (strategic) strength 3, last 2025-01-10;
P2 (tactical) - C2 (tactical) 4, 2025-06-01; P3 (operational) - C3 (operational) 2,
2024-06-01.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kamkit.analysis import (
    contact_matrix,
    coverage_by_level,
    stale_relationships,
    uncovered_key_contacts,
)

_CFO = "A1-C4,A1,Gert Bos,CFO,Finance,strategic,A1-C1,decision_maker,sceptic,high,"


def test_contact_matrix(a1) -> None:
    matrix = contact_matrix(a1, dt.date(2025, 6, 30))
    # strategic contact first
    assert list(matrix["contact_id"]) == ["A1-C1", "A1-C2", "A1-C3"]
    days = dict(zip(matrix["person_id"], matrix["days_since"], strict=True))
    # P2: 2025-06-01 -> 06-30 = 29 days
    # P1: 2025-01-10 -> 06-30 = 21 (rest of Jan) + 28 + 31 + 30 + 31 + 30 = 171 days
    # P3: 2024-06-01 -> 2025-06-01 = 365 days, + 29 = 394 days
    assert days == {"P1": 171, "P2": 29, "P3": 394}
    first = matrix.iloc[0]
    assert first["person_name"] == "Anna de Wit" and first["contact_name"] == "Carla Smit"
    assert first["person_level"] == "strategic" and first["contact_level"] == "strategic"
    assert first["strength"] == 3 and first["same_level"]


def test_contact_matrix_without_as_of_has_no_days(a1) -> None:
    assert contact_matrix(a1)["days_since"].isna().all()


def test_stale_relationships(a1) -> None:
    stale = stale_relationships(a1, "2025-06-30", days=90)
    # more than 90 days: P3 (394) and P1 (171), longest silence first; P2 (29) is not
    assert list(stale["person_id"]) == ["P3", "P1"]
    # exactly 171 days is not more than 171
    assert list(stale_relationships(a1, dt.date(2025, 6, 30), days=171)["person_id"]) == ["P3"]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_coverage_by_level(edited) -> None:
    account = edited(append={"contacts.csv": [_CFO]})
    coverage = coverage_by_level(account).set_index("level")
    assert list(coverage.index) == ["strategic", "tactical", "operational"]
    # strategic: CEO (covered, strength 3) and the new CFO (not): 1 of 2 = 0.5
    assert coverage.loc["strategic", "contacts"] == 2
    assert coverage.loc["strategic", "covered"] == 1
    assert coverage.loc["strategic", "share_covered"] == pytest.approx(0.5)
    assert coverage.loc["strategic", "mean_best_strength"] == pytest.approx(3.0)
    # tactical: Dirk, covered with strength 4: 1 of 1
    assert coverage.loc["tactical", "share_covered"] == pytest.approx(1.0)
    assert coverage.loc["tactical", "mean_best_strength"] == pytest.approx(4.0)


def test_coverage_of_a_level_without_contacts(a2) -> None:
    coverage = coverage_by_level(a2).set_index("level")
    # A2: one strategic contact, not covered: 0 of 1 = 0.0
    assert coverage.loc["strategic", "share_covered"] == 0.0
    assert pd.isna(coverage.loc["strategic", "mean_best_strength"])
    # no tactical contacts: share NA, not 0
    assert coverage.loc["tactical", "contacts"] == 0
    assert pd.isna(coverage.loc["tactical", "share_covered"])


def test_uncovered_decision_maker(a2) -> None:
    uncovered = uncovered_key_contacts(a2)
    # A2-C1, the COO, decides, has high influence and nobody of ours knows him
    assert list(uncovered["contact_id"]) == ["A2-C1"]
    assert uncovered["reason"].iloc[0] == "decision maker, high influence"


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_covered_key_contacts_are_not_listed(a1, edited) -> None:
    # A1's CEO decides and has high influence, but Anna knows her
    assert uncovered_key_contacts(a1).empty
    # a high-influence user nobody knows is listed, for the influence only
    account = edited(append={"contacts.csv": [
        "A1-C5,A1,Hans Kok,Planner,Logistics,operational,A1-C2,user,neutral,high,"]})
    uncovered = uncovered_key_contacts(account)
    assert list(uncovered["contact_id"]) == ["A1-C5"]
    assert uncovered["reason"].iloc[0] == "high influence"
