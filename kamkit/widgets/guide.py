"""The workbench notebook's guide in the language its explorer shows: it changes with the
language buttons, as the views do (``kamkit.guide`` has the texts)."""

from __future__ import annotations

import ipywidgets as widgets

from kamkit.guide import guide_text
from kamkit.widgets.explorer import Explorer


class Guide(widgets.Output):
    """The guide ``name`` (``kamkit.guide.GUIDES``) as Markdown, in ``explorer``'s language.

    Examples
    --------
    >>> explorer = Explorer(None, "MAAS", "2026Q3")
    >>> guide = Guide("explore", explorer)
    >>> explorer.language_picker.value = "nl"
    >>> guide.text.splitlines()[0]
    '# Werkbank: verken en bewerk uw accounts'
    """

    def __init__(self, name: str, explorer: Explorer) -> None:
        super().__init__()
        self.name = name
        self.text = ""
        self._explorer = explorer
        self._show()
        # at the refresh's start: the guide changes at once, the views take their time
        explorer.observe_account(self._show, before=True)

    def _show(self) -> None:
        text = guide_text(self.name, str(self._explorer.language))
        if text != self.text:
            self.text = text
            self.outputs = ({"output_type": "display_data", "metadata": {},
                             "data": {"text/markdown": text, "text/plain": text}},)
