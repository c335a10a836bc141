"""Files that cannot be read, and YAML that is not valid, said in the workbench's language.

A table, document or settings file that cannot be read at all (refused by the file system,
not a regular file, too large, no .xlsx workbook) and YAML that PyYAML or libyaml refuses
(syntax, a key given twice, the bounds) are problems whose message is Words: English as
`kamkit validate` says it, and a whole Dutch sentence in a Dutch session, naming the file,
the line and (for YAML syntax) the column, with PyYAML's own problem quoted.
"""

from __future__ import annotations

import errno
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from yaml.error import Mark, MarkedYAMLError

from kamkit import check_workbook, yamlread
from kamkit.document_reader import _LOADER
from kamkit.problems import Problem, Severity
from kamkit.readers import refused_words

# YAML that PyYAML and libyaml refuse, one of each kind of problem and some of no kind
BROKEN_YAML = [
    "plan: a: b\n",  # a colon inside a value
    "plan: @team\n",  # a character that cannot start a value
    "plan: 'open\nswot: 1\n",  # a quote never closed
    'plan: "a\\qb"\n',  # an unknown escape
    "plan: [1, 2\nswot: 3\n",  # a bracket never closed
    "plan: {a: 1\nswot: 2\n",
    "plan: 1\n---\nswot: 2\n",  # two documents
    "plan:\n  - 1\n  b: 2\n",  # indentation
    "plan:\n\t- 1\n",  # a tab
    "plan: *nowhere\n",  # an alias of no anchor
    "plan: &x 1\nswot: &x 2\n",  # an anchor twice
    "? [1]\n: 2\n",  # a list as a key
    "plan: !python/object 1\n",  # a tag
    "plan: 1\nswot: a\x07b\n",  # a control character
    "%YAML 2.0\n---\nplan: 1\n",  # a directive
    "plan: ,\n",  # no value
    "plan: 1\nplan: 2\n",  # a key given twice
    "plan: " + "[" * (yamlread.MAX_DEPTH + 5) + "]" * (yamlread.MAX_DEPTH + 5) + "\n",
]


def _problem_of(document: str, loader: type) -> tuple[Problem, yaml.YAMLError, str]:
    text = "account_id: A1\n" + document
    try:
        yamlread.load(text, loader)
    except yaml.YAMLError as error:
        said = yamlread.problem_words(error, text)
        line = yamlread.location(error, text)[0]
        return Problem.said(Severity.ERROR, "documents/A1.yaml", said, row=line), error, text
    raise AssertionError(f"{document!r} read without an error")


def _dutch(problem: Problem) -> str:
    dutch = problem.text("nl")
    assert problem.words is not None, problem
    assert not re.search(r"\{[a-z_]+\}", dutch)  # every value filled in
    assert re.search(r": (fout|waarschuwing)", dutch)
    assert problem.message not in dutch, dutch  # the message itself is said in Dutch
    return dutch


@pytest.mark.parametrize("loader", [_LOADER, yamlread.SAFE_LOADER,
                                    yamlread.unique_keys(yaml.SafeLoader)],
                         ids=["documents", "run definitions", "pure PyYAML"])
@pytest.mark.parametrize("document", BROKEN_YAML)
def test_a_yaml_problem_reads_in_dutch_at_its_line_and_column(document: str,
                                                             loader: type) -> None:
    problem, error, text = _problem_of(document, loader)
    dutch = _dutch(problem)
    line, column = yamlread.location(error, text)
    assert line is not None and problem.row == line and dutch.startswith(f"documents/A1.yaml:"
                                                                         f"{line}: fout")
    own = getattr(error, "words", None)
    if own is None:  # a syntax error: where in the line, and PyYAML's own words quoted
        assert f"geen geldige YAML (kolom {column})" in dutch
        assert f"is not valid YAML (column {column})" in problem.message
        quoted = re.search(r"\('(.+)'\)|meldt '(.+)'", dutch, re.S)
        assert quoted is not None and (quoted[1] or quoted[2]) in problem.message
    else:  # kamkit's own: a key twice names both lines, a bound its limit
        assert own.said("en") in problem.message


def test_the_column_is_where_the_problem_is() -> None:
    problem, _, _ = _problem_of("plan: a: b\n", _LOADER)
    assert problem.row == 2 and "(kolom 8)" in problem.text("nl")  # the second colon


def test_a_control_character_without_a_mark_is_found_by_its_position() -> None:
    problem, error, _ = _problem_of("plan: 1\nswot: a\x07b\n", _LOADER)
    assert isinstance(error, yaml.reader.ReaderError)
    assert problem.row == 3 and "(kolom 8)" in problem.text("nl")


