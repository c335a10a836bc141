"""What a notebook tells its reader in JupyterLab: what it is and how to use it, in the
session's language (``labels.yaml``'s ``guide.*``, Markdown), instead of a static Markdown
cell in one language. The report notebooks show it in a cell tagged ``narrative``, which a
report leaves out, above the report's own header (its title); the workbench's guide has a
title of its own and follows its language buttons (``kamkit.widgets.Guide``).

Examples
--------
>>> guide_text("explore", "nl").splitlines()[0]
'# Werkbank: verken en bewerk uw accounts'
"""

from __future__ import annotations

from typing import Any

from kamkit.errors import KamkitError
from kamkit.labels import t
from kamkit.locale import check_language

GUIDES = ("explore", "explore_summary", "account_analysis", "account_plan", "portfolio")
"""The guides there are: a notebook's name (its file's stem), or a part of it."""

_CONTROLS = {"account": "wb.account", "as_of": "wb.as_of", "portfolio": "wb.view.portfolio",
             "save": "wb.save", "undo": "wb.undo"}
"""The workbench's words for its controls, which the guides name: their one home is the
workbench's labels."""


def guide_text(name: str, language: str) -> str:
    """The guide ``name`` (one of ``GUIDES``) in ``language``, as Markdown."""
    if name not in GUIDES:
        raise KamkitError(f"no notebook guide {name!r}; there are: {', '.join(GUIDES)}")
    check_language(language)
    return t(f"guide.{name}", language,
             **{part: t(key, language) for part, key in _CONTROLS.items()})


def guide(name: str, language: str) -> Any:
    """The guide ``name`` in ``language`` for a notebook to show (Markdown, rendered by
    JupyterLab as a Markdown cell is)."""
    from IPython.display import Markdown  # here: the command line need not import IPython

    return Markdown(guide_text(name, language))
