"""Give a raw table's cells their types, reporting every cell that does not fit its column.

A cell that cannot be read becomes missing (NA) and is reported once here; later rules skip
missing values, so one bad cell gives one message.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias

import numpy as np
import pandas as pd

from kamkit.controls import id_flaw, text_flaw
from kamkit.labels import labels
from kamkit.problems import MonthName, Problem, SaidError, Severity, Words, sentence, words
from kamkit.readers import SPACE_RE2, RawTable

if TYPE_CHECKING:
    import pyarrow as pa
from kamkit.schema import Column, Kind, Table

_NUMBER_POINT = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?|[+-]?\.\d+")
_NUMBER_COMMA = re.compile(r"[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?|[+-]?,\d+")
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y")
_GROUPED_POINT = re.compile(r"[+-]?\d{1,3}\.\d{3}")
_POINT_GROUPS = re.compile(r"[+-]?\d{1,3}(\.\d{3}){2,}(,\d+)?")
"""A number whose points can only group thousands (two groups or more): ``1.051.000``."""
_POINT_DECIMAL = re.compile(r"[+-]?(\d*\.\d{1,2}|\d*\.\d{4,}|\d{4,}\.\d+)")
"""A number whose point can only be a decimal point: ``37.2``, ``0.1234``, ``1250.000``."""
_GROUPED_COMMA = re.compile(r"[+-]?\d{1,3},\d{3}")
_COMMAS_GROUP = re.compile(
    r"[+-]?\d{1,3}((,\d{3}){2,}(\.\d+)?|(,\d{3})+\.\d+)|" + _POINT_DECIMAL.pattern)
"""A number that shows its column's commas can only group thousands (``Unclear.proof``):
several comma groups (``1,234,567``: a decimal mark comes once), comma groups before a
point (``1,234.50``: of two marks the last is the decimal one) or a point that cannot group
thousands (``37.2``: the point is the column's decimal mark, so the comma is not)."""
_NUMERIC = (Kind.NUMBER, Kind.MONEY, Kind.INTEGER, Kind.YEAR)
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")

_EXPECTED = (Kind.INTEGER, Kind.NUMBER, Kind.MONEY, Kind.DATE, Kind.MONTH, Kind.YEAR)
"""The kinds of cell with their own words for what is expected (``problem.expected.<kind>``
in ``kamkit/labels.yaml``); the others expect text."""


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores a code like 101 as 101.0
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


_NOT_OF_A_NUMBER = re.compile(r"\s|€|(?i:eur)")
"""What a number cell may hold beside its digits and marks: spaces and the euro sign."""


def _number_text(value: object) -> str:
    """A number cell's text without what is not of the number."""
    return _NOT_OF_A_NUMBER.sub("", str(value))


def _number(value: object, decimal: str) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    text = _number_text(value)
    if decimal == ",":
        if not _NUMBER_COMMA.fullmatch(text):
            return None
        text = text.replace(".", "").replace(",", ".")
    else:
        if not _NUMBER_POINT.fullmatch(text):
            return None
        text = text.replace(",", "")
    return float(text)


_SCALED = re.compile(r"(.*\d)(k|m|mln|mio)\.?", re.IGNORECASE)
"""A number with a letter for its scale, as people type it: 120k, 12,5k, 3.7m, 2 mln."""
_SCALES = {"k": Decimal(1000), "m": Decimal(1_000_000), "mln": Decimal(1_000_000),
           "mio": Decimal(1_000_000)}


def number_meant(value: str) -> float | None:
    """The number a person meant by ``value`` where it can be told: thousands marks of
    either convention (3.730.000, 1,051,000), a decimal comma (12,5), a scale letter (120k,
    12,5k, 3.7m); None where it is no number or could be two (1,051: 1051 or 1.051)."""
    text = _number_text(value)
    scale = Decimal(1)
    if scaled := _SCALED.fullmatch(text):
        text, scale = scaled[1], _SCALES[scaled[2].lower()]
    readings = {read for decimal in (".", ",") if (read := _number(text, decimal)) is not None}
    if len(readings) != 1:
        return None
    return float(Decimal(repr(readings.pop())) * scale)  # 1,1m is 1100000, not ...0002


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
"""kamkit's own layout in ASCII digits: read without strptime (what it gives for it)."""


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()[:10] if re.match(r"\d{4}-\d\d-\d\dT", str(value)) else str(
        value).strip()
    if _ISO_DAY.fullmatch(text):
        try:
            return dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
        except ValueError:
            pass  # no such day (or year 0): the layouts below say what strptime says
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_date(value: object) -> dt.date | None:
    """A date as the workbook's readers read one, in any of ``date_layouts()`` (2025-03-31,
    31-03-2025, ...; a day or month may be one digit); None where it is none."""
    return _date(value)


def typed_date(text: str) -> dt.date | None:
    """A date a person types as a setting (``--report-date 01-10-2026``), read as the
    workbook reads its dates (``parse_date``) where that leaves no doubt; None where the
    text is not written as a date.

    Raises
    ------
    SaidError
        Naming why not, for a date that does not exist (31-02-2026) and for a date written
        with slashes that reads both ways (01/10/2026: in a workbook only a warning, but a
        setting has no column whose other dates settle the order).

    Examples
    --------
    >>> typed_date("01-10-2026"), typed_date("2026-10-01"), typed_date("13/10/2026")
    (datetime.date(2026, 10, 1), datetime.date(2026, 10, 1), datetime.date(2026, 10, 13))
    >>> typed_date("next week") is None
    True
    """
    text = text.strip()
    if (reason := no_such_date_words(text)) is not None:
        raise SaidError(reason)
    day = _date(text)
    if day is not None and _SLASH_DATE.fullmatch(text) and day.day != day.month \
            and day.day <= 12:
        other = dt.date(day.year, day.day, day.month)
        raise SaidError(words("problem.date.both_ways", iso=day.isoformat(), day=str(day.day),
                              month=MonthName(day.month), year=str(day.year),
                              other_iso=other.isoformat(), other_day=str(other.day),
                              other_month=MonthName(other.month)))
    return day


def date_layouts() -> list[str]:
    """The layouts ``parse_date`` reads, as people write them (the first is kamkit's own).

    Examples
    --------
    >>> date_layouts()[:2]
    ['YYYY-MM-DD', 'DD-MM-YYYY']
    """
    marks = {"%Y": "YYYY", "%m": "MM", "%d": "DD"}
    return [re.sub("%[Ymd]", lambda mark: marks[mark[0]], layout) for layout in _DATE_FORMATS]


_WRITTEN_DATES = (  # (pattern, which group is the year, month, day) per _DATE_FORMATS
    (re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})"), (1, 3, 4)),
    (re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})"), (4, 3, 1)),
)


