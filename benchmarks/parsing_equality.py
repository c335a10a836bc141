"""Whether two kamkit checkouts read damaged workbooks the same way: the same tables, problems
and documents, on a corpus of randomly damaged copies of the tests' mini workbook, a
4-account subset of the demo and the demo itself.

A change meant to make reading or checking cheaper (not different) is compared against main
with it. Each workbook gets one to four random edits, reproducible from ``--seed``: bad
cells (words, blanks, signs, huge and non-ASCII numbers, impossible dates, ids with spaces
or control characters), repeated, deleted and short rows, dropped, renamed and unknown
columns, unknown and case-changed ids in references, reporting cycles, shares over their
totals, semicolon files (decimal commas, thousands points, and marks the cells leave open
such as ``384.000``), slash dates (settled by a day above 12, or open both ways), missing
files, cp1252 bytes, CRLF and quoted cells, documents with bad dates, unknown keys, unknown
ids and broken YAML, and a few workbooks as one .xlsx file.

Compared for each workbook: ``check_workbook``'s tables (dtype, index, values and the kind
of array of each column), every problem (every field, in order, with its message, detail
and whole text in English and Dutch, and the account it is attributed to) and documents
(as JSON); and ``load_workbook(partial=True)`` cold (writing its cache) and warm (from that
cache): the accounts left out with their errors, or the error a shared problem raises.

Run (from a checkout, comparing it with main; a few minutes on 2 cores)::

    .venv/bin/python benchmarks/parsing_equality.py --base /work/main [--count 228]

Each checkout is run in its own process (``PYTHONPATH=<checkout>``) on the same corpus,
written once into a temporary folder (``--keep`` keeps it).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import pickle
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
DEMO = ROOT / "kamkit" / "demo" / "workbook"

Rows = list[list[str]]


# --- the corpus -----------------------------------------------------------------------------

class Book:
    """A workbook being damaged: its tables as rows of cells (header first), its documents
    as text, and how each table is written (separator, line end, encoding)."""

    def __init__(self, source: Path) -> None:
        self.tables: dict[str, Rows] = {}
        for path in sorted(source.glob("*.csv")):
            with path.open(newline="", encoding="utf-8") as handle:
                self.tables[path.stem] = [row for row in csv.reader(handle)]
        self.documents = {p.name: p.read_text(encoding="utf-8")
                          for p in sorted((source / "documents").glob("*.yaml"))}
        self.others = {p.name: p.read_bytes() for p in source.iterdir()
                       if p.is_file() and p.suffix not in (".csv",)}
        self.separator: dict[str, str] = {}
        self.line_end: dict[str, str] = {}
        self.encoding: dict[str, str] = {}
        self.quote_all: set[str] = set()
        self.xlsx = False

    def write(self, target: Path) -> Path:
        """The workbook written into ``target``; its path (a folder, or an .xlsx file)."""
        target.mkdir(parents=True)
        (target / "documents").mkdir()
        for name, text in self.documents.items():
            (target / "documents" / name).write_text(text, encoding="utf-8")
        if self.xlsx:
            from openpyxl import Workbook

            book, sheets = target / "workbook.xlsx", Workbook()
            sheets.remove(sheets.worksheets[0])  # the empty sheet a new book has
            for name, rows in self.tables.items():
                sheet = sheets.create_sheet(name)
                for row in rows:  # a plain number as a number, as Excel keeps one typed in
                    sheet.append([_excel(cell) for cell in row])
            sheets.save(book)
            return book
        for name, value in self.others.items():
            (target / name).write_bytes(value)
        for name, rows in self.tables.items():
            text = _csv_text(rows, self.separator.get(name, ","), self.line_end.get(name, "\n"),
                             name in self.quote_all)
            (target / f"{name}.csv").write_bytes(text.encode(self.encoding.get(name, "utf-8"),
                                                             errors="replace"))
        return target


def _excel(cell: str) -> object:
    if re.fullmatch(r"-?\d{1,15}", cell):
        return int(cell)
    return float(cell) if re.fullmatch(r"-?\d+\.\d+", cell) else cell


def _csv_text(rows: Rows, separator: str, line_end: str, quote_all: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator=line_end,
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return out.getvalue()


def _kinds() -> dict[str, dict[str, str]]:
    from kamkit.schema import TABLES

    return {t.name: {c.name: str(c.kind) for c in t.columns} for t in TABLES}


KINDS: dict[str, dict[str, str]] = {}


def _columns(book: Book, rng: random.Random, kinds: tuple[str, ...] = ()
             ) -> list[tuple[str, int]]:
    """(table, column position) of the book's columns (of ``kinds``), tables with rows."""
    found = []
    for name, rows in book.tables.items():
        if len(rows) < 2:
            continue
        for at, header in enumerate(rows[0]):
            if not kinds or KINDS.get(name, {}).get(header) in kinds:
                found.append((name, at))
    return found


