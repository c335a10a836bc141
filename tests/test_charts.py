"""The analysis charts: marks, fields, fixed holder colours, translated titles, offline SVG.

Charts are checked through their Vega-Lite spec (``chart.to_dict()``) and rendered to SVG
with vl-convert, which needs no browser or network.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import vl_convert

from kamkit import analysis as an
from kamkit.charts import analysis as charts
from kamkit.charts import theme
from kamkit.labels import forms, labels, t
from kamkit.workbook import AccountData, Workbook, load_workbook

MINI = Path(__file__).parent / "fixtures" / "mini"

AS_OF = "2025-12-31"

ChartOf = Callable[[AccountData, str], object]

CHARTS: dict[str, ChartOf] = {
    "spend": lambda a, lang: charts.spend_chart(
        an.total_spend(a, by=("year", "service")), a.services, lang),
    "share_of_wallet": lambda a, lang: charts.share_of_wallet_chart(
        an.share_of_wallet(a, by=("year",)), lang),
    "holders": lambda a, lang: charts.holder_shares_chart(
        an.holder_shares(a, by=("year",)), a.competitors, lang),
    "holders_by_service": lambda a, lang: charts.holder_shares_chart(
        an.holder_shares(a, by=("year", "service")), a.competitors, lang, facet="service",
        names=a.services),
    "holders_by_location": lambda a, lang: charts.holder_shares_chart(
        an.holder_shares(a, by=("year", "location")), a.competitors, lang,
        facet="location"),
    "share_changes": lambda a, lang: charts.share_changes_chart(
        an.share_changes(a, 2024, 2025), a.competitors, lang),
    "whitespace": lambda a, lang: charts.whitespace_chart(
        an.whitespace(a, 2025), a.competitors, lang),
    "revenue_history": lambda a, lang: charts.revenue_history_chart(
        an.revenue_by_year(a), an.timeline(a), lang),
    "coverage": lambda a, lang: charts.coverage_chart(an.coverage_by_level(a), lang),
    "satisfaction": lambda a, lang: charts.satisfaction_chart(
        an.satisfaction(a), an.complaints(a, AS_OF), lang),
    "contact_matrix": lambda a, lang: charts.contact_matrix_chart(
        an.contact_matrix(a, AS_OF), an.org_chart(a), lang),
}

# chart -> (marks, fields it encodes, an English and a Dutch title it must show)
EXPECTED: dict[str, tuple[set[str], set[str], str, str]] = {
    "spend": ({"bar"}, {"year_label", "spend", "service_name", "confidence"},
              "Spend (EUR)", "Besteding (€)"),
    "share_of_wallet": ({"line", "point", "text"},
                        {"year_label", "share", "confidence", "our_revenue", "spend"},
                        "Our share of wallet", "Ons aandeel in de besteding"),
    "holders": ({"bar", "text"}, {"year_label", "holder_label", "share", "spend"},
                "Supplier", "Leverancier"),
    "holders_by_service": ({"bar", "text"}, {"year_label", "holder_label", "facet_label"},
                           "Service", "Dienst"),
    "holders_by_location": ({"bar", "text"}, {"year_label", "holder_label", "facet_label"},
                            "Location", "Locatie"),
    "share_changes": ({"bar", "rule", "text"}, {"row_label", "change_pts", "share_from"},
                      "Change (pts)", "Verandering (%-punt)"),
    "whitespace": ({"rect", "text"},
                   {"service_name", "location_name", "cell_label", "open_spend", "share",
                    "room", "confidence"},
                   "Main supplier", "Grootste leverancier"),
    "revenue_history": ({"bar", "point"}, {"start", "amount", "date", "type_label"},
                        "Amount (EUR)", "Bedrag (€)"),
    "coverage": ({"bar", "text"}, {"level_label", "count", "share_covered", "strength"},
                 "Strongest relationship", "Sterkste relatie"),
    "satisfaction": ({"line", "point"}, {"date", "score", "status", "description"},
                     "Satisfaction (0-10)", "Tevredenheid (0-10)"),
    "contact_matrix": ({"rect", "text"},
                       {"person", "contact", "strength", "days_since", "last_contact"},
                       "Our person", "Onze medewerker"),
}


@pytest.fixture(scope="module")
def mini() -> Workbook:
    return load_workbook(MINI)


@pytest.fixture(scope="module")
def a1(mini: Workbook) -> AccountData:
    return mini.account("A1")


@pytest.fixture(scope="module")
def a2(mini: Workbook) -> AccountData:
    return mini.account("A2")


@pytest.fixture(scope="module")
def specs(a1: AccountData) -> dict[tuple[str, str], dict]:
    """Every chart of A1 in both languages, as Vega-Lite specs."""
    return {(name, lang): build(a1, lang).to_dict()
            for name, build in CHARTS.items() for lang in ("en", "nl")}


# ---------------------------------------------------------------------------- spec helpers


def _dicts(node: object) -> Iterator[dict]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _dicts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _dicts(value)


def _without_data(spec: dict) -> dict:
    return {key: value for key, value in spec.items() if key != "datasets"}


def _named(spec: dict, key: str, inner: str) -> set[str]:
    """Every ``key`` of the spec given as text, or as an object with the text in ``inner``
    ("mark": "bar" or {"type": "bar", ...})."""
    found = set()
    for node in _dicts(_without_data(spec)):
        value = node.get(key)
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict) and isinstance(value.get(inner), str):
            found.add(value[inner])
    return found


def marks(spec: dict) -> set[str]:
    return _named(spec, "mark", "type")


def fields(spec: dict) -> set[str]:
    return {node["field"] for node in _dicts(_without_data(spec))
            if isinstance(node.get("field"), str)}


def english_only() -> set[str]:
    """Every English text (each plural form) that is no Dutch text ("Type" is both)."""
    def every(language: str) -> set[str]:
        return {form for texts in labels().values() for form in forms(texts[language])}

    return every("en") - every("nl")


def titles(spec: dict) -> set[str]:
    return _named(spec, "title", "text")


def colours(spec: dict) -> dict[str, str]:
    """Name -> colour of every scale with an explicit domain and range in the spec."""
    found: dict[str, str] = {}
    for node in _dicts(_without_data(spec)):
        domain, range_ = node.get("domain"), node.get("range")
        if (isinstance(domain, list) and isinstance(range_, list)
                and all(isinstance(c, str) and c.startswith("#") for c in range_)):
            found.update(zip(domain, range_, strict=False))
    return found


def colour_scales(spec: dict) -> list[dict]:
    return [node["scale"] for node in _dicts(_without_data(spec))
            if isinstance(node.get("scale"), dict) and "domain" in node["scale"]]


# ---------------------------------------------------------------------------- tests


@pytest.mark.parametrize("name", list(CHARTS))
@pytest.mark.sample(10)  # the cases covered by the others: benchmarks/fast_tier.py
def test_chart_has_its_marks_fields_and_size(specs, name) -> None:
    expected_marks, expected_fields, _, _ = EXPECTED[name]
    spec = specs[(name, "en")]
    assert expected_marks <= marks(spec)
    assert expected_fields <= fields(spec)
    widths = {node["width"] for node in _dicts(_without_data(spec))
              if isinstance(node.get("width"), int)}
    if name not in ("holders_by_service", "holders_by_location", "contact_matrix"):
        assert max(widths) >= theme.WIDTH
    assert spec["config"]["font"] == theme.FONT  # the theme (theme.config)


@pytest.mark.parametrize("name", list(CHARTS))
def test_titles_are_translated(specs, name) -> None:
    _, _, english, dutch = EXPECTED[name]
    assert english in titles(specs[(name, "en")])
    dutch_titles = titles(specs[(name, "nl")])
    assert dutch in dutch_titles
    assert not dutch_titles & english_only()


def test_numbers_use_the_language_separators(specs) -> None:
    assert specs[("spend", "en")]["config"]["locale"]["number"]["thousands"] == ","
    assert specs[("spend", "nl")]["config"]["locale"]["number"]["thousands"] == "."


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.sample(1)  # the cases covered by the others: benchmarks/fast_tier.py
def test_holders_keep_their_colour_on_every_chart(specs, a2, language) -> None:
    us = t("word.us", language)
    in_house = t("word.in_house", language)
    holder_charts = ("holders", "holders_by_service", "share_changes", "whitespace")
    for name in holder_charts:
        found = colours(specs[(name, language)])
        assert found[us] == theme.US, name
        assert found["Nordclean Services"] == theme.COMPETITOR_COLOURS[0], name
        # a competitor absent from A1 still has its own fixed colour
        assert found["Veritas Facility Group"] == theme.COMPETITOR_COLOURS[1], name
        assert found[in_house] == theme.IN_HOUSE, name
    # and on another account, where only Veritas holds spend
    other = colours(CHARTS["holders"](a2, language).to_dict())
    assert other["Veritas Facility Group"] == theme.COMPETITOR_COLOURS[1]
    assert other[us] == theme.US


def test_holder_legend_lists_only_the_holders_present(specs) -> None:
    legends = [node["legend"] for node in _dicts(_without_data(specs[("holders", "en")]))
               if isinstance(node.get("legend"), dict) and "values" in node["legend"]]
    assert legends[0]["values"] == ["us", "Nordclean Services", "in-house", "unknown"]


def test_whitespace_cells_without_estimate_are_light_and_labelled(specs) -> None:
    spec = specs[("whitespace", "nl")]
    found = colours(spec)
    assert found["geen schatting"] == "#f3f3f3"
    assert found["geen besteding"] == "#e4e4dc"
    rows = next(iter(spec["datasets"].values()))
    rotterdam = next(r for r in rows if r["service_name"] == "Office cleaning"
                     and r["location_name"] == "Rotterdam")
    assert rotterdam["cell_label"] == "Nordclean Services"
    assert rotterdam["text"] == "wij 15%\nopen €\u00a08.500"
    assert rotterdam["confidence"] == "hoog"


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_contact_matrix_shows_contacts_without_relationship(mini) -> None:
    account = mini.account("A1")
    matrix = an.contact_matrix(account, AS_OF)
    matrix = matrix[matrix["contact_id"] != "A1-C3"]  # Eva Mulder loses her relationship
    spec = charts.contact_matrix_chart(matrix, an.org_chart(account), "en").to_dict()
    rows = [row for rows in spec["datasets"].values() for row in rows]
    eva = [row for row in rows if row["contact"] == "Eva Mulder"]
    assert eva and all(row["strength"] is None for row in eva)
    levels = [block["title"]["text"] for block in spec["hconcat"]]
    assert levels == ["strategic", "tactical", "operational"]


def test_facets_follow_the_workbook_order_and_names(a1) -> None:
    frame = an.holder_shares(a1, by=("year", "service"))
    spec = charts.holder_shares_chart(frame, a1.competitors, "nl", facet="service",
                                      names=a1.services).to_dict()
    assert spec["facet"]["sort"] == ["Office cleaning", "Security"]
    assert spec["facet"]["title"] == "Dienst"
    with pytest.raises(Exception, match="by=\\('year', 'location'\\)"):
        charts.holder_shares_chart(frame, a1.competitors, "en", facet="location")


def test_share_changes_can_name_the_years(a1) -> None:
    spec = charts.share_changes_chart(an.share_changes(a1, 2024, 2025), a1.competitors, "nl",
                                      years=(2024, 2025)).to_dict()
    assert {"Aandeel 2024", "Aandeel 2025"} <= titles(spec)


@pytest.mark.parametrize("name", list(CHARTS))
def test_an_account_without_data_gives_no_chart(bare, name) -> None:
    assert CHARTS[name](bare, "en") is None


@pytest.mark.parametrize("name", ["share_changes", "revenue_history", "contact_matrix"])
def test_a2_without_sales_history_or_relationships_gives_no_chart(a2, name) -> None:
    # A2 has a spend estimate for 2025 only (so no change since 2024), no sales, no history
    # and no relationships; its wallet charts do have something to show.
    assert CHARTS[name](a2, "nl") is None


def test_empty_frames_give_no_chart(a1) -> None:
    def none(frame):
        return frame.iloc[0:0]

    assert charts.spend_chart(none(an.total_spend(a1, by=("year", "service"))), a1.services,
                              "en") is None
    assert charts.share_of_wallet_chart(none(an.share_of_wallet(a1)), "en") is None
    assert charts.holder_shares_chart(none(an.holder_shares(a1)), a1.competitors, "en") is None
    assert charts.share_changes_chart(none(an.share_changes(a1, 2024, 2025)), a1.competitors,
                                      "en") is None
    assert charts.whitespace_chart(none(an.whitespace(a1, 2025)), a1.competitors, "en") is None
    assert charts.revenue_history_chart(none(an.revenue_by_year(a1)), none(an.timeline(a1)),
                                        "en") is None
    assert charts.coverage_chart(none(an.coverage_by_level(a1)), "en") is None
    assert charts.contact_matrix_chart(none(an.contact_matrix(a1)), an.org_chart(a1),
                                       "en") is None


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_coverage_shows_every_contact_by_strength(a1) -> None:
    spec = charts.coverage_chart(an.coverage_by_level(a1), "en").to_dict()
    rows = [row for data in spec["datasets"].values() for row in data]
    counts = {(row["level_label"], row["strength"]): row["count"] for row in rows}
    # A1: the CEO at 3, the facility manager at 4, the site supervisor at 2 only
    assert counts[("strategic", "3 regular working contact")] == 1
    assert counts[("operational", "2 occasional contact")] == 1
    assert {row["text"] for row in rows if row["level_label"] == "operational"} == {
        "0% (0/1)"}
    found = colours(spec)
    # below the minimum in greys, from it on in blues, none at all apart
    assert found["2 occasional contact"] != found["3 regular working contact"]
    assert len(set(found.values())) == 6
    assert "Covered: a relationship of at least strength 3 (regular working contact)" in \
        titles(spec)
    lenient = charts.coverage_chart(an.coverage_by_level(a1, 2), "en", 2).to_dict()
    assert "2 occasional contact" in colours(lenient)


def test_share_of_wallet_points_show_the_confidence_of_most_spend(a1) -> None:
    # 2025: 10000 of 12000 estimated with high confidence, 2000 with low
    spec = charts.share_of_wallet_chart(an.share_of_wallet(a1), "en").to_dict()
    rows = {row["year_label"]: row for data in spec["datasets"].values() for row in data}
    assert rows["2025"]["confidence"] == "high"
    assert rows["2025"]["confidence_mix"] == "83% high, 17% low"
    assert rows["2024"]["confidence"] == "medium"


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_satisfaction_with_open_and_closed_complaints(a1) -> None:
    # on 2025-04-10 the complaint of 2025-04-02 (closed 2025-04-20) is still open
    spec = charts.satisfaction_chart(an.satisfaction(a1), an.complaints(a1, "2025-04-10"),
                                     "nl").to_dict()
    rows = [row for data in spec["datasets"].values() for row in data]
    assert [row["score"] for row in rows if "score" in row] == [7.5]
    assert [row["status"] for row in rows if "status" in row] == ["open"]
    assert colours(spec)["open"] == theme.ALERT
    assert charts.satisfaction_chart(an.satisfaction(a1).iloc[0:0],
                                     an.complaints(a1, AS_OF).iloc[0:0], "en") is None
    only_scores = charts.satisfaction_chart(an.satisfaction(a1),
                                            an.complaints(a1, AS_OF).iloc[0:0], "en")
    assert marks(only_scores.to_dict()) == {"line", "point"}


def test_revenue_history_shows_either_part_alone(a1) -> None:
    only_events = charts.revenue_history_chart(an.revenue_by_year(a1).iloc[0:0],
                                               an.timeline(a1), "en").to_dict()
    assert marks(only_events) == {"point"}
    only_revenue = charts.revenue_history_chart(an.revenue_by_year(a1),
                                                an.timeline(a1).iloc[0:0], "en").to_dict()
    assert marks(only_revenue) == {"bar"}


@pytest.mark.slow  # vl-convert draws every chart in both languages
@pytest.mark.parametrize("name", list(CHARTS))
def test_renders_to_svg_offline(specs, name) -> None:
    _, _, english, dutch = EXPECTED[name]
    for language, title in (("en", english), ("nl", dutch)):
        svg = vl_convert.vegalite_to_svg(specs[(name, language)])
        assert svg.startswith("<svg")
        assert title.replace("&", "&amp;") in svg, (name, language)


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_revenue_history_legend_shows_its_labels_whole(a1, language: str) -> None:
    revenue = an.revenue_by_year(a1).copy()
    revenue.loc[revenue.index[-1], "months_with_sales"] = 10  # a year drawn lighter
    chart = charts.revenue_history_chart(revenue, an.timeline(a1).iloc[0:0], language)
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    year = int(revenue["year"].iloc[-1])
    part = t("chart.part_year", language, year=year, count=10)
    assert part in svg.replace("&#39;", "'")
    assert "…" not in svg  # no label cut short


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_revenue_history_leaves_out_a_margin_not_known_in_any_year(a1) -> None:
    revenue = an.revenue_by_year(a1).assign(gross_margin=float("nan"), margin_pct=float("nan"))
    spec = charts.revenue_history_chart(revenue, an.timeline(a1).iloc[0:0], "nl").to_dict()
    rows = [row for data in spec["datasets"].values() for row in data]
    assert {row["series"] for row in rows} == {t("word.revenue", "nl")}
    svg = vl_convert.vegalite_to_svg(spec)
    assert t("word.gross_margin", "nl") not in svg  # nor in a legend
    known = charts.revenue_history_chart(an.revenue_by_year(a1), an.timeline(a1).iloc[0:0],
                                         "nl")
    assert t("word.gross_margin", "nl") in vl_convert.vegalite_to_svg(known.to_dict())
