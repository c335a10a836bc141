"""What a kernel of a run does once started, before its first notebook: the work every
kernel does once, whatever it renders, done while the run still measures the portfolio
(the kernels are started ahead and waited for it) rather than in its first report, which
took about 1.3 s of CPU more than the next ones.

Nothing here changes what a report shows: vl-convert compiles and draws a chart of its
own, of the kinds the reports draw (its JavaScript engine warmed up and its fonts read,
``charts.svg.bundled_fonts`` first; the ids of a report's SVG do not depend on what was
drawn before, ``charts.svg.chart_ids``); babel reads its locale data of the run's
languages (``currency.symbol``); the chart shapes validated by earlier processes are read
(``charts.validated``); and what the kernel holds is then frozen for the garbage
collector. A warm-up that fails is left at that: the first report then does that work,
and says what is wrong.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from contextlib import suppress

_ROWS = [{"a": 1.5, "b": "x", "c": "2026-01-01", "d": "p"},
         {"a": -2.0, "b": "y", "c": "2026-04-01", "d": "q"}]
_CHART = {
    "data": {"values": _ROWS}, "title": {"text": "a", "subtitle": "b"},
    "vconcat": [
        {"layer": [
            {"mark": {"type": "bar", "tooltip": True},
             "encoding": {"x": {"field": "a", "type": "quantitative", "title": "a",
                                "axis": {"format": ",.0f", "labelExpr": "datum.label"}},
                          "y": {"field": "b", "type": "nominal"},
                          "color": {"field": "d", "type": "nominal"},
                          "tooltip": [{"field": "a", "type": "quantitative",
                                       "format": ",.1f"}, {"field": "b"}]}},
            {"mark": {"type": "text", "align": "left", "dx": 3, "limit": 60},
             "encoding": {"x": {"field": "a", "type": "quantitative"},
                          "y": {"field": "b", "type": "nominal"},
                          "text": {"field": "a", "type": "quantitative", "format": ",.0f"}}},
            {"mark": "rule", "encoding": {"x": {"datum": 0}}}]},
        {"hconcat": [
            {"layer": [
                {"mark": {"type": "line", "point": True},
                 "encoding": {"x": {"field": "c", "type": "temporal",
                                    "axis": {"format": "%b %Y"}},
                              "y": {"field": "a", "type": "quantitative"}}},
                {"mark": "circle", "transform": [{"filter": "datum.a > 0"}],
                 "encoding": {"x": {"field": "c", "type": "temporal"},
                              "y": {"field": "a", "type": "quantitative"},
                              "size": {"field": "a", "type": "quantitative"}}}]},
            {"layer": [
                {"mark": "rect", "encoding": {
                    "x": {"field": "b", "type": "nominal"},
                    "y": {"field": "d", "type": "ordinal"},
                    "color": {"field": "a", "type": "quantitative",
                              "legend": {"orient": "bottom"}}}},
                {"mark": {"type": "text", "baseline": "middle"}, "encoding": {
                    "x": {"field": "b", "type": "nominal"},
                    "y": {"field": "d", "type": "ordinal"},
                    "text": {"field": "b", "type": "nominal"}}}]}]}]}
"""A Vega-Lite chart of the kinds of marks, axes, legends and texts the reports draw: what
vl-convert compiles and draws for the first time is slower (about 0.25 s of CPU in the
first report's charts); text makes it read its fonts (at the first text it measures)."""


def _drawn_as_reports_draw(language: str) -> None:
    """A small chart of a DataFrame made, finished and drawn as a report's are, in
    ``language``: Altair's and narwhals' first use, the language's chart locale."""
    import altair as alt
    import pandas as pd

    from kamkit.charts.common import Chart, built, finish
    from kamkit.charts.render import chart_bundle, chart_spec

    @built
    def chart() -> Chart:
        bars = alt.Chart().mark_bar().encode(x="a:Q", y="b:N", tooltip=["a:Q", "b:N"])
        return finish(alt.layer(bars, bars.mark_text(dx=3).encode(text="a:Q"),
                                data=pd.DataFrame({"a": [1.5, -2.0], "b": ["x", "y"]})),
                      language, "a", "b")

    chart_bundle(chart_spec(chart()))


def warm_up(languages: Sequence[str]) -> None:
    """Start vl-convert, read babel's data of ``languages``, kamkit's labels and the chart
    shapes validated before (``charts.validated``), import the account reports and make a
    chart as they do in this process (a kernel of ``kamkit run``), then move what it holds
    out of the garbage collector's sight (``gc.freeze``, as the kernel's reset between
    notebooks does: else the first report's collections scan it all); errors are
    ignored."""
    from babel import Locale

    from kamkit.charts import validated
    from kamkit.charts.render import vega_spec
    from kamkit.charts.svg import drawn
    from kamkit.labels import labels

    validated.read()
    with suppress(Exception):  # the first chart starts it
        drawn(vega_spec(_CHART))
    labels()
    for language in languages:
        with suppress(Exception):  # a language babel does not know: reports show the code
            Locale.parse(str(language)).currency_symbols  # noqa: B018  (read for its data)
        with suppress(Exception):  # a language kamkit does not know: the report says so
            _drawn_as_reports_draw(str(language))
    with suppress(Exception):
        import kamkit.report.analysis
        import kamkit.report.plan  # noqa: F401  (imported for the reports)
    gc.collect()
    gc.freeze()


def code(languages: Sequence[str]) -> str:
    """``warm_up`` as code for a kernel's prelude."""
    return f"from kamkit.batch.warm import warm_up\nwarm_up({list(map(str, languages))!r})\n"
