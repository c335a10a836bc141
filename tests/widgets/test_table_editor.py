"""The table editors driven as a user would: rows typed, added and saved, the file's own
dialect kept, problems beside their row, conflicts with a colleague's save."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import kamkit
from kamkit.portfolio.criteria import criteria
from kamkit.widgets import Workbench
from kamkit.widgets.table_editor import EDITABLE, TableEditor
from tests.widgets.editing import NEW_CONTACT, editing_bench

# Seconds of CPU per test (widgets built over the demo workbook): left out of `make test-fast`.
pytestmark = pytest.mark.slow


def _dutch(path: Path, numbers: tuple[str, ...]) -> bytes:
    """Rewrite a CSV as Excel writes it in the Netherlands: BOM, semicolons, decimal commas,
    CRLF line ends."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = rows[0]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows[1:]:
        writer.writerow([f"{float(v):.2f}".replace(".", ",") if name in numbers and v else v
                         for name, v in zip(header, row, strict=True)])
    data = b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")
    path.write_bytes(data)
    return data


def _changed_lines(old: bytes, new: bytes) -> list[tuple[bytes, bytes]]:
    before, after = old.split(b"\r\n"), new.split(b"\r\n")
    assert len(before) == len(after)
    return [(a, b) for a, b in zip(before, after, strict=True) if a != b]


def test_every_editable_table_has_a_tab_with_its_rows(book: Path) -> None:
    bench = editing_bench(book)
    for index, table in enumerate(EDITABLE, start=1):
        bench.edit_tabs.selected_index = index
        editor = bench.table_editors[table]
        if table == "criteria":  # none written in the demo: the defaults in force are shown
            assert len(editor.form.records) == len(criteria(bench.workbook))
        else:
            assert len(editor.form.records) == len(bench.workbook.account("MAAS").table(table))
        assert not editor.bar.save_button.disabled, editor.problem_list.value


