"""The editor of one account's rows of a table: contacts, relationships (the contact
matrix), history events, feedback, and the wallet estimates A5-A7 rest on (spend and who
holds it). Its form is derived from ``kamkit.schema``: a column's kind, choices and
references decide its control (a reference: a search box), so a new column needs no code
here. A filter box above the rows keeps those holding a text, in every column or one; the
pages count the rows it keeps.

Every change is checked with ``kamkit validate``'s rules for the rows touched and what
refers to them (``WorkbookEditor.check_rows``), problems shown beside their row; a save
keeps the file's own dialect and every other row byte for byte (``kamkit.edit``).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd

from kamkit.currency import currency_of
from kamkit.edit import SaveResult, WorkbookEditor
from kamkit.labels import choice_words, t, t_counts
from kamkit.portfolio.criteria import criteria as criteria_in_force
from kamkit.problems import Problem, Severity
from kamkit.report import html
from kamkit.rules_criteria import judgement_criteria
from kamkit.schema import CURRENCY_UNIT, TABLES_BY_NAME, Column, Kind
from kamkit.translated import table_in_language
from kamkit.widgets import style
from kamkit.widgets.guard import message_area
from kamkit.widgets.records import Field, RecordList, none_choice
from kamkit.widgets.save_bar import SaveBar
from kamkit.workbook import Workbook

EDITABLE = ("contacts", "relationships", "history", "feedback", "spend", "spend_shares",
            "judgements", "criteria")
"""The tables the workbench edits, in tab order (labels ``wb.table.<name>``): per account,
and last the portfolio's criteria and weights, which hold for the whole workbook."""

_ROW = "_row"  # a record's row in the file: its identity for the save
_WIDTHS = {Kind.TEXT: "200px", Kind.ID: "120px", Kind.CHOICE: "130px", Kind.DATE: "110px",
           Kind.MONEY: "110px", Kind.NUMBER: "80px", Kind.INTEGER: "70px", Kind.YEAR: "70px"}
# wide enough for their usual value at JupyterLab's 13 px font ("gemiddelde invloed",
# "yvonne.degraaf@deltastroom.example"); only contacts have them, shown as cards
_COLUMN_WIDTHS = {"email": "270px", "influence": "180px"}
_REFERENCE_NAMES = {"team.person_id": ("team", "person_id", "name"),
                    "services.service": ("services", "service", "name"),
                    "locations.location": ("locations", "location", "name"),
                    "competitors.competitor": ("competitors", "competitor", "name")}


def _heading(column: Column, language: str) -> str:
    """A column's heading: its label ``wb.col.<name>``, with the unit where it has one."""
    shown = currency_of(language) if column.unit == CURRENCY_UNIT else column.unit
    unit = f" ({shown})" if shown and shown != "service unit" else ""
    return t(f"wb.col.{column.name}", language) + unit


def column_field(column: Column, workbook: Workbook, account_id: str, language: str,
                 table: str) -> Field:
    """The form field of a column of ``table``: a choice for a fixed list, a search box for
    a reference, else a text, number or date box."""
    none = (("", ""),) if not column.required else ()
    field = f"{table}.{column.name}"  # its fixed values' labels: kamkit.labels.CHOICE_LABELS
    if column.kind is Kind.CHOICE:  # none said in words ("(none)"); a required one has none
        labelled = zip(choice_words(column.choices, field, language), column.choices,
                       strict=True)
        return Field(column.name, _heading(column, language), "choice",
                     width=_COLUMN_WIDTHS.get(column.name, _WIDTHS[Kind.CHOICE]),
                     choices=(() if column.required else (none_choice(language),))
                     + tuple(labelled))
    if column.refers_to in _REFERENCE_NAMES:
        table, key, name = _REFERENCE_NAMES[column.refers_to]
        frame = table_in_language(workbook.table(table), table, language)
        options = tuple((f"{n} ({k})", k) for k, n in zip(frame[key], frame[name],
                                                           strict=True))
        extra = tuple(zip(choice_words(column.extra_refs, field, language),
                          column.extra_refs, strict=True)) if column.extra_refs else ()
        return Field(column.name, _heading(column, language), "reference", width="170px",
                     choices=none + options + extra, language=language)
    if table == "judgements" and column.name == "criterion":  # those in force
        known = sorted(judgement_criteria(workbook.table("criteria")))
        return Field(column.name, _heading(column, language), "choice", width="170px",
                     choices=tuple((c, c) for c in known))
    if column.refers_to == "contacts.contact_id":
        contacts = workbook.account(account_id).contacts
        # a name with its id whole ("Marloes Verbeek (MAAS-C02)"), the relationships' fields
        # still side by side (FITS)
        return Field(column.name, _heading(column, language), "reference", width="234px",
                     choices=none + tuple((f"{n} ({c})", c) for c, n in zip(
                         contacts["contact_id"], contacts["name"], strict=True)),
                     language=language)
    kind = {Kind.MONEY: "number", Kind.NUMBER: "number", Kind.INTEGER: "number",
            Kind.YEAR: "number", Kind.DATE: "date"}.get(column.kind, "text")
    return Field(column.name, _heading(column, language), kind,
                 width=_COLUMN_WIDTHS.get(column.name, _WIDTHS.get(column.kind, "140px")),
                 language=language)


