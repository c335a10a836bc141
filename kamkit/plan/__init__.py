"""Account-plan computations (P1-P5): pure functions from an ``AccountData`` to DataFrames.

One module per concern:

- ``metrics``: the value of an objective's metric over a period (``metric_value``);
- ``objectives``: baseline, current value, forecast, progress and the SMART check of each
  objective (P2, ``objective_status``);
- ``strategy``: the product mix (deep and cross selling room) and the price mix (margin
  per service against the policy) (P3);
- ``team``: the relationship mix (levels and departments without relationships) and the
  account team matched to the contact matrix, with its gaps (P3);
- ``actions``: the action plan by horizon, overdue and unowned actions, objectives
  without actions (P4);
- ``forecasting``: the one forecast of a flow figure (revenue, margin, volume, complaints)
  to a period end, the seasonal run rate over the complete months (``run_rate``), used by
  P2, P5, the findings and the key figures;
- ``monitoring``: monthly targets phased by seasonality, plan against actuals, forecast
  and on-track status (P5).

Nothing here draws, prints or reads files. Conventions as in ``kamkit.analysis``: money (in
the workbook's currency) in columns named for the amount, shares as fractions 0..1 in
``share*`` columns, percentages in ``*_pct`` and points in ``*_pts`` columns; a ratio whose
denominator is 0 or missing is NA (NaN). Reason, gap, horizon and status columns hold short
English codes for the labels table to translate. An account without a plan gives empty
frames with the same columns.
"""

from kamkit.plan.actions import CLOSED, HORIZONS, action_plan, objectives_without_action
from kamkit.plan.forecasting import (
    SEASONALITY_YEARS,
    RunRate,
    complete_months,
    last_complete_day,
    month_weights,
    run_rate,
    seasonality,
)
from kamkit.plan.metrics import FLOW_METRICS, LOWER_IS_BETTER, metric_value
from kamkit.plan.monitoring import (
    DEFAULT_THRESHOLDS,
    MEASURES,
    STATUSES,
    StatusThresholds,
    forecast,
    monthly_targets,
    plan_vs_actual,
    reconcile_targets,
)
from kamkit.plan.objectives import BASELINE_MONTHS, LETTERS, objective_status
from kamkit.plan.strategy import SELLING_ROOMS, price_mix, product_mix
from kamkit.plan.team import (
    GAPS,
    relationship_gaps,
    strategic_contacts,
    team_gaps,
    team_match,
)

__all__ = [
    "BASELINE_MONTHS",
    "CLOSED",
    "DEFAULT_THRESHOLDS",
    "FLOW_METRICS",
    "GAPS",
    "HORIZONS",
    "LETTERS",
    "LOWER_IS_BETTER",
    "MEASURES",
    "SEASONALITY_YEARS",
    "SELLING_ROOMS",
    "STATUSES",
    "RunRate",
    "StatusThresholds",
    "action_plan",
    "complete_months",
    "forecast",
    "last_complete_day",
    "metric_value",
    "month_weights",
    "monthly_targets",
    "objective_status",
    "objectives_without_action",
    "plan_vs_actual",
    "price_mix",
    "product_mix",
    "reconcile_targets",
    "relationship_gaps",
    "run_rate",
    "seasonality",
    "strategic_contacts",
    "team_gaps",
    "team_match",
]
