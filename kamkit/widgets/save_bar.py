"""Save, undo and conflicts: the strip under every editor of the workbench.

An editor hands it the store, a ``write(resolve)`` that saves what the form says, and an
``after()`` that reloads the form; the bar saves and undoes, and shows what happened in words:
saved (with the file and how many fields), not saved because of problems, or not saved
because the file changed on disk at the same place, with mine and theirs side by side and
a choice per place. Nothing is written until the user chooses.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping

import ipywidgets as widgets
import yaml

from kamkit.charts import theme
from kamkit.edit import (
    ChangedSince,
    ConflictError,
    SaveResult,
    ValidationFailed,
    WorkbookEditor,
    XlsxLosses,
)
from kamkit.errors import KamkitError
from kamkit.labels import t
from kamkit.report import html
from kamkit.widgets.guard import Guard, error_text

_LOG = logging.getLogger("kamkit.widgets")

Write = Callable[[Mapping[str, str] | None], SaveResult]


def _scalar(value: object) -> object:
    if hasattr(value, "isoformat"):
        return str(value)[:10] if str(value).endswith("00:00:00") else str(value)
    if hasattr(value, "item"):
        return value.item()  # a numpy number
    return str(value)


def _shown(value: object) -> str:
    """A side of a conflict as a person reads it: a list or a record as YAML, not Python."""
    if value is None:
        return "—"
    if isinstance(value, dict | list | tuple):
        plain = json.loads(json.dumps(value, default=_scalar))  # numpy, dates, NA: readable
        text = yaml.safe_dump(plain, sort_keys=False, allow_unicode=True,
                              default_flow_style=False)
        return f'<pre style="margin:0;white-space:pre-wrap">{html.text(text.strip())}</pre>'
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a typed 5 is shown as 5, not 5.0
    return html.text(_scalar(value))


def said_html(text: str, ok: bool = True) -> str:
    """A message about a save or an undo: green when it went well, red when not."""
    colour = theme.ON_TRACK_TEXT if ok else theme.ALERT
    return f'<div style="color:{colour}">{html.text(text)}</div>'


class SaveBar(widgets.VBox):
    """Save and Undo buttons, a message, and the conflict chooser when one is needed.

    Undo takes back the last save of ``account_id`` to ``file`` (as the change log names
    it), also one of an earlier session; when the file changed since, it says so and offers
    to undo by merging."""

    def __init__(self, store: WorkbookEditor, write: Write, after: Callable[[], None],
                 language: str, account_id: str | None = None, file: str | None = None) -> None:
        super().__init__()
        self.store, self._write, self._after, self.language = store, write, after, language
        self.account_id, self.file = account_id, file
        self.save_button = widgets.Button(description=t("wb.save", language), icon="save",
                                          button_style="primary",
                                          layout=widgets.Layout(width="auto"))
        self.undo_button = widgets.Button(description=t("wb.undo", language), icon="undo",
                                          layout=widgets.Layout(width="auto"))
        self.message = widgets.HTML()
        self._said_done = False  # the message says a save or an undo went well
        # the workbench's say in what reaches a bar it no longer shows (its editors were
        # replaced while the browser still sent to them): ``touched(kind)`` before an edit
        # ("edit") or a click ("save", "undo"; False: not done), ``said(text, ok)`` after
        # each message
        self.touched: Callable[[str], bool] | None = None
        self.said: Callable[[str, bool], None] | None = None
        self.save_button.add_class("kk-save")
        self.message.add_class("kk-save-message")
        self.conflicts = widgets.VBox()
        self.choices: dict[str, widgets.ToggleButtons] = {}
        # save and undo say their own errors; the guard catches what they could not
        self.guard = Guard(self._say_failure, lambda: self.language)
        self.save_button.on_click(self.guard(lambda _: self._clicked("save", self.save)))
        self.undo_button.on_click(self.guard(lambda _: self._clicked("undo", self.undo)))
        self.children = [widgets.HBox([self.save_button, self.undo_button]), self.message,
                         self.conflicts]

    def _say_failure(self, text: str | None) -> None:
        if text is not None:
            self.say(text, ok=False)

    def _clicked(self, kind: str, action: Callable[[], object]) -> None:
        if self.touched is None or self.touched(kind):
            action()

    def say(self, text: str, ok: bool = True) -> None:
        self.message.value = said_html(text, ok)
        self._said_done = ok
        if self.said is not None:
            self.said(text, ok)

    def edited(self) -> None:
        """The form changed again: a "Saved" or "Undone" no longer tells its state (a
        message about a refusal stays until the next save)."""
        if self.touched is not None:
            self.touched("edit")
        if self._said_done:
            self.message.value = ""
            self._said_done = False

    def save(self, resolve: Mapping[str, str] | None = None) -> SaveResult | None:
        """Save; a conflict shows the chooser, a problem or a refusal a message."""
        try:
            result = self._write(resolve)
        except ConflictError as conflict:
            self._choose(conflict)
            return None
        except XlsxLosses as losses:  # the user decides, knowing what goes
            self.say(t("wb.xlsx_losses", self.language, losses="; ".join(losses.losses)),
                     ok=False)
            anyway = widgets.Button(description=t("wb.save_anyway", self.language),
                                    button_style="danger")
            anyway.on_click(self.guard(lambda _: self._save_anyway(resolve)))
            self.conflicts.children = [anyway]
            return None
        except ValidationFailed as failed:  # the problems, in the workbench's language
            more = len(failed.problems) - 5
            self.say(t("wb.not_valid", self.language, problems="; ".join(
                p.text(self.language) for p in failed.problems[:5]))
                + (t("wb.not_valid_more", self.language, count=more) if more > 0 else ""),
                ok=False)
            return None
        except OSError as error:  # a full disk, a folder gone read-only: the file is intact
            self.say(t("wb.not_written", self.language, error=f"{error.strerror or error}"
                       + (f": {error.filename}" if error.filename else "")), ok=False)
            return None
        except Exception as error:  # read-only, ... in words; never lost in the log console
            self._failed(error)
            return None
        return self._done(result, "wb.saved")

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, KamkitError):
            _LOG.exception("kamkit workbench: saving failed")
        self.say(error_text(error, self.language), ok=False)

    def _save_anyway(self, resolve: Mapping[str, str] | None) -> SaveResult | None:
        self.store.accept_xlsx_losses()
        return self.save(resolve)

    def undo(self, merge: bool = False,
             resolve: Mapping[str, str] | None = None) -> SaveResult | None:
        """Take the last save back (a message when there is nothing to undo, or when the
        file changed since: then a button to undo by merging)."""
        try:
            result = self.store.undo(account_id=self.account_id, file=self.file, merge=merge,
                                     resolve=resolve)
        except ChangedSince as changed:
            self._changed_since(changed)
            return None
        except ConflictError as conflict:
            self._choose(conflict, again=lambda choices: self.undo(True, choices))
            return None
        except OSError as error:
            self.say(t("wb.not_written", self.language, error=f"{error.strerror or error}"),
                     ok=False)
            return None
        except Exception as error:
            self._failed(error)
            return None
        return self._done(result, "wb.undone")

    def _changed_since(self, changed: ChangedSince) -> None:
        words = (t("wb.undo_changed_by", self.language, file=changed.file, who=changed.by[0],
                   when=changed.by[1]) if changed.by else
                 t("wb.undo_changed_outside", self.language, file=changed.file))
        if not changed.mergeable:
            self.say(f"{words} {t('wb.undo_by_hand', self.language)}", ok=False)
            self.conflicts.children = ()
            return
        self.say(words, ok=False)
        merge = widgets.Button(description=t("wb.undo_merge", self.language), icon="undo",
                               button_style="warning")
        merge.add_class("kk-undo-merge")
        merge.on_click(self.guard(lambda _: self.undo(merge=True)))
        self.conflicts.children = [merge]

    def _done(self, result: SaveResult, message: str) -> SaveResult:
        """Clear the chooser and say ``message`` of a save or undo that went well."""
        self.conflicts.children = ()
        self.choices = {}
        try:
            self._after()
        except Exception as error:  # written, but the editor or views could not follow
            self._failed(error)
            return result
        merged = (" " + t("wb.merged", self.language, paths=", ".join(result.merged))
                  if result.merged else "")
        self.say(t(message, self.language, count=len(result.changes),
                   file=self.store.relative(result.file)) + merged)
        return result

    def _choose(self, conflict: ConflictError,
                again: Callable[[Mapping[str, str]], object] | None = None) -> None:
        """The conflicts side by side with a choice per place; the button saves (or
        ``again``s) with the choices."""
        language = self.language
        self.say(t("wb.conflict", language), ok=False)
        cell = html.look("cell")
        head = "".join(f"<th {cell}>{html.text(t(key, language))}</th>"
                       for key in ("wb.where", "wb.was", "wb.mine", "wb.theirs"))
        rows, self.choices = [], {}
        for item in conflict.conflicts:
            choice = widgets.ToggleButtons(options=[(t("wb.keep_mine", language), "mine"),
                                                    (t("wb.take_theirs", language), "theirs")],
                                           value="mine")
            self.choices[item.path] = choice
            cells = "".join(f"<td {cell}>{value}</td>" for value in (
                html.text(item.path or "*"), _shown(item.base), _shown(item.mine),
                _shown(item.theirs)))
            table = f"<table {html.look('table')}><tr>{head}</tr><tr>{cells}</tr></table>"
            rows.append(widgets.VBox([widgets.HTML(table), choice]))
        retry = again or self.save
        button = widgets.Button(description=t("wb.save_choices", language), icon="save",
                                button_style="warning")
        button.on_click(self.guard(
            lambda _: retry({path: c.value for path, c in self.choices.items()})))
        self.conflicts.children = [*rows, button]
