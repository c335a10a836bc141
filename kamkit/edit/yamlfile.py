"""Round-trip YAML that agrees with kamkit's reader and leaves untouched text as it was.

kamkit reads documents with PyYAML (YAML 1.1 rules, dates kept as text). ruamel.yaml is
told to resolve plain scalars with exactly PyYAML's table (less the timestamp), so a new
value that PyYAML would read as something else (``yes``, ``010``, ``1.10``, ``~``) is quoted
when written. Every scalar already in the file is carried as its source text (``Raw``) and
written back verbatim, so ``yes`` stays ``yes``, ``010`` stays ``010`` and a long text
wrapped over several lines keeps its line breaks: only what an edit touches is re-emitted.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver

from kamkit.document_reader import _LOADER

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_PYYAML_TABLE = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_RAW_STYLE = "R"  # a scalar style of our own: write the source text as it was


class Raw:
    """A scalar or a flow collection (``[a, b]``, ``{k: v}``) as it is written in the file:
    its source text, and its value as kamkit reads it (computed when asked). An edit inside
    a flow collection first opens it into a tree (``opened``)."""

    __slots__ = ("_value", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._value: Any = self

    @property
    def value(self) -> Any:
        if self._value is self:
            self._value = yaml.load(self.text, Loader=_LOADER)
        return self._value

    def __repr__(self) -> str:
        return f"Raw({self.text!r})"

    @property
    def is_collection(self) -> bool:
        return isinstance(self.value, dict | list)

    def opened(self) -> Any:
        """The flow collection as a round-trip tree (its scalars still written as they were)."""
        node = load_tree(self.text).root
        node.fa.set_flow_style()
        return node


def plain(value: Any) -> Any:
    """The value kamkit reads for a tree node (``Raw`` scalars resolved, containers copied
    as dicts and lists)."""
    if isinstance(value, Raw):
        return value.value
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


class _Resolver(VersionedResolver):
    """PyYAML's implicit types (YAML 1.1 without timestamps), whatever the file declares."""

    @property
    def processing_version(self) -> Any:
        return (1, 1)

    @property
    def versioned_resolver(self) -> Any:
        return _PYYAML_TABLE


class _Constructor(RoundTripConstructor):
    """Values (not keys) that are flow scalars become ``Raw`` with their exact source."""

    source = ""

    def get_single_data(self) -> Any:
        node = self.composer.get_single_node()
        if node is None:
            return None
        self._raw: set[int] = set()
        self._mark_values(node)
        return self.construct_document(node)

    def construct_non_recursive_object(self, node: Any, tag: Any = None) -> Any:
        if id(node) in self._raw:
            return Raw(self.source[node.start_mark.index:node.end_mark.index])
        return super().construct_non_recursive_object(node, tag)

    def _mark_values(self, node: Any) -> None:
        children = ([value for _, value in node.value] if isinstance(node, MappingNode)
                    else node.value if isinstance(node, SequenceNode) else [])
        for child in children:
            # block scalars (| and >) are kept by ruamel itself
            if child.anchor or (isinstance(child, ScalarNode) and child.style in ("|", ">")):
                self._mark_values(child)
            elif isinstance(child, ScalarNode) or child.flow_style:  # [a, b], {k: v}
                self._raw.add(id(child))
            else:
                self._mark_values(child)


class _Representer(RoundTripRepresenter):
    def represent_raw(self, data: Raw) -> Any:
        return self.represent_scalar("tag:yaml.org,2002:str", data.text, style=_RAW_STYLE)

    def represent_float(self, data: float) -> Any:
        if math.isfinite(data) and data.is_integer() and abs(data) < 1e15:
            return self.represent_int(int(data))  # 1200000, as a person writes it
        text = repr(data).lower()
        if math.isfinite(data) and "." not in text and "e" in text:
            text = text.replace("e", ".0e", 1)  # YAML 1.1 floats need a dot
        return self.represent_scalar("tag:yaml.org,2002:float", text) if math.isfinite(
            data) else super().represent_float(data)

    def represent_day(self, data: dt.date) -> Any:
        return self.represent_str(data.isoformat()[:10])


_Representer.add_representer(Raw, _Representer.represent_raw)
_Representer.add_representer(float, _Representer.represent_float)
_Representer.add_representer(dt.date, _Representer.represent_day)
_Representer.add_representer(dt.datetime, _Representer.represent_day)


def _continued(text: str, block: int, indent: int) -> str:
    """A scalar's source text whose continuation lines sit deeper than ``block`` (the
    column of its key), shifted right to ``indent`` as a whole where they do not: the
    indentation of a plain, quoted or flow text's continuation lines carries no meaning, but
    must be deeper than its key's (a block moved right would otherwise end the text)."""
    lines = text.split("\n")
    depth = min((len(line) - len(line.lstrip(" ")) for line in lines[1:] if line.strip()),
                default=block + 1)
    if depth > block:
        return text
    shift = " " * (indent - depth)
    return "\n".join([lines[0], *(shift + line if line.strip() else line
                                  for line in lines[1:])])


