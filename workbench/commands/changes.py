"""`workbench changes list|show N|undo N [TARGET] [--json] [--yes] [--confirm PROFILE]`.

Reads the change journal the console keeps (`workbench sql`, the Query screen, inline edits)
and undoes a change exactly, or says why it will not (rows changed since, no backup taken).

Exit codes: 0 listed, shown or undone; 1 the undo was refused; 2 bad usage (no such change,
not confirmed).
"""

from __future__ import annotations

import argparse
import sys

from workbench.commands.common import add_target_arguments, connection_for, print_json
from workbench.commands.listing import Listing, add_format_argument, output_format, show
from workbench.console.journal import change, changes
from workbench.console.records import ChangeRecord
from workbench.console.undo import undo
from workbench.errors import OperationFailed, UsageError


class UndoRefused(OperationFailed):
    """The undo was refused; nothing was changed."""


def register(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="every change, newest first")
    add_target_arguments(listing)
    add_format_argument(listing)
    for name, help_ in (("show", "one change in full"), ("undo", "undo one change exactly, or say why not")):
        p = actions.add_parser(name, help=help_)
        p.add_argument("id", type=int, metavar="N", help="the change's number in the journal")
        add_target_arguments(p)
        p.add_argument("--json", action="store_true", help="print JSON for programs")
        if name == "undo":
            p.add_argument("--yes", action="store_true", help="undo without asking (needed without a terminal)")
            p.add_argument("--confirm", metavar="PROFILE", help="a protected profile's name, typed in advance")
    parser.epilog = (
        "examples:\n  workbench changes list shop.db\n  workbench changes show 3 shop.db\n"
        "  workbench changes undo 3 shop.db --yes\n\n"
        "exit codes: 0 done, 1 the undo was refused (nothing changed), 2 bad usage or not confirmed"
    )
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def run(args: argparse.Namespace) -> int:
    with connection_for(args) as (conn, target, _project):
        if args.action == "list":
            records = changes(conn)
            fmt = output_format(args)
            if fmt == "json":
                print_json({"changes": [r.to_dict() for r in records]})
            else:
                show(fmt, [_listing(records)])
            return 0
        record = change(conn, args.id)
        if args.action == "show":
            if args.json:
                print_json(record.to_dict())
            else:
                print("\n".join(_details(record)))
            return 0
        if not args.json:
            print("\n".join(_details(record)))
        guard = target.protected_by
        if guard is not None and args.confirm != guard.name:
            if not sys.stdin.isatty():
                raise UsageError(f"{target.protection()}: pass --confirm {guard.name} to undo")
            if input(f"{target.protection()}. Type {guard.name} to undo: ").strip() != guard.name:
                raise UsageError("not confirmed; nothing was changed")
        elif not args.yes:
            if not sys.stdin.isatty():
                raise UsageError("undoing asks for confirmation: pass --yes when no one is at the terminal")
            if input(f"Undo change {record.id}? [y/N] ").strip().lower() not in ("y", "yes"):
                raise UsageError("not confirmed; nothing was changed")
        report = undo(conn, record.id)
        if args.json:
            print_json(report.to_dict())
        if report.refused:
            raise UndoRefused(report.refused)
        if not args.json:
            print(f"undone: {report.rows_restored} rows put back, {report.rows_removed} removed")
    return 0


def _listing(records: list[ChangeRecord]) -> Listing:
    listing = Listing(
        ("id", "ran at", "rows", "backup", "size", "undone", "statement"),
        right=frozenset({"id", "rows", "size"}),
        empty="no changes in the journal",
    )
    for r in records:
        size = "" if r.backup_bytes is None else f"{r.backup_bytes:,} B"
        first = " ".join(r.statement.split())
        listing.add(str(r.id), r.ran_at, str(r.rows), r.backup, size, r.undone_at or "", first[:80])
    return listing


def _details(r: ChangeRecord) -> list[str]:
    size = "unknown" if r.backup_bytes is None else f"{r.backup_bytes:,} bytes"
    return [
        f"change {r.id} on {r.database} at {r.ran_at}",
        f"rows: {r.rows}; backup: {r.backup} ({size}); tables: {', '.join(r.tables) or 'none'}",
        f"undone: {r.undone_at or 'no'}",
        *_statements(r),
    ]


def _statements(r: ChangeRecord) -> list[str]:
    """The statement(s); with parameters, each statement followed by the values bound to it on
    a line of its own (to read, never to run: the SQL stays as it ran, with its placeholders)."""
    if not r.values:
        return [r.statement]
    statements = r.statement.split(";\n")
    if len(statements) != len(r.values):
        return [r.statement, "values: " + " | ".join(", ".join(v) for v in r.values)]
    return [line for sql, v in zip(statements, r.values, strict=True) for line in (sql, f"  values: {', '.join(v)}")]
