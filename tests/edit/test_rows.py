"""Table rows: each file keeps its dialect and untouched lines; edits are validated like
`kamkit validate`, merged with changes on disk, logged and undone."""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from kamkit.batch.cache import data_digest
from kamkit.edit import ConflictError, ValidationFailed, WorkbookEditor
from kamkit.workbook import check_workbook, load_workbook

# Seconds of CPU per test (whole workbooks written and checked): left out of `make test-fast`.
pytestmark = pytest.mark.slow


def _rewrite(path: Path, *, separator: str = ",", decimal_comma: bool = False,
             line_end: str = "\n", bom: bool = False, encoding: str = "utf-8",
             quote_all: bool = False, final_newline: bool = True, header=None,
             money: tuple[str, ...] = (), dates_dmy: tuple[str, ...] = ()) -> bytes:
    """Write a demo CSV file in another dialect, as Excel or a person would."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    names = rows[0]
    for row in rows[1:]:
        for i, name in enumerate(names):
            if name in money and row[i]:
                row[i] = f"{float(row[i]):.2f}"
            if name in dates_dmy and row[i]:
                year, month, day = row[i].split("-")
                row[i] = f"{day}-{month}-{year}"
            if decimal_comma and name in money:
                row[i] = row[i].replace(".", ",")
    if header is not None:
        rows[0] = header(names)
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator=line_end,
               quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL).writerows(rows)
    text = out.getvalue()
    if not final_newline:
        text = text[: -len(line_end)]
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)
    path.write_bytes(data)
    return data


def _diff(old: bytes, new: bytes) -> list[tuple[str, bytes]]:
    """The lines (with their line ends) that differ, as (+/-, line)."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    return [(tag, line) for group in difflib.SequenceMatcher(a=a, b=b).get_opcodes()
            if group[0] != "equal"
            for tag, line in ([("-", x) for x in a[group[1]:group[2]]]
                              + [("+", x) for x in b[group[3]:group[4]]])]


def _editor(path: Path, demo) -> WorkbookEditor:
    return WorkbookEditor(path, workbook=demo, author="Tester")


def test_dutch_semicolon_file_keeps_its_dialect(demo_copy: Path, demo) -> None:
    path = demo_copy / "spend.csv"
    old = _rewrite(path, separator=";", decimal_comma=True, line_end="\r\n", bom=True,
                   money=("spend", "volume"))
    assert b"\r\nMAAS;2021;CLEAN;NL-RTM;1051000,00;35282,00;" in old
    editor = _editor(demo_copy, demo)
    draft = editor.rows("spend", "MAAS")
    assert draft.frame["spend"].dtype == "float64"
    frame = draft.frame.copy()
    row = frame.index[0]
    frame.at[row, "spend"] = 1100000.5
    editor.save_rows("spend", "MAAS", frame, base=draft)
    new = path.read_bytes()
    assert _diff(old, new) == [
        ("-", b"MAAS;2021;CLEAN;NL-RTM;1051000,00;35282,00;budget talk with procurement 2021;"
              b"medium\r\n"),
        ("+", b"MAAS;2021;CLEAN;NL-RTM;1100000,50;35282,00;budget talk with procurement 2021;"
              b"medium\r\n")]
    assert new.startswith(b"\xef\xbb\xbf")
    spend = load_workbook(demo_copy).spend
    assert spend.loc[row, "spend"] == 1100000.5


def test_comma_file_keeps_untouched_lines_and_quotes_what_needs_it(demo_copy: Path,
                                                                   demo) -> None:
    path = demo_copy / "history.csv"
    old = path.read_bytes()
    editor = _editor(demo_copy, demo)
    draft = editor.rows("history", "MAAS")
    frame = draft.frame.copy()
    row = frame.index[1]
    frame.at[row, "description"] = 'Review, with "quotes"'
    frame.at[row, "amount"] = 25000.0
    editor.save_rows("history", "MAAS", frame, base=draft)
    [(_, removed), (_, added)] = _diff(old, path.read_bytes())
    assert removed.startswith(b"MAAS,2021-11-09,meeting,")
    assert added == b'MAAS,2021-11-09,meeting,"Review, with ""quotes""",25000\n'
    assert load_workbook(demo_copy).history.loc[row, "description"] == 'Review, with "quotes"'


