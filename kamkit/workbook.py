"""The account workbook, loaded once into immutable values, and one account's slice of it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import pickle
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any, Self

import numpy as np
import pandas as pd

from kamkit import workbook_cache
from kamkit.account_errors import attributed, without_accounts
from kamkit.currency import DEFAULT as DEFAULT_CURRENCY
from kamkit.document_reader import apart_from, read_document, with_lines
from kamkit.documents import AccountDocument
from kamkit.errors import KamkitError, UnknownAccountError, WorkbookError
from kamkit.fingerprint import fingerprint
from kamkit.free_memory import load_allocator, release_free_memory
from kamkit.manifest import MANIFEST, read_manifest
from kamkit.notebook_paths import workbook_path
from kamkit.parsing import WRITTEN, parse_table
from kamkit.problems import Problem, Severity, errors, grouped, words
from kamkit.readers import RawTable, folder_tables, max_file_bytes, read_xlsx, sheet_name
from kamkit.rules import (
    check_document,
    check_placeholders,
    check_tables,
    refused_keys,
    remembered_ids,
)
from kamkit.schema import DOCUMENTS_FOLDER, TABLES, TABLES_BY_NAME, Table
from kamkit.settings import Settings, beside_workbook, read_settings, settings_file

DEMO_WORKBOOK = Path(__file__).parent / "demo" / "workbook"


def is_demo(path: str | Path) -> bool:
    """Whether ``path`` is the bundled demo workbook (read-only, and named as such)."""
    return Path(path).resolve() == DEMO_WORKBOOK.resolve()


def _frozen(frame: pd.DataFrame) -> pd.DataFrame:
    # Under copy-on-write a shallow copy shares the data but any change to it copies first,
    # so a caller can never alter the workbook's own tables.
    return frame.copy(deep=False)


@dataclass(frozen=True)
class Account:
    """One row of accounts.csv."""

    account_id: str
    name: str
    sector: str
    country: str
    status: str
    kam: str
    attractiveness: float | None = None
    position: float | None = None


class _Tables:
    """Read-only access to tables by attribute; each access returns a protected view."""

    _tables: MappingProxyType[str, pd.DataFrame]

    @property
    def services(self) -> pd.DataFrame:
        return _frozen(self._tables["services"])

    @property
    def locations(self) -> pd.DataFrame:
        return _frozen(self._tables["locations"])

    @property
    def competitors(self) -> pd.DataFrame:
        return _frozen(self._tables["competitors"])

    @property
    def team(self) -> pd.DataFrame:
        return _frozen(self._tables["team"])

    @property
    def sales(self) -> pd.DataFrame:
        return _frozen(self._tables["sales"])

    @property
    def spend(self) -> pd.DataFrame:
        return _frozen(self._tables["spend"])

    @property
    def spend_shares(self) -> pd.DataFrame:
        return _frozen(self._tables["spend_shares"])

    @property
    def contacts(self) -> pd.DataFrame:
        return _frozen(self._tables["contacts"])

    @property
    def relationships(self) -> pd.DataFrame:
        return _frozen(self._tables["relationships"])

    @property
    def history(self) -> pd.DataFrame:
        return _frozen(self._tables["history"])

    @property
    def feedback(self) -> pd.DataFrame:
        return _frozen(self._tables["feedback"])

    @property
    def judgements(self) -> pd.DataFrame:
        return _frozen(self._tables["judgements"])

    def table(self, name: str) -> pd.DataFrame:
        """A table by its schema name."""
        return _frozen(self._tables[name])

    def with_tables(self, **tables: pd.DataFrame) -> Self:
        """A new value with the named tables replaced (a slice, a filtered view or an edited
        table); this value is never changed.

        Raises
        ------
        KeyError
            For a name that is not one of its tables.
        """
        unknown = sorted(set(tables) - set(self._tables))
        if unknown:
            raise KeyError(f"not a table here: {', '.join(unknown)}")
        return dataclasses.replace(self,  # type: ignore[type-var]  # subclasses are dataclasses
                                   _tables=MappingProxyType({**self._tables, **tables}))


def _grouped(frame: pd.DataFrame, key: pd.Series) -> tuple[pd.DataFrame, dict[str, slice]]:
    """``frame`` with the rows of each key together, and the slice of each key's rows."""
    codes, uniques = pd.factorize(key, sort=False)  # missing keys: -1, never sliced
    order = np.argsort(codes, kind="stable")
    ordered = codes[order]
    starts = np.searchsorted(ordered, np.arange(len(uniques)), side="left")
    stops = np.searchsorted(ordered, np.arange(len(uniques)), side="right")
    together = bool(np.all(np.diff(order) == 1)) if len(order) else True
    if not together:  # are the rows of each key next to each other already?
        firsts = np.full(len(uniques), len(codes))
        lasts = np.full(len(uniques), -1)
        valid = codes >= 0
        positions = np.arange(len(codes))
        np.minimum.at(firsts, codes[valid], positions[valid])
        np.maximum.at(lasts, codes[valid], positions[valid])
        if np.array_equal(lasts - firsts + 1, stops - starts):
            where = {str(k): slice(int(f), int(last) + 1)
                     for k, f, last in zip(uniques, firsts, lasts, strict=True)}
            return frame, where
        frame = frame.take(order)
    where = {str(k): slice(int(a), int(b))
             for k, a, b in zip(uniques, starts, stops, strict=True)}
    return frame, where


