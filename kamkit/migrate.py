"""``kamkit migrate``: upgrade a workbook in place to the format this kamkit writes.

Each format version after the first has one step here, from the version before it
(``STEPS``). A step plans the new bytes of every file it changes, touching only what the
format change needs (a header cell, a document key): separators, encodings, quoting, line
ends, comments and every other byte stay as they were. Nothing is written until every file
is planned; then each is kept under ``.kamkit/backups`` (``kamkit.edit.history``) and
replaced atomically, ``workbook.yaml`` with the new version last. A failure while writing
puts back the files already written, so the workbook is left as it was. A workbook of the
current version is left alone (migrating twice changes nothing); one of a later version is
refused (``kamkit.settings``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kamkit.atomic import write_bytes_atomic
from kamkit.edit.csvfile import encode, read_csv_file
from kamkit.edit.history import History
from kamkit.edit.xlsxfile import xlsx_losses
from kamkit.errors import KamkitError
from kamkit.problems import Problem
from kamkit.readers import sheet_name
from kamkit.schema import (
    DOCUMENTS_FOLDER,
    RENAMED_COLUMNS,
    RENAMED_TARGET_KEYS,
    TABLES,
    TABLES_BY_NAME,
)
from kamkit.settings import (
    FORMAT_VERSION,
    Settings,
    read_settings,
    settings_file,
    settings_text,
)
from kamkit.workbook import document_files, documents_folder, existing_workbook, is_demo


@dataclass
class Planned:
    """The new bytes of one file and what changes in it."""

    path: Path
    data: bytes
    changes: list[str]


@dataclass
class Migration:
    """What migrating a workbook changes (or, in a dry run, would change)."""

    workbook: Path
    from_version: int
    to_version: int
    files: list[Planned] = field(default_factory=list)
    written: bool = False
    backups: list[Path] = field(default_factory=list)
    """The files whose earlier bytes were kept under ``.kamkit/backups`` (after writing)."""

    def lines(self) -> list[str]:
        """The migration as text: per file what changed, and which files were (or would
        be) kept as they were; a file the migration creates has nothing to keep."""
        if self.from_version == self.to_version:
            return [f"{self.workbook}: already of format version {self.to_version}; nothing "
                    "to change."]
        verb = "migrated" if self.written else "would migrate"
        out = [f"{self.workbook}: {verb} from format version {self.from_version} to "
               f"{self.to_version}:"]
        for planned in self.files:
            out.append(f"  {self._name(planned.path)}: {'; '.join(planned.changes)}")
        kept = (self.backups if self.written
                else [planned.path for planned in self.files if planned.path.exists()])
        if kept:
            one = len(kept) == 1
            what = self._name(kept[0]) if one else f"the {len(kept)} files"
            out.append(f"  {what} as {'it was' if one else 'they were'}, kept under "
                       ".kamkit/backups" if self.written else
                       f"  {what} as {'it is' if one else 'they are'} would be kept under "
                       ".kamkit/backups")
        return out

    def _name(self, path: Path) -> str:
        base = self.workbook.parent if self.workbook.is_file() else self.workbook
        return path.relative_to(base).as_posix()


def _renamed(old: str, new: str) -> str:
    """``new`` spelled as ``old`` is: its case and the spaces around it."""
    name = old.strip()
    shown = new.upper() if name.isupper() else new
    return old[: len(old) - len(old.lstrip())] + shown + old[len(old.rstrip()):]


def _csv_header(path: Path, table: str, names: dict[str, str]) -> Planned | None:
    """The CSV table file with the old names in its header renamed; None when it has none."""
    data = path.read_bytes()
    file = read_csv_file(data, TABLES_BY_NAME[table], path.name)
    start = next((i for i, line in enumerate(file.lines) if line.strip()), None)
    if start is None:
        return None
    header_end = min((r.start for r in file.records.values()), default=len(file.lines))
    header_text = "".join(file.lines[start:header_end])
    cells = next(csv.reader(io.StringIO(header_text, newline=""),
                            delimiter=file.dialect.separator), [])
    found = [(i, cell) for i, cell in enumerate(cells) if cell.strip().lower() in names]
    if not found:
        return None
    new_cells = list(cells)
    for i, cell in found:
        new_cells[i] = _renamed(cell, names[cell.strip().lower()])
    line = file.line(new_cells)
    ending = header_text[len(header_text.rstrip("\r\n")):]
    line = line.rstrip("\r\n") + ending
    before = "".join(file.lines[:start])
    head = encode(before + header_text, file.dialect)
    if not data.startswith(head):  # the text does not give back the file's bytes
        raise KamkitError(f"{path.name}: its header cannot be rewritten byte for byte "
                          "(an unusual encoding); rename its columns by hand: "
                          + ", ".join(f"{c.strip()} -> {names[c.strip().lower()]}"
                                      for _, c in found) + ".")
    new_head = encode(before + line, file.dialect)
    return Planned(path, new_head + data[len(head):],
                   [", ".join(f"{c.strip()} -> {names[c.strip().lower()]}" for _, c in found)])


def _xlsx_headers(path: Path) -> Planned | None:
    """The .xlsx with the old names in its sheets' headers renamed; None when it has none."""
    import openpyxl

    losses = xlsx_losses(path)
    book = openpyxl.load_workbook(path, keep_links=True, rich_text=True)
    changes = []
    sheets = {name.strip().lower(): name for name in book.sheetnames}
    for table, names in RENAMED_COLUMNS.items():
        if table not in sheets:
            continue
        sheet = book[sheets[table]]
        header = next((row for row in sheet.iter_rows() if any(
            c.value is not None and str(c.value).strip() for c in row)), ())
        renamed = []
        for cell in header:
            if isinstance(cell.value, str) and cell.value.strip().lower() in names:
                new = names[cell.value.strip().lower()]
                renamed.append(f"{cell.value.strip()} -> {new}")
                cell.value = _renamed(cell.value, new)
        if renamed:
            changes.append(f"sheet {sheets[table]}: {', '.join(renamed)}")
    if not changes:
        return None
    if losses:
        raise KamkitError(f"{path.name} holds {', '.join(losses)}, which saving it through "
                          "openpyxl may lose; rename the columns by hand in Excel instead ("
                          + "; ".join(changes) + "), then run `kamkit migrate` again.")
    out = io.BytesIO()
    book.save(out)
    return Planned(path, out.getvalue(), changes)