def test_a_dutch_spend_file_keeps_its_dialect_and_other_lines(book: Path) -> None:
    old = _dutch(book / "spend.csv", ("spend", "volume"))
    bench = editing_bench(book)
    editor = bench.table_editor("spend")
    index = next(i for i, r in enumerate(editor.form.records)
                 if (r["year"], r["service"], r["location"]) == (2025, "CLEAN", "NL-RTM"))
    before = editor.form.records[index]["spend"]
    editor.form.set(index, "spend", "1234567,5")
    assert editor.save() is not None
    [(removed, added)] = _changed_lines(old, (book / "spend.csv").read_bytes())
    assert removed.startswith(b"MAAS;2025;CLEAN;NL-RTM;" + f"{before:.2f}".replace(
        ".", ",").encode())
    assert added.startswith(b"MAAS;2025;CLEAN;NL-RTM;1234567,50;")
    assert (book / "spend.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    spend = kamkit.load_workbook(book).spend
    row = spend[(spend.account_id == "MAAS") & (spend.year == 2025) &
                (spend.service == "CLEAN") & (spend.location == "NL-RTM")]
    assert row["spend"].iloc[0] == 1234567.5
    wallet = bench.explorer  # the views follow the save
    wallet.select(services=("CLEAN",), locations=("NL-RTM",))
    assert ">1,234,568<" in wallet.shown("wallet")  # a cell of an amount column


@pytest.mark.parametrize(("table", "column", "typed", "expected"), [
    ("relationships", "strength", "7", "from 1 to 5"),
    ("relationships", "last_contact", "31-31-2026", "date"),
    ("feedback", "score", "eleven", "number"),
    ("spend", "spend", "-5", "not be negative"),
    ("history", "date", "", "is empty"),
])
def test_invalid_cells_are_named_beside_their_row_and_never_written(
        book: Path, table: str, column: str, typed: str, expected: str) -> None:
    bench = editing_bench(book)
    editor = bench.table_editor(table)
    original = (book / f"{table}.csv").read_bytes()
    editor.form.set(0, column, typed)
    message = editor.form.messages[0].value
    assert expected in message, message
    assert editor.form.controls[0][column].layout.border
    assert editor.bar.save_button.disabled
    editor.save()
    assert (book / f"{table}.csv").read_bytes() == original


def test_a_contact_id_of_another_account_is_refused(book: Path) -> None:
    editor = editing_bench(book).table_editor("contacts")
    editor.form.add()
    last = len(editor.form.records) - 1
    for column, value in (("contact_id", "DELTA-C01"), ("name", "Iris Bakker"),
                          ("title", "Buyer"), ("department", "Procurement"),
                          ("level", "tactical"), ("buying_role", "buyer"),
                          ("attitude", "neutral"), ("influence", "medium")):
        editor.form.set(last, column, value)
    assert "DELTA-C01" in editor.form.messages[last].value + editor.problem_list.value
    assert editor.bar.save_button.disabled


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_new_contact_row_waits_to_be_filled_in_and_save_stays_off(
        book: Path, language: str) -> None:
    editor = editing_bench(book, language=language).table_editor("contacts")
    editor.form.add()
    last = len(editor.form.records) - 1
    said = editor.form.messages[last].value
    assert editor.problem_list.value == ""  # no list of "row 16: is empty" under the form
    assert "#c0392b" not in said and ("fill in", "vul")[language == "nl"] in said
    assert editor.bar.save_button.disabled  # the required fields are still empty
    labels = [label for f in editor.fields if f.kind == "choice"
              for label, _ in editor.form.controls[last][f.key].options]
    assert "None" not in labels
    editor.form.set(last, "name", "Iris Bakker")  # touched: its problems beside it, in red
    said = editor.form.messages[last].value
    assert "#c0392b" in said and editor.problem_list.value == ""
    assert editor.bar.save_button.disabled


def test_a_new_contact_and_a_relationship_to_them(book: Path) -> None:
    bench = editing_bench(book)
    contacts = bench.table_editor("contacts")
    contacts.form.add()
    last = len(contacts.form.records) - 1
    for column, value in NEW_CONTACT:
        contacts.form.set(last, column, value)
    assert not contacts.bar.save_button.disabled, contacts.problem_list.value
    contacts.save()
    bench.edit_tabs.selected_index = 1 + EDITABLE.index("relationships")
    relationships = bench.table_editors["relationships"]
    assert "MAAS-C40" in {v for _, v in relationships.fields[1].choices}
    relationships.form.add()
    row = len(relationships.form.records) - 1
    relationships.form.set(row, "person_id", "P01")
    relationships.form.set(row, "contact_id", "MAAS-C40")
    relationships.form.set(row, "strength", "3")
    relationships.form.set(row, "last_contact", "2026-09-15")
    relationships.save()
    workbook = kamkit.load_workbook(book)
    assert "MAAS-C40" in set(workbook.account("MAAS").contacts["contact_id"])
    links = workbook.relationships
    assert ((links.person_id == "P01") & (links.contact_id == "MAAS-C40")).any()


def test_a_colleague_saving_another_row_is_merged(book: Path) -> None:
    bench = editing_bench(book)
    editor = bench.table_editor("history")
    editor.form.set(0, "description", "Kick-off with the new facility director")
    path = book / "history.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    other = next(i for i, line in enumerate(lines) if line.startswith("DELTA,"))
    lines[other] = lines[other].replace("DELTA,", "DELTA,", 1).rstrip("\n") + "\n"
    lines[other] = lines[other].replace(lines[other].split(",")[3],
                                        "Edited by a colleague", 1)
    path.write_text("".join(lines), encoding="utf-8")
    assert editor.save() is not None
    history = kamkit.load_workbook(book).history
    assert "Kick-off with the new facility director" in set(history.description)
    assert "Edited by a colleague" in set(history.description)


def test_a_colleague_saving_the_same_row_is_a_choice(book: Path) -> None:
    bench = editing_bench(book)
    editor = bench.table_editor("relationships")
    editor.form.set(0, "strength", "5")
    path = book / "relationships.csv"
    first = editor.form.records[0]
    text = path.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith(
        f"{first['person_id']},{first['contact_id']},"))
    path.write_text(text.replace(line, f"{first['person_id']},{first['contact_id']},1,"
                                       "2026-09-20"), encoding="utf-8")
    assert editor.save() is None
    assert editor.bar.choices
    shown = editor.bar.conflicts.children[0].children[0].value
    assert f"{first['contact_id']}].strength<" in shown  # the cell, not the whole row
    assert ">5</td>" in shown and ">1</td>" in shown
    next(iter(editor.bar.choices.values())).value = "mine"
    editor.bar.conflicts.children[-1].click()
    links = kamkit.load_workbook(book).relationships
    mine = links[(links.person_id == first["person_id"]) &
                 (links.contact_id == first["contact_id"])]
    assert mine["strength"].iloc[0] == 5


