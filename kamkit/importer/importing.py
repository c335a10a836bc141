"""``import_export``: one export into a workbook folder, from reading to reconciliation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kamkit.errors import KamkitError
from kamkit.importer.aggregate import aggregate
from kamkit.importer.mapping import ContactsMapping, ImportMapping, mapping_of
from kamkit.importer.merge import (
    FilePlan,
    current_rows,
    open_table,
    plan_empty,
    plan_reference,
    plan_sales,
)
from kamkit.importer.reconcile import (
    Reconciliation,
    group_skipped,
    per_year,
    skipped_per_year,
)
from kamkit.importer.reference import assign_codes, reference_rows
from kamkit.importer.source import read_export
from kamkit.importer.write import target_folder, trial, write
from kamkit.manifest import REFERENCE_TABLES, Manifest, read_manifest
from kamkit.problems import Problem, Severity, listed
from kamkit.schema import TABLES, TABLES_BY_NAME
from kamkit.settings import (
    FORMAT_VERSION,
    SETTINGS_FILE,
    Settings,
    read_settings,
    settings_file,
    settings_text,
)


@dataclass(frozen=True)
class ImportResult:
    """What an import changed (or, in a dry run, would change) and its reconciliation."""

    workbook: Path
    dry_run: bool
    written: bool
    files: tuple[FilePlan, ...]
    reconciliation: Reconciliation
    warnings: tuple[Problem, ...]
    errors: tuple[Problem, ...]  # errors the import would add to the workbook: not written
    placeholders: dict[str, int]  # table -> rows that still hold a placeholder
    months: tuple[str, ...]  # the months the export covers, YYYY-MM

    @property
    def exit_code(self) -> int:
        """0 imported (or would be), 1 the import would leave the workbook with errors."""
        return 1 if self.errors else 0

    def lines(self, warnings_shown: int = 20) -> list[str]:
        """The result as text: the changes per file, warnings, errors, the reconciliation."""
        # a real import that wrote nothing (every change was a row a person edited, kept)
        # changed nothing; only a dry run or a refused import "would" change
        verb = ("changed" if self.written else "would change" if self.dry_run or self.errors
                else "changed nothing in")
        out = [f"{'Dry run: ' if self.dry_run else ''}{self.workbook}:"]
        for plan in self.files:
            parts = [f"{len(items)} {what}" for items, what in (
                (plan.added, "added"), (plan.changed, "updated"), (plan.removed, "removed"))
                if items]
            if plan.kept_edited:
                parts.append(f"{len(plan.kept_edited)} edited by a person, kept as they are "
                             f"({', '.join(plan.kept_edited[:5])})")
            if plan.write is None and not plan.kept_edited:
                continue
            change = ", ".join(parts) or ("created empty" if plan.created else "rewritten")
            if plan.table == "settings":
                change = f"created ({', '.join(plan.added)})"
            months = (f" (the months {self.months[0]} to {self.months[-1]})"
                      if plan.table == "sales" else "")
            out.append(f"  {plan.path.name}{months}: {change}")
        if len(out) == 1:
            out.append("  nothing to change: the workbook already holds this export")
        else:
            out[0] += f" the import {verb} these files"
        for table, count in self.placeholders.items():
            out.append(f"  {count} row(s) of {table}.csv hold placeholders to fill in (listed "
                       "in kamkit-import.yaml under placeholders)")
        if self.warnings:
            out.append(f"Warnings ({len(self.warnings)}):")
            out += listed(self.warnings, warnings_shown)
        if self.errors:
            out.append(f"Nothing was written: the import would leave {len(self.errors)} "
                       "error(s) in the workbook:")
            out += listed(self.errors)
        out += self.reconciliation.lines()
        return out


MARGIN_UNKNOWN = "unknown (left empty)"
_MARGIN_AS_ZERO = "unknown (written as 0)"  # before the workbook could hold an unknown margin


def _zero_margin_months(manifest: Manifest) -> set[pd.Timestamp]:
    """The months earlier imports wrote an unknown margin as 0 in; their records say
    "left empty" from now on (the import that calls this empties them)."""
    found: set[pd.Timestamp] = set()
    for record in manifest.imports:
        if record.get("margin") != _MARGIN_AS_ZERO:
            continue
        first, _, last = str(record.get("months", "")).partition(" to ")
        try:
            found |= set(pd.period_range(first, last or first, freq="M").to_timestamp())
        except ValueError:
            continue  # a record a person garbled: nothing to migrate by it
        record["margin"] = MARGIN_UNKNOWN
    return found


def _statuses(folder: Path, merged: pd.DataFrame, key_accounts: int | None,
              accounts: list[str]) -> dict[str, str]:
    """Each account's status: as the workbook has it, or by revenue rank with
    ``key_accounts``: the top N of the workbook's sales are key accounts."""
    csv, _ = open_table(folder, TABLES_BY_NAME["accounts"])
    status = {code: cells.get("status", "other") or "other"
              for code, (_, cells) in current_rows(csv).items()}
    if key_accounts is None:
        return status
    revenue = merged.groupby("account_id")["revenue"].sum().sort_values(
        ascending=False, kind="stable")
    top = set(revenue.index[:key_accounts])
    return {**status, **{a: "key_account" if a in top else "other" for a in accounts}}


