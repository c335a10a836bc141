"""A CSV table file as it is written, so rows can be changed without touching the others.

The file keeps its dialect: encoding and BOM, separator, quoting, line endings, a missing
final line break, the header as spelled, the decimal mark and date format of its cells.
Records are spliced into the original lines, so every untouched line stays byte for byte.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from kamkit.parsing import _NUMERIC, file_decimal
from kamkit.problems import Problem
from kamkit.readers import RawTable, read_csv_text
from kamkit.schema import Column, Kind, Table

_BOM = b"\xef\xbb\xbf"
_DATE_STYLES = (
    (re.compile(r"\d{4}-\d{1,2}-\d{1,2}"), "%Y-%m-%d"),
    (re.compile(r"\d{1,2}-\d{1,2}-\d{4}"), "%d-%m-%Y"),
    (re.compile(r"\d{1,2}/\d{1,2}/\d{4}"), "%d/%m/%Y"),
    (re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}"), "%d.%m.%Y"),
    (re.compile(r"\d{4}/\d{1,2}/\d{1,2}"), "%Y/%m/%d"),
)


@dataclass(frozen=True)
class Dialect:
    """How a CSV file is written."""

    encoding: str = "utf-8"  # or "cp1252"
    bom: bool = False
    separator: str = ","
    line_end: str = "\n"
    final_newline: bool = True
    quote_all: bool = False
    decimal: str = "."
    date_format: str = "%Y-%m-%d"
    decimals: dict[str, int] = field(default_factory=dict)  # money/number column -> places


@dataclass(frozen=True)
class Record:
    """One CSV record: its cells and the physical lines [start, end) it spans."""

    start: int
    end: int
    cells: list[str]


@dataclass
class CsvFile:
    """A table file read for editing."""

    table: Table
    label: str
    dialect: Dialect
    lines: list[str]  # physical lines, each with its line break
    header_names: list[str]  # as read: stripped and lower case, in file order
    records: dict[int, Record]  # source row number (the line the record ends on) -> record
    raw: RawTable
    problems: list[Problem]

    def cells(self, row: int) -> list[str]:
        """The cells of a record as written, one per header column."""
        cells = self.records[row].cells
        return cells + [""] * (len(self.header_names) - len(cells))

    def cells_of(self, values: dict[str, Any], base: list[str] | None = None) -> list[str]:
        """A record's cells in the file's column order: ``base`` (the record as it is) with
        the given typed values written in the file's dialect."""
        cells = list(base) if base is not None else [""] * len(self.header_names)
        for position, name in enumerate(self.header_names):
            if name in values:
                cells[position] = format_cell(values[name], self.table.column(name),
                                              self.dialect)
        return cells

    def line(self, cells: list[str]) -> str:
        out = io.StringIO()
        csv.writer(out, delimiter=self.dialect.separator, lineterminator=self.dialect.line_end,
                   quoting=csv.QUOTE_ALL if self.dialect.quote_all else csv.QUOTE_MINIMAL
                   ).writerow(cells)
        return out.getvalue()

    def splice(self, replace: dict[int, list[str]], delete: Iterable[int],
               add: list[tuple[int | None, list[str]]]
               ) -> tuple[Callable[[], bytes], dict[Any, int]]:
        """The file with records replaced, deleted and added (after a given row, or at the
        end for None): a function giving its bytes, and the row number each record gets
        (old row -> new row, and ("new", i) for the i-th added record). Raises
        UnicodeEncodeError for a character the file's encoding cannot hold."""
        delete = set(delete)
        after: dict[int | None, list[tuple[int, list[str]]]] = {}
        for i, (anchor, cells) in enumerate(add):
            after.setdefault(anchor if anchor in self.records else None, []).append((i, cells))
        by_start = {record.start: (row, record) for row, record in self.records.items()}
        end = self.dialect.line_end
        out: list[str] = []
        rows: dict[Any, int] = {}
        line = 0
        while line < len(self.lines):
            if line not in by_start:
                out.append(self.lines[line])
                line += 1
                continue
            row, record = by_start[line]
            line = record.end
            if row not in delete:
                if row in replace:
                    rows[row] = _emit(out, self.line(replace[row]), end)
                else:
                    out.extend(self.lines[record.start:record.end])
                    rows[row] = len(out)
            for i, cells in after.get(row, []):
                rows[("new", i)] = _emit(out, self.line(cells), end)
        for i, cells in after.get(None, []):
            rows[("new", i)] = _emit(out, self.line(cells), end)
        text = "".join(out)
        if not self.dialect.final_newline and text.endswith(end):
            text = text[: -len(end)]
        data = encode(text, self.dialect)
        return (lambda: data), rows


