"""How reports present their figures (issue 11: accessible charts, smaller points; issue 13:
declarative reports), checked on the report sections and charts without a kernel. Building
every section of the demo's MAAS reports takes seconds: the module builds them once, and the
chart tests are marked slow."""

from __future__ import annotations

import re
from functools import cached_property
from html import escape
from pathlib import Path

import demo_reports
import pandas as pd
import pytest

from kamkit import formatting as fmt
from kamkit.charts import theme
from kamkit.charts.render import chart_bundle
from kamkit.display import source_text
from kamkit.labels import t
from kamkit.report import html
from kamkit.report.analysis import AnalysisReport
from kamkit.report.base import Section
from kamkit.report.plan import PlanReport
from kamkit.workbook import Workbook

AS_OF = "2026Q3"


class Built(dict):
    """A report's sections by key, each built once, when first asked for."""

    def __init__(self, report: AnalysisReport | PlanReport) -> None:
        super().__init__()
        self.report = report

    def __missing__(self, key: str) -> Section:
        self[key] = self.report.section(key)
        return self[key]

    @cached_property
    def specs(self) -> list[tuple[str, dict]]:
        return [(key, block.to_dict()) for key in self.report.SECTIONS
                for block in self[key].blocks if not isinstance(block, str)]


@pytest.fixture(scope="module")
def maas(demo: Workbook) -> dict[str, tuple[Built, Built]]:
    return {language: (Built(demo_reports.report(AnalysisReport, "MAAS", language, AS_OF)),
                       Built(demo_reports.report(PlanReport, "MAAS", language, AS_OF)))
            for language in ("en", "nl")}


def _charts(built: Built) -> list[tuple[str, dict]]:
    return built.specs


def _chart(built: Built, key: str) -> dict:
    """The first chart of section ``key`` as its Vega-Lite spec."""
    return next(b for b in built[key].blocks if not isinstance(b, str)).to_dict()


def _tables(built: Built, key: str) -> list[str]:
    return [block for block in built[key].blocks
            if isinstance(block, str) and block.startswith("<table")]


def _headers(table: str) -> list[str]:
    return re.findall(r"<th [^>]*>(.*?)</th>", table)


# ---------------------------------------------------------------- charts


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_chart_has_a_title_and_a_description_with_its_main_figure(maas, language) -> None:
    for report in maas[language]:
        charts = _charts(report)
        assert len(charts) >= 3
        for key, spec in charts:
            title = spec.get("title")
            title = title.get("text") if isinstance(title, dict) else title
            assert title, key
            assert re.search(r"\d", spec.get("description", "")), key
            assert spec["config"]["aria"] is False, key  # no mark labels reading "null"


@pytest.mark.slow
def test_chart_svg_is_one_named_and_described_image(maas) -> None:
    for report in maas["en"]:
        for key, spec in _charts(report)[:4]:
            svg = chart_bundle(spec)[0]["image/svg+xml"]
            opening = re.match(r"<svg\b[^>]*>", svg)[0]
            assert 'role="img"' in opening, key
            title = spec["title"]["text"] if isinstance(spec["title"], dict) else spec["title"]
            assert svg[len(opening):].startswith(
                f"<title>{html.text(title)}</title><desc>{html.text(spec['description'])}"
                "</desc>"), key
            assert svg.count('role="') == 1, key  # the parts of one image have no roles
            assert not re.search(r'aria-label="[^"]*\bnull\b', svg), key


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_blue_means_us_only(maas) -> None:
    analysis = maas["en"][0]
    spend = _chart(analysis, "a5")
    assert theme.US not in spend["encoding"]["color"]["scale"]["range"]
    matrix = _chart(analysis, "a8")
    assert '"blues"' not in str(matrix).replace("'", '"')
    assert theme.US not in theme.ACTION_COLOURS.values()
    assert theme.US not in theme.STATUS_COLOURS.values()
    assert theme.US not in theme.SERVICE_COLOURS


def test_history_starts_at_the_first_sale_and_names_the_part_year(maas) -> None:
    analysis = maas["en"][0]
    events = analysis.report.account.history
    assert pd.to_datetime(events["date"]).dt.year.min() < 2021  # the demo has older events
    spec = _chart(analysis, "a4")
    bars = spec["vconcat"][0]
    assert bars["encoding"]["x"]["scale"]["domain"][0]["year"] == 2021  # first sale
    legend = bars["encoding"]["opacity"]["scale"]["domain"]
    assert legend == ["Full year", "2026: 9 months of sales, drawn lighter"]
    # full or part year is told in grey: a blue "Full year" would read as a second "Revenue"
    swatch = bars["encoding"]["opacity"]["legend"]["symbolFillColor"]
    assert swatch not in bars["encoding"]["color"]["scale"]["range"]


