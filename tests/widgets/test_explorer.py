"""The explorer driven as a user would, from Python: pick, type, narrow, switch language,
sort and click the portfolio; figures checked against sums worked out from the demo CSVs."""

from __future__ import annotations

import html
import re

import pytest
from demo_facts import demo_rows

import kamkit
from kamkit.widgets import Explorer
from kamkit.widgets.explorer import PORTFOLIO, account_choices

# Seconds of CPU per test (widgets built over the demo workbook): left out of `make test-fast`.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo() -> kamkit.Workbook:
    return kamkit.load_workbook()


@pytest.fixture
def explorer(demo: kamkit.Workbook) -> Explorer:
    return Explorer(demo, "MAAS", "2026Q3")


def _revenue(account_id: str, year: int, **where: str) -> float:
    return sum(float(r["revenue"]) for r in demo_rows("sales")
               if r["account_id"] == account_id and r["month"].startswith(str(year))
               and all(r[k] == v for k, v in where.items()))


def _spend(account_id: str, year: int, **where: str) -> float:
    return sum(float(r["spend"]) for r in demo_rows("spend")
               if r["account_id"] == account_id and r["year"] == str(year)
               and all(r[k] == v for k, v in where.items()))


def _money(value: float) -> str:
    return f"EUR\u00a0{value:,.0f}"


def _cell(value: float) -> str:
    """An amount as a table cell whose column header names the currency shows it."""
    return f">{value:,.0f}<"


def test_first_view_shows_the_account_and_its_figures(explorer: Explorer) -> None:
    assert "Maasport Logistics" in explorer.card.value
    assert _money(_revenue("MAAS", 2025)) in explorer.card.value
    assert ">Change in share<" in explorer.card.value  # what changed, beside the share
    assert explorer.view == "wallet"
    assert _cell(_spend("MAAS", 2025)) in explorer.shown("wallet")


def test_picking_another_account_updates_card_and_visible_view(explorer: Explorer) -> None:
    explorer.account_picker.value = explorer._label_of("DELTA")
    assert explorer.account_id == "DELTA"
    assert "Deltastroom" in explorer.card.value
    assert _money(_revenue("DELTA", 2025)) in explorer.card.value
    assert _cell(_spend("DELTA", 2025)) in explorer.shown("wallet")
    assert _cell(_spend("MAAS", 2025)) not in explorer.shown("wallet")


@pytest.mark.parametrize("typed", ["DELTA", "delta", "Zorggroep Deltastroom", "zorggroep",
                                   "DELT", " Deltastroom "])
def test_an_id_or_the_start_of_an_id_or_name_switches_on_enter(explorer: Explorer,
                                                               typed: str) -> None:
    explorer.account_picker.value = typed  # what the browser sends on Enter
    assert explorer.account_id == "DELTA"
    assert explorer.account_picker.value == explorer._label_of("DELTA")
    assert "Deltastroom" in explorer.card.value and explorer.account_message.value == ""


@pytest.mark.parametrize(("typed", "said"), [("Zzz", "No account matches 'Zzz'"),
                                             ("Van ", "'Van' fits several accounts (")])
def test_text_naming_no_account_or_several_says_so_and_keeps_the_account(
        explorer: Explorer, typed: str, said: str) -> None:
    explorer.account_picker.value = typed
    assert explorer.account_id == "MAAS"
    assert said in html.unescape(explorer.account_message.value)
    explorer.account_picker.value = "MAAS"
    assert explorer.account_message.value == ""


def test_the_picker_is_wide_enough_for_its_options(explorer: Explorer) -> None:
    longest = max(map(len, explorer.account_picker.options))
    assert int(explorer.account_picker.layout.width.removesuffix("px")) >= 110 + 7 * longest


def test_picker_groups_key_accounts_before_prospects_and_others(demo: kamkit.Workbook) -> None:
    statuses = {r["account_id"]: r["status"] for r in demo_rows("accounts")}
    order = [statuses[a] for a in account_choices(demo, "en").values()]
    ranks = [("key_account", "prospect", "other").index(s) for s in order]
    assert ranks == sorted(ranks)
    assert len(order) == len(statuses)


def test_other_views_are_drawn_when_opened(explorer: Explorer) -> None:
    explorer.pick("KRONE")
    assert _cell(_revenue("KRONE", 2025)) not in explorer.shown("history")
    explorer.show_view("history")
    assert _cell(_revenue("KRONE", 2025)) in explorer.shown("history")


def test_a_bad_as_of_is_a_message_and_keeps_the_date(explorer: Explorer) -> None:
    explorer.as_of_box.value = "2026Q5"
    assert "2026Q5" in explorer.as_of_message.value
    assert str(explorer.as_of) == "2026-09-30"
    explorer.as_of_box.value = "2025Q3"
    assert explorer.as_of_message.value == ""
    assert _money(_revenue("MAAS", 2025)) not in explorer.card.value  # 2025 is not full yet
    assert _money(_revenue("MAAS", 2024)) in explorer.card.value


def test_dutch_relabels_everything(explorer: Explorer) -> None:
    explorer.language_picker.value = "nl"
    assert explorer.tabs.get_title(0) == "Besteding en aandeel"
    assert "Omzet 2025" in explorer.card.value
    assert ">Verandering aandeel<" in explorer.card.value
    revenue = f"€\u00a0{_revenue('MAAS', 2025):,.0f}".replace(",", ".")
    assert revenue in explorer.card.value
    assert explorer.account_id == "MAAS"
    assert "Key account" in explorer.account_picker.value
    services = dict((v, k) for k, v in explorer.services.options)
    names = {r["service"]: r["name_nl"] for r in demo_rows("services")}
    assert services == names and services["CLEAN"] == "Kantoorschoonmaak"


