"""Small HTML fragments for reports. Every text from a workbook is escaped here, so an
account named ``<script>`` shows as text."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from html import escape

import pandas as pd

Formatter = Callable[[object], str]

STYLE = """
<style>
.kk-findings{background:#f3f7fb;border-left:4px solid #1b4f8a;padding:.5em 1em;margin:.5em 0 1em}
.kk-findings p{margin:.25em 0}
.kk-missing{background:#fff8e6;border-left:4px solid #e69f00;padding:.5em 1em;margin:.5em 0}
.kk-table{border-collapse:collapse;font-size:13px;margin:.5em 0 1em}
.kk-table th,.kk-table td{border-bottom:1px solid #ddd;padding:3px 8px;text-align:left!important}
.kk-table td.num{text-align:right!important;font-variant-numeric:tabular-nums}
.kk-swot{display:grid;grid-template-columns:1fr 1fr;gap:8px;max-width:900px}
.kk-swot div{border:1px solid #ccd;padding:.4em .8em;border-radius:4px}
.kk-swot h4{margin:.2em 0}
.kk-tree ul{list-style:none;padding-left:1.4em;border-left:1px dotted #aab;margin:0}
.kk-tree li{margin:.2em 0}
.kk-tag{display:inline-block;padding:0 .4em;border-radius:3px;background:#eef;font-size:12px}
.kk-alert{color:#c0392b;font-weight:bold}
.kk-text{max-width:900px;white-space:pre-wrap}
.kk-method{color:#666;font-size:12px;max-width:900px}
</style>
"""


def text(value: object) -> str:
    """Escaped text; missing values become empty."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return escape(str(value))


def heading(title: str, level: int = 2) -> str:
    return f"<h{level}>{text(title)}</h{level}>"


def findings(sentences: Iterable[str]) -> str:
    body = "".join(f"<p>{text(s)}</p>" for s in sentences)
    return f'<div class="kk-findings">{body}</div>' if body else ""


def missing(message: str) -> str:
    return f'<div class="kk-missing">{text(message)}</div>'


def paragraph(value: object, label: str | None = None) -> str:
    head = f"<strong>{text(label)}</strong><br>" if label else ""
    return f'<div class="kk-text">{head}{text(value)}</div>'


def table(frame: pd.DataFrame, headers: Mapping[str, str],
          formats: Mapping[str, Formatter] | None = None) -> str:
    """An HTML table of ``frame``'s columns named in ``headers`` (column -> header text)."""
    formats = formats or {}
    head = "".join(f"<th>{text(h)}</th>" for h in headers.values())
    rows = []
    for _, record in frame.iterrows():
        cells = []
        for column in headers:
            value = record[column]
            if column in formats:
                cells.append(f'<td class="num">{text(formats[column](value))}</td>')
            else:
                cells.append(f"<td>{text(value)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f'<table class="kk-table"><thead><tr>{head}</tr></thead>' \
           f"<tbody>{''.join(rows)}</tbody></table>"


def swot_grid(quadrants: Mapping[str, list[tuple[str, str]]]) -> str:
    """A 2x2 grid: quadrant title -> [(id, text), ...], in the order given."""
    boxes = []
    for title, items in quadrants.items():
        lis = "".join(f"<li><span class='kk-tag'>{text(i)}</span> {text(t)}</li>"
                      for i, t in items) or "<li>-</li>"
        boxes.append(f"<div><h4>{text(title)}</h4><ul>{lis}</ul></div>")
    return f'<div class="kk-swot">{"".join(boxes)}</div>'


def tree(nodes: list[tuple[int, str]]) -> str:
    """Nested lists from (depth, already-escaped html) rows in depth-first order; a child
    list sits inside its parent's item, as HTML wants it."""
    out, depth = ['<div class="kk-tree"><ul>'], 0
    for index, (level, item) in enumerate(nodes):
        if index:
            if level > depth:
                out.append("<ul>" * (level - depth))
            else:
                out.append("</li>" + "</ul></li>" * (depth - level))
        out.append(f"<li>{item}")
        depth = level
    if nodes:
        out.append("</li>" + "</ul></li>" * depth)
    out.append("</ul></div>")
    return "".join(out)
