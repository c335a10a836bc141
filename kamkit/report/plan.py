"""The account plan report: P1-P5, each section with findings, charts and tables computed
against the workbook as of a date. An account without a plan gets the inputs to write one."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

import pandas as pd

from kamkit import analysis as an
from kamkit import formatting as fmt
from kamkit import plan as pl
from kamkit.charts import analysis as analysis_charts
from kamkit.charts import plan as charts
from kamkit.documents import METRICS, Plan
from kamkit.findings import plan as findings
from kamkit.labels import holder_label, smart_letter
from kamkit.report import html
from kamkit.report.base import Report, Section
from kamkit.report.summary import Figure
from kamkit.units import figure

SECTIONS = ("p1", "p2", "p3_mix", "p3_price", "p3_relations", "p3_team", "p4", "p5")
"""The plan report's sections, in the method's order."""

MIX_ROWS = 10
"""How many deep and cross selling cells the product mix table lists."""


@dataclass(frozen=True)
class PlanReport(Report):
    """Everything the plan notebook shows for one account as of one date."""

    SECTIONS = SECTIONS
    TITLE = "report.plan.title"

    thresholds: pl.StatusThresholds = pl.DEFAULT_THRESHOLDS
    SUMMARY = (("p5", 0), ("p4", 0), ("p4", 1), ("p2", 1), ("p2", 0), ("p3_team", 0),
               ("p3_relations", 0), ("p3_mix", 0), ("p5", 1), ("p4", 2), ("p4", 3),
               ("p3_price", 0), ("p1", 0))

    SINCE: ClassVar[dict[str, str]] = {
        "p2": "objective_new objective_removed objective_retargeted objective_redated",
        "p4": "action_new action_removed action_closed action_overdue action_redated",
        "p5": "plan_status revenue_12m"}

    def _summary_figures(self) -> list[Figure | None]:
        figures = [self._plan_figure(), self._revenue_figure(), self._health_figure()]
        if self.plan is not None:
            actions = pl.action_plan(self.account, self.as_of)
            overdue = int(actions["overdue"].fillna(False).astype(bool).sum())
            figures.append(Figure(self._t("summary.overdue"), str(overdue),
                                  self._t("summary.actions", count=len(actions)),
                                  status="off_track" if overdue else None))
        return figures

    def with_thresholds(self, at_risk_below: float, off_track_below: float) -> PlanReport:
        """The same report judging the forecast by other status thresholds (fractions of the
        target: 0.97 is 97%)."""
        return replace(self, thresholds=pl.StatusThresholds(at_risk_below, off_track_below))

    def _method_values(self) -> dict[str, object]:
        return {**super()._method_values(),
                "on_track": fmt.share(self.thresholds.at_risk_below, self.language),
                "at_risk": fmt.share(self.thresholds.off_track_below, self.language),
                "objective_on_track": fmt.share(charts.OBJECTIVE_STATUS.at_risk_below,
                                                self.language),
                "objective_at_risk": fmt.share(charts.OBJECTIVE_STATUS.off_track_below,
                                               self.language),
                "through": self._through()}

    def _through(self) -> str:
        """The last day the plan's figures to date count: the end of the last complete
        month of the plan period (the running month is left out); "–" before any."""
        plan = self.plan
        day = (pl.last_complete_day(plan.period.start, plan.period.end, self.as_of)
               if plan else None)
        return self._date(day) if day else "–"

    def _reconciliation(self, status: pd.DataFrame, fc: pd.DataFrame) -> list[str]:
        """Where P2 and P5 target the same figure: their targets side by side."""
        rows = pl.reconcile_targets(status, fc, pl.monthly_targets(self.account))
        return findings.reconciliation(rows, self.language, self._waiting())

    def _waiting(self) -> str | None:
        """Why the plan has nothing to measure yet (``findings.nothing_to_measure``)."""
        plan = self.plan
        return (findings.nothing_to_measure(plan.period.start, plan.period.end, self.as_of,
                                            self.language) if plan else None)

    @property
    def plan(self) -> Plan | None:
        doc = self.account.document
        return doc.plan if doc else None

    def _no_plan(self, key: str) -> Section:
        return self._nothing(key, [self._t("report.plan.none")], "how.plan", in_box=False)

    def _yes_no(self, value: object) -> str:
        if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
            return "–"
        return "✓" if bool(value) else "✗"

    def _written(self, label_key: str, text: str) -> str | None:
        return html.paragraph(text, self._t(label_key)) if text else None

    # ------------------------------------------------------------------ P1
    def _p1(self) -> Section:
        plan = self.plan
        if plan is None:
            return self._no_plan("p1")
        period = self._t("report.plan.period", start=self._date(plan.period.start),
                         end=self._date(plan.period.end))
        if not plan.vision_3y:
            return self._section("p1", [period], self._missing("section.p1", "how.document"))
        return self._section("p1", [period, self._t("find.p1.recorded")],
                             html.paragraph(plan.vision_3y))

    # ------------------------------------------------------------------ P2
    def _baselines(self) -> pd.DataFrame:
        """Every metric over the last full year: the starting points for objectives."""
        start = pd.Timestamp(self.full_year, 1, 1).date()
        end = pd.Timestamp(self.full_year, 12, 31).date()
        return pd.DataFrame([
            {"metric": metric, "unit": unit,
             "value": pl.metric_value(self.account, metric, None, start, end,
                                      self.min_strength)}
            for metric, unit in METRICS.items()])

    def _value(self, value: object, unit: object, exact: bool = False) -> str:
        """A metric's value in its unit (money, %, a score or a whole count); ``exact``: with
        the decimals progress is worked out from (``figure``)."""
        return figure(value, unit, self.language, exact)

    def _p2(self) -> Section:
        if self.plan is None:
            base = self._baselines()
            spec = [self._column("metric", "word.metric"),
                    self._column("value", "word.baseline", kind="num"),
                    self._column("unit", "word.unit")]
            return self._section(
                "p2", [self._t("report.plan.none"),
                       self._t("find.p2.baselines", year=self.full_year)],
                html.table(self._translated(base.assign(
                    value=[self._value(v, u) for v, u in zip(base.value, base.unit,
                                                             strict=True)]),
                    metric="metric.", unit="unit."), spec, self._in_year("caption.baselines")))
        status = pl.objective_status(self.account, self.as_of, self.min_strength)
        fc = pl.forecast(self.account, self.as_of, self.thresholds)
        shown = status.assign(
            # exact: a reader works the progress out from these (6.95, not 6.9)
            **{column: [self._value(v, u, exact=True) for v, u in zip(
                status[column], status.unit, strict=True)]
               for column in ("baseline", "current", "forecast", "target")},
            smart=[" ".join(f"{smart_letter(letter, self.language)}"
                            f"{self._yes_no(row[letter])}" for letter in pl.LETTERS)
                   for _, row in status.iterrows()])
        # the scope under the metric: a column fewer, so the table fits a page's width
        shown = self._translated(shown, metric="metric.")
        shown["metric"] = [f"{m} ({s})" if isinstance(s, str) and s else m
                           for m, s in zip(shown["metric"], shown["scope"], strict=True)]
        # the title keeps room to be read; the SMART letters may wrap (one pair never)
        spec = [html.Column("id", "ID"), self._column("title", "word.objective", kind="wide"),
                self._column("metric", "word.metric"),
                self._column("baseline", "word.baseline", kind="num"),
                self._column("target", "word.target", kind="num"),
                html.Column("current", self._t("word.to_date_through", date=self._through()),
                            kind="num"),
                self._column("forecast", "word.forecast_deadline", kind="num"),
                self._column("progress", "word.progress", lambda v: fmt.share(v, self.language)),
                self._column("deadline", "word.deadline", self._date, "date"),
                self._column("owner_name", "word.owner"),
                self._column("smart", "plan_chart.smart")]
        return self._section(
            "p2", [*findings.objectives(status, self.language),
                   *self._reconciliation(status, fc)],
            charts.objective_progress_chart(status, self.language),
            html.table(shown, spec, fit=True))

    # ------------------------------------------------------------------ P3
    def _p3_mix(self) -> Section:
        mix = pl.product_mix(self.account, self.full_year)
        written = self.plan.strategy.product_mix if self.plan else ""
        if mix.empty and not written:
            return self._nothing("p3_mix", findings.product_mix(mix, self.language),
                                 "how.spend")
        top = pd.concat([mix[mix.room == room].head(MIX_ROWS) for room in
                         ("cross selling", "deep selling")])
        spec = [self._column("room", "word.room"), self._column("service_name", "word.service"),
                self._column("location_name", "word.location"),
                self._column("main_holder_name", "word.holder"),
                self._column("share", "word.share", self._share),
                self._column("open_spend", "word.open", self._money),
                self._column("confidence", "word.confidence")]
        return self._section(
            "p3_mix", findings.product_mix(mix, self.language),
            self._written("word.written", written),
            html.table(self._translated(top, room="room.", confidence="word.").assign(
                main_holder_name=[holder_label(h, n, self.language) for h, n in
                                  zip(top.main_holder, top.main_holder_name, strict=True)]),
                spec, self._in_year("caption.open_cells")) if not top.empty else None)

    def _p3_price(self) -> Section:
        prices = pl.price_mix(self.account, self.as_of)
        written = self.plan.strategy.price_mix if self.plan else ""
        latest = int(prices.year.max()) if not prices.empty else self.as_of.year
        sentences = findings.price_mix(prices, latest, self.language)
        if prices.empty:
            return self._section("p3_price", sentences, self._written("word.written", written),
                                 self._missing("section.p3_price", "how.sales"))
        shown = prices.assign(below_policy=[self._t("word.yes") if b else "" for b in
                                            prices.below_policy.fillna(False)])
        spec = [self._column("service_name", "word.service"),
                self._column("year", "word.year"),
                self._column("revenue", "word.revenue", self._money),
                self._column("gross_margin", "word.gross_margin", self._money),
                self._column("margin_pct", "word.margin_pct", lambda v: self._value(v, "%")),
                self._column("trend_pts", "word.trend_pts",
                             lambda v: fmt.points(v, self.language, 1)),
                self._column("min_margin_pct", "word.policy", lambda v: self._value(v, "%")),
                html.Column("below_policy", "< " + self._t("word.policy")),
                self._column("price_per_unit", "word.price_per_unit",
                             lambda v: fmt.number(v, self.language, 2)),
                self._column("unit", "word.unit")]
        return self._section("p3_price", sentences, self._written("word.written", written),
                             html.table(shown, spec))

    def _p3_relations(self) -> Section:
        gaps = pl.relationship_gaps(self.account, self.min_strength)
        strategy = self.plan.strategy if self.plan else None
        written = [
            self._written("word.promotion_mix", strategy.promotion_mix if strategy else ""),
            self._written("word.bottom_up",
                          strategy.relationship_mix.bottom_up if strategy else ""),
            self._written("word.top_down",
                          strategy.relationship_mix.top_down if strategy else ""),
            self._written("word.horizontal",
                          strategy.relationship_mix.horizontal if strategy else "")]
        spec = [self._column("level", "word.level"),
                self._column("department", "word.department"),
                self._column("contacts", "word.contacts"),
                self._column("covered", "word.covered"),
                self._column("uncovered_contacts", "word.uncovered")]
        table = (html.table(self._translated(gaps, level="level."), spec)
                 if not gaps.empty else None)
        return self._section("p3_relations",
                             findings.relationships(gaps, self.language, self.min_strength,
                                                    contacts=len(self.account.contacts)),
                             *written, table)

    def _p3_team(self) -> Section:
        if self.plan is None:
            return self._no_plan("p3_team")
        match = pl.team_match(self.account)
        gaps = pl.team_gaps(self.account)
        team = [self._column("person_name", "word.our_person"),
                self._column("role", "word.team_role"),
                self._column("person_level", "word.level"),
                self._column("contact_name", "word.counterpart"),
                self._column("contact_title", "word.title"),
                self._column("contact_level", "word.level"),
                self._column("strength", "word.strength"),
                self._column("has_relationship", "word.has_relationship", self._yes_no, "date")]
        missing = [self._column("gap", "word.gap"), self._column("contact_name", "word.contact"),
                   self._column("contact_title", "word.title"),
                   self._column("contact_level", "word.level"),
                   self._column("people", "word.our_people")]
        return self._section(
            "p3_team", findings.team(gaps, self.language, members=len(match),
                                     strategic=len(pl.strategic_contacts(self.account))),
            html.table(self._translated(match, person_level="level.", contact_level="level."),
                       team) if not match.empty else None,
            html.table(self._translated(gaps, gap="gap.", contact_level="level."), missing)
            if not gaps.empty else None)

    # ------------------------------------------------------------------ P4
    def _p4(self) -> Section:
        if self.plan is None:
            return self._no_plan("p4")
        actions = pl.action_plan(self.account, self.as_of)
        without = pl.objectives_without_action(self.account)
        shown = self._translated(actions, horizon="horizon.", status="action.").assign(
            owner_name=[n if isinstance(n, str) and n else "⚠" for n in actions.owner_name])
        spec = [self._column("horizon", "word.horizon"), html.Column("id", "ID"),
                self._column("what", "word.action"), self._column("owner_name", "word.owner"),
                self._column("due", "word.due", self._date, "date"),
                self._column("status", "word.status"),
                self._column("objective", "word.objective")]
        return self._section(
            "p4", findings.actions(actions, without, self.language),
            charts.action_timeline_chart(actions, self.as_of, self.language),
            html.table(shown, spec) if not actions.empty else None)

    # ------------------------------------------------------------------ P5
    def _p5(self) -> Section:
        if self.plan is None:
            revenue = an.revenue_by_year(self.account)
            return self._section(
                "p5", [self._t("report.plan.none")],
                self._missing("section.p5", "how.plan"),
                analysis_charts.revenue_history_chart(revenue, an.timeline(self.account),
                                                      self.language)
                if not revenue.empty else None)
        pva = pl.plan_vs_actual(self.account, self.as_of)
        fc = pl.forecast(self.account, self.as_of, self.thresholds)
        status = pl.objective_status(self.account, self.as_of, self.min_strength)
        chart = charts.plan_vs_actual_chart(pva, self.language, fc)
        return self._section(
            "p5", [*findings.monitoring(fc, self.language, self._waiting()),
                   *self._reconciliation(status, fc)],
            chart if chart is not None else html.missing(self._t("report.nothing_yet.p5")),
            html.table(self._translated(fc, measure="measure.", status="status."), [
                self._column("measure", "word.measure"),
                self._column("target", "word.annual_target", self._money),
                self._column("target_to_date", "word.to_date_target", self._money),
                self._column("actual_to_date", "word.to_date_actual", self._money),
                self._column("forecast", "word.forecast_amount", self._money),
                self._column("achievement_pct", "word.progress", lambda v: self._value(v, "%")),
                self._column("status", "word.status")]))
