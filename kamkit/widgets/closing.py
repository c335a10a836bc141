"""Closing the widgets the workbench replaces, so that a kernel holds only what is shown.

ipywidgets keeps every widget it ever made alive in the kernel until it is closed: a form
rebuilt after each save, the editors of the account before and the workbench a notebook
made before Run All went on living, thousands of widgets per save. A page that connects to
that kernel later (the notebook opened again after its browser tab was closed) asks for the
state of all of them; with tens of thousands that answer is late, JupyterLab's widget manager
falls back to asking widget by widget, and the flood of replies overruns the kernel's IOPub
queue: messages are dropped (an ``idle`` status, the new editors' ``comm_open``), the page
shows the kernel busy for good and the edit area empty.
"""

from __future__ import annotations

from collections.abc import Iterable

import ipywidgets as widgets


def held(widget: widgets.Widget) -> list[widgets.Widget]:
    """The widgets ``widget`` refers to in its synced state (children, layout, style...)."""
    found: list[widgets.Widget] = []
    for name in widget.keys:
        value = getattr(widget, name, None)
        for item in value if isinstance(value, list | tuple) else (value,):
            if isinstance(item, widgets.Widget):
                found.append(item)
    return found


def close_tree(*roots: widgets.Widget | None, keep: Iterable[widgets.Widget] = ()) -> int:
    """Close ``roots`` and every widget they hold, but for ``keep`` (and what only they
    hold): widgets that stay shown elsewhere. The number of widgets closed."""
    seen = {id(widget) for widget in keep}
    stack = [root for root in roots if root is not None]
    closed = 0
    while stack:
        widget = stack.pop()
        if id(widget) in seen:
            continue
        seen.add(id(widget))
        stack.extend(held(widget))
        if widget.comm is not None:
            widget.close()
            closed += 1
    return closed
