"""Read account documents (YAML) into ``AccountDocument`` values, locating every problem."""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from kamkit import yamlread
from kamkit.controls import in_text, text_flaw
from kamkit.documents import AccountDocument
from kamkit.labels import labels
from kamkit.parsing import number_meant
from kamkit.problems import Problem, SaidError, Severity, Words, sentence, words
from kamkit.readers import InputFileError, read_bytes_limited, refused_words
from kamkit.schema import RENAMED_TARGET_KEYS

# libyaml's parser where PyYAML was built with it: several times faster than pure Python.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """Dates stay text, so pydantic reads them and an impossible date (2026-02-30) is
    reported with its place in the document instead of failing the whole load."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in _BASE_LOADER.yaml_implicit_resolvers.items()
}
_LOADER = yamlread.unique_keys(_Loader)


def _path_text(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _walk(node: yaml.Node | None, loc: tuple[int | str, ...]) -> tuple[yaml.Node | None, bool]:
    """The YAML node at ``loc``, or its nearest parent that exists; and whether it is the
    node at ``loc`` itself."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value  # a key of an earlier format too
                          if RENAMED_TARGET_KEYS.get(k.value, k.value) == part), None)
            if match is None:
                return node, False
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and part < len(node.value):
            node = node.value[part]
        else:
            return node, False
    return node, True


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """The line of the YAML node at ``loc``, or of its nearest parent that exists."""
    found, _ = _walk(node, loc)
    return found.start_mark.line + 1 if found is not None else None


_PLACE_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def with_lines(problems: list[Problem], path: Path) -> list[Problem]:
    """``problems`` about the document in ``path``, each at a place in it (a rule's, such
    as ``plan.objectives[1].owner``) given that place's line, as its type errors have."""
    if not any(p.row is None and p.location for p in problems):
        return problems
    try:
        root = yaml.compose(path.read_bytes().decode("utf-8-sig"), Loader=_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):  # changed since it was read
        return problems
    return [replace(p, row=_line_of(root, _place(p.location)))
            if p.row is None and p.location else p for p in problems]


def _as_written(node: yaml.Node | None, loc: tuple[int | str, ...]) -> str | None:
    """The scalar at ``loc`` as the file writes it (``.nan``, ``1e400``), or None."""
    found, exact = _walk(node, loc)
    return found.value if exact and isinstance(found, yaml.ScalarNode) else None


def _strings(value: object, loc: tuple[int | str, ...] = ()) -> list[tuple[tuple[int | str, ...],
                                                                           str]]:
    """Every text in a plain tree with its place."""
    if isinstance(value, str):
        return [(loc, value)]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _strings(item, (*loc, key))]
    if isinstance(value, list | tuple):
        return [found for i, item in enumerate(value) for found in _strings(item, (*loc, i))]
    return []


def _control_warnings(doc: AccountDocument, label: str, text: str | None) -> list[Problem]:
    """A warning per text with a control character (ids with one were refused already)."""
    if text is not None and "\\" not in text and in_text(text) is None:
        # YAML refuses control characters written as they are: they come from escapes only
        return []
    flawed = [(loc, value, reason) for loc, value in _strings(doc.model_dump())
              if (reason := text_flaw(value))]
    if not flawed:
        return []
    root = yaml.compose(text, Loader=_LOADER) if text is not None else None
    return [Problem.said(Severity.WARNING, label, words("problem.control.remove", reason=reason),
                         row=_line_of(root, loc), location=_path_text(loc), value=value)
            for loc, value, reason in flawed]


_OWN_WORDS = ("finite_number", "extra_forbidden")
"""pydantic's error types whose message is kamkit's own (the label's English text)."""
_TYPE_LABELS = {
    **dict.fromkeys(("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact",
                     "date_type", "date_future", "date_past"), "date"),
    **dict.fromkeys(("list_type", "tuple_type", "set_type", "iterable_type"), "list"),
    **dict.fromkeys(("dict_type", "model_type", "model_attributes_type"), "mapping"),
    **dict.fromkeys(("bool_type", "bool_parsing"), "bool"),
}
"""pydantic's error types that share one label (``problem.doc.type.<label>``); the others
with a label have it under their own name."""
_LIMITS = ("ge", "gt", "le", "lt")


_NUMBER_PARSING = ("float_parsing", "int_parsing")
"""pydantic's error types of a text where a number belongs (said in kamkit's own words)."""


def number_words(written: str, whole: bool = False) -> Words:
    """What a document's number field expects where ``written`` is no number YAML reads,
    with the number to write where the text tells it (3.730.000, 120k: write 3730000,
    120000); a ``whole`` number where only one fits."""
    meant = number_meant(written)
    if whole and meant is not None and not meant.is_integer():
        meant = None
    write = (words("problem.doc.whole_number_example" if whole
                   else "problem.doc.number_example") if meant is None
             else words("problem.doc.number_write",
                        number=str(int(meant)) if meant.is_integer() else repr(meant)))
    return words("problem.doc.whole_number" if whole else "problem.doc.number", write=write)


def _or_list(expected: str) -> Words | str:
    """pydantic's list of expected values ("'a', 'b' or 'c'") with the language's "or"."""
    head, sep, last = expected.rpartition(" or ")
    return words("problem.list_or", first=head, last=last) if sep else expected


