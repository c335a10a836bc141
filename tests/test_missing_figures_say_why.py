"""A key figure that cannot be given says why, in words and in both languages: a plan
without a status (no plan, no revenue target, nothing to judge yet), a growth that is not
known (no revenue, first year, part year, no revenue the year before), and a prospect's
revenue says there is none with us, not "n/a" beside a share of 0.0%. The snapshot stores the
reasons; one written before them reads with them."""

from __future__ import annotations

import datetime as dt
import re
from html import escape, unescape

import demo_reports
import pytest

from kamkit.display import growth_text, margin_text, plan_status_text, revenue_text
from kamkit.key_figures import GROWTH_REASONS, PLAN_REASONS, account_key_figures
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
            "plan": plan_status_text(figures, language)}


@pytest.mark.parametrize("as_of", AS_OF, ids=str)
def test_no_silent_missing_figure_in_the_demo(demo, as_of) -> None:
    # every account of the demo (key accounts, prospects and others), at the start of the
    # plan year (nothing to judge), in its middle, at the reports' quarter and after it
    for account_id in demo.account_ids:
        figures = account_key_figures(demo.account(account_id), as_of)
        assert (figures["plan_status"] is None) == (figures["plan_status_reason"] in
                                                    PLAN_REASONS), account_id
        assert (figures["revenue_growth_pct"] is None) == (
            figures["revenue_growth_reason"] in GROWTH_REASONS), account_id
        for language in LANGUAGES:
            missing = for_language(language).missing
            shown = _texts(figures, language)
            assert missing not in shown.values(), (account_id, as_of, language, shown)


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
    assert revenue_text({"revenue": 3551999.49}, "nl", short=True) == "€ 3,6 mln"
    assert (_texts(figures, "en")["growth"], _texts(figures, "en")["margin"]) == (
        "no sales", "no sales")
    assert (_texts(figures, "nl")["growth"], _texts(figures, "nl")["margin"]) == (
        "geen verkopen", "geen verkopen")


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
        # a snapshot written before the reasons: the same read from what it holds
        for entry in data["accounts"].values():
            del entry["figures"]["plan_status_reason"]
            del entry["figures"]["revenue_growth_reason"]
        old = read_snapshot(write_snapshot(tmp_path / "old.json", data))["accounts"]
        assert [old[i]["figures"]["plan_status_reason"] for i in ids] == (older or expected)
        assert old["GRID"]["figures"]["revenue_growth_reason"] == "no_revenue"


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
