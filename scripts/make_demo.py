"""Generate kamkit's bundled demo workbook in ``kamkit/demo/workbook``.

The demo is a fictional European facility-services supplier, Hofman Facility Services B.V.
(Rotterdam): twelve key accounts, three prospects and seventeen other customers, with sales
from January 2021 to September 2026. Every table is derived with fixed seeds from the
account definitions in ``scripts/demo_data`` (the accounts with a story, their documents'
text, objectives and actions) and below, and "now" is the fixed date ``AS_OF``
(2026-09-30), so running the script twice gives byte-identical files. The output folder is
replaced on every run.

Stories the data tells, and the account that carries each:

1. share lost to a named competitor: MAAS, cleaning in Rotterdam goes to Nordclean
2. a complaint streak with falling satisfaction: DELTA (2025-2026)
3. growth through cross selling: VDIJK (maintenance 2022, waste 2023, landscaping 2024)
4. a decision maker nobody at our side knows: KRONE (plant director KRONE-C03)
5. overdue actions: MAAS, DELTA, BRAVO, POLDER; an objective without actions: RHEIN OB3;
   an action without owner: ATLAS AC05
6. a prospect with a large open wallet: AMAND (a hospital, all with competitors or in-house)
7. off track against the 2026 plan: MAAS; on track: VDIJK
8. non-SMART objectives: NOVA OB2 (target above the total spend), LUMEN OB3 (no deadline,
   no conclusion)
9. a service sold below the margin policy: security at SCHELDE (about 11% against 15%)
10. relationships not touched for more than 90 days: SCHELDE, POLDER (and a few elsewhere)
11. an account sliding into attention: POLDER in 2026Q3 (catering and Groningen cleaning
    lost to cost cuts and Eindhoven cleaning to Nordclean after the plan was made, three
    complaints and a pulse survey of 5.6,
    actions overdue, ease of doing business scored down, the document not reviewed since
    January): its health falls from 2026Q2 to 2026Q3
12. a prospect worth pursuing: AMAND (the largest open wallet, strategic fit 9, invited to
    a market consultation); the KAM's override raises GRID's attractiveness

Attractiveness and position are computed from the criteria (kamkit.portfolio); only GRID
(a prospect) and the other customers, whose wallet is not tracked, have them written in
accounts.csv as overrides.

Spend for 2026 is the KAM's full-year estimate, while sales stop at September 2026.

Run it from the repository root::

    python scripts/make_demo.py
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
import shutil
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from kamkit.schema import DOCUMENTS_FOLDER, TABLES_BY_NAME
from kamkit.settings import FORMAT_VERSION, SETTINGS_FILE, Settings, settings_text
from kamkit.workbook import Account

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "kamkit" / "demo" / "workbook"
DATA = Path(__file__).resolve().parent / "demo_data"  # the demo content kept as data
SEED = 2026
AS_OF = dt.date(2026, 9, 30)
YEARS = tuple(range(2021, 2027))
LAST_MONTH = (2026, 9)
PLAN_YEAR = 2026

# --------------------------------------------------------------------------------------
# Reference tables: what Hofman sells, where, against whom, with which people
# (demo_data/reference.yaml)
# --------------------------------------------------------------------------------------

REFERENCE: dict[str, dict[str, Any]] = yaml.safe_load(
    (DATA / "reference.yaml").read_text(encoding="utf-8"))
SERVICES: dict[str, tuple[str, str, float, float]] = {
    k: tuple(v) for k, v in REFERENCE["services"].items()}
LOCATIONS: dict[str, tuple[str, str]] = {k: tuple(v) for k, v in REFERENCE["locations"].items()}
SERVICES_NL: dict[str, tuple[str, str]] = {
    k: tuple(v) for k, v in REFERENCE["services_nl"].items()}
LOCATION_NAMES: dict[str, dict[str, str]] = REFERENCE["location_names"]
COMPETITORS: dict[str, str] = REFERENCE["competitors"]
TEAM: dict[str, tuple[str, str, str]] = {k: tuple(v) for k, v in REFERENCE["team"].items()}

# Price index of our rates (the yearly indexation of wages in the collective agreements).
PRICE_INDEX = {2021: 1.0, 2022: 1.035, 2023: 1.112, 2024: 1.162, 2025: 1.199, 2026: 1.232}

# Monthly pattern per service (January first); normalised to an average of 1.
SEASON: dict[str, tuple[float, ...]] = {
    "CLEAN": (1.0, 1.0, 1.02, 1.0, 1.0, 0.98, 0.9, 0.86, 1.02, 1.04, 1.04, 0.96),
    "MAINT": (0.9, 0.95, 1.08, 1.1, 1.05, 1.0, 0.85, 0.8, 1.08, 1.12, 1.05, 1.02),
    "SECUR": (1.0, 0.98, 1.0, 1.0, 1.0, 1.0, 1.02, 1.02, 1.0, 0.98, 1.0, 1.08),
    "CATER": (1.02, 1.05, 1.08, 1.02, 1.05, 1.05, 0.8, 0.55, 1.08, 1.1, 1.1, 1.0),
    "WASTE": (0.95, 0.92, 1.0, 1.02, 1.02, 1.0, 0.98, 0.98, 1.02, 1.04, 1.02, 1.05),
    "PEST": (0.75, 0.72, 0.85, 0.95, 1.1, 1.25, 1.35, 1.3, 1.2, 0.95, 0.8, 0.78),
    "GREEN": (0.3, 0.35, 0.8, 1.35, 1.65, 1.6, 1.45, 1.3, 1.2, 1.0, 0.65, 0.35),
}
SCHOOL_SEASON = {
    "CATER": (1.1, 1.15, 1.15, 1.05, 1.1, 1.0, 0.45, 0.15, 1.15, 1.2, 1.2, 1.0),
    "CLEAN": (1.05, 1.05, 1.05, 1.0, 1.05, 1.0, 0.75, 0.6, 1.1, 1.1, 1.1, 0.95),
}
HOTEL_SEASON = {"CLEAN": (0.85, 0.85, 0.95, 1.0, 1.05, 1.1, 1.15, 1.15, 1.05, 1.0, 0.95, 0.9)}
RETAIL_SEASON = {"SECUR": (1.0, 0.95, 0.95, 0.95, 0.95, 0.95, 1.0, 1.0, 0.95, 1.0, 1.1, 1.3)}

# --------------------------------------------------------------------------------------
# The account model: wallet cells, contacts, events
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One service x location of an account: its wallet, our share and who holds the rest.

    ``shares`` is our run-rate share of the wallet per year 2021-2026 while we deliver;
    ``since`` and ``until`` (YYYY-MM) bound the months we invoice; ``lost`` (YYYY-MM) is the
    last month of business lost after the plan was made: the plan's targets still count on
    the months after it.
    """

    service: str
    location: str
    wallet: float  # the account's spend in 2021, EUR; later years follow prices and growth
    shares: tuple[float, ...]
    holders: tuple[tuple[str, float], ...]  # who holds the rest, by weight (sum <= 1)
    margins: tuple[float, ...]  # our gross margin per year, fraction of revenue
    growth: float = 0.01  # yearly volume growth of the wallet
    since: str | None = None
    until: str | None = None
    lost: str | None = None
    known_from: int = 2021  # first year the KAM estimated this cell

    def wallet_in(self, year: int) -> float:
        return self.wallet * PRICE_INDEX[year] * (1 + self.growth) ** (year - 2021)

    def share_in(self, year: int) -> float:
        return self.shares[year - YEARS[0]]

    def margin_in(self, year: int) -> float:
        return self.margins[year - YEARS[0]]

    def active(self, year: int, month: int, planned: bool = False) -> bool:
        """Whether we deliver (or, after AS_OF, would deliver) in this month; ``planned``:
        as the plan expected, before an unforeseen loss."""
        key = f"{year}-{month:02d}"
        if self.share_in(year) <= 0:
            return False
        last = self.until if planned or self.lost is None else self.lost
        return (self.since or "") <= key and (last is None or key <= last)


