"""A date written with slashes is read day first (as a Dutch user writes it); where that
could as well be an American month-first date and nothing in its column settles the order,
the reading is said in one warning block for the column, naming its rows. A column whose
dates can only be month first (07/19/2021, and none 19/07/2021) is refused in one error for
the column, as the importer refuses such an export."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamkit import Severity, check_workbook
from kamkit.problems import Problem, grouped


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
    assert f"row 3: '{written}' as {read}, not {other}" in problems[0].message
    assert "month first (MM/DD/YYYY, as a US export does), write them as YYYY-MM-DD" in (
        problems[0].message)
    assert "dag eerst" in problems[0].words.said("nl")
    day, month, year = (int(part) for part in written.split("/"))
    assert check_workbook(mini_copy).tables["history"]["date"].iloc[1].date().isoformat() == (
        f"{year}-{month:02d}-{day:02d}")


def test_a_day_above_twelve_in_the_column_settles_the_order(mini_copy: Path) -> None:
    assert _history(mini_copy, "11/09/2021", "25/10/2021", "2025-01-01") == []


def test_the_same_day_and_month_and_other_layouts_are_not_doubted(mini_copy: Path) -> None:
    assert _history(mini_copy, "05/05/2021", "11-09-2021", "11.09.2021", "2021-09-11") == []


@pytest.mark.slow  # the fast tier's rule: no line cheaper fast tests miss
def test_a_column_that_reads_both_ways_is_one_block_said_once(mini_copy: Path) -> None:
    """Many ambiguous dates, each its own value: one block for the column, its words the
    same for every row (the column's first such date the example), not one per value."""
    dates = [f"{m:02d}/{d:02d}/20{y}" for y in (21, 22) for m in range(1, 13)
             for d in (1, 5, 9) if m != d]
    problems = _history(mini_copy, *dates)
    assert len(problems) == len(dates) and {p.message for p in problems} == {
        problems[0].message}
    assert "row 2: '01/05/2021' as 1 May 2021, not 5 January 2021" in problems[0].message
    groups = grouped(problems)
    assert len(groups) == 1
    assert groups[0].text("en").startswith(
        f"history.csv: warning, column 'date', {len(dates)} rows: dates written with slashes "
        "read both ways")


@pytest.mark.parametrize("written", ["11/29/2021", "11-29-2021", "11.29.2021", "2/13/2024"])
def test_a_month_first_date_that_cannot_be_day_first_is_still_refused(
        mini_copy: Path, written: str) -> None:
    problems = _history(mini_copy, written, "2025-01-01")
    assert [(p.severity, p.row, p.column, p.value) for p in problems] == [
        (Severity.ERROR, None, "date", None)]
    assert f"row 2: '{written}' can only be" in problems[0].message
    assert "writes its dates month first" in problems[0].message


@pytest.mark.slow  # the fast tier's rule: no line cheaper fast tests miss
def test_a_column_written_month_first_is_one_error_and_none_of_its_dates_is_read(
        mini_copy: Path) -> None:
    """A US export's column: days past 12 in second place and none in first place. One
    error for the column (no "no month 14" per value, no "read day first" warnings), and
    none of its dates with the year last read, not even those that would read day first;
    a date written YYYY-MM-DD still is."""
    dates = ["06/14/2021", "08/09/2021", "12/16/2021", "12/16/2022", "03/29/2023",
             "10/08/2023", "2024-05-06"]
    problems = _history(mini_copy, *dates)
    assert [(p.severity, p.row, p.column) for p in problems] == [
        (Severity.ERROR, None, "date")]
    message = problems[0].message
    assert "row 2: '06/14/2021' can only be 14 June 2021" in message
    assert "its 6 dates written so are not read rather than misread" in message
    assert "YYYY-MM-DD" in message
    assert "met de maand eerst" in problems[0].words.said("nl")
    read = check_workbook(mini_copy).tables["history"]["date"]
    assert read.isna().tolist() == [True] * 6 + [False]
    # the error is the whole column's, not one account's: a run refuses the workbook
    assert problems[0].account is None


def test_a_column_with_both_orders_keeps_its_errors_per_row(mini_copy: Path) -> None:
    """Day past 12 in first place in one row, in second place in another: no order fits the
    column; the day-first dates are read and the impossible ones are errors, one block."""
    problems = _history(mini_copy, "25/10/2021", "10/25/2021", "10/26/2021")
    assert [(p.severity, p.row) for p in problems] == [(Severity.ERROR, 3),
                                                        (Severity.ERROR, 4)]
    assert len(grouped(problems)) == 1


@pytest.mark.parametrize(("received", "closed", "said"), [
    ("08/09/2021", "09/02/2021", "('08/09/2021', read as 8 September 2021)"),
    ("8-9-2021", "2021-02-09", "('8-9-2021', read as 8 September 2021)"),
    ("2021-09-08", "9.2.2021", "(2021-09-08)"),
])
def test_a_cross_check_quotes_the_cells_as_written(mini_copy: Path, received: str,
                                                   closed: str, said: str) -> None:
    """A complaint closed before it came in: the message quotes the cells' text, which the
    user can find in the file, with kamkit's reading where it differs; not the reading
    alone ('2021-02-09' for a cell '09/02/2021')."""
    (mini_copy / "feedback.csv").write_text(
        "account_id,date,kind,score,service,description,closed\n"
        f"A1,{received},complaint,,CLEAN,Windows skipped,{closed}\n", encoding="utf-8")
    early = [p for p in check_workbook(mini_copy).problems
             if p.file == "feedback.csv" and p.column == "closed"
             and p.severity is Severity.ERROR]
    assert [(p.row, p.value) for p in early] == [(2, closed)]
    assert early[0].message == f"is before the date received {said}."
    assert "gelezen als" in early[0].words.said("nl") or "read as" not in said


def _sales_months(folder: Path, *months: str) -> list[Problem]:
    rows = "".join(f"{month},A1,CLEAN,NL-RTM,1000.00,250.00,40\n" for month in months)
    (folder / "sales.csv").write_text(
        "month,account_id,service,location,revenue,gross_margin,volume\n" + rows,
        encoding="utf-8")
    return [p for p in check_workbook(folder).problems if p.file == "sales.csv"]


def test_months_written_as_us_excel_writes_a_first_day_are_one_error(mini_copy: Path) -> None:
    """US Excel shows a month as its first day, month first (3/1/2021). Read day first every
    month is January, and the rows would repeat each other's key: one error for the column
    names it and how to write the months, instead of a "repeats the key" error per row."""
    problems = _sales_months(mini_copy, "1/1/2024", "2/1/2024", "3/1/2024", "1/1/2025")
    assert [(p.severity, p.row, p.column) for p in problems] == [
        (Severity.ERROR, None, "month")]
    message = problems[0].message
    assert "row 3: '2/1/2024' is 1 February 2024" in message
    assert "every month would be January" in message
    assert "its 4 dates written so are not read rather than misread" in message.lower()
    assert "YYYY-MM (in Excel: give the column the format yyyy-mm" in message
    nl = problems[0].words.said("nl")
    assert "rij 3: '2/1/2024' is 1 februari 2024" in nl and "JJJJ-MM" in nl
    assert check_workbook(mini_copy).tables["sales"]["month"].isna().all()


@pytest.mark.parametrize("months", [
    ("1/3/2024", "1/4/2024", "1-5-2024"),  # day first, as a Dutch user writes a first day
    ("1/1/2024", "1/1/2025"),  # January: both orders agree
    ("2024-03", "2024-04"),
])
def test_months_written_day_first_are_read_as_they_are(mini_copy: Path,
                                                       months: tuple[str, ...]) -> None:
    assert _sales_months(mini_copy, *months) == []
    assert check_workbook(mini_copy).tables["sales"]["month"].notna().all()


def test_a_month_that_reads_both_ways_is_warned_about(mini_copy: Path) -> None:
    """5/3/2024: March (day first) or May; a first day (1/4/2024) is not in doubt."""
    problems = _sales_months(mini_copy, "1/4/2024", "5/3/2024")
    assert [(p.severity, p.row, p.column) for p in problems] == [
        (Severity.WARNING, 3, "month")]


def test_a_month_column_with_a_day_past_twelve_in_second_place_says_so(
        mini_copy: Path) -> None:
    """Not first days: the date rule's own words (it can only be month first)."""
    problems = _sales_months(mini_copy, "3/15/2024", "4/1/2024")
    assert [(p.severity, p.column) for p in problems] == [(Severity.ERROR, "month")]
    assert "row 2: '3/15/2024' can only be 15 March 2024" in problems[0].message
