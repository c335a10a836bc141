"""The plan stories the demo workbook tells (scripts/make_demo.py), as of 2026Q3."""

from __future__ import annotations

import demo_facts as facts
import pandas as pd
import pytest

from kamkit.plan import (
    action_plan,
    forecast,
    objective_status,
    objectives_without_action,
    price_mix,
    product_mix,
    relationship_gaps,
    team_gaps,
)

AS_OF = "2026Q3"


@pytest.fixture(scope="module")
def planned(demo) -> dict:
    """Every demo account with a plan."""
    return {account_id: demo.account(account_id) for account_id in demo.account_ids
            if demo.documents.get(account_id) and demo.documents[account_id].plan}


def _objective(account, objective_id: str) -> pd.Series:
    return objective_status(account, AS_OF).set_index("id").loc[objective_id]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_maas_off_track_and_vdijk_on_track(planned) -> None:
    maas = forecast(planned["MAAS"], AS_OF).set_index("measure")
    # Jan-Sep 2026: 2549081 sold, extrapolated by the seasonality of 2023-2025
    expected = facts.run_rate_forecast("MAAS", 2026, 9)
    assert maas.loc["revenue", "forecast"] == pytest.approx(expected)
    assert maas.loc["revenue", "achievement_pct"] == pytest.approx(88.03, abs=0.01)
    assert maas["status"].tolist() == ["off_track", "off_track"]
    assert forecast(planned["VDIJK"], AS_OF)["status"].tolist() == ["on_track", "on_track"]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_nova_ob2_target_above_the_wallet(planned) -> None:
    ob2 = _objective(planned["NOVA"], "OB2")
    # pest control in Eindhoven: 400000 against a 2026 wallet of 105000
    assert not ob2["achievable"] and ob2["achievable_reason"] == "target_above_wallet"
    assert (ob2["wallet"], ob2["wallet_year"]) == (105000.0, 2026)
    assert not ob2["smart"]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_lumen_ob3_without_deadline_or_conclusion(planned) -> None:
    ob3 = _objective(planned["LUMEN"], "OB3")
    assert not ob3["time_bound"] and ob3["time_bound_reason"] == "no_deadline"
    assert not ob3["relevant"] and ob3["relevant_reason"] == "no_conclusion"


def test_overdue_actions(planned) -> None:
    overdue = {account_id for account_id, account in planned.items()
               if action_plan(account, AS_OF)["overdue"].any()}
    assert overdue == {"MAAS", "DELTA", "BRAVO", "POLDER"}


def test_rhein_ob3_without_action_and_atlas_ac05_without_owner(planned) -> None:
    without = {account_id: objectives_without_action(account)["id"].tolist()
               for account_id, account in planned.items()}
    assert {k: v for k, v in without.items() if v} == {"RHEIN": ["OB3"]}
    unowned = {account_id: action_plan(account, AS_OF).query("no_owner")["id"].tolist()
               for account_id, account in planned.items()}
    assert {k: v for k, v in unowned.items() if v} == {"ATLAS": ["AC05"]}


def test_schelde_security_below_the_margin_policy(planned) -> None:
    mix = price_mix(planned["SCHELDE"], AS_OF)
    below = mix[mix["below_policy"].fillna(False).to_numpy()]
    assert set(below["service"]) == {"SECUR"}
    security_2026 = mix.set_index(["service", "year"]).loc[("SECUR", 2026)]
    # about 11% against a policy of 15%
    assert security_2026["margin_pct"] == pytest.approx(11.0, abs=0.5)
    assert security_2026["min_margin_pct"] == 15.0


def test_delta_satisfaction_falls(planned) -> None:
    ob1 = _objective(planned["DELTA"], "OB1")
    # the mean score of 2026 so far is below the 2025 mean: moving away from the target
    assert ob1["current"] < ob1["baseline"] < ob1["target"]
    assert ob1["progress"] < 0


def test_krone_decision_maker_without_relationship(planned) -> None:
    gaps = team_gaps(planned["KRONE"])
    assert gaps[["gap", "contact_id"]].values.tolist() == [
        ["no_owner", "KRONE-C03"], ["counterpart_without_relationship", "KRONE-C03"]]
    # named in the plan as Willem Hofman's counterpart
    assert gaps["people"].iloc[1] == "Willem Hofman"
    blind = relationship_gaps(planned["KRONE"], min_strength=1)
    assert blind[["level", "department"]].values.tolist() == [["strategic",
                                                                "Werk Düsseldorf"]]
    # from a regular working contact on, the board is no better known
    honest = relationship_gaps(planned["KRONE"])
    assert ["strategic", "Vorstand"] in honest[["level", "department"]].values.tolist()


def test_maas_largest_room_is_rotterdam_cleaning_held_by_nordclean(planned) -> None:
    first = product_mix(planned["MAAS"], 2026).iloc[0]
    assert (first["service"], first["location"], first["room"]) == ("CLEAN", "NL-RTM",
                                                                    "deep selling")
    assert first["main_holder"] == "NORDCLEAN"
