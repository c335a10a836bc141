"""What an import changes in a workbook folder, planned before anything is written.

Each table file is changed through ``kamkit.edit.csvfile``: its dialect stays (separator,
decimal comma, encoding, line ends) and every row the import does not change stays byte for
byte. Sales rows are replaced only in the months the export covers; a reference row is
added when its code is new and updated only while it is exactly as the import last wrote it
(the manifest's record): a row a person edited, or wrote, is never changed.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from kamkit.edit.csvfile import CsvFile, read_csv_file
from kamkit.importer.aggregate import GRAIN
from kamkit.importer.reference import RefRow
from kamkit.manifest import Manifest
from kamkit.parsing import parse_table
from kamkit.schema import TABLES_BY_NAME, Table

SALES_VALUES = ("revenue", "gross_margin", "volume")


@dataclass
class FilePlan:
    """The change to one table file; ``write`` is None where the file stays as it is."""

    table: str
    path: Path
    write: Callable[[], bytes] | None = None
    created: bool = False
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)  # rows a person changed: untouched
    kept_own: list[str] = field(default_factory=list)  # rows a person wrote: used, untouched


def open_table(folder: Path, table: Table) -> tuple[CsvFile, bool]:
    """A table file of the workbook read for editing, and whether it exists; a missing one
    is an empty file with the schema's header."""
    path = folder / table.file_name
    if path.exists():
        return read_csv_file(path.read_bytes(), table, table.file_name), True
    header = ",".join(table.column_names) + "\n"
    return read_csv_file(header.encode(), table, table.file_name), False


def current_rows(csv: CsvFile) -> dict[str, tuple[int, dict[str, str]]]:
    """Code -> (row, cells as written) of a reference table's file (the first of a repeated
    code: validation reports the others)."""
    key = csv.table.key[0]
    rows: dict[str, tuple[int, dict[str, str]]] = {}
    for row in csv.records:
        cells = {n: c.strip() for n, c in zip(csv.header_names, csv.cells(row), strict=True)}
        rows.setdefault(cells.get(key, ""), (row, cells))
    return rows


def _texts(csv: CsvFile, values: dict[str, Any]) -> dict[str, str]:
    return {n: c for n, c in zip(csv.header_names, csv.cells_of(values), strict=True)
            if n in values}


def _plan(csv: CsvFile, exists: bool, folder: Path, plan: FilePlan,
          replace: dict[int, list[str]], delete: set[int], add: list[list[str]]) -> FilePlan:
    if replace or delete or add or not exists:
        write, _ = csv.splice(replace, delete, [(None, cells) for cells in add])
        plan.write, plan.created = write, not exists
    return plan


def plan_reference(folder: Path, table_name: str, rows: dict[str, RefRow],
                   manifest: Manifest) -> FilePlan:
    """Add the new codes' rows; update a row the import wrote and nobody changed since.
    ``manifest`` is updated with what will be written."""
    table = TABLES_BY_NAME[table_name]
    csv, exists = open_table(folder, table)
    plan = FilePlan(table_name, folder / table.file_name)
    current = current_rows(csv)
    recorded = manifest.rows.get(table_name, {})
    replace: dict[int, list[str]] = {}
    add: list[list[str]] = []
    for code, ref in rows.items():
        texts = _texts(csv, ref.values)
        if code not in current:
            add.append(csv.cells_of(ref.values))
            plan.added.append(code)
            manifest.record(table_name, code, texts, list(ref.placeholders))
            continue
        row, cells = current[code]
        before = recorded.get(code)
        if before is None:
            plan.kept_own.append(code)
        elif any(cells.get(c, "") != v.strip() for c, v in before.items()):
            plan.kept_edited.append(code)
        elif any(cells.get(c, "") != v.strip() for c, v in texts.items()):
            replace[row] = csv.cells_of(ref.values, base=csv.cells(row))
            plan.changed.append(code)
            manifest.record(table_name, code, texts, list(ref.placeholders))
    return _plan(csv, exists, folder, plan, replace, set(), add)


