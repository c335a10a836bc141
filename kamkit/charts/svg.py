"""Drawing charts to SVG with vl-convert: with its own fonts, and ids of the chart's own.
Kept apart from Altair (a process that only draws or renames need not import it)."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

_SVG_ID = re.compile(r'(\bid="|url\(#|href="#)([^"()]+)')
"""An id in an SVG, where it is defined or used: ``id="gradient_3"``, ``url(#gradient_3)``."""
_COUNTER = re.compile(r"_?\d+$")


def renumbered_ids(svg: str, name: Callable[[str, int], str] = "{}_{}".format) -> str:
    """``svg`` with each of its ids renamed in order of first use: ``name(stem, n)``, the
    stem the id without its counter (``gradient`` of ``gradient_7``, ``clip`` of
    ``clip4``), n how many ids of that stem came before (default ``gradient_0``)."""
    renamed: dict[str, str] = {}
    used: Counter[str] = Counter()

    def rename(match: re.Match[str]) -> str:
        old = match[2]
        if old not in renamed:
            stem = _COUNTER.sub("", old) or "id"
            renamed[old] = name(stem, used[stem])
            used[stem] += 1
        return match[1] + renamed[old]

    return _SVG_ID.sub(rename, svg)


def chart_ids(svg: str) -> str:
    """The ids inside a chart's SVG named after what it draws: ``gradient_<digits>``, the
    digits from a hash of the chart with its ids numbered from 0. Vega numbers gradients
    per process (``gradient_7`` after seven), so without this a chart's SVG depended on
    what the kernel drew before; the same chart now has the same ids, and two different
    charts in one notebook page almost surely different ones (an id is looked up in the
    whole page). The HTML reports number them again per chart (``kamkit.batch.convert``):
    the stem is kept, a counter of digits only."""
    if _SVG_ID.search(svg) is None:
        return svg
    digest = hashlib.sha256(renumbered_ids(svg).encode()).hexdigest()
    prefix = f"{int(digest[:12], 16) % 10 ** 12:012d}"
    return renumbered_ids(svg, lambda stem, n: f"{stem}_{prefix}{n}")


_FONTS_READY = False
_PROBE = {"width": 1, "height": 1, "marks": [
    {"type": "text", "encode": {"enter": {"text": {"value": "0"}}}}]}


def bundled_fonts() -> None:
    """Make vl-convert measure (and draw) text with the fonts it bundles, Liberation Sans,
    rather than the machine's; once per process, before it measures any text.

    Vega measures every text of a chart (labels, titles, legends; a truncated one several
    times), which vl-convert does by laying it out with usvg. A font among the machine's
    is a file that its font database opens and maps into memory again for every
    measurement: half the CPU time of drawing a report's SVG went there, four fifths for a
    chart of many texts (mostly the kernel's mmap and munmap; benchmarks/README.md),
    against an in-memory bundled font. vl-convert reads the
    machine's fonts once, at its first text, through fontconfig's configuration, which
    ``FONTCONFIG_FILE`` names on Linux: a configuration listing no folder that exists
    leaves it only the bundled fonts (elsewhere the variable is not read, nothing
    changes). The theme asks for Helvetica, Arial or sans-serif; Liberation Sans is
    vl-convert's sans-serif where the machine has neither, and metrically compatible with
    Arial where it has, so the SVG stays the same (it is, byte for byte, for every demo
    report on our machines), and no longer depends on the fonts installed. Characters
    Liberation Sans lacks (Chinese, emoji, some symbols) are measured as its box for a
    missing glyph rather than as a machine font's glyph; the browser draws them either way.
    The setting is the process's: a process where vl-convert measured text before
    (Altair's own ``save``, say) keeps the machine's fonts (the same figures, drawn more
    slowly), and slides drawn to PNG (``kamkit.deck``, in a batch's worker, where no SVG is
    drawn) after SVG charts in one process get the bundled Liberation Sans's letters
    (Debian's is an older version of it: the same widths, antialiasing apart)."""
    global _FONTS_READY
    if _FONTS_READY:
        return
    import vl_convert

    before = os.environ.get("FONTCONFIG_FILE")
    with tempfile.TemporaryDirectory(prefix="kamkit-fonts-") as folder:
        config = Path(folder, "fonts.conf")
        # a folder inside one that is removed below: never a font in it
        config.write_text(f"<fontconfig><dir>{escape(str(Path(folder, 'none')))}</dir>"
                          "</fontconfig>\n", encoding="utf-8")
        os.environ["FONTCONFIG_FILE"] = str(config)
        try:
            vl_convert.vega_to_svg(_PROBE)  # the first text: vl-convert reads its fonts
        finally:
            if before is None:
                del os.environ["FONTCONFIG_FILE"]
            else:
                os.environ["FONTCONFIG_FILE"] = before
    _FONTS_READY = True


def drawn(vega: dict[str, Any]) -> str:
    """A Vega spec drawn to SVG by vl-convert, with its own fonts (``bundled_fonts``) and
    ids (``chart_ids``)."""
    import vl_convert

    bundled_fonts()
    return chart_ids(vl_convert.vega_to_svg(vega))