def written_date(value: object) -> tuple[int, int, int] | None:
    """(year, month, day) as a text written in one of the date formats gives them, whether
    or not that day exists (``31-02-2025`` gives (2025, 2, 31)); None for another text.

    Examples
    --------
    >>> written_date("31-02-2025"), written_date("2025/4/31"), written_date("twaalf")
    ((2025, 2, 31), (2025, 4, 31), None)
    """
    if isinstance(value, dt.date):
        return value.year, value.month, value.day
    text = str(value).strip()
    text = text[:10] if re.match(r"\d{4}-\d\d-\d\dT", text) else text
    for pattern, (year, month, day) in _WRITTEN_DATES:
        if match := pattern.fullmatch(text):
            return int(match[year]), int(match[month]), int(match[day])
    return None


def no_such_date_words(value: object) -> Words | None:
    """Why a text written as a date names no day of the calendar, as Words to say in any
    language; None when it is not written as a date, or names one.

    Examples
    --------
    >>> no_such_date_words("31-02-2025").said("en")
    'no such date: February 2025 has 28 days'
    >>> no_such_date_words("2025-13-01").said("en")
    'no such date: there is no month 13'
    >>> no_such_date_words("03/31/2025").said("en")
    'no such date: there is no month 31 (a date is read day first: DD-MM-YYYY)'
    >>> no_such_date_words("2025-02-28") is None
    True
    """
    parts = written_date(value)
    if parts is None or not 1 <= parts[0] <= 9999:
        return None
    year, month, day = parts
    if not 1 <= month <= 12:
        day_first = not re.match(r"\s*\d{4}", str(value))
        return words("problem.date.no_month_day_first" if day_first else "problem.date.no_month",
                     month=str(month))
    last = calendar.monthrange(year, month)[1]
    if 1 <= day <= last:
        return None
    if not day:
        return words("problem.date.day_zero")
    return words("problem.date.days", month=MonthName(month), year=str(year), count=last)


def _not_read(value: object, column: Column, decimal: str = ".") -> Words:
    """Why a cell that does not fit its column was not read: a date that does not exist
    says so (the format is right), any other what the column expects."""
    if column.kind in (Kind.DATE, Kind.MONTH) and (reason := no_such_date_words(value)):
        return sentence(reason)
    return not_fitting_words(column.kind, column.choices, decimal)


def _month(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, 1)
    text = str(value).strip()
    match = _MONTH.fullmatch(text)
    if match:
        year, month = int(match[1]), int(match[2])
        return dt.date(year, month, 1) if 1 <= month <= 12 else None
    day = _date(text)
    return dt.date(day.year, day.month, 1) if day else None


def _choice(value: object, column: Column) -> str | None:
    text = re.sub(r"[\s-]+", "_", _text(value).lower())
    return text if text in column.choices else None


def _parse_cell(value: object, column: Column, decimal: str) -> object:
    """The typed value of one non-blank cell, or None where it does not fit."""
    kind = column.kind
    if kind in (Kind.ID, Kind.TEXT):
        return _text(value)
    if kind is Kind.CHOICE:
        return _choice(value, column)
    if kind in (Kind.NUMBER, Kind.MONEY):
        return _number(value, decimal)
    if kind in (Kind.INTEGER, Kind.YEAR):
        number = _number(value, decimal)
        return int(number) if number is not None and number.is_integer() else None
    if kind is Kind.DATE:
        return _date(value)
    if kind is Kind.MONTH:
        return _month(value)
    raise ValueError(kind)


def _expected(column: Column) -> Words:
    """What a cell of ``column`` must hold, as Words."""
    return expected_words(column.kind, column.choices)


