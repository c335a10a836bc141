"""Computations kept per account object (``kamkit.memo``): computed once, handed out so that
a caller's change never reaches the kept result, and dropped with the account."""

from __future__ import annotations

import gc

import pandas as pd
import pytest

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


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
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


@memo.per_account
def _itself(account: AccountData, strength: object = 3) -> object:
    CALLS.append((account.account_id, strength))
    if isinstance(strength, bool):
        raise TypeError("a strength is a number, not True or False")
    return account


def test_arguments_of_another_type_are_other_arguments() -> None:
    """True equals 1 as a key, but a check may accept one and refuse the other."""
    account = load_workbook_cached(None).account("NOVA")
    CALLS.clear()
    assert _itself(account, 1) is account
    try:
        _itself(account, True)
    except TypeError:
        pass
    else:
        raise AssertionError("True was answered with the result kept for 1")
    _itself(account, 1.0)
    assert CALLS == [("NOVA", 1), ("NOVA", True), ("NOVA", 1.0)]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_an_account_given_back_by_its_computation_still_leaves() -> None:
    """``scoped`` without a scope and ``cut_off`` with nothing to cut give the account
    itself, which its own results must not hold on to."""
    import datetime as dt
    import weakref

    from kamkit.plan._common import scoped

    account = load_workbook_cached(None).account("LUMEN")
    known = an.cut_off(account, dt.date(2026, 9, 30))
    assert scoped(known, None) is known and _itself(known) is known
    assert an.cut_off(known, dt.date(2026, 9, 30)) is known  # nothing left to cut
    gone = weakref.ref(known)
    del account, known
    gc.collect()
    assert gone() is None


def test_an_argument_given_or_left_to_its_default_is_one_computation() -> None:
    account = load_workbook_cached(None).account("KRONE")
    CALLS.clear()
    _counted(account)
    _counted(account, ("year",))
    _counted(account, by=("year",))
    _counted(account, ("year", "service"))
    assert CALLS == [("KRONE", ("year",)), ("KRONE", ("year", "service"))]
