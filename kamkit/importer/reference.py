"""The reference rows an export needs: accounts, services, locations and team members.

Each export value gets a code (the one the manifest remembers, else a new one made from the
value) and a row whose values the export gives where it can; the others are placeholders
(listed per row, for a person to fill): an account's sector, a service's unit and margin
policy, a person's function and level. An account's attractiveness and position are left
empty (``LEFT_EMPTY``): the portfolio then uses the scores it computes from the account's
data, where a stand-in number would place every account at one made-up point.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from kamkit.countries import country_code, country_name
from kamkit.importer.codes import account_code, slug, unique
from kamkit.manifest import Manifest
from kamkit.schema import UNKNOWN

UNASSIGNED = "UNASSIGNED"

# What a placeholder cell holds, per table and column.
PLACEHOLDERS: dict[str, dict[str, object]] = {
    "accounts": {"sector": UNKNOWN},
    "services": {"unit": "units", "min_margin_pct": 0.0},
    "locations": {},
    "team": {"function": "Sales representative", "level": "operational"},
}

LEFT_EMPTY: dict[str, tuple[str, ...]] = {"accounts": ("attractiveness", "position")}
"""Per table, the optional columns the import writes empty, no placeholder: the score
overrides, so the computed scores apply (and an earlier import's stand-in 5 is emptied by
the next import where nobody changed the row)."""


@dataclass(frozen=True)
class RefRow:
    """A reference row as the import would write it."""

    values: dict[str, object]
    placeholders: tuple[str, ...]


@dataclass(frozen=True)
class Coded:
    """Export lines with the workbook codes of their account, service, location and person,
    the code of every export value, and the country values that name no country."""

    lines: pd.DataFrame  # the export's lines plus account_id, service, location, person
    codes: dict[str, dict[str, str]]  # table -> export value -> code
    unknown_countries: dict[str, int]  # value -> lines


def _coder(table: str, manifest: Manifest, taken: set[str],
           make: Callable[[str], str]) -> Callable[[str], str]:
    """A function from export value to code, remembered in the manifest."""
    cache: dict[str, str] = {}

    def code(value: str) -> str:
        if value not in cache:
            known = manifest.code_of(table, value)
            if known is None:
                known = unique(make(value), taken)
            taken.add(known)
            cache[value] = known
        return cache[value]

    return code


def _location_key(lines: pd.DataFrame, countries: dict[str, str | None]) -> pd.Series:
    """The export value a location is made from: the site, or city|country, the country as
    its ISO code where it has one (so "Berlin|Germany" and "Berlin|DE" are one place)."""
    if lines["site"].ne("").any():
        return lines["site"]
    country = lines["country"].map(lambda v: countries.get(v) or v)
    return lines["city"] + "|" + country


def _location_code(key: str) -> str:
    if "|" not in key:
        return slug(key, "ALL") if key else "ALL"
    city, country = key.split("|", 1)
    cc = country_code(country) or ("XX" if country else "")
    if city and cc:
        return f"{cc}-{slug(city)}"
    return cc or slug(city, "ALL")


def assign_codes(lines: pd.DataFrame, manifest: Manifest,
                 existing: Mapping[str, Iterable[str]]) -> Coded:
    """Codes for every export value: from the manifest, else new and unique in the workbook
    (``existing``: the codes each reference table holds now)."""
    countries = {v: country_code(v) for v in pd.unique(lines["country"]) if v}
    names = lines.groupby("customer")["customer_name"].first()
    taken = {t: {*existing.get(t, ()), *manifest.rows.get(t, {})} for t in
             ("accounts", "services", "locations", "team")}
    coders = {
        "accounts": _coder("accounts", manifest, taken["accounts"],
                           lambda v: account_code(v, str(names.get(v, v)))),
        "services": _coder("services", manifest, taken["services"],
                           lambda v: slug(v, "OTHER") if v else "OTHER"),
        "locations": _coder("locations", manifest, taken["locations"],
                            _location_code),
        "team": _coder("team", manifest, taken["team"],
                       lambda v: slug(v, "PERSON") if v else UNASSIGNED),
    }
    keys = {"accounts": lines["customer"], "services": lines["product_group"],
            "locations": _location_key(lines, countries), "team": lines["sales_rep"]}
    coded = lines.copy()
    codes: dict[str, dict[str, str]] = {}
    for table, column in (("accounts", "account_id"), ("services", "service"),
                          ("locations", "location"), ("team", "person")):
        values = pd.unique(keys[table])
        codes[table] = {str(v): coders[table](str(v)) for v in values}
        coded[column] = keys[table].map(codes[table])
    coded["country_code"] = lines["country"].map(lambda v: countries.get(v) or "")
    unknown = lines.loc[lines["country"].ne("") & coded["country_code"].eq(""), "country"]
    return Coded(coded, codes, {str(k): int(n) for k, n in unknown.value_counts().items()})


def _most(frame: pd.DataFrame, by: str, column: str) -> pd.Series:
    """Per ``by``, the non-empty value of ``column`` with the most revenue."""
    filled = frame[frame[column] != ""]
    totals = filled.groupby([by, column])["revenue"].sum().reset_index()
    totals = totals.sort_values([by, "revenue", column], ascending=[True, False, True])
    return totals.drop_duplicates(by).set_index(by)[column]


def _representative(lines: pd.DataFrame, code: str, values: list[str]) -> pd.DataFrame:
    """One line per code: of the export values that share the code (a person may point
    several at one code in the manifest), the one with the most revenue names the row."""
    revenue = lines.groupby([code, *values])["revenue"].transform("sum")
    order = lines.assign(_total=revenue).sort_values(
        [code, "_total", *values], ascending=[True, False, *[True] * len(values)],
        kind="stable")
    return order.drop_duplicates(code).drop(columns="_total")


def _row(table: str, values: dict[str, object]) -> RefRow:
    placeholders = PLACEHOLDERS[table]
    full = {**dict.fromkeys(LEFT_EMPTY.get(table, ())), **placeholders,
            **{k: v for k, v in values.items() if v is not None}}
    return RefRow(full, tuple(c for c in placeholders if c not in values or values[c] is None))


def reference_rows(coded: Coded, status: dict[str, str],
                   has_products: bool) -> dict[str, dict[str, RefRow]]:
    """The row each code of the export would have, per reference table. ``status`` gives an
    account's status (accounts not in it are ``other``)."""
    lines = coded.lines
    rows: dict[str, dict[str, RefRow]] = {t: {} for t in PLACEHOLDERS}
    reps = _representative(lines[lines["sales_rep"] != ""], "person", ["sales_rep"])
    for rep in reps.itertuples():
        rows["team"][rep.person] = _row("team", {"person_id": rep.person, "name": rep.sales_rep})
    kam = _most(lines[lines["sales_rep"] != ""], "account_id", "person")
    if (~lines["account_id"].isin(kam.index)).any():
        # no name in any language: the reports show the missing word, validate a placeholder
        unassigned = _row("team", {"person_id": UNASSIGNED, "name": ""})
        rows["team"][UNASSIGNED] = RefRow(unassigned.values, ("name", *unassigned.placeholders))
    country = _most(lines, "account_id", "country_code")
    for account in _representative(lines, "account_id", ["customer_name"]).itertuples():
        code = account.account_id
        rows["accounts"][code] = _row("accounts", {
            "account_id": code, "name": account.customer_name,
            "country": country.get(code, UNKNOWN), "status": status.get(code, "other"),
            "kam": kam.get(code, UNASSIGNED)})
        if code not in country.index:
            rows["accounts"][code] = RefRow(rows["accounts"][code].values,
                                            (*rows["accounts"][code].placeholders, "country"))
    for line in _representative(lines, "service", ["product_group"]).itertuples():
        name = (line.product_group or "Other (no product group)") if has_products \
            else "All products"
        rows["services"][line.service] = _row("services", {"service": line.service,
                                                           "name": name})
    for line in _representative(lines, "location", ["site", "city", "country"]).itertuples():
        known = bool(line.country_code)
        name = (line.site or line.city or (country_name(line.country_code) if known
                                           else line.country) or "All locations")
        rows["locations"][line.location] = RefRow(
            {"location": line.location, "name": name,
             "country": line.country_code if known else UNKNOWN},
            () if known else ("country",))
    return rows
