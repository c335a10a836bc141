"""A document changed on disk since its draft was loaded: merged, or a conflict to choose."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamkit.edit import ConflictError, WorkbookEditor
from kamkit.edit.tree import Item, diff, merge
from kamkit.edit.yamlfile import read_plain
from kamkit.workbook import DEMO_WORKBOOK, load_workbook, load_workbook_cached


def _edit_on_disk(demo_copy: Path, account: str, change) -> None:
    """Someone else saves the document (another editor: a person, another notebook)."""
    other = WorkbookEditor(demo_copy, workbook=load_workbook_cached(DEMO_WORKBOOK),
                           author="Other")
    draft = other.document(account)
    change(draft.data)
    other.save_document(account, draft.data, base=draft)


def _read(demo_copy: Path, account: str = "MAAS") -> dict:
    return read_plain((demo_copy / "documents" / f"{account}.yaml").read_text(encoding="utf-8"))


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_changes_to_other_keys_are_merged(editor: WorkbookEditor, demo_copy: Path) -> None:
    draft = editor.document("MAAS")
    _edit_on_disk(demo_copy, "MAAS", lambda d: d["analysis"].update(vision="Their vision"))
    draft.data["plan"]["vision_3y"] = "My vision"
    result = editor.save_document("MAAS", draft.data, base=draft)
    saved = _read(demo_copy)
    assert saved["analysis"]["vision"] == "Their vision"
    assert saved["plan"]["vision_3y"] == "My vision"
    assert result.merged == ("analysis.vision",)
    assert [c.where for c in result.changes] == ["plan.vision_3y"]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_list_items_merge_by_id_not_position(editor: WorkbookEditor, demo_copy: Path) -> None:
    draft = editor.document("MAAS")
    first = draft.data["plan"]["actions"][0]["id"]
    second = draft.data["plan"]["actions"][1]["id"]

    def theirs(data: dict) -> None:  # insert an action at the top, edit the second one
        actions = data["plan"]["actions"]
        actions.insert(0, {**actions[0], "id": "ACT-NEW", "what": "Their new action"})
        actions[2]["what"] = "Their edit"

    _edit_on_disk(demo_copy, "MAAS", theirs)
    draft.data["plan"]["actions"][0]["what"] = "My edit"  # the first action, by position
    editor.save_document("MAAS", draft.data, base=draft)
    actions = {a["id"]: a for a in _read(demo_copy)["plan"]["actions"]}
    assert actions[first]["what"] == "My edit"
    assert actions[second]["what"] == "Their edit"
    assert actions["ACT-NEW"]["what"] == "Their new action"
    assert [a["id"] for a in _read(demo_copy)["plan"]["actions"]][:2] == ["ACT-NEW", first]
    assert load_workbook(demo_copy).documents["MAAS"]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_same_key_changed_on_both_sides_is_a_conflict(editor: WorkbookEditor,
                                                      demo_copy: Path) -> None:
    draft = editor.document("MAAS")
    objective = draft.data["plan"]["objectives"][0]
    base_title, key = objective["title"], objective["id"]

    def theirs(data: dict) -> None:
        data["plan"]["objectives"][0]["title"] = "Their title"
        data["analysis"]["strategy"] = "Their strategy"

    _edit_on_disk(demo_copy, "MAAS", theirs)
    on_disk = (demo_copy / "documents" / "MAAS.yaml").read_bytes()
    objective["title"] = "My title"
    draft.data["analysis"]["vision"] = "My vision"
    with pytest.raises(ConflictError) as raised:
        editor.save_document("MAAS", draft.data, base=draft)
    [conflict] = raised.value.conflicts
    path = f"plan.objectives[{key}].title"
    assert (conflict.path, conflict.base, conflict.mine, conflict.theirs) == (
        path, base_title, "My title", "Their title")
    assert (demo_copy / "documents" / "MAAS.yaml").read_bytes() == on_disk
    assert draft.data["plan"]["objectives"][0]["title"] == "My title"  # my edit is kept

    editor.save_document("MAAS", draft.data, base=draft, resolve={path: "mine"})
    saved = _read(demo_copy)
    assert saved["plan"]["objectives"][0]["title"] == "My title"
    assert (saved["analysis"]["vision"], saved["analysis"]["strategy"]) == (
        "My vision", "Their strategy")


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_choosing_theirs_keeps_their_value_and_my_other_edits(editor: WorkbookEditor,
                                                              demo_copy: Path) -> None:
    draft = editor.document("MAAS")
    _edit_on_disk(demo_copy, "MAAS", lambda d: d["analysis"].update(vision="Theirs"))
    draft.data["analysis"]["vision"] = "Mine"
    draft.data["plan"]["vision_3y"] = "Also mine"
    editor.save_document("MAAS", draft.data, base=draft, resolve={"analysis.vision": "theirs"})
    saved = _read(demo_copy)
    assert (saved["analysis"]["vision"], saved["plan"]["vision_3y"]) == ("Theirs", "Also mine")


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_an_item_deleted_there_and_edited_here_is_a_conflict(editor: WorkbookEditor,
                                                             demo_copy: Path) -> None:
    draft = editor.document("MAAS")
    gone = draft.data["plan"]["actions"][-1]["id"]
    _edit_on_disk(demo_copy, "MAAS", lambda d: d["plan"]["actions"].pop())
    draft.data["plan"]["actions"][-1]["what"] = "Sharper"
    with pytest.raises(ConflictError) as raised:
        editor.save_document("MAAS", draft.data, base=draft)
    [conflict] = raised.value.conflicts
    assert conflict.path == f"plan.actions[{gone}]" and conflict.theirs is None
    assert conflict.mine["what"] == "Sharper"
    editor.save_document("MAAS", draft.data, base=draft, resolve={conflict.path: "mine"})
    assert _read(demo_copy)["plan"]["actions"][-1]["what"] == "Sharper"


def test_the_same_change_on_both_sides_is_no_conflict(editor: WorkbookEditor,
                                                      demo_copy: Path) -> None:
    draft = editor.document("MAAS")
    _edit_on_disk(demo_copy, "MAAS", lambda d: d["analysis"].update(vision="Agreed"))
    draft.data["analysis"]["vision"] = "Agreed"
    editor.save_document("MAAS", draft.data, base=draft)
    assert _read(demo_copy)["analysis"]["vision"] == "Agreed"


def test_a_document_deleted_on_disk_is_a_conflict(editor: WorkbookEditor,
                                                  demo_copy: Path) -> None:
    draft = editor.document("MAAS")
    (demo_copy / "documents" / "MAAS.yaml").unlink()
    draft.data["analysis"]["vision"] = "Mine"
    with pytest.raises(ConflictError) as raised:
        editor.save_document("MAAS", draft.data, base=draft)
    assert raised.value.conflicts[0].path == "" and raised.value.conflicts[0].theirs is None
    editor.save_document("MAAS", draft.data, base=draft, resolve={"": "mine"})
    assert _read(demo_copy)["analysis"]["vision"] == "Mine"


def test_merge_is_keyed_by_team_person_and_target_month() -> None:
    base = {"team": [{"person": "P1", "role": "KAM"}, {"person": "P2", "role": "Ops"}],
            "monthly": [{"month": "2026-01", "revenue": 1}]}
    mine = {"team": [{"person": "P1", "role": "KAM"}, {"person": "P2", "role": "Director"}],
            "monthly": [{"month": "2026-01", "revenue": 2}]}
    theirs = {"team": [{"person": "P0", "role": "New"}, *base["team"]],
              "monthly": [*base["monthly"], {"month": "2026-02", "revenue": 5}]}
    changes, clashes = merge(base, mine, theirs)
    assert not clashes
    assert [c.path for c in changes] == [("team", Item("person", "P2"), "role"),
                                         ("monthly", Item("month", "2026-01"), "revenue")]
    assert diff(base, base) == []


def test_a_whole_list_chosen_in_a_conflict_keeps_comments_and_flow_style(
        editor: WorkbookEditor, demo_copy: Path) -> None:
    path = demo_copy / "documents" / "MAAS.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  - id: OB5\n", "  # OB5 agreed with the COO in June\n  - id: OB5\n")
    text = text.replace("    owner: P02\n    conclusions: [C2]\n",
                        "    owner: P02  # Ingrid's\n    conclusions: [C2]\n")
    path.write_text(text, encoding="utf-8")
    draft = editor.document("MAAS")
    objectives = draft.data["plan"]["objectives"]
    _edit_on_disk(demo_copy, "MAAS", lambda d: d["plan"]["objectives"][0].update(
        title="Their title"))
    # mine: OB5 moved to the top: the list as a whole
    draft.data["plan"]["objectives"] = [objectives[-1], *objectives[:-1]]
    with pytest.raises(ConflictError) as raised:
        editor.save_document("MAAS", draft.data, base=draft)
    assert [c.path for c in raised.value.conflicts] == ["plan.objectives"]
    editor.save_document("MAAS", draft.data, base=draft, resolve={"plan.objectives": "mine"})
    saved = path.read_text(encoding="utf-8")
    assert [o["id"] for o in _read(demo_copy)["plan"]["objectives"]] == [
        o["id"] for o in draft.data["plan"]["objectives"]]
    assert "    owner: P02  # Ingrid's\n    conclusions: [C2]\n" in saved
    assert "# OB5 agreed with the COO in June" in saved
    assert "conclusions: [C4]" in saved and "- C4" not in saved  # flow style kept
    assert "title: Working relationship with procurement manager" in saved  # text as was