def expected_words(kind: Kind, choices: Sequence[str] = (), decimal: str = ".") -> Words:
    """What a value of ``kind`` (one of ``choices``) must be, as Words: "a date, e.g. ...";
    a number's example with the file's ``decimal`` mark."""
    if kind is Kind.CHOICE:
        return words("problem.expected.choice", choices=", ".join(choices))
    if decimal == "," and kind in (Kind.NUMBER, Kind.MONEY):
        return words(f"problem.expected.{kind}_comma")
    return words(f"problem.expected.{kind if kind in _EXPECTED else 'text'}")


def not_fitting_words(kind: Kind, choices: Sequence[str] = (), decimal: str = ".") -> Words:
    """The message for a value that is no ``kind`` at all: "expected a date, e.g. ...", in
    a table's cell and an account document's field alike."""
    return words("problem.cell.expected", expected=expected_words(kind, choices, decimal))


def _unit(unit: str) -> Words | str:
    """A column's unit in words where it has a label (``unit.<unit>``), else as written."""
    key = "unit." + unit.replace(" ", "_").replace("-", "_")
    return words(key) if key in labels() and "{" not in str(labels()[key]) else unit


def _out_of_range(number: float, column: Column) -> Words | None:
    """Why ``number`` is outside its column's range, its unit said once; None when inside.

    Examples
    --------
    >>> from kamkit.schema import TABLES_BY_NAME
    >>> accounts = TABLES_BY_NAME["accounts"]
    >>> _out_of_range(11, accounts.column("attractiveness")).said("en")
    'must be a score from 0 to 10'
    """
    low, high = column.minimum, column.maximum
    if (low is None or number >= low) and (high is None or number <= high):
        return None
    score = column.unit.startswith("score")  # "score 0-10" holds the range already
    unit = {"unit": _unit(column.unit)} if column.unit and not score else {}
    with_unit = "_unit" if unit else ""
    if low is not None and high is not None:
        return words("problem.range.score" if score else f"problem.range.between{with_unit}",
                     low=low, high=high, **unit)
    if low is not None:
        return (words("problem.range.not_negative") if low == 0 else
                words(f"problem.range.at_least{with_unit}", low=low, **unit))
    return words(f"problem.range.at_most{with_unit}", high=high, **unit)


Typed: TypeAlias = "np.ndarray | pd.api.extensions.ExtensionArray"
"""A typed column's values: arrays, not Series, as a Series costs more to make than a
small table's column is worth; ``parse_table`` puts them in one frame."""


def _typed(values: list[object], kind: Kind, rows: np.ndarray | None = None) -> Typed:
    """Values (None: missing) as the array of a column of ``kind``; with ``rows``, the
    array of ``values[rows]``."""
    if kind in (Kind.NUMBER, Kind.MONEY):
        numbers = np.array(values, dtype=np.float64)  # None is NaN
        return numbers if rows is None else numbers[rows]
    if kind in (Kind.INTEGER, Kind.YEAR):
        whole = pd.array(values, dtype="Int64")
        return whole if rows is None else whole.take(rows)
    if kind in (Kind.DATE, Kind.MONTH):
        dates = pd.to_datetime(np.array(values, dtype=object)).array
        return dates if rows is None else dates.take(rows)
    import pyarrow as pa

    # texts (str, None) straight to Arrow, and taken there: what
    # pd.array(values, dtype="string").take(rows) holds, without pandas' checks
    texts = pa.array(values, type=pa.large_string())
    return pd.arrays.ArrowStringArray(texts if rows is None else texts.take(rows))


def _numbers(texts: pd.Series, column: Column, decimal: str) -> dict[str, object]:
    """Number cells given as text, all at once: the same rules as ``_number``, vectorised
    because amounts rarely repeat (a sales table has one per row)."""
    cleaned = texts.str.replace(_NOT_OF_A_NUMBER.pattern, "", regex=True)
    if decimal == ",":
        fits = cleaned.str.fullmatch(_NUMBER_COMMA.pattern)
        plain = cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        fits = cleaned.str.fullmatch(_NUMBER_POINT.pattern)
        plain = cleaned.str.replace(",", "", regex=False)
    numbers = pd.to_numeric(plain.where(fits), errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan)
    whole = column.kind in (Kind.INTEGER, Kind.YEAR)
    read = np.isfinite(numbers)
    if whole:
        read &= numbers == np.floor(numbers, where=read, out=np.zeros_like(numbers))
    return {text: (None if not ok else int(number) if whole else number)
            for text, number, ok in zip(texts, numbers.tolist(), read.tolist(), strict=True)}


