"""SQLite introspection: a handful of queries per schema, whatever the number of tables.

SQLite's table-valued pragmas (`pragma_table_xinfo`, `pragma_foreign_key_list`,
`pragma_index_list`, `pragma_index_xinfo`) are joined against `sqlite_master`, so every table's
columns come back in one query, every foreign key in another, and so on. What pragmas do not
expose (CHECKs, generated expressions, trigger timing) is read from the stored CREATE text.
Row estimates come from `sqlite_stat1` when ANALYZE has run, else from `max(rowid)` (a b-tree
seek per table, in one statement) — never a full count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from workbench.db import sqlite_ddl
from workbench.db.base import CatalogOutline, DatabaseError, OutlineEntry
from workbench.db.catalog import (
    Catalog,
    Column,
    ForeignKey,
    Index,
    Schema,
    Table,
    Trigger,
    View,
    new_check,
    new_column,
    new_foreign_key,
    new_index,
    new_primary_key,
    new_table,
    new_unique,
)

if TYPE_CHECKING:
    from workbench.db.sqlite import SQLiteConnection

_ACTIONS = {"NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"}


def load(conn: SQLiteConnection, schemas: Sequence[str] | None = None) -> Catalog:
    """The catalog of `schemas` (default: main and every attached database)."""
    wanted = [s for s in _databases(conn) if schemas is None or s in schemas]
    tables: list[Table] = []
    views: list[View] = []
    for schema in wanted:
        t, v = _load_schema(conn, schema)
        tables.extend(t)
        views.extend(v)
    version = conn.query("SELECT sqlite_version()").scalar()
    return Catalog(
        backend="sqlite",
        database=conn.path,
        server_version=str(version),
        schemas=tuple(Schema(s) for s in wanted),
        tables=tuple(tables),
        views=tuple(views),
    )


def outline(conn: SQLiteConnection) -> CatalogOutline:
    """The tables and views `load` would list, with the same estimates, from `sqlite_master` alone."""
    databases = _databases(conn)
    objects: list[OutlineEntry] = []
    for schema in databases:
        rows = conn.query(
            f"SELECT type, name, sql FROM {conn.quote(schema)}.sqlite_master "
            "WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        ).rows
        estimates = _row_estimates(conn, schema, {name: sql or "" for kind, name, sql in rows if kind == "table"})
        objects += [OutlineEntry(kind, schema, name, estimates.get(name)) for kind, name, _sql in rows]
    return CatalogOutline(tuple(databases), tuple(objects))


def _databases(conn: SQLiteConnection) -> list[str]:
    """main and every attached database, in attach order (temp is the session's own, not the user's)."""
    return [row[1] for row in conn.query("PRAGMA database_list").rows if row[1] != "temp"]


def _load_schema(conn: SQLiteConnection, schema: str) -> tuple[list[Table], list[View]]:
    master = f"{conn.quote(schema)}.sqlite_master"
    objects = conn.query(
        f"SELECT type, name, tbl_name, sql FROM {master} "
        "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name"
    ).rows
    table_sql = {name: sql or "" for kind, name, _t, sql in objects if kind == "table"}
    if not table_sql and not any(kind == "view" for kind, *_ in objects):
        return [], []
    s = conn.placeholder
    columns = _group(
        conn.query(
            f'SELECT m.name, p.cid, p.name, p.type, p."notnull", p.dflt_value, p.pk, p.hidden '
            f"FROM {master} m JOIN pragma_table_xinfo(m.name, {s}) p "
            "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY m.name, p.cid",
            (schema,),
        ).rows
    )
    fks = _group(
        conn.query(
            f'SELECT m.name, p.id, p.seq, p."table", p."from", p."to", p.on_update, p.on_delete, p.match '
            f"FROM {master} m JOIN pragma_foreign_key_list(m.name, {s}) p "
            "WHERE m.type = 'table' ORDER BY m.name, p.id, p.seq",
            (schema,),
        ).rows
    )
    index_rows = _group(
        conn.query(
            f'SELECT m.name, il.seq, il.name, il."unique", il.origin, il.partial, ii.seqno, ii.cid, ii.name '
            f"FROM {master} m JOIN pragma_index_list(m.name, {s}) il "
            f"JOIN pragma_index_xinfo(il.name, {s}) ii "
            "WHERE m.type = 'table' AND ii.key = 1 ORDER BY m.name, il.name, ii.seqno",
            (schema, schema),
        ).rows
    )
    index_sql = {name: sql for kind, name, _t, sql in objects if kind == "index"}
    triggers = defaultdict(list)
    for kind, name, tbl_name, sql in objects:
        if kind == "trigger":
            timing, event, level = sqlite_ddl.trigger_parts(sql or "")
            triggers[tbl_name].append(Trigger(schema, tbl_name, name, timing, (event,), level, definition=sql))
    estimates = _row_estimates(conn, schema, table_sql)
    tables = [
        _table(
            schema,
            name,
            sql,
            columns.get(name, []),
            fks.get(name, []),
            index_rows.get(name, []),
            index_sql,
            tuple(triggers.get(name, ())),
            estimates.get(name),
        )
        for name, sql in table_sql.items()
    ]
    views = _views(conn, schema, master, [(n, sql) for kind, n, _t, sql in objects if kind == "view"], triggers)
    return tables, views


def _group(rows: list[tuple[Any, ...]]) -> dict[str, list[tuple[Any, ...]]]:
    """Rows by their first column, the table name, which every catalog query sorts on first.

    Rows keep that column: slicing it off costs more than the grouping on a wide schema.
    """
    return {name: list(group) for name, group in groupby(rows, itemgetter(0))}


_GENERATED = {2: "virtual", 3: "stored"}  # pragma_table_xinfo's `hidden` for generated columns


def _columns(rows: list[tuple[Any, ...]], ddl: sqlite_ddl.TableDDL) -> tuple[Column, ...]:
    columns = []
    position = 0
    for _table, _cid, name, type_, notnull, default, _pk, hidden in rows:
        if hidden == 1:  # a hidden column of a virtual table
            continue
        position += 1
        if hidden:
            kind = _GENERATED[hidden]
            columns.append(
                Column(
                    name,
                    position,
                    type_ or "",
                    not notnull,
                    default,
                    generated=ddl.generated_expression(name),
                    generated_kind=kind,
                )
            )
        else:
            columns.append(new_column(name, position, type_ or "", not notnull, default))
    return tuple(columns)


def _table(
    schema: str,
    name: str,
    sql: str,
    column_rows: list[tuple[Any, ...]],
    fk_rows: list[tuple[Any, ...]],
    index_rows: list[tuple[Any, ...]],
    index_sql: dict[str, str | None],
    triggers: tuple[Trigger, ...],
    estimate: int | None,
) -> Table:
    ddl = sqlite_ddl.TableDDL(sql)
    columns = _columns(column_rows, ddl)
    pk_cols = tuple(row[2] for row in sorted((r for r in column_rows if r[6]), key=lambda r: r[6]))
    indexes = _indexes(index_rows, index_sql)
    uniques = tuple(new_unique(None, ix.columns) for ix in indexes if ix.unique and ix.constraint and not ix.primary)
    checks = tuple(new_check(n, expr, col) for n, expr, col in ddl.checks())
    return new_table(
        schema=schema,
        name=name,
        columns=columns,
        primary_key=new_primary_key(ddl.constraint_name("PRIMARY KEY"), pk_cols) if pk_cols else None,
        uniques=uniques,
        checks=checks,
        foreign_keys=_foreign_keys(schema, fk_rows),
        indexes=indexes,
        triggers=triggers,
        row_estimate=estimate,
        options=ddl.options,
        sql=sql,
    )


def _foreign_keys(schema: str, rows: list[tuple[Any, ...]]) -> tuple[ForeignKey, ...]:
    """One table's foreign keys from its pragma rows, which arrive sorted by key id, then seq."""
    out = []
    for _id, group in groupby(rows, itemgetter(1)):
        parts = list(group)
        _table, _id, _seq, ref_table, _from, _to, on_update, on_delete, match = parts[0]
        out.append(
            new_foreign_key(
                name=None,
                columns=tuple(r[4] for r in parts),
                ref_schema=schema,
                ref_table=ref_table,
                # An FK naming no target columns points at the referenced table's primary key;
                # the pragma reports None for those, which we leave as () rather than guess.
                ref_columns=tuple(r[5] for r in parts if r[5] is not None),
                on_update=_action(on_update),
                on_delete=_action(on_delete),
                match=None if match in (None, "NONE") else match,
            )
        )
    return tuple(out)


