"""Every heading, label and generated sentence, in English and Dutch: one table.

The texts live in ``labels.yaml`` beside this module (a key with an ``en`` and an ``nl``
text, ``{placeholders}`` for figures). Adding a language means adding a column there.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from kamkit.errors import KamkitError

LANGUAGES = ("en", "nl")
_FILE = Path(__file__).with_name("labels.yaml")


@cache
def labels() -> dict[str, dict[str, str]]:
    """The whole table: key -> language -> text."""
    return yaml.safe_load(_FILE.read_text(encoding="utf-8"))


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise KamkitError(f"Unknown language {language!r}: use one of {', '.join(LANGUAGES)}.")
    return language


def t(key: str, language: str, /, **values: object) -> str:
    """The text of ``key`` in ``language``, with ``values`` filled in."""
    check_language(language)
    try:
        text = labels()[key][language]
    except KeyError:
        raise KamkitError(f"No label {key!r} in {_FILE.name} for {language!r}.") from None
    return text.format(**values) if values else text


def words(values: Iterable[object], prefix: str, language: str) -> list[str]:
    """Values such as "high" or "deep selling" as their label ``prefix + value``; a value
    without a label is kept as it is, a missing one becomes ""."""
    table = labels()
    out = []
    for value in values:
        if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
            out.append("")
            continue
        key = prefix + str(value).replace(" ", "_").replace("-", "_")
        out.append(t(key, language) if key in table else str(value))
    return out


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
