"""The workbench's editors as an analyst uses them on a real account: references typed in a
search box (an unknown one named beside its row), the document's tabs made when first shown
(edits and the unsaved state kept across tabs), the rows of a table filtered over its pages."""

from __future__ import annotations

import csv
from pathlib import Path

import ipywidgets as widgets
import pytest
from ipywidgets.widgets.widget import _instances

from kamkit.widgets.document_editor import GROUPS
from tests.widgets.editing import document_editor, editing_bench, row_of

# Seconds of CPU per test (widgets built over the demo workbook): left out of `make test-fast`.
pytestmark = pytest.mark.slow


def _tab(key: str) -> int:
    return [k for k, _ in GROUPS].index(key)


def test_an_unknown_contact_is_named_beside_its_row_and_blocks_the_save(book: Path) -> None:
    bench = editing_bench(book)
    editor = bench.table_editor("contacts")
    index = next(i for i, r in enumerate(editor.form.records) if r["reports_to"])
    box = editor.form.controls[index]["reports_to"]
    assert isinstance(box, widgets.Combobox)
    box.value = "Nobody we know"
    said = editor.form.message(index)
    assert said.count("Reports to (Nobody we know): none of the choices") == 1, said
    assert editor.bar.save_button.disabled
    box.value = "maas-c01"  # narrowed as typed, any case ...
    assert box.options and all("MAAS-C01" in o for o in box.options)
    box.value = box.options[0]  # ... and picked
    assert editor.form.records[index]["reports_to"] == "MAAS-C01"
    assert editor.form.message(index) == "" and not editor.bar.save_button.disabled


def test_an_unknown_owner_of_an_action_is_named_beside_its_row(book: Path) -> None:
    editor = document_editor(book, "MAAS")
    actions = editor.form_of("actions")
    index = row_of(editor, "actions", "AC02")
    actions.controls[index]["owner"].value = "Sanne"  # a name half typed, none chosen
    assert actions.records[index]["owner"] == "Sanne"
    said = actions.message(index)
    assert said.count("Owner (Sanne): none of the choices; pick one from the list") == 1, said
    assert editor.bar.save_button.disabled
    assert actions.controls[index]["owner"].options  # the people called Sanne offered


def test_the_document_tabs_are_made_when_first_shown(book: Path) -> None:
    held = len(_instances)
    editor = document_editor(book, "MAAS")
    made = len(_instances) - held
    assert editor.forms == {}  # the vision tab shows texts only
    # every tab built at once, the document editor alone was some 1,050 widgets
    assert made < 700, made
    assert editor.tabs.children[_tab("objectives")].children == ()
    editor.tabs.selected_index = _tab("objectives")
    objectives = editor.forms["objectives"]
    assert set(editor.forms) == {"objectives"}
    assert editor.tabs.children[_tab("objectives")].children  # shown, under its heading
    index = row_of(editor, "objectives", "OB1")
    assert "SMART" in objectives.message(index)  # the verdicts of the check made before


def test_edits_and_problems_hold_across_tabs_made_later(book: Path) -> None:
    editor = document_editor(book, "MAAS")
    editor.tabs.selected_index = _tab("objectives")
    objectives = editor.forms["objectives"]
    index = row_of(editor, "objectives", "OB1")
    objectives.controls[index]["id"].value = "OB1-renamed"  # actions still name OB1
    assert editor.unsaved and editor.bar.save_button.disabled
    assert "actions" not in editor.forms
    editor.tabs.selected_index = _tab("actions")
    actions = editor.forms["actions"]
    dangling = [i for i, r in enumerate(actions.records) if r["objective"] == "OB1"]
    assert dangling and all("OB1" in actions.message(i) for i in dangling)
    editor.tabs.selected_index = _tab("objectives")
    assert editor.forms["objectives"] is objectives  # made once, the edit still in it
    assert objectives.records[index]["id"] == "OB1-renamed"
    objectives.controls[index]["id"].value = "OB1"  # typed back: nothing to save
    assert not editor.unsaved and not editor.bar.save_button.disabled


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_tab_never_shown_counts_its_problems_in_its_title(book: Path, language: str) -> None:
    editor = document_editor(book, "MAAS", language)
    actions = _tab("actions")
    plain = editor.tabs.titles[actions]
    editor.tabs.selected_index = _tab("objectives")
    objectives = editor.forms["objectives"]
    objectives.controls[row_of(editor, "objectives", "OB1")]["id"].value = "OB1-renamed"
    assert "actions" not in editor.forms  # actions naming OB1 now dangle, unseen
    dangling = sum(r["objective"] == "OB1" for r in editor._records_of("actions"))
    words = ("problem", "proble")[language == "nl"]  # probleem, problemen
    assert editor.tabs.titles[actions].startswith(f"{plain} ({dangling} {words}")
    editor.tabs.selected_index = actions  # made: the count is the one its rows show
    assert editor.tabs.titles[actions].startswith(f"{plain} ({dangling} {words}")
    objectives.controls[row_of(editor, "objectives", "OB1-renamed")]["id"].value = "OB1"
    assert editor.tabs.titles[actions] == plain


def test_a_save_keeps_the_tabs_never_opened_unmade_and_intact(book: Path) -> None:
    document = book / "documents" / "MAAS.yaml"
    before = document.read_text(encoding="utf-8")
    editor = document_editor(book, "MAAS")
    area = editor.texts[("analysis", "vision")]
    area.value = area.value + " Written again."
    assert editor.save() is not None
    after = document.read_text(encoding="utf-8")
    assert [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True)
            if a != b], "the vision line changed"
    assert len(before.splitlines()) == len(after.splitlines())  # nothing else written
    assert editor.forms == {} and not editor.unsaved


def _spend_rows(book: Path) -> list[dict[str, str]]:
    with (book / "spend.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_filtered_table_pages_over_its_rows_and_saves_the_row_edited(book: Path) -> None:
    bench = editing_bench(book)
    editor = bench.table_editor("spend")
    form = editor.form
    editor.filter("rotterdam", "location")  # the location by its name
    assert len(form.visible) == 39 and len(form.records) == 103
    assert form.pager is not None and form.pager.choice.label == "Rows 1–25 of 39"
    assert "39 rows of 103 shown" in editor.filter_note.value
    form.pager.next.click()
    index = form.shown[5]
    row = form.records[index]
    form.controls[index]["spend"].value = "-5"
    form.pager.previous.click()
    assert "Problems on another page: rows 26–39" in form.pager.note.value
    editor.filter("Antwerp")  # in any column: the problem's row is hidden
    assert "Problems in 1 row the filter hides" in editor.filter_note.value
    assert editor.bar.save_button.disabled
    editor.filter("Rotterdam")
    form.set(index, "spend", "777000")
    assert editor.filter_note.value == "39 rows of 103 shown"
    editor.save()
    saved = [r for r in _spend_rows(book) if r["account_id"] == "MAAS"]
    changed = [r for r in saved if r["spend"] == "777000"]
    assert len(changed) == 1
    assert (changed[0]["year"], changed[0]["service"], changed[0]["location"]) == (
        str(row["year"]), row["service"], "NL-RTM")
    assert len(form.visible) == 39  # the filter holds after the save


def test_the_filter_speaks_dutch(book: Path) -> None:
    bench = editing_bench(book, language="nl")
    editor = bench.table_editor("spend")
    editor.filter("Rotterdam")
    assert editor.filter_note.value == "39 rijen van 103 getoond"
    assert editor.filter_text.placeholder == "Rijen filteren (Enter)"
    assert editor.filter_column.options[0] == ("in alle kolommen", "")
