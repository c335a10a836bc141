"""Numbers as a reader sees them: EUR amounts, percentages and points, per language."""

from __future__ import annotations

import math

import pandas as pd

from kamkit.labels import check_language

_MISSING = {"en": "n/a", "nl": "n.b."}


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _grouped(value: float, decimals: int, language: str) -> str:
    text = f"{value:,.{decimals}f}"
    if language == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def eur(value: object, language: str = "en", decimals: int = 0) -> str:
    """``EUR 1,234,567`` (en) or ``€ 1.234.567`` (nl); ``n/a`` when missing."""
    check_language(language)
    if _missing(value):
        return _MISSING[language]
    number = float(value)  # type: ignore[arg-type]
    sign = "-" if number < 0 else ""
    body = _grouped(abs(number), decimals, language)
    return f"{sign}EUR {body}" if language == "en" else f"{sign}€ {body}"


def eur_short(value: object, language: str = "en") -> str:
    """Compact amounts for sentences: EUR 1.2m / € 1,2 mln, EUR 350k / € 350k."""
    check_language(language)
    if _missing(value):
        return _MISSING[language]
    number = float(value)  # type: ignore[arg-type]
    prefix = "EUR " if language == "en" else "€ "
    sign = "-" if number < 0 else ""
    size = abs(number)
    if size >= 1e6:
        unit = "m" if language == "en" else " mln"
        return f"{sign}{prefix}{_grouped(size / 1e6, 1, language)}{unit}"
    if size >= 1e4:
        return f"{sign}{prefix}{_grouped(size / 1e3, 0, language)}k"
    return f"{sign}{prefix}{_grouped(size, 0, language)}"


def pct(share: object, language: str = "en", decimals: int = 0) -> str:
    """A share 0..1 as ``34%``; ``n/a`` when missing."""
    check_language(language)
    if _missing(share):
        return _MISSING[language]
    return f"{_grouped(float(share) * 100, decimals, language)}%"  # type: ignore[arg-type]


def per_cent(value: object, language: str = "en", decimals: int = 0) -> str:
    """A figure already in per cent (a ``*_pct`` column, 0-100) as ``34%``; ``n/a`` when
    missing."""
    share = None if _missing(value) else float(value) / 100  # type: ignore[arg-type]
    return pct(share, language, decimals)


def points(change: object, language: str = "en", decimals: int = 0) -> str:
    """A change in percentage points with its sign: ``+6 pts`` / ``+6 ptn``."""
    check_language(language)
    if _missing(change):
        return _MISSING[language]
    number = round(float(change), decimals)  # type: ignore[arg-type]
    unit = "pts" if language == "en" else "ptn"
    sign = "+" if number > 0 else ("-" if number < 0 else "±")
    return f"{sign}{_grouped(abs(number), decimals, language)} {unit}"


def number(value: object, language: str = "en", decimals: int = 0) -> str:
    check_language(language)
    if _missing(value):
        return _MISSING[language]
    return _grouped(float(value), decimals, language)  # type: ignore[arg-type]


def date(value: object, language: str = "en") -> str:
    """A date as the language writes it: 2025-12-31 (en), 31-12-2025 (nl); n/a when missing."""
    check_language(language)
    if _missing(value) or value is pd.NaT:
        return _MISSING[language]
    day = pd.Timestamp(value)  # type: ignore[arg-type]
    return f"{day:%Y-%m-%d}" if language == "en" else f"{day:%d-%m-%Y}"
