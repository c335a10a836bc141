"""The portfolio report and the executive summary, built from the demo without a kernel: what
a director reads first, the KAM's page, the comparison with the previous quarter's snapshot
(as reported then, not recomputed), and where the summary and contents sit."""

from __future__ import annotations

import copy
import math
import re
from html import escape
from pathlib import Path

import demo_reports
import nbformat
import pandas as pd
import pytest

from kamkit import portfolio as pf
from kamkit.batch.convert import ReportConverter, ReportPage
from kamkit.batch.layout import snapshot_path
from kamkit.charts import portfolio as matrix_chart
from kamkit.charts.portfolio import label_places, portfolio_matrix_chart
from kamkit.findings import portfolio as findings
from kamkit.labels import t
from kamkit.report.analysis import AnalysisReport
from kamkit.report.plan import PlanReport
from kamkit.report.portfolio import PortfolioReport
from kamkit.report.summary import MAX_LINES, MIN_LINES, TOC_SLOT, anchor
from kamkit.workbook import load_workbook_cached
from tests.small_demo import SMALL_FAST_WHOLE_SLOW

AS_OF = "2026Q3"


@pytest.fixture(scope="module")
def q2_snapshot() -> dict:
    """The demo's snapshot of 2026Q2, as a run of that quarter writes it."""
    return pf.snapshot(load_workbook_cached(), "2026Q2")


def write(folder: Path, snapshot: dict) -> Path:
    return pf.write_snapshot(snapshot_path(folder, snapshot["quarter"]), snapshot)


def test_portfolio_without_snapshot_says_so_plainly(tmp_path: Path) -> None:
    report = PortfolioReport.build(None, AS_OF, "en", snapshots=tmp_path)
    changes = report.section("pf_changes")
    assert changes.findings == ("No snapshot of 2026Q2 yet: nothing to compare with.",)
    assert demo_reports.portfolio("nl").section("pf_changes").findings == (
        t("report.portfolio.no_folder", "nl"),)
    assert "pf_actions" not in report.sections()  # the whole portfolio: no KAM's actions


@pytest.mark.slow  # the whole demo portfolio: every account's figures, health and plan
def test_attention_first_names_the_off_track_account_with_its_reasons() -> None:
    report = demo_reports.portfolio("en")
    table = report.table
    maas = table.set_index("account_id").loc["MAAS"]
    assert maas["plan_status"] == "off_track" and maas["actions_overdue"] == 3
    html = "".join(b for b in report.section("pf_attention").blocks if isinstance(b, str))
    items = re.findall(r"<li>(.*?)</li>", html)
    assert items[0].startswith("Maasport Logistics B.V. (KAM Sanne de Vries): plan off track")
    assert "3 actions overdue" in items[0]
    # every account listed has a warning sign; an on-track account without one is not
    clean = table[(table["plan_status"] == "on_track") & (table["actions_overdue"] == 0)
                  & (table["health"] >= findings.HEALTH_LOW)
                  & (table["share_change_pts"] > findings.SHARE_DROP_PTS)
                  & (table["revenue_growth_pct"] >= 0)]
    assert not clean.empty
    for name in clean["name"]:
        assert escape(name) not in html


@pytest.mark.sample(1)  # the fast tier: English on the small demo (conftest.py)
@SMALL_FAST_WHOLE_SLOW
@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_the_totals_table_says_it_is_the_key_accounts_revenue(demo_folder: Path,
                                                              language: str) -> None:
    """The yearly totals add up the key accounts only (the prospects and other customers
    are not in them): the table says so."""
    report = demo_reports.portfolio(language, folder=demo_folder)
    block = "".join(b for b in report.section("pf_totals").blocks if isinstance(b, str))
    assert f">{escape(t('report.pf_totals_caption', language))}</caption>" in block


