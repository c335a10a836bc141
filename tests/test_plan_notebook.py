"""The account plan notebook, executed with papermill: every demo account in both
languages, and the demo's plan stories checked against figures worked out here from the
CSV and YAML files."""

from __future__ import annotations

import datetime as dt
import re
from html import escape
from pathlib import Path

import demo_facts as facts
import pytest
from notebook_run import (
    charts,
    execute,
    report_in_kept_kernel,
    run_kept,
    shown_without_errors,
)

from kamkit import formatting
from kamkit.labels import t
from kamkit.report.plan import SECTIONS
from kamkit.workbook import load_workbook_cached

NOTEBOOK = "account_plan.ipynb"
AS_OF = "2026Q3"
ACCOUNTS = facts.account_ids()


def run(account_id: str, tmp_path: Path, language: str = "en") -> str:
    return shown_without_errors(NOTEBOOK, tmp_path / f"{account_id}.ipynb",
                                account_id=account_id, as_of=AS_OF, language=language)


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("account_id", ACCOUNTS)
def test_runs_for_every_demo_account(account_id: str, language: str, kept_kernel) -> None:
    """Through a kept kernel, as `kamkit run` does; the story tests below use plain papermill."""
    html = report_in_kept_kernel(kept_kernel, NOTEBOOK, SECTIONS, account_id, AS_OF,
                                 language)
    if load_workbook_cached().account(account_id).document is None:
        assert escape(t("report.plan.none", language)) in html


def test_off_track_account_shows_its_figures(tmp_path: Path) -> None:
    """MAAS: revenue January-September 2026 against the plan's targets for those months."""
    html = run("MAAS", tmp_path)
    actual = facts.sold("MAAS", "2026-01", "2026-09")
    monthly = facts.monthly_targets("MAAS")
    assert monthly, "the MAAS plan phases its targets by month"
    planned = sum(v for month, v in monthly.items() if month <= "2026-09")
    assert formatting.number(actual, "en") in html
    assert formatting.number(planned, "en") in html
    achieved = actual / planned
    assert achieved < 0.90  # below the off-track threshold
    assert f": {t('status.off_track', 'en')}." in html  # the finding's verdict
    assert f"({formatting.share(achieved, 'en')} of plan)" in html


def test_on_track_account(tmp_path: Path) -> None:
    html = run("VDIJK", tmp_path, "nl")
    assert f": {t('status.on_track', 'nl')}." in html  # the finding's verdict
    assert len(charts_of("VDIJK", tmp_path)) >= 3  # progress, actions, plan vs actual


def charts_of(account_id: str, tmp_path: Path) -> list[dict]:
    notebook = execute(NOTEBOOK, tmp_path / "c.ipynb", account_id=account_id, as_of=AS_OF)
    return charts(notebook)


def test_non_smart_objective_is_named_with_its_reason(tmp_path: Path) -> None:
    """NOVA OB2 asks more pest-control revenue than the account spends on it at all."""
    objective, wallet = facts.objective_and_wallet("NOVA", "OB2", 2026)
    assert objective["target"] > wallet
    html = run("NOVA", tmp_path)
    shown = re.sub(r"<[^>]+>", "", html)  # amounts sit in spans that keep them on one line
    assert escape(t("smart.reason.target_above_wallet", "en",
                    wallet=formatting.amount_short(wallet, "en"))) in shown


def test_overdue_and_unowned_actions_are_flagged(tmp_path: Path) -> None:
    for account_id in ("BRAVO", "ATLAS"):
        overdue = facts.overdue_actions(account_id, dt.date(2026, 9, 30))
        unowned = facts.unowned_actions(account_id)
        html = run(account_id, tmp_path)
        if overdue:
            assert t("find.p4.overdue", "en", ids=", ".join(overdue)) in html
        else:
            assert t("find.p4.overdue", "en", ids="") not in html
        for action_id in unowned:
            assert t("find.p4.no_owner", "en", ids=action_id) in html


def test_prospect_without_plan_gets_the_inputs_to_write_one(tmp_path: Path) -> None:
    html = run("GRID", tmp_path)
    assert escape(t("report.plan.none", "en")) in html
    assert escape(t("find.p2.baselines", "en", year=2025)) in html  # baselines table
    assert t("section.p3_mix", "en") in html and "Office cleaning" in html  # open wallet


def test_status_thresholds_are_parameters(kept_kernel) -> None:
    """MAAS is at 87% of plan: off track by default, on track when 85% is enough."""
    html = run_kept(kept_kernel, NOTEBOOK, account_id="MAAS", as_of=AS_OF,
                    at_risk_below=0.85, off_track_below=0.80)
    assert f": {t('status.on_track', 'en')}." in html  # the finding's verdict
    assert f": {t('status.off_track', 'en')}." not in html
    assert "on track from 85%, at risk from 80%" in html
