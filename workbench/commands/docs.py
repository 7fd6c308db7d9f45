"""`workbench docs TARGET --output DIR`: the schema as Markdown pages that render on GitHub.

One page per table (columns, constraints, foreign keys both ways, indexes, triggers, policies,
comments, estimated row count, its neighbourhood as a Mermaid diagram) and `index.md` with the
whole schema's diagram and the table list. Only changed pages are written, so the folder can
live in the repository and diff well in review. The workbench's own tables are left out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.commands.common import add_target_arguments, connection_for
from workbench.db.catalog import is_workbench_object
from workbench.relations.docs import write_docs


def register(parser: argparse.ArgumentParser) -> None:
    add_target_arguments(parser)
    parser.add_argument("--output", metavar="DIR", required=True, help="folder for the pages (created when missing)")
    parser.epilog = (
        "examples:\n"
        "  workbench docs shop.db --output docs/schema\n"
        "  workbench docs postgresql://localhost/pagila --output schema-docs\n\n"
        "exit codes: 0 written, 2 bad input (an unreachable database)"
    )
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def run(args: argparse.Namespace) -> int:
    with connection_for(args) as (conn, _target, _project):
        catalog = conn.introspect().without(is_workbench_object)
    result = write_docs(catalog, Path(args.output))
    print(
        f"{args.output}: {len(result.written)} pages written, {result.unchanged} unchanged"
        + (f", {len(result.removed)} removed (their tables are gone)" if result.removed else ""),
        file=sys.stderr,
    )
    return 0
