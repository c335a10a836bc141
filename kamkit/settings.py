"""The workbook's own settings, in ``workbook.yaml``: its format version and its currency.

The file lies at the root of a folder workbook, and beside an ``.xlsx`` workbook (where its
``documents`` folder is too)::

    format_version: 2
    currency: USD

A workbook without the file is of format version 1 and in EUR. ``FORMAT_VERSION`` is the
version this kamkit writes; it reads every earlier one (``kamkit.schema.RENAMED_COLUMNS``
maps the names) and refuses a later one. Every change to the format raises the version and
comes with its step in ``kamkit.migrate`` and a test on a workbook of the previous version.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from kamkit import currency as money
from kamkit import yamlread
from kamkit.errors import KamkitError
from kamkit.problems import Problem, Severity, Words, words
from kamkit.readers import InputFileError, read_bytes_limited, refused_words

SETTINGS_FILE = "workbook.yaml"
FORMAT_VERSION = 2
"""The workbook format this kamkit writes. 1: the first (money columns named ``*_eur``, in
EUR, no ``workbook.yaml``); 2: money columns named for the amount (``revenue``), a declared
currency."""
HISTORY = {1: "money columns named for the euro (revenue_eur), amounts in EUR",
           2: "money columns named for the amount (revenue), the currency in workbook.yaml"}
"""What each format version is, for ``kamkit migrate`` and the docs."""
_KEYS = ("format_version", "currency")


class NewerFormatError(KamkitError):
    """A workbook of a format version this kamkit does not know yet."""


@dataclass(frozen=True)
class Settings:
    """A workbook's settings; the defaults are those of a workbook without the file."""

    format_version: int = 1
    currency: str = money.DEFAULT
    declared: bool = False  # whether workbook.yaml exists


def beside_workbook(workbook: str | Path, name: str) -> Path:
    """``name`` in the folder of a workbook's own files (its settings, its documents): the
    workbook folder itself, or the folder an ``.xlsx`` workbook is in.

    Examples
    --------
    >>> beside_workbook("data/kam.xlsx", "x").as_posix(), beside_workbook("data", "x").as_posix()
    ('data/x', 'data/x')
    """
    path = Path(workbook)
    return (path.parent if path.suffix.lower() == ".xlsx" else path) / name


def settings_file(workbook: str | Path) -> Path:
    """Where a workbook's settings are: ``workbook.yaml`` in a folder workbook, beside an
    ``.xlsx`` one.

    Examples
    --------
    >>> settings_file("data/kam.xlsx").as_posix(), settings_file("data").as_posix()
    ('data/workbook.yaml', 'data/workbook.yaml')
    """
    return beside_workbook(workbook, SETTINGS_FILE)


def read_settings(workbook: str | Path, problems: list[Problem]) -> Settings:
    """The settings of ``workbook``; what is wrong in the file is added to ``problems``
    (naming the file, the key and the value) and its default used.

    Raises
    ------
    NewerFormatError
        For a format version later than ``FORMAT_VERSION``: its names and meanings are
        unknown here, so nothing of it is read.
    """
    path = settings_file(workbook)
    if not path.exists():
        return Settings()

    def wrong(message: Words, row: int | None = None, column: str | None = None,
              value: str | None = None) -> None:
        problems.append(Problem.said(Severity.ERROR, SETTINGS_FILE, message, row=row,
                                     column=column, value=value))

    text = ""
    try:
        text = read_bytes_limited(path).decode("utf-8-sig")
        data = yamlread.load(text)  # bounded, a key given twice refused (as documents)
    except (InputFileError, OSError) as error:
        wrong(refused_words(error))
        return Settings(declared=True)
    except UnicodeDecodeError as exc:
        wrong(words("problem.doc.not_utf8", byte=str(exc.start)))
        return Settings(declared=True)
    except yaml.YAMLError as exc:
        wrong(yamlread.problem_words(exc, text), row=yamlread.location(exc, text)[0])
        return Settings(declared=True)
    data = {} if data is None else data
    if not isinstance(data, dict):
        wrong(words("problem.settings.not_mapping", keys=", ".join(_KEYS)))
        return Settings(declared=True)
    for key in sorted(set(map(str, data)) - set(_KEYS)):
        wrong(words("problem.settings.unknown", key=repr(key), keys=", ".join(_KEYS)),
              column=key)
    version = data.get("format_version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        wrong(words("problem.settings.version"), column="format_version", value=str(version))
        version = 1
    if version > FORMAT_VERSION:
        raise NewerFormatError.of(words(
            "problem.settings.newer", path=str(path), version=str(version),
            mine=_kamkit_version(), latest=str(FORMAT_VERSION)))
    code = money.DEFAULT
    if "currency" in data:
        try:
            code = money.check_code(data["currency"], SETTINGS_FILE)
        except KamkitError:
            wrong(money.unknown_code_words(data["currency"]), column="currency",
                  value=str(data["currency"]))
    return Settings(version, code, True)


def settings_text(settings: Settings) -> str:
    """A new ``workbook.yaml`` holding ``settings``."""
    return ("# kamkit workbook settings (docs/workbook.md)\n"
            f"format_version: {settings.format_version}\n"
            f"currency: {settings.currency}\n")


def _kamkit_version() -> str:
    from kamkit import __version__

    return __version__


__all__ = ["FORMAT_VERSION", "HISTORY", "SETTINGS_FILE", "NewerFormatError", "Settings",
           "read_settings", "settings_file", "settings_text"]
