"""Edit a workbook safely: the write path of the analyst workbench (no widgets in here).

``WorkbookEditor(path)`` gives drafts of an account's document and of its rows in the
editable tables, checks an edit with the same rules and messages as ``kamkit validate``
(fast: only the account's part is checked, against the workbook read once), and saves it:

- validated first: an invalid edit raises ``ValidationFailed`` and nothing is written;
- atomically (temporary file, fsync, rename): a crash leaves the previous file;
- YAML documents keep their comments, key order and layout; untouched text stays byte for
  byte as it was, and values are written as kamkit's reader (PyYAML, YAML 1.1) reads them;
- CSV tables keep their dialect (separator, decimal comma, BOM, encoding, quoting, header,
  line endings); untouched rows stay byte for byte as they were;
- what changed on disk since the draft was loaded (another person, a git pull) is merged:
  other keys of the document, list items by their id, other rows, other cells of the same
  row (three-way per cell); the same key or cell changed differently on both sides raises
  ``ConflictError`` listing base, mine and theirs, and ``resolve={path: "mine" | "theirs"}``
  on the next save chooses (a row's name chooses for all its cells);
- merged also without ``base``: the editor remembers the draft it last handed out per
  account and table (``document()``, ``rows()``, a save's ``SaveResult.draft``) and merges
  with what changed since; a document or rows it never handed out are created but never
  replaced (``NotLoaded``: load them first);
- dates in documents are read as the workbook's readers read them (15-03-2026 too) and
  written YYYY-MM-DD.

Where the history lives (``<base>`` is the workbook folder, or the folder holding an .xlsx
workbook):

- ``<base>/.kamkit/backups/<file>/<time>-<hash>.<ext>``: the file as it was before each
  save, the last 20 per file (``kamkit.edit.history.KEEP``). A hidden folder: kamkit never
  reads it as a document or table, and the load and batch caches ignore it.
- ``<base>/kamkit-changes.csv``: the change log, one line per changed field or row: when
  (ISO time with zone), who, account, file, where (field path or row and column), before,
  after, and the save it belongs to. ``WorkbookEditor.changes()`` reads it back.

``WorkbookEditor.undo()`` takes the last save back (itself a logged save), also a save of an
earlier session: found in the change log, restored from ``<base>/.kamkit/backups`` (before)
and ``<base>/.kamkit/saved`` (as saved). When the file changed since, the undo is a merge
(``merge=False`` raises ``ChangedSince`` first, so a person can be asked).

An .xlsx workbook is written back through openpyxl: the edited sheet changes, the other
sheets, formulas and styles stay. What openpyxl may lose (charts, pivot tables, macros,
images, shapes, slicers...) is listed by ``WorkbookEditor.xlsx_losses()``, found by looking
into the file; while it lists anything a save raises ``XlsxLosses`` until
``accept_xlsx_losses()`` is called.

The API::

    editor = WorkbookEditor(path, workbook=None, author=None)
    editor.read_only                              # why it cannot be edited, or None
    draft = editor.document(account_id)           # .data, .exists, .version
    editor.check_document(account_id, data)       # -> list[Problem]
    editor.model(account_id, data)                # -> AccountDocument
    editor.save_document(account_id, data, base=draft, resolve=None)  # -> SaveResult
    rows = editor.rows(table, account_id)         # .frame (index: row in the file), .version
    editor.check_rows(table, account_id, frame)   # -> list[Problem]
    editor.save_rows(table, account_id, frame, base=rows, resolve=None)  # -> SaveResult
    editor.undo(result=None, account_id=None, file=None, merge=True, resolve=None)
    editor.changes(account_id=None)               # -> DataFrame of the change log
"""

from kamkit.edit.documents import DocumentDraft
from kamkit.edit.editor import WorkbookEditor
from kamkit.edit.results import (
    ChangedSince,
    Conflict,
    ConflictError,
    Logged,
    NotLoaded,
    ReadOnlyWorkbook,
    SaveResult,
    UnreadableDocument,
    ValidationFailed,
    XlsxLosses,
)

__all__ = [
    "ChangedSince",
    "Conflict",
    "ConflictError",
    "DocumentDraft",
    "Logged",
    "NotLoaded",
    "ReadOnlyWorkbook",
    "SaveResult",
    "UnreadableDocument",
    "ValidationFailed",
    "WorkbookEditor",
    "XlsxLosses",
]
