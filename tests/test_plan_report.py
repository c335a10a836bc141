"""The account plan report without a kernel: the sections and findings the plan notebook
shows, for a representative set of demo accounts in en and nl (off and on track, a
non-SMART objective, overdue and unowned actions, a prospect without a plan), against
figures worked out from the demo's CSV and YAML files (tests/demo_facts.py).
test_plan_notebook.py executes the notebook itself for every account."""

from __future__ import annotations

import datetime as dt
from functools import cache
from html import escape

import demo_facts as facts
import demo_reports
import pytest

from kamkit import formatting as fmt
from kamkit.display import plan_status_text
from kamkit.labels import counted, t
from kamkit.plan import DEFAULT_THRESHOLDS, StatusThresholds
from kamkit.report.base import Section
from kamkit.report.plan import SECTIONS, PlanReport

AS_OF = "2026Q3"
LAST_MONTH = "2026-09"  # the last month of the quarter: targets and sales to date
YEAR = 2025  # the last full year


def report(account_id: str, language: str) -> PlanReport:
    return demo_reports.report(PlanReport, account_id, language, AS_OF)


@cache
def section(account_id: str, language: str, key: str) -> Section:
    return report(account_id, language).section(key)


def shown(part: Section) -> str:
    """The section's HTML as the notebook displays it (charts left out)."""
    return part.html() + "".join(b for b in part.blocks if isinstance(b, str))


def status(achievement: float, thresholds: StatusThresholds = DEFAULT_THRESHOLDS) -> str:
    if achievement >= thresholds.at_risk_below:
        return "on_track"
    return "at_risk" if achievement >= thresholds.off_track_below else "off_track"


def monitoring_finding(account_id: str, measure: str, column: str, language: str,
                       thresholds: StatusThresholds = DEFAULT_THRESHOLDS) -> str:
    """The P5 sentence for a measure: actual against the monthly targets to date, and the
    forecast (the seasonal run rate) against the annual target."""
    actual = facts.sold(account_id, "2026-01", LAST_MONTH, column)
    monthly = facts.monthly_targets(account_id, column)
    planned = sum(v for month, v in monthly.items() if month <= LAST_MONTH)
    target = float(facts.document(account_id)["plan"]["targets"]["annual"][column])
    forecast = facts.run_rate_forecast(account_id, 2026, int(LAST_MONTH[5:]), column)
    shown_actual, shown_planned = fmt.amount_pair_short(actual, planned, language)
    shown_forecast, shown_target = fmt.amount_pair_short(forecast, target, language)
    return t("find.p5.measure", language, measure=t(f"measure.{measure}", language),
             actual=shown_actual, planned=shown_planned,
             achieved=fmt.share(actual / planned, language),
             forecast=shown_forecast, target=shown_target,
             status=t(f"status.{status(forecast / target, thresholds)}", language))


@pytest.mark.parametrize(("account_id", "language"), [("MAAS", "en"), ("VDIJK", "nl")])
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_monitoring_against_the_plan(account_id: str, language: str) -> None:
    """MAAS is off track, VDIJK on track: each measure's sentence, and the table."""
    p5 = section(account_id, language, "p5")
    assert p5.findings[:2] == (
        monitoring_finding(account_id, "revenue", "revenue", language),
        monitoring_finding(account_id, "gross_margin", "gross_margin", language))
    actual = facts.sold(account_id, "2026-01", LAST_MONTH)
    assert fmt.number(actual, language) in shown(p5)
    planned = sum(v for month, v in facts.monthly_targets(account_id).items()
                  if month <= LAST_MONTH)
    assert fmt.number(planned, language) in shown(p5)


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.sample(1)  # the cases covered by the others: benchmarks/fast_tier.py
def test_the_two_plan_percentages_say_what_they_compare(language: str) -> None:
    """The key figure compares the forecast with the target, P5's brackets the months to
    date with the plan for them: each says which, since the two differ (MAAS: 88% and
    87%)."""
    actual = facts.sold("MAAS", "2026-01", LAST_MONTH)
    planned = sum(v for month, v in facts.monthly_targets("MAAS").items()
                  if month <= LAST_MONTH)
    to_date = fmt.per_cent(actual / planned * 100, language)
    of_plan = {"en": f"({to_date} of plan)", "nl": f"({to_date} van plan)"}[language]
    assert of_plan in section("MAAS", language, "p5").findings[0]
    figures = report("MAAS", language).key_figures
    forecast = {"en": "forecast ", "nl": "prognose "}[language]
    said = forecast + fmt.per_cent(figures["plan_achievement_pct"], language)
    assert said in plan_status_text(figures, language)
    assert escape(said) in report("MAAS", language).header_html()


