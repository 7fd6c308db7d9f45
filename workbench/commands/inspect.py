"""`workbench inspect TARGET [--json] [--schema NAME] [--table NAME] [--all]`.

For people: rich tables of the schema. For programs: `--json`, a stable contract with top-level
keys backend, database, server_version, schemas, tables, views, enums, domains, sequences,
functions, triggers, policies; each table has schema, name, columns, indexes, foreign_keys,
referenced_by, row_estimate, … (see `Catalog.to_dict`). The workbench's own ledger and backup
tables are left out unless `--all` is given.
"""

from __future__ import annotations

import argparse
import sys

from workbench.commands.common import add_target_arguments, connection_for, print_json
from workbench.db.catalog import Catalog, Table, is_workbench_object
from workbench.errors import UsageError


def register(parser: argparse.ArgumentParser) -> None:
    add_target_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the catalog as JSON")
    parser.add_argument("--schema", action="append", metavar="NAME", help="only this schema (repeatable)")
    parser.add_argument("--table", metavar="NAME", help="describe one table in detail")
    parser.add_argument("--all", action="store_true", help="include the workbench's own ledger and backup tables")
    parser.epilog = (
        "examples:\n"
        "  workbench inspect shop.db\n"
        "  workbench inspect shop.db --table orders\n"
        "  workbench inspect postgresql://localhost/shop --json --schema public\n"
        "  workbench inspect local --project ./db --all     a profile; the ledger and backups too\n\n"
        "exit codes: 0 printed, 2 bad input (an unreachable database, no such schema or table)"
    )
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def run(args: argparse.Namespace) -> int:
    with connection_for(args) as (conn, _target, _project):
        catalog = conn.introspect(args.schema)
    if args.schema:
        missing = sorted(set(args.schema) - {s.name for s in catalog.schemas})
        if missing:
            raise UsageError(f"no schema named {', '.join(missing)} in this database")
    if not args.all:
        catalog = catalog.without(is_workbench_object)
    if args.table:
        table = catalog.table(args.table)
        if table is None:
            raise UsageError(f"no table named {args.table!r} in this database")
        if args.json:
            print_json(
                next(t for t, obj in zip(catalog.to_dict()["tables"], catalog.tables, strict=True) if obj is table)
            )
        else:
            _print_table(catalog, table)
        return 0
    if args.json:
        sys.stdout.flush()
        sys.stdout.buffer.write(catalog.to_json(pretty=sys.stdout.isatty()) + b"\n")
    else:
        _print_catalog(catalog)
    return 0


def _print_catalog(catalog: Catalog) -> None:
    from rich.console import Console
    from rich.table import Table as RichTable

    console = Console()
    console.print(
        f"[bold]{catalog.backend}[/] {catalog.database} (server {catalog.server_version}): "
        f"{len(catalog.tables)} tables, {len(catalog.views)} views, {len(catalog.enums)} enums, "
        f"{len(catalog.functions)} functions, {len(catalog.triggers)} triggers, {len(catalog.policies)} policies"
    )
    tables = RichTable(title="Tables", title_justify="left")
    for heading in ("table", "rows ≈", "columns", "primary key", "foreign keys", "indexes", "triggers", "policies"):
        tables.add_column(heading, justify="right" if heading in ("rows ≈", "columns") else "left")
    for t in catalog.tables:
        tables.add_row(
            t.qualified_name + (" (partitioned)" if t.kind == "partitioned table" else ""),
            "" if t.row_estimate is None else f"{t.row_estimate:,}",
            str(len(t.columns)),
            ", ".join(t.primary_key.columns) if t.primary_key else "[red]none[/]",
            "\n".join(f"{', '.join(fk.columns)} → {fk.ref_table}" for fk in t.foreign_keys),
            str(len(t.indexes)),
            str(len(t.triggers)),
            (f"{len(t.policies)}" + (" (RLS on)" if t.rls_enabled else "")) if t.policies or t.rls_enabled else "",
        )
    console.print(tables)
    if catalog.views:
        views = RichTable(title="Views", title_justify="left")
        views.add_column("view")
        views.add_column("kind")
        views.add_column("columns", justify="right")
        for v in catalog.views:
            views.add_row(
                v.qualified_name,
                "materialized" if v.materialized else "view",
                str(len(v.columns)) if not v.error else f"[red]broken: {v.error}[/]",
            )
        console.print(views)
    if catalog.enums:
        enums = RichTable(title="Enums", title_justify="left")
        enums.add_column("enum")
        enums.add_column("values")
        for e in catalog.enums:
            enums.add_row(f"{e.schema}.{e.name}", ", ".join(e.values))
        console.print(enums)
    if catalog.functions:
        functions = RichTable(title="Functions", title_justify="left")
        for heading in ("function", "kind", "returns", "language"):
            functions.add_column(heading)
        for f in catalog.functions:
            functions.add_row(f.signature, f.kind, f.returns or "", f.language)
        console.print(functions)


def _print_table(catalog: Catalog, table: Table) -> None:
    from rich.console import Console
    from rich.table import Table as RichTable

    console = Console()
    console.print(
        f"[bold]{table.qualified_name}[/] ≈ {table.row_estimate or 0:,} rows"
        + (f" — {table.comment}" if table.comment else "")
    )
    columns = RichTable(title="Columns", title_justify="left")
    for heading in ("#", "column", "type", "null", "default", "comment"):
        columns.add_column(heading)
    pk = set(table.primary_key.columns) if table.primary_key else set()
    fk_cols = {c for fk in table.foreign_keys for c in fk.columns}
    for c in table.columns:
        marks = ("PK " if c.name in pk else "") + ("FK" if c.name in fk_cols else "")
        columns.add_row(
            str(c.position),
            f"{c.name} [dim]{marks}[/]",
            c.data_type,
            "yes" if c.nullable else "no",
            c.generated and f"generated: {c.generated}" or c.default or "",
            c.comment or "",
        )
    console.print(columns)
    for fk in table.foreign_keys:
        console.print(
            f"FK {', '.join(fk.columns)} → {fk.ref_schema}.{fk.ref_table}({', '.join(fk.ref_columns)}) "
            f"on delete {fk.on_delete.lower()}, on update {fk.on_update.lower()}"
        )
    for other, fk in catalog.referencing(table):
        console.print(f"referenced by {other.qualified_name}({', '.join(fk.columns)})")
    for ix in table.indexes:
        console.print(
            f"index {ix.name}: {'unique ' if ix.unique else ''}{ix.method or ''} ({', '.join(ix.columns)})"
            + (f" where {ix.predicate}" if ix.predicate else "")
        )
    for tr in table.triggers:
        console.print(f"trigger {tr.name}: {tr.timing} {' or '.join(tr.events)} for each {tr.level.lower()}")
    for p in table.policies:
        console.print(f"policy {p.name}: {p.command} to {', '.join(p.roles)} using {p.using}")
    if table.owner:
        console.print(f"owner {table.owner}")
    for g in table.grants or ():
        console.print(f"grant {g.privilege} to {g.grantee}" + (" with grant option" if g.grantable else ""))
