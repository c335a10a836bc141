"""Read a workbook's tables as they are written: a folder of CSV files or one .xlsx file.

Nothing is interpreted here beyond splitting text into cells; ``kamkit.parsing`` gives the
cells their types. Each table comes back as a DataFrame of raw cells whose index is the
row number a user sees in Excel or an editor (the header is row 1).
"""

from __future__ import annotations

import csv
import errno
import functools
import io
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import pyarrow as pa

from kamkit.errors import KamkitError
from kamkit.problems import EXCERPT, Problem, Severity, Words, joined_words, words
from kamkit.schema import TABLES, Table, current_column

SEPARATORS = (";", ",", "\t")

MAX_FILE_MB_VARIABLE = "KAMKIT_MAX_FILE_MB"
DEFAULT_MAX_FILE_MB = 512
"""The largest file kamkit reads as a table, document or run definition, in MB (10**6
bytes), unless the environment variable ``KAMKIT_MAX_FILE_MB`` says otherwise: generous, as a
1,000-account workbook's sales table is about 90 MB, but a bound, so a wrong file (a disk
image, a log) is a message instead of all the memory."""


class InputFileError(KamkitError):
    """A file that is not read: not a regular file, or larger than the limit."""


def max_file_bytes() -> int:
    """The size limit per file (``KAMKIT_MAX_FILE_MB``, default ``DEFAULT_MAX_FILE_MB``)."""
    given = os.environ.get(MAX_FILE_MB_VARIABLE, "").strip()
    try:
        megabytes = float(given) if given else DEFAULT_MAX_FILE_MB
    except ValueError:
        raise InputFileError.of(words("problem.read.limit_not_number",
                                      variable=MAX_FILE_MB_VARIABLE, given=repr(given))) from None
    if not megabytes > 0:
        raise InputFileError.of(words("problem.read.limit_not_positive",
                                      variable=MAX_FILE_MB_VARIABLE, given=repr(given)))
    return int(megabytes * 1_000_000)


def read_bytes_limited(path: Path) -> bytes:
    """The bytes of a regular file of at most ``max_file_bytes()``.

    Raises
    ------
    InputFileError
        For a FIFO, a device, a folder (also behind a symbolic link) or a file over the
        limit; nothing is read from them.
    OSError
        When the file cannot be opened.
    """
    limit = max_file_bytes()
    # O_NONBLOCK: opening a FIFO with no writer must not hang; fstat then tells what it is
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            what = ("fifo" if stat.S_ISFIFO(info.st_mode) else
                    "device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
                    else "socket" if stat.S_ISSOCK(info.st_mode) else "other")
            raise InputFileError.of(words("problem.read.special", path=str(path),
                                          what=words(f"problem.read.special.{what}")))
        if info.st_size > limit:
            raise InputFileError.of(_too_large(path, info.st_size, limit))
        # as much as the file holds (a read of limit + 1 would set that much memory aside)
        data = handle.read(info.st_size + 1)
        if len(data) > info.st_size:  # it grows while we read: on, up to the limit
            data += handle.read(limit + 1 - len(data))
    if len(data) > limit:  # it grew while we read
        raise InputFileError.of(_too_large(path, len(data), limit))
    return data


_REFUSED = {errno.ENOENT: "missing", errno.EACCES: "permission", errno.EPERM: "permission",
            errno.EISDIR: "folder", errno.ENOTDIR: "not_folder"}
"""Why the file system refuses to give a file, by ``errno``: the label
``problem.read.os.<reason>`` (any other errno: ``other``, the system's words quoted)."""


def refused_words(error: InputFileError | OSError) -> Words:
    """Why a file was not read, as a problem's message."""
    if isinstance(error, InputFileError):
        return error.words if error.words is not None else words(
            "problem.sentence", text=str(error).rstrip("."))
    reason = _REFUSED.get(error.errno or -1, "other")
    return words("problem.read.refused", reason=words(
        f"problem.read.os.{reason}", reason=error.strerror or str(error)))


