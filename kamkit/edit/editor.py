"""``WorkbookEditor``: the one write path of the analyst workbench."""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from kamkit.atomic import write_bytes_atomic
from kamkit.document_reader import with_lines
from kamkit.documents import AccountDocument
from kamkit.edit import documents as docs
from kamkit.edit import history as history_mod
from kamkit.edit import results, undo_log
from kamkit.edit import rows as rows_mod
from kamkit.edit.csvfile import read_csv_file
from kamkit.edit.history import BACKUPS, LOG_COLUMNS, SAVED, History, now, shown, version_of
from kamkit.edit.history import author as default_author
from kamkit.edit.results import Logged, SaveResult, ValidationFailed
from kamkit.edit.xlsxfile import xlsx_losses
from kamkit.errors import KamkitError
from kamkit.parsing import parse_table
from kamkit.problems import Problem, Severity, Words, errors, words
from kamkit.readers import RawTable
from kamkit.rules import Refused, refused_keys
from kamkit.schema import TABLES, TABLES_BY_NAME
from kamkit.workbook import (
    DEMO_WORKBOOK,
    Workbook,
    check_workbook,
    existing_workbook,
    unread_columns,
)


@dataclass(frozen=True)
class _Undo:
    """How to take a save back: the file's bytes before it (None: there was no file), and
    for a merge with later edits, what the save changed from."""

    kind: str  # "document" or "rows"
    account_id: str
    table: str | None
    file: Path
    old: bytes | None = field(repr=False)
    before: Any = field(repr=False)  # the plain tree (document) or the rows (table) before


