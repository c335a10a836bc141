"""Render the workbook reference (``docs/workbook.md``) from ``kamkit.schema``.

Run ``python -m kamkit.schema_docs`` after changing the schema; a test checks the file is
current.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kamkit import currency as money
from kamkit.document_template import account_document_template
from kamkit.documents import METRICS, date_paths, path_text, required_paths
from kamkit.markdown import cell, code_block, write_reference
from kamkit.parsing import date_layouts
from kamkit.schema import RENAMED_COLUMNS, RENAMED_TARGET_KEYS, TABLES, Column, Kind
from kamkit.settings import FORMAT_VERSION, HISTORY, SETTINGS_FILE, Settings, settings_text

DOC_PATH = Path(__file__).resolve().parent.parent / "docs" / "workbook.md"

_KIND_TEXT = {
    Kind.ID: "id (text)",
    Kind.TEXT: "text",
    Kind.CHOICE: "one of the allowed values",
    Kind.INTEGER: "whole number",
    Kind.NUMBER: "number",
    Kind.MONEY: "amount",
    Kind.DATE: f"date {date_layouts()[0]} (or another layout, see above)",
    Kind.MONTH: "month YYYY-MM",
    Kind.YEAR: "year",
}


def _allowed(column: Column) -> str:
    parts = []
    if column.choices:
        parts.append(", ".join(f"`{c}`" for c in column.choices))
    if column.refers_to:
        parts.append(f"an id in `{column.refers_to}`"
                     + "".join(f" or `{e}`" for e in column.extra_refs))
    if column.minimum is not None and column.maximum is not None:
        parts.append(f"{column.minimum:g} to {column.maximum:g}")
    elif column.minimum is not None:
        parts.append(f">= {column.minimum:g}")
    return "; ".join(parts) or "any"


def _settings_section() -> list[str]:
    """``workbook.yaml``, the format versions and ``kamkit migrate``."""
    return [
        f"## {SETTINGS_FILE}",
        "",
        "The workbook's settings, at the root of a folder workbook or beside an `.xlsx` "
        "workbook (where `documents/` is too). `kamkit init` and `kamkit import` write it.",
        "",
        "| key | meaning | default |",
        "|---|---|---|",
        "| `format_version` | The workbook format the files are written in (below). | `1` |",
        f"| `currency` | The ISO 4217 code of every amount in the workbook (its money columns, "
        f"document targets). kamkit converts nothing: reports, charts, tables, findings, "
        f"decks and widgets name this currency wherever they show an amount. | "
        f"`{money.DEFAULT}` |",
        "",
        *code_block(settings_text(Settings(FORMAT_VERSION, "EUR", True)), "yaml"),
        "### Format versions and `kamkit migrate`",
        "",
        f"This kamkit writes format version {FORMAT_VERSION} and reads every earlier one; "
        "a workbook without `workbook.yaml` is of version 1. A workbook of a later version "
        "(written by a newer kamkit) is refused with a message saying so.",
        "",
        *[f"- version {version}: {text}" for version, text in HISTORY.items()],
        "",
        "Old names are read as the new ones (" + ", ".join(
            f"`{table}.{old}` as `{new}`" for table, names in RENAMED_COLUMNS.items()
            for old, new in names.items()) + "; in documents " + ", ".join(
            f"`{old}` as `{new}`" for old, new in RENAMED_TARGET_KEYS.items())
        + "), so an older workbook works as it is. `kamkit migrate WORKBOOK` upgrades it "
        "in place: it renames the headers and document keys (every other byte of the files "
        "stays as it was: separators, encoding, quoting, comments), writes the version into "
        "`workbook.yaml` last, keeps every file it changes under `.kamkit/backups/`, and "
        "prints what it changed (`--dry-run`: only prints). A folder or .xlsx file with "
        "none of the required tables is refused, so it cannot turn a wrong folder into a "
        "workbook. A failure while writing puts "
        "back what was written; migrating a current workbook changes nothing.",
        "",
        "Every later change to the format raises `format_version` and comes with its "
        "migration step (`kamkit.migrate.STEPS`) and a test on a workbook of the previous "
        "version.",
        "",
    ]


def _dates() -> str:
    """The date layouts the readers take (``kamkit.parsing.date_layouts``)."""
    layouts = date_layouts()
    return (f"Dates may be written as {_listed(layouts, 'or')} (a day or month may be one "
            "digit; with the year last the day comes first: `03/04/2026` is 3 April 2026); "
            f"kamkit writes `{layouts[0]}`. A column written month first, as a US export "
            "writes it (`03/31/2026`, and no date with a day first), is refused as a whole "
            "rather than misread, and so is a month column written as US Excel writes a "
            "month's first day (`3/1/2026` for March); a column of slash dates whose day "
            "and month are all 12 or less is read day first with a warning.")


def _listed(names: list[str], word: str = "and") -> str:
    """``names`` in backticks: "`a`, `b` and `c`"."""
    quoted = [f"`{name}`" for name in names]
    return ", ".join(quoted[:-1]) + f" {word} {quoted[-1]}" if len(quoted) > 1 else quoted[0]


def _document_rules() -> list[str]:
    """What a document's fields must hold: the texts that may not be blank and the dates
    (from the document model, ``kamkit.documents``)."""
    return [
        "Texts an item is nothing without may not be blank (blank after stripping is an "
        "error, in `kamkit validate`, the edit API and the workbench alike): "
        + _listed([path_text(path) for path in required_paths()]) + ".",
        "",
        "Dates (" + _listed([path_text(path) for path in date_paths()]) + ") are read as "
        "in the tables: " + _dates()[0].lower() + _dates()[1:],
        "",
    ]


def render_markdown() -> str:
    lines = [
        "# The account workbook",
        "",
        "<!-- Generated by `python -m kamkit.schema_docs` from kamkit/schema.py: edit that. -->",
        "",
        "A workbook is a folder of CSV files (or one `.xlsx` file with a sheet per table, "
        "named as the CSV files without `.csv`) plus a `documents/` folder (beside the "
        "`.xlsx` file) with one YAML document per account. `kamkit init DIR` writes the demo "
        "workbook as a starting point; `kamkit validate DIR` checks it.",
        "",
        "CSV files may use `,`, `;` or tab as separator, UTF-8 with or without BOM "
        "(Windows-1252 is read with a warning; a UTF-8 file with a few Windows-1252 lines, "
        "pasted from another export, is read as UTF-8 and each such line is an error naming "
        "its row and column), and a decimal comma in `;` files as Dutch "
        "Excel writes them (`1.234,56`). " + _dates() + " Column "
        "names are case-insensitive; choices forgive case, spaces and hyphens "
        "(`Decision maker` reads as `decision_maker`). Errors name the file, the row "
        "(the header is row 1) and the column. kamkit reads each table from its own name "
        "only: a missing table whose file is there under another spelling (`Sales.csv`, "
        "`sales (1).csv`, `sales - Copy.csv`, `sales.txt`; a sheet `sales (2)`) is an error "
        "naming that file, never a table taken as empty.",
        "",
        *_settings_section(),
    ]
    for table in TABLES:
        lines += [f"## {table.file_name}", "", table.meaning, ""]
        required = ("required: its file must be there, with its header row alone while the "
                    "table has no rows" if table.required
                    else
                    "optional (may be left out, without a warning)" if table.settings else
                    "optional (missing means empty, with a warning)")
        key = ", ".join(f"`{k}`" for k in table.key) or "none"
        lines += [f"The table is {required}. Key: {key}.", ""]
        lines += ["| column | type | required | unit | allowed | meaning | example |",
                  "|---|---|---|---|---|---|---|"]
        for c in table.columns:
            lines.append(
                f"| `{c.name}` | {_KIND_TEXT[c.kind]} | {'yes' if c.required else 'no'} | "
                f"{c.unit or ''} | {cell(_allowed(c))} | {cell(c.meaning)} | "
                f"`{c.example}` |")
        lines.append("")
        lines += [f"- {note}" for note in table.notes]
        if table.notes:
            lines.append("")
    lines += [
        "## documents/<account_id>.yaml",
        "",
        "What people write about an account: the analysis (A1 vision and strategy, A2 "
        "organisation notes, A3 the account's SWOT, A9 the SWOT of our position, the "
        "strategic conclusions) and the plan (P1 3-year vision, P2 objectives, P3 strategy "
        "mix and account team, P4 actions, P5 revenue and margin targets). "
        "`kamkit new-account ID --workbook DIR` writes this template:",
        "",
        "Metrics a quantitative objective can use: "
        + ", ".join(f"`{m}` ({unit})" for m, unit in METRICS.items()) + ".",
        "",
        *code_block(account_document_template("ACC01", 2026), "yaml"),
        *_document_rules(),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(write_reference(DOC_PATH, render_markdown()))
