"""Read YAML that a person wrote (account documents, run definitions) without surprises.

A key given twice is an error naming both lines (PyYAML keeps the last one silently). Before
anything is built the text is checked, event by event, to be bounded: nested at most
``MAX_DEPTH`` deep and at most ``MAX_VALUES`` values once every alias is expanded, so a
"billion laughs" alias bomb or ``[[[[...]]]]`` thousands deep is a message at its line,
not minutes of memory growth or a RecursionError.

Most files hold only mappings, lists and scalars, without anchors: those are built straight
from the parser's events in one pass (``fast_load``) that checks the same bounds and keys,
resolving and constructing each distinct plain scalar once, with PyYAML's own resolver and
constructors (so YAML 1.1's ``yes``, ``0o7``, ``1_000`` mean what they meant). Anything
else (an error of any kind, an anchor or alias, a merge key, a tag without a pure
constructor, a second document) goes the careful way (``careful_load``): PyYAML's composer
and constructor after ``check_bounds``, which alone words the messages. A test holds both
to the same values on generated documents.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.error import Mark, MarkedYAMLError

from kamkit.problems import Words, words

MAX_DEPTH = 50
"""Collections nested deeper than this are refused (a document nests about 6 deep)."""
MAX_VALUES = 200_000
"""Values (scalars and collections, aliases expanded) a file may hold: far above any real
document or run definition (a plan with 1,000 objectives is about 20,000)."""

_MERGE = "tag:yaml.org,2002:merge"


class YamlLimitError(MarkedYAMLError):
    """The text nests too deep or expands too far; ``problem_mark`` is where, ``words``
    what (to say it in any language)."""

    def __init__(self, said: Words, mark: Any) -> None:
        super().__init__(None, None, said.said("en"), mark)
        self.words = said

    @classmethod
    def too_deep(cls, mark: Any) -> YamlLimitError:
        return cls(words("problem.yaml.too_deep", depth=str(MAX_DEPTH)), mark)

    @classmethod
    def too_many(cls, mark: Any) -> YamlLimitError:
        return cls(words("problem.yaml.too_many", values=MAX_VALUES), mark)


class DuplicateKeyError(ConstructorError):
    """A mapping names the same key twice; ``first_line`` and ``problem_mark`` give both."""

    def __init__(self, key: object, first_line: int, mark: Mark) -> None:
        self.key, self.first_line = key, first_line
        self.words = words("problem.yaml.key_twice", key=repr(key), first=str(first_line),
                           second=str(mark.line + 1))
        super().__init__(None, None, self.words.said("en"), mark)


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
                    raise YamlLimitError.too_deep(_mark(event))
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
                raise YamlLimitError.too_many(_mark(event))
    except YamlLimitError:
        raise
    except yaml.YAMLError as error:
        problem, mark = getattr(error, "problem", None), getattr(error, "problem_mark", None)
        if problem and "nesting depth" in problem:  # libyaml's own bound, scanning ahead
            raise YamlLimitError.too_deep(mark) from None
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
    try:
        return fast_load(text, loader)
    except Careful:
        return careful_load(text, loader)


def careful_load(text: str, loader: type = SAFE_LOADER) -> Any:
    """``load`` by PyYAML's composer and constructor after ``check_bounds``: the reference
    the fast path is held to, and the one path that words errors."""
    check_bounds(text, loader)
    return yaml.load(text, Loader=loader)  # loader is a safe loader


class Careful(Exception):
    """``fast_load`` met something that only ``careful_load`` builds (or words) exactly."""


_SEQ, _MAP, _STR = ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map",
                    "tag:yaml.org,2002:str")
_PURE = frozenset({SafeConstructor.construct_yaml_null, SafeConstructor.construct_yaml_bool,
                   SafeConstructor.construct_yaml_int, SafeConstructor.construct_yaml_float,
                   SafeConstructor.construct_yaml_timestamp,
                   SafeConstructor.construct_yaml_str})
"""Scalar constructors whose value is immutable and depends on the text alone."""
_MEMO_TEXT = 64
"""Plain scalars up to this long are resolved and constructed once per loader and text
(numbers, dates, ids, statuses: what repeats); longer ones are mostly prose."""
_MEMO_SIZE = 100_000
_PLAIN: dict[type, dict[str, Any]] = {}  # per loader: plain text -> value
_MISSING = object()


def fast_load(text: str, loader: type = SAFE_LOADER) -> Any:
    """What ``careful_load`` returns for ``text``, built from the parser's events.

    Raises
    ------
    Careful
        For anything not built here exactly as PyYAML builds it, and for every error
        (syntax, bounds, a key given twice): ``careful_load`` then reads the text.
    """
    constructors = loader.yaml_constructors  # type: ignore[attr-defined]
    if (constructors.get(_SEQ) is not SafeConstructor.construct_yaml_seq
            or constructors.get(_MAP) is not SafeConstructor.construct_yaml_map
            or loader.yaml_path_resolvers):  # type: ignore[attr-defined]
        raise Careful
    instance = loader(text)
    try:
        return _build(instance, constructors)
    except Careful:
        raise
    except Exception:  # a syntax error, a constructor's complaint: worded by the careful path
        raise Careful from None
    finally:
        instance.dispose()


def _scalar(instance: Any, constructors: dict[str, Any], event: yaml.ScalarEvent) -> Any:
    """A scalar's value as PyYAML's composer resolves and its constructor builds it."""
    value, tag = event.value, event.tag
    memo = None
    if tag is None or tag == "!":
        if not event.implicit[0]:
            return value  # quoted: a string (no path resolvers are used)
        memo = _PLAIN.setdefault(type(instance), {})
        found = memo.get(value, _MISSING)
        if found is not _MISSING:
            return found
        tag = instance.resolve(yaml.ScalarNode, value, event.implicit)
    if tag in (_MERGE, "tag:yaml.org,2002:value"):
        raise Careful  # a merge key or "=": flattened by PyYAML's constructor
    constructor = constructors.get(tag)
    if constructor not in _PURE:
        raise Careful
    # pure constructors read the node's text only (marks matter for errors, read carefully)
    built = constructor(instance, yaml.ScalarNode(tag, value, style=event.style))
    if memo is not None and len(value) <= _MEMO_TEXT:
        if len(memo) > _MEMO_SIZE:
            memo.clear()
        memo[value] = built
    return built


def _build(instance: Any, constructors: dict[str, Any]) -> Any:
    """The one document of the stream, without anchors, from its events."""
    get = instance.get_event
    if not isinstance(get(), yaml.StreamStartEvent):
        raise Careful
    event = get()
    if isinstance(event, yaml.StreamEndEvent):
        return None
    if not isinstance(event, yaml.DocumentStartEvent):
        raise Careful
    # open collections: [the list or dict, the key waiting for its value (_MISSING: none)]
    stack: list[list[Any]] = []
    root: Any = _MISSING
    total = 0
    scalar_event, end_events = yaml.ScalarEvent, (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    plain = _PLAIN.setdefault(type(instance), {})
    while True:
        event = get()
        kind = event.__class__
        if kind is scalar_event:
            if event.anchor is not None:
                raise Careful
            # the common cases inline: a quoted string, a plain scalar met before
            value = _MISSING
            if event.tag is None:
                text = event.value
                value = plain.get(text, _MISSING) if event.implicit[0] else text
            if value is _MISSING:
                value = _scalar(instance, constructors, event)
        elif kind in end_events:
            value = stack.pop()[0]
            if stack:
                top = stack[-1]
                if top[1] is not _MISSING:
                    top[0][top[1]] = value
                    top[1] = _MISSING
                else:
                    top[0].append(value)
            else:
                root = value
            continue
        elif kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
            if event.anchor is not None:
                raise Careful
            tag = event.tag
            wanted = _SEQ if kind is yaml.SequenceStartEvent else _MAP
            if not (tag is None or tag == "!" or tag == wanted):
                raise Careful  # another tag: PyYAML's constructor (or its error)
            if len(stack) >= MAX_DEPTH:
                raise Careful
            if stack and isinstance(stack[-1][0], dict) and stack[-1][1] is _MISSING:
                raise Careful  # a collection as a key
            value = [] if kind is yaml.SequenceStartEvent else {}
            total += 1
            stack.append([value, _MISSING])
            continue
        elif kind is yaml.DocumentEndEvent:
            break
        else:  # an alias, or anything unforeseen
            raise Careful
        total += 1
        if not stack:
            root = value
            continue
        top = stack[-1]
        into = top[0]
        if into.__class__ is list:
            into.append(value)
        elif top[1] is _MISSING:  # a key
            if value in into:
                raise Careful  # given twice: the careful path names both lines
            top[1] = value
        else:
            into[top[1]] = value
            top[1] = _MISSING
    if total > MAX_VALUES or root is _MISSING or not isinstance(get(), yaml.StreamEndEvent):
        raise Careful
    return root


def key_lines(text: str) -> dict[str, int]:
    """The line (from 1) of each top-level key of the mapping ``text`` holds (read already,
    so valid YAML); empty when it holds no mapping."""
    root = yaml.compose(text, Loader=SAFE_LOADER)
    if not isinstance(root, yaml.MappingNode):
        return {}
    return {str(key.value): key.start_mark.line + 1 for key, _ in root.value}


def describe(error: yaml.YAMLError) -> tuple[str, int | None]:
    """What is wrong, in words, and the line (from 1) where, for a message."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    return problem, mark.line + 1 if mark is not None else None


