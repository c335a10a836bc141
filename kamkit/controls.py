"""Control characters in what users wrote: found in their data, never written raw to a terminal.

NUL, ESC and the other C0 and C1 codes have no place in an id or a name; written to a
terminal, ESC sequences can retitle or clear it. In text a tab and a line break stay legal
(multi-line notes); in an id nothing but printable characters without spaces is.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, TextIO

from kamkit.problems import Words, words

_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters that are a problem in text: all but tab, line feed, carriage return."""
_IN_ID = re.compile(r"[\x00-\x1f\x7f-\x9f]|\s")
"""What an id may not hold: any control character or white space."""
_ON_TERMINAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e"
                          "\u2066-\u2069]")
"""What is escaped on the way to a terminal: controls (line feed, tab and carriage return
pass, as progress bars need them) and the bidirectional overrides that reorder a line."""
_ON_ONE_LINE = re.compile(f"{_ON_TERMINAL.pattern[:-1]}\n\r\t]")


_CHAR_WORDS = {9: "problem.char.tab", 10: "problem.char.line_break",
               13: "problem.char.carriage_return"}


def _name(char: str) -> Words:
    """A character as a problem names it: its name (in words for tab and line breaks) and
    its code point."""
    code = ord(char)
    if code in _CHAR_WORDS:
        return words("problem.char", name=words(_CHAR_WORDS[code]), code=f"{code:04X}")
    name = {0: "NUL", 0x1B: "ESC", 0x7F: "DEL"}.get(code) or unicodedata.name(char, "")
    return words("problem.char", name=name, code=f"{code:04X}") if name else Words(
        "problem.char.code", (("code", f"{code:04X}"),))


def text_flaw(text: str) -> Words | None:
    """``in_text`` as Words, to say it in any language."""
    match = _IN_TEXT.search(text)
    return None if match is None else words(
        "problem.control.text", char=_name(match.group()), position=str(match.start() + 1))


def id_flaw(text: str) -> Words | None:
    """``in_id`` as Words, to say it in any language."""
    match = _IN_ID.search(text)
    if match is None:
        return None
    char, position = match.group(), str(match.start() + 1)
    if char == " ":
        return words("problem.control.id_space", position=position)
    white = char.isspace() and ord(char) > 0x9F
    return words("problem.control.id_white_space" if white else "problem.control.id_control",
                 char=_name(char), position=position)


def in_text(text: str) -> str | None:
    """What is wrong with control characters in a text, or None when there are none.

    Examples
    --------
    >>> in_text("two\\nlines\\tand a tab") is None
    True
    >>> in_text("Acme\\x1b[2J")
    'holds the control character ESC (U+001B) at position 5'
    """
    flaw = text_flaw(text)
    return None if flaw is None else flaw.said("en")


def in_id(text: str) -> str | None:
    """What makes ``text`` no id (a control character or a space inside), or None.

    Examples
    --------
    >>> in_id("ACC 01")
    "holds a space at position 4; an id is one word (use '-' or '_')"
    """
    flaw = id_flaw(text)
    return None if flaw is None else flaw.said("en")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: str, one_line: bool = False) -> str:
    """``text`` with control characters shown as escapes (``\\x1b``); with ``one_line`` line
    breaks, tabs and carriage returns too (a table cell).

    Examples
    --------
    >>> for_terminal("Acme\\x1b]0;owned\\x07")
    'Acme\\\\x1b]0;owned\\\\x07'
    """
    return (_ON_ONE_LINE if one_line else _ON_TERMINAL).sub(_escape, text)


class TerminalStream:
    """A text stream that escapes control characters in everything written to it (see
    ``for_terminal``); everything else is the wrapped stream's."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(for_terminal(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


__all__ = ["TerminalStream", "for_terminal", "id_flaw", "in_id", "in_text", "text_flaw"]
