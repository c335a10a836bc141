"""Backups outside what kamkit reads, undo, and the change log."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamkit.edit import ConflictError, WorkbookEditor, history
from kamkit.workbook import _fingerprint, check_workbook, load_workbook

pytestmark = pytest.mark.slow  # saves, backs up and undoes on workbook copies, loading each again


def _save_vision(editor: WorkbookEditor, text: str, account: str = "MAAS"):
    draft = editor.document(account)
    draft.data["analysis"]["vision"] = text
    return editor.save_document(account, draft.data, base=draft)


def test_backups_are_kept_apart_and_limited(editor: WorkbookEditor, demo_copy: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history, "KEEP", 3)
    original = (demo_copy / "documents" / "MAAS.yaml").read_bytes()
    results = [_save_vision(editor, f"Vision {i}") for i in range(5)]
    folder = demo_copy / ".kamkit" / "backups" / "documents" / "MAAS.yaml"
    assert all(r.backup.parent == folder for r in results)
    kept = sorted(folder.iterdir())
    assert kept == [r.backup for r in results[-3:]]
    assert not results[0].backup.exists()  # the oldest went
    assert kept[0].read_bytes() != original and b"Vision 1" in kept[0].read_bytes()
    assert (demo_copy / ".kamkit" / ".gitignore").read_text() == "*\n"


def test_backups_and_temporary_files_are_not_read_or_fingerprinted(
        editor: WorkbookEditor, demo_copy: Path) -> None:
    before = _fingerprint(demo_copy)
    hidden = demo_copy / ".kamkit" / "backups" / "documents" / "MAAS.yaml"
    hidden.mkdir(parents=True)
    (hidden / "old.yaml").write_text("account_id: MAAS\nnot: valid\n")
    (demo_copy / "documents" / ".MAAS.yaml.tmp").write_text("half")
    assert _fingerprint(demo_copy) == before
    checked = check_workbook(demo_copy)
    assert checked.ok and len(checked.documents) == 13


def test_change_log_has_one_entry_per_field(editor: WorkbookEditor, demo_copy: Path) -> None:
    draft = editor.document("MAAS")
    old_vision = draft.data["analysis"]["vision"]
    draft.data["analysis"]["vision"] = "New vision"
    draft.data["plan"]["actions"][0]["status"] = "cancelled"
    editor.save_document("MAAS", draft.data, base=draft)
    _save_vision(editor, "Delta's vision", "DELTA")
    log = editor.changes()
    assert list(log.columns) == history.LOG_COLUMNS
    assert set(log["who"]) == {"Tester"} and log["when"].dt.tz is not None
    maas = editor.changes("MAAS")
    assert list(maas["where"]) == ["analysis.vision",
                                   f"plan.actions[{draft.data['plan']['actions'][0]['id']}]"
                                   ".status"]
    assert maas.iloc[0][["file", "before", "after"]].tolist() == [
        "documents/MAAS.yaml", old_vision, "New vision"]
    assert maas["save"].nunique() == 1 and len(editor.changes("DELTA")) == 1
    text = (demo_copy / "kamkit-changes.csv").read_text(encoding="utf-8")
    assert text.startswith("when,who,account,file,where,before,after,save\n")
    assert load_workbook(demo_copy)  # the log is not read as a table


def test_undo_restores_the_file_and_is_logged(editor: WorkbookEditor, demo_copy: Path) -> None:
    path = demo_copy / "documents" / "MAAS.yaml"
    original = path.read_bytes()
    _save_vision(editor, "First")
    second = _save_vision(editor, "Second")
    undone = editor.undo()
    assert load_workbook(demo_copy).documents["MAAS"].analysis.vision == "First"
    assert [(c.before, c.after) for c in undone.changes] == [("Second", "First")]
    editor.undo()
    assert path.read_bytes() == original
    assert len(editor.changes()) == 4
    with pytest.raises(Exception, match="Nothing to undo"):
        editor.undo()
    assert second.undo is not None


def test_undo_of_a_given_save_merges_with_later_edits(editor: WorkbookEditor,
                                                      demo_copy: Path) -> None:
    draft = editor.document("MAAS")
    old = draft.data["plan"]["vision_3y"]
    draft.data["plan"]["vision_3y"] = "Mine"
    first = editor.save_document("MAAS", draft.data, base=draft)
    _save_vision(editor, "Later")
    editor.undo(first)
    document = load_workbook(demo_copy).documents["MAAS"]
    assert (document.plan.vision_3y, document.analysis.vision) == (old, "Later")


def test_undo_of_a_new_document_removes_it(editor: WorkbookEditor, demo_copy: Path) -> None:
    account = "GRID"
    assert not (demo_copy / "documents" / "GRID.yaml").exists()
    draft = editor.document(account)
    created = editor.save_document(account, draft.data, base=draft)
    assert created.file.exists()
    editor.undo()
    assert not created.file.exists() and check_workbook(demo_copy).ok


def test_a_later_session_undoes_the_last_save_from_the_log(demo_copy: Path, demo) -> None:
    path = demo_copy / "documents" / "MAAS.yaml"
    original = path.read_bytes()
    _save_vision(WorkbookEditor(demo_copy, workbook=demo, author="Ann"), "First")
    _save_vision(WorkbookEditor(demo_copy, workbook=demo, author="Ann"), "Second")
    later = WorkbookEditor(demo_copy, workbook=demo, author="Bob")  # a new session
    undone = later.undo(account_id="MAAS")
    assert load_workbook(demo_copy).documents["MAAS"].analysis.vision == "First"
    assert [(c.before, c.after) for c in undone.changes] == [("Second", "First")]
    WorkbookEditor(demo_copy, workbook=demo).undo()  # the undo itself is not undone
    assert path.read_bytes() == original
    with pytest.raises(Exception, match="Nothing to undo"):
        WorkbookEditor(demo_copy, workbook=demo).undo(account_id="MAAS")


def test_undo_says_the_file_changed_since_and_merges_on_request(demo_copy: Path,
                                                                demo) -> None:
    from kamkit.edit import ChangedSince

    draft = WorkbookEditor(demo_copy, workbook=demo).document("MAAS")
    old_vision = draft.data["analysis"]["vision"]
    ann = WorkbookEditor(demo_copy, workbook=demo, author="Ann")
    _save_vision(ann, "Ann's vision")
    carla = WorkbookEditor(demo_copy, workbook=demo, author="Carla")
    draft = carla.document("MAAS")
    draft.data["plan"]["vision_3y"] = "Carla's"
    carla.save_document("MAAS", draft.data, base=draft)
    path = demo_copy / "documents" / "MAAS.yaml"
    now = path.read_bytes()
    file = "documents/MAAS.yaml"
    with pytest.raises(ChangedSince, match="last saved by Carla") as raised:
        ann.undo(merge=False)  # Ann's own save, changed since by Carla
    assert raised.value.file == file and path.read_bytes() == now
    # an edit outside kamkit after Carla's save: a later session says so, then merges
    path.write_bytes(now.replace(b"Carla's", b"Typed in an editor"))
    later = WorkbookEditor(demo_copy, workbook=demo, author="Ann")
    with pytest.raises(ChangedSince, match="outside kamkit"):
        later.undo(file=file, merge=False)
    assert path.read_bytes() == now.replace(b"Carla's", b"Typed in an editor")
    # Carla's save changed vision_3y, changed since by hand too: a choice, not an overwrite
    with pytest.raises(ConflictError) as conflict:
        later.undo(file=file)
    assert [c.path for c in conflict.value.conflicts] == ["plan.vision_3y"]
    later.undo(file=file, resolve={"plan.vision_3y": "theirs"})
    document = load_workbook(demo_copy).documents["MAAS"]
    assert (document.analysis.vision, document.plan.vision_3y) == ("Ann's vision",
                                                                   "Typed in an editor")
    WorkbookEditor(demo_copy, workbook=demo).undo(file=file)  # then Ann's, merged
    document = load_workbook(demo_copy).documents["MAAS"]
    assert (document.analysis.vision, document.plan.vision_3y) == (old_vision,
                                                                   "Typed in an editor")


def test_a_later_session_undoes_a_row_save_merging_later_edits(demo_copy: Path,
                                                               demo) -> None:
    from kamkit.edit import ChangedSince

    path = demo_copy / "contacts.csv"
    original = path.read_bytes()
    editor = WorkbookEditor(demo_copy, workbook=demo, author="Ann")
    draft = editor.rows("contacts", "MAAS")
    frame = draft.frame.copy()
    first = frame.index[0]
    frame.at[first, "title"] = "Undo me"
    editor.save_rows("contacts", "MAAS", frame, base=draft)
    later = WorkbookEditor(demo_copy, workbook=demo)
    later.undo(account_id="MAAS")
    assert path.read_bytes() == original

    editor = WorkbookEditor(demo_copy, workbook=demo, author="Ann")
    draft = editor.rows("contacts", "MAAS")
    frame = draft.frame.copy()
    frame.at[first, "title"] = "Undo me"
    editor.save_rows("contacts", "MAAS", frame, base=draft)
    text = path.read_text(encoding="utf-8")
    third = draft.frame.at[frame.index[2], "email"]
    path.write_text(text.replace(third, "changed@since.nl"), encoding="utf-8")
    later = WorkbookEditor(demo_copy, workbook=demo)
    with pytest.raises(ChangedSince, match=r"contacts\.csv changed since"):
        later.undo(file="contacts.csv", merge=False)
    later.undo(file="contacts.csv")
    contacts = load_workbook(demo_copy).contacts.set_index("contact_id")
    assert contacts.at[draft.frame.at[first, "contact_id"], "title"] == draft.frame.at[
        first, "title"]
    assert contacts.at[draft.frame.at[frame.index[2], "contact_id"], "email"] == \
        "changed@since.nl"
