"""From two catalogs to a `SchemaDiff`: renames first, then the backend's statements."""

from __future__ import annotations

from workbench.db.base import Connection
from workbench.db.catalog import Catalog
from workbench.diff import renames as rename
from workbench.diff.entries import entries
from workbench.diff.model import SchemaDiff
from workbench.diff.steps import terminated
from workbench.errors import UsageError


def plan(source: Catalog, target: Catalog, conn: Connection, renames: dict[str, str]) -> SchemaDiff:
    if source.backend != target.backend:
        raise UsageError(
            f"cannot compare a {source.backend} schema with a {target.backend} one: both sides must be the same backend"
        )
    asked = rename.parse(renames, source, target, conn.default_schema)
    renamed, rename_sql = rename.apply(source, asked, conn)
    found = entries(renamed, target, conn, asked, rename.likely(renamed, target))
    if conn.capabilities.alter_column:
        from workbench.diff.postgres import statements
    else:
        from workbench.diff.sqlite import statements
    body, problems = statements(renamed, target, conn)
    sql = tuple(terminated(s) for s in rename_sql) + body if found or body else ()
    return SchemaDiff(source.backend, found, sql, problems)
