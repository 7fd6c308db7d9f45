"""`workbench diff FROM TO [--sql | --json] [--rename OLD=NEW …] [--project DIR]`.

FROM and TO are URLs, SQLite paths, profiles or a named source (see `workbench.diff.sources`).
Without a flag, a summary grouped by kind of object, likely renames marked; `--sql` prints only
the statements that turn FROM's schema into TO's; `--json` the `SchemaDiff` contract. Exit 0
when the schemas are the same, 1 when they differ, 2 for bad input or a change PostgreSQL has no
way to make.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack

from workbench.commands.common import print_json
from workbench.diff import SchemaDiff, diff_catalogs
from workbench.diff.sources import load_catalog
from workbench.errors import UsageError
from workbench.project import load_project


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="FROM", help="URL, SQLite path, profile, or a named source")
    parser.add_argument("target", metavar="TO", help="URL, SQLite path, profile, or a named source")
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument("--sql", action="store_true", help="print only the SQL that turns FROM into TO")
    shown.add_argument("--json", action="store_true", help="print the differences and the SQL as JSON")
    parser.add_argument(
        "--rename",
        action="append",
        default=[],
        metavar="OLD=NEW",
        help="a table or column that was renamed, not dropped and added (public.a=public.b, public.t.c1=public.t.c2)",
    )
    parser.add_argument("--project", metavar="DIR", help="project folder for profiles (default: the current folder)")
    parser.epilog = (
        "examples:\n"
        "  workbench diff dev.db prod.db                     what differs, by kind of object\n"
        "  workbench diff postgresql://localhost/dev postgresql://localhost/prod --sql   pipe it to `psql -f -`\n"
        "  workbench diff old.db new.db --rename main.clients=main.customers --sql\n\n"
        "exit codes: 0 the same, 1 different, 2 bad input (or a change PostgreSQL has no way to make)"
    )
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def run(args: argparse.Namespace) -> int:
    renames = dict(_pair(r) for r in args.rename)
    project = load_project(args.project)
    with ExitStack() as stack:
        source, conn = load_catalog(args.source, project)
        stack.callback(conn.close)
        target, other = load_catalog(args.target, project)
        stack.callback(other.close)
        result = diff_catalogs(source, target, conn, renames=renames)
    if args.json:
        print_json(result.to_dict())
    elif args.sql:
        sys.stdout.write(result.sql())
    else:
        sys.stdout.write(summary(result))
    if result.problems:
        if not args.json:
            for problem in result.problems:
                print(f"workbench: {problem}", file=sys.stderr)
        return 2
    return 0 if result.same else 1


def _pair(text: str) -> tuple[str, str]:
    old, sep, new = text.partition("=")
    if not sep or not old.strip() or not new.strip():
        raise UsageError(f"--rename {text}: write it as OLD=NEW, e.g. public.clients=public.customers")
    return old.strip(), new.strip()


def summary(result: SchemaDiff) -> str:
    """The differences grouped by kind of object, one line each, likely renames marked."""
    if result.same:
        return "The schemas are the same.\n"
    lines: list[str] = []
    groups: dict[str, list[str]] = {}
    hints = []
    for e in result.entries:
        line = f"  {_MARK[e.status]} {e.name} {e.status}"
        if e.details:
            line += ": " + "; ".join(e.details)
        if e.likely_rename_of:
            line += f"  (likely renamed from {e.likely_rename_of})"
            hints.append(f"--rename {e.likely_rename_of}={e.name}")
        groups.setdefault(e.kind, []).append(line)
    for kind, items in groups.items():
        lines += [f"{_PLURAL.get(kind, kind + 's')} ({len(items)}):", *items]
    lines.append(f"{len(result.statements)} statements turn FROM into TO (`--sql` prints them).")
    if hints:
        lines.append("To keep the data of a likely rename instead of dropping it, add: " + " ".join(hints))
    lines += [f"cannot: {p}" for p in result.problems]
    return "\n".join(lines) + "\n"


_PLURAL = {"index": "indexes", "policy": "policies", "privilege": "privileges"}
_MARK = {"added": "+", "removed": "-", "changed": "~", "renamed": ">"}
