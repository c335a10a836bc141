"""The org chart (A2).

Mini A1: Carla Smit (C1, CEO) <- Dirk Visser (C2) <- Eva Mulder (C3);
relationships P1-C1 strength 3, P2-C2 4, P3-C3 2.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kamkit.analysis import org_chart
from kamkit.errors import KamkitError

_CFO = "A1-C4,A1,Gert Bos,CFO,Finance,strategic,A1-C1,decision_maker,sceptic,high,"


def test_org_chart_of_a_chain(a1) -> None:
    chart = org_chart(a1)
    assert list(chart["contact_id"]) == ["A1-C1", "A1-C2", "A1-C3"]
    assert list(chart["depth"]) == [0, 1, 2]
    assert list(chart["our_people"]) == ["Anna de Wit", "Bram Peeters", "Cees Bakker"]
    assert list(chart["best_strength"]) == [3, 4, 2]
    # covered from strength 3 (regular working contact) on: Eva Mulder (2) is not
    assert list(chart["covered"]) == [True, True, False]
    assert org_chart(a1, min_strength=1)["covered"].all()
    assert list(org_chart(a1, min_strength=4)["covered"]) == [False, True, False]


@pytest.mark.parametrize("wrong", [0, 6, 2.5, True, "3"])
def test_min_strength_must_be_on_the_scale(a1, wrong) -> None:
    with pytest.raises(KamkitError, match=r"1 knows the name, .* 5 trusted advisor"):
        org_chart(a1, min_strength=wrong)


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_org_chart_is_depth_first(edited) -> None:
    # the CFO reports to the CEO but comes last in the file: after the CEO's whole first
    # branch (C2 and C3 under it), at depth 1
    account = edited(append={"contacts.csv": [_CFO],
                             "relationships.csv": ["P1,A1-C2,2,2025-02-01"]})
    chart = org_chart(account)
    assert list(chart["contact_id"]) == ["A1-C1", "A1-C2", "A1-C3", "A1-C4"]
    assert list(chart["depth"]) == [0, 1, 2, 1]
    cfo = chart.iloc[3]
    assert not cfo["covered"] and cfo["our_people"] == "" and pd.isna(cfo["best_strength"])
    # C2 is known by Bram (4) and Anna (2): strongest first, best 4
    c2 = chart.iloc[1]
    assert c2["our_people"] == "Bram Peeters, Anna de Wit" and c2["best_strength"] == 4


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_org_chart_with_several_tops(edited) -> None:
    # a second top (no boss) listed before the CEO's reports: tops come in file order
    account = edited(replace={"contacts.csv": [(
        "A1-C2,A1,Dirk Visser,Facility manager,Facilities,tactical,A1-C1,",
        "A1-C2,A1,Dirk Visser,Facility manager,Facilities,tactical,,")]})
    chart = org_chart(account)
    # C1 (top) has no reports left; C2 (top) with C3 under it
    assert list(chart["contact_id"]) == ["A1-C1", "A1-C2", "A1-C3"]
    assert list(chart["depth"]) == [0, 0, 1]


def test_org_chart_uncovered_contact(a2) -> None:
    chart = org_chart(a2)
    # A2-C1 has no relationship with any of our people
    assert list(chart["contact_id"]) == ["A2-C1"]
    assert not chart["covered"].iloc[0] and chart["our_people"].iloc[0] == ""