def _action(value: str | None) -> str:
    value = (value or "NO ACTION").upper()
    return value if value in _ACTIONS else "NO ACTION"


def _indexes(rows: list[tuple[Any, ...]], index_sql: dict[str, str | None]) -> tuple[Index, ...]:
    """One table's indexes from its pragma rows, which arrive sorted by index name, then term."""
    out = []
    for name, group in groupby(rows, itemgetter(2)):
        parts = list(group)
        _table, _seq, _name, unique, origin, partial, *_ = parts[0]
        sql = index_sql.get(name)
        columns = tuple(row[8] for row in parts)
        if None in columns:  # expression terms: only their CREATE INDEX text has them
            terms = sqlite_ddl.index_terms(sql)
            columns = tuple(
                col if col is not None else (terms[seqno] if seqno < len(terms) else "<expression>")
                for *_rest, seqno, _cid, col in parts
            )
        out.append(
            new_index(
                name=name,
                columns=columns,
                unique=bool(unique),
                primary=origin == "pk",
                predicate=sqlite_ddl.index_predicate(sql) if partial else None,
                method="btree",
                definition=sql,
                constraint=origin in ("pk", "u"),
            )
        )
    return tuple(out)


_ESTIMATES_PER_STATEMENT = 500


def _row_estimates(conn: SQLiteConnection, schema: str, table_sql: dict[str, str]) -> dict[str, int | None]:
    master = f"{conn.quote(schema)}.sqlite_master"
    has_stat = conn.query(f"SELECT 1 FROM {master} WHERE type = 'table' AND name = 'sqlite_stat1'").rows
    estimates: dict[str, int | None] = {}
    if has_stat:
        for tbl, rows in conn.query(
            f"SELECT tbl, max(CAST(stat AS INTEGER)) FROM {conn.quote(schema)}.sqlite_stat1 GROUP BY tbl"
        ).rows:
            estimates[tbl] = rows
    rowid_tables = [
        name
        for name, sql in table_sql.items()
        if name not in estimates and "WITHOUT ROWID" not in sql.upper() and "VIRTUAL" not in sql[:40].upper()
    ]
    # One statement per 500 tables: VALUES rows are not limited like compound SELECTs, but
    # compiling one of 5,000 rows takes ten times as long as ten of 500.
    for start in range(0, len(rowid_tables), _ESTIMATES_PER_STATEMENT):
        names = rowid_tables[start : start + _ESTIMATES_PER_STATEMENT]
        values = ", ".join(
            f"({conn.placeholder}, (SELECT max(rowid) FROM {conn.qualify(schema, name)}))" for name in names
        )
        try:
            for name, estimate in conn.query(f"VALUES {values}", tuple(names)).rows:
                estimates[name] = int(estimate or 0)
        except DatabaseError:
            pass  # a table we cannot read (e.g. a virtual table's module is missing): no estimate
    return estimates


