"""Run options declared once on RunDefinition: the command line, the checks of a run
definition and docs/run-definition.md all follow the declarations."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from kamkit import KamkitError, load_workbook
from kamkit.batch.cache import cache_key
from kamkit.batch.definition import (
    DEFAULT_TIMEOUT,
    RUN_OPTIONS,
    RunDefinition,
    load_definition,
)
from kamkit.batch.definition_docs import DOC_PATH, EXAMPLE, ROOT, render_markdown
from kamkit.batch.options import (
    FLAG,
    WHOLE_NUMBER,
    add_arguments,
    option,
    options_of,
    overrides,
)
from kamkit.cli import build_parser, main

DEFINITION = EXAMPLE
"""The demo's quarter run definition (the one the run-definition reference shows)."""


def run_parser() -> argparse.ArgumentParser:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices["run"]


def test_every_field_but_the_source_is_a_declared_option() -> None:
    fields = [f.name for f in dataclasses.fields(RunDefinition)]
    # where the settings came from: the file or command line, the settings' lines in it and
    # those the command line gave
    assert [o.name for o in RUN_OPTIONS] == [f for f in fields
                                             if f not in ("source", "lines", "given")]
    assert len({o.key for o in RUN_OPTIONS}) == len(RUN_OPTIONS)
    flags = [flag for o in RUN_OPTIONS for flag in o.flags]
    assert len(set(flags)) == len(flags)


def test_the_command_line_comes_from_the_declarations() -> None:
    parser = run_parser()
    by_dest = {a.dest: a for a in parser._actions}
    for o in RUN_OPTIONS:
        if not o.flags:
            assert o.key not in by_dest
            continue
        action = by_dest[o.key]
        assert tuple(action.option_strings) == o.flags
        assert action.default is None  # an option not given keeps the file's setting
        assert o.help in (action.help or "")
    timeout = next(o for o in RUN_OPTIONS if o.key == "timeout")
    assert f"(default: {DEFAULT_TIMEOUT})" in timeout.cli_help  # from the field's default
    text = parser.format_help()
    assert "--report-date DATE" in text and "default: the day of the run" in text
    args = parser.parse_args(["--jobs", "3", "--language", "nl", "--force"])
    assert (args.jobs, args.languages, args.force, args.quarter) == (3, "nl", True, None)


def test_a_new_declaration_reaches_the_command_line_and_its_help() -> None:
    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Settings:
        retries: int = option(WHOLE_NUMBER, "tries per notebook", default=2,
                              flags=("--retries",))
        dry: bool = option(FLAG, "only say what would run", default=False, flags=("--dry",),
                           in_file=False)
        hidden: int = option(WHOLE_NUMBER, "a file-only setting", default=1)
        source: str = "x"

    declared = options_of(Settings)
    assert [o.key for o in declared] == ["retries", "dry", "hidden"]
    parser = argparse.ArgumentParser()
    add_arguments(parser, declared)
    assert "tries per notebook (default: 2)" in " ".join(parser.format_help().split())
    assert vars(parser.parse_args(["--retries", "5"])) == {"retries": 5, "dry": None}
    with pytest.raises(TypeError, match="needs default_text"):
        @dataclasses.dataclass(frozen=True, kw_only=True)
        class Broken:
            when: dt.date = option(WHOLE_NUMBER, "no default and no words for it")

        options_of(Broken)


@pytest.mark.parametrize(("line", "message"), [
    ("jobs: three", "jobs: expected a whole number of at least 1, found 'three'."),
    ("timeout: -5", "timeout: expected a whole number of at least 1, found -5."),
    ("timeout: true", "timeout: expected a whole number of at least 1, found True."),
    ("report_date: tomorrow",
     "report_date: expected a date as YYYY-MM-DD or DD-MM-YYYY, found 'tomorrow'."),
    ("report_date: 2026-10-01T10:00:00", "report_date: expected a date as YYYY-MM-DD"),
    ("report_date: 01/10/2026", "report_date: cannot use '01/10/2026' as a date: it reads "
     "both ways: write 2026-10-01 for 1 October 2026 (day first) or 2026-01-10 for "
     "10 January 2026 (month first)."),
    ("report_date: 31-02-2026", "report_date: cannot use '31-02-2026' as a date: no such "
     "date: February 2026 has 28 days."),
    ("output: 5", "output: expected a path, found 5."),
    ("languages: {en: 1}", "languages: expected a list, found {'en': 1}."),
    ("language: [de]", "languages: unknown language 'de'; use en, nl."),
    ("notebooks: [analysis, forecast]", "notebooks: unknown report 'forecast'"),
    ("as_of: someday", "as_of: Cannot read the as-of date 'someday'"),
    ("min_strength: 6", "min_strength: expected a relationship strength, a whole number "
     "from 1 to 5, found 6."),
    ("min_strength: strong", "min_strength: expected a relationship strength"),
])
def test_a_wrong_type_in_a_file_names_the_file_and_the_key(tmp_path: Path, line: str,
                                                           message: str) -> None:
    path = tmp_path / "run.yaml"
    path.write_text(f"quarter: 2026Q3\n{line}\n", encoding="utf-8")
    with pytest.raises(KamkitError) as error:
        load_definition(path)
    assert str(error.value).startswith(f"{path}:2: ")  # the setting's line
    assert message in str(error.value)


