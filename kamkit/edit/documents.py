"""Account documents as drafts: load, check with ``kamkit validate``'s rules, and work out
the new text of a save (merged with what changed on disk)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from kamkit.currency import DEFAULT
from kamkit.document_reader import apart_from, load_text, rest_of, validate_document
from kamkit.document_template import account_document_template
from kamkit.documents import AccountDocument, date_paths
from kamkit.edit.history import version_of
from kamkit.edit.results import Conflict, ConflictError, UnreadableDocument
from kamkit.edit.tree import MISSING, Change, apply, diff, merge, norm, path_text, taking_mine
from kamkit.edit.yamlfile import load_tree, read_plain
from kamkit.edit.yamlsplice import write
from kamkit.errors import KamkitError
from kamkit.ids import PLAIN_ID_RULE, is_plain_id
from kamkit.parsing import parse_date
from kamkit.problems import Problem, words
from kamkit.rules import Refused, check_document
from kamkit.schema import DOCUMENTS_FOLDER
from kamkit.workbook import documents_folder

_DATE_PATHS = date_paths()


@dataclass
class DocumentDraft:
    """One account's document as loaded: edit ``data`` and pass it to ``save_document``.

    ``data`` is the plain tree of the file (dicts, lists, text, numbers; dates as
    ``datetime.date``); a new document starts from the ``kamkit new-account`` template.
    ``version`` is the hash of the file loaded (None: there was no file).
    """

    account_id: str
    data: dict[str, Any]
    exists: bool
    version: str | None
    file: Path
    base: dict[str, Any] = field(repr=False)  # as loaded, kept from the caller's edits
    text: str = field(repr=False, default="")


def document_file(folder: Path, account_id: str) -> Path:
    """``documents/<ID>.yaml`` (or an existing ``.yml``), refusing an id that is not a safe
    file name or would lead outside the documents folder."""
    if not isinstance(account_id, str) or not is_plain_id(account_id):
        raise KamkitError(f"{account_id!r} cannot be an account id: use {PLAIN_ID_RULE}.")
    documents = documents_folder(folder)
    for suffix in (".yaml", ".yml"):
        path = documents / f"{account_id}{suffix}"
        if path.exists():
            break
    else:
        path = documents / f"{account_id}.yaml"
    if path.resolve().parent != documents.resolve():
        raise KamkitError(f"Account {account_id!r} would be written outside {documents}.")
    return path


def with_dates(tree: Any) -> Any:
    """A copy of a plain tree whose date fields (``kamkit.documents.date_paths``) hold dates
    where their text is one as the workbook's readers read it (2026-03-15, 15-03-2026): what
    a date field shows, and what a save writes YYYY-MM-DD. Other values stay as they are (an
    impossible date stays text, for validation to report)."""
    out = copy.deepcopy(tree)
    for path in _DATE_PATHS:
        _dates_at(out, path)
    return out


def _dates_at(tree: Any, path: tuple[str | None, ...]) -> None:
    if not path:
        return
    step, rest = path[0], path[1:]
    items: list[tuple[Any, Any]] = []
    if step is None and isinstance(tree, list):
        items = list(enumerate(tree))
    elif isinstance(tree, dict) and step in tree:
        items = [(step, tree[step])]
    for key, value in items:
        if rest:
            _dates_at(value, rest)
        elif isinstance(value, str) and (day := parse_date(value)) is not None:
            tree[key] = day


def decode(data: bytes, label: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise KamkitError.of(words("wb.error.not_utf8", file=label,
                                   byte=str(exc.start))) from None


def load_draft(path: Path, account_id: str) -> DocumentDraft:
    """The draft of the document in ``path``, or of a new one from the template."""
    return draft_of(path, account_id, path.read_bytes() if path.exists() else None)


def draft_of(path: Path, account_id: str, data: bytes | None) -> DocumentDraft:
    """The draft of ``data`` as the document in ``path`` (None: a new one from the
    template)."""
    text = (decode(data, label(path)) if data is not None
            else account_document_template(account_id))
    base = read_plain(text) if data is None else read_text(text, path)
    return DocumentDraft(account_id, with_dates(base), data is not None, version_of(data), path,
                         base, text)


def read_text(text: str, path: Path) -> Any:
    """What kamkit's reader makes of the text of the document in ``path``, read as ``kamkit
    validate`` reads it; ``UnreadableDocument`` (naming the file and line) where it is no
    YAML kamkit reads."""
    problems: list[Problem] = []
    data = load_text(text, label(path), problems, mapping=True)
    if problems:
        raise UnreadableDocument(problems)
    return data


def label(path: Path) -> str:
    return f"{DOCUMENTS_FOLDER}/{path.name}"


def check(account_id: str, data: Any, file: Path, tables: dict[str, pd.DataFrame],
          unread: set[str], currency: str = DEFAULT, files: Mapping[str, str] | None = None,
          refused: Refused | None = None) -> tuple[AccountDocument | None, list[Problem]]:
    """The document ``data`` makes and what ``kamkit validate`` would say about it, its
    amounts in ``currency`` (the workbook's), the tables named as in ``files``."""
    problems: list[Problem] = []
    plain = norm(data) if isinstance(data, Mapping) else data
    document = validate_document(plain, label(file), problems)
    checked = document or rest_of(plain, problems)  # the rules' say in the same round
    if checked is not None:
        problems += apart_from(check_document(checked, label(file), file.stem, tables,
                                              unread, currency, files, refused), problems)
    return document, problems


@dataclass(frozen=True)
class Planned:
    """The text a save writes and what it changes."""

    text: str
    before: Any  # the plain tree on disk now (None: no file)
    after: Any  # the plain tree written
    merged: tuple[str, ...]  # paths they changed on disk, kept


def plan(draft: DocumentDraft, mine: Any, now: bytes | None,
         resolve: Mapping[str, str] | None) -> Planned:
    """The new text: my changes (draft -> ``mine``) applied to the file as it is now, merged
    key by key with what changed there since the draft was loaded. Raises ``ConflictError``
    for keys changed on both sides, unless ``resolve`` chooses."""
    resolve = resolve or {}
    if now is None:
        theirs_text, theirs = draft.text, copy.deepcopy(draft.base)
        if draft.exists:  # deleted on disk since loaded
            if resolve.get("") != "mine":
                raise ConflictError([Conflict("", draft.base, mine, None)])
            theirs_text = account_document_template(draft.account_id)
            theirs = read_plain(theirs_text)
    else:
        theirs_text = decode(now, label(draft.file))
        theirs = read_text(theirs_text, draft.file)
    if version_of(now) == draft.version or (now is None and not draft.exists):
        merged: tuple[str, ...]
        changes, merged = diff(draft.base, mine), ()
    elif now is None:
        changes, merged = diff(theirs, mine), ()
    else:
        changes, clashes = merge(draft.base, mine, theirs)
        merged = tuple(path for c in diff(draft.base, theirs)  # theirs, where kept
                       if resolve.get(path := path_text(c.path)) != "mine")
        unresolved = []
        for clash in clashes:
            choice = resolve.get(path_text(clash.path))
            if choice == "mine":
                changes.append(taking_mine(clash, mine))
            elif choice != "theirs":
                unresolved.append(Conflict(path_text(clash.path), *(
                    None if v is MISSING else v for v in (clash.base, clash.mine, clash.theirs))))
        if unresolved:
            raise ConflictError(unresolved)
    tree = load_tree(theirs_text)
    for change in changes:
        tree.root = apply(tree.root, change)
    text = write(theirs_text, changes, tree)
    if text is None:  # the writer and kamkit's reader must agree
        raise KamkitError.of(words("wb.error.meaning", file=label(draft.file)))
    return Planned(text, None if now is None else theirs, read_plain(text), merged)


def counterparts_renamed(data: Mapping[str, Any], renames: Mapping[str, str | None]
                         ) -> tuple[dict[str, Any], list[str]]:
    """A copy of a document's plain tree whose plan team names each contact of ``renames``
    by its new id (None: no longer), and where it did (``plan.team[P03].counterparts``).
    Counterparts are the only place a document names a contact."""
    out = copy.deepcopy(dict(data))
    plan = out.get("plan")
    team = plan.get("team") if isinstance(plan, dict) else None
    where: list[str] = []
    for member in team if isinstance(team, list) else []:
        if not isinstance(member, dict) or not isinstance(member.get("counterparts"), list):
            continue
        old = member["counterparts"]
        new = [renames.get(c, c) for c in old]
        new = [c for i, c in enumerate(new) if c is not None and c not in new[:i]]
        if new != old:
            member["counterparts"] = new
            where.append(f"plan.team[person={member.get('person')}].counterparts")
    return out, where


def changes_made(before: Any, after: Any) -> list[Change]:
    return diff(before if before is not None else {}, after)


__all__ = ["DocumentDraft", "Planned", "check", "counterparts_renamed", "document_file",
           "load_draft", "plan"]
