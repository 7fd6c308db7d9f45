"""`workbench sql TARGET -c SQL [--json | --csv] [--yes] [--no-backup] [--confirm PROFILE]`.

Runs statements headless with the console's safety: a read prints its rows (in a read-only
transaction); a change shows its preview (rows it will change, the backup it gets) and asks,
then runs with its prior backup and lands in the change journal (`workbench changes`). Without a
terminal a change needs `--yes`; on a protected profile it also needs `--confirm NAME`.

Exit codes: 0 done, 1 the database refused a statement (a change that fails keeps nothing),
2 bad usage or input (not confirmed, read-only, a bad target).
"""

from __future__ import annotations

import argparse
import csv
import sys
from typing import Any

from workbench.commands.common import add_target_arguments, connection_for, print_json
from workbench.commands.listing import Listing, show
from workbench.console.records import ChangePreview
from workbench.console.session import Console
from workbench.db.base import Result
from workbench.errors import UsageError
from workbench.project import Target


def register(parser: argparse.ArgumentParser) -> None:
    add_target_arguments(parser)
    parser.add_argument("-c", "--command", required=True, metavar="SQL", help="the statements to run")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON for programs")
    output.add_argument("--csv", action="store_true", help="print the rows of reads as CSV")
    parser.add_argument("--yes", action="store_true", help="run changes without asking (needed without a terminal)")
    parser.add_argument("--no-backup", action="store_true", help="take no prior backup (the change cannot be undone)")
    parser.add_argument("--confirm", metavar="PROFILE", help="a protected profile's name, typed in advance")
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = (
        "examples:\n"
        "  workbench sql shop.db -c 'SELECT * FROM orders LIMIT 5'\n"
        "  workbench sql shop.db -c \"UPDATE orders SET status = 'void' WHERE id = 7\" --yes\n"
        "  workbench sql prod --project ./db -c 'DELETE FROM carts WHERE age > 30' --confirm prod --yes\n\n"
        "exit codes: 0 done, 1 the database refused a statement, 2 bad usage, not confirmed or read-only"
    )


def run(args: argparse.Namespace) -> int:
    with connection_for(args) as (conn, target, project):
        console = Console.for_target(conn, target, project, typed=args.confirm)
        statements = console.classify(args.command)
        if not statements:
            raise UsageError("no statement to run in -c")
        writes = [s for s in statements if s.writes]
        if writes and console.read_only:
            console = Console.for_target(conn, target, project, typed=_typed_name(target))
        previews = console.preview(args.command)
        if writes:
            _announce(previews, args)
            _confirm(args)
        out: list[dict[str, Any]] = []
        for preview in previews:
            if preview.statement.writes:
                record = console.run_change(preview, backup=not args.no_backup)
                out.append({"sql": preview.statement.sql, "kind": preview.statement.kind, "change": record.to_dict()})
                _tell(
                    f"change {record.id}: {record.rows} rows, backup: {record.backup} (undo: workbench changes undo {record.id})",
                    args,
                )
            else:
                result = console.read(preview.statement)
                out.append(
                    {"sql": preview.statement.sql, "kind": "read", "columns": list(result.columns), "rows": result.rows}
                )
                _print_rows(result, args)
        if args.json:
            print_json({"statements": out})
    return 0


def _typed_name(target: Target) -> str:
    """The protected profile's name, typed at the terminal; refused without one."""
    guard = target.protected_by
    assert guard is not None
    if not sys.stdin.isatty():
        raise UsageError(f"{target.protection()}: pass --confirm {guard.name} to write")
    typed = input(f"{target.protection()}. Type {guard.name} to write: ").strip()
    if typed != guard.name:
        raise UsageError("not confirmed; nothing was changed")
    return typed


def _announce(previews: list[ChangePreview], args: argparse.Namespace) -> None:
    for i, p in enumerate(previews, 1):
        if not p.statement.writes:
            continue
        rows = "rows unknown" if p.rows is None else f"{p.rows} row{'s' * (p.rows != 1)}"
        line = " ".join(p.statement.sql.split())
        backup = "no backup (--no-backup)" if args.no_backup else f"backup: {p.backup}"
        _tell(f"{i}. {line[:100]} — {p.statement.verb}, {rows}, {backup}", args)


def _confirm(args: argparse.Namespace) -> None:
    if args.yes:
        return
    if not sys.stdin.isatty():
        raise UsageError("these statements change the database: pass --yes when no one is at the terminal")
    if input("Run these changes? [y/N] ").strip().lower() not in ("y", "yes"):
        raise UsageError("not confirmed; nothing was changed")


def _tell(line: str, args: argparse.Namespace) -> None:
    """Lines for people: on stdout, or stderr when stdout carries JSON or CSV."""
    print(line, file=sys.stderr if args.json or args.csv else sys.stdout)


def _print_rows(result: Result, args: argparse.Namespace) -> None:
    if args.json:
        return
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(["" if v is None else v for v in row] for row in result.rows)
        return
    listing = Listing(result.columns, empty="(no rows)")
    for row in result.rows:
        listing.add(*("NULL" if v is None else str(v) for v in row))
    count = len(result.rows)
    show("table" if sys.stdout.isatty() else "plain", [listing], tail=[f"({count} row{'s' * (count != 1)})"])
