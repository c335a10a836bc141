"""What a run sends to machines that render its accounts elsewhere (a Dask cluster's workers,
``kamkit.batch.distributed``), how they take it in, and how what they made comes back.

The machine that starts the run keeps everything that is written: the account folders,
their records, the log, the index and the workbook's cache. A worker gets one ``Parcel`` per
run: the definition, the workbook prepared (its cache entry's Arrow files, not its CSV), the
quarter snapshots, the notebooks, the deck template and the portfolio the run measured
(``batch.measuring``: the kernels score health over it, not measuring it again). It
renders each account into a private folder and sends back a ``Rendered``: every file it
made and what it logged, which the run writes into the account's folder as a run on one
machine does.

The notebooks are given the same parameters as on one machine (the workbook and output
paths of the run's machine), so their outputs are the same: ``receive`` makes those paths
resolve to the shipped workbook and snapshots in the worker and in each of its kernels
(``workbook.ship_workbook``, ``portfolio.snapshot.ship_snapshot``). Plain values and no Dask:
a kernel imports this module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
from dataclasses import dataclass
from pathlib import Path

import kamkit
from kamkit import workbook_cache
from kamkit.atomic import write_bytes_atomic
from kamkit.batch.cache import code_fingerprint
from kamkit.batch.definition import RunDefinition
from kamkit.batch.layout import failed_name, previous_quarter, snapshot_path
from kamkit.batch.measuring import take_shipped
from kamkit.batch.tasks import AccountDone, failure
from kamkit.errors import environment_words
from kamkit.periods import quarter_of
from kamkit.portfolio.snapshot import ship_snapshot
from kamkit.problems import Words, words
from kamkit.workbook import SHIPPED_AS_OBJECTS, Workbook, ship_workbook

INPUTS = "inputs.pickle"
"""In a worker's folder for the run: the workbook and snapshots its kernels take in."""


@dataclass(frozen=True)
class Parcel:
    """What every worker of a run gets once."""

    definition: RunDefinition  # as the run's machine has it, its output folder absolute
    made: dt.date  # the date the reports carry
    workbook: dict[str, bytes]  # the checked workbook (``workbook_cache.encode``)
    snapshots: dict[str, bytes]  # the run's machine's path -> the snapshot file
    notebooks: dict[str, bytes]  # file name -> the report notebook
    deck_template: bytes | None  # the template's file, when the run makes decks from one
    kamkit: tuple[str, str]  # the version and code fingerprint the reports are made with
    measured: bytes | None = None  # the portfolio measured by the run (``batch.measuring``)


@dataclass(frozen=True)
class Rendered:
    """What a worker made for one account: the run writes ``files`` into its folder."""

    done: AccountDone
    files: dict[str, bytes]  # file name -> content
    log: bytes = b""  # what its kernels and its renderer wrote to the log meanwhile


def _snapshots(definition: RunDefinition) -> dict[str, bytes]:
    """The snapshot files a report of the run may read: the current and previous quarter's
    of the run's quarter and of its as-of date."""
    quarters = {q for quarter in (definition.quarter, quarter_of(definition.as_of))
                for q in (quarter, previous_quarter(quarter))}
    found = {}
    for quarter in sorted(quarters):
        path = snapshot_path(definition.output, quarter)
        if path.is_file():
            found[str(path)] = path.read_bytes()
    return found


def _workbook_files(workbook: Workbook) -> dict[str, bytes]:
    """The checked workbook as the cache's files, or pickled where JSON would change a
    document."""
    files = workbook_cache.encode(workbook.tables, workbook.documents,
                                  list(workbook.problems))
    if files is None:
        return {SHIPPED_AS_OBJECTS: pickle.dumps(
            (dict(workbook.tables), dict(workbook.documents), list(workbook.problems)))}
    return files


