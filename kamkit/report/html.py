"""Small HTML fragments for reports. Every text from a workbook is escaped here, so an
account named ``<script>`` shows as text."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from html import escape

import pandas as pd

Formatter = Callable[[object], str]

LOOK: dict[str, str] = {
    "findings": "background:#f3f7fb;border-left:4px solid #1b4f8a;padding:0.5em 1em;"
                "margin:0.5em 0 1em",
    "finding": "margin:0.25em 0",
    "missing": "background:#fff8e6;border-left:4px solid #e69f00;padding:0.5em 1em;"
               "margin:0.5em 0",
    "table": "border-collapse:collapse;font-size:13px;margin:0.5em 0 1em",
    "cell": "border-bottom:1px solid #ddd;padding:3px 8px;text-align:left",
    "num": "border-bottom:1px solid #ddd;padding:3px 8px;text-align:right;"
           "font-variant-numeric:tabular-nums",
    # two quadrants a row: the sanitizer refuses grid tracks in fr, so a wrapping flex box
    "swot": "display:flex;flex-wrap:wrap;gap:8px;max-width:900px",
    "quadrant": "flex:1 1 40%;border:1px solid #ccd;padding:0.4em 0.8em;border-radius:4px",
    "quadrant-title": "margin:0.2em 0",
    # the confrontation (TOWS) matrix: a real table, so it prints as one
    "matrix": "border-collapse:collapse;font-size:13px;margin:0.5em 0 1em;max-width:980px",
    "matrix-head": "border:1px solid #ccd;padding:0.3em 0.6em;background:#f3f7fb;"
                   "text-align:left;vertical-align:top",
    "matrix-cell": "border:1px solid #ccd;padding:0.3em 0.6em;vertical-align:top;width:45%",
    "point": "margin:0.1em 0 0.1em 1em;font-size:12px;color:#333",
    "tree": "list-style:none;padding-left:1.4em;border-left:1px dotted #aab;margin:0",
    "node": "margin:0.2em 0",
    "tag": "display:inline-block;padding:0 0.4em;border-radius:3px;background:#eef;"
           "font-size:12px",
    "alert": "color:#c0392b;font-weight:bold",
    "text": "max-width:900px;white-space:pre-wrap",
    "method": "color:#666;font-size:12px;max-width:900px",
    # the account card of kamkit.display
    "card": "font-family:Helvetica, Arial, sans-serif;max-width:980px",
    "card-title": "margin:0.2em 0",
    "sub": "color:#555;font-size:13px;margin:0 0 0.4em",
    "tiles": "display:flex;flex-wrap:wrap;gap:8px;margin:0.3em 0",
    "tile": "border:1px solid #d5dde8;border-radius:4px;padding:4px 10px;min-width:110px",
    "tile-label": "font-size:11px;color:#555",
    "tile-value": "font-size:17px;font-variant-numeric:tabular-nums;white-space:nowrap",
    "on_track": "color:#2e7d32",
    "at_risk": "color:#b26a00",
    "off_track": "color:#c0392b",
}
"""How each part of a report looks, written into its ``style`` attribute: JupyterLab shows
the HTML of a notebook it does not trust (every notebook papermill or ``kamkit run`` made)
without its ``<style>`` elements, but keeps ``class`` and ``style`` attributes whose
declarations it knows (packages/apputils/src/sanitizer.ts). Classes (``kk-<part>``) stay for
the report's print rules and for tests."""


def look(*parts: str) -> str:
    """The class and style attributes of parts named in ``LOOK`` (later parts win)."""
    classes = " ".join(f"kk-{part}" for part in parts)
    return f'class="{classes}" style="{";".join(LOOK[part] for part in parts)}"'


def text(value: object) -> str:
    """Escaped text; missing values become empty."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return escape(str(value))


def heading(title: str, level: int = 2) -> str:
    return f"<h{level}>{text(title)}</h{level}>"


def findings(sentences: Iterable[str]) -> str:
    body = "".join(f"<p {look('finding')}>{text(s)}</p>" for s in sentences)
    return f"<div {look('findings')}>{body}</div>" if body else ""


def missing(message: str) -> str:
    return f"<div {look('missing')}>{text(message)}</div>"


def method(message: str) -> str:
    """How the figures of a section are made, in small grey print."""
    return f"<p {look('method')}>{text(message)}</p>"


def tag(value: object) -> str:
    """A short label in a grey box (an id, a role)."""
    return f"<span {look('tag')}>{text(value)}</span>"


def alert(symbol: str) -> str:
    """An already-escaped warning sign in red."""
    return f"<span {look('alert')}>{symbol}</span>"


def paragraph(value: object, label: str | None = None) -> str:
    head = f"<strong>{text(label)}</strong><br>" if label else ""
    return f"<div {look('text')}>{head}{text(value)}</div>"


def table(frame: pd.DataFrame, headers: Mapping[str, str],
          formats: Mapping[str, Formatter] | None = None) -> str:
    """An HTML table of ``frame``'s columns named in ``headers`` (column -> header text)."""
    formats = formats or {}
    head = "".join(f"<th {look('cell')}>{text(h)}</th>" for h in headers.values())
    rows = []
    for _, record in frame.iterrows():
        cells = []
        for column in headers:
            value = record[column]
            if column in formats:
                cells.append(f"<td {look('num')}>{text(formats[column](value))}</td>")
            else:
                cells.append(f"<td {look('cell')}>{text(value)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table {look('table')}><thead><tr>{head}</tr></thead>" \
           f"<tbody>{''.join(rows)}</tbody></table>"


def swot_grid(quadrants: Mapping[str, list[tuple[str, str]]]) -> str:
    """A 2x2 grid: quadrant title -> [(id, text), ...], in the order given."""
    boxes = []
    for title, items in quadrants.items():
        lis = "".join(f"<li>{tag(i)} {text(t)}</li>" for i, t in items) or "<li>-</li>"
        boxes.append(f"<div {look('quadrant')}><h4 {look('quadrant-title')}>{text(title)}</h4>"
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
