"""Figures of the demo workbook worked out straight from its CSV and YAML files with the
standard library, independently of kamkit's computations: what the report and notebook tests
compare kamkit's output with."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from functools import cache

import yaml

from kamkit import DEMO_WORKBOOK
from kamkit.labels import t

CONFIDENCE_ORDER = ("low", "medium", "high")
"""Confidence levels from lowest to highest: a figure has the lowest of its estimates'."""


def demo_rows(table: str) -> list[dict[str, str]]:
    """A demo table straight from its CSV file."""
    return list(_rows(table))


@cache
def _rows(table: str) -> tuple[dict[str, str], ...]:
    with (DEMO_WORKBOOK / f"{table}.csv").open(encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


def account_ids() -> list[str]:
    """The demo's accounts in the order of accounts.csv, as ``Workbook.account_ids`` gives
    them (without loading the workbook: the notebook tests parametrise by them)."""
    return [row["account_id"] for row in _rows("accounts")]


def document(account_id: str) -> dict:
    """An account's YAML document as plain data."""
    return yaml.safe_load((DEMO_WORKBOOK / "documents" / f"{account_id}.yaml").read_text(
        encoding="utf-8"))


def name_of(table: str, key: str, value: str, language: str = "") -> str:
    """The ``name`` column of the row of a reference table (services, locations,
    competitors, team) whose ``key`` is ``value``; with a language, its ``name_<language>``
    where the workbook fills one."""
    row = next(r for r in _rows(table) if r[key] == value)
    return row.get(f"name_{language}") or row["name"]


# ---------------------------------------------------------------------- sales and spend
def sold(account_id: str, first_month: str, last_month: str,
         column: str = "revenue") -> float:
    """Our sales to the account (``column``) in the months ``first_month``..``last_month``
    (``YYYY-MM``, both included)."""
    return sum(float(r[column]) for r in _rows("sales") if r["account_id"] == account_id
               and first_month <= r["month"] <= last_month)


def sold_in(account_id: str, year: int, column: str = "revenue") -> float:
    return sold(account_id, f"{year}-01", f"{year}-12", column)


def sold_by_cell(account_id: str, year: int) -> dict[tuple[str, str], float]:
    """Our revenue per (service, location) in a year."""
    cells: dict[tuple[str, str], float] = defaultdict(float)
    for r in _rows("sales"):
        if r["account_id"] == account_id and r["month"].startswith(str(year)):
            cells[(r["service"], r["location"])] += float(r["revenue"])
    return dict(cells)


def spend_rows(account_id: str, year: int) -> list[dict[str, str]]:
    return [r for r in _rows("spend") if r["account_id"] == account_id
            and r["year"] == str(year)]


def spend_by_cell(account_id: str, year: int) -> dict[tuple[str, str], float]:
    """The account's estimated spend per (service, location) in a year."""
    cells: dict[tuple[str, str], float] = defaultdict(float)
    for r in spend_rows(account_id, year):
        cells[(r["service"], r["location"])] += float(r["spend"])
    return dict(cells)


def lowest_confidence(rows: list[dict[str, str]]) -> str:
    return min((r["confidence"] for r in rows), key=CONFIDENCE_ORDER.index)


def confidence_by_spend(rows: list[dict[str, str]]) -> list[tuple[str, float]]:
    """(confidence, share of the rows' spend) for each confidence with spend, high first."""
    total = sum(float(r["spend"]) for r in rows)
    parts = [(level, sum(float(r["spend"]) for r in rows if r["confidence"] == level)
              / total) for level in reversed(CONFIDENCE_ORDER)]
    return [(level, part) for level, part in parts if part > 0]


def largest_move_by_amount(account_id: str, year: int, min_pts: float = 2.0
                          ) -> tuple[tuple[str, str], float, float, float, float]:
    """The (service, location) whose share of wallet moved most in euros from the year
    before (change of share x this year's spend, from ``min_pts`` points on): the cell, the
    share before and after, this year's spend and the euros moved."""
    before, after = spend_by_cell(account_id, year - 1), spend_by_cell(account_id, year)
    sold_before, sold_after = sold_by_cell(account_id, year - 1), sold_by_cell(account_id, year)
    moves = []
    for cell in set(before) & set(after):
        if before[cell] and after[cell]:
            share_from = sold_before.get(cell, 0.0) / before[cell]
            share_to = sold_after.get(cell, 0.0) / after[cell]
            if abs(share_to - share_from) * 100 >= min_pts:
                moves.append((cell, share_from, share_to, after[cell],
                              (share_to - share_from) * after[cell]))
    return max(moves, key=lambda move: abs(move[4]))


def share_of_wallet(account_id: str, year: int) -> float:
    """Our revenue in the cells with a spend estimate / the estimated spend (no cell of the
    demo's key accounts sells more than its estimate, so nothing is capped)."""
    spend = spend_by_cell(account_id, year)
    ours = sold_by_cell(account_id, year)
    return sum(ours.get(cell, 0.0) for cell in spend) / sum(spend.values())


def holder_share(account_id: str, year: int, holder: str) -> float:
    """A competitor's estimated share of the account's total spend in a year."""
    theirs = sum(float(r["spend"]) for r in _rows("spend_shares")
                 if r["account_id"] == account_id and r["year"] == str(year)
                 and r["holder"] == holder)
    return theirs / sum(spend_by_cell(account_id, year).values())


def open_spend(account_id: str, year: int, held_at: float = 0.95
               ) -> dict[tuple[str, str], tuple[str, float]]:
    """Per (service, location) with room to sell: ("cross selling" or "deep selling", the
    spend that went to others). Cross selling: spend but no sales of ours; deep selling: we
    sell there with a share below ``held_at``."""
    ours = sold_by_cell(account_id, year)
    room = {}
    for cell, spend in spend_by_cell(account_id, year).items():
        sold_here = ours.get(cell, 0.0)
        if spend > 0 and sold_here == 0:
            room[cell] = ("cross selling", spend)
        elif spend > 0 and sold_here / spend < held_at:
            room[cell] = ("deep selling", spend - sold_here)
    return room


def main_holder(account_id: str, year: int, cell: tuple[str, str]) -> str:
    """The holder with the most estimated spend in a cell."""
    held: dict[str, float] = defaultdict(float)
    for r in _rows("spend_shares"):
        if (r["account_id"], r["year"], r["service"], r["location"]) == (
                account_id, str(year), *cell):
            held[r["holder"]] += float(r["spend"])
    return max(held, key=held.__getitem__)


# ---------------------------------------------------------------------- contacts
def contacts_of(account_id: str) -> list[dict[str, str]]:
    return [r for r in _rows("contacts") if r["account_id"] == account_id]


def known_contacts(min_strength: int = 3) -> set[str]:
    """Contacts someone at our side has a relationship with of at least ``min_strength``
    (3: regular working contact)."""
    return {r["contact_id"] for r in _rows("relationships")
            if int(r["strength"]) >= min_strength}


def strongest(account_id: str) -> dict[str, int]:
    """Each of the account's contacts' strongest relationship with us (0: none)."""
    best = {c["contact_id"]: 0 for c in contacts_of(account_id)}
    for r in _rows("relationships"):
        if r["contact_id"] in best:
            best[r["contact_id"]] = max(best[r["contact_id"]], int(r["strength"]))
    return best


def strongest_person(contact_id: str) -> tuple[str, int] | None:
    """(name, strength) of our person with the strongest relationship with the contact
    (ties: the name first in the alphabet); None when nobody at our side has one."""
    names = {r["person_id"]: r["name"] for r in _rows("team")}
    links = [(-int(r["strength"]), names.get(r["person_id"], r["person_id"]))
             for r in _rows("relationships") if r["contact_id"] == contact_id]
    if not links:
        return None
    strength, name = min(links)
    return name, -strength


def decider_finding(contact: dict[str, str], language: str, min_strength: int = 3) -> str:
    """The A2 sentence about a decision maker not covered: nobody, or who is closest."""
    best = strongest_person(contact["contact_id"])
    if best is None:
        return t("find.a2.decider", language, name=contact["name"], title=contact["title"])
    person, strength = best
    return t("find.a2.decider_weak", language, name=contact["name"], title=contact["title"],
             strength=min_strength, person=person, best=strength,
             best_name=t(f"strength.{strength}", language))


def unknown_deciders(account_id: str, min_strength: int = 3) -> list[dict[str, str]]:
    """The account's decision makers nobody at our side has a relationship with of at
    least ``min_strength``."""
    known = known_contacts(min_strength)
    return [c for c in contacts_of(account_id) if c["buying_role"] == "decision_maker"
            and c["contact_id"] not in known]


# ---------------------------------------------------------------------- feedback
def satisfaction_scores(account_id: str, until: str) -> list[tuple[str, float]]:
    """(date, score) of the account's satisfaction scores up to ``until``, oldest first."""
    return sorted((r["date"], float(r["score"])) for r in _rows("feedback")
                  if r["account_id"] == account_id and r["kind"] == "satisfaction"
                  and r["score"] and r["date"] <= until)


def complaints_of(account_id: str, until: str) -> list[dict[str, str]]:
    """The account's complaints made up to ``until``, oldest first."""
    return sorted((r for r in _rows("feedback") if r["account_id"] == account_id
                   and r["kind"] == "complaint" and r["date"] <= until),
                  key=lambda r: r["date"])


# ---------------------------------------------------------------------- plans
def monthly_targets(account_id: str, column: str = "revenue") -> dict[str, float]:
    """The plan's monthly targets, ``YYYY-MM`` -> EUR."""
    targets = document(account_id)["plan"]["targets"]
    return {str(m["month"]): float(m[column]) for m in targets.get("monthly", [])}


def run_rate_forecast(account_id: str, year: int, last_month: int,
                      column: str = "revenue") -> float:
    """The calendar ``year``'s ``column`` expected from its months 1..``last_month``: the
    actual times the seasonal weight of the year over that of those months, each calendar
    month weighing its revenue in the (up to 3) last whole years before ``year`` with
    revenue (a first year counts only with sales in all 12 months)."""
    rows = [r for r in _rows("sales") if r["account_id"] == account_id]
    revenue_by_year: dict[int, float] = defaultdict(float)
    months_by_year: dict[int, set[str]] = defaultdict(set)
    for r in rows:
        revenue_by_year[int(r["month"][:4])] += float(r["revenue"])
        months_by_year[int(r["month"][:4])].add(r["month"])
    first = min(revenue_by_year)
    whole = [y for y in range(first, year) if revenue_by_year.get(y, 0) > 0
             and (y > first or len(months_by_year[y]) == 12)][-3:]
    weight = [sum(float(r["revenue"]) for r in rows if int(r["month"][:4]) in whole
                  and int(r["month"][5:7]) == m) for m in range(1, 13)]
    actual = sold(account_id, f"{year}-01", f"{year}-{last_month:02d}", column)
    return actual * sum(weight) / sum(weight[:last_month])


def open_actions(account_id: str, first: dt.date, last: dt.date) -> list[str]:
    """Ids of the plan's open or started actions due from ``first`` to ``last``."""
    return [a["id"] for a in document(account_id)["plan"]["actions"]
            if first <= a["due"] <= last and a.get("status", "open") in ("open", "in_progress")]


def overdue_actions(account_id: str, as_of: dt.date) -> list[str]:
    """Ids of the plan's open or started actions due before ``as_of``."""
    return open_actions(account_id, dt.date.min, as_of - dt.timedelta(days=1))


def unowned_actions(account_id: str) -> list[str]:
    return [a["id"] for a in document(account_id)["plan"]["actions"] if not a.get("owner")]


def objective_and_wallet(account_id: str, objective_id: str, year: int) -> tuple[dict, float]:
    """A plan objective and the account's estimated spend in its scope (service and/or
    location) in ``year``."""
    objective = next(o for o in document(account_id)["plan"]["objectives"]
                     if o["id"] == objective_id)
    scope = objective.get("scope") or {}
    wallet = sum(spend for (service, location), spend in spend_by_cell(account_id, year).items()
                 if scope.get("service", service) == service
                 and scope.get("location", location) == location)
    return objective, wallet
