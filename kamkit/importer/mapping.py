"""The mapping of an export: which column of a sales export holds which fact.

A mapping is a small YAML file a person checks (``kamkit import EXPORT --suggest`` writes a
first one). Column names are matched without regard to case or surrounding spaces, as the
workbook reader reads headers.

Example::

    date: Datum
    customer_id: Klantnummer
    customer_name: Klant
    product_group: Productgroep
    city: Plaats
    country: Land
    revenue: Omzet
    margin: Marge            # or cost: Kostprijs, or margin_unknown: true
    margin_kind: amount      # amount or percent (of the line's revenue)
    quantity: Aantal
    sales_rep: Verkoper
    currency: EUR            # or currency_column: Valuta
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Self, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from kamkit import yamlread
from kamkit.document_reader import error_words
from kamkit.errors import KamkitError, file_error
from kamkit.problems import SaidError, Words, words
from kamkit.readers import read_bytes_limited, refused_words

# The columns a mapping can name, in the order a suggested mapping lists them, with what each
# means (the comments of a suggested mapping and the README).
FIELDS: dict[str, str] = {
    "date": "invoice or order date of the line (required)",
    "customer_id": "customer number or code",
    "customer_name": "customer (company) name",
    "product_group": "product group: becomes a service of the workbook",
    "location": "delivery site or region: becomes a location (instead of city and country)",
    "city": "city of delivery: with country, becomes a location",
    "country": "country of delivery: a name (English or Dutch) or an ISO code",
    "revenue": "net revenue of the line, excluding VAT; negative on a credit note (required)",
    "cost": "direct cost of the line (margin = revenue - cost)",
    "margin": "gross margin of the line, as an amount or a percentage (see margin_kind)",
    "quantity": "quantity delivered: becomes the sales volume",
    "sales_rep": "sales representative: becomes a person of the team and the account's KAM",
    "currency_column": "currency code of each line (all lines must share one currency)",
}

MARGIN_UNKNOWN = ("the export has no cost or margin: remove the # to import without one "
                  "(gross margin left empty)")


class ImportMapping(BaseModel):
    """Which export column holds which fact; see the module docstring for an example."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: str
    customer_id: str | None = None
    customer_name: str | None = None
    product_group: str | None = None
    location: str | None = None
    city: str | None = None
    country: str | None = None
    revenue: str
    cost: str | None = None
    margin: str | None = None
    margin_kind: Literal["amount", "percent"] = "amount"
    margin_unknown: bool = False
    quantity: str | None = None
    sales_rep: str | None = None
    currency_column: str | None = None
    currency: str = "EUR"
    sheet: str | None = None  # the sheet of an .xlsx export (default: the first)

    @field_validator(*[name for name in FIELDS], mode="before")
    @classmethod
    def _header_name(cls, value: object) -> object:
        # headers are read lower case and stripped (kamkit.readers); so are the names here
        if isinstance(value, str):
            return value.strip().lower() or None
        return value

    @field_validator("currency")
    @classmethod
    def _currency_code(cls, value: str) -> str:
        code = value.strip().upper()
        if len(code) != 3 or not code.isalpha():
            raise SaidError(words("cli.mapping.currency"))
        return code

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if not (self.customer_id or self.customer_name):
            raise SaidError(words("cli.mapping.customer"))
        if self.location and (self.city or self.country):
            raise SaidError(words("cli.mapping.location"))
        given = [name for name in ("cost", "margin") if getattr(self, name)]
        if len(given) > 1:
            raise SaidError(words("cli.mapping.cost_or_margin"))
        if given and self.margin_unknown:
            raise SaidError(words("cli.mapping.margin_contradicted", field=given[0],
                                  column=str(getattr(self, given[0]))))
        if not given and not self.margin_unknown:
            raise SaidError(words("cli.mapping.no_margin"))
        return self

    def columns(self) -> dict[str, str]:
        """Field -> export column, for every field given."""
        return {name: value for name in FIELDS if (value := getattr(self, name))}

    def to_yaml(self, comments: bool = True) -> str:
        """The mapping as YAML; with ``comments`` each line says what the field means."""
        data = self.model_dump(exclude_defaults=True)
        if self.margin:
            data.setdefault("margin_kind", self.margin_kind)
        lines = []
        for key, value in data.items():
            text = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False).strip()
            note = FIELDS.get(key, "")
            lines.append(f"{text:<36} # {note}" if comments and note else text)
        return "\n".join(lines) + "\n"


