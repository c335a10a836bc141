"""When an objective's target is met (P2's "Target already met"): for what the objective
says, the metric over the plan period to its deadline, for every kind of metric and as of
the start, the middle and the end of the plan year.

Mini A1 (see conftest), plan 2025, with a year that starts well and ends worse: a June sale
of CLEAN in Rotterdam at no margin (1000 / 0 / 40), a satisfaction of 5 in October and a
second complaint in November. A month's figure reaching the target is not the year's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from kamkit.documents import METRICS, Objective, Scope
from kamkit.findings.plan import objectives as objective_findings
from kamkit.labels import t
from kamkit.plan import objective_status
from kamkit.plan.metrics import MET_TO_DATE

JAN, MAR, JUN, DEC = (dt.date(2025, 1, 31), dt.date(2025, 3, 31), dt.date(2025, 6, 30),
                      dt.date(2025, 12, 31))
LATER = dt.date(2026, 3, 31)
RTM = Scope(service="CLEAN", location="NL-RTM")

# metric, scope, target, as_of, reaches_target (on course), target_met
CASES: list[tuple[str, Scope, float, dt.date, object, object]] = [
    # revenue: 2000 in January; forecast 24000 passes 3000, but 2000 is not 3000
    ("revenue", Scope(), 3000.0, JAN, True, False),
    ("revenue", Scope(), 3000.0, JUN, True, True),  # 3000 by June: met, June adds to it
    ("revenue", Scope(), 1800.0, JAN, True, True),  # 2000 so far: met after one month
    ("revenue", Scope(), 9000.0, DEC, False, False),  # the year ended at 3000
    # gross margin 350 in January, the June sale adds 0
    ("gross_margin", Scope(), 400.0, JAN, True, False),
    ("gross_margin", Scope(), 300.0, JAN, True, True),
    ("gross_margin", Scope(), 400.0, DEC, False, False),
    # volume of Rotterdam cleaning: 60 hours in January, 100 by June
    ("volume", RTM, 100.0, JAN, True, False),
    ("volume", RTM, 100.0, JUN, True, True),
    # services bought: two in January already
    ("services_bought", Scope(), 2.0, JAN, True, True),
    ("services_bought", Scope(), 3.0, DEC, False, False),
    # margin %: 17.5% in January, 11.7% over the year (350 / 3000)
    ("margin_pct", Scope(), 15.0, JAN, True, False),
    ("margin_pct", Scope(), 15.0, MAR, True, False),
    ("margin_pct", Scope(), 15.0, DEC, False, False),
    ("margin_pct", Scope(), 10.0, DEC, True, True),
    # share of the Rotterdam wallet: January's 1500 of a twelfth of 10000 is 100%, the year
    # 2500 of 10000 = 25%
    ("share_of_wallet", RTM, 30.0, JAN, True, False),
    ("share_of_wallet", RTM, 30.0, JUN, True, False),
    ("share_of_wallet", RTM, 30.0, DEC, False, False),
    ("share_of_wallet", RTM, 20.0, DEC, True, True),
    # coverage (a snapshot, 66.7%): met only once the year is over
    ("relationship_coverage", Scope(), 60.0, JUN, True, False),
    ("relationship_coverage", Scope(), 60.0, DEC, True, True),
    # satisfaction: 7.5 in March, the year's mean 6.25
    ("satisfaction", Scope(), 7.0, MAR, True, False),
    ("satisfaction", Scope(), 7.0, DEC, False, False),
    ("satisfaction", Scope(), 6.0, LATER, True, True),
    # complaints, lower is better: none by March, one in April, two by the year end
    ("complaints", Scope(), 1.0, MAR, True, False),
    ("complaints", Scope(), 1.0, DEC, False, False),
    ("complaints", Scope(), 2.0, DEC, True, True),
]


@pytest.fixture
def worse_later(edited):
    return edited(append={
        "sales.csv": ["2025-06,A1,CLEAN,NL-RTM,1000.00,0.00,40"],
        "feedback.csv": ["A1,2025-10-01,satisfaction,5.0,,Survey,",
                         "A1,2025-11-05,complaint,,CLEAN,Late again,"]})


def _row(account, replan, as_of: dt.date, **fields: Any) -> pd.Series:
    objective = Objective(**{"id": "X", "title": "Test", "kind": "quantitative",
                             "deadline": dt.date(2025, 12, 31), "conclusions": ("C1",),
                             **fields})
    return objective_status(replan(account, objectives=(objective,)), as_of).iloc[0]


def test_every_metric_kind_is_covered() -> None:
    assert {case[0] for case in CASES} == set(METRICS)


@pytest.mark.parametrize(("metric", "scope", "target", "as_of", "reaches", "met"), CASES,
                         ids=[f"{c[0]}-{c[2]:g}-{c[3]}" for c in CASES])
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_met_for_what_the_objective_says(worse_later, replan, metric, scope, target, as_of,
                                         reaches, met) -> None:
    row = _row(worse_later, replan, as_of, metric=metric, scope=scope, target=target)
    assert (row["reaches_target"], row["target_met"]) == (reaches, met)
    # met before the year is over only for a figure that grows as months pass
    if met and as_of < DEC:
        assert metric in MET_TO_DATE


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_judged_on_the_window_to_the_deadline(worse_later, replan) -> None:
    # a satisfaction of 7 by June: the first half year's mean is 7.5 (met), the year's
    # 6.25 does not undo it once June is over
    row = _row(worse_later, replan, DEC, metric="satisfaction", target=7.0,
               deadline=dt.date(2025, 6, 30))
    assert row["current"] == pytest.approx(6.25) and row["target_met"]
    # revenue of 2600 by the end of May: 2000 (January alone), June's 1000 is too late
    late = _row(worse_later, replan, DEC, metric="revenue", target=2600.0,
                deadline=dt.date(2025, 5, 31))
    assert late["current"] == 3000.0 and not late["target_met"]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_nothing_met_before_a_month_has_ended(worse_later, replan) -> None:
    for metric in METRICS:
        row = _row(worse_later, replan, dt.date(2025, 1, 15), metric=metric, target=0.0)
        assert pd.isna(row["target_met"]), metric


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_the_finding_names_only_objectives_met(worse_later, replan, language) -> None:
    objectives = tuple(
        Objective(id=f"OB{number}", title="Test", kind="quantitative", metric=metric,
                  target=target, scope=scope, deadline=dt.date(2025, 12, 31),
                  conclusions=("C1",))
        for number, (metric, scope, target) in enumerate(
            [("revenue", Scope(), 3000.0), ("share_of_wallet", RTM, 30.0),
             ("revenue", Scope(), 1800.0), ("satisfaction", Scope(), 7.0)], start=1))
    status = objective_status(replan(worse_later, objectives=objectives), MAR)
    said = objective_findings(status, language)
    assert t("find.p2.met", language, ids="OB3") in said


@pytest.mark.parametrize("as_of", ["2026-01-31", "2026-06-30", "2026-12-31"])
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_the_demo_meets_no_target_early(demo, as_of) -> None:
    # the demo's plans run through 2026: after one month, half a year and the year, every
    # objective said to be met has its figure to date at its target, and is one that grows
    # as months pass unless its deadline has passed
    met = 0
    for account_id in demo.account_ids:
        status = objective_status(demo.account(account_id), as_of)
        for row in status[status["target_met"].fillna(False)].itertuples():
            met += 1
            assert row.current <= row.target if row.lower_is_better else row.current >= row.target
            assert row.metric in MET_TO_DATE or row.deadline <= row.through, (account_id, row.id)
    if as_of == "2026-01-31":
        # MAAS OB2: 3.73 M of revenue, forecast above it after January: on course, not met
        maas = objective_status(demo.account("MAAS"), as_of).set_index("id").loc["OB2"]
        assert maas["reaches_target"] and not maas["target_met"] and met == 0
