"""A table that is not there is never silently an empty one (review 10, finding 1): a
missing sales.csv or spend.csv is an error (its header alone says "no rows yet"), and a
table there under another spelling (Sales.csv, sales (1).csv: a download's or Excel's
rename) is an error naming that file, whatever the table."""

from __future__ import annotations

from pathlib import Path

import pytest
from xlsx_books import mini_as_xlsx

from kamkit.cli import main
from kamkit.problems import Problem, Severity, errors
from kamkit.readers import near_misses
from kamkit.workbook import check_workbook


def _errors(folder: Path) -> list[Problem]:
    return errors(check_workbook(folder).problems)


@pytest.mark.parametrize("table", ["sales", "spend"])
def test_a_missing_money_table_is_one_error_that_says_how_to_say_no_rows(
        mini_copy: Path, table: str) -> None:
    header = (mini_copy / f"{table}.csv").read_text(encoding="utf-8").splitlines()[0]
    (mini_copy / f"{table}.csv").unlink()
    [error] = _errors(mini_copy)  # spend_shares' rows are not each "without a total"
    assert error.file == f"{table}.csv"
    assert error.message.endswith(f"write its header row alone: {header}")
    assert error.text("nl").startswith(f"{table}.csv: fout: ontbreekt in ")
    assert f"alleen de kopregel: {header}" in error.text("nl")


def test_a_sales_table_with_its_header_alone_is_no_sales_yet(mini_copy: Path) -> None:
    path = mini_copy / "sales.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    checked = check_workbook(mini_copy)
    assert checked.ok and checked.tables["sales"].empty
    # but a failed export is not taken for the truth unsaid: the key accounts are named
    [warning] = checked.problems
    assert (warning.file, warning.severity) == ("sales.csv", Severity.WARNING)
    assert warning.message.startswith("has no rows, while accounts.csv has 1 key account "
                                      "(A1): its report will say it has no sales")
    assert "zal zeggen dat er geen omzet is" in warning.text("nl")


RENAMES = ["Sales.csv", "sales (1).csv", "sales - Copy.csv", "sales - kopie (2).csv",
           "Copy of sales.csv", "sales copy 2.csv", "SALES.CSV", "sales.txt", "sales.csv.txt"]
"""How a download, Windows, macOS, Excel or a user's hand rename a table's file."""


def test_every_usual_rename_is_a_near_miss() -> None:
    for renamed in RENAMES:
        assert near_misses("sales", [renamed, "spend.csv"]) == [renamed]


@pytest.mark.parametrize("renamed", ["Sales.csv", "sales (1).csv"])
def test_a_renamed_table_is_an_error_naming_the_file_there(mini_copy: Path,
                                                           renamed: str) -> None:
    (mini_copy / "sales.csv").rename(mini_copy / renamed)
    [error] = _errors(mini_copy)
    assert error.file == "sales.csv"
    assert f"which has {renamed}: kamkit reads only sales.csv" in error.message
    assert error.message.endswith("Rename the right file to sales.csv.")
    assert f"(wel aanwezig: {renamed})" in error.text("nl")


@pytest.mark.parametrize("table", ["contacts", "criteria"])
def test_an_optional_or_settings_table_renamed_is_an_error_too(mini_copy: Path,
                                                              table: str) -> None:
    source = mini_copy / f"{table}.csv"
    if not source.exists():  # the mini workbook keeps the criteria's defaults
        source.write_text("axis,criterion,weight,source,low,high\n", encoding="utf-8")
    source.rename(mini_copy / f"{table.title()} (1).csv")
    [error] = _errors(mini_copy)
    assert error.file == f"{table}.csv" and f"{table.title()} (1).csv" in error.message


def test_other_files_are_no_near_miss() -> None:
    assert near_misses("sales", ["sales.xlsx", "sales_2024.csv", "presales.csv", "spend.csv",
                                 "sales backup.csv"]) == []
    assert near_misses("spend", ["spend_shares.csv", "Spend (3).csv"]) == ["Spend (3).csv"]


def test_kamkit_run_refuses_a_workbook_without_sales(mini_copy: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    (mini_copy / "sales.csv").rename(mini_copy / "Sales.csv")
    code = main(["run", "--workbook", str(mini_copy), "--quarter", "2026Q3",
                 "--output", str(tmp_path / "out")])
    said = capsys.readouterr()
    assert code == 1, said
    assert "sales.csv: error: is missing from" in said.err and "Sales.csv" in said.err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.html"))


@pytest.mark.slow  # writes and reads an .xlsx workbook (openpyxl): about 0.6 s of CPU
def test_a_copied_sheet_is_a_near_miss_too(mini_copy: Path, tmp_path: Path) -> None:
    # Excel names a copied sheet "sales (2)"; the original deleted, the table was empty
    (mini_copy / "sales.csv").rename(mini_copy / "Sales (2).csv")
    (tmp_path / "book").mkdir()
    book = mini_as_xlsx(tmp_path / "book" / "mini.xlsx", mini_copy)
    [error] = _errors(book)
    assert error.file == "sheet 'sales'"
    assert "which has 'Sales (2)': kamkit reads only 'sales'" in error.message