# ---------------------------------------------------------------- tables


def test_a7_shares_have_a_table_beside_each_chart(maas) -> None:
    analysis = maas["nl"][0]
    blocks = analysis["a7"].blocks
    kinds = ["table" if isinstance(b, str) else "chart" for b in blocks]
    assert kinds == ["chart", "table", "chart", "chart", "table", "chart", "table"]
    overall = blocks[1]
    assert "Aandeel in de besteding per leverancier en jaar" in overall
    assert _headers(overall)[1:] == ["2021", "2022", "2023", "2024", "2025"]
    assert ">wij<" in overall and "Nordclean Services" in overall
    # a share too small for a label in the chart is in the table
    assert re.search(r">\d,\d%<", overall)


def test_tables_that_cover_one_year_say_which(maas) -> None:
    analysis, plan = maas["en"]
    year = analysis.report.full_year
    for key, count in (("a5", 1), ("a6", 1), ("whitespace", 1)):
        captions = [re.search(r"<caption[^>]*>(.*?)</caption>", t) for t in _tables(
            analysis, key)]
        assert sum(bool(c) and c[1].endswith(f" in {year}") for c in captions) == count, key
    assert f" in {year}</caption>" in _tables(plan, "p3_mix")[0]


def test_team_column_names_our_peoples_roles(maas) -> None:
    for language, heading in (("en", "Role in the team"), ("nl", "Rol in het team")):
        team = _tables(maas[language][1], "p3_team")[0]
        assert heading in _headers(team)
        assert "Buying role" not in team and "Inkooprol" not in team


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_p2_table_has_one_smart_column(maas) -> None:
    table = _tables(maas["nl"][1], "p2")[0]
    headers = _headers(table)
    assert headers[-1] == "SMART-toets" and not {"S", "M", "H", "R", "T"} & set(headers)
    assert re.search(r"S[✓✗–] M[✓✗–] H[✓✗–] R[✓✗–] T[✓✗–]", table)


@pytest.mark.slow  # the header's summary reads the account's figures and portfolio health
def test_source_line_names_the_workbook_not_a_path(maas, demo: Workbook) -> None:
    header = maas["en"][0].report.header_html()
    assert escape(t("report.source_demo", "en")) + "<" in header  # the demo says it is one
    assert str(demo.path.parent) not in header


def test_source_line_of_a_workbook_names_it_in_words(tmp_path: Path) -> None:
    assert source_text(tmp_path / "sales-2026", "en") == "Source: the workbook 'sales-2026'"
    assert source_text(tmp_path / "sales-2026", "nl") == "Bron: de werkmap 'sales-2026'"


def test_a_prospect_says_there_is_nothing_to_chart_yet(demo: Workbook) -> None:
    analysis = AnalysisReport.build(demo, "AMAND", AS_OF, "en")
    a6 = analysis.section("a6").blocks
    assert all(isinstance(b, str) for b in a6)
    assert any("No chart yet" in b for b in a6)
    p5 = PlanReport.build(demo, "AMAND", AS_OF, "nl").section("p5").blocks
    assert all(isinstance(b, str) for b in p5)
    assert any("Nog geen grafiek" in b for b in p5)


@pytest.mark.parametrize(("language", "said"), [
    ("en", "We have no share of this account's spend yet: in 2025 all of its estimated EUR"),
    ("nl", "We hebben nog geen aandeel in de besteding van dit account: in 2025 ging de hele "
           "geschatte besteding van €")])
def test_a_prospect_is_told_its_whole_spend_goes_elsewhere(demo: Workbook, language: str,
                                                          said: str) -> None:
    """No share in any year: not "went from 0% to 0%" (review 10, F10), but what the
    account spends with others, the size of the chance; the card says none, as before."""
    report = AnalysisReport.build(demo, "AMAND", AS_OF, language)
    found = report.section("a6").findings
    assert found[0].startswith(said)
    assert not any(re.search(r"\b0%", sentence) for sentence in found)  # not 100%
    summary = report.summary()
    assert summary is not None and any(said in line.text for line in summary.lines)
    # its card: no "±0.0 pts on the year before" beside a share of 0.0%
    share = summary.figures[1]
    assert share.note == t("summary.share_none", language) and not re.search(r"\d", share.note)


