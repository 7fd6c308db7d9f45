"""Undo one journaled change exactly: updated rows get their old values back by key, deleted rows
come back, inserted rows go — refused, with the reason, when those rows were changed since.

"Changed since" is judged against the after-image the change recorded: every row it left must
still be there with the same values, and no row it deleted may have come back; a whole-table
copy's table must still have the checksum the change left it with. The undo runs in one
transaction, newest statement first; its own statements are watched (`execute_watched`), so one
that would also change a table the change did not back up (a trigger, a foreign key action) is
refused rather than left half undone.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.console.journal import Journal
from workbench.console.pieces import CREATED, ROWS, TABLE, Piece, image_index
from workbench.console.session import OPTED_OUT
from workbench.db import image_sql
from workbench.db.base import Connection, TableKey
from workbench.db.catalog import Catalog
from workbench.db.catalog_diff import same
from workbench.errors import WorkbenchError
from workbench.migrations.backups import ROW_ID, Backups
from workbench.migrations.service import MigrationService
from workbench.migrations.store import Store


@dataclass(frozen=True)
class UndoReport:
    change_id: int
    rows_restored: int  # rows put back (updated rows' old values, deleted rows)
    rows_removed: int  # rows the change inserted, removed again
    refused: str | None = None  # why nothing was undone (one sentence), else None

    def to_dict(self) -> dict[str, object]:
        return {
            "change_id": self.change_id,
            "rows_restored": self.rows_restored,
            "rows_removed": self.rows_removed,
            "refused": self.refused,
        }


class _Refused(Exception):
    """Raised inside the undo's transaction: it is rolled back and the reason reported."""


def undo(conn: Connection, change_id: int) -> UndoReport:
    """Undo change `change_id` in one transaction, or refuse and change nothing."""
    journal = Journal(conn)
    record = journal.record(change_id)
    if record.undone_at is not None:
        return UndoReport(change_id, 0, 0, f"change {change_id} was already undone at {record.undone_at}")
    if record.backup == OPTED_OUT:
        return UndoReport(
            change_id, 0, 0, f"change {change_id} ran without a backup (opted out), so it cannot be undone"
        )
    pieces = journal.pieces(change_id)
    created = [p.table for p in pieces if p.kind == CREATED]
    if created:
        return UndoReport(
            change_id,
            0,
            0,
            f"change {change_id} created objects ({created[0]}), which an undo does not drop; "
            "drop them by hand, or keep the statement as a migration",
        )
    undoer = _Undoer(conn, journal.store, change_id, pieces)
    try:
        with conn.transaction(immediate=True):
            for piece in in_undo_order(conn, pieces):
                undoer.check(piece)
                undoer.put_back(piece)
            journal.mark_undone(change_id)
    except _Refused as exc:
        return UndoReport(change_id, 0, 0, str(exc))
    return UndoReport(change_id, undoer.restored, undoer.removed)


def in_undo_order(conn: Connection, pieces: list[Piece]) -> list[Piece]:
    """Newest statement first; in one statement, rows by key before whole tables, and a whole
    table after the tables its foreign keys point at (their rows must be back first)."""
    catalog = conn.introspect(sorted({p.schema for p in pieces})) if pieces else None
    out: list[Piece] = []
    for step in sorted({p.step for p in pieces}, reverse=True):
        out += [p for p in pieces if p.step == step and p.kind == ROWS]
        waiting = [p for p in pieces if p.step == step and p.kind == TABLE]
        while waiting:
            names = {(p.schema, p.table) for p in waiting}
            ready = [p for p in waiting if not _refers_to(catalog, p, names - {(p.schema, p.table)})] or waiting[:1]
            out += ready
            waiting = [p for p in waiting if p not in ready]
    return out


def _refers_to(catalog: Catalog | None, piece: Piece, others: set[TableKey]) -> bool:
    table = catalog.table(piece.table, piece.schema) if catalog is not None else None
    return table is not None and any((fk.ref_schema, fk.ref_table) in others for fk in table.foreign_keys)


