"""An executed notebook as a self-contained HTML report for management.

nbconvert with kamkit's own template (``kamkit/report/templates/kamkit_report``): outputs
only (no code, no prompts), cells tagged ``narrative`` removed, no error output or warning,
a header with the account, quarter, report date and as-of date, a table of contents built
from the section headings, print styles, and charts as inline SVG. The page loads nothing
from anywhere: no require.js, MathJax or widget scripts as nbconvert's own templates do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Any

import nbformat
from nbconvert import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor

from kamkit.batch.layout import TEMPLATE, TEMPLATES
from kamkit.charts.svg import renumbered_ids
from kamkit.report import html as report_html
from kamkit.report.summary import TOC_SLOT

REMOVED_TAGS = frozenset({"narrative", "parameters", "injected-parameters",
                          "papermill-error-cell-tag"})
"""Cells never shown in a report: notes for analysts, parameters, papermill's banners."""

_HEADING = re.compile(r'<h2(?: id="([^"]*)")?>(.*?)</h2>', re.DOTALL)
"""A section heading: a bare ``<h2>``, or one with the id a report gives it (the summary's
own heading has a class and is not a section)."""


@dataclass(frozen=True)
class ReportPage:
    """What the template shows around the notebook's outputs (texts already translated)."""

    language: str
    title: str
    facts: tuple[tuple[str, str], ...]  # (label, value): account, quarter, dates
    index_href: str
    back: str
    contents: str
    footer: str
    sortable: bool = False  # the page sorts its kk-sortable tables (a small inline script)
    downloads: tuple[tuple[str, str], ...] = ()  # (label, href): files linked in the header


def _own_ids(svg: str, chart: int) -> str:
    """The ids inside one chart prefixed ``kk<chart>-`` and renumbered in order of first use
    (``gradient_7`` becomes ``kk3-gradient_0``): unique on the page, and the same whatever
    the notebook named them."""
    return renumbered_ids(svg, lambda stem, n: f"kk{chart}-{stem}_{n}")


def toc_nav(toc: list[tuple[str, str]], contents: str) -> str:
    """The table of contents: (anchor, heading html) per section, as the template draws it."""
    items = "".join(f'<li><a href="#{escape(a)}">{title}</a></li>' for a, title in toc)
    return (f'<nav class="kk-toc" aria-label="{escape(contents)}"><p class="kk-toc-title">'
            f"{escape(contents)}</p><ol>{items}</ol></nav>")


class ReportPreprocessor(Preprocessor):
    """Keeps what management reads: drops error and stderr outputs and code cells left
    empty; gives each section heading an anchor for the table of contents; drops the inline
    styles of kamkit's HTML (the page's stylesheet holds them once, and print rules can
    override them); lets long header words wrap, hyphenated in the page's language, so a
    table fits the paper (``hyphenated_headers``); makes ids inside each SVG chart unique
    on the page."""

    def preprocess(
        self, nb: nbformat.NotebookNode, resources: dict[str, Any]
    ) -> tuple[nbformat.NotebookNode, dict[str, Any]]:
        toc: list[tuple[str, str]] = []
        charts = 0
        cells = []
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if o.output_type != "error"
                                and not (o.output_type == "stream" and o.name == "stderr")]
                if not cell.outputs:
                    continue
                for output in cell.outputs:
                    data = output.get("data", {})
                    if "text/html" in data:
                        data["text/html"] = report_html.hyphenated_headers(
                            report_html.unstyled(self._anchored(data["text/html"], toc)),
                            resources["kamkit"]["language"])
                    if "image/svg+xml" in data:
                        charts += 1
                        data["image/svg+xml"] = _own_ids(data["image/svg+xml"], charts)
            cells.append(cell)
        nb.cells = cells
        resources["kamkit"]["toc"] = [] if self._placed(nb, toc, resources) else toc
        return nb, resources

    @staticmethod
    def _anchored(html: str, toc: list[tuple[str, str]]) -> str:
        def anchor(match: re.Match[str]) -> str:
            name = match[1] or f"section-{len(toc) + 1}"
            toc.append((name, match[2]))
            return f'<h2 id="{name}">{match[2]}</h2>'

        return _HEADING.sub(anchor, html)

    @staticmethod
    def _placed(nb: nbformat.NotebookNode, toc: list[tuple[str, str]],
                resources: dict[str, Any]) -> bool:
        """Put the table of contents where the report asks for it (``TOC_SLOT``: below its
        summary); False when it does not, and the template puts it above the report."""
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                page = output.get("data", {}).get("text/html")
                if isinstance(page, str) and TOC_SLOT in page:
                    output["data"]["text/html"] = page.replace(
                        TOC_SLOT, toc_nav(toc, resources["kamkit"]["contents"]) if toc else "")
                    return True
        return False


class _ReportExporter(HTMLExporter):
    """nbconvert's HTML exporter without its closing BeautifulSoup pass, which gives <img>
    tags an alt text and JupyterLab cells tab stops: a report has neither, and the pass took
    over half of a report's conversion (benchmarks/README.md)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        # The lab templates name these filters in blocks a report never renders (code
        # input, widget views); HTMLExporter registers them at each conversion.
        self.register_filter("highlight_code", Highlight2HTML(parent=self))
        self.register_filter("filter_data_type",
                             WidgetsDataTypeFilter(notebook_metadata={}, parent=self))

    # Returns the page text, as nbconvert's own TemplateExporter does (it overrides
    # Exporter's NotebookNode return type the same way).
    def from_notebook_node(  # type: ignore[override]
        self, nb: nbformat.NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


class _Consumed(nbformat.NotebookNode):
    """A notebook handed to the converter for good: nbconvert deep-copies the notebook
    three times before it preprocesses it (the exporter, the preprocessing, the
    normalisation before validating), each a copy of every output, Vega specs included
    (about 7 ms of CPU each for an analysis report); a deep copy of this one is itself."""

    def __deepcopy__(self, memo: dict[int, object]) -> _Consumed:
        return self


class ReportConverter:
    """Converts executed notebooks to report pages; build one per process and reuse it."""

    def __init__(self) -> None:
        self.exporter = _ReportExporter(
            template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATES)],
            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
            # the notebook is validated once, after every preprocessor, instead of after
            # each of the 14 registered (enabled or not): a report's outputs 15 times
            optimistic_validation=True)
        self.exporter.register_preprocessor(
            TagRemovePreprocessor(remove_cell_tags=set(REMOVED_TAGS)), enabled=True)
        self.exporter.register_preprocessor(ReportPreprocessor(), enabled=True)

    def convert(self, notebook: nbformat.NotebookNode, page: ReportPage, *,
                consume: bool = False) -> str:
        """The report page of an executed notebook. ``consume``: the notebook is not used
        afterwards, so the conversion may change it instead of copying it."""
        if consume:
            notebook = _Consumed(notebook)
        resources = {"kamkit": {"language": page.language, "title": page.title,
                                "facts": page.facts, "index_href": page.index_href,
                                "back": page.back, "contents": page.contents,
                                "footer": page.footer, "sortable": page.sortable,
                                "downloads": page.downloads,
                                "stylesheet": report_html.stylesheet()}}
        html, _ = self.exporter.from_notebook_node(notebook, resources=resources)
        return html
