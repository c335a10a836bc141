"""What a save returns or raises."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kamkit.errors import KamkitError
from kamkit.problems import Problem


@dataclass(frozen=True)
class Logged:
    """One entry of the change log: one changed field of a document or cell of a row (an
    added or deleted row is one entry holding the whole row)."""

    when: str  # ISO date and time with zone
    who: str
    account: str
    file: str  # relative to the workbook: documents/MAAS.yaml, contacts.csv, book.xlsx[contacts]
    where: str  # field path (plan.objectives[OBJ1].title) or row key and column
    before: str
    after: str
    save: str  # the id of the save this entry belongs to


@dataclass(frozen=True)
class Conflict:
    """A document key or a table row changed both here and on disk since the draft was
    loaded; ``resolve={path: "mine" | "theirs"}`` chooses. MISSING sides are None."""

    path: str
    base: Any
    mine: Any
    theirs: Any


@dataclass(frozen=True)
class SaveResult:
    """What a save did.

    ``merged`` lists what changed on disk since the draft was loaded and was kept (their
    changes, merged with mine). ``draft`` is the saved state to continue editing from.
    ``placed`` (a save of rows): each saved frame's row label -> its row in the file now.
    """

    file: Path
    backup: Path | None
    changes: tuple[Logged, ...]
    merged: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    draft: Any = None
    version: str | None = None  # content hash of the file as written
    undo: Any = field(default=None, repr=False)  # how to go back: see WorkbookEditor.undo
    placed: Mapping[Any, int] = field(default_factory=dict)


class ValidationFailed(KamkitError):
    """The edit breaks a rule of the workbook; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("Not saved: " + "; ".join(str(p) for p in problems[:5])
                         + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""))


class ConflictError(KamkitError):
    """The file changed on disk where the edit changes it too; nothing was written."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        super().__init__(
            "Not saved: changed on disk since it was loaded, at "
            + ", ".join(c.path or "(the whole file)" for c in conflicts)
            + "; choose with resolve={path: 'mine' or 'theirs'} and save again.")


class UnreadableDocument(KamkitError):
    """An account's document on disk is no YAML kamkit reads (a bad hand edit, a merge
    conflict left in it): it is neither loaded nor saved over; ``problems`` say where."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems) + " Fix the file in a text "
                         "editor first: kamkit edits only a document it can read (nothing "
                         "was written).")


class NotLoaded(KamkitError):
    """A save without ``base`` of a document or of rows this editor never handed out, where
    one is on disk: nothing says what the edit started from, so what others wrote since
    could be lost; nothing was written."""

    def __init__(self, file: str, account_id: str, table: str | None) -> None:
        self.file, self.account_id, self.table = file, account_id, table
        load = (f"editor.document({account_id!r})" if table is None
                else f"editor.rows({table!r}, {account_id!r})")
        super().__init__(f"Not saved: {file} already holds {account_id}'s "
                         + ("document" if table is None else "rows")
                         + f", and this editor did not hand them out. Load them with {load}, "
                         "edit that draft and save it (or pass base= the draft your edit "
                         "started from), so changes made since are merged, not overwritten.")


class ReadOnlyWorkbook(KamkitError):
    """This workbook cannot be edited (the bundled demo, or a read-only folder or file)."""


class XlsxLosses(KamkitError):
    """Writing this .xlsx would drop what openpyxl cannot keep; acknowledge first with
    ``WorkbookEditor.accept_xlsx_losses()``."""

    def __init__(self, path: Path, losses: list[str]) -> None:
        self.losses = losses
        super().__init__(f"Saving {path.name} would lose: {'; '.join(losses)}. Call "
                         "editor.accept_xlsx_losses() to save anyway (a backup is kept), or "
                         "edit the file in Excel.")


class ChangedSince(KamkitError):
    """The file an undo would restore changed since that save; nothing was written. Undo it
    again with ``merge=True`` to take back only what that save changed. ``by`` is who last
    saved it through kamkit and when, None if it changed outside kamkit."""

    def __init__(self, file: str, by: tuple[str, str] | None, mergeable: bool = True) -> None:
        self.file, self.by, self.mergeable = file, by, mergeable
        since = (f"last saved by {by[0]} at {by[1]}" if by else
                 "outside kamkit: a text editor, Excel or a git pull")
        how = ("Undoing with merge=True takes back only what that save changed, where nobody "
               "changed it since." if mergeable else
               "Restore its version before the save from .kamkit/backups by hand.")
        super().__init__(f"Not undone: {file} changed since that save ({since}). {how}")
