"""Small multiples as a reader gets them on paper: the A7 charts by service and by location,
printed on A4 (Chromium's print emulation at the page's 703 pixel content width, and
Page.printToPDF), draw their text at the scale of the chart they sit beside, which
prints at full scale, in English and Dutch, for the demo's MAAS (7 services, 4 locations)
and a stress case of 12 services."""

from __future__ import annotations

import base64
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from browser import Chromium

from kamkit import analysis as an
from kamkit.batch.convert import ReportConverter, ReportPage
from kamkit.charts import shares as charts
from kamkit.charts.render import chart_bundle
from kamkit.workbook import Workbook

pytestmark = pytest.mark.browser

A4_CONTENT = 703  # pixels: A4's 210 mm less the page's 12 mm margins each side, at 96 per inch
A4_HEIGHT = 1024  # pixels: A4's 297 mm less 26 mm of margins
MIN_RATIO = 0.9  # a faceted chart's text at least this large against the unfaceted one's

SCALES = """[...document.querySelectorAll('.kk-chart svg')].map(svg => {
  const box = svg.getBoundingClientRect();
  const sizes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
    .map(t => parseFloat(getComputedStyle(t).fontSize));
  const scale = box.width / svg.viewBox.baseVal.width;
  return {title: svg.querySelector('title').textContent, width: box.width,
          height: box.height, smallest: Math.min(...sizes) * scale, scale};
})"""


def _frames(demo: Workbook, stress: bool) -> list[tuple[pd.DataFrame, str | None, object]]:
    """The unfaceted A7 chart's frame (the reference), then the faceted ones: by service
    and by location, or 12 services made of MAAS's 7 and 5 of them again."""
    account = demo.account("MAAS")

    def shares(*by: str) -> pd.DataFrame:
        frame = an.holder_shares(account, by=("year", *by))
        return frame[frame["year"] <= 2025]

    if not stress:
        return [(shares(), None, None), (shares("service"), "service", account.services),
                (shares("location"), "location", account.locations)]
    services = shares("service")
    ids = list(dict.fromkeys(services["service"]))
    again = services[services["service"].isin(ids[:5])].assign(
        service=lambda f: f["service"].astype(str) + " 2")
    twelve = pd.concat([services, again], ignore_index=True)
    assert twelve["service"].nunique() == 12
    return [(shares(), None, None), (twelve, "service", None)]


def _page(demo: Workbook, language: str, stress: bool, folder: Path) -> Path:
    account = demo.account("MAAS")
    outputs = []
    for frame, facet, names in _frames(demo, stress):
        chart = charts.holder_shares_chart(frame, account.competitors, language,
                                           facet=facet, names=names)
        assert chart is not None
        data, _ = chart_bundle(chart.to_dict())
        outputs.append(nbformat.v4.new_output("display_data",
                                              {"image/svg+xml": data["image/svg+xml"]}))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    nb.cells[0].outputs = outputs
    page = ReportPage(language, "A7", (), "../index.html", "Back", "Contents", "footer")
    path = folder / f"a7-{language}-{stress}.html"
    path.write_text(ReportConverter().convert(nb, page), encoding="utf-8")
    return path


@pytest.mark.parametrize("stress", [False, True], ids=["demo", "12-services"])
@pytest.mark.parametrize("language", ["en", "nl"])
def test_small_multiples_print_at_the_scale_of_the_other_charts(
        chromium: Chromium, demo: Workbook, tmp_path: Path, screenshots: Path,
        language: str, stress: bool) -> None:
    tab = chromium.open(_page(demo, language, stress, tmp_path).as_uri())
    try:
        tab.send("Emulation.setScrollbarsHidden", {"hidden": True})
        tab.send("Emulation.setEmulatedMedia", {"media": "print"})
        tab.send("Emulation.setDeviceMetricsOverride", {
            "width": A4_CONTENT, "height": A4_HEIGHT, "deviceScaleFactor": 1,
            "mobile": False})
        seen = tab.wait_for(SCALES)
        tab.screenshot(screenshots / f"a7_facets_{language}_{stress}.png")
        pdf = tab.send("Page.printToPDF", {"preferCSSPageSize": True,
                                           "printBackground": True}, timeout=120)
        (screenshots / f"a7_facets_{language}_{stress}.pdf").write_bytes(
            base64.b64decode(pdf["data"]))
    finally:
        tab.close()
    assert isinstance(seen, list) and len(seen) == (2 if stress else 3)
    reference, *faceted = seen
    # the unfaceted chart at full scale: its legend in rows (one row made the chart wider
    # than the page, printed at 0.71-0.74)
    assert reference["scale"] >= 0.99 and reference["width"] <= A4_CONTENT, reference
    for chart in faceted:
        assert chart["width"] <= A4_CONTENT and chart["height"] <= A4_HEIGHT, chart
        # the smallest text (axis and legend labels, segment shares) as large as beside it
        assert chart["smallest"] >= MIN_RATIO * reference["smallest"], (chart, reference)
        assert chart["smallest"] >= 9, chart  # pixels: about 7 pt on paper
