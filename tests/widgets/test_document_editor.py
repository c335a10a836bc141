"""The document editor driven as a user would: type into the forms, click Save and Undo, and
look at the file written, the messages and the verdicts."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
import yaml

import kamkit
from kamkit.widgets import Workbench
from kamkit.widgets.document_editor import DocumentEditor
from tests.widgets.editing import editing_bench, row_of

# Seconds of CPU per test (widgets built over the demo workbook): left out of `make test-fast`.
pytestmark = pytest.mark.slow


@pytest.fixture
def workbook_copy(tmp_path: Path) -> Path:
    target = tmp_path / "book"
    shutil.copytree(kamkit.DEMO_WORKBOOK, target)
    document = target / "documents" / "MAAS.yaml"
    text = document.read_text(encoding="utf-8")
    document.write_text("# Maasport: reviewed with Sanne, keep this comment\n" + text,
                        encoding="utf-8")
    return target


@pytest.fixture
def bench(workbook_copy: Path) -> Workbench:
    return editing_bench(workbook_copy)


def _editor(bench: Workbench) -> DocumentEditor:
    assert bench.document_editor is not None
    return bench.document_editor


def _file(book: Path, account: str = "MAAS") -> Path:
    return book / "documents" / f"{account}.yaml"


def test_saving_one_field_changes_only_that_line(bench: Workbench, workbook_copy: Path) -> None:
    before = _file(workbook_copy).read_text(encoding="utf-8").splitlines()
    editor = _editor(bench)
    editor.form_of("objectives").set(row_of(editor, "objectives", "OB1"), "target", "48")
    assert editor.save() is not None
    after = _file(workbook_copy).read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [("    target: 45", "    target: 48")]
    assert after[0].startswith("# Maasport")  # the comment stays
    saved = kamkit.load_workbook(workbook_copy).documents["MAAS"]
    assert next(o for o in saved.plan.objectives if o.id == "OB1").target == 48
    assert "documents/MAAS.yaml" in editor.bar.message.value


def test_every_save_is_logged_and_shown(bench: Workbench, workbook_copy: Path) -> None:
    editor = _editor(bench)
    editor.form_of("actions").set(row_of(editor, "actions", "AC02"), "owner", "P03")
    editor.save()
    log = (workbook_copy / "kamkit-changes.csv").read_text(encoding="utf-8")
    assert "tester" in log and "plan.actions[AC02].owner" in log and "P10" in log
    # shown as the form names it: the action and the field, people by name
    assert "Action AC02: Owner" in bench.changes.value
    assert "plan.actions" not in bench.changes.value
    team = kamkit.load_workbook(workbook_copy).team.set_index("person_id")["name"]
    assert f"{team['P03']} (P03)" in bench.changes.value


@pytest.mark.parametrize(("part", "item", "field", "typed", "expected"), [
    ("swot_account.strengths", "AS2", "id", "AS1", "used twice"),
    ("conclusions", "C1", "based_on", "AS1, NOPE", "not a known SWOT item"),
    ("objectives", "OB1", "deadline", "2026-02-30", "no such date: February 2026 has 28 days"),
    ("actions", "AC03", "due", "next week", "expected a date"),
    ("objectives", "OB2", "target", "lots", "expected a number in digits only"),
    ("actions", "AC03", "due", "", "Due: Field required"),
    ("actions", "AC03", "objective", "", None),  # no objective is allowed
])
def test_invalid_input_is_named_next_to_its_field_and_never_written(
        bench: Workbench, workbook_copy: Path, part: str, item: str, field: str, typed: str,
        expected: str | None) -> None:
    editor = _editor(bench)
    original = _file(workbook_copy).read_bytes()
    index = row_of(editor, part, item)
    editor.form_of(part).set(index, field, typed)
    message = editor.form_of(part).messages[index].value
    if expected is None:
        assert not editor.bar.save_button.disabled
        return
    assert expected in message
    assert editor.form_of(part).controls[index][field].layout.border
    assert editor.bar.save_button.disabled
    editor.save()  # as if clicked anyway
    assert _file(workbook_copy).read_bytes() == original
    assert "Not saved" in editor.bar.message.value


def test_smart_verdict_follows_the_target_as_typed(bench: Workbench) -> None:
    editor = _editor(bench)
    index = row_of(editor, "objectives", "OB2")  # revenue of the whole account
    wallet = sum(float(r["spend"]) for r in _demo("spend")
                 if r["account_id"] == "MAAS" and r["year"] == "2026")
    editor.form_of("objectives").set(index, "target", f"{wallet * 3:.0f}")
    assert "A✗" in editor.form_of("objectives").messages[index].value
    assert "whole estimated spend" in editor.form_of("objectives").messages[index].value
    editor.form_of("objectives").set(index, "conclusions", "")
    assert "R✗" in editor.form_of("objectives").messages[index].value


def test_action_horizon_and_overdue_follow_the_due_date(bench: Workbench) -> None:
    editor = _editor(bench)
    actions = editor.form_of("actions")
    index = row_of(editor, "actions", "AC03")
    actions.set(index, "status", "open")
    actions.set(index, "due", (dt.date(2026, 9, 30) + dt.timedelta(days=10)).isoformat())
    assert "next 3 weeks" in actions.messages[index].value
    assert not actions.controls[index]["due"].layout.border
    actions.set(index, "due", "2026-08-01")
    assert "overdue" in actions.messages[index].value
    assert actions.controls[index]["due"].layout.border


def test_added_items_get_the_next_free_id_and_save(bench: Workbench, workbook_copy: Path) -> None:
    editor = _editor(bench)
    threats = editor.form_of("swot_account.threats")
    threats.add()
    new_id = threats.records[-1]["id"]
    assert new_id not in {r["id"] for r in threats.records[:-1]}
    threats.set(len(threats.records) - 1, "text", "A new cleaning robot supplier enters")
    editor.save()
    saved = kamkit.load_workbook(workbook_copy).documents["MAAS"]
    assert (new_id, "A new cleaning robot supplier enters") in [
        (i.id, i.text) for i in saved.analysis.swot_account.threats]


def test_a_change_on_disk_elsewhere_is_merged(bench: Workbench, workbook_copy: Path) -> None:
    editor = _editor(bench)
    editor.form_of("objectives").set(row_of(editor, "objectives", "OB1"), "target", "47")
    _edit_on_disk(workbook_copy, "    owner: P07\n    due: 2026-03-31", "    owner: P07\n"
                  "    due: 2026-04-15")  # a colleague re-dates AC01 meanwhile
    editor.save()
    saved = kamkit.load_workbook(workbook_copy).documents["MAAS"].plan
    assert next(o for o in saved.objectives if o.id == "OB1").target == 47
    assert next(a for a in saved.actions if a.id == "AC01").due == dt.date(2026, 4, 15)


def test_a_change_on_disk_at_the_same_place_is_a_choice(bench: Workbench,
                                                       workbook_copy: Path) -> None:
    editor = _editor(bench)
    editor.form_of("objectives").set(row_of(editor, "objectives", "OB1"), "target", "47")
    _edit_on_disk(workbook_copy, "    target: 45\n", "    target: 50\n")
    on_disk = _file(workbook_copy).read_bytes()
    assert editor.save() is None
    assert _file(workbook_copy).read_bytes() == on_disk  # nothing written yet
    shown = editor.bar.conflicts.children[0].children[0].value
    assert "45" in shown and "47" in shown and "50" in shown
    choice = next(iter(editor.bar.choices.values()))
    choice.value = "theirs"
    editor.bar.conflicts.children[-1].click()
    saved = kamkit.load_workbook(workbook_copy).documents["MAAS"].plan
    assert next(o for o in saved.objectives if o.id == "OB1").target == 50
    assert editor.bar.conflicts.children == ()


def test_undo_brings_the_file_back(bench: Workbench, workbook_copy: Path) -> None:
    editor = _editor(bench)
    original = _file(workbook_copy).read_bytes()
    editor.form_of("objectives").set(row_of(editor, "objectives", "OB1"), "target", "41")
    editor.save()
    assert _file(workbook_copy).read_bytes() != original
    editor.bar.undo_button.click()
    assert yaml.safe_load(_file(workbook_copy).read_text()) == yaml.safe_load(original)
    assert editor.form_of("objectives").records[row_of(editor, "objectives", "OB1")]["target"] == 45
    backups = list((workbook_copy / ".kamkit" / "backups").rglob("*"))
    assert any(p.is_file() for p in backups)
    assert kamkit.load_workbook(workbook_copy).documents.keys() == kamkit.load_workbook(
        kamkit.DEMO_WORKBOOK).documents.keys()  # a backup is never read as a document



def test_a_new_workbench_undoes_the_last_save_and_says_when_the_file_changed(
        bench: Workbench, workbook_copy: Path) -> None:
    editor = _editor(bench)
    original = _file(workbook_copy).read_bytes()
    editor.form_of("objectives").set(row_of(editor, "objectives", "OB1"), "target", "41")
    editor.save()
    saved = _file(workbook_copy).read_text(encoding="utf-8")
    _file(workbook_copy).write_text(saved.replace("# Maasport: reviewed",
                                                  "# Maasport: re-reviewed"), encoding="utf-8")
    later = Workbench(workbook_copy, "MAAS", "2026Q3", author="tester")  # the next day
    later.open_editors()
    editor = _editor(later)
    editor.bar.undo_button.click()
    message = editor.bar.message.value
    assert "changed since that save" in message and "outside kamkit" in message
    assert _file(workbook_copy).read_text(encoding="utf-8") != saved  # nothing overwritten
    [merge] = editor.bar.conflicts.children
    merge.click()  # undo by merging: the target goes back, the edited comment stays
    text = _file(workbook_copy).read_text(encoding="utf-8")
    assert "# Maasport: re-reviewed" in text
    assert yaml.safe_load(text) == yaml.safe_load(original)
    assert editor.form_of("objectives").records[row_of(editor, "objectives", "OB1")]["target"] == 45
    assert "Undone" in editor.bar.message.value

def test_a_crash_mid_save_leaves_the_old_file(bench: Workbench, workbook_copy: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    editor = _editor(bench)
    original = _file(workbook_copy).read_bytes()
    editor.form_of("objectives").set(row_of(editor, "objectives", "OB1"), "target", "41")

    def no_space(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    assert editor.save() is None
    monkeypatch.undo()
    assert _file(workbook_copy).read_bytes() == original
    assert "No space left on device" in editor.bar.message.value
    assert not [p for p in (workbook_copy / "documents").iterdir() if p.name.startswith(".")]


def test_saved_document_reaches_the_explorer(bench: Workbench) -> None:
    editor = _editor(bench)
    editor.tabs.selected_index = 4
    editor.form_of("objectives").set(row_of(editor, "objectives", "OB1"), "target", "42")
    editor.save()
    assert editor.tabs.selected_index == 4  # the user stays where they were
    plan = bench.workbook.documents["MAAS"].plan
    assert next(o for o in plan.objectives if o.id == "OB1").target == 42


def test_an_account_without_document_starts_one(workbook_copy: Path) -> None:
    bench = Workbench(workbook_copy, "GRID", "2026Q3", author="tester")
    bench.open_editors()
    editor = _editor(bench)
    assert "has no document yet" in editor.notice.value
    assert not _file(workbook_copy, "GRID").exists()
    editor.texts[("analysis", "vision")].value = "Grid operator investing in 40 substations"
    if "objectives" not in editor.parts:
        editor.start_plan.click()
    editor.form_of("objectives").add()
    editor.form_of("objectives").set(0, "title", "First cleaning contract")
    editor.form_of("objectives").set(0, "metric", "revenue")
    editor.form_of("objectives").set(0, "target", "120000")
    editor.save()
    document = kamkit.load_workbook(workbook_copy).documents["GRID"]
    assert document.analysis.vision == "Grid operator investing in 40 substations"
    assert document.plan.objectives[0].target == 120000


def test_the_bundled_demo_is_read_only() -> None:
    bench = Workbench(None, "MAAS", "2026Q3")
    bench.open_editors()
    editor = _editor(bench)
    assert "kamkit init" in editor.notice.value
    assert editor.bar.save_button.disabled


def test_dutch_editor(workbook_copy: Path) -> None:
    bench = Workbench(workbook_copy, "MAAS", "2026Q3", language="nl")
    bench.open_editors()
    editor = _editor(bench)
    assert editor.bar.save_button.description == "Opslaan"
    assert [editor.tabs.get_title(i) for i in range(len(editor.tabs.children))][4] == \
        "Doelstellingen"
    index = row_of(editor, "actions", "AC03")
    editor.form_of("actions").set(index, "status", "open")
    editor.form_of("actions").set(index, "due", "2026-08-01")
    assert "te laat" in editor.form_of("actions").messages[index].value
    # validation problems are said in Dutch too, beside their field and on a save
    conclusion = row_of(editor, "conclusions", "C1")
    editor.form_of("conclusions").set(conclusion, "based_on", "AS1, NOPE")
    message = editor.form_of("conclusions").messages[conclusion].value
    assert "is geen bekende id van een SWOT-punt" in message and "not a known" not in message
    editor.save()
    assert "Niet opgeslagen" in editor.bar.message.value
    assert "fout" in editor.bar.message.value and "SWOT-punt" in editor.bar.message.value


def _edit_on_disk(book: Path, old: str, new: str) -> None:
    path = _file(book)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _demo(table: str) -> list[dict[str, str]]:
    from demo_facts import demo_rows

    return demo_rows(table)


def test_unsaved_changes_are_kept_when_the_explorer_moves_on(bench: Workbench,
                                                             workbook_copy: Path) -> None:
    editor = _editor(bench)
    index = row_of(editor, "objectives", "OB1")
    editor.form_of("objectives").set(index, "target", "44")
    bench.explorer.pick("DELTA")
    assert bench.document_editor is editor  # not rebuilt for DELTA
    assert editor.form_of("objectives").records[index]["target"] == 44
    assert "MAAS" in bench.pending.value and "DELTA" in bench.pending.value
    bench.explorer.language_picker.value = "nl"  # held for MAAS, now in Dutch
    editor = _editor(bench)
    assert editor.account_id == "MAAS" and editor.language == "nl"
    assert editor.form_of("objectives").records[index]["target"] == 44
    editor.save()  # saved: the editors may follow now
    bench.explorer.pick("KRONE")
    assert bench.document_editor is not editor
    assert bench.document_editor.account_id == "KRONE" and bench.pending.value == ""
    plan = kamkit.load_workbook(workbook_copy).documents["MAAS"].plan
    assert next(o for o in plan.objectives if o.id == "OB1").target == 44


def test_discarding_lets_the_editors_follow(bench: Workbench) -> None:
    editor = _editor(bench)
    editor.texts[("analysis", "vision")].value = "typed, then thrown away"
    bench.explorer.pick("DELTA")
    assert bench.document_editor is editor
    bench.discard_button.click()
    assert bench.document_editor.account_id == "DELTA"
    assert bench.pending.value == ""


def test_the_plan_team_is_edited_like_the_other_parts(bench: Workbench,
                                                      workbook_copy: Path) -> None:
    editor = _editor(bench)
    team = editor.form_of("team")
    row = next(i for i, r in enumerate(team.records) if r["person"] == "P10")
    assert team.records[row]["counterparts"] == ["MAAS-C10"]
    team.set(row, "counterparts", "MAAS-C10, MAAS-C99")  # not a contact of MAAS
    assert editor.bar.save_button.disabled
    assert any(p.value == "MAAS-C99" for p in editor.problems)
    team.set(row, "counterparts", "MAAS-C10, MAAS-C08")
    team.set(row, "role", "Security operations and HSE")
    assert not editor.bar.save_button.disabled
    editor.save()
    saved = kamkit.load_workbook(workbook_copy).documents["MAAS"].plan.team
    member = next(m for m in saved if m.person == "P10")
    assert (member.role, member.counterparts) == ("Security operations and HSE",
                                                  ("MAAS-C10", "MAAS-C08"))
    text = _file(workbook_copy).read_text(encoding="utf-8")
    assert "counterparts: [MAAS-C10, MAAS-C08]" in text  # flow style kept
    team = editor.form_of("team")  # (a save reloads the forms)
    team.remove(next(i for i, r in enumerate(team.records) if r["person"] == "P10"))
    assert editor.save() is not None, editor.bar.message.value
    people = [m.person for m in kamkit.load_workbook(workbook_copy).documents["MAAS"].plan.team]
    assert "P10" not in people and "P03" in people


def test_the_asks_for_management_are_edited_one_per_line(bench: Workbench,
                                                         workbook_copy: Path) -> None:
    editor = _editor(bench)
    asks = editor.asks.value.splitlines()
    assert asks == list(bench.workbook.documents["MAAS"].asks) and len(asks) == 2
    editor.asks.value = f"{asks[1]}\n\n  A second site survey budget  \n"
    editor.save()
    assert kamkit.load_workbook(workbook_copy).documents["MAAS"].asks == (
        asks[1], "A second site survey budget")
    editor.asks.value = ""
    editor.save()
    assert kamkit.load_workbook(workbook_copy).documents["MAAS"].asks == ()