def _placeholders(folder: Path, manifest: Manifest) -> dict[str, int]:
    """Per table, the rows that will still hold a placeholder the import wrote."""
    counts: dict[str, int] = {}
    for table in REFERENCE_TABLES:
        current = current_rows(open_table(folder, TABLES_BY_NAME[table])[0])
        recorded = manifest.rows.get(table, {})
        count = sum(
            code not in current or any(current[code][1].get(c, "") == recorded[code].get(c)
                                       for c in columns)
            for code, columns in manifest.placeholders.get(table, {}).items()
            if code in recorded)
        if count:
            counts[table] = count
    return counts


def _settings_plan(folder: Path, currency: str, file: str) -> FilePlan | None:
    """The workbook's currency checked against the export's: a workbook with settings or
    with sales keeps its currency (EUR without settings) and refuses another; a new one gets
    ``workbook.yaml`` with the export's currency and the current format version."""
    settings = read_settings(folder, [])
    has_sales = bool(open_table(folder, TABLES_BY_NAME["sales"])[0].records)
    if settings.declared or has_sales:
        if currency != settings.currency:
            where = (f"its {SETTINGS_FILE} says {settings.currency}" if settings.declared
                     else f"it has no {SETTINGS_FILE}, so its amounts are in "
                          f"{settings.currency}")
            raise KamkitError(
                f"{file} is in {currency}, but the workbook {folder} is in "
                f"{settings.currency} ({where}). kamkit converts no currencies: export the "
                f"amounts in {settings.currency}, or import into a workbook of its own.")
        return None
    text = settings_text(Settings(FORMAT_VERSION, currency, True)).encode("utf-8")
    return FilePlan("settings", settings_file(folder), lambda: text, created=True,
                    added=[f"currency {currency}"])