def _too_large(path: Path, size: int, limit: int) -> Words:
    return words("problem.read.too_large", path=str(path), size=size / 1e6, limit=limit / 1e6,
                 variable=MAX_FILE_MB_VARIABLE)


@dataclass(frozen=True)
class RawTable:
    """The cells of one table, before parsing."""

    name: str
    file: str  # how the user names the source: "sales.csv" or "demo.xlsx[sales]"
    # index = source row number; object dtype, or Arrow strings (``pd.StringDtype``) where
    # Arrow split the file (``_plain_cells``): the same texts, without a Python object each
    cells: pd.DataFrame
    separator: str = ","  # the CSV separator; "" for a spreadsheet
    # the cells of rows not read (another number of cells than the header), by row number:
    # which account such a row was meant for (``kamkit.account_errors``)
    dropped: Mapping[int, Sequence[str]] = field(default_factory=dict)


def utf16_encoding(data: bytes) -> str | None:
    """The UTF-16 that ``data`` looks like (Excel's "Unicode text"): by its byte order mark,
    or by the zero bytes of mostly-ASCII text without one; None otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = data[:4000]
    if len(head) >= 4 and head.count(0) * 3 >= len(head):
        even, odd = head[0::2].count(0), head[1::2].count(0)
        return "utf-16-le" if odd > even else "utf-16-be"
    return None


def mostly_utf8(data: bytes) -> tuple[str, tuple[int, ...]] | None:
    """The text of bytes that are UTF-8 except for some lines, and those lines' numbers: a
    line pasted from a Windows-1252 export into a UTF-8 file. The odd lines are read as
    Windows-1252 (their likely characters), the others as UTF-8, so the accented names
    around them are not garbled. None where the bytes are UTF-8 throughout, or where no line
    holds UTF-8 beyond ASCII (a Windows-1252 file as a whole, read as such)."""
    lines = data.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    texts: list[str] = []
    odd: list[int] = []
    utf8_beyond_ascii = False
    for number, line in enumerate(lines, 1):
        try:
            texts.append(line.decode("utf-8"))
            utf8_beyond_ascii = utf8_beyond_ascii or not line.isascii()
        except UnicodeDecodeError:
            texts.append(line.decode("cp1252", errors="replace"))
            odd.append(number)
    return ("\n".join(texts), tuple(odd)) if odd and utf8_beyond_ascii else None


def _report_odd_lines(raw: RawTable, lines: Sequence[int], problems: list[Problem],
                      severity: Severity) -> None:
    """A problem per cell of ``lines`` (see ``mostly_utf8``) with characters beyond ASCII,
    naming its row and column and the text as read; a line that is no row (a row of
    another width) is named by its row alone."""
    for line in lines:
        said = words("problem.read.odd_line")
        if line not in raw.cells.index:
            problems.append(Problem.said(severity, raw.file, said, row=line))
            continue
        for column, value in raw.cells.loc[line].items():
            if isinstance(value, str) and not value.isascii():
                problems.append(Problem.said(severity, raw.file, said, row=line,
                                             column=str(column), value=value.strip()))


def _decoded(data: bytes, file: str, problems: list[Problem]
             ) -> tuple[str, bytes | None, tuple[int, ...]]:
    """The text of a file's bytes, the bytes that are its UTF-8 where it was UTF-8 (the
    file's own, without a byte order mark: no second copy), and the lines that are not
    UTF-8 in a file that otherwise is (``mostly_utf8``)."""
    utf16 = utf16_encoding(data)
    if utf16 is not None:
        try:
            return data.decode(utf16).removeprefix("\ufeff"), None, ()
        except UnicodeDecodeError:
            problems.append(Problem.said(Severity.ERROR, file, words("problem.read.utf16")))
            return "", None, ()
    try:
        return data.decode("utf-8-sig"), data.removeprefix(b"\xef\xbb\xbf"), ()
    except UnicodeDecodeError as exc:
        if (mixed := mostly_utf8(data)) is not None:
            return mixed[0], None, mixed[1]
        # Excel's "CSV (semicolon delimited)" on Windows writes cp1252, not UTF-8.
        problems.append(Problem.said(Severity.WARNING, file,
                                     words("problem.read.cp1252", byte=str(exc.start))))
        return data.decode("cp1252", errors="replace"), None, ()


def _separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in SEPARATORS}
    return max(counts, key=lambda sep: counts[sep])


def unique_header(names: list[str], file: str, problems: list[Problem]) -> list[str]:
    """The header with a repeated name reported and its later copies renamed (they are then
    ignored as unknown columns), so each column is read from one place."""
    seen: dict[str, int] = {}
    out = []
    for position, name in enumerate(names, start=1):
        if name and name in seen:
            problems.append(Problem.said(
                Severity.ERROR, file, words("problem.read.header_twice", first=str(seen[name]),
                                            second=str(position)),
                row=1, column=name))
            name = f"{name} (column {position})"
        seen.setdefault(name, position)
        out.append(name)
    return out


def with_current_names(raw: RawTable, problems: list[Problem]) -> RawTable:
    """``raw`` with the columns a workbook of an earlier format names differently
    (``schema.RENAMED_COLUMNS``) under their names now; a header with both names is an error
    and the old one is ignored."""
    names = list(raw.cells.columns)
    current = [current_column(raw.name, name) for name in names]
    if current == names:
        return raw
    for position, (old, new) in enumerate(zip(names, current, strict=True), start=1):
        if old != new and new in names:
            problems.append(Problem.said(
                Severity.ERROR, raw.file, words("problem.read.renamed_twice", old=old,
                                                position=str(position), new=new),
                row=1, column=old))
            current[position - 1] = old
    return replace(raw, cells=raw.cells.set_axis(current, axis=1))


def _quote_left_open(text: str, separator: str) -> int | None:
    """The offset of a quote in ``text`` (from the start of a record) that opens a cell and
    is never closed, as Python's csv module reads it; None when every quote closes."""
    boundary = re.compile(f"[{re.escape(separator)}\r\n]")
    at, start = 0, True
    while at < len(text):
        if start and text[at] == '"':
            end = at + 1
            while (close := text.find('"', end)) >= 0 and text.startswith('""', close):
                end = close + 2
            if close < 0:
                return at
            at, start = close + 1, False
            continue
        match = boundary.search(text, at)
        if match is None:
            return None
        at, start = match.end(), True
    return None


