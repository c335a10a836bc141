"""Chart modes: every chart carries a Vega spec JupyterLab draws without trusting the notebook;
"svg" adds the static SVG the reports show; no output holds a script."""

from __future__ import annotations

import altair as alt
import nbformat
import pytest
from altair.utils.schemapi import SchemaValidationError, debug_mode

from kamkit import KamkitError
from kamkit.charts.render import VEGA_MIMETYPE, Shown, chart_spec, use_charts


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


def _tooltips_shown(vega: dict, rows: list[dict]) -> list[dict[str, str]]:
    """What the first mark's tooltip says for each of ``rows``, worked out by Vega itself:
    the tooltip's expression drawn as the text of a mark, to SVG by vl-convert."""
    import html
    import json
    import re

    import vl_convert

    signal = vega["marks"][0]["encode"]["update"]["tooltip"]["signal"]
    probe = {"$schema": "https://vega.github.io/schema/vega/v5.json", "width": 10,
             "height": 10, "config": vega.get("config", {}),  # the language's numbers
             "data": [{"name": "rows", "values": rows}],
             "marks": [{"type": "text", "from": {"data": "rows"}, "encode": {"update": {
                 "text": {"signal": f"'@@' + toString(({signal})['V']) + '|' + "
                                    f"({signal})['S'] + '|' + ({signal})['D'] + '@@'"}}}}]}
    svg = vl_convert.vega_to_svg(json.dumps(probe))
    found = re.findall(r"@@(.*?)@@", html.unescape(svg))
    return [dict(zip(("V", "S", "D"), text.split("|"), strict=True)) for text in found]


@pytest.mark.parametrize(("language", "word"), [("en", "n/a"), ("nl", "n.b.")])
def test_a_tooltip_says_a_figure_is_missing_in_the_language(language: str, word: str) -> None:
    """Vega-Lite writes a missing text as "null", a missing number as 0 and a missing date
    as 1 January 1970: the tooltips of kamkit's charts say the language's missing word."""
    import pandas as pd

    from kamkit.charts.common import finish
    from kamkit.charts.render import vega_spec

    frame = pd.DataFrame({"a": ["x", "y"], "v": [1234.5, None], "s": ["text", None],
                          "d": pd.to_datetime(["2024-03-01", None])})
    chart = finish(alt.Chart(frame).mark_bar().encode(
        x="a:N", y="v:Q", tooltip=[alt.Tooltip("v:Q", format=",.0f", title="V"),
                                  alt.Tooltip("s:N", title="S"),
                                  alt.Tooltip("d:T", format="%Y", title="D")]), language)
    rows = [{"v": 1234.5, "s": "text", "d": 1709251200000}, {"v": None, "s": None, "d": None}]
    known, missing = _tooltips_shown(vega_spec(chart.to_dict()), rows)
    assert known == {"V": "1,235" if language == "en" else "1.235", "S": "text", "D": "2024"}
    assert missing == {"V": word, "S": word, "D": word}


def test_a_report_chart_shows_what_altair_would() -> None:
    """``Shown`` (what report sections display) gives Altair's own display data."""
    assert Shown(chart())._repr_mimebundle_() == chart()._repr_mimebundle_()
    assert Shown.of("<p>text</p>") == "<p>text</p>"  # HTML blocks are shown as they are


def points(colour: object) -> alt.Chart:
    return alt.Chart(alt.Data(values=[{"a": 1}])).mark_point(color=colour).encode(x="a:Q")


def test_chart_spec_validates_each_new_shape_of_spec() -> None:
    """A spec of a shape not seen before is validated in full; one of a known shape (other
    values of the same types) is not validated again, and is the same spec as to_dict()."""
    with debug_mode(False):  # as the chart functions build (common.built)
        assert chart_spec(points("#123456")) == points("#123456").to_dict()
        assert chart_spec(points("#654321")) == points("#654321").to_dict()
        with pytest.raises(SchemaValidationError):  # a number where a colour goes: new shape
            chart_spec(points(12))
        with pytest.raises(SchemaValidationError):  # still invalid the second time
            chart_spec(points(12))
