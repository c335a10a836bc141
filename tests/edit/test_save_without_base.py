"""A save without ``base`` is as safe as one with it: the editor remembers what it handed
out, merges with what changed on disk since, and never replaces what it did not hand out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kamkit.edit import ConflictError, NotLoaded, WorkbookEditor
from kamkit.edit.yamlfile import read_plain
from kamkit.workbook import Workbook


def _document(book: Path, account: str) -> Path:
    return book / "documents" / f"{account}.yaml"


def _colleague(book: Path, demo: Workbook, account: str, **analysis: str) -> None:
    """Another person (another editor) saves a change to the account's document."""
    other = WorkbookEditor(book, workbook=demo, author="Colleague")
    draft = other.document(account)
    draft.data["analysis"].update(analysis)
    draft.data["reviewed"] = dt.date(2026, 11, 1)
    other.save_document(account, draft.data)


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_change_elsewhere_on_disk_is_merged_not_reverted(editor: WorkbookEditor,
                                                           demo_copy: Path,
                                                           demo: Workbook) -> None:
    mine = editor.document("DELTA").data
    mine["analysis"]["strategy"] = "MY STRATEGY"
    _colleague(demo_copy, demo, "DELTA", vision="COLLEAGUE VISION")
    result = editor.save_document("DELTA", mine)
    saved = read_plain(_document(demo_copy, "DELTA").read_text(encoding="utf-8"))
    assert saved["analysis"]["vision"] == "COLLEAGUE VISION"
    assert saved["analysis"]["strategy"] == "MY STRATEGY"
    assert saved["reviewed"] == "2026-11-01"
    assert set(result.merged) == {"analysis.vision", "reviewed"}


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_the_same_place_changed_on_disk_is_a_conflict(editor: WorkbookEditor, demo_copy: Path,
                                                      demo: Workbook) -> None:
    mine = editor.document("DELTA").data
    mine["analysis"]["vision"] = "MY VISION"
    _colleague(demo_copy, demo, "DELTA", vision="COLLEAGUE VISION")
    before = _document(demo_copy, "DELTA").read_bytes()
    with pytest.raises(ConflictError, match=r"analysis\.vision"):
        editor.save_document("DELTA", mine)
    assert _document(demo_copy, "DELTA").read_bytes() == before
    editor.save_document("DELTA", mine, resolve={"analysis.vision": "mine"})
    saved = read_plain(_document(demo_copy, "DELTA").read_text(encoding="utf-8"))
    assert (saved["analysis"]["vision"], saved["reviewed"]) == ("MY VISION", "2026-11-01")


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_saving_again_continues_from_the_last_save(editor: WorkbookEditor,
                                                   demo_copy: Path, demo: Workbook) -> None:
    mine = editor.document("DELTA").data
    mine["analysis"]["vision"] = "FIRST"
    editor.save_document("DELTA", mine)
    _colleague(demo_copy, demo, "DELTA", strategy="COLLEAGUE STRATEGY")
    mine["analysis"]["vision"] = "SECOND"  # the same dict, edited on
    editor.save_document("DELTA", mine)
    saved = read_plain(_document(demo_copy, "DELTA").read_text(encoding="utf-8"))
    assert (saved["analysis"]["vision"], saved["analysis"]["strategy"]) == (
        "SECOND", "COLLEAGUE STRATEGY")


def test_a_document_never_handed_out_is_not_replaced(editor: WorkbookEditor,
                                                     demo_copy: Path) -> None:
    path = _document(demo_copy, "DELTA")
    before = path.read_bytes()
    data = read_plain(before.decode("utf-8"))
    data["analysis"]["vision"] = "FROM SOMEWHERE"
    with pytest.raises(NotLoaded, match=r"editor.document\('DELTA'\)"):
        editor.save_document("DELTA", data)
    assert path.read_bytes() == before
    editor.document("DELTA")  # loaded: the same save now replaces what it says
    editor.save_document("DELTA", data)
    assert read_plain(path.read_text(encoding="utf-8"))["analysis"]["vision"] == "FROM SOMEWHERE"