def test_attention_weighs_reasons_on_a_hand_made_portfolio() -> None:
    table = pd.DataFrame([
        {"account_id": "A", "name": "Alpha", "kam_name": "Ann", "status": "key_account",
         "plan_status": "at_risk", "plan_achievement_pct": 95.0, "actions_overdue": 0,
         "health": 70.0, "weakest": "satisfaction", "share_change_pts": 0.5,
         "revenue_growth_pct": 2.0},
        {"account_id": "B", "name": "Beta", "kam_name": "Bob", "status": "key_account",
         "plan_status": "on_track", "plan_achievement_pct": 101.0, "actions_overdue": 2,
         "health": 80.0, "weakest": "complaints", "share_change_pts": -2.0,
         "revenue_growth_pct": -3.0},
        {"account_id": "C", "name": "Gamma", "kam_name": "Cy", "status": "key_account",
         "plan_status": "on_track", "plan_achievement_pct": 100.0, "actions_overdue": 0,
         "health": 90.0, "weakest": "complaints", "share_change_pts": 0.0,
         "revenue_growth_pct": 1.0},
        {"account_id": "P", "name": "Pros", "kam_name": "Ann", "status": "prospect",
         "plan_status": None, "plan_achievement_pct": None, "actions_overdue": 5,
         "health": 10.0, "weakest": "history", "share_change_pts": None,
         "revenue_growth_pct": None}])
    listed = findings.attention(table, {"C": -12.0}, "en")
    # B: overdue 2 + share 1 + revenue 1 = 4; C: health fell 2; A: at risk 2 (lower health
    # of the two goes first); prospects are not key accounts
    assert [a for a, _ in listed] == ["B", "A", "C"]
    assert listed[0][1] == ("Beta (KAM Bob): 2 actions overdue; share of wallet -2.0 pts; "
                            "revenue -3.0%.")
    assert "health fell by 12 points to 90" in listed[2][1]


def test_changes_are_told_by_their_labels_and_amounts_that_round_alike_in_full() -> None:
    rows = pd.DataFrame([
        {"change": "revenue_12m", "subject": None, "before": 3_522_971.0,
         "after": 3_451_430.0, "delta": -71_541.0},
        {"change": "revenue_12m", "subject": None, "before": 3_000_000.0,
         "after": 3_500_000.0, "delta": 500_000.0},
        {"change": "health_component", "subject": "complaints", "before": 5.0, "after": 2.0,
         "delta": -3.0},  # a component: the health section tells it, not the changes
        {"change": "objective_retargeted", "subject": "OB2", "before": 500_000.0,
         "after": 400_000.0, "delta": -100_000.0},
        {"change": "action_overdue", "subject": "AC03", "before": None, "after": "2026-06-30",
         "delta": None}])
    assert findings.account_changes(rows, "nl") == [
        "omzet laatste 12 maanden €\u00a03.522.971 → €\u00a03.451.430 (-2,0%)",
        "omzet laatste 12 maanden €\u00a03,0\u00a0mln → €\u00a03,5\u00a0mln (+16,7%)",
        "doelstelling OB2 nieuw doel 500.000 → 400.000", "actie AC03 nu te laat"]
    assert list(findings.told_changes(rows)["change"]) == [
        "revenue_12m", "revenue_12m", "objective_retargeted", "action_overdue"]
    assert findings.change_name("health_component", "complaints", "en") == "health: complaints"


@pytest.mark.slow  # the figures, health and plans of the KAM's demo accounts
def test_kams_page_has_only_their_accounts_and_their_actions_by_horizon() -> None:
    workbook = load_workbook_cached()
    report = demo_reports.portfolio("nl", kam="P03")
    own = set(workbook.accounts.loc[(workbook.accounts["kam"] == "P03").to_numpy()
                                    & workbook.accounts["status"].isin(
                                        ["key_account", "prospect"]).to_numpy(),
                                    "account_id"])
    assert set(report.table["account_id"]) == own and "MAAS" in own
    actions = report.section("pf_actions")
    table = actions.blocks[0]
    names = set(workbook.accounts.set_index("account_id").loc[sorted(own), "name"])
    shown = set(re.findall(r"<td[^>]*>([^<]*)</td>", table))
    assert shown & names and not (shown & (set(workbook.accounts["name"]) - names))
    horizons = re.findall(r"<tr><td[^>]*>([^<]*)</td>", table)
    order = [t(f"horizon.{h.replace(' ', '_')}", "nl") for h in
             ("overdue", "next 3 weeks", "next 3 months", "next 4 quarters", "later")]
    assert horizons == sorted(horizons, key=order.index)  # overdue first
    with pytest.raises(Exception, match="No KAM 'NOBODY'"):
        PortfolioReport.build(workbook, AS_OF, "en", kam="NOBODY")


