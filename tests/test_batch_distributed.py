"""`kamkit run --scheduler`: the accounts rendered on a Dask distributed cluster started by
the test (a scheduler and two worker processes on 127.0.0.1) make the files a run on this
machine makes, byte for byte but for timings; a failing account fails alone; Dask is not
imported without a scheduler; the workbook and snapshots reach a worker prepared."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from kamkit import KamkitError, load_workbook, workbook_cache
from kamkit.batch import load_definition
from kamkit.batch.layout import LOG, STAMP, snapshot_path
from kamkit.batch.shipping import deliver, pack, receive, unpack
from kamkit.batch.tasks import AccountDone
from kamkit.cli import main
from kamkit.portfolio import find_snapshot
from kamkit.workbook import load_workbook_cached
from tests.test_batch import FAILING, failing_definition

ACCOUNTS = f"MAAS,{FAILING},DELTA"
"""Two accounts that render and one whose analysis fails (``failing_definition``)."""


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A local cluster of two single-threaded worker processes; its scheduler's address."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0") as cluster:
        yield cluster.scheduler_address


def _comparable(path: Path) -> bytes:
    """A file as two runs of the same reports must write it: an executed notebook without
    papermill's timings, temporary paths and the injected cell's random id; a record
    without when it was made and how long it took."""
    if path.suffix == ".ipynb":
        notebook = json.loads(path.read_bytes())
        notebook["metadata"].pop("papermill", None)
        for cell in notebook["cells"]:
            cell.pop("id", None)
            cell["metadata"].pop("papermill", None)
            cell["metadata"].pop("execution", None)
        return json.dumps(notebook, sort_keys=True).encode()
    if path.name == STAMP:
        record = json.loads(path.read_bytes())
        del record["made"], record["seconds"]
        return json.dumps(record, sort_keys=True).encode()
    return path.read_bytes()


def _files(folder: Path) -> dict[str, Path]:
    return {str(p.relative_to(folder)): p for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in (LOG, ".kamkit-run.lock")}


def _kernels(pid: int) -> list[psutil.Process]:
    return [p for p in psutil.Process(pid).children(recursive=True)
            if "ipykernel" in " ".join(p.cmdline())]


@pytest.mark.notebook  # kernels on the cluster's workers and here
def test_a_cluster_run_writes_what_a_local_run_writes(
        tmp_path: Path, scheduler: str, capsys: pytest.CaptureFixture[str]) -> None:
    definition = failing_definition(tmp_path / "settings")  # a notebook folder of its own
    out = tmp_path / "outputs"
    args = ["run", str(definition), "--output", str(out), "--notebooks", "analysis",
            "--accounts", ACCOUNTS, "--report-date", "2026-10-01"]

    assert main([*args, "--jobs", "2"]) == 1
    local = capsys.readouterr().out
    (out / "2026Q3").rename(tmp_path / "local")  # the same output path for both runs

    assert main([*args, "--scheduler", scheduler]) == 1
    summary = capsys.readouterr().out
    for said in ("2 accounts rendered, 0 unchanged and skipped, 1 failed",
                 f"FAILED {FAILING} analysis: RuntimeError: made to fail"):
        assert said in local and said in summary
    assert "Traceback" not in summary

    cluster, expected = _files(out / "2026Q3"), _files(tmp_path / "local")
    assert cluster.keys() == expected.keys()
    assert {"MAAS/analysis.html", "DELTA/analysis.html", f"{FAILING}/analysis.failed.ipynb",
            "index.html", "snapshot.json"} <= cluster.keys()
    for name, path in cluster.items():
        assert _comparable(path) == _comparable(expected[name]), name
    assert not [p for p in tmp_path.rglob("*.tmp")]

    log = (out / "2026Q3" / LOG).read_text(encoding="utf-8")
    assert f"on the Dask cluster at {scheduler}: 2 worker(s)" in log
    assert f"{FAILING} analysis failed: RuntimeError: made to fail" in log
    assert "MAAS done" in log and "DELTA done" in log

    # the run's end removed its plugin from the workers, which stopped their kernels
    from distributed import Client

    with Client(scheduler, set_as_default=False) as client:
        plugins = client.run(lambda dask_worker: list(dask_worker.plugins))
        pids = client.run(os.getpid).values()
    assert not [name for names in plugins.values() for name in names
                if name.startswith("kamkit-run-")]
    assert not [kernel for pid in pids for kernel in _kernels(pid)]

    # unchanged: every account that rendered is current and skipped, as on one machine
    assert main([*args, "--scheduler", scheduler]) == 1
    assert "0 accounts rendered, 2 unchanged and skipped, 1 failed" in capsys.readouterr().out


def test_a_scheduler_nobody_listens_on_is_a_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import kamkit.batch.distributed

    monkeypatch.setattr(kamkit.batch.distributed, "CONNECT_TIMEOUT", 2)
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    assert main(["run", "--quarter", "2026Q3", "--accounts", "MAAS", "--output",
                 str(tmp_path), "--scheduler", address]) == 2
    error = capsys.readouterr().err
    assert f"Cannot reach the Dask scheduler at {address}" in error
    assert "Traceback" not in error
    assert not list(tmp_path.iterdir())  # found before anything is written


def test_a_cluster_without_workers_is_a_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from distributed import LocalCluster

    import kamkit.batch.distributed

    monkeypatch.setattr(kamkit.batch.distributed, "CONNECT_TIMEOUT", 1)
    with LocalCluster(n_workers=0, processes=True, host="127.0.0.1",
                      dashboard_address=":0") as cluster:
        address = cluster.scheduler_address
        assert main(["run", "--quarter", "2026Q3", "--accounts", "MAAS", "--output",
                     str(tmp_path), "--scheduler", address]) == 2
    assert f"The Dask scheduler at {address} has no workers" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(("value", "ok"), [
    ("tcp://10.0.0.5:8786", True), ("10.0.0.5:8786", True), ("tls://[::1]:8786", True),
    ("tcp://a b:1", False), ("http://host/path", False), (8786, False)])
def test_the_scheduler_setting_is_checked(value: object, ok: bool) -> None:
    settings = {"quarter": "2026Q3", "scheduler": value}
    if ok:
        assert load_definition(None, settings).scheduler == value
    else:
        with pytest.raises(KamkitError, match="scheduler: expected a Dask scheduler address"):
            load_definition(None, settings)
    assert load_definition(None, {"quarter": "2026Q3"}).scheduler is None


@pytest.mark.slow  # the fast tier's rule: no line cheaper fast tests miss
def test_a_run_without_a_scheduler_does_not_import_dask() -> None:
    code = ("import sys, kamkit.cli, kamkit.batch.runner\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', "
            "'distributed')))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout
    assert found.strip() == "[]"


def test_a_worker_reads_the_shipped_workbook_and_snapshots_where_the_files_are_not(
        tmp_path: Path) -> None:
    """What ``pack`` sends is what a worker (and each of its kernels) reads, by the run
    machine's paths, in a process where those paths do not exist."""
    workbook = tmp_path / "client" / "workbook"
    shutil.copytree(load_workbook().path, workbook)
    out = tmp_path / "client" / "outputs"
    snapshot = snapshot_path(out, "2026Q2")
    snapshot.parent.mkdir(parents=True)
    snapshot.write_text(json.dumps({"format": "kamkit-portfolio-snapshot", "version": 1,
                                    "as_of": "2026-06-30", "accounts": {}}), encoding="utf-8")
    definition = load_definition(None, {"quarter": "2026Q3", "workbook": str(workbook),
                                        "output": str(out), "notebooks": "analysis"})
    expected = load_workbook(workbook)
    parcel = pack(definition, expected, definition.as_of)
    assert set(parcel.notebooks) == {"account_analysis.ipynb"}
    assert set(parcel.workbook) == set(workbook_cache.encode(expected._tables, {}, []))
    assert all(name.endswith((".arrow", ".json", ".jsonl")) for name in parcel.workbook)
    shutil.rmtree(tmp_path / "client")  # the worker's machine has none of it

    code = (f"import sys; sys.path.insert(0, {str(Path.cwd())!r})\n"
            "from kamkit.batch.shipping import receive\n"
            f"receive({str(tmp_path / 'worker')!r})\n"
            "from kamkit.workbook import load_workbook_cached\n"
            "from kamkit.portfolio import find_snapshot\n"
            f"book = load_workbook_cached({str(workbook)!r})\n"
            "print(len(book.account_ids), book.path)\n"
            f"print(find_snapshot({str(snapshot)!r})['as_of'])\n")
    worker = unpack(parcel, tmp_path / "worker")
    assert worker.notebook_folder == tmp_path / "worker" / "notebooks"
    assert worker.parameters("MAAS", "en") == definition.parameters("MAAS", "en")
    kernel = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={**os.environ, "KAMKIT_CACHE": "0"}).stdout
    assert kernel.split() == [str(len(expected.account_ids)), str(workbook.resolve()),
                              "2026-06-30"]
    # and in this process, as the worker itself renders decks
    receive(tmp_path / "worker")
    book = load_workbook_cached(workbook)
    assert book.account_ids == expected.account_ids
    assert book.table("sales").equals(expected.table("sales"))
    assert find_snapshot(snapshot) is not None


def test_what_a_worker_sends_back_is_written_whole_into_the_account_folder(
        tmp_path: Path) -> None:
    from kamkit.batch.shipping import Rendered

    folder = tmp_path / "MAAS"
    folder.mkdir()
    (folder / "analysis.failed.ipynb").write_text("{}", encoding="utf-8")  # an earlier failure
    (folder / "plan.html").write_text("old", encoding="utf-8")
    done = AccountDone("MAAS", reports={"analysis": "analysis.html"},
                       failed={"plan": "RuntimeError: x"}, notebooks=2)
    got = deliver(Rendered(done, {"analysis.html": b"<html>", "analysis.ipynb": b"{}",
                                  "plan.failed.ipynb": b"{1}"}), folder)
    assert got == done
    assert {p.name for p in folder.iterdir()} == {"analysis.html", "analysis.ipynb",
                                                 "plan.failed.ipynb", "plan.html"}
    assert (folder / "analysis.html").read_bytes() == b"<html>"
    assert (folder / "plan.html").read_text(encoding="utf-8") == "old"  # as on one machine
