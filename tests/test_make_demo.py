"""scripts/make_demo.py writes the bundled demo workbook: run into a scratch folder, it must
give the committed files byte for byte, so a change to the demo is made in the script (a hand
edit of a committed file would be lost at the next regeneration)."""

from __future__ import annotations

import filecmp
import runpy
from pathlib import Path

import pytest

import kamkit

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "make_demo.py"


def _differences(left: Path, right: Path) -> list[str]:
    compared = filecmp.dircmp(left, right)
    found = [f"{right.name}/{name}" for name in
             compared.left_only + compared.right_only + compared.diff_files + compared.funny_files]
    # dircmp compares by os.stat first; compare every common file's bytes instead
    found += [f"{right.name}/{name}" for name in compared.same_files
              if (left / name).read_bytes() != (right / name).read_bytes()]
    for name in compared.common_dirs:
        found += _differences(left / name, right / name)
    return found


@pytest.mark.slow  # generates the whole demo (14,871 sales rows): about 5 CPU s
def test_the_script_writes_the_committed_demo(tmp_path: Path) -> None:
    module = runpy.run_path(str(SCRIPT), run_name="make_demo")
    tables, documents = module["generate"]()
    module["write_workbook"](tmp_path / "workbook", tables, documents)
    assert _differences(tmp_path / "workbook", kamkit.DEMO_WORKBOOK) == []