@pytest.mark.slow  # the whole demo portfolio and two of its reports, against a snapshot
def test_changes_are_as_reported_then(tmp_path: Path, q2_snapshot: dict) -> None:
    """The previous snapshot is read, not recomputed: a target moved since, a health score
    reported then, show as they were."""
    before = copy.deepcopy(q2_snapshot)
    maas = before["accounts"]["MAAS"]
    maas["health"]["score"] = 80.0
    objective = maas["plan"]["objectives"][1]
    objective["target"] = objective["target"] + 100_000
    write(tmp_path, before)
    report = PortfolioReport.build(None, AS_OF, "en", snapshots=tmp_path)
    changes = report.section("pf_changes")
    assert changes.findings[0].startswith("Compared with the snapshot of 2026Q2")
    row = re.search(r"<tr><td[^>]*>Maasport Logistics B\.V\.</td><td[^>]*>(.*?)</td>",
                    changes.blocks[0])
    assert row is not None
    assert "health 80 → " in row[1]
    assert f"objective {objective['id']} re-targeted" in row[1]
    # the matrix draws where MAAS stood then
    placed = report.placements().set_index("account_id")
    assert placed.at["MAAS", "attractiveness_before"] == maas["matrix"]["attractiveness"]
    # the account's own summary says it too, and links to its health section
    summary = AnalysisReport.build(None, "MAAS", AS_OF, "en", snapshots=tmp_path).summary()
    first = summary.lines[0]
    assert first.text.startswith("Since 2026Q2: ") and first.section == "health"
    assert re.search(r"health 80 → \d+", first.text)
    plan = PlanReport.build(None, "MAAS", AS_OF, "en", snapshots=tmp_path).summary()
    assert any(f"objective {objective['id']} re-targeted" in line.text and line.section == "p2"
               for line in plan.lines)


# a key account's analysis and a prospect's plan in the fast tier, every pair in `slow` (a
# prospect's analysis ranks it among the portfolio's prospects: seconds)
SUMMARIES = [pytest.param(account_id, report_class, marks=() if (account_id, report_class) in {
    ("MAAS", AnalysisReport), ("AMAND", PlanReport)} else pytest.mark.slow)
    for account_id in ("MAAS", "KRONE", "AMAND") for report_class in (AnalysisReport, PlanReport)]


@pytest.mark.parametrize(("account_id", "report_class"), SUMMARIES)
@pytest.mark.sample(1)  # the cases covered by the others: benchmarks/fast_tier.py
def test_summary_opens_the_report_and_links_to_its_sections(report_class, account_id) -> None:
    report = demo_reports.report(report_class, account_id, "nl", AS_OF)
    summary = report.summary()
    assert summary is not None
    assert MIN_LINES <= len(summary.lines) <= MAX_LINES
    assert 3 <= len(summary.figures) <= 4
    header = report.header_html()
    # title, summary, then the source and the table of contents
    assert header.index("<h1>") < header.index(anchor("summary")) \
        < header.index(escape(t("report.source_demo", "nl"))) < header.index(TOC_SLOT)
    for line in summary.lines:
        target = f'id="{anchor(line.section)}"'
        assert target in report.section(line.section).html()
        assert f'href="#{anchor(line.section)}"' in summary.html()
        assert escape(line.text) in summary.html()


def test_contents_go_into_the_slot_below_the_summary() -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    nb.cells[0].outputs = [nbformat.v4.new_output(
        "display_data", {"text/html": "<h1>T</h1><section>S</section>" + TOC_SLOT}),
        nbformat.v4.new_output("display_data", {
            "text/html": '<h2 id="kk-a1">A1 Vision</h2><h2>Other</h2>'})]
    page = ReportPage("en", "T", (), "../index.html", "Back", "Contents", "footer")
    html = ReportConverter().convert(nb, page)
    body = html[html.index("<body>"):]
    assert body.index("<section>S</section>") < body.index('class="kk-toc"') \
        < body.index('<h2 id="kk-a1">')
    assert body.count('class="kk-toc"') == 1
    assert '<a href="#kk-a1">A1 Vision</a>' in body and '<a href="#section-2">Other</a>' in body
    assert "<script" not in body  # only the portfolio page sorts