@pytest.mark.parametrize("text", ["the moon is made of cheese", "found something odd {here}"])
def test_an_unknown_problem_text_is_a_whole_dutch_sentence_quoting_it(text: str) -> None:
    error = MarkedYAMLError(problem=text, problem_mark=Mark("x", 0, 4, 2, "", 0))
    said = yamlread.problem_words(error)
    assert said.said("nl") == (f"is geen geldige YAML (kolom 3): de YAML-lezer meldt '{text}'. "
                               "Controleer het inspringen en zet tekst met een dubbele punt "
                               "tussen aanhalingstekens.")
    assert said.said("en").startswith(f"is not valid YAML (column 3): {text}. ")
    unmarked = yamlread.problem_words(yaml.YAMLError(text))
    assert unmarked.said("nl").startswith(f"is geen geldige YAML: de YAML-lezer meldt '{text}'")


def _dutch_problems(folder: Path) -> list[tuple[Problem, str]]:
    """Every error of ``folder`` said in Dutch (each checked to be Dutch)."""
    found = [p for p in check_workbook(folder).problems if p.severity is Severity.ERROR]
    assert found
    return [(p, _dutch(p)) for p in found]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_broken_document_in_a_workbook_reads_in_dutch(mini_copy: Path) -> None:
    (mini_copy / "documents" / "A1.yaml").write_text("account_id: A1\nplan:\n  - x: 1\n"
                                                    "  goal: y: z\n", encoding="utf-8")
    [(problem, dutch)] = _dutch_problems(mini_copy)
    assert problem.file == "documents/A1.yaml" and problem.row == 4
    assert "geen geldige YAML (kolom" in dutch


def test_broken_settings_read_in_dutch(mini_copy: Path) -> None:
    settings = mini_copy / "workbook.yaml"
    cases = {"currency: [EUR\n": "geen geldige YAML (kolom",
             "currency: EUR\ncurrency: USD\n": "staat er twee keer in (regels 1 en 2)",
             "- EUR\n": "moet een YAML-mapping zijn",
             "currency: EUR\ncolour: red\n": "'colour' is geen instelling",
             "format_version: -1\n": "format_version moet een geheel getal",
             "currency: EURO\n": "valuta 'EURO' is geen ISO 4217-valutacode"}
    for text, dutch in cases.items():
        settings.write_text(text, encoding="utf-8")
        said = [d for p, d in _dutch_problems(mini_copy) if p.file == "workbook.yaml"]
        assert len(said) == 1 and dutch in said[0], (text, said)
    settings.write_bytes(b"currency: \xff\n")
    assert "is geen geldige UTF-8 (byte 10)" in _dutch_problems(mini_copy)[0][1]


REASONS = {errno.ENOENT: "het bestaat niet (meer)", errno.EACCES: "geen rechten",
           errno.EPERM: "geen rechten", errno.EISDIR: "een map, geen bestand",
           errno.ENOTDIR: "een deel van het pad is een bestand",
           errno.EIO: "het besturingssysteem meldt", errno.ELOOP: "het besturingssysteem meldt"}


@pytest.mark.parametrize("number", list(REASONS))
def test_a_file_the_system_refuses_reads_in_dutch_with_its_reason(number: int) -> None:
    strerror = os.strerror(number)
    said = refused_words(OSError(number, strerror, "sales.csv"))
    assert said.said("en") == f"cannot be read: {strerror}."  # as before
    dutch = said.said("nl")
    assert dutch.startswith("kan niet worden gelezen: ") and REASONS[number] in dutch
    assert f"'{strerror}'" in dutch


