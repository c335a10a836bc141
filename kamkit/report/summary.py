"""The executive summary that opens every account report: five to eight plain sentences on
what matters for the account now, each linked to the section it comes from, and the three
or four figures that carry them.

The sentences are the reports' own findings (``kamkit.findings``), picked in an order of
what a director reads first; what changed since the previous quarter's snapshot comes
before them when there is one. Nothing here computes a figure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from kamkit.report import html

MIN_LINES = 5
MAX_LINES = 8
"""A summary says at least this many sentences where the report has them, and at most."""

TOC_SLOT = '<nav class="kk-toc-slot"></nav>'
"""Where an HTML report's table of contents goes: below the summary and the source
(``kamkit.batch.convert`` fills it)."""


@dataclass(frozen=True)
class Line:
    """One sentence of the summary and the section (its key) it links to."""

    text: str
    section: str


@dataclass(frozen=True)
class Figure:
    """One figure of the summary: its label, its value, a note under it (a change), and a
    status (``on_track``, ``at_risk``, ``off_track``) that colours it."""

    label: str
    value: str
    note: str = ""
    status: str | None = None


def anchor(section: str) -> str:
    """The HTML id of a section's heading: what summary lines and the contents link to."""
    return f"kk-{section}"


Pick = tuple[str, int]
"""(section key, index of the finding in that section): one candidate sentence."""


def pick(findings: Callable[[str], Sequence[str]], order: Sequence[Pick],
         first: Sequence[Line] = (), limit: int = MAX_LINES) -> tuple[Line, ...]:
    """The summary's sentences: ``first`` (changes since last quarter), then each finding
    named in ``order`` that the report has, up to ``limit``; a sentence is said once.

    Parameters
    ----------
    findings
        A section key -> that section's findings.
    order
        The candidates, most important first.
    """
    lines: list[Line] = list(first)[:limit]
    seen = {line.text for line in lines}
    for key, index in order:
        if len(lines) >= limit:
            break
        found = findings(key)
        if index < len(found) and found[index] and found[index] not in seen:
            seen.add(found[index])
            lines.append(Line(found[index], key))
    return tuple(lines)


def _figure(figure: Figure) -> str:
    value = (html.look("figure-value", figure.status) if figure.status
             else html.look("figure-value"))
    note = (f"<div {html.look('figure-note')}>{html.text(figure.note)}</div>"
            if figure.note else "")
    return (f"<div {html.look('figure')}><div {html.look('figure-label')}>"
            f"{html.text(figure.label)}</div><div {value}>{html.text(figure.value)}</div>"
            f"{note}</div>")


@dataclass(frozen=True)
class Summary:
    """The summary of one report: a title, its figures and its sentences."""

    title: str
    figures: tuple[Figure, ...]
    lines: tuple[Line, ...]
    section_titles: Mapping[str, str]  # section key -> its heading, for the links

    def html(self) -> str:
        """The summary as one HTML block, each sentence followed by a link to its section."""
        figures = "".join(_figure(f) for f in self.figures)
        items = "".join(
            f"<li {html.look('summary-line')}>{html.text(line.text)} "
            f"<a href=\"#{anchor(line.section)}\" {html.look('summary-link')}>→ "
            f"{html.text(self.section_titles.get(line.section, line.section))}</a></li>"
            for line in self.lines)
        return (f'<section id="{anchor("summary")}" {html.look("summary")}>'
                f"<h2 {html.look('summary-title')}>{html.text(self.title)}</h2>"
                f"<div {html.look('figures')}>{figures}</div>"
                f"<ol {html.look('summary-lines')}>{items}</ol></section>")
