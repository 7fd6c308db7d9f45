"""Change capture: what users write through a migration's new shape, kept for its rollback.

At the end of an apply that backed up tables (its old rows are in a backup), for every such
table and every table the migration made, the workbench records how the old shape maps onto the new one (columns
kept, renamed, retyped, dropped; the table renamed, or new) and installs triggers that note the
key of every row written to the new shape (`db/capture_sql.py`). A rollback reads those keys and
carries the rows over to the old shape (`replay.py`). `finalize` ends the capture: it drops the
triggers and logs and frees the migration's backups, after which no rollback needs them.

The registry lives with the ledger and the backups, in the workbench's own space.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workbench.db import capture_sql
from workbench.db.base import Connection, DatabaseError
from workbench.db.catalog import Catalog, Table
from workbench.migrations.analysis import StatementInfo
from workbench.migrations.backups import BEFORE_MIGRATION, Backups
from workbench.migrations.ledger import now
from workbench.migrations.store import Store

_REGISTRY_COLUMNS = """
    id BIGINT PRIMARY KEY,
    migration TEXT NOT NULL,
    table_schema TEXT NOT NULL,
    table_name TEXT NOT NULL,
    mapping TEXT NOT NULL,
    created_at TEXT NOT NULL
"""
_FIELDS = ("id", "migration", "table_schema", "table_name", "mapping", "created_at")


@dataclass(frozen=True)
class ColumnMap:
    """Where one column of the old shape lives in the new one."""

    old: str
    new: str | None  # None: the migration dropped it
    retyped: bool = False  # the new column has another type: values are cast back


@dataclass(frozen=True)
class Capture:
    """One captured table: its new shape's name, the key the log notes, and the way back."""

    id: int
    migration: str  # canonical version
    schema: str
    table: str  # the new shape's table
    keys: tuple[str, ...]  # key columns of the new shape (the old key's columns, renamed)
    old_schema: str | None  # None: the migration made this table; nothing of it fits the old shape
    old_table: str | None
    columns: tuple[ColumnMap, ...] = ()  # one per column of the old shape, in its order

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.table}"

    @property
    def old_qualified(self) -> str | None:
        return f"{self.old_schema}.{self.old_table}" if self.old_table else None

    def to_json(self) -> str:
        return json.dumps(
            {
                "keys": list(self.keys),
                "old": [self.old_schema, self.old_table] if self.old_table else None,
                "columns": [[c.old, c.new, c.retyped] for c in self.columns],
            }
        )


class Captures:
    """The capture registry of one database, and the objects each capture owns."""

    def __init__(self, conn: Connection, store: Store | None = None) -> None:
        self.conn = conn
        self.store = store or Store(conn)
        self.registry = self.store.table("captures")

    def ensure(self) -> None:
        self.conn.execute(f"CREATE TABLE IF NOT EXISTS {self.registry} ({_REGISTRY_COLUMNS})")

    def log(self, capture: Capture) -> str:
        return self.store.table(f"capture_{capture.id}")

    def snapshot(self, capture: Capture) -> str:
        return self.store.table(f"capture_{capture.id}_keys")

    def changed_keys(self, capture: Capture) -> str:
        """The query of every key written since the capture started."""
        return capture_sql.changed_keys(
            self.conn, self.target(capture), self.log(capture), self.snapshot(capture), capture.keys
        )

    def function(self, capture: Capture) -> str | None:
        return self.store.table(f"capture_{capture.id}_fn") if self.conn.capabilities.schemas else None

    def target(self, capture: Capture) -> str:
        return self.conn.qualify(capture.schema, capture.table)

    def all(self) -> list[Capture]:
        """Every live capture, oldest first; empty when none was ever installed."""
        try:
            with self.conn.savepoint() if self.conn.in_transaction() else nullcontext():
                rows = self.conn.query(f"SELECT {', '.join(_FIELDS)} FROM {self.registry} ORDER BY id").rows
        except DatabaseError:
            return []
        return [_capture(dict(zip(_FIELDS, row, strict=True))) for row in rows]

    def of(self, migration: str) -> list[Capture]:
        return [c for c in self.all() if c.migration == migration]

    def install(self, captures: Sequence[Capture]) -> None:
        """Register and start each capture (inside the caller's transaction)."""
        if not captures:
            return
        self.ensure()
        p = self.conn.placeholder
        first = int(self.conn.query(f"SELECT coalesce(max(id), 0) + 1 FROM {self.registry}").scalar())
        for i, c in enumerate(captures):
            c = Capture(first + i, c.migration, c.schema, c.table, c.keys, c.old_schema, c.old_table, c.columns)
            self.conn.execute(
                f"INSERT INTO {self.registry} ({', '.join(_FIELDS)}) VALUES ({', '.join([p] * len(_FIELDS))})",
                (c.id, c.migration, c.schema, c.table, c.to_json(), now()),
            )
            for sql in capture_sql.create_log(self.conn, self.target(c), self.log(c), self.snapshot(c), c.keys):
                self.conn.execute(sql)
            for sql in capture_sql.install(self.conn, self.target(c), self.log(c), self.function(c), c.id, c.keys):
                self.conn.execute(sql)

    def stop(self, capture: Capture, table_exists: bool = True) -> None:
        """Drop the capture's triggers, function and log, and its registration."""
        target = self.target(capture) if table_exists else None
        log, snapshot, function = self.log(capture), self.snapshot(capture), self.function(capture)
        for sql in capture_sql.remove(self.conn, target, log, snapshot, function, capture.id):
            self.conn.execute(sql)
        p = self.conn.placeholder
        self.conn.execute(f"DELETE FROM {self.registry} WHERE id = {p}", (capture.id,))

    def hand_over(self, tables: Sequence[Table]) -> list[str]:
        """Stop an earlier migration's capture of `tables`, which a new apply is about to back up
        and change: their triggers and key types belong to the shape it replaces. Says so."""
        if not tables:
            return []  # nothing to hand over: no need to read the captures
        keys = {t.key for t in tables}
        out = []
        for c in self.all():
            if (c.schema, c.table) in keys:
                self.stop(c)
                out.append(
                    f"{c.qualified}: the capture for the rollback of {c.migration} ends here; rolling back "
                    f"{c.migration} later restores it as backed up then"
                )
        return out

    def finalize(self, migration: str, keeper: Backups, exists: Iterable[tuple[str, str]]) -> tuple[int, int]:
        """Make `migration` final: its captures stop and its live backups are dropped (inside the
        caller's transaction). Returns (captures stopped, backups freed)."""
        tables = set(exists)
        captures = self.of(migration)
        for c in captures:
            self.stop(c, (c.schema, c.table) in tables)
        freed = [b for b in keeper.of(migration) if b.purpose == BEFORE_MIGRATION]
        for b in freed:
            keeper.drop(b)
        return len(captures), len(freed)


