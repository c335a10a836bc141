"""The change log as the workbench shows it: where a change was and its values in the words of
the forms ("Objective OB1: Deadline", "in progress"), not as the log file keeps them
(``plan.objectives[OB1].deadline``, ``in_progress``). The file itself is not changed.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd

from kamkit.labels import t
from kamkit.schema import TABLES_BY_NAME
from kamkit.widgets import document_form as form
from kamkit.widgets.records import Field
from kamkit.widgets.table_editor import EDITABLE, column_field
from kamkit.workbook import Workbook

_WHERE = re.compile(r"^(?P<path>[\w.]+)(?:\[(?P<item>[^\]]*)\])?(?:\.(?P<field>[\w.]+))?$")
_NOUNS = {"objectives": "word.objective", "actions": "word.action",
          "conclusions": "word.conclusion", "team": "wb.edit.team"}
"""The label of one item of a document part (the SWOTs: their tab and quadrant)."""
_TEXTS = {"analysis.vision": "find.a1.vision", "analysis.strategy": "find.a1.strategy",
          "plan.vision_3y": "wb.edit.vision_3y", "asks": "deck.asks"}


class ChangeWords:
    """Says the entries of ``account_id``'s change log in ``language`` with the forms' labels
    and choices (built once per workbench language)."""

    def __init__(self, workbook: Workbook, account_id: str, language: str) -> None:
        self.language = language
        self._parts = {".".join(p.path): p for p in form.PARTS}
        self._document_fields = {p.key: {f.key: f for f in form.fields(p, workbook, {}, language)}
                                 for p in form.PARTS}
        self._table_fields = {
            table: {c.name: column_field(c, workbook, account_id, language, table)
                    for c in TABLES_BY_NAME[table].columns
                    if not (c.name == "account_id" and c.refers_to)}  # as the editors show
            for table in EDITABLE}

    def frame(self, log: pd.DataFrame) -> pd.DataFrame:
        """``log`` (``WorkbookEditor.changes``) with where, before and after in words."""
        said = [self.entry(str(row["where"]), row["before"], row["after"])
                for _, row in log.iterrows()]
        return log.assign(where=[s[0] for s in said], before=[s[1] for s in said],
                          after=[s[2] for s in said])

    def entry(self, where: str, before: Any, after: Any) -> tuple[str, str, str]:
        """(where, before, after) of one entry in words."""
        match = _WHERE.match(where)
        if match is None:
            return where, _text(before), _text(after)
        path, item, name = match["path"], match["item"], match["field"]
        fields: dict[str, Field] = {}
        if path in self._parts:
            part = self._parts[path]
            fields = self._document_fields[part.key]
            noun = (t(_NOUNS[part.key], self.language) if part.key in _NOUNS else
                    f"{t('wb.edit.' + part.path[1], self.language)}, "
                    f"{t(part.label, self.language)}")
        elif path in self._table_fields:
            fields = self._table_fields[path]
            noun = t(f"wb.table.{path}", self.language)
        elif path in _TEXTS and item is None:
            return t(_TEXTS[path], self.language), _text(before), _text(after)
        else:
            return where, _text(before), _text(after)
        place = f"{noun} {item.split('=')[-1]}" if item else noun
        if name in fields:
            place = f"{place}: {fields[name].label}"
        elif name and not any(key.startswith(f"{name}.") for key in fields):
            place = f"{place}: {name}"  # else a group (scope): its fields name themselves
        return place, _value(before, fields, name), _value(after, fields, name)


def _value(value: Any, fields: dict[str, Field], name: str | None) -> str:
    """A logged value in words: a choice as the form shows it, a whole item (added or
    removed, or a nested part such as an objective's scope) as its labelled fields."""
    text = _text(value)
    if isinstance(value, str) and value.startswith(("{", "[")):  # logged as JSON
        try:
            value = json.loads(value)
        except ValueError:
            return text
    if isinstance(value, dict):
        said = []
        for key, inner in value.items():
            if inner in (None, "", []):
                continue
            full = f"{name}.{key}" if name else key
            label = fields[full].label if full in fields else key
            said.append(f"{label}: {_value(inner, fields, full)}")
        return "; ".join(said)
    field = fields.get(name or "")
    if field is not None and field.kind in ("choice", "reference"):
        shown = {str(v): s for s, v in field.choices}
        return shown.get(text, text)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return text


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value)
    return text[:-2] if re.fullmatch(r"-?\d+\.0", text) else text
