"""How charts are shown in a notebook.

Every chart output carries the chart as a Vega spec, ``application/vnd.vega.v5+json``,
compiled from Altair's Vega-Lite by vl-convert in the kernel. JupyterLab draws that mimetype
itself with the Vega it bundles (``@jupyterlab/vega5-extension``): offline, with tooltips,
and also in a notebook it does not trust, because that renderer is marked safe, while its
renderers for ``image/svg+xml`` and for scripts are not (``packages/rendermime/src/
factories.ts``). So a notebook made by papermill or ``kamkit run`` shows its charts as soon
as it is opened, and the output holds no script: a chart survives re-running one cell,
saving, reopening and reloading the page.

- "svg" (the default) adds the chart drawn to SVG by vl-convert: what the HTML reports of
  ``kamkit run`` show (nbconvert ignores the Vega mimetype), and what prints.
- "interactive" sends the Vega spec only: less work in the kernel and smaller notebooks, the
  same charts in JupyterLab; an HTML export shows no chart.

Altair's own mimetype renderer is not used: Altair 6 emits ``application/vnd.vegalite.v6.json``,
which JupyterLab 4 does not draw and nbformat rejects as an output. Vega-Lite is compiled here
rather than sent as ``application/vnd.vegalite.v5+json`` because JupyterLab bundles
Vega-Lite 5.6, older than the specs Altair writes; a compiled spec depends only on the Vega
runtime, whose spec format has not changed from 5 to 6.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from html import escape
from typing import Any

import altair as alt
import narwhals.stable.v1 as nw
import pandas as pd
from altair.utils import schemapi
from altair.vegalite.v6.schema import channels

from kamkit.charts import validated
from kamkit.charts.common import copying_charts
from kamkit.charts.svg import drawn
from kamkit.charts.values import records
from kamkit.errors import KamkitError

CHART_MODES = ("svg", "interactive")
VEGA_MIMETYPE = "application/vnd.vega.v5+json"
"""The Vega mimetype JupyterLab 4 draws (its Vega 5 runtime draws vl-convert's Vega 6 specs)."""
VEGA_SCHEMA = "https://vega.github.io/schema/vega/v5.json"
EMBED_OPTIONS: dict[str, Any] = {
    "renderer": "svg",  # sharp when printed or zoomed
    # save as SVG or PNG; no "open in the Vega editor", which is a website
    "actions": {"export": True, "source": False, "compiled": False, "editor": False},
}
"""vega-embed options, which JupyterLab reads from the output's metadata."""


_FIELD = r'datum(?:\["(?:[^"\\]|\\.)*"\])+'
"""A field in a Vega expression as Vega-Lite writes it: ``datum["revenue"]``."""
_FORMATTED = re.compile(rf'\b(format|timeFormat|utcFormat)\(({_FIELD}), ("(?:[^"\\]|\\.)*")\)')
_AS_TEXT = re.compile(rf'""\+({_FIELD})')


def missing_in_tooltips(vega: dict[str, Any], missing: str) -> dict[str, Any]:
    """``vega`` (compiled by Vega-Lite) with its tooltips showing ``missing`` for a missing
    value: Vega-Lite's tooltips write a missing text as "null" and format a missing number
    as 0 and a missing date as 1 January 1970, wrong figures."""
    word = json.dumps(missing)

    def valid(match: re.Match[str]) -> str:
        function, field, pattern = match.groups()
        test = f"isValid({field})" + (f" && isFinite({field})" if function == "format"
                                      else "")
        return f"({test} ? {function}({field}, {pattern}) : {word})"

    def walk(node: Any, tooltip: bool = False) -> Any:
        if isinstance(node, dict):
            if tooltip and isinstance(node.get("signal"), str):
                signal = _AS_TEXT.sub(word, _FORMATTED.sub(valid, node["signal"]))
                return {**node, "signal": signal}
            return {key: walk(value, tooltip or key == "tooltip")
                    for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item, tooltip) for item in node]
        return node

    result = walk(vega)
    assert isinstance(result, dict)
    return result