def _cell(book: Book, rng: random.Random, kinds: tuple[str, ...] = ()
          ) -> tuple[Rows, int, int] | None:
    columns = _columns(book, rng, kinds)
    if not columns:
        return None
    name, at = rng.choice(columns)
    rows = book.tables[name]
    row = rng.randrange(1, len(rows))
    return (rows, row, at) if at < len(rows[row]) else None


BAD_TEXTS = ["abc", "", "  ", "n/a", "-", "-5", "+7", "1e3", "0x10", "12 345", "1.234",
             "1,234", "384.000", "7,5", "1.051.000", "1,051,000.50", ".5", ",5", "€ 1 200",
             " 42 ", "99999999999999999999999", "１２", "½", "NaN", "inf", "2025-13-01",
             "31-02-2025", "2025-02-29", "11/09/2021", "29/11/2021", "11/29/2021", "2021/3/4",
             "1.3.2024", "2024-02", "2024-2", "2024-00", "13/2024", "id with space",
             "tab\there", "bell\x07", "line\nbreak", "ünïcödé", "MAAS ", "maas", "ZZZZ",
             "=SUM(A1)", '"quoted"', "a;b", "x,y", "2021-06-14T10:00:00", "0", "-0", "101.0"]


def bad_cell(book: Book, rng: random.Random) -> None:
    if found := _cell(book, rng):
        rows, row, at = found
        rows[row][at] = rng.choice(BAD_TEXTS)


def bad_number(book: Book, rng: random.Random) -> None:
    if found := _cell(book, rng, ("number", "money", "integer", "year")):
        rows, row, at = found
        rows[row][at] = rng.choice(["-1", "11", "1.5", "1e400", "12.345", "12,345", "",
                                    "2.0", "100000", "-0.0001", "1,5", "3.000.000", "abc"])


def bad_date(book: Book, rng: random.Random) -> None:
    if found := _cell(book, rng, ("date", "month")):
        rows, row, at = found
        rows[row][at] = rng.choice(["2025-02-30", "2025-13", "30/02/2025", "2025/02/03",
                                    "3-2-2025", "03.02.2025", "2025-2-3", "Feb 2025", "",
                                    "0000-01-01", "2025-00-10", "١٢-٠٢-٢٠٢٥", "2025-02-03 "])


def repeat_row(book: Book, rng: random.Random) -> None:
    rows = book.tables[rng.choice(list(book.tables))]
    if len(rows) > 1:
        rows.insert(rng.randrange(1, len(rows) + 1), list(rows[rng.randrange(1, len(rows))]))


def delete_rows(book: Book, rng: random.Random) -> None:
    rows = book.tables[rng.choice(list(book.tables))]
    for _ in range(rng.randint(1, 3)):
        if len(rows) > 1:
            del rows[rng.randrange(1, len(rows))]


def short_row(book: Book, rng: random.Random) -> None:
    rows = book.tables[rng.choice(list(book.tables))]
    if len(rows) > 1:
        row = rows[rng.randrange(1, len(rows))]
        if rng.random() < 0.5:
            del row[rng.randrange(len(row)):]
        else:
            row.append("extra")


def drop_column(book: Book, rng: random.Random) -> None:
    rows = book.tables[rng.choice(list(book.tables))]
    at = rng.randrange(len(rows[0]))
    for row in rows:
        if at < len(row):
            del row[at]


