"""Read a workbook's tables as they are written: a folder of CSV files or one .xlsx file.

Nothing is interpreted here beyond splitting text into cells; ``kamkit.parsing`` gives the
cells their types. Each table comes back as a DataFrame of raw cells whose index is the
row number a user sees in Excel or an editor (the header is row 1).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kamkit.problems import Problem, Severity
from kamkit.schema import TABLES, Table

SEPARATORS = (";", ",", "\t")


@dataclass(frozen=True)
class RawTable:
    """The cells of one table, before parsing."""

    name: str
    file: str  # how the user names the source: "sales.csv" or "demo.xlsx[sales]"
    cells: pd.DataFrame  # object dtype, index = source row number
    separator: str = ","  # the CSV separator; "" for a spreadsheet


def _decode(data: bytes, file: str, problems: list[Problem]) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Excel's "CSV (semicolon delimited)" on Windows writes cp1252, not UTF-8.
        problems.append(Problem(
            Severity.WARNING, file,
            f"is not valid UTF-8 (byte {exc.start}); read as Windows-1252. "
            "Save it as 'CSV UTF-8' to be sure accented names are right.",
        ))
        return data.decode("cp1252", errors="replace")


def _separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in SEPARATORS}
    return max(counts, key=lambda sep: counts[sep])


def unique_header(names: list[str], file: str, problems: list[Problem]) -> list[str]:
    """The header with a repeated name reported and its later copies renamed (they are then
    ignored as unknown columns), so each column is read from one place."""
    seen: dict[str, int] = {}
    out = []
    for position, name in enumerate(names, start=1):
        if name and name in seen:
            problems.append(Problem(
                Severity.ERROR, file, f"appears twice in the header (columns {seen[name]} and "
                f"{position}); the first is read, remove or rename the other.",
                row=1, column=name))
            name = f"{name} (column {position})"
        seen.setdefault(name, position)
        out.append(name)
    return out


def read_csv_text(text: str, name: str, file: str, problems: list[Problem]) -> RawTable:
    """Split CSV text into cells, reporting rows with the wrong number of cells."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    separator = _separator(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header: list[str] | None = None
    rows: list[list[str]] = []
    index: list[int] = []
    records = iter(reader)
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a runaway quote that swallows the rest of the file
            problems.append(Problem(Severity.ERROR, file, f"cannot be read further: {exc}; "
                                    "check the quotes from this row on.", row=reader.line_num))
            break
        row_number = reader.line_num  # the line the record ends on: what an editor shows
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = unique_header([cell.strip().lower() for cell in record], file, problems)
            continue
        if len(record) != len(header):
            problems.append(Problem(
                Severity.ERROR, file,
                f"has {len(record)} cells where the header has {len(header)} "
                f"(separator {separator!r}); check for a stray separator or quote.",
                row=row_number,
            ))
            continue
        rows.append(record)
        index.append(row_number)
    if header is None:
        header = []
    cells = pd.DataFrame(rows, columns=header, index=pd.Index(index, name="row"), dtype=object)
    return RawTable(name, file, cells, separator)


def read_csv_bytes(data: bytes, name: str, file: str, problems: list[Problem]) -> RawTable:
    """The cells of a CSV file's bytes, in UTF-8 or (with a warning) Windows-1252."""
    return read_csv_text(_decode(data, file, problems), name, file, problems)


def read_folder(folder: Path, problems: list[Problem]) -> dict[str, RawTable]:
    """Read every known table of a workbook folder; a missing optional table is empty."""
    tables: dict[str, RawTable] = {}
    for table in TABLES:
        path = folder / table.file_name
        if not path.exists():
            _report_missing(table, table.file_name, folder, problems)
            continue
        tables[table.name] = read_csv_bytes(path.read_bytes(), table.name, table.file_name,
                                            problems)
    return tables


def read_xlsx(path: Path, problems: list[Problem]) -> dict[str, RawTable]:
    """Read every known table from the sheets of one .xlsx file."""
    import openpyxl  # imported here: only xlsx workbooks pay for it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        problems.append(Problem(Severity.ERROR, path.name,
                                f"cannot be opened as an .xlsx workbook ({exc})."))
        return {}
    sheets = {name.strip().lower(): name for name in book.sheetnames}
    tables: dict[str, RawTable] = {}
    for table in TABLES:
        if table.name not in sheets:
            _report_missing(table, f"sheet '{table.name}'", path, problems)
            continue
        file = f"{path.name}[{table.name}]"
        tables[table.name] = read_sheet_rows(
            table.name, file, book[sheets[table.name]].iter_rows(values_only=True), problems)
    book.close()
    return tables


def read_sheet_rows(name: str, file: str, values: Iterable[Sequence[object]],
                    problems: list[Problem]) -> RawTable:
    """A table from a sheet's rows of values (the first non-empty row is the header); the
    index is the sheet's row number."""
    header: list[str] | None = None
    rows: list[list[object]] = []
    index: list[int] = []
    for row_number, row in enumerate(values, start=1):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        if header is None:
            header = [str(v).strip().lower() if v is not None else "" for v in row]
            width = max((i + 1 for i, h in enumerate(header) if h), default=0)
            header = unique_header(header[:width], file, problems)
            continue
        cells = list(row[: len(header)])
        cells += [None] * (len(header) - len(cells))
        rows.append(["" if v is None else v for v in cells])
        index.append(row_number)
    frame = pd.DataFrame(rows, columns=header or [], index=pd.Index(index, name="row"),
                         dtype=object)
    return RawTable(name, file, frame, "")


def _report_missing(table: Table, what: str, where: Path, problems: list[Problem]) -> None:
    """An error for a missing required table, a warning for a missing data table; nothing
    for a missing settings table (its documented defaults apply)."""
    name = table.name
    if table.settings:
        return
    if table.required:
        problems.append(Problem(Severity.ERROR, what,
                                f"is missing from {where}; the workbook needs the {name} table."))
    else:
        problems.append(Problem(Severity.WARNING, what,
                                f"is missing from {where}; the {name} table is taken as empty."))