class _Undoer:
    def __init__(self, conn: Connection, store: Store, change_id: int, pieces: list[Piece]) -> None:
        self.conn, self.store, self.change_id = conn, store, change_id
        self.covered = {(p.schema, p.table) for p in pieces}
        self.restored = self.removed = 0

    def check(self, piece: Piece) -> None:
        conn = self.conn
        if piece.kind != ROWS:
            if piece.after is not None and conn.table_checksum(piece.schema, piece.table) != piece.after:
                raise _Refused(self._since(piece, "its rows"))
            return
        t, new, old = self._names(piece)
        self._index_images(piece)
        m = self._match

        def texts(alias: str) -> str:
            return ", ".join(f"CAST({self._col(alias, c)} AS TEXT)" for c in piece.columns)

        # every row the change left is still there, value for value (driven by the image: keys
        # looked up in the table's own index, never the whole table scanned)
        changed = conn.query(
            f"SELECT count(*) FROM (SELECT {texts('n')} FROM {new} n "
            f"EXCEPT SELECT {texts('t')} FROM {new} n JOIN {t} t ON {m(piece, 'n', 't')}) x"
        ).scalar()
        # and no row it deleted has come back
        back = conn.query(
            f"SELECT count(*) FROM {old} o JOIN {t} t ON {m(piece, 'o', 't')} "
            f"WHERE NOT EXISTS (SELECT 1 FROM {new} n WHERE {m(piece, 'n', 'o', both_images=True)})"
        ).scalar()
        if int(changed) or int(back):
            raise _Refused(self._since(piece, f"{int(changed) + int(back)} of the rows it touched"))

    def put_back(self, piece: Piece) -> None:
        if piece.kind == ROWS:
            self._rows(piece)
        else:
            self._whole(piece)
        self._counters(piece)

    def _rows(self, piece: Piece) -> None:
        t, new, old = self._names(piece)
        m = self._match
        keys = ", ".join("rowid" if c == ROW_ID else self.conn.quote(c) for c in piece.key)
        image_keys = ", ".join(f"n.{self.conn.quote(c)}" for c in piece.key)
        wrap = (lambda x: f"({x})") if len(piece.key) > 1 else (lambda x: x)
        self.removed += self._watched(
            f"DELETE FROM {t} WHERE {wrap(keys)} IN (SELECT {image_keys} FROM {new} n "
            f"WHERE NOT EXISTS (SELECT 1 FROM {old} o WHERE {m(piece, 'o', 'n', both_images=True)}))"
        )
        key = set(piece.key)
        settable = [c for c in piece.writable if c not in key]
        if settable:
            sets = ", ".join(f"{self.conn.quote(c)} = {self._value(piece, 'o', c)}" for c in settable)
            self.restored += self._watched(
                f"UPDATE {t} AS t SET {sets} FROM {old} o WHERE {m(piece, 'o', 't')} "
                f"AND EXISTS (SELECT 1 FROM {new} n WHERE {m(piece, 'n', 't')})"
            )
        columns = ([ROW_ID] if ROW_ID in piece.columns else []) + list(piece.writable)
        names = ", ".join("rowid" if c == ROW_ID else self.conn.quote(c) for c in columns)
        values = ", ".join(self._value(piece, "o", c) for c in columns)
        overriding = " OVERRIDING SYSTEM VALUE" if piece.overriding else ""
        self.restored += self._watched(
            f"INSERT INTO {t} ({names}){overriding} SELECT {values} FROM {old} o "
            f"WHERE NOT EXISTS (SELECT 1 FROM {new} n WHERE {m(piece, 'n', 'o', both_images=True)})"
        )

    def _index_images(self, piece: Piece) -> None:
        """Index each image by key where the undo looks rows up in it — `old` by the keys of
        `new`, `new` by the keys of `old` — so no step scans an image once per row (built here,
        not when the change ran: the change stays as fast as it can be; a pure DELETE or INSERT
        indexes only an empty image)."""
        conn = self.conn
        assert piece.old is not None and piece.new is not None
        for image, other in ((piece.old, piece.new), (piece.new, piece.old)):
            if not conn.query(f"SELECT 1 FROM {conn.qualify(self.store.schema, other)} LIMIT 1").rows:
                continue
            qualified = conn.qualify(self.store.schema, image)
            conn.execute(image_sql.key_index(conn, qualified, image_index(self.store, image), piece.key))

    def _whole(self, piece: Piece) -> None:
        conn = self.conn
        backups = Backups(conn, self.store)
        found = [b for b in backups.all() if b.id == piece.backup_id]
        live = conn.introspect([piece.schema]).table(piece.table, piece.schema)
        if not found:
            raise _Refused(
                f"the backup of {piece.schema}.{piece.table} that change {self.change_id} took was dropped since"
            )
        backup = found[0]
        if live is None or not same(live, backup.definition):
            # DDL dropped or altered it: the migration engine's restore gives back definition and rows
            try:
                MigrationService(conn, None).restore(backup, safety_backup=False)
            except WorkbenchError as exc:
                raise _Refused(f"{exc} (undo of change {self.change_id})") from None
            self.restored += backup.row_count
            return
        self.removed += self._watched(f"DELETE FROM {conn.qualify(piece.schema, piece.table)}")
        for sql in backups.copy_back_sql(backup, live):
            self._watched(sql)
        self.restored += backup.row_count

    def _counters(self, piece: Piece) -> None:
        """Counters (sequences, AUTOINCREMENT) the change moved go back, unless they moved since."""
        now = self.conn.sequence_positions(piece.schema, piece.table)
        back = {
            k: (int(v[0]), bool(v[1]))
            for k, v in piece.sequences_before.items()
            if k in piece.sequences_after
            and list(now.get(k, ())) == list(piece.sequences_after[k])
            and v != piece.sequences_after[k]
        }
        for sql in self.conn.sequence_restore_sql(back):
            self.conn.execute(sql)

    # -- helpers -------------------------------------------------------------------------------------

    def _watched(self, sql: str) -> int:
        """Run one undo statement; refused when it changed a table the change did not back up.

        The database names the tables the statement may reach beyond the covered ones (SQLite
        when it compiles it, so a foreign key action that finds no row counts too; PostgreSQL
        after a trial run): their checksums before and after tell whether it really did."""
        conn = self.conn
        noted: dict[TableKey, str] = {}

        def note(tables: frozenset[TableKey]) -> None:
            noted.update({t: conn.table_checksum(*t) for t in tables if t not in noted})

        count = conn.execute_watched(sql, self.covered.__contains__, note)
        reached = [t for t, checksum in noted.items() if conn.table_checksum(*t) != checksum]
        if reached:
            names = ", ".join(f"{s}.{n}" for s, n in sorted(reached))
            raise _Refused(
                f"undoing change {self.change_id} would also change {names} (a trigger or a foreign key action), "
                "which it did not back up; nothing was undone"
            )
        return max(count, 0)

    def _names(self, piece: Piece) -> tuple[str, str, str]:
        conn, schema = self.conn, self.store.schema
        assert piece.new is not None and piece.old is not None
        return conn.qualify(piece.schema, piece.table), conn.qualify(schema, piece.new), conn.qualify(schema, piece.old)

    def _col(self, alias: str, column: str) -> str:
        """An image column read from the live table (alias t: SQLite's rowid) or an image."""
        if alias == "t":
            return "t.rowid" if column == ROW_ID else f"t.{self.conn.quote(column)}"
        return f"{alias}.{self.conn.quote(column)}"

    def _match(self, piece: Piece, image: str, other: str, both_images: bool = False) -> str:
        def side(column: str) -> str:
            return f"{other}.{self.conn.quote(column)}" if both_images else self._col(other, column)

        return " AND ".join(f"{image}.{self.conn.quote(c)} = {side(c)}" for c in piece.key)

    def _value(self, piece: Piece, alias: str, column: str) -> str:
        value = f"{alias}.{self.conn.quote(column)}"
        return f"CAST({value} AS {piece.casts[column]})" if column in piece.casts else value

    def _since(self, piece: Piece, what: str) -> str:
        return f"{what} in {piece.schema}.{piece.table} changed again since change {self.change_id}; nothing was undone"
