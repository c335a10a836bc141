"""Rules across rows and tables: keys, references, sums, the org structure, documents.

Each rule takes the typed tables (index = source row) and adds problems. Cells that failed
to parse are NA and are skipped, so a bad cell is reported once, by the parser.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kamkit.countries import country_code, is_iso_code
from kamkit.currency import DEFAULT
from kamkit.documents import METRICS, SIGNED_METRICS, AccountDocument
from kamkit.manifest import Manifest
from kamkit.parsing import written_cell
from kamkit.problems import (
    NO_WORDS,
    MonthName,
    Problem,
    Severity,
    Words,
    did_you_mean_words,
    hint_words,
    joined_words,
    known_words,
    words,
)
from kamkit.row_keys import any_repeated, distinct, joint_keys, repeated_rows
from kamkit.rules_criteria import check_criteria, check_judgements
from kamkit.schema import TABLES, TABLES_BY_NAME, UNKNOWN, Kind, Table

if TYPE_CHECKING:
    from kamkit.readers import RawTable

Tables = dict[str, pd.DataFrame]
Refused = Mapping[str, Mapping[str, Words]]
"""By "table.column" (a one-column key): the ids written in rows that could not be read,
each with what a reference to it says instead of "unknown" (``refused_keys``)."""
CELL = ["account_id", "year", "service", "location"]


def _error(file: str, message: Words, row: int | None = None, column: str | None = None,
           value: object = None, location: str | None = None,
           severity: Severity = Severity.ERROR) -> Problem:
    return Problem.said(severity, file, message, row=row, column=column,
                        value=None if value is None else str(value), location=location)


def shown(value: object, kind: Kind) -> str:
    """A typed cell as the user writes it: a month as 2024-01, a date as 2024-01-31, a whole
    number without ``.0``."""
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m}" if kind is Kind.MONTH else f"{value:%Y-%m-%d}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def check_keys(table: Table, frame: pd.DataFrame, file: str) -> list[Problem]:
    """Each key appears once."""
    if not table.key or frame.empty or any_repeated(frame, table.key) is False:
        return []
    keys = frame[list(table.key)]  # (no copy of the other columns: a sales table is large)
    complete = keys.notna().all(axis=1).to_numpy()
    # a row with a missing key part equals no complete key: judged among all rows at once
    if not (keys.duplicated(keep="first").to_numpy() & complete).any():
        return []
    keyed = frame[complete]
    dupes = keyed[keyed.duplicated(subset=list(table.key), keep="first")]
    message = duplicate_words(table)
    # the first row of each repeated key, found in one pass (not one scan per repeat)
    repeated = keyed[keyed.duplicated(subset=list(table.key), keep=False)]
    first_row: dict[tuple[object, ...], int] = {}
    for row, *values in repeated[list(table.key)].itertuples(name=None):
        first_row.setdefault(tuple(values), int(row))
    problems = []
    for row, values in dupes[list(table.key)].iterrows():
        first = first_row[tuple(values)]
        key = ", ".join(f"{k}={shown(v, table.column(k).kind)}" for k, v in values.items())
        # no one column: the message names every column of the key
        problems.append(_error(file, message, row=int(row))
                        .with_detail(words("problem.repeats_row", row=first, key=key)))
    return problems


def check_repeats(table: Table, frame: pd.DataFrame, file: str) -> list[Problem]:
    """In a table without a key (feedback, history), each row that repeats an earlier one in
    every column: a warning, as two equal entries can be real (two complaints the same day),
    but a row pasted or exported twice is counted twice."""
    if table.key or len(frame) < 2:
        return []
    message = words("problem.repeats_row_all")
    return [_error(file, message, row=row, severity=Severity.WARNING)
            .with_detail(words("problem.repeats_row_every", row=earlier))
            for row, earlier in repeated_rows(frame[list(table.column_names)])]


def duplicate_message(table: Table) -> str:
    """What a repeated key means and how to fix it: rows with amounts are summed per key
    in the table's own words (order lines of sales, parts of a spend estimate), other rows
    kept once."""
    return duplicate_words(table).said("en")


def duplicate_words(table: Table) -> Words:
    """``duplicate_message`` as Words: a table with amounts has its own label
    (``problem.repeats_key.<table>``), what its rows are. The key's columns are named by
    their headers, quoted as every message quotes a column ('account_id'); what they hold
    is said in the message's words (``problem.key_column.<column>``: per account, jaar)."""
    held = [words(f"problem.key_column.{name}") for name in table.key]
    amounts = any(c.kind is Kind.MONEY for c in table.columns if c.name not in table.key)
    fix = words(f"problem.repeats_key.{table.name}" if amounts else "problem.repeats_key.once",
                per=joined_words(held))
    columns = (words("problem.column", column=table.key[0]) if len(table.key) == 1 else
               words("problem.key_columns", columns=joined_words([f"'{k}'" for k in table.key])))
    return words("problem.repeats_key", columns=columns, fix=fix)



