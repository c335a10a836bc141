"""The kamkit command as a user runs it: messages and exit codes, never a traceback.

Most tests call the command in this process (a second Python costs a second of start-up per
test); two run it as its own process, ``python -m kamkit.cli``."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kamkit import check_workbook
from kamkit.cli import main
from kamkit.schema_docs import DOC_PATH, render_markdown
from kamkit.workbook import DEMO_WORKBOOK


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The command in this process: its exit code and what it wrote to stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse's usage errors
            code = exit_.code
    return subprocess.CompletedProcess(["kamkit", *args], code, out.getvalue(), err.getvalue())


def run_process(*args: str) -> subprocess.CompletedProcess[str]:
    """The command as its own process."""
    return subprocess.run([sys.executable, "-m", "kamkit.cli", *args], capture_output=True,
                          text=True, timeout=120)


def test_validate_clean_workbook(mini_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(mini_path)]) == 0
    assert "OK" in capsys.readouterr().out


@pytest.mark.slow  # the fast tier's rule: no line cheaper fast tests miss
def test_validate_broken_workbook_exits_non_zero_without_traceback(edit_csv) -> None:
    path = edit_csv("sales.csv", "2025-01,A1,SEC", "2025-01,A9,SEC")
    result = run_process("validate", str(path))
    assert result.returncode == 1
    assert "sales.csv:5: error, column 'account_id': found 'A9'" in result.stdout
    assert "FAILED" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_validate_groups_a_repeated_problem(mini_copy: Path) -> None:
    """2,000 repeated order lines are one message with the count, the first rows and how
    to fix them; not 2,000 lines."""
    with (mini_copy / "sales.csv").open("a", encoding="utf-8") as f:
        f.write("2024-01,A1,CLEAN,NL-RTM,10.00,1.00,1\n" * 2000)
    result = run("validate", str(mini_copy))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == ("sales.csv: error, 2,000 rows: repeats the key (columns 'month', "
                        "'account_id', 'service' and 'location') of an earlier row: rows (order "
                        "lines) for the same month, account, service and location must be "
                        "summed into one.")
    key = "(month=2024-01, account_id=A1, service=CLEAN, location=NL-RTM)"
    assert lines[1:6] == [f"  row {row}: Repeats row 2 {key}." for row in range(6, 11)]
    assert lines[6] == "  ... and 1,995 more rows"
    assert lines[7].startswith("FAILED") and "2000 errors" in lines[7]
    assert len(lines) == 8


SAID_PROBLEMS = {  # a repeated order line and an unknown account, said as validate says them
    "en": ["sales.csv: error, 6 rows: repeats the key (columns 'month', 'account_id', 'service' "
           "and 'location') of an earlier row",
           "  row 6: Repeats row 2 (month=2024-01", "  ... and 1 more row",
           "column 'account_id': found 'A9'; is not in accounts.",
           "FAILED: {path}: 2 accounts, 1 document; 7 errors, 0 warnings."],
    "nl": ["sales.csv: fout, 6 rijen: herhaalt de sleutel (kolommen 'month', 'account_id', "
           "'service' en 'location') van een eerdere rij: rijen (orderregels) voor dezelfde "
           "maand, account, dienst en locatie",
           "  rij 6: Herhaalt rij 2 (month=2024-01", "  ... en nog 1 rij",
           "kolom 'account_id': gevonden 'A9'; staat niet in accounts.",
           "AFGEKEURD: {path}: 2 accounts, 1 document; 7 fouten, 0 waarschuwingen."],
}


@pytest.mark.parametrize("language", ["en", "nl"])
def test_validate_and_run_list_the_workbooks_problems_in_the_terminals_language(
        mini_copy: Path, monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    """The problems, their counts and the verdict, in validate and in run's refusal alike;
    ``KAMKIT_LANGUAGE`` chooses, as for every message of the command line."""
    monkeypatch.setenv("KAMKIT_LANGUAGE", language)
    with (mini_copy / "sales.csv").open("a", encoding="utf-8") as f:
        f.write("2024-01,A1,CLEAN,NL-RTM,10.00,1.00,1\n" * 6 + "2024-02,A9,CLEAN,NL-RTM,1,1,1\n")
    said = [line.replace("{path}", str(mini_copy)) for line in SAID_PROBLEMS[language]]
    other = SAID_PROBLEMS["nl" if language == "en" else "en"]
    validated = run("validate", str(mini_copy))
    assert validated.returncode == 1
    assert all(line in validated.stdout for line in said), validated.stdout
    assert not any(line.split(",")[1] in validated.stdout for line in other[:1])
    refused = run("run", "--quarter", "2026Q3", "--workbook", str(mini_copy),
                  "--output", str(mini_copy.parent / "out"))
    assert refused.returncode == 1
    head = {"en": f"kamkit: error: The workbook {mini_copy} has 7 errors:",
            "nl": f"kamkit: fout: De werkmap {mini_copy} heeft 7 fouten:"}[language]
    assert refused.stderr.startswith(head + "\n"), refused.stderr
    assert all(line in refused.stderr for line in said[:4]), refused.stderr
    assert refused.stderr.rstrip().endswith(
        {"en": f"Run `kamkit validate {mini_copy}` for the full list.",
         "nl": f"Voer `kamkit validate {mini_copy}` uit voor de volledige lijst."}[language])


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_commands_on_a_broken_workbook_say_why(edit_csv) -> None:
    path = edit_csv("relationships.csv", "2025-06-01", "45444")
    result = run("accounts", str(path))
    assert result.returncode == 1  # the workbook has errors (README, kamkit --help)
    assert "relationships.csv:3" in result.stderr and "Traceback" not in result.stderr


def test_missing_workbook(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "No workbook at" in result.stderr and "Traceback" not in result.stderr


def test_accounts_lists_ids_names_status_and_kam(mini_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["accounts", str(mini_path), "--status", "prospect"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert out[1].split()[:3] == ["A2", "Beta", "Chemie"]
    assert "P2 (Bram Peeters)" in out[1]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_init_writes_a_valid_copy_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "ours"
    assert main(["init", str(target)]) == 0
    assert check_workbook(target).ok
    assert (target / "documents").is_dir()
    result = run("init", str(target))
    assert result.returncode == 2 and "not empty" in result.stderr


def test_new_account_scaffold_validates(mini_copy: Path) -> None:
    # A2 is in accounts.csv but has no document yet
    assert main(["new-account", "A2", "--workbook", str(mini_copy), "--year", "2026"]) == 0
    written = (mini_copy / "documents" / "A2.yaml").read_text(encoding="utf-8")
    for part in ("vision:", "swot_account:", "swot_ours:", "conclusions:", "vision_3y:",
                 "objectives:", "relationship_mix:", "team:", "actions:", "targets:"):
        assert part in written
    checked = check_workbook(mini_copy)
    assert checked.ok, [str(p) for p in checked.problems]
    assert checked.documents["A2"].plan.period.start.year == 2026
    result = run("new-account", "A2", "--workbook", str(mini_copy))
    assert result.returncode == 2 and "--force" in result.stderr


@pytest.mark.parametrize("bad_id", ["../evil", "a/b", "", ".hidden"])
def test_new_account_refuses_unsafe_ids(mini_copy: Path, bad_id: str) -> None:
    result = run("new-account", bad_id, "--workbook", str(mini_copy))
    assert result.returncode == 2 and "cannot be an account id" in result.stderr
    assert sorted(p.name for p in (mini_copy / "documents").iterdir()) == ["A1.yaml"]


def test_new_account_leaves_the_bundled_demo_alone() -> None:
    result = run("new-account", "NEW1")
    assert result.returncode == 2 and "needs the workbook to write into" in result.stderr
    result = run("new-account", "NEW1", "--workbook", str(DEMO_WORKBOOK))
    assert result.returncode == 2 and "read-only" in result.stderr
    help_text = " ".join(run("new-account", "--help").stdout.split())
    assert "default: the bundled demo" not in help_text and "required" in help_text


def test_workbook_reference_is_current() -> None:
    from kamkit.documents import date_paths, path_text, required_paths
    from kamkit.parsing import date_layouts

    text = DOC_PATH.read_text(encoding="utf-8")
    assert text == render_markdown(), (
        "docs/workbook.md is stale: run python -m kamkit.schema_docs")
    # it names, from their one home in code, every text of a document that may not be
    # blank and every date layout the readers take
    assert "`plan.actions[].what`" in text and len(required_paths()) >= 10
    for path in (*required_paths(), *date_paths()):
        assert f"`{path_text(path)}`" in text, path
    for layout in date_layouts():
        assert f"`{layout}`" in text, layout


def test_init_into_the_current_empty_folder(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("init", ".")
    assert result.returncode == 0, result.stderr
    assert check_workbook(tmp_path).ok
    assert not any(p.name.startswith(".kamkit") for p in tmp_path.iterdir())


def test_new_account_in_a_missing_workbook_writes_nothing(tmp_path: Path) -> None:
    result = run("new-account", "FOO", "--workbook", str(tmp_path / "typo"))
    assert result.returncode == 2 and "No workbook at" in result.stderr
    assert not (tmp_path / "typo").exists()


@pytest.mark.parametrize(("content", "message"), [
    (b"quarter: 2026Q3\nas_of: 2026-09-31\n", "write dates as YYYY-MM-DD"),
    (b"quarter: 2026Q3\n1: x\nfoo: y\n", "run.yaml:2: unknown setting '1'.\n"),
    (b"quarter: 2026Q3\n1: x\nfoo: y\n", "run.yaml:3: unknown setting 'foo'. The settings"),
    (b"\xff\xfe", "cannot be read: it is not valid UTF-8 (byte 0)"),
])
def test_bad_run_definitions_are_messages(tmp_path: Path, content: bytes, message: str) -> None:
    definition = tmp_path / "run.yaml"
    definition.write_bytes(content)
    result = run("run", str(definition), "--output", str(tmp_path / "out"))
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


# A file the command line reads, and what its message says in en and nl
SAID = yaml.safe_load((Path(__file__).parent / "fixtures" / "cli_messages.yaml")
                      .read_text(encoding="utf-8"))


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("case", list(SAID))
def test_messages_about_files_the_command_line_reads_are_in_the_terminals_language(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, language: str) -> None:
    for variable in ("KAMKIT_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "nl_NL.UTF-8" if language == "nl" else "en_GB.UTF-8")
    content, english, dutch = (SAID[case][key] for key in ("file", "en", "nl"))
    file = tmp_path / ("map.yaml" if case.startswith("mapping") else "run.yaml")
    if content is not None:
        file.write_bytes(content.encode("latin-1"))
    if case.startswith("mapping"):
        result = run("import", str(tmp_path / "export.csv"), "--mapping", str(file),
                     "--workbook", str(tmp_path / "wb"))
    else:
        result = run("run", str(file), "--output", str(tmp_path / "out"))
    assert result.returncode == 2, result.stderr
    prefix, said, other = (("kamkit: error: ", english, dutch) if language == "en"
                           else ("kamkit: fout: ", dutch, english))
    assert result.stderr.startswith(prefix) and said in result.stderr, result.stderr
    assert other not in result.stderr


@pytest.mark.parametrize(("environ", "language"), [
    ({}, "en"),
    ({"LANG": "nl_NL.UTF-8"}, "nl"),
    ({"LANG": "nl_BE"}, "nl"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "nl_NL.UTF-8"}, "en"),  # LC_ALL overrides LANG
    ({"LC_MESSAGES": "nl_NL.UTF-8", "LANG": "en_GB.UTF-8"}, "nl"),
    ({"LANGUAGE": "fr:nl", "LANG": "fr_FR.UTF-8"}, "nl"),  # the first language kamkit has
    ({"KAMKIT_LANGUAGE": "nl", "LANG": "C"}, "nl"),
    ({"KAMKIT_LANGUAGE": "EN", "LANG": "nl_NL.UTF-8"}, "en"),
    ({"KAMKIT_LANGUAGE": "fr", "LANG": "nl_NL.UTF-8"}, "nl"),  # not a language of kamkit's
])
def test_the_command_lines_language_is_the_terminals(environ: dict[str, str],
                                                    language: str) -> None:
    from kamkit.labels import message_language

    assert message_language(environ) == language


@pytest.mark.parametrize(("args", "hint"), [
    (["run", "--languages", "nl"], "Did you mean --language?"),
    (["run", "--timout=5"], "Did you mean --timeout?"),
    (["import", "x.csv", "--sugest"], "Did you mean --suggest?"),
    (["validate", "--zzz"], None),
])
def test_an_unknown_option_names_the_close_ones(args: list[str], hint: str | None) -> None:
    result = run(*args)
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"kamkit {args[0]}: error: unrecognized arguments: ")
    assert last.endswith(hint) if hint else "Did you mean" not in last
