"""The editor of an account document: vision and strategy texts, both SWOTs, the strategic
conclusions, the objectives (with their SMART verdict as the user types) and the action plan
(with each action's horizon and overdue flag), validated before it saves.

A tab's forms are made when it is first shown (the document's objectives, actions, SWOTs
and team are some thousand widgets); until then the editor holds their records, so saving,
checking and the unsaved state see the whole document either way.

Every keystroke checks the whole document with ``kamkit validate``'s rules through
``kamkit.edit.WorkbookEditor`` (only this document, against the workbook read once) and
marks the fields at fault; the SMART letters and horizons come from ``kamkit.plan``, as in
the plan report.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd

from kamkit.charts import theme
from kamkit.edit import SaveResult, WorkbookEditor
from kamkit.errors import KamkitError
from kamkit.findings.plan import reason
from kamkit.labels import smart_letter, t
from kamkit.plan import LETTERS, action_plan, objective_status
from kamkit.problems import Problem, Severity
from kamkit.report import html
from kamkit.widgets import document_form as form
from kamkit.widgets import style
from kamkit.widgets.closing import close_tree
from kamkit.widgets.guard import message_area
from kamkit.widgets.records import RecordList
from kamkit.widgets.save_bar import SaveBar
from kamkit.workbook import AccountData, Workbook

TEXTS = (("analysis", "vision"), ("analysis", "strategy"), ("plan", "vision_3y"))
"""The free texts the editor shows, by path."""
_TEXT_LABELS = {"vision": "find.a1.vision", "strategy": "find.a1.strategy",
                "vision_3y": "wb.edit.vision_3y"}
GROUPS = (("vision", ()), ("swot_account", tuple(f"swot_account.{q}" for q in form.QUADRANTS)),
          ("swot_ours", tuple(f"swot_ours.{q}" for q in form.QUADRANTS)),
          ("conclusions", ("conclusions",)), ("objectives", ("objectives",)),
          ("team", ("team",)), ("actions", ("actions",)))
"""The editor's tabs and the parts each holds; titles are the labels ``wb.edit.<key>``."""


def _problem_text(problem: Problem, language: str) -> str:
    where = f"{problem.location}: " if problem.location else ""
    return f"{where}{problem.message_in(language)}"


