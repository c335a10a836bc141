"""The one way criteria become scores, shared by the portfolio matrix and the health score:
measure every account once, then turn values into points, weights into contributions and
contributions into an axis score that adds up visibly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kamkit.frames import typed
from kamkit.key_figures import account_key_figures
from kamkit.portfolio.criteria import criteria, points
from kamkit.portfolio.metrics import account_metrics
from kamkit.schema import DEFAULT_MIN_STRENGTH
from kamkit.scoring import JUDGEMENT, MAX_POINTS, TOTAL_WEIGHT
from kamkit.workbook import Workbook

DEFAULT_STATUSES = ("key_account", "prospect")
"""The accounts scored unless told otherwise: key accounts and prospects."""

MIN_KNOWN_WEIGHT_PCT = 50.0
"""The share of an axis's weight (in per cent) that must have points for an account to have
a score on it (health, attractiveness, our position): below it the score is NA (said as not
known, "too little known: 30% of the weight"), as a score from a few criteria says more
than is known (a freshly imported account, whose only points are the freshness components'
0 for never recorded, would score 0 and look in trouble). ``known_weight_pct`` says how
much was known either way."""

MISSING = "missing"
"""``note``: no value; the criterion is left out and the other weights count for the whole."""
MISSING_WORST = "missing_counts_as_worst"
"""``note``: no value, and for this criterion that scores 0 points (data freshness)."""
NO_SCALE = "no_scale"
"""``note``: the portfolio's largest value is not above the scale's low end (every account
at 0, say): no points can be given, the criterion is left out."""

ASSESSMENT_COLUMNS: dict[str, object] = {
    "account_id": "string", "axis": "string", "criterion": "string", "source": "string",
    "value": "float64", "unit": "string", "low": "float64", "high": "float64",
    "points": "float64", "weight": "float64", "effective_weight": "float64",
    "contribution": "float64", "note": "string", "score": "float64",
    "known_weight_pct": "float64",
}


@dataclass(frozen=True)
class Measured:
    """Every scored account's key figures and computed criteria, measured once.

    ``accounts``: accounts.csv's rows of the scored accounts, in workbook order;
    ``figures``: account id -> ``key_figures.account_key_figures``; ``values``: account id
    -> criterion code -> value (None when missing), computed criteria and judgements;
    ``largest``: criterion code -> its largest value over the portfolio (the accounts of
    the statuses scored, and any account asked for), where a scale runs to the largest;
    ``plans``: account id -> its plan across the portfolio (the portfolio page's plan
    column, ``report.portfolio_data.plan_row``) where the measurer computed it as well (a
    run does, in its measuring processes), else empty.
    """

    as_of: dt.date
    accounts: pd.DataFrame
    figures: dict[str, dict[str, object]]
    values: dict[str, dict[str, float | None]]
    criteria: pd.DataFrame
    largest: dict[str, float]
    plans: dict[str, dict[str, int]] = field(default_factory=dict)


def _judgements(workbook: Workbook, as_of: dt.date) -> dict[tuple[str, str], float]:
    """(account, criterion) -> the latest score dated on or before ``as_of``."""
    table = workbook.judgements.dropna(subset=["account_id", "criterion", "date", "score"])
    table = table[(table["date"] <= pd.Timestamp(as_of)).to_numpy()]
    latest = table.sort_values("date", kind="stable").groupby(
        ["account_id", "criterion"]).tail(1)
    return {(str(a), str(c)): float(s) for a, c, s in zip(
        latest["account_id"], latest["criterion"], latest["score"], strict=True)}


Values = tuple[dict[str, dict[str, object]], dict[str, dict[str, float | None]]]
"""Account id -> key figures, and account id -> criterion code -> value."""

Valuer = Callable[[list[str]], Values]
"""Computes ``Values`` of the account ids it is given (``measured_values``), in any way."""

MeasureKey = tuple[object, ...]
"""What a measurement was asked with: as-of date, account ids, statuses, min strength."""

Source = Callable[[Workbook, MeasureKey], "Measured | None"]
"""A measurement made elsewhere of a workbook and key, or None (``offer``)."""

_MEMO_SIZE = 4
_MEMO: list[tuple[Workbook, MeasureKey, Measured]] = []
"""The last measurements, each with its workbook (kept, so its identity cannot be reused):
a Workbook is immutable, so the same workbook, date and choice measure the same; the
matrix, prospects, health and snapshot of one report share one measurement."""

_OFFERED: list[Source] = []
"""Measurements offered to this process (``offer``), asked before measuring."""


def measure_key(as_of: dt.date, account_ids: Sequence[str] | None = None,
                statuses: Sequence[str] = DEFAULT_STATUSES, *,
                min_strength: int = DEFAULT_MIN_STRENGTH) -> MeasureKey:
    """The key ``measure`` keeps a measurement under (same arguments)."""
    return (as_of, None if account_ids is None else tuple(account_ids), tuple(statuses),
            min_strength)


def offer(source: Source) -> None:
    """Let ``measure`` take a measurement made elsewhere: asked with the workbook and key
    of a measurement not kept yet, ``source`` gives the one made of that very workbook (a
    ``kamkit run`` hands its kernels the portfolio measured once, ``batch.measuring``) or
    None; the latest offer replaces earlier ones."""
    _OFFERED[:] = [source]


def measure(workbook: Workbook, as_of: dt.date, account_ids: Sequence[str] | None = None,
            statuses: Sequence[str] = DEFAULT_STATUSES, *,
            min_strength: int = DEFAULT_MIN_STRENGTH,
            valuer: Valuer | None = None) -> Measured:
    """Measure the accounts to score: ``account_ids`` when given (an unknown id raises
    ``UnknownAccountError``), else every account whose status is in ``statuses``, in
    workbook order; ``min_strength`` as in ``analysis.uncovered_key_contacts``. A repeated
    call with the same workbook and arguments returns the same measurement. ``valuer``:
    how the accounts' values are computed (default: ``measured_values`` here, one account
    after the other; a run computes them in parallel processes)."""
    key = measure_key(as_of, account_ids, statuses, min_strength=min_strength)
    for book, seen, measured in _MEMO:
        if book is workbook and seen == key:
            return measured
    offered = next((found for source in _OFFERED
                    if (found := source(workbook, key)) is not None), None)
    measured = offered or _measure(workbook, as_of, account_ids, statuses, min_strength,
                                   valuer)
    _MEMO[:] = [(workbook, key, measured), *_MEMO[:_MEMO_SIZE - 1]]
    return measured


def measured_values(workbook: Workbook, as_of: dt.date, account_ids: Iterable[str],
                    min_strength: int = DEFAULT_MIN_STRENGTH) -> Values:
    """The key figures and criterion values of each of ``account_ids``: an account's do
    not depend on the others, so any part of a portfolio can be measured apart."""
    return _measured_values(workbook, as_of, account_ids, criteria(workbook), min_strength)


def _measure(workbook: Workbook, as_of: dt.date, account_ids: Sequence[str] | None,
             statuses: Sequence[str], min_strength: int,
             valuer: Valuer | None = None) -> Measured:
    accounts = workbook.accounts
    portfolio = accounts[accounts["status"].isin(list(statuses)).to_numpy()]
    if account_ids is None:
        chosen = portfolio
    else:
        for account_id in account_ids:
            if account_id not in set(accounts["account_id"]):
                workbook.account(account_id)  # raises, naming the known accounts
        chosen = accounts[accounts["account_id"].isin(list(account_ids)).to_numpy()]
    in_force = criteria(workbook)
    values_of: Valuer = valuer or (lambda ids: _measured_values(workbook, as_of, ids,
                                                                in_force, min_strength))
    if account_ids is None or not (in_force["low_is_max"] | in_force["high_is_max"]).any():
        population = values_of(list(chosen["account_id"]))
    else:
        # a scale that runs to the portfolio's largest value must not depend on which
        # accounts were asked for: measure the whole portfolio (once: ``measure`` keeps it)
        whole = measure(workbook, as_of, None, statuses, min_strength=min_strength,
                        valuer=valuer)
        extra = [a for a in chosen["account_id"] if a not in whole.values]
        more = values_of(extra)
        population = ({**whole.figures, **more[0]}, {**whole.values, **more[1]})
    figures, values = population
    codes = set(in_force["criterion"])
    largest = {code: max((float(value) for v in values.values()
                          if (value := v.get(code)) is not None), default=np.nan)
               for code in codes}
    ids = list(chosen["account_id"])
    return Measured(as_of, chosen.reset_index(drop=True), {a: figures[a] for a in ids},
                    {a: values[a] for a in ids}, in_force, largest)


def _measured_values(workbook: Workbook, as_of: dt.date, account_ids: Iterable[str],
                     in_force: pd.DataFrame, min_strength: int
                     ) -> Values:
    """The key figures and criterion values of each account."""
    judged = _judgements(workbook, as_of)
    judgement_codes = set(in_force.loc[in_force["source"] == JUDGEMENT, "criterion"])
    figures: dict[str, dict[str, object]] = {}
    values: dict[str, dict[str, float | None]] = {}
    for account_id in account_ids:
        account = workbook.account(account_id)
        figures[account_id] = dict(account_key_figures(account, as_of))
        values[account_id] = {
            **account_metrics(account, as_of, figures[account_id], min_strength),
            **{code: judged.get((account_id, code)) for code in judgement_codes}}
    return figures, values


def _scale(rows: pd.DataFrame, largest: dict[str, float]) -> pd.DataFrame:
    """``low``/``high`` with a portfolio-max end replaced by the criterion's largest value."""
    top = rows["criterion"].map(largest).astype("float64")
    return rows.assign(low=rows["low"].where(~rows["low_is_max"], top),
                       high=rows["high"].where(~rows["high_is_max"], top))


