"""The labels table is complete in both languages; numbers read right in each."""

from __future__ import annotations

import math
import re

import pytest

from kamkit import KamkitError
from kamkit import formatting as fmt
from kamkit.labels import LANGUAGES, forms, labels, placeholders, t
from kamkit.locale import for_language


def test_every_label_has_every_language_with_the_same_placeholders() -> None:
    for key, texts in labels().items():
        assert set(texts) == set(LANGUAGES), key
        for lang in LANGUAGES:
            assert all(form.strip() for form in forms(texts[lang])), (key, lang)
            for form in forms(texts[lang]):
                assert placeholders(form) == placeholders(forms(texts["en"])[0]), (key, lang)


def test_plural_forms_are_the_language_rule_categories_and_depend_on_the_count() -> None:
    counts = [*range(200), 0.5, 1.5]
    plural = {key: texts for key, texts in labels().items() if isinstance(texts["en"], dict)}
    assert plural  # the table uses plural forms
    for key, texts in plural.items():
        for lang in LANGUAGES:
            rule = for_language(lang).plural_category
            assert set(texts[lang]) == {rule(n) for n in counts}, (key, lang)
            assert "count" in placeholders(forms(texts[lang])[0]), (key, lang)
    example = next(iter(plural))
    values = dict.fromkeys(placeholders(forms(plural[example]["en"])[0]), "x")
    assert t(example, "en", **{**values, "count": 1}) != t(example, "en", **{**values,
                                                                             "count": 2})
    with pytest.raises(KamkitError, match="plural forms: give it a count"):
        t(example, "en")


def test_counted_sentences_agree_with_their_count() -> None:
    gaps = {"places": "Sales", "strength": 3}
    assert t("find.p3.gaps", "en", count=1, **gaps).startswith("1 contact has ")
    assert t("find.p3.gaps", "en", count=2, **gaps).startswith("2 contacts have ")
    assert t("find.p3.gaps", "nl", count=1, **gaps).startswith("1 contactpersoon heeft ")
    assert t("find.p4.count", "nl", count=1, overdue=0, weeks=1, months=0).startswith("1 actie:")


def test_label_lookup_fills_values() -> None:
    assert t("report.analysis.title", "nl", account="Maasport") == "Accountanalyse: Maasport"
    with pytest.raises(KamkitError, match="Unknown language"):
        t("section.a1", "de")
    with pytest.raises(KamkitError, match="No label"):
        t("no.such.key", "en")


@pytest.mark.parametrize(("value", "language", "expected"), [
    (1234567.8, "en", "EUR\u00a01,234,568"),
    (1234567.8, "nl", "€\u00a01.234.568"),
    (-2500, "en", "-EUR\u00a02,500"),
    (None, "en", "n/a"),
    (math.nan, "nl", "n.b."),
])
def test_eur(value, language, expected) -> None:
    assert fmt.amount(value, language) == expected


def test_short_amounts_percentages_and_points() -> None:
    assert fmt.amount_short(1_250_000, "en") == "EUR\u00a01.2m"
    assert fmt.amount_short(1_250_000, "nl") == "€\u00a01,2\u00a0mln"
    assert fmt.amount_short(350_400, "en") == "EUR\u00a0350k"
    assert fmt.amount_short(700_400, "nl") == "€\u00a0700k"  # short, as in English
    assert fmt.amount_short(999_600, "en") == "EUR\u00a01.0m"  # not "EUR 1000k"
    assert fmt.share(0.3456, "nl", 1) == "34,6%"
    assert fmt.share(0.27) == "27%"
    assert fmt.per_cent(20.456, "nl", 1) == "20,5%"  # a *_pct figure, already in per cent
    assert fmt.share(0.34) == fmt.per_cent(34.0) == "34%"  # a fraction and a per cent
    assert fmt.per_cent(None) == "n/a" and fmt.per_cent(math.nan, "nl") == "n.b."
    assert fmt.points(-7.0) == "-7 pts"
    assert fmt.points(6.4, "nl") == "+6 %-punt"
    assert fmt.points(0.0) == "±0 pts"
    assert fmt.points(-0.3) == "±0 pts"  # rounds to no change, never "-0"


# "report.css" is a file name, not a label key
FILE_TYPES = {"css", "html", "ipynb", "json", "yaml", "log", "csv", "pickle"}


def test_every_label_key_named_in_the_code_exists() -> None:
    """A key written out in the code ("word.share") must be in labels.yaml; prefixes that
    the code completes ("room.") are left out."""
    import re
    from pathlib import Path

    prefixes = sorted({key.split(".")[0] for key in labels()})
    pattern = re.compile(r'"((?:' + "|".join(prefixes) + r')\.[a-z0-9_.]*[a-z0-9_])"')
    missing = set()
    for source in (Path(__file__).parents[1] / "kamkit").rglob("*.py"):
        for key in pattern.findall(source.read_text(encoding="utf-8")):
            if key not in labels() and key.rsplit(".", 1)[-1] not in FILE_TYPES:
                missing.add(f"{source.name}: {key}")
    assert not missing, sorted(missing)


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize(("first", "second"), [
    (2_441_625, 2_452_900), (1_949_000, 2_051_000), (3_000_000, 3_004_000),
    (995_000, 1_001_000), (12_345_678, 12_400_000), (1_800_000, 2_500_000)])
def test_two_amounts_in_one_sentence_keep_their_ratio(language: str, first: float,
                                                      second: float) -> None:
    """The shown amounts' ratio is within half a per cent of the true one, so "on track"
    never sits beside amounts that look 4% apart; each is one of ``amount_short``'s forms."""
    locale = for_language(language)
    shown = fmt.amount_pair_short(first, second, language)

    def read(text: str) -> float:
        scale = 1.0
        for suffix, size in ((locale.millions, 1e6), (locale.thousands, 1e3)):
            if text.endswith(suffix):
                text, scale = text[:-len(suffix)], size
                break
        body = re.sub(r"[^\d" + re.escape(locale.decimal + locale.group) + "]", "", text)
        return float(body.replace(locale.group, "").replace(locale.decimal, ".")) * scale

    assert abs(read(shown[0]) / read(shown[1]) - first / second) < 0.005
    assert shown[0] in {fmt.amount_short(first, language, p) for p in (1, 2, 3)}
