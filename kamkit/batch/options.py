"""Run options declared once, as nbclient declares each trait once with its help.

Every setting of a run definition is a field of ``RunDefinition`` made with ``option()``:
the field gives its name, type and default; the option beside it gives its kind (how it is
written and checked), its help text and its command-line flags. From these declarations
come the options of ``kamkit run`` (``add_arguments``), the checking of run definitions
(``definition.load_definition``) and ``docs/run-definition.md`` (``definition_docs``).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kamkit.parsing import typed_date
from kamkit.problems import SaidError, Words, words

_MISSING: Any = dataclasses.MISSING


class Invalid(ValueError):
    """A setting's value is not what its kind accepts; the message says what was expected
    and what was found (the caller adds the file and the setting). Raised of Words, it can
    be said in every language (``words``)."""

    def __init__(self, message: str | Words) -> None:
        self.words = message if isinstance(message, Words) else None
        super().__init__(message.said("en") if isinstance(message, Words) else message)


@dataclass(frozen=True)
class Kind:
    """How a setting is written: its type in words, its placeholder on the command line, the
    check that turns a written value into the definition's value, and argparse's conversion.
    """

    text: str  # for the reference: "a whole number of at least 1"
    metavar: str  # for --help: N, DATE, PATH
    read: Callable[[object], Any]  # raises Invalid
    cli_type: Callable[[str], Any] | None = str  # None: a flag without a value


@dataclass(frozen=True)
class RunOption:
    """One setting of a run definition (see the module docstring)."""

    name: str  # the RunDefinition field
    key: str  # the key in a definition file and in overrides
    kind: Kind
    help: str
    default: str  # the default in words
    flags: tuple[str, ...] = ()  # command-line flags; none: only in a definition file
    in_file: bool = True  # False: only on the command line (``--force``)
    aliases: tuple[str, ...] = ()  # other keys a file may use for it
    example: str | None = None  # the value the reference's example shows; None: left out

    @property
    def cli_help(self) -> str:
        """The help line of its command-line option (argparse expands ``%``)."""
        return f"{self.help} (default: {self.default})".replace("%", "%%")


@dataclass(frozen=True)
class _Declared:
    """What ``option()`` stores in a field's metadata; the field supplies name and default."""

    kind: Kind
    help: str
    default: str | None
    flags: tuple[str, ...]
    key: str | None
    in_file: bool
    aliases: tuple[str, ...]
    example: str | None


_METADATA = "kamkit.option"


def option(kind: Kind, help: str, *, default: Any = _MISSING,
           default_factory: Callable[[], Any] = _MISSING, default_text: str | None = None,
           flags: Sequence[str] = (), key: str | None = None, in_file: bool = True,
           aliases: Sequence[str] = (), example: str | None = None) -> Any:
    """A ``RunDefinition`` field that is a run option.

    Parameters
    ----------
    kind
        How the setting is written and checked.
    help
        What it means, one line without its default.
    default, default_factory
        The field's default, as for ``dataclasses.field``; shown in the help unless
        ``default_text`` says it in words.
    flags
        Its command-line flags, e.g. ``("--jobs", "-j")``.
    key
        Its key in a definition file when that is not the field's name.
    in_file
        False for an option given only on the command line.
    aliases
        Other keys a file may use for it.
    example
        The value the reference's example file shows (None: not shown).
    """
    declared = _Declared(kind, help, default_text, tuple(flags), key, in_file, tuple(aliases),
                         example)
    return dataclasses.field(default=default, default_factory=default_factory,
                             metadata={_METADATA: declared})


def _default_text(value: object) -> str:
    if isinstance(value, tuple | list):
        return ", ".join(map(str, value))
    return str(value)


def options_of(cls: type) -> tuple[RunOption, ...]:
    """The run options declared on a dataclass, in declaration order."""
    found = []
    for f in dataclasses.fields(cls):
        declared: _Declared | None = f.metadata.get(_METADATA)
        if declared is None:
            continue
        default = declared.default
        if default is None:
            if f.default is _MISSING:
                raise TypeError(f"option {f.name} needs default_text: it has no default")
            default = _default_text(f.default)
        found.append(RunOption(
            name=f.name, key=declared.key or f.name, kind=declared.kind, help=declared.help,
            default=default, flags=declared.flags, in_file=declared.in_file,
            aliases=declared.aliases, example=declared.example))
    return tuple(found)


# ------------------------------------------------------------------------------ kinds
_SCALARS = str | int | float | bool | None | dt.date


