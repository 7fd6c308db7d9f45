"""`workbench er TARGET [--around TABLE --hops N] [--tables GLOB] [--format mermaid|dot]`.

Prints the schema's entity-relationship diagram: Mermaid's `erDiagram` (paste it into a
```` ```mermaid ```` block and GitHub or GitLab draws it) or Graphviz DOT (`| dot -Tsvg`). The
workbench's own ledger and backup tables are left out.
"""

from __future__ import annotations

import argparse
import sys

from workbench.commands.common import add_target_arguments, connection_for
from workbench.db.catalog import Catalog, is_workbench_object
from workbench.errors import UsageError
from workbench.relations.dot import dot
from workbench.relations.graph import Graph, neighbourhood, only, whole
from workbench.relations.mermaid import mermaid


def register(parser: argparse.ArgumentParser) -> None:
    add_target_arguments(parser)
    parser.add_argument("--around", metavar="TABLE", help="only this table's neighbourhood (name or schema.name)")
    parser.add_argument(
        "--hops", type=int, default=1, metavar="N", help="with --around: foreign keys to follow, either way (default 1)"
    )
    parser.add_argument("--tables", metavar="GLOB", help="only tables whose name or schema.name matches, e.g. 'film*'")
    parser.add_argument("--format", choices=("mermaid", "dot"), default="mermaid", help="default: mermaid")
    parser.epilog = (
        "examples:\n"
        "  workbench er shop.db                          the whole schema as a Mermaid erDiagram\n"
        "  workbench er shop.db --around orders --hops 2\n"
        "  workbench er postgresql://localhost/pagila --tables 'film*' --format dot    pipe it to `dot -Tsvg`\n\n"
        "exit codes: 0 printed, 2 bad input (an unreachable database, no such table)"
    )
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def run(args: argparse.Namespace) -> int:
    if args.hops < 0:
        raise UsageError("--hops must be 0 or more")
    with connection_for(args) as (conn, _target, _project):
        catalog = conn.introspect().without(is_workbench_object)
    graph = choose(catalog, args.around, args.hops, args.tables)
    sys.stdout.write(dot(graph, catalog.database or "schema") if args.format == "dot" else mermaid(graph))
    return 0


def choose(catalog: Catalog, around: str | None, hops: int, pattern: str | None) -> Graph:
    """The tables the arguments name; a missing table or an empty selection is bad input."""
    if around is None:
        graph = whole(catalog, pattern)
    else:
        centre = catalog.table(around)
        if centre is None:
            raise UsageError(f"no table named {around!r} in this database")
        graph = only(neighbourhood(catalog, centre, hops), pattern)
    if not graph.tables:
        raise UsageError(f"no table matches {pattern!r}" if pattern else "this database has no tables")
    return graph
