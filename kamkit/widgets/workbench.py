"""The workbench: the explorer above, the editors of the account it shows below.

The editors follow the explorer's account; they are built when the edit area is opened, so
switching accounts while only exploring stays fast. A save updates what the explorer shows
(the workbook is re-read only where the save changed it).

Building another account's editors takes seconds, and the browser keeps sending what the user
types and clicks meanwhile: the kernel handles it after the build, in order. So from the
moment the account changes the editors shown are greyed out under "Loading ...", and the ones
replaced stay open (one generation) for what was sent to them: a late edit brings them back,
with their unsaved changes, under the usual rule for those; a late click on Save or Undo in
forms without changes is refused in words.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from types import MappingProxyType
from typing import Any

import ipywidgets as widgets

from kamkit.edit import WorkbookEditor
from kamkit.labels import t
from kamkit.report import html
from kamkit.widgets import style
from kamkit.widgets.change_words import ChangeWords
from kamkit.widgets.closing import close_tree
from kamkit.widgets.document_editor import DocumentEditor
from kamkit.widgets.explorer import Explorer
from kamkit.widgets.guard import message_area
from kamkit.widgets.save_bar import SaveBar, said_html
from kamkit.widgets.table_editor import EDITABLE, TableEditor
from kamkit.workbook import Workbook

CHANGES_SHOWN = 30
"""The change log lines the workbench shows (newest first); the file holds them all."""


@dataclasses.dataclass
class _Editors:
    """One account's editors as built together: the document's, the tables' (made when
    their tab is first opened) and the boxes the tabs show them in."""

    key: tuple[str, dt.date, str]  # account, as of, language
    document: DocumentEditor
    tables: dict[str, TableEditor]
    boxes: dict[str, widgets.VBox]

    def editors(self) -> list[DocumentEditor | TableEditor]:
        return [self.document, *self.tables.values()]

    @property
    def unsaved(self) -> bool:
        return any(editor.unsaved for editor in self.editors())

    def bars(self) -> list[SaveBar]:
        return [editor.bar for editor in self.editors()]


_MADE_BY_CELL: dict[str, Workbench] = {}
"""The workbench each notebook cell made last, by the cell's id."""


