"""The fields of an account document say the same in ``kamkit validate``, the edit API and
the workbench: a required text is never blank, a date is read as the workbook's readers read
one (and written YYYY-MM-DD)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from kamkit.documents import date_paths, path_text, required_paths
from kamkit.edit import ValidationFailed, WorkbookEditor
from kamkit.workbook import check_workbook

_BLANKS = ("", " ", "  \t ", "\n")


def _required_texts(data: dict) -> list[tuple[str, dict, str]]:
    """Every required text of the demo's MAAS document: (path, holder, key)."""
    analysis, plan = data["analysis"], data["plan"]
    found = [(f"analysis.{swot}.{quadrant}[0].text", analysis[swot][quadrant][0], "text")
             for swot in ("swot_account", "swot_ours")
             for quadrant in ("strengths", "weaknesses", "opportunities", "threats")]
    found += [("analysis.conclusions[0].text", analysis["conclusions"][0], "text"),
              ("plan.objectives[0].title", plan["objectives"][0], "title"),
              ("plan.team[0].role", plan["team"][0], "role"),
              ("plan.actions[0].what", plan["actions"][0], "what")]
    return found


def test_the_test_knows_every_required_text(editor: WorkbookEditor) -> None:
    """A required text added to the model must be added to ``_required_texts`` too (the
    model's own list, ``required_paths``, is what docs/workbook.md names)."""
    places = _required_texts(editor.document("MAAS").data)
    assert {re.sub(r"\[\d+\]", "[]", where) for where, _, _ in places} | {"asks[]"} == {
        path_text(path) for path in required_paths()}


@pytest.mark.parametrize("blank", _BLANKS)
def test_a_blank_required_text_is_an_error_everywhere(editor: WorkbookEditor, demo_copy: Path,
                                                      blank: str) -> None:
    places = _required_texts(editor.document("MAAS").data)
    for where, _, _ in places:
        draft = editor.document("MAAS")
        holder = {p: (h, k) for p, h, k in _required_texts(draft.data)}[where]
        holder[0][holder[1]] = blank
        found = [p for p in editor.check_document("MAAS", draft.data) if p.location == where]
        assert found and found[0].severity == "error", where
        with pytest.raises(ValidationFailed, match=re.escape(where)):
            editor.save_document("MAAS", draft.data, base=draft)
    draft = editor.document("MAAS")
    draft.data["asks"] = ["Budget for the pilot", blank]
    assert [p.location for p in editor.check_document("MAAS", draft.data)] == ["asks[1]"]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_kamkit_validate_names_file_line_and_path_of_a_blank_title(demo_copy: Path) -> None:
    path = demo_copy / "documents" / "MAAS.yaml"
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^(\s*)title: .*$", text, re.M)
    assert title is not None
    path.write_text(text[:title.start()] + f"{title[1]}title: ''" + text[title.end():],
                    encoding="utf-8")
    problems = [p for p in check_workbook(demo_copy).problems if p.severity == "error"]
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.file, problem.location) == ("documents/MAAS.yaml",
                                                "plan.objectives[0].title")
    assert problem.row == text[:title.start()].count("\n") + 1
    assert str(problem).startswith(f"documents/MAAS.yaml:{problem.row}: error, at "
                                   "plan.objectives[0].title")


def test_the_date_fields_are_found_from_the_model() -> None:
    assert set(date_paths()) == {("reviewed",), ("plan", "period", "start"),
                                 ("plan", "period", "end"),
                                 ("plan", "objectives", None, "deadline"),
                                 ("plan", "actions", None, "due")}


