"""Read YAML that a person wrote (account documents, run definitions) without surprises.

A key given twice is an error naming both lines (PyYAML keeps the last one silently). Before
anything is built the text is checked, event by event, to be bounded: nested at most
``MAX_DEPTH`` deep and at most ``MAX_VALUES`` values once every alias is expanded, so a
"billion laughs" alias bomb or ``[[[[...]]]]`` thousands deep is a message at its line,
not minutes of memory growth or a RecursionError.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.error import Mark, MarkedYAMLError

MAX_DEPTH = 50
"""Collections nested deeper than this are refused (a document nests about 6 deep)."""
MAX_VALUES = 200_000
"""Values (scalars and collections, aliases expanded) a file may hold: far above any real
document or run definition (a plan with 1,000 objectives is about 20,000)."""

_MERGE = "tag:yaml.org,2002:merge"


class YamlLimitError(MarkedYAMLError):
    """The text nests too deep or expands too far; ``problem_mark`` is where."""


class DuplicateKeyError(ConstructorError):
    """A mapping names the same key twice; ``first_line`` and ``problem_mark`` give both."""

    def __init__(self, key: object, first_line: int, mark: Mark) -> None:
        self.key, self.first_line = key, first_line
        super().__init__(None, None, f"the key {key!r} is given twice (lines {first_line} and "
                         f"{mark.line + 1}); only one can count, remove or rename the other",
                         mark)


def _mark(event: yaml.Event) -> Any:
    """Where an event starts (libyaml's and PyYAML's marks differ in type, not in use)."""
    return event.start_mark


def check_bounds(text: str, loader: type) -> None:
    """Raise ``YamlLimitError`` when ``text`` nests deeper than ``MAX_DEPTH`` or expands
    to more than ``MAX_VALUES`` values; a syntax error is left to the load that follows."""
    sizes: dict[str, int] = {}  # anchor -> values of its node, expanded
    stack: list[list[Any]] = []  # [anchor, values so far] per open collection
    total = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                size = sizes.get(event.anchor or "", 1)
            elif isinstance(event, yaml.ScalarEvent):
                size = 1
                if event.anchor:
                    sizes[event.anchor] = 1
            elif isinstance(event, yaml.CollectionStartEvent):
                stack.append([event.anchor, 1])
                total += 1
                if len(stack) > MAX_DEPTH:
                    raise YamlLimitError(None, None, f"nests more than {MAX_DEPTH} levels deep",
                                         _mark(event))
                continue
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, size = stack.pop()
                if anchor:
                    sizes[anchor] = size
                if stack:
                    stack[-1][1] += size
                continue
            else:
                continue
            total += size
            if stack:
                stack[-1][1] += size
            if total > MAX_VALUES:
                raise YamlLimitError(None, None, f"expands to more than {MAX_VALUES:,} values "
                                     "(aliases repeating aliases?)", _mark(event))
    except YamlLimitError:
        raise
    except yaml.YAMLError as error:
        problem, mark = getattr(error, "problem", None), getattr(error, "problem_mark", None)
        if problem and "nesting depth" in problem:  # libyaml's own bound, scanning ahead
            raise YamlLimitError(None, None, f"nests more than {MAX_DEPTH} levels deep",
                                 mark) from None
        return  # the load reports it with its usual message


def unique_keys(base: type) -> type:
    """A loader class based on ``base`` that refuses a key given twice in one mapping."""

    class Loader(base):
        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
            if isinstance(node, yaml.MappingNode):
                first: dict[object, int] = {}
                for key_node, _ in node.value:
                    if key_node.tag == _MERGE or not isinstance(key_node, yaml.ScalarNode):
                        continue  # merged keys may be overridden; complex keys are refused later
                    key = self.construct_object(key_node)
                    if key in first:
                        raise DuplicateKeyError(key, first[key], key_node.start_mark)
                    first[key] = key_node.start_mark.line + 1
            return super().construct_mapping(node, deep=deep)

    Loader.__name__ = Loader.__qualname__ = f"Unique{base.__name__}"
    return Loader


SAFE_LOADER = unique_keys(getattr(yaml, "CSafeLoader", yaml.SafeLoader))
"""PyYAML's safe loader (libyaml's where built with it) refusing keys given twice."""


def load(text: str, loader: type = SAFE_LOADER) -> Any:
    """``text`` read with ``loader`` (made with ``unique_keys``) once it is known to be
    bounded; raises ``yaml.YAMLError`` (with ``problem_mark``) for anything wrong."""
    check_bounds(text, loader)
    return yaml.load(text, Loader=loader)  # loader is a safe loader


def describe(error: yaml.YAMLError) -> tuple[str, int | None]:
    """What is wrong, in words, and the line (from 1) where, for a message."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    return problem, mark.line + 1 if mark is not None else None


__all__ = ["MAX_DEPTH", "MAX_VALUES", "SAFE_LOADER", "DuplicateKeyError", "YamlLimitError",
           "check_bounds", "describe", "load", "unique_keys"]
