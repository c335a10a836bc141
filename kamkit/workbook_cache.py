"""A columnar cache of checked workbooks: an unchanged workbook is loaded without parsing.

What ``check_workbook`` found for a workbook without errors (its typed tables, its
documents and its warnings) is kept as Arrow IPC files, one folder per key: the hash of the
names and bytes of every file the workbook is read from (``kamkit.fingerprint``, which
reads again only files whose stat changed), with kamkit's version and code
(``kamkit.code_fingerprint``: a changed reading or checking rule makes every entry stale,
also in a development tree) and the versions of pandas and pyarrow. Any change to a table
or document gives another key, so a stale entry is never found. Entries are never trusted
over the source: a manifest holds a checksum (CRC-32: against damage, the key already says
whose entry it is) of every file of the entry, checked on reading, and anything unexpected
(a damaged, truncated or foreign file, other columns) means the entry is ignored and the
workbook read again.

Tables are memory-mapped: their text columns stay in the file's pages (Arrow strings), which
the operating system shares between every process that loads the workbook (the kernels of
a run). Documents are validated from their JSON when first asked for (a report needs one
account's); each was checked to come back from its JSON unchanged when the entry was
written.

The cache lives in ``.kamkit/cache`` inside a folder workbook or beside an ``.xlsx`` file
(hidden folders are not read as workbook data), or in the user's cache folder
(``platformdirs``) where that folder cannot be written, and always for the bundled demo;
everything goes to ``KAMKIT_CACHE_DIR`` when that is set.
An entry is written into a temporary folder and renamed into place, so concurrent writers
and readers never see half an entry. ``KAMKIT_CACHE=0`` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zlib
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd

from kamkit.atomic import write_bytes_atomic
from kamkit.documents import AccountDocument
from kamkit.problems import MonthName, Problem, Severity, Words
from kamkit.schema import TABLES

CACHE_VARIABLE = "KAMKIT_CACHE"
FOLDER_VARIABLE = "KAMKIT_CACHE_DIR"
"""Where every workbook's cache goes when set (a CI job, a shared read-only workbook, a test
run), instead of beside the workbook."""
# 3: money columns without _eur; 4: CRC-32, documents by id; 5: a repeated row of a table
# without a key is a warning (an entry of 4 would lack it)
_FORMAT = "kamkit-workbook-cache-5"
_MANIFEST = "manifest.json"


def enabled() -> bool:
    """Whether the cache is used (``KAMKIT_CACHE`` is not 0, no, off or false)."""
    return os.environ.get(CACHE_VARIABLE, "").strip().lower() not in ("0", "no", "off", "false")


def entry_key(form: str, *parts: str) -> str:
    """The name of an entry of one of kamkit's caches: a hash of its format ``form``,
    kamkit's version and code (``code_fingerprint``: every cache holds what kamkit's code
    made or vouched for) and ``parts`` (the versions and inputs its content depends on)."""
    import kamkit
    from kamkit.code_fingerprint import code_fingerprint

    digest = hashlib.blake2b(digest_size=20)
    for part in (form, kamkit.__version__, code_fingerprint(), *parts):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def prune(folder: Path, keep: int) -> None:
    """Remove all but the ``keep`` entries (``*.json``) of ``folder`` last used (written, or
    marked used), and their locks; another process may remove them meanwhile."""
    def used(path: Path) -> int:
        try:
            return path.stat().st_mtime_ns
        except OSError:
            return 0

    for old in sorted(folder.glob("*.json"), key=used, reverse=True)[keep:]:
        for path in (old, old.with_suffix(".lock")):
            path.unlink(missing_ok=True)


def key(fingerprint: str) -> str:
    """The entry's name for a workbook's fingerprint, with kamkit's code and the versions
    that shape it."""
    import pyarrow

    return entry_key(_FORMAT, pd.__version__, pyarrow.__version__, fingerprint)


def user_cache() -> Path:
    """kamkit's folder in the user's cache folder (``platformdirs``), or ``KAMKIT_CACHE_DIR``
    when that is set: the home of every cache that is not a workbook's own."""
    import platformdirs

    return Path(os.environ.get(FOLDER_VARIABLE) or platformdirs.user_cache_dir("kamkit"))