def import_export(export: str | Path, mapping: ImportMapping | ContactsMapping | str | Path,
                  workbook: str | Path, *, key_accounts: int | None = None,
                  dry_run: bool = False) -> ImportResult:
    """Import a sales export into a workbook folder (created where it does not exist).

    Parameters
    ----------
    export
        A CSV file (any separator, decimal comma, UTF-8 or Windows-1252) or an .xlsx file.
    mapping
        An ``ImportMapping`` or the path of its YAML file.
    workbook
        The workbook folder. Its sales in the months the export covers are replaced; its
        documents and other tables are never touched.
    key_accounts
        Mark the top N accounts by revenue as key accounts (the rest the import created as
        ``other``); None leaves every status as it is.
    dry_run
        Plan and check only; write nothing.

    Raises
    ------
    KamkitError
        For an export or mapping that cannot be used (the message says why).
    """
    folder = target_folder(workbook)
    mapping = mapping_of(mapping, ImportMapping)
    if key_accounts is not None and key_accounts < 0:
        raise KamkitError("--key-accounts must be 0 or more.")
    read = read_export(export, mapping)
    lines = read.lines
    if lines.empty:
        reasons = "; ".join(f"{g.count} x {g.column}: {g.reason}"
                            + (f" ({g.found})" if g.found else "")
                            for g in group_skipped(read.skipped)[:3])
        raise KamkitError(f"No line of {read.file} could be read: {reasons}")
    settings_plan = _settings_plan(folder, str(lines["currency"].iloc[0]), read.file)
    manifest = read_manifest(folder)
    recorded = manifest.to_yaml()
    existing = {t: current_rows(open_table(folder, TABLES_BY_NAME[t])[0]).keys()
                for t in REFERENCE_TABLES}
    coded = assign_codes(lines, manifest, existing)
    sales, warnings = aggregate(coded.lines, read.file)
    sales_plan, merged = plan_sales(folder, sales, _zero_margin_months(manifest))
    status = _statuses(folder, merged, key_accounts, sorted(coded.codes["accounts"].values()))
    rows = reference_rows(coded, status, has_products=mapping.product_group is not None)
    for table, codes in coded.codes.items():
        manifest.codes.setdefault(table, {}).update(codes)
    plans = [plan_reference(folder, t, rows[t], manifest) for t in REFERENCE_TABLES]
    plans.append(sales_plan)
    planned = {p.table for p in plans}
    plans += [p for t in TABLES if t.name not in planned
              and (p := plan_empty(folder, t.name)) is not None]
    plans += [settings_plan] if settings_plan is not None else []
    checked, errors = trial(folder, plans)
    months = sorted(set(sales["month"]))
    covered = checked.tables["sales"]["month"].isin(months)
    after = checked.tables["sales"][covered]
    skipped_revenue, unread_amounts = skipped_per_year(read.skipped_amounts)
    reconciliation = Reconciliation(
        file=read.file, read=read.read, imported=len(lines),
        skipped=tuple(group_skipped(read.skipped)), skipped_lines=read.read - len(lines),
        customers=lines["customer"].nunique(),
        export_revenue=per_year(lines["date"], lines["revenue"]),
        workbook_revenue=per_year(after["month"], after["revenue"]),
        unknown_countries=coded.unknown_countries,
        unused_columns=tuple(c for c in read.header
                             if c and c not in set(mapping.columns().values())),
        last_date=lines["date"].max().date(), currency=lines["currency"].iloc[0],
        margin_known=read.margin_known, repeated=read.repeated,
        skipped_revenue=skipped_revenue, unread_amounts=unread_amounts)
    warnings = [*read.warnings, *warnings, *(
        Problem(Severity.WARNING, read.file, f"country {value!r} ({count} lines) is no country "
                "kamkit knows (a postal code or a typing error?); kept as 'unknown'.",
                column=mapping.country)
        for value, count in coded.unknown_countries.items())]
    placeholders = _placeholders(folder, manifest)
    changed = any(p.write is not None for p in plans) or manifest.to_yaml() != recorded
    written = False
    if changed and not dry_run and not errors:
        manifest.imports.append({
            "file": read.file, "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "months": f"{months[0]:%Y-%m} to {months[-1]:%Y-%m}", "lines_read": read.read,
            "lines_imported": len(lines), "currency": reconciliation.currency,
            "margin": "known" if read.margin_known else MARGIN_UNKNOWN})
        write(folder, plans, manifest)
        written = True
    return ImportResult(folder, dry_run, written, tuple(plans), reconciliation,
                        tuple(warnings), tuple(errors), placeholders,
                        tuple(f"{m:%Y-%m}" for m in months))
