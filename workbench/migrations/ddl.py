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
    """The statement that undoes one additive effect (see `impact.ADDITIVE`)."""
    action = effect.action
    if action == "create_table":
        return f"DROP TABLE {_name(conn, effect.table)}"
    if action == "create_index":
        schema = effect.object_name.schema or effect.table.schema
        return f"DROP INDEX {conn.qualify(schema, effect.object_name.name)}"
    if action == "add_column":
        return f"ALTER TABLE {_name(conn, effect.table)} DROP COLUMN {conn.quote(effect.column)}"
    if action == "add_constraint":
        return f"ALTER TABLE {_name(conn, effect.table)} DROP CONSTRAINT {conn.quote(effect.object_name.name)}"
    if action == "create_type":
        return f"DROP {'DOMAIN' if effect.has('domain') else 'TYPE'} {_name(conn, effect.object_name)}"
    if action == "create_view":
        return f"DROP {'MATERIALIZED VIEW' if effect.has('materialized') else 'VIEW'} {_name(conn, effect.object_name)}"
    if action == "create_sequence":
        return f"DROP SEQUENCE {_name(conn, effect.object_name)}"
    if action == "create_schema":
        return f"DROP SCHEMA {conn.quote(effect.object_name.name)}"
    raise ValueError(f"no inverse for {action}")


def _name(conn: Connection, name: Name) -> str:
    return conn.qualify(name.schema, name.name)
