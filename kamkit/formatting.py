"""Figures as a reader sees them: amounts, shares, per cents, points and dates, each in the
way its language writes them (``kamkit.locale``). Amounts are in the currency the language
carries (``kamkit.currency.Language``; EUR for a plain language code)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from functools import cache
from typing import Literal

import pandas as pd

from kamkit.currency import currency_of, symbol
from kamkit.locale import Locale, for_language


def is_missing(value: object) -> bool:
    """Whether ``value`` is a figure that is not known: None, NA, NaT or NaN."""
    return (value is None or value is pd.NA or value is pd.NaT
            or (isinstance(value, float) and math.isnan(value)))


def _grouped(value: float, decimals: int, locale: Locale) -> str:
    """``value`` with the locale's group and decimal marks."""
    text = f"{value:,.{decimals}f}"
    marks = {",": locale.group, ".": locale.decimal, "-": locale.minus}
    return "".join(marks.get(c, c) for c in text)


def currency_text(language: str) -> tuple[str, str]:
    """The text before and after an amount in the language's currency: ("EUR\\xa0", "")
    (en), ("€\\xa0", "") (nl), ("USD\\xa0", "") for a workbook in USD: a no-break space
    keeps the sign with its figure (``kamkit/locales.yaml``)."""
    return _currency_text(for_language(language).currency, str(language),
                          currency_of(language))


@cache
def _currency_text(pattern: str, language: str, code: str) -> tuple[str, str]:
    shown = pattern.format(code=code, symbol=symbol(code, language), amount="\0")
    before, after = shown.split("\0")
    return before, after


def currency_name(language: str) -> str:
    """The currency as ``language`` writes it beside an amount, for a heading or an axis
    title ("Revenue (EUR)", "Omzet (€)"): the same sign as its amounts carry."""
    before, after = currency_text(language)
    return (before + after).strip()


def _amount(body: str, negative: bool, language: str) -> str:
    before, after = currency_text(language)
    return f"{for_language(language).minus if negative else ''}{before}{body}{after}"


def name(value: object, language: str = "en") -> str:
    """A name (a person's, an account's) or, where it is empty, the locale's missing word."""
    text = "" if is_missing(value) else str(value).strip()
    return text or for_language(language).missing


def amount(value: object, language: str = "en", decimals: int = 0) -> str:
    """An amount in the language's currency (``kamkit.currency``): ``EUR 1,234,567`` (en),
    ``€ 1.234.567`` (nl), ``USD 1,234,567`` for a workbook in USD; ``n/a`` when missing."""
    locale = for_language(language)
    if is_missing(value):
        return locale.missing
    number = float(value)  # type: ignore[arg-type]
    return _amount(_grouped(abs(number), decimals, locale), number < 0, language)


def amount_short(value: object, language: str = "en", decimals: int = 1) -> str:
    """Compact amounts for sentences: EUR 1.2m / € 1,2 mln, EUR 350k / € 350k (in the
    language's currency; the locale's ``thousands`` suffix after the thousands). An amount
    that rounds to 1,000 thousands is written in millions (EUR 1.0m, not EUR 1000k), with
    ``decimals`` places."""
    locale = for_language(language)
    if is_missing(value):
        return locale.missing
    number = float(value)  # type: ignore[arg-type]
    size = abs(number)
    if round(size / 1e3) >= 1000:
        body = _grouped(size / 1e6, decimals, locale) + locale.millions
    elif size >= 1e4:
        body = _grouped(size / 1e3, 0, locale) + locale.thousands
    else:
        body = _grouped(size, 0, locale)
    return _amount(body, number < 0, language)


def amount_pair_short(first: object, second: object, language: str = "en") -> tuple[str, str]:
    """Two amounts compared in one sentence ("EUR 2.44m of the EUR 2.45m target"), in
    ``amount_short``'s form with as many places in millions (1 to 3) as it takes for the
    shown amounts to keep their ratio within half a per cent: 2,441,625 against 2,452,900
    reads 2.44m and 2.45m, not 2.4m and 2.5m under a status of "on track".

    Examples
    --------
    >>> amount_pair_short(2_441_625, 2_452_900)
    ('EUR\\xa02.44m', 'EUR\\xa02.45m')
    >>> amount_pair_short(1_800_000, 2_500_000)
    ('EUR\\xa01.8m', 'EUR\\xa02.5m')
    """
    if is_missing(first) or is_missing(second) or not float(second):  # type: ignore[arg-type]
        return amount_short(first, language), amount_short(second, language)
    a, b = float(first), float(second)  # type: ignore[arg-type]
    for places in (1, 2, 3):
        shown = [round(v / 1e6, places) if round(abs(v) / 1e3) >= 1000 else
                 (round(v / 1e3) * 1e3 / 1e6 if abs(v) >= 1e4 else v / 1e6) for v in (a, b)]
        if shown[1] and abs(shown[0] / shown[1] - a / b) < 0.005:
            break
    return amount_short(a, language, places), amount_short(b, language, places)