class _Lines:
    """Where each line of a text starts, to name the row of an offset (built on error only)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        for line in io.StringIO(text, newline=""):
            self.starts.append(self.starts[-1] + len(line))

    def runaway(self, row: int, separator: str) -> int | None:
        """The row where a quote opens and never closes, reading from the record at ``row``."""
        start = self.starts[min(row - 1, len(self.starts) - 1)]
        offset = _quote_left_open(self.text[start:], separator)
        if offset is None:
            return None
        return row + self.text.count("\n", start, start + offset) + self.text.count(
            "\r", start, start + offset) - self.text.count("\r\n", start, start + offset)


def _swallows_rows(record: list[str], separator: str, width: int) -> bool:
    """Whether a cell over several lines holds a line with as many separators as a row of
    the table has: rows taken into one cell by a quote that does not close in time (a note
    over several lines rarely looks like that)."""
    return width > 2 and any(
        line.count(separator) >= width - 1
        for cell in record if "\n" in cell or "\r" in cell for line in cell.splitlines())


def _unclosed(row: int) -> Words:
    return words("problem.read.unclosed", row=str(row))


_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _lines(text: str) -> Iterator[str]:
    """``text.splitlines()`` one line at a time, without splitting a large file at once."""
    at = 0
    for match in _LINE_BREAK.finditer(text):
        yield text[at:match.start()]
        at = match.end()
    if at < len(text):
        yield text[at:]


def _first_line(text: str) -> str:
    return next(_lines(text), "")


_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
               "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
"""Every character ``str.isspace`` is true for (a test checks it)."""
SPACE_RE2 = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _WHITESPACE) + "]"
"""What Python's ``\\s`` and ``str.strip`` take as white space, as a class in RE2's syntax
(Arrow's regular expressions, whose ``\\s`` is ASCII white space only)."""
_BLANK = f"^{SPACE_RE2}*$"


@functools.cache
def _simply_quoted(separator: str) -> re.Pattern[str]:
    """A cell in quotes from one separator (or line start) to the next (or line end), on
    one line and without a quote inside: read the same by the csv module and by Arrow."""
    mark = re.escape(separator)
    # the opening quote first, then what precedes it: the regex engine looks for quotes only
    return re.compile(f'"(?<![^{mark}\r\n]")[^"\r\n]*"(?=[{mark}\r\n]|\\Z)')


def _plain_cells(text: str, separator: str, encoded: bytes | None = None
                 ) -> tuple[list[str], list[pa.ChunkedArray], np.ndarray] | None:
    """The header, columns (Arrow strings) and row numbers of CSV text split in one go by
    Arrow's CSV reader, where that is sure to give what the csv module gives: quotes only
    around whole cells on one line without a quote inside (Excel's way with a cell that
    holds the separator; so a record is a line), no NUL, the header on line 1 without
    quotes, every line exactly as wide as the header and no line longer than the csv
    module's field limit. None otherwise: the careful path then reads the file and names
    the rows that are wrong. ``encoded``: ``text`` in UTF-8 where the caller has it (the
    file's own bytes), so it is not encoded again."""
    quoted = text.count('"')
    if "\0" in text or (quoted and quoted != 2 * sum(
            1 for _ in _simply_quoted(separator).finditer(text))):
        return None
    first = text[:min((at for at in (text.find("\n"), text.find("\r")) if at >= 0),
                      default=len(text))]  # (a split would copy the rest of the file)
    if first != _first_line(text) or '"' in first or not any(
            cell.strip() for cell in first.split(separator)):
        return None
    data = text.encode("utf-8") if encoded is None else encoded
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n"))
    if np.diff(ends, prepend=-1, append=len(data)).max() > csv.field_size_limit():
        return None
    import pyarrow as pa
    import pyarrow.csv as pacsv

    width = first.count(separator) + 1
    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            # one thread: the load reads the documents beside it (``check_workbook``), and
            # Arrow's pool threads would keep what they freed (``kamkit.free_memory``)
            read_options=pacsv.ReadOptions(column_names=names, use_threads=False),
            parse_options=pacsv.ParseOptions(
                delimiter=separator, quote_char='"' if quoted else False, double_quote=False,
                escape_char=False, newlines_in_values=False, ignore_empty_lines=False),
            # large strings: what pandas keeps (``ArrowStringArray``), so no copy to them
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()), null_values=[],
                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, ValueError):
        return None  # a row of another width, an empty line: the careful path says where
    import pyarrow.compute as pc

    # rows of empty cells are skipped, as the careful path does (str.strip's whitespace);
    # a row is blank when its first cell is and every other one too
    empty = np.zeros(table.num_rows, dtype=bool)
    candidates = np.arange(1, table.num_rows)  # the header was checked above
    for at, column in enumerate(table.columns):
        if not len(candidates):
            break
        blank = pc.match_substring_regex(column if at == 0 else column.take(candidates),
                                         _BLANK).to_numpy(zero_copy_only=False)
        candidates = candidates[blank[1:] if at == 0 else blank]
    empty[candidates] = True
    keep = np.flatnonzero(~empty)
    columns = [column.take(keep) if len(keep) < table.num_rows else column
               for column in table.columns]
    header = [str(column[0]) for column in columns]
    return header, [column.slice(1) for column in columns], keep[1:] + 1


