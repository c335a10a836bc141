"""A list of records edited in rows of controls: the one form every editor of the workbench
is made of (SWOT items, objectives, actions, contacts, relationships, events, estimates).

A record is a plain dict; each ``Field`` says how one key is shown and read back. Values
read back are what a workbook holds: text, a number or None, a ``datetime.date`` or None,
a list of ids. Invalid text in a number or date box is kept as text, so validation names it
instead of the form silently dropping it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import ipywidgets as widgets
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from kamkit.formatting import number
from kamkit.labels import t, t_counts
from kamkit.locale import for_language
from kamkit.parsing import parse_date
from kamkit.report import html
from kamkit.widgets.closing import close_tree

_ERROR_BORDER = "2px solid #c0392b"
FITS = 640
"""Pixels a form's fields may take side by side: JupyterLab at 1280 px with its file browser
open leaves about 700 for a widget in a tab of the workbench. Wider forms show cards."""
PAGE_SIZE = 25
"""Records a form shows at once: an account's contacts, history or feedback fit one page,
its spend estimates (a row per year, service and location) take several."""
SHORT_LIST = 12
"""Choices a reference's search box offers at once: those that hold what is typed (the
browser is sent these, not the thousands of contacts a large account has)."""
EMPTY: tuple[object, ...] = (None, "", [], ())
"""The values of a field left empty."""
_SEARCH_WORDS_FIT = 130  # px a box needs to show "Type to search" / "Typ om te zoeken" whole
_MARGIN = 4  # a control's margins (ipywidgets: 2 px each side)
_REMOVE = 40  # the remove button with its margins
_CARD_REFERENCE = 260  # px a search box takes in a card: "Contact 0000 Lastname (BIG-C0000)"


def none_choice(language: str) -> tuple[str, str]:
    """A choice's option for none (an optional field left empty), said in ``language``."""
    return (t("wb.none", language), "")


def _pixels(width: str) -> int:
    """A ``Field.width`` in pixels (a width in other units counts as a wide one)."""
    return int(width[:-2]) if width.endswith("px") else FITS


