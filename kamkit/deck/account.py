"""The review deck of one account: what the quarter review with management covers, slide by
slide, from the same sections, charts and figures as the HTML reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pptx.presentation import Presentation as Deck

from kamkit import analysis as an
from kamkit import formatting as fmt
from kamkit import plan as pl
from kamkit.deck import slides as sl
from kamkit.deck.images import chart_image, section_charts
from kamkit.deck.template import open_template
from kamkit.findings.portfolio import change_name, change_value, told_changes
from kamkit.labels import holder_label, t, words
from kamkit.periods import quarter_of
from kamkit.report.analysis import AnalysisReport
from kamkit.report.base import Section
from kamkit.report.plan import PlanReport
from kamkit.report.summary import Figure
from kamkit.schema import DEFAULT_MIN_STRENGTH
from kamkit.workbook import Workbook, load_workbook_cached

MAX_ROWS = 8
"""Rows a slide's table shows; the rest is counted below it (the report lists them all)."""

FINDINGS = 3
"""Findings a slide shows beside its chart and table."""

SOON = ("overdue", "next 3 weeks", "next 3 months")
"""The action horizons the review looks at."""


@dataclass(frozen=True)
class AccountReview:
    """What the slides of one account are made from: both reports, with the same sections,
    summary and changes since last quarter as the HTML."""

    analysis: AnalysisReport
    plan: PlanReport

    @property
    def language(self) -> str:
        return self.analysis.language

    def t(self, key: str, **values: object) -> str:
        return t(key, self.language, **values)


Table = tuple[list[str], list[list[str]], list[bool]]
"""A slide table: header, rows of texts, which columns are numbers."""


def _cut(rows: list[list[str]], review: AccountReview) -> tuple[list[list[str]], list[str]]:
    """At most ``MAX_ROWS`` rows, and a line counting the rest."""
    if len(rows) <= MAX_ROWS:
        return rows, []
    return rows[:MAX_ROWS], [review.t("deck.more", count=len(rows) - MAX_ROWS)]


def figure_slide(deck: Deck, review: AccountReview, title_key: str, section: Section,
                 table: Table | None, chart: int | None = 0,
                 widths: Sequence[float] | None = None) -> None:
    """A slide of one topic: the section's chart (the ``chart``-th, None for none) at the
    left, the table and the first findings at the right; the method line in the notes.
    Without a chart the table spans the slide."""
    slide = sl.content_slide(deck, review.t(title_key))
    charts = section_charts(section)
    drawn = chart is not None and chart < len(charts)
    if drawn:
        sl.picture(deck, slide, sl.LEFT, chart_image(charts[chart or 0]))
    side = sl.RIGHT if drawn else sl.FULL
    extra: list[str] = []
    top = 0.0
    if table is not None:
        header, rows, numeric = table
        rows, extra = _cut(rows, review)
        if rows:
            top = sl.table(deck, slide, sl.Box(side.left, 0, side.width, 0.55), header, rows,
                           numeric, size=11 if drawn else 12, widths=widths) + 0.03
    text = [*section.findings[:FINDINGS], *extra]
    sl.text_box(deck, slide, sl.Box(side.left, top, side.width, 1 - top), text, size=12)
    sl.notes(slide, [section.method])


# ------------------------------------------------------------------ the slides
def _title(deck: Deck, review: AccountReview) -> None:
    report = review.analysis
    info = report.account.account
    team = report.account.team.set_index("person_id")["name"]
    sl.title_slide(deck, review.t("deck.title", quarter=quarter_of(report.as_of),
                                  account=info.name),
                   review.t("report.subtitle", status=review.t(f"status.{info.status}"),
                            kam=fmt.name(team.get(info.kam, info.kam), review.language),
                            as_of=fmt.date(report.as_of, review.language)))


def summary_figures(review: AccountReview) -> list[Figure]:
    """The figures of both reports' executive summaries, each label once."""
    figures: dict[str, Figure] = {}
    for report in (review.analysis, review.plan):
        summary = report.summary()
        for figure in summary.figures if summary is not None else ():
            figures.setdefault(figure.label, figure)
    return list(figures.values())


def _summary(deck: Deck, review: AccountReview) -> None:
    """The reports' executive summary: its figures as a table, its sentences beside."""
    slide = sl.content_slide(deck, review.t("deck.summary"))
    rows = [[f.label, f.value, f.note] for f in summary_figures(review)]
    sl.table(deck, slide, sl.Box(0, 0, 0.46, 0.8), [review.t("deck.figure"),
                                                    review.t("deck.value"), ""], rows,
             [False, True, False], size=12, widths=[0.4, 0.3, 0.3])
    summary = review.analysis.summary()
    lines = [line.text for line in summary.lines] if summary is not None else []
    sl.text_box(deck, slide, sl.Box(0.5, 0, 0.5, 1), lines, size=13)
    sl.notes(slide, [review.analysis.section(s).method for s in dict.fromkeys(
        line.section for line in (summary.lines if summary is not None else ()))
        if s in review.analysis.SECTIONS])


