"""Small pieces of the generated Markdown references (``docs/``): table cells, code blocks
and writing a reference file."""

from __future__ import annotations

import sys
from pathlib import Path

from kamkit.atomic import write_text_atomic


def cell(text: str) -> str:
    """``text`` safe inside a Markdown table cell."""
    return text.replace("|", "\\|")


def code_block(text: str, language: str) -> list[str]:
    """The lines of a fenced code block, with the blank line after it."""
    return [f"```{language}", text.rstrip(), "```", ""]


def write_reference(path: Path, text: str) -> int:
    """Write a generated reference and say so; the exit code of its ``main``."""
    write_text_atomic(path, text)
    print(f"Wrote {path}.", file=sys.stderr)
    return 0
