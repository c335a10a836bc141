"""The edit area's table tabs as the analyst meets them: each counts the problems it shows in
its title, also before it is first shown (no table's form is made for the count), and a row
added or edited under a filter stays in view after the save reads the rows again."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kamkit.labels import t
from kamkit.widgets.table_editor import EDITABLE
from tests.widgets.editing import NEW_CONTACT, editing_bench

# Seconds of CPU per test (widgets built over the demo workbook): left out of `make test-fast`.
pytestmark = pytest.mark.slow


def _tab(table: str) -> int:
    return 1 + EDITABLE.index(table)


def _title(table: str, count: int, language: str = "en") -> str:
    plain = t(f"wb.table.{table}", language)
    return t("wb.tab_problems", language, title=plain, count=count) if count else plain


def _break_emails(book: Path, *contacts: str) -> None:
    """Give ``contacts`` an e-mail address that is none (a warning: the account still loads)."""
    path = book / "contacts.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.split(",", 1)[0] in contacts:
            cells = line.rstrip("\n").split(",")
            cells[-1] = "not an address"
            lines[i] = ",".join(cells) + "\n"
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_table_tab_counts_its_problems_before_it_is_shown(book: Path, language: str) -> None:
    _break_emails(book, "MAAS-C02", "MAAS-C03")
    bench = editing_bench(book, language=language)
    assert bench.table_editors == {}  # counted without making a form
    titles = bench.edit_tabs.titles
    assert titles[_tab("contacts")] == _title("contacts", 2, language)
    assert titles[_tab("history")] == _title("history", 0, language)
    assert titles[0] == t("wb.edit.document", language)

    bench.edit_tabs.selected_index = _tab("contacts")  # made: the count its rows show
    editor = bench.table_editors["contacts"]
    assert bench.edit_tabs.titles[_tab("contacts")] == _title("contacts", 2, language)
    index = next(i for i, r in enumerate(editor.form.records) if r["contact_id"] == "MAAS-C02")
    editor.form.set(index, "email", "marloes.verbeek@maasport.example")  # as typed
    assert bench.edit_tabs.titles[_tab("contacts")] == _title("contacts", 1, language)
    assert editor.save() is not None
    assert bench.edit_tabs.titles[_tab("contacts")] == _title("contacts", 1, language)
    # the change log says when on one line (a plain space let the time wrap under the date)
    assert re.search(r">\d{4}-\d\d-\d\d\u00a0\d\d:\d\d<", bench.changes.value)
    index = next(i for i, r in enumerate(editor.form.records) if r["contact_id"] == "MAAS-C03")
    editor.form.set(index, "email", "hans.kuijpers@maasport.example")
    assert bench.edit_tabs.titles[_tab("contacts")] == _title("contacts", 0, language)


def test_a_save_recounts_the_tabs_never_shown(book: Path) -> None:
    bench = editing_bench(book)
    criteria = bench.table_editor("criteria")
    index = next(i for i, r in enumerate(criteria.form.records)
                 if r["criterion"] == "strategic_fit")
    criteria.form.set(index, "criterion", "strategic_fit_2")  # nobody scored it: a warning
    assert bench.edit_tabs.titles[_tab("criteria")] == _title("criteria", 1)
    assert bench.edit_tabs.titles[_tab("judgements")] == _title("judgements", 0)
    assert criteria.save() is not None
    # MAAS's score of strategic_fit now scores a criterion no longer in force
    assert "judgements" not in bench.table_editors
    assert bench.edit_tabs.titles[_tab("judgements")] == _title("judgements", 1)
    judgements = bench.table_editor("judgements")
    assert judgements.problem_count == 1
    assert bench.edit_tabs.titles[_tab("judgements")] == _title("judgements", 1)


def test_the_document_tab_counts_the_problems_of_its_tabs(book: Path) -> None:
    bench = editing_bench(book)
    editor = bench.document_editor
    assert editor is not None and bench.edit_tabs.titles[0] == t("wb.edit.document", "en")
    objectives = editor.form_of("objectives")
    index = next(i for i, r in enumerate(objectives.records) if r["id"] == "OB1")
    objectives.set(index, "id", "OB1-renamed")  # the actions naming OB1 dangle
    assert editor.problem_count > 0
    assert bench.edit_tabs.titles[0] == t("wb.tab_problems", "en", title=t(
        "wb.edit.document", "en"), count=editor.problem_count)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_row_added_or_edited_under_a_filter_stays_in_view_after_the_save(
        book: Path, language: str) -> None:
    editor = editing_bench(book, language=language).table_editor("contacts")
    editor.filter("Verbeek", "name")
    [verbeek] = editor.form.visible
    editor.form.set(verbeek, "name", "Marloes Jansen")  # no longer what the filter holds
    editor.form.add()
    added = len(editor.form.records) - 1
    for column, value in NEW_CONTACT:
        editor.form.set(added, column, value)
    assert editor.save() is not None and not editor.unsaved
    shown = {editor.form.records[i]["name"] for i in editor.form.visible}
    assert shown == {"Marloes Jansen", "Iris Bakker"}  # read again, still in view
    assert {editor.form.records[i]["name"] for i in editor.form.shown} == shown
    total = len(editor.form.records)
    said = t("wb.filter_count", language, count=2, total=total) + ", " + t(
        "wb.filter_kept", language, count=2)
    assert said in editor.filter_note.value
    editor.filter("")
    editor.filter("Verbeek")  # a filter set again shows what it holds
    assert editor.form.kept_unmatched == []
    assert editor.filter_note.value == t("wb.filter_count", language, count=len(
        editor.form.visible), total=total)
