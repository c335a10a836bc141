"""Nothing the workbench does fails silently: a file broken on disk, a callback that raises,
a date typed the Dutch way; said in the widget, in the session's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamkit.widgets import Workbench
from tests.widgets.editing import document_editor, row_of

# Seconds of CPU per test (widgets built over the demo workbook): left out of `make test-fast`.
pytestmark = pytest.mark.slow


def _document(book: Path) -> Path:
    return book / "documents" / "MAAS.yaml"


def test_saving_over_a_file_broken_on_disk_says_where_in_dutch(book: Path) -> None:
    editor = document_editor(book, "MAAS", "nl")
    quadrant = editor.form_of("swot_ours.strengths")
    quadrant.set(0, "text", "Snelle levering")
    path = _document(book)
    text = path.read_text(encoding="utf-8")
    at = text.index("vision: ")
    path.write_text(text[:at] + "vision: COLLEAGUE: VISION\n" + text[at:], encoding="utf-8")
    broken = path.read_bytes()
    assert editor.save() is None  # said, not raised
    message = editor.bar.message.value
    assert "Niet opgeslagen" in message and "documents/MAAS.yaml:" in message
    assert "teksteditor" in message
    assert path.read_bytes() == broken
    assert quadrant.records[0]["text"] == "Snelle levering"  # the edit is kept


def test_a_document_broken_before_opening_is_said_and_read_again_once_fixed(
        book: Path) -> None:
    bench = Workbench(book, "MAAS", "2026Q3", author="tester")
    path = _document(book)  # broken after the workbook was read, before the editor opens
    good = path.read_text(encoding="utf-8")
    path.write_text("account_id: MAAS\naccount_id: MAAS\n", encoding="utf-8")
    bench.open_editors()
    editor = bench.document_editor
    assert editor is not None
    assert "cannot be edited here" in editor.notice.value
    assert "documents/MAAS.yaml:2" in editor.notice.value
    assert editor.reload_button in editor.children
    path.write_text(good, encoding="utf-8")
    editor.reload_button.click()
    assert editor.readable and editor.tabs in editor.children
    assert editor.form_of("objectives").records


def test_an_error_in_a_callback_is_shown_in_the_widget(book: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    editor = document_editor(book, "MAAS", "nl")

    def broken(*_: object) -> list:
        raise RuntimeError("the check broke")

    monkeypatch.setattr(editor.store, "check_document", broken)
    editor.texts[("analysis", "vision")].value = "Nieuwe visie"  # an observer: no raise
    assert "Er ging iets mis" in editor.failure.value
    assert "RuntimeError: the check broke" in editor.failure.value
    editor.form_of("actions").add_button.click()  # a button: the same
    assert "the check broke" in editor.failure.value
    monkeypatch.undo()
    editor.texts[("analysis", "vision")].value = "Nieuwe visie, herzien"
    assert editor.failure.value == ""  # a callback that works clears it


def test_a_failing_save_is_said_not_raised(book: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    editor = document_editor(book, "MAAS")
    editor.texts[("analysis", "vision")].value = "A new vision"

    def broken(*_: object, **__: object) -> None:
        raise ValueError("disk says no")

    monkeypatch.setattr(editor.store, "save_document", broken)
    editor.bar.save_button.click()
    assert "Something went wrong" in editor.bar.message.value
    assert "ValueError: disk says no" in editor.bar.message.value


@pytest.mark.parametrize("typed", ["15-03-2026", "15/03/2026", "2026-3-15"])
def test_a_date_typed_the_dutch_way_is_saved_iso(book: Path, typed: str) -> None:
    editor = document_editor(book, "MAAS", "nl")
    index = row_of(editor, "actions", "AC01")
    editor.form_of("actions").set(index, "due", typed)
    assert editor.form_of("actions").messages[index].value.count("#c0392b") == 0
    assert not editor.bar.save_button.disabled
    assert editor.save() is not None
    assert "due: 2026-03-15" in _document(book).read_text(encoding="utf-8")


def test_an_impossible_date_says_so(book: Path) -> None:
    editor = document_editor(book, "MAAS")
    index = row_of(editor, "actions", "AC01")
    editor.form_of("actions").set(index, "due", "30-02-2026")
    message = editor.form_of("actions").messages[index].value
    assert "no such date" in message and "28 days" in message
    assert editor.bar.save_button.disabled


def test_a_blank_title_is_refused_as_the_api_refuses_it(book: Path) -> None:
    editor = document_editor(book, "MAAS")
    index = row_of(editor, "objectives", "OB1")
    editor.form_of("objectives").set(index, "title", "   ")
    assert editor.bar.save_button.disabled
    assert any(p.location == f"plan.objectives[{index}].title" for p in editor.problems)
