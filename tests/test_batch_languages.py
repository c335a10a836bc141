"""Runs of one quarter in different languages, and reports that could not be made, as the
entry pages show them (no kernels: the records and files are written here as a run writes
them). A one-language run names its files analysis.html, a run in several analysis.en.html
and analysis.nl.html; the entry page in each language links every report there is in that
language, a file replaced by its per-language twin is removed and the run says so, and the
portfolio page tells a manager which reports could not be made."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kamkit.batch.cache import AccountRecord, read_record, write_record
from kamkit.batch.definition import load_definition
from kamkit.batch.definition_docs import EXAMPLE
from kamkit.batch.index import index_page
from kamkit.batch.layout import NOT_MADE
from kamkit.batch.report_files import Entry, in_language, kept
from kamkit.batch.runner import (
    RunSummary,
    _record,
    _Schedule,
    missing_languages,
    portfolio_links,
)
from kamkit.batch.tasks import AccountDone
from kamkit.labels import t
from kamkit.report.portfolio import PortfolioReport
from tests.small_demo import SMALL_FAST_WHOLE_SLOW


def page(folder: Path, name: str, language: str) -> str:
    """A report file as a run writes it: its language in the html tag."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(f'<!DOCTYPE html>\n<html lang="{language}">\n<body></body>'
                               "</html>\n", encoding="utf-8")
    return name


def one_language(folder: Path, language: str = "en", recorded: bool = True,
                 pdf: bool = False) -> AccountRecord:
    """What a run in ``language`` alone left: analysis.html and plan.html (and the
    analysis's PDF); ``recorded``: the record says its language (older kamkit did not)."""
    reports = {stem: page(folder, f"{stem}.html", language) for stem in ("analysis", "plan")}
    files = {}
    if pdf:
        (folder / "analysis.pdf").write_bytes(b"%PDF")
        files["analysis.pdf"] = "analysis.pdf"
    return AccountRecord(folder.name, folder.name, "key", reports, files=files,
                         language=language if recorded else "")


def done(folder: Path, languages: tuple[str, ...], failed: tuple[str, ...] = (),
         pdf: bool = False) -> AccountDone:
    """What a worker made in ``languages``: every report but the ``failed`` stems."""
    reports, files, errors = {}, {}, {}
    for report in ("analysis", "plan"):
        for language in languages:
            stem = report if len(languages) == 1 else f"{report}.{language}"
            if stem in failed:  # its executed notebook kept, as a worker keeps it
                errors[stem] = "RuntimeError: made to fail"
                (folder / f"{stem}.failed.ipynb").write_text("{}", encoding="utf-8")
            else:
                reports[stem] = page(folder, f"{stem}.html", language)
                if pdf and report == "analysis":
                    (folder / f"{stem}.pdf").write_bytes(b"%PDF")
                    files[f"{stem}.pdf"] = f"{stem}.pdf"
    return AccountDone(folder.name, reports, errors, files=files)


@pytest.mark.parametrize("recorded", [True, False])
def test_a_twin_in_its_language_replaces_the_file_of_a_one_language_run(
        tmp_path: Path, recorded: bool) -> None:
    old = one_language(tmp_path, "en", recorded, pdf=True)
    now = kept(old, done(tmp_path, ("en", "nl"), pdf=True), ("en", "nl"), tmp_path)
    assert now.replaced == {"analysis.html": "analysis.en.html",
                            "plan.html": "plan.en.html", "analysis.pdf": "analysis.en.pdf"}
    assert set(now.reports) == {"analysis.en", "analysis.nl", "plan.en", "plan.nl"}
    assert now.files == {"analysis.en.pdf": "analysis.en.pdf",
                         "analysis.nl.pdf": "analysis.nl.pdf"}


