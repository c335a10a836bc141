"""The quarter's snapshot in a run, without kernels: a run of some accounts updates only their
entries, a run of an old quarter touches no later quarter, and an account's reports are made
again when its entry in the previous quarter's snapshot changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kamkit.batch.cache import cache_key
from kamkit.batch.definition import load_definition
from kamkit.batch.layout import snapshot_path
from kamkit.batch.snapshots import entries, read_previous, write_quarter_snapshot
from kamkit.workbook import load_workbook_cached

pytestmark = pytest.mark.slow  # snapshots of demo accounts, as runs write them


def definition(out: Path, quarter: str, accounts: str):
    return load_definition(None, {"quarter": quarter, "accounts": accounts,
                                  "output": str(out), "notebooks": "analysis"})


def test_a_run_of_some_accounts_updates_only_their_entries(tmp_path: Path) -> None:
    workbook = load_workbook_cached()
    q3 = definition(tmp_path, "2026Q3", "MAAS,KRONE")
    write_quarter_snapshot(q3, workbook, ["MAAS", "KRONE", "NOPE"])
    path = snapshot_path(tmp_path, "2026Q3")
    written = json.loads(path.read_text(encoding="utf-8"))
    assert set(written["accounts"]) == {"MAAS", "KRONE"}  # no entry for an unknown id
    # what an earlier run reported for KRONE stays as it was when only MAAS runs again
    written["accounts"]["KRONE"]["health"]["score"] = 1.0
    written["accounts"]["MAAS"]["health"]["score"] = 1.0
    path.write_text(json.dumps(written), encoding="utf-8")
    later = path.read_bytes()
    write_quarter_snapshot(definition(tmp_path, "2026Q3", "MAAS"), workbook, ["MAAS"])
    again = json.loads(path.read_text(encoding="utf-8"))
    assert again["accounts"]["KRONE"]["health"]["score"] == 1.0
    assert again["accounts"]["MAAS"]["health"]["score"] != 1.0
    # a run of the quarter before writes its own snapshot and leaves this one alone
    path.write_bytes(later)
    write_quarter_snapshot(definition(tmp_path, "2026Q2", "MAAS"), workbook, ["MAAS"])
    assert path.read_bytes() == later
    assert json.loads(snapshot_path(tmp_path, "2026Q2").read_text())["as_of"] == "2026-06-30"
    assert read_previous(q3)["quarter"] == "2026Q2"
    assert read_previous(definition(tmp_path, "2026Q2", "MAAS")) is None


def test_the_previous_snapshot_is_an_input_of_the_cache(tmp_path: Path) -> None:
    workbook = load_workbook_cached()
    q3 = definition(tmp_path, "2026Q3", "MAAS")
    current = write_quarter_snapshot(q3, workbook, ["MAAS"])
    maas = workbook.account("MAAS")
    none = cache_key(maas, q3, entries(None, current, "MAAS"))
    previous = {**current, "accounts": {"MAAS": {**current["accounts"]["MAAS"],
                                                 "name": "reported then"}}}
    before = cache_key(maas, q3, entries(previous, current, "MAAS"))
    assert none != before
    assert before == cache_key(maas, q3, entries(previous, current, "MAAS"))
    # another account's entry is not an input of MAAS's reports
    other = {**previous, "accounts": {**previous["accounts"], "KRONE": {"name": "x"}}}
    assert before == cache_key(maas, q3, entries(other, current, "MAAS"))


def test_an_account_left_out_loses_the_entry_an_earlier_run_of_the_date_wrote(
        tmp_path: Path) -> None:
    """Two runs of one date: the second after an account's own data broke. Its entry is not
    kept from the first run (figures the data no longer gives), as the portfolio page, in
    each language, says it is not in its figures."""
    import shutil

    from kamkit.portfolio import write_snapshot
    from kamkit.report.portfolio import PortfolioReport
    from kamkit.workbook import load_workbook
    from tests.conftest import MINI

    book = tmp_path / "wb"
    shutil.copytree(MINI, book)
    q4 = load_definition(None, {"quarter": "2025Q4", "accounts": "A1,A2", "workbook": str(book),
                                "output": str(tmp_path / "out"), "notebooks": "analysis"})
    path = snapshot_path(q4.output, q4.quarter)
    first = write_quarter_snapshot(q4, load_workbook(book, partial=True), ["A1", "A2"])
    assert {"A1", "A2"} <= set(first["accounts"])
    contacts = book / "contacts.csv"
    contacts.write_text(contacts.read_text(encoding="utf-8").replace(
        "COO,Operations,strategic", "COO,Operations,strategc", 1), encoding="utf-8")
    broken = load_workbook(book, partial=True)
    assert set(broken.left_out) == {"A2"}
    second = write_quarter_snapshot(q4, broken, ["A1", "A2"])
    written = json.loads(path.read_text(encoding="utf-8"))
    assert "A2" not in second["accounts"] and "A2" not in written["accounts"]
    assert written["accounts"]["A1"] == first["accounts"]["A1"]
    for language, said in (("en", "Beta Chemie NV (A2) is not in the figures on this page"),
                           ("nl", "Beta Chemie NV (A2) zit niet in de cijfers op deze pagina")):
        page = PortfolioReport.build(broken, q4.as_of, language, snapshots=q4.output)
        assert said in page.header_html()
    # a run of the other account alone removes it too: its page says the same
    write_snapshot(path, first)
    write_quarter_snapshot(q4, broken, ["A1"])
    assert "A2" not in json.loads(path.read_text(encoding="utf-8"))["accounts"]
