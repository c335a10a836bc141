"""`kamkit run` on a hostile environment, run definition or selection (issue 12): a message and
exit code 2 before anything is written, never exit 3 "internal error". Environment faults are
injected (the tests may run as root, where a read-only folder is writable anyway). None of
these start a kernel: each stops before the first notebook."""

from __future__ import annotations

import errno
import os
import re
import shutil
from pathlib import Path

import pytest

from kamkit.batch.definition import load_definition
from kamkit.batch.layout import OWNER, STAMP
from kamkit.batch.runner import schedule, selected
from kamkit.errors import KamkitError
from kamkit.ids import safe_name
from kamkit.workbook import load_workbook
from tests.conftest import MINI
from tests.test_cli import run


def kamkit_run(tmp_path: Path, *args: str, workbook: Path = MINI):
    """``kamkit run`` on a workbook for 2025Q4 into ``tmp_path/out``."""
    return run("run", *args, "--quarter", "2025Q4", "--workbook", str(workbook),
               "--output", str(tmp_path / "out"), "--jobs", "1")


def refused(result, *words: str) -> str:
    """The message of a run that stopped with exit code 2; each of ``words`` is in it."""
    assert result.returncode == 2, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    return result.stderr


def renamed(target: Path, old: str, new: str) -> Path:
    """A copy of the mini workbook with account id ``old`` written as ``new`` everywhere."""
    shutil.copytree(MINI, target)
    for path in [*target.glob("*.csv"), *target.glob("documents/*.yaml")]:
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    (target / "documents" / f"{old}.yaml").unlink(missing_ok=True)
    return target


# ------------------------------------------------------------------------------ selection
@pytest.mark.parametrize("accounts", ["NOPE", "A1,a2", "A1,NOPE,ZZZ"])
def test_an_unknown_account_is_a_usage_error_before_anything_runs(tmp_path: Path,
                                                                  accounts: str) -> None:
    message = refused(kamkit_run(tmp_path, "--accounts", accounts), "unknown account")
    assert not (tmp_path / "out").exists()  # nothing written, no kernel started
    if accounts == "A1,a2":
        assert "Did you mean A2?" in message


def test_unknown_accounts_are_said_in_the_run_language(tmp_path: Path) -> None:
    """The first unknown id with its suggestion (a case-only match), then all of them, in
    Dutch as in English."""
    definition = load_definition(None, {"quarter": "2025Q4", "workbook": str(MINI),
                                        "accounts": "a2,NOPE", "output": str(tmp_path)})
    with pytest.raises(KamkitError) as refusal:
        selected(definition, load_workbook(MINI))
    english, dutch = str(refusal.value), refusal.value.in_language("nl")
    assert english.startswith(f"the command line: accounts: unknown account 'a2': it is not "
                              f"in {MINI}.")
    assert "Did you mean A2? Known accounts: A1, A2. All 2 unknown: 'a2', 'NOPE'." in english
    assert dutch.startswith("de opdrachtregel: accounts: onbekend account 'a2': het staat niet ")
    assert ("Bedoelde u A2? Bekende accounts: A1, A2. Alle 2 onbekende accounts: 'a2', 'NOPE'."
            in dutch)


def test_an_unknown_account_in_a_run_definition_too(tmp_path: Path) -> None:
    definition = tmp_path / "run.yaml"
    definition.write_text("quarter: 2025Q4\naccounts: [A1, A3]\n", encoding="utf-8")
    result = run("run", str(definition), "--workbook", str(MINI), "--output",
                 str(tmp_path / "out"))
    refused(result, f"{definition}:2: accounts: unknown account 'A3'")
    # given on the command line instead, the file is not the place: the option is
    result = run("run", str(definition), "--workbook", str(MINI), "--accounts", "A1,A4",
                 "--output", str(tmp_path / "out"))
    message = refused(result, "kamkit: error: the command line (--accounts): unknown account "
                      "'A4'")
    assert str(definition) not in message