def test_undo_of_a_row_save(book: Path) -> None:
    editor: TableEditor = editing_bench(book).table_editor("feedback")
    original = (book / "feedback.csv").read_bytes()
    editor.form.set(0, "description", "Survey, re-scored")
    editor.save()
    assert (book / "feedback.csv").read_bytes() != original
    editor.bar.undo_button.click()
    assert (book / "feedback.csv").read_bytes() == original


def test_dutch_table_editor_labels(book: Path) -> None:
    bench = editing_bench(book, language="nl")
    editor = bench.table_editor("relationships")
    assert editor.fields[0].label == "Onze medewerker"
    assert bench.edit_tabs.get_title(1 + EDITABLE.index("relationships")) == "Relaties"
    editor.form.set(0, "strength", "9")
    assert editor.bar.save_button.description == "Opslaan"


def test_a_rules_problem_is_said_in_dutch_beside_its_row(book: Path) -> None:
    editor = editing_bench(book, language="nl").table_editor("criteria")
    index = next(i for i, r in enumerate(editor.form.records)
                 if (r["axis"], r["criterion"]) == ("attractiveness", "wallet"))
    editor.form.set(index, "weight", "30.5")
    form = editor.form
    shown = "".join(map(form.message, range(len(form.records)))) + editor.problem_list.value
    assert "tellen op tot 105,5; ze moeten optellen tot 100" in shown, shown
    assert "add up to" not in shown


def test_an_excel_workbook_warns_before_losing_a_chart(tmp_path: Path) -> None:
    import openpyxl
    from openpyxl.chart import BarChart, Reference
    from xlsx_books import mini_as_xlsx

    target = mini_as_xlsx(tmp_path / "mini.xlsx")
    book = openpyxl.load_workbook(target)
    chart = BarChart()
    chart.add_data(Reference(book["services"], min_col=4, min_row=1, max_row=3))
    book["services"].add_chart(chart, "H2")
    book.save(target)
    bench = Workbench(target, "A1", "2025-12-31", author="tester")
    bench.open_editors()
    editor = bench.table_editor("history")
    old = target.read_bytes()
    editor.form.set(0, "description", "Changed in the workbench")
    assert editor.save() is None
    assert "charts" in editor.bar.message.value and target.read_bytes() == old
    editor.bar.conflicts.children[0].click()  # "Save anyway"
    assert "Saved" in editor.bar.message.value
    history = kamkit.load_workbook(target).account("A1").history
    assert "Changed in the workbench" in set(history["description"])


def test_dutch_amounts_are_read_as_dutch(book: Path) -> None:
    editor = editing_bench(book, language="nl").table_editor("history")
    editor.form.set(0, "amount", "3.100")
    assert editor.form.records[0]["amount"] == 3100
    editor.form.set(0, "amount", "1.250,50")
    assert editor.form.records[0]["amount"] == 1250.5
    editor.form.set(0, "amount", "inf")
    assert editor.bar.save_button.disabled  # not a number: named, never written


def test_a_table_gone_from_disk_is_not_rebuilt_from_one_account(book: Path) -> None:
    editor = editing_bench(book).table_editor("contacts")
    editor.form.set(0, "title", "Chief operations")
    (book / "contacts.csv").rename(book / "contacts.away")
    assert editor.save() is None
    assert not (book / "contacts.csv").exists()
    assert "gone from disk" in editor.bar.message.value
    editor.bar.save()  # and again, as a user might
    assert not (book / "contacts.csv").exists()


