"""Monitoring (P5): monthly targets phased by seasonality, plan against actuals, forecast
and status.

Mini A1's plan for 2025 has annual targets only: revenue 30000, gross margin 6000. Its
history is January and February 2024 (1000 each): 2024 is its first year and not whole,
so there is no seasonality and the targets are phased equally (2500 and 500 a month).
Actuals 2025: January 2000 revenue, 350 margin; nothing after.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kamkit.documents import AnnualTarget, MonthlyTarget, Targets
from kamkit.errors import KamkitError
from kamkit.findings.plan import monitoring
from kamkit.plan import (
    StatusThresholds,
    forecast,
    monthly_targets,
    plan_vs_actual,
    seasonality,
)

MONTHS_2025 = [f"2025-{m:02d}" for m in range(1, 13)]


def _monthly(revenue: dict[str, float], default: float = 2500.0) -> Targets:
    """Monthly targets for every month of 2025: ``default`` revenue unless given, and a
    gross margin of a fifth of it."""
    return Targets(monthly=tuple(
        MonthlyTarget(month=m, revenue=revenue.get(m, default),
                      gross_margin=revenue.get(m, default) / 5) for m in MONTHS_2025))


def _by_measure(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("measure")


def test_equal_phasing_without_history(a1) -> None:
    targets = monthly_targets(a1)
    assert list(targets["month"].dt.strftime("%Y-%m")) == MONTHS_2025
    # 30000 / 12 and 6000 / 12
    assert (targets["revenue_target"] == 2500.0).all()
    assert (targets["gross_margin_target"] == 500.0).all()
    assert (targets["phasing"] == "equal").all()
    assert seasonality(a1, dt.date(2025, 1, 1))["share"].isna().all()


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_seasonal_phasing(edited) -> None:
    # a whole 2024: 1000 a month, 4000 in December -> 15000; December weighs 4/15
    lines = [f"2024-{m:02d},A1,CLEAN,NL-RTM,1000.00,250.00,40" for m in range(3, 12)]
    account = edited(append={"sales.csv": [*lines, "2024-12,A1,CLEAN,NL-RTM,4000.00,1000.00,160"]})
    targets = monthly_targets(account).set_index(monthly_targets(account)["month"].dt.month)
    # 30000 x 1/15 = 2000 a month, 30000 x 4/15 = 8000 in December; margin 6000 alike
    assert targets.loc[1:11, "revenue_target"].tolist() == pytest.approx([2000.0] * 11)
    assert targets.loc[12, "revenue_target"] == pytest.approx(8000.0)
    assert targets.loc[1, "gross_margin_target"] == pytest.approx(400.0)
    assert targets.loc[12, "gross_margin_target"] == pytest.approx(1600.0)
    assert (targets["phasing"] == "seasonal").all()
    assert targets["revenue_target"].sum() == pytest.approx(30000.0)


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_seasonality_takes_the_last_three_whole_years(edited) -> None:
    account = edited(append={"sales.csv": [
        "2020-12,A1,CLEAN,NL-RTM,9000.00,0.00,",  # the first year, one month: not whole
        "2021-06,A1,CLEAN,NL-RTM,1000.00,0.00,",  # whole, but the fourth year back
        "2022-07,A1,CLEAN,NL-RTM,1000.00,0.00,",
        "2023-08,A1,CLEAN,NL-RTM,1000.00,0.00,",
    ]})
    shares = seasonality(account, dt.date(2025, 1, 1)).set_index("calendar_month")["share"]
    # 2022-2024: January, February, July and August 1000 each, a quarter each
    assert shares[[1, 2, 7, 8]].tolist() == [0.25] * 4
    assert shares[[6, 12]].tolist() == [0.0, 0.0]


def test_listed_months_and_the_rest_phased(a1, replan) -> None:
    targets = Targets(annual=AnnualTarget(revenue=30000, gross_margin=6000),
                      monthly=(MonthlyTarget(month="2025-01", revenue=8000,
                                             gross_margin=1600),))
    phased = monthly_targets(replan(a1, targets=targets))
    first, rest = phased.iloc[0], phased.iloc[1:]
    assert (first["revenue_target"], first["phasing"]) == (8000.0, "monthly")
    # the rest: (30000 - 8000) / 11 = 2000, (6000 - 1600) / 11 = 400, equal parts
    assert rest["revenue_target"].tolist() == pytest.approx([2000.0] * 11)
    assert rest["gross_margin_target"].tolist() == pytest.approx([400.0] * 11)
    assert (rest["phasing"] == "equal").all()


def test_listed_months_above_the_annual_target_leave_zero(a1, replan) -> None:
    targets = Targets(annual=AnnualTarget(revenue=30000),
                      monthly=(MonthlyTarget(month="2025-01", revenue=35000,
                                             gross_margin=7000),))
    phased = monthly_targets(replan(a1, targets=targets))
    # 30000 - 35000 < 0: the other eleven months get 0, never a negative target
    assert phased["revenue_target"].iloc[1:].tolist() == [0.0] * 11


def test_all_months_listed(a1, replan) -> None:
    phased = monthly_targets(replan(a1, targets=_monthly({"2025-03": 4000.0})))
    assert (phased["phasing"] == "monthly").all()
    assert phased["revenue_target"].tolist() == [2500.0] * 2 + [4000.0] + [2500.0] * 9


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_no_targets(a1, replan) -> None:
    account = replan(a1, targets=Targets(annual=AnnualTarget(revenue=12000)))
    phased = monthly_targets(account)
    # revenue phased, no margin target: NA
    assert (phased["revenue_target"] == 1000.0).all()
    assert phased["gross_margin_target"].isna().all()
    nothing = monthly_targets(replan(a1, targets=Targets()))
    assert len(nothing) == 12 and nothing["revenue_target"].isna().all()
    assert nothing["phasing"].isna().all()
    result = _by_measure(forecast(replan(a1, targets=Targets()), "2025-03-31"))
    assert result["status"].isna().all() and result["target"].isna().all()


def test_plan_vs_actual_cumulative(a1) -> None:
    result = plan_vs_actual(a1, "2025-03-31")
    assert result["has_actual"].tolist() == [True] * 3 + [False] * 9
    # January 2000, February and March nothing sold: 0, not NA; April on: NA
    assert result["revenue"].iloc[:3].tolist() == [2000.0, 0.0, 0.0]
    assert result["revenue"].iloc[3:].isna().all()
    assert result["cum_revenue"].iloc[:3].tolist() == [2000.0] * 3
    assert result["cum_revenue"].iloc[3:].isna().all()
    assert result["cum_revenue_target"].iloc[[0, 1, 2, 11]].tolist() == [
        2500.0, 5000.0, 7500.0, 30000.0]
    # 2000 / 2500, 2000 / 5000, 2000 / 7500
    assert result["cum_revenue_achievement_pct"].iloc[:3].tolist() == pytest.approx(
        [80.0, 40.0, 80 / 3])
    assert result["cum_gross_margin"].iloc[2] == 350.0


def test_the_running_month_is_left_out(a1) -> None:
    # as of 15 February, February has only begun: January alone counts
    result = plan_vs_actual(a1, dt.date(2025, 2, 15))
    assert result["has_actual"].tolist()[:3] == [True, False, False]
    assert pd.isna(result["revenue"].iloc[1])
    revenue = _by_measure(forecast(a1, dt.date(2025, 2, 15))).loc["revenue"]
    # January: 2000 sold of 2500 planned; 2000 x 12 months (no seasonality) = 24000
    assert revenue["target_to_date"] == 2500.0 and revenue["months_elapsed"] == 1
    assert revenue["forecast"] == pytest.approx(24000.0)
    assert revenue["through"] == pd.Timestamp("2025-01-31")


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_few_days_of_a_month_do_not_flip_the_status(edited) -> None:
    # January and February 2500 each (on plan); 3 days into March, 300 sold so far
    account = edited(replace={"sales.csv": [("2025-01,A1,SEC,BE-ANT,500.00",
                                             "2025-01,A1,SEC,BE-ANT,1000.00")]},
                     append={"sales.csv": ["2025-02,A1,CLEAN,NL-RTM,2500.00,500.00,100",
                                           "2025-03,A1,CLEAN,NL-RTM,300.00,60.00,12"]})
    end_of_february = _by_measure(forecast(account, "2025-02-28")).loc["revenue"]
    early_march = _by_measure(forecast(account, "2025-03-03")).loc["revenue"]
    # counted in full, March's 300 against its 2500 would drop the forecast to 70%
    assert end_of_february["status"] == early_march["status"] == "on_track"
    assert early_march["forecast"] == end_of_february["forecast"] == 30000.0
    assert early_march["target_to_date"] == 5000.0


def test_forecast(a1) -> None:
    result = _by_measure(forecast(a1, "2025Q1"))
    revenue = result.loc["revenue"]
    # to date: 3 x 2500 = 7500 planned, 2000 sold: 26.67%
    assert revenue["target"] == 30000.0 and revenue["target_to_date"] == 7500.0
    assert revenue["actual_to_date"] == 2000.0
    assert revenue["remaining_target"] == 22500.0
    assert revenue["achievement_to_date_pct"] == pytest.approx(80 / 3)
    # the run rate without seasonality: 2000 in 3 of 12 equal months = 8000, of 30000
    assert revenue["forecast"] == pytest.approx(8000.0)
    assert revenue["achievement_pct"] == pytest.approx(80 / 3)
    assert revenue["status"] == "off_track" and revenue["weighting"] == "equal"
    assert (revenue["months_elapsed"], revenue["months_total"]) == (3, 12)
    margin = result.loc["gross_margin"]
    # 350 x 12 / 3 = 1400, of 6000
    assert margin["forecast"] == pytest.approx(1400.0)
    assert margin["achievement_pct"] == pytest.approx(1400 / 60)


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_forecast_follows_the_seasonality(edited) -> None:
    # a whole 2024: 1000 a month, 4000 in December (15000): January weighs 1/15
    lines = [f"2024-{m:02d},A1,CLEAN,NL-RTM,1000.00,250.00,40" for m in range(3, 12)]
    account = edited(append={"sales.csv": [
        *lines, "2024-12,A1,CLEAN,NL-RTM,4000.00,1000.00,160"]})
    revenue = _by_measure(forecast(account, "2025-01-31")).loc["revenue"]
    # 2000 in January = 1/15 of the year: 30000 expected, the target: on track
    assert revenue["weighting"] == "seasonal"
    assert revenue["forecast"] == pytest.approx(30000.0)
    assert revenue["status"] == "on_track"


@pytest.mark.parametrize(("security", "status"), [
    ("500.00", "on_track"),  # 2000 x 12 / 24000 = 100%
    ("440.00", "on_track"),  # 1940 x 12 / 24000 = 97%, on the threshold
    ("439.00", "at_risk"),  # 1939 x 12 / 24000 = 96.95%
    ("300.00", "at_risk"),  # 1800 x 12 / 24000 = 90%, on the threshold
    ("299.00", "off_track"),  # 1799 x 12 / 24000 = 89.95%
])
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_status_at_the_thresholds(edited, replan, security, status) -> None:
    account = edited(replace={"sales.csv": [("2025-01,A1,SEC,BE-ANT,500.00",
                                             f"2025-01,A1,SEC,BE-ANT,{security}")]})
    account = replan(account, targets=_monthly({}, default=2000.0))
    result = _by_measure(forecast(account, "2025-01-31"))
    assert result.loc["revenue", "status"] == status


def test_status_thresholds() -> None:
    default = StatusThresholds()
    assert [default.status(a) for a in (1.2, 0.97, 0.9699, 0.9, 0.8999)] == [
        "on_track", "on_track", "at_risk", "at_risk", "off_track"]
    assert pd.isna(default.status(float("nan")))
    strict = StatusThresholds(at_risk_below=1.0, off_track_below=0.95)
    assert [strict.status(a) for a in (1.0, 0.99, 0.94)] == ["on_track", "at_risk", "off_track"]
    with pytest.raises(KamkitError, match="off_track_below <= at_risk_below"):
        StatusThresholds(at_risk_below=0.8, off_track_below=0.9)


def test_custom_thresholds_in_forecast(a1) -> None:
    # 26.67% is on track when nothing below 20% is at risk
    lenient = StatusThresholds(at_risk_below=0.2, off_track_below=0.1)
    assert _by_measure(forecast(a1, "2025Q1", lenient)).loc["revenue", "status"] == "on_track"


def test_zero_target_months(a1, replan) -> None:
    account = replan(a1, targets=_monthly({"2025-01": 0.0}))
    # January planned 0: no achievement to date, but the run rate still forecasts
    january = _by_measure(forecast(account, "2025-01-31")).loc["revenue"]
    assert pd.isna(january["achievement_to_date_pct"])
    # 2000 x 12 = 24000 of 27500 = 87.3%: off track
    assert january["forecast"] == 24000.0
    assert january["achievement_pct"] == pytest.approx(24000 / 275)
    assert january["status"] == "off_track"
    assert pd.isna(plan_vs_actual(account, "2025-01-31")["cum_revenue_achievement_pct"].iloc[0])


def test_before_and_after_the_period(a1) -> None:
    before = _by_measure(forecast(a1, "2024-12-31")).loc["revenue"]
    assert before["months_elapsed"] == 0 and pd.isna(before["status"])
    assert pd.isna(before["forecast"]) and pd.isna(before["through"])  # nothing to go on
    after = _by_measure(forecast(a1, "2026-03-31")).loc["revenue"]
    # the year is over: the forecast is what was sold
    assert after["remaining_target"] == 0.0 and after["forecast"] == 2000.0


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_account_without_plan(a1, a2) -> None:
    for function in (monthly_targets, lambda a: plan_vs_actual(a, "2025Q1"),
                     lambda a: forecast(a, "2025Q1")):
        empty, full = function(a2), function(a1)
        assert empty.empty and not full.empty
        assert empty.dtypes.to_dict() == full.dtypes.to_dict()


def test_an_unknown_margin_is_not_monitored(edited) -> None:
    """Security's January 2025 margin emptied: the margin to date (350 with it) is unknown,
    so is its forecast and status, and P5 says so; the revenue is monitored as ever."""
    account = edited(replace={"sales.csv": [("2025-01,A1,SEC,BE-ANT,500.00,50.00",
                                             "2025-01,A1,SEC,BE-ANT,500.00,")]})
    monthly = plan_vs_actual(account, "2025Q1").set_index(plan_vs_actual(account, "2025Q1")[
        "month"].dt.strftime("%Y-%m"))
    assert pd.isna(monthly.loc["2025-01", "gross_margin"])  # not 300
    assert monthly.loc["2025-02", "gross_margin"] == 0.0  # no sales: 0
    assert monthly[["cum_gross_margin"]].iloc[:3].isna().all().all()
    assert monthly.loc["2025-01", "revenue"] == 2000.0
    result = _by_measure(forecast(account, "2025Q1"))
    margin = result.loc["gross_margin"]
    assert pd.isna(margin["actual_to_date"]) and pd.isna(margin["forecast"])
    assert pd.isna(margin["status"])
    assert result.loc["revenue", "forecast"] == pytest.approx(8000.0)
    found = monitoring(result.reset_index(), "en")
    assert found[1] == ("Gross margin is not monitored: it is not recorded in the sales for "
                        "the months to date.")
    assert found[0].startswith("Revenue: ")
