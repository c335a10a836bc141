"""The YAML fast path (``kamkit.yamlread.fast_load``) gives exactly what PyYAML's careful
path gives, value for value and type for type, and hands everything else (errors, anchors,
merge keys, other tags, bounds) to the careful path, whose messages stay the same."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from kamkit import document_reader, yamlread

LOADERS = {"documents": document_reader._LOADER, "run definitions": yamlread.SAFE_LOADER}

# YAML 1.1's plain scalars that are not strings, and near misses that are
PLAIN = ["yes", "No", "ON", "off", "True", "FALSE", "y", "n", "~", "null", "Null", "",
         "0", "-0", "+12", "017", "0o17", "0x1F", "0b101", "1_000", "1:30", "190:20:30",
         "3.5", "-.5", "1e3", "1.5e3", "6.8523015e+5", ".inf", "-.Inf", ".NaN", "1,000",
         "2026-01-31", "2026-02-30", "2026-1-5", "2026-01-31 10:20:30", "2026-01-31T10:20:30Z",
         "2026-01", "ACC-01", "Acme B.V.", "R&D", "a: b", "=", "<<", "éé", "100%", "0.005",
         "12345678901234567890", "nan", "inf", "NO", "yes please"]
QUOTED = ['"yes"', "'no'", '"1_000"', '"tab\\there"', '"bell\\x07"', "'it''s'", '"\\u00e9"',
          '""', "''"]
TAGGED = ["!!str 12", "!!int '7'", "!!float 1", "!!bool yes", "!!null ''", "!!timestamp 2026-01-02",
          "!!binary aGk=", "!!int abc", "!custom x", "!!python/name:os.system ''", "! 12",
          "!!set {a, b}", "!!omap [a: 1]"]


def _scalar(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.7:
        text = rng.choice(PLAIN)
        return text if text and text not in ("a: b",) else repr(text)
    return rng.choice(QUOTED) if pick < 0.9 else rng.choice(TAGGED)


def _key(rng: random.Random, used: set[str]) -> str:
    pool = ["id", "text", "yes", "1", "1.0", "null", "on", "2026-01-31", "<<", "=", "a b",
            "'q'", "vision", "owner"]
    key = rng.choice(pool) if rng.random() < 0.3 else f"k{len(used)}"
    if rng.random() < 0.97 and key in used:
        key = f"k{len(used)}x"  # now and then a key given twice stays
    used.add(key)
    return key


def _block(rng: random.Random, depth: int, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if rng.random() < 0.5 or depth > 4:
        used: set[str] = set()
        for _ in range(rng.randint(1, 4)):
            key = _key(rng, used)
            if depth < 5 and rng.random() < 0.35:
                lines.append(f"{pad}{key}:")
                lines += _block(rng, depth + 1, indent + 2)
            elif rng.random() < 0.1:
                lines.append(f"{pad}{key}: [{', '.join(_scalar(rng) for _ in range(3))}]")
            elif rng.random() < 0.05:
                lines.append(f"{pad}{key}: &a {_scalar(rng)}")
                lines.append(f"{pad}{key}2: *a")
            else:
                lines.append(f"{pad}{key}: {_scalar(rng)}")
    else:
        for _ in range(rng.randint(0, 3)):
            if depth < 5 and rng.random() < 0.4:
                lines.append(f"{pad}-")
                lines += _block(rng, depth + 1, indent + 2)
            else:
                lines.append(f"{pad}- {_scalar(rng)}")
        if not lines:
            lines.append(f"{pad}- []")
    return lines


def _random_yaml(rng: random.Random) -> str:
    lines = _block(rng, 0, 0)
    roll = rng.random()
    if roll < 0.04:
        lines.append("---\nsecond: document")
    elif roll < 0.08:
        lines.insert(rng.randrange(len(lines) + 1), "  bad: [indent")
    elif roll < 0.1:
        lines.insert(0, "# a comment\n---")
    elif roll < 0.12:
        lines = [rng.choice(PLAIN + QUOTED)]  # a document that is one scalar
    return "\n".join(lines) + ("\n" if rng.random() < 0.8 else "")


def _outcome(read: Callable[[str, type], object], text: str, loader: type) -> tuple[str, str]:
    """What reading gives, strictly: repr tells True from 1 and 1.0, and the key order."""
    try:
        return "value", repr(read(text, loader))
    except Exception as error:  # the very error is what is compared
        return type(error).__name__, str(error)


@pytest.mark.parametrize("use", sorted(LOADERS))
@pytest.mark.sample(1)  # the cases covered by the others: benchmarks/fast_tier.py
def test_fast_load_gives_what_pyyaml_gives(use: str) -> None:
    loader = LOADERS[use]
    rng = random.Random(20261127)
    fast = 0
    for _ in range(1500):
        text = _random_yaml(rng)
        assert _outcome(yamlread.load, text, loader) == _outcome(
            yamlread.careful_load, text, loader), text
        try:
            yamlread.fast_load(text, loader)
            fast += 1
        except yamlread.Careful:
            pass
    assert fast > 600  # the generator does reach the fast path most of the time


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",  # a key given twice
    "yes: 1\ntrue: 2\n",  # the same key twice after YAML 1.1 resolution
    "a: &x [1]\nb: *x\n",  # an alias
    "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n",  # a merge key
    "a: !!binary aGk=\n",  # a tag without a pure constructor
    "a: [1, 2\n",  # a syntax error
    "a: 1\n---\nb: 2\n",  # two documents
    "? [1, 2]\n: x\n",  # a complex key
    "[" * (yamlread.MAX_DEPTH + 1) + "]" * (yamlread.MAX_DEPTH + 1),  # too deep
])
def test_what_the_fast_path_leaves_to_the_careful_one(text: str) -> None:
    with pytest.raises(yamlread.Careful):
        yamlread.fast_load(text, yamlread.SAFE_LOADER)
    assert _outcome(yamlread.load, text, yamlread.SAFE_LOADER) == _outcome(
        yamlread.careful_load, text, yamlread.SAFE_LOADER)


def test_a_key_given_twice_still_names_both_lines() -> None:
    with pytest.raises(yamlread.DuplicateKeyError, match=r"lines 2 and 4"):
        yamlread.load("top:\n  a: 1\n  b: 2\n  a: 3\n")


def test_too_many_values_are_refused_by_the_careful_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlread, "MAX_VALUES", 10)
    text = "[" + ", ".join("1" for _ in range(12)) + "]"
    with pytest.raises(yamlread.Careful):
        yamlread.fast_load(text, yamlread.SAFE_LOADER)
    with pytest.raises(yamlread.YamlLimitError, match="more than 10 values"):
        yamlread.load(text)


def test_documents_of_the_demo_take_the_fast_path() -> None:
    folder = Path(document_reader.__file__).parent / "demo" / "workbook" / "documents"
    for path in sorted(folder.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        value = yamlread.fast_load(text, document_reader._LOADER)
        assert repr(value) == repr(yaml.load(text, Loader=document_reader._LOADER))
