"""Why a report, PDF or deck failed, in the entry page's language: a PDF nothing can print, a
deck template that cannot be read, a kernel that does not start, a full disk. Each reason is
a label in every language (``Words``), never an English text on the Dutch page. No kernel
runs: the renderer's kernel session is replaced by one whose results are given."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from kamkit import pdf
from kamkit.batch import execute
from kamkit.batch.cache import AccountRecord
from kamkit.batch.definition import load_definition
from kamkit.batch.execute import KernelSession
from kamkit.batch.index import _shortened, index_page
from kamkit.batch.render import AccountRenderer
from kamkit.batch.tasks import AccountDone, AccountTask
from kamkit.errors import (
    KernelStartError,
    UnknownAccountError,
    WorkbookError,
    environment_message,
    last_raised,
)
from kamkit.problems import Problem, Severity, Words, words
from kamkit.report.html import text
from kamkit.workbook import load_workbook
from tests.conftest import MINI


def _renderer(tmp_path: Path, run, **settings: object) -> AccountRenderer:
    """A renderer of the mini workbook in en and nl whose notebooks ``run`` executes."""
    definition = load_definition(None, {"quarter": "2025Q4", "workbook": str(MINI),
                                        "output": str(tmp_path / "out"),
                                        "languages": ["en", "nl"], "notebooks": ["analysis"],
                                        **settings})
    renderer = AccountRenderer.__new__(AccountRenderer)  # no kernel: its results are given
    renderer.setup = SimpleNamespace(made=dt.date(2026, 1, 5))
    renderer.definition = definition
    renderer.log = (tmp_path / "log").open("wb")
    renderer.session = SimpleNamespace(run=run)
    renderer.converter = SimpleNamespace(convert=lambda *_, **__: "<html></html>")
    return renderer


def _ran(*_: object) -> SimpleNamespace:
    return SimpleNamespace(error=None, notebook=nbformat.v4.new_notebook())


def _rendered(tmp_path: Path, run=_ran, **settings: object) -> AccountDone:
    renderer = _renderer(tmp_path, run, **settings)
    try:
        return renderer.render(AccountTask("A1", "Alpha", tmp_path / "out" / "2025Q4" / "A1"))
    finally:
        renderer.log.close()


def _in_dutch(done: AccountDone, tmp_path: Path, *expected: str) -> None:
    """Every failure of ``done`` has its reason in Dutch, different from its English, with
    ``expected`` in it; the Dutch entry page shows the Dutch reasons and no English one."""
    assert done.failed
    assert set(done.words) == set(done.failed), "a reason said in English only"
    said = done.said(["en", "nl"])
    for name, english in done.failed.items():
        assert said[name]["en"] == english
        assert said[name]["nl"] != english
        for part in expected:
            assert part in said[name]["nl"], said[name]["nl"]
    record = AccountRecord("A1", "Alpha", None, done.reports, done.failed, done.files,
                           said=done.said(["en", "nl"]))
    definition = load_definition(None, {"quarter": "2025Q4", "workbook": str(MINI),
                                        "output": str(tmp_path / "out"),
                                        "languages": ["en", "nl"]})
    page = index_page([("A1", record)], definition, dt.date(2026, 1, 5), "nl")
    for name, english in done.failed.items():
        assert text(_shortened(said[name]["nl"])) in page  # as the page shows it
        assert text(_shortened(english)) not in page


def test_a_pdf_nothing_can_print_says_why_in_dutch(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "chromium", lambda: None)
    monkeypatch.setattr(pdf, "_weasyprint", lambda: None)
    done = _rendered(tmp_path, formats=["html", "pdf"])
    assert set(done.failed) == {"analysis.en.pdf", "analysis.nl.pdf"}
    _in_dutch(done, tmp_path, "geen van beide is geïnstalleerd")


def test_a_pdf_chromium_does_not_print_says_why_in_dutch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "chromium", lambda: "/bin/true")  # prints nothing
    done = _rendered(tmp_path, formats=["html", "pdf"])
    _in_dutch(done, tmp_path, "Chromium kon", "niet als pdf afdrukken")


def test_a_deck_template_that_is_not_a_pptx_says_why_in_dutch(tmp_path: Path) -> None:
    template = tmp_path / "template.pptx"
    template.write_text("not a presentation", encoding="utf-8")
    done = _rendered(tmp_path, formats=["html", "pptx"], deck_template=str(template))
    assert set(done.failed) == {"deck.en.pptx", "deck.nl.pptx"}
    _in_dutch(done, tmp_path, "is niet te lezen als PowerPoint-sjabloon")


def test_a_kernel_that_does_not_start_says_why_in_dutch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def refuse(*_: object, **__: object) -> None:
        raise RuntimeError("no kernel here")

    monkeypatch.setattr(execute.AsyncKernelManager, "start_kernel", refuse)
    session = KernelSession(tmp_path / "work", tmp_path, attempts=1)
    with pytest.raises(KernelStartError) as raised:
        session.start()
    assert raised.value.words is not None

    def run(*_: object) -> None:
        raise raised.value

    done = _rendered(tmp_path, run)
    assert set(done.failed) == {"analysis.en", "analysis.nl"}
    _in_dutch(done, tmp_path, "kon na 1 pogingen niet starten", "no kernel here")


def test_a_full_disk_says_why_in_dutch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    done = _rendered(tmp_path)
    _in_dutch(done, tmp_path, "geen ruimte meer op", "maak ruimte vrij")


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES,
                                  errno.ENOTDIR, errno.EISDIR, errno.EEXIST, errno.ENOENT,
                                  errno.ENAMETOOLONG, errno.EIO])
def test_every_file_system_error_in_every_language(code: int) -> None:
    error = OSError(code, os.strerror(code), "out/x.html")
    english, dutch = environment_message(error), environment_message(error, "nl")
    assert "out/x.html" in english and "out/x.html" in dutch
    assert english != dutch and english.endswith("run again.")
    assert dutch.endswith("probeer het opnieuw.")
    unnamed = OSError(code, os.strerror(code))
    assert "de schijf" in environment_message(unnamed, "nl")


def test_a_worker_with_another_kamkit_says_why_in_dutch() -> None:
    from kamkit.batch.distributed import _failed
    from kamkit.batch.shipping import refusal

    reason = refusal(SimpleNamespace(kamkit=("0.0.1", "0123456789abcdef")))
    assert reason is not None
    done = _failed("A1", ["analysis.en", "analysis.nl"], reason)
    said = done.said(["nl"])
    assert set(said) == set(done.failed)
    assert all("installeer dezelfde kamkit" in s["nl"] for s in said.values())


def _raised_in_a_kernel(error: BaseException) -> Words:
    """What the run hears of ``error`` raised in a report notebook: the kernel's answer to
    ``LAST_RAISED`` (JSON), read back as the run reads it."""
    try:
        raise error
    except BaseException:
        sys.last_value = sys.exc_info()[1]
    try:
        answer = json.loads(last_raised())
    finally:
        del sys.last_value
    assert answer["type"] == type(error).__name__
    return Words.from_plain(json.loads(json.dumps(answer["words"])))


def test_a_workbook_error_in_a_report_notebook_says_its_errors_in_dutch(
        tmp_path: Path) -> None:
    workbook = tmp_path / "wb"
    shutil.copytree(MINI, workbook)
    contacts = workbook / "contacts.csv"
    text = contacts.read_text(encoding="utf-8")
    contacts.write_text(text.replace("COO,Operations,strategic", "COO,Operations,strategc", 1),
                        encoding="utf-8")
    with pytest.raises(WorkbookError) as raised:
        load_workbook(workbook)
    said = _raised_in_a_kernel(raised.value)
    dutch = said.said("nl")
    assert said.key == "cli.workbook.errors"  # not "in English only"
    assert dutch.startswith(f"De werkmap {workbook} heeft 1 fout:\n")
    assert "contacts.csv:5: fout, kolom 'level': gevonden 'strategc'; " in dutch
    problem = raised.value.problems[0]
    assert problem.text("nl") in dutch and problem.message_in("nl") != problem.message
    assert said.said("en").splitlines()[1] == str(problem)  # English as validate says it


def test_a_workbook_with_many_errors_lists_the_first_and_counts_the_rest() -> None:
    problems = [Problem.said(Severity.ERROR, "sales.csv", words("problem.known_none"),
                             row=row, column="revenue", value="x") for row in range(2, 10)]
    said = _raised_in_a_kernel(WorkbookError("wb", problems))
    dutch = said.said("nl").splitlines()
    assert dutch[0] == "De werkmap wb heeft 8 fouten:"
    assert dutch[1:6] == [p.text("nl") for p in problems[:5]]
    assert dutch[6] == "... en nog 3 fouten."


def test_an_unknown_account_in_a_report_notebook_says_so_in_dutch() -> None:
    said = _raised_in_a_kernel(UnknownAccountError("maas", ["MAAS", "VDIJK"], "wb"))
    assert said.said("nl") == ("onbekend account 'maas': het staat niet in wb. Bedoelde u MAAS? "
                               "Bekende accounts: MAAS, VDIJK.")
    assert said.said("en") == str(UnknownAccountError("maas", ["MAAS", "VDIJK"], "wb"))
