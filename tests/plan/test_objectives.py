"""Objectives (P2): baseline, current, forecast, progress and the SMART letters.

Mini A1 (see conftest) with its plan for 2025: OBJ1 revenue to 30000 by 2025-12-31 from
conclusion C1; OBJ2 a qualitative satisfaction of 8 without deadline or conclusion. Most
tests judge one objective built here, as of 2025-06-30 unless said otherwise.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from kamkit.currency import MONEY
from kamkit.documents import Objective, Period, Scope
from kamkit.findings.plan import reason
from kamkit.plan import objective_status
from kamkit.plan.objectives import OBJECTIVE_COLUMNS
from kamkit.workbook import load_workbook_cached
from tests.small_demo import SMALL_FAST_WHOLE_SLOW

AS_OF = dt.date(2025, 6, 30)
_DEFAULTS: dict[str, Any] = {"id": "X", "title": "Test", "kind": "quantitative",
                             "metric": "revenue", "target": 2400.0,
                             "deadline": dt.date(2025, 12, 31), "conclusions": ("C1",)}


@pytest.fixture
def judge(replan):
    """The status row of one objective, built from ``_DEFAULTS`` and the given fields, in
    the plan of ``account`` (``plan`` changes more of the plan, e.g. its period)."""

    def status(account, as_of: dt.date = AS_OF, plan: dict[str, Any] | None = None,
               **fields: Any) -> pd.Series:
        objective = Objective(**{**_DEFAULTS, **fields})
        frame = objective_status(replan(account, objectives=(objective,), **(plan or {})),
                                 as_of)
        return frame.iloc[0]

    return status


def _letters(row: pd.Series) -> dict[str, object]:
    """Each letter as True / False / None, with its reason (None when it holds)."""
    return {letter: (None if pd.isna(row[letter]) else bool(row[letter]),
                     None if pd.isna(row[f"{letter}_reason"]) else row[f"{letter}_reason"])
            for letter in ("specific", "measurable", "achievable", "relevant", "time_bound")}


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_plan_objectives_of_a1(a1) -> None:
    status = objective_status(a1, AS_OF).set_index("id")
    assert list(status.columns) == [c for c in OBJECTIVE_COLUMNS if c != "id"]
    one = status.loc["OBJ1"]
    assert (one["metric"], one["unit"], one["scope"]) == ("revenue", MONEY, "")
    assert one["owner_name"] == "Bram Peeters" and one["conclusions"] == "C1"
    # baseline: revenue of 2024 = 1000 + 1000; current: Jan-Jun 2025 = 1500 + 500
    assert one["baseline"] == 2000.0 and one["current"] == 2000.0
    # forecast: 2000 in 6 months, pro rata to 12 months = 4000
    assert one["forecast"] == 4000.0
    # progress: (4000 - 2000) / (30000 - 2000) = 1/14
    assert one["progress"] == pytest.approx(1 / 14)
    assert not one["target_met"] and not one["deadline_passed"] and not one["lower_is_better"]
    # wallet 2025: 10000 + 2000 < 30000
    assert _letters(one) == {"specific": (True, None), "measurable": (True, None),
                             "achievable": (False, "target_above_wallet"),
                             "relevant": (True, None), "time_bound": (True, None)}
    assert one["wallet"] == 12000.0 and one["wallet_year"] == 2025
    # needed growth 30000 / 2000 - 1 = 1400%; no history of growth (sales start in 2024)
    assert one["needed_growth"] == pytest.approx(1400.0)
    assert pd.isna(one["best_growth"]) and not one["smart"]

    two = status.loc["OBJ2"]
    # no satisfaction score in 2024; the survey of 2025-03-01 gave 7.5
    assert pd.isna(two["baseline"]) and two["current"] == 7.5 and pd.isna(two["forecast"])
    assert pd.isna(two["progress"]) and not two["target_met"]
    assert _letters(two) == {"specific": (True, None), "measurable": (False, "no_baseline"),
                             "achievable": (True, None), "relevant": (False, "no_conclusion"),
                             "time_bound": (False, "no_deadline")}
    assert pd.isna(two["deadline"]) and pd.isna(two["owner_name"])


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_growth_within_and_above_history(edited, judge) -> None:
    account = edited(append={"sales.csv": ["2023-01,A1,CLEAN,NL-RTM,1000.00,250.00,40"]})
    # history: 2023 1000 -> 2024 2000 = +100% (the best year); 2400 needs +20%
    within = judge(account, target=2400.0)
    assert within["best_growth"] == pytest.approx(100.0)
    assert within["best_growth_year"] == 2024
    assert within["needed_growth"] == pytest.approx(20.0)
    assert _letters(within)["achievable"] == (True, None) and within["smart"]
    # 5000 needs +150%, within the wallet of 12000 but above the best year
    above = judge(account, target=5000.0)
    assert above["needed_growth"] == pytest.approx(150.0)
    assert _letters(above)["achievable"] == (False, "growth_above_history")


def test_growth_without_history_cannot_be_judged(a1, judge) -> None:
    # 3000 needs +50% over 2000; one year of sales gives no growth figure
    row = judge(a1, target=3000.0)
    assert _letters(row)["achievable"] == (None, "no_history") and pd.isna(row["smart"])
    # the forecast of 4000 passes the target: (4000 - 2000) / (3000 - 2000) = 2.0; on
    # course, not met: 2000 so far
    assert row["progress"] == pytest.approx(2.0) and row["reaches_target"]
    assert not row["target_met"]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_target_already_met(a1, judge) -> None:
    # 1500 is below the baseline of 2000: met before the plan starts, nothing to achieve
    row = judge(a1, target=1500.0)
    assert _letters(row)["achievable"] == (False, "below_baseline")
    assert pd.isna(row["progress"]) and row["target_met"] and not row["smart"]
    # exactly the baseline: already met
    assert _letters(judge(a1, target=2000.0))["achievable"] == (False, "met_at_baseline")
    # complaints (lower is better): 1 in 2024, a target of 2 asks for more of them
    lower = judge(a1, kind="qualitative", metric="complaints", target=2.0,
                  as_of=dt.date(2025, 6, 30))
    assert lower["baseline"] == 0.0
    assert _letters(lower)["achievable"] == (False, "above_baseline")


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_target_met_at_baseline_in_a_share_and_a_score(edited, judge) -> None:
    account = edited(append={"feedback.csv": ["A1,2024-06-01,satisfaction,7.5,,Survey,"]})
    # satisfaction 7.5 in 2024; a target of 7.5 is no objective, 8 is
    assert _letters(judge(account, metric="satisfaction", target=7.5))["achievable"] == (
        False, "met_at_baseline")
    assert _letters(judge(account, metric="satisfaction", target=8.0))["achievable"][0]


def test_deadline_passed(a1, judge) -> None:
    # as of 2026-03-31 the plan year is over: current and forecast are the 2025 actuals
    row = judge(a1, as_of=dt.date(2026, 3, 31), target=3000.0)
    assert row["deadline_passed"]
    assert row["current"] == 2000.0 and row["forecast"] == 2000.0
    assert row["progress"] == 0.0 and not row["target_met"]
    # a deadline of 2025-03-31 has passed on 2025-06-30: the forecast is Jan-Mar, 2000
    early = judge(a1, deadline=dt.date(2025, 3, 31))
    assert early["deadline_passed"] and early["forecast"] == 2000.0
    assert _letters(early)["time_bound"] == (True, None)


def test_zero_revenue_months_count_as_elapsed(a1, judge) -> None:
    # as of 2025-03-31: January 2000, February and March nothing -> 2000 x 12 / 3 = 8000
    row = judge(a1, as_of=dt.date(2025, 3, 31), target=3000.0)
    assert row["current"] == 2000.0 and row["forecast"] == 8000.0


def test_before_the_period_nothing_is_current(a1, judge) -> None:
    row = judge(a1, as_of=dt.date(2024, 12, 31))
    assert pd.isna(row["current"]) and pd.isna(row["forecast"]) and pd.isna(row["progress"])
    assert pd.isna(row["target_met"]) and row["baseline"] == 2000.0


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_no_history(a1, judge) -> None:
    plan_2024 = {"period": Period(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))}
    as_of = dt.date(2024, 6, 30)
    # a share in 2024 has no baseline: there is no spend estimate for 2023
    share = judge(a1, as_of, plan_2024, metric="share_of_wallet", target=30.0,
                  scope=Scope(service="CLEAN", location="NL-RTM"),
                  deadline=dt.date(2024, 12, 31))
    assert pd.isna(share["baseline"])
    assert _letters(share)["measurable"] == (False, "no_baseline")
    assert _letters(share)["achievable"] == (None, "no_baseline")
    # Jan-Jun 2024: 2000 of half the 2024 wallet (10000 / 2) = 40%, above the target;
    # the year's share decides
    assert share["current"] == pytest.approx(40.0) and share["reaches_target"]
    assert not share["target_met"]
    # revenue before the first sale is 0: a baseline, and growth from 0 is judged on the
    # wallet alone (10000 in 2024 >= 5000)
    revenue = judge(a1, as_of, plan_2024, target=5000.0, deadline=dt.date(2024, 12, 31))
    assert revenue["baseline"] == 0.0 and pd.isna(revenue["needed_growth"])
    assert _letters(revenue)["measurable"] == (True, None)
    assert _letters(revenue)["achievable"] == (True, None)
    # 2000 in Jan-Jun, forecast 4000: (4000 - 0) / (5000 - 0) = 0.8
    assert revenue["progress"] == pytest.approx(0.8)


def test_zero_revenue_baseline_of_a_margin(a1, judge) -> None:
    # no security sold in 2024: a margin of no revenue is no baseline; 2025: 50 / 500
    row = judge(a1, metric="margin_pct", target=15.0, scope=Scope(service="SEC"))
    assert pd.isna(row["baseline"]) and row["current"] == pytest.approx(10.0)
    assert _letters(row)["measurable"] == (False, "no_baseline")
    assert pd.isna(row["forecast"])  # a margin does not add up over time


@pytest.mark.parametrize(("fields", "specific", "measurable", "achievable"), [
    ({"metric": "nps"}, (False, "unknown_metric"), (False, "unknown_metric"),
     (None, "unknown_metric")),
    ({"metric": None}, (False, "no_metric"), (False, "no_metric"), (None, "no_metric")),
    # nothing sold nor estimated in an unknown service or location
    ({"scope": Scope(service="XXX")}, (False, "unknown_service"), (True, None),
     (None, "no_wallet_estimate")),
    ({"scope": Scope(location="XX")}, (False, "unknown_location"), (True, None),
     (None, "no_wallet_estimate")),
    ({"metric": "satisfaction", "target": 8.0, "scope": Scope(location="NL-RTM")},
     (False, "scope_not_applicable"), (False, "no_baseline"), (True, None)),
    ({"target": None}, (True, None), (False, "no_target"), (None, "no_target")),
])
def test_specific_and_measurable(a1, judge, fields, specific, measurable, achievable) -> None:
    letters = _letters(judge(a1, **fields))
    assert letters["specific"] == specific
    assert letters["measurable"] == measurable
    assert letters["achievable"] == achievable


@pytest.mark.parametrize(("fields", "reason"), [
    ({"metric": "share_of_wallet", "target": 120.0}, "target_above_100"),
    ({"metric": "satisfaction", "target": 11.0}, "target_above_scale"),
    ({"metric": "services_bought", "target": 4.0}, "target_above_services"),  # 3 offered
    ({"metric": "complaints", "target": -1.0}, "target_below_zero"),
])
def test_targets_out_of_range(a1, judge, fields, reason) -> None:
    assert _letters(judge(a1, **fields))["achievable"] == (False, reason)


def test_volume_above_the_estimated_volume(a1, judge) -> None:
    # estimated 400 hours of cleaning in Rotterdam in 2025
    row = judge(a1, metric="volume", target=500.0, scope=Scope(service="CLEAN",
                                                                location="NL-RTM"))
    assert row["wallet_volume"] == 400.0
    assert _letters(row)["achievable"] == (False, "target_above_wallet")


def test_cross_selling_without_an_estimate(a1, judge) -> None:
    # catering: no sales (baseline 0, so no growth check) and no spend estimate
    row = judge(a1, target=1000.0, scope=Scope(service="CAT"))
    assert row["baseline"] == 0.0
    assert _letters(row)["achievable"] == (None, "no_wallet_estimate")


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_relevant_and_time_bound(a1, judge) -> None:
    assert _letters(judge(a1, conclusions=()))["relevant"] == (False, "no_conclusion")
    assert _letters(judge(a1, conclusions=("C9",)))["relevant"] == (False,
                                                                    "unknown_conclusion")
    assert _letters(judge(a1, deadline=None))["time_bound"] == (False, "no_deadline")
    later = judge(a1, deadline=dt.date(2026, 3, 31))
    assert _letters(later)["time_bound"] == (False, "deadline_outside_period")
    # pro rata over the 15 months to the deadline: 2000 x 15 / 6 = 5000
    assert later["forecast"] == pytest.approx(5000.0)
    before = judge(a1, deadline=dt.date(2024, 12, 31))
    assert _letters(before)["time_bound"] == (False, "deadline_outside_period")
    assert pd.isna(before["forecast"]) and before["deadline_passed"]


def test_qualitative_without_metric(a1, judge) -> None:
    row = judge(a1, kind="qualitative", metric=None, target=None)
    assert _letters(row) == {"specific": (None, "qualitative_no_metric"),
                             "measurable": (None, "qualitative_no_metric"),
                             "achievable": (None, "qualitative_no_metric"),
                             "relevant": (True, None), "time_bound": (True, None)}
    assert pd.isna(row["smart"]) and pd.isna(row["unit"]) and pd.isna(row["baseline"])


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_complaints_lower_is_better(edited, judge) -> None:
    account = edited(append={"feedback.csv": ["A1,2024-05-01,complaint,,CLEAN,Late,",
                                              "A1,2024-09-01,complaint,,SEC,Rude,"]})
    # baseline: 2 complaints in 2024; one so far in 2025 (2025-04-02)
    mid = judge(account, kind="qualitative", metric="complaints", target=1.0)
    assert mid["lower_is_better"] and mid["baseline"] == 2.0 and mid["current"] == 1.0
    # 1 in 6 months -> 2 in 12: (2 - 2) / (1 - 2) = 0
    assert mid["forecast"] == 2.0 and mid["progress"] == 0.0 and not mid["target_met"]
    end = judge(account, as_of=dt.date(2025, 12, 31), kind="qualitative",
                metric="complaints", target=1.0)
    # the year ended with 1: (1 - 2) / (1 - 2) = 1.0
    assert end["forecast"] == 1.0 and end["progress"] == 1.0 and end["target_met"]


def test_relationship_coverage_has_no_history(a1, judge) -> None:
    # 2 of 3 contacts covered from strength 3 on (the third knows us at 2); the
    # relationships are a snapshot: baseline = current
    row = judge(a1, metric="relationship_coverage", target=90.0)
    assert row["baseline"] == row["current"] == pytest.approx(200 / 3)
    assert not row["target_met"] and row["achievable"]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_coverage_target_below_an_honest_baseline_is_flagged(a1, replan) -> None:
    # counting any relationship, A1 starts at 100%: a target of 60% is met before the
    # plan starts; from strength 3 on it starts at 66.7% and is still met
    objective = Objective(id="R", title="Relationships", kind="quantitative",
                          metric="relationship_coverage", target=60.0,
                          deadline=dt.date(2025, 12, 31), conclusions=("C1",))
    account = replan(a1, objectives=(objective,))
    loose = objective_status(account, AS_OF, min_strength=1).iloc[0]
    assert loose["baseline"] == 100.0 and loose["achievable_reason"] == "below_baseline"
    honest = objective_status(account, AS_OF).iloc[0]
    assert honest["baseline"] == pytest.approx(200 / 3)
    assert honest["achievable_reason"] == "below_baseline" and not honest["smart"]
    strict = objective_status(account, AS_OF, min_strength=4).iloc[0]
    # only Dirk Visser (4) counts: 33.3%, and 60% is a real objective
    assert strict["baseline"] == pytest.approx(100 / 3) and strict["achievable"]


def test_scope_text_from_names(a1, judge) -> None:
    row = judge(a1, scope=Scope(service="CLEAN", location="NL-RTM"))
    assert row["scope"] == "Office cleaning, Rotterdam"
    assert (row["service"], row["location"]) == ("CLEAN", "NL-RTM")


def test_account_without_plan(a1, a2) -> None:
    empty = objective_status(a2, AS_OF)
    full = objective_status(a1, AS_OF)
    assert empty.empty and list(empty.columns) == list(OBJECTIVE_COLUMNS)
    assert empty.dtypes.to_dict() == full.dtypes.to_dict()


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_share_growth_is_in_points(a1, judge) -> None:
    # A1's share of wallet: 2024 2000 / 10000 = 20%, 2025 2000 / 12000 = 16.7%; a 2026
    # target of 25% needs +8.3 points where the only year of history lost 3.3 points
    # (in % of the value it would read +50% against -16.7%: the wrong unit)
    plan_2026 = {"period": Period(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))}
    share = judge(a1, dt.date(2026, 6, 30), plan_2026, metric="share_of_wallet",
                  target=25.0, deadline=dt.date(2026, 12, 31))
    assert share["baseline"] == pytest.approx(100 / 6)
    assert share["growth_unit"] == "pts"
    assert share["needed_growth"] == pytest.approx(25 - 100 / 6)
    assert share["best_growth"] == pytest.approx(100 / 6 - 20)
    assert share["best_growth_year"] == 2025
    assert _letters(share)["achievable"] == (False, "growth_above_history")
    # the sentence says points, and that even the best year lost
    assert reason(share, "achievable", "en") == (
        "it needs a gain of 8.3 pts where even the best year in the account's history lost "
        "3.3 pts")
    assert "8,3 %-punt" in reason(share, "achievable", "nl")
    # revenue grows in % of the baseline: 2000 -> 2100 is +5%
    revenue = judge(a1, dt.date(2026, 6, 30), plan_2026, target=2100.0,
                    deadline=dt.date(2026, 12, 31))
    assert revenue["growth_unit"] == "%"
    assert revenue["needed_growth"] == pytest.approx(5.0)


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_revenue_growth_sentence_says_a_fall(edited, judge) -> None:
    # history 2023 3000 -> 2024 2000: the best (only) year shrank 33.3%
    account = edited(append={"sales.csv": ["2023-01,A1,CLEAN,NL-RTM,3000.00,250.00,40"]})
    row = judge(account, target=2400.0)
    assert _letters(row)["achievable"] == (False, "growth_above_history")
    assert reason(row, "achievable", "en") == (
        "it needs 20.0% growth where even the best year in the account's history shrank "
        "33.3%")


@SMALL_FAST_WHOLE_SLOW
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_every_failed_letter_of_the_demo_s_plans_has_a_reason(demo_folder: Path) -> None:
    """``reason`` for each failed letter of every demo objective, one row at a time as the
    workbench asks (a row whose growth was not judged has no growth unit: NA)."""
    from kamkit.plan.objectives import LETTERS

    demo = load_workbook_cached(demo_folder)
    said = 0
    for account_id in demo.accounts["account_id"]:
        account = demo.account(account_id)
        if account.document is None or account.document.plan is None:
            continue
        status = objective_status(account, "2026-09-30")
        for _, row in status.iterrows():
            for letter in LETTERS:
                if pd.notna(row[letter]) and not bool(row[letter]):
                    for language in ("en", "nl"):
                        text = reason(row, letter, language)
                        assert text and "nan" not in text and "<NA>" not in text, text
                        said += 1
    assert said > 0
