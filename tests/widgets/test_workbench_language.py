"""Switching the workbench's language while editing: the editors are shown again in the new
language holding everything typed and not saved yet (nothing is lost, nothing half
translated), and "unsaved" means the forms differ from the file, not that a key was
pressed."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from kamkit.labels import t
from kamkit.widgets import Workbench

# Seconds of CPU per test (widgets built over the demo workbook): left out of `make test-fast`.
pytestmark = pytest.mark.slow


@pytest.fixture
def bench(book: Path) -> Workbench:
    workbench = Workbench(book, "DELTA", "2026Q3", author="tester")
    workbench.open_editors()
    return workbench


def _titles(tabs: object) -> list[str]:
    return [tabs.get_title(i) for i in range(len(tabs.children))]  # type: ignore[attr-defined]


def _row(records: object, item_id: str) -> int:
    return next(i for i, r in enumerate(records.records)  # type: ignore[attr-defined]
                if r["id"] == item_id)


def test_a_value_typed_back_is_no_change(bench: Workbench) -> None:
    editor = bench.document_editor
    assert editor is not None and not bench.unsaved
    objectives = editor.form_of("objectives")
    index = _row(objectives, "OB3")
    before = objectives.records[index]["target"]
    objectives.set(index, "target", before + 5)
    assert bench.unsaved
    objectives.set(index, "target", before)
    assert not bench.unsaved
    table = bench.table_editor("contacts")
    name = table.form.records[0]["name"]
    table.form.set(0, "name", name + " typed")
    assert bench.unsaved
    table.form.set(0, "name", name)
    assert not bench.unsaved


def test_switching_language_after_an_edit_relabels_everything_and_keeps_the_draft(
        bench: Workbench, book: Path) -> None:
    editor = bench.document_editor
    assert editor is not None
    editor.texts[("analysis", "vision")].value = "Typed before switching"
    index = _row(editor.form_of("objectives"), "OB3")
    editor.form_of("objectives").set(index, "target", 1_700_000)
    bench.edit_tabs.selected_index = 1  # contacts
    contacts = bench.table_editor("contacts")
    contacts.form.set(0, "name", "Renamed Before Switching")

    bench.explorer.language_picker.value = "nl"

    dutch = bench.document_editor
    assert dutch is not None and dutch is not editor and dutch.language == "nl"
    assert bench.pending.value == "" and bench.discard_button.layout.display == "none"
    assert dutch.texts[("analysis", "vision")].value == "Typed before switching"
    assert dutch.form_of("objectives").records[index]["target"] == 1_700_000
    assert dutch.unsaved and bench.unsaved
    assert _titles(dutch.tabs)[4] == t("wb.edit.objectives", "nl")
    assert _titles(bench.edit_tabs)[0] == t("wb.edit.document", "nl")
    assert dutch.bar.save_button.description == t("wb.save", "nl")
    assert bench.edit_tabs.selected_index == 1  # the tab the user was on
    table = bench.table_editors["contacts"]
    assert table.language == "nl" and table.form.records[0]["name"] == "Renamed Before Switching"
    assert table.fields[1].label == t("wb.col.name", "nl")

    dutch.save()  # what was typed in English is saved from the Dutch editor
    assert "Opgeslagen" in dutch.bar.message.value
    saved = yaml.safe_load((book / "documents" / "DELTA.yaml").read_text(encoding="utf-8"))
    assert saved["analysis"]["vision"] == "Typed before switching"
    assert next(o for o in saved["plan"]["objectives"] if o["id"] == "OB3")["target"] \
        == 1_700_000


def test_held_editors_of_another_account_follow_the_language(bench: Workbench) -> None:
    editor = bench.document_editor
    assert editor is not None
    editor.texts[("analysis", "vision")].value = "Held for DELTA"
    bench.explorer.pick("MAAS")
    assert "DELTA" in bench.pending.value
    assert bench.discard_button.description == t("wb.discard", "en")

    bench.explorer.language_picker.value = "nl"

    held = bench.document_editor
    assert held is not None and held.account_id == "DELTA" and held.language == "nl"
    assert held.texts[("analysis", "vision")].value == "Held for DELTA"
    assert bench.discard_button.description == t("wb.discard", "nl")
    banner = re.sub(r"<[^>]+>", "", bench.pending.value)
    assert "DELTA" in banner and "MAAS" in banner and "editors" in banner.lower()
    assert bench.discard_button.layout.width == "auto"  # the whole label shown
    bench.discard()
    assert bench.document_editor is not None
    assert bench.document_editor.account_id == "MAAS"
    assert bench.document_editor.language == "nl"


def test_the_change_log_says_places_and_values_in_the_forms_words(book: Path) -> None:
    bench = Workbench(book, "DELTA", "2026Q3", language="nl", author="tester")
    bench.open_editors()
    editor = bench.document_editor
    assert editor is not None
    actions = editor.form_of("actions")
    index = next(i for i, r in enumerate(actions.records) if r["status"] == "in_progress")
    action = actions.records[index]["id"]
    actions.set(index, "status", "done")
    objectives = editor.form_of("objectives")
    objectives.set(_row(objectives, "OB1"), "title", "Nieuwe titel")
    editor.save()
    contacts = bench.table_editor("contacts")
    contact = contacts.form.records[0]["contact_id"]
    contacts.form.set(0, "title", "Voorzitter")
    contacts.save()

    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", bench.changes.value))
    assert f"{t('word.action', 'nl')} {action}: Status in uitvoering afgerond" in text
    assert f"{t('word.objective', 'nl')} OB1: {t('word.objective', 'nl')} " in text
    assert f"{t('wb.table.contacts', 'nl')} {contact}: {t('wb.col.title', 'nl')}" in text
    assert "plan." not in text and "in_progress" not in text and "[" not in text
    headings = re.findall(r"<th[^>]*>([^<]*)</th>", bench.changes.value)
    assert headings.index(t("wb.log.after", "nl")) == headings.index(t("wb.log.before", "nl")) + 1


@pytest.mark.parametrize("typed", ["2026Q5", "31-02-2026"])
def test_a_wrong_as_of_date_is_said_in_dutch(book: Path, typed: str) -> None:
    explorer = Workbench(book, "DELTA", "2026Q3", "nl").explorer
    explorer.as_of_box.value = typed
    said = html.unescape(explorer.as_of_message.value)
    assert f"De peildatum '{typed}' is niet te lezen" in said and "Cannot" not in said, said
    assert explorer.as_of.isoformat() == "2026-09-30"  # the date before it stays