def row_excerpt(record: Sequence[str], separator: str) -> str:
    """A row as written (its cells joined by ``separator``), its start and its end where it
    is long: a cell too many is mostly at the end."""
    text = separator.join(record).replace("\r", " ").replace("\n", " ")
    if len(text) <= EXCERPT:
        return text
    head = (EXCERPT - 3) * 2 // 5
    return text[:head] + "..." + text[len(text) - (EXCERPT - 3 - head):]


def read_csv_text(text: str, name: str, file: str, problems: list[Problem],
                  encoded: bytes | None = None) -> RawTable:
    """Split CSV text into cells, reporting rows with the wrong number of cells at the row
    where the record starts (where a runaway quote opens). ``encoded``: the same text in
    UTF-8, where the caller has it."""
    first = next((line for line in _lines(text) if line.strip()), "")
    separator = _separator(first)
    plain = _plain_cells(text, separator, encoded)
    if plain is not None:
        names, body, numbers = plain
        named = unique_header([cell.strip().lower() for cell in names], file, problems)
        numbered = pd.Index(numbers if len(numbers) else [], name="row")  # as the csv path
        cells = pd.DataFrame({at: pd.arrays.ArrowStringArray(column)  # arrays: no Series each
                              for at, column in enumerate(body)}, index=numbered)
        cells.columns = pd.Index(named)
        return RawTable(name, file, cells, separator)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header: list[str] | None = None
    rows: list[list[str]] = []
    index: list[int] = []
    dropped: dict[int, list[str]] = {}
    records = iter(reader)
    located: _Lines | None = None
    ended = 0  # the line the previous record ended on
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except csv.Error:  # a cell over the csv module's field limit
            located = located or _Lines(text)
            opened = located.runaway(ended + 1, separator)
            message = (_unclosed(opened) if opened is not None else
                       words("problem.read.cell_too_long", row=str(ended + 1),
                             limit=csv.field_size_limit()))
            problems.append(Problem.said(Severity.ERROR, file,
                                         words("problem.read.stopped", reason=message),
                                         row=opened or ended + 1))
            break
        row_number, ended = ended + 1, reader.line_num  # a record may span several lines
        if not any(cell.strip() for cell in record):
            continue
        if ended > row_number and ("\n" in record[-1] or "\r" in record[-1]):
            # a quoted cell over several lines that runs to the end: a runaway quote?
            located = located or _Lines(text)
            if ended >= len(located.starts) - 1 and (
                    opened := located.runaway(row_number, separator)) is not None:
                problems.append(Problem.said(Severity.ERROR, file, _unclosed(opened),
                                             row=opened))
                break
        if header is None:
            header = unique_header([cell.strip().lower() for cell in record], file, problems)
            continue
        if ended > row_number and _swallows_rows(record, separator, len(header)):
            problems.append(Problem.said(
                Severity.ERROR, file, words("problem.read.swallows_rows", row=str(row_number),
                                            end=str(ended)),
                row=row_number))
            dropped[row_number] = record
            continue
        if len(record) != len(header):
            problems.append(Problem.said(
                Severity.ERROR, file,
                words("problem.read.width" + ("_spans" if ended > row_number else ""),
                      count=len(record), header=str(len(header)),
                      separator=repr(separator), row=str(row_number), end=str(ended)),
                row=row_number, value=row_excerpt(record, separator),
            ))
            dropped[row_number] = record
            continue
        rows.append(record)
        index.append(ended)  # the line the record ends on: the editor's key of a record
    if header is None:
        header = []
    if dropped and (odd := _odd_header(header, dropped, len(rows), separator)) is not None:
        at = next(i for i, p in enumerate(problems) if p.file == file and p.row in dropped)
        problems.insert(at, Problem.said(Severity.ERROR, file, odd, row=1,
                                         value=row_excerpt(header, separator)))
    cells = pd.DataFrame(rows, columns=header, index=pd.Index(index, name="row"), dtype=object)
    return RawTable(name, file, cells, separator, dropped)


