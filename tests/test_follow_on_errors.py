"""One wrong cell is one error: the rules that depend on it point at it instead of adding
misleading errors of their own (a mistyped account id of a contact, review 7 finding 7), and
messages name the workbook's real sources (a CSV file or an .xlsx sheet)."""

from __future__ import annotations

from pathlib import Path

import pytest
from xlsx_books import mini_as_xlsx

from kamkit.problems import Problem, Severity
from kamkit.workbook import check_workbook


def _edit(path: Path, name: str, old: str, new: str) -> None:
    file = path / name
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def _checked(mini_copy: Path, tmp_path: Path, form: str, *edits: tuple[str, str, str]
             ) -> tuple[list[Problem], str]:
    """The errors of the mini workbook changed by ``edits``, read as CSV or .xlsx, and how
    its messages name the contacts."""
    for edit in edits:
        _edit(mini_copy, *edit)
    if form == "csv":
        return _errors(mini_copy), "contacts.csv"
    book = tmp_path / "xl" / "book.xlsx"
    book.parent.mkdir()
    return _errors(mini_as_xlsx(book, mini_copy)), "book.xlsx[contacts]"


def _errors(path: Path) -> list[Problem]:
    return [p for p in check_workbook(path).problems if p.severity is Severity.ERROR]


# A1-C2 (contacts row 3) reports to A1-C1, A1-C3 reports to A1-C2; A1's plan names
# A1-C2 and A1-C1 as counterparts.
MISTYPED = ("contacts.csv", "A1-C2,A1,", "A1-C2,A9,")


@pytest.mark.parametrize("form", ["csv", "xlsx"])
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_mistyped_account_id_is_one_error_and_its_follow_ons_point_at_it(
        mini_copy: Path, tmp_path: Path, form: str) -> None:
    errors, contacts = _checked(mini_copy, tmp_path, form, MISTYPED)
    cause, follow_on = errors  # no "reports to a contact of another account"
    assert (cause.file, cause.row, cause.column, cause.value) == (
        contacts, 3, "account_id", "A9")
    assert (follow_on.file, follow_on.location, follow_on.value) == (
        "documents/A1.yaml", "plan.team[0].counterparts", "A1-C2")
    assert follow_on.message == (f"is in {contacts} row 3, whose account_id 'A9' is not "
                                 "known: see that error.")
    assert "Did you mean" not in follow_on.message
    assert follow_on.message_in("nl") == (
        f"staat in {contacts} rij 3, waarvan de account_id 'A9' niet bekend is: zie die fout.")


def test_a_contact_of_another_account_says_whose_it_is(mini_copy: Path, tmp_path: Path
                                                         ) -> None:
    errors, _ = _checked(mini_copy, tmp_path, "csv", ("contacts.csv", "A1-C2,A1,", "A1-C2,A2,"))
    abroad = [p for p in errors if p.file == "contacts.csv"]
    assert [(p.row, p.column) for p in abroad] == [(3, "reports_to"), (4, "reports_to")]
    document = [p for p in errors if p.file == "documents/A1.yaml"]
    assert [p.message for p in document] == [
        "is a contact of A2 (contacts.csv row 3), not of A1."]


def test_a_contact_whose_account_id_is_unreadable_points_at_its_row(
        mini_copy: Path, tmp_path: Path) -> None:
    errors, _ = _checked(mini_copy, tmp_path, "csv", ("contacts.csv", "A1-C2,A1,", "A1-C2,,"))
    cause, follow_on = errors
    assert (cause.file, cause.row, cause.column) == ("contacts.csv", 3, "account_id")
    assert follow_on.message == ("is in contacts.csv row 3, whose account_id could not be "
                                 "read: see that error.")


@pytest.mark.parametrize("form", ["csv", "xlsx"])
@pytest.mark.sample(1)  # the cases covered by the others: benchmarks/fast_tier.py
def test_an_unknown_counterpart_names_the_real_source(mini_copy: Path, tmp_path: Path,
                                                      form: str) -> None:
    errors, contacts = _checked(mini_copy, tmp_path, form, (
        "documents/A1.yaml", "counterparts: [A1-C2]", "counterparts: [A1-C4]"))
    error, = errors
    assert error.message.startswith(f"is not a known contact of A1 in {contacts}.")
    assert error.message_in("nl").startswith(f"is geen bekende contact van A1 in {contacts}.")
    assert "contacts.csv" not in error.message or form == "csv"


@pytest.mark.parametrize("form", ["csv", "xlsx"])
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_an_unknown_person_and_a_share_without_total_name_the_real_source(
        mini_copy: Path, tmp_path: Path, form: str) -> None:
    errors, contacts = _checked(
        mini_copy, tmp_path, form,
        ("documents/A1.yaml", "{person: P2, role: KAM", "{person: P9, role: KAM"),
        ("spend_shares.csv", "A2,2025,CLEAN", "A2,2024,CLEAN"))
    team, spend = (contacts.replace("contacts", name) for name in ("team", "spend"))
    person, = (p for p in errors if p.value == "P9")
    assert f"is not a known person in {team}." in person.message
    assert f"persoon in {team}." in person.message_in("nl")
    share, = (p for p in errors if "no total" in p.message)
    assert f"has no total in {spend} for account A2" in share.message
    assert f"heeft geen totaal in {spend} voor account A2" in share.message_in("nl")


@pytest.mark.parametrize("form", ["csv", "xlsx"])
@pytest.mark.sample(1)  # the cases covered by the others: benchmarks/fast_tier.py
def test_an_id_that_differs_only_in_case_gets_did_you_mean(mini_copy: Path, tmp_path: Path,
                                                           form: str) -> None:
    errors, contacts = _checked(mini_copy, tmp_path, form, ("contacts.csv", "A1-C2,A1,",
                                                            "A1-C2,a1,"))
    cause = errors[0]
    assert (cause.file, cause.value) == (contacts, "a1")
    assert str(cause).endswith("Did you mean A1?")
    assert len(errors) == 2  # and the plan's counterpart points at it


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_references_to_a_row_that_could_not_be_read_point_at_it(mini_copy: Path,
                                                                tmp_path: Path) -> None:
    errors, _ = _checked(mini_copy, tmp_path, "csv",
                         ("contacts.csv", "A1-C2,A1,", "A1-C2,A1,stray,"))
    cause, *follow_ons = errors
    assert (cause.file, cause.row) == ("contacts.csv", 3)
    said = "is in contacts.csv row 3, which could not be read: see that error."
    assert {(p.file, p.column or p.location, p.value) for p in follow_ons} == {
        ("contacts.csv", "reports_to", "A1-C2"),  # A1-C3 reports to A1-C2
        ("relationships.csv", "contact_id", "A1-C2"),
        ("documents/A1.yaml", "plan.team[0].counterparts", "A1-C2")}
    assert all(p.message == said and "Did you mean" not in str(p) for p in follow_ons)
    assert follow_ons[0].message_in("nl") == (
        "staat in contacts.csv rij 3, die niet te lezen was: zie die fout.")


def test_a_document_of_an_account_whose_row_could_not_be_read_points_at_it(
        mini_copy: Path, tmp_path: Path) -> None:
    errors, _ = _checked(mini_copy, tmp_path, "csv", ("accounts.csv", "A1,", "A1,stray,"))
    said = "is in accounts.csv row 2, which could not be read: see that error."
    document = [p for p in errors if p.file == "documents/A1.yaml"]
    assert [(p.location, p.message) for p in document] == [("account_id", said)]
    sales = [p for p in errors if p.file == "sales.csv"]
    assert sales and all(p.message == said for p in sales)