@dataclass(frozen=True)
class Spec(Account):
    """Everything the generator needs to know about one account: its row of accounts.csv
    (where attractiveness and position, 0-10, override the scores kamkit computes from the
    criteria; None leaves the computed score) and its story."""

    domain: str = ""
    team: tuple[str, ...] = ()
    cells: tuple[Cell, ...] = ()
    contacts: str = ""
    events: tuple[tuple[str, str, str, int | None], ...] = ()  # date, type, text, amount
    satisfaction: tuple[float, float] = (7.5, 0.0)  # score in 2021 and change per year
    scores: tuple[float, ...] = ()  # the half-yearly survey scores, where the story fixes them
    complaints: float = 1.0  # complaints per year, on average
    # Feedback the story needs besides the random complaints: date, kind, service,
    # description, closed.
    feedback: tuple[tuple[str, str, str, str, str | None], ...] = ()
    pulse: tuple[tuple[str, float, str], ...] = ()  # extra surveys: date, score, description
    season: tuple[tuple[str, tuple[float, ...]], ...] = ()
    plan_factor: float = 1.0  # 2026 targets against the expected run rate
    targets: str = "both"  # annual, monthly or both
    # Chance that a strategic or tactical relationship was last touched more than 90 days
    # ago; operational contacts see our people on site, so for them it is at most 0.1.
    stale: float = 0.1
    uncovered: tuple[str, ...] = ()  # contacts nobody at our side knows
    planned: tuple[tuple[str, str], ...] = ()  # (person, contact) wanted in the plan team
    track_wallet: bool = True

    def season_of(self, service: str) -> tuple[float, ...]:
        return dict(self.season).get(service, SEASON[service])


def _holders(text: str) -> tuple[tuple[str, float], ...]:
    """'NORDCLEAN .85, in-house .15' -> (('NORDCLEAN', 0.85), ('in-house', 0.15))."""
    if not text:
        return ()
    pairs = (part.split() for part in text.split(","))
    return tuple((holder, float(weight)) for holder, weight in pairs)


def _per_year(value: float | tuple[float, ...]) -> tuple[float, ...]:
    return value if isinstance(value, tuple) else (value,) * len(YEARS)


# Our usual gross margin per service, comfortably above the margin policy.
TYPICAL_MARGIN = {"CLEAN": 0.22, "MAINT": 0.29, "SECUR": 0.19, "CATER": 0.24, "WASTE": 0.18,
                  "PEST": 0.38, "GREEN": 0.28}


def cells(service: str, wallets: dict[str, float], share: float | tuple[float, ...],
          holders: str, margin: float | tuple[float, ...] | None = None, **options: Any
          ) -> tuple[Cell, ...]:
    """One cell per location; ``wallets`` in thousands of EUR (2021)."""
    margins = _per_year(TYPICAL_MARGIN[service] if margin is None else margin)
    return tuple(
        Cell(service, location, wallet * 1000, _per_year(share), _holders(holders), margins,
             **options)
        for location, wallet in wallets.items()
    )


# --------------------------------------------------------------------------------------
# The accounts whose stories the demo tells: demo_data/accounts.yaml (what its lines mean:
# its opening comment)
# --------------------------------------------------------------------------------------

SEASONS = {"school": SCHOOL_SEASON, "hotel": HOTEL_SEASON, "retail": RETAIL_SEASON}


def _tuples(value: Any) -> Any:
    """YAML's lists as the tuples a frozen Spec holds, at every depth."""
    if isinstance(value, dict):
        return {key: _tuples(item) for key, item in value.items()}
    return tuple(_tuples(item) for item in value) if isinstance(value, list) else value


def spec(account_id: str, entry: dict[str, Any]) -> Spec:
    """An account's definition from its entry in demo_data/accounts.yaml: its cells (one
    without a share is whitespace), its contact lines, its season by name."""
    given = _tuples(entry)
    found = tuple(cell for options in given.pop("cells", ())
                  for cell in cells(**{"share": 0.0, **options}))
    contacts = "\n".join(given.pop("contacts", ()))
    season = tuple(SEASONS[given.pop("season")].items()) if "season" in given else ()
    return Spec(account_id, cells=found, contacts=contacts, season=season, **given)


def defined_accounts() -> tuple[Spec, ...]:
    """The key accounts and prospects whose stories the demo tells (accounts.yaml)."""
    with (DATA / "accounts.yaml").open(encoding="utf-8") as handle:
        entries: dict[str, dict[str, Any]] = yaml.safe_load(handle)
    return tuple(spec(account_id, entry) for account_id, entry in entries.items())


def other(account_id: str, name: str, sector: str, country: str, kam: str, scores: str,
          services: dict[str, str], size: float, contacts: str = "", domain: str = "",
          since: str | None = None, until: str | None = None) -> Spec:
    """A customer that is not a key account: sales only, no wallet tracked."""
    attractiveness, position = (float(x) for x in scores.split())  # no wallet to compute from
    rng = random.Random(f"{SEED}:other:{account_id}")
    found = tuple(
        Cell(service, location, size * 1000 * rng.uniform(0.5, 1.5), _per_year(1.0), (),
             _per_year(TYPICAL_MARGIN[service] + rng.uniform(-0.02, 0.02)),
             growth=rng.uniform(-0.03, 0.05), since=since, until=until)
        for service, locations in services.items() for location in locations.split()
    )
    return Spec(account_id, name, sector, country, "other", kam, attractiveness, position,
                domain=domain, team=(kam,), cells=found, contacts=contacts, track_wallet=False)


