"""The editor's checks point at a row that could not be read, as ``kamkit validate`` does: a
reference to a contact whose row in contacts.csv has a stray cell (a colleague's save since
the workbench read the workbook) says that row, not "unknown, did you mean"."""

from __future__ import annotations

from pathlib import Path

from kamkit.edit import WorkbookEditor

SAID = "is in contacts.csv row 3, which could not be read: see that error."


def test_references_to_a_row_that_could_not_be_read_point_at_it(mini_copy: Path) -> None:
    editor = WorkbookEditor(mini_copy)
    contacts = mini_copy / "contacts.csv"
    text = contacts.read_text(encoding="utf-8")
    assert text.count("\nA1-C2,A1,") == 1
    contacts.write_text(text.replace("\nA1-C2,A1,", "\nA1-C2,A1,stray,"), encoding="utf-8")

    draft = editor.rows("contacts", "A1")  # read again: A1-C2's row is not among them
    assert "A1-C2" not in set(draft.frame["contact_id"])
    rows = [p for p in editor.check_rows("contacts", "A1", draft.frame) if p.value == "A1-C2"]
    assert [(p.file, p.column, p.message) for p in rows] == [
        ("contacts.csv", "reports_to", SAID)]  # A1-C3 reports to A1-C2
    assert "Did you mean" not in str(rows[0])

    document = editor.check_document("A1", editor.document("A1").data)
    named = [p for p in document if p.value == "A1-C2"]
    assert [(p.location, p.message) for p in named] == [("plan.team[0].counterparts", SAID)]
    assert named[0].message_in("nl") == (
        "staat in contacts.csv rij 3, die niet te lezen was: zie die fout.")
