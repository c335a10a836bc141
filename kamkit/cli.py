"""The ``kamkit`` command. Every command takes a workbook; those that only read it default to
the bundled demo."""

from __future__ import annotations

import argparse
import inspect
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kamkit import __version__
from kamkit import formatting as fmt
from kamkit.atomic import copy_tree_atomic, write_text_atomic
from kamkit.batch.definition import RUN_OPTIONS, load_definition
from kamkit.batch.options import add_arguments, overrides
from kamkit.controls import TerminalStream, for_terminal
from kamkit.document_template import account_document_template
from kamkit.errors import Interrupted, KamkitError, WorkbookError, environment_message
from kamkit.ids import PLAIN_ID_RULE, is_plain_id
from kamkit.labels import message_language, t
from kamkit.problems import Severity, did_you_mean, grouped, words
from kamkit.schema import ACCOUNT_STATUSES
from kamkit.workbook import (
    DEMO_WORKBOOK,
    check_workbook,
    documents_folder,
    existing_workbook,
    is_demo,
    load_workbook,
)

EXIT_CODES = """exit codes:
  0    fine
  1    the workbook has errors (nothing was written; `kamkit run`: errors in shared data),
       or `kamkit run` finished with accounts that failed (one whose own data has errors
       fails alone; the others are rendered)
  2    a usage or input problem, or the environment (a full or read-only disk)
  3    an internal error (a bug: run again with KAMKIT_DEBUG=1 to see where)
  130  interrupted"""


def _command(sub: argparse._SubParsersAction, name: str,
             run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    """The subcommand ``name`` that calls ``run``, whose docstring is its help: the first
    sentence is its own ``--help``'s first and, lower-cased without the full stop, its line
    in ``kamkit --help``; the rest follows in its own ``--help``."""
    first, _, details = (inspect.getdoc(run) or "").partition("\n\n")
    first = " ".join(first.split())
    summary = f"{first[0].lower()}{first[1:].removesuffix('.')}"
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=summary, description=f"{first} {' '.join(details.split())}".strip())
    parser.set_defaults(func=run)
    return parser


def _workbook_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("workbook", nargs="?", type=Path, default=None,
                        help="workbook folder or .xlsx file (default: the bundled demo)")


