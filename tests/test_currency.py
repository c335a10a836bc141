"""The workbook's currency (issue 10): declared in workbook.yaml, shown wherever an amount
is, never converted."""

from __future__ import annotations

import pickle
import re
import shutil
from pathlib import Path

import pytest

from kamkit import formatting as fmt
from kamkit.currency import Language, currency_of, in_currency
from kamkit.deck import account_deck, portfolio_deck
from kamkit.errors import KamkitError
from kamkit.labels import t
from kamkit.problems import Severity
from kamkit.report.analysis import AnalysisReport
from kamkit.report.plan import PlanReport
from kamkit.report.portfolio import PortfolioReport
from kamkit.settings import NewerFormatError
from kamkit.workbook import DEMO_WORKBOOK, Workbook, check_workbook, load_workbook
from tests.small_demo import SMALL_FAST_WHOLE_SLOW

AS_OF = "2026-09-30"
EURO = re.compile(r"EUR|€")


def _with_settings(target: Path, text: str, source: Path = DEMO_WORKBOOK) -> Path:
    shutil.copytree(source, target)
    (target / "workbook.yaml").write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def usd(tmp_path_factory: pytest.TempPathFactory, demo_folder: Path) -> Workbook:
    """The demo (in the fast tier a small copy of it) in US dollars."""
    folder = _with_settings(tmp_path_factory.mktemp("usd") / "workbook",
                            "format_version: 2\ncurrency: usd\n", demo_folder)
    # the demo's own prose names amounts in EUR; a USD workbook's author would not
    for note in (folder / "documents").glob("*.yaml"):
        note.write_text(note.read_text(encoding="utf-8").replace("EUR", "USD"),
                        encoding="utf-8")
    return load_workbook(folder)


def test_amounts_are_written_in_the_language_s_currency() -> None:
    assert fmt.amount(-1234567, "en") == "-EUR\u00a01,234,567"
    assert fmt.amount(1234567, "nl") == "€\u00a01.234.567"
    assert fmt.amount(-1234567, Language("en", "USD")) == "-USD\u00a01,234,567"
    assert fmt.amount(1234567, Language("nl", "USD")) == "US$\u00a01.234.567"
    assert fmt.amount_short(1_260_000, Language("nl", "GBP")) == "£\u00a01,3\u00a0mln"
    assert fmt.amount(5, Language("nl", "CHF")) == "CHF\u00a05"  # no symbol: the code
    # a heading names the currency as the language's amounts do (one sign per language)
    assert t("word.revenue", Language("nl", "USD")) == "Omzet (US$)"
    assert t("word.revenue", "nl") == "Omzet (€)"
    assert t("word.revenue", "en") == "Revenue (EUR)"
    assert t("word.revenue", Language("nl", "CHF")) == "Omzet (CHF)"


def test_no_formatter_of_amounts_is_named_for_one_currency() -> None:
    # they write the workbook's currency (USD, GBP, ...): a name with "eur" would mislead
    from kamkit.charts import common

    for module in (fmt, common):
        assert not [name for name in vars(module) if "eur" in name.lower()], module