def _capture(row: dict[str, object]) -> Capture:
    mapping = json.loads(str(row["mapping"]))
    old = mapping["old"] or [None, None]
    return Capture(
        int(str(row["id"])),
        str(row["migration"]),
        str(row["table_schema"]),
        str(row["table_name"]),
        tuple(mapping["keys"]),
        old[0],
        old[1],
        tuple(ColumnMap(o, n, bool(r)) for o, n, r in mapping["columns"]),
    )


# -- what to capture ---------------------------------------------------------------------------


def plan_captures(
    migration: str,
    statements: Sequence[StatementInfo],
    backed_up: Sequence[Table],
    created: Iterable[tuple[str, str]],
    after: Catalog,
) -> tuple[list[Capture], list[str]]:
    """The captures an apply installs, and a note for each table it cannot capture (no key).

    `backed_up` are the old shapes the migration put at stake; `created` the tables it made
    (keys folded as the analysis names them); `after` the catalog once it ran."""
    out: list[Capture] = []
    notes: list[str] = []
    for old in backed_up:
        name, renames = _follow(old, statements)
        new = _find(after, old.schema, name)
        if new is None:
            continue  # dropped: nobody can write to it until the rollback brings it back
        columns = tuple(
            ColumnMap(c.name, renames.get(c.name, c.name) if new.column(renames.get(c.name, c.name)) else None)
            for c in old.columns
        )
        columns = tuple(ColumnMap(m.old, m.new, _retyped(old, new, m)) if m.new is not None else m for m in columns)
        keys = _keys(old, new, columns)
        if keys is None:
            notes.append(
                f"{new.qualified_name}: not captured (its key changed or it has none); rows written to it are not carried back"
            )
            continue
        out.append(Capture(0, migration, new.schema, new.name, keys, old.schema, old.name, columns))
    for schema, name in sorted(created):
        new = _find(after, schema, name)
        if new is None or new.primary_key is None or any(c.table == new.name for c in out):
            continue  # a table rebuilt under its old name is captured as that table
        out.append(Capture(0, migration, new.schema, new.name, new.primary_key.columns, None, None))
    return out, notes


def _follow(old: Table, statements: Sequence[StatementInfo]) -> tuple[str, dict[str, str]]:
    """The table's name after the statements, and its columns' renames (old name → new name)."""
    name = old.name
    renames = {c.name: c.name for c in old.columns}
    for st in statements:
        for e in st.effects:
            if e.table is None or e.table.name.lower() != name.lower():
                continue
            if e.action == "rename_table" and e.new_name and "." not in e.new_name:
                name = e.new_name
            elif e.action == "rename_column" and e.column and e.new_name:
                for o, n in renames.items():
                    if n.lower() == e.column.lower():
                        renames[o] = e.new_name
    return name, renames


def _find(catalog: Catalog, schema: str, name: str) -> Table | None:
    exact = catalog.table(name, schema)
    if exact is not None:
        return exact
    return next((t for t in catalog.tables if t.schema == schema and t.name.lower() == name.lower()), None)


def _retyped(old: Table, new: Table, m: ColumnMap) -> bool:
    was, now_ = old.column(m.old), new.column(m.new or "")
    return was is not None and now_ is not None and was.data_type.lower() != now_.data_type.lower()


def _keys(old: Table, new: Table, columns: Sequence[ColumnMap]) -> tuple[str, ...] | None:
    """The new shape's columns holding the old key, when they still key the new shape unchanged."""
    if old.primary_key is None or new.primary_key is None:
        return None
    by_old = {c.old: c for c in columns}
    keys = []
    for name in old.primary_key.columns:
        m = by_old.get(name)
        if m is None or m.new is None or m.retyped:
            return None
        keys.append(m.new)
    return tuple(keys) if set(keys) == set(new.primary_key.columns) else None
