"""Account ids as file and folder names: one rule wherever kamkit names a file after an id.

A workbook may use any text as an account id; only a plain id becomes a file or folder name
as it is. Plain means letters, digits, '-' and '_' (no '.', so no '..', no hidden file, no
name that reads as an extension), starting with a letter or digit, at most 60 characters,
and not a name Windows reserves for a device.
"""

from __future__ import annotations

import hashlib
import re

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,59}")
_NOT_PLAIN = re.compile(r"[^A-Za-z0-9_-]+")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}

PLAIN_ID_RULE = ("letters, digits, '-' and '_', starting with a letter or digit (at most 60), "
                 "and no device name such as NUL")
"""The rule in words, for messages."""


def is_plain_id(account_id: str) -> bool:
    """Whether ``account_id`` can be a file or folder name as it is.

    Examples
    --------
    >>> [is_plain_id(i) for i in ("MAAS", "van-dijk_2", "a.b", "../x", "NUL", "")]
    [True, True, False, False, False, False]
    """
    return bool(_PLAIN.fullmatch(account_id)) and account_id.upper() not in _RESERVED


def safe_name(account_id: str) -> str:
    """A file or folder name for any ``account_id``: the id itself when it is plain,
    otherwise its plain characters with a short hash of the id, so two ids never share a
    name.

    Examples
    --------
    >>> safe_name("MAAS")
    'MAAS'
    >>> safe_name("../etc").startswith("etc-")
    True
    """
    if is_plain_id(account_id):
        return account_id
    plain = _NOT_PLAIN.sub("_", account_id).strip("_-")[:40] or "account"
    digest = hashlib.sha256(account_id.encode("utf-8")).hexdigest()[:10]
    return f"{plain}-{digest}"
