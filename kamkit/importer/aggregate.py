"""Export lines summed to the workbook's grain: month x account x service x location.

Credit notes are lines with a negative revenue (and quantity): they net against the month's
sales. A cell whose credit notes exceed its sales keeps its negative net revenue (validation
warns); its volume is left empty where it nets below zero, as a volume cannot be negative.
"""

from __future__ import annotations

import pandas as pd

from kamkit.problems import Problem, Severity

GRAIN = ["month", "account_id", "service", "location"]


def aggregate(lines: pd.DataFrame, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """The sales rows of coded export lines (``reference.assign_codes``), sorted by the grain,
    with revenue and margin rounded to the cent; and a warning per negative net cell.

    ``volume`` is NaN where the export maps no quantity.
    """
    frame = lines.assign(month=lines["date"].dt.to_period("M").dt.to_timestamp())
    sales = (frame.groupby(GRAIN, sort=True)
             .agg(revenue=("revenue", "sum"),
                  gross_margin=("margin", lambda m: m.sum(min_count=1)),
                  volume=("quantity", lambda q: q.sum(min_count=1)))
             .reset_index())
    sales["revenue"] = sales["revenue"].round(2)
    sales["gross_margin"] = sales["gross_margin"].round(2)
    sales["volume"] = sales["volume"].round(6)
    problems = []
    for cell in sales[sales["revenue"] < 0].itertuples():
        problems.append(Problem(
            Severity.WARNING, file,
            f"the credit notes of {cell.month:%Y-%m} for {cell.account_id}, {cell.service}, "
            f"{cell.location} exceed its sales: the month nets {cell.revenue:,.2f}, kept as "
            "a negative revenue."))
    negative = sales["volume"] < 0
    for cell in sales[negative].itertuples():
        problems.append(Problem(
            Severity.WARNING, file,
            f"the quantity of {cell.month:%Y-%m} for {cell.account_id}, {cell.service}, "
            f"{cell.location} nets {cell.volume:g}; a volume cannot be negative, so it is "
            "left empty."))
    sales.loc[negative, "volume"] = float("nan")
    return sales, problems
