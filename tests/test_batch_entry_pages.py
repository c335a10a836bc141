"""What sales operations and management read on a quarter's entry pages and in `kamkit
--help`: why the portfolio page is missing, failure reasons in the page's language, the
links between the entry pages of each language (also after a run in one of them), and a
description for every command."""

from __future__ import annotations

import argparse
import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from kamkit.batch.cache import AccountRecord
from kamkit.batch.definition import RunDefinition, load_definition
from kamkit.batch.definition_docs import EXAMPLE
from kamkit.batch.index import index_page
from kamkit.batch.layout import other_entries
from kamkit.batch.tasks import AccountDone, failure
from kamkit.cli import build_parser, main
from kamkit.labels import t
from kamkit.problems import Words, words
from tests.conftest import MINI

TIMEOUT = words("batch.reason.timeout", seconds="1")


def definition_in(folder: Path, languages: str) -> RunDefinition:
    return load_definition(EXAMPLE, {"languages": languages, "output": str(folder)})


def test_a_reason_with_words_is_kept_in_english_and_said_in_every_language() -> None:
    failed: dict[str, str] = {}
    said: dict[str, Words] = {}
    failure(failed, said, "analysis.nl", TIMEOUT)
    failure(failed, said, "plan.nl", "RuntimeError: made to fail")  # the notebook's own
    assert failed["analysis.nl"] == TIMEOUT.said("en") and failed["plan.nl"].startswith("Run")
    done = AccountDone("A1", failed=failed, words=said)
    assert done.said(["en", "nl"]) == {"analysis.nl": {"en": TIMEOUT.said("en"),
                                                       "nl": TIMEOUT.said("nl")}}
    assert TIMEOUT.said("nl") != TIMEOUT.said("en") and "1 s" in TIMEOUT.said("nl")


def test_the_plain_index_says_why_in_its_language_and_why_the_portfolio_is_missing(
        tmp_path: Path) -> None:
    definition = definition_in(tmp_path, "en,nl")
    folder = definition.folder / "A1"
    folder.mkdir(parents=True)
    (folder / "analysis.en.failed.ipynb").write_text("{}", encoding="utf-8")
    record = AccountRecord(
        "A1", "Alpha", None, {},
        {"analysis.en": TIMEOUT.said("en"), "analysis.nl": TIMEOUT.said("en")},
        said={"analysis.nl": {"en": TIMEOUT.said("en"), "nl": TIMEOUT.said("nl")}})
    why = {"en": TIMEOUT.said("en"), "nl": TIMEOUT.said("nl")}
    for language in ("en", "nl"):
        page = index_page([("A1", record)], definition, definition.as_of, language,
                          portfolio_failed=why[language])
        shown = unescape(page)
        assert t("batch.index.portfolio_failed", language, reason=why[language]) in shown
        # the Dutch analysis's reason is said in the page's language; the English one's
        # has no Words here (a notebook's own exception): English on both pages
        assert shown.count(TIMEOUT.said(language)) == (3 if language == "en" else 2)
        # a failed notebook is linked where there is one; none for a report never run
        assert 'href="A1/analysis.en.failed.ipynb"' in page
        assert 'href="A1/analysis.nl.failed.ipynb"' not in page
    without = unescape(index_page([("A1", record)], definition, definition.as_of, "en"))
    assert t("batch.index.portfolio_failed", "en", reason="")[:30] not in without


def test_entry_pages_link_every_language_there_is(tmp_path: Path) -> None:
    both = definition_in(tmp_path, "en,nl")
    assert other_entries(both, "en") == [("nl", "index.nl.html")]
    assert other_entries(both, "nl") == [("en", "index.html")]
    english = definition_in(tmp_path, "en")
    assert other_entries(english, "en") == []  # no Dutch page yet
    english.folder.mkdir(parents=True)
    (english.folder / "index.nl.html").write_text("<html></html>", encoding="utf-8")
    assert other_entries(english, "en") == [("nl", "index.nl.html")]
    page = index_page([], english, english.as_of, "en")
    assert '<a href="index.nl.html">Nederlands</a>' in page


def _commands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions
                  if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("name", _commands())
def test_every_command_describes_itself_and_its_arguments(name: str) -> None:
    parser = _commands()[name]
    assert parser.description and parser.description[0].isupper(), name
    for action in parser._actions:
        assert action.help, f"{name}: {action.dest} has no help"


