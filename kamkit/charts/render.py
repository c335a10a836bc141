"""How charts are drawn in a notebook.

"svg" (the default) renders each chart to SVG inside the kernel with vl-convert: the
output needs no JavaScript, shows the same in JupyterLab, in an exported report, offline
and behind any proxy, and prints. "interactive" keeps tooltips: each chart is drawn in the
page by Vega, whose JavaScript (from vl-convert, about 0.9 MB, no CDN request) is put into
the first chart's output after ``use_charts`` and shared by the charts after it.

Altair's mimetype renderer is not used: Altair 6 emits ``application/vnd.vegalite.v6.json``,
which JupyterLab 4 does not draw and nbformat rejects as an output. Nor is its "inline"
HTML template: it repeats the bundle in every chart and declares ``const spec`` at the top
level, so a second chart on the same page fails to draw.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import altair as alt

from kamkit.errors import KamkitError

CHART_MODES = ("svg", "interactive")
_RENDERER = "kamkit-interactive"
_bundle_sent = False


def _interactive(spec: dict[str, Any], **_: object) -> dict[str, str]:
    """A chart as HTML that draws itself with the page's Vega, sending Vega once."""
    global _bundle_sent
    import vl_convert

    div = f"kamkit-chart-{uuid.uuid4().hex}"
    bundle = ""
    if not _bundle_sent:
        bundle = f"<script>{vl_convert.javascript_bundle()}</script>"
        _bundle_sent = True
    # json.dumps output is safe inside a script once "</" cannot close it
    payload = json.dumps(spec).replace("</", "<\\/")
    html = (f'{bundle}<div id="{div}"></div><script>(function () {{'
            f'vegaEmbed("#{div}", {payload}, {{"actions": false}}).catch(console.error);'
            "})();</script>")
    return {"text/html": html, "text/plain": "<chart>"}


alt.renderers.register(_RENDERER, _interactive)


def use_charts(mode: str) -> None:
    """Draw the following charts as ``mode`` (one of ``CHART_MODES``)."""
    global _bundle_sent
    if mode == "svg":
        alt.renderers.enable("svg")
    elif mode == "interactive":
        _bundle_sent = False
        alt.renderers.enable(_RENDERER)
    else:
        raise KamkitError(f"Unknown chart mode {mode!r}: use one of {', '.join(CHART_MODES)}.")