def _emit(out: list[str], text: str, end: str) -> int:
    """Add a record's lines (after a last line that lacked its line break); the line number
    it ends on."""
    if out and not out[-1].endswith(("\n", "\r")):
        out[-1] += end
    out.extend(io.StringIO(text, newline="").readlines())
    return len(out)


def encode(text: str, dialect: Dialect) -> bytes:
    """Raises UnicodeEncodeError for a character the file's encoding cannot hold."""
    return (_BOM if dialect.bom else b"") + text.encode(dialect.encoding)


def read_csv_file(data: bytes, table: Table, label: str) -> CsvFile:
    problems: list[Problem] = []
    bom = data.startswith(_BOM)
    try:
        text = data[len(_BOM) if bom else 0:].decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text, encoding = data.decode("cp1252", errors="replace"), "cp1252"
    raw = read_csv_text(text, table.name, label, problems)
    lines = io.StringIO(text, newline="").readlines()
    records: dict[int, Record] = {}
    header: list[str] | None = None
    header_line = ""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=raw.separator)
    start = 0
    try:
        for cells in reader:
            end = reader.line_num
            if any(c.strip() for c in cells):
                if header is None:
                    header, header_line = cells, "".join(lines[start:end])
                else:
                    records[end] = Record(start, end, cells)
            start = end
    except csv.Error:
        pass  # reported by read_csv_text; the records before it can still be edited
    line_end = "\r\n" if "\r\n" in text else "\r" if "\r" in text and "\n" not in text else "\n"
    dialect = Dialect(
        encoding=encoding, bom=bom, separator=raw.separator, line_end=line_end,
        final_newline=not text or text.endswith(("\n", "\r")),
        quote_all=bool(header) and all(
            part.strip().startswith('"') for part in header_line.rstrip("\r\n").split(
                raw.separator)),
        decimal=file_decimal(raw, table),
        date_format=_date_format(raw, table),
        decimals=_decimals(raw, table, file_decimal(raw, table)))
    names = [c.strip().lower() for c in header or []]
    return CsvFile(table, label, dialect, lines, names, records, raw, problems)


def _date_format(raw: RawTable, table: Table) -> str:
    for column in table.columns:
        if column.kind is Kind.DATE and column.name in raw.cells:
            for value in raw.cells[column.name]:
                text = str(value).strip()
                for pattern, style in _DATE_STYLES:
                    if pattern.fullmatch(text):
                        return style
    return "%Y-%m-%d"


def _decimals(raw: RawTable, table: Table, decimal: str) -> dict[str, int]:
    """The places most cells of each money or number column are written with."""
    places: dict[str, int] = {}
    for column in table.columns:
        if column.kind not in (Kind.MONEY, Kind.NUMBER) or column.name not in raw.cells:
            continue
        counts = Counter(len(text.rsplit(decimal, 1)[1]) if decimal in text else 0
                         for text in (str(v).strip() for v in raw.cells[column.name]) if text)
        if counts:
            places[column.name] = counts.most_common(1)[0][0]
    return places


def format_cell(value: Any, column: Column, dialect: Dialect) -> str:
    """A typed value as the file writes it; text that is not of the column's kind is
    written as it is (validation reports it)."""
    if value is None or value is pd.NA or value is pd.NaT or (
            isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, str):
        return value
    kind = column.kind
    if kind in (Kind.DATE, Kind.MONTH) and isinstance(value, dt.date):
        return value.strftime("%Y-%m" if kind is Kind.MONTH else dialect.date_format)
    if kind in _NUMERIC and isinstance(value, int | float) and not isinstance(value, bool):
        return _number(float(value), column, dialect)
    return str(value)


def _number(value: float, column: Column, dialect: Dialect) -> str:
    if column.kind in (Kind.INTEGER, Kind.YEAR) and value.is_integer():
        return str(int(value))
    places = dialect.decimals.get(column.name, 2 if column.kind is Kind.MONEY else None)
    if places is not None and round(value, places) == value:
        text = f"{value:.{places}f}"
    else:  # more precision than the column shows: keep it, in the shortest form
        text = repr(value) if not value.is_integer() else str(int(value))
        if "e" in text:
            text = f"{value:f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if dialect.decimal == "," else text


__all__ = ["CsvFile", "Dialect", "format_cell", "read_csv_file"]
