"""kamkit's own exceptions: each carries a message written for the user."""

from __future__ import annotations

import errno
import json
import sys
from collections.abc import Iterable
from typing import Self

from kamkit.problems import NO_WORDS, Problem, Severity, Words, did_you_mean_words, listed, words


class KamkitError(Exception):
    """An error a user can act on; the command line prints its message without a traceback.

    An error raised ``of`` Words can be said in another language (``in_language``): the
    workbench says it in the session's."""

    words: Words | None = None

    @classmethod
    def of(cls, message: Words) -> Self:
        """The error whose message is ``message`` (said in English when raised)."""
        error = cls(message.said("en"))
        error.words = message
        return error

    def in_language(self, language: str) -> str:
        """The message in ``language`` (as raised where it has no Words)."""
        if self.words is None or language == "en":
            return str(self)
        return self.words.said(language)

    def _render_traceback_(self) -> list[str]:
        """What IPython shows for this error in a notebook (its hook): the message, written
        for the user, as the command line says it; not a traceback. The cell still fails,
        so a run sees it."""
        return [f"\x1b[31mkamkit: error:\x1b[0m {self}"]


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or a SIGTERM stopped a command part way; its Words say how far it got and how
    to finish (the command line says them in its language)."""

    def __init__(self, said: Words) -> None:
        super().__init__(said.said("en"))
        self.words = said


def file_error(path: object, problem: Words, line: int | None = None) -> KamkitError:
    """What is wrong with a file the command line reads (a run definition, an import
    mapping, a snapshot): "<path>:<line>: <problem>", in every language."""
    return KamkitError.of(file_problem(path, problem, line))


def file_problem(path: object, problem: Words, line: int | None = None) -> Words:
    """``file_error``'s message: one of several problems of a file, each at its line."""
    where = f"{path}:{line}" if line is not None else str(path)
    return words("cli.file.problem", where=where, problem=problem)


def raised_words(error: BaseException) -> Words:
    """``error``, raised in a report's notebook, as Words the run can say in any language:
    a kamkit error's own; a kamkit error without them as one written in English only; any
    other as an unexpected error; both with their type and their message quoted."""
    if isinstance(error, KamkitError) and error.words is not None:
        return error.words
    return words("batch.reason.kamkit" if isinstance(error, KamkitError)
                 else "batch.reason.exception", type=type(error).__name__, message=str(error))


LAST_RAISED = "__import__('kamkit.errors').errors.last_raised()"
"""The expression a run asks a kernel whose cell failed: ``last_raised()``."""


def last_raised() -> str:
    """The exception this IPython kernel last showed (``sys.last_value``) as JSON: its type's
    name and its ``raised_words``; "" when none. The run asks the kernel after a cell failed,
    so a kamkit error keeps its label key and values, not only its English text."""
    error = getattr(sys, "last_value", None)
    if error is None:
        return ""
    return json.dumps({"type": type(error).__name__, "words": raised_words(error).plain()})


class WorkbookError(KamkitError):
    """The workbook has errors; ``problems`` lists each one with file, row and column.

    Its ``words`` name the first ``SHOWN`` errors and how many more there are (as the entry
    page lists an account's): a report notebook that raises it says it in any language."""

    SHOWN = 5

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(self.in_language("en"))
        found = [p for p in problems if p.severity is Severity.ERROR]
        lines: list[Words] = [p.as_words() for p in found[:self.SHOWN]]
        if len(found) > self.SHOWN:
            lines.append(words("problem.more_errors", count=len(found) - self.SHOWN))
        listing = lines[0] if lines else NO_WORDS
        for line in lines[1:]:
            listing = words("cli.text.lines", first=listing, next=line)
        self.words = words("cli.workbook.errors", path=path, count=len(found),
                           problems=listing)

    def in_language(self, language: str) -> str:
        """What the command line says: every error, grouped as ``kamkit validate`` lists
        them, in ``language`` (each in English where it has no Words); a report notebook
        says the shorter ``words``."""
        found = [p for p in self.problems if p.severity is Severity.ERROR]
        return "\n".join([
            words("problem.workbook_errors", path=self.path, count=len(found)).said(language),
            *listed(found, language=language),
            words("problem.workbook_validate", path=self.path).said(language)])


class UnknownAccountError(KamkitError):
    """An account id that is not in the workbook."""

    def __init__(self, account_id: str, known: Iterable[str], source: str | Words) -> None:
        known = sorted(known)
        shown = ", ".join(known[:30]) + (" ..." if len(known) > 30 else "")
        close = did_you_mean_words(str(account_id), known)
        said = words(
            "cli.unknown_account", account=str(account_id), source=source, known=shown,
            hint=(words("problem.detail_part", detail=close) if close is not NO_WORDS
                  else NO_WORDS))
        super().__init__(said.said("en"))
        self.account_id = account_id
        self.words = said


class KernelStartError(KamkitError):
    """The Python kernel that executes report notebooks could not be started."""


_OS_ERRORS = {
    errno.ENOSPC: "cli.os.no_space",
    errno.EDQUOT: "cli.os.quota",
    errno.EROFS: "cli.os.read_only",
    errno.EACCES: "cli.os.permission",
    errno.EPERM: "cli.os.permission",
    errno.ENOTDIR: "cli.os.not_folder",
    errno.EISDIR: "cli.os.is_folder",
    errno.EEXIST: "cli.os.exists",
    errno.ENOENT: "cli.os.missing",
    errno.ENAMETOOLONG: "cli.os.name_too_long",
}
"""The label of what an ``OSError`` means, by its errno (``os.other`` for the rest)."""


def environment_words(error: OSError) -> Words:
    """What an ``OSError`` from the file system means, for the user, as Words: "no space
    left on <path>; free some space and run again", in every language."""
    path: object = error.filename if error.filename is not None else words("cli.os.the_disk")
    key = _OS_ERRORS.get(error.errno or -1)
    what = (words(key, path=path) if key
            else words("cli.os.other", path=path, error=error.strerror or str(error)))
    full = error.errno in (errno.ENOSPC, errno.EDQUOT)
    return words("cli.os.free_space" if full else "cli.os.fix_it", what=what)


def environment_message(error: OSError, language: str = "en") -> str:
    """What an ``OSError`` from the file system means, for the user (``environment_words``)
    in ``language``: "no space left on <path>", "<path> is on a read-only file system", ...

    Examples
    --------
    >>> environment_message(OSError(errno.ENOSPC, "No space left on device", "out/x.html"))
    'no space left on out/x.html; free some space and run again.'
    >>> environment_message(OSError(errno.ENOSPC, "No space left on device", "out/x.html"), "nl")
    'geen ruimte meer op out/x.html; maak ruimte vrij en probeer het opnieuw.'
    """
    return environment_words(error).said(language)