OTHERS = (
    other("HOEK", "Bakkerij 't Hoekje B.V.", "Food retail", "NL", "P03", "3.1 6.4",
          {"CLEAN": "NL-RTM NL-DHG NL-UTR", "PEST": "NL-RTM NL-DHG NL-UTR"}, 45,
          domain="thoekje.example", contacts="""
    C01 | Ans van den Hoek | Owner and director | Directie | S - dm supporter H
    C02 | Rick Zomer | Operations manager | Operations | T C01 buy supporter M
    """),
    other("FITN", "FitNation Clubs B.V.", "Leisure", "NL", "P06", "4.2 5.5",
          {"CLEAN": "NL-AMS NL-UTR NL-RTM NL-EIN", "SECUR": "NL-AMS"}, 70,
          domain="fitnation.example", contacts="""
    C01 | Daphne Meulenbelt | Operations director | Operations | S - dm neutral H
    """),
    other("KADE", "Kade Vastgoedbeheer B.V.", "Real estate", "NL", "P03", "5.6 4.8",
          {"CLEAN": "NL-RTM NL-DHG", "MAINT": "NL-RTM", "GREEN": "NL-RTM NL-DHG"}, 90),
    other("VANOS", "Van Os Transport B.V.", "Logistics", "NL", "P03", "3.8 5.2",
          {"CLEAN": "NL-EIN NL-RTM", "WASTE": "NL-EIN NL-RTM", "SECUR": "NL-EIN"}, 55),
    other("MEDIC", "Medicor Laboratoria B.V.", "Laboratories", "NL", "P06", "5.9 4.1",
          {"CLEAN": "NL-UTR NL-AMS", "PEST": "NL-UTR", "WASTE": "NL-UTR"}, 60, since="2023-03"),
    other("KLOK", "Brasserie De Klok BV", "Hospitality", "BE", "P04", "2.6 6.0",
          {"CLEAN": "BE-GNT BE-ANT", "PEST": "BE-GNT BE-ANT", "WASTE": "BE-GNT"}, 30),
    other("STERN", "Sternhaus Immobilien GmbH", "Real estate", "DE", "P05", "4.9 3.7",
          {"CLEAN": "DE-CGN DE-DUS", "GREEN": "DE-CGN DE-DUS", "SECUR": "DE-DUS"}, 80,
          since="2022-04"),
    other("LINDE", "Lindeboom & Partners Accountants", "Professional services", "NL", "P06",
          "3.4 7.1", {"CLEAN": "NL-AMS NL-UTR NL-DHG NL-GRQ", "CATER": "NL-AMS"}, 50),
    other("SPORT", "Sportbedrijf Brugse Poort vzw", "Public sector", "BE", "P04", "4.4 3.2",
          {"CLEAN": "BE-GNT BE-BRU", "SECUR": "BE-GNT"}, 65, until="2025-06"),
    other("ALPHA", "Alphaport Parking B.V.", "Mobility", "NL", "P03", "3.0 4.4",
          {"SECUR": "NL-RTM NL-AMS NL-UTR NL-EIN", "CLEAN": "NL-RTM NL-AMS"}, 75),
    other("ZORGV", "Zorgvilla Het Park B.V.", "Healthcare", "NL", "P06", "5.2 5.8",
          {"CLEAN": "NL-UTR NL-AMS NL-DHG", "CATER": "NL-UTR NL-AMS", "PEST": "NL-UTR"}, 55),
    other("TECHN", "Technova Engineering B.V.", "Engineering", "NL", "P03", "4.6 4.9",
          {"CLEAN": "NL-EIN", "MAINT": "NL-EIN", "SECUR": "NL-EIN", "WASTE": "NL-EIN"}, 70,
          since="2021-09"),
    other("MODE", "Modehuis Verbeek & Co", "Retail", "NL", "P03", "2.9 6.6",
          {"CLEAN": "NL-AMS NL-RTM NL-UTR NL-DHG NL-GRQ", "SECUR": "NL-AMS NL-RTM"}, 40),
    other("RIJNM", "Stichting Scholengroep Rijnmond", "Education", "NL", "P06", "4.1 5.0",
          {"CLEAN": "NL-RTM NL-DHG", "GREEN": "NL-RTM", "CATER": "NL-RTM"}, 80),
    other("LOGIS", "Rheinland Logistik GmbH", "Logistics", "DE", "P05", "4.8 4.3",
          {"CLEAN": "DE-DUS DE-CGN", "SECUR": "DE-DUS DE-CGN", "PEST": "DE-DUS"}, 60,
          since="2023-10"),
    other("DRUK", "Drukkerij Mercator NV", "Printing", "BE", "P04", "3.3 5.4",
          {"CLEAN": "BE-GNT BE-ANT", "WASTE": "BE-GNT BE-ANT", "PEST": "BE-GNT"}, 45),
    other("EVENT", "Parkstad Evenementen B.V.", "Events", "NL", "P06", "3.6 3.9",
          {"SECUR": "NL-AMS NL-UTR NL-RTM", "CLEAN": "NL-AMS NL-UTR"}, 50, since="2022-03"),
)

ACCOUNTS = (*defined_accounts(), *OTHERS)


# --------------------------------------------------------------------------------------
# Generating the tables
# --------------------------------------------------------------------------------------

MONTHS = tuple((y, m) for y in YEARS for m in range(1, 13) if (y, m) <= LAST_MONTH)
Row = dict[str, Any]


def _rng(*parts: object) -> random.Random:
    """A random stream of its own per purpose and account, so editing one account leaves
    the others' data as it was."""
    return random.Random(":".join(str(p) for p in (SEED, *parts)))


def _normalised(pattern: tuple[float, ...]) -> tuple[float, ...]:
    mean = sum(pattern) / len(pattern)
    return tuple(x / mean for x in pattern)


def _day(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, 28))


def expected_revenue(spec: Spec, cell: Cell, year: int, month: int,
                     planned: bool = False) -> float:
    """Revenue of a month without noise: the run rate (``planned``: the one the plan is
    built on, before an unforeseen loss)."""
    if not cell.active(year, month, planned):
        return 0.0
    season = _normalised(spec.season_of(cell.service))
    return cell.wallet_in(year) * cell.share_in(year) / 12 * season[month - 1]


@dataclass(frozen=True)
class Sale:
    month: str
    account_id: str
    service: str
    location: str
    revenue: float
    margin: float
    volume: float


def _volume(service: str, revenue: float, price: float) -> float:
    volume = revenue / price
    return round(volume, 1) if SERVICES[service][1] == "tonnes" else float(round(volume))


def generate_sales(spec: Spec) -> list[Sale]:
    """Monthly invoices per service and location, with seasonality and a little noise."""
    rng = _rng("sales", spec.account_id)
    sales = []
    for cell in spec.cells:
        price_factor = rng.uniform(0.94, 1.06)  # the rate negotiated with this account
        for year, month in MONTHS:
            expected = expected_revenue(spec, cell, year, month)
            if expected <= 0:
                continue
            revenue = round(expected * (1 + rng.gauss(0, 0.035)), 2)
            margin = round(revenue * (cell.margin_in(year) + rng.gauss(0, 0.012)), 2)
            price = SERVICES[cell.service][3] * PRICE_INDEX[year] * price_factor
            sales.append(Sale(f"{year}-{month:02d}", spec.account_id, cell.service,
                              cell.location, revenue, margin,
                              _volume(cell.service, revenue, price)))
    return sales


