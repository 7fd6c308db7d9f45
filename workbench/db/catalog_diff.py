"""Compare two catalogs: a pure function from (before, after) to a list of changes.

Migrations use it to prove a rollback restored the schema, the report uses it to list what a
migration changed ("columns added per table"), coverage uses it to see what moved. Row
estimates are statistics, not schema, so they never count as a change. A field one side does not
know (None there: the other backend, or a catalog recorded by an older workbench) is compared
only where both sides know it, so a stored catalog without it never asks a repair to undo it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from workbench.db.catalog import (
    CheckConstraint,
    Catalog,
    Column,
    Domain,
    Enum,
    ForeignKey,
    Function,
    Index,
    PrimaryKey,
    Sequence,
    Table,
    Trigger,
    View,
)

# Parts of a table compared one by one, each keyed by a name (or, unnamed, by its content).
_TABLE_PARTS: dict[str, str] = {
    "columns": "column",
    "indexes": "index",
    "foreign_keys": "foreign_key",
    "checks": "check",
    "uniques": "unique",
    "triggers": "trigger",
    "policies": "policy",
    "grants": "grant",
}
_VOLATILE = {"row_estimate"}
# Fields that are None where they were not read: compared only when both sides know them.
_UNKNOWABLE: dict[type, tuple[str, ...]] = {
    Table: ("owner", "grants", "parameters", "tablespace", "replica_identity", "inherits"),
    View: ("owner", "grants", "parameters"),
    Sequence: ("owner", "grants", "minimum", "maximum", "cache", "cycle"),
    Enum: ("owner",),
    Domain: ("owner",),
    Function: ("owner", "grants"),
    Column: ("grants", "statistics", "storage", "compression", "inherited"),
    PrimaryKey: ("definition",),
    CheckConstraint: ("definition", "inherited"),
    ForeignKey: ("definition",),
    Index: ("clustered", "replica_identity"),
    Trigger: ("firing",),
}
# Parts of tables and views whose own fields may be unknown.
_PARTS_WITH_UNKNOWNS = ("columns", "checks", "foreign_keys", "indexes", "triggers")


@dataclass(frozen=True)
class Change:
    """One difference. `kind` is table, view, enum, …, or a table part (column, index, …).

    `path` names the object: ("public", "runs") for a table, ("public", "runs", "status") for one
    of its columns. `before`/`after` are the catalog objects (None when added/removed).
    """

    kind: str
    path: tuple[str, ...]
    action: str  # added | removed | changed
    before: Any = None
    after: Any = None

    @property
    def name(self) -> str:
        return ".".join(p for p in self.path if p)

    def describe(self) -> str:
        """One line for people: `column public.runs.status changed: data_type text → run_status`."""
        line = f"{self.kind} {self.name} {self.action}"
        if self.action == "changed":
            fields = _changed_fields(self.before, self.after)
            if fields:
                line += ": " + ", ".join(
                    "its CREATE text" if f == "sql" else f"{f} {getattr(self.before, f)!r} → {getattr(self.after, f)!r}"
                    for f in fields
                )
        return line


@dataclass(frozen=True)
class CatalogDiff:
    changes: tuple[Change, ...]

    def __bool__(self) -> bool:
        return bool(self.changes)

    def of(self, kind: str, action: str | None = None) -> list[Change]:
        return [c for c in self.changes if c.kind == kind and (action is None or c.action == action)]

    def describe(self) -> list[str]:
        return [c.describe() for c in self.changes]


def diff(before: Catalog, after: Catalog) -> CatalogDiff:
    """Every difference between two catalogs, tables first, in a stable order."""
    changes: list[Change] = []
    old = {(kind, key): obj for kind, key, obj in before.iter_objects()}
    new = {(kind, key): obj for kind, key, obj in after.iter_objects()}
    for kind, key in sorted(old.keys() | new.keys(), key=_order):
        a, b = old.get((kind, key)), new.get((kind, key))
        path = tuple(k for k in key if k)
        if a is None:
            changes.append(Change(kind, path, "added", None, b))
        elif b is None:
            changes.append(Change(kind, path, "removed", a, None))
        elif not same(a, b):
            changes.append(Change(kind, path, "changed", a, b))
            if isinstance(a, (Table, View)):
                changes.extend(_part_changes(a, b, path))
    return CatalogDiff(tuple(changes))


def _order(item: tuple[str, tuple[str, str]]) -> tuple[int, tuple[str, str]]:
    kinds = ["extension", "schema", "enum", "domain", "sequence", "table", "view", "function"]
    return (kinds.index(item[0]), item[1])


def same(a: Any, b: Any) -> bool:
    """Equal as schema (two tables, columns, sequences, …, the way `diff` compares them):
    statistics aside, and fields one side does not know aside."""
    if a == b:
        return True
    if isinstance(a, (Table, View)) and isinstance(b, (Table, View)):
        a = dataclasses.replace(a, row_estimate=None)
        b = dataclasses.replace(b, row_estimate=None)
        if a == b:
            return True
    return type(a) is type(b) and _known_by(a, b) == _known_by(b, a)


def _known_by(obj: Any, other: Any) -> Any:
    """`obj` without what `other` does not know (None there), in its parts too."""
    if other is None or not dataclasses.is_dataclass(obj):
        return obj
    blank: dict[str, Any] = {
        f: None for f in _UNKNOWABLE.get(type(obj), ()) if getattr(other, f) is None and getattr(obj, f) is not None
    }
    if isinstance(obj, Table) and obj.primary_key is not None:
        blank["primary_key"] = _known_by(obj.primary_key, other.primary_key)
    for attr in _PARTS_WITH_UNKNOWNS if isinstance(obj, (Table, View)) else ():
        mine, theirs = getattr(obj, attr, ()), getattr(other, attr, ())
        if mine != theirs:
            by_key = {_part_key(p): p for p in theirs}
            blank[attr] = tuple(_known_by(p, by_key.get(_part_key(p))) for p in mine)
    return dataclasses.replace(obj, **blank) if blank else obj


def _part_changes(a: Table | View, b: Table | View, path: tuple[str, ...]) -> Iterable[Change]:
    for attr, kind in _TABLE_PARTS.items():
        if getattr(a, attr, None) is None or getattr(b, attr, None) is None:
            continue
        olds = {_part_key(p): p for p in getattr(a, attr)}
        news = {_part_key(p): p for p in getattr(b, attr)}
        for key in [*olds, *(k for k in news if k not in olds)]:
            x, y = olds.get(key), news.get(key)
            if x is None:
                yield Change(kind, (*path, key), "added", None, y)
            elif y is None:
                yield Change(kind, (*path, key), "removed", x, None)
            elif not same(x, y):
                yield Change(kind, (*path, key), "changed", x, y)


def _part_key(part: Any) -> str:
    name: str | None = getattr(part, "name", None)
    if name:
        return name
    for attr in ("columns", "expression"):
        if hasattr(part, attr):
            value = getattr(part, attr)
            return ",".join(value) if isinstance(value, tuple) else str(value)
    return repr(part)


def _changed_fields(a: Any, b: Any) -> list[str]:
    """The fields of `a` and `b` worth naming in one line: scalars and tuples of scalars."""
    if not (dataclasses.is_dataclass(a) and dataclasses.is_dataclass(b)):
        return []
    a, b = _known_by(a, b), _known_by(b, a)
    return [
        f.name
        for f in dataclasses.fields(a)
        if f.name not in _VOLATILE
        and not f.name.startswith("_")
        and _simple(getattr(a, f.name))
        and _simple(getattr(b, f.name))
        and getattr(a, f.name) != getattr(b, f.name)
    ]


def _simple(value: Any) -> bool:
    scalars = (str, int, float, bool, type(None))
    return isinstance(value, scalars) or isinstance(value, tuple) and all(isinstance(v, scalars) for v in value)


def changes_by_object(d: CatalogDiff) -> tuple[str, ...]:
    """One line per object that changed, its parts after it: `main.orders: column notes added, …`.

    Columns that only moved (their position, because another column came or went) are left out.
    """
    groups: dict[str, list[str]] = {}
    for c in d.changes:
        obj = ".".join(p for p in c.path[:2] if p)
        parts = groups.setdefault(obj, [])
        if len(c.path) <= 2:
            if c.action != "changed":
                parts.insert(0, f"{c.kind} {c.action}")
        elif not (
            c.kind == "column"
            and c.action == "changed"
            and dataclasses.replace(c.before, position=c.after.position) == c.after
        ):
            parts.append(f"{c.kind} {c.path[-1]} {c.action}")
    return tuple(f"{obj}: {', '.join(parts)}" for obj, parts in groups.items() if parts)