_KINDS = tuple((kind, re.compile(pattern)) for kind, pattern in (
    ("colon", r"mapping values are not allowed"),
    ("tab", r"'\\t'|tab character"),
    ("token", r"cannot start any token"),
    ("quote", r"unexpected end of stream"),
    ("escape", r"escape|hexa?decimal"),
    ("bracket", r"expected ',' or|unclosed"),
    ("document", r"document|stream-start"),
    ("indent", r"expected ':'|expected key|<block end>|'-' indicator|entries are not allowed|"
               r"keys are not allowed|indentation"),
    ("value", r"node content"),
    ("alias", r"alias|anchor"),
    ("key", r"unhashable key"),
    ("tag", r"\btag\b|constructor"),
    ("character", r"control characters|special characters|unacceptable character|UTF-|octet|"
                  r"Unicode character"),
    ("directive", r"directive|version"),
))
"""What PyYAML's and libyaml's problem texts are about, by the words in them (the first
that matches): each kind is a label ``problem.yaml.<kind>`` that explains it in every
language, quoting the text itself; a text of no kind here is quoted as it is (``other``)."""


def location(error: yaml.YAMLError, text: str | None = None) -> tuple[int | None, int | None]:
    """The line and column (from 1) where ``error`` is in ``text``: its problem's mark, or for
    a character the reader refuses (which has no mark) its position in ``text``."""
    mark = getattr(error, "problem_mark", None)
    if mark is not None:
        return mark.line + 1, mark.column + 1
    position = getattr(error, "position", None)
    if isinstance(error, yaml.reader.ReaderError) and text is not None and position is not None:
        before = text[:position]
        return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1
    return None, None


