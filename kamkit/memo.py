"""Results of computations on one account, kept for as long as that account's data lives.

An ``AccountData`` is immutable and the computations on it are pure, so a computation of
the same account object with the same arguments always gives the same result. A report
asks for the same figures many times over (the share of wallet of a year for the summary,
A6, the key figures and the plan's objectives; the revenue by year for A4, the growth
checks and every seasonality), which made up most of building a report. ``per_account``
computes each once per account object and arguments.

Results are kept per account object (by identity: equal data under another object is
computed again) and dropped with it. An argument counts alike given or left to its
default: ``org_chart(account)`` and ``org_chart(account, 3)`` are one computation. A
DataFrame or Series is handed out as a shallow copy: with pandas' copy-on-write a caller
that changes it changes its own copy, never the kept result. Arguments that cannot be
hashed (a list) are computed without keeping the result.
"""

from __future__ import annotations

import functools
import inspect
import weakref
from collections.abc import Callable, Hashable
from typing import Concatenate, ParamSpec, TypeVar, cast

import pandas as pd

from kamkit.workbook import AccountData

_P = ParamSpec("_P")
_R = TypeVar("_R")

_KEPT: dict[int, dict[Hashable, object]] = {}
"""id(account) -> (computation, arguments) -> result; an entry leaves with its account."""


_SELF = object()
"""Kept in place of a result that is the account itself (``scoped`` without a scope)."""


def _handed_out(result: _R) -> _R:
    if isinstance(result, pd.DataFrame | pd.Series):
        return result.copy(deep=False)
    return result


def per_account(compute: Callable[Concatenate[AccountData, _P], _R]
                ) -> Callable[Concatenate[AccountData, _P], _R]:
    """``compute(account, ...)`` computed once per account object and arguments."""

    signature = inspect.signature(compute)

    @functools.wraps(compute)
    def kept(account: AccountData, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            bound = signature.bind(account, *args, **kwargs)
        except TypeError:  # wrong arguments: the computation says so
            return compute(account, *args, **kwargs)
        # defaults filled in: an argument given or left to its default is one key
        bound.apply_defaults()
        arguments = tuple(bound.arguments.items())[1:]
        # the types too: True and 1 are equal keys, but a check may take one, not the other
        key = (compute, arguments, tuple(type(value) for _, value in arguments))
        try:
            hash(key)
        except TypeError:  # an unhashable argument: computed every time
            return compute(account, *args, **kwargs)
        results = _KEPT.get(id(account))
        if results is None:
            results = _KEPT[id(account)] = {}
            # runs as the account is freed, before its id can be another object's
            weakref.finalize(account, _KEPT.pop, id(account), None)
        if key not in results:
            result = compute(account, *args, **kwargs)
            # the account itself is not kept in its own results: it would never be freed
            results[key] = _SELF if result is account else result
        kept = results[key]
        return cast(_R, account) if kept is _SELF else _handed_out(cast(_R, kept))

    return kept
