"""A save reads the document back into the forms it was typed in: the widgets shown stay
(the browser replaced some two thousand of them on every save, and an uncaught "widget model
not found" was seen in JupyterLab once after one), and what they show is what a form made
for the saved document shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from ipywidgets.widgets.widget import _instances

from kamkit.widgets.document_form import PARTS_BY_KEY, fields
from kamkit.widgets.records import RecordList
from tests.widgets.editing import document_editor, row_of

# Seconds of CPU per test (widgets built over the demo workbook): left out of `make test-fast`.
pytestmark = pytest.mark.slow


def _shown(form: RecordList) -> list[dict[str, object]]:
    """What each control of ``form`` shows (its value, a choice's options, a text's rows)."""
    return [{key: (control.value, getattr(control, "options", None),
                   getattr(control, "rows", None)) for key, control in controls.items()}
            for controls in form.controls.values()]


def test_a_save_fills_the_forms_in_place(book: Path) -> None:
    editor = document_editor(book, "DELTA")
    objectives = editor.form_of("objectives")
    index = row_of(editor, "objectives", "OB1")
    target = objectives.controls[index]["target"]
    title = objectives.controls[index]["title"]
    before = set(_instances)
    objectives.set(index, "target", "47.0")
    objectives.set(index, "title", "A longer title " * 9)  # more rows to read it whole
    editor.save()

    assert "Saved" in editor.bar.message.value
    assert editor.form_of("objectives") is objectives
    assert objectives.controls[index]["target"] is target and target.value == "47"
    assert objectives.records[index]["target"] == 47 and not editor.unsaved
    assert set(_instances) <= before  # not one widget made for the save
    data = editor.store.document("DELTA").data
    for key, form in editor.forms.items():  # as a form made for the saved document shows
        part = PARTS_BY_KEY[key]
        fresh = RecordList(fields(part, editor.workbook, data, "en"), form.records)
        assert _shown(form) == _shown(fresh), key
    assert title.rows == RecordList(objectives.fields, objectives.records).controls[
        index]["title"].rows > 2


def test_a_save_with_other_rows_draws_the_form_again(book: Path) -> None:
    editor = document_editor(book, "DELTA")
    actions = editor.form_of("actions")
    count = len(actions.records)
    actions.add()
    actions.set(count, "what", "Call the new buyer")
    editor.save()

    assert "Saved" in editor.bar.message.value
    assert len(actions.controls) == count + 1
    assert actions.controls[count]["what"].value == "Call the new buyer"
    assert not editor.unsaved
    actions.set(count, "what", "Call the new buyer twice")  # the new row's callbacks work
    assert editor.unsaved and actions.records[count]["what"] == "Call the new buyer twice"
