"""Slide decks for the quarter review with management (python-pptx): per account
(``account_deck``) and for the portfolio (``portfolio_deck``), on kamkit's template or a
company's own with the same layout names (``template``). Charts are pictures at 2x with alt
text, tables real PowerPoint tables, every text editable; the notes say how each figure is
made."""

from __future__ import annotations

import io
from pathlib import Path

from pptx.presentation import Presentation as Deck

from kamkit.atomic import write_bytes_atomic
from kamkit.deck.account import account_deck
from kamkit.deck.portfolio import portfolio_deck
from kamkit.deck.template import DEFAULT_TEMPLATE, LAYOUTS, TemplateError, open_template


def save(deck: Deck, path: Path) -> Path:
    """Write ``deck`` to ``path`` atomically (a killed run leaves the old file or the new)."""
    buffer = io.BytesIO()
    deck.save(buffer)
    write_bytes_atomic(path, buffer.getvalue())
    return path


__all__ = ["DEFAULT_TEMPLATE", "LAYOUTS", "TemplateError", "account_deck", "open_template",
           "portfolio_deck", "save"]
