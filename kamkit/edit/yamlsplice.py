"""Write an edited document by splicing what changed into the file's own text.

Every change (``kamkit.edit.tree.Change``) is turned into a replacement of one span of the
original text: a scalar's characters, a key's or a list item's lines, or a flow collection
(``[a, b]``) as a whole. Everything outside those spans stays byte for byte as the person
wrote it, whatever indentation each block of the file uses (lists at 2 in one place and 4 or
flush in another, dashes with or without offset, comments between items). New text is
emitted by the round-trip writer with the indentation found in the block it goes into.

A change the splicer cannot place raises ``Unspliceable``; the caller then re-emits the
document as a whole. Either way the caller checks that the text reads back as intended.
"""

from __future__ import annotations

import contextlib
import difflib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from ruamel.yaml.comments import CommentedMap

from kamkit.edit.tree import MISSING, Change, Item, get, norm
from kamkit.edit.yamlfile import Raw, Tree, dump_tree, indentation, plain, read_plain, yaml_handler

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(yaml.SafeLoader):
    """PyYAML's pure-Python loader (its marks count characters) reading as kamkit does:
    dates stay text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Unspliceable(Exception):
    """A change the splicer does not place; the document is re-emitted instead."""


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str
    order: int = field(compare=False)  # of edits at one place: the earlier goes first


class _Source:
    """The original text, its node tree (with positions) and what its keys and items mean."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.loader = _Loader(text)
        try:
            self.root = self.loader.get_single_node()
        finally:
            self.loader.dispose()
        if self.root is None:
            raise Unspliceable("empty document")
        self.top: yaml.Node = self.root
        if "&" in text or "*" in text:
            self._check_no_aliases(self.root)

    def _check_no_aliases(self, node: yaml.Node) -> None:
        # a node reached twice (an alias) would be spliced in one place and not the other
        seen: set[int] = set()
        stack = [node]
        while stack:
            current = stack.pop()
            if id(current) in seen:
                raise Unspliceable("aliases")
            seen.add(id(current))
            if isinstance(current, yaml.MappingNode):
                stack += [n for pair in current.value for n in pair]
            elif isinstance(current, yaml.SequenceNode):
                stack += current.value

    def value(self, node: yaml.Node) -> Any:
        return norm(self.loader.construct_object(node, deep=True))

    def entry(self, mapping: yaml.MappingNode, key: Any) -> int | None:
        for index, (key_node, _) in enumerate(mapping.value):
            if isinstance(key_node, yaml.ScalarNode) and self.value(key_node) == norm(key):
                return index
        return None

    def item(self, sequence: yaml.SequenceNode, step: Item) -> int | None:
        for index, node in enumerate(sequence.value):
            if isinstance(node, yaml.MappingNode):
                found = self.entry(node, step.field)
                if found is not None and self.value(node.value[found][1]) == step.value:
                    return index
        return None

    # positions -----------------------------------------------------------------------
    def end(self, node: yaml.Node) -> int:
        """Where the node's own text ends (a block collection: at its last scalar)."""
        if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
            return self.end(node.value[-1][1])
        if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
            return self.end(node.value[-1])
        end = node.end_mark.index
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            end = len(self.text[:end].rstrip())
        if isinstance(node, yaml.ScalarNode) and end == node.start_mark.index:
            return end  # an empty value (null)
        return end

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def line_end(self, index: int) -> int:
        """The index of the line break ending the line of ``index`` (or the text's end)."""
        end = self.text.find("\n", index)
        return len(self.text) if end < 0 else end

    def after_line(self, index: int) -> int:
        return min(self.line_end(index) + 1, len(self.text))

    def starts_line(self, index: int) -> bool:
        return not self.text[self.line_start(index):index].strip()

    def column(self, index: int) -> int:
        return index - self.line_start(index)

    def dash(self, item: yaml.Node) -> int:
        """Where the ``-`` of a block sequence item is."""
        index = item.start_mark.index - 1
        while index >= 0 and self.text[index] in " \n":
            index -= 1
        if index < 0 or self.text[index] != "-":
            raise Unspliceable("no dash before an item")
        return index

    def style(self, node: yaml.Node) -> tuple[int, int]:
        """The mapping indent and dash offset the block of ``node`` is written with."""
        start = self.line_start(node.start_mark.index)
        lines = self.text[start:self.after_line(self.end(node))].splitlines()
        margin = min((len(line) - len(line.lstrip(" ")) for line in lines if line.strip()),
                     default=0)
        return indentation("\n".join(line[margin:] for line in lines))