@dataclass(frozen=True)
class Field:
    """One key of a record: ``kind`` is text, long_text, choice, reference, number, date or
    ids.

    A choice is a drop-down of every choice; a reference (a contact, a person, an objective:
    lists that run into thousands on a large account) is a search box offering the
    ``SHORT_LIST`` choices that hold what is typed. Either reads back the choice's value (an
    id); text in a reference that names no choice is kept, for validation to name."""

    key: str
    label: str
    kind: str = "text"
    choices: tuple[tuple[str, str], ...] = ()  # (shown, value); "" stands for none
    width: str = "140px"
    language: str = "en"  # how numbers are typed (decimal comma and grouping)

    def control(self, value: Any, on_change: Callable[[Any], None],
                layout: widgets.Layout | None = None,
                style: Callable[[type[widgets.Style]], widgets.Style] | None = None
                ) -> widgets.Widget:
        """The control for ``value``, calling ``on_change`` on every change; ``layout`` and
        ``style(kind)``, when given, are those the controls of a form share (each layout or
        style is a widget of its own in the kernel and the browser)."""
        layout = layout or widgets.Layout(width=self.width)
        make = style or (lambda kind: kind())
        if self.kind == "choice":
            control: widgets.Widget = widgets.Dropdown(
                options=self._options(value), value=self.selected(value), layout=layout,
                style=make(DescriptionStyle))
        elif self.kind == "reference":
            shown = self.words(value)
            control = widgets.Combobox(value=shown, options=self.offered(shown), layout=layout,
                                       placeholder=t(self._search_words, self.language),
                                       style=make(TextStyle))

            def typed(change: dict[str, Any]) -> None:
                if change["new"] == self.more(change["old"]):  # the hint picked: no choice
                    control.value = change["old"]
                    return
                # the browser offers what holds the text typed: the kernel sends those few
                control.options = self.offered(change["new"])
            control.observe(typed, names="value")
        elif self.kind == "long_text":
            text = _text(value)
            control = widgets.Textarea(value=text, layout=layout, rows=_rows(text),
                                       style=make(TextStyle))
        else:
            control = widgets.Text(value=_text(value), layout=layout,
                                   placeholder={"date": "YYYY-MM-DD", "ids": "ID, ID"}
                                   .get(self.kind, ""), style=make(TextStyle))

        def changed(change: dict[str, Any]) -> None:
            if self.kind != "reference" or change["new"] != self.more(change["old"]):
                on_change(change["new"])
        control.observe(changed, names="value")
        control.add_class(f"kk-field-{self.key.replace('.', '-')}")  # for the browser tests
        return control

    @property
    def _search_words(self) -> str:
        """A search box's placeholder: the short one where the whole would be cut off (an
        action's objective, 90 px)."""
        return "wb.search" if _pixels(self.width) >= _SEARCH_WORDS_FIT else "wb.search_short"

    def _options(self, value: Any) -> list[tuple[str, Any]]:
        """A choice's options for ``value``: the choices, and a value the file says that
        is none of them (kept, for validation to name). An empty value is the choice of
        none where there is one, else no option: never an option "None"."""
        options = list(self.choices)
        value = self.selected(value)
        if value is not None and value not in {v for _, v in options}:
            options.append((str(value), value))
        return options

    def selected(self, value: Any) -> Any:
        """A choice's control value for ``value``: an empty one is the choice of none ("")
        where the field has one, else None (the drop-down selects nothing)."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "" if "" in self._labels else None
        return value

    @cached_property
    def _labels(self) -> dict[Any, str]:
        """A choice's or reference's label per value (one lookup per keystroke)."""
        return {v: shown for shown, v in self.choices}

    @cached_property
    def _values(self) -> dict[str, Any]:
        """A reference's value per label and per value's own text (an id typed as it is)."""
        return {**{str(v): v for _, v in self.choices}, **{s: v for s, v in self.choices}}

    def words(self, value: Any) -> str:
        """What the control shows for ``value``, as text: a choice's or a reference's label
        (the value itself when it is none of them), a number, date or list as typed."""
        if self.kind in ("choice", "reference"):
            return self._labels.get(value, _text(value))
        return _text(value)

    def knows(self, value: Any) -> bool:
        """Whether ``value`` is one of the choices."""
        return value in self._labels

    def matches(self, typed: str) -> tuple[str, ...]:
        """The labels of at most ``SHORT_LIST`` choices holding ``typed`` (any case; the
        first ones when nothing is typed), in the choices' order."""
        return self._found(typed)[0]

    def _found(self, typed: str) -> tuple[tuple[str, ...], int]:
        """``matches(typed)``, and how many choices hold ``typed`` in all."""
        text = typed.strip().casefold()
        found: list[str] = []
        count = 0
        for shown, _ in self.choices:
            if shown and text in shown.casefold():
                count += 1
                if len(found) < SHORT_LIST:
                    found.append(shown)
        return tuple(found), count

    def more(self, typed: str) -> str | None:
        """The line a search box offers after its ``matches`` when more choices hold
        ``typed`` ("Sa… 12 of 57 shown: type more"; it starts with the text typed, so the
        browser, which lists the options holding it, lists this one too); None when
        every choice holding it is offered."""
        return self._more(typed, *self._found(typed))

    def _more(self, typed: str, found: tuple[str, ...], count: int) -> str | None:
        if count <= len(found):
            return None
        return t_counts("wb.search_more", self.language, typed=typed.strip(),
                        shown=len(found), count=count)

    def offered(self, typed: str) -> tuple[str, ...]:
        """What a search box offers for ``typed``: its ``matches`` and the ``more`` line."""
        found, count = self._found(typed)
        more = self._more(typed, found, count)
        return found + ((more,) if more else ())

    def offers(self, control: widgets.Widget, value: Any) -> bool:
        """Whether ``control`` (one this field made) shows ``value`` as a control made for
        it would: a choice only with the same options."""
        return self.kind != "choice" or [tuple(o) for o in control.options] == self._options(
            value)

    def fill(self, control: widgets.Widget, value: Any) -> None:
        """Show ``value`` in ``control`` (one this field made and that ``offers`` it) as
        a control made for ``value`` shows it."""
        if self.kind == "choice":
            control.value = self.selected(value)
            return
        if self.kind == "reference":
            control.value = self.words(value)
            return
        control.value = _text(value)
        if self.kind == "long_text":
            control.rows = _rows(control.value)

    def read(self, shown: Any) -> Any:
        """The workbook value of what a control shows."""
        if self.kind == "choice":
            return None if shown == "" else shown
        text = str(shown).strip()
        if self.kind == "reference":
            return self._values.get(text, text) or None
        if self.kind == "number":
            return _number(text, self.language) if text else None
        if self.kind == "date":
            # read as the workbook's readers read a date cell (15-03-2026, 2026-3-5 too)
            return (parse_date(text) or text) if text else None
        if self.kind == "ids":
            return [part.strip() for part in text.split(",") if part.strip()]
        return text


