"""One account's rows of an editable table: drafts, the edit as row operations on the file
as it is now (merged with what changed there), and the checks of ``kamkit validate`` for
the rows touched and what refers to them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from kamkit.currency import DEFAULT
from kamkit.edit.csvfile import Dialect, RowMap, format_cell
from kamkit.edit.results import Conflict, ConflictError
from kamkit.errors import KamkitError
from kamkit.parsing import parse_table
from kamkit.problems import Problem, Words, words
from kamkit.readers import RawTable
from kamkit.rules import (
    Refused,
    check_contacts,
    check_countries,
    check_emails,
    check_feedback,
    check_keys,
    check_references,
    check_repeats,
    check_spend,
)
from kamkit.rules_criteria import check_criteria, check_judgements
from kamkit.schema import TABLES, TABLES_BY_NAME, Kind, Table

EDITABLE = ("accounts", "contacts", "relationships", "history", "feedback", "spend",
            "spend_shares", "judgements", "criteria")
"""Tables edited per account (sales come from the ERP and are not edited here); criteria,
the portfolio's scoring settings, hold no account: its draft is the whole table."""


class Source(Protocol):
    """A table's file as written (a CSV file or an .xlsx sheet)."""

    table: Table
    label: str
    header_names: list[str]
    raw: RawTable

    @property
    def records(self) -> Mapping[int, Any]: ...

    def cells(self, row: int) -> list[Any]: ...

    def cells_of(self, values: dict[str, Any], base: list[Any] | None = None) -> list[Any]: ...

    def splice(self, replace: dict[int, list[Any]], delete: Any,
               add: list[tuple[int | None, list[Any]]]
               ) -> tuple[Callable[[], bytes], RowMap]: ...


@dataclass
class State:
    """A table as it is on disk now: its source and typed rows."""

    source: Source
    typed: pd.DataFrame
    version: str | None
    _keys: dict[tuple[Any, ...], list[int]] | None = field(default=None, repr=False)
    memo: dict[Any, Any] = field(default_factory=dict, repr=False)  # results for this version

    def rows_with_key(self, keys: set[tuple[Any, ...]]) -> list[int]:
        """The rows whose key is one of ``keys`` (an index built once per version)."""
        if self._keys is None:
            self._keys = {}
            columns = list(self.source.table.key)
            for row, values in zip(self.typed.index, self.typed[columns].itertuples(
                    index=False), strict=True):
                self._keys.setdefault(_key_tuple(values), []).append(row)
        return [row for key in keys for row in self._keys.get(key, [])]


def _key_tuple(values: Any) -> tuple[Any, ...]:
    return tuple(_python(v) for v in values)


@dataclass
class TableDraft:
    """One account's rows of a table as loaded: edit ``frame`` (typed like the workbook's
    tables; index = the row's number in the file loaded, its identity) and pass it to
    ``save_rows``. A new row takes any index label the draft does not have."""

    table: str
    account_id: str
    frame: pd.DataFrame
    version: str | None
    base: pd.DataFrame = field(repr=False)
    cells: dict[int, list[Any]] = field(repr=False)  # the base rows as written


def own_rows(table: str, typed: pd.DataFrame, account_id: str,
             contacts: pd.DataFrame) -> pd.DataFrame:
    """The account's rows: by account_id, relationships by the account's contacts; a table
    of the whole workbook (criteria) has all its rows."""
    if table == "relationships":
        ids = contacts.loc[contacts["account_id"] == account_id, "contact_id"].dropna()
        return typed[typed["contact_id"].isin(set(ids))]
    if "account_id" not in typed.columns:
        return typed
    return typed[typed["account_id"] == account_id]


def row_label(table: Table, values: Mapping[str, Any], row: Any) -> str:
    """How a row is named in conflicts and the change log: its key, or its row number."""
    if table.key and all(_filled(values.get(k)) for k in table.key):
        return f"{table.name}[{', '.join(_text(values[k]) for k in table.key)}]"
    return f"{table.name}[row {row}]"


def _filled(value: Any) -> bool:
    return value is not None and not (pd.api.types.is_scalar(value) and pd.isna(value))


