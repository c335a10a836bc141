"""How each report language writes numbers, amounts and dates: one record per language.

The records are data, in ``locales.yaml`` beside this module (as great_tables keeps its
locales as a table): decimal and group marks, how an amount names its currency, the word
for a missing figure, the units of points and short amounts, the date format, the names of
months and days, the plural rule. Every formatter (``kamkit.formatting``), chart (``kamkit.charts``)
and sentence takes its language's record from here; nothing else branches on a language.

The languages kamkit offers are the records in that file. Adding one (say German) is a
record there plus a column in ``labels.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

import yaml

from kamkit.errors import KamkitError

_FILE = Path(__file__).with_name("locales.yaml")

PLURAL_RULES: dict[str, Callable[[float], str]] = {
    "one_other": lambda n: "one" if n == 1 else "other",  # en, nl, de, ...
    "one_below_2": lambda n: "one" if 0 <= n < 2 else "other",  # fr
    "other": lambda n: "other",  # languages without a plural form
}
"""Plural rules by name: a count's plural category, as CLDR names them ("one", "other")."""

_LENGTHS = {"periods": 2, "days": 7, "short_days": 7, "months": 12,
            "short_months": 12}


@dataclass(frozen=True)
class Locale:
    """How one language writes figures.

    Examples
    --------
    >>> nl = for_language("nl")
    >>> nl.decimal, nl.group, nl.date
    (',', '.', '%d-%m-%Y')
    >>> nl.plural_category(1), nl.plural_category(3)
    ('one', 'other')
    """

    language: str
    name: str
    """The language's name in itself: "English", "Nederlands"."""
    decimal: str
    """The decimal mark: ``.`` in 3.5 (en), ``,`` in 3,5 (nl)."""
    group: str
    """The thousands separator: ``,`` in 1,234 (en), ``.`` in 1.234 (nl)."""
    currency: str
    """An amount with its currency: ``{amount}`` the figure, ``{code}`` the currency's ISO
    code (EUR 1,234), ``{symbol}`` its symbol in the language (€ 1.234)."""
    missing: str
    """A figure that is not known: "n/a", "n.b."."""
    minus: str
    """The sign of a negative figure, the same in tables, sentences and chart axes: "-"
    (Vega's default on axes would be U+2212 "−")."""
    points: str
    """The unit of a change in percentage points: "pts", "%-punt"."""
    millions: str
    """The suffix of a short amount in millions: "m" (EUR 1.2m), "\\xa0mln" (€ 1,2 mln)."""
    thousands: str
    """The suffix of a short amount in thousands: "k" (EUR 350k)."""
    date: str
    """A date as readers see it, in directives that Python's strftime and Vega's (d3) time
    format share: "%Y-%m-%d" (2025-12-31), "%d-%m-%Y" (31-12-2025)."""
    date_time: str
    """d3's ``%c``: a date and time."""
    time: str
    """d3's ``%X``: a time."""
    periods: tuple[str, str]
    days: tuple[str, ...]
    """Names of the days, Sunday first."""
    short_days: tuple[str, ...]
    months: tuple[str, ...]
    """Names of the months, January first."""
    short_months: tuple[str, ...]
    plural: str
    """The name of the plural rule (a key of ``PLURAL_RULES``)."""

    def plural_category(self, count: float) -> str:
        """The plural category of ``count``: "one" or "other" (the rule's own names)."""
        return PLURAL_RULES[self.plural](count)


def _record(language: str, raw: object) -> Locale:
    """The record of ``language`` from the file, checked field by field."""
    names = [f.name for f in fields(Locale) if f.name != "language"]
    where = f"{_FILE.name}, language {language!r}"
    if not isinstance(raw, dict):
        raise KamkitError(f"{where}: expected fields {', '.join(names)}.")
    missing = [name for name in names if name not in raw]
    unknown = sorted(set(raw) - set(names))
    if missing or unknown:
        raise KamkitError(f"{where}: " + "; ".join(
            ([f"missing {', '.join(missing)}"] if missing else [])
            + ([f"unknown {', '.join(unknown)}"] if unknown else [])) + ".")
    values: dict[str, object] = {}
    for name in names:
        value = raw[name]
        if name in _LENGTHS:
            if not (isinstance(value, list) and len(value) == _LENGTHS[name]
                    and all(isinstance(v, str) for v in value)):
                raise KamkitError(f"{where}, field {name}: expected a list of "
                                  f"{_LENGTHS[name]} texts, found {value!r}.")
            value = tuple(value)
        elif not isinstance(value, str):
            raise KamkitError(f"{where}, field {name}: expected a text, found {value!r}.")
        values[name] = value
    pattern = str(values["currency"])
    try:
        pattern.format(code="", symbol="", amount="")
    except (KeyError, IndexError, ValueError):
        raise KamkitError(f"{where}, field currency: {pattern!r} may name only {{amount}}, "
                          "{code} and {symbol}.") from None
    if pattern.count("{amount}") != 1:
        raise KamkitError(f"{where}, field currency: {pattern!r} must hold {{amount}} once.")
    if values["plural"] not in PLURAL_RULES:
        raise KamkitError(f"{where}, field plural: {values['plural']!r} is no plural rule; "
                          f"use one of {', '.join(PLURAL_RULES)}.")
    return Locale(language=language, **values)  # type: ignore[arg-type]


@cache
def locales() -> dict[str, Locale]:
    """Every language's record, in the file's order."""
    raw = yaml.safe_load(_FILE.read_text(encoding="utf-8"))
    return {str(language): _record(str(language), record) for language, record in raw.items()}


def languages() -> tuple[str, ...]:
    """The languages kamkit writes reports in: "en", "nl", ..."""
    return tuple(locales())


def for_language(language: str) -> Locale:
    """The record of ``language``; a clear error for a language without one."""
    try:
        return locales()[language]
    except (KeyError, TypeError):
        raise KamkitError(f"Unknown language {language!r}: use one of "
                          f"{', '.join(languages())}.") from None


def check_language(language: str) -> str:
    """``language`` itself when kamkit has a record for it, else a clear error."""
    for_language(language)
    return language
