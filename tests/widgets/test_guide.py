"""What a notebook tells its reader follows the session's language (review 10: a Dutch
session read the notebooks' Markdown in English): each guide in English and Dutch, the
workbench's guide changing with its language buttons, and the notebooks holding no text of
one language but a bilingual first line (shown before kamkit runs)."""

from __future__ import annotations

import re

import nbformat
import pytest
from notebook_run import NOTEBOOKS

from kamkit import KamkitError
from kamkit.guide import GUIDES, guide, guide_text
from kamkit.labels import t
from kamkit.widgets import Explorer, Guide


@pytest.mark.parametrize("name", GUIDES)
def test_every_guide_speaks_both_languages(name: str) -> None:
    english, dutch = guide_text(name, "en"), guide_text(name, "nl")
    assert english != dutch
    for text in (english, dutch):
        assert "{" not in text and "}" not in text  # every control's word filled in
    assert guide(name, "nl").data == dutch  # the Markdown a notebook shows


def test_the_workbench_guide_names_its_controls_in_the_language() -> None:
    for language in ("en", "nl"):
        text = guide_text("explore", language)
        for key in ("wb.account", "wb.as_of", "wb.view.portfolio", "wb.save", "wb.undo"):
            assert t(key, language) in text, (language, key)


def test_an_unknown_guide_or_language_is_a_clear_error() -> None:
    with pytest.raises(KamkitError, match="no notebook guide 'explorer'; there are: explore"):
        guide_text("explorer", "en")
    with pytest.raises(KamkitError):
        guide_text("explore", "de")


def test_the_workbench_guide_follows_the_language_buttons(demo) -> None:
    explorer = Explorer(demo, "MAAS", "2026Q3", "nl")
    shown = Guide("explore", explorer)

    def markdown() -> str:
        (output,) = shown.outputs
        return output["data"]["text/markdown"]

    assert markdown() == shown.text == guide_text("explore", "nl")
    explorer.language_picker.value = "en"
    assert markdown() == guide_text("explore", "en")
    explorer.language_picker.value = "nl"
    assert markdown() == guide_text("explore", "nl")


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_a_notebook_shows_its_guide_and_no_text_of_one_language(path) -> None:
    notebook = nbformat.read(path, as_version=4)
    markdown = [cell for cell in notebook.cells if cell.cell_type == "markdown"]
    # one first line in both languages, for the notebook not run yet; a report leaves it out
    assert [cell.source for cell in markdown] == [notebook.cells[0].source]
    assert "narrative" in notebook.cells[0].metadata.get("tags", [])
    assert "run all cells" in markdown[0].source and "Voer alle cellen uit" in markdown[0].source
    shows = [cell for cell in notebook.cells if cell.cell_type == "code"
             and re.search(rf'\b(?:guide|Guide)\("{path.stem}"', cell.source)]
    assert len(shows) == 1, path.name  # the notebook's guide, in the session's language
    if path.stem != "explore":  # the workbench is no report
        assert "narrative" in shows[0].metadata.get("tags", []), path.name
