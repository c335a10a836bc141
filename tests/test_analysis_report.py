"""The analysis report without a kernel: the sections and findings the notebook shows, for
a representative set of demo accounts in en and nl, against figures worked out from the
demo's files (tests/demo_facts.py). test_analysis_notebook.py executes the notebook itself
for every account."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from html import escape

import demo_facts as facts
import demo_reports
import pandas as pd
import pytest

from kamkit import formatting as fmt
from kamkit.errors import UnknownAccountError
from kamkit.findings import analysis as findings
from kamkit.labels import counted, t
from kamkit.locale import for_language
from kamkit.report.analysis import SECTIONS, AnalysisReport
from kamkit.report.base import Section

AS_OF = "2026Q3"  # the demo's data run to September 2026
YEAR = 2025  # the last full year


def report(account_id: str, language: str, as_of: str = AS_OF) -> AnalysisReport:
    return demo_reports.report(AnalysisReport, account_id, language, as_of)


@cache
def section(account_id: str, language: str, key: str, as_of: str = AS_OF) -> Section:
    return report(account_id, language, as_of).section(key)


def shown(part: Section) -> str:
    """The section's HTML as the notebook displays it (charts left out)."""
    return part.html() + "".join(b for b in part.blocks if isinstance(b, str))


@pytest.mark.parametrize(("account_id", "language"), [("MAAS", "nl"), ("GRID", "en")])
@pytest.mark.sample(1)  # the cases covered by the others: benchmarks/fast_tier.py
def test_every_section_in_the_report_language(account_id: str, language: str) -> None:
    """A key account and a prospect: every part of the method, titled and with findings or
    a note on what is missing, in the report language."""
    for key in SECTIONS:
        part = section(account_id, language, key)
        assert part.title == t(f"section.{key}", language)
        assert escape(part.title) in part.html()
        assert part.findings or 'class="kk-missing"' in shown(part), key


@pytest.mark.parametrize("language", ["en", "nl"])
def test_history_revenue_growth_margin_and_year_to_date(language: str) -> None:
    revenue, before = facts.sold_in("MAAS", YEAR), facts.sold_in("MAAS", YEAR - 1)
    margin = facts.sold_in("MAAS", YEAR, "gross_margin")
    a4 = section("MAAS", language, "a4")
    assert a4.findings[0] == t("find.a4.year", language, year=YEAR,
                               revenue=fmt.amount_short(revenue, language),
                               growth=fmt.growth((revenue / before - 1) * 100, language),
                               margin=fmt.share(margin / revenue, language, 1))
    months = {r["month"] for r in facts.demo_rows("sales")
              if r["account_id"] == "MAAS" and r["month"].startswith("2026")}
    # the months the year to date covers (the workbook's sales history), by name, and
    # how many of them had sales when not all
    covered = max(int(r["month"][5:7]) for r in facts.demo_rows("sales")
                  if r["month"].startswith("2026"))
    assert a4.findings[1] == t("find.a4.to_date", language, year=2026,
                               period=fmt.month_span(1, covered, language),
                               months=counted("months", len(months), language)
                               if len(months) < covered else for_language(language).missing,
                               revenue=fmt.amount_short(facts.sold_in("MAAS", 2026), language))
    assert ("Jan-" if language == "en" else "jan-") in a4.findings[1]
    assert fmt.number(revenue, language) in shown(a4)  # the table
    # the table's growth has its sign, as growth has everywhere else
    growth = fmt.growth((revenue / before - 1) * 100, language, 1)
    assert growth[0] in "+-" and f">{growth}</td>" in shown(a4)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_year_to_date_with_months_without_sales_names_its_period_and_those_months(
        language: str) -> None:
    """3 of the 6 months to date with sales: the sentence must not read as January-March."""
    revenue = pd.DataFrame({
        "year": [2025], "revenue": [3684.56], "gross_margin": [None], "margin_pct": [None],
        "growth_pct": [None], "months_with_sales": [3], "months_covered": [6],
        "partial": [True]})
    said = findings.history(revenue, pd.DataFrame(), 2024, language,
                            pd.Timestamp("2025-01-01"))
    assert said == [t("find.a4.to_date", language, year=2025,
                      period="Jan-Jun" if language == "en" else "jan-jun",
                      months=counted("months", 3, language),
                      revenue=fmt.amount_short(3684.56, language))]
    late = findings.history(revenue, pd.DataFrame(), 2024, language,
                            pd.Timestamp("2025-03-01"))  # the history starts in March
    assert ("Mar-Aug" if language == "en" else "mrt-aug") in late[0]


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.sample(1)  # the cases covered by the others: benchmarks/fast_tier.py
def test_spend_and_share_of_wallet(language: str) -> None:
    rows = facts.spend_rows("MAAS", YEAR)
    spend = sum(float(r["spend"]) for r in rows)
    spend_before = sum(float(r["spend"]) for r in facts.spend_rows("MAAS", YEAR - 1))
    a5 = section("MAAS", language, "a5")
    # most of the spend is estimated with high confidence, a little with low: the total
    # says so by spend, not "low" for the lowest estimate
    mix = facts.confidence_by_spend(rows)
    assert mix[0][0] == "high" and mix[0][1] > 0.5 and facts.lowest_confidence(rows) == "low"
    confidence = ", ".join(f"{fmt.share(part, language)} {t(f'word.{level}', language)}"
                           for level, part in mix)
    assert a5.findings == (
        t("find.a5.year", language, year=YEAR, spend=fmt.amount_short(spend, language),
          estimates=counted("estimates", len(rows), language), confidence=confidence)
        + " " + t("find.a5.change", language, year=YEAR - 1,
                  change=fmt.growth((spend / spend_before - 1) * 100, language)),)
    assert fmt.number(spend, language) in shown(a5)
    first = min(int(r["year"]) for r in facts.demo_rows("spend") if r["account_id"] == "MAAS")
    a6 = section("MAAS", language, "a6")
    assert a6.findings[0] == t(
        "find.a6.trend", language, first_year=first, last_year=YEAR,
        first=fmt.share(facts.share_of_wallet("MAAS", first), language),
        last=fmt.share(facts.share_of_wallet("MAAS", YEAR), language),
        confidence=confidence)
    assert fmt.share(facts.share_of_wallet("MAAS", YEAR), language, 1) in shown(a6)
    assert confidence in shown(a6) and confidence in shown(a5)  # the tables too