def ours_by_cell(sales: Iterable[Sale]) -> dict[tuple[int, str, str], float]:
    ours: dict[tuple[int, str, str], float] = defaultdict(float)
    for sale in sales:
        ours[int(sale.month[:4]), sale.service, sale.location] += sale.revenue
    return ours


def _confidence(spec: Spec, cell: Cell, year: int, rng: random.Random) -> str:
    if spec.status == "prospect":
        return "medium" if cell.service == "CLEAN" and rng.random() < 0.6 else "low"
    if cell.share_in(year) > 0:
        return "high" if year >= 2023 or rng.random() < 0.3 else "medium"
    return "medium" if year >= 2024 and rng.random() < 0.6 else "low"


def _source(spec: Spec, cell: Cell, year: int, rng: random.Random) -> str:
    if spec.status == "prospect":
        return rng.choice((f"market consultation {year}", f"annual report {year}",
                           f"facility director, meeting {year}", f"tender documents {year}"))
    if cell.share_in(year) > 0:
        return rng.choice((f"contract volumes {year}", f"QBR {year} with facility manager",
                           f"site volumes {year}", f"budget talk with procurement {year}"))
    return rng.choice((f"facility manager estimate {year}", f"site walk {year}",
                       f"tender documents {year}", f"annual report {year}"))


def _holder_confidence(holder: str, confidence: str) -> str:
    if holder == "unknown":
        return "low"
    return "high" if holder == "in-house" and confidence == "high" else confidence


def generate_spend(spec: Spec, sales: list[Sale]) -> tuple[list[Row], list[Row]]:
    """The wallet per cell and year, and who holds the part that is not ours.

    The estimates always leave room for our own sales (for 2026: the full-year run rate), so
    our sales plus the other holders never exceed the estimated total.
    """
    if not spec.track_wallet:
        return [], []
    rng = _rng("spend", spec.account_id)
    ours = ours_by_cell(sales)
    spend: list[Row] = []
    shares: list[Row] = []
    for cell in spec.cells:
        price_factor = rng.uniform(0.9, 1.05)
        for year in YEARS:
            if year < cell.known_from:
                continue
            mine = ours.get((year, cell.service, cell.location), 0.0)
            if year == PLAN_YEAR:
                mine = max(mine, sum(expected_revenue(spec, cell, year, m) for m in range(1, 13)))
            estimate = round(cell.wallet_in(year) * (1 + rng.gauss(0, 0.03)), -3)
            total = max(estimate, math.ceil(mine * 1.02 / 1000) * 1000)
            confidence = _confidence(spec, cell, year, rng)
            price = SERVICES[cell.service][3] * PRICE_INDEX[year] * price_factor
            volume = "" if confidence == "low" else _number(_volume(cell.service, total, price))
            cell_key = {"account_id": spec.account_id, "year": year, "service": cell.service,
                        "location": cell.location}
            spend.append({**cell_key, "spend": f"{total:.0f}", "volume": volume,
                          "source": _source(spec, cell, year, rng), "confidence": confidence})
            rest = total - mine
            for holder, weight in cell.holders:
                amount = math.floor(rest * weight / 100) * 100
                if amount > 0:
                    shares.append({**cell_key, "holder": holder, "spend": f"{amount:.0f}",
                                   "source": _share_source(holder, year, rng),
                                   "confidence": _holder_confidence(holder, confidence)})
    return spend, shares


def _share_source(holder: str, year: int, rng: random.Random) -> str:
    if holder == "in-house":
        return f"own staff count, facility manager {year}"
    if holder == "unknown":
        return "not known who supplies the rest"
    return rng.choice((f"tender debrief {year}", f"{COMPETITORS[holder]} invoices seen {year}",
                       f"facility manager {year}", f"our site team {year}"))


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


LEVEL_CODES = {"S": "strategic", "T": "tactical", "O": "operational"}
ROLE_CODES = {"dm": "decision_maker", "inf": "influencer", "buy": "buyer", "user": "user",
              "gate": "gatekeeper", "champ": "champion"}
INFLUENCE_CODES = {"H": "high", "M": "medium", "L": "low"}
TITLES = ("Prof. dr. ", "Dr. ", "Drs. ")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _email(name: str, domain: str) -> str:
    for title in TITLES:
        name = name.removeprefix(title)
    first, *rest = _ascii(name).lower().replace("-", " ").split()
    return f"{first}.{''.join(rest)}@{domain}"


def generate_contacts(spec: Spec) -> list[Row]:
    """The account's people, from the table in its definition."""
    rng = _rng("contacts", spec.account_id)
    rows = []
    for line in spec.contacts.strip().splitlines():
        suffix, name, title, department, codes = (part.strip() for part in line.split("|"))
        level, boss, role, attitude, influence = codes.split()
        known_email = influence != "L" or rng.random() < 0.5
        rows.append({
            "contact_id": f"{spec.account_id}-{suffix}", "account_id": spec.account_id,
            "name": name, "title": title, "department": department,
            "level": LEVEL_CODES[level],
            "reports_to": "" if boss == "-" else f"{spec.account_id}-{boss}",
            "buying_role": ROLE_CODES[role], "attitude": attitude,
            "influence": INFLUENCE_CODES[influence],
            "email": _email(name, spec.domain) if known_email else "",
        })
    return rows


STRENGTH_BY_ATTITUDE = {"champion": (4, 5), "supporter": (3, 4), "neutral": (2, 3),
                        "sceptic": (1, 3), "opponent": (1, 2)}


# Words in a contact's title or department that bring in one of our operations managers.
SPECIALTIES = {
    "P07": ("clean", "housekeep", "reinigung", "schoonmaak", "hygien", "workplace",
            "office manager", "facility coordinator"),
    "P08": ("mainten", "instandhaltung", "technic", "elektro", "planner", "yard", "sustainab",
            "site manager", "warehouse"),
    "P10": ("secur", "werkschutz", "sicherheit", "loss prevention", "gate", "isps"),
    "P11": ("cater", "restaurant", "keuken", "hospitality", "events"),
    "P09": ("düsseldorf", "köln", "werk"),
    "P12": ("belgi", "antwerpen", "liège", "gent", "brussel"),
}


# Who looks after a contact whose field matches nobody: the regional manager, else cleaning.
GENERALISTS = ("P09", "P12", "P07")


def _specialists(contact: Row, operational: list[str]) -> list[str]:
    text = f"{contact['title']} {contact['department']}".lower()
    return [p for p in operational if any(word in text for word in SPECIALTIES.get(p, ()))]


def _operations_manager(contact: Row, operational: list[str]) -> str:
    """The operations manager of the contact's field, else a generalist of the team."""
    generalists = [p for p in GENERALISTS if p in operational]
    return [*_specialists(contact, operational), *generalists, *operational][0]


