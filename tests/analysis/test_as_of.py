"""The as-of date: parsing, the last full year, and cutting an account's data off."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kamkit.analysis import cut_off, last_full_year, parse_as_of, revenue_by_year
from kamkit.errors import KamkitError


@pytest.mark.parametrize(("given", "expected"), [
    ("2026-03-31", dt.date(2026, 3, 31)),
    (" 2026-03-31 ", dt.date(2026, 3, 31)),
    ("2026Q1", dt.date(2026, 3, 31)),
    ("2026-Q2", dt.date(2026, 6, 30)),
    ("2026q3", dt.date(2026, 9, 30)),
    ("2026Q4", dt.date(2026, 12, 31)),
    ("31-03-2026", dt.date(2026, 3, 31)),  # as the workbook reads a date
    ("31/03/2026", dt.date(2026, 3, 31)),
    (dt.date(2025, 7, 4), dt.date(2025, 7, 4)),
    (dt.datetime(2025, 7, 4, 16, 30), dt.date(2025, 7, 4)),
    (pd.Timestamp("2025-07-04 09:00"), dt.date(2025, 7, 4)),
])
def test_parse_as_of(given: object, expected: dt.date) -> None:
    assert parse_as_of(given) == expected  # type: ignore[arg-type]


def test_parse_as_of_none_is_today() -> None:
    assert parse_as_of(None) == dt.date.today()


@pytest.mark.parametrize("bad", ["2026Q5", "2026Q0", "2026-02-30", "03/04/2026", "Q1 2026",
                                 "", "soon", 2026])
def test_parse_as_of_rejects_bad_values_with_a_clear_message(bad: object) -> None:
    with pytest.raises(KamkitError) as error:
        parse_as_of(bad)  # type: ignore[arg-type]
    message = str(error.value)
    assert repr(bad) in message  # what was given
    assert "YYYY-MM-DD" in message and "2026Q1" in message  # what is accepted


@pytest.mark.parametrize(("as_of", "year"), [
    (dt.date(2025, 12, 31), 2025),  # the year is complete on its last day
    (dt.date(2025, 12, 30), 2024),
    (dt.date(2026, 3, 31), 2025),
    (dt.date(2026, 1, 1), 2025),
])
def test_last_full_year(as_of: dt.date, year: int) -> None:
    assert last_full_year(as_of) == year


def test_cut_off_removes_every_dated_row_after_as_of(a1) -> None:
    cut = cut_off(a1, dt.date(2024, 12, 31))
    # sales: the two 2024 months stay, both 2025-01 rows go
    assert list(cut.sales["month"].dt.strftime("%Y-%m")) == ["2024-01", "2024-02"]
    # spend and shares: only the 2024 CLEAN NL-RTM cell is left
    assert list(cut.spend["year"]) == [2024]
    assert list(cut.spend_shares["year"]) == [2024]
    # history: the 2023 win stays, the 2025 contract goes
    assert list(cut.history["type"]) == ["won"]
    # feedback: both rows are from 2025
    assert cut.feedback.empty
    # relationships: only P3 (last contact 2024-06-01) is left
    assert list(cut.relationships["person_id"]) == ["P3"]
    # untouched: contacts, reference tables, the document
    assert len(cut.contacts) == 3 and len(cut.services) == 3
    assert cut.document == a1.document and cut.account == a1.account


def test_cut_off_leaves_the_original_account_unchanged(a1) -> None:
    cut_off(a1, dt.date(2020, 1, 1))
    assert len(a1.sales) == 4 and len(a1.spend) == 3 and len(a1.relationships) == 3


def test_cut_off_counts_a_month_once_it_has_started(a1) -> None:
    # as_of 2025-01-15 lies inside January 2025: the January sales count
    cut = cut_off(a1, dt.date(2025, 1, 15))
    assert len(cut.sales) == 4
    # ... but on 2024-12-31 January has not started
    assert len(cut_off(a1, dt.date(2024, 12, 31)).sales) == 2


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_sale_after_as_of_is_ignored(edited) -> None:
    account = edited(append={"sales.csv": ["2025-06,A1,CLEAN,NL-RTM,9000.00,900.00,300"]})
    revenue = revenue_by_year(cut_off(account, parse_as_of("2025Q1")))
    # 2025 up to 2025-03-31: 1500 (CLEAN) + 500 (SEC); the June 9000 is after as_of
    assert revenue.set_index("year").loc[2025, "revenue"] == 2000.0
    # without the cut-off it counts: 2000 + 9000 = 11000
    assert revenue_by_year(account).set_index("year").loc[2025, "revenue"] == 11000.0


def test_cut_off_shows_a_complaint_closed_later_as_open(a1) -> None:
    # the complaint of 2025-04-02 was closed on 2025-04-20; on 2025-04-10 it was open
    feedback = cut_off(a1, dt.date(2025, 4, 10)).feedback
    complaint = feedback[feedback["kind"] == "complaint"]
    assert len(complaint) == 1 and pd.isna(complaint["closed"].iloc[0])
    # on 2025-04-30 it is closed
    later = cut_off(a1, dt.date(2025, 4, 30)).feedback
    assert later.loc[later["kind"] == "complaint", "closed"].iloc[0] == pd.Timestamp("2025-04-20")
