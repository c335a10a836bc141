"""The portfolio deck for the management meeting: the portfolio matrix, the accounts that need
attention first and the plans' status across accounts, from ``kamkit.portfolio`` and
``kamkit.key_figures``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from pptx.presentation import Presentation as Deck

from kamkit import formatting as fmt
from kamkit import portfolio as pf
from kamkit.analysis import parse_as_of
from kamkit.deck import slides as sl
from kamkit.deck.template import open_template
from kamkit.display import plan_status_text
from kamkit.key_figures import key_figures
from kamkit.labels import counted, t
from kamkit.periods import quarter_of
from kamkit.workbook import Workbook, load_workbook_cached

HEALTH_ALERT = 50
"""An account whose health is below this needs attention."""

ROWS = 12
"""Accounts per slide; more continue on the next slide."""


def _tables(deck: Deck, title: str, header: list[str], rows: list[list[str]],
            numeric: list[bool], widths: Sequence[float], note: str) -> None:
    """One table over as many slides as it takes, ``ROWS`` rows each."""
    for start in range(0, max(len(rows), 1), ROWS):
        slide = sl.content_slide(deck, title)
        sl.table(deck, slide, sl.FULL, header, rows[start:start + ROWS], numeric, size=12,
                 widths=widths)
        sl.notes(slide, [note])


def _plain(row: pd.Series) -> dict[str, object]:
    """A frame's row as a mapping with None for a missing value, as ``plan_status_text``
    reads key figures."""
    return {key: None if not isinstance(value, str) and pd.isna(value) else value
            for key, value in row.items()}


def attention(figures: pd.DataFrame, health: pd.DataFrame) -> pd.DataFrame:
    """The accounts whose plan is off track or at risk, or whose health is below
    ``HEALTH_ALERT``: ``figures`` (``key_figures``) joined with ``health``
    (``health_summary``), worst health first."""
    rows = figures.merge(health, on="account_id", how="left")
    flagged = rows["plan_status"].isin(["off_track", "at_risk"]) | (
        rows["health"] < HEALTH_ALERT)
    return rows[flagged.fillna(False).to_numpy()].sort_values("health", na_position="last")


def portfolio_deck(workbook: str | Path | Workbook | None, as_of: str | dt.date,
                   language: str = "en", *, account_ids: Sequence[str] | None = None,
                   template: Path | None = None) -> Deck:
    """The portfolio review deck as of ``as_of``: key accounts and prospects (or
    ``account_ids``). ``template`` as for ``account_deck``."""
    book = workbook if isinstance(workbook, Workbook) else load_workbook_cached(workbook)
    day = parse_as_of(as_of)
    deck = open_template(template)
    matrix = pf.matrix(book, day, account_ids)
    ids = list(matrix["account_id"])
    figures = key_figures(book, day, ids)
    health = pf.health_summary(pf.health(book, day, ids))

    def tr(key: str, **values: object) -> str:
        return t(key, language, **values)

    sl.title_slide(deck, tr("deck.portfolio.title", quarter=quarter_of(day)),
                   tr("deck.portfolio.subtitle", accounts=counted("accounts", len(ids),
                                                                  language),
                      as_of=fmt.date(day, language)))
    _tables(deck, tr("deck.portfolio.matrix"),
            [tr("batch.col.account"), tr("deck.attractiveness"), tr("deck.position"),
             tr("deck.quadrant")],
            [[str(r.name), fmt.number(r.attractiveness, language),
              fmt.number(r.position, language),
              tr(f"deck.quadrant.{r.quadrant}") if isinstance(r.quadrant, str) else "–"]
             for r in matrix.itertuples()],
            [False, True, True, False], (0.4, 0.2, 0.2, 0.2),
            tr("deck.portfolio.matrix"))
    flagged = attention(figures, health)
    if flagged.empty:
        slide = sl.content_slide(deck, tr("deck.portfolio.attention"))
        sl.text_box(deck, slide, sl.FULL, [tr("deck.portfolio.calm")], size=18)
    else:
        _tables(deck, tr("deck.portfolio.attention"),
                [tr("batch.col.account"), tr("batch.col.plan"), tr("deck.health"),
                 tr("deck.weakest")],
                [[str(r["name"]), plan_status_text(_plain(r), language),
                  fmt.number(r["health"], language),
                  "" if pd.isna(r["weakest"]) else str(r["weakest"]).replace("_", " ")]
                 for _, r in flagged.iterrows()],
                [False, False, True, False], (0.4, 0.25, 0.1, 0.25),
                tr("deck.portfolio.attention"))
    year = int(figures["year"].iloc[0]) if not figures.empty else day.year - 1
    _tables(deck, tr("deck.portfolio.plans"),
            [tr("batch.col.account"), tr("batch.col.revenue", year=year),
             tr("batch.col.share", year=year), tr("batch.col.plan")],
            [[str(r["name"]), fmt.eur(r["revenue"], language),
              fmt.share(r["share"], language, 1), plan_status_text(_plain(r), language)]
             for _, r in figures.iterrows()],
            [False, True, True, False], (0.4, 0.2, 0.2, 0.2), tr("deck.portfolio.plans"))
    return deck