@pytest.mark.slow  # the fast tier's rule: no line cheaper fast tests miss
def test_the_demo_tells_off_and_on_track() -> None:
    assert f": {t('status.off_track', 'en')}." in section("MAAS", "en", "p5").findings[0]
    assert f": {t('status.on_track', 'nl')}." in section("VDIJK", "nl", "p5").findings[0]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_status_thresholds_are_parameters() -> None:
    """MAAS is off track by default and on track when 85% of the target is enough."""
    lenient = StatusThresholds(at_risk_below=0.85, off_track_below=0.80)
    p5 = report("MAAS", "en").with_thresholds(0.85, 0.80).section("p5")
    assert p5.findings[0] == monitoring_finding("MAAS", "revenue", "revenue", "en",
                                                lenient)
    assert f": {t('status.on_track', 'en')}." in p5.findings[0]
    assert f"on track from {fmt.share(0.85, 'en')}, at risk from {fmt.share(0.80, 'en')}" in (
        p5.method)


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_non_smart_objective_is_named_with_its_reason(language: str) -> None:
    """NOVA OB2 asks more pest-control revenue than the account spends on it at all."""
    objective, wallet = facts.objective_and_wallet("NOVA", "OB2", 2026)
    assert objective["target"] > wallet
    reason = t("smart.reason.target_above_wallet", language,
               wallet=fmt.amount_short(wallet, language))
    assert any(f.startswith("OB2 ") and f.endswith(f"{reason}.")
               for f in section("NOVA", language, "p2").findings)


@pytest.mark.parametrize(("account_id", "language"), [("BRAVO", "en"), ("ATLAS", "nl")])
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_overdue_and_unowned_actions_are_flagged(account_id: str, language: str) -> None:
    """BRAVO has overdue actions, ATLAS one without an owner; the count by horizon: due
    before 30 September, up to three weeks after it, up to three months after it."""
    day = dt.date(2026, 9, 30)
    overdue = facts.overdue_actions(account_id, day)
    unowned = facts.unowned_actions(account_id)
    assert overdue or unowned
    weeks = facts.open_actions(account_id, day, day + dt.timedelta(weeks=3))
    months = facts.open_actions(account_id, day + dt.timedelta(weeks=3, days=1),
                                dt.date(2026, 12, 30))
    findings = section(account_id, language, "p4").findings
    assert findings[0] == t("find.p4.count", language, count=len(
        facts.document(account_id)["plan"]["actions"]), overdue=len(overdue),
        weeks=len(weeks), months=len(months))
    assert (t("find.p4.overdue", language, ids=", ".join(overdue)) in findings) == bool(overdue)
    assert (t("find.p4.no_owner", language, ids=", ".join(unowned)) in findings) == bool(
        unowned)


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.sample(1)  # the cases covered by the others: benchmarks/fast_tier.py
def test_prospect_without_plan_gets_the_inputs_to_write_one(language: str) -> None:
    """GRID: no plan. The report says so, shows the baselines of the last full year and the
    open wallet: every cell is cross selling, since we sell nothing in the estimated ones."""
    none = t("report.plan.none", language)
    for key in ("p1", "p2", "p3_team", "p4", "p5"):
        assert section("GRID", language, key).findings[0] == none, key
    p2 = section("GRID", language, "p2")
    assert p2.findings[1] == t("find.p2.baselines", language, year=YEAR)
    assert fmt.amount(facts.sold_in("GRID", YEAR), language) in shown(p2)  # revenue baseline
    room = facts.open_spend("GRID", YEAR)
    assert {kind for kind, _ in room.values()} == {"cross selling"}
    largest = max(room, key=lambda cell: room[cell][1])
    holder = facts.main_holder("GRID", YEAR, largest)
    holder_phrase = (t("find.holder.in_house", language) if holder == "in-house" else
                     t("find.holder.competitor", language,
                       name=facts.name_of("competitors", "competitor", holder)))
    assert section("GRID", language, "p3_mix").findings == (t(
        "find.p3.cross_selling", language, cells=counted("cells", len(room), language),
        total=fmt.amount_short(sum(amount for _, amount in room.values()), language),
        service=facts.name_of("services", "service", largest[0], language),
        location=facts.name_of("locations", "location", largest[1], language),
        open=fmt.amount_short(room[largest][1], language), holder=holder_phrase),)


@pytest.mark.parametrize(("account_id", "language"), [("MAAS", "nl"), ("GRID", "en")])
def test_every_section_in_the_report_language(account_id: str, language: str) -> None:
    for key in SECTIONS:
        part = section(account_id, language, key)
        assert part.title == t(f"section.{key}", language)
        assert escape(part.title) in part.html()
        assert part.findings, key


