"""`kamkit run` where one account's own data has errors: that account fails with the
errors (file, row, column, reason) on the entry pages in their language, in the log and
the summary; the other accounts are rendered and the portfolio says the account is not in
its figures. Errors in shared data stop the run before anything is written (exit code 1).
What counts as whose data: tests/test_account_errors.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kamkit.batch.cache import read_record
from kamkit.batch.layout import LOG
from kamkit.cli import main
from tests.conftest import MINI

WHERE = "contacts.csv:5"
"""The prospect A2's contact row made wrong (a level that does not exist)."""


def broken(tmp_path: Path, file: str, old: str, new: str) -> Path:
    workbook = tmp_path / "wb"
    shutil.copytree(MINI, workbook)
    path = workbook / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return workbook


def run_args(workbook: Path, out: Path, accounts: str) -> list[str]:
    return ["run", "--quarter", "2025Q4", "--workbook", str(workbook), "--output", str(out),
            "--notebooks", "analysis", "--language", "en,nl", "--accounts", accounts,
            "--jobs", "1"]


@pytest.mark.notebook  # `kamkit run` starts kernels
def test_one_accounts_bad_row_fails_that_account_only(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = broken(tmp_path, "contacts.csv", "COO,Operations,strategic",
                      "COO,Operations,strategc")
    out = tmp_path / "out"
    quarter = out / "2025Q4"

    # an account that was not asked for does not block the one that was
    assert main(run_args(workbook, out, "A1")) == 0
    assert (quarter / "A1" / "analysis.en.html").is_file()
    assert "A2" not in capsys.readouterr().out

    # asked for, it fails with its errors; the other account stands
    assert main(run_args(workbook, out, "A1,A2")) == 1
    summary = capsys.readouterr().out
    assert "0 accounts rendered, 1 unchanged and skipped, 1 failed" in summary
    assert f"FAILED A2 analysis.en: {WHERE}: error, column 'level': found 'strategc'" in summary
    record = read_record(quarter / "A2")
    assert record is not None and record.key is None and not record.reports
    assert set(record.failed) == {"analysis.en", "analysis.nl"}
    assert not list((quarter / "A2").glob("*.ipynb"))  # no notebook ran for it
    log = (quarter / LOG).read_text(encoding="utf-8")
    assert f"A2 analysis.en failed: {WHERE}: error" in log

    # the entry pages (the portfolio) say it in their language
    english = (quarter / "index.html").read_text(encoding="utf-8")
    dutch = (quarter / "index.nl.html").read_text(encoding="utf-8")
    assert "Beta Chemie NV (A2) is not in the figures on this page" in english
    assert "Beta Chemie NV (A2) zit niet in de cijfers op deze pagina" in dutch
    assert "Analysis of Beta Chemie NV (A2) could not be made." in english
    # it was never made this quarter: nothing earlier to link
    assert "earlier version" not in english and "eerdere versie" not in dutch


@pytest.mark.notebook  # `kamkit run` starts kernels
def test_an_account_broken_after_a_run_keeps_no_old_figures_and_links_its_last_reports(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two runs of a quarter, the second after A2's own data broke: the quarter's snapshot
    drops A2's entry of the first run (the portfolio says A2 is not in its figures), and
    each entry page links A2's reports of the first run, marked as earlier, with their date."""
    import datetime as dt
    import json

    from kamkit import formatting as fmt
    from kamkit.batch.definition import load_definition
    from kamkit.batch.layout import snapshot_path
    from kamkit.batch.runner import write_index

    workbook = tmp_path / "wb"
    shutil.copytree(MINI, workbook)
    out = tmp_path / "out"
    quarter = out / "2025Q4"
    assert main(run_args(workbook, out, "A1,A2")) == 0
    snapshot = snapshot_path(out, "2025Q4")
    assert "A2" in json.loads(snapshot.read_text(encoding="utf-8"))["accounts"]
    capsys.readouterr()
    broken(tmp_path / "again", "contacts.csv", "COO,Operations,strategic",
           "COO,Operations,strategc")
    shutil.copy(tmp_path / "again" / "wb" / "contacts.csv", workbook / "contacts.csv")
    assert main(run_args(workbook, out, "A1,A2")) == 1
    assert "A2" not in json.loads(snapshot.read_text(encoding="utf-8"))["accounts"]
    today = dt.date.today()
    said = {"en": ("Beta Chemie NV (A2) is not in the figures on this page",
                   "Analysis (en): earlier version of", "Analysis: earlier version of"),
            "nl": ("Beta Chemie NV (A2) zit niet in de cijfers op deze pagina",
                   "Analyse (en): eerdere versie van", "Analyse: eerdere versie van")}
    pages = {"en": quarter / "index.html", "nl": quarter / "index.nl.html"}
    for language, (left_out, _, portfolio_label) in said.items():
        shown = pages[language].read_text(encoding="utf-8")
        assert left_out in shown
        href = f"A2/analysis.{language}.html"
        assert (f'<a href="{href}">{portfolio_label} {fmt.date(today, language)}'
                in shown), shown[:3000]
    # the plain list, where the portfolio cannot be made, links them too
    definition = load_definition(None, {"quarter": "2025Q4", "workbook": str(workbook),
                                        "output": str(out), "languages": "en,nl",
                                        "notebooks": "analysis"})
    write_index(definition, ["A1", "A2"], today)
    for language, (_, label, _) in said.items():
        shown = pages[language].read_text(encoding="utf-8")
        assert (f'<a class="kk-earlier" href="A2/analysis.en.html">{label} '
                f"{fmt.date(today, language)}") in shown


def test_an_error_in_shared_data_stops_the_run_before_anything_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = broken(tmp_path, "services.csv", "SEC,Security,guard hours,15",
                      "SEC,Security,guard hours,x")
    out = tmp_path / "out"
    assert main(run_args(workbook, out, "A1")) == 1  # the workbook has errors
    err = capsys.readouterr().err
    assert "services.csv:3: error" in err and "Traceback" not in err
    assert not out.exists()
