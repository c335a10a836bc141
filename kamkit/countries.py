"""Country names and codes, to ISO 3166 two-letter codes: the importer maps an export's
countries with it, validation checks a workbook's country columns against it.

The names come from pycountry (ISO 3166-1 with its translations): codes (NL, NLD), English
names (short, official and common) and Dutch names; a short list adds the everyday names
ISO does not carry (Holland, UK, Russia, ...). A value that is no country at all, such as a
postal code in the country column, maps to None.
"""

from __future__ import annotations

import gettext
import unicodedata
from collections.abc import Callable
from functools import cache

import pycountry

# Everyday names that are not an ISO name in English or Dutch.
_ALIASES = {
    "holland": "NL", "the netherlands": "NL", "uk": "GB", "great britain": "GB",
    "britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northern ireland": "GB", "engeland": "GB", "schotland": "GB", "groot-brittannie": "GB",
    "groot brittannie": "GB", "usa": "US", "america": "US", "amerika": "US", "vs": "US",
    "russia": "RU", "rusland": "RU", "south korea": "KR", "zuid-korea": "KR",
    "north korea": "KP", "noord-korea": "KP", "iran": "IR", "syria": "SY", "vietnam": "VN",
    "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "moldova": "MD", "laos": "LA",
    "taiwan": "TW", "czech republic": "CZ", "tsjechie": "CZ", "turkey": "TR", "turkije": "TR",
    "deutschland": "DE", "belgique": "BE", "osterreich": "AT", "schweiz": "CH",
    "suisse": "CH", "espana": "ES", "italia": "IT", "danmark": "DK", "sverige": "SE",
    "norge": "NO", "polska": "PL", "luxemburg": "LU",
}


def _key(name: str) -> str:
    """A name compared without case, accents or surrounding spaces and dots."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().replace(".", " ").split())


@cache
def _names() -> dict[str, str]:
    dutch: Callable[[str], str]
    try:
        dutch = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["nl"]).gettext
    except OSError:  # a pycountry without its translations: English names still work
        dutch = str
    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                names[_key(name)] = code
                names[_key(dutch(name))] = code
        names[_key(country.alpha_3)] = code
        names[_key(code)] = code
    names.update(_ALIASES)
    return names


def country_code(value: str) -> str | None:
    """The ISO 3166 two-letter code of a country name or code, or None.

    Examples
    --------
    >>> [country_code(v) for v in ("Nederland", "germany", "België", "NLD", "UK", "1012 AB")]
    ['NL', 'DE', 'BE', 'NL', 'GB', None]
    """
    key = _key(str(value))
    if not key or not any(c.isalpha() for c in key):
        return None  # numbers (a postal code) are never a country, even where ISO has them
    return _names().get(key)


def country_name(code: str) -> str:
    """The English short name of an ISO code (the code itself where it is unknown)."""
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name if country else code


@cache
def _codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


def is_iso_code(value: str) -> bool:
    """Whether ``value`` is an ISO 3166 two-letter country code as written (upper case).

    Examples
    --------
    >>> [is_iso_code(v) for v in ("NL", "nl", "NLD", "XX", "France")]
    [True, False, False, False, False]
    """
    return value in _codes()
