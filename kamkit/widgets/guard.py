"""Callbacks that never fail silently: a button click or a changed control whose callback
raises shows what went wrong in the widget, in the session's language.

In JupyterLab an exception in a widget callback goes to the log console, and the user sees
nothing happen. Every callback of the workbench's controls is registered through a
``Guard``: an error is logged (with its traceback, for a bug report) and said in the
widget's message area; the next callback that succeeds clears it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import ipywidgets as widgets

from kamkit.charts import theme
from kamkit.edit import UnreadableDocument
from kamkit.errors import KamkitError
from kamkit.labels import t
from kamkit.report import html

_LOG = logging.getLogger("kamkit.widgets")
F = TypeVar("F", bound=Callable[..., Any])


def error_text(error: BaseException, language: str) -> str:
    """What went wrong, for the user: a kamkit message as it is (it is written for users;
    its problems in ``language`` where it has them), anything else as unexpected."""
    problems = getattr(error, "problems", None)
    if isinstance(error, UnreadableDocument):  # the file on disk: the edits here stay
        return t("wb.unreadable", language, problems=" ".join(p.text(language)
                                                              for p in error.problems))
    if isinstance(error, KamkitError) and problems:
        return " ".join(p.text(language) for p in problems)
    if isinstance(error, KamkitError):  # its words in ``language`` where it has them
        said = getattr(error, "in_language", None)
        return str(said(language)) if callable(said) else str(error)
    return t("wb.unexpected", language, error=f"{type(error).__name__}: {error}")


class Guard:
    """Runs callbacks, saying an error of theirs with ``say(text)`` (None: clear it).

    ``language`` gives the session's language when an error is said (it may change)."""

    def __init__(self, say: Callable[[str | None], None], language: Callable[[], str]) -> None:
        self._say, self._language = say, language
        self._depth = 0  # callbacks running inside one another: the outermost clears

    def __call__(self, callback: F) -> F:
        @functools.wraps(callback)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if self._depth == 0:
                self._say(None)
            self._depth += 1
            try:
                return callback(*args, **kwargs)
            except Exception as error:  # shown, not lost in the log console
                _LOG.exception("kamkit workbench: %s failed",
                               getattr(callback, "__qualname__", callback))
                self._say(error_text(error, self._language()))
                return None
            finally:
                self._depth -= 1
        return guarded  # type: ignore[return-value]


def message_area(language: Callable[[], str]) -> tuple[widgets.HTML, Guard]:
    """A message area (empty until a callback fails) and the guard that writes to it."""
    area = widgets.HTML()
    area.add_class("kk-failure")

    def say(text: str | None) -> None:
        area.value = "" if text is None else (
            f'<div style="color:{theme.ALERT}">{html.text(text)}</div>')

    return area, Guard(say, language)