def problem_words(error: yaml.YAMLError, text: str | None = None) -> Words:
    """What is wrong with the YAML ``text``, as the sentence of a problem's message (its line,
    ``location``, is the problem's row): the message of kamkit's own errors (a key given
    twice, a bound), else "is not valid YAML" at the column of the problem, PyYAML's problem
    explained by its kind and quoted (English says it as PyYAML does)."""
    own = getattr(error, "words", None)
    if isinstance(own, Words):
        return words("problem.sentence", text=own)
    if isinstance(error, yaml.reader.ReaderError):  # its str names a position, not a line
        char = error.character
        code = ord(char) if isinstance(char, str) else char
        problem = f"unacceptable character #x{code:04x}: {error.reason}"
    else:
        problem = getattr(error, "problem", None) or str(error)
    problem = problem.strip().rstrip(".")
    context = str(getattr(error, "context", None) or "")
    kind = _kind(problem)
    if kind == "other" and _kind(context) != "other":  # "second occurrence" of an anchor
        kind, problem = _kind(context), f"{context}: {problem}"
    said = words(f"problem.yaml.{kind}", text=problem)
    _, column = location(error, text)
    if column is None:
        return words("problem.yaml.invalid", problem=said)
    return words("problem.yaml.invalid_at", problem=said, column=str(column))


def _kind(problem: str) -> str:
    return next((kind for kind, pattern in _KINDS if pattern.search(problem)), "other")


__all__ = ["MAX_DEPTH", "MAX_VALUES", "SAFE_LOADER", "Careful", "DuplicateKeyError",
           "YamlLimitError", "careful_load", "check_bounds", "describe", "fast_load", "load",
           "location", "problem_words", "unique_keys"]
