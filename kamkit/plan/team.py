"""The relationship mix and the account team (P3): where we have no relationships, and the
plan's team matched to the contact matrix.

Gap codes of ``team_gaps``, for the labels table to translate:

- ``no_owner``: a strategic contact none of our people has a relationship with;
- ``owner_outside_team``: a strategic contact whose relationships are all with people
  outside the plan's team;
- ``counterpart_without_relationship``: a counterpart named in the plan's team with no
  relationship in relationships.csv to the person who names them;
- ``level_mismatch``: a strategic contact linked to our people (as a counterpart in the
  plan or by a relationship), none of whom works at the strategic level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamkit.analysis.organisation import org_chart
from kamkit.frames import (
    LEVEL_RANK,
    empty,
    frame_of,
    joined,
    match_key,
    rows_by_key,
    shares,
    typed,
)
from kamkit.grouping import missing
from kamkit.memo import per_account
from kamkit.plan._common import plan_of
from kamkit.schema import DEFAULT_MIN_STRENGTH
from kamkit.workbook import AccountData

GAPS = ("no_owner", "owner_outside_team", "counterpart_without_relationship",
        "level_mismatch")
"""The ``gap`` codes of ``team_gaps``, in the order they are listed."""

_STRATEGIC = "strategic"


def relationship_gaps(account: AccountData,
                      min_strength: int = DEFAULT_MIN_STRENGTH) -> pd.DataFrame:
    """The levels and departments of the account where contacts have no relationship with
    any of our people of at least ``min_strength`` (P3, relationship mix).

    Parameters
    ----------
    account
        One account's data.
    min_strength
        The strength (1-5) from which a contact counts as covered (default 3, "regular
        working contact"; see ``analysis.coverage_by_level``).

    Returns
    -------
    DataFrame
        One row per level x department with at least one uncovered contact, strategic
        first, then by department: ``level``, ``department``, ``contacts``, ``covered``,
        ``uncovered``, ``share_covered`` (covered / contacts), ``no_relationship`` (True
        when no contact of the group is covered: a blind spot) and
        ``uncovered_contacts`` (their names, comma-separated, in org-chart order).
    """
    chart = org_chart(account, min_strength)
    levels, departments = chart["level"].tolist(), chart["department"].tolist()
    covered, names = chart["covered"].tolist(), chart["name"].tolist()
    # each level x department's contacts, the groups in order of appearance and a contact
    # with either missing in none: ``groupby(["level", "department"], sort=False)``, whose
    # aggregation with a function per group took most of building P3
    members: dict[tuple[str, str], list[int]] = {}
    for row, key in enumerate(zip(levels, departments, strict=True)):
        if not (missing(key[0]) or missing(key[1])):
            members.setdefault(key, []).append(row)
    groups = [(key, len(rows), sum(covered[r] for r in rows),
               joined(names[r] for r in rows if not covered[r] and not missing(names[r])))
              for key, rows in members.items()]
    # uncovered ones only, strategic first (an unknown level last), then by department
    groups = sorted((group for group in groups if group[1] > group[2]),
                    key=lambda group: (group[0][0] not in LEVEL_RANK,
                                       LEVEL_RANK.get(group[0][0], 0), group[0][1]))
    contacts = np.array([group[1] for group in groups], dtype="int64")
    hits = np.array([group[2] for group in groups], dtype="int64")
    return frame_of({"level": [group[0][0] for group in groups],
                     "department": [group[0][1] for group in groups],
                     "contacts": contacts, "covered": hits, "uncovered": contacts - hits,
                     "share_covered": shares(hits.astype("float64"),
                                             contacts.astype("float64")),
                     "no_relationship": hits == 0,
                     "uncovered_contacts": [group[3] for group in groups]},
                    _GAP_COLUMNS)


_GAP_COLUMNS: dict[str, object] = {
    "level": "string", "department": "string", "contacts": "int64", "covered": "int64",
    "uncovered": "int64", "share_covered": "float64", "no_relationship": "bool",
    "uncovered_contacts": "string"}


def strategic_contacts(account: AccountData) -> list[str]:
    """The ids of the account's contacts at the strategic level, in org-chart order."""
    chart = org_chart(account)
    return chart.loc[(chart["level"] == _STRATEGIC).to_numpy(), "contact_id"].tolist()


_MATCH_COLUMNS: dict[str, object] = {
    "person_id": "string", "person_name": "string", "person_function": "string",
    "person_level": "string", "role": "string", "contact_id": "string",
    "contact_name": "string", "contact_title": "string", "contact_level": "string",
    "strength": "Int64", "has_relationship": "bool", "same_level": "boolean",
}


def _plan_pairs(account: AccountData) -> pd.DataFrame:
    """The plan's team, one row per member and counterpart (a member without counterparts
    once, contact NA): person_id, role, contact_id, in plan order."""
    plan = plan_of(account)
    rows = [{"person_id": member.person, "role": member.role, "contact_id": contact}
            for member in (plan.team if plan is not None else ())
            for contact in (member.counterparts or (None,))]
    return pd.DataFrame(rows, columns=["person_id", "role", "contact_id"]).astype("string")


@per_account
def team_match(account: AccountData) -> pd.DataFrame:
    """The plan's account team matched to the contact matrix (P3).

    Parameters
    ----------
    account
        One account's data.

    Returns
    -------
    DataFrame
        One row per team member and counterpart named in the plan (a member without
        counterparts once, with the contact columns NA), in plan order: ``person_id``,
        ``person_name``, ``person_function``, ``person_level``, ``role``, ``contact_id``,
        ``contact_name``, ``contact_title``, ``contact_level``, ``strength`` (of their
        relationship in relationships.csv; NA without one), ``has_relationship`` and
        ``same_level`` (both work at the same level; NA without a contact). Empty with
        these columns when the account has no plan.
    """
    pairs = _plan_pairs(account)
    if pairs.empty:
        return empty(_MATCH_COLUMNS)
    people = rows_by_key(account.team, "person_id", ["name", "function", "level"])
    contacts = rows_by_key(account.contacts, "contact_id", ["name", "title", "level"])
    links = rows_by_key(account.relationships, ["person_id", "contact_id"], ["strength"])
    # the pairs left-merged with our people, their contacts and the relationships between
    # them (a row for each match, in order; NA without one; a missing key matching a
    # missing one), row by row: pandas' three merges took most of matching the team
    rows = [(person_id, person, role, contact_id, contact, link[0])
            for person_id, role, contact_id in zip(
                *(pairs[c].tolist() for c in ("person_id", "role", "contact_id")), strict=True)
            for person in people.get(match_key(person_id), [_NONE])
            for contact in contacts.get(match_key(contact_id), [_NONE])
            for link in links.get((match_key(person_id), match_key(contact_id)), [(pd.NA,)])]
    return frame_of({
        "person_id": [row[0] for row in rows], "person_name": [row[1][0] for row in rows],
        "person_function": [row[1][1] for row in rows],
        "person_level": [row[1][2] for row in rows], "role": [row[2] for row in rows],
        "contact_id": [row[3] for row in rows], "contact_name": [row[4][0] for row in rows],
        "contact_title": [row[4][1] for row in rows],
        "contact_level": [row[4][2] for row in rows], "strength": [row[5] for row in rows],
        "has_relationship": [not missing(row[5]) for row in rows],
        # NA without a contact, or a level to compare
        "same_level": [pd.NA if missing(row[3]) or missing(row[1][2]) or missing(row[4][2])
                       else row[1][2] == row[4][2] for row in rows],
    }, _MATCH_COLUMNS)


_NONE = (pd.NA, pd.NA, pd.NA)
"""The columns of a person or contact not in the workbook's tables."""


def _people_of(contacts: list[str], contact_ids: pd.Series,
               person_ids: pd.Series) -> dict[str, list[str]]:
    """The person ids on the rows of each of ``contacts``, in row order: for each contact
    ``c``, ``person_ids[(contact_ids == c).fillna(False)].tolist()``, all in one pass over
    the rows (a mask a contact took longer than the rest of ``team_gaps``)."""
    people: dict[str, list[str]] = {contact: [] for contact in contacts}
    for contact, person in zip(contact_ids.tolist(), person_ids.tolist(), strict=True):
        if not missing(contact) and contact in people:
            people[contact].append(person)
    return people


def team_gaps(account: AccountData) -> pd.DataFrame:
    """Where the plan's team does not match the account's strategic contacts (P3).

    Every strategic contact should have an owner at our side (someone with a relationship,
    preferably in the plan's team) at the strategic level, and every counterpart named in
    the plan should be someone the member has a relationship with. See the module
    docstring for the ``gap`` codes.

    Parameters
    ----------
    account
        One account's data.

    Returns
    -------
    DataFrame
        One row per gap, by ``gap`` in the order of ``GAPS``, then contacts in org-chart
        order (counterparts in plan order): ``gap``, ``contact_id``, ``contact_name``,
        ``contact_title``, ``contact_level`` and ``people`` (the names of our people
        involved: the owners outside the team, the member naming the counterpart, or the
        people linked to the contact; "" for ``no_owner``). Empty with these columns when
        the account has no plan.
    """
    columns = {"gap": "string", "contact_id": "string", "contact_name": "string",
               "contact_title": "string", "contact_level": "string", "people": "string"}
    match = team_match(account)
    if match.empty:
        return empty(columns)
    names = dict(zip(account.team["person_id"], account.team["name"], strict=True))
    levels = dict(zip(account.team["person_id"], account.team["level"], strict=True))
    chart = org_chart(account)
    about = {row.contact_id: (row.name, row.title, row.level) for row in chart.itertuples()}
    links = account.relationships
    rows: list[dict[str, object]] = []

    def gap(code: str, contact_id: str, people: list[str]) -> None:
        # a counterpart not (or no longer) among the contacts: named by its id
        name, title, level = about.get(contact_id, (contact_id, pd.NA, pd.NA))
        rows.append({"gap": code, "contact_id": contact_id, "contact_name": name,
                     "contact_title": title, "contact_level": level,
                     "people": joined(names.get(p, p) for p in people)})

    members = set(match["person_id"])
    strategic = strategic_contacts(account)
    owners = _people_of(strategic, links["contact_id"], links["person_id"])
    named = _people_of(strategic, match["contact_id"], match["person_id"])
    for contact_id in strategic:
        if not owners[contact_id]:
            gap("no_owner", contact_id, [])
        elif members.isdisjoint(owners[contact_id]):
            gap("owner_outside_team", contact_id, owners[contact_id])
    unlinked = match[match["contact_id"].notna().to_numpy() & ~match["has_relationship"]]
    for person_id, contact_id in zip(unlinked["person_id"], unlinked["contact_id"],
                                     strict=True):
        gap("counterpart_without_relationship", contact_id, [person_id])
    for contact_id in strategic:
        people = list(dict.fromkeys(named[contact_id] + owners[contact_id]))
        if people and all(levels.get(p) != _STRATEGIC for p in people):
            gap("level_mismatch", contact_id, people)
    result = pd.DataFrame(rows, columns=list(columns))
    order = result["gap"].map({code: rank for rank, code in enumerate(GAPS)})
    return typed(result.iloc[order.argsort(kind="stable")], columns)
