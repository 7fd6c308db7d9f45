"""Skeleton: entries from `catalog_diff`, statements still to come."""

from __future__ import annotations

from workbench.db.base import Connection
from workbench.db.catalog import Catalog
from workbench.db.catalog_diff import diff
from workbench.diff.model import DiffEntry, SchemaDiff


def plan(source: Catalog, target: Catalog, conn: Connection, renames: dict[str, str]) -> SchemaDiff:
    entries = tuple(DiffEntry(c.kind, c.name, c.action, None, None) for c in diff(source, target).changes)
    return SchemaDiff(source.backend, entries, ())
