"""The review decks opened with python-pptx as a reader would open them: the slides in order
on layouts found by name, tables that are PowerPoint tables holding the figures worked out
here from the demo's CSV files, editable text, charts as 2x PNGs with alt text, the method
lines in the notes; in English and Dutch, on kamkit's template and on a second one."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import demo_facts as facts
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

from kamkit import DEMO_WORKBOOK
from kamkit import formatting as fmt
from kamkit import portfolio as pf
from kamkit.batch.layout import snapshot_path
from kamkit.deck import TemplateError, account_deck, open_template, portfolio_deck, save
from kamkit.deck.template import DEFAULT_TEMPLATE, LAYOUTS, build_default_template
from kamkit.findings import portfolio as findings
from kamkit.labels import t
from kamkit.report.analysis import AnalysisReport
from kamkit.report.portfolio import PortfolioReport
from kamkit.workbook import load_workbook

pytestmark = pytest.mark.slow  # a deck draws seven charts: seconds each

AS_OF = dt.date(2026, 9, 30)
TITLES = ("deck.summary", "deck.history", "deck.wallet", "deck.competitors",
          "deck.whitespace", "deck.coverage", "deck.objectives", "deck.actions",
          "deck.changes", "deck.asks")


def _second_template(path: Path) -> Path:
    """A company's template: python-pptx's own 4:3 one, with an example slide to drop."""
    deck = Presentation()
    deck.slides.add_slide(deck.slide_layouts[0]).shapes.title.text = "Example: delete me"
    deck.save(str(path))
    return path


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Presentation]:
    """MAAS's deck in English and Dutch on kamkit's template, in English on a second one;
    the Dutch and the second with last quarter's snapshot; each saved and opened again from
    the file."""
    folder = tmp_path_factory.mktemp("decks")
    book = load_workbook(None)
    second = _second_template(folder / "company.pptx")
    snapshots = folder / "outputs"  # as `kamkit run` keeps them: last quarter's
    pf.write_snapshot(snapshot_path(snapshots, "2026Q2"), pf.snapshot(book, "2026Q2"))
    made = {
        "en": account_deck(book, "MAAS", AS_OF, "en"),
        "nl": account_deck(book, "MAAS", AS_OF, "nl", snapshots=snapshots),
        "company": account_deck(book, "MAAS", AS_OF, "en", template=second,
                                snapshots=snapshots),
    }
    return {"snapshots": snapshots, **{name: Presentation(str(save(deck, folder / f"{name}.pptx")))
                                       for name, deck in made.items()}}


def _language(name: str) -> str:
    return "nl" if name == "nl" else "en"


def _tables(slide) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in shape.table.rows]
            for shape in slide.shapes if shape.has_table]


def _amount(text: str) -> float:
    """An amount as the deck writes it in either language ("EUR 3,551,999", "€ 3.551.999")."""
    return float(re.sub(r"[^\d-]", "", text))


def _slide(deck, key: str, language: str):
    return next(s for s in deck.slides if s.shapes.title.text == t(key, language))


@pytest.mark.parametrize("name", ["en", "nl", "company"])
def test_slides_in_order_on_layouts_found_by_name(decks, name: str) -> None:
    deck, language = decks[name], _language(name)
    slides = list(deck.slides)
    assert [s.shapes.title.text for s in slides[1:]] == [t(k, language) for k in TITLES]
    assert "Maasport Logistics" in slides[0].shapes.title.text
    assert slides[0].slide_layout.name == LAYOUTS["title"]
    assert {s.slide_layout.name for s in slides[1:]} == {LAYOUTS["content"]}
    # the company template's example slide is gone; its 4:3 size is kept
    assert all("delete me" not in s.shapes.title.text for s in slides)
    assert (deck.slide_width, deck.slide_height) == (
        (Emu(9144000), Emu(6858000)) if name == "company" else (Emu(12192000), Emu(6858000)))


@pytest.mark.parametrize("name", ["en", "nl", "company"])
def test_every_text_is_editable_and_every_chart_a_sharp_picture_with_alt_text(
        decks, name: str) -> None:
    pictures = 0
    for slide in decks[name].slides:
        width = slide.part.package.presentation_part.presentation.slide_width
        for shape in slide.shapes:
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                pictures += 1
                assert shape.image.content_type == "image/png"
                pixels = int.from_bytes(shape.image.blob[16:20], "big")
                # 2x: at least 150 pixels per inch on the slide, sharp when projected
                assert pixels / (shape.width / 914400) >= 150, (pixels, shape.width, width)
                alt = shape._element.nvPicPr.cNvPr.get("descr")
                assert alt and len(alt) > 30, alt
                assert shape.left + shape.width <= width
            else:
                assert shape.has_text_frame or shape.has_table, shape.shape_type
    assert pictures == 5  # history, share of wallet, competitors, whitespace, coverage


@pytest.mark.parametrize("name", ["en", "nl"])
def test_tables_hold_the_figures_of_the_workbook(decks, name: str) -> None:
    deck, language = decks[name], _language(name)
    history = _tables(_slide(deck, "deck.history", language))[0]
    by_year = {row[0]: _amount(row[1]) for row in history[1:]}
    for year in (2022, 2023, 2024, 2025):
        assert by_year[str(year)] == pytest.approx(facts.sold_in("MAAS", year), abs=1)
    wallet = _tables(_slide(deck, "deck.wallet", language))[0]
    share = {row[0]: row[3] for row in wallet[1:]}
    expected = facts.share_of_wallet("MAAS", 2025) * 100
    assert float(share["2025"].rstrip("%").replace(",", ".")) == pytest.approx(expected, abs=0.06)
    coverage = _tables(_slide(deck, "deck.coverage", language))[0]
    contacts = facts.contacts_of("MAAS")
    for row, level in zip(coverage[1:], ("strategic", "tactical", "operational"), strict=True):
        assert row[0] == t(f"level.{level}", language)
        assert int(row[1]) == sum(c["level"] == level for c in contacts)
    competitors = _tables(_slide(deck, "deck.competitors", language))[0]
    nordclean = next(row for row in competitors if row[0] == facts.name_of(
        "competitors", "competitor", "NORDCLEAN"))
    assert float(nordclean[1].rstrip("%").replace(",", ".")) == pytest.approx(
        facts.holder_share("MAAS", 2025, "NORDCLEAN") * 100, abs=0.06)


def test_actions_objectives_and_asks_are_the_documents(decks) -> None:
    deck = decks["en"]
    document = facts.document("MAAS")
    actions = {a["id"]: a["what"] for a in document["plan"]["actions"]}
    listed = {row[1] for row in _tables(_slide(deck, "deck.actions", "en"))[0][1:]}
    soon = facts.open_actions("MAAS", dt.date.min, dt.date(2026, 12, 30))
    assert listed == {actions[i] for i in soon}
    objectives = _tables(_slide(deck, "deck.objectives", "en"))[0]
    assert [row[0] for row in objectives[1:]] == [o["id"] for o in document["plan"][
        "objectives"]]
    assert objectives[1][5].startswith("✗") and "achievable" in objectives[1][5]
    asks = _slide(deck, "deck.asks", "en").shapes[1].text_frame.text
    assert asks.splitlines() == [f"{n}. {ask}" for n, ask in enumerate(document["asks"], 1)]


@pytest.mark.parametrize("name", ["en", "nl"])
def test_the_summary_is_the_reports_executive_summary(decks, name: str) -> None:
    language = _language(name)
    slide = _slide(decks[name], "deck.summary", language)
    figures = {row[0]: row[1] for row in _tables(slide)[0][1:]}
    revenue = next(value for label, value in figures.items() if "2025" in label)
    assert revenue == fmt.amount_short(facts.sold_in("MAAS", 2025), language)
    overdue = facts.overdue_actions("MAAS", AS_OF)
    assert str(len(overdue)) in figures.values()  # the plan's figure of actions overdue
    summary = AnalysisReport.build(None, "MAAS", AS_OF, language, snapshots=decks[
        "snapshots"] if name == "nl" else None).summary()  # the Dutch deck has a snapshot
    assert summary is not None
    text = next(s for s in slide.shapes if s.has_text_frame and s != slide.shapes.title)
    assert text.text_frame.text.splitlines() == [line.text for line in summary.lines]


def test_notes_carry_the_method_lines(decks) -> None:
    report = AnalysisReport.build(None, "MAAS", AS_OF, "nl")
    for key, section in (("deck.history", "a4"), ("deck.wallet", "a6"),
                         ("deck.whitespace", "whitespace")):
        notes = _slide(decks["nl"], key, "nl").notes_slide.notes_text_frame.text
        assert notes == report.section(section).method and notes


@pytest.mark.parametrize("name", ["nl", "company"])
def test_changes_since_last_quarter_are_named_as_the_report_names_them(decks, name) -> None:
    language = _language(name)
    assert _tables(_slide(decks["en"], "deck.changes", "en")) == []  # no snapshot
    rows = _tables(_slide(decks[name], "deck.changes", language))[0]
    assert rows[0] == [t(k, language) for k in ("deck.change", "deck.before", "deck.after")]
    # every change by its label, never a code: "Revenue last 12 months", "Actie AC03 nu te laat"
    names = {t(f"change.{code}", language, subject=subject).lower()
             for code in pf.CHANGES for subject in ("", "AC03", "AC04", "AC05")}
    assert len(rows) > 1 and all(row[0].lower() in names for row in rows[1:]), rows
    assert not any("_" in row[0] for row in rows[1:])
    assert all(row[1] != row[2] for row in rows[1:])  # only what changed
    # the same changes the report's summary tells, with the amounts in full
    report = AnalysisReport.build(None, "MAAS", AS_OF, language, snapshots=decks["snapshots"])
    assert len(rows) - 1 == len(findings.account_changes(report.changes, language))
    revenue = next(row for row in rows
                   if row[0].lower() == t("change.revenue_12m", language).lower())
    change = report.changes.set_index("change").loc["revenue_12m"]
    assert revenue[1:] == [fmt.amount(change["before"], language), fmt.amount(change["after"],
                                                                         language)]
    overdue = next(row for row in rows if "AC03" in row[0])
    due = next(a["due"] for a in facts.document("MAAS")["plan"]["actions"] if a["id"] == "AC03")
    assert overdue[1:] == ["–", fmt.date(due, language)]


def test_every_change_has_its_name_in_both_languages() -> None:
    for code in pf.CHANGES:
        for language in ("en", "nl"):
            name = findings.change_name(code, "X1", language)
            assert name and "_" not in name and "{" not in name, (code, language)


def test_a_template_without_a_layout_is_a_clear_message(tmp_path: Path) -> None:
    deck = Presentation(str(DEFAULT_TEMPLATE))
    for master in deck.slide_masters:
        for layout in master.slide_layouts:
            if layout.name == "Title Only":
                layout.name = "Titel alleen"
    deck.save(str(tmp_path / "renamed.pptx"))
    with pytest.raises(TemplateError, match=r"no slide layout named 'Title Only'.*'Titel alleen'"):
        open_template(tmp_path / "renamed.pptx")
    (tmp_path / "broken.pptx").write_text("not a deck", encoding="utf-8")
    with pytest.raises(TemplateError, match="cannot be read as a PowerPoint template"):
        open_template(tmp_path / "broken.pptx")


def test_the_shipped_template_is_the_one_the_builder_makes(tmp_path: Path) -> None:
    built = Presentation(str(build_default_template(tmp_path / "t.pptx")))
    shipped = Presentation(str(DEFAULT_TEMPLATE))
    assert [x.name for x in built.slide_layouts] == [x.name for x in shipped.slide_layouts]
    assert (built.slide_width, built.slide_height) == (shipped.slide_width,
                                                       shipped.slide_height)


@pytest.fixture(scope="module")
def portfolio_decks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Presentation]:
    """The portfolio deck in English and Dutch on kamkit's template, in English on a second
    one with last quarter's snapshot; each saved and opened again."""
    folder = tmp_path_factory.mktemp("portfolio")
    book = load_workbook(None)
    snapshots = folder / "outputs"
    pf.write_snapshot(snapshot_path(snapshots, "2026Q2"), pf.snapshot(book, "2026Q2"))
    made = {"en": portfolio_deck(book, AS_OF, "en"), "nl": portfolio_deck(book, AS_OF, "nl"),
            "company": portfolio_deck(book, AS_OF, "en", snapshots=snapshots,
                                      template=_second_template(folder / "company.pptx"))}
    return {name: Presentation(str(save(deck, folder / f"{name}.pptx")))
            for name, deck in made.items()}


