"""The explorer: pick an account, a date, a language and a part of the account, and the
views update in place; a portfolio table of every account's key figures opens an account.

Callbacks only read the controls and call the same pure kamkit functions the reports use
(``kamkit.widgets.views``, ``kamkit.key_figures``); what a view shows is cached per
account, date, language and selection, so going back to an account is instant. Only the
visible tab is drawn on a change; the others are drawn when opened.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from kamkit import formatting as fmt
from kamkit.analysis import parse_as_of
from kamkit.charts.theme import ROOM_COLOURS
from kamkit.currency import in_currency
from kamkit.display import account_card
from kamkit.errors import KamkitError
from kamkit.key_figures import account_key_figures, key_figures
from kamkit.labels import LANGUAGES, t
from kamkit.locale import for_language
from kamkit.report import html
from kamkit.selection import Selection
from kamkit.translated import table_in_language
from kamkit.widgets import style
from kamkit.widgets.guard import message_area
from kamkit.widgets.score_view import score_html
from kamkit.widgets.sortable_table import SortableTable, TableColumn
from kamkit.widgets.views import (
    VIEWS,
    View,
    known_account,
    shown_text,
    view_outputs,
    whitespace_cells,
)
from kamkit.workbook import Workbook, load_workbook_cached

_STATUS_ORDER = ("key_account", "prospect", "other")
_CACHED_VIEWS = 256
PORTFOLIO = "portfolio"
"""The key of the portfolio tab, after the account views."""
SCORE = "score"
"""The key of the tab with the account's scores taken apart (before the portfolio's)."""


def account_choices(workbook: Workbook, language: str) -> dict[str, str]:
    """Picker text -> account id: key accounts first, then prospects, then the others, each
    by name; the text holds id, name and status so typing either finds the account."""
    accounts = workbook.accounts.assign(
        rank=lambda f: f["status"].map({s: i for i, s in enumerate(_STATUS_ORDER)}))
    accounts = accounts.sort_values(["rank", "name"], kind="stable")
    return {f"{row.account_id} · {row.name} · {t(f'status.{row.status}', language)}":
            row.account_id for row in accounts.itertuples()}


def first_account(workbook: Workbook) -> str | None:
    """The account a workbook opens with: its first key account in the order of
    accounts.csv (what ``summary()`` and ``kamkit accounts`` list first), else its first
    prospect, else its first account; None without accounts."""
    accounts = workbook.accounts
    rank = accounts["status"].map({s: i for i, s in enumerate(_STATUS_ORDER)}).fillna(
        len(_STATUS_ORDER))
    ordered = accounts.assign(rank=rank).sort_values("rank", kind="stable")
    return None if ordered.empty else str(ordered["account_id"].iloc[0])


def _years(workbook: Workbook) -> tuple[int, int]:
    years = pd.concat([workbook.sales["month"].dt.year, workbook.spend["year"]]).dropna()
    if years.empty:
        this = dt.date.today().year
        return this, this
    return int(years.min()), int(years.max())


class Explorer(widgets.VBox):
    """Explore any account of a workbook and the whole portfolio.

    Parameters
    ----------
    workbook
        A loaded ``Workbook``, a workbook folder or .xlsx path, or None for the demo.
    account_id
        The account shown first (default: the first key account in accounts.csv).
    as_of
        A date or quarter such as "2026Q3" (default: today).
    language
        "en" or "nl".
    """

    def __init__(self, workbook: Workbook | str | Path | None = None,
                 account_id: str | None = None, as_of: str | dt.date | None = None,
                 language: str = "en") -> None:
        self.workbook = (workbook if isinstance(workbook, Workbook)
                         else load_workbook_cached(workbook))
        # the language carries the workbook's currency to every figure shown
        self.language = in_currency(language, self.workbook.currency)
        self.as_of = parse_as_of(as_of)
        self.selection = Selection()
        self._views: OrderedDict[tuple, tuple[dict, ...]] = OrderedDict()
        self._portfolio: dict[tuple, pd.DataFrame] = {}
        self._figures: dict[tuple, dict] = {}  # key figures by account and date
        self._stale: set[str] = set()
        self._quiet = False  # True while controls are set from code
        self._followers: list[Callable[[], None]] = []
        self._leaders: list[Callable[[], None]] = []
        self.failure, self.guard = message_area(lambda: self.language)
        # a relative path not in the notebook's folder was found above it: say which it is
        self._found = (str(workbook) if isinstance(workbook, str | Path)
                       and not Path(workbook).expanduser().exists() else None)
        self.found_note = widgets.HTML()

        first = account_id or first_account(self.workbook)
        if first is None:
            raise KamkitError(f"The workbook {self.workbook.path.name} has no accounts.")
        self.workbook.account(first)  # an unknown id: the usual message, before any widget
        self.account_id = first

        first_year, last_year = _years(self.workbook)
        # the text is read when the user presses Enter (or leaves the field): a whole option,
        # an id, or the start of one id or name
        self.account_picker = widgets.Combobox(ensure_option=False, continuous_update=False)
        self.account_message = widgets.HTML()
        self.as_of_box = widgets.Text(value=self.as_of.isoformat(),
                                      layout=widgets.Layout(width="230px"))
        self.as_of_message = widgets.HTML()
        self.language_picker = widgets.ToggleButtons(
            options=[(for_language(code).name, code) for code in LANGUAGES],
            value=language, style={"button_width": "110px"})
        self.years = widgets.IntRangeSlider(min=first_year, max=last_year,
                                            value=(first_year, last_year),
                                            layout=widgets.Layout(width="420px"))
        self.services = widgets.SelectMultiple(rows=4)  # options: by name in the language
        self.locations = widgets.SelectMultiple(rows=4)
        self.everything_button = widgets.Button(icon="undo")
        self.card = widgets.HTML()
        self.card.add_class("kk-account-card")
        self.account_picker.add_class("kk-account-picker")
        self.view_out = {view.key: widgets.Output() for view in VIEWS}
        self.whitespace_grid = widgets.GridBox()
        self.portfolio_table = SortableTable(sort_by="revenue", descending=True,
                                             guard=self.guard)
        children = []
        for view in VIEWS:
            parts = [self.view_out[view.key]]
            if view.key == "whitespace":
                parts.insert(0, self.whitespace_grid)
            children.append(widgets.VBox(parts))
        self.score_out = widgets.HTML()  # the account's scores, criterion by criterion
        self.score_out.add_class("kk-score")
        children += [widgets.VBox([self.score_out]), widgets.VBox([self.portfolio_table])]
        self.tabs = style.tabs(children=children)
        self._keys = [view.key for view in VIEWS] + [SCORE, PORTFOLIO]

        self._label_controls()
        self.account_picker.value = self._label_of(first)
        filters = widgets.HBox([self.services, self.locations, self.everything_button])
        super().__init__([
            style.style(),
            widgets.HBox([self.account_picker, self.as_of_box, self.language_picker],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.found_note, self.account_message, self.as_of_message, self.failure,
            self.years, filters, self.card, self.tabs])

        guard = self.guard  # what a callback fails with is said in the widget
        style.styled(self)
        self.account_picker.observe(guard(self._on_account), names="value")
        self.as_of_box.observe(guard(self._on_as_of), names="value")
        self.language_picker.observe(guard(self._on_language), names="value")
        for control in (self.years, self.services, self.locations):
            control.observe(guard(self._on_selection), names="value")
        self.everything_button.on_click(guard(lambda _: self.select()))
        self.tabs.observe(guard(self._on_tab), names="selected_index")
        self.portfolio_table.observe(guard(self._on_portfolio_pick), names="selected")
        self.refresh()

    # ------------------------------------------------------------------ public
    @property
    def view(self) -> str:
        """The key of the visible tab."""
        return self._keys[self.tabs.selected_index or 0]

    def pick(self, account_id: str) -> None:
        """Show ``account_id`` (an unknown id raises ``UnknownAccountError``)."""
        self.workbook.account(account_id)
        self.account_id = account_id
        self.account_message.value = ""
        self._set(self.account_picker, "value", self._label_of(account_id))
        self.refresh()

    def select(self, years: tuple[int, int] | None = None, services: tuple[str, ...] = (),
               locations: tuple[str, ...] = ()) -> None:
        """Narrow the views to ``years``, ``services`` and ``locations`` (none: everything)."""
        self.selection = Selection(years, tuple(services), tuple(locations))
        self._set(self.years, "value", years or (self.years.min, self.years.max))
        self._set(self.services, "value", tuple(services))
        self._set(self.locations, "value", tuple(locations))
        self.refresh()

    def show_view(self, key: str) -> None:
        """Open the tab ``key`` (one of the ``VIEWS`` keys, "score" or "portfolio")."""
        self.tabs.selected_index = self._keys.index(key)
        self._draw_visible()

    def _say_data_end(self) -> None:
        """Say so when the as-of date lies after the last month with sales: the running
        year's figures then hold fewer months than the date suggests."""
        months = self.workbook.sales["month"].dropna()
        if months.empty:
            return
        last = months.max()
        end = (last + pd.offsets.MonthEnd(0)).date()
        if self.as_of > end:
            self.as_of_message.value = html.missing(t(
                "wb.after_data", self.language, as_of=fmt.date(self.as_of, self.language),
                month=f"{last:%Y-%m}"))

    def observe_account(self, callback: Callable[[], None], before: bool = False) -> None:
        """Call ``callback()`` after every refresh (a new account, date, language or part);
        ``before``: at its start instead, before the views take their time to draw (the
        browser shows what the kernel sends at once; what it sends meanwhile comes later)."""
        (self._leaders if before else self._followers).append(callback)

    def replace_workbook(self, workbook: Workbook) -> None:
        """Show ``workbook`` instead (after a save changed it) and draw again."""
        self.workbook = workbook
        self.language = in_currency(self.language, workbook.currency)
        self._views.clear()
        self._portfolio.clear()
        self._figures.clear()
        self.refresh()

    def refresh(self) -> None:
        """Draw the account card and the visible view again; the other views when opened."""
        self._stale = set(self._keys)
        account = self.workbook.account(self.account_id)
        for leader in self._leaders:
            leader()
        try:
            key = (self.account_id, self.as_of)
            if key not in self._figures:
                self._figures[key] = account_key_figures(account, self.as_of)
            figures = self._figures[key]
            self.card.value = account_card(account, figures, self.as_of, self.language)
            self._say_data_end()
            self._draw_visible()
        finally:  # a view that failed (said in the widget) leaves no follower behind
            for follower in self._followers:
                follower()

    # ------------------------------------------------------------------ drawing
    def _on_tab(self, _: object) -> None:
        if not self._quiet:
            self._draw_visible()

    def _draw_visible(self) -> None:
        key = self.view
        if key not in self._stale:
            return
        self._stale.discard(key)
        if key == PORTFOLIO:
            self._draw_portfolio()
            return
        if key == SCORE:
            self.score_out.value = score_html(self.workbook, self.account_id, self.as_of,
                                              self.language)
            return
        view = next(v for v in VIEWS if v.key == key)
        self.view_out[key].outputs = self._view_outputs(view)
        if key == "whitespace":
            self._draw_whitespace_grid()

    def shown(self, key: str) -> str:
        """What the view ``key`` shows now: its HTML and its charts' titles."""
        return shown_text(self.view_out[key].outputs)

    def _view_outputs(self, view: View) -> tuple[dict, ...]:
        cache_key = (self.account_id, self.as_of, self.language, self.selection, view.key)
        if cache_key in self._views:
            self._views.move_to_end(cache_key)
            return self._views[cache_key]
        account = known_account(self.workbook.account(self.account_id), self.as_of)
        try:
            shown = view_outputs(view, account, self.as_of, self.language, self.selection,
                                 self.workbook.path)
        except KamkitError as error:
            shown = ({"output_type": "display_data", "metadata": {},
                      "data": {"text/html": html.missing(str(error)), "text/plain": ""}},)
        self._views[cache_key] = shown
        if len(self._views) > _CACHED_VIEWS:
            self._views.popitem(last=False)
        return shown

    def _draw_whitespace_grid(self) -> None:
        account = known_account(self.workbook.account(self.account_id), self.as_of)
        cells = whitespace_cells(account, self.as_of, self.selection)
        cells = cells[cells["spend"].notna() | cells["our_revenue"].fillna(0).gt(0)]
        services = list(dict.fromkeys(cells["service"]))
        locations = list(dict.fromkeys(cells["location"]))
        if not services:
            self.whitespace_grid.children = ()
            return
        names = cells.drop_duplicates("location").set_index("location")["location_name"]
        header = [widgets.HTML(f"<b>{html.text(t('word.service', self.language))}</b>")]
        header += [widgets.HTML(f"<b>{html.text(names[loc])}</b>") for loc in locations]
        items: list[widgets.Widget] = header
        lookup = cells.set_index(["service", "location"])
        for service in services:
            service_name = cells.loc[cells["service"] == service, "service_name"].iloc[0]
            items.append(widgets.HTML(html.text(service_name)))
            for location in locations:
                items.append(self._cell_button(lookup, service, location))
        self.whitespace_grid.children = items
        self.whitespace_grid.layout = widgets.Layout(
            grid_template_columns=f"160px repeat({len(locations)}, 110px)", grid_gap="2px")

    def _cell_button(self, lookup: pd.DataFrame, service: str, location: str) -> widgets.Button:
        if (service, location) not in lookup.index:
            return widgets.Button(description="", disabled=True)
        cell = lookup.loc[(service, location)]
        room = cell["room"]
        open_spend = cell["open_spend"]
        shown = (fmt.amount_short(open_spend, self.language)
                 if pd.notna(open_spend) and open_spend else "–")
        room_word = t(f"room.{str(room).replace(' ', '_')}", self.language)
        tip = t("wb.cell_tip", self.language, service=cell["service_name"],
                location=cell["location_name"], room=room_word,
                open=fmt.amount(open_spend, self.language),
                share=fmt.share(cell["share"], self.language))
        chosen = self.selection.services == (service,) and self.selection.locations == (location,)
        button = widgets.Button(description=shown, tooltip=tip,
                                layout=widgets.Layout(width="108px",
                                                      border="2px solid #1b4f8a" if chosen
                                                      else ""),
                                style={"button_color": ROOM_COLOURS.get(room, "#ffffff")})
        button.on_click(self.guard(lambda _: self.pick_cell(service, location)))
        return button

    def pick_cell(self, service: str, location: str) -> None:
        """Narrow every view to one service x location cell and show its spend and share."""
        self._set(self.tabs, "selected_index", self._keys.index("wallet"))
        self.select(self.selection.years, (service,), (location,))

    def _draw_portfolio(self) -> None:
        key = (self.as_of, self.language)
        if key not in self._portfolio:  # seconds for a large workbook: say so meanwhile
            self.portfolio_table.caption = t("wb.portfolio_computing", self.language,
                                             as_of=fmt.date(self.as_of, self.language))
            self.portfolio_table.rows = []
            self._portfolio.clear()
            self._portfolio[key] = key_figures(self.workbook, self.as_of)
        frame = self._portfolio[key]
        team = dict(zip(self.workbook.team["person_id"], self.workbook.team["name"],
                        strict=True))
        language = self.language
        year = frame["year"].dropna().iloc[0] if frame["year"].notna().any() else ""
        shown = frame.assign(
            status_text=[t(f"status.{s}", language) for s in frame["status"]],
            kam_name=[team.get(k, k) for k in frame["kam"]],
            plan_text=[t(f"status.{s}", language) if isinstance(s, str) else ""
                       for s in frame["plan_status"]])
        columns = [
            TableColumn("name", t("batch.col.account", language)),
            TableColumn("status_text", t("word.status", language)),
            TableColumn("kam_name", "KAM"),
            TableColumn("revenue", t("batch.col.revenue", language, year=year),
                        lambda v: fmt.amount(v, language), numeric=True),
            TableColumn("revenue_growth_pct", t("batch.col.growth", language),
                        lambda v: fmt.growth(v, language), numeric=True),
            TableColumn("margin_pct", t("batch.col.margin", language),
                        lambda v: fmt.per_cent(v, language, 1), numeric=True),
            TableColumn("share", t("batch.col.share", language, year=year),
                        lambda v: fmt.share(v, language, 1), numeric=True),
            TableColumn("share_change_pts", t("batch.col.share_change", language),
                        lambda v: fmt.points(v, language, 1), numeric=True),
            TableColumn("plan_text", t("batch.col.plan", language)),
        ]
        self.portfolio_table.caption = t("wb.portfolio_caption", language,
                                         as_of=fmt.date(self.as_of, language))
        self.portfolio_table.show(shown, columns)
        self._set(self.portfolio_table, "selected", self.account_id)

    # ------------------------------------------------------------------ controls
    def _label_of(self, account_id: str) -> str:
        return next(label for label, value in self._choices.items() if value == account_id)

    def _label_controls(self) -> None:
        language = self.language
        self._choices = account_choices(self.workbook, language)
        self._set(self.account_picker, "options", list(self._choices))
        longest = max(map(len, self._choices), default=20)  # the options' text, not cut
        self.account_picker.layout.width = f"{min(680, 110 + 8 * longest)}px"
        self.account_picker.description = t("wb.account", language)
        self.account_picker.placeholder = t("wb.account_search", language)
        self.as_of_box.description = t("wb.as_of", language)
        self.as_of_box.placeholder = "2026Q3 / 2026-09-30"
        self.years.description = t("wb.years", language)
        for control, table, key in ((self.services, "services", "service"),
                                    (self.locations, "locations", "location")):
            frame = table_in_language(self.workbook.table(table), table, language)
            chosen = control.value
            self._set(control, "options", list(zip(frame["name"], frame[key], strict=True)))
            self._set(control, "value", chosen)
        self.services.description = t("word.service", language)
        self.locations.description = t("word.location", language)
        self.everything_button.description = t("wb.everything", language)
        if self._found is not None:
            note = t("wb.workbook_found", language, given=self._found,
                     path=str(self.workbook.path))
            self.found_note.value = f"<small>{html.text(note)}</small>"
        for index, key in enumerate(self._keys):
            self.tabs.set_title(index, t(f"wb.view.{key}", language))

    def _set(self, widget: widgets.Widget, name: str, value: object) -> None:
        """Set a control from code without running its callback."""
        self._quiet = True
        try:
            setattr(widget, name, value)
        finally:
            self._quiet = False

    def account_of(self, text: str) -> str | None:
        """The account ``text`` names: a whole option, an id or a name (any case), else the
        one account whose id or name starts with it, else the one whose option holds it;
        None (and a message saying why) when none or several do."""
        typed = text.strip().casefold()
        if not typed:
            return None
        if text in self._choices:
            return self._choices[text]
        accounts = self.workbook.accounts
        ids, names = accounts["account_id"].astype(str), accounts["name"].astype(str)
        for found in (ids[ids.str.casefold() == typed], ids[names.str.casefold() == typed],
                      ids[ids.str.casefold().str.startswith(typed)
                          | names.str.casefold().str.startswith(typed)],
                      [a for label, a in self._choices.items() if typed in label.casefold()]):
            found = list(dict.fromkeys(found))
            if len(found) == 1:
                return str(found[0])
            if found:
                self.account_message.value = html.missing(t(
                    "wb.account_several", self.language, text=text.strip(),
                    accounts=", ".join(map(str, found[:8])) + (" …" if len(found) > 8 else "")))
                return None
        self.account_message.value = html.missing(t("wb.account_none", self.language,
                                                    text=text.strip()))
        return None

    def _on_account(self, change: dict) -> None:
        if self._quiet:
            return
        self.account_message.value = ""
        account = self.account_of(change["new"])
        if account is None:
            return  # said; the account shown stays
        self._set(self.account_picker, "value", self._label_of(account))
        if account != self.account_id:
            self.account_id = account
            self.refresh()

    def _on_as_of(self, change: dict) -> None:
        if self._quiet:
            return
        try:
            day = parse_as_of(change["new"])
        except KamkitError as error:
            self.as_of_message.value = html.missing(error.in_language(self.language))
            return
        self.as_of_message.value = ""
        self.as_of = day
        self.refresh()

    def _on_language(self, change: dict) -> None:
        if self._quiet:
            return
        self.language = in_currency(change["new"], self.workbook.currency)
        label = self._label_of(self.account_id)
        self._label_controls()
        self._set(self.account_picker, "value", self._label_of(self.account_id) or label)
        self.refresh()

    def _on_selection(self, _: dict) -> None:
        if self._quiet:
            return
        years = tuple(self.years.value)
        full = (self.years.min, self.years.max)
        self.selection = Selection(None if years == full else (int(years[0]), int(years[1])),
                                   tuple(self.services.value), tuple(self.locations.value))
        self.refresh()

    def _on_portfolio_pick(self, change: dict) -> None:
        if self._quiet or not change["new"] or change["new"] == self.account_id:
            return
        self.pick(change["new"])
        self.show_view(VIEWS[0].key)
