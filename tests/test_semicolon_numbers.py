"""Numbers in a semicolon file (as Dutch Excel saves a CSV): its own cells say which mark is
the decimal one; where they leave it open the Dutch reading is taken and warned about, and a
number never silently comes out a thousand times too small."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamkit import Severity, check_workbook
from kamkit.problems import Problem

HEADER = "account_id;year;service;location;spend;volume;source;confidence\n"


def _spend(folder: Path, *rows: str) -> list[Problem]:
    """Write spend.csv with ``rows`` (spend and volume cells; the rest fixed) and check."""
    keys = ["A1;2024;CLEAN;NL-RTM", "A1;2025;CLEAN;NL-RTM", "A1;2025;SEC;BE-ANT",
            "A2;2025;CLEAN;NL-RTM"]
    lines = [f"{key};{row};estimate;medium\n" for key, row in zip(keys, rows, strict=True)]
    (folder / "spend.csv").write_text(HEADER + "".join(lines), encoding="utf-8")
    return check_workbook(folder).problems


def _spend_values(folder: Path) -> list[float]:
    return check_workbook(folder).tables["spend"]["spend"].tolist()


@pytest.mark.parametrize("amount, value", [("384.000", 384_000), ("20.000", 20_000),
                                           ("€ 15.627", 15_627), ("12.250 EUR", 12_250)])
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_point_before_three_digits_is_a_thousands_point_when_nothing_says_otherwise(
        mini_copy: Path, amount: str, value: float) -> None:
    problems = _spend(mini_copy, f"{amount};400", "10000;400", "2000;80", "50000;2000")
    assert _spend_values(mini_copy)[0] == value
    warned = [p for p in problems if "is read as" in p.message]
    assert [(p.severity, p.file, p.row, p.column, p.value) for p in warned] == [
        (Severity.WARNING, "spend.csv", 2, "spend", amount)]
    assert f"is read as {value:g}" in warned[0].message
    assert "thousands separator" in warned[0].message
    assert "duizendtallen" in warned[0].words.said("nl")
    assert not [p for p in problems if p.severity is Severity.ERROR]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_points_that_can_only_group_thousands_settle_the_file(mini_copy: Path) -> None:
    problems = _spend(mini_copy, "1.051.000;400", "384.000;400", "2.000;80", "50000;2000")
    assert _spend_values(mini_copy) == [1_051_000, 384_000, 2_000, 50_000]
    assert problems == []


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_decimal_comma_anywhere_settles_the_file(mini_copy: Path) -> None:
    problems = _spend(mini_copy, "384.000;400", "10000;37,5", "2000;80", "50000;2000")
    assert _spend_values(mini_copy)[0] == 384_000
    assert problems == []


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_decimal_point_elsewhere_reads_the_point_as_a_decimal_point_and_says_why(
        mini_copy: Path) -> None:
    problems = _spend(mini_copy, "10.000;400", "10000.5;400", "2000;80", "50000;2000")
    assert _spend_values(mini_copy)[:2] == [10.0, 10000.5]
    warned = [p for p in problems if "is read as" in p.message]
    assert [(p.severity, p.row, p.column, p.value) for p in warned] == [
        (Severity.WARNING, 2, "spend", "10.000")]
    assert "is read as 10:" in warned[0].message
    assert "other numbers in this file" in warned[0].message


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_decimal_point_in_a_decimal_comma_file_is_refused_with_a_comma_example(
        mini_copy: Path) -> None:
    problems = _spend(mini_copy, "5.626,71;37.2", "10000;400", "2000;80", "50000;2000")
    refused = [p for p in problems if p.severity is Severity.ERROR and p.file == "spend.csv"]
    assert [(p.row, p.column, p.value) for p in refused] == [(2, "volume", "37.2")]
    assert "e.g. 7,5" in refused[0].message and "7.5" not in refused[0].message
    assert "bijv. 7,5" in refused[0].words.said("nl")


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_money_cell_refused_in_a_decimal_comma_file_shows_a_comma_amount(
        mini_copy: Path) -> None:
    problems = _spend(mini_copy, "5.626,71;400", "10000.50;400", "2000;80", "50000;2000")
    refused = [p for p in problems if p.severity is Severity.ERROR and p.file == "spend.csv"]
    assert [(p.row, p.column) for p in refused] == [(3, "spend")]
    assert "18250,00" in refused[0].message and "18250.00" not in refused[0].message


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_comma_file_keeps_its_comma_as_a_thousands_separator(mini_copy: Path) -> None:
    (mini_copy / "spend.csv").write_text(
        HEADER.replace(";", ",") + "A1,2024,CLEAN,NL-RTM,\"10,000\",400,estimate,medium\n"
        "A1,2025,CLEAN,NL-RTM,10000,400,estimate,high\n", encoding="utf-8")
    problems = check_workbook(mini_copy).problems
    assert _spend_values(mini_copy)[0] == 10_000
    warned = [p for p in problems if p.severity is Severity.WARNING and p.column == "spend"]
    assert [(p.row, p.value) for p in warned] == [(2, "10,000")]
    assert "thousands separator" in warned[0].message


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_cross_check_names_the_row_of_the_total_as_a_whole_number(mini_copy: Path) -> None:
    problems = _spend(mini_copy, "10.5;400", "10000;400", "2000;80", "50000;2000")
    over = [p for p in problems if p.file == "spend_shares.csv" and "more than" in p.message]
    assert over and all(p.message.endswith("total in spend.csv row 2.") for p in over)