_GROUPED_EN = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
_GROUPED_NL = re.compile(r"-?\d{1,3}(\.\d{3})+(,\d+)?")
_DECIMAL_COMMA = re.compile(r"-?\d+,\d+")


def _number(text: str, language: str) -> float | str:
    """A number as typed in ``language``: where the locale's decimal mark is a comma (nl),
    3.100 is three thousand one hundred and 1.234,5 or 1234,5 have a decimal comma;
    elsewhere (en) 1,234.5 and 1234.5. Text that is no finite number stays text, for
    validation to name."""
    text = text.replace(" ", "").replace("_", "")
    comma = for_language(language).decimal == ","
    if not comma or not (_GROUPED_NL.fullmatch(text) or _DECIMAL_COMMA.fullmatch(text)):
        number: float | None = None
        with contextlib.suppress(ValueError):
            number = float(text)
        if number is None and _GROUPED_EN.fullmatch(text):
            number = float(text.replace(",", ""))
        if number is None and _DECIMAL_COMMA.fullmatch(text):
            number = float(text.replace(",", "."))
    else:
        number = float(text.replace(".", "").replace(",", "."))
    return number if number is not None and math.isfinite(number) else text


def _empty(value: Any) -> bool:
    return value in EMPTY or (isinstance(value, float) and math.isnan(value))


