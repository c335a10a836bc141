"""Rows of an .xlsx workbook: the edited sheet written back, every other sheet kept, and a
warning before a save that would lose what openpyxl cannot keep."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.chart import BarChart, Reference
from xlsx_books import mini_as_xlsx

from kamkit.edit import ValidationFailed, WorkbookEditor, XlsxLosses
from kamkit.errors import KamkitError
from kamkit.schema import TABLES
from kamkit.workbook import load_workbook

pytestmark = pytest.mark.slow  # writes and reads .xlsx workbooks with openpyxl

MINI = Path(__file__).parent.parent / "fixtures" / "mini"


@pytest.fixture
def xlsx(tmp_path: Path) -> Path:
    """The mini workbook as one .xlsx (numbers as numbers), documents beside it, and a
    formula in a sheet that is not edited."""
    target = mini_as_xlsx(tmp_path / "mini.xlsx")
    book = openpyxl.load_workbook(target)
    book["services"]["F1"] = "note"
    book["services"]["F2"] = "=D2*2"
    book.save(target)
    return target


def test_edited_sheet_is_written_and_the_others_kept(xlsx: Path) -> None:
    before = load_workbook(xlsx)
    editor = WorkbookEditor(xlsx, workbook=before, author="Tester")
    assert editor.xlsx_losses() == []
    assert editor.document("A1").exists  # documents/ beside the .xlsx
    draft = editor.rows("contacts", "A1")
    frame = draft.frame.copy()
    frame.at[frame.index[1], "title"] = "Head of facilities"
    frame.loc[-1] = {**frame.iloc[0].to_dict(), "contact_id": "A1-C9", "name": "New One",
                     "reports_to": "A1-C1"}
    result = editor.save_rows("contacts", "A1", frame, base=draft)
    after = load_workbook(xlsx)
    contacts = after.contacts.set_index("contact_id")
    assert contacts.at["A1-C2", "title"] == "Head of facilities"
    assert contacts.at["A1-C9", "name"] == "New One"
    for table in TABLES:
        if table.name != "contacts":
            pd.testing.assert_frame_equal(before.table(table.name), after.table(table.name))
    book = openpyxl.load_workbook(xlsx)
    assert book["services"]["F2"].value == "=D2*2"  # a formula stays a formula
    assert result.backup.parent == xlsx.parent / ".kamkit" / "backups" / "mini.xlsx"
    assert [c.file for c in result.changes] == ["mini.xlsx[contacts]"] * 2


def test_deleted_rows_close_up_and_messages_name_the_sheet(xlsx: Path) -> None:
    editor = WorkbookEditor(xlsx, workbook=load_workbook(xlsx), author="Tester")
    draft = editor.rows("feedback", "A1")
    frame = draft.frame.drop(index=draft.frame.index[0])
    editor.save_rows("feedback", "A1", frame, base=draft)
    assert len(load_workbook(xlsx).account("A1").feedback) == len(draft.frame) - 1
    draft = editor.rows("relationships", "A1")
    frame = draft.frame.copy()
    frame.at[frame.index[0], "strength"] = 9
    [problem] = editor.check_rows("relationships", "A1", frame)
    assert (problem.file, problem.row, problem.column) == (
        "mini.xlsx[relationships]", int(frame.index[0]), "strength")
    with pytest.raises(ValidationFailed):
        editor.save_rows("relationships", "A1", frame, base=draft)


def test_document_and_account_messages_name_the_sheets(xlsx: Path) -> None:
    editor = WorkbookEditor(xlsx, workbook=load_workbook(xlsx), author="Tester")
    data = editor.document("A1").data
    data["plan"]["team"][0]["counterparts"] = ["A2-C1"]  # a contact of A2
    data["plan"]["team"][1]["person"] = "P9"
    found = {p.value: p.message for p in editor.check_document("A1", data)}
    assert found == {"A2-C1": "is a contact of A2 (mini.xlsx[contacts] row 5), not of A1.",
                     "P9": "is not a known person in mini.xlsx[team]. Known: P1, P2, P3."}
    draft = editor.rows("accounts", "A1")
    frame = draft.frame.copy()
    frame.at[frame.index[0], "account_id"] = "A3"
    with pytest.raises(KamkitError, match=r"changed in mini\.xlsx\[accounts\] and every"):
        editor.save_rows("accounts", "A1", frame, base=draft)


def test_a_chart_is_warned_about_before_the_first_write(xlsx: Path) -> None:
    book = openpyxl.load_workbook(xlsx)
    sheet = book["services"]
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=4, min_row=1, max_row=3), titles_from_data=True)
    sheet.add_chart(chart, "H2")
    book.save(xlsx)
    old = xlsx.read_bytes()
    editor = WorkbookEditor(xlsx, workbook=load_workbook(xlsx), author="Tester")
    assert any("charts" in loss for loss in editor.xlsx_losses())
    draft = editor.rows("history", "A1")
    frame = draft.frame.copy()
    frame.at[frame.index[0], "description"] = "Changed"
    with pytest.raises(XlsxLosses, match="charts"):
        editor.save_rows("history", "A1", frame, base=draft)
    assert xlsx.read_bytes() == old
    editor.accept_xlsx_losses()
    editor.save_rows("history", "A1", frame, base=draft)
    assert load_workbook(xlsx).account("A1").history["description"].iloc[0] == "Changed"
