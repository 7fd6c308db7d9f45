"""Which tables a diagram shows and which foreign keys join them.

A `Graph` is a set of tables (in a stable order: schema, then name) and every foreign key whose
both ends are in the set. `neighbourhood` walks foreign keys both ways from one table, hop by
hop, and remembers for each table how it was reached, so a layout can draw it as a tree.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import cached_property

from workbench.db.catalog import Catalog, ForeignKey, Table

Key = tuple[str, str]


@dataclass(frozen=True)
class Edge:
    """One foreign key: `source` (the referencing table) → `target` (the referenced one)."""

    source: Key
    target: Key
    fk: ForeignKey

    @property
    def label(self) -> str:
        """Its columns and ON DELETE action, as every drawing labels it."""
        columns = ", ".join(self.fk.columns)
        ref = ", ".join(self.fk.ref_columns)
        return f"{columns} → {ref} · on delete {self.fk.on_delete.lower()}"


@dataclass(frozen=True)
class Reach:
    """How a table of a neighbourhood was reached: `hops` from the centre along `via`.

    `side` is +1 for tables reached first through a key the centre (or its side) holds (it
    references them), -1 for tables that reference their way in; 0 for the centre itself.
    """

    hops: int
    side: int
    parent: Key | None
    via: Edge | None


@dataclass(frozen=True)
class Graph:
    tables: tuple[Table, ...]
    edges: tuple[Edge, ...]
    centre: Key | None = None
    reach: dict[Key, Reach] | None = None
    beyond: dict[Key, int] | None = None  # tables at the radius: neighbours one more hop would add

    @cached_property
    def _by_key(self) -> dict[Key, Table]:
        return {t.key: t for t in self.tables}

    def table(self, key: Key) -> Table:
        return self._by_key[key]

    def outgoing(self, key: Key) -> list[Edge]:
        return [e for e in self.edges if e.source == key]

    def incoming(self, key: Key) -> list[Edge]:
        return [e for e in self.edges if e.target == key]


def _sorted(tables: list[Table]) -> tuple[Table, ...]:
    return tuple(sorted(tables, key=lambda t: t.key))


def _edges_within(tables: tuple[Table, ...]) -> tuple[Edge, ...]:
    keys = {t.key for t in tables}
    return tuple(
        Edge(t.key, (fk.ref_schema, fk.ref_table), fk)
        for t in tables
        for fk in sorted(t.foreign_keys, key=lambda fk: (fk.ref_schema, fk.ref_table, fk.columns))
        if (fk.ref_schema, fk.ref_table) in keys
    )


def matches(table: Table, pattern: str | None) -> bool:
    """No pattern, or the glob matches the table's name or its schema.name."""
    return (
        pattern is None
        or fnmatch.fnmatchcase(table.name, pattern)
        or fnmatch.fnmatchcase(table.qualified_name, pattern)
    )


def whole(catalog: Catalog, pattern: str | None = None) -> Graph:
    """Every table, or those whose name or schema.name matches the glob `pattern`."""
    chosen = _sorted([t for t in catalog.tables if matches(t, pattern)])
    return Graph(chosen, _edges_within(chosen))


def only(graph: Graph, pattern: str | None) -> Graph:
    """`graph` keeping the centre and the tables that match `pattern`."""
    if pattern is None:
        return graph
    chosen = tuple(t for t in graph.tables if t.key == graph.centre or matches(t, pattern))
    return Graph(chosen, _edges_within(chosen), graph.centre, graph.reach, graph.beyond)


def neighbours(catalog: Catalog, table: Table) -> list[tuple[int, Edge, Table]]:
    """Each table one foreign key away, both ways, with the direction (+1 it references, -1 it
    references `table`) and the key; in a stable order, self-references left out."""
    found: list[tuple[int, Edge, Table]] = []
    for fk in table.foreign_keys:
        other = catalog.table(fk.ref_table, fk.ref_schema)
        if other is not None and other.key != table.key:
            found.append((1, Edge(table.key, other.key, fk), other))
    for other, fk in catalog.referencing(table):
        if other.key != table.key:
            found.append((-1, Edge(other.key, table.key, fk), other))
    found.sort(key=lambda item: (item[0] < 0, item[2].key, item[1].fk.columns))
    return found


def neighbourhood(catalog: Catalog, centre: Table, hops: int = 1) -> Graph:
    """`centre` and every table at most `hops` foreign keys away from it, either way."""
    reach: dict[Key, Reach] = {centre.key: Reach(0, 0, None, None)}
    found = [centre]
    frontier = [centre]
    for hop in range(1, max(hops, 0) + 1):
        following: list[Table] = []
        for table in frontier:
            side_of_parent = reach[table.key].side
            for direction, edge, other in neighbours(catalog, table):
                if other.key in reach:
                    continue
                reach[other.key] = Reach(hop, side_of_parent or direction, table.key, edge)
                following.append(other)
        found += following
        frontier = following
    beyond = {}
    for table in frontier:
        outside = {other.key for _, _, other in neighbours(catalog, table) if other.key not in reach}
        if outside:
            beyond[table.key] = len(outside)
    chosen = _sorted(found)
    return Graph(chosen, _edges_within(chosen), centre.key, reach, beyond)
