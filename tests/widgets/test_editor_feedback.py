"""What the document editor tells the user while they type: a target below zero is flagged
where `kamkit validate` flags it, the SMART lines stay while another field is wrong, a
"Saved" message goes at the next edit, and choices are named in the session's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.widgets.editing import document_editor, row_of

# Seconds of CPU per test (widgets built over the demo workbook): left out of `make test-fast`.
pytestmark = pytest.mark.slow


def _text(value: str) -> str:
    return re.sub(r"<[^>]+>", " ", value)


def test_a_negative_revenue_target_is_flagged_while_another_field_is_wrong(book: Path) -> None:
    editor = document_editor(book, "DELTA")
    objectives, actions = editor.form_of("objectives"), editor.form_of("actions")
    revenue = next(i for i, r in enumerate(objectives.records) if r["metric"] == "revenue")
    other = next(i for i, r in enumerate(objectives.records) if i != revenue)
    objectives.set(revenue, "target", "-5")
    said = _text(objectives.messages[revenue].value)
    assert "below zero" in said and "SMART" in said
    assert objectives.controls[revenue]["target"].layout.border  # marked
    assert not editor.bar.save_button.disabled  # a warning: the user may still save

    actions.set(0, "due", "2026-02-30")  # an error elsewhere in the form
    assert editor.bar.save_button.disabled
    assert "no such date" in _text(actions.messages[0].value)
    said = _text(objectives.messages[revenue].value)
    assert "below zero" in said and "SMART" in said  # still there
    assert "SMART" in _text(objectives.messages[other].value)


def test_the_saved_message_goes_at_the_next_edit(book: Path) -> None:
    editor = document_editor(book, "DELTA")
    objectives = editor.form_of("objectives")
    index = row_of(editor, "objectives", "OB1")
    objectives.set(index, "title", "A new title")
    editor.save()
    assert "Saved" in editor.bar.message.value
    objectives = editor.form_of("objectives")  # the forms are read again after a save
    objectives.set(index, "deadline", "not a date")
    assert editor.bar.message.value == ""
    assert editor.bar.save_button.disabled


def test_a_refusal_stays_until_the_next_save(book: Path) -> None:
    editor = document_editor(book, "DELTA")
    editor.form_of("objectives").set(0, "title", "")
    editor.save()
    refused = editor.bar.message.value
    assert refused
    editor.form_of("objectives").set(0, "title", "Back")
    assert editor.bar.message.value == refused


def test_the_objectives_service_is_chosen_by_its_dutch_name(book: Path) -> None:
    editor = document_editor(book, "DELTA", "nl")
    field = next(f for f in editor.form_of("objectives").fields if f.key == "scope.service")
    assert ("Kantoorschoonmaak", "CLEAN") in field.choices
    assert not any(shown == "Office cleaning" for shown, _ in field.choices)


@pytest.mark.parametrize(("language", "letters"), [("en", "S M A R T"), ("nl", "S M H R T")])
def test_the_smart_letters_are_the_reports(book: Path, language: str, letters: str) -> None:
    """The letters beside an objective are those of the plan report in the same language
    (H for haalbaar in Dutch)."""
    objectives = document_editor(book, "DELTA", language).form_of("objectives")
    said = re.search(r"SMART ((?:\S[✓✗?] ?){5})", _text(objectives.message(0)))
    assert said is not None and re.sub(r"[✓✗?]", "", said.group(1)).strip() == letters
