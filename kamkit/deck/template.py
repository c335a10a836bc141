"""The slide template: the layouts a deck needs, found by name, so a company's own template
with the same layout names works. kamkit ships a plain default (``template.pptx``, made by
``build_default_template``: python-pptx's own template at 16:9).

A deck uses two layouts (``LAYOUTS``): "Title Slide" (a title and a subtitle placeholder)
opens it; "Title Only" (a title placeholder) carries every other slide, whose charts,
tables and texts kamkit places in the area below the title. These are the names PowerPoint
gives its own layouts, so most company templates have them already; rename a layout in the
slide master view where a template calls it otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.presentation import Presentation as Deck
from pptx.slide import SlideLayout
from pptx.util import Emu

from kamkit.errors import KamkitError
from kamkit.problems import words

LAYOUTS = {"title": "Title Slide", "content": "Title Only"}
"""What a deck uses a layout for -> the layout's name in the template."""

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "template.pptx"
"""The template shipped with kamkit."""

WIDE = (Emu(12192000), Emu(6858000))
"""16:9 (13.333 x 7.5 inches), as projectors and screens are now."""


class TemplateError(KamkitError):
    """A slide template that cannot be used: not a .pptx, or a layout missing."""


def build_default_template(path: Path = DEFAULT_TEMPLATE) -> Path:
    """Write the default template: python-pptx's own, widened to 16:9 with its masters' and
    layouts' placeholders widened alike, without slides."""
    deck = Presentation()
    old_width = deck.slide_width
    deck.slide_width, deck.slide_height = WIDE
    ratio = WIDE[0] / old_width
    for master in deck.slide_masters:
        # every place read before any is changed: a layout's placeholder inherits its place
        # from the master's, and would otherwise be widened twice
        places = [(shape, (shape.left, shape.top, shape.width, shape.height))
                  for shapes in (master.placeholders,
                                 *(layout.placeholders for layout in master.slide_layouts))
                  for shape in shapes]
        for shape, (left, top, width, height) in places:
            if left is not None and top is not None and width is not None and height is not None:
                # all four: setting two would leave an inheriting placeholder at the top with
                # no height
                shape.left, shape.top = Emu(int(left * ratio)), top
                shape.width, shape.height = Emu(int(width * ratio)), height
        _title_size(master, TITLE_SIZE)
    deck.save(str(path))
    return path


TITLE_SIZE = 2800
"""The default template's slide titles, in hundredths of a point: python-pptx's own 44 pt
titles run past a 16:9 slide's width and out of its top when they wrap."""


def _title_size(master: Any, size: int) -> None:
    """Set the master's title style (``p:titleStyle``) to ``size``: every layout's title
    follows it, and a user can still restyle the master."""
    namespaces = {"p": "http://schemas.openxmlformats.org/presentationml/2006/main",
                  "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    for properties in master.element.findall("p:txStyles/p:titleStyle/a:lvl1pPr/a:defRPr",
                                             namespaces):
        properties.set("sz", str(size))


def open_template(path: Path | None = None) -> Deck:
    """A new presentation from a template (default: kamkit's), checked to have every layout
    of ``LAYOUTS``; slides the template holds are removed.

    Raises
    ------
    TemplateError
        When the file cannot be read as a .pptx, or a layout is missing (naming it and the
        template's layouts).
    """
    source = path or DEFAULT_TEMPLATE
    try:
        deck = Presentation(str(source))
    except Exception as error:  # python-pptx raises zipfile's and lxml's own errors
        raise TemplateError.of(words("cli.deck.template.unreadable", source=str(source),
                                     error=str(error))) from None
    for role in LAYOUTS:
        layout(deck, role, source)
    _drop_slides(deck)
    return deck


def layout(deck: Deck, role: str, source: Path | None = None) -> SlideLayout:
    """The layout ``deck`` uses for ``role`` (a key of ``LAYOUTS``), found by name in every
    slide master."""
    name = LAYOUTS[role]
    found = [lay for master in deck.slide_masters for lay in master.slide_layouts]
    for candidate in found:
        if candidate.name == name:
            return candidate
    where = (words("cli.deck.template.named", source=str(source)) if source
             else words("cli.deck.template.this"))
    raise TemplateError.of(words(
        "cli.deck.template.no_layout", template=where, name=name,
        role=words(f"cli.deck.role.{role}"),
        layouts=", ".join(repr(x.name) for x in found)))


def _drop_slides(deck: Deck) -> None:
    """Remove the slides a template came with (examples, instructions)."""
    ids = deck.slides._sldIdLst
    for slide_id in list(ids):
        deck.part.drop_rel(slide_id.rId)
        ids.remove(slide_id)


if __name__ == "__main__":
    print(build_default_template())