def _rows(text: str) -> int:
    """Rows enough to read ``text`` whole in a text area (about 60 characters a line)."""
    return min(6, max(2, math.ceil(len(text) / 60) + text.count("\n")))


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class RecordList(widgets.VBox):
    """Rows of controls over ``records``; ``on_change()`` is called after every edit.

    ``records`` (the current values), ``add()``, ``remove(index)`` and ``set(index, key,
    value)`` are the API a test or a notebook drives; ``show_problems`` marks the controls at
    fault and writes each message next to its row.

    Controls are made for one page of records only (``page_size``, default ``PAGE_SIZE``),
    with a pager above them when there are more, and the rows share their layouts and styles:
    the kernel and the browser hold a widget for each, and a table of a hundred rows made
    some seven thousand widgets whose states a page reconnecting to the kernel asks for all
    at once. ``controls`` and ``messages`` hold the page's rows by record index;
    ``message(index)`` says any record's problems, and the pager marks the pages that have
    some.

    A row just added (``fresh``: no field edited yet) does not shout: the problems of the
    fields it leaves empty are one grey line naming the fields to fill in, without red marks,
    until a field of the row is edited (its owner's Save stays off meanwhile: the problems
    are there).
    """

    def __init__(self, fields: Sequence[Field], records: Sequence[dict[str, Any]],
                 on_change: Callable[[], None] = lambda: None, new: Callable[[], dict] = dict,
                 add_label: str = "+", remove_label: str = "×",
                 guard: Callable[[Callable[..., Any]], Callable[..., Any]] = lambda f: f,
                 language: str = "en", page_size: int | None = None) -> None:
        super().__init__()
        self.fields = tuple(fields)
        self._on_change = on_change
        self._new = new
        self._remove_label = remove_label
        self._guard = guard  # how a control's callback says an error (kamkit.widgets.guard)
        self._language = language
        self._page_size = page_size
        self._filling = False  # controls set from the records, not typed
        self.page = 0
        self._filter: tuple[str, str | None] = ("", None)  # text, and the field it is in
        self.visible: list[int] = []  # the records the filter lets through, in order
        self.pager: Pager | None = None  # made when there is a second page
        self._problems: dict[int, list[tuple[str | None, str]]] = {}
        self._shares: dict[str, Any] = {}  # layouts and styles the rows share (_shared)
        self._notes: dict[int, list[tuple[str | None, str]]] = {}
        self.fresh: set[int] = set()  # rows added and not edited yet
        self.kept: set[int] = set()  # rows added or edited: shown whatever the filter
        self.add_button = widgets.Button(description=add_label, icon="plus")
        self.add_button.on_click(guard(lambda _: self.add()))
        self.load(records)

    @property
    def page_size(self) -> int:
        """Records a page shows."""
        return PAGE_SIZE if self._page_size is None else self._page_size

    @property
    def pages(self) -> int:
        return max(1, math.ceil(len(self.visible) / self.page_size))

    @property
    def shown(self) -> list[int]:
        """The indices of the records the page shows."""
        first = self.page * self.page_size
        return self.visible[first:first + self.page_size]

    def matches(self, record: dict[str, Any]) -> bool:
        """Whether ``record`` holds the filter's text (any case) in a field as its control
        shows it (a contact by its name and id, a choice by its label)."""
        text, key = self._filter
        if not text:
            return True
        fields = [f for f in self.fields if key is None or f.key == key]
        return any(text in f.words(record.get(f.key)).casefold() for f in fields)

    def filter(self, text: str, key: str | None = None) -> None:
        """Show only the records holding ``text`` (any case) in the field ``key``, or in
        any field when None; an empty text shows them all. The pages count the records
        shown; a record added or edited stays shown (``kept``) until the filter changes."""
        said = (text.strip().casefold(), key)
        if said != self._filter:
            self.kept = set()
        self._filter = said
        self.visible = self._visible()
        self.page = 0
        self._draw()

    def _visible(self) -> list[int]:
        return [i for i, record in enumerate(self.records)
                if i in self.kept or self.matches(record)]

    @property
    def kept_unmatched(self) -> list[int]:
        """The records shown that the filter would hide: added or edited since it was set
        (``kept``), also across a save."""
        shown = set(self.visible)
        return sorted(i for i in self.kept
                      if i in shown and i < len(self.records) and not self.matches(
                          self.records[i]))

    def load(self, records: Sequence[dict[str, Any]],
             fields: Sequence[Field] | None = None, fresh: Sequence[int] = (),
             kept: Sequence[int] = ()) -> None:
        """Show ``records`` (copies: the caller's dicts are never changed), with ``fields``
        when given (e.g. choices that followed the workbook), on the page shown before
        (or the last one there is); ``fresh``: those of them added and not edited yet;
        ``kept``: those shown whatever the filter (added or edited before a save).

        The same fields over as many rows on the page (a form read again after a save) are
        filled in place: the front end keeps the widgets it shows rather than closing views
        and making new widgets for every save."""
        copies = [dict(r) for r in records]
        fields = self.fields if fields is None else tuple(fields)
        before = self.shown if hasattr(self, "controls") else None
        self.fields = fields
        self.records: list[dict[str, Any]] = copies
        self.fresh = {i for i in fresh if 0 <= i < len(copies)}
        self.kept = {i for i in kept if 0 <= i < len(copies)}
        self.visible = self._visible()
        self.page = min(self.page, self.pages - 1)
        same = (before is not None and fields == getattr(self, "_drawn_fields", None)
                and self.shown == before
                and (self.pages == 1 or self.pager in self.children) and self._fill())
        if same:
            self._show_pager()
        else:
            self._draw()

    def _fill(self) -> bool:
        """Show the page's records in the controls there are, their callbacks quiet (the
        values are the records'); False when a choice does not offer a record's value."""
        if not all(field.offers(self.controls[index][field.key],
                                self.records[index].get(field.key))
                   for index in self.shown for field in self.fields):
            return False
        self._filling = True
        try:
            for index in self.shown:
                for field in self.fields:
                    field.fill(self.controls[index][field.key], self.records[index].get(field.key))
        finally:
            self._filling = False
        return True

    @property
    def stacked(self) -> bool:
        """Whether each record is a card (a label above every field, the fields wrapping
        onto the next line) rather than a row under one heading: when the fields side by
        side would not fit a notebook beside JupyterLab's file browser."""
        return sum(_pixels(f.width) + _MARGIN for f in self.fields) + _REMOVE > FITS

    def turn_to(self, page: int) -> None:
        """Show page ``page`` (from 0) of the records."""
        page = max(0, min(page, self.pages - 1))
        if page != self.page:
            self.page = page
            self._draw()

    def _shared(self, key: str, make: Callable[[], widgets.Widget]) -> Any:
        """The one layout or style (by ``key``) the page's widgets of a kind share: made
        once, closed with the form."""
        widget = self._shares.get(key)
        if widget is None or widget.comm is None:
            widget = self._shares[key] = make()
        return widget

    def _layout(self, key: str, **css: str) -> widgets.Layout:
        return self._shared(f"layout {key}", lambda: widgets.Layout(**css))

    def _style(self, kind: type[widgets.Style]) -> widgets.Style:
        return self._shared(f"style {kind.__name__}", kind)

    def _control_layout(self, field: Field, faulty: bool) -> widgets.Layout:
        """A control's layout: its field's width (a long text's card line's room, a
        reference's room for a name with its id in a card), with a red border when it is
        at fault."""
        width = field.width
        if self.stacked and field.kind == "long_text":
            width = "auto"
        elif self.stacked and field.kind == "reference":
            width = f"{max(_pixels(field.width), _CARD_REFERENCE)}px"
        border = {"border": _ERROR_BORDER} if faulty else {}
        return self._layout(f"control {width} {faulty}", width=width, **border)

    def close(self) -> None:
        """Close the form and the layouts and styles its rows share."""
        for widget in self._shares.values():
            widget.close()
        super().close()

    def _draw(self) -> None:
        before: tuple[widgets.Widget, ...] = tuple(getattr(self, "children", ()))  # to close
        self._drawn_fields = self.fields
        self.controls: dict[int, dict[str, widgets.Widget]] = {}
        self.messages: dict[int, widgets.HTML] = {}
        rows = []
        stacked = self.stacked
        for index in self.shown:
            record = self.records[index]
            controls = {f.key: f.control(record.get(f.key), self._changed(index, f),
                                         self._control_layout(f, False), self._style)
                        for f in self.fields}
            remove = widgets.Button(description=self._remove_label,
                                    layout=self._layout("remove", width=f"{_REMOVE - _MARGIN}px",
                                                        flex="0 0 auto"),
                                    style=self._style(widgets.ButtonStyle))
            remove.on_click(self._guard(lambda _, i=index: self.remove(i)))
            message = widgets.HTML(layout=self._layout("plain"),
                                   style=self._style(HTMLStyle))
            self.controls[index] = controls
            self.messages[index] = message
            fields = self._card(controls, remove) if stacked else widgets.HBox(
                [*controls.values(), remove], layout=self._layout("plain"))
            row = widgets.VBox([fields, message], layout=self._layout(
                "card", border_bottom="1px solid #e0e0e0", padding="2px 0 4px 0")  # apart
                if stacked else self._layout("plain"))
            row.add_class("kk-row")
            rows.append(row)
        self._show_pager()
        top = [self.pager] if self.pager is not None else []
        if not stacked:
            top.append(widgets.HBox([widgets.HTML(f"<b>{html.text(f.label)}</b>",
                                                  layout=self._layout(f"heading {f.width}",
                                                                      width=f.width,
                                                                      flex="0 0 auto"),
                                                  style=self._style(HTMLStyle))
                                     for f in self.fields], layout=self._layout("plain")))
        self.children = [*top, *rows, self.add_button]
        self._mark()
        close_tree(*before, keep=[self.add_button, self.pager, *self._shares.values()])

    def _show_pager(self) -> None:
        """The pager says the pages as they are now (made when a second page is needed;
        hidden again when one page holds every record)."""
        if self.pager is None and self.pages > 1:
            self.pager = Pager(self.turn_to, self._guard)
        if self.pager is not None:
            self.pager.show(self.page, self.page_size, len(self.visible),
                            {position // self.page_size
                             for position, index in enumerate(self.visible)
                             if index in self._problems}, self._language)

    @property
    def hidden_problems(self) -> list[int]:
        """The records with a problem that the filter leaves out."""
        shown = set(self.visible)
        return sorted(index for index in self._problems if index not in shown)

    def _card(self, controls: dict[str, widgets.Widget], remove: widgets.Button) -> widgets.Box:
        """One record as a card: the fields up to the last long text on the first line (an
        objective's id and title), the short ones below it, wrapping as the width asks; each
        field under its own label, so a label never stands over another field."""
        long = [i for i, f in enumerate(self.fields) if f.kind == "long_text"]
        split = long[-1] + 1 if long else 0
        boxes = [self._labelled(f, controls[f.key]) for f in self.fields]
        lines: list[widgets.Widget] = []
        if split:
            lines.append(widgets.HBox([*boxes[:split], remove], layout=self._layout(
                "first line", align_items="flex-start", width="100%")))
        rest = boxes[split:] + ([] if split else [remove])
        if rest:
            lines.append(widgets.HBox(rest, layout=self._layout(
                "wrap", flex_flow="row wrap", align_items="flex-start", width="100%")))
        return widgets.VBox(lines, layout=self._layout("whole", width="100%"))

    def _labelled(self, field: Field, control: widgets.Widget) -> widgets.VBox:
        label = widgets.HTML(f'<span style="font-size:12px;color:#555">'
                             f"{html.text(field.label)}</span>", layout=self._layout("plain"),
                             style=self._style(HTMLStyle))
        label.add_class("kk-label")
        if field.kind == "long_text":  # takes the room the line has
            return widgets.VBox([label, control], layout=self._layout(
                f"long {field.width}", flex=f"1 1 {field.width}", min_width="0"))
        return widgets.VBox([label, control], layout=self._layout("short", flex="0 0 auto"))

    def _changed(self, index: int, field: Field) -> Callable[[Any], None]:
        def changed(shown: Any) -> None:
            if self._filling:  # the records say it already
                return
            self.records[index][field.key] = field.read(shown)
            self.fresh.discard(index)  # touched: its problems are said from now on
            self.kept.add(index)  # edited: in view until the filter changes
            self._on_change()
        return self._guard(changed)

    def set(self, index: int, key: str, value: Any) -> None:
        """Type ``value`` into the control of ``key`` in row ``index`` (turning to its page
        first, as a user would)."""
        if index not in self.shown:
            if index not in self.visible:
                raise ValueError(f"Row {index + 1} is not shown: the filter "
                                 f"{self._filter[0]!r} leaves it out.")
            self.turn_to(self.visible.index(index) // self.page_size)
        control = self.controls[index][key]
        if isinstance(control, widgets.Dropdown):
            allowed = [v for _, v in control.options]
            value = self.field(key).selected(value)
            if value not in allowed and value is not None:
                raise ValueError(f"{value!r} is not a choice for {key}: use one of "
                                 f"{', '.join(map(repr, allowed))}.")
            control.value = value
        elif self.field(key).kind == "reference":
            # as a user picks it from the list (an id none names is typed as it is)
            control.value = self.field(key).words(value)
        else:
            control.value = _text(value)

    def field(self, key: str) -> Field:
        """The field of ``key``."""
        return next(f for f in self.fields if f.key == key)

    def add(self, record: dict[str, Any] | None = None) -> None:
        """Add a row (``record``, or a new one) on the last page, shown, then report the
        change."""
        self.records.append(dict(record) if record is not None else self._new())
        self.visible.append(len(self.records) - 1)  # shown, whatever the filter
        self.fresh.add(len(self.records) - 1)
        self.kept.add(len(self.records) - 1)
        self.page = self.pages - 1
        self._draw()
        self._on_change()

    def remove(self, index: int) -> None:
        del self.records[index]
        self.visible = [i - (i > index) for i in self.visible if i != index]
        self.fresh = {i - (i > index) for i in self.fresh if i != index}
        self.kept = {i - (i > index) for i in self.kept if i != index}
        self.page = min(self.page, self.pages - 1)
        self._draw()
        self._on_change()

    def show_problems(self, problems: dict[int, list[tuple[str | None, str]]],
                      notes: dict[int, list[tuple[str | None, str]]] | None = None) -> None:
        """Per row index: (field key or None, message). Marks the controls at fault and shows
        each message under its row in red; ``notes`` (e.g. a SMART verdict) show in grey, and
        a note naming a field marks it too. Problems on other pages mark those pages in the
        pager."""
        self._problems = {index: self._choices_said(index, items)
                          for index, items in problems.items()}
        self._notes = dict(notes or {})
        self._mark()
        self._show_pager()

    def _choices_said(self, index: int, items: list[tuple[str | None, str]]
                      ) -> list[tuple[str | None, str]]:
        """Row ``index``'s problems, those of a reference whose text names none of its
        choices said as that, once (validation reads the text as an id: "holds a space")."""
        record = self.records[index] if index < len(self.records) else {}
        fields = {f.key: f for f in self.fields if f.kind == "reference"}
        said: list[tuple[str | None, str]] = []
        for key, text in items:
            field = fields.get(key or "")
            value = record.get(key or "")
            if field is None or value is None or field.knows(value):
                said.append((key, text))
            elif not any(k == key for k, _ in said):
                said.append((key, t("wb.no_such_choice", self._language, field=field.label,
                                    value=value)))
        return said

    def waiting(self, index: int) -> list[str]:
        """The keys of the fields a fresh row (``fresh``) leaves empty that have a problem:
        said as fields to fill in, not as errors, until the row is edited."""
        if index not in self.fresh or index >= len(self.records):
            return []
        record = self.records[index]
        keys = {key for key, _ in self._problems.get(index, [])}
        return [f.key for f in self.fields if f.key in keys and _empty(record.get(f.key))]

    def problems(self, index: int) -> list[tuple[str | None, str]]:
        """The problems the row of record ``index`` shows: all but those ``waiting``."""
        waiting = set(self.waiting(index))
        return [(key, text) for key, text in self._problems.get(index, [])
                if key not in waiting]

    def message(self, index: int) -> str:
        """The HTML the row of record ``index`` says under it (also off the page shown)."""
        waiting = self.waiting(index)
        fill_in = [(None, t("wb.fill_in", self._language, fields=", ".join(
            self.field(key).label for key in waiting)))] if waiting else []
        return "".join(
            f'<div style="color:{colour};font-size:12px">{html.text(text)}</div>'
            for colour, items in (("#c0392b", self.problems(index)),
                                  ("#555", fill_in + self._notes.get(index, [])))
            for _, text in items)

    def _mark(self) -> None:
        """The page's controls at fault marked, its messages said."""
        for index, controls in self.controls.items():
            faulty = {key for key, _ in self.problems(index) + self._notes.get(index, [])}
            for field in self.fields:
                layout = self._control_layout(field, field.key in faulty)
                if controls[field.key].layout is not layout:
                    controls[field.key].layout = layout
            said = self.message(index)
            if self.messages[index].value != said:
                self.messages[index].value = said


class Pager(widgets.HBox):
    """Previous, the page as a choice of row ranges ("21-40 of 149"), next; a page with a
    problem is marked, so one off the page shown is found."""

    def __init__(self, turn: Callable[[int], None],
                 guard: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
        self.previous = widgets.Button(icon="chevron-left", layout=widgets.Layout(width="36px"))
        self.next = widgets.Button(icon="chevron-right", layout=widgets.Layout(width="36px"))
        self.choice = widgets.Dropdown(layout=widgets.Layout(width="auto"))
        self.note = widgets.HTML()  # the problems on the other pages, where they are
        super().__init__([self.previous, self.choice, self.next, self.note],
                         layout=widgets.Layout(align_items="center"))
        self.add_class("kk-pager")
        self._quiet = False  # the choice set from the records, not by the user
        self.previous.on_click(guard(lambda _: turn(self.choice.value - 1)))
        self.next.on_click(guard(lambda _: turn(self.choice.value + 1)))

        def chosen(change: dict[str, Any]) -> None:
            if not self._quiet and change["new"] is not None:
                turn(change["new"])
        self.choice.observe(guard(chosen), names="value")

    def show(self, page: int, size: int, count: int, faulty: set[int], language: str) -> None:
        """Page ``page`` of ``count`` records ``size`` a page, ``faulty`` the pages with a
        problem; hidden while one page holds them all."""
        pages = max(1, math.ceil(count / size))
        self.layout.display = "" if pages > 1 else "none"
        def rows(p: int) -> dict[str, int]:
            return {"first": p * size + 1, "last": min(count, (p + 1) * size)}

        options = [(t_counts("wb.page_problems" if p in faulty else "wb.page", language,
                             **rows(p), count=count), p) for p in range(pages)]
        elsewhere = ", ".join("{}–{}".format(*(number(n, language) for n in rows(p).values()))
                              for p in sorted(faulty - {page}) if p < pages)
        said = t("wb.problems_elsewhere", language, rows=elsewhere)
        note = f'<span style="color:#c0392b">{html.text(said)}</span>' if elsewhere else ""
        if self.note.value != note:
            self.note.value = note
        self._quiet = True
        try:
            if [tuple(o) for o in self.choice.options] != options:
                self.choice.options = options
            self.choice.value = page
        finally:
            self._quiet = False
        self.previous.disabled = page == 0
        self.next.disabled = page == pages - 1