class _Emitter(Emitter):
    base_column = 0  # where the top-level block starts (a fragment written for its place)

    def increase_indent(self, flow: bool = False, sequence: bool | None = None,
                        indentless: bool = False) -> None:
        top = self.indent is None
        super().increase_indent(flow, sequence, indentless)
        if top and not flow:
            self.indent = self.base_column

    def choose_scalar_style(self) -> Any:
        if self.event.style == _RAW_STYLE:
            return _RAW_STYLE
        return super().choose_scalar_style()

    def process_scalar(self) -> None:
        if self.style != _RAW_STYLE:
            super().process_scalar()
            return
        indent = self.indent or 0
        text = _continued(self.event.value, indent - self.best_map_indent, indent)
        if self.sequence_context and not self.flow_level:
            self.write_indent()
        if not self.whitespace:
            self._write(" ")
        self._write(text)
        self.whitespace = False
        self.indention = False
        self.analysis = None
        self.style = None
        if self.event.comment:
            self.write_post_comment(self.event)

    def _write(self, text: str) -> None:
        lines = text.split("\n")
        if len(lines) > 1:
            self.line += len(lines) - 1
            self.column = len(lines[-1])
        else:
            self.column += len(text)
        self.stream.write(text.encode(self.encoding) if self.encoding else text)


@dataclass
class Tree:
    """A document's round-trip tree and the indentation its file uses."""

    root: Any
    indent: int = 2
    offset: int = 0  # how far a block sequence's dash sits inside its parent key
    line_break: str = "\n"


def yaml_handler(indent: int = 2, offset: int = 0, column: int = 0) -> YAML:
    """The round-trip reader and writer, writing nested blocks ``indent`` in and dashes
    ``offset`` in from their key, and the top-level block at ``column`` (for a fragment:
    comments keep their columns)."""
    handler = YAML(typ="rt")
    handler.Resolver = _Resolver
    handler.Constructor = _Constructor
    handler.Representer = _Representer
    handler.Emitter = (type("_Emitter", (_Emitter,), {"base_column": column}) if column
                       else _Emitter)
    handler.preserve_quotes = True
    handler.width = 100
    handler.indent(mapping=indent, sequence=indent + offset, offset=offset)
    return handler


def indentation(text: str) -> tuple[int, int]:
    """The mapping indent and the dash offset of the first nested block of the text."""
    indent = offset = None
    previous: tuple[int, str] | None = None
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        column = len(line) - len(stripped)
        if previous is not None and previous[1].endswith(":") and column >= previous[0]:
            if stripped.startswith("- ") and offset is None:
                offset = column - previous[0]  # 0: the dashes flush with their key
            elif not stripped.startswith("-") and indent is None and column > previous[0]:
                indent = column - previous[0]
        if indent is not None and offset is not None:
            break
        previous = (column, stripped.split(" #")[0].rstrip())
    indent = indent or 2
    return indent, min(offset or 0, indent)


def load_tree(text: str) -> Tree:
    """The round-trip tree of a document's text."""
    line_break = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n")  # worked on with \n, written back with the file's own
    indent, offset = indentation(text)
    handler = yaml_handler(indent, offset)
    handler.constructor.source = text
    return Tree(handler.load(text), indent, offset, line_break)


def dump_tree(tree: Tree) -> str:
    out = io.StringIO()
    yaml_handler(tree.indent, tree.offset).dump(tree.root, out)
    return out.getvalue().replace("\n", tree.line_break)


def read_plain(text: str) -> Any:
    """What kamkit's reader makes of a document's text."""
    return yaml.load(text, Loader=_LOADER)


def to_node(value: Any, like: Any = None) -> Any:
    """A new value as a tree node; a collection replacing ``like`` takes its flow style."""
    node: CommentedMap | CommentedSeq
    if isinstance(value, dict):
        node = CommentedMap((k, to_node(v)) for k, v in value.items())
    elif isinstance(value, list | tuple):
        node = CommentedSeq(to_node(v) for v in value)
    elif isinstance(value, dt.date):
        return value.isoformat()[:10]
    else:
        return value
    flow = (like.is_collection if isinstance(like, Raw) else
            isinstance(like, CommentedMap | CommentedSeq) and like.fa.flow_style())
    if flow and not (
            isinstance(node, CommentedSeq) and any(isinstance(v, dict) for v in node)):
        node.fa.set_flow_style()
    return node


__all__ = ["Raw", "Tree", "dump_tree", "indentation", "load_tree", "plain", "read_plain", "to_node",
           "yaml_handler"]
