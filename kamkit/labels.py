"""Every heading, label and generated sentence, in every report language: one table.

The texts live in ``labels.yaml`` beside this module (a key with a text per language, ``en``
and ``nl`` today, ``{placeholders}`` for figures). A text that names a ``{count}`` of things
may instead be a form per plural category (``{one: ..., other: ...}``); the language's
plural rule picks the form for the count. The languages are those with a record in
``kamkit.locale`` (how figures and dates are written): adding a language is that record
plus a column here.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import pandas as pd

from kamkit import yamlread
from kamkit.errors import KamkitError
from kamkit.formatting import currency_name, number
from kamkit.locale import check_language, for_language, languages
from kamkit.schema import IN_HOUSE, UNKNOWN, US

LANGUAGES = languages()
"""The report languages: one per record in ``locales.yaml``."""

LANGUAGE_VARIABLE = "KAMKIT_LANGUAGE"
"""The environment variable that sets the language of the command line's messages."""

_LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""Where a terminal's language is, in the order gettext reads them."""


def message_language(environ: Mapping[str, str]) -> str:
    """The language the command line speaks: ``KAMKIT_LANGUAGE`` (en, nl) where set, else
    the terminal's locale as gettext reads it (LANGUAGE, LC_ALL, LC_MESSAGES, LANG: the
    first that is set decides; nl_NL.UTF-8 and nl_BE are Dutch); English otherwise."""
    chosen = environ.get(LANGUAGE_VARIABLE, "").strip().lower()
    if chosen in LANGUAGES:
        return chosen
    for variable in _LOCALE_VARIABLES:
        value = environ.get(variable, "")
        for part in value.split(":") if variable == "LANGUAGE" else (value,):
            code = re.split(r"[_.@-]", part.strip(), maxsplit=1)[0].lower()
            if code in LANGUAGES:
                return code
        if value and variable != "LANGUAGE":
            return "en"  # a locale kamkit does not speak, C or POSIX
    return "en"


_FILE = Path(__file__).with_name("labels.yaml")


Text = str | dict[str, str]
"""A label in one language: a text, or a text per plural category ("one", "other")."""


@cache
def labels() -> dict[str, dict[str, Text]]:
    """The whole table: key -> language -> text (or its plural forms)."""
    return yamlread.load(_FILE.read_text(encoding="utf-8"))  # a key twice: an error


def forms(text: Text) -> list[str]:
    """Every form of a label's text: the text itself, or each of its plural forms."""
    return list(text.values()) if isinstance(text, dict) else [text]


def _form(key: str, language: str, values: dict[str, object]) -> str:
    """The text of ``key`` in ``language`` before its values are filled in: of a text with
    plural forms, the form the language's plural rule gives ``values["count"]``."""
    check_language(language)
    try:
        text = labels()[key][language]
    except KeyError:
        raise KamkitError(f"No label {key!r} in {_FILE.name} for {language!r}.") from None
    if isinstance(text, dict):
        if "count" not in values:
            raise KamkitError(f"Label {key!r} has plural forms: give it a count.")
        category = for_language(language).plural_category(values["count"])  # type: ignore[arg-type]
        if category not in text:
            raise KamkitError(f"Label {key!r} in {_FILE.name} has no {category!r} form for "
                              f"{language!r}.")
        text = text[category]
    return text


WITHOUT = ".without_"
"""A label ``<key>.without_<name>`` is the sentence ``<key>`` says when the value ``name`` is
not known (given as the language's word for a missing figure, "n/a"): it says so in words
instead of "an estimated n/a" mid-sentence."""

_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
"""A part of a label in square brackets is left out when a value in it is not known:
"{revenue}[ ({growth} on the year before)]" reads "EUR 5k" without a growth."""

_FORMATTER = string.Formatter()


def t(key: str, language: str, /, **values: object) -> str:
    """The text of ``key`` in ``language``, with ``values`` filled in; of a text with plural
    forms, the form the language's plural rule gives ``count``. ``{currency}`` in a text is
    the currency ``language`` carries (``kamkit.currency``) as the language writes it beside
    an amount (``formatting.currency_name``: EUR in en, € in nl) unless given.

    A value that is not known ("n/a") takes the label's variant without it where there is
    one (``WITHOUT``), or leaves out the part of the text in square brackets it is in
    (``_OPTIONAL``); a value that ends in a full stop ("n.b.", "mln.") before the text's
    own full stop leaves one full stop, not two.
    """
    missing = for_language(language).missing
    for name, value in values.items():
        variant = f"{key}{WITHOUT}{name}"
        if _unknown(value, missing) and variant in labels():
            return t(variant, language, **{k: v for k, v in values.items() if k != name})
    text = _form(key, language, values)
    if "{currency}" in text and "currency" not in values:
        values = {**values, "currency": currency_name(language)}
    if "[" in text:
        text = _OPTIONAL.sub(lambda part: _optional(part, values, missing), text)
    if not values:
        return text
    if not any(isinstance(v, str) and v.endswith(".") for v in values.values()):
        return text.format(**values)
    return _filled(text, values)


