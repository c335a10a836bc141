"""The workbench's own CSS, for what a widget's layout cannot say: tab labels as wide as their
text, the tabs wrapping onto a second line where the notebook is narrow (JupyterLab shrinks
tabs to the width of the bar and cuts their labels: "Relationsh", "Change lo"), and buttons
as wide as their labels ("Laatste wijzigi…" was cut at ipywidgets' fixed 148 px).

Shown as a ``<style>`` in an HTML widget next to the widgets it styles; the rules apply only
to elements with a ``kk-`` class, so nothing else in the notebook changes.
"""

from __future__ import annotations

import ipywidgets as widgets

from kamkit.labels import t

CSS = """
.jupyter-widgets.widget-tab.kk-tabs > .lm-TabBar .lm-TabBar-content,
.jupyter-widgets.widget-tab.kk-tabs > .p-TabBar .p-TabBar-content { flex-wrap: wrap; }
.jupyter-widgets.widget-tab.kk-tabs > .lm-TabBar .lm-TabBar-tab,
.jupyter-widgets.widget-tab.kk-tabs > .p-TabBar .p-TabBar-tab {
  flex: 0 0 auto; min-width: 0; max-width: none;
}
.jupyter-widgets.widget-tab.kk-tabs > .lm-TabBar .lm-TabBar-tabLabel,
.jupyter-widgets.widget-tab.kk-tabs > .p-TabBar .p-TabBar-tabLabel {
  overflow: visible; text-overflow: clip;
}
.jupyter-widgets.widget-tab.kk-tabs > .lm-TabBar,
.jupyter-widgets.widget-tab.kk-tabs > .p-TabBar { height: auto; overflow: visible; }
.kk-widgets .jupyter-widgets.jupyter-button { width: auto; min-width: 40px; }
.kk-widgets .widget-vbox > .jupyter-widgets.jupyter-button { align-self: flex-start; }
.kk-widgets .kk-stale { opacity: 0.35; pointer-events: none; user-select: none; }
"""


def style() -> widgets.HTML:
    """The CSS as a widget to put beside the workbench's widgets (it shows nothing)."""
    sheet = widgets.HTML(f"<style>{CSS}</style>", layout=widgets.Layout(height="0px",
                                                                         margin="0px"))
    sheet.add_class("kk-style")
    return sheet


def styled(widget: widgets.DOMWidget) -> None:
    """Give ``widget`` and what it holds the workbench's CSS (buttons as wide as their
    labels)."""
    widget.add_class("kk-widgets")


def tabs(**kwargs: object) -> widgets.Tab:
    """A Tab whose labels are never cut (``CSS``)."""
    tab = widgets.Tab(**kwargs)
    tab.add_class("kk-tabs")
    return tab


def titled(label: str, problems: int, language: str) -> str:
    """A tab's title: ``label`` with the count of the ``problems`` the tab shows ("Actions
    (2 problems)", as a pager marks a page), also while it was never shown."""
    return t("wb.tab_problems", language, title=label, count=problems) if problems else label


def set_titles(tab: widgets.Tab, titles: list[str]) -> None:
    """Give ``tab`` these titles, in one message to the browser when any changed."""
    if list(tab.titles) != titles:
        tab.titles = tuple(titles)