def test_a_one_language_run_keeps_the_other_languages_reports(tmp_path: Path) -> None:
    old = AccountRecord("A", "A", "key", done(tmp_path, ("en", "nl")).reports)
    now = kept(old, done(tmp_path, ("en",)), ("en",), tmp_path)
    assert now.replaced == {"analysis.en.html": "analysis.html", "plan.en.html": "plan.html"}
    assert now.reports == {"analysis": "analysis.html", "plan": "plan.html",
                           "analysis.nl": "analysis.nl.html", "plan.nl": "plan.nl.html"}


def test_a_one_language_run_in_another_language_writes_over_the_file(tmp_path: Path) -> None:
    old = one_language(tmp_path, "en")
    now = kept(old, done(tmp_path, ("nl",)), ("nl",), tmp_path)
    assert now.replaced == {}  # the same file names: the English ones are gone
    assert now.reports == {"analysis": "analysis.html", "plan": "plan.html"}


def test_a_failed_twin_leaves_the_earlier_file_unlisted_but_on_disk(tmp_path: Path) -> None:
    old = one_language(tmp_path, "en")
    now = kept(old, done(tmp_path, ("en", "nl"), failed=("plan.en",)), ("en", "nl"), tmp_path)
    assert now.replaced == {"analysis.html": "analysis.en.html"}
    assert "plan.html" not in now.reports.values() and (tmp_path / "plan.html").is_file()


def test_a_file_gone_from_disk_is_not_kept(tmp_path: Path) -> None:
    old = AccountRecord("A", "A", "key", done(tmp_path, ("en", "nl")).reports)
    (tmp_path / "plan.nl.html").unlink()
    now = kept(old, done(tmp_path, ("en",)), ("en",), tmp_path)
    assert "plan.nl" not in now.reports and "analysis.nl" in now.reports


def test_entries_name_report_language_and_format() -> None:
    assert Entry.of("analysis.nl") == Entry("analysis", "nl", "")
    assert Entry.of("deck.pptx") == Entry("deck", "", ".pptx")
    assert Entry.of("analysis.pdf").named("en") == "analysis.en.pdf"


def quarter(tmp_path: Path, languages: str) -> tuple:
    """The reviewer's quarter: the demo run in English (ATLAS, MAAS), then MAAS in English
    and Dutch by a run whose record bookkeeping is the runner's own."""
    definition = load_definition(EXAMPLE, {"output": str(tmp_path), "languages": languages})
    for account_id in ("ATLAS", "MAAS"):
        folder = definition.folder / account_id
        write_record(folder, one_language(folder, "en"))
    folder = definition.folder / "MAAS"
    work = _Schedule([], {"MAAS": "new key"}, {"MAAS": {}}, [], {"MAAS": folder})
    summary = RunSummary(definition.folder)
    _record(done(folder, definition.languages, failed=(f"plan.{definition.languages[-1]}",)),
            work, {"MAAS": "Maasport"}, summary, logging.getLogger("test"),
            definition.languages)
    return definition, summary


def test_a_partial_run_in_more_languages_links_every_report(tmp_path: Path) -> None:
    definition, summary = quarter(tmp_path, "en,nl")
    maas = definition.folder / "MAAS"
    assert not (maas / "analysis.html").exists() and not (maas / "plan.html").exists()
    assert [note.said() for note in summary.notes] == [
        "MAAS: analysis.en.html replaces analysis.html of an earlier run, which was removed.",
        "MAAS: plan.en.html replaces plan.html of an earlier run, which was removed."]
    record = read_record(maas)
    assert record is not None and record.failed == {"plan.nl": "RuntimeError: made to fail"}
    links = portfolio_links(definition, ["MAAS"])
    assert links["en"] == {
        "MAAS": {"Analysis": "MAAS/analysis.en.html", "Plan": "MAAS/plan.en.html"},
        "ATLAS": {"Analysis": "ATLAS/analysis.html", "Plan": "ATLAS/plan.html"}}
    assert links["nl"] == {"MAAS": {"Analyse": "MAAS/analysis.nl.html", "Plan": NOT_MADE}}
    [missing] = missing_languages(definition, ["MAAS"])
    assert missing.said() == (
        "No nl reports of 1 account this quarter (ATLAS): the nl entry page links none "
        "for it; run it with --accounts ATLAS --language nl.")
    assert missing.said("nl") == (  # a line of the summary, in a Dutch terminal
        "Geen rapportages in nl van 1 account dit kwartaal (ATLAS): de startpagina in nl "
        "linkt geen rapportages van dit account; maak ze met --accounts ATLAS --language nl.")
    # the plain index names each report's language, ATLAS's English ones too
    index = index_page([("MAAS", record), ("ATLAS", one_language(definition.folder / "ATLAS"))],
                       definition, definition.as_of, "nl")
    assert 'href="ATLAS/analysis.html">Analyse (en)</a>' in index
    assert 'href="MAAS/analysis.nl.html">Analyse (nl)</a>' in index
    assert 'href="MAAS/plan.nl.failed.ipynb"' in index


