"""The portfolio report for management: totals and trends, the portfolio matrix, the accounts
that need attention first and why, plan status across accounts, prospects ranked, every
account with links to its reports, and what changed since the previous quarter's snapshot.
With a KAM given it is that KAM's page: their accounts and their actions across accounts by
horizon. The notebook ``portfolio.ipynb`` only calls ``show``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import pandas as pd

from kamkit import analysis as an
from kamkit import formatting as fmt
from kamkit import portfolio as pf
from kamkit.batch.layout import NOT_MADE, previous_quarter
from kamkit.charts.portfolio import portfolio_matrix_chart
from kamkit.charts.render import use_charts
from kamkit.currency import in_currency
from kamkit.display import (
    growth_text,
    plan_status_text,
    revenue_text,
    share_change_text,
    share_text,
    source_text,
    yearly_growth_texts,
)
from kamkit.errors import KamkitError
from kamkit.findings import portfolio as findings
from kamkit.labels import check_language, counted
from kamkit.periods import quarter_of
from kamkit.report import html
from kamkit.report import portfolio_data as data
from kamkit.report.base import Section, SectionedReport
from kamkit.report.summary import TOC_SLOT, anchor
from kamkit.workbook import Workbook, load_workbook_cached

SECTIONS = ("pf_totals", "pf_attention", "pf_matrix", "pf_accounts", "pf_plans",
            "pf_prospects", "pf_actions", "pf_changes")
"""The portfolio report's sections; ``pf_actions`` only on a KAM's page."""

NUM = ' class="num"'
"""The class of a column of figures in the accounts table (right-aligned, sorted as numbers)."""


def known(record: dict[str, object]) -> dict[str, object]:
    """A row with None where a frame holds NA or NaN."""
    return {k: None if not isinstance(v, str) and pd.isna(v) else v
            for k, v in record.items()}


def _why(shown: str, value: object) -> str:
    """A figure's text as a cell shows it: a figure not known says why as a note, which
    wraps (a figure stays on one line)."""
    return f"<small>{html.text(shown)}</small>" if fmt.is_missing(value) else html.text(shown)


@dataclass(frozen=True)
class PortfolioReport(SectionedReport):
    """The portfolio of a workbook (or of one KAM) as of one date."""

    SECTIONS = SECTIONS

    workbook: Workbook
    as_of: dt.date
    language: str
    kam: str | None = None
    snapshots: Path | None = None  # the folder of quarter folders holding snapshots
    size: str = "revenue"
    # id -> label -> href of its reports; the href NOT_MADE: the report could not be made
    links: dict[str, dict[str, str]] = field(default_factory=dict)
    _built: dict[str, Section] = field(default_factory=dict, init=False, repr=False,
                                       compare=False)
    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False,
                                   compare=False)

    @classmethod
    def build(cls, workbook: str | Path | Workbook | None, as_of: str | dt.date | None,
              language: str = "en", kam: str | None = None,
              snapshots: str | Path | None = None, charts: str = "svg",
              size: str = "revenue") -> Self:
        """Load the workbook (default: the bundled demo) for the portfolio as of a date or
        quarter; ``kam`` a person id of team.csv for that KAM's page; ``snapshots`` the
        folder holding the quarter folders (``<quarter>/snapshot.json``) that ``kamkit
        run`` writes; ``size`` "revenue" or "wallet" for the matrix."""
        check_language(language)
        use_charts(charts)
        book = workbook if isinstance(workbook, Workbook) else load_workbook_cached(workbook)
        if kam and kam not in set(book.team["person_id"]):
            raise KamkitError(f"No KAM {kam!r} in team.csv; the people are "
                              f"{', '.join(map(str, book.team['person_id']))}.")
        return cls(book, an.parse_as_of(as_of), in_currency(language, book.currency),
                   kam or None, Path(snapshots) if snapshots else None, size)

    def with_links(self, links: dict[str, dict[str, str]]) -> PortfolioReport:
        """The same report linking each account to its reports (label -> href), and saying
        which could not be made (href ``NOT_MADE``)."""
        return PortfolioReport(self.workbook, self.as_of, self.language, self.kam,
                               self.snapshots, self.size, links)

    # ------------------------------------------------------------------ data
    def _once(self, key: str, make: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    @property
    def quarter(self) -> str:
        return quarter_of(self.as_of)

    @property
    def account_ids(self) -> list[str]:
        return self._once("ids", lambda: data.portfolio_ids(self.workbook, self.kam))

    @property
    def table(self) -> pd.DataFrame:
        """Every account of the page with its figures, place, health and plan."""
        return self._once("table", lambda: data.portfolio_table(self.workbook, self.as_of,
                                                                self.account_ids))

    @property
    def previous(self) -> dict | None:
        """The previous quarter's snapshot as reported then; None when there is none."""
        return self._once("previous", lambda: data.previous_snapshot(self.snapshots,
                                                                      self.as_of))

    @property
    def changes(self) -> pd.DataFrame | None:
        """What changed per account since the previous snapshot; None without one."""
        def compare() -> pd.DataFrame | None:
            if self.previous is None:
                return None
            current = data.current_snapshot(self.snapshots, self.workbook, self.as_of)
            return data.changes_since(self.previous, current, self.account_ids)
        return self._once("changes", compare)

    def _health_changes(self) -> dict[str, float]:
        changes = self.changes
        if changes is None:
            return {}
        rows = changes[(changes["change"] == "health").to_numpy()].dropna(subset=["delta"])
        return dict(zip(rows["account_id"].astype(str), rows["delta"].astype(float),
                        strict=True))

    # ------------------------------------------------------------------ header
    def _kam_name(self) -> str:
        team = self.workbook.team.set_index("person_id")["name"]
        return fmt.name(team.get(self.kam, self.kam), self.language)

    def header_html(self) -> str:
        """Title, subtitle and source; an HTML report puts its contents below them."""
        title = (self._t("report.portfolio.kam_title", quarter=self.quarter,
                         kam=self._kam_name()) if self.kam
                 else self._t("report.portfolio.title", quarter=self.quarter))
        subtitle = self._t("report.portfolio.subtitle", as_of=self._date(self.as_of),
                           accounts=counted("accounts", len(self.account_ids), self.language))
        return (html.heading(title, 1) + f"<p>{html.text(subtitle)}</p>"
                + self._not_made_html() + "<p><small>"
                + html.text(source_text(self.workbook.path, self.language))
                + "</small></p>" + TOC_SLOT)

    def _not_made_html(self) -> str:
        """A line per report that could not be made, first thing under the title: a
        manager sees what is missing; why is for sales operations (the run's log)."""
        names = {**self.workbook.accounts.set_index("account_id")["name"].to_dict(),
                 **{k: left.account.name for k, left in self.workbook.left_out.items()}}
        lines = [html.text(self._t("report.portfolio.not_made", report=label,
                                   account=f"{names.get(account_id, account_id)} ({account_id})"))
                 for account_id, links in self.links.items()
                 for label, href in links.items() if href == NOT_MADE]
        # the figures below are without them; what there is to read of them (the last good
        # reports of an earlier run, say) is linked here: they have no row below
        lines += [html.text(self._t("report.portfolio.left_out", account=f"{names[k]} ({k})"))
                  + self._links_html(k, " ", made_only=True)
                  for k in self.workbook.left_out]
        if not lines:
            return ""
        items = "".join(f"<li>{line}</li>" for line in lines)
        return (f'<div {html.look("missing")}><ul style="margin:0">{items}</ul>'
                f"{html.text(self._t('report.portfolio.not_made_why'))}</div>")

    def show_header(self) -> None:
        from IPython.display import HTML, display

        display(HTML(self.header_html()))

    # ------------------------------------------------------------------ sections
    def _pf_totals(self) -> Section:
        revenue = data.revenue_by_year(self.workbook, self.as_of, [
            a for a, s in zip(self.table["account_id"], self.table["status"], strict=True)
            if s == "key_account"])
        running = revenue["year"] > self.full_year
        shown = revenue.assign(year=[f"{y} ({self._t('word.to_date', date=self._date(self.as_of))})"
                                     if r else str(y) for y, r in zip(revenue["year"], running,
                                                                      strict=True)],
                               growth_pct=yearly_growth_texts(revenue, self.full_year,
                                                              self.language))
        return self._section(
            "pf_totals", findings.totals(self.table, revenue, self.full_year, self.language),
            html.table(shown, [self._column("year", "word.year"),
                               self._column("revenue", "word.revenue", self._money),
                               self._column("gross_margin", "word.gross_margin", self._money),
                               self._column("growth_pct", "word.growth", str)],
                       caption=self._t("report.pf_totals_caption")))

    def _method_values(self) -> dict[str, object]:
        return {"size": self._t(f"size.{self.size}")}

    def placements(self) -> pd.DataFrame:
        """The table with last quarter's place in the matrix, as reported then: what the
        matrix chart draws."""
        return self._once("placements", lambda: data.placements(self.table, self.previous))

    def _pf_matrix(self) -> Section:
        placed = self.placements()
        counts = placed["quadrant"].value_counts()
        sentences = [self._t("find.pf.quadrant", quadrant=self._t(f"quadrant.{q}"),
                             count=int(counts.get(q, 0)),
                             names=", ".join(placed.loc[placed["quadrant"] == q, "account_id"]))
                     for q in pf.QUADRANTS if counts.get(q, 0)]
        unplaced = placed[placed["quadrant"].isna().to_numpy()]
        if len(unplaced):  # said, so an empty matrix is not read as an empty portfolio
            sentences.append(self._t("find.pf.not_placed", count=len(unplaced),
                                     names=", ".join(self._why_not_placed(unplaced)),
                                     needed=fmt.per_cent(pf.MIN_KNOWN_WEIGHT_PCT, self.language)))
        return self._section(
            "pf_matrix", sentences,
            portfolio_matrix_chart(placed, self.language, self.size, pf.THRESHOLD),
            html.table(self._translated(placed, quadrant="quadrant.").assign(
                attractiveness=self.scores(placed, "attractiveness"),
                position=self.scores(placed, "position"),
                # the figure (its unit in the header), or why there is none
                revenue=[revenue_text({"revenue": v}, self.language) if fmt.is_missing(v)
                         else self._money(v) for v in placed["revenue"]]),
                [self._column("name", "batch.col.account"),
                 self._column("quadrant", "word.quadrant"),
                 self._column("attractiveness", "word.attractiveness"),
                 self._column("position", "word.position"),
                 self._column("revenue", "word.revenue", str),
                 self._column("wallet", "word.spend", self._money)]))

    def _why_not_placed(self, unplaced: pd.DataFrame) -> list[str]:
        """Each account not placed with how much of each unscored axis's weight is known."""
        return [self._t("pf.not_placed.account", name=row["account_id"], axes="; ".join(
            self._t("pf.not_placed.axis", axis=self._t(f"word.{axis}").lower(),
                    known=fmt.per_cent(0.0 if pd.isna(row[f"{axis}_known_pct"])
                                       else row[f"{axis}_known_pct"], self.language))
            for axis in pf.MATRIX_AXES if pd.isna(row[axis])))
            for row in unplaced.to_dict("records")]

    def _score(self, value: object) -> str:
        """A score (0-10) as a table writes it: a whole number."""
        return fmt.number(value, self.language)

    def scores(self, placed: pd.DataFrame, axis: str) -> list[str]:
        """An axis's scores; one a KAM set says so, with the score computed beside it; one
        not given says how little is known."""
        return [self._t("word.override", score=fmt.number(v, self.language),
                        computed=fmt.number(c, self.language)) if o is True
                else self._t("health.too_little", known=fmt.per_cent(k, self.language))
                if pd.isna(v) and pd.notna(k) else fmt.number(v, self.language)
                for v, c, o, k in zip(placed[axis], placed[f"{axis}_computed"],
                                      placed[f"{axis}_override"], placed[f"{axis}_known_pct"],
                                      strict=True)]

    def attention(self) -> list[findings.Flagged]:
        """The key accounts that need attention first, and why (``findings.flagged``)."""
        return self._once("attention", lambda: findings.flagged(
            self.table, self._health_changes(), self.language))

    def _pf_attention(self) -> Section:
        listed = self.attention()
        if not listed:
            # no key accounts at all is nothing watched, not nothing wrong
            keys = (self.table["status"] == "key_account").any()
            return self._section("pf_attention", [self._t(
                "find.pf.no_attention" if keys else "find.pf.no_key_accounts")])
        items = "".join(f"<li>{html.text(findings.attention_sentence(account, self.language))}"
                        f"{self._links_html(account.account_id)}</li>" for account in listed)
        return self._section("pf_attention",
                             [self._t("find.pf.attention_count", count=len(listed))],
                             f'<ol class="kk-attention">{items}</ol>')

    def _links_html(self, account_id: str, before: str = " ", made_only: bool = False) -> str:
        """Links to the account's reports, after ``before``; nothing without reports.
        ``made_only``: without the reports that could not be made."""
        links = {label: href for label, href in self.links.get(account_id, {}).items()
                 if href != NOT_MADE or not made_only}
        if not links:
            return ""
        return before + " · ".join(
            f'<a href="{html.text(href)}">{html.text(label)}</a>' if href != NOT_MADE
            else html.text(f"{label}: {self._t('word.not_made')}")
            for label, href in links.items())

    def _health_text(self, row: dict[str, object]) -> str:
        """An account's health as the table shows it: not known with the reason where too
        little is known for a score."""
        shown = html.text(fmt.number(row["health"], self.language))
        known = row.get("health_known_pct")
        if row["health"] is not None or known is None:
            return shown
        why = self._t("health.too_little", known=fmt.per_cent(known, self.language))
        return f"{shown}<br><small>{html.text(why)}</small>"

    def _pf_accounts(self) -> Section:
        """Every account in one table whose headings sort it (in a report page, by the
        script ``kamkit/report/sortable.js``), each linked to its reports."""
        table = self.table
        lang = self.language
        year = self.full_year

        def cell(shown: str, value: object = None, numeric: bool = False,
                 wrap: bool = False) -> str:
            present = value is not None and not (not isinstance(value, str) and pd.isna(value))
            sort = f' data-value="{html.text(value)}"' if present else ' data-value=""'
            kind = ' class="num kk-wrap"' if wrap else NUM if numeric else ""
            return f"<td{kind}{sort}>{shown}</td>"

        columns = [("account", False), ("kam", False), ("quadrant", False), ("health", True),
                   ("revenue", True), ("growth", True), ("share", True),
                   ("share_change", True), ("plan", True), ("overdue", True), ("open", True)]
        heads = {"account": self._t("batch.col.account"), "kam": self._t("word.kam"),
                 "quadrant": self._t("word.quadrant"), "health": self._t("word.health_of_100"),
                 "revenue": self._t("batch.col.revenue", year=year),
                 "growth": self._t("batch.col.growth"),
                 "share": self._t("batch.col.share", year=year),
                 "share_change": self._t("batch.col.share_change"),
                 "plan": self._t("batch.col.plan"), "overdue": self._t("word.actions_overdue"),
                 "open": self._t("word.open_wallet")}
        head = "".join(f'<th{NUM if numeric else ""} scope="col">'
                       f"{html.text(heads[key])}</th>" for key, numeric in columns)
        rows = []
        for record in table.to_dict("records"):
            r = known(record)
            account_id = str(r["account_id"])
            quadrant = self._t(f"quadrant.short.{r['quadrant']}") if r["quadrant"] else ""
            status = self._t(f"status.{r['status']}")
            made = [href for href in self.links.get(account_id, {}).values()
                    if href != NOT_MADE]
            name = html.text(r["name"])
            if made:
                name = f'<a href="{html.text(made[0])}">{name}</a>'
            cells = [
                cell(f"{name}<br><small>{html.text(account_id)} · {html.text(status)}"
                     f"{self._links_html(account_id, ' · ')}</small>", r["name"]),
                cell(html.text(fmt.name(r["kam_name"], lang)), r["kam_name"]),
                cell(html.text(quadrant), quadrant),
                cell(self._health_text(r), r["health"], True),
                cell(html.text(revenue_text(r, lang, short=True)), r["revenue"], True),
                cell(html.text(growth_text(r, lang)), r["revenue_growth_pct"], True),
                cell(_why(share_text(r, lang), r["share"]), r["share"], True),
                cell(_why(share_change_text(r, lang), r["share_change_pts"]),
                     r["share_change_pts"], True),
                cell(html.text(plan_status_text(r, lang)), r["plan_achievement_pct"], True,
                     wrap=True),
                cell(html.text(str(r["actions_overdue"])), r["actions_overdue"], True),
                cell(html.text(fmt.amount_short(r["open_wallet"], lang)),
                     r["open_wallet"], True),
            ]
            rows.append(f'<tr id="{html.text(anchor("account-" + account_id))}">'
                        f"{''.join(cells)}</tr>")
        return self._section(
            "pf_accounts", [self._t("find.pf.accounts")],
            f'<table class="kk-table kk-sortable" style="{html.LOOK["table"]}"><thead><tr>{head}'
            "</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")

    def _pf_plans(self) -> Section:
        table = self.table
        with_plan = table[(table["objectives"] + table["actions_open"]) > 0]
        shown = with_plan.assign(
            plan=[plan_status_text(known(r), self.language)
                  for r in with_plan.to_dict("records")],
            objectives=[f"{int(o)}/{int(n)}" for o, n in
                        zip(with_plan["objectives_on_track"], with_plan["objectives"],
                            strict=True)])
        return self._section(
            "pf_plans", findings.plans(table, self.language),
            html.table(shown, [self._column("name", "batch.col.account"),
                               self._column("kam_name", "word.kam"),
                               self._column("plan", "batch.col.plan"),
                               self._column("objectives", "word.objectives_on_track"),
                               self._column("actions_overdue", "word.actions_overdue")])
            if not shown.empty else None)

    def _pf_prospects(self) -> Section:
        ranked = pf.prospects(self.workbook, self.as_of)
        if self.kam:
            ranked = ranked[(ranked["kam"] == self.kam).to_numpy()]
        return self._section(
            "pf_prospects", findings.prospects(ranked, self.language),
            html.table(ranked, [self._column("rank", "word.rank"),
                                self._column("name", "batch.col.account"),
                                self._column("attractiveness", "word.attractiveness",
                                             self._score),
                                self._column("position", "word.position", self._score),
                                self._column("open_wallet", "word.open_wallet_amount",
                                             self._money)])
            if not ranked.empty else None)

    def _pf_actions(self) -> Section:
        if not self.kam:
            return self._section("pf_actions", [])
        actions = data.actions_across(self.workbook, self.as_of, self.account_ids)
        counts = actions["horizon"].value_counts()
        sentence = self._t("find.pf.kam_actions", count=len(actions),
                           accounts=counted("accounts", actions["account_id"].nunique(),
                                            self.language),
                           overdue=int(counts.get("overdue", 0)),
                           weeks=int(counts.get("next 3 weeks", 0)))
        shown = self._translated(actions, horizon="horizon.", status="action.").assign(
            due=fmt.dates(actions["due"], self.language))
        return self._section(
            "pf_actions", [sentence],
            html.table(shown, [self._column("horizon", "word.horizon"),
                               self._column("name", "batch.col.account"), html.Column("id", "ID"),
                               self._column("what", "word.action"),
                               self._column("owner_name", "word.owner"),
                               self._column("due", "word.due"),
                               self._column("status", "word.status")])
            if not actions.empty else None)

    def _pf_changes(self) -> Section:
        before = previous_quarter(self.quarter)
        if self.snapshots is None:
            return self._section("pf_changes", [self._t("report.portfolio.no_folder")])
        if self.previous is None:
            return self._section("pf_changes", [self._t(
                "report.portfolio.no_snapshot", quarter=before)])
        changes = self.changes
        assert changes is not None
        names = dict(zip(self.table["account_id"], self.table["name"], strict=True))
        rows = []
        for account_id, own in changes.groupby("account_id", sort=False):
            said = findings.account_changes(own, self.language)
            if said:
                rows.append({"name": names.get(str(account_id), account_id),
                             "changes": "; ".join(said)})
        goalposts = int(changes["change"].isin(findings.GOALPOSTS).sum())
        if not rows:
            return self._section("pf_changes", [self._t("find.pf.changes_none",
                                                        quarter=before)])
        return self._section(
            "pf_changes", [self._t("find.pf.changes_count", quarter=before,
                                   accounts=counted("accounts", len(rows), self.language),
                                   goalposts=goalposts)],
            html.table(pd.DataFrame(rows), [self._column("name", "batch.col.account"),
                                            self._column("changes", "word.changes")]))

    def sections(self) -> tuple[str, ...]:
        """The sections of this page, in order: a KAM's page adds their actions."""
        return tuple(k for k in self.SECTIONS if k != "pf_actions" or self.kam)

    def show(self, key: str) -> None:
        """Display section ``key``; a section this page has not (a KAM's actions on the
        whole portfolio's page) shows nothing."""
        if key in self.sections():
            super().show(key)

    def show_all(self) -> None:
        """Every section of the page, in order."""
        for key in self.sections():
            self.show(key)


__all__ = ["SECTIONS", "PortfolioReport", "anchor"]