@pytest.mark.parametrize(("account_id", "language"), [("MAAS", "en"), ("KRONE", "nl")])
@pytest.mark.sample(1)  # the cases covered by the others: benchmarks/fast_tier.py
def test_the_largest_move_is_ranked_by_amount(account_id: str, language: str) -> None:
    """KRONE: the cell with the most points moved is a small one; the finding names the
    move worth most in euros."""
    cell, before, after, spend, moved = facts.largest_move_by_amount(account_id, YEAR)
    worth = fmt.amount_short(moved, language)
    assert section(account_id, language, "a6").findings[1] == t(
        "find.a6.cell", language, year=YEAR,
        service=facts.name_of("services", "service", cell[0], language),
        location=facts.name_of("locations", "location", cell[1], language),
        before=fmt.share(before, language), after=fmt.share(after, language),
        spend=fmt.amount_short(spend, language), moved=f"+{worth}" if moved > 0 else worth)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_competitor_that_gained_most(language: str) -> None:
    """MAAS: Nordclean gains on us from 2023 to 2025; the finding says by how many points,
    and that our own share fell, by its size ("fell by 4 pts", not "moved -4 pts")."""
    gained = (facts.holder_share("MAAS", YEAR, "NORDCLEAN")
              - facts.holder_share("MAAS", YEAR - 2, "NORDCLEAN")) * 100
    ours = (facts.share_of_wallet("MAAS", YEAR) - facts.share_of_wallet("MAAS", YEAR - 2)) * 100
    assert gained >= 1
    assert round(ours) == -4
    said = section("MAAS", language, "a7").findings[0]
    assert said == t(
        "find.a7.gainer", language, from_year=YEAR - 2, to_year=YEAR,
        holder=facts.name_of("competitors", "competitor", "NORDCLEAN"),
        change=fmt.points(gained, language),
        us=t("find.a7.us.fell", language, points=fmt.points_size(ours, language)))
    assert said.endswith({"en": "; our own share fell by 4 pts.",
                          "nl": "; ons eigen aandeel daalde met 4 %-punt."}[language])