def _views(
    conn: SQLiteConnection,
    schema: str,
    master: str,
    views: list[tuple[str, str | None]],
    triggers: dict[str, list[Trigger]],
) -> list[View]:
    if not views:
        return []
    s = conn.placeholder
    try:
        rows = _group(
            conn.query(
                f'SELECT m.name, p.cid, p.name, p.type, p."notnull", p.dflt_value, p.pk, p.hidden '
                f"FROM {master} m JOIN pragma_table_xinfo(m.name, {s}) p WHERE m.type = 'view' ORDER BY m.name, p.cid",
                (schema,),
            ).rows
        )
        errors: dict[str, str] = {}
    except DatabaseError:
        # One broken view (over a dropped table) fails the joined query; describe them one by one.
        rows, errors = {}, {}
        for name, _sql in views:
            try:
                rows[name] = conn.query(
                    f"SELECT {s}, p.* FROM pragma_table_xinfo({s}, {s}) p", (name, name, schema)
                ).rows
            except DatabaseError as exc:
                errors[name] = str(exc)
    return [
        View(
            schema=schema,
            name=name,
            definition=sql,
            columns=_columns(rows.get(name, []), sqlite_ddl.TableDDL(sql or "")),
            triggers=tuple(triggers.get(name, ())),
            error=errors.get(name),
        )
        for name, sql in views
    ]