def test_narrowing_to_a_service_and_location_narrows_the_views(explorer: Explorer) -> None:
    explorer.services.value = ("CLEAN",)
    explorer.locations.value = ("NL-RTM",)
    view = explorer.shown("wallet")
    assert _cell(_spend("MAAS", 2025, service="CLEAN", location="NL-RTM")) in view
    assert _cell(_spend("MAAS", 2025)) not in view
    explorer.everything_button.click()
    assert explorer.selection.everything
    assert _cell(_spend("MAAS", 2025)) in explorer.shown("wallet")


def test_a_year_range_narrows_the_history(explorer: Explorer) -> None:
    explorer.show_view("history")
    explorer.years.value = (2024, 2025)
    view = explorer.shown("history")
    assert _cell(_revenue("MAAS", 2024)) in view
    assert _cell(_revenue("MAAS", 2022)) not in view


def test_a_whitespace_cell_selects_its_service_and_location(explorer: Explorer) -> None:
    explorer.show_view("whitespace")
    buttons = [w for w in explorer.whitespace_grid.children
               if hasattr(w, "click") and not w.disabled]
    assert buttons, "the grid has cells to pick"
    target = next(b for b in buttons if b.description != "–")
    target.click()
    assert explorer.view == "wallet"
    assert len(explorer.selection.services) == 1 and len(explorer.selection.locations) == 1
    service, location = explorer.selection.services[0], explorer.selection.locations[0]
    names = {r["service"]: r["name"] for r in demo_rows("services")}
    places = {r["location"]: r["name"] for r in demo_rows("locations")}
    assert names[service] in target.tooltip and places[location] in target.tooltip
    assert _cell(_spend("MAAS", 2025, service=service, location=location)) in \
        explorer.shown("wallet")


def test_portfolio_sorts_and_opens_an_account(explorer: Explorer) -> None:
    explorer.show_view(PORTFOLIO)
    table = explorer.portfolio_table
    revenue = {a: _revenue(a, 2025) for a in table.order}
    assert len(table.order) == len(demo_rows("accounts"))
    shown = [revenue[a] for a in table.order]
    with_sales = [v for v in shown if v > 0]
    assert with_sales == sorted(with_sales, reverse=True)  # sorted by revenue, largest first
    table.sort_by = "name"
    names = {r["account_id"]: r["name"] for r in demo_rows("accounts")}
    assert [names[a] for a in table.order] == sorted(names[a] for a in table.order)
    table.selected = "VDIJK"
    assert explorer.account_id == "VDIJK"
    assert explorer.view == "wallet"
    assert "Van Dijk" in explorer.card.value


def test_portfolio_rows_carry_formatted_figures(explorer: Explorer) -> None:
    explorer.show_view(PORTFOLIO)
    row = next(r for r in explorer.portfolio_table.rows if r["id"] == "MAAS")
    assert row["cells"]["revenue"] == _money(_revenue("MAAS", 2025))
    assert row["cells"]["plan_text"] in {"on track", "at risk", "off track"}
    assert re.fullmatch(r"[+-]?\d+\.\d%", row["cells"]["revenue_growth_pct"])


def test_unknown_account_is_the_usual_message(demo: kamkit.Workbook) -> None:
    with pytest.raises(kamkit.UnknownAccountError, match="MAAZ"):
        Explorer(demo, "MAAZ", "2026Q3")


def test_an_as_of_after_the_data_says_so(explorer: Explorer) -> None:
    last = max(r["month"] for r in demo_rows("sales"))
    explorer.as_of_box.value = "2026-12-31"
    assert last in explorer.as_of_message.value
    explorer.as_of_box.value = "2026Q2"
    assert explorer.as_of_message.value == ""


def test_the_portfolio_says_it_is_computing_before_its_figures(
        explorer: Explorer, monkeypatch: pytest.MonkeyPatch) -> None:
    from kamkit.widgets import explorer as module

    seen = []

    def key_figures(*args: object) -> object:
        seen.append((explorer.portfolio_table.caption, list(explorer.portfolio_table.rows)))
        return real(*args)

    real = module.key_figures
    monkeypatch.setattr(module, "key_figures", key_figures)
    explorer.show_view(PORTFOLIO)
    assert seen == [("Computing every account's key figures as of 2026-09-30…", [])]
    assert "Computing" not in explorer.portfolio_table.caption
    assert explorer.portfolio_table.rows


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_legend_of_many_entries_wraps_within_its_chart(explorer: Explorer,
                                                         language: str) -> None:
    from kamkit.charts import theme
    from kamkit.charts.render import VEGA_MIMETYPE

    explorer.pick("DELTA")
    explorer.language_picker.value = language
    legends = [legend for output in explorer.view_out["wallet"].outputs
               for legend in output["data"].get(VEGA_MIMETYPE, {}).get("legends", [])]
    services = next(legend for legend in legends
                    if legend["title"] in ("Service", "Dienst"))
    names = demo_rows("services")
    longest = max(len(r["name_nl" if language == "nl" else "name"]) for r in names)
    # a row of entries (symbol, gap, label) no wider than the chart and its y axis
    assert 1 < services["columns"] < len(names)
    assert services["columns"] * (26 + longest * theme.LABEL_SIZE * 0.62) <= theme.WIDTH + 60
