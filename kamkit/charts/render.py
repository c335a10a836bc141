"""How charts are drawn in a notebook.

"svg" (the default) renders each chart to SVG inside the kernel with vl-convert: the
output needs no JavaScript, shows the same in JupyterLab, in an exported report, offline
and behind any proxy, and prints. "interactive" keeps tooltips: HTML with the Vega
JavaScript inlined per chart (no CDN request either), heavier, for exploring in JupyterLab.

Altair's mimetype renderer is not used: Altair 6 emits ``application/vnd.vegalite.v6.json``,
which JupyterLab 4 does not draw and nbformat rejects as an output.
"""

from __future__ import annotations

import altair as alt

from kamkit.errors import KamkitError

CHART_MODES = ("svg", "interactive")


def use_charts(mode: str) -> None:
    """Draw the following charts as ``mode`` (one of ``CHART_MODES``)."""
    if mode == "svg":
        alt.renderers.enable("svg")
    elif mode == "interactive":
        alt.renderers.enable("html", template="inline")
    else:
        raise KamkitError(f"Unknown chart mode {mode!r}: use one of {', '.join(CHART_MODES)}.")
