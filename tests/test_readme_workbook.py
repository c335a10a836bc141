"""The README's first steps leave a clone clean: the workbook `kamkit init` makes at the
clone's root (and the one the import walk-through writes) is ignored by git, so `git status`
shows only what the user changed in kamkit itself."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _readme_workbooks() -> set[str]:
    """Every workbook folder the README's commands make or name at the clone's root."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"kamkit init (\S+)", text))
    named |= set(re.findall(r"--workbook (\S+)", text))
    # a folder name, not a placeholder (DIR) or a path elsewhere
    return {name for name in named if re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", name)}


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(),
                    reason="not a git checkout")
def test_the_readmes_workbook_is_ignored_by_git() -> None:
    workbooks = _readme_workbooks()
    assert "my-workbook" in workbooks
    for name in sorted(workbooks):
        for inside in ("workbook.yaml", "accounts.csv", "documents/MAAS.yaml",
                       "kamkit-changes.csv"):
            path = f"{name}/{inside}"
            ignored = subprocess.run(["git", "check-ignore", "-q", "--no-index", path],
                                     cwd=ROOT, check=False).returncode == 0
            assert ignored, f"{path} would show as untracked in git status"
    # what kamkit ships stays tracked
    for path in ("kamkit/demo/workbook/accounts.csv", "tests/fixtures/mini/accounts.csv"):
        assert subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT,
                              check=False).returncode == 1, path
