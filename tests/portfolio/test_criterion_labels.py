"""A criterion's label names what its figure counts, so a reader who recomputes it from
the label gets the figure the report shows."""

from __future__ import annotations

import pytest

from kamkit.labels import LANGUAGES, t, words


def _plain(text: str) -> str:
    return text.lower().replace("-", " ")


@pytest.mark.parametrize("language", LANGUAGES)
def test_relationship_coverage_label_names_every_kind_of_contact_it_counts(
        language: str) -> None:
    """``key_contact_coverage`` counts decision makers and high-influence contacts (as A8
    does): a label naming decision makers alone made 2 of 3 covered deciders read as 67%
    where the report showed 40% (review 9)."""
    label = _plain(t("criterion.relationship_coverage", language))
    decider = _plain(words(["decision_maker"], "role.", language)[0])
    high = _plain(words(["high"], "influence.", language)[0])
    assert decider in label
    assert high in label