@pytest.mark.parametrize(("key", "right", "wrong", "said"), [
    ("languages", "[en]", "de", "the command line (--language): unknown language 'de'"),
    ("timeout", "600", "soon", "the command line (--timeout): "),
])
def test_a_wrong_command_line_value_names_the_option_not_the_file(
        tmp_path: Path, key: str, right: str, wrong: str, said: str) -> None:
    """The file's own value is right; the wrong one came from the command line (review 10,
    F11). A wrong value in the file names the file and its line."""
    definition = tmp_path / "run.yaml"
    definition.write_text(f"quarter: 2025Q4\n{key}: {right}\n", encoding="utf-8")
    with pytest.raises(KamkitError) as refusal:
        load_definition(definition, {key: wrong})
    assert str(refusal.value).startswith(said) and str(definition) not in str(refusal.value)
    assert refusal.value.in_language("nl").startswith(said.replace(
        "the command line", "de opdrachtregel")[:28])
    definition.write_text(f"quarter: 2025Q4\n{key}: {wrong}\n", encoding="utf-8")
    with pytest.raises(KamkitError, match=f"^{re.escape(str(definition))}:2: {key}: "):
        load_definition(definition)


@pytest.mark.slow  # the fast tier's rule: no line cheaper fast tests miss
def test_a_folder_belongs_to_one_account_across_runs(tmp_path: Path) -> None:
    """An id that needs a hashed folder name and a plain id equal to that name, in two
    workbooks run one after the other: the second is refused, the first's reports stay."""
    hashed = renamed(tmp_path / "one", "A2", "A.2")
    plain = renamed(tmp_path / "two", "A2", safe_name("A.2"))
    first = load_definition(None, {"quarter": "2025Q4", "workbook": str(hashed),
                                   "accounts": "A.2", "output": str(tmp_path / "out")})
    schedule(first, load_workbook(hashed))
    folder = first.folder / safe_name("A.2")
    (folder / "analysis.html").write_text("A.2's report", encoding="utf-8")
    second = load_definition(None, {"quarter": "2025Q4", "workbook": str(plain),
                                    "accounts": safe_name("A.2"),
                                    "output": str(tmp_path / "out")})
    with pytest.raises(KamkitError, match=r"holds the reports of account 'A\.2'"):
        schedule(second, load_workbook(plain))
    assert (folder / "analysis.html").read_text(encoding="utf-8") == "A.2's report"
    schedule(first, load_workbook(hashed))  # its own folder: fine again


def test_a_folder_made_before_claims_is_judged_by_its_record(tmp_path: Path) -> None:
    definition = load_definition(None, {"quarter": "2025Q4", "workbook": str(MINI),
                                        "accounts": "A1", "output": str(tmp_path / "out")})
    folder = definition.folder / "A1"
    folder.mkdir(parents=True)
    (folder / STAMP).write_text('{"account_id": "a1", "name": "x", "key": null, '
                                '"reports": {}}', encoding="utf-8")  # a case twin's
    with pytest.raises(KamkitError, match="holds the reports of account 'a1'"):
        schedule(definition, load_workbook(MINI))
    assert not (folder / OWNER).exists()


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_two_ids_of_one_run_that_share_a_folder_are_named(tmp_path: Path) -> None:
    both = renamed(tmp_path / "wb", "A2", "A.2")
    accounts = both / "accounts.csv"
    with accounts.open("a", encoding="utf-8") as handle:
        handle.write(f"{safe_name('A.2')},Twin,Retail,NL,other,P2,3,4\n")
    refused(kamkit_run(tmp_path, "--accounts", f"A.2,{safe_name('A.2')}", workbook=both),
            "would both be written to the folder")


# ------------------------------------------------------------------------------ environment
def test_output_naming_a_file(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    refused(kamkit_run(tmp_path, "--accounts", "A1"), "is a file", "--output")
    assert (tmp_path / "out").read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize(("code", "words"), [
    (errno.EROFS, ("read-only file system",)),
    (errno.EACCES, ("no permission",)),
])
@pytest.mark.sample(1)  # the cases covered by the others: benchmarks/fast_tier.py
def test_a_read_only_output_or_quarter_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              code: int, words: tuple[str, ...]) -> None:
    out = tmp_path / "out"
    real_mkdir = Path.mkdir

    def mkdir(self: Path, *args: object, **kwargs: object) -> None:
        if self.is_relative_to(out):
            raise OSError(code, os.strerror(code), str(self))
        real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    refused(kamkit_run(tmp_path, "--accounts", "A1"), *words)
    monkeypatch.undo()
    real_mkdir(out / "2025Q4", parents=True)  # the quarter folder exists; writing in it fails
    real_open = os.open

    def open_(path: str | os.PathLike[str], flags: int, *args: object, **kwargs: object) -> int:
        if Path(path).is_relative_to(out) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    refused(kamkit_run(tmp_path, "--accounts", "A1"), *words)


