"""The workbench notebook in JupyterLab speaks the session's language (review 10: a Dutch
session read its Markdown in English): run with ``language = "nl"``, its guide is Dutch,
rendered as Markdown above the workbench; a click on the English language button turns it
English, as the views."""

from __future__ import annotations

import json
from pathlib import Path

from lab import IN_LAB, Notebook, explore_notebook

from kamkit.guide import guide_text
from kamkit.locale import for_language

pytestmark = IN_LAB

HEADINGS = ("[...PANEL.node.querySelectorAll('.jp-OutputArea .jp-RenderedMarkdown h1')]"
            ".map(h => h.textContent)")


def _title(language: str) -> str:
    return guide_text("explore", language).splitlines()[0].removeprefix("# ")


def test_the_workbench_guide_speaks_the_session_language(
        lab_server, chromium, screenshots: Path) -> None:
    explore_notebook(lab_server.root, "book-guide", "guide.ipynb", language="nl")
    with Notebook.open(chromium, lab_server, "guide.ipynb") as page:
        page.run_all()
        shown = page.wait_for(f"(() => {{ const h = {HEADINGS}; return h.length && h; }})()",
                              120)
        page.evaluate("PANEL.content.widgets[2].node.scrollIntoView({block: 'start'})")
        page.screenshot(screenshots / "workbench-guide-nl.png", height=1200)
        english = for_language("en").name
        page.click("[...PANEL.node.querySelectorAll('.widget-toggle-button')]"
                   f".find(b => b.textContent.trim() === {json.dumps(english)})")
        switched = page.wait_for(f"(() => {{ const h = {HEADINGS}; "
                                 f"return h.some(t => t.includes({json.dumps(_title('en'))}))"
                                 " && h; })()", 60)
        page.screenshot(screenshots / "workbench-guide-en.png", height=1200)
        log = page.tab.log
    assert isinstance(shown, list) and len(shown) == 1 and _title("nl") in shown[0], shown
    assert isinstance(switched, list) and len(switched) == 1, switched
    assert log.exceptions == []
