"""What the run and its workers pass each other: the shared setup, one account to render
and what was made for it. Plain values, so the run, the workers and the renderer import
them from here and not from each other."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kamkit.batch.definition import RunDefinition
from kamkit.batch.layout import PORTFOLIO
from kamkit.problems import Words


@dataclass(frozen=True)
class AccountTask:
    """One account to render with every report and language of the run."""

    account_id: str
    name: str
    folder: Path


@dataclass(frozen=True)
class PortfolioTask:
    """The quarter's portfolio report, in every language of the run, into ``folder``;
    ``links``: language -> account id -> label -> href of the accounts' reports."""

    folder: Path
    notebook: Path
    links: dict[str, dict[str, dict[str, str]]]
    account_id: str = PORTFOLIO  # what the run's records and messages call it


@dataclass(frozen=True)
class AccountDone:
    """What a worker made for one account."""

    account_id: str
    reports: dict[str, str] = field(default_factory=dict)  # stem -> html file name
    failed: dict[str, str] = field(default_factory=dict)  # stem -> error message
    notebooks: int = 0  # notebooks run, failed ones included
    seconds: float = 0.0
    files: dict[str, str] = field(default_factory=dict)  # pdf and pptx: name -> file name
    # the reasons in ``failed`` that can be said in every language: stem -> their Words
    words: dict[str, Words] = field(default_factory=dict)

    def said(self, languages: Sequence[str]) -> dict[str, dict[str, str]]:
        """Stem -> language -> the reason it failed, for the reasons with Words."""
        return {stem: {language: reason.said(language) for language in languages}
                for stem, reason in self.words.items()}


def failure(failed: dict[str, str], words: dict[str, Words], name: str,
            reason: str | Words) -> None:
    """Note that ``name`` failed for ``reason``: in English in ``failed``, and as Words in
    ``words`` where it has them (the index says it in its language)."""
    if isinstance(reason, Words):
        words[name] = reason
        reason = reason.said("en")
    failed[name] = reason


@dataclass(frozen=True)
class WorkerSetup:
    """What every worker of a run shares."""

    definition: RunDefinition
    made: dt.date  # the run's date, shown on every report
    log: Path  # the run log; the kernels' own messages go there too
    workdir: Path  # the run's temporary folder; each worker makes its own inside
    kernel_prelude: str = ""  # code each kernel runs before its first notebook (a cluster
    # worker's inputs, the run's measurement)
    measured: Path | None = None  # the portfolio measured by the run (``batch.measuring``)
    ahead: bool = False  # workers start their kernels at once, before any task comes
