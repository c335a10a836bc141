"""What a report for management says is in a reader's words: no path of the machine that
made it, no command or file to edit (that is what `kamkit validate` and the workbench say)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from kamkit.cli import build_parser
from kamkit.labels import labels
from kamkit.report.portfolio import PortfolioReport

TOOL_ONLY = ("wb.", "problem.")
"""Label namespaces only the workbench and `kamkit validate` show (to whoever keeps the
workbook); every other label can end up in a report, a deck or a PDF."""


def _commands() -> list[str]:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return list(sub.choices)


COMMAND = re.compile(r"`|--[a-z]|\bDIR\b|kamkit (" + "|".join(map(re.escape, _commands())) + r")\b")
PATH_PLACEHOLDER = re.compile(r"\{(folder|path|file|directory|dir)\}")


def reader_labels() -> list[tuple[str, str]]:
    """(key, text) of every language and plural form of the labels a report can show."""
    out = []
    for key, value in labels().items():
        if key.startswith(TOOL_ONLY):
            continue
        for text in _texts(value):
            out.append((key, text))
    return out


def _texts(value: object) -> list[str]:
    if isinstance(value, dict):
        return [text for inner in value.values() for text in _texts(inner)]
    return [str(value)]


@pytest.mark.parametrize(("key", "text"), reader_labels())
def test_no_report_label_names_a_command_or_a_path(key: str, text: str) -> None:
    assert not COMMAND.search(text), f"{key}: {text}"
    assert not PATH_PLACEHOLDER.search(text), f"{key}: {text}"


@pytest.mark.parametrize("language", ["en", "nl"])
def test_portfolio_report_shows_no_path_of_its_snapshots_folder(tmp_path: Path,
                                                               language: str) -> None:
    folder = tmp_path / "snapshots-of-quarters"
    folder.mkdir()
    report = PortfolioReport.build(None, "2026Q3", language, snapshots=folder)
    shown = report.header_html() + "".join(
        report.section(key).html() + "".join(b for b in report.section(key).blocks
                                             if isinstance(b, str))
        for key in report.sections())
    assert "2026Q2" in report.section("pf_changes").html()
    assert str(tmp_path) not in shown
    assert "snapshots-of-quarters" not in shown
