"""Charts of the account analysis (A2-A8 and whitespace): one function per chart.

Each function takes frames computed by ``kamkit.analysis`` and a report ``language``, and
returns an Altair chart already passed through ``common.finish`` (the theme, and the
language's number separators and month names from ``kamkit.locale``). The functions
compute no business figures of their own: they translate, order and position what the
frames hold. Every title (axis, legend, tooltip, facet header) comes from ``labels.yaml``.

A chart with nothing to show returns None (the caller shows a "missing data" message):
an empty frame, as every computation returns for an account without data, or a frame
whose charted values are all missing.

Holders keep one colour on every chart and account (``kamkit.charts.colours``).

The charts live by subject, as the computations do: ``history`` (A4), ``wallet`` (A5, A6,
whitespace), ``shares`` (A7), ``contacts`` (A8); this module gathers them.
"""

from __future__ import annotations

from kamkit.charts.contacts import contact_matrix_chart, coverage_chart
from kamkit.charts.history import revenue_history_chart, satisfaction_chart
from kamkit.charts.shares import holder_shares_chart, share_changes_chart
from kamkit.charts.wallet import share_of_wallet_chart, spend_chart, whitespace_chart

__all__ = [
    "contact_matrix_chart",
    "coverage_chart",
    "holder_shares_chart",
    "revenue_history_chart",
    "satisfaction_chart",
    "share_changes_chart",
    "share_of_wallet_chart",
    "spend_chart",
    "whitespace_chart",
]