def share(fraction: object, language: str = "en", decimals: int = 0) -> str:
    """A share as a fraction 0..1 (0.34) as ``34%``; ``n/a`` when missing.

    A figure already in per cent (a ``*_pct`` column, 34.0) takes ``per_cent``.
    """
    locale = for_language(language)
    if is_missing(fraction):
        return locale.missing
    return f"{_grouped(float(fraction) * 100, decimals, locale)}%"  # type: ignore[arg-type]


def per_cent(value: object, language: str = "en", decimals: int = 0) -> str:
    """A figure already in per cent (a ``*_pct`` column, 0-100: 34.0) as ``34%``; ``n/a``
    when missing. A fraction (0.34) takes ``share``."""
    locale = for_language(language)
    if is_missing(value):
        return locale.missing
    return f"{_grouped(float(value), decimals, locale)}%"  # type: ignore[arg-type]


def growth(value: object, language: str = "en", decimals: int = 1) -> str:
    """A growth already in per cent with its sign: ``+3.6%``, ``-0.1%``; ``n/a`` when
    missing."""
    shown = per_cent(value, language, decimals)
    rising = not is_missing(value) and round(float(value), decimals) > 0  # type: ignore[arg-type]
    return f"+{shown}" if rising else shown


def mix(parts: Iterable[tuple[str, object]], language: str = "en") -> str:
    """Parts of a whole, each as a share and its name: ``82% high, 17% medium, 1% low``;
    parts of 0 or missing are left out; ``n/a`` when none is left."""
    shown = [f"{share(value, language)} {name}" for name, value in parts
             if not is_missing(value) and float(value) > 0]  # type: ignore[arg-type]
    return ", ".join(shown) if shown else for_language(language).missing


def points(change: object, language: str = "en", decimals: int = 0) -> str:
    """A change in percentage points with its sign: ``+6 pts`` / ``+6 %-punt``."""
    if is_missing(change):
        return for_language(language).missing
    sign = {"rose": "+", "fell": for_language(language).minus,
            "same": "±"}[direction(change, decimals)]
    return sign + points_size(change, language, decimals)


def points_size(change: object, language: str = "en", decimals: int = 0) -> str:
    """The size of a change in percentage points, without its sign: ``6 pts`` /
    ``6 %-punt``, for a sentence whose verb says the direction ("fell by 6 pts";
    ``direction``)."""
    locale = for_language(language)
    if is_missing(change):
        return locale.missing
    size = abs(round(float(change), decimals))  # type: ignore[arg-type]
    return f"{_grouped(size, decimals, locale)} {locale.points}"


def direction(change: object, decimals: int = 0) -> Literal["rose", "fell", "same", "unknown"]:
    """Which way a change went as shown with ``decimals``: "rose", "fell", "same" (0 when
    rounded) or "unknown" (missing). A sentence picks its verb by it and shows the size
    (``points_size``): "our share fell by 4 pts", never "moved -4 pts"."""
    if is_missing(change):
        return "unknown"
    shown = round(float(change), decimals)  # type: ignore[arg-type]
    return "rose" if shown > 0 else ("fell" if shown < 0 else "same")


def number(value: object, language: str = "en", decimals: int = 0) -> str:
    """A plain number with the language's marks: ``1,234.5`` / ``1.234,5``."""
    locale = for_language(language)
    if is_missing(value):
        return locale.missing
    return _grouped(float(value), decimals, locale)  # type: ignore[arg-type]


def date(value: object, language: str = "en") -> str:
    """A date as readers of ``language`` write it: ``2025-12-31`` (en), ``31-12-2025`` (nl);
    empty when missing (a table cell or tooltip stays blank).

    Takes a date, a datetime, a pandas Timestamp or an ISO text. Dates in file names, logs,
    CSV and other machine-readable output stay ISO and do not pass here.

    Examples
    --------
    >>> date(dt.date(2025, 12, 31), "en"), date(dt.date(2025, 12, 31), "nl")
    ('2025-12-31', '31-12-2025')
    """
    locale = for_language(language)
    day = value if isinstance(value, dt.date) else pd.Timestamp(value)
    return "" if is_missing(day) or pd.isna(day) else day.strftime(locale.date)


def dates(values: object, language: str = "en") -> list[str]:
    """``date`` of each value of a column (a Series or any iterable)."""
    return [date(value, language) for value in values]  # type: ignore[attr-defined]


def month_span(first: int, last: int, language: str = "en") -> str:
    """Months ``first`` to ``last`` of a year (1-12) by their short names: ``Jan-Jun`` (en),
    ``jan-jun`` (nl); one name when they are the same month.

    Examples
    --------
    >>> month_span(1, 6, "en"), month_span(3, 3, "nl")
    ('Jan-Jun', 'mrt')
    """
    names = for_language(language).short_months
    return names[first - 1] if first == last else f"{names[first - 1]}-{names[last - 1]}"