def test_a_language_in_a_currency_is_still_its_language() -> None:
    usd = in_currency("nl", "USD")
    assert usd == "nl" and {"nl": 1}[usd] == 1 and currency_of(usd) == "USD"
    assert pickle.loads(pickle.dumps(usd)) == usd
    assert currency_of(pickle.loads(pickle.dumps(usd))) == "USD"
    assert type(in_currency(usd, "EUR")) is str and currency_of("en") == "EUR"


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_the_workbook_s_currency_is_read_and_checked(tmp_path: Path) -> None:
    assert load_workbook(DEMO_WORKBOOK).currency == "EUR"
    folder = _with_settings(tmp_path / "bad", "format_version: 2\ncurrency: EURO\n")
    problems = [p for p in check_workbook(folder).problems if p.severity is Severity.ERROR]
    assert [(p.file, p.column, p.value) for p in problems] == [
        ("workbook.yaml", "currency", "EURO")]
    assert "not an ISO 4217 currency code" in problems[0].message


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_workbook_without_settings_is_in_eur(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    shutil.copytree(DEMO_WORKBOOK, folder)
    (folder / "workbook.yaml").unlink()
    book = load_workbook(folder)
    assert book.currency == "EUR" and book.settings.format_version == 1


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_unknown_settings_are_errors_naming_them(tmp_path: Path) -> None:
    folder = _with_settings(tmp_path / "bad", "format_version: 2\ncurency: USD\n")
    problems = [p for p in check_workbook(folder).problems if p.severity is Severity.ERROR]
    assert [(p.file, p.column) for p in problems] == [("workbook.yaml", "curency")]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_workbook_of_a_newer_format_is_refused(tmp_path: Path) -> None:
    folder = _with_settings(tmp_path / "new", "format_version: 3\ncurrency: EUR\n")
    with pytest.raises(NewerFormatError,
                       match=r"format version 3.*reads versions up to 2") as raised:
        check_workbook(folder)
    assert "heeft formaatversie 3" in raised.value.in_language("nl")  # the workbench's language
    with pytest.raises(KamkitError, match="newer kamkit"):
        load_workbook(folder)


def _texts(report: object, sections: tuple[str, ...]) -> str:
    out = []
    for key in sections:
        section = report.section(key)  # type: ignore[attr-defined]
        out.append(section.html())
        out += [b if isinstance(b, str) else b.to_json() for b in section.blocks]
    return "\n".join(out)


@pytest.mark.sample(1)  # the fast tier: English on the small demo (conftest.py)
@SMALL_FAST_WHOLE_SLOW
@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_usd_workbook_shows_usd_and_never_eur(usd: Workbook, language: str) -> None:
    analysis = AnalysisReport.build(usd, "MAAS", AS_OF, language)
    plan = PlanReport.build(usd, "MAAS", AS_OF, language)
    portfolio = PortfolioReport.build(usd, AS_OF, language)
    shown = (_texts(analysis, analysis.SECTIONS) + _texts(plan, plan.SECTIONS)
             + _texts(portfolio, portfolio.SECTIONS))
    assert not EURO.findall(shown)
    code = "USD" if language == "en" else "US$"
    # a finding, a table's header and a chart's axis title
    assert any(code in f for f in analysis.findings("a4"))
    assert any(f"({code})</th>" in b for b in analysis.section("a4").blocks
               if isinstance(b, str))
    assert '"title": "' + t("word.revenue", in_currency(language, "USD")) + '"' in shown
    assert f"({code})" in t("word.revenue", in_currency(language, "USD"))


@pytest.mark.sample(1)  # the fast tier: the portfolio deck on the small demo (conftest.py)
@SMALL_FAST_WHOLE_SLOW
@pytest.mark.parametrize("kind", ["portfolio", "account"])  # an account deck: 3x the CPU
def test_a_usd_workbook_s_decks_show_usd(usd: Workbook, kind: str) -> None:
    texts = []
    deck = (account_deck(usd, "MAAS", AS_OF, "en") if kind == "account"
            else portfolio_deck(usd, AS_OF, "en"))
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
    shown = "\n".join(texts)
    assert "USD\u00a0" in shown and not EURO.findall(shown)


def test_the_workbench_names_the_workbook_s_currency_in_its_checks(tmp_path: Path) -> None:
    from kamkit.edit import WorkbookEditor

    folder = _with_settings(tmp_path / "workbook", "format_version: 2\ncurrency: USD\n")
    editor = WorkbookEditor(folder)
    shares = editor.rows("spend_shares", "MAAS").frame.copy()
    shares.at[shares.index[0], "spend"] = 9e9  # more than the cell's estimate
    found = [p.message for p in editor.check_rows("spend_shares", "MAAS", shares)]
    assert found and any("USD" in m for m in found), found
    assert not any(EURO.search(m) for m in found), found
