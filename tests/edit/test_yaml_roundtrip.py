"""Documents keep their text: comments, order, layout and the meaning of every value."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest

from kamkit.edit import WorkbookEditor
from kamkit.edit.documents import load_draft, plan
from kamkit.edit.yamlfile import dump_tree, load_tree, read_plain
from kamkit.workbook import DEMO_WORKBOOK, Workbook, load_workbook

DEMO_DOCUMENTS = sorted((DEMO_WORKBOOK / "documents").glob("*.yaml"))

# Values whose meaning differs between YAML 1.1 (kamkit's reader) and YAML 1.2, and text
# laid out in ways a re-emitter would normalise. All are in places a document allows text.
ODD = """\
# A document written by hand.
account_id: MAAS   # the account

analysis:
  vision: yes
  strategy: 1.10
  organisation: 010
  swot_account:
    strengths:
      - id: AS1
        text: on     # YAML 1.1: a boolean
      - id: AS2
        text: 2026-01-05
      - {id: AS3, text: 'It''s quoted'}
      - id: AS4
        text: this text was wrapped by hand
          over two lines, and keeps that
    weaknesses: [{id: AW1, text: "no"}]
  conclusions:
    - id: C1
      text: |
        A literal block
        that keeps its lines
      based_on: [AS1,   AS2]
plan:
  period: {start: 2026-01-01, end: 2026-12-31}
  vision_3y: ~
  objectives:
    - id: OB1
      title: Off
      kind: qualitative
      notes: 0x1F