@pytest.mark.notebook  # the run's kernels start while it measures, before the disk fills
def test_a_full_disk_says_where_and_leaves_no_temporary_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)  # the moment an atomic write makes its data safe
    message = refused(kamkit_run(tmp_path, "--accounts", "A1"), "no space left on")
    assert str(tmp_path / "out") in message
    assert not [p for p in (tmp_path / "out").rglob("*") if p.name.endswith(".tmp")]


# ------------------------------------------------------------------------------ definitions
@pytest.mark.parametrize(("text", "words"), [
    ("quarter: 2025Q4\n" + "a0: &a0 [x]\n"
     + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10))
     + "accounts: *a9\n", ("more than", "values", "run.yaml:7:")),  # a6 has 10**6
    ("quarter: 2025Q4\naccounts: " + "[" * 3000 + "]" * 3000 + "\n", ("levels deep", ":2:")),
    ("quarter: 2025Q4\naccounts: [A1]\njobs: 1\naccounts: all\n", ("lines 2 and 4", "'accounts'")),
    ("quarter: 2025Q4\naccounts: [[A1], [A2]]\n", ("accounts", "a list of names")),
    ("quarter: [2025Q4]\n", ("quarter", "not a quarter")),
    ("as_of: {day: 1}\n", ("as_of", "expected a date")),
    ("quarter: 2025Q4\nlanguage: en\nlanguages: [nl]\n", ("same setting",)),
])
def test_a_hostile_run_definition_is_refused_before_use(tmp_path: Path, text: str,
                                                        words: tuple[str, ...]) -> None:
    definition = tmp_path / "run.yaml"
    definition.write_text(text, encoding="utf-8")
    result = run("run", str(definition), "--workbook", str(MINI), "--output",
                 str(tmp_path / "out"))
    refused(result, *words)
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_run_definition_that_is_a_fifo(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "run.yaml")
    refused(run("run", str(tmp_path / "run.yaml")), "No run definition")


def test_a_full_disk_when_the_index_is_written(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The last write of a run (after the workers): the error names the index, and the
    command says "no space left on" it with exit code 2."""
    import datetime as dt

    from kamkit.batch.runner import write_index
    from kamkit.errors import environment_message

    definition = load_definition(None, {"quarter": "2025Q4", "workbook": str(MINI),
                                        "output": str(tmp_path / "out")})
    definition.folder.mkdir(parents=True)

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError) as caught:
        write_index(definition, [], dt.date(2026, 1, 5))
    assert environment_message(caught.value).startswith(
        f"no space left on {definition.folder / 'index.html'}")
    assert list(definition.folder.iterdir()) == []  # no temporary file left


def test_a_full_disk_while_a_worker_writes_fails_the_account_with_the_reason(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's write on a full disk fails that account with "no space left on <path>",
    not "internal error" with a traceback in the log, and leaves no temporary file."""
    import datetime as dt
    from types import SimpleNamespace

    import nbformat

    from kamkit.batch.render import AccountRenderer
    from kamkit.batch.tasks import AccountTask

    definition = load_definition(None, {"quarter": "2025Q4", "workbook": str(MINI),
                                        "output": str(tmp_path / "out")})
    renderer = AccountRenderer.__new__(AccountRenderer)  # no kernel: its results are given
    renderer.setup = SimpleNamespace(made=dt.date(2026, 1, 5))
    renderer.definition = definition
    renderer.log = (tmp_path / "log").open("wb")
    renderer.session = SimpleNamespace(run=lambda *_: SimpleNamespace(
        error=None, notebook=nbformat.v4.new_notebook()))
    renderer.converter = SimpleNamespace(convert=lambda *_, **__: "<html></html>")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    folder = tmp_path / "out" / "2025Q4" / "A1"
    done = renderer.render(AccountTask("A1", "Alpha", folder))
    renderer.log.close()
    assert done.failed and all(error.startswith(f"no space left on {folder}")
                               for error in done.failed.values())
    assert (tmp_path / "log").read_bytes() == b""  # no traceback
    assert list(folder.iterdir()) == []