def test_links_for_an_old_record_come_from_its_pages(tmp_path: Path) -> None:
    definition = load_definition(EXAMPLE, {"output": str(tmp_path), "languages": "nl,en"})
    folder = definition.folder / "OLD"
    write_record(folder, one_language(folder, "en", recorded=False))
    assert in_language(read_record(folder), folder, "en") == {  # type: ignore[arg-type]
        "analysis": "analysis.html", "plan": "plan.html"}
    assert portfolio_links(definition, [])["nl"] == {}


def test_an_english_run_after_a_bilingual_one_keeps_the_dutch_links(tmp_path: Path) -> None:
    definition, _ = quarter(tmp_path, "en,nl")
    english = load_definition(EXAMPLE, {"output": str(tmp_path), "languages": "en"})
    folder = english.folder / "MAAS"
    work = _Schedule([], {"MAAS": "key"}, {"MAAS": {}}, [], {"MAAS": folder})
    summary = RunSummary(english.folder)
    _record(done(folder, ("en",)), work, {"MAAS": "Maasport"}, summary,
            logging.getLogger("test"), ("en",))
    assert portfolio_links(english, ["MAAS"])["en"]["MAAS"] == {
        "Analysis": "MAAS/analysis.html", "Plan": "MAAS/plan.html"}
    bilingual = portfolio_links(definition, ["MAAS"])
    assert bilingual["en"]["MAAS"] == {"Analysis": "MAAS/analysis.html",
                                       "Plan": "MAAS/plan.html"}
    assert bilingual["nl"]["MAAS"] == {"Analyse": "MAAS/analysis.nl.html"}  # plan.nl failed


@pytest.mark.sample(1)  # the fast tier: English on the small demo (conftest.py)
@SMALL_FAST_WHOLE_SLOW
@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_portfolio_page_says_which_reports_could_not_be_made(demo_folder: Path,
                                                                 language: str) -> None:
    plan, analysis = t("batch.report.plan", language), t("batch.report.analysis", language)
    report = PortfolioReport.build(demo_folder, "2026Q3", language,
                                   charts="interactive").with_links(
        {"MAAS": {analysis: "MAAS/analysis.html", plan: NOT_MADE}})
    header = report.header_html()
    line = t("report.portfolio.not_made", language, report=plan,
             account="Maasport Logistics B.V. (MAAS)")
    assert line in header and t("report.portfolio.not_made_why", language) in header
    assert header.count("<li>") == 1  # one line per report that could not be made
    accounts = report.section("pf_accounts").blocks[0]
    assert isinstance(accounts, str)
    row = accounts[accounts.index('id="kk-account-MAAS"'):]
    row = row[:row.index("</tr>")]
    assert '<a href="MAAS/analysis.html">Maasport' in row
    assert f"{plan}: {t('word.not_made', language)}" in row
    assert 'href=""' not in row
    without = PortfolioReport.build(demo_folder, "2026Q3", language, charts="interactive")
    assert t("report.portfolio.not_made_why", language) not in without.header_html()


