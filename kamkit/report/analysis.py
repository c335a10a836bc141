"""The account analysis report: one section per part of the method (A1-A9 and whitespace),
each with its findings, charts and tables. The notebook only calls ``show``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

import pandas as pd

from kamkit import analysis as an
from kamkit import formatting as fmt
from kamkit.charts import analysis as charts
from kamkit.charts.colours import holder_names, holder_rank
from kamkit.display import confrontation_html, yearly_growth_texts
from kamkit.findings import analysis as findings
from kamkit.labels import counted, holder_label, words
from kamkit.portfolio.assess import MISSING_WORST
from kamkit.portfolio.health import MIN_KNOWN_WEIGHT_PCT
from kamkit.report import html
from kamkit.report.base import Report, Section, names
from kamkit.report.summary import Figure
from kamkit.units import measured

STALE_DAYS = 90
QUIET_ROWS = 25
"""The quiet relationships A8 lists, longest quiet first; the rest are counted (an account
of thousands of contacts would otherwise list them all)."""
"""A relationship not touched for longer than this many days is flagged (A8)."""

SECTIONS = ("a1", "a2", "a3", "a4", "a5", "a6", "a7", "whitespace", "a8", "a9", "conclusions",
            "health")
"""The report's sections, in the method's order."""


@dataclass(frozen=True)
class AnalysisReport(Report):
    """Everything the analysis notebook shows for one account as of one date."""

    SECTIONS = SECTIONS
    TITLE = "report.analysis.title"
    SUMMARY = (("a4", 0), ("a6", 0), ("a7", 0), ("health", 1), ("whitespace", 1), ("a2", 1),
               ("a8", 1), ("a4", 2), ("whitespace", 0), ("a6", 1), ("a7", 2), ("a5", 0),
               ("a8", 0))

    SINCE: ClassVar[dict[str, str]] = {
        "health": "health revenue_12m share attractiveness position quadrant"}

    def _summary_figures(self) -> list[Figure | None]:
        return [self._revenue_figure(), self._share_figure(), self._health_figure(),
                self._plan_figure()]

    def _method_values(self) -> dict[str, object]:
        return {**super()._method_values(), "days": counted("days", STALE_DAYS, self.language)}

    @staticmethod
    def _present_locations(ws: pd.DataFrame) -> pd.DataFrame:
        """The whitespace rows of locations where the account buys anything at all: a
        location without spend or sales of ours is no room to sell, only an empty row."""
        active = ws.groupby("location")[["spend", "our_revenue"]].sum(min_count=1)
        present = active.index[(active.fillna(0) > 0).any(axis=1)]
        return ws[ws["location"].isin(present)]

    def _mixed(self, totals: pd.DataFrame) -> pd.DataFrame:
        """Totals of several estimates with their confidence as the share of spend each
        confidence carries ("82% high, 18% low"), not the lowest of them."""
        return totals.assign(confidence=[findings.confidence_mix(row, self.language)
                                         for row in totals.itertuples()])

    # ------------------------------------------------------------------ sections
    def _a1(self) -> Section:
        doc = self.account.document
        analysis = doc.analysis if doc else None
        parts = [(self._t("find.a1.vision"), analysis.vision if analysis else ""),
                 (self._t("find.a1.strategy"), analysis.strategy if analysis else "")]
        blocks = [html.paragraph(text, label) for label, text in parts if text]
        if not blocks:
            return self._nothing("a1", [], "how.document")
        return self._section("a1", [self._t("find.a1.recorded")], *blocks)

    def _a2(self) -> Section:
        org = an.org_chart(self.account, self.min_strength)
        if org.empty:
            return self._nothing("a2", findings.organisation(org, org, self.language,
                                                             self.min_strength), "how.contacts")
        uncovered = an.uncovered_key_contacts(self.account, self.min_strength)
        drawn = an.org_chart_top(org)  # a tree of thousands is unreadable: the top of it
        nodes = []
        for row in drawn.itertuples():
            role = self._t(f"role.{row.buying_role}")
            influence = self._t(f"influence.{row.influence}")
            attitude = self._t(f"attitude.{row.attitude}")
            flag = "" if row.covered else " " + html.alert("&#9888;")
            people = f" · {html.text(row.our_people)}" if row.our_people else ""
            tags = " ".join(html.tag(word) for word in (self._t("level." + row.level), role,
                                                         influence, attitude))
            nodes.append((int(row.depth),
                          f"<strong>{html.text(row.name)}</strong> ({html.text(row.title)}, "
                          f"{html.text(row.department)}) {tags}{people}{flag}"))
        doc = self.account.document
        notes = doc.analysis.organisation if doc else ""
        more = (html.paragraph(self._t("report.org_more", more=counted(
                    "contacts", len(org) - len(drawn), self.language)))
                if len(drawn) < len(org) else None)
        return self._section("a2", findings.organisation(org, uncovered, self.language,
                                                         self.min_strength),
                             html.tree(nodes), more, html.paragraph(notes) if notes else None)

    def _swot(self, key: str, which: Literal["account", "ours"]) -> Section:
        table = an.swot_table(self.account.document, which)
        if table.empty:
            return self._nothing(key, findings.swot(table, self.language), "how.document")
        quadrants = {}
        for quadrant, label in zip(an.QUADRANTS, ("swot.strengths", "swot.weaknesses",
                                                  "swot.opportunities", "swot.threats"),
                                   strict=True):
            rows = table[table.quadrant == quadrant]
            quadrants[self._t(label)] = list(zip(rows.id, rows.text, strict=True))
        return self._section(key, findings.swot(table, self.language), html.swot_grid(quadrants))

    def _a3(self) -> Section:
        return self._swot("a3", "account")

    def _a9(self) -> Section:
        return self._swot("a9", "ours")

    def _year_label(self, year: int, running: bool, partial: bool, months: int) -> str:
        """A year as the A4 table shows it: the running one to date, a year the workbook's
        sales cover only partly (the first of the history) with its months."""
        if running:
            return f"{year} ({self._t('word.to_date', date=self._date(self.as_of))})"
        if partial:
            counted_months = counted("months", int(months), self.language)
            return f"{year} ({self._t('word.partial_year', months=counted_months)})"
        return str(year)

    def _a4(self) -> Section:
        revenue = an.revenue_by_year(self.account)
        events = an.timeline(self.account)
        sentences = findings.history(revenue, events, self.full_year, self.language,
                                     (self.account.sales_months or (None,))[0])
        scores = an.satisfaction(self.account)
        complaints = an.complaints(self.account, self.as_of)
        voice = (findings.voice(scores, complaints, self.language)
                 if not self.account.feedback.empty else [])
        if revenue.empty and events.empty:
            return self._section("a4", [*sentences, *voice],
                                 self._missing("section.a4", "how.sales"),
                                 *self._voice_blocks(scores, complaints))
        running = revenue["year"] > self.full_year
        shown = revenue.assign(
            year=[self._year_label(*row) for row in zip(
                revenue["year"], running, revenue["partial"], revenue["months_covered"],
                strict=True)],
            growth_pct=yearly_growth_texts(revenue, self.full_year, self.language))
        by_year = [self._column("year", "word.year", kind="date"),
                   self._column("revenue", "word.revenue", self._money),
                   self._column("gross_margin", "word.gross_margin", self._money),
                   self._column("margin_pct", "word.margin_pct", self._per_cent),
                   self._column("growth_pct", "word.growth", str, "num")]
        history = [self._column("date", "word.date", self._date, "date"),
                   self._column("type", "word.type"),
                   self._column("description", "word.description"),
                   # a meeting has no amount: nothing to know, so nothing shown (not n/a)
                   self._column("amount", "word.amount",
                                lambda v: "" if pd.isna(v) else self._money(v))]
        table = html.table(shown, by_year)
        timeline = (html.table(self._translated(events, type="event."), history)
                    if not events.empty else None)
        return self._section("a4", [*sentences, *voice],
                             charts.revenue_history_chart(revenue, events, self.language),
                             table, timeline, *self._voice_blocks(scores, complaints))

    def _voice_blocks(self, scores: pd.DataFrame,
                      complaints: pd.DataFrame) -> tuple[object, object]:
        """A4's customer's voice: satisfaction over time with the complaints, and the
        complaints with their status."""
        spec = [self._column("date", "word.date", self._date, "date"),
                self._column("service_name", "word.service"),
                self._column("description", "word.description"),
                self._column("status", "word.status"),
                self._column("closed", "word.closed", self._date, "date"),
                self._column("days", "word.days_open")]
        table = (html.table(self._translated(complaints, status="complaint."), spec)
                 if not complaints.empty else None)
        return charts.satisfaction_chart(scores, complaints, self.language), table

    def _a5(self) -> Section:
        total = self._full_years(an.total_spend(self.account, by=("year",)))
        if total.empty:
            return self._nothing("a5", [], "how.spend")
        by_service = self._full_years(an.total_spend(self.account, by=("year", "service")))
        by_location = an.total_spend(self.account, by=("year", "location"))
        last = by_location[by_location.year == self.full_year]
        spend = [self._column("spend", "word.spend", self._money),
                 self._column("confidence", "word.confidence_mix")]
        return self._section(
            "a5", findings.spend(total, self.full_year, self.language),
            charts.spend_chart(by_service, self.account.services, self.language),
            html.table(self._mixed(total), [self._column("year", "word.year"), *spend]),
            html.table(self._mixed(names(last, self.account)),
                       [self._column("location", "word.location"), *spend],
                       self._in_year("caption.spend_by_location"))
            if not last.empty else None)

    def _a6(self) -> Section:
        sow = self._full_years(an.share_of_wallet(self.account, by=("year",)))
        if sow.dropna(subset=["spend"]).empty:
            return self._nothing("a6", findings.share_of_wallet(sow, sow, 0, self.language),
                                 "how.spend")
        shared = sow.dropna(subset=["share"])["year"]
        last = int(shared.max()) if not shared.empty else self.full_year
        moves = names(an.share_moves(self.account, last - 1, last), self.account)
        sentences = findings.share_of_wallet(sow, moves, self.full_year, self.language)
        by_service = names(an.share_of_wallet(self.account, by=("year", "service")),
                            self.account)
        last = by_service[by_service.year == self.full_year]
        chart = (charts.share_of_wallet_chart(sow, self.language)
                 if (sow["our_revenue"].fillna(0) > 0).any()
                 else html.missing(self._t("report.nothing_yet.a6")))
        wallet = [self._column("our_revenue", "word.revenue", self._money),
                  self._column("spend", "word.spend", self._money),
                  self._column("share", "word.share", self._share),
                  self._column("confidence", "word.confidence_mix")]
        return self._section(
            "a6", sentences, chart,
            html.table(self._mixed(sow), [self._column("year", "word.year"), *wallet]),
            html.table(self._mixed(last), [self._column("service", "word.service"), *wallet],
                       self._in_year("caption.sow_by_service")) if not last.empty else None)

    def _a7(self) -> Section:
        years = sorted(int(y) for y in self.account.spend["year"].dropna().unique()
                       if y <= self.full_year)
        if len(years) < 1:
            return self._nothing("a7", [], "how.spend")
        start = years[-3] if len(years) >= 3 else years[0]
        competitors = self.account.competitors
        overall = an.share_changes(self.account, start, self.full_year)
        by_location = names(an.share_changes(self.account, start, self.full_year,
                                              by=("location",)), self.account)
        shares = self._full_years(an.holder_shares(self.account, by=("year",)))
        blocks: list[object] = [
            charts.holder_shares_chart(shares, competitors, self.language),
            self._shares_table(shares, "year", "chart.title.holder_shares"),
            charts.share_changes_chart(overall, competitors, self.language,
                                       years=(start, self.full_year))]
        for facet, table, title in (
                ("service", self.account.services, "chart.title.holder_shares_service"),
                ("location", self.account.locations, "chart.title.holder_shares_location")):
            faceted = self._full_years(an.holder_shares(self.account, by=("year", facet)))
            last = names(faceted[faceted["year"] == self.full_year], self.account)
            blocks += [charts.holder_shares_chart(faceted, competitors, self.language,
                                                  facet=facet, names=table),
                       self._shares_table(last, facet, title, self.full_year)]
        return self._section(
            "a7", findings.competitors(overall, by_location, start, self.full_year,
                                       self.language), *blocks)

    def _shares_table(self, shares: pd.DataFrame, across: str, title_key: str,
                      year: int | None = None) -> str | None:
        """Each holder's share (rows, in the charts' colour order) per value of ``across``
        (columns): the figures of a stacked chart, small segments included, which the
        chart labels only where there is room."""
        shown = shares[shares["share"].notna().to_numpy()]
        if shown.empty:
            return None
        holders = holder_names(shown, self.language)
        table = (shown.assign(holder_label=holders, across=[str(v) for v in shown[across]])
                 .pivot_table(index="holder_label", columns="across", values="share",
                              aggfunc="sum", sort=False)
                 # a column is a group with an estimate, so a holder absent from it holds
                 # nothing there: 0%, as "us" and "unknown" show, not a figure not known
                 .fillna(0.0))
        ranks = holder_rank(table.index, self.account.competitors, self.language)
        table = table.iloc[sorted(range(len(table)), key=lambda i: ranks[i])].reset_index()
        spec = [self._column("holder_label", "word.holder"),
                *(html.Column(column, column, self._share) for column in table.columns[1:])]
        caption = (self._in_year(title_key, year) if year is not None
                   else self._t(title_key))
        return html.table(table, spec, caption)

    def _whitespace(self) -> Section:
        ws = an.whitespace(self.account, self.full_year)
        if ws.spend.isna().all():
            return self._nothing("whitespace", [], "how.spend")
        open_cells = ws[ws.room.isin(["cross selling", "deep selling"])].sort_values(
            "open_spend", ascending=False)
        cells = [self._column("service_name", "word.service"),
                 self._column("location_name", "word.location"),
                 self._column("room", "word.room"),
                 self._column("main_holder_name", "word.holder"),
                 self._column("spend", "word.spend", self._money),
                 self._column("share", "word.share", self._share),
                 self._column("open_spend", "word.open", self._money),
                 self._column("confidence", "word.confidence")]
        return self._section(
            "whitespace", findings.whitespace(ws, self.full_year, self.language),
            charts.whitespace_chart(self._present_locations(ws), self.account.competitors,
                                    self.language),
            html.table(self._translated(open_cells, room="room.", confidence="word.").assign(
                main_holder_name=[holder_label(h, n, self.language) for h, n in
                                  zip(open_cells.main_holder, open_cells.main_holder_name,
                                      strict=True)]), cells,
                self._in_year("caption.open_cells")))

    def _a8(self) -> Section:
        coverage = an.coverage_by_level(self.account, self.min_strength)
        stale = an.stale_relationships(self.account, self.as_of, STALE_DAYS)
        sentences = findings.contacts(coverage, stale, STALE_DAYS, self.language,
                                      self.min_strength)
        if coverage.contacts.sum() == 0:
            return self._nothing("a8", sentences, "how.contacts")
        matrix = an.contact_matrix(self.account, self.as_of)
        uncovered = an.uncovered_key_contacts(self.account, self.min_strength)
        key_contacts = [self._column("name", "word.contact"),
                        self._column("title", "word.title"),
                        self._column("level", "word.level"),
                        self._column("buying_role", "word.role"),
                        self._column("influence", "word.influence"),
                        self._column("best_strength", "chart.strongest")]
        quiet = [self._column("person_name", "word.our_person"),
                 self._column("contact_name", "word.contact"),
                 self._column("strength", "word.strength"),
                 self._column("last_contact", "chart.last_contact", self._date, "date"),
                 self._column("days_since", "word.days_since")]
        return self._section(
            "a8", sentences,
            charts.contact_matrix_chart(matrix, an.org_chart(self.account, self.min_strength),
                                        self.language),
            charts.coverage_chart(coverage, self.language, self.min_strength),
            html.table(self._translated(uncovered, level="level.", buying_role="role.",
                                        influence="influence."), key_contacts)
            if not uncovered.empty else None,
            html.table(stale.head(QUIET_ROWS), quiet) if not stale.empty else None,
            html.paragraph(self._t("report.quiet_more", more=counted(
                "relationships", len(stale) - QUIET_ROWS, self.language)))
            if len(stale) > QUIET_ROWS else None)

    def _health(self) -> Section:
        """The health score taken apart: each component's value, weight, points and
        contribution, and its points last quarter when there is a snapshot."""
        health = self.health
        if health.empty:
            return self._section("health", [self._t("find.health.none")])
        total = health["health"].iloc[0]
        weakest = health[(health["weight"] > 0).to_numpy()].dropna(subset=["points"])
        known = fmt.per_cent(health["known_weight_pct"].iloc[0], self.language)
        sentences = [self._t("find.health.score", health=fmt.number(total, self.language),
                             known=known) if pd.notna(total) else
                     self._t("find.health.too_little", known=known, needed=fmt.per_cent(
                         MIN_KNOWN_WEIGHT_PCT, self.language))]
        if not weakest.empty:
            low = weakest.loc[weakest["points"].idxmin()]
            # a freshness part never recorded is not a finding about the customer: say so
            sentences.append(self._t("find.health.weakest_never", component=self._criterion(
                low["component"])) if str(low["note"]) == MISSING_WORST else self._t(
                "find.health.weakest", component=self._criterion(low["component"]),
                points=fmt.number(low["points"], self.language, 1)))
        shown = health.assign(
            component=[self._criterion(c) for c in health["component"]],
            value=["–" if pd.isna(v) else measured(v, u, self.language)
                   for v, u in zip(health["value"], health["unit"], strict=True)],
            note=words(health["note"], "health.note.", self.language))
        headers = {"component": self._t("word.component"), "value": self._t("word.value"),
                   "weight": self._t("word.weight"), "points": self._t("word.points"),
                   "contribution": self._t("word.contribution"), "note": self._t("word.note")}
        formats = {"weight": lambda v: fmt.number(v, self.language),
                   "points": lambda v: fmt.number(v, self.language, 1),
                   "contribution": lambda v: fmt.number(v, self.language, 1)}
        changes = self.changes
        if changes is not None and self.previous is not None:
            before = changes[(changes["change"] == "health_component").to_numpy()]
            was = dict(zip(before["subject"], before["before"], strict=True))
            shown = shown.assign(before=[was.get(c) for c in health["component"]])
            headers = {**headers, "before": self._t("word.points_before",
                                                    quarter=self.previous["quarter"])}
            formats["before"] = lambda v: fmt.number(v, self.language, 1)
        return self._section("health", sentences,
                             html.table(shown, html.columns(headers, formats)))

    def _criterion(self, code: object) -> str:
        return words([code], "criterion.", self.language)[0]

    def _conclusions(self) -> Section:
        document = self.account.document
        confronted = an.confrontation(document)
        sentences = findings.conclusions(confronted, self.language,
                                         with_plan=document is not None
                                         and document.plan is not None)
        if confronted.empty:
            return self._nothing("conclusions", sentences, "how.document")
        return self._section("conclusions", sentences,
                             confrontation_html(document, self.language))
