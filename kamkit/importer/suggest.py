"""A first mapping for an export, from its header names (English and Dutch) and its values.

A header is compared without case, spaces and punctuation against the names each field
goes by; where no header is known, a sample of the values decides (the column of dates,
the column of country names). The result is YAML for a person to check: a field that was
not found is written as ``null`` with a note.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from kamkit.countries import country_code
from kamkit.importer.mapping import CONTACT_FIELDS, FIELDS, MARGIN_UNKNOWN
from kamkit.importer.source import month_first_reason, read_raw, sheet_names
from kamkit.parsing import _date, _number, month_first

SAMPLE = 200

# The names each field goes by in exports, English and Dutch, compared as _plain() gives them.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("date", "invoicedate", "orderdate", "documentdate", "transactiondate",
             "postingdate", "datum", "factuurdatum", "orderdatum", "boekdatum",
             "leverdatum", "documentdatum"),
    "customer_id": ("customerid", "customerno", "customernumber", "customercode", "clientid",
                    "clientnumber", "accountid", "accountnumber", "debtorno", "debtor",
                    "klantnummer", "klantnr", "klantid", "klantcode", "debiteur",
                    "debiteurnummer", "debiteurnr", "relatienummer", "relatienr"),
    "customer_name": ("customer", "customername", "client", "clientname", "account",
                      "accountname", "company", "companyname", "klant", "klantnaam",
                      "bedrijf", "bedrijfsnaam", "relatie", "relatienaam", "debiteurnaam",
                      "naam", "name"),
    "product_group": ("productgroup", "productcategory", "productline", "category",
                      "itemgroup", "productgroep", "artikelgroep", "productcategorie",
                      "categorie", "productlijn", "omzetgroep", "group", "groep"),
    "location": ("location", "site", "branch", "deliverysite", "locatie", "vestiging",
                 "filiaal", "afleverlocatie"),
    "city": ("city", "town", "deliverycity", "plaats", "stad", "woonplaats",
             "vestigingsplaats", "afleverplaats"),
    "country": ("country", "countrycode", "countryname", "deliverycountry", "land",
                "landcode", "landnaam"),
    "revenue": ("revenue", "netrevenue", "sales", "netsales", "salesamount", "amount",
                "netamount", "turnover", "linetotal", "value", "omzet", "nettoomzet",
                "bedrag", "nettobedrag", "factuurbedrag", "verkoopbedrag", "regelbedrag",
                "totaal"),
    "cost": ("cost", "costs", "costprice", "cogs", "costofsales", "kostprijs", "kosten",
             "inkoopprijs", "inkoopwaarde", "kostprijsomzet"),
    "margin": ("margin", "grossmargin", "grossprofit", "profit", "marginpct", "margin%",
               "marge", "brutomarge", "brutowinst", "winst", "marge%"),
    "quantity": ("quantity", "qty", "units", "volume", "aantal", "hoeveelheid", "stuks"),
    "sales_rep": ("salesrep", "salesperson", "salesman", "seller", "accountmanager",
                  "representative", "rep", "owner", "verkoper", "vertegenwoordiger",
                  "medewerker", "accountmanager"),
    "currency_column": ("currency", "currencycode", "valuta", "munt", "valutacode"),
}

CONTACT_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("name", "fullname", "contact", "contactname", "person", "naam", "volledigenaam",
             "contactpersoon"),
    "account": ("account", "accountname", "accountid", "company", "companyname", "customer",
                "customerid", "customername", "organisation", "organization", "klant",
                "klantnaam", "klantnummer", "bedrijf", "bedrijfsnaam", "organisatie",
                "relatie"),
    "title": ("title", "jobtitle", "function", "position", "functie", "functietitel"),
    "department": ("department", "dept", "afdeling"),
    "email": ("email", "emailaddress", "mail", "emailadres"),
    "manager": ("manager", "reportsto", "managername", "manageremail", "leidinggevende"),
    "level": ("level", "niveau"),
    "buying_role": ("buyingrole", "role", "rol", "kooprol"),
    "attitude": ("attitude", "houding"),
    "influence": ("influence", "invloed"),
}
_SUGGESTED_FOR = "# A mapping suggested by `kamkit import --suggest` for "
_EXACT_ONLY = {"name", "naam", "owner", "value", "groep", "group"}  # too common inside others
_PERCENT_HEADER = re.compile(r"%|pct|percent|perc\b|procent")


def _plain(header: str) -> str:
    return re.sub(r"[^a-z0-9%]", "", header.lower())


def _share(values: pd.Series, test: object) -> float:
    sample = [v for v in values if str(v).strip()]
    if not sample:
        return 0.0
    return sum(test(v) is not None for v in sample) / len(sample)  # type: ignore[operator]


def _by_header(header: list[str], synonyms: dict[str, tuple[str, ...]]) -> dict[str, str]:
    found: dict[str, str] = {}
    used: set[str] = set()
    plain = {h: _plain(h) for h in header if h}
    for exact in (True, False):  # exact names first, then a known name inside a header
        for field, names in synonyms.items():
            if field in found:
                continue
            for name in names:
                match = next((h for h, p in plain.items() if h not in used and (
                    p == name if exact else len(name) >= 4 and name not in _EXACT_ONLY
                    and name in p)), None)
                if match:
                    found[field] = match
                    used.add(match)
                    break
    return found


_SALES_NEEDED = ("date", "revenue", "customer")
_CONTACTS_NEEDED = ("name", "account")


def _data_sheet(path: Path, contacts: bool = False) -> tuple[str | None, list[str]]:
    """The sheet of an .xlsx whose headers name the most of the facts an import needs (date,
    revenue and customer; a contact's name and account), the first on a tie (``None`` for a
    CSV file or a single sheet), and a note saying which."""
    sheets = sheet_names(path)
    if len(sheets) < 2:
        return None, []
    needed = _CONTACTS_NEEDED if contacts else _SALES_NEEDED
    found: dict[str, int] = {}
    for name in sheets:
        header = [str(c) for c in read_raw(path, name).cells.columns if c]
        fields = {f.removesuffix("_id").removesuffix("_name") for f in _by_header(
            header, CONTACT_SYNONYMS if contacts else SYNONYMS)}
        found[name] = sum(f in fields for f in needed)
    best = max(sheets, key=lambda name: found[name])  # max keeps the first of equals
    listed = ", ".join(repr(name) for name in sheets)
    facts = f"{', '.join(needed[:-1])} or {needed[-1]}"
    if not found[best]:
        return None, [f"sheet: no sheet of {listed} has a {facts} column by a name kamkit "
                      "knows; write `sheet:` and the columns here"]
    return best, [f"sheet: the lines were looked for on every sheet ({listed}); sheet "
                  f"{best!r} has the most of the {facts.replace(' or ', ' and ')} columns, "
                  "so this mapping reads it; change `sheet:` (or pass --sheet NAME) to read "
                  "another"]


def suggest(path: str | Path, sheet: str | None = None) -> tuple[dict[str, object], list[str]]:
    """The suggested mapping's fields and notes about what was not found or is unsure.

    Without ``sheet``, an .xlsx of several sheets is read from the one whose headers name
    the most of a date, a revenue and a customer column; the mapping then names it."""
    sheet_notes: list[str] = []
    if sheet is None:
        sheet, sheet_notes = _data_sheet(Path(path))
    raw = read_raw(Path(path), sheet)
    cells = raw.cells.head(SAMPLE)
    header = [str(c) for c in cells.columns if c]
    found = _by_header(header, SYNONYMS)
    notes: list[str] = list(sheet_notes)
    decimal = "," if raw.separator == ";" else "."
    # the values confirm or find the date and country columns
    backwards = (month_first(cells[found["date"]].items(), monthly=True) if "date" in found
                 else None)
    if backwards:  # said as the import will say it, however many dates read day first
        notes.append(f"date: {month_first_reason(raw.file, *backwards)}")
    elif "date" in found and _share(cells[found["date"]], _date) < 0.8:
        notes.append(f"date: the column {found['date']!r} does not hold dates; check it")
    if "date" not in found:
        dates = [h for h in header if h not in found.values() and _share(cells[h], _date) >= 0.8]
        if dates:
            found["date"] = dates[0]
    if "country" not in found:
        countries = [h for h in header if h not in found.values()
                     and _share(cells[h], lambda v: country_code(str(v))) >= 0.6]
        if countries:
            found["country"] = countries[0]
    for field in ("revenue", "cost", "margin", "quantity"):
        if field in found and _share(cells[found[field]], lambda v: _number(
                str(v).replace("%", ""), decimal)) < 0.8:
            notes.append(f"{field}: the column {found[field]!r} does not hold numbers; check it")
    if "location" in found and ("city" in found or "country" in found):
        del found["location"]  # city and country say more: they give the country code
    if "cost" in found and "margin" in found:
        del found["margin"]
    mapping: dict[str, object] = {f: found.get(f) for f in FIELDS if f in found or f in (
        "date", "revenue", "customer_id", "customer_name")}
    if "margin" in found:
        percent = bool(_PERCENT_HEADER.search(found["margin"])) or any(
            "%" in str(v) for v in cells[found["margin"]])
        mapping["margin_kind"] = "percent" if percent else "amount"
    elif "cost" not in found:  # the user decides: the import refuses until they say so
        notes.append("margin: no cost or margin column found; name one, or, if the export "
                     "has none, remove the # before margin_unknown: true below: it leaves "
                     "the gross margin empty (unknown; the reports show margin figures as "
                     "n/a)")
    for field in ("date", "revenue"):
        if not mapping.get(field):
            notes.append(f"{field}: not found; write the export's column name here")
    if not (mapping.get("customer_id") or mapping.get("customer_name")):
        notes.append("customer_id / customer_name: not found; name at least one")
    if sheet is not None:
        mapping["sheet"] = sheet
    if "currency_column" not in found:
        mapping["currency"] = "EUR"
        notes.append("currency: no currency column; EUR assumed, change it if the amounts "
                     "are in another currency")
    return mapping, notes


def suggest_contacts(path: str | Path,
                     sheet: str | None = None) -> tuple[dict[str, object], list[str]]:
    """The suggested contacts mapping's fields and notes, from the headers alone (the
    sheet as ``suggest`` picks it)."""
    notes: list[str] = []
    if sheet is None:
        sheet, notes = _data_sheet(Path(path), contacts=True)
    raw = read_raw(Path(path), sheet)
    found = _by_header([str(c) for c in raw.cells.columns if c], CONTACT_SYNONYMS)
    mapping: dict[str, object] = {"contacts": True}
    mapping.update({f: found.get(f) for f in CONTACT_FIELDS if f in found or f in (
        "name", "account")})
    if sheet is not None:
        mapping["sheet"] = sheet
    notes += [f"{f}: not found; write the export's column name here"
              for f in ("name", "account") if not found.get(f)]
    notes += [f"{f}: not in the export; written as unknown (a warning until filled in)"
              for f in ("level", "buying_role", "attitude", "influence") if f not in found]
    return mapping, notes


def suggestion_yaml(path: str | Path, sheet: str | None = None,
                    contacts: bool = False) -> str:
    """The suggested mapping as commented YAML, for a person to check before importing."""
    import yaml

    mapping, notes = suggest_contacts(path, sheet) if contacts else suggest(path, sheet)
    fields = CONTACT_FIELDS if contacts else FIELDS
    lines = [f"{_SUGGESTED_FOR}{Path(path).name}.",
             "# Check every line: each names the export column that holds the fact.",
             "# Fields that are not listed are not in the export (see README, Bring your own "
             "data)."]
    lines += [f"# NOTE {note}" for note in notes]
    if sheet:
        mapping = {**mapping, "sheet": sheet}
    for key, value in mapping.items():
        text = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False).strip()
        note = fields.get(key, "")
        lines.append(f"{text:<36} # {note}" if note else text)
    if not contacts and not ({"cost", "margin"} & mapping.keys()):
        # left to the user, commented out: the import refuses until they say so
        lines.append(f"{'# margin_unknown: true':<36} # {MARGIN_UNKNOWN}")
    return "\n".join(lines) + "\n"


def suggested_for(path: Path) -> str | None:
    """The name of the export a suggested mapping file was written for (its first line);
    ``None`` for a file written otherwise or unreadable."""
    try:
        with path.open(encoding="utf-8-sig") as file:
            first = file.readline().rstrip("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if first.startswith(_SUGGESTED_FOR) and first.endswith("."):
        return first.removeprefix(_SUGGESTED_FOR)[:-1]
    return None
