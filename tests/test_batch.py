"""The quarter batch (`kamkit run`) as sales operations runs it: a run that is killed and
resumed, a failing account, an account whose id tries to leave the output folder and whose
name is markup, the cache, and the pieces underneath (definition, names, keys, the report
template, the kept kernel)."""

from __future__ import annotations

import csv
import datetime as dt
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote

import nbformat
import psutil
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import kamkit
from kamkit import DEMO_WORKBOOK, KamkitError, load_workbook
from kamkit.batch.cache import (
    INPUT_NAMES,
    AccountRecord,
    cache_key,
    changed_inputs,
    input_digests,
    key_inputs,
    key_of,
    write_record,
)
from kamkit.batch.definition import NOTEBOOK_FOLDER, load_definition
from kamkit.batch.definition_docs import EXAMPLE
from kamkit.batch.index import index_page, page_footer
from kamkit.batch.layout import (
    INDEX,
    LOCK,
    LOG,
    OWNER,
    SNAPSHOT,
    STAMP,
    account_folder,
    check_distinct,
    report_stem,
    safe_name,
)
from kamkit.batch.runner import schedule
from kamkit.cli import main
from kamkit.errors import Interrupted
from kamkit.problems import Words

DEFINITION = EXAMPLE
"""The demo's quarter run definition (the one the run-definition reference shows)."""
EVIL_ID = "../../evil"
EVIL_NAME = "<script>alert(1)</script>"
SVG_NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def demo_copy(target: Path) -> Path:
    """The demo workbook plus an account whose id climbs out of folders and whose name is
    a script."""
    shutil.copytree(DEMO_WORKBOOK, target)
    with (target / "accounts.csv").open("a", encoding="utf-8", newline="") as f:
        csv.writer(f).writerow([EVIL_ID, EVIL_NAME, "Retail", "NL", "other", "P03", "3", "4"])
    return target


FAILING = "GRID"
"""An account without a document whose analysis is made to fail (``failing_definition``)."""


def failing_definition(folder: Path) -> Path:
    """The 2026Q3 definition with a copy of the notebooks whose analysis fails for
    ``FAILING``: an account that fails, as an unknown id no longer does (a usage error).
    Without the portfolio notebook: the quarter's entry page is the plain index, the page a
    run falls back to when the portfolio cannot be made (tests/test_portfolio_batch.py)."""
    notebooks = folder / "notebooks"
    shutil.copytree(NOTEBOOK_FOLDER, notebooks)
    (notebooks / "portfolio.ipynb").unlink()
    path = notebooks / "account_analysis.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(2, new_code_cell(
        f'if account_id == "{FAILING}":\n    raise RuntimeError("made to fail")'))
    nbformat.write(notebook, path)
    definition = folder / "run.yaml"
    definition.write_text(DEFINITION.read_text(encoding="utf-8")
                          + f"notebook_folder: {notebooks}\n", encoding="utf-8")
    return definition


def files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def mtime(path: Path) -> int:
    return path.stat().st_mtime_ns


