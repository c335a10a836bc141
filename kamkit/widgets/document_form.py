"""The parts of an account document the workbench edits, as lists of records.

Pure: how a part's items become flat records for a form and back (``scope.service`` for a
nested key), where validation problems point (``plan.objectives[2].deadline`` -> part,
row 2, field ``deadline``), and which fields each part shows. No widgets here.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kamkit.documents import ACTION_STATUSES, METRICS, OBJECTIVE_KINDS
from kamkit.labels import choice_words, t
from kamkit.problems import Problem
from kamkit.translated import table_in_language
from kamkit.widgets.records import EMPTY, Field, none_choice
from kamkit.workbook import Workbook

QUADRANTS = ("strengths", "weaknesses", "opportunities", "threats")
_WHERE = re.compile(r"^(?P<path>[\w.]+)\[(?P<index>\d+)\](?:\.(?P<field>[\w.]+))?")


@dataclass(frozen=True)
class Part:
    """A list in the document: its path, its label key and the fields of its items."""

    key: str
    path: tuple[str, ...]
    label: str  # label key
    fields: tuple[str, ...]  # item keys, nested ones as "scope.service"
    identity: str = "id"  # the key naming an item (a team member: its person)


PARTS: tuple[Part, ...] = (
    *(Part(f"swot_account.{q}", ("analysis", "swot_account", q), f"swot.{q}", ("id", "text"))
      for q in QUADRANTS),
    *(Part(f"swot_ours.{q}", ("analysis", "swot_ours", q), f"swot.{q}", ("id", "text"))
      for q in QUADRANTS),
    Part("conclusions", ("analysis", "conclusions"), "section.conclusions",
         ("id", "text", "based_on")),
    Part("objectives", ("plan", "objectives"), "section.p2",
         ("id", "title", "kind", "metric", "scope.service", "scope.location", "target",
          "deadline", "owner", "conclusions")),
    Part("team", ("plan", "team"), "wb.edit.team", ("person", "role", "counterparts"),
         identity="person"),
    Part("actions", ("plan", "actions"), "section.p4",
         ("id", "what", "owner", "due", "status", "objective")),
)
PARTS_BY_KEY = {part.key: part for part in PARTS}


def _get(tree: Any, path: Sequence[str]) -> Any:
    for key in path:
        if not isinstance(tree, dict):
            return None
        tree = tree.get(key)
    return tree


def records(data: dict[str, Any], part: Part) -> list[dict[str, Any]]:
    """The part's items as flat records (``scope.service`` for ``scope: {service: ...}``)."""
    items = _get(data, part.path) or []
    return [{name: _get(item, name.split(".")) for name in part.fields}
            for item in items if isinstance(item, dict)]


