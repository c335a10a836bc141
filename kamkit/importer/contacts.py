"""A CRM contacts export into ``contacts.csv``: ``kamkit import EXPORT --contacts``.

Each line is a person at a customer. The customer is found as the sales import coded it (the
manifest), else by account id or by name in accounts.csv. What a CRM does not hold (level,
buying role, attitude, influence) is written as ``unknown``: validation warns until a person
fills it in. The manager column becomes ``reports_to`` where the manager is a contact of the
same account. As with sales, the manifest records each row written, so a contact a person
edited is never overwritten, and the same export imported twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kamkit.errors import KamkitError
from kamkit.importer.codes import unique
from kamkit.importer.mapping import ContactsMapping, ImportMapping, mapping_of
from kamkit.importer.merge import FilePlan, current_rows, open_table, plan_reference
from kamkit.importer.reconcile import Skipped, group_skipped, rows_text
from kamkit.importer.reference import RefRow
from kamkit.importer.source import read_raw, require_columns
from kamkit.importer.write import target_folder, trial, write
from kamkit.labels import labels
from kamkit.manifest import read_manifest
from kamkit.parsing import parse_table
from kamkit.problems import Problem, Severity
from kamkit.readers import RawTable
from kamkit.rules import UNKNOWABLE
from kamkit.schema import TABLES_BY_NAME, UNKNOWN, Column, Kind, Table

_LABEL_PREFIX = {"level": "level.", "buying_role": "role.", "attitude": "attitude.",
                 "influence": "influence."}


@dataclass(frozen=True)
class ContactsResult:
    """What a contacts import changed (or would change)."""

    workbook: Path
    dry_run: bool
    written: bool
    plan: FilePlan
    read: int
    skipped: tuple[Skipped, ...]
    unknown: dict[str, int]  # column -> contacts written with it unknown
    warnings: tuple[Problem, ...]
    errors: tuple[Problem, ...]

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def lines(self) -> list[str]:
        plan = self.plan
        verb = ("changed" if self.written else "would change" if self.dry_run or self.errors
                else "unchanged")  # a real import with nothing to write changed nothing
        out = [f"{'Dry run: ' if self.dry_run else ''}{self.workbook}: contacts.csv {verb}: "
               f"{len(plan.added)} added, {len(plan.changed)} updated, "
               f"{len(plan.kept_edited)} edited by a person and kept, "
               f"{len(plan.kept_own)} written by a person and kept"]
        skipped = sum(s.count for s in self.skipped)
        out.append(f"  lines read {self.read}, skipped {skipped}")
        for group in self.skipped:
            out.append(f"    {group.count} x column '{group.column}': {group.reason} "
                       f"({rows_text(group.rows)})")
        for column, count in self.unknown.items():
            out.append(f"  {count} contact(s) with {column} unknown: fill it in contacts.csv")
        if self.warnings:
            out.append(f"Warnings ({len(self.warnings)}):")
            out += [f"  {w}" for w in self.warnings[:20]]
        if self.errors:
            out.append(f"Nothing was written: the import would leave {len(self.errors)} "
                       "error(s) in the workbook:")
            out += [f"  {e}" for e in self.errors[:20]]
        return out


def _choices(column: str) -> dict[str, str]:
    """Every way a CRM may write a choice: the value itself, its words in en and nl."""
    choices = TABLES_BY_NAME["contacts"].column(column).choices
    known: dict[str, str] = {}
    for choice in choices:
        known[choice.replace("_", " ")] = choice
        for text in labels().get(_LABEL_PREFIX[column] + choice, {}).values():
            if isinstance(text, str):
                known[text.casefold()] = choice
    return known


def _choice(value: str, column: str) -> str | None:
    """The choice a cell names, None where it names none; an empty cell is unknown."""
    text = " ".join(value.replace("_", " ").replace("-", " ").casefold().split())
    return UNKNOWN if not text else _choices(column).get(text)


def _accounts(folder: Path, codes: dict[str, str]) -> dict[str, str]:
    """Export value -> account id: the sales import's codes, the ids and (without case) the
    names of accounts.csv."""
    known = current_rows(open_table(folder, TABLES_BY_NAME["accounts"])[0])
    found = {cells.get("name", "").casefold(): code for code, (_, cells) in known.items()}
    found.update({code.casefold(): code for code in known})
    found.update({value.casefold(): code for value, code in codes.items() if code in known})
    return found


def _typed(raw: RawTable, mapping: ContactsMapping, problems: list[Problem]) -> pd.DataFrame:
    columns = mapping.columns()
    require_columns(raw, columns)
    names = list(dict.fromkeys(columns.values()))
    table = Table("contacts export", "", tuple(
        Column(c, Kind.TEXT, "", "", required=c in (mapping.name, mapping.account))
        for c in names), key=())
    typed = parse_table(RawTable(raw.name, raw.file, raw.cells[names], raw.separator), table,
                        problems)
    return pd.DataFrame({field: typed[column].fillna("").astype(str).str.strip()
                         for field, column in columns.items()}, index=typed.index)


def import_contacts(export: str | Path, mapping: ContactsMapping | ImportMapping | str | Path,
                    workbook: str | Path, *, dry_run: bool = False) -> ContactsResult:
    """Import a CRM contacts export into the contacts of a workbook folder.

    Raises
    ------
    KamkitError
        For an export or mapping that cannot be used, or a workbook without accounts.
    """
    folder = target_folder(workbook)
    mapping = mapping_of(mapping, ContactsMapping)
    problems: list[Problem] = []
    raw = read_raw(Path(export), mapping.sheet, problems)
    lines = _typed(raw, mapping, problems)
    manifest = read_manifest(folder)
    accounts = _accounts(folder, manifest.codes.get("accounts", {}))
    if not accounts:
        raise KamkitError(f"{folder} has no accounts yet: import the sales export first (or "
                          "write accounts.csv), then the contacts.")
    skipped = [p for p in problems if p.severity is Severity.ERROR and p.row is not None]
    warnings = [p for p in problems if p.severity is Severity.WARNING]
    lines = lines.drop(index=list({p.row for p in skipped} & set(lines.index)))
    existing = current_rows(open_table(folder, TABLES_BY_NAME["contacts"])[0])
    by_person = {(cells.get("account_id", ""), cells.get("email", "").casefold()
                  or cells.get("name", "").casefold()): code
                 for code, (_, cells) in existing.items()}
    taken = {*existing, *manifest.rows.get("contacts", {})}
    codes = manifest.codes.setdefault("contacts", {})
    rows: dict[str, RefRow] = {}
    people: dict[tuple[str, str], str] = {}  # (account, name or e-mail) -> contact id
    managers: dict[str, tuple[str, str, int]] = {}  # contact id -> (account, manager, row)
    for row, line in lines.iterrows():
        account = accounts.get(line["account"].casefold())
        if account is None:
            skipped.append(Problem(Severity.ERROR, raw.file, "is not an account of the "
                                   "workbook (by the sales import's codes, id or name).",
                                   int(row), mapping.account, line["account"]))
            continue
        email = line.get("email", "")
        key = f"{account}|{email.casefold() or line['name'].casefold()}"
        code = codes.get(key) or by_person.get((account, email.casefold()
                                                or line["name"].casefold()))
        if code is None:
            count = sum(c.startswith(f"{account}-C") for c in taken) + 1
            code = unique(f"{account}-C{count:02d}", taken)
        if code in rows:
            skipped.append(Problem(Severity.ERROR, raw.file, "repeats a contact of an earlier "
                                   "line (same account and e-mail or name).", int(row),
                                   mapping.name, line["name"]))
            continue
        taken.add(code)
        codes[key] = code
        values: dict[str, object] = {"contact_id": code, "account_id": account,
                                     "name": line["name"], "title": line.get("title", ""),
                                     "department": line.get("department", ""),
                                     "email": email}
        for column in UNKNOWABLE:
            value = line.get(column, "")
            choice = _choice(value, column)
            if choice is None:
                warnings.append(Problem(Severity.WARNING, raw.file, f"is no {column} kamkit "
                                        "knows; written as unknown.", int(row),
                                        getattr(mapping, column), value))
                choice = UNKNOWN
            values[column] = choice
        rows[code] = RefRow(values, tuple(c for c in UNKNOWABLE if values[c] == UNKNOWN))
        for name in (line["name"], email):
            if name:
                people[(account, name.casefold())] = code
        if line.get("manager"):
            managers[code] = (account, line["manager"], int(row))
    for (account, who), code in by_person.items():
        people.setdefault((account, who), code)
    for code, (account, manager, row) in managers.items():
        boss = people.get((account, manager.casefold()))
        if boss is None or boss == code:
            warnings.append(Problem(Severity.WARNING, raw.file, "is no other contact of the "
                                    "same account; reports_to left empty.", row,
                                    mapping.manager, manager))
            continue
        rows[code] = RefRow({**rows[code].values, "reports_to": boss}, rows[code].placeholders)
    plan = plan_reference(folder, "contacts", rows, manifest)
    _, errors = trial(folder, [plan])
    written = False
    if plan.write is not None and not dry_run and not errors:
        write(folder, [plan], manifest)
        written = True
    unknown = {c: sum(c in r.placeholders for r in rows.values()) for c in UNKNOWABLE}
    return ContactsResult(folder, dry_run, written, plan, len(raw.cells),
                          tuple(group_skipped(skipped)), {c: n for c, n in unknown.items() if n},
                          tuple(warnings), tuple(errors))
