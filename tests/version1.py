"""Workbooks as kamkit wrote them before the money columns lost their ``_eur`` suffix
(format version 1), for the tests of reading and migrating them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd

from kamkit.workbook import DEMO_WORKBOOK

OLD_COLUMNS = {"sales.csv": {"revenue": "revenue_eur", "gross_margin": "gross_margin_eur"},
               "spend.csv": {"spend": "spend_eur"},
               "spend_shares.csv": {"spend": "spend_eur"},
               "history.csv": {"amount": "amount_eur"}}
"""The names version 1 gave the money columns (written out here, not taken from kamkit)."""
_OLD_KEYS = re.compile(r"\b(revenue|gross_margin)(?=:)")


def old_header(line: str, names: dict[str, str], separator: str = ",") -> str:
    return separator.join(names.get(n, n) for n in line.split(separator))


def version1_copy(target: Path, source: Path = DEMO_WORKBOOK) -> Path:
    """A copy of the workbook ``source`` (default: the demo) with version 1's names: the
    money columns' headers and the documents' target keys end in ``_eur``, and there is no
    ``workbook.yaml``."""
    shutil.copytree(source, target)
    (target / "workbook.yaml").unlink(missing_ok=True)
    for file, names in OLD_COLUMNS.items():
        path = target / file
        text = path.read_text(encoding="utf-8")
        header, rest = text.split("\n", 1)
        path.write_text(old_header(header, names) + "\n" + rest, encoding="utf-8")
    for path in (target / "documents").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        head, targets = text.split("  targets:", 1) if "  targets:" in text else (text, "")
        if targets:
            path.write_text(head + "  targets:" + _OLD_KEYS.sub(r"\1_eur", targets),
                            encoding="utf-8")
    return target


def version1_xlsx(target: Path, source: Path = DEMO_WORKBOOK) -> Path:
    """The workbook ``source`` with version 1's names as one .xlsx file ``target`` (a sheet
    per table, numbers as numbers) with its documents folder beside it."""
    folder = version1_copy(target.parent / "version1-folder", source)
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for path in sorted(folder.glob("*.csv")):
            pd.read_csv(path, keep_default_na=False, na_values=[""]).to_excel(
                writer, sheet_name=path.stem, index=False)
    shutil.copytree(folder / "documents", target.parent / "documents")
    shutil.rmtree(folder)
    return target
