"""The run summary counts accounts as accounts: the portfolio page and deck, which a run
records among its failures, are named apart (review 9: a full disk on a 2-account run said
"0 account(s) rendered, 0 unchanged and skipped, 3 failed")."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamkit.batch.layout import PORTFOLIO, PORTFOLIO_DECK
from kamkit.batch.runner import RunSummary
from kamkit.labels import LANGUAGES
from kamkit.problems import Words, words

FULL = "no space left on /out; free some space and run again"


def _summary(*failed: str, done: tuple[str, ...] = ()) -> RunSummary:
    return RunSummary(Path("/out/2026Q3"), done=list(done),
                      failed={key: {key: FULL} for key in failed}, notebooks=4, seconds=10.0)


def test_a_failed_portfolio_is_not_counted_as_an_account() -> None:
    first = _summary("MAAS", "DELTA", PORTFOLIO, PORTFOLIO_DECK).lines()[0]
    assert first.startswith("0 accounts rendered, 0 unchanged and skipped, 2 failed; ")
    assert "the portfolio page failed" in first and "the portfolio deck failed" in first
    only = _summary(PORTFOLIO, done=("MAAS", "DELTA")).lines()[0]
    assert only.startswith("2 accounts rendered, 0 unchanged and skipped, 0 failed; "
                           "the portfolio page failed; ")
    assert "portfolio" not in _summary("MAAS", done=("DELTA",)).lines()[0]


def test_the_run_still_fails_when_only_the_portfolio_failed() -> None:
    summary = _summary(PORTFOLIO, done=("MAAS",))
    assert summary.failed_accounts == []
    assert summary.exit_code == 1
    assert f"FAILED {PORTFOLIO} {PORTFOLIO}: {FULL}" in summary.lines()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_summary_is_said_in_the_command_line_language(language: str) -> None:
    first = _summary("MAAS", PORTFOLIO).lines(language)[0]
    counts = {"en": "0 accounts rendered, 0 unchanged and skipped, 1 failed; "
                    "the portfolio page failed; 4 notebooks in 10.0 s, 2.5 s per notebook.",
              "nl": "0 accounts gemaakt, 0 ongewijzigd en overgeslagen, 1 mislukt; "
                    "de portefeuillepagina is mislukt; 4 notebooks in 10,0 s, "
                    "2,5 s per notebook."}
    assert first == counts[language]


def test_every_line_of_the_summary_is_said_in_its_language() -> None:
    """Review 10: the failures and the index line were English in a Dutch terminal."""
    summary = RunSummary(Path("/out/2026Q3"), done=["DELTA"], failed={
        "MAAS": {"plan": "error in plan", "analysis": "RuntimeError: boom"}},
        notebooks=3, seconds=6.0, languages=["en", "nl"],
        notes=[words("cli.run.replaced", account="DELTA", new="plan.en.html",
                     old="plan.html")],
        reasons={"MAAS": {"plan": words("problem.cell.empty", expected="text")}})
    english, dutch = summary.lines("en"), summary.lines("nl")
    assert english[1:] == [
        "DELTA: plan.en.html replaces plan.html of an earlier run, which was removed.",
        "FAILED MAAS plan: is empty; expected text.",
        "FAILED MAAS analysis: RuntimeError: boom",
        "Index: /out/2026Q3/index.html (en), /out/2026Q3/index.nl.html (nl)"]
    assert dutch[1:] == [
        "DELTA: plan.en.html vervangt plan.html van een eerdere run; dat bestand is "
        "verwijderd.",
        "MISLUKT MAAS plan: is leeg; verwacht: text.",
        "MISLUKT MAAS analysis: RuntimeError: boom",  # a Python error: as the report gave it
        "Overzicht: /out/2026Q3/index.html (en), /out/2026Q3/index.nl.html (nl)"]


def test_a_report_s_reason_with_words_reaches_the_summary_in_its_language() -> None:
    """What a worker sends back (its reasons as Words) is what the summary says."""
    import logging

    from kamkit.batch.runner import _tally
    from kamkit.batch.tasks import AccountDone, failure

    failed: dict[str, str] = {}
    said: dict[str, Words] = {}
    failure(failed, said, "plan", words("problem.cell.empty", expected="text"))
    summary = RunSummary(Path("/out/2026Q3"))
    _tally(AccountDone("MAAS", failed=failed, words=said, notebooks=1), "MAAS", [], summary,
           logging.getLogger("test"))
    assert "FAILED MAAS plan: is empty; expected text." in summary.lines("en")
    assert "MISLUKT MAAS plan: is leeg; verwacht: text." in summary.lines("nl")
