"""A key figure that cannot be given says why, in words and in both languages: a plan
without a status (no plan, no revenue target, nothing to judge yet), a growth that is not
known (no revenue, first year, part year, no revenue the year before), a share of wallet or
its change that is not known (no spend estimate, none for the year before), and a
prospect's revenue says there is none with us, not "n/a" beside a share of 0.0%. The
snapshot stores the reasons; one written before them reads with them."""

from __future__ import annotations

import datetime as dt
import re
from html import escape, unescape

import demo_reports
import pytest

from kamkit.batch.cache import AccountRecord
from kamkit.batch.definition import load_definition
from kamkit.batch.index import index_page
from kamkit.display import (
    growth_text,
    key_figure_tiles,
    margin_text,
    plan_status_text,
    revenue_text,
    share_change_text,
    share_text,
)
from kamkit.key_figures import GROWTH_REASONS, PLAN_REASONS, SHARE_REASONS, account_key_figures
from kamkit.labels import t
from kamkit.locale import for_language
from kamkit.portfolio.snapshot import read_snapshot, snapshot, write_snapshot
from kamkit.report.analysis import AnalysisReport
from kamkit.workbook import load_workbook

LANGUAGES = ("en", "nl")
AS_OF = (dt.date(2026, 1, 15), dt.date(2026, 6, 30), dt.date(2026, 9, 30),
         dt.date(2027, 3, 31))


def _texts(figures: dict, language: str) -> dict[str, str]:
    return {"revenue": revenue_text(figures, language),
            "growth": growth_text(figures, language), "margin": margin_text(figures, language),
            "share": share_text(figures, language),
            "share_change": share_change_text(figures, language),
            "plan": plan_status_text(figures, language)}


@pytest.mark.parametrize("as_of", AS_OF, ids=str)
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_no_silent_missing_figure_in_the_demo(demo, as_of) -> None:
    # every account of the demo (key accounts, prospects and others), at the start of the
    # plan year (nothing to judge), in its middle, at the reports' quarter and after it
    for account_id in demo.account_ids:
        figures = account_key_figures(demo.account(account_id), as_of)
        assert (figures["plan_status"] is None) == (figures["plan_status_reason"] in
                                                    PLAN_REASONS), account_id
        assert (figures["revenue_growth_pct"] is None) == (
            figures["revenue_growth_reason"] in GROWTH_REASONS), account_id
        assert (figures["share"] is None) == (figures["share_reason"] in SHARE_REASONS)
        assert (figures["share_change_pts"] is None) == (
            figures["share_change_reason"] in SHARE_REASONS), account_id
        for language in LANGUAGES:
            missing = for_language(language).missing
            shown = _texts(figures, language)
            assert missing not in shown.values(), (account_id, as_of, language, shown)


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_plan_reasons(demo) -> None:
    start = dt.date(2026, 1, 15)  # the demo's plans run through 2026: no month has ended
    reasons = {account_id: account_key_figures(demo.account(account_id), start)[
        "plan_status_reason"] for account_id in ("MAAS", "AMAND", "GRID", "HOEK")}
    # AMAND's plan has no revenue target; GRID (a prospect) and HOEK have no plan
    assert reasons == {"MAAS": "not_started", "AMAND": "no_revenue_target",
                       "GRID": "no_plan", "HOEK": "no_plan"}
    later = account_key_figures(demo.account("MAAS"), dt.date(2026, 9, 30))
    assert later["plan_status"] and later["plan_status_reason"] is None
    said = {language: [plan_status_text({"plan_status_reason": r}, language)
                       for r in PLAN_REASONS] for language in LANGUAGES}
    assert said["en"][:3] == ["no plan", "no revenue target in the plan",
                              "nothing to judge yet (the plan's first month has not ended)"]
    assert said["nl"][:3] == ["geen plan", "geen omzetdoel in het plan",
                              "nog niets te beoordelen (de eerste maand van het plan is nog "
                              "niet om)"]


def test_a_prospect_has_no_revenue_with_us(demo) -> None:
    figures = account_key_figures(demo.account("GRID"), dt.date(2026, 9, 30))
    assert figures["revenue"] is None and figures["share"] == 0.0  # no sales: not 0
    assert figures["revenue_growth_reason"] == "no_revenue"
    assert _texts(figures, "en")["revenue"] == "no sales recorded"
    assert _texts(figures, "nl")["revenue"] == "geen verkopen vastgelegd"
    # in a table's column of revenue
    assert revenue_text(figures, "en", short=True) == "no sales"
    assert revenue_text(figures, "nl", short=True) == "geen verkopen"
    assert revenue_text({"revenue": 3551999.49}, "nl", short=True) == "€\u00a03,6\u00a0mln"
    assert (_texts(figures, "en")["growth"], _texts(figures, "en")["margin"]) == (
        "no sales", "no sales")
    assert (_texts(figures, "nl")["growth"], _texts(figures, "nl")["margin"]) == (
        "geen verkopen", "geen verkopen")