def test_matrix_chart_names_quadrants_and_draws_movement() -> None:
    placed = pd.DataFrame([
        {"account_id": "A", "name": "Alpha", "status": "key_account", "attractiveness": 80.0,
         "position": 70.0, "revenue": 1e6, "wallet": 3e6,
         "attractiveness_before": 60.0, "position_before": 65.0},
        {"account_id": "P", "name": "Pros", "status": "prospect", "attractiveness": 75.0,
         "position": 10.0, "revenue": None, "wallet": 2e6,
         "attractiveness_before": None, "position_before": None}])
    spec = portfolio_matrix_chart(placed, "nl").to_dict()
    text = str(spec)
    for key in pf.QUADRANTS:
        assert t(f"quadrant.{key}", "nl") in text
    rules = [layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "rule"
             or layer.get("mark") == "rule"]
    assert len(rules) == 1  # one account moved
    assert portfolio_matrix_chart(placed.iloc[0:0], "en") is None
    assert spec["description"].startswith("2 accounts") and "Investeren 1" in spec["description"]


def _label_boxes(data: pd.DataFrame) -> list[tuple[float, float, float, float]]:
    """The labels' boxes in the plot's pixels, as the chart reckons them."""
    kx, ky = matrix_chart.WIDTH / 100, matrix_chart.HEIGHT / 100
    font = matrix_chart.LABEL_SIZE * matrix_chart.LABEL_ROOM
    places = label_places(data)
    return [(x * kx, (100 - y) * ky, x * kx + matrix_chart.CHAR_WIDTH * font * len(label),
             (100 - y) * ky + font * 1.2)
            for x, y, label in zip(places["label_x"], places["label_y"], places["label"],
                                   strict=True) if label]


def test_matrix_labels_overlap_no_other_label_and_stay_in_the_plot() -> None:
    """Accounts placed close together (here five within 3 points, one at a corner) each get
    their label where no other label is."""
    data = pd.DataFrame({
        "account_id": ["ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO", "EDGE"],
        "position": [60.0, 61.0, 62.0, 60.5, 61.5, 100.0],
        "attractiveness": [60.0, 61.0, 60.5, 62.0, 59.0, 100.0],
        "size": [4e6, 1e6, 2e6, 3e6, 0.0, 5e5]})
    boxes = _label_boxes(data)
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[2] <= matrix_chart.WIDTH and a[1] >= 0 \
            and a[3] <= matrix_chart.HEIGHT, data["account_id"][i]
        for b in boxes[i + 1:]:
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1]), (
                a, b)
    spec = portfolio_matrix_chart(data.assign(status="key_account", revenue=data["size"],
                                              wallet=data["size"]), "en").to_dict()
    text = next(layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "text"
                and layer["encoding"].get("text", {}).get("field") == "label")
    assert text["encoding"]["x"]["field"] == "label_x"


def _gap(box: tuple[float, float, float, float], x: float, y: float) -> float:
    nx, ny = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    return math.hypot(nx - x, ny - y)


def test_a_matrix_label_is_nearer_its_own_mark_or_has_a_leader_line() -> None:
    """The demo's crowded middle (MAAS between DELTA and RHEIN): a label never sits nearer
    another mark than its own without a line to its own; marks on one spot share a label."""
    data = pd.DataFrame({
        "account_id": ["DELTA", "MAAS", "RHEIN", "KRONE", "NOVA", "ATLAS", "LUMEN", "TWIN"],
        "position": [53.5, 62.5, 66.0, 49.0, 72.0, 95.0, 94.5, 95.1],
        "attractiveness": [63.0, 63.3, 61.5, 72.5, 72.5, 48.0, 47.0, 48.1],
        "size": [3e6, 3e6, 1.5e6, 1.5e6, 1.5e6, 4e6, 2e6, 1e5]})
    places = label_places(data)
    kx, ky = matrix_chart.WIDTH / 100, matrix_chart.HEIGHT / 100
    low, high = matrix_chart.AREAS
    radii = [math.sqrt((low + (high - low) * v / data["size"].max()) / math.pi)
             for v in data["size"]]
    centres = list(zip(data["position"] * kx, (100 - data["attractiveness"]) * ky,
                       strict=True))
    boxes = dict(zip((i for i, label in enumerate(places["label"]) if label),
                     _label_boxes(data), strict=True))
    assert places["label"].iloc[5] == "ATLAS, TWIN" and places["label"].iloc[7] == ""
    for i, box in boxes.items():
        own = _gap(box, *centres[i]) - (max(radii[5], radii[7]) if i == 5 else radii[i])
        others = [_gap(box, *c) - radii[j] for j, c in enumerate(centres) if j not in (i, 7)]
        assert own <= min(others) or not math.isnan(places["leader_x"].iloc[i]), (
            data["account_id"][i])