def plan_empty(folder: Path, table_name: str) -> FilePlan | None:
    """A header-only file for a table the workbook folder lacks, so it validates cleanly."""
    table = TABLES_BY_NAME[table_name]
    if (folder / table.file_name).exists():
        return None
    csv, exists = open_table(folder, table)
    return _plan(csv, exists, folder, FilePlan(table_name, folder / table.file_name), {},
                 set(), [])


def _differ(a: pd.Series, b: pd.Series) -> pd.Series:
    """Where two columns of values differ (to a millionth; empty equals empty only)."""
    a, b = a.astype("float64"), b.astype("float64")
    return ~((a.round(6) == b.round(6)) | (a.isna() & b.isna()))


def _label(values: dict[str, Any]) -> str:
    return (f"{values['month']:%Y-%m} {values['account_id']} {values['service']} "
            f"{values['location']}")


def plan_sales(folder: Path, sales: pd.DataFrame,
               zero_margin_months: AbstractSet[pd.Timestamp] = frozenset(),
               ) -> tuple[FilePlan, pd.DataFrame]:
    """Replace the sales of the months ``sales`` covers, keeping rows whose values do not
    change; and the sales table as it will be (typed, in the workbook's columns).

    In ``zero_margin_months`` (an earlier import wrote an unknown margin as 0 there) a kept
    row whose gross margin is still 0 gets an empty one: unknown, as it is.
    """
    table = TABLES_BY_NAME["sales"]
    csv, exists = open_table(folder, table)
    plan = FilePlan("sales", folder / table.file_name)
    existing = parse_table(csv.raw, table, [], quiet=True)
    covered = existing["month"].isin(set(sales["month"]))
    kept = existing[~covered]
    replace: dict[int, list[str]] = {}
    zero = kept["month"].isin(set(zero_margin_months)) & kept["gross_margin"].eq(0)
    for row in kept.index[zero.fillna(False).to_numpy()]:
        replace[int(row)] = csv.cells_of({"gross_margin": None}, base=csv.cells(int(row)))
        plan.changed.append(f"row {row}: gross margin unknown, not 0")
    kept = kept.assign(gross_margin=kept["gross_margin"].mask(zero))
    old = existing[covered].reset_index()
    # a repeated or incomplete key: the export's row replaces it
    bad = old.duplicated(GRAIN) | old[GRAIN].isna().any(axis=1)
    delete = set(old.loc[bad, "row"].astype(int))
    plan.removed += [f"row {row}" for row in sorted(delete)]
    keys = {c: "object" for c in GRAIN if c != "month"}
    joined = sales.astype(keys).merge(old[~bad].astype(keys), on=GRAIN, how="outer",
                                      suffixes=("", "_old"), indicator=True, sort=False)
    add: list[list[str]] = []
    new = joined[joined["_merge"] != "right_only"]
    changed = pd.Series(False, index=new.index)
    for column in SALES_VALUES:
        changed |= _differ(new[column], new[f"{column}_old"])
    for values, both, differs in zip(new.to_dict("records"), new["_merge"] == "both", changed,
                                     strict=True):
        written = {**{c: values[c] for c in sales.columns}, "month": values["month"].date()}
        if not both:
            add.append(csv.cells_of(written))
            plan.added.append(_label(values))
        elif differs:
            row = int(values["row"])
            replace[row] = csv.cells_of(written, base=csv.cells(row))
            plan.changed.append(_label(values))
    for values in joined[joined["_merge"] == "right_only"].to_dict("records"):
        delete.add(int(values["row"]))
        plan.removed.append(_label(values))
    merged = pd.concat([kept[list(sales.columns)], sales], ignore_index=True)
    return _plan(csv, exists, folder, plan, replace, delete, add), merged
