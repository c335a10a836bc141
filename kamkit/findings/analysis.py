"""The findings that open each analysis section: one or two plain sentences from the figures.

Pure functions from computed frames to sentences in the report language; every text comes
from ``labels.yaml``.
"""

from __future__ import annotations

import pandas as pd

from kamkit import formatting as fmt
from kamkit.analysis.wallet import CONFIDENCE_MIX
from kamkit.labels import choice_word, counted, holder_label, t
from kamkit.locale import for_language
from kamkit.schema import CONFIDENCES, DEFAULT_MIN_STRENGTH

MOVE_PTS = 1.0
"""A holder's share change below this many points is not called a gain or a loss (A7)."""
LOCAL_MOVE_PTS = 3.0
"""A gain in one location is named from this many points on (A7)."""
CELL_MOVE_PTS = 2.0
"""A cell's share change below this many points is no move worth naming (A6)."""

_PLURAL = {"strength": "swot.strengths", "weakness": "swot.weaknesses",
           "opportunity": "swot.opportunities", "threat": "swot.threats"}


def holder_phrase(holder: str, name: str, language: str) -> str:
    """Who holds open spend, as a phrase: "now with Nordclean", "done in-house", ..."""
    key = {"in-house": "find.holder.in_house", "unknown": "find.holder.unknown",
           "us": "find.holder.us"}.get(holder, "find.holder.competitor")
    return t(key, language, name=name)


def confidence_mix(row: object, language: str) -> str:
    """How much of a total's estimated spend each confidence carries, as text: "82% high,
    17% medium, 1% low" (levels without spend left out; "n/a" without estimates).

    ``row`` has the ``analysis.CONFIDENCE_MIX`` fields (a row of ``total_spend`` or
    ``share_of_wallet``)."""
    return fmt.mix(((t(f"word.{level}", language), getattr(row, column))
                    for level, column in zip(CONFIDENCES, CONFIDENCE_MIX, strict=True)),
                   language)


def history(revenue: pd.DataFrame, events: pd.DataFrame, full_year: int,
            language: str, first_month: pd.Timestamp | None = None) -> list[str]:
    """A4: last full year's revenue, growth and margin; the year to date, with the months it
    covers ("Jan-Jun", from ``first_month``, the sales history's first month, when that
    lies in the year) and how many of them had sales when not all; the last event."""
    if revenue.empty:
        return [t("find.a4.no_sales", language)]
    out = []
    rows = revenue.set_index("year")
    if full_year in rows.index:
        row = rows.loc[full_year]
        # a margin not known (empty in sales.csv) is said so, never computed as 0%
        unknown = pd.isna(row.gross_margin)
        out.append(t("find.a4.year_margin_unknown" if unknown else "find.a4.year", language,
                     year=full_year, revenue=fmt.amount_short(row.revenue, language),
                     growth=fmt.growth(row.growth_pct, language),
                     margin=fmt.per_cent(row.margin_pct, language, 1)))
        before = full_year - 1
        if before in rows.index and bool(rows.loc[before].get("partial", False)):
            out.append(t("find.a4.partial_before", language, year=full_year, before=before,
                         months=counted("months", int(rows.loc[before].months_covered),
                                        language)))
    current = full_year + 1
    if current in rows.index and rows.loc[current].months_with_sales:
        row = rows.loc[current]
        start = first_month.month if first_month is not None and \
            first_month.year == current else 1
        sold = int(row.months_with_sales)
        out.append(t("find.a4.to_date", language, year=current,
                     period=fmt.month_span(start, start + int(row.months_covered) - 1,
                                           language),
                     months=counted("months", sold, language)
                     if sold < int(row.months_covered) else for_language(language).missing,
                     revenue=fmt.amount_short(row.revenue, language)))
    if not events.empty:
        last = events.iloc[-1]
        out.append(t("find.a4.last_event", language, date=fmt.date(last.date, language),
                     type=choice_word(last.type, "history.type", language),
                     description=last.description))
    return out