def _plain(value: Any) -> Any:
    """A typed cell as the form shows it: dates as dates, NA as None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, float) and pd.isna(value):
        return None
    return value


class TableEditor(widgets.VBox):
    """Edit ``account_id``'s rows of ``table`` and save them through ``store``.

    ``on_saved(table)`` is called after each save, so the views can read the table again;
    ``counted(count)`` after each check with ``problem_count`` (the workbench's tab title).

    A row added or edited stays in view while the filter stays, also after a save that
    reads the rows again (the filter box says how many rows it shows that it would hide).
    """

    def __init__(self, store: WorkbookEditor, workbook: Workbook, table: str, account_id: str,
                 language: str = "en", on_saved: Callable[[str], None] = lambda _: None) -> None:
        super().__init__()
        self.store, self.workbook, self.table = store, workbook, table
        self.account_id, self.language, self._on_saved = account_id, language, on_saved
        schema = TABLES_BY_NAME[table]
        self.columns = [c for c in schema.columns
                        if not (c.name == "account_id" and c.refers_to)]
        self.fields = [column_field(c, workbook, account_id, language, table) for c in self.columns]
        self.problems: list[Problem] = []
        self.notice = widgets.HTML()
        self.failure, self.guard = message_area(lambda: self.language)
        self.problem_list = widgets.HTML()
        # a contact the plan names, renamed or removed: said, and the plan offered to follow
        self.plan_note = widgets.HTML()
        self.update_plan = widgets.Checkbox(value=False, indent=False,
                                            description=t("wb.update_plan", language))
        self.update_plan.add_class("kk-update-plan")
        self.update_plan.observe(self.guard(lambda _: self.check()), names="value")
        self.plan_box = widgets.VBox([self.plan_note, self.update_plan],
                                     layout=widgets.Layout(display="none"))
        self.bar = SaveBar(store, self._write, self._after, language, account_id,
                           store.log_name(account_id, table))
        self._saved: list[dict[str, Any]] = []  # the records as read
        self.problem_count = 0  # the problems the tab shows (beside its rows and under them)
        self.counted: Callable[[int], None] = lambda _: None
        self._kept_rows: set[int] | None = None  # file rows to keep in view after a save
        self.form = RecordList(self.fields, [], on_change=self._typed, new=self._new,
                               add_label=t("wb.add", language), guard=self.guard,
                               language=language)
        # a filter over the rows: the text typed, in every column or in the one chosen
        self.filter_text = widgets.Text(placeholder=t("wb.filter", language),
                                        continuous_update=False,
                                        layout=widgets.Layout(width="220px"))
        self.filter_text.add_class("kk-filter")
        self.filter_column = widgets.Dropdown(
            options=[(t("wb.filter_all", language), ""), *((f.label, f.key) for f in self.fields)],
            layout=widgets.Layout(width="auto"))
        self.filter_note = widgets.HTML()
        self._quiet_filter = False
        for control in (self.filter_text, self.filter_column):
            control.observe(self.guard(lambda _: self.filter()), names="value")
        self.filter_bar = widgets.HBox([self.filter_text, self.filter_column, self.filter_note],
                                       layout=widgets.Layout(align_items="center"))
        self.children = [self.notice, self.filter_bar, self.form, self.problem_list,
                         self.plan_box, self.failure, self.bar]
        style.styled(self)
        self.reload()

    # ------------------------------------------------------------------ data
    def reload(self) -> None:
        """Read the account's rows from the file again; the rows added or edited (``kept``:
        shown whatever the filter) stay in view."""
        kept_rows, self._kept_rows = self._kept_rows, None
        if kept_rows is None:  # not saved (undone): the rows by their place in the file
            kept_rows = {self.form.records[i][_ROW] for i in self.form.kept}
        self.draft = self.store.rows(self.table, self.account_id)
        records = [{_ROW: row, **{c.name: _plain(values[c.name]) for c in self.columns
                                  if c.name in values}}
                   for row, values in self.draft.frame.iterrows()]
        if self.table == "criteria" and not records:  # none written: the defaults in force
            shown = ("axis", "criterion", "weight", "source")
            records = [{_ROW: -1 - i, **{c.name: (_plain(row[c.name]) if c.name in shown
                                                  else None) for c in self.columns}}
                       for i, (_, row) in enumerate(criteria_in_force(self.workbook).iterrows())]
        self.form.load(records, kept=[i for i, r in enumerate(records) if r[_ROW] in kept_rows])
        self._saved = copy.deepcopy(self.form.records)  # the form changes its own dicts
        reason = self.store.read_only_words
        self.notice.value = html.missing(reason.said(self.language)) if reason else ""
        self.check()

    def filter(self, text: str | None = None, column: str | None = None) -> None:
        """Show the rows holding ``text`` (any case) in ``column`` (a column's name, ""
        for any), as typing in the filter box does (None keeps what the box says); the
        pages, and the problems off the page, count the rows shown."""
        if self._quiet_filter:  # set below: filtered once, after both
            return
        self._quiet_filter = True
        try:
            if column is not None:
                self.filter_column.value = column
            if text is not None:
                self.filter_text.value = text
        finally:
            self._quiet_filter = False
        self.form.filter(self.filter_text.value, self.filter_column.value or None)
        self._say_filter()

    def _say_filter(self) -> None:
        """How many rows the filter shows (and of those, the rows added or edited it would
        hide), and the rows with problems it hides."""
        said = ""
        if self.filter_text.value.strip():
            said = html.text(t_counts("wb.filter_count", self.language,
                                      count=len(self.form.visible),
                                      total=len(self.form.records)))  # as the pager says
            kept = len(self.form.kept_unmatched)
            if kept:
                said += html.text(", " + t_counts("wb.filter_kept", self.language, count=kept))
        hidden = self.form.hidden_problems
        if hidden:
            words = t_counts("wb.problems_hidden", self.language, count=len(hidden))
            said += f' <span style="color:#c0392b">{html.text(words)}</span>'
        if self.filter_note.value != said:
            self.filter_note.value = said

    def _new(self) -> dict[str, Any]:
        used = [r[_ROW] for r in self.form.records if isinstance(r.get(_ROW), int)]
        record: dict[str, Any] = {c.name: None for c in self.columns}
        record[_ROW] = min([0, *used]) - 1  # a new row: a label no file row has
        if "date" in record:
            record["date"] = dt.date.today()
        return record

    @property
    def frame(self) -> pd.DataFrame:
        """The rows as the form now says, typed like the draft, indexed by file row."""
        records = self.form.records
        frame = pd.DataFrame([{c.name: r.get(c.name) for c in self.columns} for r in records],
                             index=pd.Index([r[_ROW] for r in records]),
                             columns=[c.name for c in self.columns])
        if "account_id" in self.draft.frame.columns:
            frame.insert(list(self.draft.frame.columns).index("account_id"), "account_id",
                         self.account_id)
        for column in self.columns:
            if column.kind is Kind.DATE:  # typed text that is no date stays, for the check
                frame[column.name] = [pd.Timestamp(v) if isinstance(v, dt.date) else
                                      (pd.NaT if v is None else v) for v in frame[column.name]]
        return frame[list(self.draft.frame.columns)]

    # ------------------------------------------------------------------ checking
    @property
    def unsaved(self) -> bool:
        """Whether the rows differ from those read (a value typed back is no change)."""
        return self.form.records != self._saved

    def take_over(self, other: TableEditor) -> None:
        """Show the rows ``other`` (the same table's editor, e.g. in another language)
        holds, typed and not saved yet, against the rows it read."""
        self.draft = other.draft
        self.filter(other.filter_text.value, other.filter_column.value)  # the rows it showed
        self.form.load(other.form.records, fresh=sorted(other.form.fresh),
                       kept=sorted(other.form.kept))
        self.form.turn_to(other.form.page)  # on the page the user was on
        self._saved = other._saved
        self.update_plan.value = other.update_plan.value
        self.check()

    def _typed(self) -> None:
        self.bar.edited()
        self.check()

    def check(self) -> list[Problem]:
        """Validate the rows as the form says and show each problem beside its row."""
        headings = {f.key: f.label for f in self.fields}
        frame = self.frame
        self._plan_references(frame)
        self.problems, placed = self.store.check_placed_rows(
            self.table, self.account_id, frame, update_plan=self._updates_plan)
        # the problems name rows as the save would place them (a row added too)
        rows = {placed.get(r[_ROW], r[_ROW]): i for i, r in enumerate(self.form.records)}
        by_row: dict[int, list[tuple[str | None, str]]] = {}
        rest = []
        for problem in self.problems:
            index = rows.get(problem.row)
            if index is None:
                rest.append(problem)
                continue
            value = f" ({problem.value})" if problem.value else ""
            label = headings.get(problem.column or "", problem.column or "")
            message = problem.message_in(self.language)
            if problem.severity is not Severity.ERROR:  # said as such: Save stays on
                message = f"{t(f'problem.severity.{problem.severity}', self.language)}: {message}"
            by_row.setdefault(index, []).append(
                (problem.column, f"{label}{value}: {message}".lstrip(": ")))
        self.form.show_problems(by_row)
        self._say_filter()
        self.problem_list.value = "".join(
            f'<div style="color:#c0392b">{html.text(p.text(self.language))}</div>'
            for p in rest)
        self.problem_count = len(rest) + sum(len(self.form.problems(i)) for i in by_row)
        self.counted(self.problem_count)
        errors = [p for p in self.problems if p.severity is Severity.ERROR]
        self.bar.save_button.disabled = bool(errors) or bool(self.store.read_only)
        return self.problems

    @property
    def _updates_plan(self) -> bool:
        return self.plan_box.layout.display != "none" and self.update_plan.value

    def _plan_references(self, frame: pd.DataFrame) -> None:
        """Say which plan entries name a contact this edit renames or removes, and offer to
        update them with the save (else validation keeps the save from leaving them
        dangling)."""
        if self.table != "contacts":
            return
        renames, where = self.store.plan_references(self.account_id, frame, self.draft)
        if not renames:
            self.plan_box.layout.display = "none"
            self.update_plan.value = False
            return
        contacts = ", ".join(old if new is None else f"{old} → {new}"
                             for old, new in renames.items())
        self.plan_note.value = html.missing(t("wb.plan_names", self.language,
                                              contacts=contacts, where=", ".join(where)))
        self.plan_box.layout.display = ""

    # ------------------------------------------------------------------ saving
    def save(self, resolve: Mapping[str, str] | None = None) -> SaveResult | None:
        """Validate and save; conflicts and problems are shown, not raised."""
        return self.bar.save(resolve)

    def _write(self, resolve: Mapping[str, str] | None) -> SaveResult:
        result = self.store.save_rows(self.table, self.account_id, self.frame,
                                      base=self.draft, resolve=resolve,
                                      update_plan=self._updates_plan)
        # the rows added or edited, where the save put them: in view after it too
        labels = {self.form.records[i][_ROW] for i in self.form.kept}
        self._kept_rows = {row for label, row in result.placed.items() if label in labels}
        return result

    def _after(self) -> None:
        self.reload()
        self._on_saved(self.table)