_REMEMBERED: ContextVar[dict[tuple[int, str], tuple[pd.DataFrame, Any]] | None] = \
    ContextVar("kamkit_remembered_ids", default=None)


@contextmanager
def remembered_ids() -> Iterator[None]:
    """Within the block, the ids of a table's column (and the contacts of each account) are
    collected once (checking every document of a large workbook asks for the same ids
    hundreds of times)."""
    token = _REMEMBERED.set({})
    try:
        yield
    finally:
        _REMEMBERED.reset(token)


def _remembered(frame: pd.DataFrame, what: str, collect: Callable[[], Any]) -> Any:
    """``collect()``, once per frame and ``what`` within ``remembered_ids``."""
    memo = _REMEMBERED.get()
    if memo is None:
        return collect()
    seen = memo.get((id(frame), what))
    if seen is not None and seen[0] is frame:
        return seen[1]
    found = collect()
    memo[(id(frame), what)] = (frame, found)  # the frame is kept: its id stays its own
    return found


def ids(tables: Tables, ref: str) -> frozenset[str]:
    """The distinct values of ``ref`` ("table.column")."""
    table, column = ref.split(".")
    frame = tables.get(table)
    if frame is None:
        return frozenset()
    found: frozenset[str] = _remembered(
        frame, column, lambda: distinct(frame[column]))
    return found


def contacts_of(tables: Tables, account_id: str) -> set[str]:
    """The contact ids of an account (grouped once within ``remembered_ids``)."""
    contacts = tables["contacts"]
    if _REMEMBERED.get() is None:
        return set(contacts.loc[contacts.account_id == account_id, "contact_id"].dropna())
    by_account: dict[str, frozenset[str]] = _remembered(
        contacts, "contact_id by account_id", lambda: {
            str(account): frozenset(group.tolist()) for account, group in
            contacts["contact_id"].dropna().groupby(contacts["account_id"], sort=False)})
    return set(by_account.get(account_id, ()))


def _isin(values: pd.Series, known: AbstractSet[str]) -> np.ndarray:
    """Which ``values`` (without NA) are in ``known``: for Arrow strings by Arrow at once
    (pandas makes an Arrow scalar of each known id first, slow for 30,000 contacts)."""
    if isinstance(values.array, pd.arrays.ArrowStringArray) and all(
            isinstance(item, str) for item in known):
        import pyarrow as pa
        import pyarrow.compute as pc

        found = pc.is_in(pa.array(values.array), value_set=pa.array(list(known), pa.string()))
        return np.array(found, dtype=np.bool_)
    return values.isin(list(known)).to_numpy(dtype=bool)


def refused_keys(raws: Mapping[str, RawTable]) -> dict[str, dict[str, Words]]:
    """The ids of the rows that could not be read (another number of cells than the
    header), for the tables with a one-column key: a reference to one is a follow-on of
    that row's error, so it points there instead of saying "unknown, did you mean"."""
    found: dict[str, dict[str, Words]] = {}
    for name, raw in raws.items():
        key = TABLES_BY_NAME[name].key
        columns = list(raw.cells.columns)
        if len(key) != 1 or not raw.dropped or key[0] not in columns:
            continue
        at = columns.index(key[0])
        found[f"{name}.{key[0]}"] = {
            cells[at].strip(): words("problem.in_refused_row", file=raw.file, row=row)
            for row, cells in sorted(raw.dropped.items(), reverse=True)  # the first row wins
            if at < len(cells) and cells[at].strip()}
    return found