def _contacts_encoded(folder: Path, encode: Callable[[str], bytes]) -> tuple[Path, str]:
    """contacts.csv of a demo copy, a name given an accent, written back by ``encode``:
    the file and its text."""
    path = folder / "contacts.csv"
    text = path.read_text(encoding="utf-8").replace("Erik van Leeuwen", "Érik van Leeuwen")
    path.write_bytes(encode(text))
    return path, text


def _retitle(editor: WorkbookEditor, title: str) -> pd.DataFrame:
    """Save ``title`` as the title of MAAS's second contact; the contacts as saved."""
    draft = editor.rows("contacts", "MAAS")
    frame = draft.frame.copy()
    frame.at[frame.index[1], "title"] = title
    editor.save_rows("contacts", "MAAS", frame, base=draft)
    return frame


def test_a_windows_1252_line_in_a_utf8_file_is_shown_and_saved_as_utf8(demo_copy: Path,
                                                                        demo) -> None:
    """The editor reads a UTF-8 file with one pasted Windows-1252 line as the reports do
    (its names right, not 'Ã‰rik'), and a save writes that line's characters in UTF-8."""
    path, text = _contacts_encoded(demo_copy, lambda text: text.encode("utf-8"))
    lines = text.splitlines(keepends=True)
    odd = next(at for at, line in enumerate(lines) if line.startswith("KRONE-C03,"))
    path.write_bytes("".join(lines[:odd]).encode("utf-8") + lines[odd].encode("cp1252")
                     + "".join(lines[odd + 1:]).encode("utf-8"))
    editor = _editor(demo_copy, demo)
    assert "Érik van Leeuwen" in set(editor.rows("contacts", "MAAS").frame["name"])
    _retitle(editor, "Directeur opérations")
    saved = path.read_bytes().decode("utf-8")  # UTF-8 throughout now
    assert "Érik van Leeuwen" in saved and "Directeur opérations" in saved
    assert saved.splitlines()[odd] == lines[odd].rstrip("\n")


@pytest.mark.parametrize(("bom", "encoding"), [(b"\xff\xfe", "utf-16-le"),
                                               (b"\xfe\xff", "utf-16-be"),
                                               (b"", "utf-16-le")])
def test_utf16_file_stays_utf16(demo_copy: Path, demo, bom: bytes, encoding: str) -> None:
    """Excel's "Unicode text" export: a save writes UTF-16 back, never Windows-1252 garble."""
    path, text = _contacts_encoded(demo_copy,
                                   lambda text: bom + text.replace("\n", "\r\n").encode(encoding))
    old = path.read_bytes()
    editor = _editor(demo_copy, demo)
    frame = _retitle(editor, "Dyrektor Łódź")
    new = path.read_bytes()
    assert new.startswith(bom) and new[len(bom):].decode(encoding).count("\r\n") == len(
        text.splitlines())
    changed = [line for line in new[len(bom):].decode(encoding).splitlines()
               if line not in old[len(bom):].decode(encoding).splitlines()]
    assert len(changed) == 1 and "Dyrektor Łódź" in changed[0]
    contacts = load_workbook(demo_copy).contacts
    assert "Érik van Leeuwen" in set(contacts["name"])
    assert contacts.loc[frame.index[1], "title"] == "Dyrektor Łódź"