def _parse_column(values: pd.Series, column: Column, raw: RawTable, decimal: str,
                  problems: list[Problem], unclear: Unclear | None = None) -> Typed:
    """One column typed; each distinct cell text is parsed and judged once (ids, months and
    choices repeat a lot), then spread back to the rows by position, and only the rows with
    a problem are visited one by one."""
    arrow = _arrow_texts(values)
    if arrow is not None:  # Arrow strings: Python objects for the distinct texts only
        encoded = arrow.dictionary_encode()
        codes, distinct = encoded.indices.to_numpy(), encoded.dictionary.to_numpy(
            zero_copy_only=False)
        if column.kind in _NUMERIC:
            found = _arrow_numbers(encoded.dictionary, decimal, unclear)
            numeric = None if found is None else _numeric_column(
                values, codes, distinct, found, column, raw, decimal, unclear, problems)
            if numeric is not None:
                return numeric
    else:
        codes, distinct = pd.factorize(values.to_numpy(dtype=object, na_value=None))
    blank_of = np.array([not v.strip() if isinstance(v, str)  # else a sheet's number, date
                         else pd.isna(v) or not str(v).strip() for v in distinct], dtype=bool)
    filled = [v for v, b in zip(distinct, blank_of, strict=True) if not b]
    if column.kind in _NUMERIC and all(isinstance(v, str) for v in filled):
        parsed_of = _numbers(pd.Series(filled, dtype=object), column, decimal)
    else:
        parsed_of = {value: _parse_cell(value, column, decimal) for value in filled}
    flaw = _flaws(parsed_of, column)
    # per distinct text: its typed value (None where it is not read) and its problem, if any
    typed: list[object] = [None] * (len(distinct) + 1)  # the last stands for a missing cell
    trouble: list[tuple[Severity, Words] | None] = [None] * len(distinct)
    for at, text in enumerate(distinct):
        if blank_of[at]:
            continue
        value = parsed_of[text]
        if value is not None and value in flaw:
            trouble[at] = flaw[value]
            if flaw[value][0] is Severity.WARNING:
                typed[at] = value
        elif value is None:
            trouble[at] = (Severity.ERROR, _not_read(text, column, decimal))
        elif isinstance(value, int | float) and (reason := _out_of_range(value, column)):
            trouble[at] = (Severity.ERROR, sentence(reason))
        else:
            typed[at] = value
    codes = np.where(codes < 0, len(distinct), codes)
    if column.kind in (Kind.DATE, Kind.MONTH):
        _report_dates(values, codes, distinct, blank_of, typed, trouble, column, raw, problems)
    _report_rows(values, codes, blank_of, trouble, column, raw, problems)
    if unclear is not None and column.kind in _NUMERIC:
        which = np.array([not b and isinstance(v, str) and bool(unclear.pattern
                                                                .fullmatch(_number_text(v)))
                          for v, b in zip(distinct, blank_of, strict=True)], dtype=bool)
        _report_unclear(values, codes, distinct, which,
                        [parsed_of.get(v) if u else None for v, u in zip(distinct, which,
                                                                          strict=True)],
                        column, raw, unclear, problems)
    if arrow is not None and column.kind in (Kind.ID, Kind.TEXT) and _as_read(
            distinct, typed, trouble):
        # every text is its own value (the usual case): the column's Arrow strings as they
        # are, instead of gathering the same texts again row by row
        return pd.arrays.ArrowStringArray(arrow)
    return _typed(typed, column.kind, codes)


_SLASH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
"""A date written with slashes: day first here, month first in an American export."""
_YEAR_LAST = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
"""A date written with its year last (31-03-2025, 03/31/2025): read day first."""


def written_month_first(texts: Sequence[str], monthly: bool = False) -> list[int]:
    """The positions of ``texts`` (a column's dates with the year last) that show the column
    writes its dates month first, as a US export does: each date that can only be month
    first (07/19/2024); in a column of months (``monthly``), failing those, each month's
    first day as US Excel writes it, where every date has a middle part of 1 and none can
    only be day first (``3/1/2021``: 1 March; read day first, every month would be January).

    Examples
    --------
    >>> written_month_first(["07/03/2024", "07/19/2024"])
    [1]
    >>> written_month_first(["1/1/2021", "3/1/2021", "4/1/2021"], monthly=True)
    [1, 2]
    >>> written_month_first(["1/3/2021", "1/4/2021"], monthly=True)
    []
    """
    parts = [(int(m[1]), int(m[3])) if (m := _YEAR_LAST.fullmatch(text.strip())) else (0, 0)
             for text in texts]
    signs = [at for at, (first, middle) in enumerate(parts) if first <= 12 < middle <= 31]
    if signs or not monthly or any(middle != 1 or first > 12 for first, middle in parts):
        return signs
    return [at for at, (first, _) in enumerate(parts) if first != 1]


def month_first(values: Iterable[tuple[int, object]], monthly: bool = False
                ) -> tuple[int, str] | None:
    """The first (row, text) of ``values`` that shows they are dates written month first
    (``written_month_first``; other cells are passed over); None where there is none.

    Examples
    --------
    >>> month_first([(2, "07/03/2024"), (3, "07/19/2024"), (4, "2024-07-20")])
    (3, '07/19/2024')
    """
    dated = [(int(row), value.strip()) for row, value in values
             if isinstance(value, str) and _YEAR_LAST.fullmatch(value.strip())]
    signs = written_month_first([text for _, text in dated], monthly)
    return dated[signs[0]] if signs else None


