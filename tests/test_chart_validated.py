"""The chart shapes validated are kept across processes: a shape validated once (in any
process with the same versions and code) is not validated again, and nothing else is
vouched for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import altair as alt
import pytest
from altair.utils import schemapi
from altair.utils.schemapi import SchemaValidationError, debug_mode

from kamkit import workbook_cache
from kamkit.charts import validated
from kamkit.charts.render import chart_spec


def points(colour: object) -> alt.Chart:
    return alt.Chart(alt.Data(values=[{"a": 1}])).mark_point(color=colour).encode(x="a:Q")


def bars(title: object) -> alt.Chart:
    return alt.Chart(alt.Data(values=[{"a": 1}])).mark_bar().encode(
        y=alt.Y("a:Q", title=title))


@pytest.fixture(autouse=True)
def new_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache folder of the test's own, and the state of a process that validated nothing."""
    monkeypatch.setenv(workbook_cache.FOLDER_VARIABLE, str(tmp_path / "cache"))
    monkeypatch.delenv(workbook_cache.CACHE_VARIABLE, raising=False)
    forget(monkeypatch)


def forget(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a new process knows: nothing, until it reads the file."""
    monkeypatch.setattr(validated, "_SEEN", set())
    monkeypatch.setattr(validated, "_READ", [False])


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The specs Altair validates against the schema from now on."""
    seen: list[object] = []
    altairs = schemapi.validate_jsonschema

    def counted(spec: object, *args: object, **kwargs: object) -> object:
        seen.append(spec)
        return altairs(spec, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(schemapi, "validate_jsonschema", counted)
    return seen


def kept_file() -> Path:
    return workbook_cache.user_cache() / validated.FOLDER / f"{validated.key()}.json"


def test_a_shape_validated_once_is_not_validated_again_in_a_new_process(
        monkeypatch: pytest.MonkeyPatch, validations: list[object]) -> None:
    with debug_mode(False):
        assert chart_spec(points("#123456")) == points("#123456").to_dict()
        assert validations
        forget(monkeypatch)
        validations.clear()
        assert chart_spec(points("#654321")) == points("#654321").to_dict(validate=False)
        assert validations == []  # same shape, other values: kept in the file
        chart_spec(bars("Revenue"))  # another shape: validated
        assert validations


def test_shapes_are_kept_for_their_versions_and_code_only(
        monkeypatch: pytest.MonkeyPatch, validations: list[object]) -> None:
    with debug_mode(False):
        chart_spec(points("#123456"))
        forget(monkeypatch)
        monkeypatch.setattr(validated, "key", lambda: "another-altair-or-kamkit")
        validations.clear()
        chart_spec(points("#123456"))
        assert validations  # kept under another key: validated again


def test_an_invalid_spec_raises_altairs_error_whatever_the_file_holds(
        monkeypatch: pytest.MonkeyPatch) -> None:
    with debug_mode(False):
        chart_spec(points("#123456"))
        forget(monkeypatch)
        with pytest.raises(SchemaValidationError) as altairs:
            points(12).to_dict()
        for _ in range(2):  # a number where a colour goes: a shape never validated
            with pytest.raises(SchemaValidationError) as raised:
                chart_spec(points(12))
            assert str(raised.value) == str(altairs.value)
    kept = json.loads(kept_file().read_text())
    assert kept["shapes"] == [validated.digest(points("#123456").to_dict())]


@pytest.mark.parametrize("content", [
    b"{not json", b"", b"\x00\xff" * 10, b"[]",
    json.dumps({"format": "kamkit-chart-shapes-1", "key": "another", "shapes": []}).encode(),
    json.dumps({"format": "kamkit-chart-shapes-0", "key": "KEY", "shapes": []}).encode(),
    json.dumps({"format": "kamkit-chart-shapes-1", "key": "KEY", "shapes": "all"}).encode(),
])
def test_a_damaged_or_foreign_file_is_ignored_and_rewritten(
        content: bytes, monkeypatch: pytest.MonkeyPatch, validations: list[object]) -> None:
    with debug_mode(False):
        shape = validated.digest(points("#123456").to_dict())
        file = kept_file()
        file.parent.mkdir(parents=True)
        file.write_bytes(content.replace(b"KEY", validated.key().encode()))
        chart_spec(points("#123456"))
        assert validations
        assert json.loads(file.read_text())["shapes"] == [shape]


def test_writers_merge_what_others_kept_meanwhile(monkeypatch: pytest.MonkeyPatch) -> None:
    with debug_mode(False):
        chart_spec(points("#123456"))
        other = "0" * 32  # a shape another kernel kept since this one read the file
        file = kept_file()
        kept = json.loads(file.read_text())
        file.write_text(json.dumps({**kept, "shapes": [*kept["shapes"], other]}))
        chart_spec(bars("Revenue"))
    assert set(json.loads(file.read_text())["shapes"]) == {
        validated.digest(points("#1").to_dict()), validated.digest(bars("R").to_dict()), other}


def test_the_newest_files_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    folder = workbook_cache.user_cache() / validated.FOLDER
    folder.mkdir(parents=True)
    for n in range(validated.KEEP + 2):
        (folder / f"old{n}.json").write_text("{}")
        os.utime(folder / f"old{n}.json", (n, n))
    chart_spec(points("#123456"))
    assert sorted(f.name for f in folder.glob("*.json")) == sorted(
        [kept_file().name, *(f"old{n}.json" for n in range(3, validated.KEEP + 2))])


def test_nothing_is_kept_with_the_cache_off(monkeypatch: pytest.MonkeyPatch,
                                            validations: list[object]) -> None:
    monkeypatch.setenv(workbook_cache.CACHE_VARIABLE, "0")
    with debug_mode(False):
        chart_spec(points("#123456"))
        assert validations
        validations.clear()
        chart_spec(points("#654321"))
        assert validations == []  # still once per process
    assert not (workbook_cache.user_cache() / validated.FOLDER).exists()


@pytest.mark.slow  # two interpreters importing Altair (about 1.5 s of CPU)
def test_a_new_process_does_not_validate_a_shape_a_process_validated(tmp_path: Path) -> None:
    """Also with another salt of Python's string hashes: a spec's digest (whose lists are
    taken as sets of shapes) does not depend on it."""
    code = textwrap.dedent("""
        import altair as alt
        from altair.utils import schemapi
        from kamkit.charts.render import chart_spec
        seen = []
        altairs = schemapi.validate_jsonschema
        schemapi.validate_jsonschema = lambda *a, **k: seen.append(1) or altairs(*a, **k)
        with schemapi.debug_mode(False):  # as the chart functions build
            chart_spec(alt.Chart(alt.Data(values=[{"a": 2}])).mark_point(color="#321")
                       .encode(x="a:Q"))
        print(len(seen))
        """)
    env = {**os.environ, workbook_cache.FOLDER_VARIABLE: str(tmp_path / "cache")}
    counts = [int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, env={**env, "PYTHONHASHSEED": seed}).stdout)
              for seed in ("1", "2")]
    assert counts[0] > 0 and counts[1] == 0
