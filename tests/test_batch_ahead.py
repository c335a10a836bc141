"""The portfolio page made ahead: once every account is taken by a worker, the worker free
first makes the page while the last accounts are made, with their links as they will be once
made; the run keeps that page when the links come out so, and has it made again when they do
not (an account that failed). No kernels: the workers' side of the queues is played here."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import multiprocessing.forkserver
from pathlib import Path

import pytest

from kamkit.batch import cache, runner, worker
from kamkit.batch.definition import load_definition
from kamkit.batch.layout import PORTFOLIO, failed_name
from kamkit.batch.tasks import AccountDone, AccountTask, PortfolioTask, WorkerSetup
from kamkit.workbook import AccountData, load_workbook

SPAWN = multiprocessing.get_context("spawn")


class _Idle:
    """A worker process that is there and does nothing: the test puts its messages."""

    count = 0

    def __init__(self, **_: object) -> None:
        _Idle.count += 1
        self.pid = 1000 + _Idle.count
        self.exitcode = None

    def start(self) -> None:
        pass

    def is_alive(self) -> bool:
        return True

    def kill(self) -> None:
        pass

    def join(self, timeout: float | None = None) -> None:
        pass


class _Context:
    Process = _Idle

    @staticmethod
    def Queue() -> object:  # multiprocessing's name
        return SPAWN.Queue()


def _workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> runner._Workers:
    """Two idle workers, given the accounts A and B, each taking one."""
    monkeypatch.setattr(runner, "worker_context", _Context)
    definition = load_definition(None, {"quarter": "2026Q3", "output": str(tmp_path)})
    workers = runner._Workers(WorkerSetup(definition, dt.date(2026, 10, 1), tmp_path / "log",
                                          tmp_path), [], 2)
    workers.add([AccountTask(a, a, tmp_path / a) for a in ("A", "B")])
    for _ in "AB":  # as the workers take them
        workers.tasks.get(timeout=5)
    first, second = (process.pid for process in workers.processes)
    workers.results.put(("start", first, "A"))
    workers.results.put(("start", second, "B"))
    return workers


def _staged(folder: Path) -> PortfolioTask:
    """A portfolio made ahead into ``folder``, linking A's analysis."""
    folder.mkdir()
    (folder / "portfolio.ipynb").write_text("notebook", encoding="utf-8")
    (folder / "index.html").write_text("page", encoding="utf-8")
    return PortfolioTask(folder, Path("portfolio.ipynb"), {"en": {"A": {"x": "A/x.html"}}})


def test_a_portfolio_made_ahead_with_the_links_it_gets_is_the_runs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workers = _workers(tmp_path, monkeypatch)
    first, second = (process.pid for process in workers.processes)
    assert workers.running() == []  # A and B are not even taken as far as known
    workers.results.put(("done", first, AccountDone("A")))
    last: list[list[str]] = []
    assert [done.account_id for done in workers.results_of(1, last.append)] == ["A"]
    assert last == [["A", "B"]]  # once both were taken: the worker free first makes it
    assert workers.running() == ["B"]
    ahead = _staged(tmp_path / "staged")
    workers.make_ahead(ahead)
    assert workers.tasks.get(timeout=5) == ahead
    assert workers.running() == []  # once only
    workers.results.put(("start", first, PORTFOLIO))
    workers.results.put(("done", first, AccountDone(PORTFOLIO, {"portfolio": "index.html"})))
    workers.results.put(("done", second, AccountDone("B")))
    assert [done.account_id for done in workers.results_of(1)] == ["B"]  # the page aside
    quarter = tmp_path / "quarter"
    quarter.mkdir()
    (quarter / failed_name("portfolio")).write_text("of an earlier run", encoding="utf-8")
    made = workers.render_portfolio(PortfolioTask(quarter, ahead.notebook, ahead.links))
    assert made is not None and made.reports == {"portfolio": "index.html"}
    assert (quarter / "index.html").read_text(encoding="utf-8") == "page"
    assert (quarter / "portfolio.ipynb").read_text(encoding="utf-8") == "notebook"
    assert not (quarter / failed_name("portfolio")).exists()
    assert workers.tasks.empty()  # not made again
    workers.stop(now=True)


@pytest.mark.parametrize("other", ["links", "failed"])
def test_a_portfolio_made_ahead_for_other_links_is_made_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, other: str) -> None:
    workers = _workers(tmp_path, monkeypatch)
    first, _ = (process.pid for process in workers.processes)
    ahead = _staged(tmp_path / "staged")
    workers.make_ahead(ahead)
    workers.tasks.get(timeout=5)
    failed = {"portfolio": "no"} if other == "failed" else {}
    workers.results.put(("done", first, AccountDone(PORTFOLIO, {"portfolio": "index.html"}
                                                    if not failed else {}, failed)))
    quarter = tmp_path / "quarter"
    quarter.mkdir()
    links = ({"en": {"A": {"x": runner.NOT_MADE}}} if other == "links" else ahead.links)
    again = AccountDone(PORTFOLIO, {"portfolio": "index.html"}, seconds=1.0)
    workers.results.put(("done", first, again))  # what the worker makes when asked again
    assert workers.render_portfolio(PortfolioTask(quarter, ahead.notebook, links)) == again
    assert workers.tasks.get(timeout=5).links == links  # asked again, with the real links
    assert not (quarter / "index.html").exists()  # the page made ahead is not taken
    workers.stop(now=True)


def test_the_portfolio_key_takes_the_digests_given(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The run passes the data digests its schedule made: only the others are made again,
    and the key is the one made from them all."""
    made: list[str] = []

    def digest(account: AccountData) -> str:
        made.append(account.account_id)
        return f"digest of {account.account_id}"

    monkeypatch.setattr(cache, "data_digest", digest)
    workbook = load_workbook()
    definition = load_definition(None, {"quarter": "2026Q3", "output": str(tmp_path)})
    notebook = definition.portfolio_notebook
    assert notebook is not None
    anew = cache.portfolio_key(workbook, definition, notebook, [], [])
    every = list(made)
    made.clear()
    given = cache.portfolio_key(workbook, definition, notebook, [], [],
                                {"MAAS": "digest of MAAS"})
    assert given == anew and made == [a for a in every if a != "MAAS"]
    assert cache.portfolio_key(workbook, definition, notebook, [], [],
                               {"MAAS": "another"}) != anew


def test_the_fork_server_starts_early_only_where_workers_will_likely_fork(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[bool] = []
    monkeypatch.setattr(multiprocessing.forkserver, "ensure_running",
                        lambda: started.append(True))
    forks = multiprocessing.get_all_start_methods()

    def early(**settings: object) -> bool:
        started.clear()
        worker.start_early(load_definition(None, {"quarter": "2026Q3",
                                                  "output": str(tmp_path), **settings}))
        return bool(started)

    assert early() == ("forkserver" in forks)  # the quarter's folder not made yet
    (tmp_path / "2026Q3").mkdir()
    assert not early()  # made: which accounts are current is not known yet
    assert early(force=True) == ("forkserver" in forks)
    assert not early(force=True, scheduler="tcp://127.0.0.1:8786")  # a cluster's workers


def test_accounts_are_given_to_the_workers_longest_first(tmp_path: Path) -> None:
    """By what they took last time; one not made before first (nothing known of it); the
    run's order where they took the same."""
    tasks = [AccountTask(a, a, tmp_path / a) for a in ("A", "B", "C", "D")]
    work = runner._Schedule(tasks, {}, {}, [], {}, seconds={"A": 1.2, "B": 3.0, "D": 1.2})
    assert [task.account_id for task in work.longest_first()] == ["C", "B", "A", "D"]