def _odd_header(header: Sequence[str], dropped: Mapping[int, Sequence[str]], read: int,
                separator: str) -> Words | None:
    """What to say first when most rows have one width and the header another (a column
    added to the header and to a row or two, not to the rest): the header is the odd one,
    not each of those rows. None otherwise."""
    widths = {len(cells) for cells in dropped.values()}
    if len(widths) != 1 or len(dropped) <= read:
        return None
    width = widths.pop()
    return words("problem.read.odd_header", header=words("count.cells", count=len(header)),
                 count=len(dropped),
                 rows=len(dropped) + read, width=width, separator=repr(separator),
                 last=repr(header[-1]) if header else "")


def read_csv_bytes(data: bytes, name: str, file: str, problems: list[Problem],
                   odd_lines: Severity = Severity.ERROR) -> RawTable:
    """The cells of a CSV file's bytes, in UTF-8 or (with a warning) Windows-1252; a UTF-8
    file with a few Windows-1252 lines is read as UTF-8, with a problem of ``odd_lines``
    naming each of those."""
    text, utf8, odd = _decoded(data, file, problems)
    raw = read_csv_text(text, name, file, problems, utf8)
    _report_odd_lines(raw, odd, problems, odd_lines)
    return raw


def read_folder(folder: Path, problems: list[Problem]) -> dict[str, RawTable]:
    """Read every known table of a workbook folder; a missing optional table is empty."""
    return dict(folder_tables(folder, problems))