def _people_for(contact: Row, spec: Spec, rng: random.Random) -> list[str]:
    """Who at our side knows this contact: people of the same level (an operations manager
    of the contact's field), sometimes the KAM."""
    by_level = defaultdict(list)
    for person in spec.team:
        by_level[TEAM[person][2]].append(person)
    operational = by_level["operational"]
    specialists = _specialists(contact, operational)
    level, influence = contact["level"], contact["influence"]
    people: list[str] = []
    if level == "strategic":
        important = contact["buying_role"] == "decision_maker" or influence == "high"
        people = [p for p in by_level["strategic"] if important or rng.random() < 0.6]
        if rng.random() < 0.5 or not by_level["strategic"]:
            people.append(spec.kam)
    elif level == "tactical":
        if influence != "low" or rng.random() < 0.7:
            people.append(spec.kam)
        if specialists and rng.random() < 0.5:
            people.append(specialists[0])
    else:
        if operational and (influence != "low" or rng.random() < 0.75):
            people.append(_operations_manager(contact, operational))
        if rng.random() < 0.25 or not operational:
            people.append(spec.kam)
    return sorted(set(people))


def _relationship(person: str, contact: Row, spec: Spec, rng: random.Random) -> Row:
    """Strength follows the contact's attitude; the last contact is mostly recent."""
    low, high = STRENGTH_BY_ATTITUDE[contact["attitude"]]
    strength = rng.randint(low, high) - (1 if spec.status == "prospect" else 0)
    stale = spec.stale if contact["level"] != "operational" else min(spec.stale, 0.1)
    days = rng.randint(95, 300) if rng.random() < stale else rng.randint(2, 85)
    return {"person_id": person, "contact_id": contact["contact_id"],
            "strength": max(1, strength),
            "last_contact": (AS_OF - dt.timedelta(days=days)).isoformat()}


def generate_relationships(spec: Spec, contacts: list[Row]) -> list[Row]:
    """The contact matrix; every member of the account team knows at least one contact."""
    rng = _rng("relationships", spec.account_id)
    known = [c for c in contacts
             if c["contact_id"].removeprefix(f"{spec.account_id}-") not in spec.uncovered]
    rows = [_relationship(person, contact, spec, rng)
            for contact in known for person in _people_for(contact, spec, rng)]
    for person in spec.team:
        if known and all(row["person_id"] != person for row in rows):
            level = TEAM[person][2]
            fitting = ([c for c in known if _specialists(c, [person])]
                       or [c for c in known if c["level"] == level] or known)
            rows.append(_relationship(person, rng.choice(fitting), spec, rng))
    return rows


def _month_name(key: str) -> str:
    return dt.date(int(key[:4]), int(key[5:]), 1).strftime("%B %Y")


def _cell_events(spec: Spec) -> list[Row]:
    """Won and lost business, read from the cells' first and last months."""
    won: dict[str, list[Cell]] = defaultdict(list)
    rows = []
    for cell in spec.cells:
        if cell.since and cell.since > "2021-01":
            won[cell.since].append(cell)
        last = cell.lost or cell.until
        if last and last < f"{LAST_MONTH[0]}-{LAST_MONTH[1]:02d}":
            year, month = int(last[:4]), int(last[5:])
            holder = next((h for h, _ in cell.holders if h in COMPETITORS), None)
            to = f" to {COMPETITORS[holder]}" if holder else ""
            value = cell.wallet_in(year) * cell.share_in(year)
            rows.append(_event(spec, _day(year, month, 28), "lost",
                               f"Lost {SERVICES[cell.service][0].lower()} in "
                               f"{LOCATIONS[cell.location][0]}{to} from "
                               f"{_month_name(last)}", value))
    for since, group in won.items():
        year, month = int(since[:4]), int(since[5:])
        value = sum(c.wallet_in(year) * c.share_in(year) for c in group)
        rows.append(_event(spec, dt.date(year, month, 1) - dt.timedelta(days=45), "won",
                           f"Won {_what_where(group)}, start {_month_name(since)}", value))
    return rows


def _what_where(group: list[Cell]) -> str:
    """'office cleaning and pest control in Düsseldorf; security in Köln'."""
    places: dict[str, list[str]] = defaultdict(list)
    for cell in group:
        places[cell.service].append(LOCATIONS[cell.location][0])
    services: dict[str, list[str]] = defaultdict(list)
    for service, where in places.items():
        services[_and(where)].append(SERVICES[service][0].lower())
    return "; ".join(f"{_and(what)} in {where}" for where, what in services.items())


