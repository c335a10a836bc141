"""The labels table is complete in both languages; numbers read right in each."""

from __future__ import annotations

import math

import pytest

from kamkit import KamkitError
from kamkit import formatting as fmt
from kamkit.labels import LANGUAGES, labels, placeholders, t


def test_every_label_has_every_language_with_the_same_placeholders() -> None:
    for key, texts in labels().items():
        assert set(texts) == set(LANGUAGES), key
        assert all(texts[lang].strip() for lang in LANGUAGES), key
        assert placeholders(texts["en"]) == placeholders(texts["nl"]), key


def test_label_lookup_fills_values() -> None:
    assert t("report.analysis.title", "nl", account="Maasport") == "Accountanalyse: Maasport"
    with pytest.raises(KamkitError, match="Unknown language"):
        t("section.a1", "de")
    with pytest.raises(KamkitError, match="No label"):
        t("no.such.key", "en")


@pytest.mark.parametrize(("value", "language", "expected"), [
    (1234567.8, "en", "EUR 1,234,568"),
    (1234567.8, "nl", "€ 1.234.568"),
    (-2500, "en", "-EUR 2,500"),
    (None, "en", "n/a"),
    (math.nan, "nl", "n.b."),
])
def test_eur(value, language, expected) -> None:
    assert fmt.eur(value, language) == expected


def test_short_amounts_percentages_and_points() -> None:
    assert fmt.eur_short(1_250_000, "en") == "EUR 1.2m"
    assert fmt.eur_short(1_250_000, "nl") == "€ 1,2 mln"
    assert fmt.eur_short(350_400, "en") == "EUR 350k"
    assert fmt.pct(0.3456, "nl", 1) == "34,6%"
    assert fmt.pct(0.27) == "27%"
    assert fmt.points(-7.0) == "-7 pts"
    assert fmt.points(6.4, "nl") == "+6 ptn"
    assert fmt.points(0.0) == "±0 pts"
    assert fmt.points(-0.3) == "±0 pts"  # rounds to no change, never "-0"
