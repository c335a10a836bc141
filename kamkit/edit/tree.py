"""Changes between two document trees as path-level operations, a three-way merge of them, and
their application onto a round-trip tree.

A path is a tuple of steps: a mapping key, or an ``Item`` naming a list element by its
identity (``id`` for SWOT items, conclusions, objectives and actions, ``person`` for team
members, ``month`` for monthly targets), so a list edited in two places merges by identity,
not by position. Lists without such a key (``based_on``, ``counterparts``) are values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kamkit.edit.yamlfile import Raw, plain, to_node

ITEM_KEYS = ("id", "person", "month")
"""What identifies the items of a list of mappings in a document, in order of preference."""


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()
"""The value at a path that does not exist."""


class Item(NamedTuple):
    """A list element named by its identity field, e.g. ``Item("id", "OBJ1")``."""

    field: str
    value: Any


Path = tuple[Any, ...]


def path_text(path: Path) -> str:
    """``plan.objectives[OBJ1].title``: the path as a person reads it."""
    text = ""
    for step in path:
        if isinstance(step, Item):
            text += f"[{step.value}]" if step.field == "id" else f"[{step.field}={step.value}]"
        else:
            text += f".{step}" if text else str(step)
    return text


@dataclass(frozen=True)
class Change:
    """One operation: the value at ``path`` goes from ``before`` to ``after`` (either may be
    MISSING). ``anchor`` places a new key or item: the step it follows (None: first)."""

    path: Path
    before: Any
    after: Any
    anchor: Any = None

    @property
    def where(self) -> str:
        return path_text(self.path)


def norm(value: Any) -> Any:
    """The value compared: dates as ISO text (the file keeps them as text), containers
    recursively."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, Mapping):
        return {k: norm(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [norm(v) for v in value]
    return value


def _key_field(*lists: list[Any]) -> str | None:
    items = [item for lst in lists for item in lst]
    if not items or not all(isinstance(i, Mapping) for i in items):
        return None
    for field in ITEM_KEYS:
        if all(field in i for i in items) and all(
                len({norm(i[field]) for i in lst}) == len(lst) for lst in lists):
            return field
    return None


def diff(before: Any, after: Any, path: Path = ()) -> list[Change]:
    """The changes that turn ``before`` into ``after``."""
    if norm(before) == norm(after):
        return []
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        changes: list[Change] = []
        previous = None
        for key, value in after.items():
            if key not in before:
                changes.append(Change((*path, key), MISSING, value, previous))
            else:
                changes += diff(before[key], value, (*path, key))
            previous = key
        changes += [Change((*path, key), value, MISSING)
                    for key, value in before.items() if key not in after]
        return changes
    if isinstance(before, list) and isinstance(after, list):
        field = _key_field(before, after)
        if field is not None:
            return _diff_items(before, after, field, path)
    return [Change(path, before, after)]


def _diff_items(before: list[Any], after: list[Any], field: str, path: Path) -> list[Change]:
    old = {norm(i[field]): i for i in before}
    new = {norm(i[field]): i for i in after}
    common_old = [k for k in old if k in new]
    common_new = [k for k in new if k in old]
    if common_old != common_new:  # reordered: the list as a whole
        return [Change(path, before, after)]
    changes: list[Change] = []
    previous = None
    for key, item in new.items():
        step = Item(field, key)
        if key in old:
            changes += diff(old[key], item, (*path, step))
        else:
            changes.append(Change((*path, step), MISSING, item, previous))
        previous = step
    changes += [Change((*path, Item(field, key)), item, MISSING)
                for key, item in old.items() if key not in new]
    return changes


def get(tree: Any, path: Path) -> Any:
    """The value at ``path`` in a plain or round-trip tree; MISSING where there is none."""
    node = tree
    for step in path:
        node = _child(node, step)
        if node is MISSING:
            return MISSING
    return node


def _child(node: Any, step: Any) -> Any:
    if isinstance(node, Raw):
        node = node.value
    if isinstance(step, Item):
        if not isinstance(node, list):
            return MISSING
        index = _index(node, step)
        return MISSING if index is None else node[index]
    if isinstance(node, Mapping) and step in node:
        return node[step]
    return MISSING


def _index(items: list[Any], step: Item) -> int | None:
    for index, item in enumerate(items):
        item = plain(item) if isinstance(item, Raw) else item
        if isinstance(item, Mapping) and step.field in item and norm(
                plain(item[step.field])) == step.value:
            return index
    return None


def _container(root: Any, path: Path) -> Any:
    """The node at ``path`` of a round-trip tree, opening flow collections on the way so
    they can be changed; MISSING where there is none."""
    node = root
    for step in path:
        child = _child(node, step)
        if isinstance(child, Raw) and child.is_collection:
            child = child.opened()
            if isinstance(step, Item):
                node[_index(node, step)] = child
            else:
                node[step] = child
        if child is MISSING:
            return MISSING
        node = child
    return node


def _overlap(a: Path, b: Path) -> bool:
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter]


@dataclass(frozen=True)
class Clash:
    """Both sides changed ``path`` (or something inside it) differently."""

    path: Path
    base: Any
    mine: Any
    theirs: Any


def merge(base: Any, mine: Any, theirs: Any) -> tuple[list[Change], list[Clash]]:
    """My changes (base -> mine) that can go onto theirs, and the clashes where both sides
    changed the same path differently (my changes under a clash are left out)."""
    mine_changes = diff(base, mine)
    their_changes = diff(base, theirs)
    clean: list[Change] = []
    clash_paths: list[Path] = []
    for change in mine_changes:
        touching = [t for t in their_changes if _overlap(t.path, change.path)]
        if not touching:
            clean.append(change)
            continue
        if all(t.path == change.path and norm(t.after) == norm(change.after) for t in touching):
            continue  # they made the same change
        path = min([change.path, *(t.path for t in touching)], key=len)
        if not any(_overlap(path, p) and len(p) <= len(path) for p in clash_paths):
            clash_paths = [p for p in clash_paths if not _overlap(p, path)] + [path]
    clean = [c for c in clean if not any(_overlap(c.path, p) for p in clash_paths)]
    clashes = [Clash(p, get(base, p), get(mine, p), get(theirs, p)) for p in clash_paths]
    return clean, clashes


def taking_mine(clash: Clash, mine: Any) -> Change:
    """The change that puts my side of a clash in place."""
    return Change(clash.path, clash.theirs, clash.mine, _anchor_in(mine, clash.path))


def _anchor_in(tree: Any, path: Path) -> Any:
    parent = get(tree, path[:-1])
    step = path[-1]
    keys: list[Any]
    if isinstance(step, Item) and isinstance(parent, list):
        keys = [Item(step.field, norm(i.get(step.field))) for i in parent
                if isinstance(i, Mapping)]
    elif isinstance(parent, Mapping):
        keys = list(parent)
    else:
        return None
    position = keys.index(step) if step in keys else 0
    return keys[position - 1] if position > 0 else None


class PathGone(Exception):
    """The place a change goes to no longer exists in the file."""


def apply(root: Any, change: Change) -> Any:
    """Apply one change to a round-trip tree in place; returns the (possibly new) root."""
    if not change.path:
        return renewed(root, change.after)
    parent = _container(root, change.path[:-1])
    step = change.path[-1]
    if isinstance(step, Item):
        if not isinstance(parent, CommentedSeq | list):
            raise PathGone(path_text(change.path))
        index = _index(parent, step)
        if change.after is MISSING:
            if index is not None:
                del parent[index]
        elif index is not None:
            parent[index] = renewed(parent[index], change.after)
        else:
            anchor = None if change.anchor is None else _index(parent, change.anchor)
            position = 0 if change.anchor is None else (
                len(parent) if anchor is None else anchor + 1)
            if isinstance(parent, CommentedSeq) and parent.fa.flow_style():
                parent.fa.set_block_style()  # an item with fields reads better in a block
            parent.insert(position, to_node(change.after))
        return root
    if not isinstance(parent, CommentedMap | dict):
        raise PathGone(path_text(change.path))
    if change.after is MISSING:
        parent.pop(step, None)
    elif step in parent:
        parent[step] = renewed(parent[step], change.after)
    else:
        if not isinstance(parent, CommentedMap):  # a plain dict keeps no place: key goes last
            parent[step] = to_node(change.after)
            return root
        keys = list(parent)
        position = 0 if change.anchor is None else (
            keys.index(change.anchor) + 1 if change.anchor in keys else len(keys))
        parent.insert(position, step, to_node(change.after))
    return root


def renewed(old: Any, value: Any) -> Any:
    """``value`` as a node in the place of ``old``, keeping what of ``old`` survives: a
    value that did not change keeps its node (its text, quotes, comments); a mapping keeps
    the comments of its keys; a list keeps its items' nodes and comments, matched by their
    identity (``id``, ``person``, ``month``) or, for plain items, by value; flow style
    stays. A whole list chosen in a conflict so keeps the comments of the items that stay."""
    old_plain = plain(old)
    if norm(old_plain) == norm(value):
        return old
    if isinstance(old, CommentedMap) and isinstance(value, Mapping):
        mapping = CommentedMap((k, renewed(old[k], v) if k in old else to_node(v))
                               for k, v in value.items())
        _keep_comments(old, mapping, {k: k for k in value if k in old})
        return mapping
    if isinstance(old, CommentedSeq) and isinstance(value, list):
        field = _key_field(old_plain, value)
        if field is None and any(isinstance(v, Mapping | list) for v in [*old_plain, *value]):
            return to_node(value, like=old)
        ident = ((lambda item: norm(item.get(field)) if isinstance(item, Mapping) else None)
                 if field else norm)
        free: dict[Any, list[int]] = {}
        for index, item in enumerate(old_plain):
            free.setdefault(ident(item), []).append(index)
        kept: dict[int, int] = {}
        items = []
        for new_index, item in enumerate(value):
            matches = free.get(ident(item))
            if matches:
                kept[new_index] = matches.pop(0)
                items.append(renewed(old[kept[new_index]], item))
            else:
                items.append(to_node(item))
        node = CommentedSeq(items)
        _keep_comments(old, node, kept)
        return node
    return to_node(value, like=old)


def _keep_comments(old: CommentedMap | CommentedSeq, node: CommentedMap | CommentedSeq,
                   places: Mapping[Any, Any]) -> None:
    """Copy the comments of ``old`` to ``node``: its own (before, after) and each place's
    (``places``: new key or index -> old key or index); its flow style too."""
    node.ca.comment = old.ca.comment
    node.ca.end = old.ca.end
    for new, was in places.items():
        if was in old.ca.items:
            node.ca.items[new] = old.ca.items[was]
    if old.fa.flow_style():
        node.fa.set_flow_style()


__all__ = ["ITEM_KEYS", "MISSING", "Change", "Clash", "Item", "apply", "diff", "get", "merge",
           "norm", "path_text", "renewed", "taking_mine"]