def _dry_run_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true",
                        help="show what would change; write nothing")


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a workbook and list every problem.

    Each problem names its file, row and column, the value found and what was expected. Exit
    code 1 on any error."""
    language = message_language(os.environ)
    checked = check_workbook(args.workbook)
    shown = [p for p in checked.problems if args.warnings or p.severity is Severity.ERROR]
    for group in grouped(shown):
        print(group.text(language))
    n_errors = sum(p.severity is Severity.ERROR for p in checked.problems)
    n_warnings = len(checked.problems) - n_errors
    print(words("cli.validate.summary", verdict=words(
        "cli.validate.failed" if n_errors else "cli.validate.ok"), path=str(checked.path),
        accounts=words("count.accounts", count=len(checked.tables["accounts"])),
        documents=words("count.documents", count=len(checked.documents)),
        errors=words("count.errors", count=n_errors),
        warnings=words("count.warnings", count=n_warnings), hidden=words(
            "cli.validate.hidden" if n_warnings and not args.warnings else "")).said(language))
    return 1 if n_errors else 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """Upgrade a workbook in place to this kamkit's format version.

    Rename what the format renamed (headers, document keys; everything else stays byte for byte)
    and write the format version into workbook.yaml, keeping the files as they were under
    .kamkit/backups. A workbook of the current version is left alone."""
    from kamkit.migrate import migrate

    result = migrate(args.workbook, dry_run=args.dry_run)
    for line in result.lines():
        print(line)
    return 0


def cmd_accounts(args: argparse.Namespace) -> int:
    """List the accounts of a workbook.

    Id, name, status, key account manager and whether a document exists."""
    workbook = load_workbook(args.workbook)
    accounts = workbook.accounts
    if args.status:
        accounts = accounts[accounts["status"] == args.status]
    team = workbook.team.set_index("person_id")["name"]
    rows = [("ID", "NAME", "STATUS", "KAM", "DOCUMENT")]
    for acc in accounts.itertuples():
        rows.append((acc.account_id, acc.name, acc.status,
                     f"{acc.kam} ({fmt.name(team.get(acc.kam, '?'))})",
                     "yes" if acc.account_id in workbook.documents else "no"))
    shown = [[for_terminal(str(cell), one_line=True) for cell in row] for row in rows]
    widths = [max(len(r[i]) for r in shown) for i in range(len(shown[0]))]
    for row in shown:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    """Write a copy of the demo workbook as a starting point.

    Then edit its CSV files and documents, and check them with `kamkit validate DIR`."""
    target: Path = args.directory.resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise KamkitError(f"{target} already exists and is not empty; choose a new folder.")
    try:
        if target.exists():  # an empty folder, perhaps the current one: fill it in place
            staging = target / ".kamkit-init.tmp"
            copy_tree_atomic(DEMO_WORKBOOK, staging)
            for entry in staging.iterdir():
                entry.rename(target / entry.name)
            staging.rmdir()
        else:
            copy_tree_atomic(DEMO_WORKBOOK, target)
    except OSError as exc:
        raise KamkitError(f"Cannot write the workbook to {target}: {exc.strerror or exc}.") \
            from None
    print(f"Wrote a copy of the demo workbook to {target}. Edit the CSV files and the "
          f"documents in {documents_folder(target)}, then run `kamkit validate {target}`.")
    return 0


def cmd_new_account(args: argparse.Namespace) -> int:
    """Scaffold an account document.

    Writes documents/ACCOUNT_ID.yaml with every section of the method as a commented template;
    add the account to accounts.csv too."""
    account_id: str = args.account_id
    if not is_plain_id(account_id):  # it names the document's file
        raise KamkitError(f"{account_id!r} cannot be an account id: use {PLAIN_ID_RULE}.")
    workbook = args.workbook or DEMO_WORKBOOK
    if args.workbook is None and not args.print:
        raise KamkitError("new-account needs the workbook to write into: pass --workbook DIR "
                          "(`kamkit init DIR` writes one), or use --print to see the template.")
    if is_demo(workbook) and not args.print:
        raise KamkitError("The bundled demo workbook is read-only. Run `kamkit init DIR` and "
                          "pass DIR with --workbook, or use --print to see the template.")
    text = account_document_template(account_id, args.year)
    if args.print:
        sys.stdout.write(text)
        return 0
    existing_workbook(Path(workbook))
    path = documents_folder(workbook) / f"{account_id}.yaml"
    if path.exists() and not args.force:
        raise KamkitError(f"{path} exists already; use --force to replace it.")
    write_text_atomic(path, text)
    print(f"Wrote {path}.")
    checked = check_workbook(workbook)
    if account_id not in set(checked.tables["accounts"]["account_id"].dropna()):
        print(f"Add {account_id} to accounts.csv too, or the workbook will not validate.")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Render every account's reports for a quarter (the quarter batch).

    Execute the report notebooks for every selected account, convert them to HTML and write
    outputs/<quarter>/index.html. Accounts whose data, notebooks and settings did not change are
    skipped. An account whose own data has errors fails alone; errors in shared data stop the
    run before anything is written. Exit code 1 when an account failed or the workbook has
    errors. Every setting: docs/run-definition.md."""
    from kamkit.batch.worker import start_early

    definition = load_definition(args.definition, overrides(args, RUN_OPTIONS))
    start_early(definition)  # before the run's own imports: they overlap the workers'
    from kamkit.batch.runner import run

    summary = run(definition)
    print("\n".join(summary.lines(message_language(os.environ))))
    return summary.exit_code


def cmd_import(args: argparse.Namespace) -> int:
    """Import a sales export (CSV or .xlsx) into a workbook folder.

    Sum an ERP or CRM export's lines to the workbook's months, accounts, services and locations,
    create the reference rows it needs, and print a reconciliation. Re-import replaces only the
    months the export covers; rows a person edited are never overwritten. Exit code 1 when the
    import would leave the workbook with errors (nothing is written then)."""
    from kamkit.importer import import_export, load_mapping
    from kamkit.importer.suggest import suggested_for, suggestion_yaml

    if args.suggest:
        target = args.mapping or args.export.with_name(f"{args.export.stem}.mapping.yaml")
        other = suggested_for(target) if target.exists() else None
        if other is not None and other != args.export.name and args.mapping is None:
            # orders.csv and orders.xlsx share the default name: never replace the other's
            raise KamkitError(
                f"{target} is the mapping suggested for {other}, not for {args.export.name}; "
                f"name another file with --mapping, e.g. --mapping {args.export.name}"
                ".mapping.yaml.")
        if target.exists() and not args.force:
            raise KamkitError(f"{target} exists already; use --force to replace it, or "
                              "--mapping to name another file.")
        text = suggestion_yaml(args.export, args.sheet, contacts=args.contacts)
        write_text_atomic(target, text)
        sys.stdout.write(text)
        print(f"Wrote {target}: check it, then run `kamkit import {args.export} --mapping "
              f"{target} --workbook DIR`.")
        return 0
    if args.mapping is None or args.workbook is None:
        raise KamkitError("Give --mapping MAPPING.yaml and --workbook DIR (or --suggest to "
                          "write a first mapping).")
    overrides: dict[str, object] = {"margin_unknown": True} if args.margin == "unknown" else {}
    if args.sheet:
        overrides["sheet"] = args.sheet
    mapping = load_mapping(args.mapping, **overrides)
    if args.contacts:
        from kamkit.importer.contacts import import_contacts

        contacts = import_contacts(args.export, mapping, args.workbook, dry_run=args.dry_run)
        print("\n".join(contacts.lines()))
        return contacts.exit_code
    result = import_export(args.export, mapping, args.workbook, key_accounts=args.key_accounts,
                           dry_run=args.dry_run)
    print("\n".join(result.lines()))
    return result.exit_code


