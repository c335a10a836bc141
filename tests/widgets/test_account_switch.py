"""Switching accounts while the browser still sends to the editors of the account before.

The kernel handles widget messages in order: while it builds DELTA's editors (seconds), what
the user types into MAAS's forms and a click on their Save button wait, and reach MAAS's
widgets after the build. The tests send them in that order: the switch first, the late edit
and click after it, to the widgets the user saw.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kamkit.widgets import Workbench
from kamkit.widgets import workbench as workbench_module
from kamkit.widgets.document_editor import DocumentEditor
from tests.widgets.editing import editing_bench, row_of

LATE = "Typed under the title of the next account"


@pytest.fixture
def bench(book: Path) -> Workbench:
    return editing_bench(book)


def _maas(book: Path) -> str:
    return (book / "documents" / "MAAS.yaml").read_text(encoding="utf-8")


def _switch(bench: Workbench, account: str) -> None:
    """What the browser sends when the user picks ``account`` in the picker."""
    bench.explorer.account_picker.value = account


@pytest.mark.slow  # over 0.5 CPU s; the fast tier keeps a cheaper case (conftest.py)
def test_the_forms_are_greyed_out_under_loading_until_the_new_ones_are_in_place(
        bench: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, bool, str]] = []
    built = workbench_module.DocumentEditor

    def building(*args: object, **kwargs: object) -> DocumentEditor:
        seen.append((bench.edit_area.get_title(0), "kk-stale" in bench.edit_tabs._dom_classes,
                     bench.note.value))
        return built(*args, **kwargs)  # type: ignore[arg-type]

    drawn: list[bool] = []
    draw = bench.explorer._draw_visible
    monkeypatch.setattr(bench.explorer, "_draw_visible",
                        lambda: (drawn.append("kk-stale" in bench.edit_tabs._dom_classes),
                                 draw())[1])
    monkeypatch.setattr(workbench_module, "DocumentEditor", building)
    _switch(bench, "DELTA")
    assert drawn == [True]  # greyed out before the views take their time
    title, stale, note = seen[0]
    assert title.startswith("Edit MAAS") and stale and "Loading DELTA" in note
    assert bench.edit_area.get_title(0).startswith("Edit DELTA")  # with DELTA's forms
    assert "kk-stale" not in bench.edit_tabs._dom_classes and bench.note.value == ""


def test_the_loading_note_is_in_the_workbench_language(book: Path) -> None:
    bench = Workbench(book, "MAAS", "2026Q3", language="nl", author="tester")
    bench.open_editors()
    bench._freeze("DELTA")
    assert "DELTA wordt geladen" in bench.note.value


@pytest.mark.slow  # over 0.5 CPU s; the fast tier keeps a cheaper case (conftest.py)
def test_an_edit_and_save_that_arrive_after_the_switch_are_saved_to_their_account(
        bench: Workbench, book: Path) -> None:
    maas = bench.document_editor
    assert maas is not None
    bench.edit_tabs.selected_index = 0
    actions = maas.form_of("actions")
    row = row_of(maas, "actions", "AC01")
    delta_before = (book / "documents" / "DELTA.yaml").read_text(encoding="utf-8")
    _switch(bench, "DELTA")
    assert bench.document_editor is not maas
    assert bench.document_editor is not None and bench.document_editor.account_id == "DELTA"
    actions.set(row, "what", LATE)  # typed into MAAS's form before the browser heard
    # MAAS's editors are back, holding the edit, under the rule for unsaved changes
    assert bench.document_editor is maas and maas.unsaved
    assert bench.edit_area.get_title(0).startswith("Edit MAAS")
    assert "MAAS" in bench.pending.value and "DELTA" in bench.pending.value
    assert bench.edit_tabs.children[0] is maas
    maas.bar.save_button.click()  # the Save click that followed it
    assert LATE in _maas(book)
    assert (book / "documents" / "DELTA.yaml").read_text(encoding="utf-8") == delta_before
    # saved: the editors follow the explorer, and the save is said above them
    assert bench.document_editor.account_id == "DELTA"
    assert "MAAS: Saved: 1 change in documents/MAAS.yaml" in bench.note.value
    assert bench.workbook.documents["MAAS"].model_dump_json().count(LATE) == 1
    assert LATE not in bench.workbook.documents["DELTA"].model_dump_json()


@pytest.mark.slow  # over 0.5 CPU s; the fast tier keeps a cheaper case (conftest.py)
def test_a_late_edit_is_held_not_dropped_when_nobody_saves(bench: Workbench,
                                                           book: Path) -> None:
    maas = bench.document_editor
    assert maas is not None
    _switch(bench, "DELTA")
    maas.texts[("analysis", "vision")].value = LATE
    assert bench.unsaved and bench.document_editor is maas
    _switch(bench, "KRONE")  # still held: the user saves or discards
    assert bench.document_editor is maas and "KRONE" in bench.pending.value
    bench.discard_button.click()
    assert bench.document_editor is not None
    assert bench.document_editor.account_id == "KRONE"
    assert LATE not in _maas(book)


@pytest.mark.slow  # over 0.5 CPU s; the fast tier keeps a cheaper case (conftest.py)
def test_a_late_save_click_in_forms_without_changes_is_refused_in_words(
        bench: Workbench, book: Path) -> None:
    maas = bench.document_editor
    assert maas is not None
    before = _maas(book)
    _switch(bench, "DELTA")
    maas.bar.save_button.click()
    maas.bar.undo_button.click()
    assert "Nothing was saved or undone" in bench.note.value
    assert "MAAS" in bench.note.value and "DELTA" in bench.note.value
    assert bench.document_editor is not None and bench.document_editor.account_id == "DELTA"
    assert _maas(book) == before and not (book / "kamkit-changes.csv").exists()


@pytest.mark.slow  # over 0.5 CPU s; the fast tier keeps a cheaper case (conftest.py)
def test_a_late_edit_in_a_table_editor_comes_back_too(bench: Workbench, book: Path) -> None:
    bench.edit_tabs.selected_index = 1  # contacts
    contacts = bench.table_editor("contacts")
    _switch(bench, "DELTA")
    assert bench.table_editors.get("contacts") is not contacts
    contacts.form.set(0, contacts.fields[1].key, "Late name")
    assert bench.table_editors["contacts"] is contacts
    assert bench.edit_area.get_title(0).startswith("Edit MAAS") and bench.unsaved