@pytest.mark.parametrize("language", ["en", "nl"])
def test_p2_and_p5_reconcile_maas_revenue_targets(language: str) -> None:
    """MAAS OB2 (whole-account revenue by the period end) and P5 target revenue apart: both
    sections say by how much, and name the one forecast both are judged on."""
    objective = next(o for o in facts.document("MAAS")["plan"]["objectives"]
                     if o["id"] == "OB2")
    monitored = sum(facts.monthly_targets("MAAS").values())
    forecast = facts.run_rate_forecast("MAAS", 2026, int(LAST_MONTH[5:]))
    sentence = t("find.reconcile.below", language, id="OB2",
                 measure=t("measure.revenue", language).lower(),
                 objective=fmt.amount_short(objective["target"], language),
                 plan=fmt.amount_short(monitored, language),
                 difference=fmt.amount_short(monitored - objective["target"], language),
                 source=t("find.reconcile.source.monthly", language),
                 forecast=fmt.amount_short(forecast, language))
    for key in ("p2", "p5"):
        assert sentence in section("MAAS", language, key).findings
    p2 = section("MAAS", language, "p2")
    assert fmt.amount(forecast, language) in shown(p2)  # OB2's forecast is P5's
    assert t("word.to_date_through", language, date=fmt.date(dt.date(2026, 9, 30), language)) \
        in shown(p2)


def test_the_team_table_does_not_call_a_weak_relationship_covered() -> None:
    """P3 team: "covered" means a relationship of at least the coverage strength on the
    plan page; the team table's yes/no says only that a relationship is recorded, so it is
    not headed "covered" (MAAS's team names counterparts at strength 1 and 2)."""
    for language in ("en", "nl"):
        markup = shown(section("MAAS", language, "p3_team"))
        assert f">{t('word.has_relationship', language)}</th>" in markup
        assert f">{t('word.covered', language)}</th>" not in markup


def test_the_team_table_heads_our_peoples_roles_as_team_roles() -> None:
    """P3 team: the role column lists what our people do in the account team, not a buying
    role (those belong to the account's contacts)."""
    for language in ("en", "nl"):
        markup = shown(section("MAAS", language, "p3_team"))
        assert f">{t('word.team_role', language)}</th>" in markup
        assert f">{t('word.role', language)}</th>" not in markup


def _cells(row: str) -> list[str]:
    import re

    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_an_objective_s_progress_can_be_worked_out_from_the_figures_shown(
        language: str) -> None:
    """MAAS OB5: the baseline is the mean 6.95 of two surveys (6.9499... in float), shown
    as 6.95, not 6.9: (to date - baseline) / (target - baseline) of the shown figures gives
    the shown progress, for every objective in a score or count."""
    import re

    part = section("MAAS", language, "p2")
    rows = [_cells(r) for r in re.findall(r"<tr>(.*?)</tr>", shown(part), re.S)]
    objectives = {cells[0]: cells for cells in rows if cells and cells[0].startswith("OB")}
    comma = language == "nl"

    def number(text: str) -> float:
        return float(text.replace(".", "").replace(",", ".") if comma else text.replace(",", ""))

    assert objectives["OB5"][3] == ("6,95" if comma else "6.95")
    checked = 0
    for cells in objectives.values():
        baseline, target, current, progress = cells[3], cells[4], cells[5], cells[7]
        if any(c.endswith("%") or not re.fullmatch(r"[\d.,-]+", c)
               for c in (baseline, target, current)):
            continue  # a share or an amount: rounded to its unit, worked out unrounded
        b, g, c = number(baseline), number(target), number(current)
        assert fmt.share((c - b) / (g - b), language) == progress
        checked += 1
    assert checked


@pytest.mark.parametrize("unit", ["score 0-10", "count", "years"])
def test_a_mean_of_short_figures_is_shown_exactly(unit: str) -> None:
    """Every mean of two or four figures with the unit's decimals (whole counts, scores in
    tenths) is shown with the decimals it has (up to two more than its unit's), never
    rounded into another figure."""
    from kamkit.units import WHOLE, figure

    step = 1 if unit in WHOLE else 10
    figures = [x / step for x in range(0, 101, 7)]
    for a in figures:
        for b in figures:
            for mean in ((a + b) / 2, (a + b + a + a) / 4):
                assert abs(float(figure(mean, unit, "en", exact=True)) - mean) < 1e-9
                assert figure(mean, unit, "nl", exact=True) == figure(
                    mean, unit, "en", exact=True).replace(".", ",")
