"""The account workbook's tables and columns: the one place that says what a workbook holds.

Parsing, validation, the generated documentation (``docs/workbook.md``) and the
``kamkit new-account`` template all read these definitions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from kamkit import scoring
from kamkit.locale import for_language, languages


class Kind(StrEnum):
    """How a column's cells are read."""

    ID = "id"  # a key: text without spaces at either end
    TEXT = "text"
    CHOICE = "choice"  # one of ``Column.choices``
    INTEGER = "integer"
    NUMBER = "number"
    MONEY = "money"  # in the workbook's currency (workbook.yaml)
    DATE = "date"  # YYYY-MM-DD (or DD-MM-YYYY, or an Excel date)
    MONTH = "month"  # YYYY-MM
    YEAR = "year"


@dataclass(frozen=True)
class Column:
    """One column of a workbook table."""

    name: str
    kind: Kind
    meaning: str
    example: str
    required: bool = True
    unit: str = ""
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    # "table.column" this column must point at (an id elsewhere in the workbook)
    refers_to: str | None = None
    # values allowed besides the ids of ``refers_to``
    extra_refs: tuple[str, ...] = ()
    # (column, language) this column gives the text of in one report language: ("name", "nl")
    # for name_nl; reports in that language show it where it is filled
    translation: tuple[str, str] | None = None
    # an ISO 3166 two-letter country code, or ``unknown`` (a warning)
    iso_country: bool = False


@dataclass(frozen=True)
class Table:
    """One table: a CSV file in the workbook folder, or a sheet of the same name in an .xlsx."""

    name: str
    meaning: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required: bool = False
    notes: tuple[str, ...] = field(default=())
    # a settings table (criteria, judgements): when missing its defaults apply, no warning
    settings: bool = False

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _in_languages(column: Column, examples: dict[str, str]) -> tuple[Column, ...]:
    """``column`` and, per report language (``kamkit.locale``), an optional column
    ``<name>_<language>`` with its text in that language: a report in that language shows it
    where it is filled and ``column`` where it is empty."""
    extra = []
    for language in languages():
        name = for_language(language).name
        extra.append(Column(
            f"{column.name}_{language}", Kind.TEXT,
            f"`{column.name}` for reports in {language} ({name}): shown where it is filled, "
            f"`{column.name}` where it is empty.",
            examples.get(language, column.example if language == "en" else ""),
            required=False, translation=(column.name, language)))
    return (column, *extra)


LEVELS = ("strategic", "tactical", "operational")
ACCOUNT_STATUSES = ("key_account", "prospect", "other")
CONFIDENCES = ("high", "medium", "low")
BUYING_ROLES = (
    "decision_maker",
    "influencer",
    "buyer",
    "user",
    "gatekeeper",
    "champion",
)
ATTITUDES = ("champion", "supporter", "neutral", "sceptic", "opponent")
INFLUENCES = ("high", "medium", "low")
EVENT_TYPES = (
    "won",
    "lost",
    "contract",
    "renewal",
    "price_change",
    "complaint",
    "escalation",
    "meeting",
    "other",
)
FEEDBACK_KINDS = ("satisfaction", "complaint", "compliment")
RELATIONSHIP_STRENGTHS = {1: "knows the name", 2: "occasional contact",
                          3: "regular working contact", 4: "good relationship",
                          5: "trusted advisor"}
"""The scale of relationships.csv's ``strength``."""
DEFAULT_MIN_STRENGTH = 3
"""A contact counts as covered from this strength on ("regular working contact"): someone
who only knows the name is no relationship worth the name."""
CURRENCY_UNIT = "currency"
"""The unit of a money column: the workbook's currency (``workbook.yaml``, EUR by default)."""
IN_HOUSE = "in-house"
UNKNOWN = "unknown"
US = "us"

