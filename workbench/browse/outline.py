"""The schema as the tree shows it: schemas → kinds of object → objects, optionally filtered.

Pure data derived from a `Catalog`, so the filter's ranking and the grouping are tested without
a terminal, and the tree widget only has to draw what it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.browse.fuzzy import rank
from workbench.db.base import CatalogOutline
from workbench.db.catalog import Catalog

#: Object kinds in tree order, with the group title shown for each.
KINDS: tuple[tuple[str, str], ...] = (
    ("table", "Tables"),
    ("view", "Views"),
    ("materialized view", "Materialized views"),
    ("enum", "Enums"),
    ("domain", "Domains"),
    ("function", "Functions"),
    ("sequence", "Sequences"),
)
RELATIONS = ("table", "view", "materialized view")  # kinds that have rows to show


@dataclass(frozen=True)
class ObjectRef:
    """Names one catalog object; `name` is the function signature for functions."""

    kind: str
    schema: str
    name: str

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True)
class Entry:
    ref: ObjectRef
    estimate: int | None  # estimated rows, for relations
    positions: tuple[int, ...] = ()  # characters of the name the filter matched


@dataclass(frozen=True)
class Group:
    schema: str
    kind: str
    title: str
    entries: tuple[Entry, ...]


def objects(catalog: Catalog) -> list[tuple[ObjectRef, Any]]:
    """Every browsable object with its reference, in catalog order."""
    found: list[tuple[ObjectRef, Any]] = [(ObjectRef("table", t.schema, t.name), t) for t in catalog.tables]
    found += [
        (ObjectRef("materialized view" if v.materialized else "view", v.schema, v.name), v) for v in catalog.views
    ]
    found += [(ObjectRef("enum", e.schema, e.name), e) for e in catalog.enums]
    found += [(ObjectRef("domain", d.schema, d.name), d) for d in catalog.domains]
    found += [(ObjectRef("function", f.schema, f.key[1]), f) for f in catalog.functions]
    found += [(ObjectRef("sequence", s.schema, s.name), s) for s in catalog.sequences]
    return found


def find(catalog: Catalog, ref: ObjectRef) -> Any | None:
    """The catalog object `ref` names, or None when it is gone (e.g. after a refresh)."""
    if ref.kind == "table":
        return catalog.table(ref.name, ref.schema)
    return next((obj for r, obj in objects(catalog) if r == ref), None)


def outline(source: Catalog | CatalogOutline, query: str = "") -> list[Group]:
    """Non-empty groups per schema and kind; with a query, only matches, best first.

    The connection's outline (names and estimates, read before the catalog) gives the same groups
    as the catalog it outlines.
    """
    if isinstance(source, Catalog):
        found, schemas = objects(source), [s.name for s in source.schemas]
    else:
        found = [(ObjectRef(o.kind, o.schema, o.name), o) for o in source.objects]
        schemas = list(source.schemas)
    by_group: dict[tuple[str, str], list[tuple[ObjectRef, Any]]] = {}
    for ref, obj in found:
        by_group.setdefault((ref.schema, ref.kind), []).append((ref, obj))
    schemas += sorted({schema for schema, _ in by_group} - set(schemas))
    groups = []
    for schema in schemas:
        for kind, title in KINDS:
            members = sorted(by_group.get((schema, kind), []), key=lambda pair: pair[0].name.lower())
            ranked = rank(query, members, key=lambda pair: pair[0].name)
            if ranked:
                entries = tuple(Entry(ref, getattr(obj, "row_estimate", None), m.positions) for (ref, obj), m in ranked)
                groups.append(Group(schema, kind, title, entries))
    return groups
