"""The workbench in a real JupyterLab (started by the test on 127.0.0.1, Debian's Chromium,
every other host unreachable): explore.ipynb runs, another account is picked by typing into
the widget, the views follow, and an objective is edited and saved through the editor."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

import yaml
from browser import PageError
from lab import IN_LAB, Notebook, explore_notebook

import kamkit
from kamkit.labels import t
from kamkit.scoring import DEFAULT_CRITERIA
from kamkit.widgets.explorer import account_choices, first_account

pytestmark = IN_LAB

CARD = "(document.querySelector('.kk-account-card h3') || {}).textContent"
VEGA_DRAWN = ("[...document.querySelectorAll('.vega-embed svg')]"
              ".filter(s => s.getBoundingClientRect().width > 50).length")


def _js(value: str) -> str:
    return json.dumps(value)


def _field(item: str, field: str) -> str:
    """The input of ``field`` in the form row whose id is ``item``."""
    return (f"[...document.querySelectorAll('.kk-row')].filter(r => {{"
            f"const id = r.querySelector('.kk-field-id input'); return id && id.value === "
            f"{_js(item)}; }}).map(r => r.querySelector('.kk-field-{field} input'))"
            f".filter(Boolean)[0]")


def _click_text(selector: str, text: str) -> str:
    return (f"[...document.querySelectorAll({_js(selector)})].find(e => e.textContent.trim()"
            f" === {_js(text)})")


def _pick(page: Notebook, account: str) -> None:
    """Pick ``account`` as a person does: click the picker, clear it, type its id, Enter."""
    picker = "document.querySelector('.kk-account-picker input')"
    page.click(picker)
    page.evaluate(f"{picker}.select()")
    page.tab.press("Backspace")
    page.tab.type(account)
    page.tab.press("Enter")


def test_pick_another_account_then_edit_and_save_an_objective(
        lab_server, chromium, screenshots: Path) -> None:
    book = explore_notebook(lab_server.root, "book", "explore.ipynb")
    workbook = kamkit.load_workbook(book)
    choices = account_choices(workbook, "en")
    first = first_account(workbook)  # account_id = None: the first key account (MAAS)
    delta = next(label for label, account in choices.items() if account == "DELTA")
    figures = workbook.key_figures("2026Q3").set_index("account_id")

    with Notebook.open(chromium, lab_server, "explore.ipynb") as page:
        page.run_all()
        page.wait_for(f"{CARD} === {_js(workbook.account(first).account.name)}", 180)
        page.wait_for(f"{VEGA_DRAWN} >= 2", 120)  # the wallet view's charts
        page.screenshot(screenshots / "workbench-first.png", height=1800)

        _pick(page, "DELTA")
        picker = "document.querySelector('.kk-account-picker input')"
        page.wait_for(f"{CARD} === {_js(workbook.account('DELTA').account.name)}", 120)
        page.wait_for(f"{picker}.value === {_js(delta)}", 60)  # the whole option shown
        revenue = f"EUR\u00a0{figures.loc['DELTA', 'revenue']:,.0f}"
        page.wait_for(f"document.querySelector('.kk-account-card').textContent"
                      f".includes({_js(revenue)})", 60)
        page.wait_for(f"{VEGA_DRAWN} >= 2", 120)
        page.screenshot(screenshots / "workbench-delta.png", height=1800)

        # open the editors, the objectives tab, change a target, save
        header = _click_text(".jupyter-widget-Collapse-header",
                             t("wb.edit_title", "en", account="DELTA"))
        page.wait_for(f"!!({header})", 60)  # the title follows the account
        page.click(header)
        page.wait_for(f'!!({_click_text(".lm-TabBar-tab .lm-TabBar-tabLabel", "Objectives")})',
                      120)
        page.open_tab("Objectives")
        plan = workbook.documents["DELTA"].plan
        objective = next(o for o in plan.objectives if o.target is not None)
        target = _field(objective.id, "target")
        page.wait_for(f"!!({target})", 60)
        new_target = objective.target + 1
        page.click(target)
        page.evaluate(f"{target}.select()")
        page.tab.type(f"{new_target:g}")
        page.wait_for("[...document.querySelectorAll('.kk-row')].some(r => "
                      "r.textContent.includes('SMART'))", 60)
        _save_visible(page)
        page.screenshot(screenshots / "workbench-saved.png", height=1800)
        log = page.tab.log

    saved = yaml.safe_load((book / "documents" / "DELTA.yaml").read_text(encoding="utf-8"))
    assert next(o for o in saved["plan"]["objectives"]
                if o["id"] == objective.id)["target"] == new_target
    assert "DELTA" in (book / "kamkit-changes.csv").read_text(encoding="utf-8")
    assert log.faults(console=False) == []


def _visible(selector: str) -> str:
    """The elements matching ``selector`` that are shown (not in a hidden tab)."""
    return (f"[...document.querySelectorAll({_js(selector)})]"
            ".filter(e => e.offsetParent !== null)")


def _set_text(page: Notebook, element: str, text: str) -> None:
    """Replace what an input or text area holds by ``text``, typed as a person types it."""
    page.wait_for(f"!!({element})", 60)
    page.click(element)
    page.evaluate(f"{element}.select()")
    page.tab.type(text)


def _save_visible(page: Notebook) -> None:
    # every keystroke is checked in the kernel (Save is disabled while the weights do not add
    # up): click once the kernel has caught up with the typing, as a person would see it
    page.wait_idle(120)
    page.wait_for(f"!{_visible('.kk-save')}[0].disabled", 60)
    page.click(f"{_visible('.kk-save')}[0]")
    page.wait_for(f"{_visible('.kk-save-message')}.some(m => m.textContent.includes('Saved'))",
                  90)


def test_team_judgements_criteria_and_the_score_tab(lab_server, chromium,
                                                    screenshots: Path) -> None:
    """The newer tabs: a team member's role edited and saved (only its line of the YAML
    changes), a judgement and two weights saved to their CSV files, and the Score tab naming
    its criteria and following the judgement."""
    book = explore_notebook(lab_server.root, "book2", "explore2.ipynb")
    workbook = kamkit.load_workbook(book)
    account = first_account(workbook)  # what the notebook opens with
    document = book / "documents" / f"{account}.yaml"
    before = document.read_text(encoding="utf-8")
    member = workbook.documents[account].plan.team[0]
    judgements = workbook.table("judgements")
    ours = judgements[judgements.account_id == account].reset_index(drop=True)
    judged = ours.loc[0, "criterion"]
    wallet = next(i for i, c in enumerate(DEFAULT_CRITERIA)
                  if c[:2] == ("attractiveness", "wallet"))
    growth = next(i for i, c in enumerate(DEFAULT_CRITERIA)
                  if c[:2] == ("attractiveness", "wallet_growth"))
    tab = ".lm-TabBar-tab .lm-TabBar-tabLabel"

    with Notebook.open(chromium, lab_server, "explore2.ipynb") as page:
        page.run_all()
        page.wait_for(f"{CARD} === {_js(workbook.account(account).account.name)}", 180)

        # the Score tab: criteria by their names, the quadrant by its label
        page.open_tab("Score")
        score = "(document.querySelector('.kk-score') || {textContent: ''}).textContent"
        page.wait_for(f"{score}.includes('strategic fit')", 120)
        shown = page.evaluate(score)
        assert "strategic_fit" not in shown and "(quadrant: " in shown
        assert not re.search(r"\(quadrant: (invest|develop|maintain|opportunistic)\)", shown)
        page.screenshot(screenshots / "workbench-score.png", height=1800)

        # the plan team: a role, saved into the document
        header = _click_text(".jupyter-widget-Collapse-header",
                             t("wb.edit_title", "en", account=account))
        page.wait_for(f"!!({header})", 60)
        page.click(header)
        page.wait_for(f"!!({_click_text(tab, 'Team')})", 120)
        page.open_tab("Team")
        new_role = "Key account manager: owns the plan, edited in the browser"
        _set_text(page, f"{_visible('.kk-field-role textarea')}[0]", new_role)
        _save_visible(page)
        page.screenshot(screenshots / "workbench-team-saved.png", height=1800)
        # the save reloads the forms: the user stays on the tab they were on
        assert page.evaluate(f"{_visible('.kk-field-role textarea')}.length") > 0

        # a judgement, saved into judgements.csv; the Score tab follows
        page.open_tab("Judgements")
        _set_text(page, f"{_visible('.kk-field-score input')}[0]", "2")
        _save_visible(page)
        page.screenshot(screenshots / "workbench-judgement-saved.png", height=1800)

        # two weights of the portfolio's criteria: 100 in all before and after
        page.open_tab("Criteria and weights (all accounts)")
        weights = _visible(".kk-field-weight input")
        page.wait_for(f"{weights}.length > {max(wallet, growth)}", 120)
        _set_text(page, f"{weights}[{wallet}]", f"{DEFAULT_CRITERIA[wallet][2] + 5:g}")
        _set_text(page, f"{weights}[{growth}]", f"{DEFAULT_CRITERIA[growth][2] - 5:g}")
        _save_visible(page)
        page.screenshot(screenshots / "workbench-criteria-saved.png", height=1800)

        page.open_tab("Score")
        page.wait_for(f"{score}.includes('strategic fit')", 60)
        log = page.tab.log

    after = document.read_text(encoding="utf-8")
    changed = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                     lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert [line[:11] for line in changed] == ["-    role: ", "+    role: "], changed
    assert yaml.safe_load(changed[0][1:])["role"] == member.role
    assert yaml.safe_load(changed[1][1:])["role"] == new_role  # only its line changed
    assert yaml.safe_load(after)["plan"]["team"][0]["role"] == new_role
    saved = kamkit.load_workbook(book)
    table = saved.table("judgements")
    scores = table[(table.account_id == account) & (table.criterion == judged)]["score"]
    assert scores.tolist() == [2]
    criteria = saved.table("criteria").set_index(["axis", "criterion"])["weight"]
    assert criteria[("attractiveness", "wallet")] == DEFAULT_CRITERIA[wallet][2] + 5
    assert criteria[("attractiveness", "wallet_growth")] == DEFAULT_CRITERIA[growth][2] - 5
    assert log.faults(console=False) == []


def test_what_is_typed_into_the_forms_of_the_account_before_while_the_next_loads_is_kept(
        lab_server, chromium, screenshots: Path) -> None:
    """The browser sends edits and a Save click to MAAS's forms while the kernel builds
    DELTA's editors: they are greyed out under "Loading DELTA...", and what still reaches
    them is saved to MAAS and said, not lost. Then the portfolio table and the Dutch A5
    legend fit the notebook beside the file browser."""
    # DELTA's views take 6 s to draw, as a large account's do on a busy machine: the kernel
    # is busy while the browser sends its edits (kamkit draws the demo's quicker than a test
    # types, and builds the first tab of the editors only)
    slow = ("import time\n"
            "workbench.explorer.observe_account(lambda: time.sleep(6) if "
            "workbench.explorer.account_id == 'DELTA' else None, before=True)")
    book = explore_notebook(lab_server.root, "book3", "explore3.ipynb", extra_cell=slow)
    workbook = kamkit.load_workbook(book)
    late = "Typed into MAAS's form while DELTA loads"
    first_action = "[...document.querySelectorAll('.kk-field-what textarea')][0]"
    note = "[...document.querySelectorAll('.kk-editor-note')].map(e => e.innerText).join('')"
    title = ("[...document.querySelectorAll('.jupyter-widget-Collapse-header')]"
             ".map(e => e.textContent.trim()).join('|')")
    with Notebook.open(chromium, lab_server, "explore3.ipynb") as page:
        page.run_all()
        page.wait_for(f"{CARD} === {_js(workbook.account('MAAS').account.name)}", 180)
        page.wait_for(f"{VEGA_DRAWN} >= 2", 120)
        header = _click_text(".jupyter-widget-Collapse-header",
                             t("wb.edit_title", "en", account="MAAS"))
        page.wait_for(f"!!({header})", 60)
        page.click(header)
        page.wait_for(f'!!({_click_text(".lm-TabBar-tab .lm-TabBar-tabLabel", "Actions")})',
                      120)
        page.open_tab("Actions")
        page.wait_for(f"!!({first_action})", 60)
        _pick(page, "DELTA")
        page.wait_for("!!document.querySelector('.kk-stale')", 60)  # at once, not after views
        assert "Loading DELTA" in page.evaluate(note)
        assert "Edit MAAS" in page.evaluate(title)  # the title changes with the forms
        page.screenshot(screenshots / "workbench-switch-loading.png", height=1400)
        # keyboard focus still there (or a script): typed and Save clicked all the same
        page.evaluate(f"{first_action}.focus(); {first_action}.select()")
        page.tab.type(late)
        # a click moves the focus first: the text goes out before the click, as in a person's
        # click on Save (here in script, as the greyed-out forms take no mouse)
        page.evaluate(f"{first_action}.blur(); {_visible('.kk-save')}[0].click()")
        try:
            page.wait_for(f"{note}.includes('MAAS: Saved: 1 change in documents/MAAS.yaml')",
                          240)
        except PageError as error:
            raise AssertionError(f"{page.evaluate(note)!r} | {page.evaluate(title)!r}"
                                 ) from error
        page.wait_for(f"{title}.includes('Edit DELTA') && !document.querySelector('.kk-stale')",
                      120)
        page.screenshot(screenshots / "workbench-switch-saved.png", height=1400)

        page.open_tab("Portfolio")
        table = "document.querySelector('.kk-sortable')"
        page.wait_for(f"!!{table} && {table}.tBodies[0].rows.length > 20", 300)
        page.wait_idle(60)
        fits = (f"{table}.getBoundingClientRect().right <= "
                f"{table}.closest('.lm-Widget.widget-box').getBoundingClientRect().right + 1")
        page.screenshot(screenshots / "workbench-portfolio.png", height=1400)
        assert page.evaluate(fits), "the portfolio table is wider than the notebook"
        page.open_tab("Spend and share")
        page.evaluate(f"{_click_text('button', 'Nederlands')}.click()")
        page.wait_for("document.body.innerText.includes('Totale besteding')", 240)
        page.wait_for(f"{VEGA_DRAWN} >= 2", 120)
        page.wait_idle(60)
        charts = ("[...document.querySelectorAll('.vega-embed')].filter(e => "
                  "e.offsetParent !== null)")
        page.evaluate(f"{charts}[0].scrollIntoView()")
        page.screenshot(screenshots / "workbench-nl-wallet.png", height=1400)
        assert page.evaluate(f"{charts}.every(e => e.scrollWidth <= e.parentElement"
                             ".getBoundingClientRect().width + 1)"), "a chart runs past"
        log = page.tab.log

    saved = (book / "documents" / "MAAS.yaml").read_text(encoding="utf-8")
    assert late in saved
    assert late not in (book / "documents" / "DELTA.yaml").read_text(encoding="utf-8")
    assert log.faults(console=False) == []
