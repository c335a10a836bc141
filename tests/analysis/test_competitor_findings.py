"""A7's sentences say which way a share went with a verb and the size without a sign:
"our own share fell by 4 pts" / "daalde met 4 %-punt", never "moved -4 pts" / "veranderde
met -4 %-punt" (review 9), and a verb that already says the direction ("gained") is not
followed by a "+"."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from kamkit.findings.analysis import competitors
from kamkit.labels import LANGUAGES

OURS = {  # our change in points -> how the sentence ends, per language
    -4.3: {"en": "our own share fell by 4 pts.", "nl": "ons eigen aandeel daalde met 4 %-punt."},
    2.6: {"en": "our own share rose by 3 pts.", "nl": "ons eigen aandeel steeg met 3 %-punt."},
    0.4: {"en": "our own share stayed the same.", "nl": "ons eigen aandeel bleef gelijk."},
    -0.4: {"en": "our own share stayed the same.", "nl": "ons eigen aandeel bleef gelijk."},
    None: {"en": "how our own share changed is not known.",
           "nl": "hoe ons eigen aandeel veranderde, is niet bekend."},
}
# a neutral verb before a signed figure, or a verb of direction before a "+"
SIGNED_AFTER_VERB = re.compile(
    r"\b(moved|changed( by)?|veranderde( met)?|gained|won \S+|rose( by)?|fell( by)?|"
    r"steeg( met)?|daalde( met)?) [+\-−±]\d")


def _overall(ours: float | None, gainer: float) -> pd.DataFrame:
    return pd.DataFrame({
        "holder": ["us", "NORD", "unknown"], "holder_name": ["us", "Nordclean", ""],
        "share_to": [0.45, 0.11, 0.2], "change_pts": [ours, gainer, 0.0]})


def _local(change: float) -> pd.DataFrame:
    return pd.DataFrame({"holder": ["NORD"], "holder_name": ["Nordclean"],
                         "location": ["Rotterdam"], "change_pts": [change]})


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("gainer", [4.6, 0.5])  # find.a7.gainer and find.a7.no_gainer
@pytest.mark.parametrize("ours", list(OURS))
def test_our_own_share_is_said_with_its_direction(language: str, gainer: float,
                                                  ours: float | None) -> None:
    said = competitors(_overall(ours, gainer), _local(6.2), 2023, 2025, language)
    assert said[0].endswith("; " + OURS[ours][language]), said[0]
    assert said[-1] == {"en": "In Rotterdam Nordclean gained 6 pts.",
                        "nl": "In Rotterdam won Nordclean 6 %-punt."}[language]
    for sentence in said:
        assert not SIGNED_AFTER_VERB.search(sentence), sentence
