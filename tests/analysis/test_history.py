"""Revenue by year and the timeline (A4).

Mini A1 sales: 2024-01 and 2024-02 CLEAN 1000 each (margin 250 each);
2025-01 CLEAN 1500 (margin 300) and SEC 500 (margin 50).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kamkit.analysis import complaints, revenue_by_year, satisfaction, timeline
from kamkit.findings.analysis import history
from kamkit.key_figures import account_key_figures


def test_revenue_by_year(a1) -> None:
    revenue = revenue_by_year(a1).set_index("year")
    assert list(revenue.index) == [2024, 2025]
    # 2024: 1000 + 1000 = 2000 revenue, 250 + 250 = 500 margin = 25%, 2 months
    assert revenue.loc[2024, "revenue"] == 2000.0
    assert revenue.loc[2024, "gross_margin"] == 500.0
    assert revenue.loc[2024, "margin_pct"] == pytest.approx(25.0)
    assert revenue.loc[2024, "months_with_sales"] == 2
    assert pd.isna(revenue.loc[2024, "growth_pct"])  # the first year
    # 2025: 1500 + 500 = 2000, margin 300 + 50 = 350 = 17.5%, one month
    assert revenue.loc[2025, "margin_pct"] == pytest.approx(17.5)
    assert revenue.loc[2025, "months_with_sales"] == 1
    # the workbook's sales run from 2024-01 to 2025-01: 2024 is whole, 2025 holds one month,
    # so its growth (2000 against 2000, 0%) compares a month with a year: not computed
    assert revenue["months_covered"].tolist() == [12, 1]
    assert revenue["partial"].tolist() == [False, True]
    assert pd.isna(revenue.loc[2025, "growth_pct"])


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_growth_after_a_year_without_sales(edited) -> None:
    account = edited(append={"sales.csv": ["2022-01,A1,CLEAN,NL-RTM,400.00,40.00,16"]})
    revenue = revenue_by_year(account).set_index("year")
    # 2023 had no sales: it is there with 0, so no growth skips a year
    assert list(revenue.index) == [2022, 2023, 2024, 2025]
    assert revenue.loc[2023, "revenue"] == 0.0
    assert revenue.loc[2023, "months_with_sales"] == 0
    # 2023 against 2022: (0 - 400) / 400 = -100%
    assert revenue.loc[2023, "growth_pct"] == pytest.approx(-100.0)
    assert pd.isna(revenue.loc[2023, "margin_pct"])  # margin of no revenue
    # 2024 against 2023's 0: no growth rate (NA, not inf)
    assert pd.isna(revenue.loc[2024, "growth_pct"])


def test_a_partial_first_year_is_not_compared(edited) -> None:
    """The workbook's history starts in 2023-07 (B's first sale): 2023 holds 6 months and
    2024's growth is not computed against it; A1, buying only in some months of whole
    years, is no partial year."""
    account = edited(append={"sales.csv": ["2023-07,A2,CLEAN,NL-RTM,100.00,10.00,4",
                                           "2023-11,A1,CLEAN,NL-RTM,1000.00,250.00,40"]})
    revenue = revenue_by_year(account).set_index("year")
    # A1: 2023 1000 (6 months of the workbook), 2024 2000 (whole), 2025 2000 (one month)
    assert revenue["months_covered"].tolist() == [6, 12, 1]
    assert revenue["partial"].tolist() == [True, False, True]
    assert revenue["growth_pct"].isna().all()  # +100% would compare 2024 with half a year
    assert revenue.loc[2024, "months_with_sales"] == 2  # seasonal buying: not partial
    found = history(revenue.reset_index(), pd.DataFrame(), 2024, "en")
    # no growth to state: the sentence leaves it out (never "n/a" mid-sentence), the next
    # one says why
    assert found[0] == "In 2024 our revenue was EUR\u00a02,000 at a gross margin of 25.0%."
    assert found[1] == ("The workbook's sales cover only 6 months of 2023, so 2024 is not "
                        "compared with it (no growth).")


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_an_account_that_stopped_buying_shows_0_and_minus_100(edited) -> None:
    """A2 bought 600 in every month of 2023 and nothing since; the workbook runs to
    2025-12 (A1): 2024 is 0 and -100%, 2025 0 (growth of 0 on 0: none)."""
    lines = [f"2023-{m:02},A2,CLEAN,NL-RTM,600.00,60.00,24" for m in range(1, 13)]
    account = edited("A2", append={"sales.csv": [*lines,
                                                 "2025-12,A1,CLEAN,NL-RTM,10.00,1.00,1"]})
    revenue = revenue_by_year(account).set_index("year")
    assert list(revenue.index) == [2023, 2024, 2025]
    assert revenue["revenue"].tolist() == [7200.0, 0.0, 0.0]
    assert revenue.loc[2024, "growth_pct"] == pytest.approx(-100.0)
    assert pd.isna(revenue.loc[2025, "growth_pct"])
    assert not revenue["partial"].any()
    figures = account_key_figures(account, dt.date(2025, 3, 31))
    assert (figures["year"], figures["revenue"]) == (2024, 0.0)  # not n/a
    assert figures["revenue_growth_pct"] == pytest.approx(-100.0)


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_timeline_is_sorted_by_date(edited) -> None:
    account = edited(append={"history.csv": ["A1,2022-09-15,meeting,First meeting,"]})
    events = timeline(account)
    assert list(events.columns) == ["date", "type", "description", "amount"]
    # the appended 2022 meeting comes first, before the 2023 win and the 2025 contract
    assert list(events["type"]) == ["meeting", "won", "contract"]
    assert pd.isna(events["amount"].iloc[0])
    assert events["amount"].iloc[1] == 12000.0


# the customer's voice: A1 feedback 2025-03-01 satisfaction 7.5 (Annual survey),
# 2025-04-02 a complaint about cleaning (Windows skipped), closed 2025-04-20


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_satisfaction_over_time(edited) -> None:
    account = edited(append={"feedback.csv": [
        "A1,2025-09-01,satisfaction,6.8,CLEAN,Cleaning survey,",
        "A1,2024-09-01,satisfaction,8.1,,Annual survey,",
        "A1,2025-05-01,compliment,,SEC,Thanks,"]})
    scores = satisfaction(account)
    assert list(scores["score"]) == [8.1, 7.5, 6.8]  # oldest first, compliments left out
    assert list(scores["service_name"].fillna("")) == ["", "", "Office cleaning"]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_complaints_with_their_status(edited) -> None:
    account = edited(append={"feedback.csv": [
        "A1,2025-06-10,complaint,,SEC,Guard late,"]})
    # on 2025-04-10 the first is open (closed later) and the second not yet made
    early = complaints(account, "2025-04-10")
    assert list(early["status"]) == ["open"] and early["days"].iloc[0] == 8
    assert pd.isna(early["closed"].iloc[0])
    later = complaints(account, "2025-06-30")
    assert list(later["status"]) == ["closed", "open"]
    assert list(later["days"]) == [18, 20]  # 2025-04-02 to 04-20; 06-10 to 06-30 so far
    assert list(later["service_name"]) == ["Office cleaning", "Security"]
    assert later["closed"].iloc[0] == pd.Timestamp("2025-04-20")
