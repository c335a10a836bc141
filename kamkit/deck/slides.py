"""Building blocks of a slide: a title, text boxes, tables and pictures placed in the area
below the title, and the notes. Every text is a real text box or table cell, so the KAM can
edit the deck; every table is a PowerPoint table, not a picture."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Emu, Pt

from kamkit.charts import theme
from kamkit.deck.images import ChartImage
from kamkit.deck.template import layout

MARGIN = 0.04  # of the slide's width, around the content area
TOP = 0.2  # of the slide's height: the content starts below the title


@dataclass(frozen=True)
class Box:
    """A rectangle as fractions of the content area: left, top, width, height."""

    left: float
    top: float
    width: float
    height: float


FULL = Box(0, 0, 1, 1)
LEFT = Box(0, 0, 0.56, 1)
RIGHT = Box(0.59, 0, 0.41, 1)


def _emu(deck: Deck, box: Box) -> tuple[Emu, Emu, Emu, Emu]:
    """The box in EMU on ``deck``'s slides."""
    width, height = int(deck.slide_width or 0), int(deck.slide_height or 0)
    x0, y0 = width * MARGIN, height * TOP
    area_w, area_h = width * (1 - 2 * MARGIN), height * (1 - TOP - MARGIN)
    return (Emu(int(x0 + box.left * area_w)), Emu(int(y0 + box.top * area_h)),
            Emu(int(box.width * area_w)), Emu(int(box.height * area_h)))


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def title_slide(deck: Deck, title: str, subtitle: str) -> Slide:
    """The opening slide: the template's title layout with its title and subtitle."""
    slide = deck.slides.add_slide(layout(deck, "title"))
    slide.shapes.title.text = title
    subtitles = [p for p in slide.placeholders if p.placeholder_format.idx == 1]
    if subtitles:
        subtitles[0].text = subtitle
    else:  # a template whose title layout has no subtitle: a text box
        text_box(deck, slide, Box(0, 0.6, 1, 0.2), [subtitle])
    return slide


def content_slide(deck: Deck, title: str) -> Slide:
    """A slide of the template's content layout with ``title`` in its title placeholder."""
    slide = deck.slides.add_slide(layout(deck, "content"))
    slide.shapes.title.text = title
    return slide


def text_box(deck: Deck, slide: Slide, box: Box, lines: Sequence[str], size: int = 14,
             colour: str = theme.DARK_TEXT) -> None:
    """A text box with one paragraph per line, wrapped inside ``box``."""
    shape = slide.shapes.add_textbox(*_emu(deck, box))
    frame = shape.text_frame
    frame.word_wrap = True
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.space_after = Pt(6)
        paragraph.font.size = Pt(size)
        paragraph.font.color.rgb = _rgb(colour)


def _row_height(values: Sequence[str], widths: Sequence[int], size: int) -> int:
    """A table row's height in EMU, estimated from its longest cell's wrapped lines (the
    file holds no rendered sizes: a row grows with its text where the deck is opened)."""
    usable = [max(int(Pt(size) * 2), w - int(Pt(14.4))) for w in widths]  # cell margins
    char = Pt(size) * 0.62  # an average character of a sans-serif font, generously
    lines = max(sum(max(1, math.ceil(len(part) * char / width)) for part in value.split("\n"))
                for value, width in zip(values, usable, strict=True))
    return int(Pt(size) * 1.25 * lines + Pt(7.2))


def table(deck: Deck, slide: Slide, box: Box, header: Sequence[str],
          rows: Sequence[Sequence[str]], numeric: Sequence[bool] | None = None,
          size: int = 11, widths: Sequence[float] | None = None) -> float:
    """An editable table: ``header`` over ``rows`` of texts; columns marked ``numeric`` are
    right-aligned; ``widths`` are the columns' shares of the box (default: equal). Returns
    where the table ends, as a fraction of the content area's height, so what follows is
    placed below it rather than over it."""
    left, top, width, _ = _emu(deck, box)
    shares = widths or [1 / len(header)] * len(header)
    column_widths = [int(width * share / sum(shares)) for share in shares]
    heights = [_row_height(values, column_widths, size) for values in [header, *rows]]
    shape = slide.shapes.add_table(len(rows) + 1, len(header), left, top, width,
                                   Emu(sum(heights)))
    grid = shape.table
    for index, column_width in enumerate(column_widths):
        grid.columns[index].width = Emu(column_width)
    for index, height in enumerate(heights):
        grid.rows[index].height = Emu(height)
    numeric = numeric or [False] * len(header)
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            cell.text = value
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(size)
                paragraph.font.bold = r == 0
                if numeric[c]:
                    paragraph.alignment = PP_ALIGN.RIGHT
    _, area_top, _, area_height = _emu(deck, FULL)
    return (top + sum(heights) - area_top) / area_height


def picture(deck: Deck, slide: Slide, box: Box, image: ChartImage) -> None:
    """The chart image as large as fits ``box``, keeping its proportions, with alt text."""
    left, top, width, height = _emu(deck, box)
    scale = min(width / image.width, height / image.height)
    shown_w, shown_h = int(image.width * scale), int(image.height * scale)
    shape = slide.shapes.add_picture(io.BytesIO(image.png), left, top, Emu(shown_w),
                                     Emu(shown_h))
    # PowerPoint's "alt text" is the description of the shape's non-visual properties
    element: Any = shape._element
    element.nvPicPr.cNvPr.set("descr", image.alt)


def notes(slide: Slide, lines: Sequence[str]) -> None:
    """The speaker notes: how the slide's figures are made (the sections' method lines)."""
    shown = [line for line in lines if line]
    frame = slide.notes_slide.notes_text_frame
    if shown and frame is not None:
        frame.text = "\n\n".join(shown)
