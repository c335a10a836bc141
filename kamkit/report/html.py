"""Small HTML fragments for reports. Every text from a workbook is escaped here, so an
account named ``<script>`` shows as text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape

import pandas as pd
import pyphen

from kamkit import formatting as fmt
from kamkit.charts import theme
from kamkit.currency import DEFAULT, in_currency
from kamkit.locale import for_language, languages

Formatter = Callable[[object], str]

_LINE = f"border-bottom:1px solid {theme.RULE};padding:3px 6px"
LOOK: dict[str, str] = {
    "findings": f"background:{theme.PANEL};border-left:4px solid {theme.US};"
                "padding:0.5em 1em;margin:0.5em 0 1em",
    "finding": "margin:0.25em 0",
    "missing": f"background:{theme.NOTE};border-left:4px solid {theme.WARNING};"
               "padding:0.5em 1em;margin:0.5em 0",
    "table": "border-collapse:collapse;font-size:13px;margin:0.5em 0 1em",
    "caption": f"caption-side:top;text-align:left;font-weight:600;color:{theme.MUTED};"
               "padding:0 8px 2px",
    "cell": f"{_LINE};text-align:left",
    "num": f"{_LINE};text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap",
    "date": f"{_LINE};text-align:left;white-space:nowrap",
    # text read as a sentence (an objective's title): never squeezed to a word a line
    "wide": f"{_LINE};text-align:left;min-width:14em",
    "right": "text-align:right",  # the header of a column of amounts (it may wrap)
    # a table of many columns that must fit a printed page: its amounts may break after
    # the currency there (report.css), as a page wider than the paper prints smaller
    "fit": "max-width:100%",
    # two quadrants a row: the sanitizer refuses grid tracks in fr, so a wrapping flex box
    "swot": "display:flex;flex-wrap:wrap;gap:8px;max-width:900px",
    "quadrant": f"flex:1 1 40%;border:1px solid {theme.BOX_RULE};padding:0.4em 0.8em;"
                "border-radius:4px",
    "quadrant-title": "margin:0.2em 0;font-size:15px",
    # the confrontation (TOWS) matrix: a real table, so it prints as one
    "matrix": "border-collapse:collapse;font-size:13px;margin:0.5em 0 1em;max-width:980px",
    "matrix-head": f"border:1px solid {theme.BOX_RULE};padding:0.3em 0.6em;"
                   f"background:{theme.PANEL};text-align:left;vertical-align:top",
    "matrix-cell": f"border:1px solid {theme.BOX_RULE};padding:0.3em 0.6em;vertical-align:top;"
                   "width:45%",
    "point": f"margin:0.1em 0 0.1em 1em;font-size:12px;color:{theme.POINT_TEXT}",
    "tree": f"list-style:none;padding-left:1.4em;border-left:1px dotted {theme.TREE_RULE};margin:0",
    "node": "margin:0.2em 0",
    "tag": f"display:inline-block;padding:0 0.4em;border-radius:3px;background:{theme.TAG};"
           "font-size:12px",
    "alert": f"color:{theme.ALERT};font-weight:bold",
    "nowrap": "white-space:nowrap",
    "text": "max-width:900px;white-space:pre-wrap",
    "method": f"color:{theme.MUTED};font-size:12px;max-width:900px",
    # the account card of kamkit.display
    "card": "font-family:Helvetica, Arial, sans-serif;max-width:980px",
    "card-title": "margin:0.2em 0",
    "sub": f"color:{theme.MUTED};font-size:13px;margin:0 0 0.4em",
    "tiles": "display:flex;flex-wrap:wrap;gap:8px;margin:0.3em 0",
    "tile": f"border:1px solid {theme.CARD_RULE};border-radius:4px;padding:4px 10px;"
            "min-width:110px",
    "tile-label": f"font-size:11px;color:{theme.MUTED}",
    "tile-value": "font-size:17px;font-variant-numeric:tabular-nums;white-space:nowrap",
    # the executive summary of kamkit.report.summary
    "summary": f"border:1px solid {theme.CARD_RULE};border-left:4px solid {theme.US};"
               f"background:{theme.PANEL};padding:0.5em 1em;margin:0.6em 0 1em;max-width:980px",
    "summary-title": "font-size:16px;margin:0.1em 0 0.4em;border:0",
    "figures": "display:flex;flex-wrap:wrap;gap:8px;margin:0.2em 0 0.5em",
    "figure": f"background:#fff;border:1px solid {theme.CARD_RULE};border-radius:4px;"
              "padding:4px 10px;min-width:130px",
    "figure-label": f"font-size:11px;color:{theme.MUTED}",
    "figure-value": "font-size:18px;font-weight:600;font-variant-numeric:tabular-nums;"
                    "white-space:nowrap",
    "figure-note": f"font-size:11px;color:{theme.MUTED}",
    "summary-lines": "margin:0.2em 0;padding-left:1.4em",
    "summary-line": "margin:0.15em 0",
    "summary-link": f"color:{theme.US};font-size:12px;white-space:nowrap",
    "on_track": f"color:{theme.ON_TRACK_TEXT}",
    "at_risk": f"color:{theme.AT_RISK_TEXT}",
    "off_track": f"color:{theme.ALERT}",
}
"""How each part of a report looks. In a notebook it is written into each element's
``style`` attribute: JupyterLab shows the HTML of a notebook it does not trust (every notebook
papermill or ``kamkit run`` made) without its ``<style>`` elements, but keeps ``class`` and
``style`` attributes whose declarations it knows (packages/apputils/src/sanitizer.ts). A report
page carries the same rules once, as its stylesheet (``stylesheet``), and the converter drops
the inline copies (``unstyled``), so print rules can override them. Colours come from
``kamkit.charts.theme``, which the charts use too."""


def stylesheet() -> str:
    """``LOOK`` as CSS rules on the ``kk-<part>`` classes, for a page's one stylesheet; the
    theme's page colours as custom properties (``--kk-accent`` ...) for the page's own CSS."""
    rules = "\n".join(f".kk-{part}{{{declarations}}}" for part, declarations in LOOK.items())
    return f"{page_colours()}\n{rules}\n"


def page_colours(selector: str = ":root") -> str:
    """The theme's page colours as CSS custom properties (``--kk-accent`` ...) on
    ``selector``: a stylesheet uses ``var(--kk-...)``, so a colour has one home."""
    properties = "".join(f"--kk-{name}:{colour};" for name, colour in theme.PAGE.items())
    return f"{selector}{{{properties}}}"


_INLINE = re.compile(r'(class="kk-[^"]*") style="[^"]*"')


def unstyled(fragment: str) -> str:
    """``fragment`` without the inline styles ``look`` wrote (the page's stylesheet holds
    them): only a ``style`` attribute right after a ``kk-`` class goes."""
    return _INLINE.sub(r"\1", fragment)


HYPHENATE_FROM = 10
"""Header words of this many letters or more get soft hyphens on a report page
(``hyphenated_headers``)."""

_HEADER_TEXT = re.compile(r"(<th\b[^>]*>)([^<]*)(</th>)")
_LONG_WORD = re.compile(rf"[^\W\d_]{{{HYPHENATE_FROM},}}")


@cache
def _hyphenator(language: str) -> pyphen.Pyphen | None:
    """pyphen's hyphenation of ``language``; None for a language it does not know."""
    return pyphen.Pyphen(lang=language, left=3, right=3) if language in pyphen.LANGUAGES \
        else None


