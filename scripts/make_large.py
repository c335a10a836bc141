"""Make a large synthetic workbook shaped like the demo: its accounts copied under new ids.

Every table and document of the bundled demo is copied as often as needed for ``N``
accounts; the copy ``k`` of account ``MAAS`` is ``MAAS007`` (contacts ``MAAS007-C01``...),
the shared reference tables (services, locations, competitors, team) are kept once. The
result is valid by ``kamkit validate`` and is what the benchmarks measure at scale.

Run: .venv/bin/python scripts/make_large.py N [DIR]   (DIR default: ./large-N, must not exist)
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

import kamkit

_SHARED = ("services", "locations", "competitors", "team")


def replicate(target: Path, accounts: int) -> Path:
    """A workbook of ``accounts`` accounts: the demo's, copied under new ids."""
    demo = kamkit.DEMO_WORKBOOK
    tables = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False)
              for p in demo.glob("*.csv")}
    ids = list(tables["accounts"]["account_id"])
    copies = -(-accounts // len(ids))
    (target / "documents").mkdir(parents=True)
    out: dict[str, list[pd.DataFrame]] = {name: [] for name in tables}
    for k in range(copies):
        def new(account: str, k: int = k) -> str:
            return account if k == 0 else f"{account}{k:03d}"

        def contact(value: str, k: int = k) -> str:
            account, _, rest = value.partition("-C")
            return value if not value or k == 0 else f"{new(account)}-C{rest}"

        for name, frame in tables.items():
            frame = frame.copy()
            if "account_id" in frame:
                frame["account_id"] = frame["account_id"].map(new)
            for column in ("contact_id", "reports_to"):
                if column in frame:
                    frame[column] = frame[column].map(contact)
            if k and name in _SHARED:
                continue
            out[name].append(frame)
        for doc in (demo / "documents").glob("*.yaml"):
            text = doc.read_text(encoding="utf-8")
            if k:
                text = re.sub(rf"\b{doc.stem}(-C\d+)?\b",
                              lambda m, stem=doc.stem: new(stem) + (m.group(1) or ""), text)
            (target / "documents" / f"{new(doc.stem)}.yaml").write_text(text, encoding="utf-8")
    for name, frames in out.items():
        frame = pd.concat(frames)
        if name == "accounts":
            frame = frame.head(accounts)
        frame.to_csv(target / f"{name}.csv", index=False)
    keep = set(pd.read_csv(target / "accounts.csv", dtype=str)["account_id"])
    for doc in (target / "documents").glob("*.yaml"):
        if doc.stem not in keep:
            doc.unlink()
    for name in tables:  # rows of accounts beyond the count go
        frame = pd.read_csv(target / f"{name}.csv", dtype=str, keep_default_na=False)
        if "account_id" in frame and name != "accounts":
            frame[frame["account_id"].isin(keep)].to_csv(target / f"{name}.csv", index=False)
    relationships = pd.read_csv(target / "relationships.csv", dtype=str, keep_default_na=False)
    contacts = set(pd.read_csv(target / "contacts.csv", dtype=str)["contact_id"])
    relationships[relationships["contact_id"].isin(contacts)].to_csv(
        target / "relationships.csv", index=False)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("accounts", type=int, help="how many accounts (at least 1)")
    parser.add_argument("folder", type=Path, nargs="?", default=None,
                        help="where to write the workbook (must not exist)")
    args = parser.parse_args(argv)
    if args.accounts < 1:
        parser.error("N must be at least 1")
    target = args.folder or Path(f"large-{args.accounts}")
    if target.exists():
        print(f"{target} exists; give a new folder.", file=sys.stderr)
        return 2
    replicate(target, args.accounts)
    print(f"wrote {target} ({args.accounts} accounts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
