"""The schema diff: what differs between two catalogs, and the SQL that turns one into the other.

`diff_catalogs(source, target, conn)` compares FROM (`source`) with TO (`target`) and returns a
`SchemaDiff`: entries for people, statements in dependency order, and problems no statement can
solve. `conn` is a connection of the same backend, used for quoting and capabilities only.
"""

from __future__ import annotations

from collections.abc import Mapping

from workbench.db.base import Connection
from workbench.db.catalog import Catalog
from workbench.diff.model import DiffEntry, SchemaDiff

__all__ = ["DiffEntry", "SchemaDiff", "diff_catalogs"]


def diff_catalogs(
    source: Catalog, target: Catalog, conn: Connection, *, renames: Mapping[str, str] | None = None
) -> SchemaDiff:
    """The differences from `source` to `target` and the statements between them.

    `renames` maps old to new qualified names of tables (`public.a`) and columns (`public.t.c1`)
    the user says were renamed: they become ALTER … RENAME instead of a drop and an add.
    """
    from workbench.diff.planner import plan

    return plan(source, target, conn, dict(renames or {}))