def _report_dates(values: pd.Series, codes: np.ndarray, distinct: np.ndarray,
                  blank_of: np.ndarray, typed: list[object],
                  trouble: list[tuple[Severity, Words] | None], column: Column, raw: RawTable,
                  problems: list[Problem]) -> None:
    """What a date column's way of writing dates leaves open, decided for the column: dates
    with the year last that can only be month first while none can only be day first
    (07/19/2024, and no 19/07/2024) are a column written month first, as a US export
    writes it. That column's dates with the year last are not read (``typed``), one error
    says why, and their own problems ("no month 19") are dropped (``trouble``): read month
    first, a column that mixes both orders would still be misread, and the importer refuses
    such an export too. Otherwise the slash dates that read both ways are warned about."""
    texts = {at: text.strip() for at, text in enumerate(distinct)
             if not blank_of[at] and isinstance(text, str) and _YEAR_LAST.fullmatch(
                 text.strip())}
    signs = written_month_first(list(texts.values()), column.kind is Kind.MONTH)
    if not signs or any(
            int(_YEAR_LAST.fullmatch(text)[1]) > 12 for text in texts.values()):  # type: ignore[index]
        _report_day_first(values, codes, distinct, blank_of, trouble, column, raw, problems)
        return
    at_sign = list(texts)
    position = int(np.flatnonzero(np.isin(codes, [at_sign[at] for at in signs]))[0])
    example = texts[int(codes[position])]
    month, day, year = (int(part) for part in _YEAR_LAST.fullmatch(example).group(  # type: ignore[union-attr]
        1, 3, 4))
    for at in texts:
        typed[at], trouble[at] = None, None
    # a month's first days (3/1/2021) have their own words: they could be read day first
    first_days = column.kind is Kind.MONTH and not written_month_first(list(texts.values()))
    problems.append(Problem.said(
        Severity.ERROR, raw.file, words(
            "problem.date.month_first" + "_monthly" * first_days,
            row=int(values.index[position]), text=example,
            day=str(day), month=MonthName(month), year=str(year),
            count=int(np.isin(codes, list(texts)).sum())), column=column.name))


def _report_day_first(values: pd.Series, codes: np.ndarray, distinct: np.ndarray,
                      blank_of: np.ndarray, trouble: list[tuple[Severity, Words] | None],
                      column: Column, raw: RawTable, problems: list[Problem]) -> None:
    """A warning per row whose slash date reads both ways (``11/09/2021``: 11 September, or
    9 November month first), unless another slash date of the column settles the order
    (a first number above 12): the same words for each row, naming the column's first such
    date as the example, so they are one block for the column (``problems.grouped``)."""
    slashed = {at: match for at, text in enumerate(distinct)
               if not blank_of[at] and trouble[at] is None and isinstance(text, str)
               and (match := _SLASH_DATE.fullmatch(text.strip()))}
    if not slashed or any(int(m[1]) > 12 for m in slashed.values()):
        return
    # a month's first day written day first (1/3/2021) is what a month column expects
    open_to = {at: m for at, m in slashed.items() if int(m[1]) != int(m[2])
               and not (column.kind is Kind.MONTH and int(m[1]) == 1)}
    positions = np.flatnonzero(np.isin(codes, list(open_to)))
    if not len(positions):
        return
    first = open_to[int(codes[positions[0]])]
    day, month, year = (int(part) for part in first.groups())
    said = words("problem.date.day_first", row=int(values.index[positions[0]]),
                 text=first[0], day=str(day), month=MonthName(month), year=str(year),
                 other_day=str(month), other_month=MonthName(day))
    for position in positions:
        problems.append(Problem.said(Severity.WARNING, raw.file, said,
                                     row=int(values.index[position]), column=column.name,
                                     value=str(distinct[int(codes[position])]).strip()))


def _as_read(distinct: np.ndarray, typed: list[object],
             trouble: list[tuple[Severity, Words] | None]) -> bool:
    """Whether each distinct text of a column is read as itself, without a problem (so
    nothing blank, nothing stripped, nothing refused)."""
    return not any(trouble) and all(
        value == text for value, text in zip(typed, distinct.tolist(), strict=False))


class Unclear(NamedTuple):
    """Numbers a file's own marks leave open: those ``pattern`` matches are read one way and
    warned about with the label ``key`` (what the mark was taken for), unless a number of
    the same column matches ``proof`` (``settled``)."""

    pattern: re.Pattern[str]
    key: str
    proof: re.Pattern[str] | None = None

    def settled(self, texts: Iterable[object]) -> bool:
        """Whether a column's own numbers (``texts``) prove the reading, so that its numbers
        matching ``pattern`` are not open to two readings there. For a comma taken as a
        thousands mark (1,234 read as 1234): the point and the comma cannot both be a
        column's decimal mark, and a decimal mark comes once in a number, so one cell
        with several comma groups (1,234,567), with comma groups before a point
        (1,234.50) or with a point that cannot group thousands (37.2) proves it, and the
        column's 1,234 is one thousand two hundred and thirty-four. A column whose numbers
        are only like 1,234 proves nothing: the comma could be a decimal comma, and each
        such cell is warned about. A point taken for a decimal point (1.234 in a
        semicolon file) has no proof: read wrongly it is a thousand times too small, so
        it is always warned about."""
        proof = self.proof
        return proof is not None and any(
            isinstance(text, str) and proof.fullmatch(_number_text(text)) for text in texts)


