"""Account-analysis computations: pure functions from an ``AccountData`` to DataFrames.

One module per concern: ``as_of`` (the analysis date and cutting data off at it),
``wallet`` (A5-A7 and whitespace), ``history`` (A4), ``organisation`` (A2), ``contacts``
(A8), ``swot`` (A1, A3, A9). Nothing here draws, prints or reads files.

Conventions of every returned frame: money in the workbook's currency in columns named for
the amount, with no currency in the name (``revenue``, ``spend``); shares as fractions 0..1
in ``share*`` columns; percentages in ``*_pct`` columns and percentage points in ``*_pts``
columns; a share or percentage whose denominator is 0 or missing is NA (NaN), never inf or
0. An account without data gives empty frames with the same columns.
"""

from kamkit.analysis.as_of import cut_off
from kamkit.analysis.contacts import (
    STRENGTH_COLUMNS,
    contact_matrix,
    coverage_by_level,
    stale_relationships,
    uncovered_key_contacts,
)
from kamkit.analysis.history import (
    COMPLAINT_STATUSES,
    complaints,
    revenue_by_year,
    satisfaction,
    timeline,
)
from kamkit.analysis.organisation import check_min_strength, org_chart, org_chart_top
from kamkit.analysis.swot import (
    PROBLEMS,
    QUADRANTS,
    TOWS,
    confrontation,
    confrontation_matrix,
    missing_parts,
    swot_items,
    swot_table,
)
from kamkit.analysis.wallet import (
    CONFIDENCE_MIX,
    ROOMS,
    holder_shares,
    share_changes,
    share_moves,
    share_of_wallet,
    total_spend,
    whitespace,
)
from kamkit.periods import last_full_year, parse_as_of

__all__ = [
    "COMPLAINT_STATUSES",
    "CONFIDENCE_MIX",
    "PROBLEMS",
    "QUADRANTS",
    "ROOMS",
    "STRENGTH_COLUMNS",
    "TOWS",
    "check_min_strength",
    "complaints",
    "confrontation",
    "confrontation_matrix",
    "contact_matrix",
    "coverage_by_level",
    "cut_off",
    "holder_shares",
    "last_full_year",
    "missing_parts",
    "org_chart",
    "org_chart_top",
    "parse_as_of",
    "revenue_by_year",
    "satisfaction",
    "share_changes",
    "share_moves",
    "share_of_wallet",
    "stale_relationships",
    "swot_items",
    "swot_table",
    "timeline",
    "total_spend",
    "uncovered_key_contacts",
    "whitespace",
]
