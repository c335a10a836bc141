"""A large account written into a copy of the mini workbook, for the tests that every chart and
section holds up at size: 2,000 contacts in a reporting tree, 10 services x 10 locations,
10 years of monthly sales in every cell, spend and competitors' shares per year and cell,
relationships with a dozen of our people, history and feedback. Generated, not committed."""

from __future__ import annotations

import csv
import random
import shutil
from pathlib import Path

from tests.conftest import MINI

ACCOUNT = "BIG"
FIRST_YEAR, YEARS = 2016, 10
LEVELS = ("strategic", "tactical", "operational")


def _append(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, header).writerows(rows)


def write_large_workbook(target: Path, contacts: int = 2000, services: int = 10,
                         locations: int = 10, people: int = 12) -> str:
    """Copy the mini workbook to ``target`` with the large account added; its id."""
    shutil.copytree(MINI, target)
    rng = random.Random(12)
    codes = [f"S{i:02d}" for i in range(services)]
    places = [f"L{i:02d}" for i in range(locations)]
    team = [f"Q{i:02d}" for i in range(people)]
    _append(target / "services.csv", [{"service": s, "name": f"Service {s} with a long name",
                                       "unit": "hours", "min_margin_pct": 15} for s in codes])
    _append(target / "locations.csv", [{"location": p, "name": f"Site {p}", "country": "NL"}
                                        for p in places])
    _append(target / "team.csv", [{"person_id": p, "name": f"Colleague {p}", "function": "KAM",
                                   "level": LEVELS[i % 3], "email": f"{p}@example.com"}
                                  for i, p in enumerate(team)])
    _append(target / "accounts.csv", [{"account_id": ACCOUNT, "name": "Big Holding N.V.",
                                       "sector": "Logistics", "country": "NL",
                                       "status": "key_account", "kam": team[0],
                                       "attractiveness": 9, "position": 5}])
    ids = [f"{ACCOUNT}-C{i:04d}" for i in range(contacts)]
    _append(target / "contacts.csv", [
        {"contact_id": c, "account_id": ACCOUNT, "name": f"Contact {i:04d} Lastname",
         "title": "Manager", "department": f"Dept {i % 40}",
         "level": LEVELS[min(2, (i > 0) + (i > 40))], "reports_to": ids[(i - 1) // 5] if i else "",
         "buying_role": "user", "attitude": "neutral", "influence": "low",
         "email": f"c{i}@example.com"} for i, c in enumerate(ids)])
    _append(target / "relationships.csv", [
        {"person_id": p, "contact_id": c, "strength": rng.randint(1, 5),
         "last_contact": f"2025-{rng.randint(1, 12):02d}-01"}
        for p in team for c in rng.sample(ids, min(len(ids), 150))])
    months = [f"{FIRST_YEAR + m // 12}-{m % 12 + 1:02d}" for m in range(YEARS * 12)]
    _append(target / "sales.csv", [
        {"month": m, "account_id": ACCOUNT, "service": s, "location": p,
         "revenue": f"{rng.uniform(500, 5000):.2f}", "gross_margin": "100.00",
         "volume": 10}
        for m in months for s in codes for p in places])
    years = range(FIRST_YEAR, FIRST_YEAR + YEARS)
    _append(target / "spend.csv", [
        {"account_id": ACCOUNT, "year": y, "service": s, "location": p, "spend": 200000,
         "volume": 100, "source": "estimate", "confidence": "medium"}
        for y in years for s in codes for p in places])
    _append(target / "spend_shares.csv", [
        {"account_id": ACCOUNT, "year": y, "service": s, "location": p, "holder": "NORD",
         "spend": 50000, "source": "estimate", "confidence": "low"}
        for y in years for s in codes for p in places])
    _append(target / "history.csv", [
        {"account_id": ACCOUNT, "date": f"{y}-06-01", "type": "won",
         "description": f"Won site {p}", "amount": 10000} for y in years for p in places])
    _append(target / "feedback.csv", [
        {"account_id": ACCOUNT, "date": f"{y}-0{q}-01", "kind": "satisfaction",
         "score": rng.randint(5, 9), "service": "", "description": "Survey", "closed": ""}
        for y in years for q in (3, 6, 9)])
    return ACCOUNT