def _history(review: AccountReview) -> Table:
    report, lang = review.analysis, review.language
    revenue = an.revenue_by_year(report.account).tail(5)
    to_date = review.t("word.to_date", date=fmt.date(report.as_of, lang))
    rows = [[f"{int(r.year)} ({to_date})" if r.year > report.full_year else str(int(r.year)),
             fmt.amount(r.revenue, lang), fmt.per_cent(r.margin_pct, lang, 1),
             fmt.growth(r.growth_pct if r.year <= report.full_year else None, lang)]
            for r in revenue.itertuples()]
    return ([review.t("word.year"), review.t("word.revenue"), review.t("word.margin_pct"),
             review.t("word.growth")], rows, [False, True, True, True])


def _wallet(review: AccountReview) -> Table:
    report, lang = review.analysis, review.language
    sow = an.share_of_wallet(report.account, by=("year",))
    sow = sow[sow["year"] <= report.full_year].dropna(subset=["spend"]).tail(5)
    rows = [[str(int(r.year)), fmt.amount(r.our_revenue, lang), fmt.amount(r.spend, lang),
             fmt.share(r.share, lang, 1)] for r in sow.itertuples()]
    return ([review.t("word.year"), review.t("word.revenue"), review.t("word.spend"),
             review.t("word.share")], rows, [False, True, True, True])


def _competitors(review: AccountReview) -> Table:
    report, lang = review.analysis, review.language
    shares = an.holder_shares(report.account, by=("year",))
    last = shares[(shares["year"] == report.full_year) & shares["share"].notna()]
    last = last.sort_values("share", ascending=False)
    rows = [[holder_label(r.holder, r.holder_name, lang), fmt.share(r.share, lang, 1)]
            for r in last.itertuples()]
    return ([review.t("caption.in_year", what=review.t("word.holder"),
                      year=report.full_year), review.t("word.share")], rows, [False, True])


def _whitespace(review: AccountReview) -> Table:
    report, lang = review.analysis, review.language
    ws = an.whitespace(report.account, report.full_year)
    cells = ws[ws["room"].isin(["cross selling", "deep selling"])].sort_values(
        "open_spend", ascending=False)
    rooms = words(cells["room"], "room.", lang)
    rows = [[str(r.service_name), str(r.location_name), room, fmt.amount(r.open_spend, lang)]
            for r, room in zip(cells.itertuples(), rooms, strict=True)]
    return ([review.t("word.service"), review.t("word.location"), review.t("word.room"),
             review.t("word.open")], rows, [False, False, False, True])


def _coverage(review: AccountReview) -> Table:
    report, lang = review.analysis, review.language
    coverage = an.coverage_by_level(report.account, report.min_strength)
    levels = words(coverage["level"], "level.", lang)
    rows = [[level, str(int(r.contacts)), str(int(r.covered)),
             fmt.share(r.share_covered, lang)]
            for r, level in zip(coverage.itertuples(), levels, strict=True)]
    return ([review.t("word.level"), review.t("word.contacts"), review.t("word.covered"),
             review.t("word.share")], rows, [False, True, True, True])


def smart_verdict(row: pd.Series, language: str) -> str:
    """"✓", or "✗" with the letters the objective fails ("✗ achievable"); "–" unknown."""
    if pd.isna(row["smart"]):
        return "–"
    if bool(row["smart"]):
        return "✓"
    failing = [t(f"smart.letter.{letter}", language) for letter in pl.LETTERS
               if not pd.isna(row[letter]) and not bool(row[letter])]
    return " ".join(["✗", ", ".join(failing)])


def _objectives(review: AccountReview) -> Table | None:
    report = review.plan
    if report.plan is None:
        return None
    status = pl.objective_status(report.account, report.as_of, report.min_strength)
    rows = [[str(r["id"]), str(r["title"]), report._value(r["target"], r["unit"]),
             report._value(r["forecast"], r["unit"]),
             fmt.share(r["progress"], review.language),
             smart_verdict(r, review.language)] for _, r in status.iterrows()]
    return (["ID", review.t("word.objective"), review.t("word.target"),
             review.t("word.forecast"), review.t("word.progress"), review.t("word.smart")],
            rows, [False, False, True, True, True, False])


def _actions(review: AccountReview) -> Table | None:
    report, lang = review.plan, review.language
    if report.plan is None:
        return None
    actions = pl.action_plan(report.account, report.as_of)
    soon = actions[actions["horizon"].isin(SOON)]
    horizons = words(soon["horizon"], "horizon.", lang)
    statuses = words(soon["status"], "action.", lang)
    rows = [[horizon, str(r.what), str(r.owner_name) if isinstance(r.owner_name, str)
             and r.owner_name else "⚠", fmt.date(r.due, lang), status]
            for r, horizon, status in zip(soon.itertuples(), horizons, statuses, strict=True)]
    return ([review.t("word.horizon"), review.t("word.action"), review.t("word.owner"),
             review.t("word.due"), review.t("word.status")], rows,
            [False, False, False, False, False])