def unclear_numbers(raw: RawTable, decimal: str, by_convention: bool) -> Unclear | None:
    """Which numbers of a file its marks leave open, given its decimal mark (``by_convention``:
    a semicolon file whose cells showed neither mark, read the Dutch way)."""
    if not raw.separator:
        return None  # a spreadsheet's numbers are numbers
    if decimal == ",":
        return Unclear(_GROUPED_POINT, "problem.cell.unclear_thousands_point") \
            if by_convention else None
    if raw.separator == ";":
        return Unclear(_GROUPED_POINT, "problem.cell.unclear_point")
    return Unclear(_GROUPED_COMMA, "problem.cell.unclear_comma", _COMMAS_GROUP)


def _report_rows(values: pd.Series, codes: np.ndarray, blank_of: np.ndarray,
                 trouble: list[tuple[Severity, Words] | None], column: Column, raw: RawTable,
                 problems: list[Problem]) -> None:
    """The problems of a column's rows, in row order: empty required cells first, then the
    cells whose distinct text has a problem (``codes``: each row's distinct text, one past
    the last for a missing cell)."""
    rows = values.index
    blank_rows = (np.flatnonzero(np.append(blank_of, True)[codes]) if column.required
                  else np.zeros(0, dtype=np.intp))
    if len(blank_rows):
        empty = words("problem.cell.empty", expected=_expected(column))
        english = empty.said("en")  # once: a column may have thousands of empty cells
        for row in rows[blank_rows]:
            problems.append(Problem(Severity.ERROR, raw.file, english, row=int(row),
                                    column=column.name, value="", words=empty))
    if all(t is None for t in trouble):
        return
    flagged = np.array([t is not None for t in trouble] + [False], dtype=bool)
    said: dict[int, str] = {}
    for position in np.flatnonzero(flagged[codes]):
        at = int(codes[position])
        severity, message = trouble[at]  # type: ignore[misc]
        if at not in said:
            said[at] = message.said("en")
        problems.append(Problem(severity, raw.file, said[at], row=int(rows[position]),
                                column=column.name, value=_text(values.iloc[position]),
                                words=message))


def _report_unclear(values: pd.Series, codes: np.ndarray, distinct: np.ndarray,
                    which: np.ndarray, read_as: list[object], column: Column,
                    raw: RawTable, unclear: Unclear, problems: list[Problem]) -> None:
    """A warning per row whose number has one group of three digits after a single mark
    (``which`` per distinct text, ``read_as`` its value), unless the column's other numbers
    settle how it reads (``Unclear.settled``)."""
    if not which.any() or unclear.settled(distinct):
        return
    for position in np.flatnonzero(np.append(which, False)[codes]):
        at = codes[position]
        problems.append(Problem.said(
            Severity.WARNING, raw.file, words(unclear.key, value=read_as[at]),
            row=int(values.index[position]), column=column.name,
            value=str(distinct[at]).strip()))


def _arrow_texts(values: pd.Series) -> pa.Array | None:
    """A column's texts as one Arrow array, where they are Arrow strings without nulls."""
    if not isinstance(values.array, pd.arrays.ArrowStringArray):
        return None
    import pyarrow as pa

    texts = pa.array(values.array)  # the array's own Arrow data (``__arrow_array__``)
    if texts.null_count:
        return None
    return texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts


def _arrow_numbers(texts: pa.Array, decimal: str,
                   unclear: Unclear | None) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """For each distinct text of a numeric column (all ASCII, where RE2 and Python's ``re``
    agree): whether it is blank, its number (NaN where it is not read, as ``_numbers``
    reads it) and whether it has one group of three digits after a single mark; None for
    other texts (the careful path reads them)."""
    import pyarrow.compute as pc

    if not pc.all(pc.string_is_ascii(texts)).as_py() and len(texts):
        return None
    blank = pc.match_substring_regex(texts, f"^{SPACE_RE2}*$").to_numpy(zero_copy_only=False)
    cleaned = pc.replace_substring_regex(texts, f"{SPACE_RE2}|€|(?i:eur)", "")
    if decimal == ",":
        fits = pc.match_substring_regex(cleaned, f"^(?:{_NUMBER_COMMA.pattern})$")
        plain = pc.replace_substring(pc.replace_substring(cleaned, ".", ""), ",", ".")
    else:
        fits = pc.match_substring_regex(cleaned, f"^(?:{_NUMBER_POINT.pattern})$")
        plain = pc.replace_substring(cleaned, ",", "")
    # the very conversion ``_numbers`` makes, on the same texts
    numbers = np.asarray(pd.to_numeric(np.where(fits.to_numpy(zero_copy_only=False),
                                                plain.to_numpy(zero_copy_only=False), np.nan),
                                       errors="coerce"), dtype=np.float64)
    which = np.zeros(len(texts), dtype=bool)
    if unclear is not None:
        which = pc.match_substring_regex(cleaned, f"^(?:{unclear.pattern.pattern})$").to_numpy(
            zero_copy_only=False) & ~blank
    return blank, numbers, which