def check_references(table: Table, frame: pd.DataFrame, file: str, tables: Tables,
                     unread: AbstractSet[str] = frozenset(), refused: Refused | None = None
                     ) -> list[Problem]:
    """Every id points at something that exists; ids of an unread table are not judged, an
    id of a row that could not be read points at that row (``refused``)."""
    problems = []
    for column in table.columns:
        if column.refers_to is None or column.refers_to in unread:
            continue
        known = ids(tables, column.refers_to) | set(column.extra_refs)
        target = column.refers_to.split(".")[0]
        values = frame[column.name]
        if distinct(values) <= known:
            continue
        message = words("problem.not_in_table", target=target, known=known_words(known))
        values = values.dropna()
        follow_ons = (refused or {}).get(column.refers_to, {})
        # the membership test per distinct id, the loop only over the rows that miss
        for row, value in values[~_isin(values, known)].items():
            follow_on = follow_ons.get(value)
            if follow_on is not None:
                problems.append(_error(file, follow_on, row=int(row), column=column.name,
                                       value=value))
                continue
            problems.append(_error(file, message, row=int(row), column=column.name,
                                   value=value).with_detail(did_you_mean_words(value, known)))
    return problems


def check_sales(sales: pd.DataFrame, file: str, currency: str = DEFAULT) -> list[Problem]:
    """Margin within revenue; a negative revenue (credit notes exceeding a month's sales) is
    accepted with a warning, and its margin is not judged against it."""
    negative = sales["revenue"] < 0
    over = (sales["gross_margin"] > sales["revenue"]) & ~negative
    return [
        _error(file, words("problem.margin_over_revenue",
                           revenue=float(sales.at[row, "revenue"]), currency=currency),
               row=int(row),
               column="gross_margin", value=_number_as_written(sales, int(row), "gross_margin"))
        for row in sales.index[over.fillna(False).to_numpy()]
    ] + [
        _error(file, words("problem.negative_revenue"), row=int(row),
               column="revenue", value=_number_as_written(sales, int(row), "revenue"),
               severity=Severity.WARNING)
        for row in sales.index[negative.fillna(False).to_numpy()]
    ]


def check_spend(tables: Tables, files: dict[str, str], currency: str = DEFAULT
                ) -> list[Problem]:
    """Shares fit inside their cell's estimate; our sales plus the shares do too (warning)."""
    spend, shares = tables.get("spend"), tables.get("spend_shares")
    if spend is None or shares is None or _spend_fits(spend, shares, tables.get("sales")):
        return []
    problems: list[Problem] = []
    cells = spend.dropna(subset=CELL).reset_index().drop_duplicates(CELL).set_index(CELL)
    known = shares.dropna(subset=CELL)
    orphan = ~pd.MultiIndex.from_frame(known[CELL]).isin(cells.index)
    for row, cell in known.loc[orphan, CELL].iterrows():
        problems.append(_error(
                files["spend_shares"], words(
                    "problem.share_without_total", account=cell.account_id, year=str(cell.year),
                    service=cell.service, location=cell.location, file=files["spend"]),
                row=int(row), column="spend"))
    held = known.groupby(CELL)[["spend"]].sum().rename(columns={"spend": "held"})
    merged = held.join(cells[["spend", "row"]], how="inner")
    over = merged[merged.held > merged.spend + 0.005]
    # the rows of a cell, only for the cells that are over (rarely any)
    flagged = known[pd.MultiIndex.from_frame(known[CELL]).isin(over.index)]
    rows_of = {cell: list(group.index) for cell, group in flagged.groupby(CELL, sort=False)}
    for cell, item in over.iterrows():
        item_rows = rows_of[cell]
        rows = ", ".join(str(r) for r in item_rows)
        problems.append(_error(
            files["spend_shares"],
            words("problem.shares_over_total", cell=", ".join(str(c) for c in cell),
                  rows=rows, held=float(item.held), total=float(item.spend),
                  row=int(item.row), file=files["spend"], currency=currency),
            row=int(item_rows[0]),
            column="spend"))
    sales = tables.get("sales")
    if sales is None or sales.empty:
        return problems
    ours = (sales.dropna(subset=["month", "account_id", "service", "location", "revenue"])
            .assign(year=lambda f: f.month.dt.year)
            .groupby(CELL)["revenue"].sum().rename("ours"))
    totals = cells[["spend", "row"]].join(ours, how="inner").join(held[["held"]])
    totals["held"] = totals["held"].fillna(0.0)
    for cell, item in totals[totals.ours + totals.held > totals.spend + 0.005].iterrows():
        problems.append(_error(
            files["spend"],
            words("problem.ours_over_total", cell=", ".join(str(c) for c in cell),
                  ours=float(item.ours), held=float(item.held), currency=currency),
            row=int(item.row), column="spend",
            value=_number_as_written(spend, int(item.row), "spend", "{:.0f}"),
            severity=Severity.WARNING))
    return problems


