"""An edit through the editor keeps every line it did not touch, however the file is indented.

For many generated hand-written documents (``yaml_documents.document``), one edit is made the
way the workbench makes it (the draft's data changed, then ``plan``): the text written must
read back, with kamkit's own reader, as exactly the data intended, and every line outside the
edited entry must be byte-identical.
"""

from __future__ import annotations

import copy
import difflib
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from kamkit.edit.documents import load_draft, plan
from kamkit.edit.tree import norm
from kamkit.edit.yamlfile import dump_tree, load_tree, read_plain
from tests.edit.yaml_documents import document

Edit = Callable[[random.Random, dict[str, Any]], tuple[Any, ...] | None]
_NEW_TEXTS = ["Edited", "yes", "010", "a: b", "It's #1", "ümlaut € and more", "",
              "A long text " + "that goes on and on " * 8, "two\nlines", "  padded  "]


def _items(data: dict[str, Any], rng: random.Random) -> tuple[tuple[Any, ...], list[Any]]:
    where = rng.choice([("analysis", "swot_account", "strengths"),
                        ("analysis", "swot_account", "weaknesses"),
                        ("analysis", "conclusions"), ("plan", "objectives")])
    node: Any = data
    for step in where:
        node = node[step]
    return where, node


def _change_text(rng: random.Random, data: dict[str, Any]) -> tuple[Any, ...]:
    where, items = _items(data, rng)
    index = rng.randrange(len(items))
    items[index]["text"] = rng.choice(_NEW_TEXTS)
    return (*where, index, "text")


def _change_vision(rng: random.Random, data: dict[str, Any]) -> tuple[Any, ...]:
    data["analysis"]["vision"] = rng.choice(_NEW_TEXTS)
    return ("analysis", "vision")


def _change_asks(rng: random.Random, data: dict[str, Any]) -> tuple[Any, ...]:
    asks = data["asks"]
    how = rng.choice(["append", "insert", "drop", "change"])
    if how == "append" or not asks:
        asks.append(rng.choice(_NEW_TEXTS[:6]))
    elif how == "insert":
        asks.insert(0, "A first ask")
    elif how == "drop":
        asks.pop(rng.randrange(len(asks)))
    else:
        asks[rng.randrange(len(asks))] = "Changed ask"
    return ("asks",)


def _new_item(rng: random.Random, data: dict[str, Any]) -> tuple[Any, ...] | None:
    _, items = _items(data, rng)
    item: dict[str, Any] = {"id": "NEW1", "text": rng.choice(_NEW_TEXTS)}
    if rng.random() < 0.5:
        item["based_on"] = ["C1", "C2"]
    items.insert(rng.choice([0, len(items)]), item)
    return None  # an insertion: no line of the file changes


def _drop_item(rng: random.Random, data: dict[str, Any]) -> tuple[Any, ...]:
    where, items = _items(data, rng)
    index = rng.randrange(len(items))
    items.pop(index)
    return (*where, index) if items else where  # the last one: the list is written []


def _new_key(rng: random.Random, data: dict[str, Any]) -> tuple[Any, ...]:
    where, items = _items(data, rng)
    index = rng.randrange(len(items))
    items[index]["owner"] = rng.choice(["P01", "yes", "2026-02-03"])
    return (*where, index)


def _change_refs(rng: random.Random, data: dict[str, Any]) -> tuple[Any, ...] | None:
    where, items = _items(data, rng)
    index = next((i for i, item in enumerate(items) if "based_on" in item), None)
    if index is None:
        return _change_text(rng, data)
    refs = items[index]["based_on"]
    if rng.random() < 0.5:
        refs.append("X1")
    else:
        items[index].pop("based_on")
    return (*where, index, "based_on")


def _top_level(rng: random.Random, data: dict[str, Any]) -> tuple[Any, ...] | None:
    how = rng.choice(["new", "period", "reorder", "drop asks"])
    if how == "new":  # a new key after account_id, at the top
        data.update({"account_id": data.pop("account_id"), "reviewed": "2026-06-12",
                     **{k: data.pop(k) for k in list(data) if k != "account_id"}})
        return None
    if how == "period":  # inside a flow mapping: its line
        data["plan"]["period"]["end"] = "2027-03-31"
        return ("plan", "period")
    if how == "reorder":  # a list reordered is written as a whole
        data["plan"]["objectives"].reverse()
        return ("plan", "objectives")
    data.pop("asks")
    return ("asks",)