def test_a_contact_the_plan_names_is_said_and_the_plan_follows_on_request(book: Path) -> None:
    links = book / "relationships.csv"  # (its relationship row is another reference)
    links.write_text("".join(line for line in links.read_text(encoding="utf-8").splitlines(
        keepends=True) if not line.startswith("P07,MAAS-C13,")), encoding="utf-8")
    bench = editing_bench(book)
    editor = bench.table_editor("contacts")
    index = next(i for i, r in enumerate(editor.form.records)
                 if r["contact_id"] == "MAAS-C13")
    assert editor.plan_box.layout.display == "none"
    editor.form.set(index, "contact_id", "MAAS-C20")
    assert editor.plan_box.layout.display != "none"
    assert "MAAS-C13 → MAAS-C20" in editor.plan_note.value
    assert "plan.team[person=P07].counterparts" in editor.plan_note.value
    assert editor.bar.save_button.disabled  # never a dangling reference, silently
    assert "MAAS-C13" in editor.problem_list.value
    editor.update_plan.value = True
    assert not editor.bar.save_button.disabled, editor.problem_list.value
    editor.bar.save_button.click()
    checked = kamkit.check_workbook(book)
    assert checked.ok, checked.problems
    team = {m.person: m.counterparts for m in checked.documents["MAAS"].plan.team}
    assert "MAAS-C20" in team["P07"] and "MAAS-C13" not in team["P07"]
    assert editor.plan_box.layout.display == "none"
    documents = bench.document_editor
    assert documents is not None  # the open document editor follows
    [member] = [r for r in documents.form_of("team").records if r["person"] == "P07"]
    assert "MAAS-C20" in member["counterparts"]


def test_weights_are_checked_as_typed_and_a_judgement_changes_the_score(book: Path) -> None:
    bench = editing_bench(book)
    editor = bench.table_editor("criteria")
    rows = {(r["axis"], r["criterion"]): i for i, r in enumerate(editor.form.records)}
    editor.form.set(rows[("attractiveness", "wallet")], "weight", "30")
    assert editor.bar.save_button.disabled  # 105: said beside the row, as typed
    assert any("add up to 105" in p.message and p.column == "weight"
               for p in editor.problems)
    editor.form.set(rows[("attractiveness", "wallet_growth")], "weight", "10")
    assert not editor.bar.save_button.disabled, editor.problem_list.value
    assert editor.save() is not None
    checked = kamkit.check_workbook(book)
    assert checked.ok, checked.problems
    saved = checked.tables["criteria"].set_index(["axis", "criterion"])["weight"]
    assert saved[("attractiveness", "wallet")] == 30 and len(saved) == len(rows)

    bench.explorer.show_view("score")
    before = bench.explorer.score_out.value
    assert "strategic fit" in before and "Attractiveness" in before
    judgements = bench.table_editor("judgements")
    index = next(i for i, r in enumerate(judgements.form.records)
                 if r["criterion"] == "strategic_fit")
    judgements.form.set(index, "score", "12")
    assert judgements.bar.save_button.disabled  # a score runs 0-10
    judgements.form.set(index, "score", "2")
    assert judgements.save() is not None
    after = bench.explorer.score_out.value
    assert after != before  # the analyst sees what their judgement changes
    assert kamkit.load_workbook(book).table("judgements").query(
        "account_id == 'MAAS' and criterion == 'strategic_fit'")["score"].min() == 2


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_malformed_email_is_warned_beside_its_field_and_may_be_saved(
        book: Path, language: str) -> None:
    """The warning ``kamkit validate`` gives, beside the field, as a warning: Save stays on."""
    editor = editing_bench(book, language=language).table_editor("contacts")
    editor.form.set(0, "email", "not-an-email")
    said = editor.form.messages[0].value
    assert ("does not look like an e-mail address", "lijkt niet op een e-mailadres")[
        language == "nl"] in said, said
    assert ("warning: ", "waarschuwing: ")[language == "nl"] in said
    assert editor.form.controls[0]["email"].layout.border
    assert not editor.bar.save_button.disabled
    assert editor.save() is not None
    assert "not-an-email" in (book / "contacts.csv").read_text(encoding="utf-8")