@pytest.mark.sample(3)  # of 7 (conftest.py)
@pytest.mark.parametrize(("typed", "day"), [
    ("15-03-2026", dt.date(2026, 3, 15)), ("15/03/2026", dt.date(2026, 3, 15)),
    ("2026-3-5", dt.date(2026, 3, 5)), ("5-3-2026", dt.date(2026, 3, 5)),
    ("15.03.2026", dt.date(2026, 3, 15)), (" 2026-03-15 ", dt.date(2026, 3, 15)),
    (dt.date(2026, 3, 15), dt.date(2026, 3, 15))])
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_dates_are_read_as_the_readers_read_them_and_written_iso(
        editor: WorkbookEditor, demo_copy: Path, typed: object, day: dt.date) -> None:
    draft = editor.document("MAAS")
    plan = draft.data["plan"]
    plan["actions"][0]["due"] = typed
    plan["objectives"][0]["deadline"] = typed
    assert editor.check_document("MAAS", draft.data) == []
    model = editor.model("MAAS", draft.data)
    assert model.plan.actions[0].due == day and model.plan.objectives[0].deadline == day
    editor.save_document("MAAS", draft.data, base=draft)
    text = (demo_copy / "documents" / "MAAS.yaml").read_text(encoding="utf-8")
    assert f"due: {day.isoformat()}" in text and f"deadline: {day.isoformat()}" in text
    assert editor.document("MAAS").data["plan"]["actions"][0]["due"] == day


@pytest.mark.parametrize(("typed", "message"), [
    ("2026-02-30", "no such date: February 2026 has 28 days"),
    ("30-02-2026", "no such date: February 2026 has 28 days"),
    ("31/04/2026", "no such date: April 2026 has 30 days"),
    ("2024-02-30", "no such date: February 2024 has 29 days"),
    ("2026-13-01", "no such date: there is no month 13"),
    ("03/31/2026", "no such date: there is no month 31 (a date is read day first"),
    ("next week", "expected a date"), (20260315, "expected a date"), (0, "expected a date")])
def test_a_date_that_is_none_says_why(editor: WorkbookEditor, typed: object,
                                      message: str) -> None:
    draft = editor.document("MAAS")
    draft.data["plan"]["actions"][0]["due"] = typed
    found = editor.check_document("MAAS", draft.data)
    assert [p.location for p in found] == ["plan.actions[0].due"]
    assert found[0].message.startswith(message)
    assert "invalid character" not in found[0].message


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_hand_written_day_first_date_is_valid_and_shown_as_a_date(demo_copy: Path,
                                                                    editor: WorkbookEditor
                                                                    ) -> None:
    path = demo_copy / "documents" / "DELTA.yaml"
    text = path.read_text(encoding="utf-8")
    written = re.sub(r"due: (\d{4})-(\d\d)-(\d\d)", r"due: \3-\2-\1", text, count=1)
    assert written != text
    path.write_text(written, encoding="utf-8")
    assert not [p for p in check_workbook(demo_copy).problems if p.severity == "error"]
    due = editor.document("DELTA").data["plan"]["actions"][0]["due"]
    assert isinstance(due, dt.date)


@pytest.mark.slow  # the fast tier's rule: no line cheaper fast tests miss
def test_a_field_that_fails_does_not_hide_the_rules_on_the_rest(editor: WorkbookEditor,
                                                                demo_copy: Path) -> None:
    """A target typed as 120k and an unknown owner are found in one round, by the edit API
    as by ``kamkit validate``, each once and (in validate) at its line."""
    draft = editor.document("MAAS")
    objectives = draft.data["plan"]["objectives"]
    objectives[1]["target"], objectives[0]["owner"] = "120k", "P3"
    found = editor.check_document("MAAS", draft.data)
    assert [(p.location, p.value) for p in found] == [
        ("plan.objectives[1].target", "120k"), ("plan.objectives[0].owner", "P3")]
    assert found[0].message.endswith("write 120000.") and "Did you mean P03?" in found[1].message
    path = demo_copy / "documents" / "MAAS.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(    owner: )P03$", r"\1P3", text, count=1)
    text = re.sub(r"(?m)^(    target: )3730000\.0$", r"\g<1>120k", text, count=1)
    path.write_text(text, encoding="utf-8")
    validated = [p for p in check_workbook(demo_copy).problems if p.file == "documents/MAAS.yaml"]
    assert [(p.location, p.value) for p in validated] == [
        ("plan.objectives[1].target", "120k"), ("plan.objectives[0].owner", "P3")]
    lines = text.splitlines()
    assert [lines[p.row - 1].strip() for p in validated] == ["target: 120k", "owner: P3"]