def _numeric_column(values: pd.Series, codes: np.ndarray, distinct: np.ndarray,
                    found: tuple[np.ndarray, np.ndarray, np.ndarray], column: Column,
                    raw: RawTable, decimal: str, unclear: Unclear | None,
                    problems: list[Problem]) -> Typed | None:
    """A numeric column from its distinct texts' numbers, without a Python step per text:
    the same values and problems, in the same order, as ``_parse_column``'s loop; None
    (nothing reported) for a whole number too large for Int64."""
    blank, numbers, which = found
    whole = column.kind in (Kind.INTEGER, Kind.YEAR)
    read = np.isfinite(numbers) & ~blank
    if whole:
        read &= numbers == np.floor(numbers, where=read, out=np.zeros_like(numbers))
    inside = read.copy()
    if column.minimum is not None:
        inside &= np.greater_equal(numbers, column.minimum, where=read, out=np.zeros_like(read))
    if column.maximum is not None:
        inside &= np.less_equal(numbers, column.maximum, where=read, out=np.zeros_like(read))
    if whole and np.any(np.abs(numbers, where=inside, out=np.zeros_like(numbers)) >= 2.0 ** 62):
        return None  # beyond Int64: the careful path (and its error)
    trouble: list[tuple[Severity, Words] | None] = [None] * len(distinct)
    for at in np.flatnonzero(~blank & ~inside):
        if not read[at]:
            trouble[at] = (Severity.ERROR,
                           not_fitting_words(column.kind, column.choices, decimal))
        else:
            value = int(numbers[at]) if whole else float(numbers[at])
            reason = _out_of_range(value, column)
            assert reason is not None  # outside the range: there is a reason
            trouble[at] = (Severity.ERROR, sentence(reason))
    _report_rows(values, codes, blank, trouble, column, raw, problems)
    if unclear is not None:
        read_as: list[object] = [None] * len(distinct)
        for at in np.flatnonzero(which):
            read_as[at] = int(numbers[at]) if whole else float(numbers[at])
        _report_unclear(values, codes, distinct, which, read_as, column, raw, unclear, problems)
    kept = np.append(np.where(inside, numbers, np.nan), np.nan)[codes]
    if whole:
        return pd.arrays.IntegerArray(np.where(np.isnan(kept), 0, kept).astype("int64"),
                                      np.isnan(kept))
    return kept


def _flaws(parsed_of: Mapping[Any, object],
           column: Column) -> dict[object, tuple[Severity, Words]]:
    """Per distinct text of an id or text column what is wrong with its characters: a
    control character or a space inside an id is an error (the cell is not read), a
    control character in text a warning (tab and line breaks are fine there)."""
    if column.kind is Kind.ID:
        return {value: (Severity.ERROR, sentence(reason)) for value in parsed_of.values()
                if isinstance(value, str) and (reason := id_flaw(value))}
    if column.kind is Kind.TEXT:
        return {value: (Severity.WARNING, words("problem.control.remove", reason=reason))
                for value in parsed_of.values()
                if isinstance(value, str) and (reason := text_flaw(value))}
    return {}


def file_decimal(raw: RawTable, table: Table) -> str:
    """The decimal mark of a source: a point, except in a semicolon file (as Dutch Excel
    writes them) whose number cells show a decimal comma or thousands points, or show no
    decimal point at all while some hold a point before three digits (``384.000``: there
    the Dutch way, a thousands point, is the likelier reading; it is warned about)."""
    return _file_marks(raw, table)[0]


def _file_marks(raw: RawTable, table: Table) -> tuple[str, bool]:
    """A source's decimal mark and whether it was taken by convention (its cells left it
    open): one look at the distinct texts of its number columns."""
    if raw.separator != ";":
        return ".", False
    texts: set[str] = set()
    for column in table.columns:
        if column.kind in _NUMERIC and column.name in raw.cells:
            texts.update(_number_text(v) for v in raw.cells[column.name].dropna().unique())
    comma = any("," in t for t in texts) or any(_POINT_GROUPS.fullmatch(t) for t in texts)
    if comma:
        return ",", False
    if any(_POINT_DECIMAL.fullmatch(t) for t in texts):
        return ".", False
    if any(_GROUPED_POINT.fullmatch(t) for t in texts):
        return ",", True
    return ".", False


def parse_table(raw: RawTable, table: Table, problems: list[Problem],
                quiet: bool = False) -> pd.DataFrame:
    """Typed columns of ``table`` from ``raw``; every misfit is added to ``problems``.

    ``quiet`` skips the missing-column messages for a table whose file is missing as a whole
    (that was reported once already).
    """
    cells = raw.cells
    present = set(cells.columns)
    for name in cells.columns:
        if name not in table.column_names:
            problems.append(Problem.said(
                Severity.WARNING, raw.file, words("problem.header.unknown",
                                                  columns=", ".join(table.column_names)),
                row=1, column=name or "?"))
    columns: dict[str, Typed] = {}
    decimal, by_convention = _file_marks(raw, table)
    unclear = unclear_numbers(raw, decimal, by_convention)
    for column in table.columns:
        if column.name not in present:
            columns[column.name] = _typed([None] * len(cells), column.kind)
            if quiet or column.translation is not None:  # a name in one language: a choice
                continue
            severity = Severity.ERROR if column.required else Severity.WARNING
            problems.append(Problem.said(
                severity, raw.file,
                words("problem.header.missing" + ("" if column.required else "_optional"),
                      expected=_expected(column)),
                row=1, column=column.name))
            continue
        columns[column.name] = _parse_column(cells[column.name], column, raw, decimal,
                                             problems, unclear)
    frame = pd.DataFrame(columns, index=cells.index.rename("row"))
    if written := _written_cells(cells, table, frame, decimal):
        frame.attrs[WRITTEN] = written
    return frame


