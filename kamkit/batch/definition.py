"""The run definition: which accounts, notebooks and languages a quarter batch renders, read
from a YAML file in ``parameters/`` with command-line overrides, checked with clear messages.

Relative paths in a definition are relative to the current folder, as on the command line.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kamkit.analysis import parse_as_of
from kamkit.errors import KamkitError
from kamkit.labels import LANGUAGES
from kamkit.workbook import Workbook


@dataclass(frozen=True)
class ReportKind:
    """A kind of report every account gets: the notebook that makes it and its title label
    (the report itself is built in the notebook by ``kamkit.report``)."""

    name: str  # the output file stem: analysis.html, plan.html
    notebook: str  # file name in the notebook folder
    title: str  # label key of the report's title, with an {account} placeholder


REPORTS: dict[str, ReportKind] = {report.name: report for report in (
    ReportKind("analysis", "account_analysis.ipynb", "report.analysis.title"),
    ReportKind("plan", "account_plan.ipynb", "report.plan.title"),
)}
"""Every report a run can make, in report order. A new notebook is one line here."""

_CHECKOUT_NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOK_FOLDER = _CHECKOUT_NOTEBOOKS if _CHECKOUT_NOTEBOOKS.is_dir() else Path("notebooks")
"""The notebooks of this checkout, or ``notebooks/`` in the current folder for an installed
kamkit (``notebook_folder`` in a definition points elsewhere)."""

SELECTORS = ("all", "key_accounts")
"""Account selections by name, besides a list of account ids."""

CHARTS = "svg"
"""Reports carry static SVG charts: no JavaScript, offline, printable (benchmarks/README.md)."""

DEFAULT_TIMEOUT = 600
"""Seconds a single notebook cell may run before it counts as hung."""

_QUARTER = re.compile(r"(\d{4})-?[qQ]([1-4])")
_KEYS = {
    "quarter": "the quarter, e.g. 2026Q3: names the output folder",
    "as_of": "the date the data count up to (default: the quarter's last day)",
    "workbook": "a workbook folder or .xlsx file (default: the bundled demo)",
    "accounts": "all, key_accounts, or a list of account ids (default: key_accounts)",
    "notebooks": f"reports to make, from {', '.join(REPORTS)} (default: every one that exists)",
    "languages": f"report languages, from {', '.join(LANGUAGES)} (default: en)",
    "output": "folder for the quarter folders (default: outputs)",
    "notebook_folder": "folder holding the notebooks (default: this checkout's notebooks/)",
    "jobs": "accounts rendered at the same time (default: one per core)",
    "timeout": f"seconds one notebook cell may run (default: {DEFAULT_TIMEOUT})",
}


def cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class RunDefinition:
    """What one ``kamkit run`` renders. Build it with ``load_definition``."""

    quarter: str
    as_of: dt.date
    workbook: Path | None
    accounts: str | tuple[str, ...]
    reports: tuple[ReportKind, ...]
    languages: tuple[str, ...]
    output: Path
    notebook_folder: Path = NOTEBOOK_FOLDER
    jobs: int = field(default_factory=cores)
    timeout: int = DEFAULT_TIMEOUT
    force: bool = False
    source: str = "the command line"

    @property
    def folder(self) -> Path:
        """The quarter's output folder: ``output/<quarter>``."""
        return self.output / self.quarter

    def notebook(self, report: ReportKind) -> Path:
        return self.notebook_folder / report.notebook

    def account_ids(self, workbook: Workbook) -> list[str]:
        """The accounts to render, in workbook order for a selector, as listed otherwise."""
        if isinstance(self.accounts, tuple):
            return list(self.accounts)
        table = workbook.accounts
        if self.accounts == "key_accounts":
            table = table[table["status"] == "key_account"]
        return list(table["account_id"])

    def parameters(self, account_id: str, language: str) -> dict[str, object]:
        """The notebook parameters for one account in one language."""
        return {"account_id": account_id,
                "workbook": str(self.workbook) if self.workbook else None,
                "as_of": self.as_of.isoformat(), "language": language, "charts": CHARTS}


def _fail(source: str, key: str, message: str) -> KamkitError:
    return KamkitError(f"{source}: {key}: {message}")


def _quarter(value: object, source: str) -> str:
    match = _QUARTER.fullmatch(str(value).strip())
    if not match:
        raise _fail(source, "quarter", f"{value!r} is not a quarter; write it as 2026Q3.")
    return f"{match[1]}Q{match[2]}"


