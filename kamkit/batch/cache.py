"""Skip accounts whose reports are current: a cache key from everything a report depends on,
and a small record per account folder of what the last run made.

The key covers the account's slice of every table and its document, the notebooks, the run's
parameters, a pinned report date and kamkit itself (its version and a fingerprint of its
code, labels and templates), so any change that could alter a report renders it again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import kamkit
from kamkit.atomic import write_text_atomic
from kamkit.batch.definition import RunDefinition
from kamkit.batch.layout import STAMP
from kamkit.code_fingerprint import code_fingerprint
from kamkit.code_fingerprint import digest as _digest
from kamkit.portfolio import DEFAULT_STATUSES
from kamkit.schema import TABLES
from kamkit.workbook import AccountData, Workbook


def _file_digest(path: Path | None) -> str | None:
    """A hash of a file the run reads (a deck template); None for none, "missing" for a
    path where there is no file (the run says so when it uses it)."""
    if path is None:
        return None
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def data_digest(account: AccountData) -> str:
    """A hash of the account's slice of every table and of its document."""
    parts = [table.name.encode() + b"\n" + account.table(table.name).to_csv(
        index=False, lineterminator="\n").encode() for table in TABLES]
    document = account.document.model_dump_json() if account.document else "none"
    return _digest([*parts, document.encode()])


def cache_key(account: AccountData | None, definition: RunDefinition,
              snapshots: dict[str, str] | None = None) -> str | None:
    """The key of one account's reports in this run; None when the account is not in the
    workbook (such an account is never skipped). ``snapshots``: the hashes of the account's
    entries in the previous and the current quarter's snapshot (``batch.snapshots``)."""
    return None if account is None else key_of(key_inputs(account, definition, snapshots))


def key_of(inputs: dict[str, object]) -> str:
    """The cache key of ``key_inputs``."""
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def input_digests(inputs: dict[str, object]) -> dict[str, str]:
    """A short hash of each of ``key_inputs`` by name, kept in the record: the next run
    says which changed when it makes an account again (``changed_inputs``)."""
    return {name: hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]
            for name, value in inputs.items()}


INPUT_NAMES = {
    "snapshots": "its entries in the quarter's snapshots", "data": "its data",
    "notebooks": "the notebooks", "parameters": "the run's settings",
    "report_date": "the report date", "formats": "the formats",
    "deck_template": "the deck template", "kamkit": "kamkit (its version or code)",
}
"""Each of ``key_inputs`` as the run log names it."""


def key_inputs(account: AccountData, definition: RunDefinition,
               snapshots: dict[str, str] | None = None) -> dict[str, object]:
    """Everything one account's reports depend on, by name (``cache_key``)."""
    return {
        "snapshots": snapshots or {},
        "data": data_digest(account),
        "notebooks": {r.name: hashlib.sha256(definition.notebook(r).read_bytes()).hexdigest()
                      for r in definition.reports},
        "parameters": [definition.parameters(account.account_id, lang)
                       for lang in definition.languages],
        # a pinned report date is printed in the header: another one makes another report
        "report_date": str(definition.report_date) if definition.report_date else None,
        "formats": list(definition.formats),
        "deck_template": _file_digest(definition.deck_template)
        if "pptx" in definition.formats else None,
        "kamkit": [kamkit.__version__, code_fingerprint()],
    }


@dataclass(frozen=True)
class AccountRecord:
    """What the last run made for one account: written beside its reports."""

    account_id: str
    name: str
    key: str | None  # None when something failed: the next run tries again
    reports: dict[str, str]  # "analysis" or "analysis.nl" -> html file name
    failed: dict[str, str] = field(default_factory=dict)  # same -> error message
    # the other formats' files by name (analysis.pdf, deck.nl.pptx) -> file name
    files: dict[str, str] = field(default_factory=dict)
    figures: dict[str, float | int | str | None] = field(default_factory=dict)
    made: str = ""  # ISO date and time
    seconds: float = 0.0
    # the language of the reports and files whose name gives none (a one-language run's);
    # "" in a record of a run in several languages, or of a kamkit that did not say
    language: str = ""
    # a failure's reason in each language of the run, where it can be said in them (the
    # index shows it in its own); ``failed`` has it in English
    said: dict[str, dict[str, str]] = field(default_factory=dict)
    # a failed report's or file's last good version, from an earlier run of the quarter
    # still in the folder: name -> {"file": its file name, "made": its ISO date}
    earlier: dict[str, dict[str, str]] = field(default_factory=dict)
    # ``input_digests`` of the key it was made with (none in a record of an earlier kamkit)
    inputs: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed

    def current(self, key: str | None, folder: Path) -> bool:
        """Whether this record's reports are complete and were made with ``key``."""
        return (key is not None and self.key == key and self.ok
                and all((folder / name).is_file()
                        for name in (*self.reports.values(), *self.files.values())))


def changed_inputs(record: AccountRecord | None, digests: dict[str, str]) -> list[str]:
    """The names of the key's inputs (``key_inputs``) that differ from those ``record``
    was made with: why an account is made again; empty when the record does not say (none,
    or one of a kamkit that did not keep them)."""
    if record is None or not record.inputs:
        return []
    return [name for name, digest in digests.items() if record.inputs.get(name) != digest]


def read_record(folder: Path, name: str = STAMP) -> AccountRecord | None:
    """The record in an account folder (or ``name`` in a folder: the portfolio's); None when
    there is none or it cannot be read."""
    try:
        return AccountRecord(**json.loads((folder / name).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def write_record(folder: Path, record: AccountRecord, name: str = STAMP) -> None:
    write_text_atomic(folder / name, json.dumps(asdict(record), indent=1, sort_keys=True))


def portfolio_key(workbook: Workbook, definition: RunDefinition, notebook: Path,
                  parameters: list[dict[str, object]], snapshots: list[str],
                  digests: Mapping[str, str] | None = None) -> str:
    """The key of the quarter's portfolio reports: every portfolio account's data, the
    snapshots compared (their hashes), the notebook, its parameters per language (the links
    to the reports included), a pinned report date and kamkit itself. ``digests``: the
    ``data_digest`` of accounts by id where the run has it already (its accounts' keys):
    made once, not again at the run's end, before its portfolio page."""
    table = workbook.accounts
    ids = table[table["status"].isin(list(DEFAULT_STATUSES)).to_numpy()]["account_id"]
    known = digests or {}
    inputs = {
        "data": [known.get(str(a)) or data_digest(workbook.account(str(a))) for a in ids],
        "team": workbook.team.to_csv(index=False, lineterminator="\n"),
        "snapshots": snapshots,
        "notebook": hashlib.sha256(notebook.read_bytes()).hexdigest(),
        "parameters": parameters,
        "report_date": str(definition.report_date) if definition.report_date else None,
        "kamkit": [kamkit.__version__, code_fingerprint()],
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()
