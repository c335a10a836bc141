"""Each metric of ``METRICS`` over a period, worked out by hand from mini A1 (see conftest)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kamkit.documents import METRICS, Scope
from kamkit.errors import KamkitError
from kamkit.plan import metric_value

Y2024 = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
Y2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
CLEAN = Scope(service="CLEAN")
SEC = Scope(service="SEC")
CLEAN_RTM = Scope(service="CLEAN", location="NL-RTM")


def test_every_metric_has_a_value(a1) -> None:
    for metric in METRICS:
        assert isinstance(metric_value(a1, metric, None, *Y2025), float), metric


def test_revenue_and_gross_margin(a1) -> None:
    # 2024: two months of 1000; 2025: 1500 cleaning + 500 security
    assert metric_value(a1, "revenue", None, *Y2024) == 2000.0
    assert metric_value(a1, "revenue", None, *Y2025) == 2000.0
    assert metric_value(a1, "revenue", CLEAN, *Y2025) == 1500.0
    assert metric_value(a1, "revenue", Scope(location="BE-ANT"), *Y2025) == 500.0
    # margin 2025: 300 + 50
    assert metric_value(a1, "gross_margin", None, *Y2025) == 350.0
    # a period is from the first month to the last, both included: Feb-Mar 2024 holds Feb
    assert metric_value(a1, "revenue", None, dt.date(2024, 2, 15), dt.date(2024, 3, 1)) == 1000.0


def test_zero_revenue_period(a1) -> None:
    # nothing sold in 2023: revenue 0, not NA; a margin of no revenue is NA, not 0
    y2023 = (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert metric_value(a1, "revenue", None, *y2023) == 0.0
    assert pd.isna(metric_value(a1, "margin_pct", None, *y2023))
    assert pd.isna(metric_value(a1, "margin_pct", SEC, *Y2024))


def test_margin_pct(a1) -> None:
    # 2025: 350 / 2000 = 17.5%; cleaning 300 / 1500 = 20%; 2024: 500 / 2000 = 25%
    assert metric_value(a1, "margin_pct", None, *Y2025) == pytest.approx(17.5)
    assert metric_value(a1, "margin_pct", CLEAN, *Y2025) == pytest.approx(20.0)
    assert metric_value(a1, "margin_pct", None, *Y2024) == pytest.approx(25.0)


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_share_of_wallet(a1) -> None:
    # 2025: 2000 / (10000 + 2000) = 16.67%; cleaning in Rotterdam 1500 / 10000 = 15%
    assert metric_value(a1, "share_of_wallet", None, *Y2025) == pytest.approx(100 / 6)
    assert metric_value(a1, "share_of_wallet", CLEAN_RTM, *Y2025) == pytest.approx(15.0)
    # half a year: half the wallet, 2000 / (12000 x 6/12) = 33.33%
    half = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert metric_value(a1, "share_of_wallet", None, *half) == pytest.approx(100 / 3)
    # July 2024 - June 2025: wallet 10000 x 6/12 + 12000 x 6/12 = 11000, ours 2000 (Jan 2025)
    across = (dt.date(2024, 7, 1), dt.date(2025, 6, 30))
    assert metric_value(a1, "share_of_wallet", None, *across) == pytest.approx(2000 / 110)


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_share_of_wallet_without_estimate_is_na(a1) -> None:
    # no spend estimate for 2023, nor for catering
    y2023 = (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert pd.isna(metric_value(a1, "share_of_wallet", None, *y2023))
    assert pd.isna(metric_value(a1, "share_of_wallet", Scope(service="CAT"), *Y2025))


def test_volume(a1) -> None:
    # cleaning 2024: 40 + 40 hours; security 2025: 20 guard hours
    assert metric_value(a1, "volume", CLEAN, *Y2024) == 80.0
    assert metric_value(a1, "volume", SEC, *Y2025) == 20.0
    # 2024 holds cleaning only, so its hours add up; 2025 mixes hours and guard hours: NA
    assert metric_value(a1, "volume", None, *Y2024) == 80.0
    assert pd.isna(metric_value(a1, "volume", None, *Y2025))


def test_services_bought(a1) -> None:
    assert metric_value(a1, "services_bought", None, *Y2025) == 2.0  # CLEAN and SEC
    assert metric_value(a1, "services_bought", None, *Y2024) == 1.0
    assert metric_value(a1, "services_bought", None, dt.date(2023, 1, 1),
                        dt.date(2023, 12, 31)) == 0.0


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_relationship_coverage(a1, edited) -> None:
    # strengths 3, 4 and 2: 2 of 3 from strength 3 on; the relationships are a snapshot,
    # so the period does not matter
    assert metric_value(a1, "relationship_coverage", None, *Y2024) == pytest.approx(200 / 3)
    assert metric_value(a1, "relationship_coverage", None, *Y2024, min_strength=1) == 100.0
    account = edited(append={"contacts.csv": [
        "A1-C4,A1,Gert Bos,CFO,Finance,strategic,A1-C1,decision_maker,sceptic,high,"]})
    # 2 of 4 contacts covered
    assert metric_value(account, "relationship_coverage", None, *Y2025) == pytest.approx(50.0)


def test_satisfaction_and_complaints(a1) -> None:
    assert metric_value(a1, "satisfaction", None, *Y2025) == 7.5
    assert pd.isna(metric_value(a1, "satisfaction", None, *Y2024))
    # the complaint of 2025-04-02 is about cleaning
    assert metric_value(a1, "complaints", None, *Y2025) == 1.0
    assert metric_value(a1, "complaints", CLEAN, *Y2025) == 1.0
    assert metric_value(a1, "complaints", SEC, *Y2025) == 0.0
    assert metric_value(a1, "complaints", None, dt.date(2025, 4, 3), dt.date(2025, 12, 31)) == 0.0


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_mean_of_several_scores(edited) -> None:
    account = edited(append={"feedback.csv": ["A1,2025-09-01,satisfaction,8.5,,Survey,"]})
    # (7.5 + 8.5) / 2
    assert metric_value(account, "satisfaction", None, *Y2025) == 8.0


def test_unknown_metric_and_reversed_period(a1) -> None:
    with pytest.raises(KamkitError, match="Unknown metric 'nps'"):
        metric_value(a1, "nps", None, *Y2025)
    with pytest.raises(KamkitError, match="ends before it starts"):
        metric_value(a1, "revenue", None, dt.date(2025, 2, 1), dt.date(2025, 1, 1))


def test_complaints_without_any_feedback_are_unknown(a1) -> None:
    # no feedback rows at all: nothing says there were none (SEC above: feedback, no
    # complaint about it, so 0)
    silent = a1.with_tables(feedback=a1.feedback.iloc[:0])
    assert pd.isna(metric_value(silent, "complaints", None, *Y2025))
    assert pd.isna(metric_value(silent, "complaints", SEC, *Y2025))
