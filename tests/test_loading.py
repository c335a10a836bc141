"""Loading a workbook: CSV dialects, encodings, .xlsx, typed values, immutability, slices."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kamkit import Severity, UnknownAccountError, check_workbook, load_workbook
from kamkit.schema import TABLES


def to_dutch_excel_csv(folder: Path, encoding: str = "utf-8-sig") -> None:
    """Rewrite every CSV as Dutch Excel saves it: ';' separator, decimal comma."""
    for path in folder.glob("*.csv"):
        with path.open(encoding="utf-8") as f:
            rows = list(csv.reader(f))
        out = [[re.sub(r"^(-?\d+)\.(\d+)$", r"\1,\2", cell) for cell in row] for row in rows]
        with path.open("w", encoding=encoding, newline="") as f:
            csv.writer(f, delimiter=";").writerows(out)


def typed_cell(text: str) -> object:
    """What Excel holds for a cell: numbers and dates as such, text as text."""
    if re.fullmatch(r"-?\d+(\.\d+)?", text) and not text.startswith("0"):
        return float(text) if "." in text else int(text)
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return dt.datetime.fromisoformat(text)
    return text or None


def to_xlsx(folder: Path, target: Path) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for path in sorted(folder.glob("*.csv")):
        sheet = book.create_sheet(path.stem)
        with path.open(encoding="utf-8") as f:
            for i, row in enumerate(csv.reader(f)):
                sheet.append(row if i == 0 else [typed_cell(c) for c in row])
    book.save(target)
    shutil.copytree(folder / "documents", target.parent / "documents")
    return target


def frames_equal(a, b) -> None:
    for table in TABLES:
        pd.testing.assert_frame_equal(a.table(table.name).reset_index(drop=True),
                                      b.table(table.name).reset_index(drop=True),
                                      check_dtype=False, obj=table.name)


def test_loads_typed_values(mini_path: Path) -> None:
    workbook = load_workbook(mini_path)
    sales = workbook.sales
    assert sales["revenue"].dtype == "float64"
    assert pd.api.types.is_datetime64_any_dtype(sales["month"])
    assert sales["revenue"].sum() == pytest.approx(4000.0)  # 1000 + 1000 + 1500 + 500
    assert workbook.relationships["strength"].tolist() == [3, 4, 2]
    assert workbook.sales.index.tolist() == [2, 3, 4, 5]  # rows as the user sees them


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_semicolon_and_decimal_comma_read_the_same(mini_copy: Path, mini_path: Path) -> None:
    to_dutch_excel_csv(mini_copy)
    assert (mini_copy / "sales.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM kept
    assert "1500,00;300,00" in (mini_copy / "sales.csv").read_text(encoding="utf-8-sig")
    frames_equal(load_workbook(mini_copy), load_workbook(mini_path))


def test_thousands_separators_in_a_dutch_file(mini_copy: Path) -> None:
    to_dutch_excel_csv(mini_copy)
    path = mini_copy / "spend.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace(
        "A2;2025;CLEAN;NL-RTM;50000", "A2;2025;CLEAN;NL-RTM;50.000,50"), encoding="utf-8")
    spend = load_workbook(mini_copy).spend
    assert spend.loc[spend.account_id == "A2", "spend"].item() == 50000.5


def test_windows_1252_file_is_read_with_a_warning(mini_copy: Path) -> None:
    path = mini_copy / "locations.csv"
    path.write_bytes(path.read_text(encoding="utf-8").replace("Antwerpen", "Düsseldorf")
                     .encode("cp1252"))
    checked = check_workbook(mini_copy)
    warning = next(p for p in checked.problems if p.severity is Severity.WARNING)
    assert warning.file == "locations.csv" and "Windows-1252" in warning.message
    assert "Düsseldorf" in set(checked.tables["locations"]["name"])


def test_a_windows_1252_line_in_a_utf8_file_is_named_and_the_rest_read_as_utf8(
        mini_copy: Path) -> None:
    """A line pasted from a Windows-1252 export into a UTF-8 file: the file is read as
    UTF-8 (its other accented names right, not 'KrÃ¼ger'), and the odd line is an error
    naming its row and column, with its likely text, not a byte offset."""
    path = mini_copy / "contacts.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("Carla Smit", "Carla Krüger")
    pasted = lines[2].replace("Dirk Visser", "René Müller").replace("Facilities", "Bâtiment")
    path.write_bytes("".join(lines[:2]).encode("utf-8") + pasted.encode("cp1252")
                     + "".join(lines[3:]).encode("utf-8"))
    checked = check_workbook(mini_copy)
    odd = [p for p in checked.problems if p.file == "contacts.csv"]
    assert [(p.severity, p.row, p.column, p.value) for p in odd] == [
        (Severity.ERROR, 3, "name", "René Müller"),
        (Severity.ERROR, 3, "department", "Bâtiment")]
    assert "not UTF-8" in odd[0].message and "'CSV UTF-8'" in odd[0].message
    assert "byte" not in odd[0].message
    assert "geen UTF-8" in odd[0].words.said("nl")
    assert {"Carla Krüger", "René Müller"} <= set(checked.tables["contacts"]["name"])


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_xlsx_reads_the_same_as_csv(mini_path: Path, tmp_path: Path) -> None:
    xlsx = to_xlsx(mini_path, tmp_path / "mini.xlsx")
    from_xlsx = load_workbook(xlsx)
    frames_equal(from_xlsx, load_workbook(mini_path))
    assert from_xlsx.account("A1").document is not None  # documents/ beside the file


def test_xlsx_errors_name_the_sheet_and_row(mini_path: Path, tmp_path: Path) -> None:
    xlsx = to_xlsx(mini_path, tmp_path / "mini.xlsx")
    book = openpyxl.load_workbook(xlsx)
    book["sales"]["E3"] = "n/a"  # revenue of the second data row
    book.save(xlsx)
    error = next(p for p in check_workbook(xlsx).problems if p.severity is Severity.ERROR)
    assert (error.file, error.row, error.column, error.value) == (
        "mini.xlsx[sales]", 3, "revenue", "n/a")


def test_damaged_xlsx_is_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip file")
    error = check_workbook(bad).problems[0]
    assert error.severity is Severity.ERROR and "cannot be opened" in error.message


def test_workbook_tables_cannot_be_changed(mini_path: Path) -> None:
    workbook = load_workbook(mini_path)
    sales = workbook.sales
    sales.loc[2, "revenue"] = 999_999.0
    sales["revenue"] *= 2
    assert workbook.sales.loc[2, "revenue"] == 1000.0
    with pytest.raises(AttributeError):
        workbook.path = Path("elsewhere")  # type: ignore[misc]
    with pytest.raises(TypeError):
        workbook.documents["A2"] = workbook.documents["A1"]  # type: ignore[index]


def test_account_slice(mini_path: Path) -> None:
    account = load_workbook(mini_path).account("A1")
    assert account.account.name == "Alpha Logistics B.V."
    assert set(account.sales["account_id"]) == {"A1"}
    assert list(account.contacts["contact_id"]) == ["A1-C1", "A1-C2", "A1-C3"]
    assert len(account.relationships) == 3
    assert len(account.spend) == 3  # A1 has three estimated cells
    assert account.document is not None and account.document.plan is not None
    assert len(account.services) == 3  # reference tables come whole


def test_account_without_anything(mini_path: Path) -> None:
    account = load_workbook(mini_path).account("A2")
    assert account.sales.empty and account.relationships.empty and account.document is None


def test_unknown_account_suggests_a_close_id(mini_path: Path) -> None:
    with pytest.raises(UnknownAccountError, match="Did you mean A1"):
        load_workbook(mini_path).account("a1")


def test_commas_in_text_do_not_make_a_decimal_comma_file(mini_copy: Path) -> None:
    # a semicolon file with decimal points and a comma inside a text cell
    (mini_copy / "spend.csv").write_text(
        "account_id;year;service;location;spend;volume;source;confidence\n"
        "A1;2024;CLEAN;NL-RTM;10000.5;400;interview, facility manager;medium\n"
        "A1;2025;CLEAN;NL-RTM;10000;400;interview;high\n"
        "A1;2025;SEC;BE-ANT;2000;80;estimate;low\n"
        "A2;2025;CLEAN;NL-RTM;50000;2000;tender 2025;medium\n", encoding="utf-8")
    checked = check_workbook(mini_copy)
    assert checked.problems == []
    assert checked.tables["spend"].loc[2, "spend"] == 10000.5


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_cached_loading_sees_every_change(mini_copy: Path) -> None:
    from kamkit.workbook import load_workbook_cached

    first = load_workbook_cached(mini_copy)
    assert load_workbook_cached(mini_copy) is first  # unchanged files: the same workbook
    path = mini_copy / "sales.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("1500.00", "1600.00"),
                    encoding="utf-8")
    second = load_workbook_cached(mini_copy)
    assert second is not first
    assert second.sales["revenue"].sum() == pytest.approx(4100.0)  # 1000+1000+1600+500
