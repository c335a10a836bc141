"""The portfolio notebook, executed as `kamkit run` executes it (a kept kernel): the whole
portfolio and one KAM's page, in English and Dutch, saying plainly when there is no
previous snapshot to compare with."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest
from notebook_run import run_kept

from kamkit.guide import guide_text
from kamkit.labels import t
from kamkit.report.portfolio import SECTIONS
from kamkit.workbook import load_workbook_cached

NOTEBOOK = "portfolio.ipynb"


@pytest.mark.parametrize("language", ["en", "nl"])
def test_whole_portfolio(language: str, kept_kernel, tmp_path: Path) -> None:
    html = run_kept(kept_kernel, NOTEBOOK, as_of="2026Q3", language=language,
                    snapshots=str(tmp_path), links={"MAAS": {"Analysis": "MAAS/a.html"}})
    assert escape(t("report.portfolio.title", language, quarter="2026Q3")) in html
    assert guide_text("portfolio", language) in html  # its guide speaks the language too
    for key in SECTIONS:
        shown = escape(t(f"section.{key}", language)) in html
        assert shown == (key != "pf_actions"), key  # a KAM's actions only on their page
    assert escape(t("report.portfolio.no_snapshot", language, quarter="2026Q2")) in html
    assert str(tmp_path) not in html  # a reader never sees a path of the machine
    assert '<a href="MAAS/a.html">Analysis</a>' in html
    for name in load_workbook_cached().accounts.query(
            "status in ['key_account', 'prospect']")["name"]:
        assert escape(name) in html


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_kams_page(language: str, kept_kernel) -> None:
    html = run_kept(kept_kernel, NOTEBOOK, as_of="2026-09-30", language=language, kam="P05")
    team = load_workbook_cached().team.set_index("person_id")["name"]
    assert escape(t("report.portfolio.kam_title", language, quarter="2026Q3",
                    kam=team["P05"])) in html
    assert escape(t("section.pf_actions", language)) in html
    accounts = load_workbook_cached().accounts
    theirs = accounts[(accounts["kam"] == "P05")
                      & accounts["status"].isin(["key_account", "prospect"])]["name"]
    others = accounts[(accounts["kam"] != "P05")
                      & accounts["status"].isin(["key_account", "prospect"])]["name"]
    assert all(escape(name) in html for name in theirs)
    assert not any(escape(name) in html for name in others)
    assert escape(t("report.portfolio.no_folder", language)) in html