@cache
def _hyphenated(word: str, language: str) -> str:
    hyphenator = _hyphenator(language)
    return hyphenator.inserted(word, hyphen="\u00ad") if hyphenator else word


def hyphenated_headers(fragment: str, language: str) -> str:
    """``fragment`` with soft hyphens in the long words of its table headers, hyphenated
    as ``language`` does (pyphen's dictionaries; unchanged for a language it lacks).

    Chromium itself hyphenates no language offline (``hyphens: auto`` needs dictionaries
    it downloads), so a header of one long word (a Dutch service name,
    "Ongediertebestrijding") was as wide as the word and a table of them wider than A4:
    the printed page shrank. With the soft hyphens a header may wrap, hyphenated, where
    its column is too narrow, and shows as before where it is not.

    Examples
    --------
    >>> hyphenated_headers("<th>Ongediertebestrijding</th>", "nl").replace("\u00ad", "-")
    '<th>Onge-dier-te-be-strij-ding</th>'
    """

    def header(match: re.Match[str]) -> str:
        words = _LONG_WORD.sub(lambda word: _hyphenated(word[0], language), match[2])
        return f"{match[1]}{words}{match[3]}"

    return _HEADER_TEXT.sub(header, fragment)


def look(*parts: str) -> str:
    """The class and style attributes of parts named in ``LOOK`` (later parts win)."""
    classes = " ".join(f"kk-{part}" for part in parts)
    return f'class="{classes}" style="{";".join(LOOK[part] for part in parts)}"'


