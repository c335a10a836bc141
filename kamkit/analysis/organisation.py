"""The account's organisation structure (A2): an org chart from contacts and reports_to,
with who of our people relates to each contact."""

from __future__ import annotations

import pandas as pd

from kamkit.errors import KamkitError
from kamkit.frames import joined, typed
from kamkit.memo import per_account
from kamkit.schema import DEFAULT_MIN_STRENGTH, LEVELS, RELATIONSHIP_STRENGTHS
from kamkit.workbook import AccountData

ORG_CHART_COLUMNS: dict[str, object] = {
    "contact_id": "string", "name": "string", "title": "string", "department": "string",
    "level": "string", "reports_to": "string", "depth": "int64", "buying_role": "string",
    "attitude": "string", "influence": "string", "our_people": "string",
    "best_person": "string", "best_strength": "Int64", "covered": "bool",
}


def _depth_first(contacts: pd.DataFrame) -> list[tuple[object, int]]:
    """(row label, depth) of every contact, depth first from the top, siblings in workbook
    order. A contact whose boss is missing or not among the contacts is a top; contacts left
    over (only possible in a reports_to cycle) follow, each as a top."""
    known = set(contacts["contact_id"])
    children: dict[object, list[object]] = {}
    tops: list[object] = []
    for label, contact_id, boss in zip(contacts.index, contacts["contact_id"],
                                       contacts["reports_to"], strict=True):
        if pd.isna(boss) or boss not in known or boss == contact_id:
            tops.append(label)
        else:
            children.setdefault(boss, []).append(label)
    order: list[tuple[object, int]] = []
    seen: set[object] = set()
    for start in [*tops, *contacts.index]:
        stack = [(start, 0)]
        while stack:
            label, depth = stack.pop()
            if label in seen:
                continue
            seen.add(label)
            order.append((label, depth))
            below = children.get(contacts.at[label, "contact_id"], [])
            stack.extend((child, depth + 1) for child in reversed(below))
    return order


def _relationships(account: AccountData) -> pd.DataFrame:
    """Relationships with our person's name, strongest first."""
    team = account.team[["person_id", "name"]].rename(columns={"name": "person_name"})
    links = account.relationships.merge(team, on="person_id", how="left")
    links = links.assign(person_name=links["person_name"].fillna(links["person_id"]))
    return links.sort_values(["strength", "person_name"], ascending=[False, True],
                             kind="stable", na_position="last")


def check_min_strength(min_strength: int) -> int:
    """``min_strength`` when it is on the relationship-strength scale (1-5), else a
    ``KamkitError`` saying what the scale is."""
    if isinstance(min_strength, bool) or min_strength not in RELATIONSHIP_STRENGTHS:
        scale = ", ".join(f"{n} {text}" for n, text in RELATIONSHIP_STRENGTHS.items())
        raise KamkitError(f"The minimum relationship strength must be a whole number on the "
                          f"scale {scale}; got {min_strength!r}.")
    return int(min_strength)


@per_account
def org_chart(account: AccountData,
              min_strength: int = DEFAULT_MIN_STRENGTH) -> pd.DataFrame:
    """The account's contacts as a tree, with our coverage of each (A2).

    Parameters
    ----------
    account
        One account's data.
    min_strength
        The relationship strength (``schema.RELATIONSHIP_STRENGTHS``, 1-5) from which a
        contact counts as covered; default 3, "regular working contact".

    Returns
    -------
    DataFrame
        One row per contact, depth first (each contact followed by the people reporting to
        them, siblings in workbook order), so a tree is drawn by indenting on ``depth``:
        ``contact_id``, ``name``, ``title``, ``department``, ``level``, ``reports_to``,
        ``depth`` (0 at the top), ``buying_role``, ``attitude``, ``influence``,
        ``our_people`` (names of our people with a relationship, strongest first,
        comma-separated; "" when none), ``best_person`` (the one of them with the
        strongest relationship; NA when none), ``best_strength`` (1-5; NA when none) and
        ``covered`` (True when one of our people has a relationship of at least
        ``min_strength``).
    """
    min_strength = check_min_strength(min_strength)
    contacts = account.contacts
    if contacts.empty:
        return typed(contacts, ORG_CHART_COLUMNS)
    order = _depth_first(contacts)
    links = _relationships(account)
    people = links.groupby("contact_id")["person_name"].agg(joined)
    best = links.groupby("contact_id")["strength"].max()
    best_person = links.groupby("contact_id")["person_name"].first()  # strongest first
    tree = contacts.loc[[label for label, _ in order]].assign(
        depth=[depth for _, depth in order])
    ids = tree["contact_id"]
    result = tree.assign(
        our_people=ids.map(people).astype("string").fillna(""),
        best_person=ids.map(best_person),
        best_strength=ids.map(best),
        covered=(ids.map(best) >= min_strength).fillna(False).to_numpy(dtype=bool),
    )
    return typed(result, ORG_CHART_COLUMNS)


ORG_CHART_NODES = 120
"""Contacts the drawn org chart shows at most; a larger organisation is cut below the
deepest level that fits, and the rest counted."""


def org_chart_top(org: pd.DataFrame, limit: int = ORG_CHART_NODES) -> pd.DataFrame:
    """The part of an ``org_chart`` frame that stays readable drawn as a tree.

    Parameters
    ----------
    org
        ``org_chart(account)``.
    limit
        Contacts to keep at most.

    Returns
    -------
    DataFrame
        The ``limit`` contacts nearest the top (by ``depth``, then level, strategic
        first), in the depth-first order of ``org``: every kept contact's manager is kept
        too, so the tree stays whole. ``len(org) - len(result)`` contacts are left out.
    """
    if len(org) <= limit:
        return org
    rank = org["level"].map({level: i for i, level in enumerate(LEVELS)}).fillna(len(LEVELS))
    keep = (org.assign(_rank=rank.to_numpy(), _order=range(len(org)))
            .sort_values(["depth", "_rank", "_order"], kind="stable").head(limit).index)
    return org[org.index.isin(keep)]
