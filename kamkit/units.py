"""A figure in its unit, as a reader reads it in the report's language: the units of the
metrics and criteria (``kamkit.scoring``, ``kamkit.documents.METRICS``) named by their label
``unit.<unit>`` in ``labels.yaml``, counts and days as whole numbers."""

from __future__ import annotations

import pandas as pd

from kamkit import formatting as fmt
from kamkit.currency import MONEY
from kamkit.labels import counted, labels, t, words
from kamkit.locale import for_language

WHOLE = frozenset({"count", "days"})
"""Units counted in whole numbers: 3 overdue actions, 110 days (not 3.0, 110.0)."""


EXTRA_DECIMALS = 2
"""How many decimals more than its unit's an exact figure may show (``figure(exact=True)``)."""


def decimals_needed(value: float, least: int, most: int) -> int:
    """The fewest decimals from ``least`` to ``most`` that write ``value`` exactly (to float
    precision: the mean 6.95 of 6.8 and 7.1 is 6.9499... and needs two); ``least`` when
    even ``most`` do not (a share such as 1/3).

    >>> decimals_needed(6.8 / 2 + 7.1 / 2, 1, 3), decimals_needed(7.5, 1, 3)
    (2, 1)
    >>> decimals_needed(1 / 3, 1, 3)
    1
    """
    for decimals in range(least, most + 1):
        if abs(round(value, decimals) - value) <= 1e-9 * max(1.0, abs(value)):
            return decimals
    return least


def figure(value: object, unit: object, language: str, exact: bool = False) -> str:
    """``value`` written as its ``unit`` wants, without the unit's name (for a table with a
    unit column): an amount, a percentage, a change in points, or a number with the unit's
    decimals. The language's word for a missing figure when there is none.

    ``exact`` writes a number (a score, a count) with up to ``EXTRA_DECIMALS`` more decimals
    where it has them, so that figures computed from it (an objective's progress from its
    baseline) can be worked out again from what is shown: 6.95, not 6.9."""
    if value is None or pd.isna(value):
        return for_language(language).missing
    if unit == MONEY:
        return fmt.amount(value, language)
    if unit == "%":
        return fmt.per_cent(value, language, 1)
    if unit == "pts":
        return fmt.points(value, language, 1)
    decimals = 0 if unit in WHOLE else 1
    if exact:
        decimals = decimals_needed(float(value), decimals,  # type: ignore[arg-type]
                                   decimals + EXTRA_DECIMALS)
    return fmt.number(value, language, decimals)


def measured(value: object, unit: object, language: str) -> str:
    """``value`` with its unit's name in ``language``: ``5 dagen``, ``0,5 jaar``,
    ``7,4 op 10``; a count is the number alone (``3``) and amounts, percentages and
    points carry their own sign (``EUR 1,234``, ``34.5%``, ``-1.7 pts``)."""
    shown = figure(value, unit, language)
    if (not isinstance(unit, str) or not unit or unit in (MONEY, "%", "pts", "count")
            or shown == for_language(language).missing):
        return shown
    if unit in WHOLE and f"count.{unit}" in labels():  # "1 day", "2 days"
        return counted(unit, round(float(value)), language)  # type: ignore[arg-type]
    key = "measured." + unit.replace(" ", "_").replace("-", "_")
    if key in labels():  # a score reads as "6.7 out of 10", not "6.7 score 0-10"
        return t(key, language, value=shown)
    return f"{shown} {words([unit], 'unit.', language)[0]}"