def test_windows_1252_file_stays_so(demo_copy: Path, demo) -> None:
    path, _ = _contacts_encoded(demo_copy, lambda text: text.encode("cp1252"))
    old = path.read_bytes()
    editor = _editor(demo_copy, demo)
    _retitle(editor, "Directeur opérations")
    changes = _diff(old, path.read_bytes())
    assert len(changes) == 2 and "Directeur opérations".encode("cp1252") in changes[1][1]
    assert "Érik".encode("cp1252") in path.read_bytes()
    draft = editor.rows("contacts", "MAAS")
    frame = draft.frame.copy()
    frame.at[frame.index[1], "title"] = "Dyrektor Łódź"  # not in Windows-1252
    before = path.read_bytes()
    with pytest.raises(ValidationFailed, match="cannot hold"):
        editor.save_rows("contacts", "MAAS", frame, base=draft)
    assert path.read_bytes() == before


def test_quoting_header_spelling_and_missing_final_newline_are_kept(demo_copy: Path,
                                                                    demo) -> None:
    path = demo_copy / "relationships.csv"
    old = _rewrite(path, quote_all=True, final_newline=False, dates_dmy=("last_contact",),
                   header=lambda names: [n.upper() for n in names])
    editor = _editor(demo_copy, demo)
    account = "SCHELDE"  # its row is the last line, so the new row follows that line
    draft = editor.rows("relationships", account)
    assert draft.frame.index.max() == old.count(b"\n") + 1
    frame = pd.concat([draft.frame, pd.DataFrame(
        {"person_id": ["P01"], "contact_id": [f"{account}-C01"], "strength": [3],
         "last_contact": [pd.Timestamp("2026-11-02")]}, index=[-1])])
    if ((draft.frame.person_id == "P01") & (draft.frame.contact_id == f"{account}-C01")).any():
        frame.at[-1, "person_id"] = "P02"
    editor.save_rows("relationships", account, frame, base=draft)
    new = path.read_bytes()
    assert new.startswith(b'"PERSON_ID","CONTACT_ID","STRENGTH","LAST_CONTACT"\n')
    assert not new.endswith(b"\n")
    assert new.endswith(b'","3","02-11-2026"')
    assert [tag for tag, _ in _diff(old, new)] == ["-", "+", "+"]  # last line gains its \n
    assert check_workbook(demo_copy).ok


def test_a_table_file_the_workbook_lacks_is_created(demo_copy: Path, demo) -> None:
    (demo_copy / "feedback.csv").unlink()
    editor = _editor(demo_copy, demo)
    draft = editor.rows("feedback", "MAAS")
    assert draft.frame.empty
    frame = pd.DataFrame({"account_id": ["MAAS"], "date": [pd.Timestamp("2026-10-01")],
                          "kind": ["satisfaction"], "score": [7.5]}, index=[-1])
    editor.save_rows("feedback", "MAAS", frame, base=draft)
    assert (demo_copy / "feedback.csv").read_text() == (
        "account_id,date,kind,score,service,description,closed\n"
        "MAAS,2026-10-01,satisfaction,7.5,,,\n")


# ---------------------------------------------------------------- validation
def _invalid_edits(editor: WorkbookEditor):
    """(table, account, frame) edits that break a rule each."""
    contacts = editor.rows("contacts", "MAAS").frame
    first, second = contacts.index[:2]
    cycle = contacts.copy()
    cycle.at[first, "reports_to"] = contacts.at[second, "contact_id"]
    duplicate = contacts.copy()
    duplicate.at[second, "contact_id"] = "DELTA-C01"  # a contact of another account
    referenced = contacts.drop(index=contacts.index[contacts.contact_id == "MAAS-C04"])
    relationships = editor.rows("relationships", "MAAS").frame.copy()
    relationships.at[relationships.index[0], "contact_id"] = "MAAS-C99"
    relationships.at[relationships.index[1], "strength"] = 7
    shares = editor.rows("spend_shares", "MAAS").frame.copy()
    shares.at[shares.index[0], "spend"] = 9e9
    feedback = editor.rows("feedback", "MAAS").frame.copy()
    feedback.at[feedback.index[0], "score"] = None
    feedback.at[feedback.index[0], "kind"] = "satisfaction"
    history = editor.rows("history", "MAAS").frame.copy()
    history.at[history.index[0], "type"] = "party"
    return [("contacts", cycle), ("contacts", duplicate), ("contacts", referenced),
            ("relationships", relationships), ("spend_shares", shares),
            ("feedback", feedback), ("history", history)]