def _quarter_of(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _names(value: object, source: str, key: str) -> tuple[str, ...]:
    """A list from YAML, or a comma-separated text from the command line."""
    if isinstance(value, str):
        items = [v.strip() for v in value.split(",")]
    elif isinstance(value, list | tuple):
        items = [str(v).strip() for v in value]
    else:
        raise _fail(source, key, f"expected a list, found {value!r}.")
    if not items:
        raise _fail(source, key, "the list is empty; name at least one.")
    if not all(items):
        raise _fail(source, key, f"an empty name in {value!r}.")
    return tuple(dict.fromkeys(items))


def _accounts(value: object, source: str) -> str | tuple[str, ...]:
    if isinstance(value, str) and value.strip() in SELECTORS:
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = [value]  # a lone numeric id read by YAML
    ids = _names(value, source, "accounts")
    if len(ids) == 1 and ids[0] in SELECTORS:
        return ids[0]
    return ids


def _reports(value: object, folder: Path, source: str) -> tuple[ReportKind, ...]:
    if value is None:
        found = tuple(r for r in REPORTS.values() if (folder / r.notebook).is_file())
        if not found:
            files = ", ".join(r.notebook for r in REPORTS.values())
            raise _fail(source, "notebooks", f"none of {files} is in {folder}.")
        return found
    names = _names(value, source, "notebooks")
    unknown = [n for n in names if n not in REPORTS]
    if unknown:
        raise _fail(source, "notebooks", f"unknown report {', '.join(map(repr, unknown))}; "
                    f"the reports are {', '.join(REPORTS)}.")
    reports = tuple(r for r in REPORTS.values() if r.name in names)
    for report in reports:
        if not (folder / report.notebook).is_file():
            raise _fail(source, "notebooks", f"{report.name} needs {folder / report.notebook}, "
                        "which does not exist.")
    return reports


def _languages(value: object, source: str) -> tuple[str, ...]:
    languages = _names(value, source, "languages")
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown:
        raise _fail(source, "languages", f"unknown language {', '.join(map(repr, unknown))}; "
                    f"use {', '.join(LANGUAGES)}.")
    return languages


def _positive(value: object, source: str, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _fail(source, key, f"expected a whole number of at least 1, found {value!r}.")
    return value


def _path(value: object, source: str, key: str) -> Path:
    if not isinstance(value, str | Path) or not str(value).strip():
        raise _fail(source, key, f"expected a path, found {value!r}.")
    return Path(value).expanduser()


def read_definition_file(path: Path) -> dict[str, Any]:
    """The settings of a run definition file, checked for unknown keys."""
    if not path.is_file():
        raise KamkitError(f"No run definition at {path}: give a YAML file such as "
                          "parameters/2026Q3.yaml.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as error:
        raise KamkitError(f"{path} cannot be read as a YAML run definition: {error}") from None
    except ValueError as error:  # a YAML date that is no date, e.g. as_of: 2026-09-31
        raise KamkitError(f"{path}: {error}; write dates as YYYY-MM-DD.") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise KamkitError(f"{path}: expected settings as `key: value` lines, such as "
                          "`quarter: 2026Q3`.")
    if "language" in data and "languages" not in data:
        data["languages"] = data.pop("language")
    unknown = sorted(map(str, set(data) - set(_KEYS)))
    if unknown:
        known = "\n".join(f"  {key}: {help_text}" for key, help_text in _KEYS.items())
        raise KamkitError(f"{path}: unknown setting {', '.join(map(repr, unknown))}. "
                          f"The settings are:\n{known}")
    return data


def load_definition(path: Path | None = None,
                    overrides: Mapping[str, object] | None = None) -> RunDefinition:
    """The run definition from a YAML file (optional) with command-line ``overrides``.

    Parameters
    ----------
    path
        A YAML file with the keys described in ``kamkit run --help``; None to give
        everything as overrides.
    overrides
        Settings that replace the file's; a None value keeps the file's. ``quarter``
        replaces the file's ``as_of`` too, ``force`` is a flag.

    Returns
    -------
    RunDefinition

    Raises
    ------
    KamkitError
        Naming the file, the setting and what was expected.
    """
    settings = read_definition_file(path) if path is not None else {}
    source = str(path) if path is not None else "the command line"
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    if "quarter" in given:
        settings.pop("as_of", None)
    settings.update({k: v for k, v in given.items() if k != "force"})
    unknown = sorted(map(str, set(settings) - set(_KEYS)))
    if unknown:
        raise KamkitError(f"Unknown run setting {', '.join(unknown)}.")

    quarter = _quarter(settings["quarter"], source) if "quarter" in settings else None
    if "as_of" in settings:
        try:
            as_of = parse_as_of(settings["as_of"])
        except KamkitError as error:
            raise _fail(source, "as_of", str(error)) from None
    elif quarter:
        as_of = parse_as_of(quarter)
    else:
        raise KamkitError(f"{source}: give the quarter to run, e.g. `quarter: 2026Q3` in the "
                          "run definition or --quarter 2026Q3.")
    folder = _path(settings.get("notebook_folder", NOTEBOOK_FOLDER), source, "notebook_folder")
    workbook = settings.get("workbook")
    return RunDefinition(
        quarter=quarter or _quarter_of(as_of),
        as_of=as_of,
        workbook=_path(workbook, source, "workbook").resolve() if workbook else None,
        accounts=_accounts(settings.get("accounts", "key_accounts"), source),
        reports=_reports(settings.get("notebooks"), folder, source),
        languages=_languages(settings.get("languages", "en"), source),
        output=_path(settings.get("output", "outputs"), source, "output"),
        notebook_folder=folder,
        jobs=_positive(settings.get("jobs", cores()), source, "jobs"),
        timeout=_positive(settings.get("timeout", DEFAULT_TIMEOUT), source, "timeout"),
        force=bool(given.get("force", False)),
        source=source,
    )
