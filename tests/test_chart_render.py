"""Chart modes: static SVG by default; interactive charts share one Vega bundle per run."""

from __future__ import annotations

import altair as alt
import pytest

from kamkit import KamkitError
from kamkit.charts.render import use_charts


def chart() -> alt.Chart:
    return alt.Chart(alt.Data(values=[{"a": 1, "b": "</script><b>x</b>"}])).mark_point().encode(
        x="a:Q", tooltip="b:N")


def test_svg_mode_draws_in_the_kernel() -> None:
    use_charts("svg")
    bundle = chart()._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert "<svg" in data["image/svg+xml"]


def test_interactive_mode_sends_vega_once_and_escapes_the_spec() -> None:
    use_charts("interactive")
    try:
        outputs = []
        for _ in range(3):
            bundle = chart()._repr_mimebundle_()
            outputs.append((bundle[0] if isinstance(bundle, tuple) else bundle)["text/html"])
        assert "vegaEmbed" in outputs[0] and len(outputs[0]) > 100_000  # the bundle
        assert all(len(o) < 5_000 for o in outputs[1:])  # only the spec and a call
        assert all("</script><b>" not in o for o in outputs)  # data cannot close the script
        use_charts("interactive")  # a new report sends the bundle again
        again = chart()._repr_mimebundle_()
        assert len((again[0] if isinstance(again, tuple) else again)["text/html"]) > 100_000
    finally:
        use_charts("svg")


def test_unknown_mode() -> None:
    with pytest.raises(KamkitError, match="Unknown chart mode"):
        use_charts("png")