class WorkbookEditor:
    """Edit one workbook's documents and table rows, safely.

    Parameters
    ----------
    path
        A workbook folder or .xlsx file.
    workbook
        The loaded ``Workbook`` of that path to validate against; else it is read once here.
    author
        Who saves, for the change log (default: $KAMKIT_USER, git's user.name, the login).
    """

    def __init__(self, path: str | Path, workbook: Workbook | None = None,
                 author: str | None = None) -> None:
        self.path = Path(path).resolve()
        existing_workbook(Path(path))
        self.is_xlsx = self.path.is_file()
        self.base = self.path.parent if self.is_xlsx else self.path
        self.author = author or default_author()
        self.history = History(self.base)
        if workbook is None:
            checked = check_workbook(self.path)
            tables = dict(checked.tables)
            self.currency = checked.settings.currency
        else:
            tables = {t.name: workbook.table(t.name) for t in TABLES}
            self.currency = workbook.currency
        self._tables: dict[str, pd.DataFrame] = tables
        self._unread = set().union(*(unread_columns(t, None) for t in TABLES
                                     if not self._has_source(t.name)))
        self._saves: list[SaveResult] = []
        self._states: dict[str, rows_mod.State] = {}
        self._sales_of: dict[str, pd.DataFrame] = {}
        self._raws: dict[str, tuple[str | None, RawTable]] = {}  # by table: (version, raw)
        self._losses_accepted = False
        self._undoing: str | None = None  # the save id of an undo being saved
        # the draft last handed out per (account, table; None: its document): what a save
        # without ``base`` was edited from (see ``save_document``)
        self._handed: dict[tuple[str, str | None], Any] = {}

    # ------------------------------------------------------------------ general
    def _has_source(self, table: str) -> bool:
        if not self.is_xlsx:
            return (self.path / f"{table}.csv").exists()
        return table in self._sheet_names()

    def _sheet_names(self) -> set[str]:
        import openpyxl

        book = openpyxl.load_workbook(self.path, read_only=True)
        try:
            return {name.strip().lower() for name in book.sheetnames}
        finally:
            book.close()

    @property
    def read_only(self) -> str | None:
        """Why this workbook cannot be edited, or None."""
        reason = self.read_only_words
        return None if reason is None else reason.said("en")

    @property
    def read_only_words(self) -> Words | None:
        """``read_only`` as Words, to say in the workbench's language."""
        if self.path == DEMO_WORKBOOK.resolve() or self.path.is_relative_to(
                DEMO_WORKBOOK.resolve()):
            return words("wb.read_only.demo")
        folder = self.base / "documents" if (self.base / "documents").is_dir() else self.base
        for target in (self.path, folder):
            if not os.access(target, os.W_OK):
                return words("wb.read_only.folder", target=str(target))
        return None

    def _writable(self) -> None:
        reason = self.read_only_words
        if reason is not None:
            raise results.ReadOnlyWorkbook.of(reason)

    def relative(self, file: Path) -> str:
        return file.resolve().relative_to(self.base.resolve()).as_posix()

    def _save_id(self) -> str:
        """The id of a new save in the change log (an undo's names the save it undoes)."""
        return self._undoing or uuid.uuid4().hex[:12]

    def _write(self, file: Path, data: bytes | None, old: bytes | None,
               save: str) -> Path | None:
        """Back up ``old`` and write ``data`` atomically (None: remove the file); keep the
        result too, for an undo in a later session."""
        backup = self.history.backup(file, old, save) if old is not None else None
        if data is None:
            file.unlink(missing_ok=True)
        else:
            write_bytes_atomic(file, data)
            self.history.keep_saved(file, data, save)
        return backup

    def _log(self, account_id: str, file: str, entries: list[tuple[str, Any, Any]],
             save: str) -> tuple[Logged, ...]:
        when = now()
        logged = tuple(Logged(when, self.author, account_id, file, where, shown(before),
                              shown(after), save) for where, before, after in entries)
        self.history.append(list(logged))
        return logged

    def log_name(self, account_id: str, table: str | None = None) -> str:
        """How the change log names the file of ``account_id``'s document, or of ``table``."""
        if table is None:
            return self.relative(self._document_file(account_id))
        return self._label(table)

    def changes(self, account_id: str | None = None) -> pd.DataFrame:
        """The change log: when, who, account, file, where (field path or row), before, after
        and the save each entry belongs to; oldest first."""
        return self.history.read(account_id)

    # ------------------------------------------------------------------ documents
    def _document_file(self, account_id: str) -> Path:
        return docs.document_file(self.base, account_id)

    def document(self, account_id: str) -> docs.DocumentDraft:
        """The draft of an account's document; a new one from the template if it has none.
        The editor remembers it: a later ``save_document`` without ``base`` merges with what
        changed on disk since."""
        draft = self._draft(account_id)
        self._handed[(account_id, None)] = draft
        return draft

    def _draft(self, account_id: str) -> docs.DocumentDraft:
        return docs.load_draft(self._document_file(account_id), account_id)

    def _handed_out(self, account_id: str, table: str | None, now: Any, exists: bool) -> Any:
        """The draft a save without ``base`` was edited from: the one this editor last
        handed out (``document``, ``rows`` or a save's result); ``now`` (the file as it is)
        where it handed none out and there is nothing to overwrite, else ``NotLoaded``."""
        handed = self._handed.get((account_id, table))
        if handed is not None:
            return handed
        if exists:
            raise results.NotLoaded(self.log_name(account_id, table), account_id, table)
        return now

    def check_document(self, account_id: str, data: Any) -> list[Problem]:
        """What ``kamkit validate`` would say about ``data`` as the account's document."""
        return docs.check(account_id, data, self._document_file(account_id), self._tables,
                          self._unread, self.currency, self._files(), self._refused())[1]

    def model(self, account_id: str, data: Any) -> AccountDocument:
        """The validated document; raises ``ValidationFailed`` listing the problems."""
        document, problems = docs.check(account_id, data, self._document_file(account_id),
                                        self._tables, self._unread, self.currency,
                                        self._files(), self._refused())
        if document is None or errors(problems):
            raise ValidationFailed(errors(problems))
        return document

    def save_document(self, account_id: str, data: Any, base: docs.DocumentDraft | None = None,
                      resolve: Mapping[str, str] | None = None) -> SaveResult:
        """Validate and write the account's document.

        ``base`` is the draft ``data`` was edited from; by default the draft this editor
        last handed out for the account (by ``document()``, or as a save's
        ``SaveResult.draft``). Changes on disk since then are merged key by key; a key
        changed on both sides raises ``ConflictError`` unless ``resolve`` maps its path to
        "mine" or "theirs". Without ``base``, for an account whose document this editor never
        handed out, a new document is written but an existing one is not replaced
        (``NotLoaded``: nothing says what ``data`` was edited from, so what others wrote
        could be lost): load it with ``document()`` first. Raises ``ValidationFailed``
        (nothing written) for an invalid document.
        """
        result = self._save_document(account_id, data, base, resolve)
        self._handed[(account_id, None)] = result.draft
        return result

    def _save_document(self, account_id: str, data: Any, base: docs.DocumentDraft | None,
                       resolve: Mapping[str, str] | None) -> SaveResult:
        self._writable()
        file = self._document_file(account_id)
        if base is None:
            now = self._draft(account_id)
            draft = self._handed_out(account_id, None, now, now.exists)
        else:
            draft = base
        data = docs.with_dates(data)  # a date typed 15-03-2026 is written 2026-03-15
        problems = errors(self.check_document(account_id, data))
        old = file.read_bytes() if file.exists() else None
        if problems and version_of(old) == draft.version:  # no change on disk to mend it
            raise ValidationFailed(problems)
        try:
            planned = docs.plan(draft, data, old, resolve)
        except results.ConflictError:
            if problems:  # what is wrong with the edit first
                raise ValidationFailed(problems) from None
            raise
        # what is written: the edit merged with the file now (what was stale in the edit,
        # e.g. a contact renamed since, is mended where the edit left it as it was)
        found = self.check_document(account_id, planned.after)
        if errors(found):
            raise ValidationFailed(errors(found))
        bom = b"\xef\xbb\xbf" if old is not None and old.startswith(b"\xef\xbb\xbf") else b""
        new = bom + planned.text.encode("utf-8")
        if new == old:
            return SaveResult(file, None, (), planned.merged, draft=self._draft(account_id),
                              version=version_of(old))
        save = self._save_id()
        backup = self._write(file, new, old, save)
        logged = self._log(account_id, self.relative(file), save=save, entries=[
            (c.where, c.before, c.after) for c in docs.changes_made(planned.before,
                                                                    planned.after)])
        result = SaveResult(file, backup, logged, planned.merged,
                            warnings=tuple(str(p) for p in found),
                            draft=self._draft(account_id), version=version_of(new),
                            undo=_Undo("document", account_id, None, file, old, planned.before))
        self._saves.append(result)
        return result

    # ------------------------------------------------------------------ undo
    def undo(self, result: SaveResult | None = None, *, account_id: str | None = None,
             file: str | None = None, merge: bool = True,
             resolve: Mapping[str, str] | None = None) -> SaveResult:
        """Go back to the version before the last save (or before ``result``).

        The last save is this editor's, else the last one in the change log (a save of an
        earlier session, taken back from its backups); ``account_id`` and ``file`` (as the
        log names it: ``documents/MAAS.yaml``, ``contacts.csv``) narrow which. When the file
        changed since, the undo is merged with those changes like any save (``resolve``
        chooses where both changed the same place); with ``merge=False`` it raises
        ``ChangedSince`` saying so instead. The undo is itself a logged save, and a later
        ``undo()`` does not undo it.
        """
        if result is None:
            result = self._last_save(account_id, file)
        how: _Undo = result.undo
        if how is None:
            raise KamkitError.of(words("wb.error.nothing_changed"))
        self._writable()
        now_bytes = how.file.read_bytes() if how.file.exists() else None
        self._undoing = "undo-" + (result.changes[0].save if result.changes
                                   else uuid.uuid4().hex[:12])
        try:
            undone = self._take_back(result, how, now_bytes, merge, resolve)
        finally:
            self._undoing = None
        if result in self._saves:
            self._saves.remove(result)
        return undone

    def _take_back(self, result: SaveResult, how: _Undo, now_bytes: bytes | None,
                   merge: bool, resolve: Mapping[str, str] | None) -> SaveResult:
        if version_of(now_bytes) == result.version:  # untouched since: the old bytes back
            save = self._save_id()
            backup = self._write(how.file, how.old, now_bytes, save)
            logged = self._log(how.account_id, self.relative(how.file),
                               [(c.where, c.after, c.before) for c in result.changes], save)
            self._after_rows_save(how)
            return SaveResult(how.file, backup, logged, version=version_of(how.old))
        name = self.relative(how.file) if how.table is None else self._label(how.table)
        if how.old is None:
            raise KamkitError.of(words("wb.error.created_since", name=name))
        since = undo_log.changed_since(self.history.read(), name, result.changes)
        if not merge or result.draft is None:
            raise results.ChangedSince(name, since, mergeable=result.draft is not None)
        if how.kind == "document":
            undone = self._save_document(how.account_id, how.before, result.draft,
                                         resolve=resolve)
        else:
            assert how.table is not None  # a rows save names its table
            undone = self._save_rows(how.table, how.account_id, how.before, result.draft,
                                     resolve=resolve)
        if undone in self._saves:
            self._saves.remove(undone)
        if not undone.changes:  # all of it changed since and kept: the save counts as undone
            save = self._save_id()
            undone = dataclasses.replace(undone, changes=self._log(
                how.account_id, name, [("(nothing left to take back)", None, None)], save))
        return undone

    def _last_save(self, account_id: str | None, file: str | None) -> SaveResult:
        """This editor's last save (of ``account_id``, to ``file``), else the change log's."""
        for result in reversed(self._saves):
            if account_id not in (None, result.undo.account_id) or file not in (
                    None, result.changes[0].file if result.changes else None):
                continue
            return result
        found = undo_log.last_save(self.history.read(account_id), file)
        if found is None:
            raise KamkitError.of(words(
                "wb.error.nothing_to_undo",
                of=words("wb.error.undo_of", account=account_id) if account_id else "",
                to=words("wb.error.undo_to", file=file) if file else ""))
        return self._logged_save(*found)

    def _logged_save(self, save: str, entries: pd.DataFrame) -> SaveResult:
        """A save of an earlier session, from the change log and the backups."""
        name, account_id = str(entries["file"].iloc[0]), str(entries["account"].iloc[0])
        changes = tuple(Logged(**{c: str(row[c]) for c in LOG_COLUMNS})
                        for _, row in entries.iterrows())
        table = undo_log.table_of(name, self.path.name if self.is_xlsx else None)
        file = self.base / name if table is None else self._table_file(table)
        old_copy = self.history.find(BACKUPS, file, save)
        saved_copy = self.history.find(SAVED, file, save)
        if saved_copy is None:
            raise KamkitError.of(words("wb.error.copies_gone", name=name, when=changes[0].when,
                                       keep=str(history_mod.KEEP)))
        old = None if old_copy is None else old_copy.read_bytes()
        after = saved_copy.read_bytes()
        draft: docs.DocumentDraft | rows_mod.TableDraft | None
        if table is None:
            draft = docs.draft_of(file, account_id, after)
            before = None if old is None else docs.read_text(docs.decode(old, name), file)
            how = _Undo("document", account_id, None, file, old, before)
        else:
            draft, before = self._rows_between(table, account_id, old, after)
            how = _Undo("rows", account_id, table, file, old, before)
        return SaveResult(file, None, changes, draft=draft, version=version_of(after),
                          undo=how)

    def _rows_between(self, table: str, account_id: str, old: bytes | None,
                      after: bytes) -> tuple[rows_mod.TableDraft | None, pd.DataFrame | None]:
        """The draft of the account's rows as a save wrote them, and its rows before, labelled
        like the draft's (what an undo merges); (None, None) for an .xlsx sheet."""
        if self.is_xlsx or old is None:
            return None, None
        schema = TABLES_BY_NAME[table]
        sources = [self._source(table, data) for data in (after, old)]
        owns = [rows_mod.own_rows(table, parse_table(s.raw, schema, []), account_id,
                                  self._contacts()) for s in sources]
        draft = rows_mod.TableDraft(table, account_id, owns[0].copy(), version_of(after),
                                    owns[0].copy(), {r: sources[0].cells(r) for r in owns[0].index})
        before = rows_mod.labelled_like(owns[1], {r: sources[1].cells(r) for r in owns[1].index},
                                        draft, schema)
        return draft, before

    def _after_rows_save(self, how: _Undo) -> None:
        """After a restore of a table file: validation reads it again."""
        if how.table is not None:
            self._state(how.table)

    # ------------------------------------------------------------------ table rows
    def _table_file(self, table: str) -> Path:
        if table not in rows_mod.EDITABLE:
            raise KamkitError(f"{table!r} cannot be edited here; the tables edited per account "
                              f"are {', '.join(rows_mod.EDITABLE)}.")
        return self.path if self.is_xlsx else self.path / TABLES_BY_NAME[table].file_name

    def _refused(self) -> Refused:
        """The ids in rows of the tables with a one-column key that could not be read (another
        number of cells than the header: only a CSV file has such rows), each with what a
        reference to it says instead of "unknown": that row, as ``kamkit validate`` points
        at it (``rules.refused_keys``). Read again only when a file changed."""
        if self.is_xlsx:
            return {}
        raws = {}
        for table in TABLES:
            file = self.path / table.file_name
            if len(table.key) != 1 or not file.exists():
                continue
            data = file.read_bytes()
            version = version_of(data)
            cached = self._raws.get(table.name)
            if cached is None or cached[0] != version:
                cached = self._raws[table.name] = (version, read_csv_file(
                    data, table, table.file_name).raw)
            raws[table.name] = cached[1]
        return refused_keys(raws)

    def _label(self, table: str) -> str:
        return f"{self.path.name}[{table}]" if self.is_xlsx else TABLES_BY_NAME[table].file_name

    def _files(self) -> dict[str, str]:
        """Each table's name in messages (``_label``)."""
        return {t.name: self._label(t.name) for t in TABLES}

    def _state(self, table: str) -> rows_mod.State:
        """The table as it is on disk now (parsed again only when its bytes changed); the
        tables validation uses follow it."""
        file = self._table_file(table)
        data = file.read_bytes() if file.exists() else None
        version = version_of(data)
        cached = self._states.get(table)
        if cached is not None and cached.version == version:
            return cached
        source = self._source(table, data)
        typed = parse_table(source.raw, TABLES_BY_NAME[table], [])
        state = rows_mod.State(source, typed, version)
        self._states[table] = state
        self._tables[table] = typed
        return state

    def _source(self, table: str, data: bytes | None) -> rows_mod.Source:
        schema = TABLES_BY_NAME[table]
        if self.is_xlsx:
            from kamkit.edit.xlsxfile import read_sheet

            return read_sheet(self.path, schema, self._label(table))
        if data is None:  # a table the workbook does not have yet: its header only
            data = (",".join(schema.column_names) + "\n").encode()
        return read_csv_file(data, schema, self._label(table))

    def rows(self, table: str, account_id: str) -> rows_mod.TableDraft:
        """The account's rows of ``table`` (relationships: those of its contacts), typed like
        the workbook's tables; the index is each row's number in the file, its identity.
        The editor remembers them: a later ``save_rows`` without ``base`` merges with what
        changed on disk since."""
        draft = self._rows(table, account_id)
        self._handed[(account_id, table)] = draft
        return draft

    def _rows(self, table: str, account_id: str) -> rows_mod.TableDraft:
        state = self._state(table)
        own = rows_mod.own_rows(table, state.typed, account_id, self._contacts())
        return rows_mod.TableDraft(table, account_id, own.copy(), state.version, own.copy(),
                                   {row: state.source.cells(row) for row in own.index})

    def table(self, table: str) -> pd.DataFrame:
        """The whole table as it is on disk now, typed as ``load_workbook`` types it: what a
        view shows after a save, without reading the rest of the workbook again."""
        return self._state(table).typed.copy()

    def _contacts(self) -> pd.DataFrame:
        return self._state("contacts").typed

    def _sales(self, account_id: str) -> pd.DataFrame:
        if account_id not in self._sales_of:
            sales = self._tables["sales"]
            self._sales_of[account_id] = sales[sales["account_id"] == account_id]
        return self._sales_of[account_id]

    def _rows_base(self, table: str, account_id: str,
                   base: rows_mod.TableDraft | None) -> rows_mod.TableDraft:
        """``base``, else the rows a save without it was edited from (``_handed_out``)."""
        if base is not None:
            return base
        now = self._rows(table, account_id)
        return self._handed_out(account_id, table, now, not now.frame.empty)

    def _plan_rows(self, table: str, account_id: str, frame: pd.DataFrame,
                   draft: rows_mod.TableDraft, resolve: Mapping[str, str] | None,
                   update_plan: bool = False
                   ) -> tuple[rows_mod.State, rows_mod.RowPlan | None, list[Problem]]:
        state = self._state(table)
        try:
            plan = rows_mod.plan_rows(state, draft, frame, resolve, self._contacts())
        except UnicodeEncodeError as exc:
            return state, None, [Problem.said(
                Severity.ERROR, self._label(table), words(
                    "problem.read.cannot_hold", char=repr(exc.object[exc.start:exc.end]),
                    encoding=exc.encoding))]
        files = self._files()
        problems, after = rows_mod.check(state, plan, table, account_id, self._tables, files,
                                         self._unread, self._sales(account_id), self.currency,
                                         self._refused())
        if table == "contacts":
            named = self._counterparts(account_id, plan.old_own, after)
            renamed = self.plan_references(account_id, frame, draft)[0] if update_plan else {}
            problems += [p for p in named if p.value not in renamed]  # the save updates those
        return state, plan, problems

    def plan_references(self, account_id: str, frame: pd.DataFrame,
                        base: rows_mod.TableDraft | None = None
                        ) -> tuple[dict[str, str | None], list[str]]:
        """The contacts an edit of the account's contacts (``base`` -> ``frame``) renames or
        removes that its plan names as counterparts: old id -> new id (None: removed), and
        where the plan names them. ``save_rows(..., update_plan=True)`` updates the plan."""
        draft = base or self._handed.get((account_id, "contacts")) or self._rows(
            "contacts", account_id)
        renames = rows_mod.renamed_ids(draft.frame, frame, "contact_id")
        file = self._document_file(account_id)
        if not renames or not file.exists():
            return {}, []
        try:
            data = docs.load_draft(file, account_id).data
        except results.UnreadableDocument:  # validation names it; nothing here can follow it
            return {}, []
        referenced = {old: new for old, new in renames.items()
                      if docs.counterparts_renamed(data, {old: new})[1]}
        return referenced, docs.counterparts_renamed(data, referenced)[1]

    def _update_plan(self, account_id: str, renames: Mapping[str, str | None]
                     ) -> SaveResult | None:
        """The account's plan naming each renamed contact by its new id (a logged save)."""
        if not renames:
            return None
        draft = self._draft(account_id)
        data, where = docs.counterparts_renamed(draft.data, renames)
        return self._save_document(account_id, data, draft, None) if where else None

    def _counterparts(self, account_id: str, old_own: pd.DataFrame,
                      after: dict[str, pd.DataFrame]) -> list[Problem]:
        """The account's document naming a contact the edit removes (as a counterpart)."""
        contacts = after["contacts"]
        removed = set(old_own["contact_id"].dropna()) - set(
            contacts.loc[contacts["account_id"] == account_id, "contact_id"].dropna())
        file = self._document_file(account_id)
        if not removed or not file.exists():
            return []
        try:
            draft = docs.load_draft(file, account_id)
        except results.UnreadableDocument:  # validation names it; its references are unknown
            return []
        # the document as on disk: its lines are the file's, as `kamkit validate` names them
        return [p for p in with_lines(docs.check(account_id, draft.base, file, after,
                                                 self._unread, self.currency)[1], file)
                if p.value in removed]

    def check_rows(self, table: str, account_id: str, frame: pd.DataFrame,
                   update_plan: bool = False) -> list[Problem]:
        """What ``kamkit validate`` would say about the account's rows after this edit, and
        about rows elsewhere that refer to what it removes; rows named as in the file. A
        contact the plan names and the edit renames or removes is an error, unless
        ``update_plan`` (the save updates the plan too)."""
        return self.check_placed_rows(table, account_id, frame, update_plan)[0]

    def check_placed_rows(self, table: str, account_id: str, frame: pd.DataFrame,
                          update_plan: bool = False) -> tuple[list[Problem], dict[Any, int]]:
        """``check_rows``, and where the save would place each row of ``frame`` (its index
        label -> its row in the file: the row its problems name, also a row added)."""
        draft = self._handed.get((account_id, table)) or self._rows(table, account_id)
        _, plan, problems = self._plan_rows(table, account_id, frame, draft, None, update_plan)
        return problems, ({} if plan is None else dict(plan.placed))

    def row_problems(self, table: str, account_id: str) -> list[Problem]:
        """What ``check_rows`` says about the account's rows of ``table`` as they are on
        disk: what its editor shows before an edit, without making one (a tab's title)."""
        draft = self._rows(table, account_id)
        return self._plan_rows(table, account_id, draft.base, draft, None)[2]

    def save_rows(self, table: str, account_id: str, frame: pd.DataFrame,
                  base: rows_mod.TableDraft | None = None,
                  resolve: Mapping[str, str] | None = None,
                  update_plan: bool = False) -> SaveResult:
        """Validate and write the account's rows: rows added, changed and deleted.

        ``update_plan`` (contacts): the account's plan follows a contact renamed or removed
        here (its team's counterparts), saved right after the rows as a save of its own.

        ``base`` is the draft ``frame`` was edited from; by default the one this editor last
        handed out (by ``rows()``, or as a save's ``SaveResult.draft``; where it handed none
        out, only an account with no rows in the table yet is saved, else ``NotLoaded``, as
        in ``save_document``). Rows changed on disk since then (other rows, other accounts,
        other cells of the same row) are kept; a cell changed differently here and there
        raises ``ConflictError`` unless ``resolve`` maps its name
        (``contacts[MAAS-C01].title``, or the row's ``contacts[MAAS-C01]`` for all its
        cells) to "mine" or "theirs". Raises ``ValidationFailed`` (nothing written).
        """
        result = self._save_rows(table, account_id, frame, base, resolve, update_plan)
        self._handed[(account_id, table)] = result.draft
        return result

    def _save_rows(self, table: str, account_id: str, frame: pd.DataFrame,
                   base: rows_mod.TableDraft | None, resolve: Mapping[str, str] | None,
                   update_plan: bool = False) -> SaveResult:
        self._writable()
        file = self._table_file(table)
        draft = self._rows_base(table, account_id, base)
        if draft.version is not None and not file.exists():
            # never rebuild a whole table from one account's rows
            raise KamkitError.of(words("wb.error.table_gone", file=self._label(table)))
        renames = self.plan_references(account_id, frame, draft)[0] if (
            update_plan and table == "contacts") else {}
        state, plan, problems = self._plan_rows(table, account_id, frame, draft, resolve,
                                                update_plan)
        if plan is None or errors(problems):
            raise ValidationFailed(errors(problems))
        file = self._table_file(table)
        old = file.read_bytes() if file.exists() else None
        if not plan.entries:
            return SaveResult(file, None, (), plan.merged, draft=self._rows(table, account_id),
                              version=version_of(old), placed=dict(plan.placed))
        self._before_xlsx_write()
        data = plan.write()
        before = state.typed.loc[rows_mod.own_rows(table, state.typed, account_id,
                                                   self._contacts()).index]
        before = before.set_axis([plan.rows.get(r, -1 - i) for i, r in enumerate(before.index)])
        save = self._save_id()
        backup = self._write(file, data, old, save)
        logged = self._log(account_id, self._label(table), plan.entries, save)
        after = self._rows(table, account_id)
        result = SaveResult(file, backup, logged, plan.merged,
                            warnings=tuple(str(p) for p in problems), draft=after,
                            version=version_of(data),
                            undo=_Undo("rows", account_id, table, file, old, before),
                            placed=dict(plan.placed))
        self._saves.append(result)
        if renames:  # after the rows, so the plan is checked against the contacts saved
            try:
                followed = self._update_plan(account_id, renames)
                note = "" if followed is None else (
                    f"The plan follows in {self.relative(followed.file)}: "
                    + ", ".join(f"{c.where}: {c.before} -> {c.after}" for c in followed.changes))
            except KamkitError as error:
                note = (f"The plan still names {', '.join(renames)}: {error} Update it in the "
                        "account's document.")
            if note:
                index = self._saves.index(result)
                result = dataclasses.replace(result, warnings=(*result.warnings, note))
                self._saves[index] = result
        return result

    # ------------------------------------------------------------------ .xlsx
    def xlsx_losses(self) -> list[str]:
        """What an .xlsx workbook holds that saving it through openpyxl may lose or change
        (charts, pivot tables, macros, images, ...); empty for a folder workbook."""
        return xlsx_losses(self.path) if self.is_xlsx else []

    def accept_xlsx_losses(self) -> None:
        """Save the .xlsx even though ``xlsx_losses()`` lists something (a backup is kept)."""
        self._losses_accepted = True

    def _before_xlsx_write(self) -> None:
        if self.is_xlsx and not self._losses_accepted:
            losses = self.xlsx_losses()
            if losses:
                raise results.XlsxLosses(self.path, losses)
