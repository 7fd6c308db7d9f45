"""The inverse of additive migration statements: the statement that undoes each effect.

A purely additive migration (see `impact.Impact.inverse`) is undone by dropping what its effects
made, newest first. These statements need only the names the migration's statements give (the
objects are the migration's own, so no recorded catalog has them); statements for catalog
objects are in `workbench.db.ddl`.
"""

from __future__ import annotations

from workbench.db.base import Connection
from workbench.migrations.analysis import Effect, Name


def inverse(conn: Connection, effect: Effect) -> str:
    """The statement that undoes one additive effect (see `impact.ADDITIVE`).

    `impact` puts only effects that carry the names their inverse needs into `Impact.inverse`.
    """
    action, table, obj, column = effect.action, effect.table, effect.object_name, effect.column
    if action == "create_table" and table:
        return f"DROP TABLE {_name(conn, table)}"
    if action == "create_index" and table and obj:
        return f"DROP INDEX {conn.qualify(obj.schema or table.schema, obj.name)}"
    if action == "add_column" and table and column:
        return f"ALTER TABLE {_name(conn, table)} DROP COLUMN {conn.quote(column)}"
    if action == "add_constraint" and table and obj:
        return f"ALTER TABLE {_name(conn, table)} DROP CONSTRAINT {conn.quote(obj.name)}"
    if action == "create_type" and obj:
        return f"DROP {'DOMAIN' if effect.has('domain') else 'TYPE'} {_name(conn, obj)}"
    if action == "create_view" and obj:
        return f"DROP {'MATERIALIZED VIEW' if effect.has('materialized') else 'VIEW'} {_name(conn, obj)}"
    if action == "create_sequence" and obj:
        return f"DROP SEQUENCE {_name(conn, obj)}"
    if action == "create_schema" and obj:
        return f"DROP SCHEMA {conn.quote(obj.name)}"
    raise ValueError(f"no inverse for {action}")


def _name(conn: Connection, name: Name) -> str:
    return conn.qualify(name.schema, name.name)
