"""Problems found in a workbook: where, what was found and what was expected."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class _Figure:
    """A number in a problem's text, written with the marks of the language it is said in
    (``{total:,.0f}`` is 1,234 in en, 1.234 in nl)."""

    __slots__ = ("decimal", "group", "value")

    def __init__(self, value: float, decimal: str, group: str) -> None:
        self.value, self.decimal, self.group = value, decimal, group

    def __format__(self, spec: str) -> str:
        marks = {",": self.group, ".": self.decimal}
        return "".join(marks.get(c, c) for c in format(self.value, spec))


@dataclass(frozen=True)
class Words:
    """A text as the key of its label in ``kamkit/labels.yaml`` and the values it names, so
    it can be said in any report language (``said``). A value may be Words itself (a hint
    inside a message) or a number (written as the language writes numbers)."""

    key: str
    values: tuple[tuple[str, Any], ...] = ()

    def said(self, language: str = "en") -> str:
        if not self.key:
            return ""
        from kamkit.labels import t  # labels -> errors -> problems: imported when used
        from kamkit.locale import for_language

        locale = for_language(language)
        values: dict[str, Any] = {}
        for name, value in self.values:
            if isinstance(value, Words | MonthName):
                value = value.said(language)
            elif isinstance(value, float | int) and not isinstance(value, bool) \
                    and name != "count":  # the count picks a plural form: kept a number
                value = _Figure(value, locale.decimal, locale.group)
            values[name] = value
        return t(self.key, language, **values)

    def plain(self) -> dict[str, Any]:
        """These Words as JSON-able values (``from_plain`` reads them back): to pass them
        between processes that share no Python objects, a notebook's kernel and the run."""
        def value(v: Any) -> Any:
            if isinstance(v, Words):
                return {"words": v.plain()}
            if isinstance(v, MonthName):
                return {"month": v.number}
            return v if v is None or isinstance(v, str | int | float | bool) else str(v)

        return {"key": self.key, "values": [[name, value(v)] for name, v in self.values]}

    @classmethod
    def from_plain(cls, plain: dict[str, Any]) -> Words:
        """The Words ``plain`` describes (``Words.plain``)."""
        def value(v: Any) -> Any:
            if isinstance(v, dict) and "words" in v:
                return cls.from_plain(v["words"])
            if isinstance(v, dict) and "month" in v:
                return MonthName(int(v["month"]))
            return v

        return cls(str(plain["key"]),
                   tuple((str(name), value(v)) for name, v in plain.get("values", ())))


@dataclass(frozen=True)
class MonthName:
    """A month in a problem's text, named as the language it is said in names it."""

    number: int

    def said(self, language: str = "en") -> str:
        from kamkit.locale import for_language

        return for_language(language).months[self.number - 1]


def words(key: str, /, **values: Any) -> Words:
    """``Words`` of the label ``key`` with ``values``."""
    return Words(key, tuple(values.items()))


NO_WORDS = Words("")
"""The Words of an empty text (no label)."""

EXCERPT = 60
"""The most characters a problem quotes of a value (``shortened``) or of a row."""


def shortened(value: str) -> str:
    """``value`` as a problem quotes it: its first characters and "..." when it is longer
    than ``EXCERPT``."""
    return value if len(value) <= EXCERPT else value[:EXCERPT - 3] + "..."


def sentence(text: Words) -> Words:
    """``text`` ending in a full stop (a reason said as a problem's message)."""
    return words("problem.sentence", text=text)


class SaidError(ValueError):
    """A ``ValueError`` whose message is Words: raised in a pydantic validator, so the
    problem it becomes can be said in every language (``kamkit.document_reader``)."""

    def __init__(self, said: Words) -> None:
        super().__init__(said.said("en"))
        self.words = said