def rename_column(book: Book, rng: random.Random) -> None:
    rows = book.tables[rng.choice(list(book.tables))]
    at = rng.randrange(len(rows[0]))
    rows[0][at] = rng.choice([rows[0][at].upper(), rows[0][at] + "s", " " + rows[0][at],
                              "unknown", ""])


def unknown_id(book: Book, rng: random.Random) -> None:
    """An id in a reference that no table has (or has in another case)."""
    columns = [(n, at) for n, at in _columns(book, rng, ("id",)) if at > 0 or n in (
        "sales", "spend", "spend_shares", "history", "feedback", "relationships",
        "judgements")]
    if not columns:
        return
    name, at = rng.choice(columns)
    rows = book.tables[name]
    for _ in range(rng.randint(1, 4)):
        row = rows[rng.randrange(1, len(rows))]
        if at < len(row) and row[at]:
            row[at] = rng.choice([row[at].lower(), row[at] + "X", "NOPE", row[at][:-1]])


def cycle(book: Book, rng: random.Random) -> None:
    """Contacts reporting to each other in a circle."""
    rows = book.tables.get("contacts", [])
    if len(rows) < 3 or "reports_to" not in rows[0]:
        return
    at, key = rows[0].index("reports_to"), rows[0].index("contact_id")
    picked = rng.sample(range(1, len(rows)), min(len(rows) - 1, rng.randint(2, 3)))
    for this, after in zip(picked, picked[1:] + picked[:1], strict=True):
        if max(at, key) < min(len(rows[this]), len(rows[after])):
            rows[this][at] = rows[after][key]


def shares_over(book: Book, rng: random.Random) -> None:
    """A competitor's share of spend above the spend itself."""
    rows = book.tables.get("spend_shares", [])
    if len(rows) > 1 and "spend" in rows[0]:
        at = rows[0].index("spend")
        row = rows[rng.randrange(1, len(rows))]
        if at < len(row):
            row[at] = str(rng.choice([10 ** 9, 123456789.5, 5e7]))


def _number_columns(rows: Rows, table: str) -> list[int]:
    return [at for at, h in enumerate(rows[0])
            if KINDS.get(table, {}).get(h) in ("number", "money")]


def semicolon_comma(book: Book, rng: random.Random) -> None:
    """A file as Dutch Excel writes it: semicolons, decimal commas (and thousands points)."""
    name = rng.choice(list(book.tables))
    rows = book.tables[name]
    points = rng.random() < 0.4
    for row in rows[1:]:
        for at in _number_columns(rows, name):
            if at < len(row) and re.fullmatch(r"-?\d+(\.\d+)?", row[at]):
                whole, _, fraction = row[at].partition(".")
                if points and len(whole.lstrip("-")) > 3:
                    digits = whole.lstrip("-")
                    groups = [digits[max(0, i - 3):i] for i in range(len(digits), 0, -3)][::-1]
                    whole = whole[:len(whole) - len(digits)] + ".".join(groups)
                row[at] = whole + ("," + fraction if fraction else "")
    book.separator[name] = ";"


def semicolon_open(book: Book, rng: random.Random) -> None:
    """A semicolon file whose numbers show no mark at all, or only points before three digits
    (``384.000``), or decimal points: the cells settle the mark or leave it open."""
    name = rng.choice(list(book.tables))
    rows = book.tables[name]
    columns = _number_columns(rows, name)
    style = rng.choice(["whole", "grouped", "decimal"])
    for row in rows[1:]:
        for at in columns:
            if at < len(row) and re.fullmatch(r"-?\d+(\.\d+)?", row[at]):
                number = float(row[at])
                if style == "whole":
                    row[at] = str(round(number))
                elif style == "grouped":
                    row[at] = (f"{round(number):,}".replace(",", ".") if rng.random() < 0.3
                               else str(round(number)))
    if columns and len(rows) > 1 and rng.random() < 0.5:
        row = rows[rng.randrange(1, len(rows))]
        at = rng.choice(columns)
        if at < len(row):
            row[at] = rng.choice(["384.000", "1.250", "12.5", "7,5", "1.051.000"])
    book.separator[name] = ";"


