"""The workbook's currency: an ISO 4217 code, and the language that shows amounts in it.

kamkit converts no currencies: a workbook's amounts are in the one currency it declares
(``workbook.yaml``, ``kamkit.settings``), EUR by default, and every report, chart, table,
finding, deck and widget names that currency where it shows an amount. The currency
travels with the report language: a ``Language`` is the language code ("en") that also
carries the currency, so everything that already receives the language formats amounts in
the right currency without a global setting (a widget may show two workbooks).
"""

from __future__ import annotations

from functools import cache

from kamkit.errors import KamkitError
from kamkit.problems import Words, words

DEFAULT = "EUR"
"""The currency of a workbook that declares none (every workbook before format version 2)."""
MONEY = "money"
"""The unit of an amount (a metric, a criterion): shown as the workbook's currency (the
label ``unit.money``), formatted as an amount."""


@cache
def _codes() -> frozenset[str]:
    import pycountry  # imported here: only a workbook that names a currency pays for it

    return frozenset(c.alpha_3 for c in pycountry.currencies)


def codes() -> frozenset[str]:
    """Every ISO 4217 currency code (pycountry)."""
    return _codes()


def check_code(value: object, where: str) -> str:
    """``value`` as an ISO 4217 code ("usd" and " USD " give "USD"); a ``KamkitError``
    naming ``where`` and the value otherwise."""
    code = value.strip().upper() if isinstance(value, str) else ""
    if code not in codes():
        raise KamkitError.of(words("problem.placed", where=where, text=unknown_code_words(value)))
    return code


def unknown_code_words(value: object) -> Words:
    """Why ``value`` is no currency (``check_code``), as a problem's message."""
    return words("problem.currency.unknown", value=repr(value))


@cache
def symbol(code: str, language: str) -> str:
    """How ``language`` writes the currency's symbol (babel's CLDR data): "€", "$" in
    English, "US$" in Dutch; the code itself where there is none ("CHF")."""
    from babel.numbers import get_currency_symbol

    try:
        return str(get_currency_symbol(code, locale=str(language)))
    except Exception:  # a language babel does not know: the code is always understood
        return code


class Language(str):
    """A report language that also says which currency the amounts it shows are in.

    It is its language code for every comparison and lookup (``Language("en", "USD") ==
    "en"``), so labels and locale records are found as before; ``currency`` is the
    workbook's. Made by ``in_currency``; a plain ``str`` language is in ``DEFAULT``.
    """

    currency: str

    def __new__(cls, language: str, currency: str = DEFAULT) -> Language:
        made = super().__new__(cls, language)
        made.currency = currency
        return made

    def __repr__(self) -> str:
        return f"Language({str(self)!r}, {self.currency!r})"

    def __reduce__(self) -> tuple[type[Language], tuple[str, str]]:
        return Language, (str(self), self.currency)


def in_currency(language: str, currency: str) -> str:
    """``language`` showing amounts in ``currency``: the plain language code for the default
    currency (nothing changes), a ``Language`` otherwise."""
    code = str(language)
    return code if currency == DEFAULT else Language(code, currency)


def currency_of(language: str) -> str:
    """The currency the amounts shown in ``language`` are in."""
    return getattr(language, "currency", DEFAULT)


__all__ = ["DEFAULT", "MONEY", "Language", "check_code", "codes", "currency_of", "in_currency",
           "symbol"]