def user_folder(workbook: Path) -> Path:
    """The workbook's cache in the user's cache folder, or in ``KAMKIT_CACHE_DIR`` when
    that is set (one subfolder per workbook path)."""
    named = hashlib.blake2b(str(workbook).encode(), digest_size=8).hexdigest()
    return user_cache() / "workbooks" / named


def folders(workbook: Path) -> list[Path]:
    """Where a workbook's cache may be, in the order they are tried: beside the workbook
    (not for the bundled demo, part of the installed package), then the user's cache."""
    from kamkit.workbook import is_demo

    beside = (workbook.parent / ".kamkit" / "cache" / workbook.name if workbook.is_file()
              else workbook / ".kamkit" / "cache")
    bundled = is_demo(workbook)
    places = [] if bundled or os.environ.get(FOLDER_VARIABLE) else [beside]
    return [*places, user_folder(workbook)]


def _checksum(data: bytes | memoryview) -> str:
    return f"{zlib.crc32(data):08x}-{len(data)}"


class Documents(Mapping[str, AccountDocument]):
    """A cache entry's documents by account id, each validated from its JSON (by
    pydantic-core) the first time it is asked for."""

    def __init__(self, texts: dict[str, bytes]) -> None:
        self._texts = texts
        self._read: dict[str, AccountDocument] = {}

    def __getitem__(self, account_id: str) -> AccountDocument:
        document = self._read.get(account_id)
        if document is None:
            document = AccountDocument.model_validate_json(self._texts[account_id])
            self._read[account_id] = document
        return document

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


def _documents_text(documents: Mapping[str, AccountDocument]) -> bytes | None:
    """One line per document, its account id (JSON) and its JSON after a tab; None when a
    document would not come back from its JSON as it is (then nothing is cached)."""
    lines = []
    for account_id, document in documents.items():
        text = document.model_dump_json()
        if AccountDocument.model_validate_json(text) != document:
            return None
        lines.append(json.dumps(account_id) + "\t" + text)
    return "\n".join(lines).encode()


def _read_documents(data: bytes) -> Documents:
    texts: dict[str, bytes] = {}
    for line in data.splitlines():
        account_id, _, text = line.partition(b"\t")  # JSON writes a tab in text as \t
        texts[json.loads(account_id)] = text
    return Documents(texts)


