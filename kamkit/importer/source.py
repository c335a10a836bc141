"""Read an export (CSV in any dialect the workbook reader accepts, or .xlsx) into typed lines.

The cells are split by ``kamkit.readers`` and typed by ``kamkit.parsing`` against a table
made from the mapping, so an export's dates and numbers are read exactly as a workbook's
are (separator, decimal comma, Windows-1252, Excel dates). A line whose date, customer,
revenue or margin cannot be read is skipped, with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kamkit.errors import KamkitError
from kamkit.importer.mapping import ImportMapping
from kamkit.parsing import month_first, parse_table, written_date
from kamkit.problems import Problem, Severity, did_you_mean
from kamkit.readers import RawTable, read_csv_bytes, read_sheet_rows
from kamkit.row_keys import repeated_rows
from kamkit.schema import Column, Kind, Table

LINE_COLUMNS = ("date", "customer", "customer_name", "product_group", "site", "city",
                "country", "revenue", "margin", "quantity", "sales_rep", "currency")
"""The columns of ``Export.lines``; ``customer`` is the customer's key in the export (its
id, or its name where no id is mapped); ``site`` is the export's location column."""

_NUMBERS = {"revenue": Kind.MONEY, "cost": Kind.MONEY, "margin": Kind.MONEY,
            "quantity": Kind.NUMBER}


@dataclass(frozen=True)
class Export:
    """An export read: its lines, typed, and what could not be read."""

    file: str
    header: tuple[str, ...]
    lines: pd.DataFrame  # LINE_COLUMNS, index = the row number in the export
    read: int  # data lines in the export
    skipped: tuple[Problem, ...]  # one per unreadable cell; its row is not in ``lines``
    warnings: tuple[Problem, ...]
    margin_known: bool
    repeated: tuple[tuple[int, int], ...]  # (line, the earlier line it repeats exactly)
    skipped_amounts: pd.DataFrame
    """Per skipped line (index: its row): ``revenue`` where it can be read (NaN where not)
    and the ``year`` its date is written in (NA where none can be told), so the
    reconciliation counts what the export holds beyond the lines imported."""


def sheet_names(path: Path) -> tuple[str, ...]:
    """The sheets of an .xlsx export in their order; none for a CSV file."""
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.is_file():
        return ()
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise KamkitError(f"{path} cannot be opened as an .xlsx file ({exc}).") from None
    try:
        return tuple(book.sheetnames)
    finally:
        book.close()


def read_raw(path: Path, sheet: str | None = None,
             problems: list[Problem] | None = None) -> RawTable:
    """The cells of an export: a CSV file, or a sheet (default: the first) of an .xlsx."""
    problems = [] if problems is None else problems
    if not path.is_file():
        raise KamkitError(f"No export at {path}: give a .csv or .xlsx file.")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl  # only xlsx exports pay for it

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise KamkitError(f"{path} cannot be opened as an .xlsx file ({exc}).") from None
        try:
            names = {name.strip().lower(): name for name in book.sheetnames}
            if sheet is not None and sheet.strip().lower() not in names:
                raise KamkitError(f"{path} has no sheet {sheet!r}; its sheets are "
                                  f"{', '.join(book.sheetnames)}.")
            name = names[sheet.strip().lower()] if sheet else book.sheetnames[0]
            return read_sheet_rows(name, f"{path.name}[{name}]",
                                   book[name].iter_rows(values_only=True), problems)
        finally:
            book.close()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KamkitError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    # a line pasted in another encoding is imported as read (its likely characters) and
    # named in a warning, not skipped: its revenue counts
    return read_csv_bytes(data, "export", path.name, problems, odd_lines=Severity.WARNING)