def _running_cell() -> str | None:
    """The id of the notebook cell running now (JupyterLab sends it with each execute
    request); None outside a kernel or from a client that does not say."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return None
    get_parent = getattr(getattr(get_ipython(), "kernel", None), "get_parent", None)
    parent = get_parent() if callable(get_parent) else None
    metadata = parent.get("metadata") if isinstance(parent, dict) else None
    cell = metadata.get("cellId") if isinstance(metadata, dict) else None
    return cell if isinstance(cell, str) and cell else None


class Workbench(widgets.VBox):
    """Explore a workbook and edit what people write about its accounts.

    Parameters are those of ``Explorer``, plus ``author``: who saves, for the change log
    (default: $KAMKIT_USER, git's user.name, the login name).
    """

    def __init__(self, workbook: Workbook | str | Path | None = None,
                 account_id: str | None = None, as_of: str | dt.date | None = None,
                 language: str = "en", author: str | None = None) -> None:
        self.explorer = Explorer(workbook, account_id, as_of, language)
        self.store = WorkbookEditor(self.explorer.workbook.path, self.explorer.workbook,
                                    author=author)
        self.document_editor: DocumentEditor | None = None
        self.table_editors: dict[str, TableEditor] = {}
        self._table_boxes: dict[str, widgets.VBox] = {}
        self._unopened: dict[str, int] = {}  # problems of the tables without an editor yet
        self._retired: _Editors | None = None  # replaced, open for what is still on its way
        self.note = widgets.HTML()  # "Loading ...", and what the retired editors said
        self.note.add_class("kk-editor-note")
        self._loading = False
        self._quiet = False
        self.changes = widgets.HTML()
        self.edit_tabs = style.tabs()
        self.pending = widgets.HTML()
        self.discard_button = widgets.Button(description=t("wb.discard", language),
                                             icon="trash", layout=widgets.Layout(
                                                 display="none", width="auto"))
        self.failure, self.guard = message_area(lambda: self.explorer.language)
        self.discard_button.on_click(self.guard(lambda _: self.discard()))
        self.edit_area = widgets.Accordion(
            children=[widgets.VBox([self.note, self.pending, self.discard_button,
                                    self.failure, self.edit_tabs])],
            selected_index=None)
        self._edited: tuple[str, dt.date, str] | None = None
        super().__init__([self.explorer, self.edit_area])
        style.styled(self)
        self._title()
        self.edit_area.observe(self.guard(lambda _: self._open_editors()),
                               names="selected_index")
        self.explorer.observe_account(self.guard(lambda: self._before_switch()), before=True)
        self.explorer.observe_account(self.guard(lambda: self._open_editors()))
        self.edit_tabs.observe(self.guard(lambda _: self._on_edit_tab()), names="selected_index")
        cell = _running_cell()
        if cell is not None:  # the cell ran again: the workbench it showed before is gone
            earlier = _MADE_BY_CELL.get(cell)
            if earlier is not None and earlier is not self:
                earlier.close_widgets()
            _MADE_BY_CELL[cell] = self

    def close_widgets(self) -> None:
        """Close this workbench and every widget it holds: the kernel forgets them (a
        notebook cell that makes a workbench again closes the one it made before)."""
        retired, self._retired = self._retired, None
        close_tree(self, *([retired.document, *retired.boxes.values()] if retired else []))

    @property
    def workbook(self) -> Workbook:
        return self.explorer.workbook

    def summary(self) -> object:
        """The workbook's accounts, documents and warnings, in the workbench's language."""
        from IPython.display import HTML

        from kamkit.display import workbook_html

        return HTML(workbook_html(self.workbook, self.explorer.language))

    def open_editors(self) -> None:
        """Open the edit area for the explorer's account."""
        self.edit_area.selected_index = 0
        self._open_editors()

    @property
    def unsaved(self) -> bool:
        """Whether an editor holds changes not saved yet."""
        editors = [self.document_editor, *self.table_editors.values()]
        return any(editor is not None and editor.unsaved for editor in editors)

    def discard(self) -> None:
        """Drop unsaved changes and let the editors follow the explorer's account."""
        self._freeze(self.explorer.account_id)
        self._edited = None
        self._open_editors(discard=True)

    def _title(self) -> None:
        language = self.explorer.language
        account = self._edited[0] if self._edited else self.explorer.account_id
        self.edit_area.set_title(0, t("wb.edit_title", language, account=account))

    @property
    def _account(self) -> str:
        """The account the editors edit (the explorer may have moved on while they hold
        unsaved changes)."""
        return self._edited[0] if self._edited else self.explorer.account_id

    def _current(self) -> tuple[str, dt.date, str]:
        explorer = self.explorer
        return explorer.account_id, explorer.as_of, explorer.language

    def _holds(self, current: tuple[str, dt.date, str]) -> bool:
        """Whether the editors stay for another account: they hold unsaved changes."""
        edited = self._edited
        return edited is not None and edited[0] != current[0] and self.unsaved

    def _before_switch(self) -> None:
        """The explorer starts to show another account, date or language: editors about to
        be replaced take no more edits (greyed out, "Loading ...") until the new ones are
        in place; the title changes with them."""
        current = self._current()
        if (self.edit_area.selected_index is not None and self._edited is not None
                and current != self._edited
                and not (self._holds(current) and self._edited[2] == current[2])):
            self._freeze(current[0])

    def _freeze(self, account: str) -> None:
        self._loading = True
        self.note.value = html.missing(t("wb.loading", self.explorer.language,
                                         account=account))
        self.edit_tabs.add_class("kk-stale")

    def _thaw(self) -> None:
        self.edit_tabs.remove_class("kk-stale")
        if self._loading:
            self.note.value = ""
        self._loading = False

    def _open_editors(self, discard: bool = False) -> None:
        try:
            self._follow(discard)
        finally:
            self._thaw()

    def _follow(self, discard: bool) -> None:
        if self.edit_area.selected_index is None:
            self._title()
            return
        current = self._current()
        edited = self._edited
        if current == edited:
            self._say_pending(None)
            return
        if self._holds(current) and not discard:
            assert edited is not None
            if edited[2] != current[2]:  # held for the user, in the language chosen
                self._build(edited[0], edited[1], current[2], carry=True)
            self._say_pending(current[0])  # never drop what the user typed unasked
            return
        self._say_pending(None)
        # the same account on another date or in another language: what was typed stays
        self._build(*current, carry=not discard and edited is not None
                    and edited[0] == current[0])

    def _build(self, account_id: str, as_of: dt.date, language: str, carry: bool) -> None:
        """The editors of ``account_id`` in ``language``; ``carry``: holding what the
        editors before them hold (typed, not saved), on the tabs they showed."""
        before = self._shown_editors()
        selected = self.edit_tabs.selected_index if carry else 0
        self._edited = (account_id, as_of, language)
        self.document_editor = DocumentEditor(
            self.store, self.workbook, account_id, as_of, language,
            on_saved=lambda document: self._document_saved(document, account_id))
        if carry and before is not None:
            self.document_editor.take_over(before.document)
        self._listen(self.document_editor.bar)
        self.document_editor.counted = lambda _: self._title_tabs()
        self.table_editors = {}
        self._table_boxes = {table: widgets.VBox() for table in EDITABLE}
        self._show_tabs(language, selected)
        if carry and before is not None:
            for table, editor in before.tables.items():
                self.table_editor(table).take_over(editor)
        self._on_edit_tab()
        self.show_changes()
        self._title()  # with the forms, not before them
        # what the browser sent to the editors before them is handled after this build:
        # they stay open (and the ones before them go) so that it reaches them
        if self._retired is not None:
            close_tree(self._retired.document, *self._retired.boxes.values())
        self._retired = before

    def _shown_editors(self) -> _Editors | None:
        if self.document_editor is None or self._edited is None:
            return None
        return _Editors(self._edited, self.document_editor, self.table_editors,
                        self._table_boxes)

    def _show_tabs(self, language: str, selected: int | None) -> None:
        assert self.document_editor is not None
        self._count_unopened()  # first: the tabs reach the browser with their titles
        self._quiet = True
        self.edit_tabs.children = [self.document_editor, *self._table_boxes.values(),
                                   self.changes]
        self.edit_tabs.selected_index = selected
        self._quiet = False
        self._title_tabs()

    def _count_unopened(self) -> None:
        """Count the problems of the tables whose editor is not made yet (a check of their
        rows as on disk: no form is built for it)."""
        self._unopened = {table: len(self.store.row_problems(table, self._account))
                          for table in EDITABLE if table not in self.table_editors}

    def _title_tabs(self) -> None:
        """The document's and the tables' tabs titled with the count of the problems each
        shows (a table never opened: those of its rows as on disk)."""
        if self.document_editor is None or self._edited is None:
            return
        language = self._edited[2]
        counts = [self.document_editor.problem_count,
                  *(self._unopened.get(table, 0) if table not in self.table_editors
                    else self.table_editors[table].problem_count for table in EDITABLE)]
        labels = [t("wb.edit.document", language),
                  *(t(f"wb.table.{table}", language) for table in EDITABLE)]
        style.set_titles(self.edit_tabs, [
            *(style.titled(label, count, language) for label, count in zip(labels, counts,
                                                                           strict=True)),
            t("wb.edit.changes", language)])

    def _listen(self, bar: SaveBar) -> None:
        bar.touched = lambda kind: self._touched(bar, kind)
        bar.said = lambda text, ok: self._said(bar, text, ok)

    def _touched(self, bar: SaveBar, kind: str) -> bool:
        """An edit or a click reached ``bar``'s editor: if it is one the workbench replaced
        (sent before the browser heard), its editors come back when they hold changes, or
        the click is refused in words."""
        retired = self._retired
        if retired is None or bar not in retired.bars():
            return True
        if kind != "edit" and not retired.unsaved:
            self.note.value = html.missing(t("wb.stale_click", self.explorer.language,
                                             account=retired.key[0],
                                             new=self.explorer.account_id))
            return False
        self._revive(retired)
        return True

    def _revive(self, editors: _Editors) -> None:
        """Show ``editors`` again (and retire the ones shown): what was typed in them is
        held like any unsaved change, until saved or discarded."""
        self._retired = self._shown_editors()
        self._edited = editors.key
        self.document_editor, self.table_editors = editors.document, editors.tables
        self._table_boxes = editors.boxes
        self._show_tabs(editors.key[2], self.edit_tabs.selected_index)
        self._thaw()
        self.show_changes()
        self._title()
        current = self._current()
        self._say_pending(current[0] if current[0] != editors.key[0] else None)

    def _said(self, bar: SaveBar, text: str, ok: bool) -> None:
        """What the bar of editors no longer shown says is said above the ones shown."""
        retired = self._retired
        if retired is not None and bar in retired.bars():
            self.note.value = said_html(t("wb.said_for", self.explorer.language,
                                          account=retired.key[0], text=text), ok)

    def table_editor(self, table: str) -> TableEditor:
        """The editor of the edited account's rows of ``table`` (built when first asked)."""
        if table not in self.table_editors:
            language = self._edited[2] if self._edited else self.explorer.language
            editor = TableEditor(self.store, self.workbook, table, self._account,
                                 language, on_saved=self._table_saved)
            self._listen(editor.bar)
            self.table_editors[table] = editor
            self._table_boxes[table].children = [editor]
            editor.counted = lambda _: self._title_tabs()
            self._title_tabs()
        return self.table_editors[table]

    def _on_edit_tab(self) -> None:
        index = self.edit_tabs.selected_index
        if self._quiet or index is None or not 1 <= index <= len(EDITABLE):
            return
        self.table_editor(EDITABLE[index - 1])

    def _say_pending(self, account: str | None) -> None:
        if account is None:
            self.pending.value = ""
            self.discard_button.layout.display = "none"
            return
        assert self._edited is not None
        language = self.explorer.language
        self.pending.value = html.missing(t("wb.unsaved", language,
                                            account=self._edited[0], new=account))
        self.discard_button.description = t("wb.discard", language)
        self.discard_button.layout.display = ""

    def show_changes(self) -> None:
        """The latest entries of the change log for this account, newest first."""
        log = self.store.changes(self._account)
        language = self.explorer.language
        if log.empty:
            self.changes.value = html.missing(t("wb.no_changes", language))
            return
        words = ChangeWords(self.workbook, self._account, language)
        shown = words.frame(log.tail(CHANGES_SHOWN).iloc[::-1])
        here = dt.datetime.now().astimezone().tzinfo  # the log keeps UTC; said in local time
        shown = shown.assign(when=shown["when"].dt.tz_convert(here)  # one line: no-break space
                             .dt.strftime("%Y-%m-%d\u00a0%H:%M"))
        # what changed first, who and which file after it: Before next to After
        headers = {column: t(f"wb.log.{column}", language)
                   for column in ("when", "where", "before", "after", "who", "file")}
        self.changes.value = html.table(shown, html.columns(headers))

    def _table_saved(self, table: str) -> None:
        self.explorer.replace_workbook(
            self.workbook.with_tables(**{table: self.store.table(table)}))
        self._reference_tables_changed(table)
        self._count_unopened()  # a table's problems may name rows of another
        self._title_tabs()
        editor = self.document_editor
        if table == "contacts" and editor is not None and not editor.unsaved:
            editor.refresh()  # the plan may have followed a renamed or removed contact
        self.show_changes()

    def _reference_tables_changed(self, table: str) -> None:
        """Editors whose choices come from ``table`` (contacts for relationships) follow."""
        if table == "contacts" and "relationships" in self.table_editors:
            replaced = self.table_editors.pop("relationships")
            self._table_boxes["relationships"].children = ()
            close_tree(replaced)
            if self.edit_tabs.selected_index == 1 + EDITABLE.index("relationships"):
                self.table_editor("relationships")

    def _document_saved(self, document: Any, account_id: str) -> None:
        workbook = self.workbook
        documents = dict(workbook.documents)
        if document is None:
            documents.pop(account_id, None)
        else:
            documents[account_id] = document
        self.explorer.replace_workbook(
            dataclasses.replace(workbook, documents=MappingProxyType(documents)))
        self.show_changes()
