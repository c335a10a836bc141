"""A report's table of contents as a reader sees it in Chromium, on screens of several
widths and printed on A4 (3 columns): each entry's number stands clear of the text of the
entry beside it in the column to its left. A number hung in the gap between columns ran
into the longer Dutch titles ("A5 Totale besteding van het account6. A6 ...", review 9)."""

from __future__ import annotations

from pathlib import Path

import demo_reports
import nbformat
import pytest
from browser import A4_PRINTED_WIDTH, Chromium, emulate

from kamkit.batch.convert import ReportConverter, ReportPage
from kamkit.report.analysis import AnalysisReport
from kamkit.report.plan import PlanReport

pytestmark = pytest.mark.browser

MIN_GAP = 3  # CSS px between an entry's text and the number of the entry to its right

# per entry: its number as Chromium draws it ("6. "), where that number starts (an outside
# marker ends where the entry's box starts) and where the entry's text ends on each line
ENTRIES = """(() => {
  const items = [...document.querySelectorAll('nav.kk-toc li')];
  const probe = document.createElement('span');
  probe.style.cssText = 'position:absolute;visibility:hidden;white-space:pre';
  document.body.appendChild(probe);
  const out = items.map((li, i) => {
    const box = li.getBoundingClientRect();
    const style = getComputedStyle(li);
    probe.style.font = style.font;
    probe.textContent = `${i + 1}. `;
    const range = document.createRange();
    range.selectNodeContents(li);
    const lines = [...range.getClientRects()].map(r => ({left: r.left, right: r.right,
                                                        top: r.top, bottom: r.bottom}));
    return {n: i + 1, left: box.left, top: box.top, bottom: box.bottom,
            marker: box.left - probe.getBoundingClientRect().width,
            outside: style.listStylePosition === 'outside', lines};
  });
  probe.remove();
  const nav = document.querySelector('nav.kk-toc').getBoundingClientRect();
  return {items: out, navLeft: nav.left, navRight: nav.right};
})()"""


def _titles(report: AnalysisReport | PlanReport) -> list[str]:
    return [report.section(key).title for key in report.SECTIONS]


def _page(titles: list[str], language: str, folder: Path, name: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    nb.cells[0].outputs = [nbformat.v4.new_output(
        "display_data", {"text/html": "".join(f"<h2>{title}</h2><p>…</p>" for title in titles)})]
    page = ReportPage(language, "TOC", (), "../index.html", "Back", "Contents", "footer")
    path = folder / f"{name}.html"
    path.write_text(ReportConverter().convert(nb, page), encoding="utf-8")
    return path


def _clashes(seen: dict) -> list[str]:
    """Entries whose number starts before the text beside it, in the column to its left, ends;
    or before the contents box."""
    items = seen["items"]
    out = []
    for item in items:
        assert item["outside"] or item["marker"] >= item["left"]
        if item["marker"] < seen["navLeft"]:
            out.append(f"{item['n']}: number outside the contents box")
        for other in items:
            if other["left"] >= item["left"] - 1:
                continue  # not in a column to the left
            for line in other["lines"]:
                beside = line["top"] < item["bottom"] and line["bottom"] > item["top"]
                if beside and line["right"] + MIN_GAP > item["marker"]:
                    out.append(f"{other['n']} runs into {item['n']}'s number "
                               f"({line['right']:.0f} > {item['marker']:.0f})")
    return out


@pytest.mark.parametrize("language", ["en", "nl"])
def test_contents_numbers_stand_clear_of_the_column_before(
        chromium: Chromium, tmp_path: Path, screenshots: Path, language: str) -> None:
    analysis = _titles(demo_reports.report(AnalysisReport, "MAAS", language))
    plan = _titles(demo_reports.report(PlanReport, "MAAS", language))
    # and titles twice as long: names a workbook or a later language may make longer
    pages = {"analysis": analysis, "plan": plan,
             "long": [f"{title} {title.lower()}" for title in analysis]}
    found = {}
    for name, titles in pages.items():
        tab = chromium.open(_page(titles, language, tmp_path, f"{name}-{language}").as_uri())
        try:
            for media, width in (("screen", 1280), ("screen", 560),
                                 ("print", A4_PRINTED_WIDTH)):
                emulate(tab, media, width)
                seen = tab.wait_for(ENTRIES)
                assert isinstance(seen, dict) and len(seen["items"]) == len(titles)
                clashes = _clashes(seen)
                if clashes:
                    tab.screenshot(screenshots / f"toc_{name}_{language}_{media}{width}.png",
                                   height=400)
                found[(name, media, width)] = clashes
        finally:
            tab.close()
    assert not any(found.values()), {k: v for k, v in found.items() if v}