def test_kamkit_help_lists_the_exit_codes_the_readme_gives() -> None:
    text = build_parser().format_help()
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for code, meaning in ((1, "the workbook has errors"), (2, "a usage or input problem")):
        assert re.search(rf"^  {code}\s+{meaning}", text, re.MULTILINE), code
        assert f"{code} {meaning}" in " ".join(readme.split()), code


@pytest.mark.notebook  # `kamkit run` starts kernels
def test_a_run_in_one_language_keeps_the_other_entry_page_and_replaces_its_notebook(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = tmp_path / "wb"
    shutil.copytree(MINI, workbook)
    out = tmp_path / "out"
    quarter = out / "2025Q4"
    common = ["run", "--quarter", "2025Q4", "--workbook", str(workbook), "--output", str(out),
              "--notebooks", "analysis", "--accounts", "A1", "--jobs", "1"]
    assert main([*common, "--language", "en,nl"]) == 0
    assert (quarter / "portfolio.en.ipynb").is_file()
    capsys.readouterr()
    assert main([*common, "--language", "en"]) == 0
    said = capsys.readouterr().out
    assert "portfolio: portfolio.ipynb replaces portfolio.en.ipynb of an earlier run" in said
    assert (quarter / "portfolio.ipynb").is_file()
    assert not (quarter / "portfolio.en.ipynb").exists()
    assert (quarter / "portfolio.nl.ipynb").is_file()  # Dutch: not made again, kept
    english = (quarter / "index.html").read_text(encoding="utf-8")
    assert 'href="index.nl.html"' in english and (quarter / "index.nl.html").is_file()
    assert 'href="index.html"' in (quarter / "index.nl.html").read_text(encoding="utf-8")


def test_a_reason_raised_in_a_kernel_is_said_in_each_language_of_the_entry_page(
        tmp_path: Path) -> None:
    """A kamkit error and an unexpected exception raised in a report's kernel, as the run
    gets them (``last_raised`` as JSON), are worded by each language's entry page."""
    import json
    import sys

    from kamkit.errors import KamkitError, last_raised, raised_words
    from kamkit.problems import MonthName

    raised = [KamkitError.of(words("problem.placed", where="sales.csv:3", text=words(
                  "problem.read.no_workbook", path="book"))),
              KamkitError.of(words("batch.reason.timeout", seconds=1234.5)),
              KamkitError.of(words("problem.placed", where=MonthName(3), text="x")),
              ValueError("no <data> for 2026")]
    reasons = {}
    stems = ("analysis.en", "analysis.nl", "plan.en", "plan.nl")
    for stem, error in zip(stems, raised, strict=True):
        sys.last_value = error  # what IPython sets where a cell raised
        try:
            plain = json.loads(last_raised())
        finally:
            del sys.last_value
        assert plain["type"] == type(error).__name__
        reasons[stem] = Words.from_plain(json.loads(json.dumps(plain["words"])))
    assert reasons["analysis.en"] == raised[0].words
    assert reasons["analysis.nl"] == raised[1].words
    assert "1234,5 s" in reasons["analysis.nl"].said("nl")
    assert reasons["plan.en"].said("nl").startswith("maart")
    failed: dict[str, str] = {}
    said: dict[str, Words] = {}
    for stem, reason in reasons.items():
        failure(failed, said, stem, reason)
    done = AccountDone("A1", failed=failed, words=said)
    record = AccountRecord("A1", "Alpha", None, {}, failed, said=done.said(["en", "nl"]))
    definition = definition_in(tmp_path, "en,nl")
    pages = {language: unescape(index_page([("A1", record)], definition,
                                           definition.as_of, language))
             for language in ("en", "nl")}
    assert "No workbook at book" in pages["en"] and "Geen werkmap op book" in pages["nl"]
    assert "No workbook" not in pages["nl"]
    assert "ValueError: no <data> for 2026" in pages["en"]
    assert "Onverwachte fout in het rapport (ValueError): “no <data> for 2026”" in pages["nl"]
    # a kamkit error without Words is not called unexpected: said as written, in English
    plain = Words.from_plain(json.loads(json.dumps(raised_words(KamkitError("No x.")).plain())))
    assert plain.said("en") == "KamkitError: No x."
    assert plain.said("nl").endswith("alleen in het Engels beschreven: “No x.”")