def test_share_reasons(demo, tmp_path) -> None:
    as_of = dt.date(2026, 9, 30)
    # GRID, a prospect, has a spend estimate for 2025 (its share 0%), none for 2024; HOEK,
    # an "other" account, has none at all
    grid = account_key_figures(demo.account("GRID"), as_of)
    hoek = account_key_figures(demo.account("HOEK"), as_of)
    assert (grid["share"], grid["share_reason"], grid["share_change_pts"]) == (0.0, None, None)
    assert grid["share_change_reason"] == "no_estimate_before"
    assert (hoek["share"], hoek["share_reason"], hoek["share_change_reason"]) == (
        None, "no_estimate", "no_estimate")
    assert [share_change_text(grid, lang) for lang in LANGUAGES] == [
        "no estimate for the year before", "geen schatting voor het jaar ervoor"]
    assert [share_text(hoek, lang) for lang in LANGUAGES] == [
        "no spend estimate", "geen geschatte besteding"]
    said = {lang: [t(f"figure.share.{r}", lang) for r in SHARE_REASONS] for lang in LANGUAGES}
    assert said["nl"] == ["geen geschatte besteding", "besteding op 0 geschat",
                          "geen schatting voor het jaar ervoor",
                          "besteding het jaar ervoor op 0 geschat"]
    # where a reader sees them: the workbench's tiles and the entry page, in both languages
    definition = load_definition(None, {"quarter": "2026Q3", "output": str(tmp_path)})
    records = [(i, AccountRecord(i, i, "key", {}, figures=f))
               for i, f in (("GRID", grid), ("HOEK", hoek))]
    for lang in LANGUAGES:
        for shown in (key_figure_tiles(grid, lang) + key_figure_tiles(hoek, lang),
                      index_page(records, definition, dt.date(2026, 10, 1), lang)):
            assert escape(share_change_text(grid, lang)) in shown
            assert escape(share_text(hoek, lang)) in shown
            missing = escape(for_language(lang).missing)
            assert f">{missing}<" not in shown, lang