@pytest.mark.parametrize("language", ["en", "nl"])
def test_whitespace_totals_and_largest_cell(language: str) -> None:
    room = facts.open_spend("MAAS", YEAR)
    cross = [amount for kind, amount in room.values() if kind == "cross selling"]
    deep = [amount for kind, amount in room.values() if kind == "deep selling"]
    assert cross and deep
    ws = section("MAAS", language, "whitespace")
    assert ws.findings[0] == t(
        "find.ws.open", language, year=YEAR, total=fmt.amount_short(sum(cross + deep), language),
        cross=fmt.amount_short(sum(cross), language),
        cross_cells=counted("cells", len(cross), language),
        deep=fmt.amount_short(sum(deep), language),
        deep_cells=counted("cells", len(deep), language))
    largest = max(room, key=lambda cell: room[cell][1])
    holder = facts.main_holder("MAAS", YEAR, largest)
    assert ws.findings[1] == t(
        "find.ws.largest", language,
        service=facts.name_of("services", "service", largest[0], language),
        location=facts.name_of("locations", "location", largest[1], language),
        open=fmt.amount_short(room[largest][1], language),
        holder=t("find.holder.competitor", language,
                 name=facts.name_of("competitors", "competitor", holder)))
    assert fmt.number(room[largest][1], language) in shown(ws)  # the table


@pytest.mark.parametrize("language", ["en", "nl"])
def test_organisation_coverage_and_unknown_decision_makers(language: str) -> None:
    """KRONE: a decision maker nobody at our side knows."""
    contacts = facts.contacts_of("KRONE")
    covered = [c for c in contacts if c["contact_id"] in facts.known_contacts()]
    deciders = facts.unknown_deciders("KRONE")
    assert deciders
    assert section("KRONE", language, "a2").findings == (
        t("find.a2.size", language, contacts=counted("people", len(contacts), language),
          covered=len(covered),
          share=fmt.share(len(covered) / len(contacts), language), strength=3,
          name=t("strength.3", language)),
        *(facts.decider_finding(c, language) for c in deciders))


@pytest.mark.parametrize(("account_id", "language"),
                         [("MAAS", "en"), ("DELTA", "nl"), ("KRONE", "en")])
def test_a_decision_maker_someone_knows_weakly_is_not_said_to_know_nobody(
        account_id: str, language: str) -> None:
    """A decision maker below the coverage strength is named with who of ours is closest
    (MAAS's chief executive has an occasional contact with one of ours); "nobody at our
    side" is said only of a decision maker without any relationship."""
    deciders = facts.unknown_deciders(account_id)
    weak = [c for c in deciders if facts.strongest_person(c["contact_id"])]
    assert weak or account_id == "KRONE"
    said = section(account_id, language, "a2").findings
    for contact in deciders:
        assert facts.decider_finding(contact, language) in said
    nobody = t("find.a2.decider", language, name="{n}", title="{t}").split("{t}")[1]
    for contact in weak:
        assert not any(contact["name"] in line and nobody in line for line in said)


def test_the_weak_decider_sentence_names_the_strongest_relationship() -> None:
    """Built from an uncovered-contacts frame: nobody, or the closest person and strength."""
    frame = pd.DataFrame({"name": ["A. Chief", "B. Buyer"], "title": ["CEO", "CPO"],
                          "buying_role": ["decision_maker"] * 2,
                          "best_person": pd.array(["Ingrid V.", pd.NA], dtype="string"),
                          "best_strength": pd.array([2, pd.NA], dtype="Int64")})
    org = pd.DataFrame({"covered": [False, False, True]})
    lines = findings.organisation(org, frame, "en")
    assert lines[1] == t("find.a2.decider_weak", "en", name="A. Chief", title="CEO",
                         strength=3, person="Ingrid V.", best=2,
                         best_name=t("strength.2", "en"))
    assert "Ingrid V." in lines[1] and "occasional contact" in lines[1]
    assert lines[2] == t("find.a2.decider", "en", name="B. Buyer", title="CPO")


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.sample(1)  # the cases covered by the others: benchmarks/fast_tier.py
def test_coverage_counts_from_a_regular_working_contact(language: str) -> None:
    """MAAS: everyone is known by name to someone, but not everyone at working level; the
    findings count from strength 3 and say how the others stand, the method line names
    the minimum."""
    best = facts.strongest("MAAS")
    assert min(best.values()) >= 1  # counting any relationship, MAAS is 100% covered
    a8 = section("MAAS", language, "a8")
    levels = {lvl: [c for c in facts.contacts_of("MAAS") if c["level"] == lvl]
              for lvl in ("strategic", "tactical", "operational")}
    parts = [f"{t('level.' + lvl, language)} "
             f"{sum(best[c['contact_id']] >= 3 for c in rows)}/{len(rows)}"
             for lvl, rows in levels.items() if rows]
    assert a8.findings[0] == t("find.a8.coverage", language, levels=", ".join(parts),
                               strength=3, name=t("strength.3", language))
    weaker = sum(1 <= b < 3 for b in best.values())
    assert weaker and a8.findings[1] == t("find.a8.weaker", language, count=weaker, below=2)
    none = sum(b == 0 for b in best.values())
    said_none = [f for f in a8.findings if f == t("find.a8.no_relationship", language,
                                                   count=none)] if none else []
    assert len(said_none) == (1 if none else 0)
    assert not any(" 0 " in f for f in a8.findings[1:2])  # never "and 0 none at all"
    assert t("strength.3", language) in a8.method
    strict = report("MAAS", language).with_min_strength(5).section("a8")
    assert strict.findings[0] != a8.findings[0] and "5" in strict.method