def _emit(value: Any, style: tuple[int, int], column: int = 0, width: int = 100,
          key: Any = "_") -> list[str]:
    """The lines of ``key: value`` as the round-trip writer writes them with the key at
    ``column`` (so comments kept in ``value`` keep their columns): the first line without
    its indentation, the others as they go into the file. Trailing comment lines are left
    out (they stay where they are in the file)."""
    if not _is_collection(value):
        # a block scalar's indentation indicator (">2-") is written for an indent of 2
        style = (2, 0)
    return _lines(CommentedMap([(key, value)]), style, column, width)


def _lines(node: Any, style: tuple[int, int], column: int, width: int = 100) -> list[str]:
    out = io.StringIO()
    handler = yaml_handler(*style, column=column)
    handler.width = width
    handler.dump(node, out)
    lines = out.getvalue().rstrip("\n").split("\n")
    while len(lines) > 1 and (lines[-1].lstrip().startswith("#") or not lines[-1].strip()):
        lines.pop()
    if lines[0][:column].strip():
        raise Unspliceable("unexpected emission")
    return [lines[0][column:], *lines[1:]]


def _item_lines(value: Any, style: tuple[int, int], column: int) -> list[str]:
    """The lines of a list item's value (without its dash) written at ``column``."""
    if isinstance(value, dict) or (isinstance(value, Raw) and isinstance(value.value, dict)):
        return _lines(value, style, column)
    if _is_collection(value):
        raise Unspliceable("a list in a list")
    lines = _emit(value, style, column - 2)
    return [lines[0][2:].lstrip(" "), *lines[1:]]


def _is_collection(value: Any) -> bool:
    return isinstance(value, dict | list) or (isinstance(value, Raw) and value.is_collection)


