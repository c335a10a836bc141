"""Chart modes: every chart carries a Vega spec JupyterLab draws without trusting the notebook;
"svg" adds the static SVG the reports show; no output holds a script."""

from __future__ import annotations

import altair as alt
import nbformat
import pytest

from kamkit import KamkitError
from kamkit.charts.render import VEGA_MIMETYPE, use_charts


def chart() -> alt.Chart:
    return alt.Chart(alt.Data(values=[{"a": 1, "b": "</script><b>x</b>"}])).mark_point().encode(
        x="a:Q", tooltip="b:N").properties(title="Points")


def shown(mode: str) -> tuple[dict, dict]:
    use_charts(mode)
    try:
        data, metadata = chart()._repr_mimebundle_()
    finally:
        use_charts("svg")
    # what a notebook stores must be a valid output (Altair 6's own v6 mimetype is not)
    nbformat.validate(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("display_data", data=data, metadata=metadata)])]))
    return data, metadata


@pytest.mark.parametrize("mode", ["svg", "interactive"])
def test_every_mode_sends_a_vega_spec_and_no_script(mode: str) -> None:
    data, metadata = shown(mode)
    vega = data[VEGA_MIMETYPE]
    assert vega["$schema"].endswith("/vega/v5.json")  # compiled: Vega, not Vega-Lite
    assert any(mark["type"] == "symbol" for mark in vega["marks"])
    assert data["text/plain"] == "<chart: Points>"  # not alt.Chart(...)
    assert not {"text/html", "application/javascript"} & set(data)
    assert metadata[VEGA_MIMETYPE]["embed_options"]["actions"]["editor"] is False


def test_svg_mode_adds_the_drawing_reports_show() -> None:
    data, _ = shown("svg")
    assert data["image/svg+xml"].startswith("<svg") and "Points" in data["image/svg+xml"]


def test_interactive_mode_sends_the_spec_only_and_every_chart_alike() -> None:
    first, _ = shown("interactive")
    second, _ = shown("interactive")
    assert "image/svg+xml" not in first
    assert first == second  # no state carried from one chart to the next


def test_unknown_mode() -> None:
    with pytest.raises(KamkitError, match="Unknown chart mode"):
        use_charts("png")