@dataclass(frozen=True)
class Problem:
    """One problem, located as precisely as the input allows.

    ``row`` is the line number a user sees in a spreadsheet or text editor: the header is
    row 1, the first data row is row 2. For YAML documents ``location`` is the path inside
    the document (``plan.objectives[2].deadline``) and ``row`` its line when known.
    """

    severity: Severity
    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    location: str | None = None
    # what is particular to this row (the row a key repeats, "Did you mean ...?"): shown
    # after ``message``, which is what all rows with the same problem share
    detail: str = ""
    # ``message`` and ``detail`` as Words, to say them in another language (None: the
    # message exists in English only)
    words: Words | None = field(default=None, compare=False)
    detail_words: Words | None = field(default=None, compare=False)
    # the account whose own data this is in (its document, its rows of a per-account table);
    # None for shared data (``kamkit.account_errors``): an error here fails that account only
    account: str | None = field(default=None, compare=False)

    @classmethod
    def said(cls, severity: Severity, file: str, message: Words, **where: Any) -> Problem:
        """A problem whose ``message`` is ``message`` said in English, and can be said in
        every language (``text``)."""
        return cls(severity, file, message.said("en"), words=message, **where)

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        parts = [f"{where}: {self.severity}"]
        if self.location:
            parts.append(f"at {self.location}")
        if self.column:
            parts.append(f"column '{self.column}'")
        text = ", ".join(parts) + ": "
        if self.value is not None:
            text += f"found {shortened(self.value)!r}; "
        return text + self.message + (f" {self.detail}" if self.detail else "")

    def message_in(self, language: str) -> str:
        """The message and its detail in ``language`` (in English where it has no Words);
        in English the message as written (a pydantic message is its own English)."""
        detail = self._detail(language)
        return self._message(language) + (f" {detail}" if detail else "")

    def _message(self, language: str) -> str:
        return (self.words.said(language) if self.words is not None and language != "en"
                else self.message)

    def _detail(self, language: str) -> str:
        return (self.detail_words.said(language)
                if self.detail_words is not None and language != "en" else self.detail)

    def text(self, language: str) -> str:
        """The whole problem (where, what was found, the message) in ``language``: ``str``
        of it in English."""
        if language == "en":
            return str(self)
        from kamkit.labels import t

        where = self.file + (f":{self.row}" if self.row is not None else "")
        parts = [f"{where}: {t(f'problem.severity.{self.severity}', language)}"]
        if self.location:
            parts.append(t("problem.at", language, location=self.location))
        if self.column:
            parts.append(t("problem.column", language, column=self.column))
        text = ", ".join(parts) + ": "
        if self.value is not None:
            text += t("problem.found", language, value=repr(shortened(self.value))) + "; "
        return text + self.message_in(language)

    def as_words(self) -> Words:
        """The whole problem as ``text`` says it, as Words: to say it in a language chosen
        later, in another process (``Words.plain``)."""
        def part(key: str, **values: Any) -> Words:
            return words("problem.part", part=words(key, **values))

        shown = None if self.value is None else shortened(self.value)
        detail = self.detail_words or self.detail
        return words(
            "problem.whole", where=self.file + (f":{self.row}" if self.row is not None else ""),
            severity=words(f"problem.severity.{self.severity}"),
            at=part("problem.at", location=self.location) if self.location else NO_WORDS,
            column=part("problem.column", column=self.column) if self.column else NO_WORDS,
            found=(words("problem.found_part", value=repr(shown)) if shown is not None
                   else NO_WORDS),
            message=self.words or self.message,
            detail=words("problem.detail_part", detail=detail) if detail else NO_WORDS)

    def with_detail(self, detail: str | Words) -> Problem:
        """This problem with ``detail`` (what is particular to its row)."""
        if isinstance(detail, Words):
            return replace(self, detail=detail.said("en"), detail_words=detail)
        return replace(self, detail=detail)

    def particular(self, language: str = "en") -> str:
        """Where and what in this row, without the shared message: "row 3: found 'X'"."""
        from kamkit.labels import t

        where = (t("problem.row", language, row=self.row) if self.row is not None
                 else (self.location or self.file))
        found = (t("problem.found", language, value=repr(self.value))
                 if self.value is not None else "")
        return f"{where}: " + "; ".join(part for part in (found, self._detail(language))
                                        if part)


FIRST_ROWS = 5
"""How many rows a group of the same problem lists."""


@dataclass(frozen=True)
class ProblemGroup:
    """The same problem (file, column, severity, message) in one or more rows."""

    problems: tuple[Problem, ...]
    # a summary of the problems below it (an id missing everywhere it is used), said instead
    summary: Words | None = None

    @property
    def first(self) -> Problem:
        return self.problems[0]

    def __str__(self) -> str:
        return self.text("en")

    def text(self, language: str) -> str:
        """The group in ``language`` (its messages in English where they have no Words)."""
        if self.summary is not None:
            from kamkit.labels import t

            return (f"{t(f'problem.severity.{self.first.severity}', language)}: "
                    f"{self.summary.said(language)}")
        if len(self.problems) == 1:
            return self.first.text(language)
        from kamkit.labels import t

        p = self.first
        parts = [f"{p.file}: {t(f'problem.severity.{p.severity}', language)}"]
        if p.column:
            parts.append(t("problem.column", language, column=p.column))
        parts.append(words("problem.rows", rows=len(self.problems)).said(language))
        listed, found = self.problems, ""
        if any(q.message != p.message for q in self.problems):
            # the same kind of problem, its words naming each row's value: the first row
            # says them, the others show what they hold
            where = (t("problem.row", language, row=p.row) if p.row is not None
                     else (p.location or p.file))
            parts.append(words("problem.for_example", where=where).said(language))
            if p.value is not None:
                found = t("problem.found", language, value=repr(p.value)) + "; "
            listed = self.problems[1:]
        lines = [", ".join(parts) + ": " + found + p._message(language)]
        lines += [f"  {q.particular(language)}" for q in listed[:FIRST_ROWS]]
        rest = len(listed) - FIRST_ROWS
        if rest > 0:
            lines.append("  " + words("problem.more_rows", count=rest, values=_values(
                self.problems, language)).said(language))
        return "\n".join(lines)


