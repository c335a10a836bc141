"""Errors in one account's own data leave that account out of a partially loaded workbook
(``load_workbook(partial=True)``, what `kamkit run` loads); errors in shared data still
stop the load. The run's side is in tests/test_batch_account_errors.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kamkit import WorkbookError, load_workbook

Edit = Callable[[str, str, str], Path]

PER_ACCOUNT = {
    # a document: a date that does not exist, YAML that does not parse, an unknown service
    "document date": ("documents/A1.yaml", "due: 2025-03-01", "due: 2025-13-45", "A1",
                      "documents/A1.yaml:34"),
    "document yaml": ("documents/A1.yaml", "account_id: A1\n", "account_id: A1\n  bad: [\n",
                      "A1", "documents/A1.yaml"),
    # a row of a per-account table: a cell too many (the row cannot be read), a bad value
    "sales width": ("sales.csv", "2025-01,A1,SEC,BE-ANT,500.00,50.00,20",
                    "2025-01,A1,SEC,BE-ANT,500,00,50.00,20", "A1", "sales.csv:5"),
    "sales value": ("sales.csv", "2025-01,A1,SEC,BE-ANT,500.00", "2025-01,A1,SEC,BE-ANT,abc",
                    "A1", "sales.csv:5"),
    "contact of the prospect": ("contacts.csv", "COO,Operations,strategic",
                                "COO,Operations,strategc", "A2", "contacts.csv:5"),
    "spend of the prospect": ("spend.csv", "A2,2025,CLEAN,NL-RTM,50000",
                              "A2,2025,CLEAN,NL-RTM,-5x", "A2", "spend.csv:5"),
    # a relationship belongs to its contact's account
    "relationship": ("relationships.csv", "P3,A1-C3,2,", "P3,A1-C3,9,", "A1",
                     "relationships.csv:4"),
}

SHARED = {
    "services": ("services.csv", "SEC,Security,guard hours,15", "SEC,Security,guard hours,x"),
    "team": ("team.csv", "P2,Bram Peeters,Key account manager,tactical",
             "P2,Bram Peeters,Key account manager,tacticl"),
    "accounts.csv": ("accounts.csv", "Chemicals,BE,prospect", "Chemicals,BE,prospct"),
    "a row of an unknown account": ("sales.csv", "2025-01,A1,SEC", "2025-01,A9,SEC"),
    "a header": ("sales.csv", "month,account_id,service", "month,account,service"),
    "a row too wide to say whose": ("sales.csv", "2025-01,A1,SEC,BE-ANT,500.00",
                                    "2025-01,A,1,SEC,BE-ANT,500.00"),
}


@pytest.mark.parametrize("case", PER_ACCOUNT.values(), ids=PER_ACCOUNT)
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_an_error_in_one_accounts_data_leaves_only_that_account_out(
        edit_csv: Edit, case: tuple[str, str, str, str, str]) -> None:
    file, old, new, account_id, where = case
    path = edit_csv(file, old, new)
    with pytest.raises(WorkbookError):  # loaded whole, the workbook still has errors
        load_workbook(path)
    book = load_workbook(path, partial=True)
    assert list(book.left_out) == [account_id]
    (other,) = {"A1", "A2"} - {account_id}
    assert book.account_ids == [other] and book.account_ids_read() == ["A1", "A2"]
    assert book.account_ids_read("key_account") == ["A1"]
    for name in ("sales", "spend", "contacts", "history", "feedback"):
        assert account_id not in set(book.table(name)["account_id"]), name
    if account_id == "A1":  # its relationships went with its contacts
        assert book.relationships.empty and "A1" not in book.documents
    assert not book.account(other).sales.empty or other == "A2"
    left = book.left_out[account_id]
    assert left.account.name and all(p.account == account_id for p in left.problems)
    said = left.said("en")
    assert said.startswith(where) and "error" in said
    assert left.said("nl").startswith(where) and "fout" in left.said("nl")
    with pytest.raises(WorkbookError, match=where.split(":")[0]):
        book.account(account_id)


@pytest.mark.parametrize("case", SHARED.values(), ids=SHARED)
@pytest.mark.sample(1)  # the cases covered by the others: benchmarks/fast_tier.py
def test_an_error_in_shared_data_still_stops_the_load(edit_csv: Edit,
                                                      case: tuple[str, str, str]) -> None:
    path = edit_csv(*case)
    with pytest.raises(WorkbookError) as caught:
        load_workbook(path, partial=True)
    assert case[0] in str(caught.value)


def test_a_clean_workbook_leaves_nothing_out(mini_path: Path) -> None:
    book = load_workbook(mini_path, partial=True)
    assert not book.left_out and book.account_ids_read() == book.account_ids == ["A1", "A2"]


def test_many_errors_are_said_with_how_many_more(edit_csv: Edit) -> None:
    path = edit_csv("sales.csv", "2024-01,A1,CLEAN,NL-RTM,1000.00",
                    "\n".join(f"2023-{m:02},A1,CLEAN,NL-RTM,x" + ",1,1" for m in range(1, 9))
                    + "\n2024-01,A1,CLEAN,NL-RTM,1000.00")
    left = load_workbook(path, partial=True).left_out["A1"]
    assert len(left.problems) == 8
    # the same error in 8 rows is one group (as kamkit validate lists it), its first rows
    # named and how many more
    assert left.said("en").startswith("sales.csv: error, column 'revenue', 8 rows: ")
    assert left.said("en").endswith("row 6: found 'x'; ... and 3 more rows")
    assert left.said("nl").endswith("rij 6: gevonden 'x'; ... en nog 3 rijen")


def test_errors_of_many_kinds_are_said_with_how_many_more(edit_csv: Edit) -> None:
    wrong = ["2023-13,A1,CLEAN,NL-RTM,1,1,1", "2023-01,A1,CLEAN,NL-RTM,x,1,1",
             "2023-02,A1,CLEAN,NL-RTM,1,y,1", "2023-03,A1,CLEAN,NL-RTM,1,1,z",
             "2023-04,A1,NOPE,NL-RTM,1,1,1", "2023-05,A1,CLEAN,NOWHERE,1,1,1",
             "2023-06,A1,CLEAN,NL-RTM,1,1,-5"]  # seven kinds of error: seven groups
    path = edit_csv("sales.csv", "2024-01,A1,CLEAN,NL-RTM,1000.00",
                    "\n".join(wrong) + "\n2024-01,A1,CLEAN,NL-RTM,1000.00")
    left = load_workbook(path, partial=True).left_out["A1"]
    assert len(left.problems) == 7
    assert left.said("en").endswith("... and 2 more errors.")
    assert left.said("nl").endswith("... en nog 2 fouten.")
