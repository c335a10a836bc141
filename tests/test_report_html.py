"""Report HTML fragments: workbook text is escaped, the org tree nests properly."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from kamkit.report import html
from kamkit.report.analysis import AnalysisReport


def test_text_is_escaped_everywhere() -> None:
    evil = "<script>alert(1)</script> & 'x'"
    frame = pd.DataFrame({"name": [evil], "amount": [1.0]})
    rendered = [html.heading(evil), html.findings([evil]), html.paragraph(evil, evil),
                html.missing(evil), html.table(frame, [html.Column("name", evil),
                                                  html.Column("amount", "EUR", str)], evil),
                html.swot_grid({evil: [(evil, evil)]})]
    for fragment in rendered:
        assert "<script>" not in fragment
        assert "&lt;script&gt;" in fragment


def test_tree_nests_children_inside_their_parent() -> None:
    tree = html.tree([(0, "a"), (1, "b"), (2, "c"), (1, "d"), (0, "e")])
    assert re.sub(r' (class|style)="[^"]*"', "", tree.replace('<div class="kk-tree">', "<tree>")
                  ) == (
        "<tree><ul><li>a<ul><li>b<ul><li>c</li></ul></li><li>d</li></ul>"
        "</li><li>e</li></ul></div>")


def test_every_part_is_styled_inline() -> None:
    """JupyterLab drops <style> from a notebook it does not trust; inline styles stay."""
    frame = pd.DataFrame({"name": ["x"], "amount": [1.0]})
    fragments = [html.findings(["f"]), html.missing("m"), html.method("m"), html.tag("t"),
                 html.paragraph("p"), html.table(frame, html.columns({"name": "N", "amount": "A"},
                                                              {"amount": str}), "C"),
                 html.swot_grid({"S": [("S1", "s")]}), html.tree([(0, "a")])]
    for fragment in fragments:
        assert "<style" not in fragment
        for part in re.findall(r'class="kk-([a-z-]+)" style="([^"]*)"', fragment):
            assert part[1] == html.LOOK[part[0]]
        assert re.search(r'class="kk-[a-z-]+" style="[^"]+"', fragment), fragment


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_account_name_with_markup_is_shown_as_text(edit_csv) -> None:
    path = edit_csv("accounts.csv", "Alpha Logistics B.V.", "<b>Alpha</b> & Co")
    header = AnalysisReport.build(path, "A1", "2025Q4").header_html()
    assert "&lt;b&gt;Alpha&lt;/b&gt; &amp; Co" in header and "<b>Alpha" not in header


def test_prospect_without_data_says_what_is_missing_in_a_readers_words(mini_path) -> None:
    report = AnalysisReport.build(mini_path, "A2", "2025Q4")
    a4 = report.section("a4")
    assert a4.findings == ("We have no sales to this account yet.",)
    a3 = report.section("a3")
    shown = [b for key in ("a3", "a4") for b in report.section(key).blocks
             if isinstance(b, str)]
    # an empty section is one box in its own sentence (said once, no "not available" twice)
    boxes = [b for b in a3.blocks if isinstance(b, str)]
    assert len(boxes) == 1 and "has not been written yet" in boxes[0]
    assert not any(".csv" in b or "documents/" in b or "kamkit" in b for b in shown)