_EPSILON = 2.0 ** -52


def _sums(keys: np.ndarray, values: np.ndarray,
          size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per key below ``size`` (-1: no key): the plain sum of its values (missing ones left
    out), a bound on how far pandas' compensated sum of them lies from it, and whether any
    row has the key."""
    keyed = keys >= 0
    rows = np.bincount(keys[keyed], minlength=size) > 0
    keep = keyed & ~np.isnan(values)
    keys, values = keys[keep], values[keep]
    total = np.bincount(keys, weights=values, minlength=size)
    magnitude = np.bincount(keys, weights=np.abs(values), minlength=size)
    count = np.bincount(keys, minlength=size)
    return total, (count + 4) * 2 * _EPSILON * magnitude, rows


def _spend_fits(spend: pd.DataFrame, shares: pd.DataFrame, sales: pd.DataFrame | None) -> bool:
    """Whether ``check_spend`` surely finds nothing: every share's cell has an estimate,
    and the shares (with our sales) stay inside it by more than rounding could change.
    False when that is not sure: ``check_spend`` then looks at each cell."""
    tables: list[list[pd.Series | np.ndarray]] = [[spend[name] for name in CELL],
                                                  [shares[name] for name in CELL]]
    revenue: np.ndarray | None = None
    if sales is not None and not sales.empty:
        revenue = sales["revenue"].to_numpy(dtype=np.float64, na_value=np.nan)
        months = sales["month"].to_numpy(dtype="datetime64[s]")
        sold = ~np.isnat(months) & ~np.isnan(revenue)  # with a year and an amount
        years = pd.array(months.astype("datetime64[Y]").astype(np.int64) + 1970, dtype="Int64")
        years[~sold] = pd.NA
        tables.append([sales["account_id"], years, sales["service"], sales["location"]])
    found = joint_keys(tables)
    if found is None:
        return False
    cells, held_keys = found[0], found[1]
    filled = np.flatnonzero(cells >= 0)
    unique_cells, first = np.unique(cells[filled], return_index=True)
    if not np.all(np.isin(held_keys[held_keys >= 0], unique_cells)):
        return False  # a share without an estimate
    # the first estimate of each cell, as ``check_spend`` keeps it; NaN is never exceeded
    totals = spend["spend"].to_numpy(dtype=np.float64, na_value=np.nan)[filled[first]]
    judged = ~np.isnan(totals)
    held, held_slack, has_shares = _sums(_positions(held_keys, unique_cells), shares[
        "spend"].to_numpy(dtype=np.float64, na_value=np.nan), len(unique_cells))
    room = totals + 0.005 - 2 * _EPSILON * (np.abs(held) + np.abs(totals) + 1)
    if np.any(judged & has_shares & (held + held_slack > room)):
        return False
    if revenue is None:
        return True
    ours, ours_slack, sold_any = _sums(_positions(found[2], unique_cells), revenue,
                                       len(unique_cells))
    room -= 2 * _EPSILON * np.abs(ours)
    return not np.any(judged & sold_any & (ours + ours_slack + held + held_slack > room))


def _positions(keys: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Where each key is in the sorted ``known``; -1 for no key or one not known."""
    at = np.searchsorted(known, keys)
    found = (keys >= 0) & (at < len(known))
    found[found] = known[at[found]] == keys[found]
    return np.where(found, at, -1)


UNKNOWABLE = ("level", "buying_role", "attitude", "influence")
"""Contact columns a CRM export may not hold: ``unknown`` until a person fills them."""


def check_contacts(contacts: pd.DataFrame, file: str,
                   known_accounts: AbstractSet[str] | None = None) -> list[Problem]:
    """reports_to stays inside the account and forms no cycle; an unknown level, role,
    attitude or influence is a warning.

    A contact whose account is not in ``known_accounts`` (None: not read) is
    not judged for reports_to: its account_id is the error (reported by the reference
    rule), and fixing it ends the "other account" too.

    Only contacts whose id appears once are judged for reports_to: a repeated contact_id is
    reported by ``check_keys`` as a repeat, and which of its rows another points at is
    unknown (it would otherwise show as a cycle or a foreign boss that is not there).
    """
    problems = []
    unknown = np.array([contacts[c].to_numpy(dtype=object, na_value=None) == UNKNOWN
                        for c in UNKNOWABLE], dtype=bool).reshape(len(UNKNOWABLE), -1)
    for at in np.flatnonzero(unknown.any(axis=0)):
        which = [c for c, flags in zip(UNKNOWABLE, unknown, strict=True) if flags[at]]
        problems.append(_error(file, words("problem.contact_unknown", which=", ".join(which)),
                               row=int(contacts.index[at]), column=which[0],
                               value=UNKNOWN, severity=Severity.WARNING))
    # plain lists and dicts by contact id (unique here): a lookup per contact, not pandas
    ids = contacts["contact_id"].to_numpy(dtype=object, na_value=None).tolist()
    times = Counter(ids)
    named = [at for at, contact in enumerate(ids) if contact is not None and times[contact] == 1]
    accounts = contacts["account_id"].tolist()
    reports_to = contacts["reports_to"].tolist()
    account_of = {ids[at]: accounts[at] for at in named}
    boss_of = {ids[at]: reports_to[at] for at in named if pd.notna(reports_to[at])}
    row_of = {ids[at]: row for at, row in zip(named, contacts.index[named], strict=True)}
    for contact, boss in boss_of.items():
        if boss not in account_of:
            continue  # reported by the reference rule, or a repeated id (check_keys)
        theirs, ours = account_of[boss], account_of[contact]
        if known_accounts is not None and not {theirs, ours} <= known_accounts:
            continue  # a follow-on of an unknown account_id (reported in its row)
        if pd.notna(theirs) and pd.notna(ours) and theirs != ours:
            problems.append(_error(file, words("problem.reports_abroad", account=str(theirs)),
                                   row=int(row_of[contact]),
                                   column="reports_to", value=boss))
    reported: set[str] = set()
    for start in boss_of:
        seen = [start]
        node = start
        while node in boss_of and node not in reported:
            node = boss_of[node]
            if node == start:
                chain = " -> ".join([*seen, start])
                problems.append(_error(file, words("problem.reports_cycle", chain=chain),
                                       row=int(row_of[start]), column="reports_to",
                                       value=boss_of[start]))
                reported.update(seen)
                break
            if node in seen:
                break
            seen.append(node)
    return problems


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def check_emails(frame: pd.DataFrame, file: str) -> list[Problem]:
    """An e-mail address looks like one (a warning: it is only shown, never sent to)."""
    if "email" not in frame.columns:
        return []
    return [_error(file, words("problem.email"),
                   row=int(row), column="email", value=value, severity=Severity.WARNING)
            for row, value in frame["email"].dropna().items()
            if str(value).strip() and not _EMAIL.fullmatch(str(value).strip())]


def check_countries(table: Table, frame: pd.DataFrame, file: str) -> list[Problem]:
    """A country column holds ISO 3166 two-letter codes; ``unknown`` is a warning until a
    person fills it; a name (France) or a postal code is an error naming the value."""
    problems = []
    for column in table.columns:
        if not column.iso_country or column.name not in frame.columns:
            continue
        for row, value in frame[column.name].dropna().items():
            text = str(value)
            if text == UNKNOWN:
                problems.append(_error(file, words("problem.country_unknown"),
                                       row=int(row), column=column.name,
                                       severity=Severity.WARNING))
            elif not is_iso_code(text):
                code = country_code(text)
                problems.append(_error(
                    file, words("problem.country_code", unknown=UNKNOWN), row=int(row),
                    column=column.name, value=text,
                ).with_detail(words("problem.did_you_mean", code=code) if code else NO_WORDS))
    return problems


def check_placeholders(tables: Tables, files: dict[str, str],
                       manifest: Manifest) -> list[Problem]:
    """A cell ``kamkit import`` wrote as a placeholder (the manifest's record) and nobody
    has changed since is a warning: fill it in. A cell that differs from the record was
    filled by a person."""
    problems = []
    for name, rows in manifest.placeholders.items():
        frame = tables.get(name)
        table = TABLES_BY_NAME.get(name)
        if frame is None or table is None or len(table.key) != 1 or frame.empty:
            continue
        source_row = pd.Series(frame.index, index=frame[table.key[0]].to_numpy())
        source_row = source_row[~source_row.index.duplicated()]
        for code, columns in rows.items():
            if code not in source_row.index:
                continue
            row = int(source_row[code])
            written = manifest.rows.get(name, {}).get(code, {})
            for column in columns:
                if column not in frame.columns or column not in written:
                    continue
                spec = table.column(column)
                if spec.iso_country or UNKNOWN in spec.choices:
                    continue  # `unknown` there has its own warning (a country, a contact)
                if _same(frame.at[row, column], written[column], spec.kind):
                    problems.append(_error(
                        files[name], words("problem.placeholder" if spec.required
                                           or not written[column]
                                           else "problem.placeholder_optional"), row=row,
                        column=column, value=written[column] or None,
                        severity=Severity.WARNING))
    return problems


def _same(value: object, written: str, kind: Kind) -> bool:
    """Whether a typed cell still holds what the manifest recorded as written."""
    if pd.isna(value):
        return written.strip() == ""
    if kind in (Kind.NUMBER, Kind.MONEY, Kind.INTEGER, Kind.YEAR):
        try:
            return float(value) == float(written.replace(",", "."))  # type: ignore[arg-type]
        except ValueError:
            return False
    return str(value) == written.strip()


def check_feedback(feedback: pd.DataFrame, file: str) -> list[Problem]:
    problems = []
    missing = (feedback["kind"] == "satisfaction") & feedback["score"].isna()
    for row in feedback.index[missing.fillna(False).to_numpy()]:
        problems.append(_error(file, words("problem.satisfaction_score"),
                               row=int(row), column="score", value=""))
    early = feedback["closed"] < feedback["date"]
    for row in feedback.index[early.fillna(False).to_numpy()]:
        problems.append(_error(file, words("problem.closed_early",
                                           date=_date_as_written(feedback, int(row), "date")),
                               row=int(row), column="closed",
                               value=written_cell(feedback, int(row), "closed")
                               or f"{feedback.at[row, 'closed']:%Y-%m-%d}"))
    return problems


def _number_as_written(frame: pd.DataFrame, row: int, column: str,
                       plain: str = "{:.2f}") -> str:
    """A number cell in a message as its text says it ('1,051,000', '1.234,50'), else
    kamkit's reading written ``plain``."""
    return written_cell(frame, row, column) or plain.format(frame.at[row, column])


def _date_as_written(frame: pd.DataFrame, row: int, column: str) -> str | Words:
    """A date cell in a message: YYYY-MM-DD where it is written so, else its text with
    kamkit's reading of it ('08/09/2021', read as 8 September 2021)."""
    day = frame.at[row, column]
    text = written_cell(frame, row, column)
    if text is None:
        return f"{day:%Y-%m-%d}"
    return words("problem.date.read_as", text=text, day=str(day.day),
                 month=MonthName(day.month), year=str(day.year))


def check_tables(tables: Tables, files: dict[str, str],
                 unread: AbstractSet[str] = frozenset(), currency: str = DEFAULT,
                 refused: Refused | None = None) -> list[Problem]:
    """All table rules, in the order of the schema. ``unread`` names "table.column"s that
    were missing from the source (already reported): rules that need them are skipped.
    Amounts in messages are in ``currency``, the workbook's. A reference to a row that
    could not be read points at it (``refused``, from ``refused_keys``)."""
    problems: list[Problem] = []
    for table in TABLES:
        frame = tables.get(table.name)
        if frame is None:
            continue
        problems += check_keys(table, frame, files[table.name])
        problems += check_repeats(table, frame, files[table.name])
        problems += check_references(table, frame, files[table.name], tables, unread,
                                     refused)
        problems += check_emails(frame, files[table.name])
        problems += check_countries(table, frame, files[table.name])
    if "sales" in tables:
        problems += check_sales(tables["sales"], files["sales"], currency)
    problems += check_spend(tables, files, currency)
    if "contacts" in tables:
        accounts = (None if "accounts.account_id" in unread
                    else ids(tables, "accounts.account_id"))
        problems += check_contacts(tables["contacts"], files["contacts"], accounts)
    if "feedback" in tables:
        problems += check_feedback(tables["feedback"], files["feedback"])
    if "criteria" in tables:
        problems += check_criteria(tables["criteria"], files["criteria"])
        if "judgements" in tables:
            problems += check_judgements(tables["judgements"], tables["criteria"],
                                         files["judgements"], files["criteria"])
    return problems


def _unique(label: str, items: Iterable[tuple[str, str]]) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for where, item_id in items:
        if item_id in seen:
            problems.append(_error(label, words("problem.id_twice", id=repr(item_id),
                                                where=seen[item_id]),
                                   location=where, value=item_id))
        seen[item_id] = where
    return problems


def _refs(label: str, items: Iterable[tuple[str, str]], known: AbstractSet[str] | None,
          what: Words, severity: Severity = Severity.ERROR,
          follow_ons: Mapping[str, Words] | None = None) -> list[Problem]:
    """A problem for each reference not in ``known``; None means the target table could not
    be read (reported already), so nothing is judged. An id in ``follow_ons`` (of a row that
    could not be read) says that instead."""
    if known is None:
        return []
    follow_ons = follow_ons or {}
    problems = []
    for where, value in items:
        if value in known:
            continue
        message = follow_ons.get(value) or words(
            "problem.unknown_reference", what=what, hint=hint_words(value, known))
        problems.append(_error(label, message, location=where, value=value,
                               severity=severity))
    return problems


def _counterparts(label: str, items: Iterable[tuple[str, str]], own: AbstractSet[str] | None,
                  account: str, tables: Tables, file: str, accounts: AbstractSet[str] | None,
                  follow_ons: Mapping[str, Words]) -> list[Problem]:
    """A problem for each counterpart not among the account's ``own`` contacts. One that is
    in contacts under another account says where, not "did you mean" another of ours: the
    fix is there (its account_id), or the contact belongs to another account."""
    if own is None:
        return []
    missing = [(where, value) for where, value in items if value not in own]
    if not missing:
        return []
    contacts = tables["contacts"]
    listed = contacts[contacts["contact_id"].isin([value for _, value in missing])]
    found = {value: (int(row), other) for row, value, other in
             zip(listed.index[::-1], listed["contact_id"][::-1], listed["account_id"][::-1],
                 strict=True)}  # reversed: the first row of a repeated id wins
    problems = []
    for where, value in missing:
        if value not in found:
            problems += _refs(label, [(where, value)], own,
                              words("problem.what.contact", account=account, file=file),
                              follow_ons=follow_ons)
            continue
        row, other = found[value]
        if pd.isna(other):
            message = words("problem.contact_account_unread", file=file, row=row)
        elif accounts is not None and other not in accounts:
            message = words("problem.contact_account_unknown", file=file, row=row,
                            value=repr(str(other)))
        else:
            message = words("problem.contact_elsewhere", account=str(other), file=file,
                            row=row, own=account)
        problems.append(_error(label, message, location=where, value=value))
    return problems


def check_document(doc: AccountDocument, label: str, stem: str, tables: Tables,
                   unread: AbstractSet[str] = frozenset(), currency: str = DEFAULT,
                   files: Mapping[str, str] | None = None, refused: Refused | None = None
                   ) -> list[Problem]:
    """A document's ids are unique and every reference in it resolves (references into an
    unread table are not judged; one to a row that could not be read points at it:
    ``refused``). ``files`` names each table's source in messages ("contacts.csv",
    "book.xlsx[contacts]"); by default the CSV file names."""
    problems: list[Problem] = []
    refused = refused or {}
    files = files or {table.name: table.file_name for table in TABLES}
    accounts = ids(tables, "accounts.account_id")
    if doc.account_id != stem:
        problems.append(_error(label, words("problem.account_file", stem=stem),
                               location="account_id", value=doc.account_id))
    refused_accounts = refused.get("accounts.account_id", {})
    if "accounts.account_id" not in unread and doc.account_id not in accounts:
        message = refused_accounts.get(doc.account_id) or words(
            "problem.not_in_table", target="accounts",
            known=hint_words(doc.account_id, accounts))
        problems.append(_error(label, message, location="account_id", value=doc.account_id))
    analysis = doc.analysis
    swot = [(f"analysis.{name}.{part}[{i}].id", item.id)
            for name in ("swot_account", "swot_ours")
            for part in ("strengths", "weaknesses", "opportunities", "threats")
            for i, item in enumerate(getattr(getattr(analysis, name), part))]
    conclusions = [(f"analysis.conclusions[{i}].id", c.id)
                   for i, c in enumerate(analysis.conclusions)]
    problems += _unique(label, swot + conclusions)
    problems += _refs(label, ((f"analysis.conclusions[{i}].based_on", ref)
                              for i, c in enumerate(analysis.conclusions) for ref in c.based_on),
                      {s for _, s in swot}, words("problem.what.swot_item"))
    plan = doc.plan
    if plan is None:
        return problems
    # None: the table could not be read, so references into it are not judged
    people = None if "team.person_id" in unread else ids(tables, "team.person_id")
    own_contacts = (None if "contacts.contact_id" in unread
                    else contacts_of(tables, doc.account_id))
    if plan.period.end <= plan.period.start:
        problems.append(_error(label, words("problem.period_order"),
                               location="plan.period.end", value=plan.period.end))
    objectives = [(f"plan.objectives[{i}].id", o.id) for i, o in enumerate(plan.objectives)]
    actions = [(f"plan.actions[{i}].id", a.id) for i, a in enumerate(plan.actions)]
    problems += _unique(label, objectives + actions)
    problems += _refs(label, ((f"plan.objectives[{i}].conclusions", ref)
                              for i, o in enumerate(plan.objectives) for ref in o.conclusions),
                      {c for _, c in conclusions}, words("problem.what.conclusion"))
    problems += _refs(label, ((f"plan.objectives[{i}].metric", o.metric)
                              for i, o in enumerate(plan.objectives) if o.metric),
                      set(METRICS), words("problem.what.metric"),
                      Severity.WARNING)
    problems += [_error(label, words("problem.target_below_zero", metric=o.metric),
                        location=f"plan.objectives[{i}].target", value=f"{o.target:g}",
                        severity=Severity.WARNING)
                 for i, o in enumerate(plan.objectives)
                 if o.target is not None and o.target < 0 and o.metric in METRICS
                 and o.metric not in SIGNED_METRICS]
    for part, ref in (("service", "services.service"), ("location", "locations.location")):
        problems += _refs(label, ((f"plan.objectives[{i}].scope.{part}", getattr(o.scope, part))
                                  for i, o in enumerate(plan.objectives)
                                  if getattr(o.scope, part)), ids(tables, ref),
                          words(f"problem.what.{part}"))
    problems += _refs(label, [(f"plan.objectives[{i}].owner", o.owner)
                              for i, o in enumerate(plan.objectives) if o.owner]
                      + [(f"plan.actions[{i}].owner", a.owner)
                         for i, a in enumerate(plan.actions) if a.owner]
                      + [(f"plan.team[{i}].person", m.person) for i, m in enumerate(plan.team)],
                      people, words("problem.what.person", file=files["team"]),
                      follow_ons=refused.get("team.person_id"))
    problems += _refs(label, ((f"plan.actions[{i}].objective", a.objective)
                              for i, a in enumerate(plan.actions) if a.objective),
                      {o for _, o in objectives}, words("problem.what.objective"))
    problems += _counterparts(
        label, ((f"plan.team[{i}].counterparts", c)
                for i, m in enumerate(plan.team) for c in m.counterparts),
        own_contacts, doc.account_id, tables, files["contacts"],
        None if "accounts.account_id" in unread else accounts,
        refused.get("contacts.contact_id", {}))
    months = [(f"plan.targets.monthly[{i}].month", m.month)
              for i, m in enumerate(plan.targets.monthly)]
    for measure in ("revenue", "gross_margin"):
        annual = getattr(plan.targets.annual, measure)
        listed = sum(getattr(m, measure) for m in plan.targets.monthly)
        if annual is not None and plan.targets.monthly and listed > annual + 0.005:
            problems.append(_error(
                label, words("problem.monthly_over_annual", listed=float(listed),
                             annual=float(annual), currency=currency),
                location=f"plan.targets.annual.{measure}", value=f"{annual:.0f}",
                severity=Severity.WARNING))
    problems += _unique(label, months)
    first, last = plan.period.start.strftime("%Y-%m"), plan.period.end.strftime("%Y-%m")
    problems += [_error(label, words("problem.outside_period", first=first, last=last),
                        location=where,
                        value=month, severity=Severity.WARNING)
                 for where, month in months if not first <= month <= last]
    return problems


__all__ = ["TABLES_BY_NAME", "check_document", "check_tables"]