CROWD = pd.DataFrame({
    "account_id": ["ATLAS", "LUMEN", "TWIN", "SAME", "EDGE", "BELOW", "ABOVE", "FAR"],
    "position": [95.0, 94.35, 40.0, 40.0, 100.0, 60.0, 60.2, 20.0],
    "attractiveness": [48.16, 47.0, 30.0, 30.0, 100.0, 49.8, 50.0, 90.0],
    "size": [4.6e6, 2.8e6, 1e6, 1e6, 3e6, 2e6, 2e6, 1e6]})
"""Marks a reader could not tell apart: the demo's ATLAS and LUMEN, two on one spot, one in
a corner, two astride the middle line, and one far from all."""


def test_marks_on_nearly_one_spot_are_drawn_apart_yet_cover_their_own_place() -> None:
    drawn = matrix_chart.drawn_places(CROWD)
    kx, ky = matrix_chart.WIDTH / 100, matrix_chart.HEIGHT / 100
    radii = matrix_chart.radii(CROWD["size"])
    home = list(zip(CROWD["position"] * kx, (100 - CROWD["attractiveness"]) * ky, strict=True))
    at = list(zip(drawn["drawn_position"] * kx, (100 - drawn["drawn_attractiveness"]) * ky,
                  strict=True))
    for i, name in enumerate(CROWD["account_id"]):
        # the drawn mark still covers the exact place it stands for, in its own quadrant
        assert math.dist(home[i], at[i]) <= matrix_chart.SPREAD * radii[i] + 1e-6, name
        assert pf.quadrant(CROWD["attractiveness"][i], CROWD["position"][i]) == pf.quadrant(
            drawn["drawn_attractiveness"][i], drawn["drawn_position"][i]), name
        assert 0 <= drawn["drawn_position"][i] <= 100 and 0 <= drawn[
            "drawn_attractiveness"][i] <= 100, name
    for i, j in ((0, 1), (2, 3)):  # apart: neither centre under the other mark
        assert math.dist(at[i], at[j]) >= max(radii[i], radii[j]), CROWD["account_id"][i]
    assert at[7] == pytest.approx(home[7]) and at[4] == pytest.approx(home[4])  # alone
    assert drawn.equals(matrix_chart.drawn_places(CROWD))  # the same every time


def test_the_matrix_draws_marks_apart_but_tells_their_exact_scores() -> None:
    spec = portfolio_matrix_chart(CROWD.assign(status="key_account", name=CROWD["account_id"],
                                               revenue=CROWD["size"], wallet=CROWD["size"]),
                                  "en").to_dict()
    points = next(layer for layer in spec["layer"] if layer.get("mark", {}).get("type")
                  == "circle")
    assert points["encoding"]["x"]["field"] == "drawn_position"
    assert [tip["field"] for tip in points["encoding"]["tooltip"]][1:3] == [
        "attractiveness", "position"]
    rows = spec["datasets"][points["data"]["name"]]
    lumen = next(row for row in rows if row["account_id"] == "LUMEN")
    assert (lumen["position"], lumen["attractiveness"]) == (94.35, 47.0)
    assert lumen["drawn_position"] != 94.35
    sizes = [row["size"] for row in rows]  # larger first: a small mark is drawn over them
    assert sizes == sorted(sizes, reverse=True)


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_no_key_accounts_is_never_no_warning_sign(mini_copy: Path) -> None:
    accounts = mini_copy / "accounts.csv"
    accounts.write_text(accounts.read_text(encoding="utf-8").replace(
        "key_account", "prospect"), encoding="utf-8")
    report = PortfolioReport.build(mini_copy, "2025Q4", "en")
    assert report.section("pf_attention").findings == (
        t("find.pf.no_key_accounts", "en"),)
