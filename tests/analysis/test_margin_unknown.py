"""A gross margin that is not known (empty in sales.csv, as an import of an export without
cost writes it) stays unknown in every figure built on it: never a computed 0%.

Mini A1 sales: 2024-01 and 2024-02 CLEAN 1000 each (margin 250 each); 2025-01 CLEAN 1500
(margin 300) and SEC 500 (margin 50). Here 2024-02's and SEC 2025-01's margins are emptied.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kamkit.analysis import revenue_by_year
from kamkit.findings.analysis import history
from kamkit.findings.plan import price_mix as price_findings
from kamkit.key_figures import account_key_figures
from kamkit.plan import price_mix
from kamkit.plan.metrics import metric_value

UNKNOWN = [("2024-02,A1,CLEAN,NL-RTM,1000.00,250.00", "2024-02,A1,CLEAN,NL-RTM,1000.00,"),
           ("2025-01,A1,SEC,BE-ANT,500.00,50.00", "2025-01,A1,SEC,BE-ANT,500.00,")]


@pytest.fixture
def account(edited):
    return edited(replace={"sales.csv": UNKNOWN})


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_it_validates(account) -> None:
    assert account.sales["gross_margin"].isna().sum() == 2


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_year_with_an_unknown_month_has_an_unknown_margin(account) -> None:
    revenue = revenue_by_year(account).set_index("year")
    # revenue as ever: 2024 1000 + 1000, 2025 1500 + 500
    assert revenue["revenue"].tolist() == [2000.0, 2000.0]
    # not 250 / 2000 = 12.5% (the known month over both) nor 300 / 2000 = 15%
    assert revenue["gross_margin"].isna().all()
    assert revenue["margin_pct"].isna().all()
    figures = account_key_figures(account, dt.date(2025, 6, 30))
    assert figures["year"] == 2024 and figures["revenue"] == 2000.0
    assert figures["margin_pct"] is None  # shown n/a


def test_price_mix_leaves_an_unknown_margin_unjudged(account) -> None:
    mix = price_mix(account, "2025-12-31").set_index(["service", "year"])
    assert pd.isna(mix.loc[("CLEAN", 2024), "margin_pct"])
    assert pd.isna(mix.loc[("CLEAN", 2024), "below_policy"])
    # known: 300 / 1500 = 20%, at the policy of 20%
    assert mix.loc[("CLEAN", 2025), "margin_pct"] == pytest.approx(20.0)
    assert not mix.loc[("CLEAN", 2025), "below_policy"]
    # security: not 0 / 500 = 0% below the policy of 15%, but unknown
    assert pd.isna(mix.loc[("SEC", 2025), "margin_pct"])
    assert pd.isna(mix.loc[("SEC", 2025), "below_policy"])
    assert pd.isna(mix.loc[("CLEAN", 2025), "trend_pts"])  # against an unknown 2024
    found = price_findings(mix.reset_index(), 2025, "en")
    assert found == ["The margin policy is not checked for Security in 2025: the gross "
                     "margin is not recorded in the sales."]
    assert "margebeleid" in price_findings(mix.reset_index(), 2025, "nl")[0]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_findings_say_the_margin_is_unknown(account) -> None:
    revenue = revenue_by_year(account)
    found = history(revenue, pd.DataFrame(), 2024, "en")[0]
    assert "gross margin is not recorded" in found and "%" not in found.split(";")[1]
    assert "0.0%" not in found


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_margin_metric_over_an_unknown_month_is_unknown(account) -> None:
    # 2025: CLEAN 300 known, SEC unknown: not 300
    value = metric_value(account, "gross_margin", None, dt.date(2025, 1, 1),
                         dt.date(2025, 12, 31))
    assert pd.isna(value)
    assert pd.isna(metric_value(account, "margin_pct", None, dt.date(2025, 1, 1),
                                dt.date(2025, 12, 31)))
    # 2024-01 alone is known: 250
    assert metric_value(account, "gross_margin", None, dt.date(2024, 1, 1),
                        dt.date(2024, 1, 31)) == 250.0