def shown(value: object) -> str:
    """A value for a message: as Python writes it, cut to 60 characters; a collection of
    collections only by its size (a value from a file can be anything, an alias bomb too)."""
    items = list(value.items()) if isinstance(value, dict) else value
    if isinstance(value, _SCALARS) or (
            isinstance(items, list | tuple) and len(items) <= 10
            and all(isinstance(v, _SCALARS) for item in items
                    for v in (item if isinstance(value, dict) else (item,)))):
        text = repr(value)
    else:
        kind = "mapping" if isinstance(value, dict) else (
            "list" if isinstance(value, list | tuple) else type(value).__name__)
        size = f" of {len(value)} items" if isinstance(value, dict | list | tuple) else ""
        text = f"a {kind}{size}"
    return text if len(text) <= 60 else text[:57] + "..."


def _whole_number(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise Invalid(words("cli.run.invalid.whole_number", found=shown(value)))
    return value


def _path(value: object) -> Path:
    if not isinstance(value, str | Path) or not str(value).strip():
        raise Invalid(words("cli.run.invalid.path", found=shown(value)))
    return Path(value).expanduser()


def _optional_path(value: object) -> Path | None:
    """A path made absolute; nothing (null or empty) means the option's default."""
    return _path(value).resolve() if value not in (None, "") else None


def names(value: object) -> tuple[str, ...]:
    """A list from YAML, or a comma-separated text from the command line; duplicates are
    dropped, the order is kept."""
    if isinstance(value, str):
        items = [v.strip() for v in value.split(",")]
    elif isinstance(value, list | tuple):
        nested = next((v for v in value if isinstance(v, list | tuple | dict)), None)
        if nested is not None:
            raise Invalid(words("cli.run.invalid.nested", found=shown(nested)))
        items = [str(v).strip() for v in value]
    else:
        raise Invalid(words("cli.run.invalid.list", found=shown(value)))
    if not items:
        raise Invalid(words("cli.run.invalid.empty_list"))
    if not all(items):
        raise Invalid(words("cli.run.invalid.empty_name", found=shown(value)))
    return tuple(dict.fromkeys(items))


def _date(value: object) -> dt.date | None:
    """A day as a YAML date or a text the workbook reads as one without doubt (2026-10-01,
    01-10-2026: ``parsing.typed_date``); nothing (null) means the option's default."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str):
        try:
            day = typed_date(value)
        except SaidError as error:
            raise Invalid(words("cli.run.invalid.date_reason", found=shown(value),
                                reason=error.words)) from None
        if day is not None:
            return day
    raise Invalid(words("cli.run.invalid.date", found=shown(value)))


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise Invalid(words("cli.run.invalid.flag", found=shown(value)))
    return value


WHOLE_NUMBER = Kind("a whole number of at least 1", "N", _whole_number, int)
PATH = Kind("a path", "PATH", _path)
OPTIONAL_PATH = Kind("a path, or null for the default", "PATH", _optional_path)
DATE = Kind("a date, YYYY-MM-DD or DD-MM-YYYY", "DATE", _date)
FLAG = Kind("a flag", "", _flag, None)


def choices(text: str, metavar: str, read: Callable[[tuple[str, ...]], Any],
            null: bool = False) -> Kind:
    """A kind for a list of names (``names``) checked further by ``read``; with ``null``,
    nothing (null) is read as None: the option's default."""
    def read_list(value: object) -> Any:
        return None if null and value is None else read(names(value))

    return Kind(f"{text}: a list in a file, separated by commas on the command line",
                metavar, read_list)


# ------------------------------------------------------------------------------ derived
def file_keys(options: Iterable[RunOption]) -> dict[str, RunOption]:
    """The options a definition file may set, by key."""
    return {o.key: o for o in options if o.in_file}


def add_arguments(parser: argparse.ArgumentParser, options: Iterable[RunOption]) -> None:
    """The command-line options of ``options`` that have flags. An option not given is
    None, so it does not replace the definition file's setting."""
    for o in options:
        if not o.flags:
            continue
        if o.kind.cli_type is None:
            parser.add_argument(*o.flags, dest=o.key, action="store_true", default=None,
                                help=o.help)
        else:
            parser.add_argument(*o.flags, dest=o.key, type=o.kind.cli_type, default=None,
                                metavar=o.kind.metavar, help=o.cli_help)


def overrides(args: argparse.Namespace, options: Iterable[RunOption]) -> dict[str, object]:
    """The settings given on the command line (None where an option was not given)."""
    return {o.key: getattr(args, o.key) for o in options if o.flags}


def read_settings(settings: Mapping[str, object], options: Iterable[RunOption],
                  fail: Callable[[str, str | Words], Exception]) -> dict[str, Any]:
    """Each given setting checked by its kind, by field name; ``fail(key, message)`` makes
    the error for a value that is not what its kind accepts."""
    values: dict[str, Any] = {}
    for o in options:
        if o.key in settings:
            try:
                values[o.name] = o.kind.read(settings[o.key])
            except Invalid as error:
                raise fail(o.key, error.words or str(error)) from None
    return values
