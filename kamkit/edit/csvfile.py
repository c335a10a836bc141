"""A CSV table file as it is written, so rows can be changed without touching the others.

The file keeps its dialect: encoding and BOM, separator, quoting, line endings, a missing
final line break, the header as spelled, the decimal mark and date format of its cells.
Records are spliced into the original lines, so every untouched line stays byte for byte.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from kamkit.parsing import _NUMERIC, file_decimal
from kamkit.problems import Problem, Severity, words
from kamkit.readers import (
    RawTable,
    mostly_utf8,
    read_csv_text,
    utf16_encoding,
    with_current_names,
)
from kamkit.schema import Column, Kind, Table, current_column

_BOMS = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}
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

    encoding: str = "utf-8"  # or "cp1252", "utf-16-le", "utf-16-be"
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
    header_names: list[str]  # as read (stripped, lower case, a name of an earlier format as
    # it is called now: schema.current_column), in file order
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
               ) -> tuple[Callable[[], bytes], RowMap]:
        """The file with records replaced, deleted and added (after a given row, or at the
        end for None): a function giving its bytes, and the row number each record gets.
        Only the edited records are looked at, so this is quick on a long file. Raises
        UnicodeEncodeError for a character the file's encoding cannot hold."""
        delete = set(delete)
        after: dict[int | None, list[tuple[int, list[str]]]] = {}
        for i, (anchor, cells) in enumerate(add):
            after.setdefault(anchor if anchor in self.records else None, []).append((i, cells))
        edited = sorted({*replace, *delete, *(a for a in after if a is not None)},
                        key=lambda row: self.records[row].start)
        chunks: list[list[str]] = []  # the new file, as runs of lines
        rows = RowMap(delete)
        position, offset = 0, 0
        for row in edited:
            record = self.records[row]
            chunks.append(self.lines[position:record.start])
            own = ([] if row in delete else _lines(self.line(replace[row])) if row in replace
                   else self.lines[record.start:record.end])
            chunks.append(own)
            line = record.start + offset + len(own)
            if row not in delete:
                rows.explicit[row] = line
            for i, cells in after.get(row, []):
                chunks.append(_lines(self.line(cells)))
                line += len(chunks[-1])
                rows.explicit[("new", i)] = line
            offset = line - record.end
            rows.shift(record.end, offset)
            position = record.end
        chunks.append(self.lines[position:])
        line = len(self.lines) + offset
        for i, cells in after.get(None, []):
            chunks.append(_lines(self.line(cells)))
            line += len(chunks[-1])
            rows.explicit[("new", i)] = line
        new_text = "".join(line for chunk in chunks[1::2] for line in chunk)
        encode(new_text, self.dialect)  # fails now, not at the write, for a character
        end = self.dialect.line_end

        def write() -> bytes:
            out: list[str] = []
            for chunk in chunks:
                if chunk and out and not out[-1].endswith(("\n", "\r")):
                    out[-1] += end  # the file had no final line break; lines follow now
                out.extend(chunk)
            text = "".join(out)
            if not self.dialect.final_newline and text.endswith(end):
                text = text[: -len(end)]
            return encode(text, self.dialect)

        return write, rows


def _lines(text: str) -> list[str]:
    return io.StringIO(text, newline="").readlines()


class RowMap:
    """Old row number -> new row number after a splice: given for the edited and added
    records, and for all others their old number plus the lines added or removed above."""

    def __init__(self, deleted: set[int]) -> None:
        self.deleted = deleted
        self.explicit: dict[Any, int] = {}
        self._ends: list[int] = []
        self._offsets: list[int] = []

    def shift(self, end: int, offset: int) -> None:
        """Records that end after line ``end`` move by ``offset`` lines in all."""
        self._ends.append(end)
        self._offsets.append(offset)

    def __contains__(self, row: Any) -> bool:
        return row in self.explicit or (isinstance(row, int | np.integer)
                                        and row not in self.deleted)

    def __getitem__(self, row: Any) -> int:
        if row in self.explicit:
            return self.explicit[row]
        if row in self.deleted or not isinstance(row, int | np.integer):
            raise KeyError(row)
        at = bisect.bisect_left(self._ends, row) - 1
        return int(row) + (self._offsets[at] if at >= 0 else 0)

    def get(self, row: Any, default: Any = None) -> Any:
        try:
            return self[row]
        except KeyError:
            return default

    def map_index(self, index: pd.Index) -> pd.Index:
        """New numbers for rows none of which was deleted, all at once."""
        values = index.to_numpy(dtype="int64")
        at = np.searchsorted(np.asarray(self._ends, dtype="int64"), values, side="left") - 1
        offsets = np.asarray([0, *self._offsets], dtype="int64")[at + 1]
        out = values + offsets
        edited = [row for row in self.explicit if not isinstance(row, tuple)]
        for position, row in zip(index.get_indexer(edited), edited, strict=True):
            if position >= 0:
                out[position] = self.explicit[row]
        return pd.Index(out, name=index.name)


def encode(text: str, dialect: Dialect) -> bytes:
    """Raises UnicodeEncodeError for a character the file's encoding cannot hold."""
    return (_BOMS[dialect.encoding] if dialect.bom else b"") + text.encode(dialect.encoding)


def _decode(data: bytes, label: str, problems: list[Problem]) -> tuple[str, str, bool]:
    """The text, its encoding and whether it starts with a byte order mark: a save writes
    the file back the way it came (UTF-16 from Excel's "Unicode text" stays UTF-16)."""
    utf16 = utf16_encoding(data)
    if utf16 is not None:
        encoding = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}.get(data[:2], utf16)
        bom = data.startswith(_BOMS.get(encoding, b"-"))
        try:
            return data[2 if bom else 0:].decode(encoding), encoding, bom
        except UnicodeDecodeError:
            # read_csv_text's reader reports it; an unreadable file is never written back
            problems.append(Problem.said(Severity.ERROR, label, words("problem.read.utf16")))
            return "", encoding, bom
    bom = data.startswith(_BOMS["utf-8"])
    try:
        return data[3 if bom else 0:].decode("utf-8"), "utf-8", bom
    except UnicodeDecodeError:
        if (mixed := mostly_utf8(data)) is not None:
            # read as the workbook's reader reads it (the odd lines' likely characters); a
            # save writes them in UTF-8, as its error asks
            return mixed[0], "utf-8", bom
        return data.decode("cp1252", errors="replace"), "cp1252", False


def read_csv_file(data: bytes, table: Table, label: str) -> CsvFile:
    problems: list[Problem] = []
    text, encoding, bom = _decode(data, label, problems)
    raw = with_current_names(read_csv_text(text, table.name, label, problems), problems)
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
    names = [current_column(table.name, c.strip().lower()) for c in header or []]
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


__all__ = ["CsvFile", "Dialect", "RowMap", "format_cell", "read_csv_file"]