def _key(p) -> tuple:
    return (p.severity, p.file, p.row, p.column, p.value, p.message)


@pytest.mark.parametrize("case", range(7))
def test_check_rows_says_what_kamkit_validate_says(demo_copy: Path, demo, case: int) -> None:
    editor = _editor(demo_copy, demo)
    table, frame = _invalid_edits(editor)[case]
    found = editor.check_rows(table, "MAAS", frame)
    assert any(p.severity == "error" for p in found)
    baseline = {_key(p) for p in check_workbook(demo_copy).problems}
    state = editor._state(table)
    plan = __import__("kamkit.edit.rows", fromlist=["plan_rows"]).plan_rows(
        state, editor.rows(table, "MAAS"), frame, None, editor._contacts())
    (demo_copy / f"{table}.csv").write_bytes(plan.write())  # the same edit, by hand
    validated = {_key(p) for p in check_workbook(demo_copy).problems} - baseline
    said = {_key(p) for p in found if p.severity == "error"}
    # a reference to a contact the edit renames or deletes: the edit says so (validate,
    # reading the file after it, cannot), on the same cells
    removed = {k for k in said if "in this edit" in k[5]}
    assert said - removed == {k for k in validated if k[0] == "error"
                              and k[:5] not in {r[:5] for r in removed}}
    assert {k[:5] for k in removed} <= {k[:5] for k in validated}


@pytest.mark.parametrize("table", ["feedback", "history"])
def test_a_row_repeated_in_a_table_without_a_key_is_warned_as_validate_does(
        demo_copy: Path, demo, table: str) -> None:
    """A copy of a row added in the workbench is the warning ``kamkit validate`` gives, on
    the row the copy will have in the file; a warning, so the save goes ahead."""
    editor = _editor(demo_copy, demo)
    draft = editor.rows(table, "MAAS")
    frame = pd.concat([draft.frame, draft.frame.iloc[[0]].set_axis([-1])])
    found = [p for p in editor.check_rows(table, "MAAS", frame) if p.file == f"{table}.csv"]
    assert [p.severity for p in found] == ["warning"] and found[0].detail == (
        f"Repeats row {draft.frame.index[0]}.")
    editor.save_rows(table, "MAAS", frame, base=draft)
    assert {_key(p) for p in found} == {_key(p) for p in check_workbook(demo_copy).problems}


def test_an_invalid_row_edit_is_not_written(demo_copy: Path, demo) -> None:
    editor = _editor(demo_copy, demo)
    table, frame = _invalid_edits(editor)[3]
    old = (demo_copy / "relationships.csv").read_bytes()
    with pytest.raises(ValidationFailed) as failed:
        editor.save_rows(table, "MAAS", frame, base=editor.rows(table, "MAAS"))
    assert {p.column for p in failed.value.problems} == {"contact_id", "strength"}
    assert (demo_copy / "relationships.csv").read_bytes() == old


# ---------------------------------------------------------------- merge, log, undo
def _disk_edit(demo_copy: Path, demo, table: str, account: str, change) -> None:
    other = WorkbookEditor(demo_copy, workbook=demo, author="Other")
    draft = other.rows(table, account)
    frame = draft.frame.copy()
    change(frame)
    other.save_rows(table, account, frame, base=draft)