def require_columns(raw: RawTable, columns: Mapping[str, str]) -> None:
    """Raise a ``KamkitError`` naming each mapping field (field -> export column) whose
    column the export lacks, with a close match, and the export's columns once."""
    missing = [(field, c) for field, c in columns.items() if c not in raw.cells.columns]
    if missing:
        header = [c for c in raw.cells.columns if c]
        named = [f"{field} column {c!r}" + (f" ({close[0].lower()}{close[1:]})" if (
            close := did_you_mean(c, header).strip()) else "") for field, c in missing]
        which = named[0] if len(named) == 1 else (
            ", ".join(named[:-1]) + " and " + named[-1])
        verb = "is" if len(named) == 1 else "are"
        raise KamkitError(f"The mapping's {which} {verb} not in {raw.file}; its columns are: "
                          f"{', '.join(header)}.")


def _line_table(mapping: ImportMapping, raw: RawTable) -> Table:
    """The export's mapped columns as a workbook-style table, so ``parse_table`` types them."""
    customer = mapping.customer_id or mapping.customer_name
    required = {mapping.date, mapping.revenue, customer, mapping.cost, mapping.margin}
    kinds: dict[str, Kind] = {}
    for field, column in mapping.columns().items():
        kind = Kind.DATE if field == "date" else _NUMBERS.get(field, Kind.TEXT)
        if field == "margin" and mapping.margin_kind == "percent":
            kind = Kind.NUMBER
        if kinds.setdefault(column, kind) is not kind:
            raise KamkitError(f"The mapping names the column {column!r} for two different "
                              f"kinds of fact (one of them {field}); map each to its own "
                              "column.")
    require_columns(raw, mapping.columns())
    return Table("export", "an export", tuple(
        Column(name, kind, "", "", required=name in required) for name, kind in kinds.items()),
        key=())


def _percent_free(raw: RawTable, column: str) -> RawTable:
    """``23%`` read as 23: a percentage column may carry its sign."""
    cells = raw.cells.copy()
    cells[column] = cells[column].map(
        lambda v: v.replace("%", "").strip() if isinstance(v, str) else v)
    return RawTable(raw.name, raw.file, cells, raw.separator)


def _text(frame: pd.DataFrame, column: str | None) -> pd.Series:
    if column is None:
        return pd.Series("", index=frame.index, dtype="string")
    return frame[column].fillna("").astype("string").str.strip()


def month_first_reason(file: str, row: int, text: str) -> str:
    """Why an export whose dates are written month first cannot be imported as it is."""
    return (f"{file} writes its dates month first (row {row}: {text!r}); kamkit reads a date "
            "with slashes day first, so other dates would be read wrongly. Export the dates "
            "as YYYY-MM-DD (or DD-MM-YYYY).")


def _refuse_month_first(raw: RawTable, column: str) -> None:
    """Refuse an export whose dates are written month first (07/19/2024, or each a month's
    first day as US Excel writes it, 3/1/2021): read day first, as the workbook reader
    does, 07/03/2024 would silently become 7 March, and 3/1/2021 3 January."""
    found = month_first(raw.cells[column].items(), monthly=True)
    if found is not None:
        raise KamkitError(month_first_reason(raw.file, *found))


def repeated_lines(cells: pd.DataFrame) -> tuple[tuple[int, int], ...]:
    """Each line whose every cell (mapped or not) equals an earlier line's, with that earlier
    line's row number: a real export can hold two equal lines, but so can one exported twice."""
    return repeated_rows(cells.fillna("").astype(str))


def _skipped_amounts(typed: pd.DataFrame, raw: RawTable, mapping: ImportMapping,
                     rows: set[int]) -> pd.DataFrame:
    """The revenue and year of each skipped line (see ``Export.skipped_amounts``): a date
    that does not exist (31-02-2025) still tells its year; a line the reader could not
    split into cells tells neither."""
    index = pd.Index(sorted(rows), name="row")
    read = index[index.isin(typed.index)]
    revenue = typed[mapping.revenue].astype("float64").reindex(index)
    dates = typed[mapping.date].reindex(read)
    years = [date.year if not pd.isna(date) else (
        written[0] if (written := written_date(raw.cells.at[row, mapping.date])) else None)
        for row, date in zip(read, dates, strict=True)]
    year = pd.Series(years, index=read, dtype="Int64").reindex(index)
    return pd.DataFrame({"year": year, "revenue": revenue}, index=index)