class _Splicer:
    def __init__(self, text: str, root: Any) -> None:
        self.src = _Source(text)
        self.root = root  # the round-trip tree with the changes applied: what to write
        self.file_style = indentation(text)
        self.edits: list[_Edit] = []
        self.placed: dict[tuple[Any, ...], int] = {}  # new key/item path -> where it went

    def add(self, start: int, end: int, text: str) -> None:
        self.edits.append(_Edit(start, end, text, len(self.edits)))

    def result(self) -> str:
        edits = sorted(set(self.edits), key=lambda e: (e.start, e.end > e.start, e.order))
        out, position = [], 0
        for edit in edits:
            if edit.start < position:
                raise Unspliceable("overlapping edits")
            out += [self.src.text[position:edit.start], edit.text]
            position = edit.end
        return "".join([*out, self.src.text[position:]])

    def change(self, change: Change) -> None:
        path = change.path
        if not path:
            raise Unspliceable("the whole document")
        node: yaml.Node = self.src.top
        key: yaml.Node | None = None  # the key whose value node is
        for depth, step in enumerate(path[:-1]):
            if getattr(node, "flow_style", False):
                self.flow(node, path[:depth])
                return
            key, node = self.child(node, step)
        if getattr(node, "flow_style", False):
            self.flow(node, path[:-1])
        elif isinstance(node, yaml.MappingNode) and not isinstance(path[-1], Item):
            self.in_mapping(node, change)
        elif isinstance(node, yaml.SequenceNode) and isinstance(path[-1], Item):
            if get(self.root, path[:-1]) == [] and key is not None:  # the last item went
                self.add(key.end_mark.index, self.src.line_end(self.src.end(node)), ": []")
            else:
                self.in_sequence(node, change)
        else:
            raise Unspliceable("a change in a value of another kind")

    def child(self, node: yaml.Node, step: Any) -> tuple[yaml.Node | None, yaml.Node]:
        """The key (None in a list) and the value node of ``step`` in ``node``."""
        if isinstance(node, yaml.MappingNode) and not isinstance(step, Item):
            index = self.src.entry(node, step)
            if index is not None:
                return node.value[index]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, Item):
            index = self.src.item(node, step)
            if index is not None:
                return None, node.value[index]
        raise Unspliceable("a path that is not in the file")

    def flow(self, node: yaml.Node, path: tuple[Any, ...]) -> None:
        """Rewrite a flow collection (``[a, b]``, ``{k: v}``) as a whole, on one line."""
        value = get(self.root, path)
        lines = _emit(value, self.file_style, width=10_000)
        if len(lines) > 1 or not _is_collection(value):
            raise Unspliceable("a flow collection that became a block")
        self.add(node.start_mark.index, node.end_mark.index, lines[0][3:])

    # mappings --------------------------------------------------------------------------
    def in_mapping(self, mapping: yaml.MappingNode, change: Change) -> None:
        src, key = self.src, change.path[-1]
        index = src.entry(mapping, key)
        column = src.column(mapping.value[0][0].start_mark.index)
        if change.before is MISSING or index is None:
            if change.after is MISSING:
                return
            self.new_entry(mapping, change, column)
            return
        key_node, value_node = mapping.value[index]
        if change.after is MISSING:
            if src.starts_line(key_node.start_mark.index):
                self.add(src.line_start(key_node.start_mark.index),
                         src.after_line(src.end(value_node)), "")
            elif index + 1 < len(mapping.value):  # first key after a dash: the next moves up
                self.add(key_node.start_mark.index, mapping.value[index + 1][0].start_mark.index,
                         "")
            else:
                raise Unspliceable("the only key of an item")
            return
        key_text = src.text[key_node.start_mark.index:key_node.end_mark.index]
        self.replace(key_node.start_mark.index, value_node, change.path, column, key_text)

    def new_entry(self, mapping: yaml.MappingNode, change: Change, column: int) -> None:
        src = self.src
        text = "\n".join(_emit(get(self.root, change.path), src.style(mapping), column,
                               key=change.path[-1]))
        where = self.anchor_place(mapping, change)
        if where is None:  # before the first key
            first = mapping.value[0][0].start_mark.index
            self.add(first, first, text + "\n" + " " * column)
        else:
            self.add(where, where, " " * column + text + "\n")
        self.placed[change.path] = where if where is not None else -1

    def anchor_place(self, node: yaml.Node, change: Change) -> int | None:
        """Where a new key or item goes: after its anchor's lines (None: first)."""
        if change.anchor is None:
            return None
        anchor_path = (*change.path[:-1], change.anchor)
        if anchor_path in self.placed:
            place = self.placed[anchor_path]
            return None if place < 0 else place
        anchor = self.child(node, change.anchor)[1]
        return self.src.after_line(self.src.end(anchor))

    def replace(self, start: int, old: yaml.Node, path: tuple[Any, ...], column: int,
                lead: str) -> None:
        """Write the new value at ``path`` in place of ``old`` (from ``start``, where
        ``lead`` is written first: the key, or nothing for an item)."""
        src = self.src
        value = get(self.root, path)
        old_scalar = isinstance(old, yaml.ScalarNode) or bool(getattr(old, "flow_style", False))
        if (isinstance(old, yaml.SequenceNode) and not old.flow_style and old.value
                and isinstance(value, list) and value and all(
                    isinstance(n, yaml.ScalarNode) for n in old.value)
                and not any(_is_collection(v) for v in value)):
            self.scalar_items(old, path, value)
            return
        if old_scalar and not _is_collection(value):
            if lead:
                lines = _emit(value, self.file_style, column)
                first = lines[0][2:].lstrip(" ")
            else:
                lines = _item_lines(value, self.file_style, column)
                first = lines[0]
            rest = src.text[src.end(old):src.line_end(src.end(old))]
            if len(lines) > 1 and rest.strip() and first[:1] in "|>":
                first, rest_edit = first + rest, True  # the comment goes after the header
            else:
                rest_edit = False
            text = "\n".join([first, *lines[1:]])
            begin = old.start_mark.index
            if src.text[begin - 1:begin] not in (" ", "\n", ""):
                text = " " + text
            self.add(begin, src.line_end(src.end(old)) if rest_edit else src.end(old), text)
            return
        # a block collection (or a value becoming one): its lines, through the end of the
        # last one (its comment is written again from the tree)
        style = self.file_style if old_scalar else src.style(old)
        if lead:
            lines = _emit(value, style, column)
            lines[0] = lead + lines[0][1:]
        else:
            lines = _item_lines(value, style, column)
        end = src.end(old) if old_scalar else src.line_end(src.end(old))
        self.add(start, end, "\n".join(lines))

    # sequences -------------------------------------------------------------------------
    def in_sequence(self, sequence: yaml.SequenceNode, change: Change) -> None:
        src = self.src
        index = src.item(sequence, change.path[-1])
        if change.before is MISSING or index is None:
            if change.after is not MISSING:
                where = self.anchor_place(sequence, change)
                self.new_item(sequence, get(self.root, change.path), where)
                self.placed[change.path] = where if where is not None else -1
            return
        item = sequence.value[index]
        if change.after is MISSING:
            self.drop_item(item)
            return
        self.replace(item.start_mark.index, item, change.path, self.item_columns(sequence)[1],
                     "")

    def item_columns(self, sequence: yaml.SequenceNode) -> tuple[int, int]:
        """The column of the dashes of a block sequence and of the items' text."""
        first = sequence.value[0]
        dash = self.src.dash(first)
        if not self.src.starts_line(dash):
            raise Unspliceable("a sequence in a sequence")
        same_line = self.src.line_start(first.start_mark.index) == self.src.line_start(dash)
        gap = first.start_mark.index - dash if same_line else 2  # "-   id:" keeps its gap
        return self.src.column(dash), self.src.column(dash) + gap

    def new_item(self, sequence: yaml.SequenceNode, value: Any, where: int | None) -> None:
        src = self.src
        dash, content = self.item_columns(sequence)
        lines = _item_lines(value, src.style(sequence), content)
        text = " " * dash + "-" + " " * (content - dash - 1) + "\n".join(lines) + "\n"
        if where is None:
            where = src.line_start(src.dash(sequence.value[0]))
        self.add(where, where, text)

    def drop_item(self, item: yaml.Node) -> None:
        dash = self.src.dash(item)
        if not self.src.starts_line(dash):
            raise Unspliceable("a sequence in a sequence")
        self.add(self.src.line_start(dash), self.src.after_line(self.src.end(item)), "")

    def scalar_items(self, old: yaml.SequenceNode, path: tuple[Any, ...], value: list[Any]
                     ) -> None:
        """A block list of plain values: items added, dropped or changed one by one, so the
        others keep their lines."""
        src = self.src
        before = [src.value(n) for n in old.value]
        after = [norm(v.value if isinstance(v, Raw) else v) for v in value]
        _, content = self.item_columns(old)
        matcher = difflib.SequenceMatcher(None, [repr(v) for v in before],
                                          [repr(v) for v in after], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            same = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            for offset in range(same):
                node = old.value[i1 + offset]
                self.item_value(node, value[j1 + offset], content)
            for node in old.value[i1 + same:i2]:
                self.drop_item(node)
            where = (src.after_line(src.end(old.value[i1 + same - 1])) if i1 + same > 0
                     else src.line_start(src.dash(old.value[0])))
            for new in value[j1 + same:j2]:
                self.new_item(old, new, where)

    def item_value(self, node: yaml.Node, value: Any, column: int) -> None:
        lines = _item_lines(value, self.file_style, column)
        self.add(node.start_mark.index, self.src.end(node), "\n".join(lines))


def _reads_as(text: str, intended: Any) -> bool:
    try:
        return norm(read_plain(text)) == intended
    except yaml.YAMLError:
        return False


def write(text: str, changes: Sequence[Change], tree: Tree) -> str | None:
    """The text of a document after ``changes`` (already applied to ``tree``, which was
    loaded from ``text``): spliced into ``text`` where possible, else the tree re-emitted
    whole; None when neither reads back (with kamkit's own reader) as the tree says."""
    intended = norm(plain(tree.root))
    body = text.replace("\r\n", "\n")
    candidates = []
    with contextlib.suppress(Unspliceable):
        candidates.append(splice(body, changes, tree.root).replace("\n", tree.line_break))
    candidates.append(dump_tree(tree))
    return next((c for c in candidates if _reads_as(c, intended)), None)


def splice(text: str, changes: Sequence[Change], root: Any) -> str:
    """``text`` with ``changes`` written into it; ``root`` is the round-trip tree they were
    applied to (the values written). Raises ``Unspliceable`` for a change it cannot place."""
    splicer = _Splicer(text, root)
    for change in changes:
        splicer.change(change)
    return splicer.result()


__all__ = ["Unspliceable", "splice", "write"]