# ---------------------------------------------------------------- html


def test_table_from_column_specs() -> None:
    frame = pd.DataFrame({"name": ["Rotterdam"], "spend": [1234567.0],
                          "day": [pd.Timestamp("2025-12-31")]})
    table = html.table(frame, [html.Column("name", "Location"),
                               html.Column("spend", "Spend", lambda v: fmt.amount(v, "nl")),
                               html.Column("day", "Date", lambda v: fmt.date(v, "nl"),
                                           "date")],
                       "Spend in 2025")
    assert "<caption" in table and "Spend in 2025" in table
    assert re.search(r'<td class="kk-num" style="[^"]*white-space:nowrap[^"]*">€\u00a01\.234\.567<',
                     table)
    assert re.search(r'<td class="kk-date" style="[^"]*white-space:nowrap[^"]*">31-12-2025<',
                     table)
    assert html.columns({"a": "A"}, {"a": str}) == [html.Column("a", "A", str)]


def test_one_stylesheet_with_the_theme_colours() -> None:
    css = html.stylesheet()
    for part, declarations in html.LOOK.items():
        assert f".kk-{part}{{{declarations}}}" in css
    assert f"--kk-accent:{theme.US};" in css and f"--kk-alert:{theme.ALERT};" in css
    assert theme.US in html.LOOK["findings"] and theme.ALERT in html.LOOK["alert"]
    fragment = html.findings(["x"]) + html.table(pd.DataFrame({"a": [1]}),
                                                 [html.Column("a", "A")])
    assert "style=" in fragment  # a notebook JupyterLab does not trust keeps inline styles
    assert "style=" not in html.unstyled(fragment)
    assert 'class="kk-findings"' in html.unstyled(fragment)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_amounts_and_dates_in_sentences_never_break(language) -> None:
    amount, short, day = (fmt.amount(-3548984, language), fmt.amount_short(3.5e6, language),
                          fmt.date(pd.Timestamp("2026-09-30"), language))
    shown = html.findings([f"Spend {amount} ({short}) as of {day}."])
    for value in (amount, short, day):
        assert f'<span class="kk-nowrap" style="white-space:nowrap">{html.text(value)}</span>' \
            in shown, value


def test_swot_quadrants_are_h3_under_the_section_h2() -> None:
    grid = html.swot_grid({"Strengths": [("S1", "x")]})
    assert "<h3 " in grid and "<h4" not in grid


@pytest.mark.slow
def test_no_table_has_an_empty_header(maas, demo: Workbook) -> None:
    """A column without a header is unnamed for a screen reader (axe: empty-table-header)."""
    prospect = Built(AnalysisReport.build(demo, "AMAND", AS_OF, "en"))
    for built in (*maas["en"], prospect):
        for key in built.report.SECTIONS:
            for table in _tables(built, key):
                assert not re.search(r"<th [^>]*></th>", table), key


@pytest.mark.parametrize("language", ["en", pytest.param("nl", marks=pytest.mark.slow)])
def test_a_table_says_the_currency_once_in_a_column_of_amounts(language: str) -> None:
    """A column whose header names the currency ("Revenue (EUR)", "Omzet (€)") shows the
    figures alone, not "EUR 24,876,723" again in every cell; a column whose header does not
    (P2's baselines, in several units) names it in each cell."""
    currency = fmt.currency_name(language)
    reports = [demo_reports.report(AnalysisReport, "MAAS", language),
               demo_reports.report(PlanReport, "MAAS", language),
               demo_reports.portfolio(language)]
    columns = 0
    for report in reports:
        for key in report.SECTIONS:
            for block in report.section(key).blocks:
                if not isinstance(block, str) or 'class="kk-table"' not in block:
                    continue
                heads = re.findall(r"<th[^>]*>(.*?)</th>", block)
                for row in re.findall(r"<tr>(<td.*?)</tr>", block):
                    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
                    for head, cell in zip(heads, cells, strict=True):
                        if f"({escape(currency)})" in head:
                            columns += 1
                            assert escape(currency) not in cell, (key, head, cell)
    assert columns > 20