def read_export(path: str | Path, mapping: ImportMapping) -> Export:
    """The lines of an export, typed and normalised to one margin amount per line.

    Raises
    ------
    KamkitError
        When the file cannot be read, a mapped column is missing, or the lines are in more
        than one currency (kamkit converts no currencies).
    """
    path = Path(path)
    problems: list[Problem] = []
    raw = read_raw(path, mapping.sheet, problems)
    if raw.cells.empty:
        raise KamkitError(f"{raw.file} holds no data lines under its header.")
    if mapping.margin and mapping.margin_kind == "percent":
        raw = _percent_free(raw, mapping.margin)
    table = _line_table(mapping, raw)
    subset = RawTable(raw.name, raw.file, raw.cells[list(table.column_names)], raw.separator)
    typed = parse_table(subset, table, problems)
    # an unreadable cell of a required column skips its line; of another column, it is
    # left empty with a warning
    required = {c.name for c in table.columns if c.required}
    _refuse_month_first(raw, mapping.date)
    errors = [p for p in problems if p.severity is Severity.ERROR
              and (p.column is None or p.column in required)]
    problems = [p if p.severity is Severity.WARNING or p in errors else Problem(
        Severity.WARNING, p.file, p.message + " Left empty.", p.row, p.column, p.value)
        for p in problems]
    unreadable = {p.row for p in errors if p.row is not None}
    typed_all = typed
    typed = typed.drop(index=[r for r in unreadable if r in typed.index])
    lines = pd.DataFrame(index=typed.index)
    lines["date"] = typed[mapping.date]
    customer = _text(typed, mapping.customer_id or mapping.customer_name)
    lines["customer"] = customer
    lines["customer_name"] = _text(typed, mapping.customer_name).where(
        lambda s: s != "", customer)
    for field in ("product_group", "city", "country", "sales_rep"):
        lines[field] = _text(typed, getattr(mapping, field))
    lines["site"] = _text(typed, mapping.location)
    revenue = typed[mapping.revenue].astype("float64")
    lines["revenue"] = revenue
    if mapping.cost:
        lines["margin"] = revenue - typed[mapping.cost]
    elif mapping.margin and mapping.margin_kind == "percent":
        lines["margin"] = revenue * typed[mapping.margin] / 100
    elif mapping.margin:
        lines["margin"] = typed[mapping.margin].astype("float64")
    else:
        lines["margin"] = float("nan")  # margin_unknown: written empty, shown as n/a
    lines["quantity"] = (typed[mapping.quantity].astype("float64") if mapping.quantity
                         else float("nan"))
    currency = _text(typed, mapping.currency_column).str.upper()
    lines["currency"] = currency.where(currency != "", mapping.currency)
    currencies = sorted(set(lines["currency"]))
    if len(currencies) > 1:
        counts = lines["currency"].value_counts()
        raise KamkitError(
            f"{raw.file} holds lines in {len(currencies)} currencies "
            f"({', '.join(f'{c}: {n} lines' for c, n in counts.items())}); kamkit converts no "
            "currencies: export one currency at a time, or convert the amounts first.")
    # rows the reader could not split into cells (a stray separator) are lines too
    unsplit = {p.row for p in errors if p.row is not None and p.column is None}
    return Export(raw.file, tuple(raw.cells.columns), lines[list(LINE_COLUMNS)],
                  len(raw.cells) + len(unsplit - set(raw.cells.index)), tuple(errors),
                  tuple(p for p in problems if p.severity is Severity.WARNING),
                  margin_known=not mapping.margin_unknown,
                  repeated=repeated_lines(raw.cells.loc[raw.cells.index.isin(lines.index)]),
                  skipped_amounts=_skipped_amounts(typed_all, subset, mapping,
                                                   unreadable | unsplit))
