"""The import manifest: what ``kamkit import`` created in a workbook.

It lives in the workbook folder as ``kamkit-import.yaml`` and holds, per reference table,

- ``codes``: export value -> code (a person may point a value at another code here: the next
  import then uses that code);
- ``rows``: each row the import wrote, cell by cell as written. A row in the table whose cells
  differ from this record was edited by a person and is never overwritten;
- ``placeholders``: the cells of each row that hold a stand-in value for a person to fill;

and ``imports``: one record per import (file, time, months, lines, currency, margin).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kamkit import yamlread
from kamkit.atomic import write_text_atomic
from kamkit.errors import KamkitError
from kamkit.problems import Words, words
from kamkit.readers import refused_words

MANIFEST = "kamkit-import.yaml"
REFERENCE_TABLES = ("services", "locations", "team", "accounts")

_HEADER = """\
# Written by `kamkit import`: what it created in this workbook (see README, "Bring your own
# data"). A row whose cells differ from `rows` below was edited by a person and is never
# overwritten. To map an export value onto a code of your own, change its code under `codes`.
"""


@dataclass
class Manifest:
    """The manifest's content; empty for a workbook no import has written to."""

    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    rows: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    placeholders: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    imports: list[dict[str, Any]] = field(default_factory=list)

    def code_of(self, table: str, value: str) -> str | None:
        return self.codes.get(table, {}).get(value)

    def record(self, table: str, code: str, cells: dict[str, str],
               placeholders: list[str]) -> None:
        """Remember a row as the import wrote it."""
        self.rows.setdefault(table, {})[code] = dict(cells)
        if placeholders:
            self.placeholders.setdefault(table, {})[code] = list(placeholders)
        else:
            self.placeholders.get(table, {}).pop(code, None)

    def to_yaml(self) -> str:
        data = {"codes": self.codes, "rows": self.rows, "placeholders": self.placeholders,
                "imports": self.imports}
        return _HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def read_manifest(folder: Path) -> Manifest:
    """The manifest of a workbook folder (empty where there is none)."""
    path = folder / MANIFEST
    if not path.exists():
        return Manifest()
    text, where = "", str(path)
    try:
        text = path.read_bytes().decode("utf-8")
        data = yaml.safe_load(text) or {}
    except OSError as exc:
        raise _unreadable(where, refused_words(exc)) from None
    except UnicodeDecodeError as exc:
        raise _unreadable(where, words("problem.doc.not_utf8", byte=str(exc.start))) from None
    except yaml.YAMLError as exc:
        line = yamlread.location(exc, text)[0]
        raise _unreadable(f"{where}:{line}" if line else where,
                          yamlread.problem_words(exc, text)) from None
    if not isinstance(data, dict):
        raise KamkitError.of(words("problem.manifest.not_manifest", path=where))

    def section(name: str) -> dict[str, Any]:
        value = data.get(name) or {}
        if not isinstance(value, dict):
            raise KamkitError.of(words("problem.manifest.section", path=where, name=name))
        return {str(k): v for k, v in value.items()}

    return Manifest(
        codes={t: {str(k): str(v) for k, v in (m or {}).items()}
               for t, m in section("codes").items()},
        rows={t: {str(k): {str(c): "" if v is None else str(v) for c, v in (r or {}).items()}
                  for k, r in (m or {}).items()} for t, m in section("rows").items()},
        placeholders={t: {str(k): [str(c) for c in v or []] for k, v in (m or {}).items()}
                      for t, m in section("placeholders").items()},
        imports=list(data.get("imports") or []))


def _unreadable(where: str, reason: Words) -> KamkitError:
    return KamkitError.of(words("problem.manifest.unreadable", path=where, reason=reason))


def write_manifest(folder: Path, manifest: Manifest) -> None:
    write_text_atomic(folder / MANIFEST, manifest.to_yaml())