def test_an_unknown_setting_is_named_at_its_line_with_the_setting_meant(tmp_path: Path) -> None:
    """Each unknown key at its line, with the close setting (the one did-you-mean rule),
    in each language; then the settings."""
    path = tmp_path / "run.yaml"
    path.write_text("quarter: 2026Q3\nnotebook: [analysis]\n\nlangauges: [en, nl]\n"
                    "colour: blue\n", encoding="utf-8")
    with pytest.raises(KamkitError) as error:
        load_definition(path)
    assert str(error.value).startswith(
        f"{path}:2: unknown setting 'notebook'. Did you mean notebooks?\n"
        f"{path}:4: unknown setting 'langauges'. Did you mean languages?\n"
        f"{path}:5: unknown setting 'colour'. The settings are:\n  quarter: ")
    assert error.value.words is not None
    assert error.value.words.said("nl").startswith(
        f"{path}:2: onbekende instelling 'notebook'. Bedoelde u notebooks?\n"
        f"{path}:4: onbekende instelling 'langauges'. Bedoelde u languages?\n"
        f"{path}:5: onbekende instelling 'colour'. De instellingen zijn (")


def test_a_command_line_only_option_is_not_a_file_setting(tmp_path: Path) -> None:
    path = tmp_path / "run.yaml"
    path.write_text("quarter: 2026Q3\nforce: true\n", encoding="utf-8")
    with pytest.raises(KamkitError, match=r"unknown setting 'force'\. The settings are:") as e:
        load_definition(path)
    listed = re.findall(r"^  (\w+): ", str(e.value), re.MULTILINE)
    assert listed == [o.key for o in RUN_OPTIONS if o.in_file]
    assert "  timeout: seconds one notebook cell may run" in str(e.value)


def test_report_date_is_pinned_from_a_file_or_the_command_line(tmp_path: Path) -> None:
    assert load_definition(DEFINITION).report_date is None  # the day of the run
    path = tmp_path / "run.yaml"
    path.write_text("quarter: 2026Q3\nreport_date: 2026-10-01\n", encoding="utf-8")
    assert load_definition(path).report_date == dt.date(2026, 10, 1)
    args = run_parser().parse_args([str(path), "--report-date", "2026-10-02"])
    assert load_definition(path, overrides(args, RUN_OPTIONS)).report_date == dt.date(
        2026, 10, 2)


def test_a_pinned_report_date_is_part_of_the_cache_key() -> None:
    account = load_workbook().account("MAAS")
    today = cache_key(account, load_definition(DEFINITION))
    pinned = cache_key(account, load_definition(DEFINITION, {"report_date": "2026-10-01"}))
    again = cache_key(account, load_definition(DEFINITION, {"report_date": "2026-10-01"}))
    other = cache_key(account, load_definition(DEFINITION, {"report_date": "2026-10-02"}))
    assert pinned == again and len({today, pinned, other}) == 3


def test_min_strength_reaches_the_notebooks_and_the_cache_key(tmp_path: Path) -> None:
    path = tmp_path / "run.yaml"
    path.write_text("quarter: 2026Q3\nmin_strength: 4\n", encoding="utf-8")
    assert load_definition(DEFINITION).parameters("MAAS", "en")["min_strength"] == 3
    assert load_definition(path).parameters("MAAS", "en")["min_strength"] == 4
    args = run_parser().parse_args([str(path), "--min-strength", "2"])
    strict = load_definition(path, overrides(args, RUN_OPTIONS))
    assert strict.parameters("MAAS", "en")["min_strength"] == 2
    account = load_workbook().account("MAAS")
    assert cache_key(account, strict) != cache_key(account, load_definition(path))


def test_usage_error_for_a_bad_report_date_on_the_command_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--quarter", "2026Q3", "--report-date", "1-13-2026"]) == 2
    err = capsys.readouterr().err
    assert ("report_date: cannot use '1-13-2026' as a date: no such date: there is no "
            "month 13") in err


@pytest.mark.parametrize("written", ["2026-10-01", "01-10-2026", "1-10-2026", "1.10.2026",
                                     "2026/10/01", "13/10/2026"])
def test_a_report_date_is_read_as_the_workbook_reads_a_date(written: str) -> None:
    """Any layout the workbook's date reader takes without doubt: day first with dashes or
    points as in the workbook, with slashes where the day is past 12."""
    day = load_definition(DEFINITION, {"report_date": written}).report_date
    assert day == (dt.date(2026, 10, 13) if written.startswith("13") else
                   dt.date(2026, 10, 1))


def test_a_report_date_that_reads_both_ways_is_refused_in_dutch_too() -> None:
    with pytest.raises(KamkitError) as error:
        load_definition(DEFINITION, {"report_date": "03/04/2026"})
    assert error.value.words is not None
    dutch = error.value.in_language("nl")
    assert "'03/04/2026' is niet als datum te gebruiken" in dutch
    assert "2026-04-03 voor 3 april 2026 (dag eerst)" in dutch


def test_run_definition_reference_is_current() -> None:
    assert DOC_PATH.read_text(encoding="utf-8") == render_markdown(), (
        "docs/run-definition.md is stale: run python -m kamkit.batch.definition_docs")


def test_the_reference_lists_every_option_with_its_default() -> None:
    page = render_markdown()
    for o in RUN_OPTIONS:
        row = next(line for line in page.splitlines() if line.startswith(f"| `{o.key}`"))
        assert o.default in row and o.help in row
        assert all(f"`{flag}`" in row for flag in o.flags)
    assert DEFINITION.read_text(encoding="utf-8").strip() in page  # the example, verbatim
    assert "docs/run-definition.md" in (ROOT / "README.md").read_text(encoding="utf-8")
