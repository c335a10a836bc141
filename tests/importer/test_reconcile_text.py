"""The import's reconciliation as text: one word ("row") for the export's one numbering."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from kamkit.importer.reconcile import Reconciliation, Skipped, SkippedAmounts


@pytest.mark.parametrize("repeats", [1, 5, 6, 9])
def test_every_place_in_the_export_is_a_row(repeats: int) -> None:
    """Skipped lines, repeated lines and the amounts left out all name their place in the
    export as "row N" (the number a spreadsheet shows), never "line N" beside it."""
    repeated = tuple((600 + n, 6 + n) for n in range(repeats))
    rec = Reconciliation(
        file="orders.csv", read=50, imported=48,
        skipped=(Skipped("factuurdatum", "no such date: February 2025 has 28 days.", (603,),
                         ("31-02-2025",)),
                 Skipped("omzet", "expected an amount.", (604,), ("n.v.t.",))),
        skipped_lines=2, customers=5, export_revenue={2025: Decimal("10.00")},
        workbook_revenue={2025: Decimal("10.00")}, unknown_countries={}, unused_columns=(),
        last_date=dt.date(2025, 6, 30), currency="EUR", margin_known=True, repeated=repeated,
        skipped_revenue=(SkippedAmounts(2025, Decimal("1000.00"), (603,)),),
        unread_amounts=(604,))
    text = "\n".join(rec.lines())
    assert not re.search(r"\blines? \d", text), text
    numbers = re.findall(r"(\w+),? (\d{3})\b", text)  # every place: 6xx
    assert numbers and all(word in ("row", "rows") for word, _ in numbers), numbers
    assert "row 600 repeats row 6 exactly" in text
    if repeats > 5:
        more = repeats - 5
        assert f"{more} more row{'s' if more > 1 else ''} repeat" in text