def voice(scores: pd.DataFrame, complaints: pd.DataFrame, language: str) -> list[str]:
    """A4, the customer's voice: where satisfaction went, and the complaints with how many
    are still open.

    ``scores`` is ``analysis.satisfaction``, ``complaints`` ``analysis.complaints``.
    Satisfaction "fell" when the latest score is below the best one (named with both
    dates), "rose" when the latest is the best and above the first, else it "held".
    """
    out = []
    if not scores.empty:
        last = scores.iloc[-1]
        best = scores.loc[scores["score"].idxmax()]
        first = scores.iloc[0]
        values = {"last": fmt.number(last.score, language, 1),
                  "last_date": fmt.date(last.date, language)}
        if len(scores) == 1:
            key = "single"
        elif last.score < best.score:
            key = "fell"
            values |= {"best": fmt.number(best.score, language, 1),
                       "best_date": fmt.date(best.date, language)}
        elif last.score > first.score:
            key = "rose"
            values |= {"first": fmt.number(first.score, language, 1),
                       "first_date": fmt.date(first.date, language)}
        else:
            key = "held"
            values |= {"first_date": fmt.date(first.date, language)}
        out.append(t(f"find.a4.satisfaction.{key}", language, **values))
    if complaints.empty:
        return [*out, t("find.a4.no_complaints", language)]
    latest = complaints.iloc[-1]
    still_open = int((complaints["status"] == "open").sum())
    out.append(t("find.a4.complaints" if still_open else "find.a4.complaints_closed",
                 language, count=len(complaints),
                 since=fmt.date(complaints["date"].iloc[0], language), open=still_open,
                 date=fmt.date(latest.date, language), description=latest.description))
    return out


def spend(total: pd.DataFrame, full_year: int, language: str) -> list[str]:
    """A5: the wallet of the last full year and its change."""
    rows = total.set_index("year")
    if full_year not in rows.index:
        return [t("find.a5.none", language, year=full_year)]
    now = rows.loc[full_year]
    text = t("find.a5.year", language, year=full_year,
             spend=fmt.amount_short(now.spend, language),
             estimates=counted("estimates", int(now.estimates), language),
             confidence=confidence_mix(now, language))
    if full_year - 1 in rows.index and rows.loc[full_year - 1].spend:
        before = rows.loc[full_year - 1].spend
        text += " " + t("find.a5.change", language, year=full_year - 1,
                        change=fmt.growth((now.spend / before - 1) * 100, language))
    return [text]


def share_of_wallet(sow: pd.DataFrame, moves: pd.DataFrame, full_year: int,
                    language: str) -> list[str]:
    """A6: our share over the years, and where it moved most in euros: the first of
    ``moves`` (``analysis.share_moves`` of the last year with a share against the year
    before, service and location names in place of their ids) that moved at least
    ``CELL_MOVE_PTS`` points."""
    rows = sow.dropna(subset=["share"]).set_index("year")
    rows = rows[rows.index <= full_year]
    if rows.empty:
        return [t("find.a6.none", language)]
    first_year, last_year = int(rows.index.min()), int(rows.index.max())
    first, last = rows.loc[first_year], rows.loc[last_year]
    if not rows.share.any():  # a prospect: "from 0% to 0%" would say nothing
        return [t("find.a6.nothing", language, year=last_year,
                  spend=fmt.amount_short(last.spend, language),
                  confidence=confidence_mix(last, language))]
    if first_year == last_year:
        return [t("find.a6.single", language, year=last_year,
                  share=fmt.share(last.share, language),
                  spend=fmt.amount_short(last.spend, language),
                  confidence=confidence_mix(last, language))]
    out = [t("find.a6.trend", language, first_year=first_year, last_year=last_year,
             first=fmt.share(first.share, language), last=fmt.share(last.share, language),
             confidence=confidence_mix(last, language))]
    moved = moves[(moves.change_pts.abs() >= CELL_MOVE_PTS).to_numpy()]
    if not moved.empty:
        top = moved.iloc[0]
        worth = fmt.amount_short(top.moved, language)
        out.append(t("find.a6.cell", language, service=top.service, location=top.location,
                     year=last_year, before=fmt.share(top.share_from, language),
                     after=fmt.share(top.share_to, language),
                     spend=fmt.amount_short(top.spend, language),
                     moved=f"+{worth}" if top.moved > 0 else worth))
    return out


