"""A document that became unreadable on disk (a bad hand edit, a merge left half done) is
named with its file and line, by loading and by saving; nothing is written over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamkit.edit import UnreadableDocument, WorkbookEditor
from kamkit.errors import KamkitError

_BROKEN = {
    "a colon in plain text": ("vision: ", "vision: COLLEAGUE: VISION\n  x: [", 0),
    "a key given twice": ("account_id: ", "account_id: DELTA\naccount_id: ", 0),
    "a merge conflict": ("analysis:", "<<<<<<< HEAD\nanalysis:", 0),
    "a list, not a mapping": (None, "- one\n- two\n", 1),
}


def _break(path: Path, how: str) -> int:
    """Break the file the way ``how`` says; the line the problem is reported at."""
    find, put, line = _BROKEN[how]
    text = path.read_text(encoding="utf-8")
    if find is None:
        path.write_text(put, encoding="utf-8")
        return line
    at = text.index(find)
    path.write_text(text[:at] + put + text[at + len(find):], encoding="utf-8")
    return text[:at].count("\n") + 1


@pytest.mark.parametrize("how", list(_BROKEN))
def test_saving_over_an_unreadable_file_names_file_and_line(editor: WorkbookEditor,
                                                            demo_copy: Path, how: str) -> None:
    path = demo_copy / "documents" / "DELTA.yaml"
    draft = editor.document("DELTA")
    draft.data["analysis"]["vision"] = "MY VISION"
    line = _break(path, how)
    broken = path.read_bytes()
    with pytest.raises(UnreadableDocument) as raised:
        editor.save_document("DELTA", draft.data, base=draft)
    assert path.read_bytes() == broken
    [problem] = raised.value.problems
    assert problem.file == "documents/DELTA.yaml"
    assert problem.row is not None and abs(problem.row - line) <= 2
    assert "documents/DELTA.yaml:" in str(raised.value)
    assert "text editor" in str(raised.value)
    with pytest.raises(UnreadableDocument):  # without base alike
        editor.save_document("DELTA", draft.data)
    with pytest.raises(UnreadableDocument):
        editor.document("DELTA")


def test_an_unreadable_document_does_not_stop_editing_contacts(editor: WorkbookEditor,
                                                               demo_copy: Path) -> None:
    _break(demo_copy / "documents" / "MAAS.yaml", "a colon in plain text")
    draft = editor.rows("contacts", "MAAS")
    frame = draft.frame.copy()
    frame.loc[frame.index[0], "contact_id"] = "MAAS-C77"
    assert editor.plan_references("MAAS", frame, draft) == ({}, [])
    try:
        editor.check_rows("contacts", "MAAS", frame)
    except KamkitError as error:  # pragma: no cover - the failure said plainly
        pytest.fail(f"check_rows raised {error}")