def with_records(data: dict[str, Any], part: Part,
                 rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A copy of ``data`` whose part holds ``rows``. Each item keeps the keys the form does
    not show (an objective's notes, matched by id); an emptied field is left out rather than
    written as null, so a saved file says only what was filled in."""
    out = copy.deepcopy(data)
    old = {item.get(part.identity): item for item in _get(out, part.path) or []
           if isinstance(item, dict)}
    items = []
    for row in rows:
        item = copy.deepcopy(old.get(row.get(part.identity), {}))  # by id: rows move, go
        for name in part.fields:
            *parents, leaf = name.split(".")
            holder = item
            for parent in parents:
                holder = holder.setdefault(parent, {})
            value = row.get(name)
            if value in EMPTY:
                holder.pop(leaf, None)
            else:
                holder[leaf] = list(value) if isinstance(value, tuple) else value
            if parents and not item.get(parents[0]):
                item.pop(parents[0], None)
        items.append(item)
    holder = out
    for key in part.path[:-1]:
        if holder.get(key) is None:
            holder[key] = {}
        holder = holder[key]
    holder[part.path[-1]] = items
    return out


def problems_by_row(problems: Sequence[Problem], part: Part, language: str,
                    headings: dict[str, str] | None = None
                    ) -> dict[int, list[tuple[str | None, str]]]:
    """The problems that point into ``part``: row index -> (field or None, message in
    ``language``), the field named by its heading in ``headings`` where given."""
    prefix = ".".join(part.path)
    found: dict[int, list[tuple[str | None, str]]] = {}
    for problem in problems:
        match = _WHERE.match(problem.location or "")
        if match is None or match["path"] != prefix:
            continue
        field = match["field"]
        value = f" ({problem.value})" if problem.value else ""
        name = (headings or {}).get(field or "", field or "")
        text = f"{name}{value}: {problem.message_in(language)}".lstrip(": ")
        found.setdefault(int(match["index"]), []).append((field, text))
    return found


def other_problems(problems: Sequence[Problem]) -> list[Problem]:
    """The problems no part's rows show (e.g. the plan period, the account id)."""
    prefixes = {".".join(part.path) for part in PARTS}
    return [p for p in problems if (m := _WHERE.match(p.location or "")) is None
            or m["path"] not in prefixes]


def new_plan(today: dt.date) -> dict[str, Any]:
    """An empty plan for the next calendar year (the method's 12-month plan)."""
    year = today.year + 1
    return {"period": {"start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31)},
            "vision_3y": "", "objectives": [], "actions": []}


def _labelled(values: Sequence[str], field: str, language: str) -> tuple[tuple[str, str], ...]:
    """A fixed list's choices (label, value), labelled as the reports label them."""
    return tuple(zip(choice_words(values, field, language), values, strict=True))


def fields(part: Part, workbook: Workbook, data: dict[str, Any], language: str) -> list[Field]:
    """The form fields of ``part``, with the workbook's choices (people, services, ...)."""
    none = ("", "")
    people = (none, *((f"{n} ({p})", p) for p, n in zip(
        workbook.team["person_id"], workbook.team["name"], strict=True)))
    named = {table: table_in_language(workbook.table(table), table, language)
             for table in ("services", "locations")}  # by their names in ``language``
    services = (none, *zip(named["services"]["name"], named["services"]["service"],
                           strict=True))
    locations = (none, *zip(named["locations"]["name"], named["locations"]["location"],
                            strict=True))
    objective_ids = (none, *((o["id"], o["id"]) for o in records(data, PARTS_BY_KEY[
        "objectives"]) if o.get("id")))
    known = {
        "id": Field("id", "ID", width="70px"),
        "text": Field("text", t("word.description", language), "long_text", width="520px"),
        "based_on": Field("based_on", t("wb.based_on", language), "ids", width="150px"),
        "title": Field("title", t("word.objective", language), "long_text", width="240px"),
        "kind": Field("kind", t("wb.kind", language), "choice", width="120px",
                      choices=_labelled(OBJECTIVE_KINDS, "objectives.kind", language)),
        "metric": Field("metric", t("word.metric", language), "choice", width="150px",
                        choices=(none_choice(language),
                                 *_labelled(tuple(METRICS), "objectives.metric", language))),
        "scope.service": Field("scope.service", t("word.service", language), "reference",
                               choices=services, width="140px", language=language),
        "scope.location": Field("scope.location", t("word.location", language), "reference",
                                choices=locations, width="120px", language=language),
        "target": Field("target", t("word.target", language), "number", width="110px",
                        language=language),
        "deadline": Field("deadline", t("word.deadline", language), "date", width="110px"),
        "owner": Field("owner", t("word.owner", language), "reference", choices=people,
                       width="200px", language=language),
        "conclusions": Field("conclusions", t("wb.conclusions", language), "ids",
                             width="110px"),
        "what": Field("what", t("word.action", language), "long_text", width="320px"),
        "due": Field("due", t("word.due", language), "date", width="110px"),
        "status": Field("status", t("word.status", language), "choice", width="120px",
                        choices=_labelled(ACTION_STATUSES, "actions.status", language)),
        "objective": Field("objective", t("word.objective", language), "reference",
                           choices=objective_ids, width="90px", language=language),
        "person": Field("person", t("wb.col.person_id", language), "reference", choices=people,
                        width="180px", language=language),
        "role": Field("role", t("wb.role", language), "long_text", width="300px"),
        "counterparts": Field("counterparts", t("wb.counterparts", language), "ids",
                              width="320px"),
    }
    return [known[name] for name in part.fields]


def new_record(part: Part, data: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """A new item with the next free id of its kind (S3, OB4, A12, C2) and sensible
    defaults (an action due in three weeks, open)."""
    if part.key == "team":  # named by its person, chosen by the user
        return {"person": None, "role": None, "counterparts": []}
    prefixes = {"strengths": "S", "weaknesses": "W", "opportunities": "O", "threats": "T",
                "conclusions": "C", "objectives": "OB", "actions": "A"}
    prefix = prefixes[part.path[-1]]
    if part.path[1] == "swot_account":  # the account's own SWOT: AS1; ours: S1
        prefix = "A" + prefix
    taken = {str(r.get("id")) for p in PARTS for r in records(data, p)}
    number = 1
    while f"{prefix}{number}" in taken:
        number += 1
    record: dict[str, Any] = {name: None for name in part.fields}
    record["id"] = f"{prefix}{number}"
    if part.key == "actions":
        record.update(due=today + dt.timedelta(days=21), status="open")
    if part.key == "objectives":
        record.update(kind="quantitative")
    return record
