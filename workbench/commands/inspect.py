"""`workbench inspect TARGET [--format table|plain|tsv|json] [--schema NAME] [--table NAME] [--all]`.

For people: tables of the schema, boxed at a terminal and plain (full values) in a pipe; `tsv`
for scripts (see `workbench.commands.listing`). For programs: `--json`, a stable contract with top-level
keys backend, database, server_version, schemas, tables, views, enums, domains, sequences,
functions, triggers, policies; each table has schema, name, columns, indexes, foreign_keys,
referenced_by, row_estimate, … (see `Catalog.to_dict`). The workbench's own ledger and backup
tables are left out unless `--all` is given.
"""

from __future__ import annotations

import argparse
import sys

from workbench.commands.common import add_target_arguments, connection_for, print_json
from workbench.commands.listing import Listing, Styled, add_format_argument, output_format, show
from workbench.db.catalog import Catalog, Table, collector_paused, is_workbench_object
from workbench.errors import UsageError


def register(parser: argparse.ArgumentParser) -> None:
    add_target_arguments(parser)
    add_format_argument(parser)
    parser.add_argument("--schema", action="append", metavar="NAME", help="only this schema (repeatable)")
    parser.add_argument("--table", metavar="NAME", help="describe one table in detail")
    parser.add_argument("--all", action="store_true", help="include the workbench's own ledger and backup tables")
    parser.epilog = (
        "examples:\n"
        "  workbench inspect shop.db\n"
        "  workbench inspect shop.db --table orders\n"
        "  workbench inspect postgresql://localhost/shop --json --schema public\n"
        "  workbench inspect shop.db --format tsv          tab-separated rows, for cut, sort and awk\n"
        "  workbench inspect local --project ./db --all     a profile; the ledger and backups too\n\n"
        "exit codes: 0 printed, 2 bad input (an unreachable database, no such schema or table)"
    )
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def run(args: argparse.Namespace) -> int:
    # The collector stays off to the end, not only while the catalog is built: the first
    # collection after it would walk all of its objects (none in a cycle) once more, for nothing.
    with collector_paused():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    fmt = output_format(args)
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
        if fmt == "json":
            print_json(
                next(t for t, obj in zip(catalog.to_dict()["tables"], catalog.tables, strict=True) if obj is table)
            )
        else:
            head = f"{table.qualified_name} ≈ {table.row_estimate or 0:,} rows" + (
                f" — {table.comment}" if table.comment else ""
            )
            show(fmt, [_columns_listing(table)], lead=[head], tail=_table_lines(catalog, table))
        return 0
    if fmt == "json":
        sys.stdout.flush()
        sys.stdout.buffer.write(catalog.to_json(pretty=sys.stdout.isatty()) + b"\n")
    else:
        show(fmt, _catalog_listings(catalog), lead=[_catalog_summary(catalog)])
    return 0


def _catalog_listings(catalog: Catalog) -> list[Listing]:
    tables = Listing(
        ("table", "rows ≈", "columns", "primary key", "foreign keys", "indexes", "triggers", "policies"),
        title="Tables",
        right=frozenset({"rows ≈", "columns", "indexes", "triggers"}),
        empty="no tables",
    )
    for t in catalog.tables:
        tables.add(
            t.qualified_name + (" (partitioned)" if t.kind == "partitioned table" else ""),
            "" if t.row_estimate is None else f"{t.row_estimate:,}",
            str(len(t.columns)),
            ", ".join(t.primary_key.columns) if t.primary_key else Styled("none", "red"),
            "\n".join(f"{', '.join(fk.columns)} → {fk.ref_table}" for fk in t.foreign_keys),
            str(len(t.indexes)),
            str(len(t.triggers)),
            (f"{len(t.policies)}" + (" (RLS on)" if t.rls_enabled else "")) if t.policies or t.rls_enabled else "",
        )
    out = [tables]
    if catalog.views:
        views = Listing(("view", "kind", "columns"), title="Views", right=frozenset({"columns"}))
        for v in catalog.views:
            views.add(
                v.qualified_name,
                "materialized" if v.materialized else "view",
                str(len(v.columns)) if not v.error else Styled(f"broken: {v.error}", "red"),
            )
        out.append(views)
    if catalog.enums:
        enums = Listing(("enum", "values"), title="Enums")
        for e in catalog.enums:
            enums.add(f"{e.schema}.{e.name}", ", ".join(e.values))
        out.append(enums)
    if catalog.functions:
        functions = Listing(("function", "kind", "returns", "language"), title="Functions")
        for f in catalog.functions:
            functions.add(f.signature, f.kind, f.returns or "", f.language)
        out.append(functions)
    return out


def _catalog_summary(catalog: Catalog) -> str:
    return (
        f"{catalog.backend} {catalog.database} (server {catalog.server_version}): "
        f"{len(catalog.tables)} tables, {len(catalog.views)} views, {len(catalog.enums)} enums, "
        f"{len(catalog.functions)} functions, {len(catalog.triggers)} triggers, {len(catalog.policies)} policies"
    )


def _columns_listing(table: Table) -> Listing:
    columns = Listing(("#", "column", "keys", "type", "null", "default", "comment"), title="Columns")
    pk = set(table.primary_key.columns) if table.primary_key else set()
    fk_cols = {c for fk in table.foreign_keys for c in fk.columns}
    for c in table.columns:
        keys = " ".join(k for k, on in (("PK", c.name in pk), ("FK", c.name in fk_cols)) if on)
        columns.add(
            str(c.position),
            c.name,
            Styled(keys, "dim"),
            c.data_type,
            "yes" if c.nullable else "no",
            c.generated and f"generated: {c.generated}" or c.default or "",
            c.comment or "",
        )
    return columns


def _table_lines(catalog: Catalog, table: Table) -> list[str]:
    """What a table has besides its columns, one line each."""
    out = []
    for fk in table.foreign_keys:
        out.append(
            f"FK {', '.join(fk.columns)} → {fk.ref_schema}.{fk.ref_table}({', '.join(fk.ref_columns)}) "
            f"on delete {fk.on_delete.lower()}, on update {fk.on_update.lower()}"
        )
    out += [
        f"referenced by {other.qualified_name}({', '.join(fk.columns)})" for other, fk in catalog.referencing(table)
    ]
    for ix in table.indexes:
        out.append(
            f"index {ix.name}: {'unique ' if ix.unique else ''}{ix.method or ''} ({', '.join(ix.columns)})"
            + (f" where {ix.predicate}" if ix.predicate else "")
        )
    out += [
        f"trigger {tr.name}: {tr.timing} {' or '.join(tr.events)} for each {tr.level.lower()}" for tr in table.triggers
    ]
    out += [f"policy {p.name}: {p.command} to {', '.join(p.roles)} using {p.using}" for p in table.policies]
    if table.owner:
        out.append(f"owner {table.owner}")
    for g in table.grants or ():
        out.append(f"grant {g.privilege} to {g.grantee}" + (" with grant option" if g.grantable else ""))
    return out
