"""Workbooks as one .xlsx file, for the tests of .xlsx reading and editing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

MINI = Path(__file__).parent / "fixtures" / "mini"


def mini_as_xlsx(target: Path, source: Path = MINI) -> Path:
    """The mini workbook (or the CSV workbook ``source``) as ``target`` (one sheet per
    table, numbers as numbers), with its documents folder beside it."""
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for path in sorted(source.glob("*.csv")):
            pd.read_csv(path, keep_default_na=False, na_values=[""]).to_excel(
                writer, sheet_name=path.stem, index=False)
    shutil.copytree(source / "documents", target.parent / "documents")
    return target
