"""Short codes for the reference rows an import creates, made from the export's values."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from kamkit.ids import is_plain_id

MAX_LENGTH = 24


def slug(text: str, fallback: str = "X") -> str:
    """Upper-case letters, digits and '-' from any text: a readable code.

    Examples
    --------
    >>> slug("Café Noir B.V."), slug("  "), slug("Zürich / Oerlikon")
    ('CAFE-NOIR-B-V', 'X', 'ZURICH-OERLIKON')
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    code = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").upper()[:MAX_LENGTH].rstrip("-")
    return code or fallback


def account_code(customer: str, name: str) -> str:
    """The customer's own id where it can be an account id (it names the account's document),
    a code from the name otherwise."""
    if is_plain_id(customer) and len(customer) <= MAX_LENGTH:
        return customer
    return slug(name or customer, "ACCOUNT")


def unique(code: str, taken: Iterable[str]) -> str:
    """``code``, or ``code-2``, ``code-3``, ... where it is taken (compared without case)."""
    used = {t.casefold() for t in taken}
    if code.casefold() not in used:
        return code
    n = 2
    while f"{code}-{n}".casefold() in used:
        n += 1
    return f"{code}-{n}"