def t_counts(key: str, language: str, /, **values: object) -> str:
    """The text of ``key`` (plain ``{names}``, the plural form by ``count``) with each whole
    number among ``values`` written as ``language`` writes numbers: "Rows 1–25 of 2,000",
    "Rijen 1–25 van 2.000". For a widget's counts, never a year or an id."""
    return _form(key, language, values).format(
        **{k: number(v, language) if isinstance(v, int) else v for k, v in values.items()})


def _optional(part: re.Match[str], values: dict[str, object], missing: str) -> str:
    """A part in square brackets without its brackets, or nothing where a value in it is not
    known; brackets around no value at all are the text's own ("[de] ...")."""
    fields = [field for _, field, _, _ in _FORMATTER.parse(part[1]) if field]
    if not fields:
        return part[0]
    return "" if any(_unknown(values.get(field), missing) for field in fields) else part[1]


def _unknown(value: object, missing: str) -> bool:
    return isinstance(value, str) and value == missing


def _filled(text: str, values: dict[str, object]) -> str:
    """``text.format(**values)``, one full stop where a value ending in one meets the text's."""
    parts: list[str] = []
    after_value = False
    for literal, field, spec, conversion in _FORMATTER.parse(text):
        if after_value and parts[-1].endswith(".") and literal.startswith(".") \
                and not literal.startswith(".."):  # "n.b." + "." but not an ellipsis
            literal = literal[1:]
        parts.append(literal)
        after_value = field is not None
        if field is not None:
            value = _FORMATTER.convert_field(_FORMATTER.get_field(field, (), values)[0],
                                             conversion)
            parts.append(_FORMATTER.format_field(
                value, _FORMATTER.vformat(spec, (), values) if spec else ""))
    return "".join(parts)


def counted(noun: str, count: float, language: str) -> str:
    """A number with its noun in the form the count needs: ``counted("cells", 1, "en")`` is
    "1 cell", with 3 "3 cells", with 1.5 "1.5 cells" ("1,5 cellen" in nl): the label
    ``count.<noun>``, the count written as the language writes numbers."""
    decimals = 0 if float(count).is_integer() else 1
    return _form(f"count.{noun}", language, {"count": count}).format(
        count=number(count, language, decimals))


CHOICE_LABELS: dict[str, str] = {
    # the workbook's tables (kamkit.schema): "table.column"
    "accounts.status": "status.",
    "team.level": "level.",
    "contacts.level": "level.",
    "contacts.buying_role": "role.",
    "contacts.attitude": "attitude.",
    "contacts.influence": "influence.",
    "history.type": "event.",
    "feedback.kind": "wb.feedback.",
    "spend.confidence": "word.",
    "spend_shares.confidence": "word.",
    "spend_shares.holder": "word.",  # its fixed values (in-house, unknown); others are names
    "criteria.axis": "axis.",
    "criteria.source": "source.",
    # the account document (kamkit.documents): "part.field"
    "objectives.kind": "wb.kind.",
    "objectives.metric": "metric.",
    "actions.status": "action.",
}
"""Where the label of every fixed value a reader may see lives: the prefix of its key in
``labels.yaml`` per workbook column or document field with a fixed list of values (event
types, statuses, buying roles, levels, attitudes, confidence, metrics, ...). A report, chart
or widget shows such a value through ``choice_words``, never raw; a test checks that every
value of every such column has a label in every language."""


def choice_words(values: Iterable[object], field: str, language: str) -> list[str]:
    """Fixed values of ``field`` ("history.type", "actions.status", ...: a key of
    ``CHOICE_LABELS``) as readers see them in ``language``."""
    try:
        prefix = CHOICE_LABELS[field]
    except KeyError:
        raise KamkitError(f"No labels for the values of {field!r}: add it to "
                          "kamkit.labels.CHOICE_LABELS.") from None
    return words(values, prefix, language)


def choice_word(value: object, field: str, language: str) -> str:
    """One fixed value of ``field`` as readers see it (see ``choice_words``)."""
    return choice_words([value], field, language)[0]


def words(values: Iterable[object], prefix: str, language: str) -> list[str]:
    """Values such as "high" or "deep selling" as their label ``prefix + value``; a value
    without a label is kept as it is, a missing one becomes ""."""
    table = labels()
    out = []
    for value in values:
        if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
            out.append("")
            continue
        key = prefix + str(value).replace(" ", "_").replace("-", "_")
        out.append(t(key, language) if key in table else str(value))
    return out


_HOLDER_WORDS = {US: "word.us", IN_HOUSE: "word.in_house", UNKNOWN: "word.unknown"}


def holder_label(holder: str, name: object, language: str) -> str:
    """A holder of spend as a reader names it: us, in-house and unknown in ``language``, a
    competitor by its ``name``."""
    return t(_HOLDER_WORDS[holder], language) if holder in _HOLDER_WORDS else str(name)


def smart_letter(check: str, language: str) -> str:
    """The letter a SMART check ("achievable") is marked with: the initial of its word in
    ``language`` (H for haalbaar), the same in the workbench and the reports."""
    return t(f"smart.letter.{check}", language)[:1].upper()


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
