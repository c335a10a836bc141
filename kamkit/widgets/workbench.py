"""The workbench: the explorer above, the editors of the account it shows below.

The editors follow the explorer's account; they are built when the edit area is opened, so
switching accounts while only exploring stays fast. A save updates what the explorer shows
(the workbook is re-read only where the save changed it).
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
from kamkit.widgets.document_editor import DocumentEditor
from kamkit.widgets.explorer import Explorer
from kamkit.workbook import Workbook

CHANGES_SHOWN = 30
"""The change log lines the workbench shows (newest first); the file holds them all."""


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
        self.changes = widgets.HTML()
        self.edit_tabs = widgets.Tab()
        self.edit_area = widgets.Accordion(children=[self.edit_tabs], selected_index=None)
        self._edited: tuple[str, dt.date, str] | None = None
        super().__init__([self.explorer, self.edit_area])
        self._title()
        self.edit_area.observe(lambda _: self._open_editors(), names="selected_index")
        self.explorer.observe_account(lambda: self._open_editors())

    @property
    def workbook(self) -> Workbook:
        return self.explorer.workbook

    def open_editors(self) -> None:
        """Open the edit area for the explorer's account."""
        self.edit_area.selected_index = 0
        self._open_editors()

    def _title(self) -> None:
        language = self.explorer.language
        self.edit_area.set_title(0, t("wb.edit_title", language,
                                      account=self.explorer.account_id))

    def _open_editors(self) -> None:
        self._title()
        if self.edit_area.selected_index is None:
            return
        explorer = self.explorer
        current = (explorer.account_id, explorer.as_of, explorer.language)
        if current == self._edited:
            return
        self._edited = current
        language = explorer.language
        self.document_editor = DocumentEditor(self.store, self.workbook, explorer.account_id,
                                              explorer.as_of, language,
                                              on_saved=self._document_saved)
        self.edit_tabs.children = [self.document_editor, self.changes]
        for index, key in enumerate(("document", "changes")):
            self.edit_tabs.set_title(index, t(f"wb.edit.{key}", language))
        self.show_changes()

    def show_changes(self) -> None:
        """The latest entries of the change log for this account, newest first."""
        log = self.store.changes(self.explorer.account_id)
        language = self.explorer.language
        if log.empty:
            self.changes.value = html.missing(t("wb.no_changes", language))
            return
        shown = log.tail(CHANGES_SHOWN).iloc[::-1]
        headers = {column: t(f"wb.log.{column}", language)
                   for column in ("when", "who", "file", "where", "before", "after")}
        self.changes.value = html.STYLE + html.table(shown, headers)

    def _document_saved(self, document: Any) -> None:
        workbook = self.workbook
        documents = dict(workbook.documents)
        if document is None:
            documents.pop(self.explorer.account_id, None)
        else:
            documents[self.explorer.account_id] = document
        self.explorer.replace_workbook(
            dataclasses.replace(workbook, documents=MappingProxyType(documents)))
        self.show_changes()