def text(value: object) -> str:
    """Escaped text; missing values become empty."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return escape(str(value))


@cache
def _unbroken(currency: str = DEFAULT) -> re.Pattern[str]:
    """Amounts (EUR 1,234, € 1,2 mln; in ``currency`` too: US$ 1.234) and dates
    (2025-12-31, 31-12-2025) as every language writes them (``kamkit.locale``), after
    escaping."""
    records = [for_language(language) for language in languages()]
    shown = {fmt.currency_text(in_currency(language, code)) for language in languages()
             for code in {DEFAULT, currency}}
    prefixes = {escape(before) for before, _ in shown if before}
    suffixes = {escape(s) for r in records for s in (r.millions, r.thousands) if s}
    suffixes |= {escape(after) for _, after in shown if after}
    amount = (f"[-+\u2212]?(?:{'|'.join(map(re.escape, sorted(prefixes)))})[-+\u2212]?"
              "\\d[\\d.,]*"
              f"(?:{'|'.join(map(re.escape, sorted(suffixes, key=len, reverse=True)))})?")
    return re.compile(rf"{amount}|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{2}}-\d{{2}}-\d{{4}}\b")


def prose(value: object, currency: str = DEFAULT) -> str:
    """Escaped text in which amounts (in ``currency`` or EUR) and dates never break across
    lines."""
    return _unbroken(currency).sub(lambda match: f"<span {look('nowrap')}>{match[0]}</span>",
                           text(value))


def heading(title: str, level: int = 2, anchor: str | None = None) -> str:
    """A heading; ``anchor`` gives it an id that links (a summary's, the contents') reach."""
    name = f' id="{text(anchor)}"' if anchor else ""
    return f"<h{level}{name}>{text(title)}</h{level}>"


def findings(sentences: Iterable[str], currency: str = DEFAULT) -> str:
    body = "".join(f"<p {look('finding')}>{prose(s, currency)}</p>" for s in sentences)
    return f"<div {look('findings')}>{body}</div>" if body else ""


def missing(message: str) -> str:
    return f"<div {look('missing')}>{text(message)}</div>"


def method(message: str, currency: str = DEFAULT) -> str:
    """How the figures of a section are made, in small grey print."""
    return f"<p {look('method')}>{prose(message, currency)}</p>"


def tag(value: object) -> str:
    """A short label in a grey box (an id, a role)."""
    return f"<span {look('tag')}>{text(value)}</span>"


def alert(symbol: str) -> str:
    """An already-escaped warning sign in red."""
    return f"<span {look('alert')}>{symbol}</span>"


def paragraph(value: object, label: str | None = None) -> str:
    head = f"<strong>{text(label)}</strong><br>" if label else ""
    return f"<div {look('text')}>{head}{text(value)}</div>"


@dataclass(frozen=True)
class Column:
    """One column of a report table: the frame's column ``key``, its header ``label``, and
    how a value is written. ``format`` turns a value into text (an amount, a per cent, a
    date); ``kind`` says how the cell sits: "num" right-aligned and never broken across
    lines, "date" never broken, "wide" wraps but keeps room for a few words a line (a
    title), "cell" (the default without a format) wraps. A formatted column is "num"
    unless told otherwise."""

    key: str
    label: str
    format: Formatter | None = None
    kind: str = ""

    @property
    def part(self) -> str:
        """The ``LOOK`` part of the column's cells."""
        return self.kind or ("num" if self.format is not None else "cell")


