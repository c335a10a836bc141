"""Every message the workbench's editors show follows the session's language: the cells that
do not fit their column (``kamkit.parsing``), the files read as written (``kamkit.readers``)
and the account documents that do not fit their model (pydantic's errors), beside the row,
in the list under the form and on a refused save; the English session says what
`kamkit validate` says, word for word."""

from __future__ import annotations

import ast
import html
import re
import shutil
import typing
from pathlib import Path

import pydantic_core
import pytest

import kamkit
from kamkit import check_workbook
from kamkit.document_reader import _TYPE_LABELS, error_words
from kamkit.labels import forms, labels
from kamkit.problems import Problem
from kamkit.schema import TABLES
from kamkit.widgets import Workbench

# Seconds of CPU per test (widgets built over the demo workbook): left out of `make test-fast`.
pytestmark = pytest.mark.slow

_WORD = re.compile(r"[a-z]{3,}")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|[\w\[\]-]+(?:\.[\w\[\]-]+)+")
"""What a message quotes or names as written: found values, codes, file names and places in a
document (``plan.objectives[0].target``)."""
_CODES = {c.lower() for table in TABLES for column in table.columns for c in column.choices} \
    | {w for table in TABLES for column in table.columns for w in _WORD.findall(column.name)} \
    | {"open", "in_progress", "done", "cancelled", "yaml", "json", "utf", "csv", "xlsx"}
"""Codes and column names: what a message names as written in the workbook, in any language."""


def _label_words(language: str, prefix: str = "") -> set[str]:
    found: set[str] = set()
    for key, texts in labels().items():
        if key.startswith(prefix):
            for text in forms(texts[language]):
                found |= set(_WORD.findall(re.sub(r"\{[^}]*\}", " ", text).lower()))
    return found


def english_words(also: list[str] = ()) -> set[str]:
    """The words of every English problem label (and of ``also``: the English messages of
    the same session in English) that no Dutch label uses and that are no code."""
    english = _label_words("en", "problem.")
    for text in also:
        english |= set(_WORD.findall(_QUOTED.sub(" ", text).lower()))
    return english - _label_words("nl") - _CODES


def leaks(text: str, english: set[str]) -> set[str]:
    """The English words in a Dutch text, leaving out what it quotes (found values)."""
    return set(_WORD.findall(_QUOTED.sub(" ", text).lower())) & english


@pytest.fixture
def book(tmp_path: Path) -> Path:
    target = tmp_path / "book"
    shutil.copytree(kamkit.DEMO_WORKBOOK, target)
    return target


def _shown(editor: object) -> str:
    """Everything an editor shows of its problems: beside the rows, the list below, the bar."""
    parts = [editor.problem_list.value, editor.bar.message.value]  # type: ignore[attr-defined]
    records = [editor.form] if hasattr(editor, "form") else [
        editor.form_of(key) for key in editor.parts]  # type: ignore[attr-defined]
    parts += [r.message(i) for r in records for i in range(len(r.records))]
    return html.unescape(re.sub(r"<[^>]+>", " ", "\n".join(parts)))


def _bad_input(book: Path, language: str) -> tuple[list[Problem], list[str]]:
    """Bad input of each kind typed into a workbench in ``language``: the problems found and
    what the editors showed (after a refused save)."""
    bench = Workbench(book, "MAAS", "2026Q3", language=language, author="tester")
    bench.open_editors()
    problems: list[Problem] = []
    shown: list[str] = []

    def typed(editor: object, form: object, index: int, field: str, value: object) -> None:
        before = form.records[index][field]  # type: ignore[attr-defined]
        form.set(index, field, value)  # type: ignore[attr-defined]
        problems.extend(editor.problems)  # type: ignore[attr-defined]
        editor.save()  # type: ignore[attr-defined]  # as if clicked anyway: refused
        shown.append(_shown(editor))
        form.set(index, field, before)  # type: ignore[attr-defined]

    history = bench.table_editor("history")
    typed(history, history.form, 0, "date", "2026-02-30")  # no such day
    spend = bench.table_editor("spend")
    typed(spend, spend.form, 0, "spend", "abc")  # no number
    contacts = bench.table_editor("contacts")
    typed(contacts, contacts.form, 0, "name", "")  # a required cell left empty
    contacts.form.records[0]["level"] = "boss"  # a value no list holds (as if from the file)
    problems.extend(contacts.check())
    shown.append(_shown(contacts))
    document = bench.document_editor
    assert document is not None
    objectives = document.form_of("objectives")
    typed(document, objectives, 0, "id", "OB-" + "x" * 70)  # an id too long
    typed(document, objectives, 0, "target", "12,5k")  # a number as typed in a mail
    # what only the file can hold: a status no list has, a date of the wrong type
    path = book / "documents" / "MAAS.yaml"
    text = path.read_text(encoding="utf-8")
    status = re.search(r"status: (\w+)", text)
    assert status is not None
    text = re.sub(r"(?m)^reviewed: .*$", "reviewed: [2026]", text.replace(
        status[0], "status: waiting", 1), count=1)
    assert "reviewed: [2026]" in text
    path.write_text(text, encoding="utf-8")
    document.reload()
    problems.extend(document.problems)
    document.save()
    shown.append(_shown(document))
    return problems, shown


KINDS = {  # what each kind of bad input is called, in English as `kamkit validate` says it
    "date": "no such date: February 2026 has 28 days.",
    "number": "expected an amount in the workbook's currency",
    "empty": "is empty; expected text.",
    "choice": "expected one of strategic, tactical, operational, unknown.",
    "too long": "String should have at most 60 characters.",
    "not a number": "expected a number in digits only, with a point before any decimals and "
                    "without thousands marks or letters: write 12500.",
    "status": "Input should be 'open', 'in_progress', 'done' or 'cancelled'.",
    "wrong type": "Input should be a valid date.",
}


