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
from typing import Any

import ipywidgets as widgets

from kamkit.locale import for_language
from kamkit.parsing import parse_date
from kamkit.report import html
from kamkit.widgets.closing import close_tree

_ERROR_BORDER = "2px solid #c0392b"
FITS = 640
"""Pixels a form's fields may take side by side: JupyterLab at 1280 px with its file browser
open leaves about 700 for a widget in a tab of the workbench. Wider forms show cards."""
_MARGIN = 4  # a control's margins (ipywidgets: 2 px each side)
_REMOVE = 40  # the remove button with its margins


def _pixels(width: str) -> int:
    """A ``Field.width`` in pixels (a width in other units counts as a wide one)."""
    return int(width[:-2]) if width.endswith("px") else FITS


@dataclass(frozen=True)
class Field:
    """One key of a record: ``kind`` is text, long_text, choice, number, date or ids."""

    key: str
    label: str
    kind: str = "text"
    choices: tuple[tuple[str, str], ...] = ()  # (shown, value); "" stands for none
    width: str = "140px"
    language: str = "en"  # how numbers are typed (decimal comma and grouping)

    def control(self, value: Any, on_change: Callable[[Any], None]) -> widgets.Widget:
        """The control for ``value``, calling ``on_change`` on every change."""
        layout = widgets.Layout(width=self.width)
        if self.kind == "choice":
            control: widgets.Widget = widgets.Dropdown(options=self._options(value),
                                                       value=value, layout=layout)
        elif self.kind == "long_text":
            text = _text(value)
            control = widgets.Textarea(value=text, layout=layout, rows=_rows(text))
        else:
            control = widgets.Text(value=_text(value), layout=layout,
                                   placeholder={"date": "YYYY-MM-DD", "ids": "ID, ID"}
                                   .get(self.kind, ""))
        control.observe(lambda change: on_change(change["new"]), names="value")
        control.add_class(f"kk-field-{self.key.replace('.', '-')}")  # for the browser tests
        return control

    def _options(self, value: Any) -> list[tuple[str, Any]]:
        """A choice's options for ``value``: the choices, and a value the file says that
        is none of them (kept, for validation to name)."""
        options = list(self.choices)
        if value not in {v for _, v in options}:
            options.append((str(value), value))
        return options

    def offers(self, control: widgets.Widget, value: Any) -> bool:
        """Whether ``control`` (one this field made) shows ``value`` as a control made for
        it would: a choice only with the same options."""
        return self.kind != "choice" or [tuple(o) for o in control.options] == self._options(
            value)

    def fill(self, control: widgets.Widget, value: Any) -> None:
        """Show ``value`` in ``control`` (one this field made and that ``offers`` it) as
        a control made for ``value`` shows it."""
        if self.kind == "choice":
            control.value = value
            return
        control.value = _text(value)
        if self.kind == "long_text":
            control.rows = _rows(control.value)

    def read(self, shown: Any) -> Any:
        """The workbook value of what a control shows."""
        if self.kind == "choice":
            return None if shown == "" else shown
        text = str(shown).strip()
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
    """

    def __init__(self, fields: Sequence[Field], records: Sequence[dict[str, Any]],
                 on_change: Callable[[], None] = lambda: None, new: Callable[[], dict] = dict,
                 add_label: str = "+", remove_label: str = "×",
                 guard: Callable[[Callable[..., Any]], Callable[..., Any]] = lambda f: f
                 ) -> None:
        super().__init__()
        self.fields = tuple(fields)
        self._on_change = on_change
        self._new = new
        self._remove_label = remove_label
        self._guard = guard  # how a control's callback says an error (kamkit.widgets.guard)
        self._filling = False  # controls set from the records, not typed
        self.add_button = widgets.Button(description=add_label, icon="plus")
        self.add_button.on_click(guard(lambda _: self.add()))
        self.load(records)

    def load(self, records: Sequence[dict[str, Any]],
             fields: Sequence[Field] | None = None) -> None:
        """Show ``records`` (copies: the caller's dicts are never changed), with ``fields``
        when given (e.g. choices that followed the workbook).

        The same fields over as many rows (a form read again after a save) are filled in
        place: the front end keeps the widgets it shows rather than closing views and
        making some two thousand new widgets for every save."""
        copies = [dict(r) for r in records]
        fields = self.fields if fields is None else tuple(fields)
        same = (fields == self.fields and hasattr(self, "controls")
                and len(copies) == len(self.controls) and self._fill(copies))
        self.fields = fields
        self.records: list[dict[str, Any]] = copies
        if not same:
            self._draw()

    def _fill(self, records: list[dict[str, Any]]) -> bool:
        """Show ``records`` in the controls there are, their callbacks quiet (the values
        are the records'); False when a choice does not offer a record's value."""
        if not all(field.offers(controls[field.key], record.get(field.key))
                   for record, controls in zip(records, self.controls, strict=True)
                   for field in self.fields):
            return False
        self._filling = True
        try:
            for record, controls in zip(records, self.controls, strict=True):
                for field in self.fields:
                    field.fill(controls[field.key], record.get(field.key))
        finally:
            self._filling = False
        return True

    @property
    def stacked(self) -> bool:
        """Whether each record is a card (a label above every field, the fields wrapping
        onto the next line) rather than a row under one heading: when the fields side by
        side would not fit a notebook beside JupyterLab's file browser."""
        return sum(_pixels(f.width) + _MARGIN for f in self.fields) + _REMOVE > FITS

    def _draw(self) -> None:
        before: tuple[widgets.Widget, ...] = tuple(getattr(self, "children", ()))  # to close
        self.controls: list[dict[str, widgets.Widget]] = []
        self.messages: list[widgets.HTML] = []
        rows = []
        stacked = self.stacked
        for index, record in enumerate(self.records):
            controls = {f.key: f.control(record.get(f.key), self._changed(index, f))
                        for f in self.fields}
            remove = widgets.Button(description=self._remove_label,
                                    layout=widgets.Layout(width=f"{_REMOVE - _MARGIN}px",
                                                          flex="0 0 auto"))
            remove.on_click(self._guard(lambda _, i=index: self.remove(i)))
            message = widgets.HTML()
            self.controls.append(controls)
            self.messages.append(message)
            fields = self._card(controls, remove) if stacked else widgets.HBox(
                [*controls.values(), remove])
            row = widgets.VBox([fields, message])
            if stacked:  # cards apart
                row.layout = widgets.Layout(border_bottom="1px solid #e0e0e0",
                                            padding="2px 0 4px 0")
            row.add_class("kk-row")
            rows.append(row)
        if stacked:
            self.children = [*rows, self.add_button]
        else:
            header = widgets.HBox([widgets.HTML(f"<b>{html.text(f.label)}</b>",
                                                layout=widgets.Layout(width=f.width,
                                                                      flex="0 0 auto"))
                                   for f in self.fields])
            self.children = [header, *rows, self.add_button]
        close_tree(*before, keep=[self.add_button])

    def _card(self, controls: dict[str, widgets.Widget], remove: widgets.Button) -> widgets.Box:
        """One record as a card: the fields up to the last long text on the first line (an
        objective's id and title), the short ones below it, wrapping as the width asks; each
        field under its own label, so a label never stands over another field."""
        long = [i for i, f in enumerate(self.fields) if f.kind == "long_text"]
        split = long[-1] + 1 if long else 0
        boxes = [self._labelled(f, controls[f.key]) for f in self.fields]
        wrap = widgets.Layout(flex_flow="row wrap", align_items="flex-start", width="100%")
        lines: list[widgets.Widget] = []
        if split:
            lines.append(widgets.HBox([*boxes[:split], remove],
                                      layout=widgets.Layout(align_items="flex-start",
                                                            width="100%")))
        rest = boxes[split:] + ([] if split else [remove])
        if rest:
            lines.append(widgets.HBox(rest, layout=wrap))
        return widgets.VBox(lines, layout=widgets.Layout(width="100%"))

    @staticmethod
    def _labelled(field: Field, control: widgets.Widget) -> widgets.VBox:
        label = widgets.HTML(f'<span style="font-size:12px;color:#555">'
                             f"{html.text(field.label)}</span>")
        label.add_class("kk-label")
        if field.kind == "long_text":  # takes the room the line has
            control.layout.width = "auto"
            return widgets.VBox([label, control], layout=widgets.Layout(
                flex=f"1 1 {field.width}", min_width="0"))
        return widgets.VBox([label, control], layout=widgets.Layout(flex="0 0 auto"))

    def _changed(self, index: int, field: Field) -> Callable[[Any], None]:
        def changed(shown: Any) -> None:
            if self._filling:  # the records say it already
                return
            self.records[index][field.key] = field.read(shown)
            self._on_change()
        return self._guard(changed)

    def set(self, index: int, key: str, value: Any) -> None:
        """Type ``value`` into the control of ``key`` in row ``index``."""
        control = self.controls[index][key]
        if isinstance(control, widgets.Dropdown):
            allowed = [v for _, v in control.options]
            if value not in allowed:
                raise ValueError(f"{value!r} is not a choice for {key}: use one of "
                                 f"{', '.join(map(repr, allowed))}.")
            control.value = value
        else:
            control.value = _text(value)

    def add(self, record: dict[str, Any] | None = None) -> None:
        """Add a row (``record``, or a new one), then report the change."""
        self.records.append(dict(record) if record is not None else self._new())
        self._draw()
        self._on_change()

    def remove(self, index: int) -> None:
        del self.records[index]
        self._draw()
        self._on_change()

    def show_problems(self, problems: dict[int, list[tuple[str | None, str]]],
                      notes: dict[int, list[tuple[str | None, str]]] | None = None) -> None:
        """Per row index: (field key or None, message). Marks the controls at fault and shows
        each message under its row in red; ``notes`` (e.g. a SMART verdict) show in grey, and
        a note naming a field marks it too."""
        notes = notes or {}
        for index, controls in enumerate(self.controls):
            found, noted = problems.get(index, []), notes.get(index, [])
            faulty = {key for key, _ in found + noted}
            for key, control in controls.items():
                control.layout.border = _ERROR_BORDER if key in faulty else ""
            self.messages[index].value = "".join(
                f'<div style="color:{colour};font-size:12px">{html.text(text)}</div>'
                for colour, items in (("#c0392b", found), ("#555", noted)) for _, text in items)