_ACCOUNT_REF = "accounts.account_id"
_SERVICE_REF = "services.service"
_LOCATION_REF = "locations.location"
_PERSON_REF = "team.person_id"
_SOURCE = Column(
    "source",
    Kind.TEXT,
    "Where the estimate comes from: a conversation, a tender document, annual report, ...",
    "tender 2024 volumes",
    required=False,
)
_CONFIDENCE = Column(
    "confidence",
    Kind.CHOICE,
    "How sure the KAM is of the estimate; shown next to every share computed from it.",
    "medium",
    choices=CONFIDENCES,
)


def _account_col() -> Column:
    return Column("account_id", Kind.ID, "The account.", "ACC01", refers_to=_ACCOUNT_REF)


def _cell_cols() -> tuple[Column, ...]:
    """The year x service x location cell of a spend estimate."""
    return (
        _account_col(),
        Column("year", Kind.YEAR, "Calendar year of the estimate.", "2025", minimum=1990,
               maximum=2100),
        Column("service", Kind.ID, "The service bought.", "CLEAN", refers_to=_SERVICE_REF),
        Column("location", Kind.ID, "Where it is delivered.", "NL-RTM", refers_to=_LOCATION_REF),
    )


def _reference(name: str, key: str, example: str, description: str,
               *columns: Column) -> Table:
    """A required reference table keyed by the short code ``key`` (``person_id`` names a
    person), whose example is ``example``."""
    what = key.removesuffix("_id")
    return Table(name, description,
                 (Column(key, Kind.ID, f"Short code of the {what}.", example), *columns),
                 key=(key,), required=True)


def _account_log(name: str, description: str, when: str, example: str,
                 *columns: Column) -> Table:
    """A table of dated entries about accounts, without a key: the account, the ``date``
    (``when``, e.g. ``example``), then ``columns``."""
    dated = (_account_col(), Column("date", Kind.DATE, when, example))
    return Table(name, description, (*dated, *columns), key=())


def _report_name(example: str) -> Column:
    return Column("name", Kind.TEXT, "Name in reports.", example)