WRITTEN = "written"
"""The key of a typed table's ``attrs`` holding its ``Written``: the text of each date or
number cell written other than kamkit writes it. A rule comparing dates or amounts quotes
what the cell says ('02/09/2021', '1,051,000'), which the user can find, not kamkit's
reading of it (``written_cell``)."""

_PLAIN_NUMBER = {".": r"[+-]?\d+(\.\d+)?", ",": r"[+-]?\d+"}
"""A number as kamkit writes it (digits, a decimal point) that a file with the decimal mark
(the key) reads as written: a point before digits is a thousands point where the comma is
the decimal mark."""
_PLAIN_BYTES = {mark: np.isin(np.arange(256), list(b"0123456789+-" + b"." * (mark == ".")))
                for mark in _PLAIN_NUMBER}
"""The bytes a ``_PLAIN_NUMBER`` is made of: per decimal mark, a bool per byte value."""


class Written:
    """The texts a typed table's cells were read from where kamkit writes their value
    otherwise: a date not as YYYY-MM-DD (``dates``: column -> row -> text; few, a date
    table is small) and a number with thousands marks, a decimal comma or a euro sign
    (``numbers``: the texts of each number column that has such a cell, by row; looked at
    only for the cell a message quotes, as a sales table may have one in every row).

    Never changed once made, so every frame made from the table shares it: pandas passes
    a frame's ``attrs`` on as a deep copy, which for this is itself."""

    __slots__ = ("dates", "decimal", "numbers")

    def __init__(self, dates: dict[str, dict[int, str]], numbers: dict[str, pd.Series],
                 decimal: str) -> None:
        self.dates, self.numbers, self.decimal = dates, numbers, decimal

    def __deepcopy__(self, memo: dict[int, object]) -> Written:
        return self

    def text(self, column: str, row: int) -> str | None:
        """The text of the cell at ``row`` of ``column`` where it is not kamkit's form."""
        if column in self.dates:
            return self.dates[column].get(row)
        texts = self.numbers.get(column)
        text = None if texts is None else texts.get(row)
        if not isinstance(text, str):
            return None
        text = text.strip()
        return None if re.fullmatch(_PLAIN_NUMBER[self.decimal], text) else text


def _written_cells(cells: pd.DataFrame, table: Table, frame: pd.DataFrame,
                   decimal: str) -> Written | None:
    """The ``Written`` of a table's cells; None where every date and number is written as
    kamkit writes it (a number column is looked at in its bytes, ``_other_bytes``)."""
    dates: dict[str, dict[int, str]] = {}
    numbers: dict[str, pd.Series] = {}
    for column in table.columns:
        if column.name not in cells.columns:
            continue
        texts = cells[column.name]
        if column.kind is Kind.DATE:
            differ = {int(row): str(text).strip() for row, text, day in zip(
                texts.index, texts.tolist(), frame[column.name].tolist(), strict=True)
                if isinstance(text, str) and not pd.isna(day)
                and text.strip() != f"{day:%Y-%m-%d}"}
            if differ:
                dates[column.name] = differ
        elif column.kind in _NUMERIC and _numbers_other(texts, decimal):
            numbers[column.name] = texts
    return Written(dates, numbers, decimal) if dates or numbers else None


def _numbers_other(texts: pd.Series, decimal: str) -> bool:
    """Whether a number column's texts hold anything but plain numbers (``_PLAIN_NUMBER``);
    a spreadsheet's numbers are numbers."""
    arrow = _arrow_texts(texts)
    if arrow is not None:
        return _other_bytes(arrow, _PLAIN_BYTES[decimal])
    plain = _PLAIN_NUMBER[decimal]
    return any(isinstance(text, str) and not re.fullmatch(plain, text.strip())
               for text in texts.tolist())


def _other_bytes(texts: pa.Array, plain: np.ndarray) -> bool:
    """Whether an Arrow string array (one chunk, no nulls) holds a byte that ``plain`` (a
    table of the 256 byte values) does not allow: one look at the array's bytes, cheaper
    than a regex per text."""
    offsets_buffer, data_buffer = texts.buffers()[1:3]
    wide = np.int64 if texts.type == "large_string" else np.int32
    offsets = np.frombuffer(offsets_buffer, dtype=wide)[texts.offset:texts.offset + len(texts) + 1]
    if data_buffer is None or offsets[-1] == offsets[0]:
        return False
    data = np.frombuffer(data_buffer, dtype=np.uint8)[offsets[0]:offsets[-1]]
    return not bool(plain[data].all())


def written_cell(frame: pd.DataFrame, row: int, column: str) -> str | None:
    """The text a date or number cell of a typed table was read from, where it is not as
    kamkit writes it (YYYY-MM-DD, 1051000.5); None where it is (``Written``)."""
    written = frame.attrs.get(WRITTEN)
    return written.text(column, row) if isinstance(written, Written) else None
