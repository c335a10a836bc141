"""Two consecutive quarters run on the demo, as management gets them: the portfolio report is
each quarter's entry page in every language of the run, the second quarter's portfolio and
account summaries show what changed since the first quarter's snapshot, re-running the old
quarter leaves the later one alone, and the entry page opens offline in Chromium, sorts,
and leads to an account's report. A portfolio that cannot be made leaves the plain index."""

from __future__ import annotations

import json
import re
import shutil
from html import escape
from pathlib import Path

import pytest
from browser import CHROMIUM, Chromium

from kamkit.batch.definition import NOTEBOOK_FOLDER
from kamkit.batch.layout import INDEX, PORTFOLIO_STAMP, SNAPSHOT
from kamkit.cli import main
from kamkit.labels import t

pytestmark = pytest.mark.notebook  # `kamkit run` starts kernels

ACCOUNTS = "MAAS,KRONE"
COMMON = ["--accounts", ACCOUNTS, "--notebooks", "analysis", "--language", "en,nl",
          "--jobs", "2", "--report-date", "2026-10-01"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2026Q2 then 2026Q3 of two accounts in English and Dutch, into one output folder."""
    out = tmp_path_factory.mktemp("outputs")
    for quarter in ("2026Q2", "2026Q3"):
        assert main(["run", "--quarter", quarter, "--output", str(out), *COMMON]) == 0
    return out


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_portfolio_is_the_entry_page_in_every_language(runs: Path) -> None:
    quarter = runs / "2026Q3"
    en, nl = read(quarter / INDEX), read(quarter / "index.nl.html")
    assert "<h1>Portfolio 2026Q3</h1>" in en and "<h1>Portefeuille 2026Q3</h1>" in nl
    for language, page in (("en", en), ("nl", nl)):
        for key in ("pf_totals", "pf_attention", "pf_matrix", "pf_accounts", "pf_prospects"):
            assert escape(t(f"section.{key}", language)) in page
        links = set(re.findall(r'href="([^"#]+)"', page))
        assert {f"MAAS/analysis.{language}.html", f"KRONE/analysis.{language}.html"} <= links
        assert all((quarter / link).is_file() for link in links)
        assert "<script>" in page and "table.kk-sortable" in page  # sorts, offline
        assert not re.findall(r'(?:src|href)="https?://', page)
    assert 'href="index.nl.html">Nederlands</a>' in en and 'href="index.html">English</a>' in nl
    # each language's reports lead back to their own entry page
    assert 'href="../index.nl.html"' in read(quarter / "MAAS" / "analysis.nl.html")
    record = json.loads(read(quarter / PORTFOLIO_STAMP))
    assert record["reports"] == {"portfolio.en": INDEX, "portfolio.nl": "index.nl.html"}


def test_second_quarter_shows_what_changed_since_the_first(runs: Path) -> None:
    q2, q3 = runs / "2026Q2", runs / "2026Q3"
    first = json.loads(read(q2 / SNAPSHOT))
    second = json.loads(read(q3 / SNAPSHOT))
    assert (first["as_of"], second["as_of"]) == ("2026-06-30", "2026-09-30")
    assert set(first["accounts"]) == set(second["accounts"]) == {"MAAS", "KRONE"}
    # the first quarter had nothing to compare with, and says so
    assert escape(t("report.portfolio.no_snapshot", "en", quarter="2026Q1")) in read(q2 / INDEX)
    assert str(runs.resolve()) not in read(q2 / INDEX)
    page = read(q3 / INDEX)
    page = page[page.index('id="kk-pf_changes"'):]
    assert "Compared with the snapshot of 2026Q2" in page
    maas_before = first["accounts"]["MAAS"]["health"]["score"]
    maas_after = second["accounts"]["MAAS"]["health"]["score"]
    assert round(maas_before) != round(maas_after)  # the demo's MAAS slides
    row = re.search(r"<tr><td[^>]*>Maasport Logistics B\.V\.</td><td[^>]*>(.*?)</td>", page)
    assert row is not None and f"health {round(maas_before)} → {round(maas_after)}" in row[1]
    # and the account's own summary says it first, on its first screen
    report = read(q3 / "MAAS" / "analysis.en.html")
    summary = report[report.index('id="kk-summary"'):report.index('class="kk-toc"')]
    assert "Since 2026Q2:" in summary and f"health {round(maas_before)} → " in summary
    assert "since 2026Q2" in summary  # the health figure's note
    assert "Sinds 2026Q2:" in read(q3 / "MAAS" / "analysis.nl.html")
    assert "Since 2026Q2" not in read(q2 / "MAAS" / "analysis.en.html")


def test_rerunning_the_old_quarter_leaves_the_later_one(runs: Path,
                                                         capsys: pytest.CaptureFixture) -> None:
    later = (runs / "2026Q3" / SNAPSHOT).read_bytes()
    later_page = (runs / "2026Q3" / INDEX).read_bytes()
    assert main(["run", "--quarter", "2026Q2", "--output", str(runs), "--force",
                 *COMMON[:1], "KRONE", *COMMON[2:]]) == 0
    capsys.readouterr()
    assert (runs / "2026Q3" / SNAPSHOT).read_bytes() == later
    assert (runs / "2026Q3" / INDEX).read_bytes() == later_page
    # the old quarter's snapshot keeps MAAS's entry as reported then
    assert set(json.loads(read(runs / "2026Q2" / SNAPSHOT))["accounts"]) == {"MAAS", "KRONE"}


def test_a_portfolio_that_fails_leaves_the_plain_index(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture) -> None:
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(NOTEBOOK_FOLDER / "account_analysis.ipynb", notebooks)
    broken = json.loads(read(NOTEBOOK_FOLDER / "portfolio.ipynb"))
    broken["cells"][2]["source"] = ["raise RuntimeError('no portfolio today')"]
    (notebooks / "portfolio.ipynb").write_text(json.dumps(broken), encoding="utf-8")
    definition = tmp_path / "run.yaml"
    definition.write_text(f"quarter: 2026Q3\nnotebook_folder: {notebooks}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(definition), "--accounts", "MAAS", "--notebooks", "analysis",
                 "--jobs", "1", "--output", str(out)]) == 1
    assert "FAILED portfolio portfolio: RuntimeError: no portfolio today" in \
        capsys.readouterr().out
    index = read(out / "2026Q3" / INDEX)
    assert 'class="kk-index"' in index and 'href="MAAS/analysis.html"' in index
    # management is told that this list stands in for the portfolio page, and why
    assert escape(t("batch.index.portfolio_failed", "en",
                    reason="RuntimeError: no portfolio today")) in index
    assert (out / "2026Q3" / "portfolio.failed.ipynb").is_file()


SORTED = """(() => {
  const table = document.querySelector('table.kk-sortable');
  const column = [...table.tHead.rows[0].cells].findIndex(th => th.textContent.startsWith(%s));
  table.tHead.rows[0].cells[column].click();
  const values = [...table.tBodies[0].rows].map(r => r.cells[column].dataset.value);
  return {sort: table.tHead.rows[0].cells[column].getAttribute('aria-sort'),
          values, first: table.tBodies[0].rows[0].id};
})()"""


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (CI installs it: "
                    "see .ci/run; locally `apt-get install chromium`)")
def test_entry_page_sorts_offline_and_leads_to_an_account(runs: Path, tmp_path: Path) -> None:
    page = runs / "2026Q3" / INDEX
    with Chromium() as browser:
        tab = browser.open(page.as_uri())
        tab.wait_for("document.querySelector('table.kk-sortable th[role=button]') !== null")
        revenue = json.dumps(t("batch.col.revenue", "en", year=2025))
        down = tab.evaluate(SORTED % revenue)
        numbers = [float(v) for v in down["values"] if v]
        assert down["sort"] == "descending" and numbers == sorted(numbers, reverse=True)
        assert len(numbers) >= 12  # every key account has revenue
        assert down["values"][-1] == ""  # prospects without revenue sort last
        up = tab.evaluate(SORTED % revenue)
        assert up["sort"] == "ascending"
        assert [float(v) for v in up["values"] if v] == sorted(numbers)
        tab.screenshot(tmp_path / "portfolio.png", 2000)
        # follow the link to MAAS's analysis from its row
        tab.evaluate("document.querySelector('#kk-account-MAAS a').click()")
        tab.wait_for("location.href.endsWith('MAAS/analysis.en.html')"
                     " && document.getElementById('kk-summary') !== null")
        assert tab.evaluate("document.querySelector('h1').textContent") == \
            "Account analysis: Maasport Logistics B.V."
        assert tab.log.faults() == []


def test_partial_runs_link_every_report_and_say_what_could_not_be_made(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """The quarter in English with KRONE's plan failing, then MAAS alone in English and
    Dutch: each entry page links every report there is in its language, MAAS's English
    files of the first run are replaced (and said so), and the management page says which
    report could not be made, without the error or a path."""
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOK_FOLDER, notebooks)
    plan = json.loads(read(notebooks / "account_plan.ipynb"))
    plan["cells"].insert(2, {"cell_type": "code", "execution_count": None, "id": "fail",
                             "metadata": {}, "outputs": [], "source": [
                                 'if account_id == "KRONE":\n',
                                 '    raise RuntimeError("made to fail")']})
    (notebooks / "account_plan.ipynb").write_text(json.dumps(plan), encoding="utf-8")
    definition = tmp_path / "run.yaml"
    definition.write_text(f"quarter: 2026Q3\nnotebook_folder: {notebooks}\n", encoding="utf-8")
    out = tmp_path / "out"
    quarter = out / "2026Q3"
    common = ["run", str(definition), "--output", str(out), "--jobs", "2"]
    assert main([*common, "--accounts", ACCOUNTS, "--language", "en"]) == 1
    capsys.readouterr()
    line = escape(t("report.portfolio.not_made", "en", report="Plan",
                    account="Kronenberg Chemie GmbH (KRONE)"))
    first = read(quarter / INDEX)
    assert "<h1>Portfolio 2026Q3</h1>" in first and line in first
    assert "made to fail" not in first and "RuntimeError" not in first
    assert str(tmp_path) not in first and "failed.ipynb" not in first

    assert main([*common, "--accounts", "MAAS", "--language", "en,nl"]) == 0
    said = capsys.readouterr().out
    assert "MAAS: analysis.en.html replaces analysis.html of an earlier run" in said
    assert "No nl reports of 1 account this quarter (KRONE)" in said
    assert not (quarter / "MAAS" / "analysis.html").exists()
    en, nl = read(quarter / INDEX), read(quarter / "index.nl.html")
    links = set(re.findall(r'href="([^"#]+)"', en))
    assert {"MAAS/analysis.en.html", "MAAS/plan.en.html", "KRONE/analysis.html"} <= links
    assert all((quarter / link).is_file() for link in links)
    assert line in en  # KRONE's plan is still missing this quarter
    assert {"MAAS/analysis.nl.html", "MAAS/plan.nl.html"} <= set(
        re.findall(r'href="([^"#]+)"', nl))
    assert "KRONE/" not in nl
