"""A date written with slashes is read day first (as a Dutch user writes it); where that
could as well be an American month-first date and nothing in its column settles the order,
the reading is said in a warning naming the cell, with the other reading's ISO form."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamkit import Severity, check_workbook
from kamkit.problems import Problem


def _history(folder: Path, *dates: str) -> list[Problem]:
    rows = "".join(f"A1,{date},meeting,Visit {i},\n" for i, date in enumerate(dates))
    (folder / "history.csv").write_text("account_id,date,type,description,amount\n" + rows,
                                        encoding="utf-8")
    return [p for p in check_workbook(folder).problems if p.file == "history.csv"]


@pytest.mark.parametrize(("written", "read", "other", "iso"), [
    ("11/09/2021", "11 September 2021", "9 November 2021", "2021-11-09"),
    ("3/4/2024", "3 April 2024", "4 March 2024", "2024-03-04"),
    ("12/01/2025", "12 January 2025", "1 December 2025", "2025-12-01"),
])
@pytest.mark.sample(1)  # the cases covered by the others: benchmarks/fast_tier.py
def test_a_slash_date_that_reads_both_ways_is_warned_about(
        mini_copy: Path, written: str, read: str, other: str, iso: str) -> None:
    problems = _history(mini_copy, "2023-03-01", written, "2025-01-01")
    assert [(p.severity, p.row, p.column, p.value) for p in problems] == [
        (Severity.WARNING, 3, "date", written)]
    assert f"as {read}" in problems[0].message
    assert f"if {other} is meant, write {iso}" in problems[0].message
    assert "dag eerst" in problems[0].words.said("nl")
    day, month, year = (int(part) for part in written.split("/"))
    assert check_workbook(mini_copy).tables["history"]["date"].iloc[1].date().isoformat() == (
        f"{year}-{month:02d}-{day:02d}")


def test_a_day_above_twelve_in_the_column_settles_the_order(mini_copy: Path) -> None:
    assert _history(mini_copy, "11/09/2021", "25/10/2021", "2025-01-01") == []


def test_the_same_day_and_month_and_other_layouts_are_not_doubted(mini_copy: Path) -> None:
    assert _history(mini_copy, "05/05/2021", "11-09-2021", "11.09.2021", "2021-09-11") == []


def test_a_month_first_date_that_cannot_be_day_first_is_still_refused(
        mini_copy: Path) -> None:
    problems = _history(mini_copy, "11/29/2021", "2025-01-01")
    assert [(p.severity, p.row, p.value) for p in problems] == [
        (Severity.ERROR, 2, "11/29/2021")]