@dataclass(frozen=True)
class AccountData(_Tables):
    """One account's slice of every table, with the shared reference tables.

    ``relationships`` holds the links between our team and this account's contacts;
    ``document`` is None when no document has been written for the account yet.
    """

    account: Account
    _tables: MappingProxyType[str, pd.DataFrame] = field(repr=False)
    document: AccountDocument | None = None
    # the first and last month of the workbook's sales as a whole (every account): a year
    # they cover for fewer than 12 months is partial for every account (``periods``)
    sales_months: tuple[pd.Timestamp, pd.Timestamp] | None = None
    currency: str = DEFAULT_CURRENCY  # the workbook's (kamkit.settings): its amounts are in it

    @property
    def account_id(self) -> str:
        return self.account.account_id

    def __repr__(self) -> str:
        rows = ", ".join(f"{name}={len(frame)}" for name, frame in self._tables.items()
                         if "account_id" in frame.columns or name == "relationships")
        document = "with document" if self.document is not None else "no document"
        return f"AccountData({self.account_id!r}, {self.account.name!r}, {document}, {rows})"

    def _repr_html_(self) -> str:
        from kamkit.display import account_card

        return account_card(self, None, None)


@dataclass(frozen=True)
class LeftOut:
    """An account left out of a workbook loaded with ``partial=True``: its row of
    accounts.csv (``row``: its row number there) and the errors in its own data."""

    account: Account
    row: int
    problems: tuple[Problem, ...]

    SHOWN = 5
    """How many of its errors (or groups of the same error, ``grouped``) ``said`` lists."""

    def said(self, language: str = "en") -> str:
        """Its errors in ``language`` on one line, grouped as ``kamkit validate`` groups
        them (a row that could not be read first, what follows from it summed up after):
        each with file, row, column and reason, the first ``SHOWN`` and how many more."""
        from kamkit.labels import t

        groups = grouped(self.problems)
        texts = [g.text(language).replace("\n  ", "; ") for g in groups[:self.SHOWN]]
        rest = sum(len(g.problems) for g in groups[self.SHOWN:])
        if rest:
            texts.append(t("problem.more_errors", language, count=rest))
        return " ".join(texts)