@pytest.mark.parametrize("language", ["en", "nl"])
def test_an_event_without_an_amount_shows_none_not_a_missing_figure(language: str) -> None:
    """A meeting has no amount: its cell is empty, while an event with one shows it."""
    events = [r for r in facts.demo_rows("history") if r["account_id"] == "MAAS"]
    assert any(not r["amount"] for r in events) and any(r["amount"] for r in events)
    markup = shown(section("MAAS", language, "a4"))
    missing = for_language(language).missing
    for row in events:
        if not row["description"].startswith("Annual business review"):
            continue  # one description per kind is enough to find the row
        cells = re.search(re.escape(escape(row["description"])) + r"</td>(.*?)</tr>",
                          markup)
        assert cells, row["description"]
        assert missing not in cells[1] and re.search(r"<td[^>]*></td>$", cells[1])
    with_amount = next(r for r in events if r["amount"])
    assert fmt.number(float(with_amount["amount"]), language) in markup


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_customer_s_voice_in_a4(language: str) -> None:
    """MAAS: satisfaction fell from its best 8.0 to 6.7, with 8 complaints; A4 says so,
    charts the scores and lists the complaints with their status."""
    scores = facts.satisfaction_scores("MAAS", "2026-09-30")
    best = max(scores, key=lambda pair: pair[1])
    complaints = facts.complaints_of("MAAS", "2026-09-30")
    assert (best[1], scores[-1][1], len(complaints)) == (8.0, 6.7, 8)
    a4 = section("MAAS", language, "a4")

    def day(text: str) -> str:
        return fmt.date(dt.date.fromisoformat(text), language)

    assert t("find.a4.satisfaction.fell", language, best=fmt.number(best[1], language, 1),
             best_date=day(best[0]), last=fmt.number(scores[-1][1], language, 1),
             last_date=day(scores[-1][0])) in a4.findings
    assert all(c["closed"] and c["closed"] <= "2026-09-30" for c in complaints)
    assert t("find.a4.complaints_closed", language, count=8, since=day(complaints[0]["date"]),
             open=0, date=day(complaints[-1]["date"]),
             description=complaints[-1]["description"]) in a4.findings
    html = shown(a4)
    assert all(escape(c["description"]) in html for c in complaints)  # the table
    assert html.count(f">{t('complaint.closed', language)}<") == 8
    assert any(type(b).__name__ == "LayerChart" for b in a4.blocks)  # satisfaction chart
    # in May 2026 the two latest complaints were still open
    may = shown(section("MAAS", language, "a4", "2026-05-31"))
    assert may.count(f">{t('complaint.open', language)}<") == 2


def test_voice_says_where_satisfaction_went() -> None:
    def scores(*values: float):
        return pd.DataFrame({"date": pd.date_range("2024-01-01", periods=len(values),
                                                   freq="6MS"),
                             "score": list(values), "description": ""})

    none = pd.DataFrame({"date": pd.Series(dtype="datetime64[s]"),
                         "status": pd.Series(dtype="string"),
                         "description": pd.Series(dtype="string")})
    assert findings.voice(scores(7.0, 8.0, 7.5), none, "en")[0].startswith(
        "Satisfaction fell from 8.0 (2024-07-01) to 7.5")
    assert findings.voice(scores(7.0, 6.5, 7.5), none, "en")[0].startswith(
        "Satisfaction rose from 7.0 (2024-01-01) to 7.5")
    assert findings.voice(scores(7.0, 6.0, 7.0), none, "en")[0].startswith(
        "Satisfaction held at 7.0")
    assert findings.voice(scores(7.0), none, "en")[0].startswith("Satisfaction: 7.0")
    assert findings.voice(scores(7.0), none, "en")[1] == "No complaints recorded."
    one_open = pd.DataFrame({"date": [pd.Timestamp("2025-02-01"), pd.Timestamp("2025-03-01")],
                             "status": ["closed", "open"], "description": ["A", "B"]})
    assert findings.voice(scores().iloc[0:0], one_open, "nl") == [
        "2 klachten sinds 01-02-2025, 1 nog open; de laatste (01-03-2025): B."]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_text_from_the_workbook_is_escaped() -> None:
    """VDIJK is named 'Van Dijk & Zonen': shown as text, never as markup."""
    header = report("VDIJK", "en").header_html()
    assert "Van Dijk &amp; Zonen" in header
    assert "Van Dijk & Zonen" not in header.replace("&amp;", "")


