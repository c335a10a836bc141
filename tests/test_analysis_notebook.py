"""The account analysis notebook, executed with papermill as sales operations and analysts
run it: every demo account in both languages, and the demo's stories checked against
figures computed here independently, straight from the CSV files."""

from __future__ import annotations

from pathlib import Path

import demo_facts as facts
import pytest
from notebook_run import charts, execute, report_in_kept_kernel, shown_html, shown_without_errors

from kamkit import formatting
from kamkit.report.analysis import SECTIONS

NOTEBOOK = "account_analysis.ipynb"
AS_OF = "2026Q3"  # the demo's data run to September 2026; 2025 is the last full year
ACCOUNTS = facts.account_ids()


@pytest.fixture(scope="module")
def maas(tmp_path_factory: pytest.TempPathFactory) -> str:
    return shown_without_errors(NOTEBOOK, tmp_path_factory.mktemp("nb") / "MAAS.ipynb",
                                account_id="MAAS", as_of=AS_OF, language="en")


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("account_id", ACCOUNTS)
def test_runs_for_every_demo_account(account_id: str, language: str, kept_kernel) -> None:
    """Through a kept kernel, as `kamkit run` does; the story tests below use plain papermill."""
    report_in_kept_kernel(kept_kernel, NOTEBOOK, SECTIONS, account_id, AS_OF, language)


def test_our_revenue_and_share_of_wallet_match_the_csv(maas: str) -> None:
    assert formatting.number(facts.sold_in("MAAS", 2025), "en") in maas  # A4 table
    assert formatting.share(facts.share_of_wallet("MAAS", 2025), "en", 1) in maas  # A6 table
    spend = sum(facts.spend_by_cell("MAAS", 2025).values())
    assert formatting.number(spend, "en") in maas  # A5 table


def test_lost_share_to_a_competitor_is_told(maas: str) -> None:
    """MAAS: Nordclean gains on us; the finding names it with the points it gained."""
    gained = (facts.holder_share("MAAS", 2025, "NORDCLEAN")
              - facts.holder_share("MAAS", 2023, "NORDCLEAN")) * 100
    assert gained >= 1
    assert f"Nordclean Services gained most ({formatting.points(gained, 'en')})" in maas


def test_largest_whitespace_cell_matches_the_csv(maas: str) -> None:
    open_spend = {cell: amount for cell, (_, amount) in facts.open_spend("MAAS", 2025).items()}
    largest = max(open_spend, key=open_spend.__getitem__)
    assert formatting.number(open_spend[largest], "en") in maas
    assert formatting.amount_short(open_spend[largest], "en") in maas  # in the finding


def test_charts_are_shown(maas: str, tmp_path: Path) -> None:
    notebook = execute(NOTEBOOK, tmp_path / "k.ipynb", account_id="KRONE", as_of=AS_OF,
                       language="nl")
    specs = charts(notebook)
    assert len(specs) >= 8  # revenue, spend, share, holders x3, changes, whitespace, contacts
    html = shown_html(notebook)
    # KRONE: a decision maker nobody at our side knows
    unknown_deciders = facts.unknown_deciders("KRONE")
    assert unknown_deciders
    for person in unknown_deciders:
        assert facts.decider_finding(person, "nl") in html


def test_text_from_the_workbook_is_escaped(tmp_path: Path) -> None:
    """VDIJK is named 'Van Dijk & Zonen': shown as text, never as markup."""
    notebook = execute(NOTEBOOK, tmp_path / "v.ipynb", account_id="VDIJK", as_of=AS_OF)
    html = shown_html(notebook)
    assert "Van Dijk &amp; Zonen" in html
    assert "Van Dijk & Zonen" not in html.replace("&amp;", "")


def test_a_past_quarter_ignores_later_data(tmp_path: Path) -> None:
    notebook = execute(NOTEBOOK, tmp_path / "q.ipynb", account_id="MAAS", as_of="2024Q4")
    html = shown_html(notebook)
    assert formatting.number(facts.sold_in("MAAS", 2024), "en") in html
    assert formatting.number(facts.sold_in("MAAS", 2025), "en") not in html


def test_unknown_account_is_a_clear_message(tmp_path: Path) -> None:
    import papermill

    with pytest.raises(papermill.PapermillExecutionError) as caught:
        execute(NOTEBOOK, tmp_path / "x.ipynb", account_id="NOPE")
    # kamkit's own error is shown as its message, not a traceback (the cell still fails)
    assert "unknown account 'NOPE'" in str(caught.value)
    assert "Traceback" not in str(caught.value)
