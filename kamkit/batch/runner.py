"""A quarter batch: every selected account's reports rendered by a pool of worker processes,
with a progress bar, a log, the management index and a summary.

Accounts whose reports are current (``cache``) are skipped. One failing account does not
stop the others; the run's exit code says whether any failed. Ctrl-C or a SIGTERM stops
the workers at once: files are moved into place whole, so the next run finishes the rest.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import queue
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from urllib.parse import quote

import kamkit
from kamkit.atomic import remove_leftovers, write_bytes_atomic, write_text_atomic
from kamkit.batch.cache import (
    INPUT_NAMES,
    AccountRecord,
    changed_inputs,
    input_digests,
    key_inputs,
    key_of,
    portfolio_key,
    read_record,
    write_record,
)
from kamkit.batch.definition import RunDefinition, setting_error
from kamkit.batch.index import earlier_link, index_page, report_label
from kamkit.batch.layout import (
    INDEX,
    LOCK,
    LOG,
    NOT_MADE,
    PORTFOLIO,
    PORTFOLIO_DECK,
    PORTFOLIO_STAMP,
    account_folder,
    check_distinct,
    claim_folders,
    entry_name,
    failed_name,
    portfolio_decks,
    report_stem,
    report_stems,
)
from kamkit.batch.measuring import hand_over, handed_file, measure_portfolio, prelude
from kamkit.batch.report_files import (
    Entry,
    Kept,
    failed_in,
    in_language,
    kept,
    record_language,
    without_language,
)
from kamkit.batch.snapshots import digest, entries, read_previous, write_quarter_snapshot
from kamkit.batch.tasks import AccountDone, AccountTask, PortfolioTask, WorkerSetup
from kamkit.batch.worker import context as worker_context
from kamkit.batch.worker import serve
from kamkit.errors import Interrupted, KamkitError, UnknownAccountError, environment_message
from kamkit.formatting import number
from kamkit.key_figures import account_key_figures
from kamkit.labels import message_language
from kamkit.portfolio import Snapshot
from kamkit.portfolio.assess import Measured
from kamkit.problems import NO_WORDS, Words, words
from kamkit.workbook import LeftOut, Workbook, load_workbook, workbook_fingerprint

if TYPE_CHECKING:  # imports Dask, which a run on one machine does without
    from kamkit.batch.distributed import Cluster, ClusterWorkers


_PORTFOLIO_PARTS = (PORTFOLIO, PORTFOLIO_DECK)
"""The keys of ``RunSummary.failed`` that are not accounts."""


@dataclass
class RunSummary:
    """What a run did; ``exit_code`` is 0 when every account is complete, 1 otherwise."""

    folder: Path
    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> stem -> error
    notebooks: int = 0
    seconds: float = 0.0
    notes: list[Words] = field(default_factory=list)  # what the run removed or could not link
    languages: list[str] = field(default_factory=lambda: ["en"])  # one entry page each
    # the reasons in ``failed`` that can be said in every language: id -> stem -> reason
    reasons: dict[str, dict[str, Words | LeftOut]] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    @property
    def failed_accounts(self) -> list[str]:
        """The accounts with a failed report; ``failed`` also holds the portfolio's."""
        return [key for key in self.failed if key not in _PORTFOLIO_PARTS]

    def lines(self, language: str = "en") -> list[str]:
        """What the run did, in ``language``: the counts (accounts counted as accounts, a
        failed portfolio page or deck named apart), notes, each failure and the index; a
        failure's reason in ``language`` where it has words (else as the report gave it)."""
        def seconds(value: float) -> str:
            return number(value, language, 1)

        per_notebook = (words("cli.run.per_notebook", seconds=seconds(
            self.seconds / self.notebooks)) if self.notebooks else NO_WORDS)
        portfolio = "".join(words(f"cli.run.failed.{part}").said(language)
                            for part in _PORTFOLIO_PARTS if part in self.failed)
        out = [words("cli.run.summary", accounts=words("count.accounts", count=len(self.done)),
                     skipped=len(self.skipped), failed=len(self.failed_accounts),
                     portfolio=portfolio,
                     notebooks=words("count.notebooks", count=self.notebooks),
                     seconds=seconds(self.seconds), per_notebook=per_notebook).said(language)]
        out += [note.said(language) for note in self.notes]
        for key, errors in self.failed.items():
            reasons = self.reasons.get(key, {})
            out += [words("cli.run.failed_report", account=key, report=stem, reason=(
                reasons[stem].said(language) if stem in reasons else error)).said(language)
                for stem, error in errors.items()]
        pages = [self.folder / entry_name(lang, self.languages) for lang in self.languages]
        out.append(words("cli.run.index", pages=str(pages[0]) if len(pages) == 1 else ", ".join(
            f"{page} ({lang})" for page, lang in zip(pages, self.languages, strict=True))
        ).said(language))
        return out