@pytest.mark.slow  # the fast tier's rule: no line cheaper fast tests miss
def test_a_spend_estimated_at_0_says_so(mini_copy) -> None:
    spend = mini_copy / "spend.csv"
    text = spend.read_text(encoding="utf-8")
    assert "A1,2024,CLEAN,NL-RTM,10000," in text
    spend.write_text(text.replace("A1,2024,CLEAN,NL-RTM,10000,", "A1,2024,CLEAN,NL-RTM,0,"),
                     encoding="utf-8")
    shares = mini_copy / "spend_shares.csv"  # no holder's share of nothing
    shares.write_text("".join(line for line in shares.read_text(encoding="utf-8")
                              .splitlines(keepends=True)
                              if not line.startswith("A1,2024,")), encoding="utf-8")
    account = load_workbook(mini_copy).account("A1")
    in_2024 = account_key_figures(account, dt.date(2025, 6, 30))
    assert (in_2024["share"], in_2024["share_reason"]) == (None, "no_spend")
    in_2025 = account_key_figures(account, dt.date(2026, 3, 31))
    assert in_2025["share"] is not None and in_2025["share_change_pts"] is None
    assert in_2025["share_change_reason"] == "no_spend_before"
    assert share_change_text(in_2025, "nl") == "besteding het jaar ervoor op 0 geschat"


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_growth_reasons(a1, mini_copy) -> None:
    # A1's sales begin in 2024 (the workbook's history: 2024-01 to 2025-01)
    assert account_key_figures(a1, dt.date(2025, 6, 30))["revenue_growth_reason"] == (
        "first_year")
    # 2025 holds one month of the history: a part year
    assert account_key_figures(a1, dt.date(2026, 3, 31))["revenue_growth_reason"] == (
        "part_year")
    # a sale in 2022, none in 2023: 2024 grew from nothing
    with (mini_copy / "sales.csv").open("a", encoding="utf-8") as sales:
        sales.write("2022-01,A1,CLEAN,NL-RTM,500.00,100.00,20\n")
    gap = load_workbook(mini_copy).account("A1")
    assert account_key_figures(gap, dt.date(2025, 6, 30))["revenue_growth_reason"] == (
        "no_revenue_before")
    for reason, en, nl in (("first_year", "first year", "eerste jaar"),
                           ("part_year", "part year", "onvolledig jaar")):
        figures = {"revenue": 2000.0, "revenue_growth_pct": None,
                   "revenue_growth_reason": reason}
        assert (growth_text(figures, "en"), growth_text(figures, "nl")) == (en, nl)
    summary = t("summary.growth_unknown", "nl", growth="eerste jaar")
    assert summary == "groei: eerste jaar"


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_the_snapshot_keeps_the_reasons_and_reads_an_older_one(demo, tmp_path) -> None:
    ids = ["MAAS", "AMAND", "GRID"]
    # before any month of its plan has ended, an older snapshot cannot tell that AMAND's
    # plan has no revenue target: it says nothing could be judged yet, true as well
    for as_of, expected, older in (
            (dt.date(2026, 1, 15), ["not_started", "no_revenue_target", "no_plan"],
             ["not_started", "not_started", "no_plan"]),
            (dt.date(2026, 9, 30), [None, "no_revenue_target", "no_plan"], None)):
        data = snapshot(demo, as_of, ids)
        path = write_snapshot(tmp_path / "now.json", data)
        now = read_snapshot(path)["accounts"]
        assert [now[i]["figures"]["plan_status_reason"] for i in ids] == expected
        assert now["GRID"]["figures"]["share_change_reason"] == "no_estimate_before"
        # a snapshot written before the reasons: the same read from what it holds
        for entry in data["accounts"].values():
            del entry["figures"]["plan_status_reason"]
            del entry["figures"]["revenue_growth_reason"]
            del entry["figures"]["share_reason"], entry["figures"]["share_change_reason"]
        old = read_snapshot(write_snapshot(tmp_path / "old.json", data))["accounts"]
        assert [old[i]["figures"]["plan_status_reason"] for i in ids] == (older or expected)
        assert old["GRID"]["figures"]["revenue_growth_reason"] == "no_revenue"
        # no estimate or one of 0: an older snapshot does not say which
        assert old["GRID"]["figures"]["share_change_reason"] is None


def _growth_cells(table_html: str) -> dict[str, str]:
    """Year (its cell's text) -> the growth cell's text, the last cell of each row."""
    rows = re.findall(r"<tr[^>]*>\s*<td[^>]*>([^<]*)</td>.*?<td[^>]*>([^<]*)</td>\s*</tr>",
                      table_html, flags=re.S)
    return {unescape(year): unescape(growth) for year, growth in rows}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a4_table_says_why_a_year_has_no_growth(language: str) -> None:
    """The first year of the account's history and the running year have no growth: the
    table says "first year" and "part year", never a bare n/a."""
    a4 = demo_reports.report(AnalysisReport, "MAAS", language, "2026Q3").section("a4")
    by_year = next(b for b in a4.blocks if isinstance(b, str) and "<table" in b)
    cells = _growth_cells(by_year)
    assert cells["2021"] == t("figure.growth.first_year", language)
    running = next(year for year in cells if year.startswith("2026"))
    assert cells[running] == t("figure.growth.part_year", language)
    missing = for_language(language).missing
    assert missing not in cells.values() and all(
        re.fullmatch(r"[+\-−]?\d+[.,]\d%", v) for y, v in cells.items()
        if y not in ("2021", running)), cells


@pytest.mark.slow  # the whole demo portfolio
@pytest.mark.parametrize("language", LANGUAGES)
def test_portfolio_tables_say_why_not_n_a(language: str) -> None:
    """The portfolio's revenue per year says why a year has no growth, and the matrix's
    table says a prospect has no sales with us rather than n/a."""
    report = demo_reports.portfolio(language)
    totals = next(b for b in report.section("pf_totals").blocks
                  if isinstance(b, str) and "<table" in b)
    cells = _growth_cells(totals)
    first = min(cells)
    assert cells[first] == t("figure.growth.first_year", language)
    assert cells[max(cells)] == t("figure.growth.part_year", language)
    matrix = next(b for b in report.section("pf_matrix").blocks
                  if isinstance(b, str) and "<table" in b)
    row = re.search(r"Gridwell Energie N\.V\.</td>(.*?)</tr>", matrix, flags=re.S)
    assert row and escape(t("figure.revenue.none", language)) in row[1]
    assert f">{for_language(language).missing}</td>" not in matrix.split("Gridwell")[1]