def test_a_new_document_is_created_without_loading_it(editor: WorkbookEditor,
                                                      demo_copy: Path, demo: Workbook) -> None:
    account = next(a for a in demo.accounts["account_id"] if a not in demo.documents)
    editor.save_document(account, {"account_id": account,
                                   "analysis": {"vision": "Grow with them"}})
    assert "Grow with them" in _document(demo_copy, account).read_text(encoding="utf-8")


def test_an_internal_save_does_not_move_what_the_caller_edits_from(
        demo_copy: Path) -> None:
    """A contact renamed with ``update_plan`` changes the plan through the editor: the
    caller's draft of the document, loaded before, still merges with it."""
    links = demo_copy / "relationships.csv"  # (the relationship row is another reference)
    links.write_text("".join(line for line in links.read_text(encoding="utf-8").splitlines(
        keepends=True) if not line.startswith("P07,MAAS-C13,")), encoding="utf-8")
    editor = WorkbookEditor(demo_copy, author="Tester")
    document = editor.document("MAAS")
    frame = editor.rows("contacts", "MAAS").frame.copy()
    frame.loc[frame["contact_id"] == "MAAS-C13", "contact_id"] = "MAAS-C20"
    editor.save_rows("contacts", "MAAS", frame, update_plan=True)
    document.data["analysis"]["vision"] = "MY VISION"
    editor.save_document("MAAS", document.data)
    saved = read_plain(_document(demo_copy, "MAAS").read_text(encoding="utf-8"))
    team = {m["person"]: m.get("counterparts") for m in saved["plan"]["team"]}
    assert "MAAS-C20" in team["P07"] and "MAAS-C13" not in team["P07"]
    assert saved["analysis"]["vision"] == "MY VISION"


def test_rows_saved_without_base_merge_with_changes_on_disk(editor: WorkbookEditor,
                                                            demo_copy: Path,
                                                            demo: Workbook) -> None:
    mine = editor.rows("contacts", "MAAS").frame.copy()
    first, second = mine.index[:2]
    mine.loc[first, "title"] = "MY TITLE"
    other = WorkbookEditor(demo_copy, workbook=demo, author="Colleague")
    theirs = other.rows("contacts", "MAAS")
    changed = theirs.frame.copy()
    changed.loc[second, "title"] = "THEIR TITLE"
    other.save_rows("contacts", "MAAS", changed, base=theirs)
    editor.save_rows("contacts", "MAAS", mine)
    saved = editor.rows("contacts", "MAAS").frame
    assert saved.loc[first, "title"] == "MY TITLE"
    assert saved.loc[second, "title"] == "THEIR TITLE"
    # the same cell changed on both sides: a conflict, as with base
    mine = saved.copy()
    mine.loc[second, "title"] = "MINE AGAIN"
    theirs = other.rows("contacts", "MAAS")
    changed = theirs.frame.copy()
    changed.loc[second, "title"] = "THEIRS AGAIN"
    other.save_rows("contacts", "MAAS", changed, base=theirs)
    with pytest.raises(ConflictError):
        editor.save_rows("contacts", "MAAS", mine)


def test_rows_never_handed_out_are_not_replaced(editor: WorkbookEditor,
                                                demo_copy: Path) -> None:
    other = WorkbookEditor(demo_copy, author="Somebody")
    frame = other.rows("contacts", "MAAS").frame.copy()
    frame.loc[frame.index[0], "title"] = "FROM ANOTHER EDITOR"
    before = (demo_copy / "contacts.csv").read_bytes()
    with pytest.raises(NotLoaded, match=r"editor.rows\('contacts', 'MAAS'\)"):
        editor.save_rows("contacts", "MAAS", frame)
    assert (demo_copy / "contacts.csv").read_bytes() == before
