"""Document edits: validated like `kamkit validate`, written atomically, visible to a load."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import yaml

import kamkit
from kamkit.edit import ReadOnlyWorkbook, ValidationFailed, WorkbookEditor
from kamkit.edit.yamlfile import read_plain
from kamkit.errors import KamkitError
from kamkit.workbook import DEMO_WORKBOOK, check_workbook, load_workbook, load_workbook_cached


def _break(data: dict) -> dict:
    """Several kinds of error at once: a field type, an unknown field, a dangling reference,
    a duplicate id, a bad date."""
    plan = data["plan"]
    plan["objectives"][0]["target"] = "a lot"
    plan["objectives"][1]["colour"] = "red"
    plan["actions"][0]["objective"] = "OB99"
    plan["actions"][1]["id"] = plan["actions"][0]["id"]
    plan["actions"][2]["due"] = "2026-02-30"
    plan["team"][0]["person"] = "P99"
    return data


def _problem_keys(problems: list) -> set[tuple]:
    return {(p.severity, p.file, p.location, p.value, p.message) for p in problems}


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_check_document_says_what_kamkit_validate_says(editor: WorkbookEditor,
                                                       demo_copy: Path) -> None:
    data = _break(editor.document("MAAS").data)
    found = editor.check_document("MAAS", data)
    assert found and all(p.location for p in found)
    path = demo_copy / "documents" / "MAAS.yaml"
    path.write_text(yaml.safe_dump(_break(read_plain(path.read_text(encoding="utf-8"))),
                                   sort_keys=False), encoding="utf-8")
    validated = [p for p in check_workbook(demo_copy).problems
                 if p.file == "documents/MAAS.yaml"]
    assert _problem_keys(found) == _problem_keys(validated)


def test_a_valid_edit_has_no_problems_and_gives_the_model(editor: WorkbookEditor) -> None:
    draft = editor.document("MAAS")
    draft.data["plan"]["objectives"][0]["deadline"] = dt.date(2026, 9, 30)
    assert editor.check_document("MAAS", draft.data) == []
    model = editor.model("MAAS", draft.data)
    assert model.plan.objectives[0].deadline == dt.date(2026, 9, 30)


def test_an_invalid_edit_is_not_written(editor: WorkbookEditor, demo_copy: Path) -> None:
    path = demo_copy / "documents" / "MAAS.yaml"
    old = path.read_bytes()
    draft = editor.document("MAAS")
    draft.data["plan"]["actions"][0]["owner"] = "NOBODY"
    with pytest.raises(ValidationFailed) as failed:
        editor.save_document("MAAS", draft.data, base=draft)
    assert [p.location for p in failed.value.problems] == ["plan.actions[0].owner"]
    assert path.read_bytes() == old
    assert not (demo_copy / ".kamkit").exists() and editor.changes().empty
    with pytest.raises(ValidationFailed):
        editor.model("MAAS", draft.data)


@pytest.mark.parametrize("target", ["os.replace", "write"])
@pytest.mark.sample(1)  # the cases covered by the others: benchmarks/fast_tier.py
def test_a_crash_mid_save_leaves_the_previous_file(editor: WorkbookEditor, demo_copy: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   target: str) -> None:
    path = demo_copy / "documents" / "MAAS.yaml"
    old = path.read_bytes()
    draft = editor.document("MAAS")
    draft.data["analysis"]["vision"] = "Half written"

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError("disk gone")

    if target == "os.replace":
        monkeypatch.setattr(os, "replace", crash)
    else:  # the write of the temporary file fails half way
        real_fdopen = os.fdopen

        class Half:
            def __init__(self, handle: object) -> None:
                self.handle = handle

            def __enter__(self) -> Half:
                return self

            def __exit__(self, *exc: object) -> None:
                self.handle.close()

            def write(self, data: bytes) -> None:
                self.handle.write(data[: len(data) // 2])
                raise OSError("disk full")

        monkeypatch.setattr(os, "fdopen", lambda fd, mode: Half(real_fdopen(fd, mode)))
    with pytest.raises(OSError):
        editor.save_document("MAAS", draft.data, base=draft)
    monkeypatch.undo()
    assert path.read_bytes() == old
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(
        p.name for p in (DEMO_WORKBOOK / "documents").iterdir())
    assert not (demo_copy / "kamkit-changes.csv").exists()


@pytest.mark.slow  # loads the demo three times, cached and not
def test_a_save_is_seen_by_a_fresh_and_a_cached_load(editor: WorkbookEditor,
                                                     demo_copy: Path) -> None:
    assert load_workbook_cached(demo_copy).documents["MAAS"].plan.vision_3y != "Number one"
    draft = editor.document("MAAS")
    draft.data["plan"]["vision_3y"] = "Number one"
    editor.save_document("MAAS", draft.data, base=draft)
    assert load_workbook(demo_copy).documents["MAAS"].plan.vision_3y == "Number one"
    assert load_workbook_cached(demo_copy).documents["MAAS"].plan.vision_3y == "Number one"
    assert check_workbook(demo_copy).ok


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_start_the_document_of_an_account_without_one(editor: WorkbookEditor,
                                                      demo_copy: Path, demo) -> None:
    account = next(a for a in demo.account_ids
                   if not (demo_copy / "documents" / f"{a}.yaml").exists())
    draft = editor.document(account)
    assert not draft.exists and draft.version is None
    assert draft.data["account_id"] == account and draft.data["plan"]["objectives"] == []
    draft.data["analysis"]["swot_ours"]["strengths"].append({"id": "S1", "text": "Fast"})
    draft.data["plan"]["objectives"].append(
        {"id": "OB1", "title": "Grow", "kind": "quantitative", "metric": "revenue",
         "target": 100000, "deadline": dt.date(draft.data["plan"]["period"]["end"].year, 12, 31)})
    result = editor.save_document(account, draft.data, base=draft)
    path = demo_copy / "documents" / f"{account}.yaml"
    assert result.file == path and result.backup is None
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# Account document for {account}")  # the template's comments
    document = load_workbook(demo_copy).documents[account]
    assert document.analysis.swot_ours.strengths[0].text == "Fast"
    assert document.plan.objectives[0].target == 100000
    assert editor.document(account).exists


@pytest.mark.parametrize("account", ["../accounts", "a/b", "", ".hidden", "x" * 61, "CON:"])
def test_unsafe_ids_are_refused(editor: WorkbookEditor, demo_copy: Path, account: str) -> None:
    before = sorted(p.relative_to(demo_copy) for p in demo_copy.rglob("*"))
    with pytest.raises(KamkitError, match="cannot be an account id"):
        editor.document(account)
    with pytest.raises(KamkitError, match="cannot be an account id"):
        editor.save_document(account, {"account_id": account})
    assert sorted(p.relative_to(demo_copy) for p in demo_copy.rglob("*")) == before


def test_the_demo_and_read_only_folders_are_not_edited(demo_copy: Path, demo) -> None:
    bundled = WorkbookEditor(kamkit.DEMO_WORKBOOK, workbook=demo)
    assert "kamkit init DIR" in bundled.read_only
    draft = bundled.document("MAAS")
    with pytest.raises(ReadOnlyWorkbook, match="kamkit init"):
        bundled.save_document("MAAS", draft.data, base=draft)
    documents = demo_copy / "documents"
    real_access = os.access
    # root may write anywhere, so the file system's answer is simulated
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "access", lambda p, mode: Path(p) != documents and real_access(p, mode))
        editor = WorkbookEditor(demo_copy, workbook=demo)
        assert "read-only" in editor.read_only
        with pytest.raises(ReadOnlyWorkbook):
            editor.save_document("MAAS", draft.data, base=draft)