def pack(definition: RunDefinition, workbook: Workbook, made: dt.date,
         measured: Path | None = None) -> Parcel:
    """The parcel of a run on ``workbook`` (as loaded by the run); ``measured``: the file of
    the portfolio the run measured (``measuring.hand_over``), for the kernels."""
    definition = dataclasses.replace(definition, output=definition.output.resolve())
    template = definition.deck_template
    return Parcel(
        definition=definition, made=made,
        workbook=_workbook_files(workbook),
        snapshots=_snapshots(definition),
        notebooks={r.notebook: definition.notebook(r).read_bytes() for r in definition.reports},
        deck_template=(template.read_bytes() if "pptx" in definition.formats
                       and template is not None and template.is_file() else None),
        kamkit=(kamkit.__version__, code_fingerprint()),
        measured=measured.read_bytes() if measured is not None else None)


def refusal(parcel: Parcel) -> Words | None:
    """Why this machine cannot render the parcel's accounts: another kamkit makes other
    reports (the run's cache keys and byte-identical reports rely on the same code)."""
    here = (kamkit.__version__, code_fingerprint())
    if here == parcel.kamkit:
        return None
    return words("batch.reason.other_kamkit", worker=here[0], worker_code=here[1][:12],
                 run=parcel.kamkit[0], run_code=parcel.kamkit[1][:12])


def unpack(parcel: Parcel, folder: Path) -> RunDefinition:
    """Put the parcel in ``folder`` (this machine's, for the run), for ``receive``; the
    definition as this machine runs it: the notebooks and deck template from ``folder``."""
    notebooks = folder / "notebooks"
    notebooks.mkdir(parents=True, exist_ok=True)
    for name, data in parcel.notebooks.items():
        (notebooks / name).write_bytes(data)
    changes: dict[str, object] = {"notebook_folder": notebooks}
    if parcel.deck_template is not None and parcel.definition.deck_template is not None:
        template = folder / "template" / parcel.definition.deck_template.name
        template.parent.mkdir(exist_ok=True)
        template.write_bytes(parcel.deck_template)
        changes["deck_template"] = template
    (folder / INPUTS).write_bytes(pickle.dumps(
        (parcel.definition.workbook, parcel.workbook, parcel.snapshots, parcel.measured)))
    return dataclasses.replace(parcel.definition, **changes)  # type: ignore[arg-type]


def receive(folder: str | Path) -> None:
    """Take in the workbook and snapshots ``unpack`` put in ``folder``: in this process
    (a kernel runs this first), reports read them by the run's machine's paths."""
    path, contents, snapshots, measured = pickle.loads((Path(folder) / INPUTS).read_bytes())
    workbook = ship_workbook(path, contents)
    for where, data in snapshots.items():
        ship_snapshot(where, data)
    if measured is not None:
        take_shipped(workbook, measured)


def kernel_prelude(folder: Path) -> str:
    """The code a worker's kernel runs once started: ``receive(folder)``."""
    return f"from kamkit.batch.shipping import receive\nreceive({str(folder)!r})\n"


def collect(done: AccountDone, folder: Path, log: bytes = b"") -> Rendered:
    """What a worker rendered into ``folder`` for one account."""
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
    return Rendered(done, files, log)


def _owner(name: str, stems: list[str]) -> str:
    """The report (its stem) a file written for an account belongs to, else the file."""
    return next((stem for stem in stems
                 if name in (f"{stem}.html", f"{stem}.ipynb", failed_name(stem))), name)


def deliver(rendered: Rendered, folder: Path) -> AccountDone:
    """Write what a worker made for one account into its ``folder`` on this machine, each
    file whole (``atomic``), and remove the kept copies of notebooks that now ran through,
    as a run on one machine does. A file that cannot be written fails its report."""
    done = rendered.done
    reports, files, failed = dict(done.reports), dict(done.files), dict(done.failed)
    said = dict(done.words)
    stems = [*reports, *failed]
    for name in sorted(rendered.files, key=lambda n: n.endswith(".html")):  # pages last
        try:
            write_bytes_atomic(folder / name, rendered.files[name])
        except OSError as error:
            owner = _owner(name, stems)
            reports.pop(owner, None)
            files.pop(owner, None)
            failure(failed, said, owner, environment_words(error))
    for stem in reports:
        (folder / failed_name(stem)).unlink(missing_ok=True)
    return dataclasses.replace(done, reports=reports, files=files, failed=failed, words=said)
