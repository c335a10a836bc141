"""What the workbench's edit tabs cost: the widgets the kernel holds (each one a state a
reconnecting JupyterLab page asks for), the size of those states (kB of JSON: what the browser
is sent, e.g. a drop-down's every option) and the kernel's CPU seconds to build them, with
every tab opened, against the same workbench building every row of every table (the forms
before they had pages), in the same run.

For one account: the workbench (explorer) made, the edit area opened (document editor), the
document's tabs shown in turn (each made when first shown), then each table's tab; per
stage its rows, the widgets it added, their state's kB and the CPU seconds.
``--big`` measures the generated large account of the tests (2,000 contacts, 1,800
relationships, 1,000 spend rows: ``tests/large_account.py``) instead of a demo account.

Run: .venv/bin/python benchmarks/workbench.py [--workbook PATH] [--account MAAS]
[--as-of 2026Q3] [--big]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

from ipywidgets.widgets.widget import _instances

import kamkit
from kamkit.widgets import Workbench, records
from kamkit.widgets.table_editor import EDITABLE


class _Stage:
    """The widgets made and the CPU seconds spent from its start to ``end``."""

    def __init__(self) -> None:
        self.held, self.start = set(_instances), time.process_time()

    def end(self, rows: int = 0) -> tuple[int, int, float, float]:
        seconds = time.process_time() - self.start
        made = [w for key, w in list(_instances.items()) if key not in self.held]
        size = sum(len(json.dumps(w.get_state(), default=str)) for w in made) / 1000
        return rows, len(made), size, seconds


def measure(book: Path, account: str, as_of: str) -> dict[str, tuple[int, int, float, float]]:
    """Per stage (the explorer, the document editor, its tabs, each table's tab): rows shown
    in the form, widgets added, kB of their state and CPU seconds."""
    stages: dict[str, tuple[int, int, float, float]] = {}
    stage = _Stage()
    bench = Workbench(book, account, as_of, author="benchmark")
    stages["workbench (explorer)"] = stage.end()
    stage = _Stage()
    bench.open_editors()
    stages["edit area (document editor)"] = stage.end()
    document = bench.document_editor
    assert document is not None
    stage = _Stage()
    for index in range(1, len(document.tabs.children)):
        document.tabs.selected_index = index
    stages["document tabs (each shown)"] = stage.end()
    for index, table in enumerate(EDITABLE, start=1):
        stage = _Stage()
        bench.edit_tabs.selected_index = index
        stages[table] = stage.end(len(bench.table_editors[table].form.records))
    bench.close_widgets()
    return stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workbook", default=None)
    parser.add_argument("--account", default="MAAS")
    parser.add_argument("--as-of", default="2026Q3")
    parser.add_argument("--big", action="store_true")
    args = parser.parse_args()
    warnings.simplefilter("ignore", DeprecationWarning)
    folder = Path(tempfile.mkdtemp())
    if args.big:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from tests.large_account import write_large_workbook

        book = folder / "big"
        args.account, args.as_of = write_large_workbook(book), "2025-12-31"
    else:  # a copy: the editors may write their change log
        book = folder / "book"
        shutil.copytree(args.workbook or kamkit.DEMO_WORKBOOK, book,
                        ignore=shutil.ignore_patterns(".kamkit"))
    paged = measure(book, args.account, args.as_of)
    records.PAGE_SIZE = 10**9  # the baseline: every row built
    every = measure(book, args.account, args.as_of)
    print(f"workbook: {args.workbook or ('large account' if args.big else 'the demo')}, "
          f"account {args.account}, as of {args.as_of}")
    print(f"{'':30}{'rows':>6}{'widgets':>9}{'kB':>8}{'CPU s':>7}"
          f"{'all rows: widgets':>19}{'kB':>8}{'CPU s':>7}")
    for stage, (rows, widgets, size, seconds) in paged.items():
        _, all_widgets, all_size, all_seconds = every[stage]
        print(f"{stage:30}{rows or '':>6}{widgets:>9,}{size:>8,.0f}{seconds:>7.2f}"
              f"{all_widgets:>19,}{all_size:>8,.0f}{all_seconds:>7.2f}")
    total = [sum(v[i] for v in paged.values()) for i in (1, 2, 3)]
    total_all = [sum(v[i] for v in every.values()) for i in (1, 2, 3)]
    print(f"{'total':30}{'':>6}{total[0]:>9,}{total[1]:>8,.0f}{total[2]:>7.2f}"
          f"{total_all[0]:>19,}{total_all[1]:>8,.0f}{total_all[2]:>7.2f}")
    print(f"ratio all rows / pages: widgets {total_all[0] / total[0]:.1f}x, "
          f"kB {total_all[1] / total[1]:.1f}x, CPU {total_all[2] / total[2]:.1f}x")


if __name__ == "__main__":
    main()
