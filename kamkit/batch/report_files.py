"""Which language each report of an account folder is in, across the runs of a quarter.

A run in one language names its files ``analysis.html``, a run in several
``analysis.en.html`` and ``analysis.nl.html`` (``layout.report_stem``). Runs of one quarter
can differ: the demo in English, then two accounts in English and Dutch. An account's
record (``cache.AccountRecord``) keeps what the runs made, so that the entry page in each
language links every report there is in that language, and a file that a report's
per-language twin replaced is removed rather than left beside it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kamkit.batch.cache import AccountRecord
from kamkit.batch.tasks import AccountDone

OTHER_FORMATS = (".pdf", ".pptx")
"""The files beside the HTML reports (``AccountRecord.files``), by their suffix."""

_PAGE_LANGUAGE = re.compile(rb'<html lang="([^"]+)"')
_PAGE_HEAD = 4096  # bytes of a report read for its language: the tag is near the top


@dataclass(frozen=True)
class Entry:
    """A report or file of a record: ``analysis.nl`` -> report "analysis", language "nl",
    format "" (the HTML report); ``deck.pptx`` -> "deck", "" (none named), ".pptx"."""

    report: str
    language: str
    format: str

    @classmethod
    def of(cls, name: str) -> Entry:
        suffix = next((s for s in OTHER_FORMATS if name.endswith(s)), "")
        report, _, language = name.removesuffix(suffix).partition(".")
        return cls(report, language, suffix)

    def named(self, language: str) -> str:
        """The record's name of this entry in ``language`` ("" for none named)."""
        return f"{self.report}{'.' if language else ''}{language}{self.format}"


def record_language(record: AccountRecord, folder: Path) -> str:
    """The language of ``record``'s reports and files whose names give none: as recorded, or
    for a record written before kamkit recorded it, the ``lang`` of such a report page
    ("" when there is none to read)."""
    if record.language:
        return record.language
    for stem, file in record.reports.items():
        if not Entry.of(stem).language:
            try:
                with (folder / file).open("rb") as page:
                    found = _PAGE_LANGUAGE.search(page.read(_PAGE_HEAD))
            except OSError:
                continue
            if found:
                return found[1].decode("ascii", "replace")
    return ""


def entries(record: AccountRecord, folder: Path) -> Iterator[tuple[str, str, str]]:
    """(name, file, language) of every report, then every file, of the record."""
    unnamed = record_language(record, folder)
    for name, file in (*record.reports.items(), *record.files.items()):
        yield name, file, Entry.of(name).language or unnamed


def in_language(record: AccountRecord, folder: Path, language: str) -> dict[str, str]:
    """The record's reports and files in ``language``: name -> file, reports first."""
    return {name: file for name, file, lang in entries(record, folder) if lang == language}


def failed_in(record: AccountRecord, language: str) -> list[str]:
    """The names of the record's failed reports and files in ``language`` (a failure is
    the last run's: the run that tries a report writes the record)."""
    return [name for name in record.failed
            if (Entry.of(name).language or record.language) == language]


def in_folder(folder: Path, file: str) -> bool:
    """Whether ``file`` (a name from a record, which anyone can edit) is a file of
    ``folder`` itself: a plain name, no path, not through a link to elsewhere; a page
    links only such a file."""
    if not file or file in (".", "..") or "/" in file or "\\" in file:
        return False
    path = folder / file
    try:
        return path.is_file() and path.resolve().parent == folder.resolve()
    except OSError:
        return False


def earlier_version(record: AccountRecord, folder: Path, name: str
                    ) -> tuple[str, dt.date] | None:
    """The file and date of the last good version of the failed ``name`` of ``record``,
    where it is still in ``folder``; None when there is none."""
    version = record.earlier.get(name)
    if not version or not in_folder(folder, version.get("file", "")):
        return None
    try:
        return version["file"], dt.date.fromisoformat(version.get("made", ""))
    except ValueError:
        return None


@dataclass(frozen=True)
class Kept:
    """An account's reports after a run: what the new record lists, the files of the
    old record that a file of this run replaced (old file -> new file: to remove), and the
    last good version of each report or file this run could not make (``earlier``)."""

    reports: dict[str, str]
    files: dict[str, str]
    replaced: dict[str, str]
    earlier: dict[str, dict[str, str]]


def kept(old: AccountRecord | None, done: AccountDone, languages: Sequence[str],
         folder: Path) -> Kept:
    """What the account's record lists after ``done``: the reports and files this run made,
    and those of earlier runs this quarter in a report and language this run did not try
    (an English-only run keeps last run's Dutch reports). An earlier file of a report and
    language this run made under another name (``analysis.html`` when ``analysis.en.html``
    is made) is replaced; one whose remake failed stays on disk, no longer listed. A file
    this run wrote over (a one-language run in another language) is this run's. A failed
    report's or file's file of an earlier run that is still there is its last good version
    (``earlier``), dated by when it was written."""
    language = languages[0] if len(languages) == 1 else ""

    def key(name: str, unnamed: str) -> tuple[str, str, str]:
        entry = Entry.of(name)
        return entry.report, entry.language or unnamed, entry.format

    made = {key(name, language): file
            for name, file in (*done.reports.items(), *done.files.items())}
    tried = set(made) | {key(name, language) for name in done.failed}
    reports, files = dict(done.reports), dict(done.files)
    replaced: dict[str, str] = {}
    earlier: dict[str, dict[str, str]] = {}
    if old is None:
        return Kept(reports, files, replaced, earlier)
    failed = {key(name, language): name for name in done.failed}
    unnamed = record_language(old, folder)
    for name, version in old.earlier.items():  # failed before too: still the last good one
        slot = key(name, unnamed)
        if slot in failed and earlier_version(old, folder, name) is not None:
            earlier[failed[slot]] = version
    for name, file, lang in entries(old, folder):
        entry = Entry.of(name)
        slot = (entry.report, lang, entry.format)
        if slot in failed and in_folder(folder, file):
            written = dt.date.fromtimestamp((folder / file).stat().st_mtime)
            earlier[failed[slot]] = {"file": file, "made": written.isoformat()}
        if slot in tried:
            if made.get(slot, file) != file:
                replaced[file] = made[slot]
            continue
        if lang and file not in made.values() and (folder / file).is_file():
            # named by its language unless it is the new record's own
            (files if entry.format else reports)[entry.named(
                "" if lang == language else lang)] = file
    return Kept(reports, files, replaced, earlier)


def without_language(records: Sequence[tuple[str, AccountRecord]], quarter: Path,
                     languages: Sequence[str]) -> Mapping[str, list[str]]:
    """Language -> the accounts (ids) with reports this quarter but none in it."""
    return {language: [record.account_id for folder, record in records
                       if record.reports
                       and not any(Entry.of(name).format == ""
                                   for name in in_language(record, quarter / folder,
                                                           language))]
            for language in languages}
