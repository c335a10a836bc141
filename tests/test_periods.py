"""Calendar rules in one place (kamkit.periods) and deriving an account slice without
touching the original (AccountData.with_tables)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kamkit import load_workbook, periods


@pytest.mark.parametrize(("text", "expected"), [
    ("2026Q3", (2026, 3)), ("2026-q1", (2026, 1)), (" 2025Q4 ", (2025, 4)),
    ("2026Q5", None), ("Q3 2026", None), ("2026-09-30", None), ("", None)])
def test_parse_quarter(text: str, expected: tuple[int, int] | None) -> None:
    assert periods.parse_quarter(text) == expected


def test_quarters_round_trip_through_their_last_day() -> None:
    for year in (2024, 2025):  # a leap year and a common one
        for quarter in range(1, 5):
            end = periods.quarter_end(year, quarter)
            assert periods.quarter_of(end) == periods.quarter_name(year, quarter)
            assert periods.quarter_of(end + dt.timedelta(days=1)) != periods.quarter_of(end)
            assert periods.parse_as_of(periods.quarter_name(year, quarter)) == end
    assert periods.quarter_end(2024, 1) == dt.date(2024, 3, 31)
    assert periods.quarter_of(dt.date(2026, 1, 1)) == "2026Q1"


def test_months_and_shifts_follow_the_calendar() -> None:
    assert periods.month_start(dt.date(2024, 2, 29)) == pd.Timestamp("2024-02-01")
    assert list(periods.months(dt.date(2026, 3, 5), dt.date(2026, 2, 1))) == []
    assert len(periods.months(dt.date(2025, 1, 31), dt.date(2025, 12, 1))) == 12
    assert periods.shift_months(dt.date(2024, 3, 31), -1) == dt.date(2024, 2, 29)
    assert periods.shift_months(dt.date(2025, 11, 15), 3) == dt.date(2026, 2, 15)


def test_with_tables_gives_a_new_value_and_never_mutates() -> None:
    account = load_workbook().account("MAAS")
    sales_before = account.sales
    later = account.sales[account.sales["month"] >= pd.Timestamp("2026-01-01")]
    derived = account.with_tables(sales=later)
    assert len(derived.sales) == len(later) < len(sales_before)
    assert len(account.sales) == len(sales_before)  # the original keeps its rows
    assert derived.feedback.equals(account.feedback)  # other tables are shared
    assert (derived.account, derived.document) == (account.account, account.document)
    with pytest.raises(KeyError, match="salez"):
        account.with_tables(salez=later)
    with pytest.raises(TypeError):  # the table mapping itself cannot be changed
        derived._tables["sales"] = sales_before  # type: ignore[index]