def slash_dates(book: Book, rng: random.Random) -> None:
    """A date column written DD/MM/YYYY (or month first): settled by a day above 12, or
    open both ways where every day is 12 or less."""
    columns = [(n, at) for n, at in _columns(book, rng, ("date",))]
    if not columns:
        return
    name, at = rng.choice(columns)
    rows = book.tables[name]
    month_first = rng.random() < 0.2
    low_days = rng.random() < 0.5
    for row in rows[1:]:
        if at < len(row) and (m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", row[at])):
            year, month, day = m.groups()
            if low_days:
                day = f"{(int(day) - 1) % 12 + 1:02d}"
            first, second = (month, day) if month_first else (day, month)
            row[at] = f"{first}/{second}/{year}"


def missing_file(book: Book, rng: random.Random) -> None:
    del book.tables[rng.choice(list(book.tables))]


def encoding(book: Book, rng: random.Random) -> None:
    """A cp1252 file with an accented name, CRLF line ends or every cell quoted."""
    name = rng.choice(list(book.tables))
    choice = rng.choice(["cp1252", "crlf", "quoted"])
    if choice == "cp1252":
        rows = book.tables[name]
        texts = [at for at, h in enumerate(rows[0]) if KINDS.get(name, {}).get(h) == "text"]
        if texts and len(rows) > 1:
            row = rows[rng.randrange(1, len(rows))]
            if texts[0] < len(row):
                row[texts[0]] = "Café Müller"
        book.encoding[name] = "cp1252"
    elif choice == "crlf":
        book.line_end[name] = "\r\n"
    else:
        book.quote_all.add(name)


def _document(book: Book, rng: random.Random) -> tuple[str, str] | None:
    if not book.documents:
        return None
    name = rng.choice(list(book.documents))
    return name, book.documents[name]


def bad_document(book: Book, rng: random.Random) -> None:
    """A document with a bad date, an unknown key or id, a wrong type or broken YAML."""
    if not (found := _document(book, rng)):
        return
    name, text = found
    edits: list[Callable[[str], str]] = [
        lambda t: re.sub(r"\d{4}-\d\d-\d\d", "2025-02-30", t, count=1),
        lambda t: re.sub(r"\d{4}-\d\d-\d\d", "30/02/2025", t, count=1),
        lambda t: t + "\nunknown_key: 1\n",
        lambda t: re.sub(r"owner: \w+", "owner: NOBODY", t, count=1),
        lambda t: re.sub(r"account_id: \w+", "account_id: OTHER", t, count=1),
        lambda t: re.sub(r"target: [\d.]+", "target: lots", t, count=1),
        lambda t: t.replace(":", "", 1),
        lambda t: t + "\n  - [unclosed\n",
        lambda t: "",
        lambda t: re.sub(r"based_on: \[(\w+)", r"based_on: [NOPE", t, count=1),
    ]
    book.documents[name] = rng.choice(edits)(text)
    if rng.random() < 0.1:
        book.documents[name.replace(".yaml", "-copy.yaml")] = text


MUTATIONS: list[Callable[[Book, random.Random], None]] = [
    bad_cell, bad_cell, bad_number, bad_date, repeat_row, delete_rows, short_row, drop_column,
    rename_column, unknown_id, unknown_id, cycle, shares_over, semicolon_comma, semicolon_open,
    slash_dates, slash_dates, missing_file, encoding, bad_document, bad_document]


def demo_subset(target: Path, accounts: int = 4) -> Path:
    """The demo with its first ``accounts`` accounts' rows and documents only (the shared
    tables whole)."""
    book = Book(DEMO)
    keep = {row[0] for row in book.tables["accounts"][1:1 + accounts]}
    for name, rows in book.tables.items():
        if "account_id" in rows[0] and name != "accounts":
            at = rows[0].index("account_id")
            rows[1:] = [r for r in rows[1:] if r[at] in keep]
    book.tables["accounts"][1:] = book.tables["accounts"][1:1 + accounts]
    contacts = {r[0] for r in book.tables["contacts"][1:]}
    rows = book.tables["relationships"]
    rows[1:] = [r for r in rows[1:] if r[1] in contacts]
    book.documents = {n: t for n, t in book.documents.items() if n[:-5] in keep}
    return book.write(target)


def make_corpus(folder: Path, count: int, seed: int,
                edits: list[Callable[[Book, random.Random], None]] = MUTATIONS) -> list[Path]:
    """``count`` damaged workbooks in ``folder``: the mini, the demo subset and the demo in
    turn (5:4:2), each with one to four random ``edits``; a few (one in twelve) as .xlsx."""
    KINDS.update(_kinds())
    subset = demo_subset(folder / "_subset")
    bases = [MINI] * 5 + [subset] * 4 + [DEMO] * 2
    rng = random.Random(seed)
    books = []
    for number in range(count):
        base = bases[number % len(bases)]
        book = Book(base)
        for edit in rng.choices(edits, k=rng.randint(1, 4)):
            edit(book, rng)
        book.xlsx = base is not DEMO and rng.random() < 1 / 12
        books.append(book.write(folder / f"{number:03d}-{base.name}"))
    return books


# --- what a checkout makes of it ------------------------------------------------------------

def _problem(problem: Any) -> dict[str, Any]:
    """Every field of a problem and what it says in English and Dutch."""
    import dataclasses

    fields = {f.name: getattr(problem, f.name) for f in dataclasses.fields(problem)
              if f.name not in ("words", "detail_words")}
    fields["severity"] = str(problem.severity)
    for language in ("en", "nl"):
        fields[f"text_{language}"] = problem.text(language)
        fields[f"message_{language}"] = problem.message_in(language)
    fields["words"] = repr(problem.words)
    fields["detail_words"] = repr(problem.detail_words)
    return fields


def _tables(tables: Any) -> dict[str, Any]:
    """Each table as a frame, with the kind of array behind each column."""
    return {name: (frame, {c: type(frame[c].array).__name__ for c in frame.columns})
            for name, frame in dict(tables).items()}


def _documents(documents: Any) -> dict[str, Any]:
    return {k: d.model_dump(mode="json") for k, d in dict(documents).items()}


def _load(path: Path) -> dict[str, Any]:
    """``load_workbook(partial=True)`` as its tables, left-out accounts and problems, or the
    problems of the error it raises."""
    import kamkit
    from kamkit.errors import WorkbookError

    try:
        workbook = kamkit.load_workbook(path, partial=True)
    except WorkbookError as exc:
        return {"raised": [_problem(p) for p in exc.problems]}
    except Exception as exc:  # a traceback is a finding too
        return {"crashed": f"{type(exc).__name__}: {exc}"}
    return {"tables": _tables(workbook.tables),
            "documents": _documents(workbook.documents),
            "problems": [_problem(p) for p in workbook.problems],
            "left_out": {k: [_problem(p) for p in v.problems]
                         for k, v in workbook.left_out.items()}}


def dump(corpus: Path, out: Path) -> None:
    """What this process's kamkit makes of every workbook of ``corpus``, pickled to ``out``."""
    from kamkit import workbook_cache
    from kamkit.workbook import check_workbook

    cache = Path(tempfile.mkdtemp(prefix="kamkit-equality-cache-"))
    os.environ[workbook_cache.FOLDER_VARIABLE] = str(cache)
    found: dict[str, Any] = {}
    for path in sorted(corpus.iterdir()):
        if path.name.startswith("_"):
            continue
        book = next(path.glob("*.xlsx"), path)
        try:
            checked = check_workbook(book)
            result: dict[str, Any] = {
                "tables": _tables(checked.tables), "documents": _documents(checked.documents),
                "problems": [_problem(p) for p in checked.problems]}
        except Exception as exc:
            result = {"crashed": f"{type(exc).__name__}: {exc}"}
        result["cold"] = _load(book)
        result["warm"] = _load(book)
        found[path.name] = result
    shutil.rmtree(cache, ignore_errors=True)
    out.write_bytes(pickle.dumps(found))


# --- comparing ------------------------------------------------------------------------------

def differences(base: dict[str, Any], other: dict[str, Any], where: str = "") -> list[str]:
    """Where two dumps differ (empty: nowhere)."""
    import pandas as pd

    if type(base) is not type(other):
        return [f"{where}: {type(base).__name__} vs {type(other).__name__}"]
    if isinstance(base, pd.DataFrame):
        try:
            pd.testing.assert_frame_equal(base, other, check_exact=True,
                                          check_index_type=True, check_column_type=True)
        except AssertionError as exc:
            return [f"{where}: {str(exc)[:300]}"]
        return []
    if isinstance(base, dict):
        if list(base) != list(other):
            return [f"{where}: keys {list(base)} vs {list(other)}"]
        return [d for k in base for d in differences(base[k], other[k], f"{where}/{k}")]
    if isinstance(base, list | tuple):
        if len(base) != len(other):
            return [f"{where}: {len(base)} vs {len(other)} items"]
        return [d for at, (b, o) in enumerate(zip(base, other, strict=True))
                for d in differences(b, o, f"{where}[{at}]")]
    return [] if base == other or (base != base and other != other) else [
        f"{where}: {base!r} vs {other!r}"]


def _counts(found: dict[str, Any]) -> str:
    problems = sum(len(r.get("problems", [])) for r in found.values())
    raised = sum("raised" in r["cold"] for r in found.values())
    left = sum(bool(r["cold"].get("left_out")) for r in found.values())
    crashed = sum("crashed" in r or "crashed" in r["cold"] for r in found.values())
    return (f"{len(found)} workbooks, {problems} problems ({len(_labels(found))} different "
            f"labels), {raised} loads raising, {left} with accounts left out, {crashed} crashing")


def _labels(found: dict[str, Any]) -> dict[str, int]:
    """How many problems of each label ``check_workbook`` found in the corpus."""
    counts: dict[str, int] = {}
    for result in found.values():
        for problem in result.get("problems", []):
            key = problem["words"].split("'")[1] if problem["words"].startswith("Words(") \
                else "(no label)"
            counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=Path, default=None,
                        help="the checkout to compare with (e.g. /work/main)")
    parser.add_argument("--other", type=Path, default=ROOT,
                        help="the checkout compared (default: this one)")
    parser.add_argument("--count", type=int, default=228)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--keep", type=Path, default=None,
                        help="write the corpus here and keep it")
    parser.add_argument("--edits", default=None,
                        help="only these edits, comma-separated (e.g. semicolon_open,slash_dates)")
    parser.add_argument("--labels", action="store_true",
                        help="list how many problems of each label the corpus gave")
    parser.add_argument("--dump", nargs=2, type=Path, metavar=("CORPUS", "OUT"),
                        help=argparse.SUPPRESS)  # one checkout's side, in its own process
    args = parser.parse_args()
    if args.dump:
        dump(*args.dump)
        return
    if args.base is None:
        parser.error("--base is required")
    work = Path(tempfile.mkdtemp(prefix="kamkit-equality-"))
    corpus = args.keep or work / "corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    edits = MUTATIONS if args.edits is None else [
        next(edit for edit in MUTATIONS if edit.__name__ == name)
        for name in args.edits.split(",")]
    make_corpus(corpus, args.count, args.seed, edits)
    found: list[dict[str, Any]] = []
    for checkout in (args.base, args.other):
        out = work / f"{len(found)}.pickle"
        env = {**os.environ, "PYTHONPATH": str(checkout.resolve())}
        subprocess.run([sys.executable, __file__, "--dump", str(corpus), str(out)],
                       check=True, env=env)
        found.append(pickle.loads(out.read_bytes()))
    shutil.rmtree(work, ignore_errors=True)
    print(f"{args.base}: {_counts(found[0])}")
    print(f"{args.other}: {_counts(found[1])}")
    if args.labels:
        print(", ".join(f"{key} {count}" for key, count in _labels(found[0]).items()))
    diffs = differences(found[0], found[1])
    for line in diffs[:40]:
        print(line)
    print("identical" if not diffs else f"{len(diffs)} differences")
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
