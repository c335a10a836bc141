"""What the run and its workers pass each other: the shared setup, one account to render
and what was made for it. Plain values, so the run, the workers and the renderer import
them from here and not from each other."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from kamkit.batch.definition import RunDefinition
from kamkit.batch.layout import PORTFOLIO


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


@dataclass(frozen=True)
class WorkerSetup:
    """What every worker of a run shares."""

    definition: RunDefinition
    made: dt.date  # the run's date, shown on every report
    log: Path  # the run log; the kernels' own messages go there too
    workdir: Path  # the run's temporary folder; each worker makes its own inside
    kernel_prelude: str = ""  # code each kernel runs once started (a cluster worker's inputs)