def _slides(deck, key: str, language: str) -> list:
    return [s for s in deck.slides if s.shapes.title.text == t(key, language)]


@pytest.mark.parametrize("name", ["en", "nl", "company"])
def test_portfolio_deck_shows_the_matrix_chart_and_its_scores(portfolio_decks,
                                                              name: str) -> None:
    deck, language = portfolio_decks[name], _language(name)
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[0] == t("deck.portfolio.title", language, quarter="2026Q3")
    assert titles[1:] == [t(k, language) for k in (
        "deck.portfolio.matrix", "deck.portfolio.scores", "deck.portfolio.attention",
        "deck.portfolio.plans")]
    # the matrix: the report's chart, a sharp picture with its description as alt text
    matrix = _slides(deck, "deck.portfolio.matrix", language)[0]
    pictures = [s for s in matrix.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1 and pictures[0].image.content_type == "image/png"
    pixels = int.from_bytes(pictures[0].image.blob[16:20], "big")
    assert pixels / (pictures[0].width / 914400) >= 150
    assert pictures[0].left + pictures[0].width <= deck.slide_width
    alt = pictures[0]._element.nvPicPr.cNvPr.get("descr")
    accounts = [r for r in facts.demo_rows("accounts") if r["status"] in ("key_account",
                                                                          "prospect")]
    assert alt.startswith(f"{len(accounts)} accounts"), alt
    assert t("quadrant.short.invest", language) in alt
    report = PortfolioReport.build(None, AS_OF, language)
    beside = next(s for s in matrix.shapes if s.shape_type == MSO_SHAPE_TYPE.TEXT_BOX)
    assert beside.text_frame.text.splitlines() == list(report.section("pf_matrix").findings)
    assert matrix.notes_slide.notes_text_frame.text == report.section("pf_matrix").method
    # its scores as an editable table: every account with the computed scores
    rows = [row for s in _slides(deck, "deck.portfolio.scores", language)
            for row in _tables(s)[0][1:]]
    assert sorted(row[0] for row in rows) == sorted(r["name"] for r in accounts)
    placed = pf.matrix(load_workbook(None), AS_OF).set_index("name")
    for row in rows:
        for column, axis in ((2, "attractiveness"), (3, "position")):
            shown = float(re.match(r"[\d.,]+", row[column]).group().replace(",", "."))
            assert shown == pytest.approx(placed.at[row[0], axis], abs=0.5), row
        quadrant = placed.at[row[0], "quadrant"]
        assert row[1] == t(f"quadrant.short.{quadrant}", language)


@pytest.mark.parametrize("name", ["en", "nl", "company"])
def test_portfolio_deck_lists_attention_and_plans_as_the_report(portfolio_decks,
                                                                name: str) -> None:
    deck, language = portfolio_decks[name], _language(name)
    attention = [row for s in _slides(deck, "deck.portfolio.attention", language)
                 for row in _tables(s)[0][1:]]
    names = {r["account_id"]: r["name"] for r in facts.demo_rows("accounts")}
    # a key account with actions overdue needs attention, and says so
    maas = next(row for row in attention if row[0] == names["MAAS"])
    overdue = len(facts.overdue_actions("MAAS", AS_OF))
    assert str(overdue) in maas[2] and maas[1] == "Sanne de Vries"
    assert all(row[0] in {r["name"] for r in facts.demo_rows("accounts")
                          if r["status"] == "key_account"} for row in attention)
    plans_slides = _slides(deck, "deck.portfolio.plans", language)
    plans = [row for s in plans_slides for row in _tables(s)[0][1:]]
    # the report's sentences under the table, or in the notes where the slide is full
    said = PortfolioReport.build(None, AS_OF, language).section("pf_plans").findings
    last = plans_slides[-1]
    shown = "\n".join([*(s.text_frame.text for s in last.shapes
                         if s.shape_type == MSO_SHAPE_TYPE.TEXT_BOX),
                        last.notes_slide.notes_text_frame.text])
    assert said and all(sentence in shown for sentence in said)
    def has_plan(account_id: str) -> bool:
        if not (DEMO_WORKBOOK / "documents" / f"{account_id}.yaml").is_file():
            return False
        plan = facts.document(account_id).get("plan") or {}
        return bool(plan.get("objectives")) or any(
            a.get("status") not in ("done", "cancelled") for a in plan.get("actions") or [])

    with_plan = [r["account_id"] for r in facts.demo_rows("accounts")
                 if r["status"] in ("key_account", "prospect") and has_plan(r["account_id"])]
    assert sorted(row[0] for row in plans) == sorted(names[a] for a in with_plan)
    maas_plan = next(row for row in plans if row[0] == names["MAAS"])
    assert _amount(maas_plan[2]) == pytest.approx(facts.sold_in("MAAS", 2025), abs=1)
    assert maas_plan[5] == str(overdue)


@pytest.mark.parametrize("name", ["en", "nl", "company"])
def test_every_shape_lies_on_its_slide_and_nothing_overlaps(decks, portfolio_decks,
                                                            name: str) -> None:
    """Titles have a place of their own inside the slide (not a zero-height box at its top
    edge), and no text box starts inside the table above it: in the account and the
    portfolio decks."""
    _no_overlaps(decks[name])
    _no_overlaps(portfolio_decks[name])


def _no_overlaps(deck) -> None:
    width, height = deck.slide_width, deck.slide_height
    for slide in deck.slides:
        title = slide.shapes.title
        assert title.height > 0 and title.top >= 0 and title.left >= 0
        assert title.left + title.width <= width and title.top + title.height <= height
        tables = [s for s in slide.shapes if s.has_table]
        boxes = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.TEXT_BOX]
        for table in tables:
            rows = sum(row.height for row in table.table.rows)
            for box in boxes:
                beside = (box.left >= table.left + table.width
                          or box.left + box.width <= table.left)
                assert beside or box.top >= table.top + rows or box.top + box.height <= table.top


