"""Validation problems said in the workbench's language; `kamkit validate` stays English.

Every rule's message is the key of a label with its values (``kamkit.problems.Words``): the
English text is what the command always wrote, and the same problem reads in Dutch.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kamkit import check_workbook
from kamkit.errors import UnknownAccountError
from kamkit.labels import labels
from kamkit.problems import (
    Problem,
    Severity,
    did_you_mean_words,
    hint,
    hint_words,
    known_codes,
    words,
)

# broken copies of the mini workbook, one rule each (the cases of tests/test_validation.py)
BROKEN = [
    ("accounts.csv", "prospect,P2", "prospect,P7"),  # unknown reference (did you mean)
    ("sales.csv", "500.00,50.00", "500.00,650.00"),  # margin above revenue
    ("spend_shares.csv", "NORD,7000", "NORD,12000"),  # shares over the total
    ("spend_shares.csv", "NORD,7000", "NORD,9000"),  # our sales plus shares (warning)
    ("spend_shares.csv", "A2,2025,CLEAN", "A2,2024,CLEAN"),  # share without a total
    ("contacts.csv", "strategic,,decision_maker,neutral",
     "strategic,A1-C3,decision_maker,neutral"),  # reports_to cycle
    ("contacts.csv", "operational,A1-C2", "operational,A2-C1"),  # another account's boss
    ("feedback.csv", "satisfaction,7.5", "satisfaction,"),  # satisfaction without a score
    ("feedback.csv", "2025-04-20", "2025-03-20"),  # closed before it came
]


def _rule_problems(edit_csv, file: str, old: str, new: str) -> list[Problem]:
    found = [p for p in check_workbook(edit_csv(file, old, new)).problems if p.words]
    assert found, f"{file}: no problem of a rule"
    return found


@pytest.mark.sample(2)  # each case checks an edited copy of the mini workbook (conftest.py)
@pytest.mark.parametrize(("file", "old", "new"), BROKEN, ids=[f"{b[0]}:{b[2]}" for b in BROKEN])
def test_a_rules_problem_reads_in_dutch_and_in_english_as_before(edit_csv, file: str, old: str,
                                                                 new: str) -> None:
    for problem in _rule_problems(edit_csv, file, old, new):
        english, dutch = problem.text("en"), problem.text("nl")
        assert english == str(problem)
        assert problem.message_in("en") == problem.message + (
            f" {problem.detail}" if problem.detail else "")
        assert dutch != english and "{" not in dutch
        severity = "fout" if problem.severity is Severity.ERROR else "waarschuwing"
        assert f": {severity}" in dutch
        assert problem.message not in dutch  # the message itself is said in Dutch


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_figures_in_a_dutch_problem_take_dutch_marks(edit_csv) -> None:
    problem = _rule_problems(edit_csv, "spend_shares.csv", "NORD,7000", "NORD,12000")[0]
    assert "12,000 EUR" in problem.message and "10,000 EUR" in problem.message
    dutch = problem.message_in("nl")
    assert "12.000 EUR" in dutch and "10.000 EUR" in dutch and "meer dan" in dutch


def test_hints_are_words_too() -> None:
    assert hint("A1", ["A1x", "B"]) == hint_words("A1", ["A1x", "B"]).said("en")
    assert hint_words("A1", ["A1x", "A1y"]).said("nl") == " Bedoelde u A1y of A1x?"
    assert hint_words("Q", ["A", "B"]).said("nl") == " Bekend: A, B."
    assert known_codes([]) == " Known: none."
    assert words("problem.scale_length", low=2.5).said("nl").startswith("low en high zijn "
                                                                        "allebei 2,5")


@pytest.mark.parametrize("account, known, meant", [
    ("maas", ["MAASP", "MAAS", "VDIJK"], "MAAS"),  # a case-only match first
    ("MAAZ", ["MAAS", "MAASP", "ATLAS"], "MAAS or MAASP"),  # two as close
    ("MAAS", ["MAASP", "ATLAS", "DELTA"], "MAASP"),  # not the far ATLAS beside it
    ("NOPE", ["A1", "A2"], None),
])
def test_an_unknown_account_suggests_as_every_unknown_code_does(account: str, known: list[str],
                                                                 meant: str | None) -> None:
    """The error names the ids the one did-you-mean rule names, in either language."""
    error = UnknownAccountError(account, known, "wb")
    close = did_you_mean_words(account, known)
    english, dutch = str(error), error.in_language("nl")
    assert english.startswith(f"unknown account '{account}': it is not in wb.")
    assert dutch.startswith(f"onbekend account '{account}': het staat niet in wb.")
    if meant is None:
        assert "Did you mean" not in english and "Bedoelde" not in dutch
    else:
        assert f" Did you mean {meant}? Known accounts: " in english
        assert f" Bedoelde u {meant.replace(' or ', ' of ')}? Bekende accounts: " in dutch
        assert close.said("en") in english and close.said("nl") in dutch


def _calls(path: Path, name: str) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name) and node.func.id == name]


@pytest.mark.parametrize(("module", "maker"), [("rules.py", "_error"),
                                               ("rules_criteria.py", "_problem")])
def test_every_rules_message_is_a_label(module: str, maker: str) -> None:
    # the class: no rule builds its message from English text; each names a label
    import kamkit

    path = Path(kamkit.__file__).with_name(module)
    calls = _calls(path, maker)
    assert len(calls) > 5
    for call in calls:
        message = call.args[1]
        assert ((isinstance(message, ast.Call) and getattr(message.func, "id", "") == "words")
                or isinstance(message, ast.Name)), f"{module}:{call.lineno}"
    for call in _calls(path, "words"):
        key = call.args[0]
        # (a key made per table, f"problem.repeats_key.{table.name}", is said for every
        # table by test_validation's test_a_repeated_key_names_every_key_column)
        keys = ([key.value] if isinstance(key, ast.Constant) else
                [part.value for part in (key.body, key.orelse) if isinstance(
                    part, ast.Constant)] if isinstance(key, ast.IfExp) else [])
        for name in keys:
            assert name in labels(), f"{module}:{call.lineno}: no label {name!r}"


@pytest.mark.parametrize("written", ["next week", 20260315])
def test_a_value_that_is_no_date_reads_alike_in_a_document_and_a_table(written: object) -> None:
    # one helper words "expected a date" for a table's cell and a document's field
    import pandas as pd

    from kamkit import documents, parsing
    from kamkit.readers import RawTable
    from kamkit.schema import TABLES_BY_NAME, Kind

    expected = parsing.not_fitting_words(Kind.DATE)
    with pytest.raises(documents.SaidError) as raised:
        documents._day(written)
    assert raised.value.words == expected
    history = TABLES_BY_NAME["history"]
    row = {name: "" for name in history.column_names} | {"date": str(written)}
    problems: list[Problem] = []
    parsing.parse_table(RawTable("history", "history.csv",
                                 pd.DataFrame([row], index=pd.Index([2], name="row"),
                                              dtype=object)), history, problems)
    [cell] = [p for p in problems if p.column == "date"]
    assert cell.words == expected
    assert cell.message_in("nl").startswith("verwacht: een datum")
