"""Hostile and broken input: every class is a message at its place, never silent loss and never
"internal error" (issue 12). Each test breaks a copy of the mini workbook in a way of a class,
with more than one member of the class where the class has several."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from kamkit import Severity, check_workbook
from kamkit.cli import main
from kamkit.problems import Problem
from kamkit.readers import MAX_FILE_MB_VARIABLE
from tests.test_cli import run

pytestmark = pytest.mark.slow  # loads a broken copy of the mini workbook a test, hundreds of checks

DOCUMENT = "documents/A1.yaml"


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.WARNING]


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def validate(workbook: Path) -> tuple[int, str]:
    """``kamkit validate -W``: its exit code and everything it printed."""
    result = run("validate", str(workbook), "-W")
    return result.returncode, result.stdout + result.stderr


# ------------------------------------------------------------------------------ documents
def test_two_documents_for_one_account_are_an_error_naming_both(mini_copy: Path) -> None:
    documents = mini_copy / "documents"
    (documents / "A1.yml").write_text("account_id: A1\n", encoding="utf-8")
    checked = check_workbook(mini_copy)
    [error] = errors(checked.problems)
    assert "documents/A1.yaml" in error.message and "documents/A1.yml" in error.message
    assert "A1" not in checked.documents  # neither silently wins


@pytest.mark.parametrize(("old", "new", "key"), [
    ("analysis:\n", "vision: first\nanalysis:\n", None),  # a top-level key twice (below)
    ("  vision:", "  vision: one\n  vision:", "vision"),
])
def test_a_key_given_twice_in_a_document_names_both_lines(mini_copy: Path, old: str, new: str,
                                                          key: str | None) -> None:
    path = mini_copy / DOCUMENT
    text = path.read_text(encoding="utf-8")
    if key is None:  # the whole analysis given twice: the second would drop the first
        block = text[text.index("analysis:"):text.index("plan:")]
        path.write_text(text.replace("plan:", block + "plan:", 1), encoding="utf-8")
        key = "analysis"
    else:
        replace(path, old, new)
    lines = [i for i, line in enumerate(path.read_text().splitlines(), start=1)
             if re.match(rf"\s*{key}:", line)]
    [error] = errors(check_workbook(mini_copy).problems)
    assert error.file == DOCUMENT and error.row == lines[1]
    assert f"lines {lines[0]} and {lines[1]}" in error.message and repr(key) in error.message


@pytest.mark.parametrize("written", [".nan", ".inf", "-.inf", ".NaN", "1.0e+400", "1e400"])
@pytest.mark.parametrize("place", ["target: 30000", "revenue: 30000"])
def test_numbers_in_documents_are_finite(mini_copy: Path, place: str, written: str) -> None:
    path = mini_copy / DOCUMENT
    text = path.read_text(encoding="utf-8")
    assert place in text
    path.write_text(text.replace(place, f"{place.split(':')[0]}: {written}", 1), "utf-8")
    [error] = errors(check_workbook(mini_copy).problems)
    assert error.value == written  # as the user wrote it, not "nan" or "inf"
    assert "finite" in error.message and "greater than" not in error.message


def test_a_document_alias_bomb_or_deep_nesting_is_refused_at_its_line(mini_copy: Path) -> None:
    path = mini_copy / DOCUMENT
    bomb = "".join(f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 9)}]\n" for i in range(1, 12))
    path.write_text("x0: &x0 [lol]\n" + bomb + path.read_text(encoding="utf-8"), "utf-8")
    [error] = errors(check_workbook(mini_copy).problems)
    assert "more than" in error.message and "values" in error.message and error.row
    path.write_text("account_id: A1\nnotes: " + "[" * 5000 + "]" * 5000 + "\n", "utf-8")
    [error] = errors(check_workbook(mini_copy).problems)
    assert "levels deep" in error.message and error.row == 2


# ------------------------------------------------------------------------------ characters
@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\x9b", "\x7f"])
def test_control_characters_are_an_error_in_ids_a_warning_in_text(edit_csv, char: str) -> None:
    path = edit_csv("accounts.csv", "A2,", f"A2{char}X,")  # an id
    checked = check_workbook(path)
    found = [p for p in errors(checked.problems) if p.file == "accounts.csv"]
    assert [(p.row, p.column) for p in found] == [(3, "account_id")]
    assert "control character" in found[0].message
    replace(path / "accounts.csv", f"A2{char}X,", "A2,")
    replace(path / "contacts.csv", "Carla Smit", f"Carla{char}Smit")  # a text cell
    problems = check_workbook(path).problems
    assert not errors(problems)
    [warning] = warnings(problems)
    assert (warning.file, warning.row, warning.column) == ("contacts.csv", 2, "name")


def test_tab_and_line_breaks_stay_legal_in_text(edit_csv) -> None:
    path = edit_csv("contacts.csv", "Carla Smit", '"Carla\tSmit\nCEO"')
    assert check_workbook(path).problems == []


@pytest.mark.parametrize("char", ["\x1b", "\x00", "\x85"])
def test_control_characters_in_document_ids_and_text(mini_copy: Path, char: str) -> None:
    path = mini_copy / DOCUMENT
    text = path.read_text(encoding="utf-8")
    escaped = f"\\x{ord(char):02x}"
    path.write_text(text.replace("id: AS1", f'id: "A{escaped}S1"', 1), "utf-8")
    [error] = errors(check_workbook(mini_copy).problems)
    assert error.location.endswith(".id") and "control character" in error.message
    path.write_text(text.replace("vision: ", f'vision: "x{escaped}y" # ', 1), "utf-8")
    problems = check_workbook(mini_copy).problems
    assert not errors(problems)
    [warning] = warnings(problems)
    assert warning.location == "analysis.vision" and warning.row


@pytest.mark.parametrize("bad", ["A 1", "A\u00a01", "A\t1"])
def test_spaces_inside_ids_are_errors(edit_csv, bad: str) -> None:
    path = edit_csv("contacts.csv", "A1-C1,A1,Carla", f"{bad}-C1,A1,Carla")
    found = [p for p in errors(check_workbook(path).problems) if p.column == "contact_id"]
    assert found and found[0].row == 2


def test_nothing_a_command_prints_carries_raw_control_characters(mini_copy: Path) -> None:
    evil = "Evil\x1b]0;owned\x07\x1b[2J\x9b31m"
    replace(mini_copy / "accounts.csv", "Alpha Logistics B.V.", evil)
    replace(mini_copy / "team.csv", "Anna", "An\x1bna")
    for command in (["accounts", str(mini_copy)], ["validate", str(mini_copy), "-W"],
                    ["run", "--quarter", "2025Q4", "--workbook", str(mini_copy),
                     "--accounts", "NO\x1bPE", "--output", str(mini_copy / "out")],
                    ["accounts", str(mini_copy), "--status", "\x1b[2J"]):
        result = run(*command)
        shown = result.stdout + result.stderr
        assert shown, command
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", shown.replace("\r", "")), command
    assert "Evil\\x1b]0;owned" in run("accounts", str(mini_copy)).stdout


def test_e_mail_addresses_of_contacts_are_checked(edit_csv) -> None:
    path = edit_csv("contacts.csv", "decision_maker,neutral,high,",
                    "decision_maker,neutral,high,carla at example")
    [warning] = warnings(check_workbook(path).problems)
    assert (warning.row, warning.column, warning.value) == (2, "email", "carla at example")


# ------------------------------------------------------------------------------ reading
def test_utf16_csv_with_a_bom_is_read(mini_copy: Path) -> None:
    path = mini_copy / "accounts.csv"
    text = path.read_text(encoding="utf-8")
    for encoding in ("utf-16", "utf-16-be"):  # Excel's "Unicode text": a BOM, then the text
        data = text.replace(",", "\t").encode(encoding)
        path.write_bytes(data if data[:2] in (b"\xff\xfe", b"\xfe\xff") else b"\xfe\xff" + data)
        assert check_workbook(mini_copy).problems == [], encoding


def test_utf16_without_a_bom_is_read_not_garbage(mini_copy: Path) -> None:
    path = mini_copy / "accounts.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))
    assert check_workbook(mini_copy).problems == []


def test_an_unterminated_quote_is_reported_where_it_opens(edit_csv) -> None:
    # the last rows are swallowed into one cell: the row count is right, nothing is lost silently
    path = edit_csv("contacts.csv", "A1-C2,A1,Dirk Visser", 'A1-C2,A1,"Dirk Visser')
    [error] = [p for p in errors(check_workbook(path).problems) if p.file == "contacts.csv"]
    assert error.row == 3 and "never closed" in error.message


def test_a_quote_closed_rows_later_names_the_row_it_opens(edit_csv) -> None:
    path = edit_csv("contacts.csv", "A1-C2,A1,Dirk Visser", 'A1-C2,A1,"Dirk Visser')
    replace(path / "contacts.csv", "A2-C1,A2,Frank", 'A2-C1,A2,Fr"ank"')
    found = [p for p in errors(check_workbook(path).problems) if p.file == "contacts.csv"]
    assert found[0].row == 3 and "row 3" in found[0].message


def test_a_runaway_quote_longer_than_the_csv_field_limit(edit_csv) -> None:
    path = edit_csv("contacts.csv", "A1-C2,A1,Dirk Visser", 'A1-C2,A1,"Dirk Visser')
    with (path / "contacts.csv").open("a", encoding="utf-8") as handle:
        handle.write("A2-C9,A2,x,y,z,tactical,,user,neutral,low,\n" * 5000)
    found = [p for p in errors(check_workbook(path).problems) if p.file == "contacts.csv"]
    assert found[0].row == 3 and "never closed" in found[0].message


def test_a_cell_that_is_simply_too_long_is_said_so(edit_csv) -> None:
    path = edit_csv("contacts.csv", "Dirk Visser", "Dirk " + "x" * 200_000)
    [error] = [p for p in errors(check_workbook(path).problems) if p.file == "contacts.csv"]
    assert error.row == 3 and "longer than" in error.message and "quote" not in error.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_or_a_device_is_refused_not_read(mini_copy: Path) -> None:
    (mini_copy / "history.csv").unlink()
    os.mkfifo(mini_copy / "history.csv")  # read, it would block for ever
    (mini_copy / "feedback.csv").unlink()
    (mini_copy / "feedback.csv").symlink_to("/dev/zero")  # read, it would fill the memory
    os.mkfifo(mini_copy / "documents" / "A2.yaml")  # a document too
    code, shown = validate(mini_copy)
    assert code == 1
    assert "history.csv" in shown and "FIFO" in shown and "a device" in shown
    assert "documents/A2.yaml" in shown


def test_a_file_over_the_size_limit_is_refused_with_the_setting(
        mini_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MAX_FILE_MB_VARIABLE, "0.0005")  # 500 bytes
    with (mini_copy / "sales.csv").open("a", encoding="utf-8") as handle:
        handle.write("A1,2023-01,CLEAN,NL-RTM,1.00,0.50,\n" * 40)
    code, shown = validate(mini_copy)
    assert code == 1 and "sales.csv" in shown and MAX_FILE_MB_VARIABLE in shown
    monkeypatch.setenv(MAX_FILE_MB_VARIABLE, "lots")
    assert validate(mini_copy)[0] == 2


# ------------------------------------------------------------------------------ messages
def test_repeated_months_are_shown_as_months(edit_csv) -> None:
    path = edit_csv("sales.csv", "2024-02,A1,", "2024-01,A1,")
    text = " ".join(str(p) for p in check_workbook(path).problems)
    assert "00:00:00" not in text and "month=2024-01" in text


@pytest.mark.parametrize(("table", "old", "new", "message"), [
    ("relationships.csv", "P2,A1-C2,4", "P2,A1-C2,7", "must be a score from 1 to 5."),
    ("accounts.csv", "key_account,P2,8", "key_account,P2,11", "must be a score from 0 to 10."),
])
def test_ranges_are_said_with_their_unit_once(edit_csv, table: str, old: str, new: str,
                                              message: str) -> None:
    [error] = errors(check_workbook(edit_csv(table, old, new)).problems)
    assert error.message == message


def test_validate_never_exits_3(mini_copy: Path) -> None:
    """A mix of the above at once still ends in a list of problems and exit code 1."""
    replace(mini_copy / "contacts.csv", "Carla Smit", "Carla\x1bSmit")
    replace(mini_copy / "contacts.csv", "A1-C2,A1,Dirk Visser", 'A1-C2,A1,"Dirk Visser')
    (mini_copy / "documents" / "A1.yml").write_text("account_id: [\n", encoding="utf-8")
    code, shown = validate(mini_copy)
    assert code == 1 and "internal error" not in shown


def test_main_restores_the_streams() -> None:
    import sys

    before = sys.stdout, sys.stderr
    with pytest.raises(SystemExit):
        main(["--version"])
    assert (sys.stdout, sys.stderr) == before


# ------------------------------------------------------------------------------ rules
def _key_columns() -> list[tuple[str, str]]:
    from kamkit.schema import TABLES

    return [(t.name, c.name) for t in TABLES for c in t.columns
            if c.refers_to or c.name in t.key or c.name == "reports_to"]


def _broken(tables: dict, name: str, column: str, how: str) -> dict:
    """``tables`` with the first row of one table broken in ``column``: repeated as it is,
    repeated with an unknown value, or the value missing."""
    import pandas as pd

    frame = tables[name]
    if frame.empty:
        return tables
    row = frame.iloc[[0]].copy()
    if how == "missing":
        frame = frame.copy()
        frame.iloc[0, frame.columns.get_loc(column)] = None
        return {**tables, name: frame}
    row.index = pd.Index([int(frame.index.max()) + 1], name=frame.index.name)
    if how == "unknown" and frame[column].dtype == "string":
        row[column] = "ZZ-UNKNOWN"
    elif how == "unknown":  # a number, month or date: missing, of the column's type
        row[column] = row[column].iloc[:0].reindex(row.index)
    return {**tables, name: pd.concat([frame, row])}


def test_every_rule_holds_up_when_its_keys_are_broken(mini_path: Path) -> None:
    """Repeated, unknown and missing keys, alone and in pairs (the organisation check once
    crashed on a repeated contact id with an unknown account): problems, never an
    exception."""
    import random

    from kamkit.rules import check_document, check_tables
    from kamkit.schema import TABLES

    checked = check_workbook(mini_path)
    files = {t.name: t.file_name for t in TABLES}
    document = checked.documents["A1"]
    single = [(name, column, how) for name, column in _key_columns()
              for how in ("repeat", "unknown", "missing")]
    pairs = random.Random(12).sample([(a, b) for a in single for b in single], 150)
    for first, second in [(s, s) for s in single] + pairs:
        tables = _broken(_broken(checked.tables, *first), *second)
        try:
            check_tables(tables, files)
            check_document(document, DOCUMENT, "A1", tables)
        except Exception as error:  # pragma: no cover - the failure message
            pytest.fail(f"{first} + {second}: {type(error).__name__}: {error}")


def test_a_repeated_contact_is_a_repeat_not_a_cycle(edit_csv) -> None:
    path = edit_csv("contacts.csv", "A2-C1,A2,Frank Claes,COO,Operations,strategic,,",
                    "A1-C1,ZZ,Frank Claes,COO,Operations,strategic,A1-C1,")
    shown = [str(p) for p in errors(check_workbook(path).problems)]
    assert any("Repeats row 2" in p for p in shown)
    assert not any("cycle" in p or "another account" in p for p in shown), shown


@pytest.mark.parametrize(("text", "words"), [
    ("columns:\n  account_id: Klant\n  month: Maand\ncolumns:\n  account_id: Debiteur\n",
     ("lines 1 and 4", "'columns'")),
    ("a: " + "[" * 2000 + "]" * 2000 + "\n", ("levels deep",)),
])
def test_an_import_mapping_is_read_like_a_document(tmp_path: Path, text: str,
                                                   words: tuple[str, ...]) -> None:
    """A YAML file the user writes for `kamkit import`: the same bounds, a repeated key an
    error naming both lines (the second `columns:` would silently replace the first)."""
    from kamkit.errors import KamkitError
    from kamkit.importer.mapping import load_mapping

    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KamkitError) as caught:
        load_mapping(path)
    assert all(word in str(caught.value) for word in words), str(caught.value)