def test_a_rows_height_follows_its_wrapped_text() -> None:
    from kamkit.deck.slides import _row_height

    narrow, wide = [Emu(914400)], [Emu(9144000)]
    text = ["Introduce the CFO to our maintenance director at the logistics summit"]
    assert _row_height(text, narrow, 12) > 2 * _row_height(text, wide, 12)
    assert _row_height(["a\nb\nc"], wide, 12) > _row_height(["a"], wide, 12) * 2


@pytest.mark.parametrize("name", ["en", "nl"])
def test_chart_text_is_readable_when_projected(decks, name: str) -> None:
    """On kamkit's 16:9 template the smallest text of a chart's axes and legends is 10.5 pt
    or more on the slide (the page's 11-pixel labels shown at the slide's size would be
    about 7 pt, too small to read on a projected slide)."""
    from kamkit.charts.theme import LABEL_SIZE
    from kamkit.deck.images import GUIDE_TEXT, SCALE

    sizes = []
    for slide in decks[name].slides:
        for shape in slide.shapes:
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                chart_pixels = int.from_bytes(shape.image.blob[16:20], "big") / SCALE
                points_per_pixel = shape.width / 12700 / chart_pixels
                sizes.append(LABEL_SIZE * GUIDE_TEXT * points_per_pixel)
    assert len(sizes) == 5 and min(sizes) >= 10.5, sizes
