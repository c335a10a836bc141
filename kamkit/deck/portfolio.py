"""The portfolio deck for the management meeting: the portfolio matrix (the report's chart,
its scores as a table), the accounts that need attention first and the plans' status across
accounts; each from the portfolio report's section (``kamkit.report.portfolio``), so the deck
and the report say the same."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path

from pptx.presentation import Presentation as Deck

from kamkit import formatting as fmt
from kamkit.deck import slides as sl
from kamkit.deck.images import chart_image, section_charts
from kamkit.deck.template import open_template
from kamkit.display import plan_status_text, revenue_text
from kamkit.labels import counted, t
from kamkit.report.portfolio import PortfolioReport, known
from kamkit.workbook import Workbook

ROWS = 15
"""Accounts a slide's table holds at most; more continue on the next slides, as evenly
spread as they go (15 on one slide fit a 16:9 and a 4:3 slide at 12 pt)."""

BELOW_FROM = 0.82
"""Sentences go below a table that ends above this (of the content area's height)."""

MATRIX = sl.Box(0, 0, 0.68, 1)
BESIDE_MATRIX = sl.Box(0.7, 0, 0.3, 1)


def _t(report: PortfolioReport, key: str, **values: object) -> str:
    return t(key, report.language, **values)


def _pages(count: int) -> list[range]:
    """``count`` rows cut into slides of at most ``ROWS``, evenly (16 rows: 8 and 8)."""
    slides = max(1, math.ceil(count / ROWS))
    size = max(1, math.ceil(count / slides))
    return [range(start, min(start + size, count)) for start in range(0, max(count, 1), size)]


def _tables(deck: Deck, title: str, header: list[str], rows: list[list[str]],
            numeric: list[bool], widths: Sequence[float], notes: Sequence[str],
            below: Sequence[str] = ()) -> None:
    """One table over as many slides as it takes (``_pages``), the ``below`` sentences
    under its last part, the ``notes`` under each slide."""
    pages = _pages(len(rows))
    for number, page in enumerate(pages, start=1):
        slide = sl.content_slide(deck, title)
        bottom = sl.table(deck, slide, sl.FULL, header, [rows[i] for i in page], numeric,
                          size=12, widths=widths)
        last = number == len(pages)
        room = last and bool(below) and bottom + 0.04 <= BELOW_FROM
        if room:
            top = bottom + 0.04
            sl.text_box(deck, slide, sl.Box(0, top, 1, 1 - top), below, size=14)
        # sentences a full slide has no room for go to its notes, not over its table
        sl.notes(slide, [*notes, *(below if last and not room else ())])


def _matrix(deck: Deck, report: PortfolioReport) -> None:
    """The matrix as the report draws it, its sentences beside it; then its scores as an
    editable table."""
    section = report.section("pf_matrix")
    slide = sl.content_slide(deck, _t(report, "deck.portfolio.matrix"))
    charts = section_charts(section)
    if charts:
        sl.picture(deck, slide, MATRIX, chart_image(charts[0], legends="right"))
    sl.text_box(deck, slide, BESIDE_MATRIX if charts else sl.FULL, list(section.findings),
                size=14)
    sl.notes(slide, [section.method])
    placed = report.placements()
    lang = report.language
    quadrants = [_t(report, f"quadrant.short.{q}") if isinstance(q, str) else "–"
                 for q in placed["quadrant"]]
    _tables(deck, _t(report, "deck.portfolio.scores"),
            [_t(report, "batch.col.account"), _t(report, "word.quadrant"),
             _t(report, "word.attractiveness"), _t(report, "word.position"),
             _t(report, "batch.col.revenue", year=report.full_year)],
            [[str(name), quadrant, attractiveness, position, fmt.amount(revenue, lang)]
             for name, quadrant, attractiveness, position, revenue in zip(
                placed["name"], quadrants, report.scores(placed, "attractiveness"),
                report.scores(placed, "position"), placed["revenue"], strict=True)],
            [False, False, True, True, True], (0.34, 0.16, 0.16, 0.16, 0.18),
            [section.method])


def _attention(deck: Deck, report: PortfolioReport) -> None:
    """The key accounts that need attention first and why, as the report lists them."""
    section = report.section("pf_attention")
    title = _t(report, "deck.portfolio.attention")
    flagged = report.attention()
    if not flagged:
        slide = sl.content_slide(deck, title)
        sl.text_box(deck, slide, sl.FULL, list(section.findings), size=18)
        sl.notes(slide, [section.method])
        return
    _tables(deck, title, [_t(report, "batch.col.account"), _t(report, "word.kam"),
                          _t(report, "deck.portfolio.why")],
            [[account.name, account.kam, "; ".join(account.reasons)] for account in flagged],
            [False, False, False], (0.3, 0.18, 0.52), [section.method])


def _plans(deck: Deck, report: PortfolioReport) -> None:
    """The plans' status across the accounts that have a plan, as the report's table."""
    section = report.section("pf_plans")
    table = report.table
    with_plan = table[((table["objectives"] + table["actions_open"]) > 0).to_numpy()]
    lang = report.language
    _tables(deck, _t(report, "deck.portfolio.plans"),
            [_t(report, "batch.col.account"), _t(report, "word.kam"),
             _t(report, "batch.col.revenue", year=report.full_year),
             _t(report, "batch.col.plan"), _t(report, "word.objectives_on_track"),
             _t(report, "word.actions_overdue")],
            [[str(r["name"]), fmt.name(r["kam_name"], lang), revenue_text(known(r), lang),
              plan_status_text(known(r), lang),
              f"{int(r['objectives_on_track'])}/{int(r['objectives'])}",
              str(int(r["actions_overdue"]))]
             for _, r in with_plan.iterrows()],
            [False, False, True, False, True, True], (0.28, 0.14, 0.14, 0.15, 0.15, 0.14),
            [section.method], below=section.findings)


def portfolio_deck(workbook: str | Path | Workbook | None, as_of: str | dt.date,
                   language: str = "en", *, kam: str | None = None,
                   snapshots: Path | None = None, size: str = "revenue",
                   template: Path | None = None) -> Deck:
    """The portfolio review deck as of ``as_of``.

    Parameters
    ----------
    workbook, as_of, language, kam, size
        As for the portfolio report (``PortfolioReport.build``): its key accounts and
        prospects, or one KAM's.
    snapshots
        The folder of quarter folders where ``kamkit run`` keeps each quarter's snapshot,
        for the matrix's line from last quarter's place and the health that fell; None:
        without.
    template
        As for ``account_deck``.
    """
    report = PortfolioReport.build(workbook, as_of, language, kam=kam, snapshots=snapshots,
                                   size=size)
    deck = open_template(template)
    sl.title_slide(deck, _t(report, "deck.portfolio.title", quarter=report.quarter),
                   _t(report, "deck.portfolio.subtitle",
                             accounts=counted("accounts", len(report.account_ids), language),
                             as_of=fmt.date(report.as_of, language)))
    _matrix(deck, report)
    _attention(deck, report)
    _plans(deck, report)
    return deck

