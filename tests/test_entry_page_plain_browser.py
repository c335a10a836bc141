"""The plain entry page (the account list a run shows while the portfolio is made, or when it
cannot be) fits a 1280 px window and the printed A4 width in both languages, with the
longest texts its cells can hold: a plan status or a figure given as its reason in words,
and a failed report's reason. No kernel runs: the page is made from records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from browser import A4_PRINTED_WIDTH, SPILLING_CELLS, WIDE_TABLES, emulate

from kamkit.batch.cache import AccountRecord
from kamkit.batch.definition import load_definition
from kamkit.batch.index import index_page
from kamkit.key_figures import GROWTH_REASONS, PLAN_REASONS
from kamkit.problems import words as words_of
from tests.conftest import MINI

pytestmark = pytest.mark.browser


def _records() -> list[tuple[str, AccountRecord]]:
    """An account per reason a plan status or growth can have, a normal one and one whose
    report failed for a long reason."""
    figures = {"year": 2025, "revenue": 1_234_567.0, "revenue_growth_pct": 12.5,
               "margin_pct": 21.0, "share": 0.25, "share_change_pts": -1.5,
               "plan_status": "off_track", "plan_achievement_pct": 87.0}
    reasons = [{**figures, "plan_status": None, "plan_achievement_pct": None,
                "plan_status_reason": plan, "revenue_growth_pct": None,
                "revenue_growth_reason": growth}
               for plan, growth in zip(PLAN_REASONS, [*GROWTH_REASONS] * 2, strict=False)]
    # every figure said in words: a prospect's without sales, its share without an estimate
    # the year before; an "other" account's without any spend estimate
    words = [{**reasons[0], "revenue": None, "margin_pct": None, "share": 0.0,
              "share_change_pts": None, "share_change_reason": "no_spend_before"},
             {**reasons[0], "share": None, "share_change_pts": None,
              "share_reason": "no_estimate", "share_change_reason": "no_estimate"}]
    records = [AccountRecord(f"A{i}", f"Account with a long name number {i} B.V.", "key",
                             {"analysis": "analysis.html", "plan": "plan.html"},
                             figures=f) for i, f in enumerate([figures, *reasons, *words])]
    why = ("The workbook has 3 errors: contacts.csv:5: error, column 'level': found "
           "'strategc'; expected one of operational, tactical, strategic. " * 2)
    pdf = words_of("cli.pdf.no_printer")
    records.append(AccountRecord(
        "FAIL", "Failing Account", None, {"plan": "plan.html"},
        {"analysis": why, "analysis.pdf": pdf.said("en")}, figures=figures,
        said={"analysis.pdf": {lang: pdf.said(lang) for lang in ("en", "nl")}}))
    return [(r.account_id, r) for r in records]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_plain_entry_page_wraps_its_cells_on_screen_and_on_a4(
        tmp_path: Path, chromium, screenshots: Path, language: str) -> None:
    definition = load_definition(None, {"quarter": "2025Q4", "workbook": str(MINI),
                                        "output": str(tmp_path / "out")})
    page = tmp_path / f"index.{language}.html"
    page.write_text(index_page(_records(), definition, dt.date(2026, 1, 5), language),
                    encoding="utf-8")
    tab = chromium.open(page.as_uri())
    emulate(tab, "screen", 1280)
    assert tab.evaluate("document.querySelectorAll('table.kk-index tbody tr').length") == 8
    assert tab.evaluate(WIDE_TABLES) == [], "on screen"
    assert tab.evaluate(SPILLING_CELLS) == [], "on screen"
    assert tab.evaluate("document.documentElement.scrollWidth") <= 1280
    tab.screenshot(screenshots / f"plain-index.{language}.png")
    emulate(tab, "print", A4_PRINTED_WIDTH)
    assert tab.evaluate(WIDE_TABLES) == [], "printed"
    assert tab.evaluate(SPILLING_CELLS) == [], "printed"
    assert tab.evaluate("document.documentElement.scrollWidth") <= A4_PRINTED_WIDTH
    tab.screenshot(screenshots / f"plain-index.{language}.print.png")
    tab.close()
