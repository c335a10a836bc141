"""The run definition: which accounts, notebooks and languages a quarter batch renders, read
from a YAML file in ``parameters/`` with command-line overrides, checked with clear messages.

Each setting is declared once, as a field of ``RunDefinition`` (``options.option``); the
command line, the checks and ``docs/run-definition.md`` are derived from those fields.
Relative paths in a definition are relative to the current folder, as on the command line.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kamkit import yamlread
from kamkit.batch.options import (
    DATE,
    FLAG,
    OPTIONAL_PATH,
    PATH,
    WHOLE_NUMBER,
    Invalid,
    Kind,
    choices,
    file_keys,
    names,
    option,
    options_of,
    read_settings,
    shown,
)
from kamkit.errors import KamkitError, file_error, file_problem
from kamkit.labels import LANGUAGES
from kamkit.periods import parse_as_of, parse_quarter, quarter_name, quarter_of
from kamkit.problems import NO_WORDS, Words, did_you_mean_words, words
from kamkit.readers import read_bytes_limited, refused_words
from kamkit.schema import DEFAULT_MIN_STRENGTH, RELATIONSHIP_STRENGTHS
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

PORTFOLIO_NOTEBOOK = "portfolio.ipynb"
"""The quarter's portfolio report, once per language: the entry page of the quarter's
reports when its notebook is in the notebook folder."""

_PACKAGE = Path(__file__).resolve().parents[1]


def shipped_notebooks(package: Path = _PACKAGE) -> Path:
    """The report notebooks that come with kamkit: ``kamkit/notebooks`` in an installed
    wheel (setup.py maps the repository's ``notebooks/`` there), else the ``notebooks/``
    beside the package in a checkout or an editable install."""
    packaged = package / "notebooks"
    return packaged if packaged.is_dir() else package.parent / "notebooks"


NOTEBOOK_FOLDER = shipped_notebooks()
"""The notebooks a run uses unless its definition names a ``notebook_folder``."""

SELECTORS = ("all", "key_accounts")
"""Account selections by name, besides a list of account ids."""

CHARTS = "svg"
"""Reports carry static SVG charts: no JavaScript, offline, printable (benchmarks/README.md)."""

DEFAULT_TIMEOUT = 600
"""Seconds a single notebook cell may run before it counts as hung."""


def cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# ------------------------------------------------------------------------------ kinds
def _quarter(value: object) -> str:
    quarter = parse_quarter(value) if isinstance(value, str) else None
    if quarter is None:
        raise Invalid(words("cli.run.invalid.quarter", found=shown(value)))
    return quarter_name(*quarter)


def _as_of(value: object) -> dt.date:
    if not isinstance(value, str | dt.date):
        raise Invalid(words("cli.run.invalid.as_of", found=shown(value)))
    try:
        return parse_as_of(value)  # parse_as_of says what is wrong
    except KamkitError as error:
        raise Invalid(error.words or str(error)) from None


def _accounts(value: object) -> str | tuple[str, ...]:
    if isinstance(value, str) and value.strip() in SELECTORS:
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = [value]  # a lone numeric id read by YAML
    ids = names(value)
    if len(ids) == 1 and ids[0] in SELECTORS:
        return ids[0]
    return ids


def _report_kinds(given: tuple[str, ...]) -> tuple[ReportKind, ...]:
    unknown = [n for n in given if n not in REPORTS]
    if unknown:
        raise Invalid(words("cli.run.invalid.report", found=", ".join(map(repr, unknown)),
                            known=", ".join(REPORTS)))
    return tuple(r for r in REPORTS.values() if r.name in given)


def _languages(given: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [lang for lang in given if lang not in LANGUAGES]
    if unknown:
        raise Invalid(words("cli.run.invalid.language", found=", ".join(map(repr, unknown)),
                            known=", ".join(LANGUAGES)))
    return given


QUARTER = Kind("a quarter, 2026Q3 (or 2026-Q3)", "QUARTER", _quarter)
AS_OF = Kind("a date, YYYY-MM-DD or DD-MM-YYYY, or a quarter (its last day)", "DATE", _as_of)
ACCOUNTS = Kind(f"{' or '.join(SELECTORS)}, or a list of account ids (separated by commas "
                "on the command line)", "ID,...", _accounts)
def _strength(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) \
            or value not in RELATIONSHIP_STRENGTHS:
        raise Invalid(words("cli.run.invalid.strength", found=repr(value)))
    return value


STRENGTH = Kind("a relationship strength, 1 to 5: " + ", ".join(
    f"{n} {text}" for n, text in RELATIONSHIP_STRENGTHS.items()), "N", _strength, int)
REPORT_KINDS = choices("report names", "NAME,...", _report_kinds, null=True)
LANGUAGE_CODES = choices("language codes", "CODE,...", _languages)

FORMATS = ("html", "pptx", "pdf")
"""What a run can make of each account: the HTML reports (always: the entry page links them
and the PDF is printed from them), a review deck per language (``kamkit.deck``) and each
report as an A4 PDF (``kamkit.pdf``)."""


def _formats(given: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [name for name in given if name not in FORMATS]
    if unknown:
        raise Invalid(words("cli.run.invalid.format", found=", ".join(map(repr, unknown)),
                            known=", ".join(FORMATS)))
    return tuple(name for name in FORMATS if name == "html" or name in given)


FORMAT_NAMES = choices("format names", "FORMAT,...", _formats)

_ADDRESS = re.compile(r"([a-z][a-z0-9+.-]*://)?([^\s/:\[\]]+|\[[0-9a-f:.]+\])(:[0-9]+)?",
                      re.IGNORECASE)
"""tcp://host:port, host:port, tls://[::1]:8786 (an IPv6 host in brackets)."""


def _scheduler(value: object) -> str | None:
    """A Dask scheduler's address, tcp://host:8786 (host:port means tcp); nothing (null or
    empty) means none: the accounts run on this machine."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or not _ADDRESS.fullmatch(value.strip()):
        raise Invalid(words("cli.run.invalid.scheduler", found=shown(value)))
    return value.strip()


SCHEDULER = Kind("a Dask scheduler address, tcp://host:port, or null for none", "ADDRESS",
                 _scheduler)


# ------------------------------------------------------------------------------ the options
@dataclass(frozen=True, kw_only=True)
class RunDefinition:
    """What one ``kamkit run`` renders; each field but ``source`` and ``lines`` is a run option,
    declared here once with its type, default, help and flags. Build it with ``load_definition``."""

    quarter: str = option(
        QUARTER, "the quarter, e.g. 2026Q3: names the output folder; the data count up to its "
        "last day",
        default_text="the quarter of as_of", flags=("--quarter", "-q"))
    as_of: dt.date = option(
        AS_OF, "the date the data count up to, when not the quarter's last day",
        default_text="the quarter's last day")
    report_date: dt.date | None = option(
        DATE, "the date printed in the reports' headers and on the index; pinned, two runs "
        "on the same data make identical reports", default=None,
        default_text="the day of the run", flags=("--report-date",))
    workbook: Path | None = option(
        OPTIONAL_PATH, "a workbook folder or .xlsx file", default=None,
        default_text="the bundled demo", flags=("--workbook", "-w"))
    accounts: str | tuple[str, ...] = option(
        ACCOUNTS, f"the accounts to render: {', '.join(SELECTORS)}, or a list of account ids",
        default="key_accounts",
        flags=("--accounts", "-a"))
    reports: tuple[ReportKind, ...] = option(
        REPORT_KINDS, f"the reports each account gets, from {', '.join(REPORTS)}",
        key="notebooks", default_text="every one whose notebook exists",
        flags=("--notebooks", "-n"))
    languages: tuple[str, ...] = option(
        LANGUAGE_CODES, f"report languages, from {', '.join(LANGUAGES)}; with several, each "
        "report is made per language (analysis.en.html, analysis.nl.html)",
        default=("en",), flags=("--language", "-l"), aliases=("language",))
    formats: tuple[str, ...] = option(
        FORMAT_NAMES, f"what each account gets, from {', '.join(FORMATS)}: the HTML reports "
        "(always made), a review deck per language (deck.pptx) and each report as an A4 PDF; "
        "with pptx the quarter gets a portfolio deck too", default=("html",),
        flags=("--formats",))
    deck_template: Path | None = option(
        OPTIONAL_PATH, "a PowerPoint template (.pptx) for the decks, with layouts named "
        "'Title Slide' and 'Title Only'", default=None,
        default_text="kamkit's template", flags=("--deck-template",))
    min_strength: int = option(
        STRENGTH, "the relationship strength from which a contact counts as covered in the "
        "reports' coverage (A2, A8, P2, P3)", default=DEFAULT_MIN_STRENGTH,
        default_text=f"{DEFAULT_MIN_STRENGTH}, "
        f"{RELATIONSHIP_STRENGTHS[DEFAULT_MIN_STRENGTH]}", flags=("--min-strength",))
    output: Path = option(
        PATH, "folder for the quarter folders", default=Path("outputs"),
        flags=("--output", "-o"))
    notebook_folder: Path = option(
        PATH, "folder holding the report notebooks", default=NOTEBOOK_FOLDER,
        default_text="the notebooks that come with kamkit")
    jobs: int = option(
        WHOLE_NUMBER, "accounts rendered at the same time", default_factory=cores,
        default_text="one per core", flags=("--jobs", "-j"))
    timeout: int = option(
        WHOLE_NUMBER, "seconds one notebook cell may run before it counts as hung",
        default=DEFAULT_TIMEOUT, flags=("--timeout",))
    scheduler: str | None = option(
        SCHEDULER, "run the accounts on the workers of this Dask distributed cluster (needs "
        "kamkit[distributed]); the reports are written here as by a run on this machine",
        default=None, default_text="none: worker processes on this machine (jobs)",
        flags=("--scheduler",))
    force: bool = option(
        FLAG, "render current accounts again too", default=False, default_text="off",
        flags=("--force",), in_file=False)
    source: str = "the command line"  # where the settings came from, for messages
    # the line of each setting in the file ``source`` (not those the command line gave)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False)
    # the settings the command line gave over the file's, for messages
    given: frozenset[str] = field(default_factory=frozenset, compare=False)

    @property
    def folder(self) -> Path:
        """The quarter's output folder: ``output/<quarter>``."""
        return self.output / self.quarter

    def notebook(self, report: ReportKind) -> Path:
        return self.notebook_folder / report.notebook

    def account_ids(self, workbook: Workbook) -> list[str]:
        """The accounts to render, in workbook order for a selector, as listed otherwise;
        an account the workbook left out (``Workbook.left_out``) is selected as the others,
        so that a run says it failed."""
        if isinstance(self.accounts, tuple):
            return list(self.accounts)
        return workbook.account_ids_read(
            "key_account" if self.accounts == "key_accounts" else None)

    @property
    def portfolio_notebook(self) -> Path | None:
        """The portfolio notebook, when the notebook folder has one."""
        path = self.notebook_folder / PORTFOLIO_NOTEBOOK
        return path if path.is_file() else None

    def parameters(self, account_id: str, language: str) -> dict[str, object]:
        """The notebook parameters for one account in one language; ``snapshots`` is the
        output folder (absolute: the kernel runs in the notebook folder), where each
        quarter's snapshot is."""
        return {"account_id": account_id,
                "workbook": str(self.workbook) if self.workbook else None,
                "as_of": self.as_of.isoformat(), "language": language, "charts": CHARTS,
                "min_strength": self.min_strength,
                "snapshots": str(self.output.resolve())}

    def portfolio_parameters(self, language: str,
                             links: dict[str, dict[str, str]]) -> dict[str, object]:
        """The portfolio notebook's parameters in one language, with the links to every
        account's reports (account id -> label -> href from the quarter folder)."""
        return {"workbook": str(self.workbook) if self.workbook else None,
                "as_of": self.as_of.isoformat(), "language": language, "charts": CHARTS,
                "snapshots": str(self.output.resolve()), "links": links}


RUN_OPTIONS = options_of(RunDefinition)
"""Every run option, in the order of the reference."""


COMMAND_LINE = "the command line"
"""``RunDefinition.source`` of a run given on the command line alone."""


def _source(source: str) -> str | Words:
    """Where the run's settings are, for a message: a file, or the command line."""
    return words("cli.run.command_line") if source == COMMAND_LINE else source


def setting_error(source: str, key: str, message: str | Words,
                  lines: Mapping[str, int] | None = None,
                  given: Iterable[str] = ()) -> KamkitError:
    """What is wrong with the run setting ``key`` given in ``source`` (a run definition's
    path, or ``COMMAND_LINE``): "<source>:<line>: <key>: <message>", in every language; the
    line where ``lines`` (``RunDefinition.lines``) has the key's. A key in ``given``
    (``RunDefinition.given``) came from the command line: "the command line (--option):
    <message>"."""
    flags = next((o.flags for o in RUN_OPTIONS if o.key == key), ())
    if key in given and flags:
        return KamkitError.of(words("cli.run.given", option=flags[0], message=message))
    line = (lines or {}).get(key)
    where = _source(source) if line is None else f"{source}:{line}"
    return KamkitError.of(words("cli.run.setting", source=where, key=key, message=message))


def _available(reports: tuple[ReportKind, ...] | None, folder: Path,
               source: str, lines: Mapping[str, int], given: Iterable[str]
               ) -> tuple[ReportKind, ...]:
    """The reports asked for, each checked to have its notebook; by default every report
    whose notebook is in ``folder``."""
    if reports is None:
        found = tuple(r for r in REPORTS.values() if (folder / r.notebook).is_file())
        if not found:
            files = ", ".join(r.notebook for r in REPORTS.values())
            raise setting_error(source, "notebooks", words("cli.run.no_notebooks", files=files,
                                                          folder=str(folder)), lines,
                                given)
        return found
    for report in reports:
        if not (folder / report.notebook).is_file():
            raise setting_error(source, "notebooks", words(
                "cli.run.no_notebook", report=report.name, path=str(folder / report.notebook)),
                lines, given)
    return reports


def read_definition_file(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The settings of a run definition file, checked for unknown keys, keys given twice,
    size and nesting (``kamkit.yamlread``) before any value is used; and the line of each
    (an alias's under the setting's key)."""
    if not path.is_file():
        raise KamkitError.of(words("cli.run.file.missing", path=str(path)))
    text = None
    try:
        text = read_bytes_limited(path).decode("utf-8-sig")
        data = yamlread.load(text)
    except yaml.YAMLError as error:  # a key given twice and a bound too: said by kamkit
        raise file_error(path, yamlread.problem_words(error, text),
                         yamlread.location(error, text)[0]) from None
    except UnicodeDecodeError as error:
        raise file_error(path, words("file.not_utf8", byte=str(error.start))) from None
    except OSError as error:
        raise file_error(path, refused_words(error)) from None
    except ValueError as error:  # a YAML date that is no date, e.g. as_of: 2026-09-31
        raise file_error(path, words("cli.run.file.date", error=str(error))) from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise file_error(path, words("cli.run.file.not_settings"))
    keys = file_keys(RUN_OPTIONS)
    lines = yamlread.key_lines(text or "")
    for o in keys.values():
        for alias in o.aliases:
            if alias in data and o.key not in data:
                data[o.key] = data.pop(alias)
                lines[o.key] = lines.pop(alias, 0)
            elif alias in data:
                raise file_error(path, words("cli.run.file.alias", key=o.key, alias=alias))
    unknown = [str(key) for key in data if key not in keys]
    if unknown:
        raise _unknown_keys(path, lines, unknown, keys)
    return data, lines


def _unknown_keys(path: Path, lines: Mapping[str, int], unknown: list[str],
                  keys: Mapping[str, Any]) -> KamkitError:
    """The refusal of a definition with settings kamkit does not know: each at its line,
    with the setting meant where one is close (``langauges``: languages), then them all."""
    found: Words | None = None
    for key in sorted(unknown, key=lambda k: lines.get(k, 0)):
        close = did_you_mean_words(key, keys)
        one = file_problem(path, words("cli.run.file.unknown_key", key=repr(key), hint=words(
            "problem.hint", text=close) if close.key else NO_WORDS), lines.get(key))
        found = one if found is None else words("cli.text.lines", first=found, next=one)
    known = "\n".join(f"  {key}: {o.help} (default: {o.default})" for key, o in keys.items())
    return KamkitError.of(words("cli.run.file.unknown", found=found, known=known))


def load_definition(path: Path | None = None,
                    overrides: Mapping[str, object] | None = None) -> RunDefinition:
    """The run definition from a YAML file (optional) with command-line ``overrides``.

    Parameters
    ----------
    path
        A YAML file with the keys described in ``docs/run-definition.md``; None to give
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
    settings, lines = read_definition_file(path) if path is not None else ({}, {})
    source = str(path) if path is not None else COMMAND_LINE
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    lines = {key: line for key, line in lines.items() if key not in given}
    # over a file's, a value is named by its option; without one, the source says it
    named = frozenset(given) if path is not None else frozenset()
    if "quarter" in given:
        settings.pop("as_of", None)
    settings.update(given)
    unknown = sorted(map(str, set(settings) - {o.key for o in RUN_OPTIONS}))
    if unknown:
        raise KamkitError(f"Unknown run setting {', '.join(unknown)}.")
    values = read_settings(settings, RUN_OPTIONS, lambda key, message: setting_error(
        source, key, message, lines, named))
    if "as_of" not in values:
        if "quarter" not in values:
            raise KamkitError.of(words("cli.run.no_quarter", source=_source(source)))
        values["as_of"] = parse_as_of(values["quarter"])
    values.setdefault("quarter", quarter_of(values["as_of"]))
    folder = values.setdefault("notebook_folder", NOTEBOOK_FOLDER)
    values["reports"] = _available(values.get("reports"), folder, source, lines, named)
    return RunDefinition(**values, source=source, lines=lines, given=named)