def test_rows_of_other_accounts_and_other_rows_are_merged(demo_copy: Path, demo) -> None:
    editor = _editor(demo_copy, demo)
    draft = editor.rows("contacts", "MAAS")
    first, second = draft.frame.index[:2]
    def theirs(frame: pd.DataFrame) -> None:
        frame["title"] = frame["title"].str.upper()
        frame.loc[-1] = {**frame.iloc[0].to_dict(), "contact_id": "DELTA-C99",
                         "reports_to": pd.NA, "name": "New Person"}

    _disk_edit(demo_copy, demo, "contacts", "DELTA", theirs)
    _disk_edit(demo_copy, demo, "contacts", "MAAS",
               lambda f: f.__setitem__("email", f["email"].where(f.index != second, "x@y.z")))
    frame = draft.frame.copy()
    frame.at[first, "attitude"] = "champion"
    result = editor.save_rows("contacts", "MAAS", frame, base=draft)
    contacts = load_workbook(demo_copy).contacts.set_index("contact_id")
    assert contacts.at[draft.frame.at[first, "contact_id"], "attitude"] == "champion"
    assert contacts.at[draft.frame.at[second, "contact_id"], "email"] == "x@y.z"
    assert (contacts[contacts.account_id == "DELTA"]["title"].str.isupper()).all()
    assert contacts.at["DELTA-C99", "name"] == "New Person"
    assert result.merged


def test_the_same_row_changed_on_both_sides_is_a_conflict(demo_copy: Path, demo) -> None:
    editor = _editor(demo_copy, demo)
    draft = editor.rows("relationships", "MAAS")
    row = draft.frame.index[0]
    _disk_edit(demo_copy, demo, "relationships", "MAAS",
               lambda f: f.__setitem__("strength", f["strength"].where(f.index != row, 1)))
    on_disk = (demo_copy / "relationships.csv").read_bytes()
    frame = draft.frame.copy()
    frame.at[row, "strength"] = 5
    frame.at[draft.frame.index[1], "strength"] = 4
    with pytest.raises(ConflictError) as raised:
        editor.save_rows("relationships", "MAAS", frame, base=draft)
    [conflict] = raised.value.conflicts
    name = f"relationships[{frame.at[row, 'person_id']}, {frame.at[row, 'contact_id']}]"
    assert conflict.path == f"{name}.strength"  # the cell, not the row
    assert (conflict.mine, conflict.theirs) == (5, 1)
    assert conflict.base == draft.frame.at[row, "strength"]
    assert (demo_copy / "relationships.csv").read_bytes() == on_disk
    editor.save_rows("relationships", "MAAS", frame, base=draft, resolve={name: "theirs"})
    saved = editor.rows("relationships", "MAAS").frame.set_index(["person_id", "contact_id"])
    key = tuple(draft.frame.loc[row, ["person_id", "contact_id"]])
    assert saved.loc[key, "strength"] == 1
    key1 = tuple(draft.frame.loc[draft.frame.index[1], ["person_id", "contact_id"]])
    assert saved.loc[key1, "strength"] == 4


