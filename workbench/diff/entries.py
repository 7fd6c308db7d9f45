"""The differences as people read them: one entry per object, with its DDL before and after."""

from __future__ import annotations

import dataclasses
from typing import Any

from workbench.db import ddl
from workbench.db.base import Connection
from workbench.db.catalog import Catalog, Extension, Grant, Index, Policy, Schema, Table, Trigger, View
from workbench.db.catalog_diff import Change, diff
from workbench.diff.model import DiffEntry
from workbench.diff.renames import Rename

_KINDS = {
    "foreign_key": "constraint",
    "check": "constraint",
    "unique": "constraint",
    "grant": "privilege",
}


def entries(
    source: Catalog, target: Catalog, conn: Connection, renames: list[Rename], likely: dict[str, str]
) -> tuple[DiffEntry, ...]:
    """Renames first, then every difference `catalog_diff` finds, likely renames marked."""
    out = [DiffEntry(r.kind, r.after, "renamed", None, None, (f"renamed from {r.before}",)) for r in renames]
    out += _collations(source, target, conn)
    changes = diff(source, target).changes
    with_parts = {c.path[:2] for c in changes if len(c.path) > 2}
    for c in changes:
        if _moved_in_child(c, target) or c.kind == "column" and _in_view(c, source, target):
            continue  # a view's columns follow its definition
        details = _details(c)
        if c.kind == "table" and c.action == "changed" and not details and c.path[:2] in with_parts:
            continue  # its parts say what changed
        out.append(
            DiffEntry(
                _KINDS.get(c.kind, c.kind),
                c.name,
                c.action,
                _ddl(c.before, c.path, source, conn),
                _ddl(c.after, c.path, target, conn),
                details,
                likely.get(c.name) if c.action == "added" else None,
            )
        )
    return tuple(out)


def _collations(source: Catalog, target: Catalog, conn: Connection) -> list[DiffEntry]:
    """Collations are not among the objects `catalog_diff` compares: compared here."""
    olds = {c.key: c for c in source.collations}
    news = {c.key: c for c in target.collations}
    out = []
    for key in sorted(olds.keys() | news.keys()):
        a, b = olds.get(key), news.get(key)
        if a != b:
            status = "added" if a is None else "removed" if b is None else "changed"
            before = ddl.create_collation(conn, a) + ";" if a else None
            after = ddl.create_collation(conn, b) + ";" if b else None
            out.append(DiffEntry("collation", ".".join(key), status, before, after))
    return out


def _in_view(c: Change, source: Catalog, target: Catalog) -> bool:
    return any(cat.view(c.path[1], c.path[0]) is not None for cat in (source, target))


def _moved_in_child(c: Change, target: Catalog) -> bool:
    """A column of a partition or INHERITS child that only moved: its parent's columns come
    first and PostgreSQL cannot reorder them, nor does pg_dump show the order."""
    if c.kind != "column" or c.action != "changed":
        return False
    t = target.table(c.path[1], c.path[0])
    moved_only = dataclasses.replace(c.before, position=c.after.position) == c.after
    return moved_only and t is not None and bool(t.partition_of or t.inherits)


def _details(c: Change) -> tuple[str, ...]:
    """What changed, one short phrase per field: `nullable True → False`, or `definition changed`
    where the values are long."""
    if c.action != "changed" or not dataclasses.is_dataclass(c.before):
        return ()
    out = []
    for f in dataclasses.fields(c.before):
        if f.name in _NOT_DETAILS or f.name.startswith("_"):
            continue
        was, now = getattr(c.before, f.name), getattr(c.after, f.name)
        if was == now or (was is None or now is None) and f.name in _UNKNOWN_WHEN_NONE:
            continue
        label, shown = f.name.replace("_", " "), f"{_short(was)} → {_short(now)}"
        out.append(f"{label} {shown}" if len(shown) <= 60 and "…" not in shown else f"{label} changed")
    return tuple(out)


# Parts with entries of their own, and statistics.
_NOT_DETAILS = {"row_estimate", "columns", "indexes", "triggers", "policies", "foreign_keys", "checks", "uniques"}
_UNKNOWN_WHEN_NONE = {"grants", "owner", "parameters", "tablespace", "replica_identity", "statistics", "storage"}


def _short(value: Any) -> str:
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return "(" + ", ".join(value) + ")"
    if dataclasses.is_dataclass(value) or isinstance(value, tuple):
        return "…"
    text = repr(value)
    return text if "\\n" not in text else "…"


def _ddl(obj: Any, path: tuple[str, ...], catalog: Catalog, conn: Connection) -> str | None:
    """Readable DDL of one object or part (None when it is not there)."""
    if obj is None:
        return None
    if isinstance(obj, Schema):
        return f"CREATE SCHEMA {conn.quote(obj.name)};"
    if isinstance(obj, Extension):
        return f"CREATE EXTENSION {conn.quote(obj.name)} WITH SCHEMA {conn.quote(obj.schema)} VERSION {obj.version!r};"
    if len(path) <= 2:
        return ddl.ddl(obj, conn, catalog).strip()
    owner = catalog.table(path[1], path[0]) or catalog.view(path[1], path[0])
    return _part(obj, owner, catalog, conn)


def _part(obj: Any, owner: Table | View | None, catalog: Catalog, conn: Connection) -> str | None:
    if isinstance(obj, Index) or isinstance(obj, Trigger):
        return obj.definition
    if isinstance(obj, Grant):
        return f"GRANT {obj.privilege} TO {obj.grantee}"
    if not isinstance(owner, Table):
        return repr(obj)
    if isinstance(obj, Policy):
        return ddl.create_policy(conn, owner, obj, readable=True)
    if hasattr(obj, "data_type"):
        return ddl.column_definition(conn, owner, obj, catalog)
    return ddl.constraint(conn, obj, readable=True)