def account_changes(review: AccountReview) -> pd.DataFrame | None:
    """The rows of the report's changes since last quarter (``Report.changes``) that the
    report tells (``told_changes``: what moved enough, the plan's commitments); None
    without last quarter's snapshot."""
    rows = review.analysis.changes
    return None if rows is None else told_changes(rows)


def _changes(deck: Deck, review: AccountReview) -> None:
    """What changed since last quarter, named and valued as the reports say it."""
    slide = sl.content_slide(deck, review.t("deck.changes"))
    rows = account_changes(review)
    if rows is None or rows.empty:
        sl.text_box(deck, slide, sl.FULL, [review.t(
            "deck.changes.none" if rows is None else "deck.changes.nothing")], size=16)
        return
    lang = review.language
    table = [[_capital(change_name(str(r.change), r.subject, lang)),
              change_value(str(r.change), r.before, lang, short=False),
              change_value(str(r.change), r.after, lang, short=False)]
             for r in rows.itertuples()]
    shown, extra = _cut(table, review)
    bottom = sl.table(deck, slide, sl.Box(0, 0, 1, 0.8),
                      [review.t("deck.change"), review.t("deck.before"),
                       review.t("deck.after")], shown, [False, True, True],
                      size=14, widths=(0.5, 0.25, 0.25))
    if extra:
        top = min(bottom + 0.03, 0.85)
        sl.text_box(deck, slide, sl.Box(0, top, 1, 1 - top), extra, size=12)


def _capital(text: str) -> str:
    """A name starting a table cell: "Revenue last 12 months"."""
    return text[:1].upper() + text[1:]


def _asks(deck: Deck, review: AccountReview) -> None:
    slide = sl.content_slide(deck, review.t("deck.asks"))
    document = review.analysis.account.document
    asks = list(document.asks) if document is not None else []
    sl.text_box(deck, slide, sl.FULL, [f"{n}. {ask}" for n, ask in enumerate(asks, 1)]
                or [review.t("deck.asks.none")], size=20)


def _topic(title_key: str, report: str, section: str, table: Callable[[AccountReview],
           Table | None], chart: int | None = 0, widths: Sequence[float] | None = None
           ) -> Callable[[Deck, AccountReview], None]:
    def slide(deck: Deck, review: AccountReview) -> None:
        source = review.analysis if report == "analysis" else review.plan
        figure_slide(deck, review, title_key, source.section(section), table(review),
                     chart, widths)
    return slide


SLIDES: tuple[Callable[[Deck, AccountReview], None], ...] = (
    _title, _summary,
    _topic("deck.history", "analysis", "a4", _history, widths=(0.26, 0.32, 0.2, 0.22)),
    _topic("deck.wallet", "analysis", "a6", _wallet, widths=(0.16, 0.32, 0.32, 0.2)),
    _topic("deck.competitors", "analysis", "a7", _competitors),
    _topic("deck.whitespace", "analysis", "whitespace", _whitespace,
           widths=(0.34, 0.24, 0.18, 0.24)),
    _topic("deck.coverage", "analysis", "a8", _coverage, chart=1),
    _topic("deck.objectives", "plan", "p2", _objectives, chart=None,
           widths=(0.07, 0.37, 0.13, 0.13, 0.1, 0.2)),
    _topic("deck.actions", "plan", "p4", _actions, chart=None,
           widths=(0.14, 0.46, 0.16, 0.12, 0.12)),
    _changes, _asks,
)
"""The account deck's slides, in order; each adds one slide."""


def account_deck(workbook: str | Path | Workbook | None, account_id: str,
                 as_of: str | dt.date, language: str = "en", *,
                 template: Path | None = None, snapshots: Path | None = None,
                 min_strength: int = DEFAULT_MIN_STRENGTH) -> Deck:
    """The quarter review deck of one account.

    Parameters
    ----------
    workbook
        A workbook, its path, or None for the demo.
    account_id, as_of, language
        As for the reports (``AnalysisReport.build``).
    template
        A .pptx whose layouts carry the slides (``kamkit.deck.template``); None: kamkit's.
    snapshots
        The folder of quarter folders where ``kamkit run`` keeps each quarter's snapshot
        (its output folder), for what changed since last quarter; None: that slide says
        there is nothing to compare with.
    min_strength
        The relationship strength from which a contact counts as covered.

    Returns
    -------
    pptx.presentation.Presentation
        Save it with ``kamkit.deck.save``.
    """
    book = workbook if isinstance(workbook, Workbook) else load_workbook_cached(workbook)
    review = AccountReview(
        AnalysisReport.build(book, account_id, as_of, language,
                             snapshots=snapshots).with_min_strength(min_strength),
        PlanReport.build(book, account_id, as_of, language,
                         snapshots=snapshots).with_min_strength(min_strength))
    deck = open_template(template)
    for add in SLIDES:
        add(deck, review)
    return deck
