"""Read account documents (YAML) into ``AccountDocument`` values, locating every problem."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from kamkit.documents import AccountDocument
from kamkit.problems import Problem, Severity

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
_LOADER = _Loader


def _path_text(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """The line of the YAML node at ``loc``, or of its nearest parent that exists."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
            if match is None:
                key = next((k for k, _ in node.value if k.value == part), None)
                return key.start_mark.line + 1 if key is not None else line
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
        else:
            return line
        line = node.start_mark.line + 1
    return line


def read_document(path: Path, label: str, problems: list[Problem]) -> AccountDocument | None:
    """The document in ``path``; None (with problems added) where it cannot be read."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(Severity.ERROR, label,
                                f"is not valid UTF-8 (byte {exc.start}); save it as UTF-8."))
        return None
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem(
            Severity.ERROR, label,
            f"is not valid YAML: {getattr(exc, 'problem', None) or exc}. Check the indentation "
            "and quote text that contains a colon.",
            row=mark.line + 1 if mark else None))
        return None
    return validate_document(data, label, problems, text)


def validate_document(data: object, label: str, problems: list[Problem],
                      text: str | None = None) -> AccountDocument | None:
    """The document a plain tree (as read from YAML) makes; None (with problems added, located
    by path, and by line when the ``text`` it was read from is given) where it is not one."""
    if not isinstance(data, dict):
        problems.append(Problem(Severity.ERROR, label,
                                "must be a YAML mapping that starts with 'account_id:'.", row=1))
        return None
    try:
        return AccountDocument.model_validate(data)
    except ValidationError as exc:
        # only now: lines for the messages
        root = yaml.compose(text, Loader=_LOADER) if text is not None else None
        for error in exc.errors():
            loc = tuple(error["loc"])
            shown = error.get("input")
            value = None if isinstance(shown, dict | list) or shown is None else str(shown)
            message = error["msg"]
            if error["type"] == "extra_forbidden":
                message = "is not a known field of an account document (check the spelling)"
            elif error["type"] == "missing":
                value = None
            problems.append(Problem(Severity.ERROR, label, message + ".", row=_line_of(root, loc),
                                    location=_path_text(loc), value=value))
        return None