def test_the_same_row_changed_in_other_columns_merges_per_cell(demo_copy: Path,
                                                               demo) -> None:
    editor = _editor(demo_copy, demo)
    draft = editor.rows("contacts", "MAAS")
    row = draft.frame.index[0]
    contact = draft.frame.at[row, "contact_id"]
    _disk_edit(demo_copy, demo, "contacts", "MAAS", lambda f: (
        f.__setitem__("email", f["email"].where(f.index != row, "their@mail.nl")),
        f.__setitem__("title", f["title"].where(f.index != row, "Their title"))))
    frame = draft.frame.copy()
    frame.at[row, "attitude"] = "champion"  # another column of the same row: merges
    frame.at[row, "title"] = "Their title"  # the same change: no conflict
    result = editor.save_rows("contacts", "MAAS", frame, base=draft)
    saved = load_workbook(demo_copy).contacts.set_index("contact_id")
    assert saved.at[contact, "attitude"] == "champion"
    assert saved.at[contact, "email"] == "their@mail.nl"
    assert saved.at[contact, "title"] == "Their title"
    assert [c.where for c in result.changes] == [f"contacts[{contact}].attitude"]

    draft = editor.rows("contacts", "MAAS")
    _disk_edit(demo_copy, demo, "contacts", "MAAS", lambda f: (
        f.__setitem__("name", f["name"].where(f.index != row, "Their Name")),
        f.__setitem__("email", f["email"].where(f.index != row, "again@mail.nl"))))
    frame = draft.frame.copy()
    frame.at[row, "name"] = "My Name"  # the same cell, differently: a conflict there only
    frame.at[row, "attitude"] = "supporter"
    with pytest.raises(ConflictError) as raised:
        editor.save_rows("contacts", "MAAS", frame, base=draft)
    [conflict] = raised.value.conflicts
    assert conflict.path == f"contacts[{contact}].name"
    assert (conflict.mine, conflict.theirs) == ("My Name", "Their Name")
    editor.save_rows("contacts", "MAAS", frame, base=draft,
                     resolve={conflict.path: "mine"})
    saved = load_workbook(demo_copy).contacts.set_index("contact_id")
    assert (saved.at[contact, "name"], saved.at[contact, "attitude"],
            saved.at[contact, "email"]) == ("My Name", "supporter", "again@mail.nl")


def test_row_edits_are_logged_and_undone(demo_copy: Path, demo) -> None:
    editor = _editor(demo_copy, demo)
    path = demo_copy / "spend.csv"
    old = path.read_bytes()
    before_digest = data_digest(load_workbook(demo_copy).account("MAAS"))
    draft = editor.rows("spend", "MAAS")
    frame = draft.frame.copy()
    row = frame.index[0]
    frame.at[row, "confidence"] = "low"
    frame.at[frame.index[1], "source"] = "phone call"
    result = editor.save_rows("spend", "MAAS", frame, base=draft)
    assert [c.where.split("].")[-1] for c in result.changes][:1] == ["confidence"]
    log = editor.changes("MAAS")
    assert len(log) == 2 and set(log["file"]) == {"spend.csv"}
    assert data_digest(load_workbook(demo_copy).account("MAAS")) != before_digest
    editor.undo()
    assert path.read_bytes() == old
    assert len(editor.changes("MAAS")) == 4