def _values(problems: Sequence[Problem], language: str) -> str:
    """The values found in a group with how often, most frequent first (the first few)."""
    counts: dict[str, int] = {}
    for p in problems:
        if p.value is not None:
            counts[p.value] = counts.get(p.value, 0) + 1
    if len(counts) < 2 or max(counts.values()) == 1:  # each its own: the rows say them
        return ""
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    shown = ", ".join(words("problem.value_times", value=repr(value), times=n).said(language)
                      for value, n in ranked[:FIRST_ROWS])
    more = (words("problem.other_values", other=len(ranked) - FIRST_ROWS).said(language)
            if len(ranked) > FIRST_ROWS else "")
    return words("problem.values_found", shown=shown, more=more).said(language)


def _kind(problem: Problem) -> object:
    """What makes problems the same problem in a column: the label of their words, whatever
    values it names ("is read as 384000", "... 398000"; "there is no month 14", "... 16");
    a row's detail ("Did you mean ...?") aside. A message without words is its own kind."""
    said = problem.words
    while said is not None and said.key == "problem.sentence":
        inner = dict(said.values).get("text")
        said = inner if isinstance(inner, Words) else None
    return ("words", said.key) if said is not None else problem.message


def grouped(problems: Iterable[Problem]) -> list[ProblemGroup]:
    """``problems`` with the same problem in many rows as one group, in the order each
    problem first appears: 6,000 rows with the same unknown code are one message with a
    count and the first rows; so are 900 rows of a column each with its own value in the
    message (``_kind``), the first row's message said as the example."""
    problems = list(problems)
    groups: dict[tuple[object, ...], list[Problem]] = {}
    for p in problems:
        if _follow_on_of(p) is None:
            key = (p.severity, p.file, p.column, p.location, _kind(p))
            groups.setdefault(key, []).append(p)
    return (missing_ids(problems) + [ProblemGroup(tuple(group)) for group in groups.values()]
            + follow_ons(problems))


FOLLOW_ONS = frozenset({"problem.in_refused_row", "problem.contact_account_unread"})
"""The labels of a problem that only follows from a row that could not be read: said once
per file that has them, after the rest (``follow_ons``)."""


def _follow_on_of(problem: Problem) -> str | None:
    """The file whose unread row ``problem`` follows from; None for a problem of its own."""
    said = problem.words
    if said is None or said.key not in FOLLOW_ONS:
        return None
    return str(dict(said.values)["file"])


def follow_ons(problems: Iterable[Problem]) -> list[ProblemGroup]:
    """One line per file for the problems that follow from rows that could not be read
    (a contact's row with a cell too many, and the relationships and documents that name
    that contact): how many and where the first are, after the root errors they point
    at, instead of a line each burying those."""
    found: dict[tuple[Severity, str, str], list[Problem]] = {}
    for p in problems:
        if (target := _follow_on_of(p)) is not None:
            found.setdefault((p.severity, p.file, target), []).append(p)
    summaries = []
    for (_, file, target), rows in found.items():
        where = list(dict.fromkeys((p.location or file) if p.row is None or p.location
                                   else words("problem.row", row=p.row) for p in rows))
        places: str | Words = ""
        for place in where[:FIRST_ROWS]:
            places = place if not places else words("problem.list_comma", first=places,
                                                    next=place)
        if len(where) > FIRST_ROWS:
            places = words("problem.list_comma", first=places, next="...")
        summaries.append(ProblemGroup(tuple(rows), words(
            "problem.follow_ons", file=file, count=len(rows), target=target, places=places)))
    return summaries


def missing_ids(problems: Iterable[Problem]) -> list[ProblemGroup]:
    """One summary per id that is missing from its table but used in more than one file (a
    renamed account: its rows in seven tables and its document), to put before the rows:
    "'MAAS' is used in sales.csv (921 rows), ... and documents/MAAS.yaml, but accounts has
    no 'MAAS'. Did you rename it to MAASP?"."""
    found: dict[tuple[str, str], list[Problem]] = {}
    for p in problems:
        if p.words is not None and p.words.key == "problem.not_in_table" and p.value:
            found.setdefault((str(dict(p.words.values)["target"]), p.value), []).append(p)
    summaries = []
    for (target, value), missing in found.items():
        files: dict[str, list[Problem]] = {}
        for p in missing:
            files.setdefault(p.file, []).append(p)
        if len(files) < 2:
            continue
        places: list[str | Words] = [
            words("problem.used_rows", file=file, count=len(rows))
            if rows[0].location is None else file for file, rows in files.items()]
        summaries.append(ProblemGroup(tuple(missing), words(
            "problem.id_missing_everywhere", value=value, target=target,
            places=joined_words(places), hint=_renamed(value, missing))))
    return summaries


