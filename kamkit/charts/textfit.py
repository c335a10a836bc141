"""How wide a label is drawn, and a label shortened to a width with its end kept.

Vega-Lite shortens a label longer than its ``labelLimit`` at the end; where the end says
something (an objective's "(not SMART)"), the chart shortens the part before it itself, by
the advance widths of Helvetica (Arial and Liberation Sans, the fonts browsers put in its
place, have the same widths), with a margin for a font that runs wider.
"""

from __future__ import annotations

import unicodedata

# Helvetica's advance widths (AFM, per 1000 of the font size) of printable ASCII, from ' '.
_ASCII = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  # ' '-/
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,  # 0-?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,  # @-O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,  # P-_
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,  # `-o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584)  # p-~
_WIDEST = 1015  # a character not in the table (a CJK one, an emoji) counts as this wide
_MARGIN = 0.92  # the share of the limit a shortened label fills: room for a wider font
ELLIPSIS = "…"


def _char_width(char: str) -> int:
    base = unicodedata.normalize("NFD", char)[:1]  # é as e: accents take no width
    code = ord(base) if base else 0
    if 32 <= code < 32 + len(_ASCII):
        return _ASCII[code - 32]
    return 1000 if char == ELLIPSIS else _WIDEST


def text_width(text: str, size: float) -> float:
    """The width in pixels of ``text`` drawn at font ``size`` (an estimate on the wide side).

    >>> text_width("OB1", 10)
    20.01
    """
    return sum(_char_width(c) for c in text) * size / 1000


def fit_keeping_end(text: str, end: str, limit: float, size: float) -> str:
    """``text`` and ``end`` within ``limit`` pixels at font ``size``: ``text`` is shortened
    (with an ellipsis) where both do not fit, so that ``end`` is always shown whole.

    >>> fit_keeping_end("OB2 Grow revenue despite the loss of a site", " (not SMART)", 220, 11)
    'OB2 Grow revenue despi… (not SMART)'
    >>> fit_keeping_end("OB1 Short", " (not SMART)", 160, 11)
    'OB1 Short (not SMART)'
    """
    room = limit * _MARGIN - text_width(end, size)
    if text_width(text, size) <= room:
        return text + end
    room -= text_width(ELLIPSIS, size)
    kept, width = "", 0.0
    for char in text:
        width += _char_width(char) * size / 1000
        if width > room:
            break
        kept += char
    return kept.rstrip() + ELLIPSIS + end
