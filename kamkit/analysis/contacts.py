"""The contact matrix (A8): which of our people relates to which of the account's contacts,
how strongly and how recently, and where coverage is missing.

Shares are fractions 0..1 in ``share*`` columns; a share of 0 contacts is NA (NaN).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kamkit.analysis.organisation import org_chart
from kamkit.frames import LEVEL_RANK, days_between, empty, share, typed
from kamkit.periods import parse_as_of
from kamkit.schema import LEVELS
from kamkit.workbook import AccountData

MATRIX_COLUMNS: dict[str, object] = {
    "person_id": "string", "person_name": "string", "person_function": "string",
    "person_level": "string", "contact_id": "string", "contact_name": "string",
    "contact_title": "string", "contact_level": "string", "strength": "Int64",
    "last_contact": "datetime64[s]", "days_since": "Int64", "same_level": "bool",
}


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
    team = account.team.rename(columns={"name": "person_name", "function": "person_function",
                                        "level": "person_level"})
    contacts = account.contacts.rename(columns={"name": "contact_name", "title": "contact_title",
                                                "level": "contact_level"})
    links = account.relationships.merge(team, on="person_id", how="left").merge(
        contacts, on="contact_id", how="left")
    if links.empty:
        return empty(MATRIX_COLUMNS)
    days = (days_between(pd.Timestamp(parse_as_of(as_of)), links["last_contact"])
            if as_of is not None else pd.Series(pd.NA, index=links.index, dtype="Int64"))
    result = links.assign(
        days_since=days,
        same_level=(links["person_level"] == links["contact_level"]).fillna(False).to_numpy(),
        rank=links["contact_level"].map(LEVEL_RANK),
    ).sort_values(["rank", "contact_name", "strength"], ascending=[True, True, False],
                  kind="stable", na_position="last")
    return typed(result, MATRIX_COLUMNS)


def coverage_by_level(account: AccountData) -> pd.DataFrame:
    """How many of the account's contacts at each level one of our people relates to (A8).

    Parameters
    ----------
    account
        One account's data.

    Returns
    -------
    DataFrame
        One row per level (strategic, tactical, operational, always all three): ``level``,
        ``contacts``, ``covered`` (contacts with at least one relationship),
        ``share_covered`` (covered / contacts; NA when there are no contacts) and
        ``mean_best_strength`` (mean over the covered contacts of their strongest
        relationship; NA when none is covered).
    """
    chart = org_chart(account)
    levels = pd.DataFrame({"level": pd.array(LEVELS, dtype="string")})
    counts = chart.groupby("level", as_index=False).agg(
        contacts=("contact_id", "size"),
        covered=("covered", "sum"),
        mean_best_strength=("best_strength", "mean"),
    )
    result = levels.merge(counts, on="level", how="left")
    result = result.assign(
        contacts=result["contacts"].fillna(0),
        covered=result["covered"].fillna(0),
    )
    result = result.assign(share_covered=share(result["covered"], result["contacts"]))
    return typed(result, {"level": "string", "contacts": "int64", "covered": "int64",
                          "share_covered": "float64", "mean_best_strength": "float64"})


def uncovered_key_contacts(account: AccountData) -> pd.DataFrame:
    """Decision makers and high-influence contacts none of our people relates to (A8).

    Parameters
    ----------
    account
        One account's data.

    Returns
    -------
    DataFrame
        ``contact_id``, ``name``, ``title``, ``department``, ``level``, ``buying_role``,
        ``influence``, ``attitude`` and ``reason`` ("decision maker", "high influence" or
        both), sorted by level (strategic first), then as in the org chart.
    """
    chart = org_chart(account)
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
                          "influence": "string", "attitude": "string", "reason": "string"})


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
