"""Account documents as people write them by hand: each block indented its own way.

``document(seed)`` makes the text of a document whose lists are indented 2, 3 or 4, with or
without the dash set in from its key, with a gap of one or three spaces after the dash; with
flow lists, block scalars, texts wrapped over lines, quoted texts, comments between items and
at line ends, and blank lines. Every block picks its own style, so one file mixes them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Style:
    indent: int  # how far a nested mapping sits in from its key
    dash: int  # how far a list's dashes sit in from its key (0: flush)
    gap: int  # spaces after a dash


def _style(rng: random.Random) -> Style:
    indent = rng.choice([2, 2, 3, 4])
    return Style(indent, rng.choice([0, 0, 2, indent]), rng.choice([1, 1, 3]))


_WORDS = ("port", "tender", "margin", "renewal", "sponsor", "audit", "yes", "no", "on",
          "010", "1.10", "null", "2026-01-05", "it's", "a: b", "#hash", "ümlaut", "€ 5")


def _text(rng: random.Random, column: int, words: int | None = None) -> list[str]:
    """A text value in one of the ways a person writes it, as lines: the first goes after
    ``key:``, the others are placed at ``column``."""
    chosen = [rng.choice(_WORDS) for _ in range(words or rng.randint(1, 6))]
    kind = rng.choice(["plain", "plain", "single", "double", "wrapped", "literal", "folded"])
    plain = " ".join(w for w in chosen if w.isalpha()) or "word"
    if kind == "plain":
        return [f"Text {plain}"]
    if kind == "single":
        return ["'" + " ".join(chosen).replace("'", "''") + "'"]
    if kind == "double":
        return ['"' + " ".join(chosen).replace('"', '\\"') + '"']
    if kind == "wrapped":
        return [f"Wrapped {plain}", " " * (column + rng.choice([2, 4])) + f"over lines {plain}"]
    inner = " " * (column + rng.choice([2, 3, 4]))
    head = "|" if kind == "literal" else ">"
    return [head, inner + f"first {plain}", inner + "# not a comment", inner + "last line"]


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines: list[str] = []

    def comment(self, column: int) -> None:
        if self.rng.random() < 0.2:
            self.lines.append(" " * column + "# a comment between entries")
        if self.rng.random() < 0.1:
            self.lines.append("")

    def eol(self) -> str:
        return "   # note" if self.rng.random() < 0.15 else ""

    def text_entry(self, column: int, key: str, prefix: str | None = None) -> None:
        lines = _text(self.rng, column)
        eol = self.eol() if len(lines) == 1 else ""
        start = prefix if prefix is not None else " " * column
        self.lines.append(f"{start}{key}: {lines[0]}{eol}")
        self.lines += lines[1:]

    def scalar_list(self, column: int, key: str, values: list[str], style: Style) -> None:
        if self.rng.random() < 0.4:
            spaces = self.rng.choice([" ", "  "])
            self.lines.append(f"{' ' * column}{key}: [{(',' + spaces).join(values)}]{self.eol()}")
            return
        self.lines.append(f"{' ' * column}{key}:{self.eol()}")
        dash = column + style.dash
        for value in values:
            self.comment(dash)
            self.lines.append(f"{' ' * dash}-{' ' * style.gap}{value}{self.eol()}")

    def items(self, column: int, key: str, prefix: str, count: int, refs: list[str]) -> None:
        """A list of items with an ``id``, a text and a list of references."""
        style = _style(self.rng)
        self.lines.append(f"{' ' * column}{key}:")
        dash = column + style.dash
        inner = dash + 1 + style.gap
        for number in range(1, count + 1):
            self.comment(dash)
            if self.rng.random() < 0.15:
                self.lines.append(f"{' ' * dash}- {{id: {prefix}{number}, text: flow item}}")
                continue
            self.lines.append(f"{' ' * dash}-{' ' * style.gap}id: {prefix}{number}{self.eol()}")
            self.text_entry(inner, "text")
            if refs and self.rng.random() < 0.6:
                self.scalar_list(inner, "based_on", self.rng.sample(refs, min(2, len(refs))),
                                 _style(self.rng))


def document(seed: int) -> str:
    """The text of a hand-written document; ``seed`` picks its layout and values."""
    rng = random.Random(seed)
    out = _Writer(rng)
    top = _style(rng)
    out.lines += ["# Written by hand.", f"account_id: ACC{seed}{out.eol()}", "analysis:"]
    swot = top.indent
    out.text_entry(swot, "vision")
    out.lines.append(" " * swot + "swot_account:")
    quadrants = swot + _style(rng).indent
    for quadrant, prefix in (("strengths", "AS"), ("weaknesses", "AW")):
        out.items(quadrants, quadrant, prefix, rng.randint(1, 3), [])
    out.items(swot, "conclusions", "C", rng.randint(1, 3), ["AS1", "AW1", "X9"])
    out.comment(0)
    out.lines.append("plan:")
    out.lines.append(" " * top.indent + "period: {start: 2026-01-01, end: 2026-12-31}")
    out.items(top.indent, "objectives", "OB", rng.randint(1, 3), ["C1", "C2"])
    out.comment(0)
    out.scalar_list(0, "asks", [f"Ask {n} {rng.choice(_WORDS[:6])}" for n in range(
        rng.randint(1, 3))], _style(rng))
    text = "\n".join(out.lines) + "\n"
    return text.replace("\n", "\r\n") if rng.random() < 0.2 else text


__all__ = ["document"]