EDITS: list[Edit] = [_change_text, _change_vision, _change_asks, _new_item, _drop_item,
                     _new_key, _change_refs, _top_level]


def _lines_of(text: str, path: tuple[Any, ...]) -> range:
    """The lines (from 0) of the entry or item at ``path``: its key or dash through the end
    of its value."""
    node: Any = yaml.compose(text, Loader=yaml.SafeLoader)
    start = None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            key, node = next((k, v) for k, v in node.value if k.value == step)
            start = key.start_mark.line
        else:
            node = node.value[step]
            start = node.start_mark.line
    end = node.end_mark
    last = end.line if end.column > 0 else end.line - 1
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style:
        node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
        end = node.end_mark
        last = end.line if end.column > 0 else end.line - 1
    assert start is not None
    return range(start, last + 1)


def _edit_once(seed: int, tmp_path: Path) -> None:
    text = document(seed)
    rng = random.Random(seed * 7919)
    path = tmp_path / f"ACC{seed}.yaml"
    path.write_bytes(text.encode("utf-8"))
    draft = load_draft(path, f"ACC{seed}")
    mine = copy.deepcopy(draft.data)
    edit = EDITS[seed % len(EDITS)]
    touched = edit(rng, mine)
    planned = plan(draft, mine, path.read_bytes(), None)
    new = planned.text
    assert ("\r\n" in new) == ("\r\n" in text), "the line ends changed"
    assert norm(read_plain(new)) == norm(mine), f"seed {seed}: the data written differs"
    old_lines = text.replace("\r\n", "\n").split("\n")
    new_lines = new.replace("\r\n", "\n").split("\n")
    where = f"seed {seed} ({edit.__name__})\n--- before\n{text}\n--- after\n{new}"
    if touched is None:  # lines were only added: the old ones are all there, in order
        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        assert sum(block.size for block in matcher.get_matching_blocks()) == len(
            old_lines), where
    else:  # the lines before and after the edited entry are as they were
        span = _lines_of(text.replace("\r\n", "\n"), touched)
        after = len(old_lines) - span.stop
        assert new_lines[:span.start] == old_lines[:span.start], where
        assert new_lines[len(new_lines) - after:] == old_lines[span.stop:], where


# 400 documents in blocks of 50: the fast tier runs one block (conftest.py: sample)
@pytest.mark.sample(1)
@pytest.mark.parametrize("block", range(8))
def test_one_edit_keeps_every_other_line_and_reads_back(block: int, tmp_path: Path) -> None:
    for seed in range(block * 50, block * 50 + 50):
        _edit_once(seed, tmp_path)


def test_the_generated_documents_mix_their_indentation() -> None:
    # the test above would prove little if the documents were all indented alike
    columns = set()
    for seed in range(40):
        text = document(seed)
        columns |= {len(line) - len(line.lstrip(" ")) for line in text.splitlines()
                    if line.lstrip().startswith("- ")}
        assert read_plain(text)["account_id"] == f"ACC{seed}"
    assert {0, 2, 4, 6} <= columns


def test_a_deeper_list_than_the_files_others_takes_new_items(tmp_path: Path) -> None:
    # the case that once made the editor write YAML it could not read: a top-level list
    # indented deeper than the lists before it, and a wrapped text
    text = ("account_id: MAAS\nanalysis:\n  conclusions:\n  - id: C1\n    text: a text wrapped\n"
            "      over two lines\n    based_on: [AS1]\nasks:\n  - The first ask\n")
    path = tmp_path / "MAAS.yaml"
    path.write_text(text, encoding="utf-8")
    draft = load_draft(path, "MAAS")
    draft.data["asks"].append("A second ask")
    planned = plan(draft, draft.data, path.read_bytes(), None)
    assert planned.text == text + "  - A second ask\n"


def test_the_whole_document_written_anew_still_reads_back() -> None:
    # the fallback writer re-emits with one indentation for the file: a wrapped text in a
    # block it moves right is moved with it (its continuation lines would end it otherwise)
    text = ("analysis:\n  swot_account:\n    strengths:\n      - id: AS1\n        text: x\n"
            "  conclusions:\n  - id: C1\n    text: a text wrapped\n      over two lines\n"
            "    based_on: [AS1]\n")
    tree = load_tree(text)
    assert (tree.indent, tree.offset) == (2, 2)
    written = dump_tree(tree)
    assert written != text and read_plain(written) == read_plain(text)
