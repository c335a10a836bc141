"""The one forecast (plan.forecasting.run_rate) and the places that show it: P2, P5, the key
figures; the running month left out; P2 and P5 targets reconciled.

Mini A1 (see conftest): plan 2025 with annual targets 30000 revenue / 6000 margin; OBJ1
revenue to 30000 by 2025-12-31 for the whole account; sales 2025-01: 2000 revenue (1500
cleaning in Rotterdam + 500 security in Antwerp); history January and February 2024 only
(no whole year: no seasonality).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kamkit.documents import Objective, Scope
from kamkit.errors import KamkitError
from kamkit.key_figures import account_key_figures
from kamkit.plan import (
    complete_months,
    forecast,
    last_complete_day,
    monthly_targets,
    objective_status,
    reconcile_targets,
    run_rate,
)

YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
_WHOLE_2024 = [f"2024-{m:02d},A1,CLEAN,NL-RTM,1000.00,250.00,40" for m in range(3, 12)]


def test_complete_months_leave_the_running_month_out() -> None:
    assert list(complete_months(*YEAR, dt.date(2025, 3, 31)).month) == [1, 2, 3]
    assert list(complete_months(*YEAR, dt.date(2025, 4, 1)).month) == [1, 2, 3]
    assert list(complete_months(*YEAR, dt.date(2025, 4, 29)).month) == [1, 2, 3]
    assert len(complete_months(*YEAR, dt.date(2024, 12, 31))) == 0
    assert last_complete_day(*YEAR, dt.date(2025, 2, 27)) == dt.date(2025, 1, 31)
    assert last_complete_day(*YEAR, dt.date(2025, 1, 30)) is None
    assert last_complete_day(*YEAR, dt.date(2026, 5, 1)) == dt.date(2025, 12, 31)


def test_run_rate_without_seasonality_is_pro_rata(a1) -> None:
    rate = run_rate(a1, "revenue", *YEAR, dt.date(2025, 2, 28))
    # 2000 in January and nothing in February: 2000 in 2 of 12 equal months
    assert (rate.to_date, rate.months_counted, rate.months_total) == (2000.0, 2, 12)
    assert rate.forecast == 12000.0 and rate.weighting == "equal"
    assert rate.through == dt.date(2025, 2, 28)


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_run_rate_follows_the_scope_s_seasonality(edited) -> None:
    # a whole 2024 of cleaning in Rotterdam: 1000 a month, 4000 in December (15000)
    account = edited(append={"sales.csv": [
        *_WHOLE_2024, "2024-12,A1,CLEAN,NL-RTM,4000.00,1000.00,160"]})
    cleaning = Scope(service="CLEAN", location="NL-RTM")
    rate = run_rate(account, "revenue", *YEAR, dt.date(2025, 1, 31), cleaning)
    # 1500 in January, which weighs 1000 of 15000: 1500 x 15 = 22500
    assert rate.weighting == "seasonal" and rate.forecast == pytest.approx(22500.0)
    # security in Antwerp has no history: 500 x 12 equal months
    security = run_rate(account, "revenue", *YEAR, dt.date(2025, 1, 31),
                        Scope(service="SEC"))
    assert security.weighting == "equal" and security.forecast == pytest.approx(6000.0)
    # complaints are spread evenly whatever the revenue's season: 1 (2025-04-02) in 4 months
    complaints = run_rate(account, "complaints", *YEAR, dt.date(2025, 4, 30))
    assert complaints.weighting == "equal" and complaints.forecast == pytest.approx(3.0)


def test_run_rate_before_any_month_and_after_the_period(a1) -> None:
    before = run_rate(a1, "revenue", *YEAR, dt.date(2025, 1, 15))
    assert pd.isna(before.forecast) and before.through is None
    after = run_rate(a1, "revenue", *YEAR, dt.date(2026, 6, 30))
    assert after.forecast == after.to_date == 2000.0


def test_only_flow_metrics_are_forecast(a1) -> None:
    with pytest.raises(KamkitError, match="Cannot forecast 'satisfaction'"):
        run_rate(a1, "satisfaction", *YEAR, dt.date(2025, 6, 30))


@pytest.mark.parametrize("as_of", [dt.date(2025, 1, 31), dt.date(2025, 3, 12),
                                   dt.date(2025, 6, 30)])
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_p2_p5_and_the_key_figures_share_one_forecast(edited, as_of) -> None:
    account = edited(append={"sales.csv": [
        *_WHOLE_2024, "2024-12,A1,CLEAN,NL-RTM,4000.00,1000.00,160",
        "2025-03,A1,CLEAN,NL-RTM,2600.00,500.00,100"]})
    p5 = forecast(account, as_of).set_index("measure").loc["revenue"]
    p2 = objective_status(account, as_of).set_index("id").loc["OBJ1"]
    figures = account_key_figures(account, as_of)
    assert p2["forecast"] == pytest.approx(p5["forecast"])
    assert figures["plan_achievement_pct"] == pytest.approx(p5["forecast"] / 300)
    # 2024 is whole now: 11 months of 1000 and 4000 in December, 15000; January weighs
    # 1000 of it, so January 2025's 2000 makes 30000
    if as_of == dt.date(2025, 1, 31):
        assert p5["forecast"] == pytest.approx(2000 * 15000 / 1000)


def test_p2_to_date_counts_the_same_complete_months(a1) -> None:
    row = objective_status(a1, dt.date(2025, 2, 10)).set_index("id").loc["OBJ1"]
    # on 10 February only January has ended: to date 2000, through 31 January
    assert row["current"] == 2000.0 and row["through"] == pd.Timestamp("2025-01-31")
    assert row["forecast"] == 24000.0


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_reconcile_the_objective_with_the_monitoring_target(a1, replan) -> None:
    objectives = (
        Objective(id="W", title="Whole", kind="quantitative", metric="revenue",
                  target=27000.0, deadline=dt.date(2025, 12, 31), conclusions=("C1",)),
        Objective(id="S", title="Scoped", kind="quantitative", metric="revenue",
                  target=5000.0, scope=Scope(service="SEC"), deadline=dt.date(2025, 12, 31)),
        Objective(id="E", title="Early", kind="quantitative", metric="revenue",
                  target=9000.0, deadline=dt.date(2025, 6, 30)),
        Objective(id="M", title="Margin", kind="quantitative", metric="gross_margin",
                  target=6000.0),
    )
    account = replan(a1, objectives=objectives)
    as_of = dt.date(2025, 3, 31)
    rows = reconcile_targets(objective_status(account, as_of), forecast(account, as_of),
                             monthly_targets(account)).set_index("id")
    # the scoped objective and the one due mid-year aim at something else than P5
    assert list(rows.index) == ["W", "M"]
    assert rows.loc["W", "difference"] == 3000.0  # P5's 30000 - 27000
    assert rows.loc["W", "plan_target_source"] == "annual"
    assert rows.loc["W", "forecast"] == pytest.approx(8000.0)  # 2000 x 12 / 3
    assert rows.loc["M", "difference"] == 0.0
    # no objective targets what P5 monitors: nothing to reconcile
    scoped = replan(a1, objectives=objectives[1:3])
    none = reconcile_targets(objective_status(scoped, as_of), forecast(scoped, as_of),
                             monthly_targets(scoped))
    assert none.empty and list(none.columns) == list(rows.reset_index().columns)