class _Progress:
    """A progress bar on a terminal; one line per account otherwise (logs, CI). Said in the
    terminal's language (``message_language``), as the run's summary."""

    def __init__(self, total: int, stream: TextIO, warm: int = 1,
                 language: str | None = None) -> None:
        self.total, self.stream = total, stream
        self.language = language or message_language(os.environ)
        self.warm = max(warm, 1)  # one account per worker takes its kernel's start too
        self.warmed: float | None = None  # when the warm accounts were done
        self.done = self.failed = 0
        self.bar = None
        if total and stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="account", file=stream, dynamic_ncols=True,
                            bar_format="{l_bar}{bar}| {n}/{total} "
                            + words("cli.run.bar.accounts").said(self.language)
                            + " [{elapsed}]{postfix}")

    def update(self, account_id: str, ok: bool) -> None:
        self.done += 1
        self.failed += not ok
        left = _left_words(self._seconds_left(time.monotonic()), self.language)
        if self.bar is not None:
            self.bar.set_postfix_str(words(
                "cli.run.bar.postfix", failed=self.failed, account=account_id, left=left
            ).said(self.language), refresh=False)
            self.bar.update(1)
            return
        self.stream.write(words(
            # the counter in brackets as a value: brackets in a label mark an optional part
            "cli.run.progress", counter=f"[{self.done}/{self.total}]", account=account_id,
            status=words("cli.run.progress." + ("done" if ok else "failed")),
            failed=self.failed, left=left).said(self.language) + "\n")
        self.stream.flush()

    def _seconds_left(self, now: float) -> float | None:
        """The seconds left at the pace since each worker's first account, whose kernel's
        start and warm-up make it two to three times a later one; None until that pace is
        known (a first estimate from the first account was off three to six times)."""
        if self.done == self.warm:
            self.warmed = now
        if self.warmed is None or self.done <= self.warm:
            return None
        return (now - self.warmed) / (self.done - self.warm) * (self.total - self.done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _left_words(seconds: float | None, language: str) -> str:
    """", about 40 s left" in ``language``; nothing while no estimate is known."""
    if seconds is None:
        return ""
    return words("cli.run.progress.left", seconds=f"{seconds:.0f}").said(language)


class _QuietFileHandler(logging.FileHandler):
    """The run log: a line it cannot write (a full disk) is dropped, not printed to the
    terminal with a traceback; the run says what failed where it writes the reports."""

    def handleError(self, record: logging.LogRecord) -> None:  # logging's name
        del record


def _logger(path: Path) -> logging.Logger:
    logger = logging.getLogger(f"kamkit.batch.run.{path}")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = _QuietFileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    return logger


@contextmanager
def _sigterm_stops() -> Iterator[None]:
    """A SIGTERM (a service stop, `timeout`, `kill`) stops the run like Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@dataclass
class _Schedule:
    """The accounts of a run: what to render and what is current."""

    tasks: list[AccountTask]
    keys: dict[str, str | None]
    figures: dict[str, dict]
    skipped: list[str]
    folders: dict[str, Path]
    warnings: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # errors in their data: they fail
    inputs: dict[str, dict[str, str]] = field(default_factory=dict)  # ``input_digests``
    # why an account made before is made again: the names of the inputs that changed
    changed: dict[str, list[str]] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)  # ``data_digest`` by id, for the key
    # of the portfolio page (``portfolio_key``)
    seconds: dict[str, float] = field(default_factory=dict)  # what its last run took

    def longest_first(self) -> list[AccountTask]:
        """The tasks by what their accounts took last time, longest (or not made yet)
        first: the workers then end at about the same time, with short accounts last.
        What is made does not depend on the order; the index keeps the run's."""
        return sorted(self.tasks, key=lambda task: -self.seconds.get(task.account_id,
                                                                     float("inf")))


def selected(definition: RunDefinition, workbook: Workbook) -> list[str]:
    """The ids of the accounts to render, each checked to be in the workbook and to get a
    folder of its own.

    Raises
    ------
    KamkitError
        For an empty selection, an unknown id (with "did you mean") or two ids that would
        share a folder.
    """
    ids = definition.account_ids(workbook)
    if not ids:
        raise KamkitError(f"No accounts selected ({definition.accounts}) in {workbook.path}.")
    known = workbook.account_ids_read()
    unknown = [account_id for account_id in ids if account_id not in set(known)]
    if unknown:
        first = UnknownAccountError(unknown[0], known, str(workbook.path) if definition.workbook
                                    else words("cli.run.demo_workbook")).words
        assert first is not None  # an UnknownAccountError is said in every language
        raise setting_error(definition.source, "accounts", first if len(unknown) == 1 else words(
            "cli.run.all_unknown", first=first, number=len(unknown),
            ids=", ".join(map(repr, unknown))), definition.lines, definition.given)
    check_distinct(ids)
    return ids


def schedule(definition: RunDefinition, workbook: Workbook,
             previous: Snapshot | None = None, current: Snapshot | None = None,
             measured: Measured | None = None) -> _Schedule:
    """Decide per selected account whether its reports are current or must be made; each
    account's folder is claimed for it first (``layout.claim_folders``); an account's
    entries in the previous and current quarter's snapshots are inputs of its key.
    ``measured``: the portfolio measured as of the run's date, whose accounts' key figures
    the index takes instead of computing them again."""
    ids = selected(definition, workbook)
    claim_folders({account_id: account_folder(definition.folder, account_id)
                   for account_id in ids})
    result = _Schedule([], {}, {}, [], {})
    for account_id in ids:
        folder = account_folder(definition.folder, account_id)
        if account_id in workbook.left_out:
            result.folders[account_id] = folder
            result.left_out.append(account_id)
            continue
        account = workbook.account(account_id)
        inputs = key_inputs(account, definition,
                            entries(previous, current, account_id) if current else None)
        key = key_of(inputs)
        result.data[account_id] = str(inputs["data"])
        record = read_record(folder)
        result.folders[account_id] = folder
        if not definition.force and record is not None and record.current(key, folder):
            result.skipped.append(account_id)
            continue
        result.keys[account_id] = key
        if record is not None:
            result.seconds[account_id] = record.seconds
        result.inputs[account_id] = input_digests(inputs)
        if changed := changed_inputs(record, result.inputs[account_id]):
            result.changed[account_id] = changed
        result.figures[account_id] = {}
        try:
            result.figures[account_id] = (
                dict(measured.figures[account_id])
                if measured is not None and measured.as_of == definition.as_of
                and account_id in measured.figures
                else account_key_figures(account, definition.as_of))
        except Exception as error:  # the reports matter more than the index's figures
            result.warnings.append(f"{account_id}: no key figures for the index: "
                                   f"{type(error).__name__}: {error}")
        name = account.account.name
        result.tasks.append(AccountTask(account_id, name, folder))
    return result


def _records(definition: RunDefinition, order: list[str],
             assumed: dict[str, AccountRecord] | None = None
             ) -> list[tuple[str, AccountRecord]]:
    """(folder name, record) of the quarter's accounts: this run's accounts first, in run
    order, then the others with reports made earlier this quarter (an account no longer
    selected of which no report is there is left out: one that failed, say). ``assumed``:
    folder name -> the record to take instead of the one there (``_portfolio_ahead``)."""
    rank = {account_id: i for i, account_id in enumerate(order)}
    assumed = assumed or {}
    found = [(folder.name, record) for folder in sorted(definition.folder.iterdir())
             if folder.is_dir() and (record := assumed.get(folder.name, None)
                                     or read_record(folder)) is not None
             and (record.account_id in rank or any(
                 (folder / file).is_file()
                 for file in (*record.reports.values(), *record.files.values())))]
    found.sort(key=lambda item: (rank.get(item[1].account_id, len(rank)), item[1].name))
    return found


def write_index(definition: RunDefinition, order: list[str], made: dt.date,
                languages: Sequence[str] | None = None) -> Path:
    """The quarter's plain index page in each of ``languages`` (default: the run's) from the
    records in its account folders: the entry page while the portfolio is made, or where it
    could not be. Returns the first language's page."""
    found = _records(definition, order)
    decks = [name for name in portfolio_decks(definition)
             if (definition.folder / name).is_file()]
    portfolio = (read_record(definition.folder, PORTFOLIO_STAMP)
                 if definition.portfolio_notebook is not None else None)
    for language in definition.languages if languages is None else languages:
        stem = report_stem(PORTFOLIO, language, definition.languages)
        why = (portfolio.said.get(stem, {}).get(language, portfolio.failed[stem])
               if portfolio is not None and stem in portfolio.failed else None)
        write_text_atomic(definition.folder / entry_name(language, definition.languages),
                          index_page(found, definition, made, language, decks, why))
    return definition.folder / INDEX


def write_portfolio_decks(definition: RunDefinition, workbook: Workbook, rendered: bool,
                          summary: RunSummary, log: logging.Logger) -> None:
    """The portfolio deck in each language beside the entry page, when accounts were
    rendered or a deck is missing; a deck that fails is logged and counted, the accounts'
    reports stand."""
    names = portfolio_decks(definition)
    if not names or (not rendered and all((definition.folder / name).is_file()
                                         for name in names)):
        return  # no pptx asked for, or every deck is there and nothing changed
    # only now: kamkit.deck imports the reports, which import this package
    from kamkit.deck import portfolio_deck, save

    for name, language in zip(names, definition.languages, strict=True):
        try:
            save(portfolio_deck(workbook, definition.as_of, language,
                                snapshots=definition.output.resolve(),
                                template=definition.deck_template), definition.folder / name)
            log.info("%s written", name)
            continue
        except KamkitError as error:
            message = str(error)
        except OSError as error:
            message = environment_message(error)
        except Exception as bug:  # a bug of ours: the accounts' reports stand
            log.exception("%s failed", name)
            message = f"internal error: {type(bug).__name__}: {bug}"
        log.error("%s failed: %s", name, message)
        summary.failed.setdefault(PORTFOLIO_DECK, {})[name] = message


def _portfolio_shown(definition: RunDefinition) -> set[str]:
    """The languages whose entry page is the portfolio an earlier run made."""
    record = read_record(definition.folder, PORTFOLIO_STAMP)
    if record is None or definition.portfolio_notebook is None:
        return set()
    return {lang for lang in definition.languages
            if report_stem(PORTFOLIO, lang, definition.languages) in record.reports
            and (definition.folder / entry_name(lang, definition.languages)).is_file()}


def portfolio_links(definition: RunDefinition, order: list[str],
                    assumed: dict[str, AccountRecord] | None = None
                    ) -> dict[str, dict[str, dict[str, str]]]:
    """Language -> account id -> report label -> href (from the quarter folder) of every
    report in that language made this quarter, for the portfolio page; a report of this
    run that could not be made has the href ``NOT_MADE``. ``assumed``: records to take
    instead of those in the folders (``_records``)."""
    links: dict[str, dict[str, dict[str, str]]] = {lang: {} for lang in definition.languages}
    for folder, record in _records(definition, order, assumed):
        for language in definition.languages:
            own = {report_label(name, language): f"{quote(folder)}/{quote(file)}"
                   for name, file in in_language(record, definition.folder / folder,
                                                 language).items()}
            own |= {report_label(name, language): NOT_MADE
                    for name in failed_in(record, language)}
            own |= dict(link for name in failed_in(record, language) if (
                link := earlier_link(record, definition.folder / folder, name, language))
                        is not None)
            if own:
                links[language][record.account_id] = own
    return links


def missing_languages(definition: RunDefinition, order: list[str]) -> list[Words]:
    """A line per language of the run in which accounts with reports this quarter have
    none: their entry on that language's page links nothing."""
    lines = []
    for language, ids in without_language(_records(definition, order), definition.folder,
                                          definition.languages).items():
        if ids:
            shown: str | Words = ", ".join(ids[:10])
            if len(ids) > 10:
                shown = words("find.more", items=shown, count=len(ids) - 10)
            lines.append(words("cli.run.no_language", language=language, count=len(ids),
                               shown=shown, ids=",".join(ids)))
    return lines


class _Workers:
    """Worker processes fed from one task queue; killed at once when the run stops. They
    stay until ``stop``: the portfolio is made in one of their kernels once every account
    is done (``render_portfolio``)."""

    def __init__(self, setup: WorkerSetup, tasks: list[AccountTask], jobs: int) -> None:
        definition = setup.definition
        self.setup = setup
        self.stems = report_stems(definition)
        self.portfolio_stems = [report_stem(PORTFOLIO, language, definition.languages)
                                for language in definition.languages]
        context = worker_context()
        self.tasks, self.results = context.Queue(), context.Queue()
        for task in tasks:
            self.tasks.put(task)
        self.processes = [context.Process(target=serve, daemon=True, args=(
            setup, self.tasks, self.results, dict(os.environ))) for _ in range(jobs)]
        self.holding: dict[int, str] = {}  # pid -> account being rendered
        self.added, self.taken = len(tasks), 0  # accounts given, and taken by a worker
        # the portfolio made ahead (``make_ahead``) and, once there, what was made
        self._ahead: PortfolioTask | None = None
        self._ahead_done: AccountDone | None = None
        # Started in a thread: a start waits for the fork server to import what a worker
        # uses (about 1 s of CPU, in the server's process), while the run measures the
        # portfolio meanwhile. Everything that asks after the processes waits for it.
        self._failed: BaseException | None = None
        self._starting = threading.Thread(target=self._start, name="kamkit-workers",
                                          daemon=True)
        self._starting.start()

    def _start(self) -> None:
        try:
            for process in self.processes:
                process.start()
        except BaseException as error:  # raised where the processes are asked after
            self._failed = error

    def _started(self) -> None:
        """Wait until every process is started; raise what kept one from starting."""
        self._starting.join()
        if self._failed is not None:
            failed, self._failed = self._failed, None
            raise failed

    def add(self, tasks: list[AccountTask]) -> None:
        """More accounts to render (workers started ahead get theirs once scheduled)."""
        for task in tasks:
            self.tasks.put(task)
        self.added += len(tasks)

    def _received(self) -> list[AccountDone] | None:
        """What one wait of up to a second for the workers brings: what was made, and a
        failure for what a worker that died held; None when nothing came. A portfolio made
        ahead (``make_ahead``) is kept for ``render_portfolio``."""
        try:
            kind, pid, payload = self.results.get(timeout=1.0)
        except queue.Empty:
            kind = pid = payload = None
        done: list[AccountDone] = []
        if kind == "start":
            self.holding[pid] = payload
            self.taken += payload != PORTFOLIO
        elif kind == "done":
            self.holding.pop(pid, None)
            done.append(payload)
        else:
            for process in self.processes:
                if not process.is_alive() and process.pid in self.holding:
                    account_id = self.holding.pop(process.pid)
                    error = words("batch.reason.worker_stopped", code=str(process.exitcode))
                    stems = self.portfolio_stems if account_id == PORTFOLIO else self.stems
                    done.append(AccountDone(account_id, failed=dict.fromkeys(
                        stems, error.said("en")), words=dict.fromkeys(stems, error)))
        if self._ahead is not None and self._ahead_done is None:
            for made in [d for d in done if d.account_id == PORTFOLIO]:
                self._ahead_done = made
                done.remove(made)
        return done if kind is not None else None

    def _any_alive(self) -> bool:
        return any(process.is_alive() for process in self.processes)

    def results_of(self, count: int, last: Callable[[list[str]], None] | None = None
                   ) -> Iterator[AccountDone]:
        """The results of ``count`` accounts; an account whose worker died fails. ``last``
        is called once every account is taken by a worker (with those being made, once
        what came before them is given), to queue the portfolio ahead (``make_ahead``)."""
        self._started()
        while count:
            done = self._received()
            for made in done or ():
                count -= 1
                yield made
            if done is None and count and not self._any_alive():
                raise KamkitError("Every worker process stopped; see the run log.")
            if last is not None and (running := self.running()):
                last(running)
                last = None

    def running(self) -> list[str]:
        """The accounts being made once every account is taken by a worker (none waits, a
        worker free next takes what comes: ``make_ahead``); none before, or once the
        portfolio is queued ahead."""
        if self.taken < self.added or self._ahead is not None:
            return []
        return [account for account in self.holding.values() if account != PORTFOLIO]

    def make_ahead(self, task: PortfolioTask) -> None:
        """Have the worker free first make the portfolio, into the run's folder
        ``task.folder``, while the last accounts are made (``running``), with their links
        as they will be if they are made: ``render_portfolio`` takes it if they are, else
        makes it again."""
        self._ahead = task
        self.tasks.put(task)

    def _made_ahead(self, task: PortfolioTask) -> AccountDone | None:
        """The portfolio made ahead, moved into ``task.folder``, when it was made with
        ``task``'s very links (in the same order: the page lists them so) and nothing
        failed; None otherwise."""
        ahead = self._ahead
        while self._ahead_done is None:
            if self._received() is None and not self._any_alive():
                break
        made, self._ahead, self._ahead_done = self._ahead_done, None, None
        if (ahead is None or made is None or made.failed
                or json.dumps(ahead.links) != json.dumps(task.links)):
            return None
        for stem, page in made.reports.items():  # as ``AccountRenderer`` writes them
            for name in (f"{stem}.ipynb", page):
                write_bytes_atomic(task.folder / name, (ahead.folder / name).read_bytes())
            (task.folder / failed_name(stem)).unlink(missing_ok=True)
        return made

    def render_portfolio(self, task: PortfolioTask) -> AccountDone | None:
        """The portfolio made by a worker, in its kept kernel (no kernel to start, the
        workbook read already), or the one made ahead with the same links; None when no
        worker is left to make it."""
        self._started()
        if self._ahead is not None and (made := self._made_ahead(task)) is not None:
            return made
        if not self._any_alive():
            return None
        self.tasks.put(task)
        try:
            return next(iter(self.results_of(1)))
        except KamkitError:  # every worker stopped while it was being made
            return None

    def stop(self, now: bool) -> None:
        self._starting.join()  # a process that could not start is not stopped
        for _ in () if now else self.processes:
            self.tasks.put(None)
        for process in self.processes:
            if process.pid is None:  # never started
                continue
            if now:
                process.kill()
            process.join(timeout=None if not now else 10)
        self.tasks.close()
        self.results.close()


def _cluster(definition: RunDefinition) -> AbstractContextManager[Cluster | None]:
    """The Dask cluster of a run with a ``scheduler``, connected; none without one."""
    if definition.scheduler is None:
        return nullcontext()
    try:
        from kamkit.batch.distributed import Cluster  # Dask: only when asked for
    except ImportError as missing:
        if missing.name not in ("dask", "distributed"):
            raise
        raise KamkitError("A run on a Dask cluster (scheduler) needs Dask distributed: "
                          "pip install 'kamkit[distributed]'.") from None
    return Cluster(definition.scheduler)


def _workers(setup: WorkerSetup, tasks: list[AccountTask], cluster: Cluster | None,
             workbook: Workbook, log: logging.Logger) -> _Workers | ClusterWorkers:
    """This machine's worker processes (``jobs``), or the cluster's workers."""
    if cluster is None:
        return _Workers(setup, tasks, min(setup.definition.jobs, len(tasks)))
    return cluster.workers(setup, workbook, tasks, log)


_WORKDIR = "kamkit-run-"

INDEX_EVERY = 5.0
"""Seconds between rewrites of the index while accounts are done (it is written again at
the end, and when the run is stopped): each rewrite reads every account's record, so one
after every account made a run quadratic in its accounts (65 ms each at 1,000 accounts)."""


def _workdir() -> Path:
    """A temporary folder for this run's kernels (sockets, connection files); folders left
    by runs that were killed are removed first."""
    for stale in Path(tempfile.gettempdir()).glob(f"{_WORKDIR}*-*"):
        pid = stale.name.removeprefix(_WORKDIR).split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{_WORKDIR}{os.getpid()}-"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's
        return True
    return True


@contextmanager
def _only_run(folder: Path) -> Iterator[None]:
    """One run at a time writes a quarter folder; a second one stops with a message."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    with (folder / LOCK).open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise KamkitError(f"Another `kamkit run` is writing {folder}; wait until it "
                              "ends, then run again.") from None
        remove_leftovers(folder)  # of a run killed while it wrote (the lock is ours now)
        yield


def _make_folder(folder: Path) -> None:
    """The quarter folder, made where needed; a path in the way is a message."""
    for part in (folder, *folder.parents):
        if part.exists() and not part.is_dir():
            raise KamkitError(f"{part} is a file, so {folder} cannot be a folder for the "
                              "reports; give another --output.")
        if part.exists():
            break
    folder.mkdir(parents=True, exist_ok=True)


def run(definition: RunDefinition, stream: TextIO | None = None) -> RunSummary:
    """Render every selected account's reports and the quarter's index.

    Parameters
    ----------
    definition
        What to run (``load_definition``).
    stream
        Where the progress goes (default: standard error).

    Returns
    -------
    RunSummary
    """
    started = time.perf_counter()
    fingerprint = workbook_fingerprint(definition.workbook)  # before: see measure_portfolio
    workbook = load_workbook(definition.workbook, partial=True)  # shared errors: raised
    selected(definition, workbook)  # a usage error before anything is written
    cluster = _cluster(definition)  # so is a scheduler that cannot be reached
    _make_folder(definition.folder)
    with _only_run(definition.folder), cluster as connected:
        log = _logger(definition.folder / LOG)
        handed = _workdir()  # the measurement for the run's kernels
        ahead = _start_ahead(definition, workbook, handed) if connected is None else None
        try:
            summary = _measure_and_render(definition, workbook, fingerprint, log, handed,
                                          connected, stream, ahead, started)
        except BaseException:
            if ahead is not None:  # stopped already when it got to the accounts
                ahead.stop(now=True)
                shutil.rmtree(ahead.setup.workdir, ignore_errors=True)
            shutil.rmtree(handed, ignore_errors=True)
            raise
        finally:
            _close(log)
    return summary


def _likely_work(definition: RunDefinition, workbook: Workbook) -> list[str]:
    """The selected accounts (those the workbook kept) when some of them will surely be
    rendered: forced, or one has no report made or failed last time; else none (which are
    current is known only once the quarter's snapshot is made)."""
    ids = [a for a in definition.account_ids(workbook) if a not in workbook.left_out]
    if definition.force or any(
            (record := read_record(account_folder(definition.folder, a))) is None
            or record.key is None for a in ids):
        return ids
    return []


def _start_ahead(definition: RunDefinition, workbook: Workbook,
                 handed: Path) -> _Workers | None:
    """This machine's workers, started with their kernels while the run measures the
    portfolio, when accounts will be rendered (``_likely_work``); their kernels take the
    measurement (``hand_over`` into ``handed``) before their first notebook."""
    ids = _likely_work(definition, workbook)
    if not ids:
        return None
    file = handed_file(handed)
    setup = WorkerSetup(definition, definition.report_date or dt.date.today(),
                        definition.folder / LOG, _workdir(), prelude(file), file, ahead=True)
    return _Workers(setup, [], min(definition.jobs, len(ids)))


def _measure_and_render(definition: RunDefinition, workbook: Workbook, fingerprint: str,
                        log: logging.Logger, handed: Path, connected: Cluster | None,
                        stream: TextIO | None, ahead: _Workers | None,
                        started: float) -> RunSummary:
    """The quarter's snapshot, the schedule, the accounts and the portfolio (``run``);
    ``ahead``: the workers already started, if any."""
    previous, current, measured = read_previous(definition), None, None
    try:  # measured once, in parallel where it pays; the snapshot takes the measurement
        begun, cpu = time.perf_counter(), _cpu_seconds()
        measured = measure_portfolio(workbook, definition.workbook, fingerprint,
                                     definition.as_of, definition.jobs)
        current = write_quarter_snapshot(definition, workbook,
                                         definition.account_ids(workbook), log)
        log.info("snapshot of %s: %d account(s) measured in %.1f s (%.1f s of CPU)",
                 definition.quarter, len(measured.figures), time.perf_counter() - begun,
                 _cpu_seconds() - cpu)
    except KamkitError as error:  # the reports say what is wrong; the run goes on
        log.error("no snapshot of %s: %s", definition.quarter, error)
    measured_file = (hand_over(handed, definition.workbook, fingerprint, measured)
                     if measured is not None else None)
    work = schedule(definition, workbook, previous, current, measured)
    summary = RunSummary(definition.folder, skipped=list(work.skipped),
                         languages=list(definition.languages))
    log.info("run %s as of %s: %d account(s), %d current and skipped, %d to render "
             "(reports %s, languages %s, %d job(s), kamkit %s, workbook %s, from %s)",
             definition.quarter, definition.as_of, len(work.folders), len(work.skipped),
             len(work.tasks), ",".join(r.name for r in definition.reports),
             ",".join(definition.languages), definition.jobs, kamkit.__version__,
             definition.workbook or "demo", definition.source)
    for warning in work.warnings:
        log.warning(warning)
    for account_id, changed in work.changed.items():  # the cache at work, visibly
        log.info("%s is made again: changed since its reports were made: %s", account_id,
                 ", ".join(INPUT_NAMES.get(name, name) for name in changed))
    _fail_left_out(definition, workbook, work, summary, log)
    try:
        _render(definition, workbook, work, summary, log, stream or sys.stderr, connected,
                lambda workers: _render_portfolio(definition, workbook, list(work.folders),
                                                  summary, log, previous, current,
                                                  workers, measured_file, work.data),
                measured_file, ahead,
                lambda workers, running: _portfolio_ahead(definition, workbook, work, workers,
                                                          running, previous, current))
        for line in missing_languages(definition, list(work.folders)):
            log.warning(line.said("en"))
            summary.notes.append(line)
    finally:
        shutil.rmtree(handed, ignore_errors=True)
        summary.seconds = time.perf_counter() - started
        log.info("end: %s", summary.lines()[0])
    return summary


def _cpu_seconds() -> float:
    """CPU time of this process and of its children that ended (the measuring processes)."""
    try:
        import resource
    except ImportError:  # not POSIX: this process only
        return time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _close(log: logging.Logger) -> None:
    for handler in list(log.handlers):
        handler.close()
        log.removeHandler(handler)


def _render_portfolio(definition: RunDefinition, workbook: Workbook, order: list[str],
                      summary: RunSummary, log: logging.Logger, previous: Snapshot | None,
                      current: Snapshot | None, workers: _Workers | None = None,
                      measured: Path | None = None,
                      digests: dict[str, str] | None = None) -> None:
    """The portfolio report in each language as the quarter's entry page, unless it is
    current; where it cannot be made, the plain index stays the entry page. Made by one of
    the run's ``workers`` when there are any (a kept kernel), else in this process (its
    kernel takes the run's ``measured`` portfolio, ``measuring.hand_over``). ``digests``:
    the accounts' data digests the run has (``portfolio_key``)."""
    made = definition.report_date or dt.date.today()
    notebook = definition.portfolio_notebook
    if notebook is None:
        return
    links = portfolio_links(definition, order)
    key = _portfolio_key(definition, workbook, notebook, links, previous, current, digests)
    record = read_record(definition.folder, PORTFOLIO_STAMP)
    if not definition.force and record is not None and record.current(key, definition.folder):
        log.info("portfolio current and skipped")
        return
    earlier = _portfolio_notebooks(definition, record)  # before the new pages replace them
    done = (workers.render_portfolio(PortfolioTask(definition.folder, notebook, links))
            if workers is not None else None)
    if done is None:
        done = _portfolio_here(definition, made, notebook, links, measured)
    languages = definition.languages
    write_record(definition.folder, AccountRecord(
        account_id=PORTFOLIO, name=PORTFOLIO, key=key if not done.failed else None,
        reports=done.reports, failed=done.failed,
        made=dt.datetime.now().isoformat(timespec="seconds"), seconds=round(done.seconds, 2),
        language=languages[0] if len(languages) == 1 else "", said=done.said(languages)),
        PORTFOLIO_STAMP)
    notes = []
    for language, old in earlier.items():
        new = report_stem(PORTFOLIO, language, languages)
        if new in done.reports:  # made again under its new name: the old one goes
            for name in (f"{old}.ipynb", failed_name(old)):
                if (definition.folder / name).is_file():
                    (definition.folder / name).unlink()
                    notes.append(words("cli.run.replaced", account=PORTFOLIO,
                                       new=f"{new}.ipynb", old=name))
    _tally(done, PORTFOLIO, notes, summary, log)
    if done.failed:
        for stem, error in done.failed.items():
            log.error("%s failed: %s; the entry page is the plain index", stem, error)
        write_index(definition, order, made, [
            lang for lang in definition.languages
            if report_stem(PORTFOLIO, lang, definition.languages) in done.failed])
    else:
        log.info("portfolio done: %d notebook(s) in %.1f s", done.notebooks, done.seconds)


def _portfolio_key(definition: RunDefinition, workbook: Workbook, notebook: Path,
                   links: dict[str, dict[str, dict[str, str]]], previous: Snapshot | None,
                   current: Snapshot | None, digests: dict[str, str] | None) -> str:
    """The key of the portfolio page with ``links`` (``portfolio_key``)."""
    return portfolio_key(workbook, definition, notebook,
                         [definition.portfolio_parameters(lang, links[lang])
                          for lang in definition.languages],
                         [digest(previous), digest(current), *portfolio_decks(definition)],
                         digests)


def _portfolio_ahead(definition: RunDefinition, workbook: Workbook, work: _Schedule,
                     workers: _Workers, running: list[str], previous: Snapshot | None,
                     current: Snapshot | None) -> None:
    """Have the worker free first make the portfolio page while the ``running`` accounts
    are still being made, with their links as they will be once they are made
    (``_Workers.make_ahead``): the page then need not be made alone at the run's end. Not
    when the page would be current (skipped), nor where an account makes files besides
    its HTML reports (pdf, pptx: their names are the renderer's to know)."""
    notebook = definition.portfolio_notebook
    if notebook is None or definition.formats != ("html",):
        return
    names = {task.account_id: task.name for task in work.tasks}
    assumed = {work.folders[account_id].name: _new_record(
        AccountDone(account_id, reports={stem: f"{stem}.html"
                                         for stem in report_stems(definition)}),
        work, names[account_id], definition.languages)[0] for account_id in running}
    links = portfolio_links(definition, list(work.folders), assumed)
    if not definition.force:
        record = read_record(definition.folder, PORTFOLIO_STAMP)
        key = _portfolio_key(definition, workbook, notebook, links, previous, current,
                             work.data)
        if record is not None and record.current(key, definition.folder):
            return
    staged = Path(tempfile.mkdtemp(prefix="portfolio-", dir=workers.setup.workdir))
    workers.make_ahead(PortfolioTask(staged, notebook, links))


def _portfolio_notebooks(definition: RunDefinition,
                         record: AccountRecord | None) -> dict[str, str]:
    """Language -> the stem of an earlier run's portfolio in a language of this run that
    this run names otherwise (``portfolio.en`` where a run in English only makes
    ``portfolio``): its executed notebook is replaced once the new one is made."""
    if record is None:
        return {}
    unnamed = record_language(record, definition.folder)
    found = {}
    for stem in (*record.reports, *record.failed):
        language = Entry.of(stem).language or unnamed
        if language in definition.languages and stem != report_stem(
                PORTFOLIO, language, definition.languages):
            found[language] = stem
    return found


def _portfolio_here(definition: RunDefinition, made: dt.date, notebook: Path,
                    links: dict[str, dict[str, dict[str, str]]],
                    measured: Path | None = None) -> AccountDone:
    """The portfolio made in this process, with a kernel of its own (no worker left)."""
    from kamkit.speedups import skip_unused_format_checker

    skip_unused_format_checker()
    from kamkit.batch.render import AccountRenderer  # papermill and nbconvert: only now

    workdir = _workdir()
    renderer = AccountRenderer(WorkerSetup(definition, made, definition.folder / LOG, workdir,
                                           prelude(measured), measured))
    try:
        with _sigterm_stops():
            return renderer.render_portfolio(definition.folder, notebook, links)
    finally:
        renderer.close()
        shutil.rmtree(workdir, ignore_errors=True)


def _render(definition: RunDefinition, workbook: Workbook, work: _Schedule,
            summary: RunSummary, log: logging.Logger, stream: TextIO,
            cluster: Cluster | None, portfolio: Callable[[_Workers | None], None],
            measured: Path | None = None, ahead: _Workers | None = None,
            portfolio_ahead: Callable[[_Workers, list[str]], None] | None = None) -> None:
    """Render the scheduled accounts with the workers, keeping records and the index, then
    the ``portfolio`` (given this machine's workers, still running, when there are any).
    ``measured``: the portfolio measured by the run, for the kernels (``hand_over``);
    ``ahead``: workers started already (``_start_ahead``); ``portfolio_ahead``: given the
    workers and the accounts they still make once every account is taken, has them make
    the portfolio ahead (``_portfolio_ahead``)."""
    made = definition.report_date or dt.date.today()  # the date the reports carry
    order = list(work.folders)
    shown = _portfolio_shown(definition)  # stays the entry page until the new one is made
    plain = [lang for lang in definition.languages if lang not in shown]
    workdir = ahead.setup.workdir if ahead is not None else _workdir()
    progress = _Progress(len(work.tasks), stream, warm=min(definition.jobs, len(work.tasks)))
    workers: _Workers | ClusterWorkers | None = ahead
    try:
        with _sigterm_stops():
            if ahead is not None:
                ahead.add(work.longest_first())
            elif work.tasks:
                setup = WorkerSetup(definition, made, definition.folder / LOG, workdir,
                                    prelude(measured), measured)
                workers = _workers(setup, work.longest_first(), cluster, workbook, log)
            if workers is not None:
                names = {task.account_id: task.name for task in work.tasks}
                written = time.monotonic()
                last = (partial(portfolio_ahead, workers) if portfolio_ahead is not None
                        and isinstance(workers, _Workers) else None)
                for done in (workers.results_of(len(work.tasks), last)
                             if isinstance(workers, _Workers)
                             else workers.results_of(len(work.tasks))):
                    _record(done, work, names, summary, log, definition.languages)
                    progress.update(done.account_id, not done.failed)
                    if time.monotonic() - written >= INDEX_EVERY:
                        write_index(definition, order, made, plain)
                        written = time.monotonic()
                if not isinstance(workers, _Workers):  # a cluster's: its part is done
                    workers.stop(now=False)
            write_portfolio_decks(definition, workbook, bool(work.tasks), summary, log)
            write_index(definition, order, made, plain)
            portfolio(workers if isinstance(workers, _Workers) else None)
            if isinstance(workers, _Workers):
                workers.stop(now=False)
    except KeyboardInterrupt:
        log.warning("interrupted: %d account(s) rendered, the rest is left for the next run",
                    len(summary.done))
        if workers is not None:
            workers.stop(now=True)
        with suppress(OSError):  # the index shows what was made
            write_index(definition, order, made, plain)
        raise Interrupted(_interrupted(definition, len(order),
                                       len(summary.done) + len(summary.skipped))) from None
    finally:
        progress.close()
        shutil.rmtree(workdir, ignore_errors=True)


def _interrupted(definition: RunDefinition, count: int, done: int) -> Words:
    """How far an interrupted run got and how to finish it: the same command again, or,
    after ``--force`` (which would make the complete ones again), that command without it."""
    return words("cli.run.interrupted" + ("_forced" if definition.force else ""),
                 count=count, done=done)


def _fail_left_out(definition: RunDefinition, workbook: Workbook, work: _Schedule,
                   summary: RunSummary, log: logging.Logger) -> None:
    """Record the selected accounts the workbook left out for errors in their own data as
    failed: every report with those errors (file, row, column, reason), on the index in
    its language; the other accounts are rendered."""
    for account_id in work.left_out:
        left = workbook.left_out[account_id]
        stems = report_stems(definition)
        for stem in stems:  # an earlier run's failed notebook is not why it fails now
            (work.folders[account_id] / failed_name(stem)).unlink(missing_ok=True)
        done = AccountDone(account_id, failed=dict.fromkeys(stems, left.said("en")))
        _record(done, work, {account_id: left.account.name}, summary, log,
                definition.languages,
                {stem: {lang: left.said(lang) for lang in definition.languages}
                 for stem in stems})
        summary.reasons[account_id] = dict.fromkeys(stems, left)


def _tally(done: AccountDone, key: str, notes: list[Words], summary: RunSummary,
           log: logging.Logger) -> None:
    """Add what was made for ``key`` (an account id or the portfolio) to the run's summary:
    its notebooks, its failures and the ``notes`` (logged too, in English as the log)."""
    for note in notes:
        log.info(note.said("en"))
        summary.notes.append(note)
    summary.notebooks += done.notebooks
    if done.failed:
        summary.failed[key] = done.failed
        summary.reasons[key] = dict(done.words)


def _new_record(done: AccountDone, work: _Schedule, name: str, languages: Sequence[str],
                said: dict[str, dict[str, str]] | None = None) -> tuple[AccountRecord, Kept]:
    """An account's record after ``done`` (``_record``), and what it keeps of its folder's."""
    account_id = done.account_id
    folder = work.folders[account_id]
    now = kept(read_record(folder), done, languages, folder)
    return AccountRecord(
        account_id=account_id, name=name,
        key=work.keys.get(account_id) if not done.failed else None,
        reports=now.reports, failed=done.failed, files=now.files,
        figures=work.figures.get(account_id, {}),
        made=dt.datetime.now().isoformat(timespec="seconds"), seconds=round(done.seconds, 2),
        language=languages[0] if len(languages) == 1 else "",
        said={**done.said(languages), **(said or {})}, earlier=now.earlier,
        inputs=work.inputs.get(account_id, {}) if not done.failed else {}), now


def _record(done: AccountDone, work: _Schedule, names: dict[str, str], summary: RunSummary,
            log: logging.Logger, languages: Sequence[str],
            said: dict[str, dict[str, str]] | None = None) -> None:
    """Keep what a worker made for one account: its record (with the reports of earlier
    runs this quarter in languages this run did not make), the log and the summary; a file
    of an earlier run that this run replaced under another name is removed."""
    account_id = done.account_id
    folder = work.folders[account_id]
    record, now = _new_record(done, work, names[account_id], languages, said)
    write_record(folder, record)
    notes = []
    for old, new in now.replaced.items():
        (folder / old).unlink(missing_ok=True)
        notes.append(words("cli.run.replaced", account=account_id, new=new, old=old))
    _tally(done, account_id, notes, summary, log)
    if done.failed:
        for stem, error in done.failed.items():
            log.error("%s %s failed: %s", account_id, stem, error)
    else:
        summary.done.append(account_id)
        log.info("%s done: %d notebook(s) in %.1f s", account_id, done.notebooks, done.seconds)