def _and(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return " and ".join(filter(None, (", ".join(items[:-1]), items[-1])))


def _event(spec: Spec, date: dt.date, kind: str, text: str, amount: float | None) -> Row:
    return {"account_id": spec.account_id, "date": date.isoformat(), "type": kind,
            "description": text,
            "amount": "" if amount is None else f"{round(amount, -3):.0f}"}


def generate_history(spec: Spec, sales: list[Sale]) -> list[Row]:
    """Events written in the account definition, plus won/lost business, the yearly price
    indexation and the annual business review."""
    rng = _rng("history", spec.account_id)
    rows = [_event(spec, dt.date.fromisoformat(d), kind, text, amount)
            for d, kind, text, amount in spec.events]
    if spec.status == "key_account":
        rows += _cell_events(spec)
        revenue = defaultdict(float)
        for sale in sales:
            revenue[int(sale.month[:4])] += sale.revenue
        for year in YEARS[1:]:
            pct = (PRICE_INDEX[year] / PRICE_INDEX[year - 1] - 1) * 100
            rows.append(_event(spec, dt.date(year, 1, 1), "price_change",
                               f"Annual indexation +{pct:.1f}% following the collective "
                               "labour agreements", revenue[year - 1] * pct / 100))
        for year in YEARS[:-1]:
            rows.append(_event(spec, _day(year, 11, rng.randint(3, 26)), "meeting",
                               "Annual business review: performance, satisfaction survey and "
                               f"plans for {year + 1}", None))
    elif spec.status == "other" and spec.cells:
        first = min(cell.since or "2021-01" for cell in spec.cells)
        rows.append(_event(spec, dt.date(int(first[:4]), int(first[5:]), 1) -
                           dt.timedelta(days=30), "contract",
                           "Service agreement signed", None))
    return sorted(rows, key=lambda r: r["date"])


COMPLAINTS = {
    "CLEAN": ("Meeting rooms on the third floor not cleaned before 8:00",
              "Sanitary rooms below standard after the weekend",
              "Replacement cleaner arrived without introduction or access badge",
              "Waste bins in the canteen not emptied for two days",
              "Windows of the entrance hall streaked after the periodic clean"),
    "MAINT": ("Air-conditioning failure not fixed within the agreed response time",
              "Planned maintenance postponed without notice",
              "Invoice for a call-out does not match the work order"),
    "SECUR": ("Guard absent at the gate during the shift change",
              "Visitor registration procedure not followed",
              "Late follow-up of an intrusion alarm at night"),
    "CATER": ("Lunch buffet ran out before 12:45",
              "Allergen labelling missing on sandwiches",
              "Coffee machines out of order for two days"),
    "WASTE": ("Container not collected on schedule", "Wrong container size delivered",
              "Weighing tickets missing from the monthly report"),
    "PEST": ("Mouse sighting in the warehouse not followed up within 24 hours",
             "Bait station inspection report missing for the audit"),
    "GREEN": ("Hedges not trimmed before the open day", "Leaf blowers in use before 7:00"),
}
COMPLIMENTS = (
    "Cleaning team praised after the customer audit",
    "Quick response to water damage over the weekend",
    "Security guard thanked for help during a medical emergency",
    "Good support during the move to the new building",
    "Site supervisor thanked for flexible extra hours",
)


def _served(spec: Spec, year: int) -> list[str]:
    return sorted({c.service for c in spec.cells if c.share_in(year) > 0
                   and any(c.active(year, m) for m in range(1, 13))})


def _surveys(spec: Spec, rng: random.Random) -> list[Row]:
    dates = [_day(y, m, rng.randint(8, 24)) for y in YEARS for m in (6, 12)
             if dt.date(y, m, 1) < AS_OF]
    start, trend = spec.satisfaction
    rows = []
    for i, date in enumerate(dates):
        if spec.scores:
            score = spec.scores[i]
        else:
            years = (date - dates[0]).days / 365
            score = min(9.6, max(3.0, start + trend * years + rng.gauss(0, 0.2)))
        rows.append({"account_id": spec.account_id, "date": date.isoformat(),
                     "kind": "satisfaction", "score": f"{score:.1f}", "service": "",
                     "description": f"Half-yearly satisfaction survey ({rng.randint(9, 42)} "
                                    "respondents)", "closed": ""})
    return rows


def _complaints(spec: Spec, rng: random.Random) -> list[Row]:
    rows = []
    for year in YEARS:
        services = _served(spec, year)
        count = sum(rng.random() < spec.complaints / 3 for _ in range(3))
        for kind in ["complaint"] * count + ["compliment"] * (rng.random() < 0.7):
            date = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
            if date > AS_OF or not services:
                continue
            service = rng.choice(services)
            closed = ""
            if kind == "complaint":
                text = rng.choice(COMPLAINTS[service])
                done = date + dt.timedelta(days=rng.randint(2, 30))
                closed = done.isoformat() if done <= AS_OF - dt.timedelta(days=5) else ""
            else:
                text = rng.choice(COMPLIMENTS)
            rows.append({"account_id": spec.account_id, "date": date.isoformat(), "kind": kind,
                         "score": "", "service": service, "description": text,
                         "closed": closed})
    return rows


def generate_feedback(spec: Spec) -> list[Row]:
    """Half-yearly surveys, random complaints and compliments, and the story's own feedback."""
    if spec.status != "key_account":
        return []
    rng = _rng("feedback", spec.account_id)
    rows = _surveys(spec, rng) + _complaints(spec, rng)
    rows += [{"account_id": spec.account_id, "date": d, "kind": "satisfaction",
              "score": f"{score:.1f}", "service": "", "description": text, "closed": ""}
             for d, score, text in spec.pulse]
    rows += [{"account_id": spec.account_id, "date": d, "kind": kind, "score": "",
              "service": service, "description": text, "closed": closed or ""}
             for d, kind, service, text, closed in spec.feedback]
    return sorted(rows, key=lambda r: (r["date"], r["kind"]))


# --------------------------------------------------------------------------------------
# Account documents: the written analysis and plan, with figures from the generated data
# --------------------------------------------------------------------------------------


class Inline(list):
    """A short list of ids, written on one line: ``based_on: [W1, T1]``."""


class InlineMap(dict):
    """A small mapping written on one line, such as one month's targets."""


class DocumentDumper(yaml.SafeDumper):
    """Block-style YAML, except for ``Inline`` lists and ``InlineMap`` mappings."""


DocumentDumper.add_representer(Inline, lambda dumper, value: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", value, flow_style=True))
DocumentDumper.add_representer(InlineMap, lambda dumper, value: dumper.represent_mapping(
    "tag:yaml.org,2002:map", value.items(), flow_style=True))


class Facts:
    """Figures from the generated tables that a KAM would quote in the document."""

    def __init__(self, spec: Spec, sales: list[Sale], spend: list[Row],
                 relationships: list[Row]) -> None:
        self.spec = spec
        self.sales = sales
        self.spend = spend
        self.relationships = relationships

    def revenue(self, year: int, service: str | None = None, location: str | None = None
                ) -> float:
        return sum(s.revenue for s in self.sales if s.month.startswith(str(year))
                   and service in (None, s.service) and location in (None, s.location))

    def margin_pct(self, year: int, service: str | None = None, location: str | None = None
                   ) -> float:
        picked = [s for s in self.sales if s.month.startswith(str(year))
                  and service in (None, s.service) and location in (None, s.location)]
        return 100 * sum(s.margin for s in picked) / sum(s.revenue for s in picked)

    def wallet(self, year: int, service: str | None = None, location: str | None = None
               ) -> float:
        return sum(float(r["spend"]) for r in self.spend if r["year"] == year
                   and service in (None, r["service"]) and location in (None, r["location"]))

    def sow(self, year: int, service: str | None = None, location: str | None = None) -> float:
        """Our share of wallet in %, as kamkit computes it."""
        return 100 * self.revenue(year, service, location) / self.wallet(year, service, location)

    def plan_months(self) -> list[tuple[str, float, float]]:
        """Monthly revenue and gross margin targets for the plan year: the expected run rate
        times the account's plan factor."""
        months = []
        for month in range(1, 13):
            revenue = margin = 0.0
            for cell in self.spec.cells:
                expected = expected_revenue(self.spec, cell, PLAN_YEAR, month, planned=True)
                revenue += expected
                margin += expected * cell.margin_in(PLAN_YEAR)
            factor = self.spec.plan_factor
            months.append((f"{PLAN_YEAR}-{month:02d}", round(revenue * factor, -2),
                           round(margin * factor, -2)))
        return months

    def targets(self) -> dict[str, Any]:
        months = self.plan_months()
        annual = {"revenue": int(sum(m[1] for m in months)),
                  "gross_margin": int(sum(m[2] for m in months))}
        monthly = [InlineMap(month=m, revenue=int(r), gross_margin=int(g))
                   for m, r, g in months]
        style = self.spec.targets
        return {"annual": annual if style in ("annual", "both") else {},
                "monthly": monthly if style in ("monthly", "both") else []}

    def team(self) -> list[dict[str, Any]]:
        """The plan's account team: who works the account, and whom they know there."""
        known: dict[str, set[str]] = defaultdict(set)
        for row in self.relationships:
            known[row["person_id"]].add(row["contact_id"])
        for person, contact in self.spec.planned:
            known[person].add(f"{self.spec.account_id}-{contact}")
        return [{"person": p, "role": _team_role(self.spec, p),
                 "counterparts": Inline(sorted(known[p]))} for p in self.spec.team]


ROLES = {
    "strategic": "Executive sponsor: relationship with the board",
    "P07": "Cleaning operations: quality, staffing, complaints",
    "P08": "Technical and environmental services: maintenance and waste",
    "P09": "Operations Germany: service delivery at the German sites",
    "P10": "Security operations: guards, procedures, incidents",
    "P11": "Catering operations: menus, restaurants, events",
    "P12": "Operations Belgium: service delivery at the Belgian sites",
}


def _team_role(spec: Spec, person: str) -> str:
    if person == spec.kam:
        return "Key account manager: owns the plan and the relationship"
    return ROLES.get(person) or ROLES[TEAM[person][2]]


def eur(amount: float) -> str:
    """EUR 1.24m, EUR 385k."""
    if abs(amount) >= 1_000_000:
        return f"EUR {amount / 1_000_000:.2f}m"
    return f"EUR {amount / 1000:.0f}k"


def swot(prefix: str, strengths: list[str], weaknesses: list[str], opportunities: list[str],
         threats: list[str]) -> dict[str, Any]:
    """A SWOT whose items get ids like AS1 (prefix A) or S1 (no prefix)."""
    parts = {"strengths": strengths, "weaknesses": weaknesses, "opportunities": opportunities,
             "threats": threats}
    return {part: [{"id": f"{prefix}{part[0].upper()}{i}", "text": text}
                   for i, text in enumerate(items, start=1)]
            for part, items in parts.items()}


def conclusions(*items: tuple[str, str]) -> list[dict[str, Any]]:
    """('text', 'W1 T1 AS2') -> conclusions C1, C2, ... based on those SWOT ids."""
    return [{"id": f"C{i}", "text": text, "based_on": Inline(based_on.split())}
            for i, (text, based_on) in enumerate(items, start=1)]


def goal(oid: str, title: str, metric: str | None = None, target: float | None = None,
         deadline: str | None = None, owner: str | None = None, based_on: str = "",
         service: str | None = None, location: str | None = None, notes: str = ""
         ) -> dict[str, Any]:
    """An objective; satisfaction, complaints and objectives without a metric are the
    qualitative kind."""
    kind = "qualitative" if metric in (None, "satisfaction", "complaints") else "quantitative"
    scope = {k: v for k, v in (("service", service), ("location", location)) if v}
    fields = {"id": oid, "title": title, "kind": kind, "metric": metric, "scope": scope or None,
              "target": target, "deadline": dt.date.fromisoformat(deadline) if deadline else None,
              "owner": owner, "conclusions": Inline(based_on.split()) or None,
              "notes": notes or None}
    return {k: v for k, v in fields.items() if v is not None}


def action(aid: str, what: str, owner: str | None, due: str, status: str,
           objective: str | None) -> dict[str, Any]:
    fields = {"id": aid, "what": what, "owner": owner, "due": dt.date.fromisoformat(due),
              "status": status, "objective": objective}
    return {k: v for k, v in fields.items() if v is not None}


def _rows(name: str, account_id: str) -> list[dict[str, str]]:
    """The rows of ``account_id`` in demo_data/``name``.csv, without the account column."""
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return [{k: v for k, v in row.items() if k != "account_id"}
                for row in csv.DictReader(handle) if row["account_id"] == account_id]


def _target(text: str, facts: Facts) -> float | None:
    """A target as written in objectives.csv: a number, or ``YEAR revenue [SERVICE
    [LOCATION]] [x FACTOR]``, that year's revenue in that scope (times the factor) rounded
    to ten thousands."""
    if not text:
        return None
    words = text.split()
    if words[1:2] != ["revenue"]:
        return float(text) if "." in text else int(text)
    factor = float(words[-1]) if words[-2] == "x" else None
    scope = words[2:-2] if factor is not None else words[2:]
    revenue = facts.revenue(int(words[0]), *scope)
    return round(revenue if factor is None else revenue * factor, -4)


def plan_objectives(account_id: str, facts: Facts) -> list[dict[str, Any]]:
    """The objectives in the plan of ``account_id``: its rows of demo_data/objectives.csv,
    where an empty cell means none."""
    return [goal(row["id"], row["title"], row["metric"] or None, _target(row["target"], facts),
                 row["deadline"] or None, row["owner"] or None, row["based_on"],
                 row["service"] or None, row["location"] or None, row["notes"])
            for row in _rows("objectives", account_id)]


def plan_actions(account_id: str) -> list[dict[str, Any]]:
    """The actions in the plan of ``account_id``: its rows of demo_data/actions.csv, where an
    empty owner or objective means none."""
    return [action(row["id"], row["what"], row["owner"] or None, row["due"], row["status"],
                   row["objective"] or None)
            for row in _rows("actions", account_id)]


def mix(product: str, price: str, promotion: str, bottom_up: str, top_down: str,
        horizontal: str) -> dict[str, Any]:
    return {"product_mix": product, "price_mix": price, "promotion_mix": promotion,
            "relationship_mix": {"bottom_up": bottom_up, "top_down": top_down,
                                 "horizontal": horizontal}}


def build_document(spec: Spec, facts: Facts, written: dict[str, Any]) -> dict[str, Any]:
    """The whole document: the KAM's text plus the plan period, team and targets."""
    plan = written["plan"]
    targets = facts.targets() if spec.status == "key_account" else {}
    reviewed = REVIEWED.get(spec.account_id)
    return {
        "account_id": spec.account_id,
        **({"reviewed": dt.date.fromisoformat(reviewed)} if reviewed else {}),
        "analysis": written["analysis"],
        "plan": {
            "period": {"start": dt.date(PLAN_YEAR, 1, 1), "end": dt.date(PLAN_YEAR, 12, 31)},
            "vision_3y": plan["vision_3y"],
            "objectives": plan_objectives(spec.account_id, facts),
            "strategy": plan["strategy"],
            "team": facts.team(),
            "actions": plan_actions(spec.account_id),
            **({"targets": {k: v for k, v in targets.items() if v}} if targets else {}),
        },
        **({"asks": written["asks"]} if "asks" in written else {}),
    }


# The figures an account's document quotes (``{name}`` in documents.yaml), computed from the
# data generated for it, so that the text agrees with the reports.
FIGURES: dict[str, Callable[[Facts], dict[str, Any]]] = {
    "MAAS": lambda f: {"was": f.sow(2023, "CLEAN", "NL-RTM"),
                       "now": f.sow(2025, "CLEAN", "NL-RTM")},
    "VDIJK": lambda f: {"services_2025": len({s.service for s in f.sales
                                              if s.month.startswith("2025")})},
    "KRONE": lambda f: {"clean_dus": f.sow(2025, "CLEAN", "DE-DUS"),
                        "maint_wallet": eur(f.wallet(2025, "MAINT"))},
    "SCHELDE": lambda f: {"margin": f.margin_pct(2025, "SECUR", "BE-ANT")},
    "NOVA": lambda f: {"catering": eur(f.revenue(2025, "CATER", "NL-EIN"))},
    "LUMEN": lambda f: {"catering_margin": f.margin_pct(2025, "CATER")},
    "AMAND": lambda f: {"wallet": eur(f.wallet(2026))},
}


def _filled(value: Any, figures: dict[str, Any]) -> Any:
    """``value`` from documents.yaml with every text's ``{name}`` filled in."""
    if isinstance(value, str):
        return value.format_map(figures)
    if isinstance(value, list):
        return [_filled(item, figures) for item in value]
    return {key: _filled(item, figures) for key, item in value.items()}


def written_documents() -> dict[str, dict[str, Any]]:
    """What each KAM wrote (demo_data/documents.yaml), by account, still to be filled in."""
    with (DATA / "documents.yaml").open(encoding="utf-8") as handle:
        documents: dict[str, dict[str, Any]] = yaml.safe_load(handle)
    return documents


def written_text(account_id: str, source: dict[str, Any], facts: Facts) -> dict[str, Any]:
    """The KAM's text of an account's document: ``source`` (its part of documents.yaml) with
    the figures filled in and the SWOTs, conclusions and strategy given their ids and form."""
    text = _filled(source, FIGURES.get(account_id, lambda f: {})(facts))
    analysis, plan = text["analysis"], text["plan"]
    analysis["swot_account"] = swot(**analysis["swot_account"])
    analysis["swot_ours"] = swot(**analysis["swot_ours"])
    analysis["conclusions"] = conclusions(
        *((c["text"], c["based_on"]) for c in analysis["conclusions"]))
    plan["strategy"] = mix(**plan["strategy"])
    return text


# --------------------------------------------------------------------------------------
# Portfolio: the judgement criteria the KAMs score, and when each document was reviewed
# --------------------------------------------------------------------------------------

# When the KAM last went through the whole document (its age counts in the health score)
REVIEWED: dict[str, str] = {
    "MAAS": "2026-06-12", "DELTA": "2026-05-20", "VDIJK": "2026-06-05", "KRONE": "2026-04-28",
    "SCHELDE": "2025-11-20",  # the KAM was on leave in spring
    "NOVA": "2026-06-18", "BRAVO": "2026-05-12", "LUMEN": "2026-06-22",
    "POLDER": "2026-01-20",  # not since the plan was agreed
    "ATLAS": "2026-06-09", "RHEIN": "2026-04-15", "CARIL": "2026-06-26",
    "AMAND": "2026-09-10",  # after the invitation to the market consultation
}


def judgement_rows() -> list[Row]:
    """The KAMs' scores of the judgement criteria (demo_data/judgements.csv; the latest on
    or before a date counts)."""
    with (DATA / "judgements.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --------------------------------------------------------------------------------------
# Writing the workbook
# --------------------------------------------------------------------------------------


def reference_tables() -> dict[str, list[Row]]:
    return {
        "services": [{"service": k, "name": n, "name_nl": SERVICES_NL[k][0], "unit": u,
                      "unit_nl": SERVICES_NL[k][1], "min_margin_pct": f"{m:g}"}
                     for k, (n, u, m, _) in SERVICES.items()],
        "locations": [{"location": k, "name": n, "country": c,
                       **{f"name_{lang}": name
                          for lang, name in LOCATION_NAMES.get(k, {}).items()}}
                      for k, (n, c) in LOCATIONS.items()],
        "competitors": [{"competitor": k, "name": n} for k, n in COMPETITORS.items()],
        "team": [{"person_id": k, "name": n, "function": f, "level": lv,
                  "email": _email(n, "hofman-fs.example")}
                 for k, (n, f, lv) in TEAM.items()],
        "accounts": [{column.name: _account_cell(getattr(s, column.name))
                      for column in fields(Account)} for s in ACCOUNTS],
    }


def _account_cell(value: str | float | None) -> str:
    """A cell of accounts.csv: a score with one decimal, an empty cell for None."""
    return "" if value is None else value if isinstance(value, str) else f"{value:.1f}"


def sale_row(sale: Sale) -> Row:
    return {"month": sale.month, "account_id": sale.account_id, "service": sale.service,
            "location": sale.location, "revenue": f"{sale.revenue:.2f}",
            "gross_margin": f"{sale.margin:.2f}", "volume": _number(sale.volume)}


def generate() -> tuple[dict[str, list[Row]], dict[str, dict[str, Any]]]:
    """Every table's rows and every document, from the account definitions."""
    tables = reference_tables()
    for name in ("sales", "spend", "spend_shares", "contacts", "relationships", "history",
                 "feedback"):
        tables[name] = []
    all_sales: list[Sale] = []
    documents = {}
    sources = written_documents()
    for spec in ACCOUNTS:
        sales = generate_sales(spec)
        spend, shares = generate_spend(spec, sales)
        contacts = generate_contacts(spec)
        relationships = generate_relationships(spec, contacts)
        all_sales += sales
        tables["spend"] += spend
        tables["spend_shares"] += shares
        tables["contacts"] += contacts
        tables["relationships"] += relationships
        tables["history"] += generate_history(spec, sales)
        tables["feedback"] += generate_feedback(spec)
        if spec.account_id in sources:
            facts = Facts(spec, sales, spend, relationships)
            written = written_text(spec.account_id, sources[spec.account_id], facts)
            documents[spec.account_id] = build_document(spec, facts, written)
    all_sales.sort(key=lambda s: (s.month, s.account_id, s.service, s.location))
    tables["sales"] = [sale_row(s) for s in all_sales]
    tables["relationships"].sort(key=lambda r: (r["person_id"], r["contact_id"]))
    tables["judgements"] = judgement_rows()
    return tables, documents


def write_table(folder: Path, name: str, rows: list[Row]) -> None:
    table = TABLES_BY_NAME[name]
    with (folder / table.file_name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table.column_names),
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


ASKS_COMMENT = "# What the KAM asks of management at the quarter review.\n"


def write_document(folder: Path, document: dict[str, Any]) -> None:
    """The document as YAML; its asks for management last, under a comment that says what
    they are (a top-level list in the file's own list style, which the editor keeps)."""
    body = {key: value for key, value in document.items() if key != "asks"}
    text = yaml.dump(body, Dumper=DocumentDumper, sort_keys=False, allow_unicode=True,
                     width=100)
    if "asks" in document:
        text += "\n" + ASKS_COMMENT + yaml.dump(
            {"asks": document["asks"]}, Dumper=DocumentDumper, sort_keys=False,
            allow_unicode=True, width=200)
    (folder / f"{document['account_id']}.yaml").write_text(text, encoding="utf-8")


def write_workbook(folder: Path, tables: dict[str, list[Row]],
                   documents: dict[str, dict[str, Any]]) -> None:
    """Replace the folder's content: stale files from an earlier run must not linger."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / DOCUMENTS_FOLDER).mkdir(parents=True)
    for name, rows in tables.items():
        write_table(folder, name, rows)
    for document in documents.values():
        write_document(folder / DOCUMENTS_FOLDER, document)
    (folder / SETTINGS_FILE).write_text(settings_text(Settings(FORMAT_VERSION)),
                                        encoding="utf-8")


def main() -> None:
    tables, documents = generate()
    write_workbook(OUT, tables, documents)
    counts = ", ".join(f"{name} {len(rows)}" for name, rows in tables.items())
    print(f"Wrote {OUT.relative_to(ROOT)}: {counts}, documents {len(documents)}")


if __name__ == "__main__":
    main()
