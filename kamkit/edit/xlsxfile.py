"""A table sheet of an .xlsx workbook, for editing one account's rows.

openpyxl writes the edited sheet back and keeps the other sheets, their values, formulas
and styles; what it cannot keep is listed by ``xlsx_losses`` before the first write.
Cells are read as kamkit reads them (values, not formulas) and written only where the edit
changes them, so a formula elsewhere in a row stays a formula.
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kamkit.edit.csvfile import RowMap
from kamkit.problems import Problem
from kamkit.readers import RawTable, read_sheet_rows, with_current_names
from kamkit.schema import Kind, Table

_LOSSES = (
    ("xl/vbaProject.bin", "macros (a VBA project)"),
    ("xl/charts/", "charts (openpyxl rewrites them and drops what it does not know)"),
    ("xl/chartsheets/", "chart sheets"),
    ("xl/pivotTables/", "pivot tables (their layout may be rebuilt)"),
    ("xl/media/", "images"),
    ("xl/drawings/", "drawings and shapes"),
    ("xl/slicers/", "slicers"),
    ("xl/timelines/", "timelines"),
    ("xl/activeX/", "ActiveX controls"),
    ("xl/ctrlProps/", "form controls"),
    ("xl/threadedComments/", "threaded comments"),
    ("xl/externalLinks/", "links to other workbooks"),
    ("customXml/", "custom XML parts"),
)


def xlsx_losses(path: Path) -> list[str]:
    """What the file holds that a save through openpyxl may lose or change, found by looking
    at the parts inside the .xlsx zip (empty: nothing)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (OSError, zipfile.BadZipFile) as exc:
        return [f"the file cannot be opened as a zip ({exc})"]
    found = [what for prefix, what in _LOSSES if any(n.startswith(prefix) for n in names)]
    if path.suffix.lower() == ".xlsm":
        found.append("the macro-enabled format (.xlsm)")
    return found


def _sheet_name(names: Iterable[str], table: str) -> str | None:
    return next((n for n in names if n.strip().lower() == table), None)


@dataclass
class XlsxSheet:
    """One table's sheet as kamkit reads it, with the means to write an edit back."""

    table: Table
    label: str
    path: Path
    header_names: list[str]
    records: dict[int, list[Any]]  # sheet row number -> cell values (as kamkit reads them)
    raw: RawTable
    problems: list[Problem]
    header_row: int = 1

    def cells(self, row: int) -> list[Any]:
        return list(self.records[row])

    def cells_of(self, values: dict[str, Any], base: list[Any] | None = None) -> list[Any]:
        cells = list(base) if base is not None else [None] * len(self.header_names)
        for position, name in enumerate(self.header_names):
            if name in values:
                cells[position] = _cell_value(values[name], self.table, name)
        return cells

    def splice(self, replace: dict[int, list[Any]], delete: Iterable[int],
               add: list[tuple[int | None, list[Any]]]
               ) -> tuple[Callable[[], bytes], RowMap]:
        """What the sheet's rows become (deleted rows close up, new rows go below the last),
        and a function that writes the workbook so."""
        delete = sorted(set(delete))
        rows = RowMap(set(delete))
        rows.explicit.update({row: row - bisect.bisect_left(delete, row)
                              for row in self.records if row not in rows.deleted})
        end = self._last() - len(delete)
        for i in range(len(add)):
            rows.explicit[("new", i)] = end + 1 + i

        def write() -> bytes:
            return self._write(replace, delete, add)

        return write, rows

    def _last(self) -> int:
        return max([*self.records, self.header_row])

    def _write(self, replace: dict[int, list[Any]], delete: list[int],
               add: list[tuple[int | None, list[Any]]]) -> bytes:
        import openpyxl

        book = openpyxl.load_workbook(self.path, keep_links=True, rich_text=True)
        name = _sheet_name(book.sheetnames, self.table.name)
        if name is None:  # a table the workbook does not have yet: a sheet with its header
            sheet = book.create_sheet(self.table.name)
            sheet.append(list(self.table.column_names))
        else:
            sheet = book[name]
        columns = self._columns(sheet)
        for row, cells in replace.items():
            for position, value in enumerate(cells):
                if position < len(self.records[row]) and value != self.records[row][position]:
                    _set(sheet, row, columns[position], value)
        for row in reversed(delete):
            sheet.delete_rows(row)
        last = self._last() - len(delete)
        for i, (_, cells) in enumerate(add):
            for position, value in enumerate(cells):
                if value is not None:
                    _set(sheet, last + 1 + i, columns[position], value, like=last)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def _columns(self, sheet: Any) -> list[int]:
        """The sheet column (1-based) of each header name."""
        found: list[int] = []
        for cell in sheet[self.header_row]:
            if cell.value is not None and str(cell.value).strip():
                found.append(cell.column)
        return found[: len(self.header_names)]


def _set(sheet: Any, row: int, column: int, value: Any, like: int | None = None) -> None:
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if like is not None and like >= 1:  # a new row looks like the row above it
        above = sheet.cell(row=like, column=column)
        if above.has_style:
            cell._style = above._style


def _cell_value(value: Any, table: Table, name: str) -> Any:
    if value is None or value == "":
        return None
    kind = table.column(name).kind
    if kind is Kind.MONTH and isinstance(value, dt.date):
        return value.strftime("%Y-%m")
    return value


def read_sheet(path: Path, table: Table, label: str) -> XlsxSheet:
    """The sheet of ``table`` in the workbook at ``path`` (an empty table if it has none)."""
    import openpyxl

    problems: list[Problem] = []
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        name = _sheet_name(book.sheetnames, table.name)
        values = (list(book[name].iter_rows(values_only=True)) if name
                  else [tuple(table.column_names)])
    finally:
        book.close()
    raw = with_current_names(read_sheet_rows(table.name, label, values, problems), problems)
    header_row = next((i for i, row in enumerate(values, start=1) if any(
        v is not None and str(v).strip() for v in row)), 1)
    width = len(raw.cells.columns)
    records = {int(row): [None if v == "" else v for v in cells]
               for row, cells in zip(raw.cells.index, raw.cells.itertuples(index=False),
                                     strict=True)}
    header = [str(c) for c in raw.cells.columns][:width]
    return XlsxSheet(table, label, path, header, records, raw, problems, header_row)


__all__ = ["XlsxSheet", "read_sheet", "xlsx_losses"]