def vega_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A Vega-Lite spec (``Chart.to_dict()``) compiled to the Vega spec JupyterLab draws;
    its tooltips show the word for a missing figure that ``kamkit.charts.common.finish``
    puts in the spec's ``usermeta`` (``missing_in_tooltips``)."""
    import vl_convert
    from altair.utils._importers import vl_version_for_vl_convert

    vega = vl_convert.vegalite_to_vega(spec, vl_version=vl_version_for_vl_convert())
    missing = (spec.get("usermeta") or {}).get("kamkit", {}).get("missing")
    if isinstance(missing, str):
        vega = missing_in_tooltips(vega, missing)
    # vega-embed warns when the schema's major version is not the runtime's
    return {**vega, "$schema": VEGA_SCHEMA}


def chart_title(spec: dict[str, Any]) -> str:
    """The title of a Vega or Vega-Lite spec as one line ("" without a title)."""
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(map(str, title))
    return str(title) if title else ""


def _title(spec: dict[str, Any]) -> str:
    title = chart_title(spec)
    return f"<chart: {title}>" if title else "<chart>"


_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_INNER_ROLES = re.compile(r' (?:role|aria-roledescription)="[^"]*"')


def accessible_svg(svg: str, vega: dict[str, Any]) -> str:
    """The SVG of a chart as one image for assistive technology: ``role="img"``, named by
    a ``<title>`` (the chart's title) and described by a ``<desc>`` (its description, what
    it shows and the main figure). vl-convert's SVG has neither."""
    title, description = chart_title(vega), str(vega.get("description") or "")
    parts = (f"<title>{escape(title or description)}</title>" if title or description else ""
             ) + (f"<desc>{escape(description)}</desc>" if description else "")
    inner = _INNER_ROLES.sub("", svg)  # the parts of one image have no roles of their own
    return _SVG_OPEN.sub(lambda m: m[0][:-1] + ' role="img">' + parts, inner, count=1)


_ALTAIRS_PARSE = channels.parse_shorthand


class _Once:
    """Results of a function of one DataFrame (and other, hashable arguments), each made
    once while one spec is made: the layers of a chart often draw on one DataFrame that
    Altair cannot move up to their parent (another layer has other data), and Altair
    converts it again for each layer and looks up each channel's field type in it again.
    A DataFrame is known by its identity (under its narwhals wrapper, which Altair makes
    anew for each layer) and kept meanwhile, so that its id is not reused; the charts do
    not change their data while their spec is made."""

    def __init__(self, make: Callable[..., Any]) -> None:
        self.make = make
        self.kept: dict[Hashable, tuple[object, Any]] = {}

    def __call__(self, data: object, *rest: Hashable) -> Any:
        native = nw.to_native(data, pass_through=True)
        key = (id(native), rest)
        kept = self.kept.get(key)
        if kept is None or kept[0] is not native:
            kept = self.kept[key] = (native, self.make(data, *rest))
        return kept[1]


def _shorthand_parser() -> Callable[..., dict[str, Any]]:
    """``parse_shorthand`` with its result for a field and a DataFrame kept (``_Once``),
    handed out as a copy (Altair changes it)."""
    once = _Once(lambda data, shorthand: _ALTAIRS_PARSE(shorthand, data=data))

    def parse(shorthand: Any, data: Any = None, **options: Any) -> dict[str, Any]:
        if options or not isinstance(shorthand, str):
            return _ALTAIRS_PARSE(shorthand, data, **options)
        return copy.deepcopy(once(data, shorthand))

    return parse


_ALTAIRS_TODICT = schemapi._todict
_LEAVES = frozenset({str, int, float, bool, type(None)})
"""The types of value Altair's ``_todict`` hands back as they are, after asking whether each
is a ``SchemaLike``: a runtime protocol, whose test took a tenth of the time of a spec."""


def _todict(obj: Any, context: dict[str, Any] | None, np_opt: Any, pd_opt: Any) -> Any:
    """Altair's ``_todict`` (a spec's part as JSON values), without its tests for a plain
    value (exactly one of ``_LEAVES``: a NumPy float, a float too, is Altair's to convert)."""
    return obj if type(obj) in _LEAVES else _ALTAIRS_TODICT(obj, context, np_opt, pd_opt)


def _values_maker(transform: Callable[[Any], Any], active: str, options: dict[str, Any]
                  ) -> Callable[[Any], Any]:
    """``transform`` (the active data transformer), except that where it is Altair's
    default a pandas DataFrame's values are made by ``records``: the same values."""
    if active != "default":
        return transform
    max_rows = options.get("max_rows", 5000)  # Altair's default's default

    def values(data: Any) -> Any:
        native = nw.to_native(data, pass_through=True)
        if isinstance(native, pd.DataFrame) and (max_rows is None or len(native) <= max_rows):
            made = records(native)
            if made is not None:
                return {"values": made}
        return transform(data)  # Altair's own, which also says why it cannot

    return values


