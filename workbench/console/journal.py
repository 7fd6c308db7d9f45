"""The change journal: one row per change run from the console, among the workbench's own objects
(next to the migration ledger, `migrations/store.py`), written in the change's own transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence

from workbench.console.pieces import Piece
from workbench.console.records import ChangeRecord
from workbench.db.base import Connection, DatabaseError
from workbench.errors import UsageError
from workbench.migrations.ledger import now
from workbench.migrations.store import Store

_COLUMNS = """
    id BIGINT PRIMARY KEY,
    statement TEXT NOT NULL,
    ran_at TEXT NOT NULL,
    database TEXT NOT NULL,
    rows_changed BIGINT NOT NULL,
    backup TEXT NOT NULL,
    backup_bytes BIGINT,
    undone_at TEXT,
    tables TEXT NOT NULL,
    pieces TEXT NOT NULL,
    parameters TEXT
"""
_FIELDS = ("id", "statement", "ran_at", "database", "rows_changed", "backup", "backup_bytes", "undone_at", "tables")


class Journal:
    """The journal table of one database."""

    def __init__(self, conn: Connection, store: Store | None = None) -> None:
        self.conn = conn
        self.store = store or Store(conn)
        self.table = self.store.table("changes")

    def ensure(self) -> None:
        """Create the workbench's space, the backup catalog and the journal when missing (one
        query when they are there: the journal is made last, so it stands for all of them)."""
        if self._current():
            return
        self.store.ensure()
        self.conn.execute(f"CREATE TABLE IF NOT EXISTS {self.table} ({_COLUMNS})")
        if not self._current():  # a journal written before changes kept their parameters
            self.conn.execute(f"ALTER TABLE {self.table} ADD COLUMN parameters TEXT")

    def _current(self) -> bool:
        """Whether the journal is there, with every column this version writes."""
        try:
            with self.conn.savepoint():
                self.conn.query(f"SELECT parameters FROM {self.table} WHERE 1 = 0")
        except DatabaseError:
            return False
        return True

    def next_id(self) -> int:
        return int(self.conn.query(f"SELECT coalesce(max(id), 0) + 1 FROM {self.table}").scalar())

    def write(self, record: ChangeRecord, pieces: Sequence[Piece]) -> None:
        p = self.conn.placeholder
        values = (
            record.id,
            record.statement,
            record.ran_at,
            record.database,
            record.rows,
            record.backup,
            record.backup_bytes,
            record.undone_at,
            json.dumps(list(record.tables)),
            json.dumps([piece.to_dict() for piece in pieces]),
            json.dumps([list(v) for v in record.values]) if record.values else None,
        )
        self.conn.execute(
            f"INSERT INTO {self.table} ({', '.join(_FIELDS)}, pieces, parameters) VALUES ({', '.join([p] * 11)})",
            values,
        )

    def records(self) -> list[ChangeRecord]:
        """Every change, newest first; empty when the console never wrote here."""
        return [_record(row) for row in self._rows("ORDER BY id DESC")]

    def record(self, change_id: int) -> ChangeRecord:
        rows = self._rows(f"WHERE id = {self.conn.placeholder}", (change_id,))
        if not rows:
            raise UsageError(f"there is no change {change_id} in the journal of this database")
        return _record(rows[0])

    def _rows(self, tail: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        """Journal rows (`_FIELDS`, then the parameters: NULL from a journal older than them);
        none when the console never wrote here."""
        fields = ", ".join(_FIELDS)
        try:
            with self.conn.savepoint():
                return list(self.conn.query(f"SELECT {fields}, parameters FROM {self.table} {tail}", params).rows)
        except DatabaseError:
            pass
        try:
            return [(*row, None) for row in self.conn.query(f"SELECT {fields} FROM {self.table} {tail}", params).rows]
        except DatabaseError:
            if self.conn.in_transaction():
                raise
            return []

    def pieces(self, change_id: int) -> list[Piece]:
        p = self.conn.placeholder
        text = self.conn.query(f"SELECT pieces FROM {self.table} WHERE id = {p}", (change_id,)).scalar()
        return [Piece.from_dict(d) for d in json.loads(text or "[]")]

    def mark_undone(self, change_id: int) -> str:
        at = now()
        p = self.conn.placeholder
        self.conn.execute(f"UPDATE {self.table} SET undone_at = {p} WHERE id = {p}", (at, change_id))
        return at


def _record(row: Sequence[object]) -> ChangeRecord:
    values = dict(zip((*_FIELDS, "parameters"), row, strict=True))
    return ChangeRecord(
        id=int(str(values["id"])),
        statement=str(values["statement"]),
        ran_at=str(values["ran_at"]),
        rows=int(str(values["rows_changed"])),
        backup_bytes=None if values["backup_bytes"] is None else int(str(values["backup_bytes"])),
        backup=str(values["backup"]),
        undone_at=None if values["undone_at"] is None else str(values["undone_at"]),
        database=str(values["database"]),
        tables=tuple(json.loads(str(values["tables"]))),
        values=tuple(tuple(v) for v in json.loads(str(values["parameters"] or "[]"))),
    )


def changes(conn: Connection) -> list[ChangeRecord]:
    """Every change, newest first; empty when the console never wrote here."""
    return Journal(conn).records()


def change(conn: Connection, change_id: int) -> ChangeRecord:
    """One change; a UsageError when there is none with that id."""
    return Journal(conn).record(change_id)