_HEAD = {"cell": ("cell",), "date": ("cell",), "wide": ("cell",), "num": ("cell", "right")}
"""The parts of a column's header: a header wraps, over amounts it is right-aligned."""


def columns(headers: Mapping[str, str],
            formats: Mapping[str, Formatter] | None = None) -> list[Column]:
    """Column specs from a mapping column -> header (and column -> formatter), for a table
    whose columns are listed by name only."""
    formats = formats or {}
    return [Column(key, label, formats.get(key)) for key, label in headers.items()]


def table(frame: pd.DataFrame, spec: Sequence[Column], caption: str | None = None,
          fit: bool = False) -> str:
    """An HTML table of ``frame``'s columns in ``spec``; ``caption`` says what it covers
    (for a table of one year: which year); ``fit``: a table of many columns that must fit
    a printed page's width (``LOOK["fit"]``)."""
    head = "".join(f'<th scope="col" {look(*_HEAD[c.part])}>{text(c.label)}</th>'
                   for c in spec)
    rows = []
    for _, record in frame.iterrows():
        cells = []
        for column in spec:
            value = record[column.key]
            shown = column.format(value) if column.format is not None else value
            cells.append(f"<td {look(column.part)}>{text(shown)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    title = f"<caption {look('caption')}>{text(caption)}</caption>" if caption else ""
    parts = ("table", "fit") if fit else ("table",)
    return f"<table {look(*parts)}>{title}<thead><tr>{head}</tr></thead>" \
           f"<tbody>{''.join(rows)}</tbody></table>"


def swot_grid(quadrants: Mapping[str, list[tuple[str, str]]]) -> str:
    """A 2x2 grid: quadrant title -> [(id, text), ...], in the order given."""
    boxes = []
    for title, items in quadrants.items():
        lis = "".join(f"<li>{tag(i)} {text(t)}</li>" for i, t in items) or "<li>-</li>"
        boxes.append(f"<div {look('quadrant')}><h3 {look('quadrant-title')}>{text(title)}</h3>"
                     f"<ul>{lis}</ul></div>")
    return f"<div {look('swot')}>{''.join(boxes)}</div>"


def tree(nodes: list[tuple[int, str]]) -> str:
    """Nested lists from (depth, already-escaped html) rows in depth-first order; a child
    list sits inside its parent's item, as HTML wants it."""
    ul, li = f"<ul {look('tree')}>", f"<li {look('node')}>"
    out, depth = [f'<div class="kk-tree">{ul}'], 0
    for index, (level, item) in enumerate(nodes):
        if index:
            if level > depth:
                out.append(ul * (level - depth))
            else:
                out.append("</li>" + "</ul></li>" * (depth - level))
        out.append(f"{li}{item}")
        depth = level
    if nodes:
        out.append("</li>" + "</ul></li>" * depth)
    out.append("</ul></div>")
    return "".join(out)


def matrix(corner: str, columns: Sequence[str], rows: Mapping[str, Sequence[str]]) -> str:
    """A table with headings across (``columns``) and down (the keys of ``rows``); each
    row's cells are already-escaped HTML, one per column."""
    head = "".join(f'<th scope="col" {look("matrix-head")}>{text(c)}</th>'
                   for c in (corner, *columns))
    body = "".join(
        f'<tr><th scope="row" {look("matrix-head")}>{text(name)}</th>'
        + "".join(f"<td {look('matrix-cell')}>{cell}</td>" for cell in cells) + "</tr>"
        for name, cells in rows.items())
    return f"<table {look('matrix')}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