def _renamed(value: str, missing: list[Problem]) -> Words:
    """"Did you rename it to X?" where one known id is close to ``value``, "Did you mean X
    or Y?" where two are, nothing otherwise."""
    hint = next((p.detail_words for p in missing if p.detail_words is not None
                 and p.detail_words.key), NO_WORDS)
    if hint.key == "problem.did_you_mean":
        return words("problem.renamed_to", code=dict(hint.values)["code"])
    return words("problem.hint", text=hint) if hint.key else NO_WORDS


def joined_words(items: Sequence[str | Words]) -> str | Words:
    """``a, b and c`` in the language's words."""
    if len(items) == 1:
        return items[0]
    first: str | Words = items[0]
    for item in items[1:-1]:
        first = words("problem.list_comma", first=first, next=item)
    return words("problem.list_and", first=first, last=items[-1])


def listed(problems: Iterable[Problem], limit: int = 20, indent: str = "  ",
           language: str = "en") -> list[str]:
    """Text lines listing ``problems`` grouped (``grouped``) in ``language``, the first
    ``limit`` groups, each line indented; then how many groups were left out."""
    groups = grouped(problems)
    lines = [indent + g.text(language).replace("\n", "\n" + indent) for g in groups[:limit]]
    if len(groups) > limit:
        lines.append(indent + words("problem.more_groups", more=len(groups) - limit)
                     .said(language))
    return lines


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


KNOWN_SHOWN = 12
"""How many known codes a message about an unknown one lists."""


def known_words(known: Iterable[str]) -> Words:
    """``known_codes`` as Words."""
    codes = sorted(set(known))
    if not codes:
        return words("problem.known_none")
    if len(codes) <= KNOWN_SHOWN:
        return words("problem.known", codes=", ".join(codes))
    return words("problem.known_first", number=str(len(codes)),
                 codes=", ".join(codes[:KNOWN_SHOWN]))


_NEAR_AS_FIRST = 0.1
"""A second close match is named only when it is about as close as the first (its likeness
at most this much less)."""


def _likeness(value: str, other: str) -> float:
    return difflib.SequenceMatcher(None, value, other).ratio()


def did_you_mean_words(value: str, known: Iterable[str]) -> Words:
    """``did_you_mean`` as Words (``NO_WORDS`` when nothing is close); a known id that
    differs only in case comes first (difflib compares case: ``maas`` is not close to
    ``MAAS``)."""
    candidates = sorted(set(known))
    folded = value.casefold()
    same_case = [k for k in candidates if k.casefold() == folded]
    matches = difflib.get_close_matches(value, candidates, n=2)
    if len(matches) == 2 and _likeness(value, matches[1]) < _likeness(value, matches[0]) \
            - _NEAR_AS_FIRST:  # MAAS: MAASP, not ATLAS beside it
        matches = matches[:1]
    close = (same_case + [k for k in matches if k not in same_case])[:2]
    if not close:
        return NO_WORDS
    if len(close) == 1:
        return words("problem.did_you_mean", code=close[0])
    return words("problem.did_you_mean_two", code=close[0], other=close[1])


def hint_words(value: str, known: Iterable[str]) -> Words:
    """``hint`` as Words."""
    known = set(known)
    close = did_you_mean_words(value, known)
    return words("problem.hint", text=close) if close is not NO_WORDS else known_words(known)


def known_codes(known: Iterable[str]) -> str:
    """The known codes, for a message about an unknown one: all when few, else the first
    ``KNOWN_SHOWN`` and how many there are.

    Examples
    --------
    >>> known_codes(["B", "A"])
    ' Known: A, B.'
    >>> known_codes(f"C{n:02}" for n in range(20))
    ' Known (20): C00, C01, C02, C03, C04, C05, C06, C07, C08, C09, C10, C11, ...'
    """
    return known_words(known).said("en")


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """"Did you mean ...?" with the close matches of ``value`` in ``known``, else empty."""
    return did_you_mean_words(value, known).said("en")


def hint(value: str, known: Iterable[str]) -> str:
    """The end of a message about an unknown ``value``: "Did you mean ...?" with close
    matches in ``known``, else the known codes (the first few and their number)."""
    return hint_words(value, known).said("en")
