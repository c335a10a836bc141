"""Dump what the analysis and plan reports show, to compare two trees byte for byte: the
header, every section's HTML and findings, and every chart's Vega-Lite spec (as JSON text,
key order included), Vega spec and SVG, one JSON-lines file per account, language and
report. A change meant to make the reports faster must leave every file identical.

Run from each tree, then compare:

    PYTHONPATH=<main checkout> .venv/bin/python benchmarks/report_dump.py /tmp/dump-main
    PYTHONPATH=$PWD .venv/bin/python benchmarks/report_dump.py /tmp/dump-new
    .venv/bin/python benchmarks/report_dump.py --compare /tmp/dump-main /tmp/dump-new

Without accounts it dumps every key account of the workbook (the demo's 12: 48 reports in
en and nl). The SVG of a chart with a colour gradient names it ``gradient_N``, N counting
the gradients vl-convert has drawn in this process, so both trees must dump the same
accounts in the same order.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from kamkit.speedups import skip_unused_format_checker

skip_unused_format_checker()

import vl_convert  # noqa: E402

from kamkit import load_workbook  # noqa: E402
from kamkit.charts.render import accessible_svg, chart_spec, vega_spec  # noqa: E402
from kamkit.report.analysis import AnalysisReport  # noqa: E402
from kamkit.report.plan import PlanReport  # noqa: E402


def dump(out: Path, workbook: str | None, accounts: list[str], as_of: str) -> None:
    """Write ``<account>-<language>-<report>.jsonl`` files into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    book = load_workbook(workbook)
    if not accounts:
        table = book.accounts
        accounts = list(table[table["status"] == "key_account"]["account_id"])
    started = time.process_time()
    for account in accounts:
        for language in ("en", "nl"):
            for name, cls in (("analysis", AnalysisReport), ("plan", PlanReport)):
                report = cls.build(book, account, as_of, language, "svg")
                if isinstance(report, PlanReport):  # thresholds other than the defaults too
                    report = report.with_thresholds(0.97, 0.90)
                report = report.with_min_strength(3)
                lines: list[dict[str, object]] = [{"header": report.header_html()}]
                for key in report.SECTIONS:
                    section = report.section(key)
                    lines.append({"section": key, "html": section.html(),
                                  "findings": list(section.findings)})
                    for i, block in enumerate(section.blocks):
                        if isinstance(block, str):
                            lines.append({"block": f"{key}.{i}", "html": block})
                            continue
                        spec = chart_spec(block)
                        vega = vega_spec(spec)
                        svg = accessible_svg(vl_convert.vega_to_svg(vega), vega)
                        lines.append({"block": f"{key}.{i}", "spec": spec, "vega": vega,
                                      "svg": svg})
                (out / f"{account}-{language}-{name}.jsonl").write_text(
                    "\n".join(json.dumps(x, default=str) for x in lines) + "\n")
    print(f"{len(accounts)} accounts dumped in {time.process_time() - started:.1f} CPU s",
          file=sys.stderr)


def compare(a: Path, b: Path) -> int:
    """Number of files that differ or are missing on either side (and each one named)."""
    names = sorted({p.name for p in a.glob("*.jsonl")} | {p.name for p in b.glob("*.jsonl")})
    differ = 0
    for name in names:
        left, right = a / name, b / name
        if not (left.exists() and right.exists()) or left.read_bytes() != right.read_bytes():
            differ += 1
            print(f"DIFFERS {name}")
    print(f"{len(names)} files compared, {differ} differ")
    return differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("accounts", nargs="*", help="default: every key account")
    parser.add_argument("--workbook", help="default: the demo")
    parser.add_argument("--as-of", default="2026Q3")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"))
    args = parser.parse_args()
    if args.compare:
        sys.exit(1 if compare(*args.compare) else 0)
    if args.out is None:
        parser.error("an output folder, or --compare A B")
    dump(args.out, args.workbook, args.accounts, args.as_of)


if __name__ == "__main__":
    main()
