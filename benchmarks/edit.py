"""How long the editors' checks take as the user types, against validating the whole
workbook (what a naive editor would do per keystroke), in the same run.

For the demo and for a workbook of N accounts made by replicating the demo's accounts under
new ids (documents too), it times ``WorkbookEditor.check_document`` (one objective edited)
and ``check_rows`` (one cell edited) for every editable table, and ``check_workbook`` as the
baseline. Median milliseconds over the repeats; the ratio is baseline / check.

Run: .venv/bin/python benchmarks/edit.py [--accounts 1000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import kamkit
from kamkit.edit import WorkbookEditor
from kamkit.edit.rows import EDITABLE
from kamkit.workbook import check_workbook, load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from make_large import replicate  # (scripts/ is not a package)

_EDITED = {"accounts": "position", "contacts": "title", "relationships": "strength",
           "history": "description", "feedback": "description", "spend": "confidence",
           "spend_shares": "source"}


def median_ms(work: Callable[[], object], repeat: int) -> float:
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds) * 1000


def measure(path: Path, repeat: int) -> None:
    workbook = load_workbook(path)
    editor = WorkbookEditor(path, workbook=workbook, author="benchmark")
    account = "MAAS"
    baseline = median_ms(lambda: check_workbook(path), max(1, repeat // 3))
    rows = sum(len(workbook.table(t)) for t in ("sales", "spend", "spend_shares", "contacts"))
    print(f"\n{path.name}: {len(workbook.account_ids)} accounts, {rows} rows in sales, spend, "
          f"spend_shares and contacts")
    print(f"  baseline check_workbook (whole workbook): {baseline:9.1f} ms")
    draft = editor.document(account)
    data = draft.data
    data["plan"]["objectives"][0]["title"] = "Edited as the user types"
    editor.check_document(account, data)  # warm
    took = median_ms(lambda: editor.check_document(account, data), repeat)
    print(f"  check_document                          {took:9.1f} ms  ({baseline / took:.0f}x)")
    for table in EDITABLE:
        frame = editor.rows(table, account).frame.copy()
        column = _EDITED[table]
        value = frame[column].iloc[0]
        frame.iloc[0, frame.columns.get_loc(column)] = (
            "low" if column == "confidence" and value != "low" else
            "medium" if column == "confidence" else
            (value % 5) + 1 if column == "strength" else
            min(float(value) + 0.5, 10.0) if column == "position" else f"{value} (edited)")
        editor.check_rows(table, account, frame)  # warm
        took = median_ms(lambda table=table, frame=frame: editor.check_rows(table, account,
                                                                              frame), repeat)
        print(f"  check_rows {table:<29s}{took:9.1f} ms  ({baseline / took:.0f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", type=Path, default=None,
                        help="make the large workbook here (or reuse it if it is there)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo"
        shutil.copytree(kamkit.DEMO_WORKBOOK, demo)
        measure(demo, args.repeat)
        big = args.keep or Path(folder) / f"accounts{args.accounts}"
        if not big.exists():
            replicate(big, args.accounts)
        measure(big, args.repeat)


if __name__ == "__main__":
    main()