"""


def _changed_lines(old: str, new: str) -> list[str]:
    return [line for line in difflib.unified_diff(old.splitlines(), new.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.mark.parametrize("path", DEMO_DOCUMENTS, ids=lambda p: p.stem)
def test_demo_documents_round_trip_byte_for_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert dump_tree(load_tree(text)) == text


def test_odd_document_round_trips_byte_for_byte() -> None:
    assert dump_tree(load_tree(ODD)) == ODD


def test_unrelated_change_keeps_the_meaning_and_text_of_yaml_11_values(tmp_path: Path) -> None:
    # kamkit would refuse this document (a SWOT text must be text), so the writer is tested
    # on its own: what kamkit's reader makes of the file is the same after the save.
    path = tmp_path / "MAAS.yaml"
    path.write_text(ODD, encoding="utf-8")
    draft = load_draft(path, "MAAS")
    before = read_plain(ODD)
    assert before["analysis"]["vision"] is True and before["analysis"]["organisation"] == 8
    # only the document's date fields hold dates: a text that reads as one stays text
    assert draft.data["analysis"]["swot_account"]["strengths"][1]["text"] == "2026-01-05"
    draft.data["plan"]["objectives"][0]["notes"] = "edited"
    draft.data["analysis"]["conclusions"][0]["based_on"].append("AS3")
    planned = plan(draft, draft.data, path.read_bytes(), None)
    after = read_plain(planned.text)
    assert after["plan"]["objectives"][0]["notes"] == "edited"
    after["plan"]["objectives"][0]["notes"] = before["plan"]["objectives"][0]["notes"]
    assert after["analysis"]["conclusions"][0]["based_on"] == ["AS1", "AS2", "AS3"]
    after["analysis"]["conclusions"][0]["based_on"] = ["AS1", "AS2"]
    assert after == before
    assert sorted(_changed_lines(ODD, planned.text)) == [
        "+      based_on: [AS1, AS2, AS3]", "+      notes: edited",
        "-      based_on: [AS1,   AS2]", "-      notes: 0x1F"]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_save_keeps_yaml_11_numbers_and_dates_of_a_valid_document(demo_copy: Path,
                                                                  demo: Workbook) -> None:
    path = demo_copy / "documents" / "MAAS.yaml"
    text = path.read_text(encoding="utf-8")
    odd = text.replace("revenue: 4", "revenue: 04", 1).replace(
        "period: {start: 2026-01-01", "period: {start: 2026-01-01", 1)
    odd = odd.replace("analysis:\n", "analysis:  # yes, a comment\n", 1)
    odd += "    # trailing comment\n"
    path.write_text(odd, encoding="utf-8")
    editor = WorkbookEditor(demo_copy, workbook=demo, author="Tester")
    before = read_plain(odd)
    draft = editor.document("MAAS")
    draft.data["analysis"]["vision"] = "A new vision"
    editor.save_document("MAAS", draft.data, base=draft)
    new = path.read_text(encoding="utf-8")
    after = read_plain(new)
    assert after["analysis"].pop("vision") == "A new vision"
    before["analysis"].pop("vision")
    assert after == before
    assert all(line.startswith(("-  vision:", "+  vision:", "-    ")) or "vision" in line
               for line in _changed_lines(odd, new))
    assert new.endswith("    # trailing comment\n") and "analysis:  # yes, a comment\n" in new


@pytest.mark.sample(2)  # of 18 (conftest.py)
@pytest.mark.parametrize("value", ["yes", "no", "on", "Off", "010", "1.10", "~", "null", "1_000",
                                   "12:30", "2026-01-05", "0x1F", "1e3", "'quoted'", "a: b",
                                   "# not a comment", " leading space", "ümlaut €"])
def test_new_text_values_are_read_back_as_the_same_text(editor: WorkbookEditor,
                                                        demo_copy: Path, value: str) -> None:
    draft = editor.document("MAAS")
    draft.data["analysis"]["swot_ours"]["strengths"][0]["text"] = value
    draft.data["analysis"]["vision"] = value
    editor.save_document("MAAS", draft.data, base=draft)
    written = read_plain((demo_copy / "documents" / "MAAS.yaml").read_text(encoding="utf-8"))
    assert written["analysis"]["vision"] == value
    assert written["analysis"]["swot_ours"]["strengths"][0]["text"] == value
    assert editor.model("MAAS", written).analysis.vision == value.strip()


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_new_numbers_and_dates_keep_their_type(editor: WorkbookEditor, demo_copy: Path) -> None:
    draft = editor.document("MAAS")
    objective = draft.data["plan"]["objectives"][0]
    objective["target"] = 1250000.0
    objective["deadline"] = dt.date(2027, 3, 31)
    editor.save_document("MAAS", draft.data, base=draft)
    text = (demo_copy / "documents" / "MAAS.yaml").read_text(encoding="utf-8")
    assert "target: 1250000\n" in text and "deadline: 2027-03-31\n" in text
    loaded = load_workbook(demo_copy).documents["MAAS"].plan.objectives[0]
    assert (loaded.target, loaded.deadline) == (1250000.0, dt.date(2027, 3, 31))


@pytest.mark.slow  # the fast tier's rule: no line cheaper fast tests miss
def test_an_edit_changes_only_its_own_lines(editor: WorkbookEditor, demo_copy: Path) -> None:
    path = demo_copy / "documents" / "MAAS.yaml"
    old = path.read_text(encoding="utf-8")
    draft = editor.document("MAAS")
    action = next(a for a in draft.data["plan"]["actions"] if a["status"] == "open")
    action["status"] = "in_progress"
    editor.save_document("MAAS", draft.data, base=draft)
    changed = _changed_lines(old, path.read_text(encoding="utf-8"))
    assert [" ".join(line.split()) for line in changed] == ["- status: open",
                                                          "+ status: in_progress"]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_windows_line_ends_and_a_bom_are_kept(editor: WorkbookEditor, demo_copy: Path) -> None:
    path = demo_copy / "documents" / "MAAS.yaml"
    old = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(old)
    draft = editor.document("MAAS")
    draft.data["analysis"]["vision"] = "Short"
    editor.save_document("MAAS", draft.data, base=draft)
    new = path.read_bytes()
    assert new.startswith(b"\xef\xbb\xbf") and b"\r\n" in new and b"\n" not in new.replace(
        b"\r\n", b"")
    changed = _changed_lines(old.decode("utf-8-sig"), new.decode("utf-8-sig"))
    assert changed[-1] == "+  vision: Short" and all(c.startswith("-") for c in changed[:-1])
