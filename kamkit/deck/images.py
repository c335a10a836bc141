"""Charts as pictures for slides: the Altair chart the HTML report shows, drawn to PNG at
twice its size by vl-convert (sharp on a projector), with its description as alt text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import altair as alt

from kamkit.charts.render import chart_title

SCALE = 2
"""Pixels per chart pixel: 2x, sharp when projected."""


@dataclass(frozen=True)
class ChartImage:
    """A chart drawn to PNG: the bytes, its size in chart pixels and its alt text."""

    png: bytes
    width: int  # in chart pixels (the PNG has SCALE times as many)
    height: int
    alt: str


def alt_text(spec: dict[str, Any]) -> str:
    """What a chart shows, for a reader who cannot see it: its description (which names
    the main figure), else its title."""
    return str(spec.get("description") or chart_title(spec) or "")


def chart_image(chart: alt.TopLevelMixin) -> ChartImage:
    """``chart`` drawn to PNG at ``SCALE``x, offline (vl-convert bundles Vega)."""
    import vl_convert
    from altair.utils._importers import vl_version_for_vl_convert

    spec = chart.to_dict()
    png = vl_convert.vegalite_to_png(spec, vl_version=vl_version_for_vl_convert(), scale=SCALE)
    # the PNG header holds the size: width and height as big-endian integers at 16 and 20
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return ChartImage(png, width // SCALE, height // SCALE, alt_text(spec))
