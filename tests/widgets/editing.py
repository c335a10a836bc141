"""The document editor as the widget tests open it: a workbench over a workbook copy, its
edit area opened on one account."""

from __future__ import annotations

from pathlib import Path

from kamkit.widgets import Workbench
from kamkit.widgets.document_editor import DocumentEditor


def editing_bench(book: Path, account_id: str = "MAAS", language: str = "en") -> Workbench:
    """A workbench over ``book`` on 2026Q3 with the editors of ``account_id`` open, saving as
    "tester"."""
    bench = Workbench(book, account_id, "2026Q3", language=language, author="tester")
    bench.open_editors()
    return bench


def document_editor(book: Path, account_id: str, language: str = "en") -> DocumentEditor:
    """The document editor of ``account_id`` in ``editing_bench``."""
    bench = editing_bench(book, account_id, language)
    assert bench.document_editor is not None
    return bench.document_editor


def row_of(editor: DocumentEditor, part: str, item_id: str) -> int:
    """The index of the record ``item_id`` in the form of ``part`` (e.g. "objectives")."""
    return next(i for i, r in enumerate(editor.form_of(part).records) if r["id"] == item_id)


NEW_CONTACT = (("contact_id", "MAAS-C40"), ("name", "Iris Bakker"), ("title", "Category buyer"),
               ("department", "Procurement"), ("level", "tactical"), ("reports_to", "MAAS-C01"),
               ("buying_role", "buyer"), ("attitude", "neutral"), ("influence", "medium"))
"""A contact of MAAS's that the demo does not have, by column: what a test types in a new row."""
