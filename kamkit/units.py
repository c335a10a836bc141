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


def figure(value: object, unit: object, language: str) -> str:
    """``value`` written as its ``unit`` wants, without the unit's name (for a table with a
    unit column): an amount, a percentage, a change in points, or a number with the unit's
    decimals. The language's word for a missing figure when there is none."""
    if value is None or pd.isna(value):
        return for_language(language).missing
    if unit == MONEY:
        return fmt.amount(value, language)
    if unit == "%":
        return fmt.per_cent(value, language, 1)
    if unit == "pts":
        return fmt.points(value, language, 1)
    return fmt.number(value, language, 0 if unit in WHOLE else 1)


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
