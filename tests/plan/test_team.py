"""The relationship mix and the account team (P3).

Mini A1: contacts C1 (CEO, strategic), C2 (facility manager, tactical), C3 (site
supervisor, operational); relationships P1 (strategic) - C1, P2 (tactical) - C2, P3
(operational) - C3. The plan's team: P2 (KAM) with counterpart C2, P1 (sponsor) with C1.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kamkit.documents import TeamMember
from kamkit.plan import relationship_gaps, team_gaps, team_match

_CFO = "A1-C4,A1,Gert Bos,CFO,Finance,strategic,A1-C1,decision_maker,sceptic,high,"


def test_team_match(a1) -> None:
    match = team_match(a1)
    assert match["person_id"].tolist() == ["P2", "P1"]
    assert match["contact_id"].tolist() == ["A1-C2", "A1-C1"]
    assert match["strength"].tolist() == [4, 3]
    assert match["has_relationship"].all() and match["same_level"].all()
    assert match["role"].tolist() == ["KAM", "Sponsor"]
    assert match["person_level"].tolist() == ["tactical", "strategic"]


def test_member_without_counterparts(a1, replan) -> None:
    account = replan(a1, team=(TeamMember(person="P3", role="Operations"),))
    match = team_match(account)
    assert len(match) == 1 and pd.isna(match["contact_id"].iloc[0])
    assert not match["has_relationship"].iloc[0] and pd.isna(match["same_level"].iloc[0])
    # the CEO's owner, Anna (strategic), is no longer in the team
    assert team_gaps(account)[["gap", "contact_id", "people"]].values.tolist() == [
        ["owner_outside_team", "A1-C1", "Anna de Wit"]]


def test_no_gaps_in_a1(a1) -> None:
    assert team_gaps(a1).empty
    assert relationship_gaps(a1, min_strength=1).empty
    # Eva Mulder knows us only at strength 2: no coverage from the default 3 on
    gaps = relationship_gaps(a1)
    assert gaps[["level", "department", "uncovered_contacts"]].values.tolist() == [
        ["operational", "Facilities", "Eva Mulder"]]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_strategic_contact_without_owner(edited) -> None:
    account = edited(append={"contacts.csv": [_CFO]})
    gaps = team_gaps(account)
    assert gaps[["gap", "contact_id", "people"]].values.tolist() == [
        ["no_owner", "A1-C4", ""]]
    blind = relationship_gaps(account, min_strength=1)
    assert blind[["level", "department", "contacts", "uncovered"]].values.tolist() == [
        ["strategic", "Finance", 1, 1]]
    assert blind["no_relationship"].iloc[0]
    assert blind["uncovered_contacts"].iloc[0] == "Gert Bos"


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_counterpart_without_relationship_and_level_mismatch(edited, replan) -> None:
    # the CEO's only relationship is now with P3 (operational), outside the team; the
    # team is the KAM alone, naming the CEO and the facility manager
    account = edited(replace={"relationships.csv": [("P1,A1-C1", "P3,A1-C1")]})
    account = replan(account, team=(TeamMember(person="P2", role="KAM",
                                               counterparts=("A1-C1", "A1-C2")),))
    gaps = team_gaps(account)
    assert gaps[["gap", "contact_id", "people"]].values.tolist() == [
        ["owner_outside_team", "A1-C1", "Cees Bakker"],
        ["counterpart_without_relationship", "A1-C1", "Bram Peeters"],
        ["level_mismatch", "A1-C1", "Bram Peeters, Cees Bakker"],
    ]
    match = team_match(account).set_index("contact_id")
    assert not match.loc["A1-C1", "has_relationship"]
    assert pd.isna(match.loc["A1-C1", "strength"])
    assert not match.loc["A1-C1", "same_level"]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_relationship_gaps_partly_covered(edited) -> None:
    # a second facility person nobody knows: Facilities is partly covered
    account = edited(append={"contacts.csv": [
        "A1-C5,A1,Hans Kok,Cleaning coordinator,Facilities,operational,A1-C2,user,neutral,"
        "low,"]})
    gaps = relationship_gaps(account, min_strength=1)
    row = gaps.iloc[0]
    assert (row["level"], row["department"], row["contacts"], row["covered"]) == (
        "operational", "Facilities", 2, 1)
    assert row["share_covered"] == 0.5 and not row["no_relationship"]


def test_account_without_plan(a1, a2) -> None:
    for function in (team_match, team_gaps):
        empty, full = function(a2), function(a1)
        assert empty.empty
        assert list(empty.columns) == list(full.columns)
    # the prospect's COO: nobody knows him
    gaps = relationship_gaps(a2)
    assert gaps[["level", "department"]].values.tolist() == [["strategic", "Operations"]]