class _Parser(argparse.ArgumentParser):
    """argparse's parser, whose refusal of an unknown option names the command's options
    close to it (``--languages``: "Did you mean --language?"), as kamkit's own messages
    do for an unknown id."""

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            command = self.commands.get(getattr(parsed, "command", None) or "", self)
            known = [option for action in command._actions
                     for option in action.option_strings if option.startswith("--")]
            hints = [did_you_mean(extra.partition("=")[0], known)
                     for extra in extras if extra.startswith("--")]
            command.error(" ".join([f"unrecognized arguments: {' '.join(extras)}.",
                                    *(hint for hint in hints if hint)]))
        return parsed

    @property
    def commands(self) -> dict[str, argparse.ArgumentParser]:
        """The subcommands' parsers by name."""
        return {name: parser for action in self._actions
                if isinstance(action, argparse._SubParsersAction)
                for name, parser in action.choices.items()}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kamkit", description="Key account management workbench.", epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"kamkit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _command(sub, "validate", cmd_validate)
    _workbook_arg(p)
    p.add_argument("--warnings", "-W", action="store_true", help="list warnings too")

    p = _command(sub, "accounts", cmd_accounts)
    _workbook_arg(p)
    p.add_argument("--status", choices=ACCOUNT_STATUSES, help="only accounts with this status")

    p = _command(sub, "migrate", cmd_migrate)
    p.add_argument("workbook", type=Path,  # it writes: no default, as init and import
                   help="workbook folder or .xlsx file to upgrade")
    _dry_run_arg(p)

    p = _command(sub, "init", cmd_init)
    p.add_argument("directory", type=Path, help="new folder for the workbook")

    p = _command(sub, "new-account", cmd_new_account)
    p.add_argument("account_id", help="the account's id in accounts.csv (letters, digits, "
                                      "- and _): the document's file name")
    p.add_argument("--workbook", "-w", type=Path, default=None,
                   help="workbook folder or .xlsx file to write into (required, except with "
                        "--print; the bundled demo is read-only)")
    p.add_argument("--year", type=int, default=None, help="plan year (default: next year)")
    p.add_argument("--force", action="store_true", help="replace an existing document")
    p.add_argument("--print", action="store_true", help="print the template, write nothing")

    p = _command(sub, "import", cmd_import)
    p.add_argument("export", type=Path, help="the export: a .csv or .xlsx file")
    p.add_argument("--mapping", "-m", type=Path, default=None,
                   help="mapping YAML: which export column holds which fact (with --suggest: "
                        "where to write it, default EXPORT.mapping.yaml)")
    p.add_argument("--workbook", "-w", type=Path, default=None,
                   help="workbook folder to import into (created when missing)")
    p.add_argument("--suggest", action="store_true",
                   help="write a first mapping from the export's headers and values")
    p.add_argument("--contacts", action="store_true",
                   help="the export is a CRM's contacts (name, title, department, account, "
                        "e-mail, manager): import them into contacts.csv")
    p.add_argument("--key-accounts", type=int, default=None, metavar="N",
                   help="mark the top N accounts by revenue as key accounts")
    p.add_argument("--margin", choices=["unknown"], default=None,
                   help="the export has no cost or margin: leave the gross margin empty "
                        "(unknown; the reports show margin figures as n/a)")
    p.add_argument("--sheet", default=None, help="sheet of an .xlsx export (default: first)")
    _dry_run_arg(p)
    p.add_argument("--force", action="store_true", help="with --suggest: replace the file")

    p = _command(sub, "run", cmd_run)
    p.add_argument("definition", nargs="?", type=Path, default=None,
                   help="run definition YAML, e.g. parameters/2026Q3.yaml")
    add_arguments(p, RUN_OPTIONS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; a user sees messages, never a traceback, and never a control
    character from their data raw on the terminal (``kamkit.controls``)."""
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalStream(sys.stdout), TerminalStream(sys.stderr)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KamkitError as exc:  # in the terminal's language where it has Words
        language = message_language(os.environ)
        print(f"kamkit: {t('cli.error', language)}: {exc.in_language(language)}",
              file=sys.stderr)
        return 1 if isinstance(exc, WorkbookError) else 2
    except BrokenPipeError:
        # the reader (e.g. `| head`) left: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # the environment: a full disk, a read-only folder, a missing path
        print(f"kamkit: error: {environment_message(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as stop:  # a run says how far it got, in the terminal's language
        language = message_language(os.environ)
        said = (stop.words.said(language) if isinstance(stop, Interrupted)
                else t("cli.interrupted", language))
        print(f"kamkit: {said}", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("KAMKIT_DEBUG"):
            raise
        print(f"kamkit: internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in kamkit; run again with KAMKIT_DEBUG=1 to see where.",
              file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