def _text(value: Any) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _written(source: Source, column: str, value: Any) -> str:
    """A value as a comparable text (dtype differences do not count as changes)."""
    if not _filled(value):
        return ""
    if isinstance(value, pd.Timestamp):
        value = value.date()
    return format_cell(value, source.table.column(column), getattr(source, "dialect", None)
                       or _ISO)


_ISO = Dialect()  # how values of a sheet (no dialect of its own) are compared


def _texts(source: Source, values: Mapping[str, Any]) -> dict[str, str]:
    """A row's values as comparable texts (dtype differences do not count as changes)."""
    return {c: _written(source, c, values.get(c)) for c in source.table.column_names}


def _python(value: Any) -> Any:
    if not _filled(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value.item() if hasattr(value, "item") else value


@dataclass
class RowPlan:
    """A save worked out: how to make the bytes to write, the account's rows after it
    (cells as written, by new row number), and what it changes."""

    write: Callable[[], bytes]  # the file's new bytes
    rows: RowMap  # old row number (or ("new", i)) -> row number after the save
    own_cells: dict[int, list[Any]]
    touched: set[int]  # new row numbers of the rows changed or added
    columns: set[str]  # the columns changed in rows kept
    reshaped: bool  # rows added or deleted
    old_own: pd.DataFrame  # the account's rows in the file before the save
    entries: list[tuple[str, Any, Any]]
    merged: tuple[str, ...]
    placed: dict[Any, int] = field(default_factory=dict)
    """The edited frame's row labels -> their row number after the save (rows kept, added)."""


def _records(frame: pd.DataFrame, table: Table) -> dict[Any, dict[str, Any]]:
    """Each row's values by its index label, as plain Python values (dates as dates, missing
    as None)."""
    columns = [c for c in table.column_names if c in frame.columns]
    values = [[_python(v) for v in frame[c].tolist()] for c in columns]
    return {row: dict(zip(columns, cells, strict=True))
            for row, cells in zip(frame.index, zip(*values, strict=True), strict=True)} \
        if columns else {row: {} for row in frame.index}


def plan_rows(state: State, draft: TableDraft, frame: pd.DataFrame,
              resolve: Mapping[str, str] | None, contacts: pd.DataFrame) -> RowPlan:
    """My edit (draft -> ``frame``) as row operations on the file as it is now."""
    source, table = state.source, TABLES_BY_NAME[draft.table]
    resolve = resolve or {}
    if draft.table == "accounts" and any(
            str(v) != draft.account_id for v in frame["account_id"].dropna()):
        raise KamkitError.of(words("wb.error.account_id", file=source.label))
    same_file = state.version == draft.version
    base = _records(draft.base, table)
    mine_rows = base if frame is draft.base else _records(frame, table)  # (rows as read)
    theirs_own = own_rows(draft.table, state.typed, draft.account_id, contacts)
    located = {row: row for row in base} if same_file else _locate(state, draft)
    replace: dict[int, list[Any]] = {}
    delete: set[int] = set()
    entries: list[tuple[str, Any, Any]] = []
    conflicts: list[Conflict] = []
    readd: list[dict[str, Any]] = []
    columns: set[str] = set()

    def clash(label: str, row: Any, mine: dict[str, Any] | None) -> bool:
        """Whether the row changed on disk too: a conflict, unless resolved ("mine" goes
        on, "theirs" drops my change) or they made the same change."""
        if same_file:
            return False
        now = located.get(row)
        theirs = None if now is None else _records(state.typed.loc[[now]], table)[now]
        if theirs is not None and _texts(source, theirs) == _texts(source, base[row]):
            return False  # unchanged there
        if mine is not None and theirs is not None and _texts(source, mine) == _texts(
                source, theirs):
            return True  # the same change: nothing left to do
        choice = resolve.get(label)
        if choice != "mine" and choice != "theirs":
            conflicts.append(Conflict(label, base[row], mine, theirs))
        return choice != "mine"

    for row, old in base.items():
        now = located.get(row)
        mine = mine_rows.get(row)
        if mine is None:
            label = row_label(table, old, row)
            if now is not None and not clash(label, row, None):
                delete.add(now)
                entries.append((label, old, None))
            continue  # (gone there too: nothing to do)
        changed = {c: mine[c] for c in table.column_names if c in mine and (
            mine[c] != old.get(c) and _written(source, c, mine[c]) != _written(
                source, c, old.get(c)))}
        if not changed:
            continue
        label = row_label(table, old, row)  # (only a row changed is named: keystrokes)
        if now is None:  # gone there: a conflict, unless "mine" is chosen and it comes back
            if not clash(label, row, mine):
                readd.append(mine)
                entries.append((label, None, mine))
            continue
        theirs = old if same_file else _records(state.typed.loc[[now]], table)[now]
        kept = _merge_cells(source, label, old, changed, theirs, resolve, conflicts)
        if kept:
            replace[now] = source.cells_of(kept, source.cells(now))
            columns.update(kept)
            entries += [(f"{label}.{c}", theirs.get(c), v) for c, v in kept.items()]
    anchor = int(theirs_own.index.max()) if len(theirs_own) else None
    adds = [(anchor, source.cells_of(mine)) for mine in readd]
    added: dict[Any, int] = {}  # a new row's label -> its place among the adds
    for row, mine in mine_rows.items():
        if row in base:
            continue
        existing = None if same_file else _same_key(state.typed, table, mine)
        if existing is not None and _texts(source, mine) == _texts(
                source, _records(state.typed.loc[[existing]], table)[existing]):
            continue  # they added the same row
        added[row] = len(adds)
        adds.append((anchor, source.cells_of(mine)))
        entries.append((row_label(table, mine, "new"), None, mine))
    if conflicts:
        raise ConflictError(conflicts)
    write, rows = source.splice(replace, delete, adds)
    own_cells = _own_after(source, theirs_own.index, replace, delete, adds, rows)
    touched = {rows[r] for r in replace} | {rows[("new", i)] for i in range(len(adds))}
    merged = () if same_file else _their_changes(state, draft, theirs_own, table)
    placed = {row: rows[located[row]] for row in mine_rows
              if row in base and located.get(row) in rows}
    placed.update({row: rows[("new", i)] for row, i in added.items()})
    return RowPlan(write, rows, own_cells, touched, columns, bool(delete or adds), theirs_own,
                   entries, merged, placed)


def renamed_ids(base: pd.DataFrame, frame: pd.DataFrame, column: str) -> dict[str, str | None]:
    """The ids of ``column`` an edit renames (row kept, id changed) or removes (row gone:
    None), by row label; an id still in ``frame`` elsewhere is not gone."""
    now = set(frame[column].dropna()) if column in frame else set()
    out: dict[str, str | None] = {}
    for row, old in base[column].dropna().items():
        if old in now:
            continue
        new = frame.at[row, column] if row in frame.index else None
        out[str(old)] = str(new) if _filled(new) else None
    return out


def _merge_cells(source: Source, label: str, base: dict[str, Any], changed: dict[str, Any],
                 theirs: dict[str, Any], resolve: Mapping[str, str],
                 conflicts: list[Conflict]) -> dict[str, Any]:
    """My changed cells of a row that can go onto the row as it is on disk now: three-way per
    cell, so another column changed there merges; a cell both sides changed differently is
    a conflict named ``<row>.<column>`` unless ``resolve`` chooses (by cell, or by row for
    all its cells)."""
    kept: dict[str, Any] = {}
    for column, value in changed.items():
        there = _written(source, column, theirs.get(column))
        if there == _written(source, column, base.get(column)):
            kept[column] = value  # unchanged there
            continue
        if there == _written(source, column, value):
            continue  # they made the same change
        cell = f"{label}.{column}"
        choice = resolve.get(cell, resolve.get(label))
        if choice == "mine":
            kept[column] = value
        elif choice != "theirs":
            conflicts.append(Conflict(cell, base.get(column), value, theirs.get(column)))
    return kept


def labelled_like(frame: pd.DataFrame, cells: Mapping[int, list[Any]], draft: TableDraft,
                  table: Table) -> pd.DataFrame:
    """``frame`` (rows of another version of the file, ``cells`` as written) with the row
    labels of ``draft``: a row written the same, else the row with its key; a row the draft
    does not have gets a new (negative) label, as an added row would."""
    by_cells: dict[tuple[str, ...], list[int]] = {}
    for row, written in draft.cells.items():
        by_cells.setdefault(_key_of(written), []).append(row)
    taken: set[int] = set()
    labels: list[int] = []
    for row in frame.index:
        found = next((r for r in by_cells.get(_key_of(cells[row]), []) if r not in taken),
                     None)
        if found is None:
            hit = _same_key(draft.base, table, _records(frame.loc[[row]], table)[row])
            found = hit if hit is not None and hit not in taken else None
        if found is None:
            found = -1 - len(labels)
        taken.add(found)
        labels.append(found)
    return frame.set_axis(labels, axis=0)


def _same_key(typed: pd.DataFrame, table: Table, values: dict[str, Any]) -> int | None:
    """The first row with the key of ``values`` (None for a keyless table or no match)."""
    if not table.key or not all(_filled(values.get(k)) for k in table.key):
        return None
    match = pd.Series(True, index=typed.index)
    for k in table.key:
        column = typed[k]
        match &= (column == pd.Timestamp(values[k])
                  if pd.api.types.is_datetime64_any_dtype(column)
                  else column.astype(object) == values[k])
    hits = typed.index[match.fillna(False).to_numpy()]
    return int(hits[0]) if len(hits) else None


def _locate(state: State, draft: TableDraft) -> dict[int, int | None]:
    """Where each of the draft's rows is in the file now: the same record at the same row,
    else the same record elsewhere, else (keyed tables) the row with its key, else gone."""
    source, table = state.source, TABLES_BY_NAME[draft.table]
    by_cells: dict[tuple[str, ...], list[int]] = {}
    for row in source.records:
        by_cells.setdefault(_key_of(source.cells(row)), []).append(row)
    taken: set[int] = set()
    out: dict[int, int | None] = {}
    base = _records(draft.base, table)
    for row, cells in draft.cells.items():
        if row in source.records and _key_of(source.cells(row)) == _key_of(cells):
            out[row] = row
        else:
            out[row] = next((r for r in by_cells.get(_key_of(cells), []) if r not in taken),
                            None)
            if out[row] is None:
                out[row] = _same_key(state.typed, table, base[row])
        found = out[row]
        if found is not None:
            taken.add(found)
    return out


def _key_of(cells: list[Any]) -> tuple[str, ...]:
    return tuple(str(c) for c in cells)


def _own_after(source: Source, own: pd.Index, replace: dict[int, list[Any]], delete: set[int],
               adds: list[tuple[int | None, list[Any]]], rows: RowMap
               ) -> dict[int, list[Any]]:
    cells = {rows[r]: replace.get(r, source.cells(r)) for r in own if r not in delete}
    cells.update({rows[("new", i)]: c for i, (_, c) in enumerate(adds)})
    return dict(sorted(cells.items()))


def _their_changes(state: State, draft: TableDraft, theirs_own: pd.DataFrame,
                   table: Table) -> tuple[str, ...]:
    base = {_key_of(c) for c in draft.cells.values()}
    now = {row: _key_of(state.source.cells(row)) for row in theirs_own.index}
    changed = [row_label(table, theirs_own.loc[r], r) for r, c in now.items() if c not in base]
    gone = len(base - set(now.values()))
    return tuple(changed) + ((f"{gone} row(s) removed or changed",) if gone else ())


# ---------------------------------------------------------------------- validation
def check(state: State, plan: RowPlan, draft_table: str, account_id: str,
          tables: dict[str, pd.DataFrame], files: dict[str, str], unread: set[str],
          sales_of: pd.DataFrame, currency: str = DEFAULT, refused: Refused | None = None
          ) -> tuple[list[Problem], dict[str, pd.DataFrame]]:
    """What ``kamkit validate`` says about the account's rows after the edit, and about the
    rows that refer to what the edit removed; and the tables as they would be. Only the
    rows changed or added are parsed; the others keep their typed values (renumbered as the
    save will)."""
    source, table = state.source, TABLES_BY_NAME[draft_table]
    problems: list[Problem] = []
    old_own = plan.old_own.index
    new_of = {old: plan.rows[old] for old in old_own if old in plan.rows}
    # rows kept keep their typed values; of a changed row only the changed cells are
    # parsed (a keystroke changes one), an added row is parsed whole
    changed = state.typed.loc[[old for old, new in new_of.items() if new in plan.touched]]
    changed = changed.set_axis(changed.index.map(new_of), axis=0)
    columns = [c for c in table.column_names if c in plan.columns]
    if len(changed) and columns:
        changed[columns] = _parse(source, plan, list(changed.index), columns, problems)[columns]
    added = sorted(plan.touched - set(changed.index))
    kept = state.typed.loc[[old for old, new in new_of.items() if new not in plan.touched]]
    kept = kept.set_axis(kept.index.map(new_of), axis=0)
    parsed = pd.concat([changed, _parse(source, plan, added, list(table.column_names),
                                        problems)]) if added else changed
    own = pd.concat([kept, parsed]).sort_index()
    own.index.name = "row"
    others = state.typed.drop(index=old_own)
    others = others.set_axis(plan.rows.map_index(others.index), axis=0)
    combined = pd.concat([others, own])  # (in file order only where a rule needs it)
    combined.index.name = "row"
    after = {**tables, draft_table: combined}
    if table.key:  # own rows against the rows elsewhere with the same key
        keys = {_key_tuple(v) for v in parsed[list(table.key)].itertuples(index=False)}
        same_key = [plan.rows[r] for r in state.rows_with_key(keys)
                    if r in plan.rows and r not in old_own]
        problems += check_keys(table, pd.concat([own, others.loc[same_key]]).sort_index(),
                               source.label)
    else:  # the account's rows hold every row its own rows can repeat
        problems += check_repeats(table, own, source.label)
    problems += check_references(table, own, source.label, after, unread, refused)
    problems += check_emails(own, source.label)  # warnings, as `kamkit validate` says them
    problems += check_countries(table, own, source.label)
    if draft_table == "contacts":  # the account's org chart and what reports into it
        ids = set(own["contact_id"].dropna()) | set(plan.old_own["contact_id"].dropna())
        mine = combined.index.isin(list(plan.own_cells)) | combined["reports_to"].isin(ids)
        # rows elsewhere with the same contact_id too: a repeated id is not judged, as in
        # `kamkit validate` (rules.check_contacts), so the repeat must be seen here
        near = combined[mine | combined["account_id"].isin(set(own["account_id"].dropna()))
                        | combined["contact_id"].isin(set(own["reports_to"].dropna()) | ids)
                        ].sort_index()
        judged = set(combined.index[mine])
        problems += [p for p in check_contacts(near, source.label) if p.row in judged]
    if draft_table == "feedback":
        problems += check_feedback(own, source.label)
    if draft_table in ("spend", "spend_shares"):
        problems += _spend(state, plan, draft_table, account_id, own, tables, files, sales_of,
                           currency)
    if draft_table == "criteria":  # the weights of each axis add up to 100, as typed
        problems += check_criteria(combined.sort_index(), source.label)
        problems += [p for p in check_judgements(after["judgements"], combined, files[
            "judgements"], source.label) if p.file == source.label]
    if draft_table == "judgements":
        problems += [p for p in check_judgements(own, after["criteria"], source.label, files[
            "criteria"]) if p.file == source.label]
    problems += _referrers(draft_table, plan.old_own, own, after, files, unread, refused)
    return _removals_said(problems, table, plan, own), after


def _removals_said(problems: list[Problem], table: Table, plan: RowPlan,
                   own: pd.DataFrame) -> list[Problem]:
    """A reference to an id this edit deletes or renames said as that, with the rows that
    refer to it, not as a typo among every known id."""
    gone: dict[str, Words] = {}
    for column in table.columns:
        if column.kind is not Kind.ID or column.name not in own:
            continue
        kept = set(own[column.name].dropna())
        for old, value in plan.old_own[column.name].dropna().items():
            if value in kept:
                continue
            name = plan.old_own.at[old, "name"] if "name" in plan.old_own else None
            who = {"id": str(value), "name": f" ({name})" if _filled(name) else ""}
            new = own.at[plan.rows[old], column.name] if old in plan.rows else None
            gone[str(value)] = (words("problem.removed.renamed", new=str(new), **who)
                                if _filled(new) else words("problem.removed.deleted", **who))
    said = [p for p in problems if p.value in gone and p.words is not None
            and p.words.key in ("problem.unknown_reference", "problem.not_in_table")]
    if not said:
        return problems
    rows: dict[tuple[str, str | None, str | None], list[int]] = {}
    for p in said:
        rows.setdefault((p.file, p.column, p.value), []).append(p.row or 0)
    return [p if p not in said else Problem.said(
        p.severity, p.file, words("problem.removed.referred", what=gone[str(p.value)],
                                  count=len(found := rows[(p.file, p.column, p.value)]),
                                  rows=", ".join(map(str, sorted(found))),
                                  column=repr(p.column)),
        row=p.row, column=p.column, value=p.value) for p in problems]


_SUMMED = {"account_id", "year", "service", "location", "holder", "spend"}


def _spend(state: State, plan: RowPlan, draft_table: str, account_id: str, own: pd.DataFrame,
           tables: dict[str, pd.DataFrame], files: dict[str, str],
           sales_of: pd.DataFrame, currency: str) -> list[Problem]:
    """The sums of the account's wallet cells; an edit that changes no amount, cell or row
    count (a source, a confidence) leaves them as they were, so they are judged once."""
    other = "spend_shares" if draft_table == "spend" else "spend"
    memo_key = ("spend", account_id)
    if not plan.reshaped and not plan.columns & _SUMMED and memo_key in state.memo:
        frame, sales, problems = state.memo[memo_key]
        if frame is tables[other] and sales is sales_of:
            return problems
    slices = {draft_table: own, other: tables[other][tables[other]["account_id"] == account_id]}
    problems = check_spend({**slices, "sales": sales_of}, files, currency)
    if not plan.reshaped and not plan.columns & _SUMMED:
        state.memo[memo_key] = (tables[other], sales_of, problems)
    return problems


def _parse(source: Source, plan: RowPlan, rows: list[int], columns: list[str],
           problems: list[Problem]) -> pd.DataFrame:
    """The typed cells of the given rows and columns as they will be written; what does not
    fit its column is added to ``problems`` (with kamkit's own messages)."""
    table = source.table
    names = list(source.raw.cells.columns)
    raw = pd.DataFrame([["" if c is None else c for c in plan.own_cells[r][: len(names)]]
                        for r in rows], columns=names, index=pd.Index(rows, name="row"),
                       dtype=object)
    found: list[Problem] = []
    parsed = parse_table(RawTable(table.name, source.label,
                                  raw[[n for n in names if n in columns]], source.raw.separator),
                         table, found)
    problems += [p for p in found if p.row in set(rows)]
    return parsed


def _referrers(draft_table: str, old_own: pd.DataFrame, own: pd.DataFrame,
               after: dict[str, pd.DataFrame], files: dict[str, str],
               unread: set[str], refused: Refused | None = None) -> list[Problem]:
    """Rows of other tables (or other rows of this one) that point at an id the edit
    removed: a relationship to a deleted contact, a reports_to of a renamed contact."""
    problems: list[Problem] = []
    for column in TABLES_BY_NAME[draft_table].columns:
        ref = f"{draft_table}.{column.name}"
        if column.kind is not Kind.ID:
            continue
        removed = set(old_own[column.name].dropna()) - set(own[column.name].dropna())
        if not removed:
            continue
        for other in TABLES:
            for referring in other.columns:
                if referring.refers_to != ref:
                    continue
                frame = after[other.name]
                pointing = frame[frame[referring.name].isin(removed)]
                if draft_table == other.name:
                    pointing = pointing.drop(index=own.index, errors="ignore")
                if not pointing.empty:
                    problems += [p for p in check_references(
                        other, pointing, files[other.name], after, unread, refused)
                        if p.column == referring.name]
    return problems