def error_words(error: Any) -> tuple[str, Words]:
    """The English message of one of pydantic's errors (kamkit's own where it has one) and
    the same as Words, by the error's type with the values of its context; a type without
    a label is said as not valid at its place (never English amid another language)."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "value_error" and isinstance(ctx.get("error"), SaidError):
        said = ctx["error"].words  # our own check: its message is for the user
        return said.said("en"), said
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"]), words("problem.doc.type.other",
                                        location=_path_text(tuple(error["loc"])))
    if kind in _NUMBER_PARSING and isinstance(error.get("input"), str):
        said = number_words(error["input"], whole=kind == "int_parsing")
        return said.said("en"), said
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        kind = "string_empty"  # (an id left empty)
    key = f"problem.doc.type.{_TYPE_LABELS.get(kind, kind)}"
    if key not in labels():
        return error["msg"], words("problem.doc.type.other",
                                   location=_path_text(tuple(error["loc"])))
    values: dict[str, object] = {}
    if "min_length" in ctx or "max_length" in ctx:
        values["count"] = ctx.get("min_length", ctx.get("max_length"))
    limit = next((ctx[k] for k in _LIMITS if k in ctx), None)
    if limit is not None:
        values["limit"] = float(limit)
    if "pattern" in ctx:
        values["pattern"] = str(ctx["pattern"])
    if "expected" in ctx:
        values["expected"] = _or_list(str(ctx["expected"]))
    said = words(key, **values)
    return (said.said("en") if error["type"] in _OWN_WORDS else error["msg"]), said


def read_document(path: Path, label: str, problems: list[Problem]
                  ) -> tuple[AccountDocument | None, AccountDocument | None]:
    """The document in ``path``, None (with problems added) where it cannot be read; and
    where only some of its fields failed, the document without them (``rest_of``)."""
    try:
        text = read_bytes_limited(path).decode("utf-8-sig")
    except (InputFileError, OSError) as error:
        problems.append(Problem.said(Severity.ERROR, label, refused_words(error)))
        return None, None
    except UnicodeDecodeError as exc:
        problems.append(Problem.said(Severity.ERROR, label,
                                     words("problem.doc.not_utf8", byte=str(exc.start))))
        return None, None
    data = load_text(text, label, problems)
    if data is None:
        return None, None
    document = validate_document(data, label, problems, text)
    return document, None if document is not None else rest_of(data, problems)


def _place(location: str) -> tuple[int | str, ...]:
    """The path a problem's ``location`` (``plan.objectives[1].owner``) names."""
    return tuple(int(index) if index else name
                 for name, index in _PLACE_PART.findall(location))


def rest_of(data: object, problems: list[Problem]) -> AccountDocument | None:
    """The document ``data`` makes without the fields its ``problems`` are at (a target
    typed as 120k, an unknown field), so the rules check the rest in the same round rather
    than after those are fixed; None where it makes none even so (a required field)."""
    failed = [_place(p.location) for p in problems if p.location and p.severity == "error"]
    if not isinstance(data, dict) or not failed:
        return None
    rest = copy.deepcopy(data)
    for place in failed:
        parent: Any = rest
        for part in place[:-1]:
            parent = parent[part] if _has(parent, part) else None
        last = place[-1]
        if isinstance(parent, dict):
            parent.pop(last, None)
        elif isinstance(parent, list) and isinstance(last, int) and _has(parent, last):
            parent[last] = None  # a list's item: emptied, the others keep their places
    try:
        return AccountDocument.model_validate(rest)
    except ValidationError:
        return None


def _has(container: object, part: int | str) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(container, list) and isinstance(part, int) and part < len(container)


def apart_from(found: list[Problem], failed: list[Problem]) -> list[Problem]:
    """The rules' ``found`` problems of a document's rest (``rest_of``) that are not at,
    inside or around a place that ``failed`` (said once, by the reader)."""
    places = [p.location for p in failed if p.location]
    return [p for p in found if not p.location or not any(
        _within(p.location, place) or _within(place, p.location) for place in places)]


def _within(location: str, place: str) -> bool:
    return location == place or location.startswith((place + ".", place + "["))


def _not_a_mapping(label: str) -> Problem:
    return Problem.said(Severity.ERROR, label, words("problem.doc.not_mapping"), row=1)


def load_text(text: str, label: str, problems: list[Problem],
              mapping: bool = False) -> object | None:
    """The plain tree of a document's text (dates as text); None (with the problem added,
    at its line) where it is no YAML kamkit reads, or with ``mapping`` no mapping.
    ``kamkit.edit`` reads a file it edits or merges with this too."""
    try:
        data = yamlread.load(text, _LOADER)
        if mapping and not isinstance(data, dict):
            problems.append(_not_a_mapping(label))
            return None
        return data
    except yaml.YAMLError as exc:
        problems.append(Problem.said(Severity.ERROR, label, yamlread.problem_words(exc, text),
                                     row=yamlread.location(exc, text)[0]))
    return None


def validate_document(data: object, label: str, problems: list[Problem],
                      text: str | None = None) -> AccountDocument | None:
    """The document a plain tree (as read from YAML) makes; None (with problems added, located
    by path, and by line when the ``text`` it was read from is given) where it is not one."""
    if not isinstance(data, dict):
        problems.append(_not_a_mapping(label))
        return None
    try:
        document = AccountDocument.model_validate(data)
    except ValidationError as exc:
        # only now: lines for the messages
        root = yaml.compose(text, Loader=_LOADER) if text is not None else None
        for error in exc.errors():
            loc = tuple(error["loc"])
            shown = error.get("input")
            value = None if isinstance(shown, dict | list) or shown is None else (
                _as_written(root, loc) or str(shown))
            message, said = error_words(error)
            if error["type"] == "missing":
                value = None
            problems.append(Problem(Severity.ERROR, label, message + ".", row=_line_of(root, loc),
                                    location=_path_text(loc), value=value,
                                    words=sentence(said)))
        return None
    problems += _control_warnings(document, label, text)
    return document