def _points(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Points and the note of each row."""
    scored, notes = [], []
    for value, low, high, worst in zip(rows["value"], rows["low"], rows["high"],
                                       rows["missing_is_worst"], strict=True):
        if pd.isna(value):
            scored.append(0.0 if worst else np.nan)
            notes.append(MISSING_WORST if worst else MISSING)
        elif pd.isna(low) or pd.isna(high) or low == high:
            scored.append(np.nan)
            notes.append(NO_SCALE)
        else:
            scored.append(points(value, low, high))
            notes.append(pd.NA)
    return (pd.Series(scored, index=rows.index, dtype="float64"),
            pd.Series(notes, index=rows.index, dtype="string"))


def too_little_known(known_pct: object, min_known_pct: float = MIN_KNOWN_WEIGHT_PCT) -> bool:
    """Whether a score is not given because less than ``min_known_pct`` of its axis's
    weight had points (``known_weight_pct``; NA: nothing was known)."""
    return bool(pd.isna(known_pct)) or float(known_pct) < min_known_pct  # type: ignore[arg-type]


def assess(measured: Measured, axes: Sequence[str],
           min_known_pct: float = MIN_KNOWN_WEIGHT_PCT) -> pd.DataFrame:
    """Every measured account x criterion of ``axes``, with its points and contribution.

    Points are 0-10 on the criterion's scale (``criteria.points``). A criterion without
    points (no value, or no scale) is left out: the weights with points are scaled up to
    100 (``effective_weight``), so ``score`` is exactly the sum of ``contribution``
    (``effective_weight x points / 10``) and ``known_weight_pct`` says how much of the
    weight had a value. An axis where less than ``min_known_pct`` of the weight has points
    (``MIN_KNOWN_WEIGHT_PCT``, half) has ``score`` NA: too little is known.

    Returns
    -------
    DataFrame
        ``ASSESSMENT_COLUMNS``, by account (measured order), axis (``axes`` order) and
        criterion (criteria order).
    """
    in_force = measured.criteria[measured.criteria["axis"].isin(list(axes)).to_numpy()]
    rows = [{**criterion, "account_id": account_id,
             "value": measured.values[account_id].get(str(criterion["criterion"]))}
            for account_id in measured.accounts["account_id"]
            for criterion in in_force.to_dict("records")]
    if not rows:
        return typed(pd.DataFrame(), ASSESSMENT_COLUMNS)
    frame = pd.DataFrame(rows)
    frame = _scale(frame.assign(value=pd.to_numeric(frame["value"]).astype("float64")),
                   measured.largest)
    scored, notes = _points(frame)
    frame = frame.assign(points=scored, note=notes)
    has_points = frame["points"].notna()
    group = [frame["account_id"], frame["axis"]]
    known = frame["weight"].where(has_points, 0.0).groupby(group).transform("sum")
    effective = (frame["weight"] * TOTAL_WEIGHT / known.where(known > 0)).where(has_points)
    contribution = effective * frame["points"] / MAX_POINTS
    frame = frame.assign(
        effective_weight=effective.where(has_points, 0.0),
        contribution=contribution,
        known_weight_pct=known / TOTAL_WEIGHT * 100,
    )
    total = frame["contribution"].groupby(group).transform(lambda c: c.sum(min_count=1))
    frame = frame.assign(score=total.where(
        (known > 0) & (frame["known_weight_pct"] >= min_known_pct)))
    order = {axis: i for i, axis in enumerate(axes)}
    frame = frame.assign(_order=frame["axis"].map(order)).sort_values(
        ["_order"], kind="stable")
    account_order = {a: i for i, a in enumerate(measured.accounts["account_id"])}
    frame = frame.assign(_account=frame["account_id"].map(account_order)).sort_values(
        ["_account", "_order"], kind="stable")
    return typed(frame, ASSESSMENT_COLUMNS)
