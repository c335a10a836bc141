"""The portfolio: pure functions from a ``Workbook`` and an as-of date to DataFrames.

- ``criteria``: the criteria and weights in force (the workbook's ``criteria`` table or the
  defaults in ``kamkit.scoring``) and how a value becomes 0-10 points;
- ``scores``: attractiveness and our position per account, criterion by criterion
  (``scores``), the portfolio matrix with its quadrants (``matrix``, ``quadrant``,
  ``QUADRANTS``) and prospects ranked by potential (``prospects``);
- ``health``: the 0-100 health score, component by component (``health``,
  ``health_summary``);
- ``snapshot``: the quarter snapshot (``snapshot``, ``write_snapshot``, ``read_snapshot``,
  ``merge_snapshots``; format in ``docs/snapshot.md``);
- ``changes``: what changed between two snapshots, as reported (``changes``).

Inside: ``metrics`` computes each computed criterion's value, ``assess`` turns values into
points, contributions and scores for every axis alike. Conventions as in
``kamkit.analysis``: money in columns named for the amount, per cents in ``*_pct``; a ratio
without a denominator is NA, never 0 or inf. Scores run 0-100, points 0-10.
"""

from kamkit.portfolio.assess import (
    DEFAULT_STATUSES,
    MIN_KNOWN_WEIGHT_PCT,
    MISSING,
    MISSING_WORST,
    NO_SCALE,
)
from kamkit.portfolio.changes import CHANGES, changes
from kamkit.portfolio.criteria import criteria, points
from kamkit.portfolio.health import health, health_summary
from kamkit.portfolio.scores import (
    MATRIX_AXES,
    QUADRANTS,
    THRESHOLD,
    matrix,
    prospects,
    quadrant,
    scores,
)
from kamkit.portfolio.snapshot import (
    FORMAT,
    VERSION,
    Snapshot,
    find_snapshot,
    merge_snapshots,
    read_snapshot,
    snapshot,
    write_snapshot,
)

__all__ = [
    "CHANGES",
    "DEFAULT_STATUSES",
    "FORMAT",
    "MATRIX_AXES",
    "MIN_KNOWN_WEIGHT_PCT",
    "MISSING",
    "MISSING_WORST",
    "NO_SCALE",
    "QUADRANTS",
    "THRESHOLD",
    "VERSION",
    "Snapshot",
    "changes",
    "criteria",
    "find_snapshot",
    "health",
    "health_summary",
    "matrix",
    "merge_snapshots",
    "points",
    "prospects",
    "quadrant",
    "read_snapshot",
    "scores",
    "snapshot",
    "write_snapshot",
]