# ------------------------------------------------------------------------------ end to end
@pytest.mark.notebook  # `kamkit run` starts kernels
def test_quarter_batch_like_a_user(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = demo_copy(tmp_path / "workbook")
    out = tmp_path / "outputs"
    quarter = out / "2026Q3"
    evil = safe_name(EVIL_ID)
    definition = failing_definition(tmp_path / "settings")
    args = ["run", str(definition), "--workbook", str(workbook), "--output", str(out),
            "--notebooks", "analysis", "--accounts", f"MAAS,{EVIL_ID},{FAILING}"]

    # 0. An unknown account is a usage error before anything runs
    assert main([*args[:-1], "MAAS,NOPE"]) == 2
    assert "unknown account 'NOPE'" in capsys.readouterr().err and not out.exists()

    # 1. A run killed (kill -9) after its first account leaves only whole files ...
    run = subprocess.Popen([sys.executable, "-m", "kamkit.cli", *args, "--jobs", "1"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (quarter / "MAAS" / STAMP).exists() and time.monotonic() < deadline:
        assert run.poll() is None, "the run ended before it could be killed"
        time.sleep(0.1)
    children = psutil.Process(run.pid).children(recursive=True)
    run.send_signal(signal.SIGKILL)
    run.wait()
    psutil.wait_procs(children, timeout=60)  # a worker finishes its notebook, then stops
    assert all(not p.is_running() for p in children)
    assert (quarter / "MAAS" / "analysis.html").read_text().rstrip().endswith("</html>")
    # (a kill -9 during a write can leave only a hidden temporary file beside it)
    assert all(Path(f).name.startswith(".") for f in files(tmp_path) if f.endswith(".tmp"))

    # 2. ... and the next run completes the rest: MAAS is current and skipped, the failing
    # account fails without stopping the others, and the exit code says so; it removes what
    # the killed run's writes left
    assert main([*args, "--jobs", "2"]) == 1
    assert not [f for f in files(tmp_path) if f.endswith(".tmp")]
    summary = capsys.readouterr().out
    assert "2 accounts rendered" not in summary  # MAAS was not rendered again
    assert "1 account rendered, 1 unchanged and skipped, 1 failed" in summary
    assert f"FAILED {FAILING} analysis: RuntimeError: made to fail" in summary
    assert "Traceback" not in summary
    assert {p.name for p in tmp_path.iterdir()} == {"workbook", "outputs", "settings"}
    assert {p.name for p in quarter.iterdir()} == {"MAAS", evil, FAILING, INDEX, LOG, LOCK,
                                                   SNAPSHOT}
    for account in ("MAAS", evil):
        assert {"analysis.ipynb", "analysis.html", STAMP, OWNER} <= set(files(quarter / account))
    assert set(files(quarter / FAILING)) == {"analysis.failed.ipynb", STAMP, OWNER}
    failed = nbformat.read(quarter / FAILING / "analysis.failed.ipynb", as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in failed.cells
               for o in c.get("outputs", []))  # the failing cell, kept for diagnosis

    report = (quarter / "MAAS" / "analysis.html").read_text(encoding="utf-8")
    assert len(report.encode()) < 1_000_000
    assert "<script" not in report  # no code runs, nothing is loaded
    assert set(re.findall(r"[a-z]+://[^\s\"'<>)]+", report)) <= SVG_NAMESPACES
    assert len(re.findall(r'<svg [^>]*class="marks"', report)) >= 8
    for hidden in ("AnalysisReport.build", "In&nbsp;[", "Traceback", "papermill",
                   "Set the parameters in the next cell"):  # code, prompts, narrative cells
        assert hidden not in report
    for shown in ("Maasport Logistics B.V. (MAAS)", "2026Q3", "2026-09-30",
                  'href="#kk-a1"', "A6 Our share of wallet", 'href="../index.html"'):
        assert shown in report
    evil_report = (quarter / evil / "analysis.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in evil_report
    assert EVIL_NAME not in evil_report

    index = (quarter / INDEX).read_text(encoding="utf-8")
    links = re.findall(r'href="([^"#]+)"', index)
    assert {unquote(link) for link in links} == {
        "MAAS/analysis.html", f"{evil}/analysis.html", f"{FAILING}/analysis.failed.ipynb"}
    assert all((quarter / unquote(link)).is_file() for link in links)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index and EVIL_NAME not in index
    assert "made to fail" in index
    with (workbook / "sales.csv").open(encoding="utf-8") as f:
        maas_2025 = sum(float(r["revenue"]) for r in csv.DictReader(f)
                        if r["account_id"] == "MAAS" and r["month"].startswith("2025"))
    assert f"EUR\u00a0{maas_2025:,.0f}" in index  # key figures from the workbook
    assert index.count('<td class="kk-plan">no plan</td>') == 2  # failing and evil: said why
    assert re.search(r'<td class="kk-plan">revenue (on track|at risk|off track) '
                     r'\(forecast \d+% of target\)</td>',
                     index)  # says what it measures, beside the objectives on track
    log = (quarter / LOG).read_text(encoding="utf-8")
    assert log.count(" INFO run 2026Q3 ") == 2 and f"{FAILING} analysis failed" in log

    # 3. Nothing changed: both good accounts are skipped, the failed one is tried again
    made = {a: mtime(quarter / a / "analysis.html") for a in ("MAAS", evil)}
    assert main(args) == 1
    assert "0 accounts rendered, 2 unchanged and skipped, 1 failed" in capsys.readouterr().out
    assert made == {a: mtime(quarter / a / "analysis.html") for a in ("MAAS", evil)}

    # 4. One account's data changed: only that account is rendered again
    sales = workbook / "sales.csv"
    rows = sales.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, row in enumerate(rows) if ",MAAS," in row and row.startswith("2025"))
    rows[first] = rows[first].rsplit(",", 3)[0] + ",1,1,1\n"  # revenue, margin, volume
    sales.write_text("".join(rows), encoding="utf-8")
    assert main([*args[:-1], f"MAAS,{EVIL_ID}"]) == 0
    assert "1 account rendered, 1 unchanged and skipped, 0 failed" in capsys.readouterr().out
    assert mtime(quarter / "MAAS" / "analysis.html") != made["MAAS"]
    assert mtime(quarter / evil / "analysis.html") == made[evil]
    index = (quarter / INDEX).read_text(encoding="utf-8")
    assert "MAAS/analysis.html" in index and f"{evil}/analysis.html" in index
    assert FAILING not in index  # failed before and no longer selected


@pytest.mark.notebook  # `kamkit run` starts kernels
def test_a_pinned_report_date_makes_identical_reports(tmp_path: Path) -> None:
    path = tmp_path / "run.yaml"
    path.write_text("quarter: 2026Q3\nnotebooks: [analysis]\nreport_date: 2026-10-01\n",
                    encoding="utf-8")
    first, second = tmp_path / "first" / "2026Q3", tmp_path / "second" / "2026Q3"
    # DELTA is drawn after MAAS in one kernel, then first in a fresh one
    assert main(["run", str(path), "--accounts", "MAAS,DELTA", "--jobs", "1",
                 "--output", str(first.parent)]) == 0
    assert main(["run", str(path), "--accounts", "DELTA", "--jobs", "1",
                 "--output", str(second.parent)]) == 0
    report = (first / "DELTA" / "analysis.html").read_bytes()
    assert report == (second / "DELTA" / "analysis.html").read_bytes()
    assert b"2026-10-01" in report and b"2026-10-01" in (first / INDEX).read_bytes()


@pytest.mark.notebook  # `kamkit run` starts kernels
def test_a_run_stopped_with_ctrl_c_is_finished_by_the_same_command(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Ctrl-C (SIGINT to the process group, as a terminal sends it) after the first account:
    the message says how far the run got and what to do, in the terminal's language; the
    same command then renders only the rest, the finished account is skipped as current."""
    out = tmp_path / "outputs"
    args = ["run", str(DEFINITION), "--output", str(out), "--notebooks", "analysis",
            "--accounts", "MAAS,DELTA", "--report-date", "2026-10-01", "--jobs", "1"]
    stamp = out / "2026Q3" / "MAAS" / STAMP
    run = subprocess.Popen([sys.executable, "-m", "kamkit.cli", *args],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                           start_new_session=True, env={**os.environ, "KAMKIT_LANGUAGE": "nl"},
                           # a terminal's default: a test run in the background (nohup, CI
                           # jobs) ignores SIGINT, and a child inherits that
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 300
    while not stamp.exists() and time.monotonic() < deadline:
        assert run.poll() is None, "the run ended before it could be interrupted"
        time.sleep(0.1)
    os.killpg(run.pid, signal.SIGINT)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 130, err
    assert "kamkit: onderbroken: 1 van 2 accounts klaar. Voer dezelfde opdracht opnieuw " \
           "uit" in err and "Traceback" not in err
    recorded = stamp.read_text(encoding="utf-8")

    assert main(args) == 0
    assert "1 account rendered, 1 unchanged and skipped, 0 failed" in capsys.readouterr().out
    assert stamp.read_text(encoding="utf-8") == recorded  # MAAS: not made again


def test_the_cli_says_an_interrupted_run_in_its_language(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def stopped(_definition: object) -> None:
        raise Interrupted(Words("cli.run.interrupted", (("count", 1200), ("done", 3))))

    monkeypatch.setattr("kamkit.batch.runner.run", stopped)
    for language, said in (("en", "kamkit: interrupted: 3 of 1200 accounts complete. Run "
                                  "the same command again to finish the rest"),
                           ("nl", "kamkit: onderbroken: 3 van 1200 accounts klaar.")):
        monkeypatch.setenv("KAMKIT_LANGUAGE", language)
        assert main(["run", "--quarter", "2026Q3"]) == 130
        assert said in capsys.readouterr().err


def test_usage_errors_are_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--output", str(tmp_path)]) == 2
    assert "give the quarter to run" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text("quarter: 2026Q3\nacounts: all\n", encoding="utf-8")
    assert main(["run", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "unknown setting 'acounts'" in err and "Traceback" not in err
    assert main(["run", "--quarter", "2026Q3", "--language", "de"]) == 2
    assert "unknown language 'de'" in capsys.readouterr().err


# ------------------------------------------------------------------------------ the pieces
def test_run_definition_from_file_with_overrides() -> None:
    definition = load_definition(DEFINITION)
    assert definition.quarter == "2026Q3" and str(definition.as_of) == "2026-09-30"
    assert definition.accounts == "key_accounts"
    assert definition.folder == Path("outputs/2026Q3")
    changed = load_definition(DEFINITION, {"quarter": "2025-q4", "accounts": "MAAS, DELTA",
                                           "languages": "en,nl", "jobs": 3, "force": True})
    assert (changed.quarter, str(changed.as_of)) == ("2025Q4", "2025-12-31")
    assert changed.accounts == ("MAAS", "DELTA")
    assert changed.languages == ("en", "nl") and changed.jobs == 3 and changed.force
    workbook = load_workbook()
    assert changed.account_ids(workbook) == ["MAAS", "DELTA"]
    assert len(definition.account_ids(workbook)) == 12  # the demo's key accounts
    assert changed.parameters("MAAS", "nl") == {
        "account_id": "MAAS", "workbook": None, "as_of": "2025-12-31", "language": "nl",
        "charts": "svg", "min_strength": 3, "snapshots": str(Path("outputs").resolve())}


@pytest.mark.parametrize(("settings", "message"), [
    ({"quarter": "Q3 2026"}, "quarter: 'Q3 2026' is not a quarter"),
    ({"quarter": "2026Q3", "jobs": 0}, "jobs: expected a whole number of at least 1"),
    ({"quarter": "2026Q3", "notebooks": "forecast"}, "unknown report 'forecast'"),
    ({"quarter": "2026Q3", "accounts": []}, "accounts: the list is empty"),
    ({"quarter": "2026Q3", "accounts": {"MAAS": 1}}, "accounts: expected a list"),
    ({"as_of": "2026-02-30"}, "as_of: Cannot read the as-of date"),
])
def test_run_definition_errors_name_the_setting(settings: dict, message: str) -> None:
    with pytest.raises(KamkitError, match=re.escape(message)):
        load_definition(None, settings)


def test_a_report_without_its_notebook_is_a_clear_error(tmp_path: Path) -> None:
    shutil.copy(NOTEBOOK_FOLDER / "account_analysis.ipynb", tmp_path)
    path = tmp_path / "run.yaml"
    path.write_text(f"quarter: 2026Q3\nnotebook_folder: {tmp_path}\n"
                    "notebooks: [analysis, plan]\n", encoding="utf-8")
    with pytest.raises(KamkitError, match=r"plan needs .*account_plan\.ipynb, which does not"):
        load_definition(path)
    assert [r.name for r in load_definition(path, {"notebooks": "analysis"}).reports] == [
        "analysis"]


@pytest.mark.parametrize("account_id", [
    "../../evil", "..", ".", "/etc/passwd", "a/../../b", "C:\\x", "NUL", "", " ", "naïve",
    "x" * 300, ".hidden", "-rf"])
def test_no_account_id_leaves_the_quarter_folder(account_id: str, tmp_path: Path) -> None:
    name = safe_name(account_id)
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", name) and len(name) <= 60
    assert account_folder(tmp_path, account_id).parent == tmp_path
    assert safe_name(account_id) != safe_name(account_id + "/")


def test_plain_ids_keep_their_name_and_case_twins_are_refused() -> None:
    assert [safe_name(i) for i in ("MAAS", "van-dijk_2")] == ["MAAS", "van-dijk_2"]
    with pytest.raises(KamkitError, match="differ only in case"):
        check_distinct(["MAAS", "maas"])
    assert report_stem("analysis", "nl", ["en"]) == "analysis"
    assert report_stem("analysis", "nl", ["en", "nl"]) == "analysis.nl"


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_cache_key_follows_the_account_data_notebooks_and_settings(tmp_path: Path) -> None:
    workbook = demo_copy(tmp_path / "wb")
    definition = load_definition(DEFINITION, {"workbook": str(workbook)})
    before = load_workbook(workbook)
    keys = {a: cache_key(before.account(a), definition) for a in ("MAAS", "DELTA")}
    assert keys == {a: cache_key(before.account(a), definition) for a in keys}  # stable
    text = (workbook / "sales.csv").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if ",DELTA," in line)
    (workbook / "sales.csv").write_text(text.replace(row, row[:-1] + "9"), encoding="utf-8")
    after = load_workbook(workbook)
    assert cache_key(after.account("MAAS"), definition) == keys["MAAS"]
    assert cache_key(after.account("DELTA"), definition) != keys["DELTA"]
    in_dutch = load_definition(DEFINITION, {"workbook": str(workbook), "languages": "nl"})
    assert cache_key(after.account("MAAS"), in_dutch) != keys["MAAS"]
    assert cache_key(None, definition) is None  # an unknown account is never skipped


@pytest.mark.slow  # the fast tier's rule: no line cheaper fast tests miss
def test_cache_key_is_the_same_in_the_next_process_and_follows_kamkits_code(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The run that resumes an interrupted one computes the key in a new process: it must
    come out the same (else every account is made again); kamkit's own code is an input
    (a run of another kamkit, e.g. an upgrade between the two runs, makes them again)."""
    definition = load_definition(DEFINITION, {"report_date": "2026-10-01"})
    account = load_workbook().account("MAAS")
    snapshots = {"previous": "a", "current": "b"}
    key = cache_key(account, definition, snapshots)
    script = ("from pathlib import Path\nfrom kamkit import load_workbook\n"
              "from kamkit.batch.cache import cache_key\n"
              "from kamkit.batch.definition import load_definition\n"
              f"d = load_definition(Path({str(DEFINITION)!r}), {{'report_date': '2026-10-01'}})\n"
              "print(cache_key(load_workbook().account('MAAS'), d, "
              "{'previous': 'a', 'current': 'b'}))")
    assert subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True).stdout.strip() == key
    monkeypatch.setattr("kamkit.batch.cache.code_fingerprint", lambda: "another kamkit")
    assert cache_key(account, definition, snapshots) != key


def test_an_account_made_again_says_which_input_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A record keeps a hash of each input of its key; the next run names those that
    changed (the run log says it), so a resume that makes accounts again says why."""
    definition = load_definition(DEFINITION, {"output": str(tmp_path), "accounts": "MAAS"})
    workbook = load_workbook()
    inputs = key_inputs(workbook.account("MAAS"), definition)
    digests = input_digests(inputs)
    record = AccountRecord("MAAS", "Maasport", key_of(inputs), {"analysis": "analysis.html"},
                           inputs=digests)
    assert changed_inputs(record, digests) == []
    assert changed_inputs(record, input_digests(key_inputs(
        workbook.account("MAAS"), definition, {"previous": "a", "current": "b"}))) == [
        "snapshots"]
    assert changed_inputs(AccountRecord("MAAS", "Maasport", "old", {}), digests) == []
    assert changed_inputs(None, digests) == []

    write_record(account_folder(definition.folder, "MAAS"), record)
    monkeypatch.setattr("kamkit.batch.cache.code_fingerprint", lambda: "another kamkit")
    work = schedule(definition, workbook)
    assert [task.account_id for task in work.tasks] == ["MAAS"]
    assert work.changed == {"MAAS": ["kamkit"]}
    assert INPUT_NAMES["kamkit"] == "kamkit (its version or code)"


def test_index_page_escapes_and_links(tmp_path: Path) -> None:
    definition = load_definition(DEFINITION, {"languages": "nl,en"})
    records = [
        ("evil-1", AccountRecord(EVIL_ID, EVIL_NAME, "k", {"analysis.nl": "analysis.nl.html"},
                                 figures={"revenue": 1234.6, "revenue_growth_pct": 3.0,
                                          "share": 0.25, "share_change_pts": -1.0})),
        ("B", AccountRecord("B", "B & Co", None, {}, {"analysis.nl": "<img src=x onerror=1>"})),
    ]
    page = index_page(records, definition, definition.as_of)
    assert '<html lang="nl">' in page
    assert "&lt;script&gt;" in page and "<script" not in page and "<img" not in page
    assert "B &amp; Co" in page
    assert 'href="evil-1/analysis.nl.html"' in page and "Analyse (nl)" in page
    assert "€\u00a01.235" in page and "+3,0%" in page and "25,0%" in page and "-1,0 %-punt" in page
    assert page.count(">n.b.</td>") >= 2  # plan status, and figures that are missing
    assert "vóór 30-09-2026" in page and "2026-09-30" not in page  # dates as Dutch write them
    workbook = Path(definition.workbook or kamkit.DEMO_WORKBOOK)
    assert str(workbook.parent) not in page  # no path
    assert ("uit de demowerkmap van kamkit." if workbook == kamkit.DEMO_WORKBOOK
            else f"werkmap '{workbook.name}'") in page
    own = load_definition(DEFINITION, {"workbook": str(tmp_path / "sales-2026")})
    assert page_footer(own, "en") == (
        f"Made with kamkit {kamkit.__version__} from the workbook 'sales-2026'.")


def test_papermills_warnings_reach_the_run_log_as_text(tmp_path: Path) -> None:
    from kamkit.batch.render import AccountRenderer
    from kamkit.batch.tasks import WorkerSetup

    log = tmp_path / LOG
    papermill = logging.getLogger("papermill")
    handlers, level, propagate = list(papermill.handlers), papermill.level, papermill.propagate
    setup = WorkerSetup(load_definition(DEFINITION), dt.date(2026, 10, 1), log, tmp_path)
    renderer = AccountRenderer(setup)  # no kernel yet: the session starts one when it runs
    try:
        papermill.warning("Ignoring parameter 'colour'")
        renderer.log.write(b"a line of the kernel's own\n")
    finally:
        renderer.close()
        papermill.setLevel(level)  # as a worker process leaves it; not for the other tests
        papermill.propagate = propagate
    assert log.read_text(encoding="utf-8") == ("Ignoring parameter 'colour'\n"
                                               "a line of the kernel's own\n")
    assert papermill.handlers == handlers


def test_a_deck_whose_template_cannot_be_used_fails_with_the_reason(tmp_path: Path) -> None:
    from kamkit.batch.render import AccountRenderer
    from kamkit.batch.tasks import AccountTask, WorkerSetup

    template = tmp_path / "ours.pptx"
    template.write_text("not a deck", encoding="utf-8")
    definition = load_definition(DEFINITION, {"deck_template": str(template),
                                              "output": str(tmp_path)})
    papermill = logging.getLogger("papermill")
    level, propagate = papermill.level, papermill.propagate
    renderer = AccountRenderer(WorkerSetup(definition, dt.date(2026, 10, 1), tmp_path / LOG,
                                           tmp_path))  # no kernel: a deck needs none
    try:
        said = renderer._guarded(lambda: renderer._deck(
            AccountTask("MAAS", "Maasport", tmp_path), "en", tmp_path / "deck.pptx"))
    finally:
        renderer.close()
        papermill.setLevel(level)
        papermill.propagate = propagate
    assert isinstance(said, Words) and said.key == "cli.deck.template.unreadable"
    assert str(template) in said.said("en")  # said in the run's languages, naming the file
    assert not (tmp_path / "deck.pptx").exists()


def test_chart_ids_do_not_depend_on_what_the_kernel_drew_before() -> None:
    from kamkit.batch.convert import _own_ids

    def chart(n: int) -> str:  # as vl-convert draws it: Vega counts gradients per process
        return (f'<svg><defs><linearGradient id="gradient_{n}"/><clipPath id="clip{n + 3}"/>'
                f'</defs><path fill="url(#gradient_{n})" clip-path="url(#clip{n + 3})"/>'
                f'<use href="#gradient_{n}"/></svg>')

    shown = _own_ids(chart(1), 4)
    assert shown == _own_ids(chart(7), 4)
    assert 'id="kk4-gradient_0"' in shown and 'url(#kk4-gradient_0)' in shown
    assert 'href="#kk4-gradient_0"' in shown and 'url(#kk4-clip_0)' in shown
    assert "gradient_1" not in shown and "clip4" not in shown
    assert _own_ids(chart(1), 5) != shown  # each chart's ids are its own on the page


def test_report_keeps_outputs_only_with_contents_and_no_scripts() -> None:
    from kamkit.batch.convert import ReportConverter, ReportPage

    svg = ('<svg class="marks"><defs><linearGradient id="gradient_0"/></defs>'
           '<rect fill="url(#gradient_0)"/></svg>')
    notebook = new_notebook(cells=[
        new_markdown_cell("Note for analysts: SECRET-NARRATIVE",
                          metadata={"tags": ["narrative"]}),
        new_code_cell("account_id = 'X'", metadata={"tags": ["parameters"]}),
        new_code_cell("print('hidden code')", outputs=[
            new_output("display_data", {"text/html": "<h2>First &amp; part</h2><p>Body</p>"}),
            new_output("stream", name="stderr", text="DeprecationWarning: old"),
            new_output("display_data", {"image/svg+xml": svg}),
            new_output("display_data", {"image/svg+xml": svg}),
        ]),
        new_code_cell("1/0", outputs=[new_output("error", ename="ZeroDivisionError",
                                                 evalue="boom", traceback=["Traceback"])]),
        new_markdown_cell("Shown to management"),
    ])
    page = ReportPage("nl", "Titel <b>", (("Account", "A & B"),), "../index.html", "Terug",
                      "Inhoud", "voet")
    html = ReportConverter().convert(notebook, page)
    for gone in ("SECRET-NARRATIVE", "hidden code", "account_id", "DeprecationWarning",
                 "Traceback", "ZeroDivisionError", "<script", "://", "<link", "<b>"):
        assert gone not in html
    assert '<html lang="nl">' in html and "Titel &lt;b&gt;" in html and "A &amp; B" in html
    assert '<h2 id="section-1">First &amp; part</h2>' in html
    assert '<a href="#section-1">First &amp; part</a>' in html
    assert 'id="kk1-gradient_0"' in html and 'url(#kk2-gradient_0)' in html
    assert "Shown to management" in html


@pytest.mark.notebook
def test_kept_kernel_forgets_between_notebooks_and_stops_hung_cells(tmp_path: Path) -> None:
    from kamkit.batch.execute import KernelSession

    def notebook(name: str, source: str) -> Path:
        path = tmp_path / name
        nbformat.write(new_notebook(cells=[
            new_code_cell("value = 0", metadata={"tags": ["parameters"]}),
            new_code_cell(source)], metadata={"kernelspec": {"name": "python3", "display_name": "P",
                                                             "language": "python"}}), path)
        return path

    remember = notebook("leak.ipynb", "assert 'seen' not in globals(), 'state leaked'\n"
                                      "seen = value\nimport sys; sys.modules['json']")
    hang = notebook("hang.ipynb", "import time\ntime.sleep(60)")
    session = KernelSession(tmp_path, tmp_path)
    try:
        assert session.run(remember, {"value": 1}, 30).error is None
        assert session.run(remember, {"value": 2}, 30).error is None  # 'seen' is gone
        hung = session.run(hang, {}, 2)
        assert isinstance(hung.error, Words)  # kamkit says why, in the page's language
        assert "ran longer than 2 s" in hung.error.said("en")
        assert hung.notebook is not None  # kept for diagnosis
        assert session.run(remember, {"value": 3}, 30).error is None  # a fresh kernel
        failed = session.run(notebook("fail.ipynb", "raise ValueError('no ' + str(value))"),
                             {"value": 4}, 30)
        # an unexpected exception: its type and its message, quoted in each language
        assert isinstance(failed.error, Words)
        assert failed.error.said("en") == "ValueError: no 4"
        assert failed.error.said("nl") == "Onverwachte fout in het rapport (ValueError): “no 4”"
        # a kamkit error keeps its label and values across the kernel: said in any language
        kamkit_error = session.run(notebook("kamkit.ipynb", (
            "from kamkit.errors import KamkitError\nfrom kamkit.problems import words\n"
            "raise KamkitError.of(words('problem.placed', where='B' + str(value), "
            "text=words('problem.read.no_workbook', path='book')))")), {"value": 5}, 30)
        expected = Words("problem.placed", (("where", "B5"), ("text", Words(
            "problem.read.no_workbook", (("path", "book"),)))))
        assert kamkit_error.error == expected
        assert "Geen werkmap op book" in expected.said("nl")
        # an error the kernel showed before is not taken for this notebook's
        assert session.run(notebook("other.ipynb", "1/0"), {}, 30).error == Words(
            "batch.reason.exception", (("type", "ZeroDivisionError"),
                                       ("message", "division by zero")))
    finally:
        session.close()


def test_index_keeps_earlier_reports_and_one_run_writes_a_quarter(tmp_path: Path) -> None:
    from kamkit.batch.cache import write_record
    from kamkit.batch.runner import _only_run, write_index

    definition = load_definition(DEFINITION, {"output": str(tmp_path)})
    for account_id, failed in (("OLD", {}), ("TYPO", {"analysis": "unknown account"})):
        write_record(definition.folder / account_id,
                     AccountRecord(account_id, account_id, None, {"analysis": "analysis.html"},
                                   failed))
    (definition.folder / "OLD" / "analysis.html").write_text("<html></html>")  # TYPO's is gone
    index = write_index(definition, ["NEW"], definition.as_of).read_text(encoding="utf-8")
    assert "OLD/analysis.html" in index and "TYPO" not in index
    assert "TYPO" in write_index(definition, ["TYPO"], definition.as_of).read_text()
    busy = pytest.raises(KamkitError, match="Another `kamkit run` is writing")
    with _only_run(definition.folder), busy, _only_run(definition.folder):
        pass
