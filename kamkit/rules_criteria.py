"""Rules for the settings of the portfolio matrix and the health score: the criteria table
(weights per axis add up to 100, known computed criteria, scales with a length) and the
judgements (scores for judgement criteria in force)."""

from __future__ import annotations

import pandas as pd

from kamkit.parsing import written_cell
from kamkit.problems import Problem, Severity, Words, hint_words, words
from kamkit.scoring import (
    AXES,
    COMPUTED,
    DEFAULT_CRITERIA,
    JUDGEMENT,
    METRICS_BY_CODE,
    PORTFOLIO_MAX,
    TOTAL_WEIGHT,
)

_WEIGHT_TOLERANCE = 0.01


def _problem(file: str, message: Words, row: object, column: str, value: object = None,
             severity: Severity = Severity.ERROR) -> Problem:
    shown = None if value is None or pd.isna(value) else f"{value:g}" if isinstance(
        value, float) else str(value)
    return Problem.said(severity, file, message, row=int(row), column=column,  # type: ignore[call-overload]
                        value=shown)


def _cell(criteria: pd.DataFrame, row: object, column: str) -> object:
    """A number cell as its text says it where kamkit writes it otherwise ('1,000,000'),
    else as read (``parsing.written_cell``)."""
    return written_cell(criteria, int(row), column) or criteria.at[row, column]  # type: ignore[call-overload]


def _scale_end(given: object, default: float | str) -> float | None:
    """The scale end in force; None for the portfolio's largest value."""
    if given is not None and not pd.isna(given):
        return float(given)  # type: ignore[arg-type]
    return None if default == PORTFOLIO_MAX else float(default)


def _check_row(row: object, item: pd.Series, file: str,
               criteria: pd.DataFrame) -> list[Problem]:
    criterion, source = item["criterion"], item["source"]
    if pd.isna(criterion) or pd.isna(source):
        return []
    if source == COMPUTED:
        metric = METRICS_BY_CODE.get(str(criterion))
        if metric is None:
            return [_problem(file, words("problem.not_computed",
                                         hint=hint_words(str(criterion), METRICS_BY_CODE)),
                             row, "criterion", criterion)]
        low, high = _scale_end(item["low"], metric.low), _scale_end(item["high"], metric.high)
        if low is not None and low == high:
            return [_problem(file, words("problem.scale_length", low=low), row, "high",
                             _cell(criteria, row, "high"))]
        return []
    problems = []
    if str(criterion) in METRICS_BY_CODE:
        problems.append(_problem(file, words("problem.judgement_named_computed"), row,
                                 "criterion", criterion))
    for column in ("low", "high"):
        if not pd.isna(item[column]):
            problems.append(_problem(file, words("problem.judgement_scale"), row, column,
                                     _cell(criteria, row, column), Severity.WARNING))
    return problems


def judgement_criteria(criteria: pd.DataFrame) -> set[str]:
    """The judgement criteria in force: the table's for the axes it lists, the defaults'
    for the others."""
    listed = set(criteria["axis"].dropna())
    given = criteria[(criteria["source"] == JUDGEMENT).fillna(False).to_numpy()]
    return (set(given["criterion"].dropna())
            | {c for a, c, _, s in DEFAULT_CRITERIA if s == JUDGEMENT and a not in listed})


def check_criteria(criteria: pd.DataFrame, file: str) -> list[Problem]:
    """Weights per axis add up to 100; computed criteria are known, with a scale of some
    length; judgements do not take a computed criterion's name or a scale."""
    problems: list[Problem] = []
    if criteria.empty:
        return problems
    for row, item in criteria.iterrows():
        problems += _check_row(row, item, file, criteria)
    for axis in AXES:
        rows = criteria[(criteria["axis"] == axis).fillna(False).to_numpy()]
        if rows.empty or rows["weight"].isna().any():
            continue  # a bad weight is reported by the parser
        total = float(rows["weight"].sum())
        if abs(total - TOTAL_WEIGHT) > _WEIGHT_TOLERANCE:
            listed = ", ".join(str(r) for r in rows.index)
            problems.append(_problem(
                file, words("problem.weights_total", axis=axis, rows=listed, total=total,
                            wanted=float(TOTAL_WEIGHT)), rows.index[0],
                "weight", _cell(criteria, rows.index[0], "weight")))
    return problems


def check_judgements(judgements: pd.DataFrame, criteria: pd.DataFrame,
                     file: str, criteria_file: str) -> list[Problem]:
    """A judgement scores a judgement criterion in force, and a judgement criterion the
    criteria table names has a score for some account (warnings: an old judgement kept after
    the criteria changed is harmless, but not used; a criterion nobody scored counts for
    no account)."""
    if judgements.empty and criteria.empty:
        return []
    known = judgement_criteria(criteria)
    problems = [_problem(file, words("problem.judgement_not_in_force",
                                     hint=hint_words(str(value), known)), row, "criterion", value,
                         Severity.WARNING)
                for row, value in judgements["criterion"].dropna().items()
                if value not in known]
    scored = set(judgements["criterion"].dropna())
    named = criteria[((criteria["source"] == JUDGEMENT)
                      & (criteria["weight"] > 0)).fillna(False).to_numpy()]
    problems += [_problem(criteria_file, words("problem.judgement_unscored", file=file),
                          row, "criterion", value, Severity.WARNING)
                 for row, value in named["criterion"].dropna().items() if value not in scored]
    return problems
