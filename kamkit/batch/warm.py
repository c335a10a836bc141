"""What a kernel of a run does once started, before its first notebook: the work every
kernel does once, whatever it renders, done while the run still measures the portfolio
(the kernels are started ahead and waited for it) rather than in its first report, which
took about 1.5 s of CPU more than the next ones.

Nothing here changes what a report shows: vl-convert compiles and draws a chart of its
own (its JavaScript engine and fonts started, ``charts.svg.bundled_fonts`` first; the ids
of a report's SVG do not depend on what was drawn before, ``charts.svg.chart_ids``), and
babel reads its locale data of the run's languages (``currency.symbol``). A warm-up that
fails is left at that: the first report then does that work, and says what is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress

_CHART = {"data": {"values": [{"a": 1, "b": "x"}]}, "mark": "bar",
          "encoding": {"x": {"field": "a", "type": "quantitative", "title": "a"},
                       "y": {"field": "b", "type": "nominal"}}}
"""A Vega-Lite chart with text (axis labels and titles: vl-convert reads its fonts at the
first text it measures)."""


def warm_up(languages: Sequence[str]) -> None:
    """Start vl-convert and read babel's data of ``languages`` in this process (a kernel
    of ``kamkit run``); errors are ignored."""
    from babel import Locale

    from kamkit.charts.render import vega_spec
    from kamkit.charts.svg import drawn

    with suppress(Exception):  # the first chart starts it
        drawn(vega_spec(_CHART))
    for language in languages:
        with suppress(Exception):  # a language babel does not know: reports show the code
            Locale.parse(str(language)).currency_symbols  # noqa: B018  (read for its data)


def code(languages: Sequence[str]) -> str:
    """``warm_up`` as code for a kernel's prelude."""
    return f"from kamkit.batch.warm import warm_up\nwarm_up({list(map(str, languages))!r})\n"