def test_the_summary_names_every_language_s_entry_page(tmp_path: Path) -> None:
    one = RunSummary(tmp_path).lines()[-1]
    both = RunSummary(tmp_path, languages=["en", "nl"]).lines()[-1]
    assert one == f"Index: {tmp_path / 'index.html'}"
    assert both == (f"Index: {tmp_path / 'index.html'} (en), "
                    f"{tmp_path / 'index.nl.html'} (nl)")


def test_a_failed_report_links_its_last_good_version_marked_with_its_date(
        tmp_path: Path) -> None:
    """A report that could not be made keeps the link to its version of an earlier run of
    the quarter, while it is in the account's folder, marked as earlier with its date on
    each language's entry page; also when it fails again; nothing where there is none."""
    import datetime as dt
    import os

    from kamkit import formatting as fmt

    definition = load_definition(EXAMPLE, {"languages": "en,nl", "output": str(tmp_path)})
    folder = definition.folder / "A1"
    written = dt.datetime(2026, 10, 3, 12, 0)
    old = AccountRecord("A1", "Alpha", "key", done(folder, ("en", "nl")).reports)
    for name in old.reports.values():
        os.utime(folder / name, (written.timestamp(), written.timestamp()))
    # the English analysis fails (and the Dutch plan, as well as in the run before)
    now = kept(old, done(folder, ("en", "nl"), failed=("analysis.en",)), ("en", "nl"), folder)
    assert now.earlier == {"analysis.en": {"file": "analysis.en.html", "made": "2026-10-03"}}
    record = AccountRecord("A1", "Alpha", None, now.reports, {"analysis.en": "RuntimeError: x"},
                           earlier=now.earlier)
    again = kept(record, done(folder, ("en", "nl"), failed=("analysis.en", "plan.nl")),
                 ("en", "nl"), folder)
    assert again.earlier == {"analysis.en": now.earlier["analysis.en"],
                             "plan.nl": {"file": "plan.nl.html",
                                         "made": dt.date.today().isoformat()}}
    record = AccountRecord("A1", "Alpha", None, again.reports,
                           {"analysis.en": "RuntimeError: x", "plan.nl": "RuntimeError: y"},
                           earlier=again.earlier)
    write_record(folder, record)
    words = {"en": "Analysis (en): earlier version of", "nl": "Analyse (en): eerdere versie van"}
    links = portfolio_links(definition, ["A1"])
    for language in ("en", "nl"):
        shown = index_page([("A1", record)], definition, definition.as_of, language)
        said = f"{words[language]} {fmt.date(written.date(), language)}"
        assert f'<a class="kk-earlier" href="A1/analysis.en.html">{said}' in shown
    # each portfolio page links the version in its language (its labels name none)
    for language, report, file, made in (("en", "analysis", "analysis.en.html", written.date()),
                                         ("nl", "plan", "plan.nl.html", dt.date.today())):
        label = t("batch.earlier", language, report=t(f"batch.report.{report}", language),
                  date=fmt.date(made, language))
        assert links[language]["A1"][label] == f"A1/{file}"
        assert len([h for h in links[language]["A1"].values() if h != NOT_MADE]) == 2
    # gone from the folder, or a record naming a file elsewhere: nothing is linked
    (folder / "analysis.en.html").unlink()
    (tmp_path / "secret.html").write_text("x", encoding="utf-8")
    (folder / "link.html").symlink_to(tmp_path / "secret.html")
    for file in ("analysis.en.html", "../secret.html", str(tmp_path / "secret.html"),
                 "link.html", "..", ""):
        elsewhere = AccountRecord("A1", "Alpha", None, {}, {"analysis.en": "x"},
                                  earlier={"analysis.en": {"file": file, "made": "2026-10-03"}})
        for language in ("en", "nl"):
            page_ = index_page([("A1", elsewhere)], definition, definition.as_of, language)
            assert "kk-earlier" not in page_ and "secret" not in page_
        write_record(folder, elsewhere)
        assert not any(href != NOT_MADE for href in
                       portfolio_links(definition, ["A1"])["en"].get("A1", {}).values())