class DocumentEditor(widgets.VBox):
    """Edit ``account_id``'s document in ``workbook`` and save it through ``store``.

    ``on_saved(document)`` is called after each save with the document as saved, so the
    views showing it can follow; ``counted(count)`` after each check with
    ``problem_count``, the problems its tabs count (the workbench's tab title).
    """

    def __init__(self, store: WorkbookEditor, workbook: Workbook, account_id: str,
                 as_of: dt.date, language: str = "en",
                 on_saved: Callable[[Any], None] = lambda _: None) -> None:
        super().__init__()
        self.store, self.workbook, self.account_id = store, workbook, account_id
        self.as_of, self.language, self._on_saved = as_of, language, on_saved
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.counted: Callable[[int], None] = lambda _: None
        self._smart_cache: dict[tuple, pd.Series] = {}
        self.notice = widgets.HTML()
        self.failure, self.guard = message_area(lambda: self.language)
        self.texts = {path: widgets.Textarea(layout=widgets.Layout(width="720px"), rows=3)
                      for path in TEXTS}
        for path, area in self.texts.items():
            area.description = t(_TEXT_LABELS[path[-1]], language)
            area.observe(self.guard(lambda _: self._typed()), names="value")
        # the asks for management (the review deck's last slide): one per line
        self.asks = widgets.Textarea(layout=widgets.Layout(width="720px"), rows=3,
                                     description=t("deck.asks", language))
        self.asks.observe(self.guard(lambda _: self._typed()), names="value")
        self.start_plan = widgets.Button(description=t("wb.start_plan", language), icon="plus")
        self.start_plan.on_click(self.guard(lambda _: self.begin_plan()))
        self.reload_button = widgets.Button(description=t("wb.reload", language), icon="refresh")
        self.reload_button.on_click(self.guard(lambda _: self.reload()))
        self.forms: dict[str, RecordList] = {}  # the forms made (``form_of`` makes one)
        self._pending: dict[str, list[dict[str, Any]]] = {}  # the records of the others
        self._opened: set[str] = set()  # the tabs shown once: their forms are made
        self._fresh: dict[str, set[int]] = {}  # rows added, not edited, of forms not made
        self._notes: dict[str, dict[int, list[tuple]]] = {}  # the verdicts last shown
        self.bar = SaveBar(store, self._write, self._after, language, account_id,
                           store.log_name(account_id))
        self.problem_list = widgets.HTML()
        self.tabs = style.tabs()
        self.tabs.observe(self.guard(lambda change: self._open_tab(change["new"])),
                          names="selected_index")
        self.style = style.style()  # also when shown without the workbench
        # one box per tab for good: a save refills the boxes; replacing the tab's children
        # made the browser show the first tab again after every save
        self._tab_boxes = [widgets.VBox() for _ in GROUPS]
        self._heads: dict[str, widgets.VBox] = {}  # each form under its heading
        self._no_plan = widgets.HTML(html.missing(t("wb.no_plan", language)))
        style.styled(self)
        self.reload()

    # ------------------------------------------------------------------ data
    def reload(self) -> None:
        """Read the document from disk again (a new one from the template if none); one
        kamkit cannot read is said, with a button to read it again once it is fixed."""
        self._saved: dict[str, Any] | None = None  # what the forms said when read
        self._fresh = {}  # the rows read are none added
        try:
            self.draft = self.store.document(self.account_id)
        except KamkitError as error:  # e.g. no YAML kamkit reads: said, nothing to edit
            self.readable = False
            self.problems = list(getattr(error, "problems", []))
            said = " ".join(p.text(self.language) for p in self.problems) or str(error)
            self.notice.value = html.missing(t("wb.unreadable_document", self.language,
                                               problems=said))
            self.children = [self.notice, self.reload_button, self.failure]
            self._count(len(self.problems) or 1)  # unreadable: at least that one
            return
        self.readable = True
        self._show(self.draft.data)
        self._saved = self.data
        reason = self.store.read_only_words
        reason_text = None if reason is None else reason.said(self.language)
        self.notice.value = html.missing(reason_text) if reason_text else (
            "" if self.draft.exists else
            html.missing(t("wb.new_document", self.language, account_id=self.account_id)))
        self.bar.save_button.disabled = bool(reason_text)

    def _show(self, data: dict[str, Any]) -> None:
        before = [child for box in self._tab_boxes for child in box.children]  # to close
        self._base = copy.deepcopy(data)
        self._quiet = True
        for path, area in self.texts.items():
            area.value = str(form._get(data, path) or "")
        asks = data.get("asks")
        self.asks.value = "\n".join(map(str, asks)) if isinstance(asks, list) else ""
        self._quiet = False
        self._has_plan = isinstance(data.get("plan"), dict)
        # the forms shown stay and are filled again (a save reads the document back): the
        # browser keeps its widgets instead of replacing some two thousand of them; a tab
        # not opened yet holds its records only (its forms are made when it is first shown)
        forms, self.forms, self._pending = self.forms, {}, {}
        for part in form.PARTS:
            if part.path[0] == "plan" and not self._has_plan:
                continue
            records = form.records(data, part)
            if part.key in forms:
                forms[part.key].load(records, form.fields(part, self.workbook, data,
                                                          self.language))
                self.forms[part.key] = forms[part.key]
            else:
                self._pending[part.key] = records
        self._opened.add(GROUPS[self.tabs.selected_index or 0][0])
        for key in self._opened:
            self._make_forms(key, data)
        for box, (key, _) in zip(self._tab_boxes, GROUPS, strict=True):
            box.children = self._tab_children(key)
        # what the tabs showed before and show no more: closed (the kernel forgets it)
        close_tree(*before, keep=[child for box in self._tab_boxes for child in box.children])
        if list(self.tabs.children) != self._tab_boxes:
            self.tabs.children = self._tab_boxes  # titled by the check below
        self.children = [self.style, self.notice, self.tabs, self.problem_list,
                         self.failure, self.bar]
        self.check()

    def _tab_children(self, group: str) -> list[widgets.Widget]:
        """What the tab ``group`` shows: its texts or forms, the offer to start a plan where
        there is none, nothing while it was never opened."""
        parts = dict(GROUPS)[group]
        if group == "vision":
            return [self.texts[("analysis", "vision")], self.texts[("analysis", "strategy")],
                    self.texts[("plan", "vision_3y")] if self._has_plan else self.start_plan,
                    self.asks]
        if not all(p in self.forms or p in self._pending for p in parts):
            return [self._no_plan, self.start_plan]
        if group not in self._opened:
            return []
        return [self._headed(p) for p in parts]

    def _make_forms(self, group: str, data: dict[str, Any]) -> list[str]:
        """Make the forms of the tab ``group`` whose records wait (``data``: the document as
        the editor says, for the choices); the parts made."""
        made = []
        for key in dict(GROUPS)[group]:
            if key not in self._pending:
                continue
            part = form.PARTS_BY_KEY[key]

            def new(part: form.Part = part) -> dict[str, Any]:
                return form.new_record(part, self.data, self.as_of)

            self.forms[key] = RecordList(
                form.fields(part, self.workbook, data, self.language), self._pending.pop(key),
                on_change=self._typed, new=new, add_label=t("wb.add", self.language),
                guard=self.guard, language=self.language)
            self.forms[key].fresh = self._fresh.pop(key, set())
            made.append(key)
        return made

    def _open_tab(self, index: int | None) -> None:
        """The tab ``index`` is shown: its forms are made the first time, marked with the
        problems and verdicts the document has now."""
        if index is None or not hasattr(self, "_base"):
            return
        group = GROUPS[index][0]
        if group in self._opened:
            return
        self._opened.add(group)
        made = self._make_forms(group, self.data)
        self._tab_boxes[index].children = self._tab_children(group)
        for key in made:
            self._mark_form(key)

    def form_of(self, key: str) -> RecordList:
        """The form of the part ``key`` (made now if its tab was never shown, as opening the
        tab does); KeyError for a plan's part while the document has no plan."""
        if key not in self.forms:
            if key not in self._pending:
                raise KeyError(key)
            self._open_tab(next(i for i, (_, parts) in enumerate(GROUPS) if key in parts))
        return self.forms[key]

    @property
    def parts(self) -> list[str]:
        """The keys of the parts the document has (a plan's only with a plan), their forms
        made or not."""
        return [part.key for part in form.PARTS if part.key in self.forms
                or part.key in self._pending]

    def _records_of(self, key: str) -> list[dict[str, Any]]:
        """The records of the part ``key`` as the editor says (in its form, or waiting)."""
        return self.forms[key].records if key in self.forms else self._pending[key]

    def _headed(self, key: str) -> widgets.VBox:
        """The form of the part ``key`` under its heading (the same box while the form
        stays)."""
        box = self._heads.get(key)
        if box is None or box.children[1] is not self.forms[key]:
            heading = t(form.PARTS_BY_KEY[key].label, self.language)
            box = self._heads[key] = widgets.VBox([
                widgets.HTML(f"<b>{html.text(heading)}</b>"), self.forms[key]])
        return box

    @property
    def data(self) -> dict[str, Any]:
        """The document as the forms now say."""
        data = copy.deepcopy(self._base)
        for path, area in self.texts.items():
            holder = data.get(path[0])
            if not isinstance(holder, dict):
                if path[0] == "plan" or not area.value.strip():
                    continue
                holder = data[path[0]] = {}
            if area.value.strip() or path[-1] in holder:
                holder[path[-1]] = area.value.strip()
        asks = [line.strip() for line in self.asks.value.splitlines() if line.strip()]
        if asks or "asks" in data:
            data["asks"] = asks
        for key in [*self.forms, *self._pending]:
            part, records = form.PARTS_BY_KEY[key], self._records_of(key)
            if records or form._get(data, part.path) is not None:
                data = form.with_records(data, part, records)
        return data

    def begin_plan(self) -> None:
        """Add an empty plan for next year to a document that has none."""
        data = self.data
        data["plan"] = form.new_plan(self.as_of)
        self._show(data)

    # ------------------------------------------------------------------ checking
    @property
    def unsaved(self) -> bool:
        """Whether the forms say something else than the document as read (typing a value
        and then the old one back leaves nothing unsaved)."""
        return self._saved is not None and self.data != self._saved

    def take_over(self, other: DocumentEditor) -> None:
        """Show what ``other`` (the same account's editor, e.g. in another language) holds,
        typed and not saved yet, against the document it read: nothing typed is lost."""
        if not (self.readable and other.readable) or other._saved is None:
            return
        self.draft = other.draft  # a save merges against what other read
        self.tabs.selected_index = other.tabs.selected_index
        self._fresh = {key: set(f.fresh) for key, f in other.forms.items()}  # still quiet
        self._show(other.data)
        for key in [k for k in self._fresh if k in self.forms]:
            self.forms[key].fresh = self._fresh.pop(key)
        self._saved = other._saved
        self.check()

    def _typed(self) -> None:
        if getattr(self, "_quiet", False):  # the forms filled from the file
            return
        self.bar.edited()
        self.check()

    def check(self) -> list[Problem]:
        """Validate what the forms say and show the problems, SMART verdicts and horizons."""
        if getattr(self, "_quiet", False) or not hasattr(self, "_base"):
            return []
        data = self.data
        self.problems = self.store.check_document(self.account_id, data)
        errors = [p for p in self.problems if p.severity is Severity.ERROR]
        judged = self._without_faults(data, errors) if errors else data
        self._notes = {} if judged is None else self._verdicts(judged)
        for key in self.forms:
            self._mark_form(key)
        in_tabs = self._title_tabs()
        rest = form.other_problems(self.problems)
        self._count(in_tabs + len(rest))
        self.problem_list.value = "".join(
            f'<div style="color:{_severity_colour(p)}">'
            f"{html.text(_problem_text(p, self.language))}</div>" for p in rest)
        self.bar.save_button.disabled = bool(errors) or bool(self.store.read_only)
        return self.problems

    def _title_tabs(self) -> int:
        """Each tab's title with the count of the problems its rows show, also a tab never
        shown ("Objectives (2 problems)"), as the pager marks a page; their sum."""
        titles = []
        for group, parts in GROUPS:
            count = 0
            for key in parts:
                if key in self.forms:
                    rows = self.forms[key]
                    count += sum(len(rows.problems(i)) for i in range(len(rows.records)))
                elif key in self._pending:
                    count += sum(map(len, form.problems_by_row(
                        self.problems, form.PARTS_BY_KEY[key], self.language).values()))
            titles.append((t(f"wb.edit.{group}", self.language), count))
        style.set_titles(self.tabs, [style.titled(label, count, self.language)
                                     for label, count in titles])
        return sum(count for _, count in titles)

    def _count(self, count: int) -> None:
        self.problem_count = count
        self.counted(count)

    def _mark_form(self, key: str) -> None:
        """Show the problems and notes of the last check beside the rows of form ``key``."""
        records = self.forms[key]
        headings = {f.key: f.label for f in records.fields}
        records.show_problems(form.problems_by_row(self.problems, form.PARTS_BY_KEY[key],
                                                   self.language, headings),
                              self._notes.get(key))

    def _without_faults(self, data: dict[str, Any], errors: list[Problem],
                        tries: int = 3) -> dict[str, Any] | None:
        """``data`` without the items that have an error (and those that then refer to a
        left-out one), so the other objectives keep their SMART verdict while one field is
        wrong; None when an error lies outside the items (e.g. the plan period)."""
        for _ in range(tries):
            if not errors:
                return data
            if form.other_problems(errors):
                return None
            for part in form.PARTS:
                faulty = form.problems_by_row(errors, part, self.language)
                if faulty:
                    data = form.with_records(data, part, [
                        r for i, r in enumerate(form.records(data, part)) if i not in faulty])
            errors = [p for p in self.store.check_document(self.account_id, data)
                      if p.severity is Severity.ERROR]
        return None if errors else data

    def _verdicts(self, data: dict[str, Any]) -> dict[str, dict[int, list[tuple]]]:
        """Notes per form: each objective's SMART letters and reason, each action's horizon
        (an overdue action marks its due date)."""
        if "objectives" not in self.parts:
            return {}
        try:
            document = self.store.model(self.account_id, data)
        except KamkitError:
            return {}
        account = dataclasses.replace(self.workbook.account(self.account_id),
                                      document=document)
        by_id = {row["id"]: row for row in self._objective_rows(account)}
        smart = {index: [(None, self._smart_text(by_id[record["id"]]))]
                 for index, record in enumerate(self._records_of("objectives"))
                 if record.get("id") in by_id}
        actions = action_plan(account, self.as_of).set_index("id")
        horizons = {}
        for index, record in enumerate(self._records_of("actions")):
            if record.get("id") not in actions.index:
                continue
            row = actions.loc[record["id"]]
            words = (t(f"action.{row['status']}", self.language) if row["horizon"] == "done"
                     else t(f"horizon.{str(row['horizon']).replace(' ', '_')}", self.language))
            horizons[index] = [("due" if row["horizon"] == "overdue" else None,
                                f"{t('word.horizon', self.language)}: {words}")]
        return {"objectives": smart, "actions": horizons}

    def _objective_rows(self, account: AccountData) -> list[pd.Series]:
        """``objective_status`` one objective at a time, each kept until it changes: typing
        in one objective recomputes that objective only."""
        document = account.document
        assert document is not None and document.plan is not None
        plan = document.plan
        context = (plan.period.model_dump_json(),
                   tuple(c.id for c in document.analysis.conclusions))
        rows = []
        for objective in plan.objectives:
            key = (objective.model_dump_json(), context)
            if key not in self._smart_cache:
                alone = document.model_copy(update={"plan": plan.model_copy(
                    update={"objectives": (objective,)})})
                status = objective_status(dataclasses.replace(account, document=alone),
                                          self.as_of)
                self._smart_cache[key] = status.iloc[0]
            rows.append(self._smart_cache[key])
        return rows

    def _smart_text(self, row: pd.Series) -> str:
        marks = []
        for letter in LETTERS:
            value = row[letter]
            mark = "?" if pd.isna(value) else ("✓" if value else "✗")
            marks.append(f"{smart_letter(letter, self.language)}{mark}")
        failed = [letter for letter in LETTERS if pd.notna(row[letter]) and not row[letter]]
        why = f" — {reason(row, failed[0], self.language)}" if failed else ""
        return f"SMART {' '.join(marks)}{why}"

    # ------------------------------------------------------------------ saving
    def save(self, resolve: Mapping[str, str] | None = None) -> SaveResult | None:
        """Validate and save; conflicts and problems are shown, not raised."""
        return self.bar.save(resolve)

    def _write(self, resolve: Mapping[str, str] | None) -> SaveResult:
        return self.store.save_document(self.account_id, self.data, base=self.draft,
                                        resolve=resolve)

    def _after(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Read the document again (saved here or elsewhere) and tell the views."""
        self.reload()
        if not self.readable:  # the views keep the document as last read
            return
        document = None
        with contextlib.suppress(KamkitError):
            document = self.store.model(self.account_id, self.draft.data)
        self._on_saved(document)


def _severity_colour(problem: Problem) -> str:
    return theme.ALERT if problem.severity is Severity.ERROR else theme.WARNING_TEXT
