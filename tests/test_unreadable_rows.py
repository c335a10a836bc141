"""A row that cannot be read is said once, with what it holds, before what follows from it
(review 10, finding 2): a column added to the header and one row buried its one error under
540 lines "is in contacts.csv row N, which could not be read" with empty example lines."""

from __future__ import annotations

from pathlib import Path

from kamkit.cli import main
from kamkit.problems import errors, grouped
from kamkit.workbook import check_workbook, load_workbook


def _add_cells(path: Path, header: str, row2: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += header
    lines[1] += row2
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_column_added_to_the_header_and_one_row_is_said_as_the_headers_error(
        mini_copy: Path, capsys) -> None:
    _add_cells(mini_copy / "contacts.csv", ",note", ",hello")
    assert main(["validate", str(mini_copy)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("contacts.csv:1: error: found 'contact_id,account_id,")
    assert "email,note'; the header has 12 cells (separator ','), but 3 of the 4 rows " \
        "have 11" in lines[0] and "(the last is 'note')" in lines[0]
    assert lines[1].startswith("contacts.csv: error, 3 rows: has 11 cells where the header")
    # each row quoted (its start and its end), not "  row 3: " and nothing
    assert lines[2] == "  row 3: found 'A1-C2,A1,Dirk Visser,F...,A1-C1,influencer,supporter," \
                       "medium,'"
    follow = [line for line in lines if "could not be read" in line]
    assert follow == [  # one line per file, after the rows they follow from
        "error: relationships.csv: 2 references to rows of contacts.csv that could not be "
        "read (row 3, row 4): fix those rows (their errors are above) and these go too.",
        "error: documents/A1.yaml: 1 reference to a row of contacts.csv that could not be "
        "read (plan.team[0].counterparts): fix that row (its error is above) and this one "
        "goes too."]
    assert lines.index(follow[0]) > 2


def test_a_long_row_is_quoted_by_its_start_and_end(mini_copy: Path) -> None:
    _add_cells(mini_copy / "contacts.csv", "", ",an extra cell at the end")
    [error] = [p for p in errors(check_workbook(mini_copy).problems)
               if p.file == "contacts.csv" and p.row == 2]
    assert error.value == "A1-C1,A1,Carla Smit,CE...tral,high,,an extra cell at the end"
    assert len(error.value) == 60


def test_follow_ons_are_said_in_dutch(mini_copy: Path) -> None:
    _add_cells(mini_copy / "contacts.csv", "", ",hello")
    groups = grouped(errors(check_workbook(mini_copy).problems))
    assert groups[0].first.row == 2  # the root
    assert [g.text("nl") for g in groups[1:]] == [
        "fout: contacts.csv: 1 verwijzing naar een rij van contacts.csv die niet te lezen "
        "was (rij 3): herstel die rij (de fout staat hierboven) en deze verdwijnt ook.",
        "fout: relationships.csv: 1 verwijzing naar een rij van contacts.csv die niet te "
        "lezen was (rij 2): herstel die rij (de fout staat hierboven) en deze verdwijnt ook.",
        "fout: documents/A1.yaml: 1 verwijzing naar een rij van contacts.csv die niet te "
        "lezen was (plan.team[1].counterparts): herstel die rij (de fout staat hierboven) "
        "en deze verdwijnt ook."]


def test_an_unreadable_contact_row_fails_its_account_alone(mini_copy: Path) -> None:
    # its relationships (which name no account) belong to the account its row names
    _add_cells(mini_copy / "contacts.csv", "", ",hello")
    book = load_workbook(mini_copy, partial=True)
    assert list(book.left_out) == ["A1"]
    said = book.left_out["A1"].said("en")
    assert said.startswith("contacts.csv:2: error: found 'A1-C1,")
    assert "relationships.csv: 1 reference to a row of contacts.csv" in said
