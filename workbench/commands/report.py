"""`workbench report TARGET [--project DIR] [--from V] [--to V] [--output FILE]`.

Writes the Markdown report of a range of migrations, generated rather than typed: columns added
per table, tables created or dropped, indexes, enums/CHECKs/policies, backups taken, the
project's checks with their results, and use-case coverage before → after. The migrations are
replayed on a scratch copy; the database itself is only read.

The default range is the pending migrations, or else the newest applied one. Exit 1 when a
migration of the range fails on the copy or a check does not pass; 2 for bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.commands.common import add_target_arguments, open_project_and_target
from workbench.report.migration_report import migration_report
from workbench.coverage.suite import Suite, load_suite
from workbench.coverage.usecases import UseCaseCatalog
from workbench.db import connect
from workbench.db.registry import backend_for


def register(parser: argparse.ArgumentParser) -> None:
    add_target_arguments(parser)
    parser.add_argument(
        "--from", dest="start", metavar="V", help="first migration of the range (default: the first pending)"
    )
    parser.add_argument("--to", dest="end", metavar="V", help="last migration of the range (default: the last pending)")
    parser.add_argument("--output", metavar="FILE", help="write the report to FILE instead of printing it")
    parser.epilog = (
        "examples:\n"
        "  workbench report booking.db --project . --to 0003 --output report-0003.md\n"
        "  workbench report postgresql://localhost/booking --from 12 --to 14\n\n"
        "exit codes: 0 written, 1 a migration failed on the copy or a check failed, 2 bad input"
    )
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def run(args: argparse.Namespace) -> int:
    project, target = open_project_and_target(args.target, args.project)
    dialect = backend_for(target.url).name
    suite = (
        load_suite(project.use_cases_file, dialect=dialect)
        if project.use_cases_file.is_file()
        else Suite(UseCaseCatalog(None), ())
    )
    conn = connect(target.url, options=target.connect_options())
    try:
        report = migration_report(
            conn, project, suite, start=args.start, end=args.end, progress=_progress if args.output else None
        )
    finally:
        conn.close()
    text = report.markdown()
    if not args.output:  # with --output the progress lines said so already
        for line in report.removed:
            print(line, file=sys.stderr)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}: {report.title}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0 if report.ok else 1


def _progress(done: int, total: int, text: str) -> None:
    print(f"[{done}/{total}] {text}", file=sys.stderr)
