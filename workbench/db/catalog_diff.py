"""Compare two catalogs: a pure function from (before, after) to a list of changes.

Migrations use it to prove a rollback restored the schema, the report uses it to list what a
migration changed ("columns added per table"), coverage uses it to see what moved. Row
estimates are statistics, not schema, so they never count as a change.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Iterable

from workbench.db.catalog import Catalog, Sequence, Table, View

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
_VOLATILE = {"row_estimate", "sql"}
_UNKNOWABLE = {"owner", "grants"}  # None where not read: compared only when both sides know them


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
                    f"{f} {getattr(self.before, f)!r} → {getattr(self.after, f)!r}" for f in fields
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
        elif _comparable(a, b) != _comparable(b, a):
            changes.append(Change(kind, path, "changed", a, b))
            if isinstance(a, (Table, View)):
                changes.extend(_part_changes(a, b, path))
    return CatalogDiff(tuple(changes))


def _order(item: tuple[str, tuple[str, str]]) -> tuple[int, tuple[str, str]]:
    kinds = ["extension", "schema", "enum", "domain", "sequence", "table", "view", "function"]
    return (kinds.index(item[0]), item[1])


def _comparable(obj: Any, other: Any) -> Any:
    """`obj` with statistics and storage details blanked, so only schema counts, and with what
    `other` does not know (an owner or grants, None there) blanked too."""
    if isinstance(obj, (Table, View, Sequence)):
        blank = {f: None for f in _VOLATILE if hasattr(obj, f)}
        blank.update({f: None for f in _UNKNOWABLE if hasattr(obj, f) and getattr(other, f, None) is None})
        return dataclasses.replace(obj, **blank)
    return obj


def same_definition(a: Table | View, b: Table | View) -> bool:
    """Equal as schema, the way `diff` compares tables and views."""
    return _comparable(a, b) == _comparable(b, a)


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
            elif x != y:
                yield Change(kind, (*path, key), "changed", x, y)


def _part_key(part: Any) -> str:
    name = getattr(part, "name", None)
    if name:
        return name
    for attr in ("columns", "expression"):
        if hasattr(part, attr):
            value = getattr(part, attr)
            return ",".join(value) if isinstance(value, tuple) else str(value)
    return repr(part)


def _changed_fields(a: Any, b: Any) -> list[str]:
    if not (dataclasses.is_dataclass(a) and dataclasses.is_dataclass(b)):
        return []
    simple = (str, int, float, bool, type(None))
    return [
        f.name
        for f in dataclasses.fields(a)
        if f.name not in _VOLATILE
        and not f.name.startswith("_")
        and isinstance(getattr(a, f.name), simple)
        and getattr(a, f.name) != getattr(b, f.name)
    ]


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
        elif not (c.kind == "column" and c.action == "changed"
                  and dataclasses.replace(c.before, position=c.after.position) == c.after):
            parts.append(f"{c.kind} {c.path[-1]} {c.action}")
    return tuple(f"{obj}: {', '.join(parts)}" for obj, parts in groups.items() if parts)
