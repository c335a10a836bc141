"""Chart modes: every chart carries a Vega spec JupyterLab draws without trusting the notebook;
"svg" adds the static SVG the reports show; no output holds a script."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import nbformat
import pandas as pd
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


def _gradient_chart(low: str, high: str) -> dict:
    """A Vega-Lite spec whose SVG has a colour gradient (its legend's), as the contact
    matrix's has."""
    return alt.Chart(pd.DataFrame({"x": ["a", "b"], "v": [1.0, 2.0]})).mark_rect().encode(
        x="x:N", color=alt.Color("v:Q", scale=alt.Scale(range=[low, high]))).to_dict()


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_charts_svg_ids_are_its_own_whatever_was_drawn_before() -> None:
    """Vega numbers gradients per process (``gradient_7`` after seven): a chart's SVG names
    its ids after the chart, so the same chart gives the same SVG in any kernel, and two
    charts on one notebook page do not share an id (a ``url(#id)`` is looked up in the
    whole page)."""
    import re

    from kamkit.charts.render import chart_bundle

    def svg(spec: dict) -> str:
        return chart_bundle(spec)[0]["image/svg+xml"]

    first = svg(_gradient_chart("#eeeeee", "#123456"))
    other = svg(_gradient_chart("#ffeedd", "#654321"))
    assert svg(_gradient_chart("#eeeeee", "#123456")) == first  # after another gradient
    ids = re.findall(r'\bid="([^"]*)"', first)
    assert ids and all(re.fullmatch(r"gradient_\d{13}", i) for i in ids)
    assert set(re.findall(r"url\(#([^)]*)\)", first)) <= set(ids)
    assert not set(ids) & set(re.findall(r'\bid="([^"]*)"', other))


def test_the_report_numbers_a_charts_ids_from_0() -> None:
    from kamkit.batch.convert import _own_ids
    from kamkit.charts.svg import chart_ids

    drawn = ('<svg><defs><linearGradient id="gradient_7"/><linearGradient id="gradient_9"/>'
             '</defs><path fill="url(#gradient_9)"/><path fill="url(#gradient_7)"/></svg>')
    named = chart_ids(drawn)
    assert "gradient_7" not in named and named != drawn
    assert _own_ids(named, 2) == _own_ids(drawn, 2) == (
        '<svg><defs><linearGradient id="kk2-gradient_0"/><linearGradient id="kk2-gradient_1"/>'
        '</defs><path fill="url(#kk2-gradient_1)"/><path fill="url(#kk2-gradient_0)"/></svg>')
    assert chart_ids("<svg><rect/></svg>") == "<svg><rect/></svg>"


_MEASURED = """
import json, os, re, sys
import vl_convert
if sys.argv[1] == "kamkit":
    from kamkit.charts.svg import bundled_fonts
    bundled_fonts()
probe = {"autosize": "pad", "width": 0, "height": 0, "marks": [{"type": "text", "encode": {
    "enter": {"text": {"value": "kamkit measures this text"}, "font": {"value": "DejaVu Sans"}}}}]}
svg = vl_convert.vega_to_svg(probe)
print(json.dumps([re.search(r'<svg[^>]*width="([^"]*)"', svg)[1],
                  os.environ.get("FONTCONFIG_FILE")]))
"""


@pytest.mark.slow  # three fresh interpreters, each loading vl-convert and its fonts
def test_text_is_measured_with_vl_converts_own_fonts_not_the_machines(tmp_path: Path) -> None:
    """The SVG does not depend on the fonts installed, and measuring text does not open a
    font file each time (``bundled_fonts``): a machine font (DejaVu Sans here, named by the
    chart) is not used, as it is by vl-convert left alone; the environment is as it was."""
    import json
    import os
    import shutil
    import subprocess
    import sys

    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not font.is_file():
        pytest.skip("needs DejaVu Sans at /usr/share/fonts/truetype/dejavu")
    (tmp_path / "fonts").mkdir()
    shutil.copy(font, tmp_path / "fonts")

    def measured(how: str, folder: Path) -> tuple[float, str]:
        config = tmp_path / f"{folder.name}.conf"
        config.write_text(f"<fontconfig><dir>{folder}</dir></fontconfig>", encoding="utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(config)}
        out = subprocess.run([sys.executable, "-c", _MEASURED, how], env=env, check=True,
                             capture_output=True, text=True).stdout
        width, after = json.loads(out)
        assert after == str(config)  # kamkit put the machine's configuration back
        return float(width), after

    machine, _ = measured("vl-convert", tmp_path / "fonts")
    bundled, _ = measured("vl-convert", tmp_path / "none")
    assert machine != bundled  # the font is there to be found
    assert measured("kamkit", tmp_path / "fonts")[0] == bundled


@pytest.mark.sample(1)  # MAAS: both reports, every chart validated twice (conftest.py)
@pytest.mark.parametrize("account", ["MAAS", "VDIJK"])
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_chart_spec_is_altairs_own_spec_of_every_report_chart(account: str) -> None:
    """``chart_spec`` copies charts more cheaply than Altair while it makes their specs: the
    specs are Altair's own, key order included, and the charts are left as they were."""
    import json

    from demo_reports import report

    from kamkit.report.analysis import AnalysisReport
    from kamkit.report.plan import PlanReport

    charts = [block for kind in (AnalysisReport, PlanReport)
              for built in [report(kind, account, "nl")] for key in built.SECTIONS
              for block in built.section(key).blocks if isinstance(block, alt.TopLevelMixin)]
    assert len(charts) >= 10
    context = {"pre_transform": False}
    for chart in charts:
        altairs = json.dumps(chart.to_dict(context=context))
        assert json.dumps(chart_spec(chart)) == altairs
        assert json.dumps(chart.to_dict(context=context)) == altairs  # the chart unchanged


@pytest.mark.slow  # the fast tier's rule: no line cheaper fast tests miss
def test_built_copies_charts_by_chart_and_makes_altairs_own_charts() -> None:
    """While a chart function runs (``built``), Altair's layered and concatenated charts copy
    their parts by chart: the charts made are Altair's own, key order included, with and
    without parameters (those are copied in full); the charts given are left as they were,
    and Altair's copy is back afterwards."""
    import json

    from altair.utils.schemapi import SchemaBase

    from kamkit.charts.common import built

    def make(params: bool) -> tuple[alt.HConcatChart, alt.Chart]:
        data = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
        base = alt.Chart(data).encode(x="a:Q", y="b:N")
        # one DataFrame (moved up to the layered chart), a size (moved up too)
        points = base.mark_point().properties(width=100)
        if params:
            points = points.add_params(alt.selection_point(name="pick"))
        layered = alt.layer(points, base.mark_text().encode(text="b:N"))
        rule = alt.Chart(pd.DataFrame({"a": [3]})).mark_rule().encode(x="a:Q")
        return alt.hconcat(layered, layered.properties(title="again"), rule,
                           spacing=4), points

    copy = SchemaBase.copy
    for params in (False, True):
        altairs, points = make(params)
        before = json.dumps(points.to_dict())
        ours, points = built(make)(params)
        assert json.dumps(ours.to_dict()) == json.dumps(altairs.to_dict())
        assert json.dumps(points.to_dict()) == before
    assert SchemaBase.copy is copy