@dataclass(frozen=True)
class Workbook(_Tables):
    """All tables and documents of a workbook; ``problems`` holds its warnings, ``left_out``
    the accounts left out for errors in their own data (only with ``partial=True``)."""

    path: Path
    _tables: MappingProxyType[str, pd.DataFrame] = field(repr=False)
    documents: MappingProxyType[str, AccountDocument] = field(repr=False)
    problems: tuple[Problem, ...] = ()
    settings: Settings = field(default_factory=Settings)  # workbook.yaml: version, currency
    left_out: Mapping[str, LeftOut] = field(default_factory=lambda: MappingProxyType({}),
                                            repr=False)

    @property
    def currency(self) -> str:
        """The currency of every amount in the workbook (ISO 4217; ``workbook.yaml``)."""
        return self.settings.currency

    @property
    def accounts(self) -> pd.DataFrame:
        return _frozen(self._tables["accounts"])

    @property
    def tables(self) -> MappingProxyType[str, pd.DataFrame]:
        """Every table as loaded, by name: what the workbook cache and a run's parcel store
        (read-only: the frames are the workbook's own, never to be changed)."""
        return self._tables

    @property
    def account_ids(self) -> list[str]:
        return list(self._tables["accounts"]["account_id"])

    def account_ids_read(self, status: str | None = None) -> list[str]:
        """The ids of accounts.csv in file order, the accounts ``left_out`` included; only
        those with ``status`` when given."""
        accounts = self._tables["accounts"]
        rows = [(int(row), str(account_id)) for row, account_id, of in zip(
            accounts.index, accounts["account_id"], accounts["status"], strict=True)
            if status is None or of == status]
        rows += [(left.row, account_id) for account_id, left in self.left_out.items()
                 if status is None or left.account.status == status]
        return [account_id for _, account_id in sorted(rows)]

    def key_figures(self, as_of: str | dt.date | None = None) -> pd.DataFrame:
        """Every account's key figures as of a date or quarter (default: today), one row per
        account: see ``kamkit.key_figures.key_figures``."""
        from kamkit.key_figures import key_figures
        from kamkit.periods import parse_as_of

        return key_figures(self, parse_as_of(as_of))

    def _repr_html_(self) -> str:
        from kamkit.display import workbook_html

        return workbook_html(self)

    @cached_property
    def _groups(self) -> dict[str, tuple[pd.DataFrame, dict[str, slice]]]:
        """Per table with an ``account_id`` (and relationships, by their contact's account)
        where each account's rows are: a frame and the slice of it per account, computed
        once, so that a slice is a view instead of a scan of every table. The frame is the
        table itself where each account's rows are together (a file sorted by account),
        else a copy sorted by account, stably (rows keep their order within an account).
        The workbook is immutable, so this never goes stale."""
        keys = {name: frame["account_id"] for name, frame in self._tables.items()
                if "account_id" in frame.columns}
        contacts, relationships = self._tables.get("contacts"), self._tables.get("relationships")
        if (contacts is not None and relationships is not None
                and contacts["contact_id"].is_unique):
            owner = pd.Series(contacts["account_id"].to_numpy(), index=contacts["contact_id"])
            keys["relationships"] = relationships["contact_id"].map(owner)
        return {name: _grouped(self._tables[name], key) for name, key in keys.items()}

    def _rows(self, name: str, account_id: str) -> pd.DataFrame:
        frame, where = self._groups[name]
        return frame.iloc[where.get(account_id, slice(0, 0))]

    def account(self, account_id: str) -> AccountData:
        """One account's slice of every table; an unknown id raises ``UnknownAccountError``,
        an account ``left_out`` a ``WorkbookError`` with the errors in its data."""
        accounts = self._tables["accounts"]
        account_id = str(account_id)
        if account_id in self.left_out:
            raise WorkbookError(str(self.path), list(self.left_out[account_id].problems))
        if account_id not in self._groups["accounts"][1]:
            raise UnknownAccountError(account_id, accounts["account_id"], str(self.path))
        match = self._rows("accounts", account_id)
        row: dict[str, Any] = match.iloc[0].to_dict()
        fields: dict[str, Any] = {k: (None if pd.isna(v) else v) for k, v in row.items()}
        info = Account(**fields)
        own: dict[str, pd.DataFrame] = {}
        for table in TABLES:
            frame = self._tables[table.name]
            if "account_id" in frame.columns and table.name != "accounts":
                own[table.name] = self._rows(table.name, info.account_id)
            else:
                own[table.name] = frame
        if "relationships" in self._groups:
            own["relationships"] = self._rows("relationships", info.account_id)
        else:  # contact ids that are not unique: the links of every contact of the account
            relationships = self._tables["relationships"]
            own["relationships"] = relationships[relationships["contact_id"].isin(
                set(own["contacts"]["contact_id"]))]
        own["accounts"] = match
        return AccountData(info, MappingProxyType(own), self.documents.get(info.account_id),
                           self.sales_months, self.currency)

    @cached_property
    def sales_months(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """The first and last month of the sales history as a whole; None without sales
        (found once: the workbook is immutable, and every account's slice carries it)."""
        months = self._tables["sales"]["month"].dropna()
        return None if months.empty else (months.min(), months.max())


@dataclass(frozen=True)
class Checked:
    """What reading and checking a workbook found."""

    path: Path
    tables: dict[str, pd.DataFrame]
    documents: dict[str, AccountDocument]
    problems: list[Problem]
    settings: Settings = field(default_factory=Settings)

    @property
    def ok(self) -> bool:
        return not any(p.severity is Severity.ERROR for p in self.problems)


def documents_folder(workbook: str | Path) -> Path:
    """The folder of a workbook's account documents: ``documents/`` inside a folder
    workbook, beside an ``.xlsx`` workbook.

    Examples
    --------
    >>> documents_folder("data/kam.xlsx").as_posix(), documents_folder("data").as_posix()
    ('data/documents', 'data/documents')
    """
    return beside_workbook(workbook, DOCUMENTS_FOLDER)


def document_files(folder: Path, problems: list[Problem]) -> list[Path]:
    """The account documents in ``folder``, by account; an account with more than one file
    (``ID.yaml`` and ``ID.yml``) gets an error naming them all and none is read, rather than
    one silently winning."""
    by_stem: dict[str, list[Path]] = {}
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
        by_stem.setdefault(path.stem, []).append(path)
    found = []
    for stem, paths in sorted(by_stem.items()):
        if len(paths) == 1:
            found.append(paths[0])
            continue
        names = ", ".join(f"{DOCUMENTS_FOLDER}/{p.name}" for p in paths)
        problems.append(Problem.said(Severity.ERROR, f"{DOCUMENTS_FOLDER}/{paths[0].name}",
                                     words("problem.read.twice", names=names, account=stem)))
    return found


def unread_columns(table: Table, raw: RawTable | None, failed: bool = False) -> set[str]:
    """The "table.column"s a source does not give (reported as missing when read): rules
    that need them are skipped rather than judging against an empty column. A missing
    table gives none when it is required or its absence is an error (``failed``: it could
    not be read, or is there under another name); an optional one left out is empty."""
    if raw is None:
        return ({f"{table.name}.{c}" for c in table.column_names}
                if table.required or failed else set())
    return {f"{table.name}.{c}" for c in table.column_names
            if c not in raw.cells.columns and table.column(c).required}


def _read_documents(path: Path) -> tuple[list[Problem], list[tuple[
        Path, str, AccountDocument | None, AccountDocument | None, list[Problem]]]]:
    """The problems with the documents folder, and each document file with its label, its
    document (None where it cannot be read), the rest of it where only some fields failed
    (``document_reader.rest_of``) and the problems reading it found."""
    problems: list[Problem] = []
    read = []
    for doc_path in document_files(documents_folder(path), problems):
        label = f"{DOCUMENTS_FOLDER}/{doc_path.name}"
        found: list[Problem] = []
        read.append((doc_path, label, *read_document(doc_path, label, found), found))
    return problems, read


def existing_workbook(path: Path) -> Path:
    """``path`` when it can be a workbook (a folder, or an .xlsx file); a ``KamkitError`` in
    words (said in the session's language) when there is nothing or something else."""
    if not path.exists():
        raise KamkitError.of(words("problem.read.no_workbook", path=str(path)))
    if not path.is_dir() and path.suffix.lower() != ".xlsx":
        raise KamkitError.of(words("problem.read.not_workbook", path=str(path)))
    return path


def check_workbook(path: str | Path | None = None) -> Checked:
    """Read and check a workbook (a folder of CSV files or an .xlsx file); never raises for bad
    data, every finding is a ``Problem``."""
    path = Path(path) if path is not None else DEMO_WORKBOOK
    problems: list[Problem] = []
    max_file_bytes()  # a wrong limit setting is a usage error, not a problem per file
    is_folder = existing_workbook(path).is_dir()
    cell_problems: list[Problem] = []  # said after the reading's and the settings'
    raws: dict[str, RawTable] = {}
    typed: dict[str, pd.DataFrame] = {}
    unread: set[str] = set()  # "table.column" absent from the source: rules skip them
    # Arrow splits the tables' text mostly without holding the GIL: the documents' YAML
    # (Python) is read meanwhile, in a thread (Arrow's buffers stay in this thread's heap,
    # which ``release_free_memory`` empties). Each keeps its own problems, reported in the
    # usual order.
    with ThreadPoolExecutor(max_workers=1) as pool:
        reading = pool.submit(_read_documents, path)
        source = (folder_tables(path, problems) if is_folder
                  else iter(read_xlsx(path, problems).items()))
        for name, raw in source:  # each table typed before the next is read
            table = TABLES_BY_NAME[name]
            unread |= unread_columns(table, raw)
            typed[name] = parse_table(raw, table, cell_problems)
            # what ``attributed`` needs: the header and the rows not read; not the cells
            raws[name] = dataclasses.replace(raw, cells=pd.DataFrame(columns=raw.cells.columns))
            del raw
        folder_problems, documents_read = reading.result()
    release_free_memory()  # the text and cells read, before the checks make their own
    settings = read_settings(path, problems)  # a newer format is refused here
    problems += cell_problems
    tables: dict[str, pd.DataFrame] = {}
    files: dict[str, str] = {}
    erred = {p.file for p in errors(problems)}
    for table in TABLES:
        if table.name in typed:
            tables[table.name] = typed.pop(table.name)
            files[table.name] = raws[table.name].file
            continue
        unread |= unread_columns(table, None, failed=bool(
            {table.file_name, sheet_name(table)} & erred))
        empty = RawTable(table.name, table.file_name, pd.DataFrame(dtype=object))
        files[table.name] = empty.file
        tables[table.name] = parse_table(empty, table, problems, quiet=True)
    refused = refused_keys(raws)
    problems += check_tables(tables, files, unread, settings.currency, refused)
    # a person whose name is not known yet (kamkit import's KAM placeholder) is named ""
    # everywhere; the reports say the locale's missing word (``formatting.name``)
    tables["team"]["name"] = tables["team"]["name"].fillna("")
    if path.is_dir() and (path / MANIFEST).exists():
        try:
            problems += check_placeholders(tables, files, read_manifest(path))
        except KamkitError as exc:
            problems.append(Problem.said(Severity.WARNING, MANIFEST, words(
                "problem.manifest.unchecked", error=exc.words or str(exc))))
    for frame in tables.values():  # the texts cells were read from: for those rules only
        frame.attrs.pop(WRITTEN, None)
    documents: dict[str, AccountDocument] = {}
    problems += folder_problems
    with remembered_ids():
        for doc_path, label, doc, rest, found in documents_read:
            problems += found
            checked = doc or rest  # the rest: what the rules say too, in the same round
            if checked is None:
                continue
            problems += apart_from(with_lines(check_document(
                checked, label, doc_path.stem, tables, unread, settings.currency, files,
                refused), doc_path), found)
            if doc is not None:
                documents[doc.account_id] = doc
    return Checked(path, tables, documents, attributed(problems, tables, files, raws),
                   settings)


def load_workbook(path: str | Path | None = None, *, partial: bool = False) -> Workbook:
    """Load a workbook (default: the bundled demo) into immutable values.

    Raises ``WorkbookError`` listing every error with file, row and column; warnings are
    kept in ``Workbook.problems``. An unchanged workbook is read from its cache
    (``kamkit.workbook_cache``) with the same tables, documents and warnings.

    With ``partial`` an account whose own data has errors (its document, its rows:
    ``kamkit.account_errors``) is left out of every table instead (``Workbook.left_out``,
    with its errors); an error in shared data still raises.
    """
    given = Path(path) if path is not None else DEMO_WORKBOOK
    if not workbook_cache.enabled() or not given.exists():
        return _checked(given, partial)
    resolved = given.resolve()
    return _load(given, resolved, _fingerprint(resolved), partial)


def _left_out(checked: Checked) -> dict[str, LeftOut]:
    """The accounts with errors in their own data, each with those errors; raises
    ``WorkbookError`` (every error) when an error is in shared data."""
    found = errors(checked.problems)
    if any(p.account is None for p in found):
        raise WorkbookError(str(checked.path), checked.problems)
    accounts = checked.tables["accounts"]
    rows = dict(zip(accounts["account_id"].astype(str), accounts.index, strict=True))
    left: dict[str, LeftOut] = {}
    for account_id in dict.fromkeys(str(p.account) for p in found):
        row = rows[account_id]
        fields: dict[str, Any] = {str(k): (None if pd.isna(v) else v)
                                  for k, v in accounts.loc[row].items()}
        left[account_id] = LeftOut(Account(**fields), int(row),
                                   tuple(p for p in found if p.account == account_id))
    return left


def _checked(path: Path, partial: bool = False) -> Workbook:
    with load_allocator():  # Arrow's buffers where freed pages can be given back
        checked = check_workbook(path)
        left: dict[str, LeftOut] = {}
        if not checked.ok:
            if not partial:
                raise WorkbookError(str(checked.path), checked.problems)
            left = _left_out(checked)
        workbook = Workbook(checked.path,
                            MappingProxyType(without_accounts(checked.tables, left)),
                            MappingProxyType({k: d for k, d in checked.documents.items()
                                              if k not in left}),
                            tuple(p for p in checked.problems
                                  if p.severity is not Severity.ERROR),
                            checked.settings, MappingProxyType(left))
        del checked
    release_free_memory()  # what parsing freed, not kept by the allocators all the while
    return workbook


def _load(given: Path, resolved: Path, fingerprint: str, partial: bool = False) -> Workbook:
    """The workbook from its cache entry for ``fingerprint``, else checked and kept there
    (unless a file changed while it was read, or accounts were left out: then it is not
    kept)."""
    entry = workbook_cache.key(f"{fingerprint} {max_file_bytes()}")
    cached = workbook_cache.read(resolved, entry)
    if cached is not None:
        tables, documents, problems = cached
        return Workbook(given, MappingProxyType(tables), MappingProxyType(documents),
                        tuple(problems), read_settings(given, []))  # fingerprinted: read fine
    workbook = _checked(given, partial)
    if not workbook.left_out and _fingerprint(resolved) == fingerprint:
        with load_allocator():
            workbook_cache.write(resolved, entry, workbook.tables, workbook.documents,
                                 list(workbook.problems))
        release_free_memory()  # the entry's encoded files
    return workbook


_LOADED: dict[Path, tuple[str, Workbook]] = {}


def _hidden(relative: Path) -> bool:
    """Whether a file lies in hidden state (``.kamkit/`` backups and change history, an
    editor's temporary files, ``.git``): never read as workbook data, so not fingerprinted."""
    return any(part.startswith(".") for part in relative.parts)


def _sources(path: Path) -> list[str]:
    """Every path the workbook may be read from, in a fixed order (those that are not files
    are left out by ``fingerprint``); strings, not Paths: 1,000 accounts have 441 files."""
    if path.is_dir():
        found = []
        for folder, subfolders, names in os.walk(path):  # as rglob: symlinked folders not
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            found += [os.path.join(folder, name) for name in names if not name.startswith(".")]
        return sorted(found, key=lambda name: name.split(os.sep))  # as Paths sort
    files = [str(path)]
    documents = documents_folder(path)
    if documents.is_dir():
        files += map(str, sorted(p for p in documents.glob("*")
                                 if not _hidden(p.relative_to(documents))))
    return [*files, str(settings_file(path))]


def _fingerprint(path: Path) -> str:
    """A hash of the names and contents of every file the workbook is read from (contents:
    a file's stat only spares hashing it again where it cannot hide a change, see
    ``kamkit.fingerprint``)."""
    keep = workbook_cache.folders(path) if workbook_cache.enabled() else []
    return fingerprint(path, _sources(path), keep)


_SHIPPED: dict[Path, Workbook] = {}
_PARTIAL: set[Path] = set()


def load_partially(path: str | Path | None) -> None:
    """Make ``load_workbook_cached(path)`` in this process load it with ``partial=True``:
    a kernel of ``kamkit run`` renders the other accounts where one account's data has
    errors (that account the run reports as failed)."""
    _PARTIAL.add((Path(path) if path is not None else DEMO_WORKBOOK).resolve())
SHIPPED_AS_OBJECTS = "workbook.pickle"
"""The file of a shipped workbook whose documents JSON would not carry as they are: the
tables, documents and warnings pickled (by the same kamkit on both sides)."""


def ship_workbook(path: str | Path | None, contents: Mapping[str, bytes]) -> Workbook:
    """Make ``load_workbook_cached(path)`` in this process return the checked workbook in
    ``contents`` (its cache entry's files, ``workbook_cache.encode``) without reading
    ``path``: a Dask worker of ``kamkit run`` and its kernels get the workbook prepared by
    the machine that started the run, where ``path`` is (``kamkit.batch.distributed``)."""
    resolved = (Path(path) if path is not None else DEMO_WORKBOOK).resolve()
    if SHIPPED_AS_OBJECTS in contents:  # documents that JSON would change (``shipping``)
        tables, documents, problems = pickle.loads(contents[SHIPPED_AS_OBJECTS])
    else:
        tables, documents, problems = workbook_cache.decode(contents)
    workbook = Workbook(resolved, MappingProxyType(tables), MappingProxyType(documents),
                        tuple(problems))
    _SHIPPED.clear()  # one run's workbook at a time
    _SHIPPED[resolved] = workbook
    return workbook


def workbook_fingerprint(path: str | Path | None = None) -> str:
    """The hash of the names and contents of every file the workbook at ``path`` (default:
    the bundled demo) is read from: equal for unchanged files (``loaded_fingerprint``)."""
    return _fingerprint((Path(path) if path is not None else DEMO_WORKBOOK).resolve())


def loaded_fingerprint(workbook: Workbook) -> str | None:
    """The ``workbook_fingerprint`` of the files ``load_workbook_cached`` read ``workbook``
    from, taken before they were read; None for a workbook it does not hold (or that was
    shipped to this process, ``ship_workbook``, whose files are not here)."""
    held = _LOADED.get(workbook.path)
    return held[0] if held is not None and held[1] is workbook else None


def load_workbook_cached(path: str | Path | None = None) -> Workbook:
    """``load_workbook``, but a workbook whose files have not changed since it was last
    loaded in this process is returned again. Safe because a Workbook is immutable; it saves
    a kept kernel (``kamkit run``) reading the same workbook for every report.

    What the notebooks and the workbench load: a relative path is also looked up in the
    folders above the working folder (``kamkit.notebook_paths``), as a notebook's kernel
    works in the notebook's folder."""
    resolved = (workbook_path(path) if path is not None else DEMO_WORKBOOK).resolve()
    if resolved in _SHIPPED:
        return _SHIPPED[resolved]
    if not resolved.exists():
        return load_workbook(resolved)  # raises the usual message
    fingerprint = _fingerprint(resolved)
    cached = _LOADED.get(resolved)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    partial = resolved in _PARTIAL
    workbook = (_load(resolved, resolved, fingerprint, partial) if workbook_cache.enabled()
                else _checked(resolved, partial))
    _LOADED.clear()  # one workbook at a time: a kernel runs one quarter's workbook
    _LOADED[resolved] = (fingerprint, workbook)
    return workbook