TABLES: tuple[Table, ...] = (
    _reference(
        "services", "service", "CLEAN",
        "What we sell. The margin policy per service feeds the price mix of the plan.",
        *_in_languages(_report_name("Office cleaning"), {"nl": "Kantoorschoonmaak"}),
        *_in_languages(Column("unit", Kind.TEXT, "Unit of the volume columns for this service.",
                              "hours"), {"nl": "uren"}),
        Column("min_margin_pct", Kind.NUMBER,
               "Margin policy: the lowest acceptable gross margin, in % of revenue.", "22",
               unit="%", minimum=0, maximum=100),
    ),
    _reference(
        "locations", "location", "NL-RTM",
        "Where services are delivered: a site, a city or a region.",
        *_in_languages(_report_name("Rotterdam"), {"nl": "Rotterdam"}),
        Column("country", Kind.TEXT, "ISO 3166 two-letter country code; `unknown` (a warning) "
               "until known.", "NL", iso_country=True),
    ),
    _reference("competitors", "competitor", "NORDCLEAN",
               "Named competitors, as holders of an account's spend.",
               _report_name("Nordclean Services")),
    _reference(
        "team", "person_id", "P01",
        "Our people who work on accounts: KAMs, directors, service managers.",
        Column("name", Kind.TEXT, "Full name; empty where not known yet (the reports then show "
               "n/a).", "Sanne de Vries", required=False),
        Column("function", Kind.TEXT, "Job title.", "Key account manager"),
        Column("level", Kind.CHOICE,
               "The level this person works at, matched against the account's contacts.",
               "tactical", choices=LEVELS),
        Column("email", Kind.TEXT, "E-mail address.", "sanne@example.com", required=False),
    ),
    Table(
        "accounts",
        "Key accounts, prospects and other customers; a KAM may override the attractiveness "
        "and position computed from the criteria (criteria.csv).",
        (
            Column("account_id", Kind.ID, "Short code of the account; also its file name.",
                   "ACC01"),
            Column("name", Kind.TEXT, "Company name.", "Maasport Logistics"),
            Column("sector", Kind.TEXT, "Industry.", "Logistics"),
            Column("country", Kind.TEXT, "ISO 3166 two-letter country code of the head "
                   "office; `unknown` (a warning) until known.", "NL", iso_country=True),
            Column("status", Kind.CHOICE, "Whether the account is a key account.", "key_account",
                   choices=ACCOUNT_STATUSES),
            Column("kam", Kind.ID, "The responsible key account manager.", "P01",
                   refers_to=_PERSON_REF),
            Column("attractiveness", Kind.NUMBER,
                   "Overrides the attractiveness computed from the criteria (size, growth, "
                   "margin, fit): leave empty to use the computed score.", "7.5",
                   unit="score 0-10", minimum=0, maximum=10, required=False),
            Column("position", Kind.NUMBER,
                   "Overrides our position computed from the criteria (share, relationships, "
                   "satisfaction, history): leave empty to use the computed score.", "6",
                   unit="score 0-10", minimum=0, maximum=10, required=False),
        ),
        key=("account_id",),
        required=True,
        notes=("An `attractiveness` or `position` filled in is shown as an override beside "
               "the computed score (x 10 on the 0-100 scale of the portfolio matrix).",),
    ),
    Table(
        "sales",
        "Our sales to each account per month, from the ERP.",
        (
            Column("month", Kind.MONTH, "Invoice month.", "2025-03"),
            _account_col(),
            Column("service", Kind.ID, "Service sold.", "CLEAN", refers_to=_SERVICE_REF),
            Column("location", Kind.ID, "Where it was delivered.", "NL-RTM",
                   refers_to=_LOCATION_REF),
            Column("revenue", Kind.MONEY,
                   "Invoiced revenue, excluding VAT, net of credit notes; negative (a "
                   "warning) for a month whose credit notes exceed its sales.", "18250.00",
                   unit=CURRENCY_UNIT),
            Column("gross_margin", Kind.MONEY,
                   "Revenue minus direct cost; negative for a loss-making month; empty where "
                   "it is not known (an export without cost): margin figures then show n/a "
                   "and the margin findings and policy checks are left out.", "4380.00",
                   unit=CURRENCY_UNIT, required=False),
            Column("volume", Kind.NUMBER, "Volume delivered, in the service's unit.", "410",
                   unit="service unit", minimum=0, required=False),
        ),
        key=("month", "account_id", "service", "location"),
        required=True,  # missing, every account's reports would say "no sales": a header only
        notes=("Gross margin may not exceed revenue (where the revenue is not negative).",),
    ),
    Table(
        "spend",
        "The account's total spend on the kind of services we sell, as estimated by the KAM, "
        "per year, service and location (the wallet).",
        (
            *_cell_cols(),
            Column("spend", Kind.MONEY, "Estimated total spend of the account in the cell.",
                   "240000", unit=CURRENCY_UNIT, minimum=0),
            Column("volume", Kind.NUMBER, "Estimated total volume, in the service's unit.",
                   "5200", unit="service unit", minimum=0, required=False),
            _SOURCE,
            _CONFIDENCE,
        ),
        key=("account_id", "year", "service", "location"),
        required=True,  # missing, every share of wallet would be wrong: a header only
    ),
    Table(
        "spend_shares",
        "Who else receives the account's spend in a cell: a named competitor, the account's "
        "own staff (in-house), or unknown. Our own part comes from sales, not from here.",
        (
            *_cell_cols(),
            Column("holder", Kind.ID, "A competitor code, `in-house` or `unknown`.",
                   "NORDCLEAN", refers_to="competitors.competitor",
                   extra_refs=(IN_HOUSE, UNKNOWN)),
            Column("spend", Kind.MONEY, "Estimated spend that goes to the holder.", "90000",
                   unit=CURRENCY_UNIT, minimum=0),
            _SOURCE,
            _CONFIDENCE,
        ),
        key=("account_id", "year", "service", "location", "holder"),
        notes=(
            "Every row needs a matching row in spend.csv for the same cell.",
            "The shares of one cell may not add up to more than the cell's spend; together "
            "with our own sales in that year they should not either (a warning).",
        ),
    ),
    Table(
        "contacts",
        "People at the account, with the organisation structure (reports_to).",
        (
            Column("contact_id", Kind.ID, "Short code of the contact, unique in the workbook.",
                   "ACC01-C01"),
            _account_col(),
            Column("name", Kind.TEXT, "Full name.", "Pieter Jansen"),
            Column("title", Kind.TEXT, "Job title.", "Facility director"),
            Column("department", Kind.TEXT, "Department.", "Facilities"),
            Column("level", Kind.CHOICE,
                   "Level in the account's organisation; `unknown` (a warning) until known.",
                   "strategic", choices=(*LEVELS, UNKNOWN)),
            Column("reports_to", Kind.ID,
                   "The contact this person reports to (same account); empty at the top.",
                   "ACC01-C02", required=False, refers_to="contacts.contact_id"),
            Column("buying_role", Kind.CHOICE,
                   "Role in buying our kind of services; `unknown` (a warning) until known.",
                   "decision_maker", choices=(*BUYING_ROLES, UNKNOWN)),
            Column("attitude", Kind.CHOICE, "Attitude towards us; `unknown` (a warning) until "
                   "known.", "supporter", choices=(*ATTITUDES, UNKNOWN)),
            Column("influence", Kind.CHOICE, "Influence on the buying decision; `unknown` (a "
                   "warning) until known.", "high", choices=(*INFLUENCES, UNKNOWN)),
            Column("email", Kind.TEXT, "E-mail address.", "p.jansen@example.com",
                   required=False),
        ),
        key=("contact_id",),
        notes=("reports_to must not form a cycle.",),
    ),
    Table(
        "relationships",
        "The contact matrix: which of our people knows which of the account's contacts.",
        (
            Column("person_id", Kind.ID, "Our person.", "P01", refers_to=_PERSON_REF),
            Column("contact_id", Kind.ID, "Their contact.", "ACC01-C01",
                   refers_to="contacts.contact_id"),
            Column("strength", Kind.INTEGER,
                   ", ".join(f"{n} {text}" for n, text in RELATIONSHIP_STRENGTHS.items())
                   + ".", "4", unit="score 1-5", minimum=1,
                   maximum=5),
            Column("last_contact", Kind.DATE, "Date of the last meeting or call.", "2025-11-12"),
        ),
        key=("person_id", "contact_id"),
    ),
    _account_log(
        "history", "Dated events in the account's history with us.",
        "When it happened.", "2023-04-01",
        Column("type", Kind.CHOICE, "What kind of event.", "won", choices=EVENT_TYPES),
        Column("description", Kind.TEXT, "What happened.", "Won the cleaning tender for Antwerp"),
        Column("amount", Kind.MONEY, "Annual value involved, if any.", "150000",
               unit=CURRENCY_UNIT, minimum=0, required=False),
    ),
    _account_log(
        "feedback", "Customer satisfaction scores, complaints and compliments over time.",
        "When it was received.", "2025-06-30",
        Column("kind", Kind.CHOICE, "What it is.", "satisfaction", choices=FEEDBACK_KINDS),
        Column("score", Kind.NUMBER, "Satisfaction score; required for `satisfaction`.", "7.4",
               unit="score 0-10", minimum=0, maximum=10, required=False),
        Column("service", Kind.ID, "The service it is about, if one.", "CLEAN",
               required=False, refers_to=_SERVICE_REF),
        Column("description", Kind.TEXT, "What was said.", "Annual survey", required=False),
        Column("closed", Kind.DATE, "When a complaint was resolved; empty while open.",
               "2025-07-14", required=False),
    ),
    Table(
        "criteria",
        "The criteria and weights of the portfolio matrix (attractiveness, our position) "
        "and of the health score. Rows for an axis replace that axis's defaults (below); an "
        "axis without rows keeps them.",
        (
            Column("axis", Kind.CHOICE, "The score the criterion counts towards.",
                   "attractiveness", choices=scoring.AXES),
            Column("criterion", Kind.ID, "A computed criterion's code (below), or the name "
                   "of a judgement scored in judgements.csv.", "wallet"),
            Column("weight", Kind.NUMBER, "Weight; the weights of an axis add up to 100.",
                   "25", unit="%", minimum=0, maximum=100),
            Column("source", Kind.CHOICE, "Computed from the data, or a judgement scored by "
                   "people in judgements.csv.", "computed", choices=scoring.SOURCES),
            Column("low", Kind.NUMBER, "The value that gives 0 points (computed criteria); "
                   "empty: the criterion's default.", "0", required=False),
            Column("high", Kind.NUMBER, "The value that gives 10 points, linear between, "
                   "clipped outside; below `low` when lower is better; empty: the default.",
                   "60", required=False),
        ),
        key=("axis", "criterion"),
        settings=True,
        notes=("Each criterion scores 0-10 points; an axis score is the sum of weight x "
               "points / 10, 0-100. A criterion without a value (no spend estimate, no "
               "judgement) is left out and the other weights count for the whole; the "
               "share of weight with a value is shown beside the score.",
               *scoring.defaults_text()),
    ),
    Table(
        "judgements",
        "Scores people give an account on judgement criteria (strategic fit, ease of doing "
        "business, ...): the latest on or before the as-of date counts.",
        (
            _account_col(),
            Column("criterion", Kind.ID, "A judgement criterion of criteria.csv (or of the "
                   "defaults).", "strategic_fit"),
            Column("date", Kind.DATE, "When it was scored.", "2026-06-30"),
            Column("score", Kind.NUMBER, "The score.", "8", unit="score 0-10", minimum=0,
                   maximum=10),
            Column("note", Kind.TEXT, "Why.", "Fits our healthcare strategy",
                   required=False),
        ),
        key=("account_id", "criterion", "date"),
        settings=True,
    ),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

DOCUMENTS_FOLDER = "documents"

EURO_SUFFIX = "_eur"
"""Before a workbook had a currency (format 1), money was named for the euro: a column, a
document's target key or a snapshot's figure ``revenue`` was ``revenue_eur``."""


def named_for_euro(names: Iterable[str]) -> dict[str, str]:
    """The names that money ``names`` had before a workbook had a currency (``EURO_SUFFIX``)
    -> the names now: the one rule behind every renaming of format 1's money.

    Examples
    --------
    >>> named_for_euro(["revenue", "gross_margin"])
    {'revenue_eur': 'revenue', 'gross_margin_eur': 'gross_margin'}
    """
    return {f"{name}{EURO_SUFFIX}": name for name in names}


RENAMED_COLUMNS: dict[str, dict[str, str]] = {
    "sales": named_for_euro(["revenue", "gross_margin"]),
    "spend": named_for_euro(["spend"]),
    "spend_shares": named_for_euro(["spend"]),
    "history": named_for_euro(["amount"]),
}
"""Columns renamed since the first workbook format, per table: the old name -> the name now
(every money column, ``named_for_euro``). Files written with the old names are read as if
they had the new ones."""

RENAMED_TARGET_KEYS: dict[str, str] = named_for_euro(["revenue", "gross_margin"])
"""Keys of a document's targets (``plan.targets.annual`` and each of
``plan.targets.monthly``) renamed since the first workbook format: the old key -> the key
now."""


def current_column(table: str, name: str) -> str:
    """The name a column of ``table`` has now, for a name as a file of any format version
    spells it (stripped, lower case)."""
    return RENAMED_COLUMNS.get(table, {}).get(name, name)
