"""Which columns tell one row of a table from every other: what paging and editing find a row by.

A row is found by its primary key, else by SQLite's implicit rowid, else by a unique index over
NOT NULL columns. A view, or a table with none of these (a PostgreSQL table without a primary key
or unique NOT NULL columns), has no key: its rows cannot be told apart.
"""

from __future__ import annotations

from workbench.db.base import Connection
from workbench.db.catalog import Table, View

IMPLICIT_ROWID = ("rowid", "_rowid_", "oid")  # SQLite's aliases; the first not shadowed by a column


def row_key(conn: Connection, relation: Table | View) -> tuple[str, ...] | None:
    """Columns that identify a row and are never NULL, or None when the relation has none.

    Preference: the primary key, then SQLite's implicit rowid, then a unique index over
    NOT NULL columns. Views have no key.
    """
    if not isinstance(relation, Table) or not relation.columns:
        return None
    names = {c.name for c in relation.columns}
    not_null = {c.name for c in relation.columns if not c.nullable}
    pk = relation.primary_key
    rowid = conn.capabilities.rowid and "WITHOUT ROWID" not in (o.upper() for o in relation.options)
    if pk and pk.columns and (set(pk.columns) <= not_null or (rowid and _aliases_rowid(relation, pk.columns))):
        return tuple(pk.columns)
    alias = next((a for a in IMPLICIT_ROWID if a not in names), None)
    if rowid and alias is not None:
        return (alias,)
    candidates = [pk.columns] if pk else []
    candidates += [u.columns for u in relation.uniques]
    candidates += [i.columns for i in relation.indexes if i.unique and not i.predicate]
    for columns in candidates:
        if columns and set(columns) <= not_null and set(columns) <= names:
            return tuple(columns)
    return None


def _aliases_rowid(table: Table, key: tuple[str, ...]) -> bool:
    """An `INTEGER PRIMARY KEY` column of a rowid table is SQLite's rowid under a name: never NULL."""
    column = next((c for c in table.columns if c.name == key[0]), None)
    return len(key) == 1 and column is not None and column.data_type.upper() == "INTEGER"