def competitors(overall: pd.DataFrame, by_location: pd.DataFrame, from_year: int,
                to_year: int, language: str) -> list[str]:
    """A7: who gained most from whom, overall and in one location."""
    if overall.empty or overall["share_to"].isna().all():
        return [t("find.a7.none", language)]
    if from_year == to_year:
        others = overall[overall.holder != "us"].dropna(subset=["share_to"])
        top = others.sort_values("share_to").iloc[-1]
        return [t("find.a7.single", language, year=to_year,
                  holder=holder_label(top.holder, top.holder_name, language),
                  share=fmt.share(top.share_to, language))]
    named = overall[~overall.holder.isin(["us", "unknown"])].dropna(subset=["change_pts"])
    out = []
    us = overall[overall.holder == "us"]
    ours = us.change_pts.iloc[0] if not us.empty else None
    us_change = t(f"find.a7.us.{fmt.direction(ours)}", language,
                  points=fmt.points_size(ours, language))
    if not named.empty:
        ranked = named.sort_values("change_pts")
        top, bottom = ranked.iloc[-1], ranked.iloc[0]
        if top.change_pts >= MOVE_PTS:
            out.append(t("find.a7.gainer", language, from_year=from_year, to_year=to_year,
                         holder=holder_label(top.holder, top.holder_name, language),
                         change=fmt.points(top.change_pts, language), us=us_change))
        else:
            out.append(t("find.a7.no_gainer", language, from_year=from_year,
                         to_year=to_year, points=counted("points", MOVE_PTS, language),
                         us=us_change))
        if bottom.change_pts <= -MOVE_PTS:
            out.append(t("find.a7.loser", language,
                         holder=holder_label(bottom.holder, bottom.holder_name, language),
                         change=fmt.points(bottom.change_pts, language)))
    local = by_location[~by_location.holder.isin(["us", "unknown"])].dropna(
        subset=["change_pts"])
    if not local.empty:
        top = local.sort_values("change_pts").iloc[-1]
        if top.change_pts >= LOCAL_MOVE_PTS:
            out.append(t("find.a7.location", language, location=top.location,
                         holder=holder_label(top.holder, top.holder_name, language),
                         change=fmt.points_size(top.change_pts, language)))
    return out or [t("find.a7.stable", language, from_year=from_year, to_year=to_year)]


def whitespace(ws: pd.DataFrame, year: int, language: str) -> list[str]:
    """Whitespace: open spend, split into cross and deep selling, with the largest cell."""
    open_cells = ws[ws.room.isin(["cross selling", "deep selling"])]
    if open_cells.empty:
        return [t("find.ws.none", language, year=year)]
    cross = open_cells[open_cells.room == "cross selling"]
    deep = open_cells[open_cells.room == "deep selling"]
    key = "find.ws.open" if len(cross) and len(deep) else (
        "find.ws.open_cross" if len(cross) else "find.ws.open_deep")
    out = [t(key, language, year=year,
             total=fmt.amount_short(open_cells.open_spend.sum(), language),
             cross=fmt.amount_short(cross.open_spend.sum(), language),
             cross_cells=counted("cells", len(cross), language),
             deep=fmt.amount_short(deep.open_spend.sum(), language),
             deep_cells=counted("cells", len(deep), language))]
    top = open_cells.sort_values("open_spend").iloc[-1]
    out.append(t("find.ws.largest", language, service=top.service_name,
                 location=top.location_name, open=fmt.amount_short(top.open_spend, language),
                 holder=holder_phrase(top.main_holder, top.main_holder_name, language)))
    return out


