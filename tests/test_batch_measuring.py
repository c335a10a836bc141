"""The run's portfolio measured once: in parallel processes it is the same measurement
(and so the same snapshot) as in one, a workbook changed meanwhile is measured here, and a
kernel takes the measurement handed to it only for the very files it was made from."""

from __future__ import annotations

import datetime as dt
import io
import json
import pickle
import shutil
from pathlib import Path

import pytest

from kamkit import analysis as an
from kamkit import portfolio as pf
from kamkit.batch import measured_cache, measuring
from kamkit.key_figures import account_key_figures
from kamkit.portfolio import assess
from kamkit.report import portfolio_data
from kamkit.report.portfolio_data import plan_rows, portfolio_table
from kamkit.workbook import (
    DEMO_WORKBOOK,
    load_workbook,
    load_workbook_cached,
    workbook_fingerprint,
)

pytestmark = pytest.mark.slow  # measures the demo portfolio, in processes of its own

DAY = dt.date(2026, 9, 30)


@pytest.fixture(autouse=True)
def _own_measurements(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with nothing measured or offered in this process, and leaves
    nothing offered to later tests."""
    monkeypatch.setattr(assess, "_MEMO", [])
    monkeypatch.setattr(assess, "_OFFERED", [])


def _same(one: assess.Measured, other: assess.Measured) -> None:
    assert one.figures == other.figures
    assert list(one.figures) == list(other.figures)  # in the accounts' order
    assert one.values == other.values
    assert json.dumps(one.largest, sort_keys=True) == json.dumps(other.largest, sort_keys=True)
    assert one.accounts.equals(other.accounts)


def test_measured_in_processes_is_the_same_measurement_and_snapshot(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(measuring, "PARALLEL_FROM", 2)
    monkeypatch.setattr(measured_cache, "read", lambda *_: None)  # measured, not kept ones
    alone = load_workbook(None)
    here = assess.measure(alone, DAY)
    apart = load_workbook(None)
    measured = measuring.measure_portfolio(apart, None, workbook_fingerprint(None), DAY, 2)
    _same(measured, here)
    assert assess.measure(apart, DAY).values is measured.values  # kept: the snapshot takes it
    # with the plans of the portfolio page's plan column, as it would compute them
    plans = plan_rows(alone, DAY, list(here.figures))
    assert measured.plans == plans and list(plans) == list(here.figures)
    assert measuring.measure_portfolio(alone, None, "", DAY, 1).plans == plans  # one process
    expected = portfolio_table(alone, DAY, list(here.figures))
    with monkeypatch.context() as kernel:  # as in a kernel the measurement is handed to
        kernel.setattr(assess, "_MEMO", [])
        assess.offer(lambda book, key: measured if book is apart else None)
        kernel.setattr(portfolio_data, "plan_row", lambda *_: pytest.fail("plan computed"))
        assert portfolio_table(apart, DAY, list(here.figures)).equals(expected)
    assert json.dumps(pf.snapshot(apart, DAY)) == json.dumps(pf.snapshot(alone, DAY))
    # the files changed since the run read them: the processes give nothing back and the
    # accounts are measured here, from the run's workbook
    other = load_workbook(None)
    again = measuring.measure_portfolio(other, None, "not these files", DAY, 2)
    _same(again, here)


def test_a_kernel_takes_the_measurement_only_for_the_same_files(tmp_path: Path) -> None:
    copy = tmp_path / "workbook"
    shutil.copytree(DEMO_WORKBOOK, copy, ignore=shutil.ignore_patterns(".*"))
    fingerprint = workbook_fingerprint(copy)
    measured = assess.measure(load_workbook(copy), DAY)
    file = measuring.hand_over(tmp_path, copy, fingerprint, measured)
    exec(measuring.prelude(file), {})  # what a kernel of the run runs once started
    kernel = load_workbook_cached(copy)  # as a report in the kernel loads it
    taken = assess.measure(kernel, DAY)
    assert taken.figures == measured.figures and taken is not measured  # (unpickled)
    assert assess.measure(kernel, DAY) is taken
    # another date, or other accounts, are measured as before
    assert assess.measure(kernel, dt.date(2026, 6, 30)).as_of == dt.date(2026, 6, 30)
    assert list(assess.measure(kernel, DAY, ["MAAS"]).figures) == ["MAAS"]
    # the workbook edited since: its kernel measures it itself
    sales = copy / "accounts.csv"
    sales.write_text(sales.read_text(encoding="utf-8").replace(
        "Maasport Logistics B.V.", "Maasport Logistiek B.V.", 1), encoding="utf-8")
    edited = load_workbook_cached(copy)
    assert edited is not kernel
    fresh = assess.measure(edited, DAY)
    assert fresh.accounts.loc[fresh.accounts["account_id"] == "MAAS", "name"].item() == \
        "Maasport Logistiek B.V."
    # a file that cannot be read leaves the kernel measuring as it would
    (tmp_path / measuring.HANDED).write_bytes(b"not a measurement")
    measuring.take(tmp_path / measuring.HANDED)
    measuring.take(tmp_path / "missing.pickle")


def test_the_portfolio_page_takes_the_measured_key_figures() -> None:
    """``portfolio_table`` and a run's index take the key figures the measurement computed:
    the same as computing them of the account cut off at the day."""
    workbook = load_workbook_cached()
    measured = assess.measure(workbook, DAY)
    for account_id, figures in measured.figures.items():
        assert figures == account_key_figures(an.cut_off(workbook.account(account_id), DAY),
                                              DAY), account_id


def test_a_cluster_worker_takes_the_measurement_for_the_shipped_workbook(
        tmp_path: Path) -> None:
    from kamkit.batch.shipping import _workbook_files
    from kamkit.workbook import ship_workbook

    workbook = load_workbook_cached()
    measured = assess.measure(workbook, DAY)
    file = measuring.hand_over(tmp_path, None, workbook_fingerprint(None), measured)
    shipped = ship_workbook(tmp_path / "elsewhere", _workbook_files(workbook))
    measuring.take_shipped(shipped, file.read_bytes())
    taken = assess.measure(shipped, DAY)
    assert taken is not measured and taken.values == measured.values
    assert assess.measure(shipped, DAY, ["MAAS"]) is not taken  # another key: measured


def test_a_run_hands_its_measurement_to_its_kernels(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """What a kernel of the run runs once started makes its reports' health take the run's
    measurement: the portfolio is not measured again (the workers stop the run here)."""
    from kamkit.batch import runner
    from kamkit.batch.definition import load_definition

    class Stop(Exception):
        pass

    seen: dict[str, object] = {}

    class Workers:  # in place of the run's worker processes, each with its kernel
        def __init__(self, setup: object, tasks: object, jobs: int) -> None:
            self.setup = seen["setup"] = setup  # started ahead, while the run measures

        def add(self, tasks: object) -> None:  # their kernels' first notebooks
            setup = seen["setup"]
            monkeypatch.setattr(assess, "_MEMO", [])  # a kernel's own process: nothing kept
            monkeypatch.setattr(assess, "_measure", lambda *_, **__: pytest.fail("measured"))
            exec(setup.kernel_prelude, {})  # type: ignore[attr-defined]
            seen["health"] = pf.health(load_workbook_cached(), DAY)  # as a report asks
            raise Stop

        def stop(self, now: bool) -> None:
            seen["stopped"] = now

    monkeypatch.setattr(runner, "_Workers", Workers)
    definition = load_definition(None, {"quarter": "2026Q3", "accounts": "MAAS",
                                        "output": str(tmp_path), "notebooks": "analysis"})
    with pytest.raises(Stop):
        runner.run(definition, io.StringIO())
    assert seen["setup"].measured is not None  # type: ignore[attr-defined]
    assert seen["setup"].ahead and seen["stopped"]  # type: ignore[attr-defined]
    assert "MAAS" in set(seen["health"]["account_id"])  # type: ignore[index]
    assert "measured in" in (tmp_path / "2026Q3" / "kamkit-run.log").read_text()


def _measured_by_a_run(copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       day: dt.date = DAY) -> assess.Measured:
    """What a run of the workbook at ``copy`` hands its kernels (``hand_over``), measured
    in that run (its workers stop it there), in a process that has measured nothing."""
    from kamkit.batch import runner
    from kamkit.batch.definition import load_definition

    class Stop(Exception):
        pass

    class Workers:  # in place of the run's worker processes
        def __init__(self, setup: object, tasks: object, jobs: int) -> None:
            self.setup = setup

        def add(self, tasks: object) -> None:
            file = self.setup.measured  # type: ignore[attr-defined]
            seen.append(pickle.loads(file.read_bytes()).measured)
            raise Stop

        def stop(self, now: bool) -> None:
            pass

    seen: list[assess.Measured] = []
    monkeypatch.setattr(runner, "_Workers", Workers)
    monkeypatch.setattr(assess, "_MEMO", [])
    definition = load_definition(None, {
        "quarter": f"{day.year}Q{(day.month - 1) // 3 + 1}", "accounts": "MAAS",
        "workbook": str(copy), "output": str(tmp_path / "reports"), "notebooks": "analysis",
        "as_of": day.isoformat()})
    with pytest.raises(Stop):
        runner.run(definition, io.StringIO())
    return seen[0]


def test_a_run_of_an_unchanged_workbook_takes_the_kept_measurement(
        tmp_path: Path, measurements: list[list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "workbook"
    shutil.copytree(DEMO_WORKBOOK, copy, ignore=shutil.ignore_patterns(".*"))
    first = _measured_by_a_run(copy, tmp_path, monkeypatch)
    assert len(measurements) == 1 and set(measurements[0]) == set(first.figures)
    again = _measured_by_a_run(copy, tmp_path, monkeypatch)  # nothing changed: not measured
    assert len(measurements) == 1
    _same(again, first)
    assert again.plans == first.plans and list(again.plans) == list(first.plans)
    assert again.criteria.equals(first.criteria)
    # the workbook edited: measured again, and so is another date
    sales = copy / "accounts.csv"
    sales.write_text(sales.read_text(encoding="utf-8").replace(
        "Maasport Logistics B.V.", "Maasport Logistiek B.V.", 1), encoding="utf-8")
    edited = _measured_by_a_run(copy, tmp_path, monkeypatch)
    assert len(measurements) == 2
    assert "Maasport Logistiek B.V." in set(edited.accounts["name"])
    _measured_by_a_run(copy, tmp_path, monkeypatch, dt.date(2026, 6, 30))
    assert len(measurements) == 3
    _measured_by_a_run(copy, tmp_path, monkeypatch)  # the edited workbook, kept
    assert len(measurements) == 3


def test_a_kept_measurement_that_cannot_be_trusted_is_measured_again(
        tmp_path: Path, measurements: list[list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "workbook"
    shutil.copytree(DEMO_WORKBOOK, copy, ignore=shutil.ignore_patterns(".*"))
    fingerprint = workbook_fingerprint(copy)
    first = measuring.measure_portfolio(load_workbook(copy, partial=True), copy, fingerprint,
                                        DAY, 1)
    places = measured_cache.folders(copy.resolve())
    entry = measured_cache.key(fingerprint, assess.measure_key(DAY))
    [file] = [folder / f"{entry}.json" for folder in places
              if (folder / f"{entry}.json").is_file()]
    text = file.read_text(encoding="utf-8")
    figure = f"{first.figures['MAAS']['revenue']!r}"
    for damaged in (text.replace(figure, figure[:-1] + "7", 1), text[:-10], "{}\n{}"):
        file.write_text(damaged, encoding="utf-8")
        monkeypatch.setattr(assess, "_MEMO", [])
        again = measuring.measure_portfolio(load_workbook(copy, partial=True), copy,
                                            fingerprint, DAY, 1)
        _same(again, first)
    assert len(measurements) == 4  # each damaged entry measured again (and kept again)
    # an entry without plans (as the test runs' shared entries are) is measured again
    measured_cache.write(places, entry, (first.figures, first.values), None)
    monkeypatch.setattr(assess, "_MEMO", [])
    again = measuring.measure_portfolio(load_workbook(copy, partial=True), copy, fingerprint,
                                        DAY, 1)
    assert len(measurements) == 5 and again.plans == first.plans
    # a run whose files changed since it took their fingerprint keeps nothing of them
    monkeypatch.setattr(assess, "_MEMO", [])
    measuring.measure_portfolio(load_workbook(copy, partial=True), copy, "other files", DAY, 1)
    assert not places[0].joinpath(
        f"{measured_cache.key('other files', assess.measure_key(DAY))}.json").exists()
