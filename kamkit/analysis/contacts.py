"""The contact matrix (A8): which of our people relates to which of the account's contacts,
how strongly and how recently, and where coverage is missing.

Shares are fractions 0..1 in ``share*`` columns; a share of 0 contacts is NA (NaN).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kamkit.analysis.organisation import org_chart
from kamkit.frames import (
    LEVEL_RANK,
    days_between,
    empty,
    frame_of,
    match_key,
    na_last,
    rows_by_key,
    shares,
    typed,
)
from kamkit.grouping import missing
from kamkit.memo import per_account
from kamkit.periods import parse_as_of
from kamkit.schema import DEFAULT_MIN_STRENGTH, LEVELS, RELATIONSHIP_STRENGTHS
from kamkit.workbook import AccountData

MATRIX_COLUMNS: dict[str, object] = {
    "person_id": "string", "person_name": "string", "person_function": "string",
    "person_level": "string", "contact_id": "string", "contact_name": "string",
    "contact_title": "string", "contact_level": "string", "strength": "Int64",
    "last_contact": "datetime64[s]", "days_since": "Int64", "same_level": "bool",
}


@per_account  # A8 shows it and lists its quiet relationships: computed once
def contact_matrix(account: AccountData, as_of: dt.date | str | None = None) -> pd.DataFrame:
    """Our people x the account's contacts, one row per relationship (A8).

    Parameters
    ----------
    account
        One account's data.
    as_of
        The date ``days_since`` counts to (a date, "2026-03-31" or "2026Q1"); None leaves
        ``days_since`` NA.

    Returns
    -------
    DataFrame
        ``person_id``, ``person_name``, ``person_function``, ``person_level``,
        ``contact_id``, ``contact_name``, ``contact_title``, ``contact_level``,
        ``strength`` (1-5), ``last_contact``, ``days_since`` (days from the last contact to
        ``as_of``) and ``same_level`` (both sides work at the same level). Sorted by the
        contact's level (strategic first), contact name, then strongest first.
    """
    relationships = account.relationships
    if relationships.empty:
        return empty(MATRIX_COLUMNS)
    people = rows_by_key(account.team, "person_id", ["name", "function", "level"])
    contacts = rows_by_key(account.contacts, "contact_id", ["name", "title", "level"])
    # the relationships left-merged with our people and then their contacts (a row for
    # each match, in order; NA without one), row by row: pandas' two merges, sort and
    # typed took most of building A8
    rows = []
    for position, (person_id, contact_id, strength) in enumerate(zip(
            relationships["person_id"].tolist(), relationships["contact_id"].tolist(),
            relationships["strength"].tolist(), strict=True)):
        for person in people.get(match_key(person_id), [_NOBODY]):
            for contact in contacts.get(match_key(contact_id), [_NOBODY]):
                rows.append((position, person_id, person, contact_id, contact, strength))
    # by the contact's level (strategic first), name, then strongest first; a missing
    # value of each last (``sort_values(..., na_position="last")``, stable)
    rows.sort(key=lambda row: (na_last(LEVEL_RANK.get(row[4][2])), na_last(row[4][0]),
                               na_last(None if missing(row[5]) else -row[5])))
    last_contact = relationships["last_contact"].to_numpy()[[row[0] for row in rows]]
    days = (days_between(pd.Timestamp(parse_as_of(as_of)), pd.Series(last_contact))
            .tolist() if as_of is not None else [pd.NA] * len(rows))
    return frame_of({
        "person_id": [row[1] for row in rows], "person_name": [row[2][0] for row in rows],
        "person_function": [row[2][1] for row in rows],
        "person_level": [row[2][2] for row in rows], "contact_id": [row[3] for row in rows],
        "contact_name": [row[4][0] for row in rows],
        "contact_title": [row[4][1] for row in rows],
        "contact_level": [row[4][2] for row in rows], "strength": [row[5] for row in rows],
        "last_contact": last_contact, "days_since": days,
        "same_level": [not missing(row[2][2]) and not missing(row[4][2])
                       and row[2][2] == row[4][2] for row in rows],
    }, MATRIX_COLUMNS)


_NOBODY = (pd.NA, pd.NA, pd.NA)
"""The columns of a relationship's person or contact not in the workbook's tables."""


STRENGTH_COLUMNS = ("no_relationship",
                    *(f"strength_{n}" for n in RELATIONSHIP_STRENGTHS))
"""The columns of ``coverage_by_level`` that count contacts by their strongest relationship:
none, then 1 (knows the name) to 5 (trusted advisor)."""


@per_account
def coverage_by_level(account: AccountData,
                      min_strength: int = DEFAULT_MIN_STRENGTH) -> pd.DataFrame:
    """How many of the account's contacts at each level one of our people has a relationship
    with of at least ``min_strength``, and how strong the relationships are (A8).

    Parameters
    ----------
    account
        One account's data.
    min_strength
        The strength (``schema.RELATIONSHIP_STRENGTHS``, 1-5) from which a contact counts
        as covered; default 3, "regular working contact". A contact who only knows the
        name of one of ours is no coverage.

    Returns
    -------
    DataFrame
        One row per level (strategic, tactical, operational, always all three): ``level``,
        ``contacts``, ``covered`` (contacts whose strongest relationship is at least
        ``min_strength``), ``share_covered`` (covered / contacts; NA when there are no
        contacts), ``mean_best_strength`` (mean over the contacts with any relationship of
        their strongest one; NA when none has one), and the distribution
        ``STRENGTH_COLUMNS``: ``no_relationship`` and ``strength_1`` ... ``strength_5``,
        the contacts whose strongest relationship is that strong (they add up to
        ``contacts``).
    """
    chart = org_chart(account, min_strength)
    rows = list(zip(chart["level"].tolist(), chart["best_strength"].tolist(),
                    chart["covered"].tolist(), strict=True))
    counted: dict[str, list[int]] = {column: [] for column in ("contacts", "covered",
                                                               *STRENGTH_COLUMNS)}
    means = []
    for level in LEVELS:
        at_level = [(best, covered) for lev, best, covered in rows
                    if isinstance(lev, str) and lev == level]
        known = [int(best) for best, _ in at_level if not pd.isna(best)]
        counted["contacts"].append(len(at_level))
        counted["covered"].append(sum(bool(covered) for _, covered in at_level))
        counted["no_relationship"].append(len(at_level) - len(known))
        for n in RELATIONSHIP_STRENGTHS:
            counted[f"strength_{n}"].append(known.count(n))
        # integers add up exactly: the same mean as pandas' of the Int64 column
        means.append(sum(known) / len(known) if known else np.nan)
    contacts = np.array(counted["contacts"], dtype="float64")
    return frame_of({
        "level": list(LEVELS), "contacts": counted["contacts"], "covered": counted["covered"],
        "share_covered": shares(np.array(counted["covered"], dtype="float64"), contacts),
        "mean_best_strength": means,
        **{column: counted[column] for column in STRENGTH_COLUMNS},
    }, {"level": "string", "contacts": "int64", "covered": "int64",
        "share_covered": "float64", "mean_best_strength": "float64",
        **{column: "int64" for column in STRENGTH_COLUMNS}})


def uncovered_key_contacts(account: AccountData,
                           min_strength: int = DEFAULT_MIN_STRENGTH) -> pd.DataFrame:
    """Decision makers and high-influence contacts none of our people has a relationship
    with of at least ``min_strength`` (A8).

    Parameters
    ----------
    account
        One account's data.
    min_strength
        As in ``coverage_by_level``.

    Returns
    -------
    DataFrame
        ``contact_id``, ``name``, ``title``, ``department``, ``level``, ``buying_role``,
        ``influence``, ``attitude``, ``best_person`` and ``best_strength`` (who of ours has
        their strongest relationship with us, and how strong; NA without one) and
        ``reason`` ("decision maker", "high influence" or both),
        sorted by level (strategic first), then as in the org chart.
    """
    chart = org_chart(account, min_strength)
    deciding = (chart["buying_role"] == "decision_maker").fillna(False).to_numpy()
    high = (chart["influence"] == "high").fillna(False).to_numpy()
    reasons = [", ".join(r for r, on in (("decision maker", d), ("high influence", h)) if on)
               for d, h in zip(deciding, high, strict=True)]
    result = chart.assign(reason=pd.Series(reasons, index=chart.index, dtype="string"),
                          rank=chart["level"].map(LEVEL_RANK))
    result = result[(deciding | high) & ~chart["covered"].to_numpy()]
    result = result.sort_values("rank", kind="stable", na_position="last")
    return typed(result, {"contact_id": "string", "name": "string", "title": "string",
                          "department": "string", "level": "string", "buying_role": "string",
                          "influence": "string", "attitude": "string",
                          "best_person": "string", "best_strength": "Int64",
                          "reason": "string"})


def stale_relationships(account: AccountData, as_of: dt.date | str,
                        days: int = 90) -> pd.DataFrame:
    """Relationships whose last contact is more than ``days`` days before ``as_of`` (A8).

    Parameters
    ----------
    account
        One account's data.
    as_of
        The reference date (a date, "2026-03-31" or "2026Q1").
    days
        How many days without contact make a relationship stale.

    Returns
    -------
    DataFrame
        The rows of ``contact_matrix(account, as_of)`` with ``days_since > days``, longest
        silence first. A last contact after ``as_of`` is not stale.
    """
    matrix = contact_matrix(account, parse_as_of(as_of))
    stale = matrix[(matrix["days_since"] > days).fillna(False).to_numpy()]
    return typed(stale.sort_values("days_since", ascending=False, kind="stable"),
                 MATRIX_COLUMNS)