def test_a_crash_mid_save_of_rows_leaves_the_previous_file(demo_copy: Path, demo,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    import os

    editor = _editor(demo_copy, demo)
    path = demo_copy / "contacts.csv"
    old = path.read_bytes()
    draft = editor.rows("contacts", "MAAS")
    frame = draft.frame.copy()
    frame.at[frame.index[0], "title"] = "Half written"

    def crash(*args: object) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        editor.save_rows("contacts", "MAAS", frame, base=draft)
    monkeypatch.undo()
    assert path.read_bytes() == old
    assert not [p for p in demo_copy.iterdir() if p.name.endswith(".tmp")]
    assert editor.changes().empty
    editor.save_rows("contacts", "MAAS", frame, base=draft)  # and it can be saved after
    assert load_workbook(demo_copy).contacts.loc[frame.index[0], "title"] == "Half written"


def test_tab_separated_file_keeps_its_tabs(demo_copy: Path, demo) -> None:
    path = demo_copy / "feedback.csv"
    old = _rewrite(path, separator="\t")
    editor = _editor(demo_copy, demo)
    draft = editor.rows("feedback", "MAAS")
    frame = draft.frame.copy()
    frame.at[frame.index[0], "score"] = 8.25
    editor.save_rows("feedback", "MAAS", frame, base=draft)
    [(_, removed), (_, added)] = _diff(old, path.read_bytes())
    assert added == removed.replace(b"\t7.6\t", b"\t8.25\t")


def test_undo_of_rows_merges_with_later_edits(demo_copy: Path, demo) -> None:
    editor = _editor(demo_copy, demo)
    draft = editor.rows("history", "MAAS")
    frame = draft.frame.copy()
    first, last = frame.index[0], frame.index[-1]
    old_description = frame.at[first, "description"]
    frame.at[first, "description"] = "Mine, to undo"
    frame = frame.drop(index=last)
    result = editor.save_rows("history", "MAAS", frame, base=draft)
    _disk_edit(demo_copy, demo, "history", "MAAS", lambda f: f.__setitem__(
        "amount", f["amount"].where(f.index != f.index[1], 123.0)))
    editor.undo(result)
    history = load_workbook(demo_copy).account("MAAS").history
    assert list(history["description"]).count(old_description) == 1
    assert "Mine, to undo" not in set(history["description"])
    assert len(history) == len(draft.frame)  # the deleted row is back
    assert 123.0 in set(history["amount"])  # their later edit stays


def test_a_contact_the_plan_names_is_renamed_or_removed_with_the_plan(demo_copy: Path,
                                                                      demo) -> None:
    links = demo_copy / "relationships.csv"  # (the relationship row is another reference)
    links.write_text("".join(line for line in links.read_text(encoding="utf-8").splitlines(
        keepends=True) if not line.startswith("P07,MAAS-C13,")), encoding="utf-8")
    editor = _editor(demo_copy, load_workbook(demo_copy))
    draft = editor.rows("contacts", "MAAS")
    frame = draft.frame.copy()
    row = frame.index[frame["contact_id"] == "MAAS-C13"][0]
    frame.at[row, "contact_id"] = "MAAS-C20"
    [problem] = [p for p in editor.check_rows("contacts", "MAAS", frame)
                 if p.severity.name == "ERROR"]  # never a dangling reference, silently
    assert (problem.file, problem.value) == ("documents/MAAS.yaml", "MAAS-C13")
    assert "plan.team" in problem.location
    assert editor.plan_references("MAAS", frame, draft) == (
        {"MAAS-C13": "MAAS-C20"}, ["plan.team[person=P07].counterparts"])
    assert not [p for p in editor.check_rows("contacts", "MAAS", frame, update_plan=True)
                if p.severity.name == "ERROR"]
    with pytest.raises(ValidationFailed, match="MAAS-C13"):
        editor.save_rows("contacts", "MAAS", frame, base=draft)
    result = editor.save_rows("contacts", "MAAS", frame, base=draft, update_plan=True)
    assert any("plan.team" in w and "MAAS-C20" in w for w in result.warnings)
    checked = check_workbook(demo_copy)
    assert checked.ok, checked.problems
    team = {m.person: m.counterparts for m in checked.documents["MAAS"].plan.team}
    assert "MAAS-C20" in team["P07"] and "MAAS-C13" not in team["P07"]

    draft = editor.rows("contacts", "MAAS")
    frame = draft.frame[draft.frame["contact_id"] != "MAAS-C20"]
    assert editor.plan_references("MAAS", frame, draft)[0] == {"MAAS-C20": None}
    editor.save_rows("contacts", "MAAS", frame, base=draft, update_plan=True)
    checked = check_workbook(demo_copy)
    assert checked.ok, checked.problems
    assert all("MAAS-C20" not in m.counterparts for m in checked.documents["MAAS"].plan.team)


def test_criteria_and_judgements_are_edited_and_weights_checked_as_typed(demo_copy: Path,
                                                                         demo) -> None:
    editor = _editor(demo_copy, demo)
    draft = editor.rows("criteria", "MAAS")  # the workbook's: the demo has none yet
    assert draft.frame.empty
    rows = [("attractiveness", "wallet", 60, "computed"),
            ("attractiveness", "strategic_fit", 30, "judgement")]
    frame = pd.DataFrame([dict(zip(("axis", "criterion", "weight", "source"), r,
                                   strict=True)) for r in rows], index=[-1, -2])
    frame = frame.reindex(columns=draft.frame.columns)
    [problem] = editor.check_rows("criteria", "MAAS", frame)
    assert problem.column == "weight" and "add up to 90" in problem.message
    assert problem.file == "criteria.csv"
    frame.loc[-2, "weight"] = 40
    assert not editor.check_rows("criteria", "MAAS", frame)
    editor.save_rows("criteria", "MAAS", frame, base=draft)
    checked = check_workbook(demo_copy)
    assert checked.ok, checked.problems
    assert list(checked.tables["criteria"]["weight"]) == [60, 40]

    draft = editor.rows("judgements", "MAAS")
    assert set(draft.frame["account_id"]) == {"MAAS"} and len(draft.frame)
    frame = draft.frame.copy()
    frame.loc[-1] = {"account_id": "MAAS", "criterion": "strategic_fit",
                     "date": pd.Timestamp("2026-06-30"), "score": 11, "note": "Better fit"}
    problems = editor.check_rows("judgements", "MAAS", frame)
    [problem] = [p for p in problems if p.severity.name == "ERROR"]
    # ease_of_business is no longer in force (the criteria above replaced the axis): said
    assert any(p.value == "ease_of_business" and p.severity.name == "WARNING"
               for p in problems)
    assert (problem.column, problem.value) == ("score", "11")
    frame.loc[-1, "score"] = 9
    editor.save_rows("judgements", "MAAS", frame, base=draft)
    judgements = load_workbook(demo_copy).table("judgements")
    assert 9 in set(judgements[judgements.account_id == "MAAS"]["score"])


def test_a_cell_warning_is_said_and_saved_as_validate_says(demo_copy: Path, demo) -> None:
    """A malformed e-mail address typed in the workbench is the warning ``kamkit validate``
    gives, on the row as the file numbers it; the save goes ahead and says it."""
    table, column, typed = "contacts", "email", "not-an-email"
    editor = _editor(demo_copy, demo)
    draft = editor.rows(table, "MAAS")
    frame = draft.frame.copy()
    frame.loc[frame.index[0], column] = typed
    baseline = {_key(p) for p in check_workbook(demo_copy).problems}
    found = [p for p in editor.check_rows(table, "MAAS", frame) if p.file == f"{table}.csv"]
    assert [(p.severity, p.row, p.column) for p in found] == [
        ("warning", frame.index[0], column)]
    result = editor.save_rows(table, "MAAS", frame, base=draft)
    assert result.warnings == (str(found[0]),)
    assert {_key(p) for p in found} == {_key(p) for p in check_workbook(demo_copy).problems
                                        } - baseline


@pytest.mark.parametrize("language", ["en", "nl"])
def test_deleting_a_contact_others_report_to_says_who(demo_copy: Path, demo,
                                                      language: str) -> None:
    """Not a typo among every known id: the contact deleted, the rows that report to it and
    what to do; nothing is written."""
    editor = _editor(demo_copy, demo)
    draft = editor.rows("contacts", "DELTA")
    frame = draft.frame[draft.frame["contact_id"] != "DELTA-C02"]
    old = (demo_copy / "contacts.csv").read_bytes()
    with pytest.raises(ValidationFailed) as failed:
        editor.save_rows("contacts", "DELTA", frame, base=draft)
    found = [p for p in failed.value.problems if p.file == "contacts.csv"]
    said, rows = {p.message_in(language) for p in found}, sorted(p.row for p in found)
    assert len(rows) == 4 and said == {(
        f"DELTA-C02 (Gerard Hendriks) is deleted in this edit, but 4 rows refer to it in "
        f"column 'reports_to' (rows {', '.join(map(str, rows))}): change those first (or "
        "keep the id).") if language == "en" else (
        f"DELTA-C02 (Gerard Hendriks) wordt in deze bewerking verwijderd, maar 4 rijen "
        f"verwijzen ernaar in kolom 'reports_to' (rijen {', '.join(map(str, rows))}): pas "
        "die eerst aan (of houd het id).")}
    assert (demo_copy / "contacts.csv").read_bytes() == old
