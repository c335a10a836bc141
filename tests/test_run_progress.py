"""kamkit run's progress lines (review 10, findings 3-5): in the summary's language, a
time estimate only once it means something, and after Ctrl-C of a --force run advice that
finishes the rest instead of making everything again."""

from __future__ import annotations

import io

import pytest

from kamkit.batch import runner
from kamkit.batch.definition import load_definition
from kamkit.errors import Interrupted


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _lines(language: str | None, warm: int, finished: list[float],
           monkeypatch: pytest.MonkeyPatch, environ: dict[str, str] | None = None) -> list[str]:
    """The progress lines of accounts A1, A2, ... finished at ``finished`` seconds."""
    clock = _Clock()
    monkeypatch.setattr(runner.time, "monotonic", clock)
    for name, value in (environ or {}).items():
        monkeypatch.setenv(name, value)
    stream = io.StringIO()
    progress = runner._Progress(len(finished), stream, warm=warm, language=language)
    for at, seconds in enumerate(finished, start=1):
        clock.now = 100.0 + seconds
        progress.update(f"A{at}", ok=at != 2)
    progress.close()
    return stream.getvalue().splitlines()


def test_no_estimate_until_each_workers_first_account_is_done(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # two workers: their first accounts take the kernels' start (3 s), the next 1 s each
    lines = _lines("en", 2, [3.0, 3.2, 4.2, 5.2, 6.2, 7.2], monkeypatch)
    assert lines[:2] == ["[1/6] A1 done; 0 failed so far", "[2/6] A2 FAILED; 1 failed so far"]
    # the pace since the warm accounts: 1 s per account, 3 left after the third
    assert lines[2] == "[3/6] A3 done; 1 failed so far, about 3 s left"
    assert lines[4] == "[5/6] A5 done; 1 failed so far, about 1 s left"
    assert lines[5] == "[6/6] A6 done; 1 failed so far, about 0 s left"


def test_one_worker_estimates_from_the_second_account_on(
        monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _lines("en", 1, [3.0, 4.0, 5.0, 6.0], monkeypatch)
    assert lines[0] == "[1/4] A1 done; 0 failed so far"  # was "about 9 s left": 3x too long
    assert lines[1] == "[2/4] A2 FAILED; 1 failed so far, about 2 s left"


def test_progress_in_the_terminals_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LANGUAGE", raising=False)
    lines = _lines(None, 1, [3.0, 4.0, 5.0], monkeypatch, {"KAMKIT_LANGUAGE": "nl"})
    assert lines == ["[1/3] A1 klaar; tot nu toe 0 mislukt",
                     "[2/3] A2 MISLUKT; tot nu toe 1 mislukt, nog ongeveer 1 s",
                     "[3/3] A3 klaar; tot nu toe 1 mislukt, nog ongeveer 0 s"]
    monkeypatch.setenv("KAMKIT_LANGUAGE", "")
    lines = _lines(None, 1, [3.0], monkeypatch, {"LANG": "nl_NL.UTF-8", "LC_ALL": ""})
    assert lines == ["[1/1] A1 klaar; tot nu toe 0 mislukt"]


@pytest.mark.parametrize(("force", "en", "nl"), [
    (False, "Run the same command again to finish the rest (the complete ones are skipped).",
     "Voer dezelfde opdracht opnieuw uit om de rest af te maken"),
    (True, "Run the same command without --force to finish the rest (the complete ones are "
     "skipped; with --force they would be made again).",
     "Voer dezelfde opdracht zonder --force uit om de rest af te maken"),
])
def test_the_advice_after_an_interrupted_run(force: bool, en: str, nl: str) -> None:
    definition = load_definition(None, {"quarter": "2026Q3", "force": force})
    said = Interrupted(runner._interrupted(definition, 12, 4)).words
    assert said.said("en") == f"interrupted: 4 of 12 accounts complete. {en}"
    assert nl in said.said("nl")