def folder_tables(folder: Path, problems: list[Problem]) -> Iterator[tuple[str, RawTable]]:
    """``read_folder`` one table at a time, in the schema's order: a caller that types each
    table before the next is read keeps one table's cells at a time."""
    present: list[str] | None = None  # the folder's file names, listed once when needed
    for table in TABLES:
        path = folder / table.file_name
        if not path.exists():
            if present is None:
                present = sorted(entry.name for entry in folder.iterdir() if entry.is_file())
            _report_missing(table, table.file_name, folder, problems, present)
            continue
        try:
            data = read_bytes_limited(path)
        except (InputFileError, OSError) as error:
            problems.append(Problem.said(Severity.ERROR, table.file_name, refused_words(error)))
            continue
        raw = read_csv_bytes(data, table.name, table.file_name, problems)
        del data  # the file's bytes, no longer needed while the cells are typed
        yield table.name, with_current_names(raw, problems)


def read_xlsx(path: Path, problems: list[Problem]) -> dict[str, RawTable]:
    """Read every known table from the sheets of one .xlsx file."""
    import openpyxl  # imported here: only xlsx workbooks pay for it

    try:
        data = read_bytes_limited(path)
    except (InputFileError, OSError) as error:
        problems.append(Problem.said(Severity.ERROR, path.name, refused_words(error)))
        return {}
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        problems.append(Problem.said(Severity.ERROR, path.name, _not_xlsx(data, exc)))
        return {}
    sheets = {name.strip().lower(): name for name in book.sheetnames}
    tables: dict[str, RawTable] = {}
    for table in TABLES:
        if table.name not in sheets:
            _report_missing(table, sheet_name(table), path, problems, book.sheetnames)
            continue
        file = f"{path.name}[{table.name}]"
        tables[table.name] = with_current_names(read_sheet_rows(
            table.name, file, book[sheets[table.name]].iter_rows(values_only=True), problems),
            problems)
    book.close()
    return tables


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How an Excel 97-2003 (.xls) file starts (an OLE compound file)."""


def _not_xlsx(data: bytes, error: Exception) -> Words:
    """Why ``data`` that openpyxl could not open is no .xlsx workbook, as a problem's
    message: empty, an old .xls, no zip at all, or openpyxl's own reason (quoted)."""
    import zipfile

    if not data:
        return words("problem.read.xlsx_empty")
    if data.startswith(_OLE):
        return words("problem.read.xls")
    reason = str(error).strip() or type(error).__name__
    if isinstance(error, zipfile.BadZipFile):
        return words("problem.read.not_zip", error=reason)
    return words("problem.read.not_xlsx", error=reason)


