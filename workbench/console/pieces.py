"""What a change backed up, table by table: the pieces its journal entry keeps and its undo reads.

A `rows` piece holds row images by key: `old` the touched rows as they were, `new` as the change
left them (triggers copy them while the statement runs, `db/image_sql.py`). A `table` piece is a
whole-table copy in the migration engine's backup catalog, taken where rows cannot be told
apart (no key), for tables the statement reached through triggers or foreign keys, and for
TRUNCATE and DDL (through `execute_watched`, as migrations do).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from workbench.db import image_sql
from workbench.db.base import Connection, DatabaseError
from workbench.db.catalog import Table
from workbench.migrations.backups import ROW_ID, Backups, has_hidden_rowid
from workbench.migrations.store import Store

ROWS, TABLE = "rows", "table"
CREATED = "created"  # a marker: the statement (in `table`, shortened) created objects an undo cannot drop
BEFORE_CHANGE = "before console change"  # the purpose of a whole-table copy in the backup catalog


@dataclass(frozen=True)
class Piece:
    """One table's backup within a change (see the module docstring)."""

    kind: str  # ROWS or TABLE
    step: int  # which statement of the change took it
    schema: str
    table: str
    columns: tuple[str, ...] = ()  # image columns, in order (ROW_ID first when the rowid is kept)
    key: tuple[str, ...] = ()  # image columns that identify a row
    old: str | None = None  # image table names (unqualified, in the workbench's space)
    new: str | None = None
    casts: dict[str, str] = field(default_factory=dict)  # column kept as text → its type
    writable: tuple[str, ...] = ()  # columns an undo writes back (not generated)
    overriding: bool = False  # an identity ALWAYS column: INSERT needs OVERRIDING SYSTEM VALUE
    backup_id: int | None = None  # TABLE: the backup catalog's entry
    after: str | None = None  # TABLE: the table's checksum just after the change
    sequences_before: dict[str, list[Any]] = field(default_factory=dict)
    sequences_after: dict[str, list[Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Piece:
        tuples = {f.name for f in dataclasses.fields(cls) if str(f.type).startswith("tuple")}
        values: dict[str, Any] = {k: tuple(v) if k in tuples else v for k, v in data.items()}
        return cls(**values)


def row_key(conn: Connection, table: Table) -> tuple[str, ...] | None:
    """The image columns that tell the table's rows apart: SQLite's hidden rowid, the primary key,
    or a unique constraint over NOT NULL columns; None when nothing does."""
    if has_hidden_rowid(conn, table):
        return (ROW_ID,)
    if table.primary_key is not None:
        return table.primary_key.columns
    for unique in table.uniques:
        if all((c := table.column(name)) is not None and not c.nullable for name in unique.columns):
            return unique.columns
    return None


class Imaging:
    """Row images of one table for one change: start before the first statement that writes it,
    stop after the last. `shared`: several statements write it, so the images keep each row's
    first before-image and last after-image (`image_sql`), and are indexed by key for that."""

    def __init__(
        self,
        conn: Connection,
        store: Store,
        table: Table,
        change_id: int,
        step: int,
        key: tuple[str, ...],
        *,
        shared: bool = False,
    ) -> None:
        self.conn, self.store, self.table = conn, store, table
        self.key, self.shared = key, shared
        stem = f"change_{change_id}_{step}"
        self.trigger = f"workbench_{stem}"
        self.function = store.table(f"{stem}_images") if store.schema else None
        self.old, self.new = store.name(f"{stem}_{table.name}_old"), store.name(f"{stem}_{table.name}_new")
        text = set(conn.text_columns(table.schema, table.name))
        rowid = key == (ROW_ID,)
        self.sources = (["rowid"] if rowid else []) + [c.name for c in table.columns]
        self.targets = ([ROW_ID] if rowid else []) + [c.name for c in table.columns]
        self.casts = {c.name: c.data_type for c in table.columns if c.name in text}
        self.step = step
        self.before = conn.sequence_positions(table.schema, table.name)

    @property
    def qualified(self) -> str:
        return self.conn.qualify(self.table.schema, self.table.name)

    def start(self) -> bool:
        """Create the image tables and the triggers; False (nothing left behind) when the
        database will not have them here (no right to add a trigger, a partition, …)."""
        conn = self.conn
        casts = [
            ("text[]" if self.casts[t].endswith("[]") else "text") if t in self.casts else None for t in self.targets
        ]
        statements = [
            image_sql.image_table(
                conn, self.qualified, conn.qualify(self.store.schema, name), self.sources, casts, self.targets
            )
            for name in (self.old, self.new)
        ] + image_sql.install(
            conn,
            self.qualified,
            conn.qualify(self.store.schema, self.old),
            conn.qualify(self.store.schema, self.new),
            self.function,
            self.trigger,
            self.sources,
            casts,
            self.targets,
            self.key if self.shared else (),
        )
        if self.shared:
            statements += [
                image_sql.key_index(
                    conn, conn.qualify(self.store.schema, name), image_index(self.store, name), self.key
                )
                for name in (self.old, self.new)
            ]
        try:
            with conn.savepoint():
                for sql in statements:
                    conn.execute(sql)
        except DatabaseError:
            return False
        return True

    def stop(self) -> Piece:
        """Drop the triggers; the piece the journal keeps."""
        for sql in image_sql.remove(self.conn, self.qualified, self.function, self.trigger):
            self.conn.execute(sql)
        columns = self.table.columns
        return Piece(
            kind=ROWS,
            step=self.step,
            schema=self.table.schema,
            table=self.table.name,
            columns=tuple(self.targets),
            key=self.key,
            old=self.old,
            new=self.new,
            casts=self.casts,
            writable=tuple(c.name for c in columns if not c.generated),
            overriding=any(c.identity == "always" for c in columns),
            sequences_before=_positions(self.before),
            sequences_after=_positions(self.conn.sequence_positions(self.table.schema, self.table.name)),
        )


def image_index(store: Store, image: str) -> str:
    """The name of the key index of image table `image` (the undo builds it where it is missing)."""
    return store.name(f"{image}_key")


def whole_table(conn: Connection, backups: Backups, table: Table, change_id: int, step: int) -> Piece:
    """A whole-table copy in the backup catalog (its checksum after the change is added later)."""
    backup = backups.take(table, f"change {change_id}", BEFORE_CHANGE)
    return Piece(
        kind=TABLE,
        step=step,
        schema=table.schema,
        table=table.name,
        backup_id=backup.id,
        sequences_before=_positions(backup.sequences),
    )


def created(statement: str, step: int) -> Piece:
    """The marker of a statement that created objects (CREATE …): its undo is refused."""
    line = " ".join(statement.split())
    return Piece(kind=CREATED, step=step, schema="", table=line if len(line) <= 60 else line[:59] + "…")


def _positions(positions: dict[str, tuple[int, bool]]) -> dict[str, list[Any]]:
    return {k: [v[0], v[1]] for k, v in positions.items()}
