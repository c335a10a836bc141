"""What the demo's reports show, dumped to compare two versions of kamkit: for every key
account, its analysis and plan report in every language (and the portfolio report), the
header, every section's HTML and findings, and for every chart its Vega-Lite spec (as JSON
text, key order included), its Vega spec and its SVG as a notebook shows them
(``kamkit.charts.render.chart_bundle``). A change meant to leave the reports alone (a speed-up)
dumps before and after and compares:

    PYTHONPATH=<checkout of main> .venv/bin/python benchmarks/report_outputs.py dump before.json
    PYTHONPATH=. .venv/bin/python benchmarks/report_outputs.py dump after.json
    PYTHONPATH=. .venv/bin/python benchmarks/report_outputs.py compare before.json after.json

``compare`` says what differs, as it is and with the ids inside each SVG renumbered from 0
(the ids the HTML reports give them, ``kamkit.charts.svg.renumbered_ids``): before kamkit
named them itself, vl-convert numbered gradients per process (``gradient_7`` after seven).
The dump uses only what main has had for long (``chart_spec``, ``chart_bundle``), so a
checkout of main runs it too.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "nl")
AS_OF = "2026Q3"


def _report(built: Any) -> dict[str, Any]:
    from kamkit.charts.render import chart_bundle, chart_spec

    sections: dict[str, Any] = {}
    for key in built.SECTIONS:
        section = built.section(key)
        blocks: list[Any] = []
        for block in section.blocks:
            if isinstance(block, str):
                blocks.append(block)
                continue
            spec = chart_spec(block)
            data, _ = chart_bundle(spec, "svg")
            blocks.append({"vega-lite": json.dumps(spec),
                           "vega": json.dumps(data["application/vnd.vega.v5+json"]),
                           "svg": data["image/svg+xml"]})
        sections[key] = {"html": section.html(), "findings": list(section.findings),
                         "blocks": blocks}
    return {"header": built.header_html(), "sections": sections}


def dump(out: Path, accounts: int | None, portfolio: bool) -> None:
    from kamkit import load_workbook
    from kamkit.report.analysis import AnalysisReport
    from kamkit.report.plan import PlanReport
    from kamkit.report.portfolio import PortfolioReport

    table = load_workbook().accounts
    ids = list(table[table["status"] == "key_account"]["account_id"])[:accounts]
    reports: dict[str, Any] = {}
    started = time.process_time()
    for language in LANGUAGES:
        for kind in (AnalysisReport, PlanReport):
            for account in ids:
                reports[f"{kind.__name__} {account} {language}"] = _report(
                    kind.build(None, account, AS_OF, language))
        if portfolio:
            reports[f"PortfolioReport {language}"] = _report(
                PortfolioReport.build(None, AS_OF, language))
    out.write_text(json.dumps(reports, indent=1, ensure_ascii=False), encoding="utf-8")
    charts = sum(isinstance(b, dict) for r in reports.values()
                 for s in r["sections"].values() for b in s["blocks"])
    print(f"{len(reports)} reports, {charts} charts, {time.process_time() - started:.1f} CPU s"
          f" -> {out}")


def _normalised(report: dict[str, Any]) -> dict[str, Any]:
    from kamkit.charts.svg import renumbered_ids

    def block(b: Any) -> Any:
        return {**b, "svg": renumbered_ids(b["svg"])} if isinstance(b, dict) else b

    return {**report, "sections": {
        key: {**s, "blocks": [block(b) for b in s["blocks"]]}
        for key, s in report["sections"].items()}}


def _differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    said: list[str] = []
    for name in sorted(a.keys() | b.keys()):
        if name not in a or name not in b:
            said.append(f"{name}: only in {'the second' if name in b else 'the first'}")
            continue
        x, y = a[name], b[name]
        if x["header"] != y["header"]:
            said.append(f"{name}: header")
        for key in sorted(x["sections"].keys() | y["sections"].keys()):
            s, t = x["sections"].get(key), y["sections"].get(key)
            if s is None or t is None:
                said.append(f"{name} {key}: section missing on one side")
                continue
            for part in ("html", "findings"):
                if s[part] != t[part]:
                    said.append(f"{name} {key}: {part}")
            if len(s["blocks"]) != len(t["blocks"]):
                said.append(f"{name} {key}: {len(s['blocks'])} against {len(t['blocks'])} blocks")
                continue
            for number, (c, d) in enumerate(zip(s["blocks"], t["blocks"], strict=True)):
                if isinstance(c, dict) and isinstance(d, dict):
                    said += [f"{name} {key} chart {number}: {part}"
                             for part in ("vega-lite", "vega", "svg") if c[part] != d[part]]
                elif c != d:
                    said.append(f"{name} {key} block {number}")
    return said


def compare(first: Path, second: Path) -> int:
    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (first, second))
    charts = sum(isinstance(c, dict) for r in a.values()
                 for s in r["sections"].values() for c in s["blocks"])
    exact = _differences(a, b)
    print(f"{len(a)} reports, {charts} charts: "
          + ("byte-identical" if not exact else f"{len(exact)} differences as they are"))
    if not exact:
        return 0
    for line in exact[:20]:
        print("  " + line)
    renumbered = _differences({k: _normalised(v) for k, v in a.items()},
                              {k: _normalised(v) for k, v in b.items()})
    print("with the ids in each SVG renumbered from 0: "
          + ("identical" if not renumbered else f"{len(renumbered)} differences"))
    for line in renumbered[:20]:
        print("  " + line)
    return 1 if renumbered else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump", help="dump the demo's reports to a JSON file")
    dumping.add_argument("out", type=Path)
    dumping.add_argument("--accounts", type=int, default=None,
                         help="only the first N key accounts (default: all)")
    dumping.add_argument("--no-portfolio", action="store_true")
    comparing = commands.add_parser("compare", help="compare two dumps")
    comparing.add_argument("first", type=Path)
    comparing.add_argument("second", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out, args.accounts, not args.no_portfolio)
    else:
        sys.exit(compare(args.first, args.second))


if __name__ == "__main__":
    main()