def _tables(buffers: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """The tables from their Arrow IPC files (bytes or buffers) by file name; raises when one
    has other columns than the schema's."""
    import pyarrow as pa

    tables = {}
    for table in TABLES:
        frame = pa.ipc.open_file(buffers[f"{table.name}.arrow"]).read_all().to_pandas()
        if list(frame.columns) != list(table.column_names):
            raise ValueError(f"{table.name}: other columns")
        tables[table.name] = frame
    return tables


def _problems(data: bytes) -> list[Problem]:
    return [Problem(**{**item, "severity": Severity(item["severity"]),
                       "words": _said(item.get("words")),
                       "detail_words": _said(item.get("detail_words"))})
            for item in json.loads(data)]


def _said(value: Any) -> Any:
    """A problem's Words (and the Words and month names among their values) from their JSON
    (``asdict``: ``{"key", "values"}``, ``{"number"}``), so a cached warning is said in every
    language as the one read from the source."""
    if isinstance(value, dict) and "key" in value:
        return Words(value["key"], tuple((name, _said(v)) for name, v in value["values"]))
    if isinstance(value, dict) and "number" in value:
        return MonthName(value["number"])
    return value


def decode(contents: Mapping[str, bytes]) -> tuple[dict[str, pd.DataFrame],
                                                  Mapping[str, AccountDocument],
                                                  list[Problem]]:
    """The tables, documents and warnings from an entry's files (``encode``); raises on
    anything missing or other than expected."""
    import pyarrow as pa

    tables = _tables({name: pa.BufferReader(data) for name, data in contents.items()
                      if name.endswith(".arrow")})
    return tables, _read_documents(contents["documents.jsonl"]), _problems(
        contents["problems.json"])


def read(workbook: Path, entry: str) -> tuple[dict[str, pd.DataFrame],
                                              Mapping[str, AccountDocument],
                                              list[Problem]] | None:
    """The cached tables, documents and warnings of ``entry``, or None when there is no
    entry or it cannot be trusted in every part."""
    import pyarrow as pa

    for folder in folders(workbook):
        place = folder / entry
        try:
            manifest = json.loads((place / _MANIFEST).read_bytes())
            if manifest.get("format") != _FORMAT or manifest.get("key") != entry:
                continue
            sums: Mapping[str, str] = manifest["files"]
            names = [f"{table.name}.arrow" for table in TABLES]
            buffers = {name: pa.memory_map(str(place / name)).read_buffer() for name in names}
            with ThreadPoolExecutor(max_workers=2) as pool:  # CRC-32 releases the GIL
                found = list(pool.map(_checksum, [memoryview(buffers[n]) for n in names]))
            if found != [sums[name] for name in names]:
                raise ValueError("a table changed")
            tables = _tables({name: buffers[name] for name in names})
            contents = {}
            for name in ("documents.jsonl", "problems.json"):
                contents[name] = (place / name).read_bytes()
                if _checksum(contents[name]) != sums[name]:
                    raise ValueError(f"{name} changed")
            documents = _read_documents(contents["documents.jsonl"])
            problems = _problems(contents["problems.json"])
        except Exception:  # anything amiss (damaged, foreign, other versions): read the source
            continue
        return tables, documents, problems
    return None


def encode(tables: Mapping[str, pd.DataFrame], documents: Mapping[str, AccountDocument],
           problems: list[Problem]) -> dict[str, bytes] | None:
    """A checked workbook as an entry's files, by name: Arrow IPC per table, the documents
    as JSON lines and the warnings as JSON (``decode`` reads them back); None when a
    document would not come back from its JSON as it is."""
    import pyarrow as pa

    contents: dict[str, bytes] = {}
    for name, frame in tables.items():
        sink = pa.BufferOutputStream()
        table = pa.Table.from_pandas(frame, preserve_index=True)
        with pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        contents[f"{name}.arrow"] = sink.getvalue().to_pybytes()
    documents_text = _documents_text(documents)
    if documents_text is None:
        return None
    contents["documents.jsonl"] = documents_text
    contents["problems.json"] = json.dumps(
        [{**asdict(p), "severity": str(p.severity)} for p in problems]).encode()
    return contents


def write(workbook: Path, entry: str, tables: Mapping[str, pd.DataFrame],
          documents: Mapping[str, AccountDocument], problems: list[Problem]) -> Path | None:
    """Keep a checked workbook as ``entry``; other entries of the workbook are removed.

    Returns where it was written, or None when no cache folder could be written (the load
    goes on without a cache)."""
    contents = encode(tables, documents, problems)
    if contents is None:
        return None
    manifest = {"format": _FORMAT, "key": entry,
                "files": {name: _checksum(data) for name, data in contents.items()}}
    for folder in folders(workbook):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():  # a copy of the workbook's data, not part of its history
                write_bytes_atomic(ignore, b"*\n")
            staging = Path(tempfile.mkdtemp(dir=folder, prefix=".writing-"))
        except OSError:
            continue  # a read-only folder: try the user's cache
        try:
            for name, data in contents.items():
                (staging / name).write_bytes(data)
            (staging / _MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
            try:
                os.rename(staging, folder / entry)  # atomic; fails if another writer won
            except OSError:
                if not (folder / entry).is_dir():
                    raise
        except OSError:
            continue
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        for other in folder.iterdir():  # entries of earlier versions of the workbook
            if other.name != entry and not other.name.startswith("."):
                shutil.rmtree(other, ignore_errors=True)
        return folder / entry
    return None
