"""Save, undo and conflicts: the strip under every editor of the workbench.

An editor hands it a ``save(resolve)`` function; the bar shows what happened in words:
saved (with the file and how many fields), not saved because of problems, or not saved
because the file changed on disk at the same place, with mine and theirs side by side and
a choice per place. Nothing is written until the user chooses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import ipywidgets as widgets

from kamkit.errors import KamkitError
from kamkit.labels import t
from kamkit.report import html

Save = Callable[[Mapping[str, str] | None], object]


def _shown(value: object) -> str:
    if value is None:
        return "—"
    return html.text(value if isinstance(value, str) else repr(value))


class SaveBar(widgets.VBox):
    """Save and Undo buttons, a message, and the conflict chooser when one is needed."""

    def __init__(self, save: Save, undo: Callable[[], object], language: str,
                 accept_losses: Callable[[], None] = lambda: None) -> None:
        super().__init__()
        self._save, self._undo, self.language = save, undo, language
        self._accept_losses = accept_losses
        self.save_button = widgets.Button(description=t("wb.save", language), icon="save",
                                          button_style="primary")
        self.undo_button = widgets.Button(description=t("wb.undo", language), icon="undo")
        self.message = widgets.HTML()
        self.conflicts = widgets.VBox()
        self.choices: dict[str, widgets.ToggleButtons] = {}
        self.save_button.on_click(lambda _: self.save())
        self.undo_button.on_click(lambda _: self.undo())
        self.children = [widgets.HBox([self.save_button, self.undo_button]), self.message,
                         self.conflicts]

    def say(self, text: str, ok: bool = True) -> None:
        colour = "#2e7d32" if ok else "#c0392b"
        self.message.value = f'<div style="color:{colour}">{html.text(text)}</div>'

    def save(self, resolve: Mapping[str, str] | None = None) -> object:
        """Save; a conflict shows the chooser, a problem or a refusal a message."""
        from kamkit.edit import ConflictError, XlsxLosses

        try:
            result = self._save(resolve)
        except ConflictError as conflict:
            self._choose(conflict)
            return None
        except XlsxLosses as losses:  # the user decides, knowing what goes
            self.say(t("wb.xlsx_losses", self.language, losses="; ".join(losses.losses)),
                     ok=False)
            anyway = widgets.Button(description=t("wb.save_anyway", self.language),
                                    button_style="danger")
            anyway.on_click(lambda _: self._save_anyway(resolve))
            self.conflicts.children = [anyway]
            return None
        except KamkitError as error:  # validation, read-only, xlsx losses: said in words
            self.say(str(error), ok=False)
            return None
        except OSError as error:  # a full disk, a folder gone read-only: the file is intact
            self.say(t("wb.not_written", self.language, error=f"{error.strerror or error}"
                       + (f": {error.filename}" if error.filename else "")), ok=False)
            return None
        self.conflicts.children = ()
        self.choices = {}
        return result

    def _save_anyway(self, resolve: Mapping[str, str] | None) -> object:
        self._accept_losses()
        return self.save(resolve)

    def undo(self) -> object:
        try:
            return self._undo()
        except KamkitError as error:
            self.say(str(error), ok=False)
            return None

    def _choose(self, conflict: object) -> None:
        language = self.language
        self.say(t("wb.conflict", language), ok=False)
        head = (f"<tr><th>{html.text(t('wb.where', language))}</th>"
                f"<th>{html.text(t('wb.was', language))}</th>"
                f"<th>{html.text(t('wb.mine', language))}</th>"
                f"<th>{html.text(t('wb.theirs', language))}</th></tr>")
        rows, self.choices = [], {}
        for item in conflict.conflicts:  # type: ignore[attr-defined]
            choice = widgets.ToggleButtons(options=[(t("wb.keep_mine", language), "mine"),
                                                    (t("wb.take_theirs", language), "theirs")],
                                           value="mine")
            self.choices[item.path] = choice
            table = html.STYLE + (f'<table class="kk-table">{head}<tr><td>'
                                  f'{html.text(item.path or "*")}</td>'
                                  f"<td>{_shown(item.base)}</td><td>{_shown(item.mine)}</td>"
                                  f"<td>{_shown(item.theirs)}</td></tr></table>")
            rows.append(widgets.VBox([widgets.HTML(table), choice]))
        again = widgets.Button(description=t("wb.save_choices", language), icon="save",
                               button_style="warning")
        again.on_click(lambda _: self.save({path: c.value for path, c in self.choices.items()}))
        self.conflicts.children = [*rows, again]
