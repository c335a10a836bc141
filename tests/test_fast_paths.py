"""The fast paths of loading give exactly what the careful paths give: CSV text split by
Arrow against the csv module, and an account's slice taken from the index against a scan."""

from __future__ import annotations

import random
import sys

import pandas as pd
import pytest

import kamkit.readers as readers
from kamkit import Workbook, load_workbook
from kamkit.parsing import parse_table
from kamkit.problems import Problem
from kamkit.readers import RawTable, read_csv_text
from kamkit.schema import TABLES, Kind


def test_whitespace_is_what_str_strip_removes() -> None:
    every = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert set(readers._WHITESPACE) == every


def _careful(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[RawTable, list[Problem]]:
    problems: list[Problem] = []
    with monkeypatch.context() as patch:
        patch.setattr(readers, "_plain_cells", lambda *_: None)
        return read_csv_text(text, "t", "t.csv", problems), problems


def _random_csv(rng: random.Random) -> str:
    separator = rng.choice(";,\t")
    end = rng.choice(["\n", "\r\n", "\r"])
    width = rng.randint(1, 5)
    cells = ["a", "B", " ", "", "12", "3,5", " x ", "\u3000", "\x1c", "é", "a b"]
    if rng.random() < 0.5:  # quotes around whole cells (Excel's way)
        cells += ['"x, y"', '"a;b"', '""', '" "', '"q"', '"x\ty"', '"\u3000"']
    if rng.random() < 0.3:  # and otherwise
        cells += ['a"b', '"a""b"', '"a"b', '"two\nlines"', '"open']
    lines = [separator.join(f"Col{i}" for i in range(width))]
    for _ in range(rng.randint(0, 12)):
        kind = rng.random()
        if kind < 0.05:
            lines.append("")  # an empty line
        elif kind < 0.1:
            lines.append(separator * (width - 1))  # a row of empty cells
        else:  # now and then a row of another width
            count = width + (rng.choice([-1, 1]) if kind < 0.15 and width > 1 else 0)
            lines.append(separator.join(rng.choice(cells) for _ in range(count)))
    return end.join(lines) + (end if rng.random() < 0.7 else "")


@pytest.mark.sample(30)  # conftest.py
@pytest.mark.parametrize("seed", range(300))
def test_plain_csv_split_as_the_csv_module_does(seed: int,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    text = _random_csv(random.Random(seed))
    problems: list[Problem] = []
    fast = read_csv_text(text, "t", "t.csv", problems)
    careful, expected = _careful(text, monkeypatch)
    assert problems == expected
    assert fast.separator == careful.separator
    # the plain path keeps Arrow strings, the careful one Python objects: the same texts
    pd.testing.assert_frame_equal(fast.cells.astype(object), careful.cells)


def test_plain_path_is_taken_for_a_plain_file() -> None:
    assert readers._plain_cells("a;b\n1;2\n", ";") is not None
    assert readers._plain_cells('a;b\n"1;5";2\n', ";") is not None  # quoted cells
    assert readers._plain_cells('a;b\n"1""";2\n', ";") is None  # a quote inside
    assert readers._plain_cells('a;b\n"1\n2";2\n', ";") is None  # over two lines
    assert readers._plain_cells('a;b\n1"2;2\n', ";") is None  # inside a cell
    assert readers._plain_cells("a;b\n1;2;3\n", ";") is None  # a wider row


NUMBERS = ["12", "12.50", "1,234", "1.234", "1.234,5", "12,5", "-3", "+4", ".5", "-,5", " 7 ",
           "", "  ", "abc", "1e3", "12 €", "12 EUR", "12eur", "١٢", "\u00a012", "1\u202f000",
           "99999999999999999999", "0.1234567890123456789", "2026", "1900", "2101", "3.000",
           "-0", "nan", "inf", "1_000", "\x1c5", "10", "11", "0", "5", "4.5", "1.000.000",
           "123.456.789,12", "7.0", "2,025"]
OTHERS = ["A1", "B2", "x", "", "2025-01", "2025-01-31", "a b", "open", "\u00e9t\u00e9"]


def _random_table_csv(rng: random.Random, columns: list[str], numeric: set[str]) -> str:
    separator = rng.choice(",;")
    lines = [separator.join(columns)]
    for _ in range(rng.randint(1, 30)):
        cells = [rng.choice(NUMBERS if name in numeric else OTHERS) for name in columns]
        lines.append(separator.join(cell.replace(separator, "") for cell in cells))
    return "\n".join(lines) + "\n"


@pytest.mark.sample(10)  # conftest.py
@pytest.mark.parametrize("seed", range(60))
def test_numbers_from_arrow_strings_parse_as_from_python_ones(seed: int) -> None:
    rng = random.Random(seed)
    tables = [t for t in TABLES if any(c.kind in (Kind.MONEY, Kind.NUMBER, Kind.INTEGER,
                                                  Kind.YEAR) for c in t.columns)]
    table = tables[seed % len(tables)]
    numeric = {c.name for c in table.columns
               if c.kind in (Kind.MONEY, Kind.NUMBER, Kind.INTEGER, Kind.YEAR)}
    text = _random_table_csv(rng, list(table.column_names), numeric)
    raw = read_csv_text(text, table.name, table.file_name, [])
    assert isinstance(raw.cells.dtypes.iloc[0], pd.StringDtype)  # Arrow split it
    as_objects = RawTable(raw.name, raw.file, raw.cells.astype(object), raw.separator)
    fast: list[Problem] = []
    careful: list[Problem] = []
    typed = parse_table(raw, table, fast)
    pd.testing.assert_frame_equal(typed, parse_table(as_objects, table, careful),
                                  check_exact=True)
    assert fast == careful


def _scanned(workbook: Workbook, account_id: str) -> dict[str, pd.DataFrame]:
    """The slice as a scan of every table computes it."""
    own = {}
    for name in workbook._tables:
        frame = workbook.table(name)
        own[name] = (frame[frame["account_id"] == account_id]
                     if "account_id" in frame.columns else frame)
    relationships = workbook.relationships
    own["relationships"] = relationships[
        relationships["contact_id"].isin(set(own["contacts"]["contact_id"]))]
    return own


@pytest.mark.slow  # every demo account sliced twice, each way
@pytest.mark.parametrize("shuffled", [False, True])
def test_account_slice_is_the_scan(demo: Workbook, shuffled: bool) -> None:
    workbook = demo
    if shuffled:  # rows of an account spread over the table, not kept together
        workbook = demo.with_tables(**{
            name: demo.table(name).sample(frac=1.0, random_state=3)
            for name in ("sales", "contacts", "relationships", "spend", "history")})
    for account_id in workbook.account_ids:
        data = workbook.account(account_id)
        for name, frame in _scanned(workbook, account_id).items():
            pd.testing.assert_frame_equal(data.table(name), frame)


def test_slice_cannot_change_the_workbook(mini_path) -> None:
    workbook = load_workbook(mini_path)
    before = workbook.sales.copy()
    sales = workbook.account("A1").sales
    sales.iloc[0, sales.columns.get_loc("revenue")] = -1.0
    pd.testing.assert_frame_equal(workbook.sales, before)
