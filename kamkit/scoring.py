"""What the portfolio matrix and the health score are made of: the axes, the computed
criteria (code, unit, meaning, default scale) and the default weights.

Data only, the one home of these facts: the schema, the validation rules, the generated
workbook reference and ``kamkit.portfolio`` read them; the computations live in
``kamkit.portfolio``.
"""

from __future__ import annotations

from dataclasses import dataclass

from kamkit.currency import MONEY

AXES = ("attractiveness", "position", "health")
"""The two axes of the portfolio matrix and the health score."""

COMPUTED = "computed"
JUDGEMENT = "judgement"
SOURCES = (COMPUTED, JUDGEMENT)
"""Where a criterion's value comes from: a figure computed from the data, or a score people
give in the ``judgements`` table."""

MAX_POINTS = 10.0
"""Points per criterion run from 0 to this; a judgement is scored on the same scale."""

TOTAL_WEIGHT = 100.0
"""The weights of one axis add up to this."""

PORTFOLIO_MAX = "max"
"""A default scale end meaning: the largest value among the accounts scored on that date."""


@dataclass(frozen=True)
class Metric:
    """A computed criterion.

    ``low`` gives 0 points and ``high`` 10 points, linearly between, clipped outside; a
    ``high`` below ``low`` means lower is better. An end may be ``PORTFOLIO_MAX``.
    ``missing_is_worst``: a missing value scores 0 points (data freshness: never recorded
    is stale) instead of being left out of the score.
    """

    code: str
    unit: str
    meaning: str
    low: float | str
    high: float | str
    missing_is_worst: bool = False


METRICS: tuple[Metric, ...] = (
    Metric("wallet", MONEY, "the account's total spend in the last full year (all holders)",
           0, PORTFOLIO_MAX),
    Metric("wallet_growth", "%", "growth of the total spend in the last full year against "
           "the year before", -10, 20),
    Metric("open_wallet", MONEY, "the total spend of the last full year not bought from us",
           0, PORTFOLIO_MAX),
    Metric("margin", "%", "our gross margin in the last full year", 10, 35),
    Metric("share_of_wallet", "%", "our share of the total spend in the last full year",
           0, 60),
    Metric("relationship_coverage", "%", "the account's decision makers and high-influence "
           "contacts one of our people has a relationship with of at least the minimum "
           "strength (3, regular working contact, unless a run says otherwise), as the "
           "contact matrix (A8) counts them", 0, 100),
    Metric("satisfaction", "score 0-10", "the latest satisfaction score in the 12 months "
           "to the as-of date", 5, 9),
    Metric("history", "years", "calendar years with sales, up to the last full year", 0, 5),
    Metric("revenue_trend", "%", "our revenue in the 12 complete months to the as-of date "
           "against the 12 months before (not known unless the workbook's sales history "
           "covers all 24 months)", -10, 10),
    Metric("share_trend", "pts", "the change of our share of wallet in the last full year "
           "against the year before, in percentage points", -5, 5),
    Metric("complaints", "count", "complaints received in the 12 months to the as-of date",
           5, 0),
    Metric("plan_progress", "%", "the plan period's revenue forecast against its target",
           80, 100),
    Metric("overdue_actions", "count", "open actions of the plan past their due date", 3, 0),
    Metric("last_contact", "days", "days since the last recorded contact (a relationship's "
           "last contact or a meeting in the history)", 120, 30, missing_is_worst=True),
    Metric("wallet_age", "years", "years from the latest spend estimate to the last full "
           "year", 2, 0, missing_is_worst=True),
    Metric("document_review", "days", "days since the account document was last reviewed "
           "(its `reviewed:` date)", 365, 90, missing_is_worst=True),
)
"""Every computed criterion."""

METRICS_BY_CODE: dict[str, Metric] = {m.code: m for m in METRICS}

DEFAULT_CRITERIA: tuple[tuple[str, str, float, str], ...] = (
    # axis, criterion, weight, source
    ("attractiveness", "wallet", 25, COMPUTED),
    ("attractiveness", "wallet_growth", 15, COMPUTED),
    ("attractiveness", "open_wallet", 20, COMPUTED),
    ("attractiveness", "margin", 15, COMPUTED),
    ("attractiveness", "strategic_fit", 15, JUDGEMENT),
    ("attractiveness", "ease_of_business", 10, JUDGEMENT),
    ("position", "share_of_wallet", 35, COMPUTED),
    ("position", "relationship_coverage", 30, COMPUTED),
    ("position", "satisfaction", 20, COMPUTED),
    ("position", "history", 15, COMPUTED),
    ("health", "revenue_trend", 20, COMPUTED),
    ("health", "share_trend", 10, COMPUTED),
    ("health", "relationship_coverage", 15, COMPUTED),
    ("health", "satisfaction", 10, COMPUTED),
    ("health", "complaints", 10, COMPUTED),
    ("health", "plan_progress", 15, COMPUTED),
    ("health", "overdue_actions", 10, COMPUTED),
    ("health", "last_contact", 4, COMPUTED),
    ("health", "wallet_age", 3, COMPUTED),
    ("health", "document_review", 3, COMPUTED),
)
"""The criteria of an axis the workbook's ``criteria`` table has no rows for."""


def _end(value: float | str) -> str:
    return "the portfolio's largest value" if value == PORTFOLIO_MAX else f"{value:g}"


def defaults_text() -> tuple[str, ...]:
    """The defaults as lines for the workbook reference (``docs/workbook.md``)."""
    lines = []
    for axis in AXES:
        items = ", ".join(f"`{c}` {w:g}" + (" (judgement)" if s == JUDGEMENT else "")
                          for a, c, w, s in DEFAULT_CRITERIA if a == axis)
        lines.append(f"Default {axis} criteria and weights: {items}.")
    for metric in METRICS:
        worst = "; missing counts as 0 points" if metric.missing_is_worst else ""
        lines.append(f"Computed criterion `{metric.code}` ({metric.unit}): {metric.meaning}; "
                     f"0 points at {_end(metric.low)}, 10 at {_end(metric.high)}{worst}.")
    return tuple(lines)
