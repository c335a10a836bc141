"""Render one account: execute each report's notebook in every language, convert it to HTML
and put both files in the account's folder.

Every file is written under a temporary name and moved into place, so a killed run leaves
the previous file or the new one, never half of one. A notebook that fails keeps its
executed copy as ``<report>.failed.ipynb`` for diagnosis; the account's other reports go on.
"""

from __future__ import annotations

import io
import logging
import tempfile
import time
import traceback
from collections.abc import Callable
from functools import partial
from pathlib import Path
from urllib.parse import quote

import nbformat

from kamkit import formatting as fmt
from kamkit.atomic import write_text_atomic
from kamkit.batch import warm
from kamkit.batch.convert import ReportConverter, ReportPage
from kamkit.batch.execute import KernelSession
from kamkit.batch.index import page_footer
from kamkit.batch.layout import (
    DECK,
    PORTFOLIO,
    PORTFOLIO_DECK,
    entry_name,
    failed_name,
    other_entries,
    portfolio_decks,
    report_stem,
)
from kamkit.batch.tasks import AccountDone, AccountTask, WorkerSetup, failure
from kamkit.errors import KernelStartError, environment_words
from kamkit.labels import t
from kamkit.pdf import PdfError, print_pdf
from kamkit.problems import Words, words


class AccountRenderer:
    """Renders accounts in this process with one kept kernel and one converter."""

    def __init__(self, setup: WorkerSetup) -> None:
        self.setup = setup
        self.definition = setup.definition
        self.log = setup.log.open("ab")
        # papermill's warnings go to the run log: as text (a handler on the binary file
        # failed on every record and printed "Logging error" instead).
        self._log_text = io.TextIOWrapper(self.log, encoding="utf-8", write_through=True)
        self._log_handler = logging.StreamHandler(self._log_text)
        logger = logging.getLogger("papermill")
        logger.addHandler(self._log_handler)
        logger.setLevel(logging.WARNING)
        logger.propagate = False
        workdir = Path(tempfile.mkdtemp(prefix="worker-", dir=setup.workdir))
        # one account's bad data fails that account, not every report: as in the run; the
        # reports' modules imported with it and the rest of a kernel's first work done
        # (``warm``), so a kernel started ahead has them ready
        partial = ("from kamkit.workbook import load_partially\n"
                   f"load_partially({self.definition.parameters('', '')['workbook']!r})\n"
                   "import kamkit.report.base\n" + warm.code(self.definition.languages))
        self.session = KernelSession(workdir, self.definition.notebook_folder, stderr=self.log,
                                     prelude=partial, before_first=setup.kernel_prelude)
        self.converter = ReportConverter()

    def start_ahead(self) -> None:
        """Start the kernel now, before any task (``WorkerSetup.ahead``): while the run
        measures the portfolio. A kernel that cannot start is started again for the first
        notebook, which says why when it cannot."""
        try:
            self.session.start()
        except KernelStartError:
            self.session.close()

    def close(self) -> None:
        self.session.close()
        logging.getLogger("papermill").removeHandler(self._log_handler)
        self._log_text.detach()  # the binary log stays open until closed below
        self.log.close()

    def page(self, task: AccountTask, title_key: str, language: str) -> ReportPage:
        """The header, title and links around one report."""
        d = self.definition
        return ReportPage(
            language=language,
            title=f"{t(title_key, language, account=task.name)} · {d.quarter}",
            facts=((t("batch.fact.account", language), f"{task.name} ({task.account_id})"),
                   (t("batch.fact.quarter", language), d.quarter),
                   (t("batch.fact.made", language), fmt.date(self.setup.made, language)),
                   (t("batch.fact.as_of", language), fmt.date(d.as_of, language))),
            index_href=f"../{entry_name(language, d.languages)}",
            back=t("batch.back", language),
            contents=t("batch.contents", language),
            footer=page_footer(d, language))

    def _make(self, notebook: Path, parameters: dict[str, object], page: ReportPage,
              folder: Path, stem: str, html_name: str) -> str | Words | None:
        """Execute one notebook and write it and its HTML page into ``folder``; the error
        message when it failed (its executed copy is kept for diagnosis)."""
        result = self.session.run(notebook, parameters, self.definition.timeout)
        if result.error is not None:
            if result.notebook is not None:
                write_text_atomic(folder / failed_name(stem), nbformat.writes(result.notebook))
            return result.error
        assert result.notebook is not None  # ran through: the executed notebook
        executed = nbformat.writes(result.notebook)  # before the conversion changes it
        html = self.converter.convert(result.notebook, page, consume=True)
        write_text_atomic(folder / f"{stem}.ipynb", executed)
        write_text_atomic(folder / html_name, html)
        (folder / failed_name(stem)).unlink(missing_ok=True)
        return None

    def _report(self, task: AccountTask, title_key: str, notebook: Path, language: str,
                stem: str) -> str | Words | None:
        """Make one report; the error message when its notebook failed."""
        return self._make(notebook, self.definition.parameters(task.account_id, language),
                          self.page(task, title_key, language), task.folder, stem,
                          f"{stem}.html")

    def portfolio_page(self, language: str) -> ReportPage:
        """The header around the portfolio report: the quarter's entry page, linking to the
        entry page in the run's next language (or one an earlier run made)."""
        d = self.definition
        other, href = next(iter(other_entries(d, language)), (None, ""))
        return ReportPage(
            language=language,
            title=t("report.portfolio.title", language, quarter=d.quarter),
            facts=((t("batch.fact.quarter", language), d.quarter),
                   (t("batch.fact.made", language), fmt.date(self.setup.made, language)),
                   (t("batch.fact.as_of", language), fmt.date(d.as_of, language))),
            index_href=quote(href),
            back=t(f"batch.language.{other}", language) if other else "",
            contents=t("batch.contents", language),
            footer=page_footer(d, language),
            sortable=True, downloads=tuple(
                (t(f"batch.report.{PORTFOLIO_DECK}", language), quote(name))
                for name in portfolio_decks(d) if f".{language}." in name
                or len(d.languages) == 1))

    def render_portfolio(self, folder: Path, notebook: Path,
                         links: dict[str, dict[str, dict[str, str]]]) -> AccountDone:
        """The portfolio report in every language of the run, each the quarter's entry page
        (``entry_name``) in ``folder``; ``links``: language -> account id -> label -> href.
        Failures are returned, not raised."""
        started = time.perf_counter()
        d = self.definition
        reports: dict[str, str] = {}
        failed: dict[str, str] = {}
        words: dict[str, Words] = {}
        for language in d.languages:
            stem = report_stem(PORTFOLIO, language, d.languages)
            # a failure, also a bug of ours: the entry page falls back to the plain index
            error = self._guarded(partial(
                self._make, notebook, d.portfolio_parameters(language, links.get(language, {})),
                self.portfolio_page(language), folder, stem, entry_name(language, d.languages)))
            if error is None:
                reports[stem] = entry_name(language, d.languages)
            else:
                failure(failed, words, stem, error)
        return AccountDone(PORTFOLIO, reports, failed, len(d.languages),
                           time.perf_counter() - started, words=words)

    def render(self, task: AccountTask) -> AccountDone:
        """Every report of the run for one account; failures are returned, not raised."""
        started = time.perf_counter()
        d = self.definition
        reports: dict[str, str] = {}
        failed: dict[str, str] = {}
        words: dict[str, Words] = {}
        task.folder.mkdir(parents=True, exist_ok=True)
        files: dict[str, str] = {}
        for report in d.reports:
            for language in d.languages:
                stem = report_stem(report.name, language, d.languages)
                error = self._guarded(partial(self._report, task, report.title,
                                              d.notebook(report), language, stem))
                if error is None:
                    reports[stem] = f"{stem}.html"
                else:
                    failure(failed, words, stem, error)
        made: list[tuple[str, Callable[[], str | Words | None]]] = []
        if "pdf" in d.formats:
            made += [(f"{stem}.pdf", partial(self._pdf, task.folder / page,
                                             task.folder / f"{stem}.pdf"))
                     for stem, page in reports.items()]
        for language in d.languages if "pptx" in d.formats else ():
            deck = f"{report_stem(DECK, language, d.languages)}.pptx"
            made.append((deck, partial(self._deck, task, language, task.folder / deck)))
        for name, make in made:
            error = self._guarded(make)
            if error is None:
                files[name] = name
            else:
                failure(failed, words, name, error)
        return AccountDone(task.account_id, reports, failed,
                           len(d.reports) * len(d.languages), time.perf_counter() - started,
                           files, words)

    def _guarded(self, make: Callable[[], str | Words | None]) -> str | Words | None:
        """``make()``'s error message, also for what it raises: one file's failure is
        reported, the account's other files go on."""
        try:
            return make()
        except (KernelStartError, PdfError) as known:
            return known.words if known.words is not None else str(known)
        except OSError as environment:  # a full disk, a read-only folder
            return environment_words(environment)
        except Exception as bug:  # a bug of ours: the other reports go on
            self.log.write(traceback.format_exc().encode())
            self.log.flush()
            return words("batch.reason.internal", error=f"{type(bug).__name__}: {bug}")

    @staticmethod
    def _pdf(page: Path, target: Path) -> None:
        print_pdf(page, target)

    def _deck(self, task: AccountTask, language: str, target: Path) -> str | Words | None:
        """The account's review deck, with the changes since last quarter's snapshot; why
        not where its slide template cannot be used."""
        # only now: the decks import Altair and python-pptx, which a worker making HTML
        # reports does without (about 0.4 s of CPU at its start)
        from kamkit.deck import TemplateError, account_deck, save

        d = self.definition
        try:
            save(account_deck(d.workbook, task.account_id, d.as_of, language,
                              template=d.deck_template, snapshots=d.output.resolve(),
                              min_strength=d.min_strength), target)
        except TemplateError as unusable:  # as ``_guarded`` says a known error
            return unusable.words if unusable.words is not None else str(unusable)
        return None
