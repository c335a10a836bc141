"""How kamkit's values show in JupyterLab: readable HTML for a workbook, an account and the
parts of its document (``_repr_html_``), and the account card the workbench shows.

Every text from a workbook is escaped (``kamkit.report.html``); the HTML is styled inline
(``kamkit.report.html.LOOK``), so it looks the same in a notebook JupyterLab does not trust,
and loads nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from kamkit import formatting as fmt
from kamkit.analysis.swot import confrontation, swot_items
from kamkit.key_figures import growth_reason
from kamkit.labels import choice_word, counted, t
from kamkit.report import html

if TYPE_CHECKING:
    from kamkit.documents import AccountDocument, Action, Objective, Swot
    from kamkit.workbook import AccountData, Workbook

_FIGURES = ("revenue", "growth", "margin", "share", "share_change", "plan")


def _person(team: pd.DataFrame, person_id: object) -> str:
    names = dict(zip(team["person_id"], team["name"], strict=True))
    return str(names.get(person_id, person_id or ""))


def plan_status_text(figures: Mapping[str, object], language: str) -> str:
    """"revenue off track (forecast 87% of target)": the plan's revenue forecast against
    its revenue target (what it measures said, beside the count of objectives on track);
    without a status, why ("no revenue target in the plan": ``plan_status_reason``)."""
    status = figures.get("plan_status")
    if not status:
        reason = figures.get("plan_status_reason")
        return (t(f"batch.plan.reason.{reason}", language) if isinstance(reason, str)
                else fmt.per_cent(None, language))
    return t("batch.plan.revenue_status", language, status=t(f"status.{status}", language),
             achieved=fmt.per_cent(figures.get("plan_achievement_pct"), language))


def revenue_text(figures: Mapping[str, object], language: str, short: bool = False) -> str:
    """The revenue of the key figures in its currency ("EUR 3,551,999", short "EUR 3.6m");
    "no sales recorded" in a year without sales (a prospect's, beside a share of 0%, or a
    year before the workbook's sales begin: either way nothing is known to be sold), short
    "no sales" (in a table's column of revenue)."""
    revenue = figures.get("revenue")
    if fmt.is_missing(revenue):
        return t("figure.growth.no_revenue" if short else "figure.revenue.none", language)
    return fmt.amount_short(revenue, language) if short else fmt.amount(revenue, language)


def _no_revenue(figures: Mapping[str, object]) -> bool:
    revenue = figures.get("revenue")
    return fmt.is_missing(revenue) or revenue == 0


def _or_reason(value: object, reason: object, labels: str, shown: Callable[[object], str],
               language: str) -> str:
    """``value`` as ``shown`` writes it, or, where it is missing and a reason is known, the
    reason's label (``<labels><reason>``: ``labels`` is a prefix such as "figure.share.")."""
    if fmt.is_missing(value) and isinstance(reason, str):
        return t(f"{labels}{reason}", language)
    return shown(value)


def growth_text(figures: Mapping[str, object], language: str) -> str:
    """The revenue growth of the key figures ("+3.6%"), or why it is not known ("first
    year", "part year": ``revenue_growth_reason``)."""
    return _or_reason(figures.get("revenue_growth_pct"), figures.get("revenue_growth_reason"),
                      "figure.growth.", lambda v: fmt.growth(v, language), language)


def yearly_growth_texts(revenue: pd.DataFrame, full_year: int, language: str) -> list[str]:
    """Each year's growth in a table of revenue per year (``analysis.revenue_by_year`` or the
    portfolio's total): "+3.6%", or why it is not known ("first year", "part year" for the
    running year and a part of a year, "no revenue the year before"), never a bare n/a."""
    texts = []
    for year, growth in zip(revenue["year"], revenue["growth_pct"], strict=True):
        if int(year) > full_year:
            texts.append(t("figure.growth.part_year", language))
        else:
            reason = growth_reason(revenue, int(year)) if fmt.is_missing(growth) else None
            texts.append(_or_reason(growth, reason, "figure.growth.",
                                    lambda v: fmt.growth(v, language), language))
    return texts


def share_text(figures: Mapping[str, object], language: str) -> str:
    """The share of wallet of the key figures ("25.0%"), or why it is not known ("no spend
    estimate": ``share_reason``)."""
    return _or_reason(figures.get("share"), figures.get("share_reason"), "figure.share.",
                      lambda v: fmt.share(v, language, 1), language)


def share_change_text(figures: Mapping[str, object], language: str) -> str:
    """The change of the share on the year before ("-1.5 pts"), or why it is not known ("no
    estimate for the year before": ``share_change_reason``)."""
    return _or_reason(figures.get("share_change_pts"), figures.get("share_change_reason"),
                      "figure.share.", lambda v: fmt.points(v, language, 1), language)


def margin_text(figures: Mapping[str, object], language: str) -> str:
    """The margin of the key figures ("20.0%"); "no sales" in a year without any."""
    margin = figures.get("margin_pct")
    if fmt.is_missing(margin) and _no_revenue(figures):
        return t("figure.growth.no_revenue", language)
    return fmt.per_cent(margin, language, 1)


def source_text(workbook: Path, language: str) -> str:
    """"Source: the workbook 'sales-2026'" (the demo named as such): where a report's
    figures come from, in a manager's words (the data, the formulas and the parameters behind
    each figure are in its section's method note)."""
    from kamkit.workbook import is_demo

    if is_demo(workbook):
        return t("report.source_demo", language)
    return t("report.source", language, source=workbook.name)


def _tile(label: str, value: str, status: object = None) -> str:
    value_look = html.look("tile-value", str(status)) if status else html.look("tile-value")
    return (f"<div {html.look('tile')}><div {html.look('tile-label')}>{html.text(label)}</div>"
            f"<div {value_look}>{html.text(value)}</div></div>")


def key_figure_tiles(figures: Mapping[str, object], language: str) -> str:
    """The key figures of ``kamkit.key_figures.account_key_figures`` as a row of tiles."""
    year = figures.get("year")
    status = figures.get("plan_status")
    shown = {
        "revenue": revenue_text(figures, language),
        "growth": growth_text(figures, language),
        "margin": margin_text(figures, language),
        "share": share_text(figures, language),
        "share_change": share_change_text(figures, language),
        "plan": plan_status_text(figures, language),
    }
    tiles = [_tile(t(f"batch.col.{key}", language, year=year), shown[key],
                   status if key == "plan" else None) for key in _FIGURES]
    return f"<div {html.look('tiles')}>{''.join(tiles)}</div>"


def account_card(account: AccountData, figures: Mapping[str, object] | None,
                 as_of: dt.date | None, language: str = "en") -> str:
    """An account's name, status, KAM and (when given) its key figures as of ``as_of``."""
    info = account.account
    sub = " · ".join(part for part in (
        info.account_id, t(f"status.{info.status}", language),
        f"KAM {_person(account.team, info.kam)}", info.sector or "") if part)
    body = (f"<h3 {html.look('card-title')}>{html.text(info.name)}</h3>"
            f"<p {html.look('sub')}>{html.text(sub)}</p>")
    if figures is not None and as_of is not None:
        note = t("wb.figures_as_of", language, as_of=fmt.date(as_of, language))
        body += f"<p {html.look('sub')}>{html.text(note)}</p>" + key_figure_tiles(figures,
                                                                                  language)
    return f"<div {html.look('card')}>{body}</div>"


def swot_html(swot: Swot, language: str = "en") -> str:
    """A SWOT as a 2x2 grid, items with their ids."""
    quadrants = {t(f"swot.{name}", language): [(item.id, item.text)
                                                for item in getattr(swot, name)]
                 for name in ("strengths", "weaknesses", "opportunities", "threats")}
    return html.swot_grid(quadrants)


def _tows_cell(code: str, confronted: pd.DataFrame, based_on: Mapping[str, tuple[str, ...]],
               points: pd.DataFrame, language: str) -> str:
    """One quadrant of the confrontation (SO, ST, WO or WT): its strategy, then each
    conclusion placed there with the points it rests on there and the objectives it led to."""
    sides = {"S": "strength", "W": "weakness", "O": "opportunity", "T": "threat"}
    shown_quadrants = {sides[code[0]], sides[code[1]]}

    def point(item: str) -> str:
        row = points.loc[item]
        whose = f" ({t('tows.account_point', language)})" if row.swot == "account" else ""
        return f"<div {html.look('point')}>{html.tag(item)} {html.text(row.text + whose)}</div>"

    entries = []
    for row in confronted.itertuples():
        if code not in row.tows.split(", "):
            continue
        context = row.context.split(", ")
        shown = [i for i in based_on[row.conclusion_id] if i in points.index
                 and (points.loc[i, "quadrant"] in shown_quadrants or i in context)]
        led = (t("tows.objectives", language, ids=row.objectives) if row.objectives
               else t("tows.no_objective", language))
        entries.append(f"<div><strong>{html.text(row.conclusion_id)}</strong> "
                       f"{html.text(row.text)}{''.join(point(i) for i in shown)}"
                       f"<div {html.look('point')}>{html.text(led)}</div></div>")
    title = f"<div {html.look('point')}><em>{html.text(t(f'tows.{code}', language))}</em></div>"
    return title + ("".join(entries) or f"<div>{html.text(t('tows.none', language))}</div>")


def confrontation_html(document: AccountDocument | None, language: str = "en") -> str:
    """The confrontation of the SWOTs as a 2x2 table (our strengths and weaknesses down, the
    opportunities and threats across), each conclusion in its quadrant with the text of the
    points it rests on and the objectives it led to; below it, the conclusions that cannot
    be placed, with what they rest on. "" without conclusions."""
    confronted = confrontation(document)
    if document is None or confronted.empty:
        return ""
    based_on = {c.id: c.based_on for c in document.analysis.conclusions}
    points = swot_items(document).drop_duplicates("id").set_index("id")
    cells = {code: _tows_cell(code, confronted, based_on, points, language)
             for code in ("SO", "ST", "WO", "WT")}
    matrix = html.matrix(t("tows.corner", language),
                         [t("swot.opportunities", language), t("swot.threats", language)],
                         {t("tows.strengths", language): [cells["SO"], cells["ST"]],
                          t("tows.weaknesses", language): [cells["WO"], cells["WT"]]})
    unplaced = confronted[confronted["tows"] == ""]
    if unplaced.empty:
        return matrix
    return matrix + html.table(
        unplaced.assign(based_on=[", ".join(based_on[c]) for c in unplaced["conclusion_id"]]),
        [html.Column("conclusion_id", "ID"), html.Column("text", t("word.conclusion", language)),
         html.Column("based_on", t("word.based_on", language))])


def _records_table(records: Sequence[Mapping[str, object]], headers: Mapping[str, str]) -> str:
    return html.table(pd.DataFrame(list(records), columns=list(headers)), html.columns(headers))


def objectives_html(objectives: Sequence[Objective], language: str = "en") -> str:
    """Objectives as a table: id, title, metric, target, deadline, owner."""
    return _records_table(
        [{"id": o.id, "title": o.title,
          "metric": (choice_word(o.metric, "objectives.metric", language) if o.metric
                     else choice_word(o.kind, "objectives.kind", language)),
          "target": "" if o.target is None else fmt.number(o.target, language, 2).rstrip("0")
          .rstrip(",."), "deadline": fmt.date(o.deadline, language) if o.deadline else "",
          "owner": o.owner or ""} for o in objectives],
        {"id": "ID", "title": t("word.objective", language), "metric": t("word.metric", language),
         "target": t("word.target", language), "deadline": t("word.deadline", language),
         "owner": t("word.owner", language)})


def actions_html(actions: Sequence[Action], language: str = "en") -> str:
    """Actions as a table: id, what, owner, due date, status, objective."""
    return _records_table(
        [{"id": a.id, "what": a.what, "owner": a.owner or "",
          "due": fmt.date(a.due, language),
          "status": choice_word(a.status, "actions.status", language),
          "objective": a.objective or ""} for a in actions],
        {"id": "ID", "what": t("word.action", language), "owner": t("word.owner", language),
         "due": t("word.due", language), "status": t("word.status", language),
         "objective": t("word.objective", language)})


def document_html(document: AccountDocument, language: str = "en") -> str:
    """An account document: vision, both SWOTs and their confrontation, objectives and
    actions."""
    parts = [html.heading(f"{document.account_id}", 3)]
    analysis = document.analysis
    if analysis.vision:
        parts.append(html.paragraph(analysis.vision, t("find.a1.vision", language)))
    for key, swot in (("a3", analysis.swot_account), ("a9", analysis.swot_ours)):
        if swot.items():
            parts += [html.heading(t(f"section.{key}", language), 4), swot_html(swot, language)]
    if analysis.conclusions:
        parts += [html.heading(t("section.conclusions", language), 4),
                  confrontation_html(document, language)]
    if document.plan is not None:
        if document.plan.objectives:
            parts += [html.heading(t("section.p2", language), 4),
                      objectives_html(document.plan.objectives, language)]
        if document.plan.actions:
            parts += [html.heading(t("section.p4", language), 4),
                      actions_html(document.plan.actions, language)]
    return "".join(parts)


def workbook_html(workbook: Workbook, language: str = "en") -> str:
    """A workbook: where it is read from, its accounts by status, its warnings."""
    accounts = workbook.accounts
    counts = accounts["status"].value_counts()
    statuses = ", ".join(counted(s, int(counts.get(s, 0)), language)
                         for s in ("key_account", "prospect", "other"))
    names = dict(zip(workbook.team["person_id"], workbook.team["name"], strict=True))
    rows = accounts.assign(document=[("✓" if a in workbook.documents else "")
                                     for a in accounts["account_id"]],
                           status=[t(f"status.{s}", language) for s in accounts["status"]],
                           # as `kamkit accounts` shows the KAM: P03 (Sanne de Vries)
                           kam=[f"{k} ({fmt.name(names.get(k), language)})" if k else ""
                                for k in accounts["kam"].fillna("")])
    table = html.table(rows, html.columns({
        "account_id": "ID", "name": t("batch.col.account", language),
        "status": t("word.status", language), "kam": "KAM",
        "document": t("wb.document", language)}))
    from kamkit.workbook import is_demo  # (workbook -> display: imported when used)

    demo = is_demo(workbook.path)
    title = (t("wb.demo_workbook", language) if demo
             else t("wb.workbook", language, name=workbook.path.name))
    summary = t("wb.workbook_summary", language,
                accounts=counted("accounts", len(accounts), language), statuses=statuses,
                sales=counted("sales_rows", len(workbook.sales), language),
                warnings=counted("warnings", len(workbook.problems), language))
    return (f"<div {html.look('card')}><h3 {html.look('card-title')}>{html.text(title)}</h3>"
            f"<p {html.look('sub')}>{html.text(summary)}</p>{table}</div>")