@pytest.fixture
def refuse(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Make opening files with the given names fail with ``errno`` (tests run as root read
    what a chmod forbids)."""

    def make(number: int, *names: str) -> None:
        real = os.open

        def opener(path: object, flags: int, *args: object, **kwargs: object) -> int:
            if Path(str(path)).name in names:
                raise OSError(number, os.strerror(number), str(path))
            return real(path, flags, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "open", opener)

    return make


def test_tables_and_documents_the_system_refuses_read_in_dutch(
        mini_copy: Path, refuse: Callable[..., None]) -> None:
    refuse(errno.EACCES, "sales.csv", "A1.yaml", "workbook.yaml")
    (mini_copy / "workbook.yaml").write_text("currency: EUR\n", encoding="utf-8")
    said = {p.file: d for p, d in _dutch_problems(mini_copy)}
    for file in ("sales.csv", "documents/A1.yaml", "workbook.yaml"):
        assert f"{file}: fout: kan niet worden gelezen: u hebt geen rechten" in said[file]


def test_a_fifo_and_a_file_over_the_limit_read_in_dutch(mini_copy: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    (mini_copy / "sales.csv").unlink()
    os.mkfifo(mini_copy / "sales.csv")
    said = {p.file: d for p, d in _dutch_problems(mini_copy)}
    assert "is een FIFO (named pipe), geen bestand" in said["sales.csv"]
    monkeypatch.setenv("KAMKIT_MAX_FILE_MB", "0.0001")  # 100 bytes
    said = {p.file: d for p, d in _dutch_problems(mini_copy)}
    assert re.search(r"is \d+,\d MB, meer dan de 0 MB die kamkit per bestand leest",
                     said["accounts.csv"])
    assert "KAMKIT_MAX_FILE_MB" in said["documents/A1.yaml"]


def _zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")


@pytest.mark.parametrize(("content", "dutch"), [
    (b"", "is leeg (0 bytes), geen .xlsx-werkmap"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "is een Excel 97-2003-werkmap (.xls)"),
    (b"account_id;name\nA1;Acme\n", "een .xlsx-bestand is een zip-archief en dit is er geen"),
    (_zip, "kan niet worden geopend als .xlsx-werkmap (de melding: '"),
], ids=["empty", "xls", "csv", "zip"])
def test_an_xlsx_that_is_no_workbook_reads_in_dutch(tmp_path: Path,
                                                    content: bytes | Callable[[Path], None],
                                                    dutch: str) -> None:
    path = tmp_path / "kam.xlsx"
    content(path) if callable(content) else path.write_bytes(content)
    said = {p.file: d for p, d in _dutch_problems(path)}
    assert dutch in said["kam.xlsx"]


def test_two_files_of_one_account_read_in_dutch(mini_copy: Path) -> None:
    documents = mini_copy / "documents"
    (documents / "A1.yml").write_bytes((documents / "A1.yaml").read_bytes())
    said = {p.file: d for p, d in _dutch_problems(mini_copy)}
    assert "zijn allebei documenten van A1" in said["documents/A1.yaml"]


@pytest.mark.parametrize("module", ["readers.py", "document_reader.py", "settings.py",
                                    "yamlread.py", "edit/csvfile.py"])
def test_every_reading_message_is_a_label(module: str) -> None:
    # the class: the modules that read a workbook's files make no problem and raise no error
    # from English text alone; a problem carries Words, an error is made ``of`` Words
    import ast

    import kamkit

    path = Path(kamkit.__file__).parent / module
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None)
        if name == "Problem":
            assert any(k.arg == "words" for k in node.keywords), f"{module}:{node.lineno}"
        assert name not in ("InputFileError", "YamlLimitError"), f"{module}:{node.lineno}"


@pytest.mark.parametrize(("text", "dutch"), [
    (b"codes: [\n", "kamkit-import.yaml:2 is geen geldige YAML (kolom 1)"),
    (b"codes: \xff\n", "is geen geldige UTF-8 (byte 7)"),
    (b"- a\n", "is geen importmanifest"),
    (b"codes: [a]\n", "`codes` moet een mapping zijn"),
], ids=["yaml", "utf-8", "list", "section"])
@pytest.mark.sample(3)  # the cases covered by the others: benchmarks/fast_tier.py
def test_an_unreadable_import_manifest_is_a_dutch_warning(mini_copy: Path, text: bytes,
                                                          dutch: str) -> None:
    (mini_copy / "kamkit-import.yaml").write_bytes(text)
    [warning] = [p for p in check_workbook(mini_copy).problems
                 if p.file == "kamkit-import.yaml"]
    said = _dutch(warning)
    assert dutch in said and said.endswith("worden niet gecontroleerd.")


def test_no_workbook_where_one_is_given_is_said_in_dutch(tmp_path: Path) -> None:
    from kamkit.edit import WorkbookEditor
    from kamkit.errors import KamkitError
    from kamkit.migrate import plan_migration

    (tmp_path / "sales.csv").write_text("a\n", encoding="utf-8")
    for given, dutch in ((tmp_path / "nothing", "Geen werkmap op "),
                         (tmp_path / "sales.csv", "is geen map met CSV-bestanden en geen")):
        said = set()
        for opening in (check_workbook, WorkbookEditor, plan_migration):
            with pytest.raises(KamkitError) as raised:
                opening(given)
            said.add(raised.value.in_language("nl"))
        [only] = said  # each way in says it the same
        assert only.startswith(dutch if dutch[0].isupper() else str(given)) and dutch in only