def test_a_dutch_workbench_says_every_kind_of_bad_input_in_dutch(book: Path) -> None:
    english, _ = _bad_input(shutil.copytree(book, book.with_name("en")), "en")
    dutch, shown = _bad_input(book, "nl")
    said = [p.message_in("en") for p in english]
    for kind, text in KINDS.items():  # the English session unchanged
        assert any(text in s for s in said), (kind, said)
    assert len(dutch) == len(english)
    others = english_words(said)
    assert {"expected", "should", "valid", "empty", "characters"} <= others
    for problem in dutch:
        message = problem.message_in("nl")
        assert problem.words is not None, problem
        assert not leaks(message, others), (message, leaks(message, others))
        assert not leaks(problem.text("nl"), others), problem.text("nl")
    for text in shown:
        assert "Niet opgeslagen" in text
        assert not leaks(text, others), text
    # each kind in Dutch, named beside its row or in the save's message
    everything = "\n".join(shown)
    for dutch_text in ("die datum bestaat niet: februari 2026 heeft 28 dagen",
                       "verwacht: een bedrag", "is leeg; verwacht: tekst",
                       "verwacht: een van strategic, tactical, operational, unknown",
                       "mag hoogstens 60 tekens lang zijn",
                       "verwacht: een getal van alleen cijfers, met een punt vóór eventuele "
                       "decimalen, zonder scheidingstekens voor duizendtallen en zonder letters: "
                       "schrijf 12500",
                       "moet 'open', 'in_progress', 'done' of 'cancelled' zijn",
                       "is geen geldige datum"):
        assert dutch_text in everything, dutch_text


def _keys_in(module: Path) -> set[str]:
    """The label keys a module names in a ``words(...)`` call."""
    found = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "words" and node.args:
            key = node.args[0]
            values = [key.body, key.orelse] if isinstance(key, ast.IfExp) else [key]
            found |= {v.value for v in values if isinstance(v, ast.Constant)}
    return found


@pytest.mark.parametrize("module", ["parsing.py", "readers.py", "document_reader.py",
                                    "controls.py", "documents.py", "edit/editor.py"])
def test_every_message_label_exists_in_both_languages(module: str) -> None:
    keys = _keys_in(Path(kamkit.__file__).parent / module)
    assert keys, module
    for key in keys:
        assert key in labels(), (module, key)
        assert {"en", "nl"} <= set(labels()[key]), (module, key)
    for name in set(_TYPE_LABELS.values()):
        assert {"en", "nl"} <= set(labels()[f"problem.doc.type.{name}"])


@pytest.mark.parametrize("kind", typing.get_args(pydantic_core.core_schema.ErrorType))
def test_every_pydantic_error_is_said_in_dutch_without_english(kind: str) -> None:
    # a type kamkit has no label for is said as not valid at its place
    error = {"type": kind, "loc": ("plan", "objectives", 0, "target"), "msg": "Input is wrong",
             "ctx": {"min_length": 2, "max_length": 3, "ge": 0, "expected": "'a' or 'b'",
                     "pattern": "^x$"}}
    english, said = error_words(error)
    dutch = said.said("nl")
    assert english and dutch and "{" not in dutch
    assert not leaks(dutch, english_words([english, "Input is wrong"])), dutch


def test_a_file_read_as_written_is_said_in_dutch(book: Path) -> None:
    # readers' messages: a row of the wrong width, a header twice, Windows-1252 text
    sales = book / "sales.csv"
    lines = sales.read_text(encoding="utf-8").splitlines()
    lines[0] += ",month"
    lines[1] += ",x,y"
    sales.write_text("\n".join(lines) + "\n", encoding="utf-8")
    team = book / "team.csv"
    data = team.read_bytes()
    name = data.index(b",", data.index(b"\n")) + 1  # the first person's name: an accent first
    team.write_bytes(data[:name] + "\u00c9".encode("cp1252") + data[name:])
    problems = check_workbook(book).problems
    english = english_words([p.message for p in problems])
    read = [p for p in problems if p.file in ("sales.csv", "team.csv")]
    assert any("appears twice" in p.message for p in read)
    assert any("cells where the header has" in p.message for p in read)
    # team.csv is UTF-8 elsewhere: the one line is named as not UTF-8 as the rest is
    assert any("not UTF-8 as the rest of the file is" in p.message for p in read)
    for problem in read:
        assert problem.words is not None, problem
        named = " ".join(str(value) for _, value in problem.words.values
                         if isinstance(value, str))  # ids and names it lists (VDIJK)
        named_words = set(_WORD.findall(named.lower()))
        assert not leaks(problem.text("nl"), english - named_words), problem.text("nl")


def test_a_refused_save_and_the_read_only_notice_are_said_in_dutch() -> None:
    bench = Workbench(kamkit.DEMO_WORKBOOK, "MAAS", "2026Q3", language="nl")
    bench.open_editors()
    editor = bench.table_editor("contacts")
    english = english_words([bench.store.read_only or ""])
    assert "alleen-lezen" in editor.notice.value
    editor.save()  # as if clicked anyway: the demo cannot be written
    shown = _shown(editor) + html.unescape(editor.notice.value)
    assert "alleen-lezen" in editor.bar.message.value
    assert not leaks(shown.replace("kamkit init", ""), english), shown