def _target_keys(node: yaml.Node | None) -> list[yaml.ScalarNode]:
    """The key nodes of ``plan.targets.annual`` and of each ``plan.targets.monthly`` entry
    that have an old name."""

    def child(parent: yaml.Node | None, name: str) -> yaml.Node | None:
        if isinstance(parent, yaml.MappingNode):
            return next((v for k, v in parent.value if k.value == name), None)
        return None

    targets = child(child(node, "plan"), "targets")
    mappings = [child(targets, "annual")]
    monthly = child(targets, "monthly")
    if isinstance(monthly, yaml.SequenceNode):
        mappings += monthly.value
    return [key for mapping in mappings if isinstance(mapping, yaml.MappingNode)
            for key, _ in mapping.value
            if isinstance(key, yaml.ScalarNode) and key.value in RENAMED_TARGET_KEYS]


def _document(path: Path) -> Planned | None:
    """The document with its targets' old keys renamed, every other character as it was;
    None when it has none."""
    data = path.read_bytes()
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8-sig")
        root = yaml.compose(text, Loader=yaml.SafeLoader)  # pure Python: marks in characters
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise KamkitError(f"{DOCUMENTS_FOLDER}/{path.name} cannot be read ({error}); fix it "
                          "(`kamkit validate`), then run `kamkit migrate` again.") from None
    keys = _target_keys(root)
    if not keys:
        return None
    for key in sorted(keys, key=lambda k: k.start_mark.index, reverse=True):
        start, end = key.start_mark.index, key.end_mark.index
        written = text[start:end]
        quote = written[0] if written[:1] in ("'", '"') else ""
        text = text[:start] + quote + RENAMED_TARGET_KEYS[key.value] + quote + text[end:]
    counts: dict[str, int] = {}
    for key in keys:
        counts[key.value] = counts.get(key.value, 0) + 1
    return Planned(path, (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"), [
        ", ".join(f"{old} -> {RENAMED_TARGET_KEYS[old]}" + (f" ({n}x)" if n > 1 else "")
                  for old, n in counts.items())])


def _to_version_2(workbook: Path) -> list[Planned]:
    """Money columns and target keys lose their ``_eur`` suffix (the currency moves to
    ``workbook.yaml``, EUR as every version-1 workbook is)."""
    planned: list[Planned] = []
    if workbook.is_file():
        planned += [p for p in [_xlsx_headers(workbook)] if p is not None]
    else:
        for table, names in RENAMED_COLUMNS.items():
            path = workbook / TABLES_BY_NAME[table].file_name
            if path.exists():
                planned += [p for p in [_csv_header(path, table, names)] if p is not None]
    problems: list[Problem] = []
    for path in document_files(documents_folder(workbook), problems):
        planned += [p for p in [_document(path)] if p is not None]
    return planned


