"""Computations kept per account object (``kamkit.memo``): computed once, handed out so that
a caller's change never reaches the kept result, and dropped with the account."""

from __future__ import annotations

import gc

import pandas as pd

from kamkit import analysis as an
from kamkit import memo
from kamkit.workbook import AccountData, load_workbook_cached

CALLS: list[tuple[str, object]] = []


@memo.per_account
def _counted(account: AccountData, by: object = ("year",)) -> pd.DataFrame:
    CALLS.append((account.account_id, by))
    return pd.DataFrame({"rows": [len(account.sales)]})


def test_computed_once_per_account_object_and_arguments() -> None:
    book = load_workbook_cached(None)
    maas = book.account("MAAS")
    CALLS.clear()
    first = _counted(maas)
    _counted(maas)
    _counted(maas, by=("year", "service"))
    _counted(maas, by=["year"])  # unhashable: computed, not kept
    _counted(maas, by=["year"])
    _counted(book.account("MAAS"))  # the same data under another object: computed again
    assert CALLS == [("MAAS", ("year",)), ("MAAS", ("year", "service")), ("MAAS", ["year"]),
                     ("MAAS", ["year"]), ("MAAS", ("year",))]
    first.loc[0, "rows"] = -1  # a caller's change stays in the caller's copy
    first["more"] = 1
    assert list(_counted(maas).columns) == ["rows"]
    assert _counted(maas).loc[0, "rows"] == len(maas.sales)


def test_kept_results_leave_with_their_account() -> None:
    account = load_workbook_cached(None).account("DELTA")
    _counted(account)
    key = id(account)
    assert key in memo._KEPT
    del account
    gc.collect()
    assert key not in memo._KEPT


def test_a_kept_computation_gives_what_it_computes() -> None:
    """share_of_wallet, kept, equals its computation without keeping (``__wrapped__``)."""
    krone = load_workbook_cached(None).account("KRONE")
    kept = an.share_of_wallet(krone, by=("year", "service"))
    again = an.share_of_wallet(krone, by=("year", "service"))
    assert kept is not again  # each caller its own copy
    computed = an.share_of_wallet.__wrapped__(krone, by=("year", "service"))  # type: ignore[attr-defined]
    pd.testing.assert_frame_equal(again, computed)
