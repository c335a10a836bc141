"""The workbench's summary of a workbook, and the account it opens with."""

from __future__ import annotations

import re

import pytest

import kamkit
from kamkit.display import workbook_html
from kamkit.labels import counted
from kamkit.widgets.explorer import first_account
from kamkit.workbook import Workbook


@pytest.fixture(scope="module")
def demo() -> Workbook:
    return kamkit.load_workbook()


def _text(markup: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_counts_by_status_have_their_plural_forms(demo: Workbook, language: str) -> None:
    shown = _text(workbook_html(demo, language))
    counts = demo.accounts["status"].value_counts()
    for status in ("key_account", "prospect", "other"):
        assert counted(status, int(counts[status]), language) in shown
    expected = {"en": "12 key accounts, 3 prospects, 17 other customers",
                "nl": "12 key accounts, 3 prospects, 17 overige klanten"}[language]
    assert expected in shown


def test_one_of_a_status_is_singular(demo: Workbook) -> None:
    accounts = demo.accounts
    one = accounts[(accounts["status"] != "prospect")
                   | (accounts["account_id"] == accounts.loc[
                       accounts["status"] == "prospect", "account_id"].iloc[0])]
    shown = _text(workbook_html(demo.with_tables(accounts=one), "en"))
    assert "1 prospect," in shown and "1 prospects" not in shown


def test_the_kam_is_named_as_kamkit_accounts_names_them(demo: Workbook) -> None:
    shown = _text(workbook_html(demo, "en"))
    names = dict(zip(demo.team["person_id"], demo.team["name"], strict=True))
    kam = demo.accounts.set_index("account_id").loc["MAAS", "kam"]
    assert f"{kam} ({names[kam]})" in shown


def test_the_demo_is_called_the_demo_not_workbook_workbook(demo: Workbook) -> None:
    for language in ("en", "nl"):
        shown = _text(workbook_html(demo, language))
        assert "Workbook workbook" not in shown and "Werkmap workbook" not in shown
        assert "demo" in shown


def test_the_first_account_is_the_first_key_account_of_accounts_csv(demo: Workbook) -> None:
    accounts = demo.accounts
    assert first_account(demo) == accounts.loc[accounts["status"] == "key_account",
                                               "account_id"].iloc[0] == "MAAS"
    prospects_first = accounts.sort_values("status", key=lambda s: s != "prospect",
                                           kind="stable")
    assert first_account(demo.with_tables(accounts=prospects_first)) == "MAAS"
    no_key = accounts[accounts["status"] != "key_account"]
    assert first_account(demo.with_tables(accounts=no_key)) == no_key.loc[
        no_key["status"] == "prospect", "account_id"].iloc[0]
    assert first_account(demo.with_tables(accounts=accounts.iloc[:0])) is None