STEPS: dict[int, Callable[[Path], list[Planned]]] = {2: _to_version_2}
"""Per format version, the step that makes it from the version before."""


def _settings_file(workbook: Path, settings: Settings) -> Planned:
    path = settings_file(workbook)
    new = Settings(FORMAT_VERSION, settings.currency, True)
    if not path.exists():
        return Planned(path, settings_text(new).encode("utf-8"),
                       [f"created: format_version {FORMAT_VERSION}, currency "
                        f"{settings.currency}"])
    from kamkit.edit.yamlfile import dump_tree, load_tree, to_node

    text = path.read_bytes().decode("utf-8-sig")
    tree = load_tree(text)
    if tree.root is None:
        return Planned(path, settings_text(new).encode("utf-8"),
                       [f"format_version {FORMAT_VERSION}, currency {settings.currency}"])
    tree.root["format_version"] = to_node(FORMAT_VERSION)
    return Planned(path, dump_tree(tree).encode("utf-8"),
                   [f"format_version {settings.format_version} -> {FORMAT_VERSION}"])


_OWN_TABLES = ("services", "locations", "competitors", "team", "accounts")
"""The required tables only a workbook has (a stray sales export is no workbook)."""


def _missing_tables(path: Path) -> list[str]:
    """The tables of ``_OWN_TABLES`` that ``path`` (a folder or an .xlsx file) lacks, as
    file or sheet names."""
    required = [table for table in TABLES if table.name in _OWN_TABLES]
    if path.is_dir():
        return [table.file_name for table in required if not (path / table.file_name).exists()]
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise KamkitError(f"{path} cannot be opened as an .xlsx workbook ({error}); "
                          "nothing was changed.") from None
    sheets = {name.strip().lower() for name in book.sheetnames}
    book.close()
    return [sheet_name(table) for table in required if table.name not in sheets]


def _check_is_workbook(path: Path) -> None:
    """Refuse a folder or .xlsx file with none of a workbook's required tables: migrating
    it would only write a stray ``workbook.yaml`` (run in the wrong folder, say)."""
    missing = _missing_tables(path)
    if len(missing) == len(_OWN_TABLES):
        raise KamkitError(f"No workbook at {path.resolve()}: {', '.join(missing)} are "
                          "missing (a workbook has at least one of them); nothing was "
                          "changed. Give the folder or .xlsx file of a workbook.")


def plan_migration(workbook: str | Path) -> Migration:
    """What migrating ``workbook`` (a folder or an .xlsx file) to ``FORMAT_VERSION`` would
    write; nothing is written.

    Raises
    ------
    KamkitError
        For a missing workbook, a folder or .xlsx with none of the required tables, the
        bundled demo, a file that cannot be rewritten exactly,
        or (``NewerFormatError``) a workbook of a later version.
    """
    path = Path(workbook)
    existing_workbook(path)
    _check_is_workbook(path)
    settings = read_settings(path, [])  # a wrong currency is validate's to report
    migration = Migration(path, settings.format_version, FORMAT_VERSION)
    if settings.format_version == FORMAT_VERSION:
        return migration
    if is_demo(path):
        raise KamkitError("The bundled demo workbook is read-only.")
    for version in range(settings.format_version + 1, FORMAT_VERSION + 1):
        migration.files += STEPS[version](path)
    migration.files.append(_settings_file(path, settings))  # last: the version written
    return migration


def migrate(workbook: str | Path, *, dry_run: bool = False) -> Migration:
    """Upgrade ``workbook`` in place to ``FORMAT_VERSION`` (see the module); ``dry_run``
    plans only. Raises as ``plan_migration``; a failed write is a ``KamkitError`` after the
    files already written are put back."""
    migration = plan_migration(workbook)
    if dry_run or not migration.files:
        return migration
    base = migration.workbook.parent if migration.workbook.is_file() else migration.workbook
    history = History(base)
    originals: dict[Path, bytes | None] = {}
    try:
        for planned in migration.files:
            before = planned.path.read_bytes() if planned.path.exists() else None
            if before is not None:
                history.backup(planned.path, before, save="migrate")
                migration.backups.append(planned.path)
            originals[planned.path] = before
            write_bytes_atomic(planned.path, planned.data)
    except Exception as error:
        for path, before in originals.items():
            if before is None:
                path.unlink(missing_ok=True)
            else:
                write_bytes_atomic(path, before)
        raise KamkitError(f"Migrating {migration.workbook} failed while writing "
                          f"({error}); the files are as they were.") from error
    migration.written = True
    return migration


__all__ = ["STEPS", "Migration", "Planned", "migrate", "plan_migration"]