def organisation(org: pd.DataFrame, uncovered: pd.DataFrame, language: str,
                 min_strength: int = DEFAULT_MIN_STRENGTH) -> list[str]:
    """A2: size of the known organisation, how much of it we reach (relationships of at
    least ``min_strength``, as ``org`` was computed with), who we miss."""
    if org.empty:
        return [t("find.a2.none", language)]
    out = [t("find.a2.size", language, contacts=counted("people", len(org), language),
             covered=int(org.covered.sum()),
             share=fmt.share(org.covered.mean(), language), strength=min_strength,
             name=t(f"strength.{min_strength}", language))]
    deciders = uncovered[uncovered.buying_role == "decision_maker"]
    for row in deciders.itertuples():
        if pd.isna(row.best_strength):
            out.append(t("find.a2.decider", language, name=row.name, title=row.title))
        else:  # someone knows them, only not well enough to count as covered
            out.append(t("find.a2.decider_weak", language, name=row.name, title=row.title,
                         strength=min_strength, person=row.best_person,
                         best=int(row.best_strength),
                         best_name=t(f"strength.{int(row.best_strength)}", language)))
    return out


def contacts(coverage: pd.DataFrame, stale: pd.DataFrame, days: int, language: str,
             min_strength: int = DEFAULT_MIN_STRENGTH) -> list[str]:
    """A8: coverage per level (relationships of at least ``min_strength``, as ``coverage``
    was computed with), how the others stand, and relationships gone quiet."""
    if coverage.contacts.sum() == 0:
        return [t("find.a8.none", language)]
    parts = [f"{t('level.' + r.level, language)} {r.covered}/{r.contacts}"
             for r in coverage.itertuples() if r.contacts]
    out = [t("find.a8.coverage", language, levels=", ".join(parts), strength=min_strength,
             name=t(f"strength.{min_strength}", language))]
    weaker = int(sum(coverage[f"strength_{n}"].sum() for n in range(1, min_strength)))
    if weaker:
        out.append(t("find.a8.weaker", language, count=weaker, below=min_strength - 1))
    if none := int(coverage["no_relationship"].sum()):
        out.append(t("find.a8.no_relationship", language, count=none))
    if not stale.empty:
        worst = stale.iloc[0]
        out.append(t("find.a8.stale", language, count=len(stale),
                     days=counted("days", days, language),
                     contact=worst.contact_name, person=worst.person_name,
                     since=counted("days", int(worst.days_since), language)))
    return out


def swot(table: pd.DataFrame, language: str) -> list[str]:
    """A3 / A9: how complete the SWOT is."""
    if table.empty:
        return [t("find.swot.none", language)]
    counts = table.quadrant.value_counts()
    empty = [q for q in ("strength", "weakness", "opportunity", "threat") if q not in counts]
    out = [t("find.swot.count", language, items=counted("points", len(table), language))]
    if empty:
        out.append(t("find.swot.empty", language,
                     quadrants=", ".join(t(_PLURAL[q], language) for q in empty)))
    return out


def conclusions(confronted: pd.DataFrame, language: str, with_plan: bool = False) -> list[str]:
    """The confrontation: how many conclusions, each one that is no confrontation of our
    strengths or weaknesses with an opportunity or threat (and why), and, with a plan, the
    conclusions no objective takes up."""
    if confronted.empty:
        return [t("find.conclusions.none", language)]
    out = [t("find.conclusions.count", language, count=len(confronted))]
    for row in confronted.itertuples():
        for problem in filter(None, row.problems.split(", ")):
            out.append(t(f"find.conclusions.{problem}", language, id=row.conclusion_id,
                         ids=row.unknown))
    orphans = confronted[confronted["objectives"] == ""]
    if with_plan and not orphans.empty:
        out.append(t("find.conclusions.no_objective", language,
                     ids=", ".join(orphans.conclusion_id)))
    return out
