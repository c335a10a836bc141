"""The portfolio's sentence on the key accounts' plans counts what it names: plans by
status, plans without a revenue target, and key accounts without a plan, said apart."""

from __future__ import annotations

import pandas as pd
import pytest

from kamkit.findings.portfolio import totals
from kamkit.labels import counted, t
from kamkit.locale import for_language


def _table(rows: list[tuple[str, str | None, int, int]]) -> pd.DataFrame:
    """Accounts as (status, plan status, objectives, open actions)."""
    return pd.DataFrame({
        "status": [r[0] for r in rows],
        "plan_status": pd.array([r[1] for r in rows], dtype="string"),
        "objectives": [r[2] for r in rows], "actions_open": [r[3] for r in rows],
        "wallet": [1.0] * len(rows), "revenue": [1.0] * len(rows)})


@pytest.mark.parametrize("language", ["en", "nl"])
def test_plans_are_counted_among_the_key_accounts_with_a_plan(language: str) -> None:
    table = _table([("key_account", "on_track", 3, 2), ("key_account", "off_track", 2, 0),
                    ("key_account", None, 1, 1),  # a plan without a revenue objective
                    ("key_account", None, 0, 0),  # no plan at all
                    ("prospect", None, 2, 1)])  # a prospect's plan is not a key account's
    missing = for_language(language).missing
    said = totals(table, pd.DataFrame(), 2025, language)[-1]
    assert said == t("find.pf.plans", language, on=1, risk=0, off=1, none=1,
                     without_plan=counted("accounts", 1, language))
    assert missing not in said
    only_planned = totals(_table([("key_account", "at_risk", 1, 0)]), pd.DataFrame(), 2025,
                          language)[-1]
    assert only_planned == t("find.pf.plans", language, on=0, risk=1, off=0, none=missing,
                             without_plan=missing)
    assert "0 at risk" not in only_planned and "1" in only_planned


@pytest.mark.parametrize("language", ["en", "nl"])
def test_no_plan_at_all_is_said_as_such_not_as_plans_without_a_target(language: str) -> None:
    table = _table([("key_account", None, 0, 0), ("key_account", None, 0, 0)])
    assert totals(table, pd.DataFrame(), 2025, language)[-1] == t("find.pf.no_key_plans",
                                                                    language)