@contextmanager
def _making_specs() -> Iterator[None]:
    """Altair doing less of the same work for a while, with the same specs (the tests
    compare ``chart_spec`` with ``to_dict`` of every report chart):

    - ``to_dict`` copies every chart it meets shallowly, to set its data on the copy and
      leave the chart alone, and Altair's copy remade the chart (not ``chart_copy``, the
      copy meanwhile): that was a third of the time of making a report's specs;
    - each DataFrame is converted to values by the active data transformer once, however
      many layers draw on it, and each channel's field type is looked up in it once
      (``_Once``): half the conversions of a report's specs repeated one made before;
    - a pandas DataFrame is converted by ``records`` rather than by Altair's default
      transformer, with pandas operations per column (``_values_maker``);
    - a plain value (text, number) is taken as it is (``_todict``)."""
    with copying_charts():
        active, options = alt.data_transformers.active, alt.data_transformers.options
        transform = alt.data_transformers.get()
        assert transform is not None  # Altair always has one enabled
        alt.data_transformers.register(_ONCE, _Once(_values_maker(transform, active, options)))
        alt.data_transformers.enable(_ONCE)
        channels.parse_shorthand = _shorthand_parser()
        schemapi._todict = _todict
        try:
            yield
        finally:
            channels.parse_shorthand = _ALTAIRS_PARSE
            schemapi._todict = _ALTAIRS_TODICT
            alt.data_transformers.enable(active, **options)


_ONCE = "kamkit-once-per-spec"


def chart_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """``chart.to_dict()``, validated against the Vega-Lite schema once per shape of spec
    (``validated``: in any process, with the same versions and code): validation took
    about a third of turning a report's charts into specs, and the charts of a report take
    the same few shapes for every account (the tests validate each chart function's specs
    in full); made with less of Altair's repeated work (``_making_specs``)."""
    context = {"pre_transform": False}  # as Altair's own display does
    with _making_specs():
        spec = chart.to_dict(validate=False, context=context)
    shape = validated.digest(spec)
    if not validated.known(shape):
        # raises a SchemaValidationError that names the problem
        spec = chart.to_dict(context=context)
        validated.add(shape)
    return spec


class Shown:
    """A chart as a notebook shows it: the active renderer's display data (``use_charts``)
    of its spec from ``chart_spec``, where the chart itself would validate every time."""

    def __init__(self, chart: alt.TopLevelMixin) -> None:
        self.chart = chart

    @classmethod
    def of(cls, block: object) -> object:
        """``block`` shown this way when it is an Altair chart, else as it is."""
        return cls(block) if isinstance(block, alt.TopLevelMixin) else block

    def _repr_mimebundle_(self, *_: object, **__: object) -> object:
        render = alt.renderers.get()
        assert render is not None  # Altair always has one enabled
        return render(chart_spec(self.chart))


def chart_bundle(spec: dict[str, Any], mode: str = "svg"
                 ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The display data and metadata of a chart from its Vega-Lite spec (see the module)."""
    vega = vega_spec(spec)
    data: dict[str, Any] = {VEGA_MIMETYPE: vega, "text/plain": _title(spec)}
    if mode == "svg":
        data["image/svg+xml"] = accessible_svg(drawn(vega), vega)
    return data, {VEGA_MIMETYPE: {"embed_options": EMBED_OPTIONS}}


def _renderer(mode: str) -> Callable[..., tuple[dict[str, Any], dict[str, Any]]]:
    def render(spec: dict[str, Any], **_: object) -> tuple[dict[str, Any], dict[str, Any]]:
        return chart_bundle(spec, mode)

    return render


for _mode in CHART_MODES:
    alt.renderers.register(f"kamkit-{_mode}", _renderer(_mode))


def use_charts(mode: str) -> None:
    """Show the following charts as ``mode`` (one of ``CHART_MODES``)."""
    if mode not in CHART_MODES:
        raise KamkitError(f"Unknown chart mode {mode!r}: use one of {', '.join(CHART_MODES)}.")
    alt.renderers.enable(f"kamkit-{mode}")