CONTACT_FIELDS: dict[str, str] = {
    "name": "the contact's full name (required)",
    "account": "the customer: its number or name as in the sales export (required)",
    "title": "job title",
    "department": "department",
    "email": "e-mail address: also tells two contacts of the same name apart",
    "manager": "the name or e-mail of the contact's manager: becomes reports_to",
    "level": "strategic, tactical or operational (English or Dutch); unknown otherwise",
    "buying_role": "decision maker, influencer, buyer, user, gatekeeper or champion",
    "attitude": "champion, supporter, neutral, sceptic or opponent",
    "influence": "high, medium or low",
}


class ContactsMapping(BaseModel):
    """Which column of a CRM contacts export holds which fact of a contact."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    contacts: Literal[True] = True  # marks a contacts mapping
    name: str
    account: str
    title: str | None = None
    department: str | None = None
    email: str | None = None
    manager: str | None = None
    level: str | None = None
    buying_role: str | None = None
    attitude: str | None = None
    influence: str | None = None
    sheet: str | None = None

    _header_name = field_validator(*CONTACT_FIELDS, mode="before")(
        ImportMapping._header_name.__func__)  # type: ignore[attr-defined]

    def columns(self) -> dict[str, str]:
        """Field -> export column, for every field given."""
        return {name: value for name in CONTACT_FIELDS if (value := getattr(self, name))}


# A column name each required field commonly has in an export, for the message when the
# field names no column.
_EXAMPLES = {"date": "Factuurdatum", "revenue": "Omzet", "name": "Naam", "account": "Klant"}


def mapping_from_data(data: object, source: str) -> ImportMapping | ContactsMapping:
    """A mapping from parsed YAML (a contacts mapping where it says ``contacts: true``); a
    ``KamkitError`` naming each field at fault otherwise."""
    if not isinstance(data, dict):
        raise file_error(source, words("cli.mapping.not_mapping"))
    model: type[ImportMapping | ContactsMapping] = (
        ContactsMapping if data.get("contacts") else ImportMapping)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        lines = []
        said: Words = words("cli.mapping.invalid", source=source)
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"]) or "mapping"
            message, message_words = error_words(error)
            message = message.removeprefix("Value error, ")
            if where in _EXAMPLES and (error["type"] == "missing" or error.get("input") is None):
                message_words = words("cli.mapping.required", field=where,
                                      example=_EXAMPLES[where])
                message = message_words.said("en")
            elif error["type"] == "extra_forbidden":
                message_words = words("cli.mapping.extra", fields=", ".join(model.model_fields))
                message = message_words.said("en")
            lines.append(f"  {where}: {message}")
            said = words("cli.text.lines", first=said, next=words(
                "cli.mapping.field", where=where, message=message_words))
        # English as pydantic says it; other languages by the errors' kinds
        invalid = KamkitError(f"{source} is not a valid mapping:\n" + "\n".join(lines))
        invalid.words = said
        raise invalid from None


def load_mapping(path: str | Path, **overrides: object) -> ImportMapping | ContactsMapping:
    """Read a mapping file; ``overrides`` replace fields (the command line's options)."""
    path = Path(path)
    try:
        text = read_bytes_limited(path).decode("utf-8-sig")
    except OSError as exc:
        raise file_error(path, refused_words(exc)) from None
    except UnicodeDecodeError as exc:
        raise file_error(path, words("file.not_utf8", byte=str(exc.start))) from None
    try:  # bounded, and a key given twice is an error (as in documents)
        data = yamlread.load(text) or {}
    except yaml.YAMLError as exc:
        raise file_error(path, yamlread.problem_words(exc, text),
                         yamlread.location(exc, text)[0]) from None
    if isinstance(data, dict):
        data = {**data, **overrides}
    return mapping_from_data(data, str(path))


M = TypeVar("M", ImportMapping, ContactsMapping)


def mapping_of(mapping: ImportMapping | ContactsMapping | str | Path, kind: type[M]) -> M:
    """A mapping given or read from its file, of the ``kind`` an import needs."""
    loaded = mapping if isinstance(mapping, ImportMapping | ContactsMapping) \
        else load_mapping(mapping)
    if not isinstance(loaded, kind):
        raise KamkitError.of(words("cli.mapping.is_contacts" if kind is ImportMapping
                                   else "cli.mapping.is_sales"))
    return loaded