def test_a_past_quarter_ignores_later_data() -> None:
    a4 = shown(section("MAAS", "en", "a4", "2024Q4"))
    assert fmt.number(facts.sold_in("MAAS", 2024), "en") in a4
    assert fmt.amount(facts.sold_in("MAAS", 2025), "en") not in a4


def test_unknown_account_is_a_clear_message() -> None:
    with pytest.raises(UnknownAccountError, match="unknown account 'NOPE'"):
        AnalysisReport.build(None, "NOPE", AS_OF)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_confrontation_places_each_conclusion_in_its_quadrant(language: str) -> None:
    """MAAS: C1 and C2 confront our weaknesses with threats (WT), C3 and C4 our strengths
    with opportunities (SO); each cell carries the text of the points and the objectives."""
    part = section("MAAS", language, "conclusions")
    markup = shown(part)
    cells = markup.split('class="kk-matrix-cell"')[1:]
    assert len(cells) == 4
    so, st, wo, wt = cells
    assert "Defend Rotterdam cleaning" in wt and "Build relationships with procurement" in wt
    assert escape("Our cleaning rate in Rotterdam is 8-10% above Nordclean's") in wt
    assert "Spread our position" in so and "Turn our audit record" in so
    assert t("tows.objectives", language, ids="OB2, OB3") in so
    assert t("tows.none", language) in st and t("tows.none", language) in wo


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a4_marks_the_history_s_partial_first_year(mini_copy) -> None:
    """The mini workbook's sales made to start in 2023-07 (A2) with A1 buying in 2023-11:
    A4 labels 2023 partial with its 6 months, shows no growth for 2024 and says why."""
    with (mini_copy / "sales.csv").open("a", encoding="utf-8") as f:
        f.write("2023-07,A2,CLEAN,NL-RTM,100.00,10.00,4\n"
                "2023-11,A1,CLEAN,NL-RTM,1000.00,250.00,40\n")
    a4 = AnalysisReport.build(mini_copy, "A1", "2025-06-30", "en").section("a4")
    html = shown(a4)
    assert "2023 (partial: 6 months of data)" in html
    assert ("The workbook's sales cover only 6 months of 2023, so 2024 is not compared with "
            "it (no growth).") in a4.findings
    assert "+100" not in html  # 2024's 2000 against 2023's 1000 from half a year


@pytest.mark.parametrize(("account_id", "language"), [("MAAS", "en"), ("MAAS", "nl"),
                                                      ("VDIJK", "en")])
def test_a_supplier_without_a_share_somewhere_holds_zero_there_not_a_missing_figure(
        account_id: str, language: str) -> None:
    """A7's per-service and per-location tables: each column is a group with an estimate,
    so every supplier has a share in it (0% where it holds nothing) and they add up to 100%."""
    part = section(account_id, language, "a7")
    tables = [b for b in part.blocks if isinstance(b, str) and "<table" in b
              and (t("chart.title.holder_shares_service", language) in b
                   or t("chart.title.holder_shares_location", language) in b)]
    assert len(tables) == 2
    missing = for_language(language).missing
    zeros = 0
    for table in tables:
        body = table.split("<tbody", 1)[1]
        rows = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[1:]
                for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]
        assert rows and all(cell.strip() != missing for row in rows for cell in row)
        per_cent = [[float(re.sub(r"[^\d,.-]", "", c).replace(",", ".")) for c in row]
                    for row in rows]
        for column in zip(*per_cent, strict=True):
            assert sum(column) == pytest.approx(100, abs=0.1 * len(column))
        zeros += sum(v == 0 for row in per_cent for v in row)
    assert zeros  # the demo has suppliers absent from some services or locations