def read_sheet_rows(name: str, file: str, values: Iterable[Sequence[object]],
                    problems: list[Problem]) -> RawTable:
    """A table from a sheet's rows of values (the first non-empty row is the header); the
    index is the sheet's row number."""
    header: list[str] | None = None
    rows: list[list[object]] = []
    index: list[int] = []
    for row_number, row in enumerate(values, start=1):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        if header is None:
            header = [str(v).strip().lower() if v is not None else "" for v in row]
            width = max((i + 1 for i, h in enumerate(header) if h), default=0)
            header = unique_header(header[:width], file, problems)
            continue
        cells = list(row[: len(header)])
        cells += [None] * (len(header) - len(cells))
        rows.append(["" if v is None else v for v in cells])
        index.append(row_number)
    frame = pd.DataFrame(rows, columns=header or [], index=pd.Index(index, name="row"),
                         dtype=object)
    return RawTable(name, file, frame, "")


_COPY_MARK = re.compile(
    r"(\s*\(\d+\)|\s*-?\s*(copy|kopie)(\s*\(?\d+\)?)?|\s+\d+)$|^(copy of|kopie van)\s+")
"""What a browser, Windows, macOS or Excel adds to a name it copies or downloads again:
``sales (1)``, ``sales - Copy``, ``sales - kopie (2)``, ``sales copy 2``, ``Copy of sales``,
``Sales (2)`` (a copied sheet)."""
_TEXT_SUFFIXES = (".csv", ".txt", ".tsv")


def _plain_name(name: str) -> str:
    """A file or sheet name without case, a text file's extension(s) or a copy's mark:
    ``Sales (1).CSV`` and ``sales.csv.txt`` are ``sales``."""
    plain = name.strip().lower()
    while plain.endswith(_TEXT_SUFFIXES):
        plain = plain[: plain.rindex(".")]
    while (shorter := _COPY_MARK.sub("", plain).strip()) != plain:
        plain = shorter
    return plain


def near_misses(table: str, present: Iterable[str]) -> list[str]:
    """The names in ``present`` (a folder's files, a workbook's sheets) that are table
    ``table``'s file or sheet under another spelling: another case, a copy's or download's
    mark, a text file's other extension.

    Examples
    --------
    >>> near_misses("sales", ["Sales.csv", "sales (1).csv", "spend.csv", "sales.xlsx"])
    ['Sales.csv', 'sales (1).csv']
    """
    return [name for name in present
            if _plain_name(name) == table and (Path(name).suffix.lower() in _TEXT_SUFFIXES
                                               or not Path(name).suffix)]


def sheet_name(table: Table) -> str:
    """How a problem names the sheet of ``table`` in an .xlsx workbook (its ``file`` where
    the sheet is missing, as ``table.file_name`` is a missing CSV file's)."""
    return f"sheet '{table.name}'"


def _report_missing(table: Table, what: str, where: Path, problems: list[Problem],
                    present: Iterable[str] = ()) -> None:
    """An error for a missing required table, a warning for a missing data table; nothing
    for a missing settings table (its documented defaults apply). A table there under
    another spelling (``near_misses``) is an error whatever the table: it is not read, and
    the figures would silently go without it."""
    name = table.name
    found = near_misses(name, present)
    if found:
        sheet = what != table.file_name  # a sheet's name is quoted, as in ``what``
        problems.append(Problem.said(Severity.ERROR, what, words(
            "problem.read.near_miss", where=str(where),
            found=joined_words([repr(f) if sheet else f for f in found]),
            wanted=repr(name) if sheet else table.file_name)))
        return
    if table.settings:
        return
    if table.required:
        problems.append(Problem.said(Severity.ERROR, what, words(
            "problem.read.missing_table", where=str(where), name=name,
            header=",".join(c.name for c in table.columns if c.translation is None))))
    else:
        problems.append(Problem.said(Severity.WARNING, what, words(
            "problem.read.missing_table_optional", where=str(where), name=name)))
