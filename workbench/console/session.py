"""A console session: preview a change, then run it with its prior backup, journaled, in one transaction.

A protected target opens read-only unless the caller passes the profile's typed name; the
profile's `statement_timeout` and `lock_timeout` apply to every statement the session runs.
How each statement is backed up (`pieces.py`): rows an INSERT/UPDATE/DELETE/upsert/MERGE
touches are copied by key as they were and as they became, by triggers living only for the
statement; every other table it changes — through triggers, foreign keys, TRUNCATE, DDL or
statements the parser cannot place — is copied whole first, as the database itself reports
them (`Connection.execute_watched`), into the migration engine's backup catalog.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from typing import Any

from workbench.console.journal import Journal
from workbench.console.pieces import ROWS as ROW_PIECE
from workbench.console.pieces import TABLE as TABLE_PIECE
from workbench.console.pieces import CREATED, Imaging, Piece, created, row_key, whole_table
from workbench.console.records import (
    MIGRATION_BACKUPS,
    NO_BACKUP,
    ROWS_BY_KEY,
    WHOLE_TABLE,
    ChangePreview,
    ChangeRecord,
    literal,
)
from workbench.console.statements import DDL, ROWS, TRUNCATE, Classified, classify
from workbench.db.base import Connection, Result, TableKey, rolled_back
from workbench.db.catalog import Table
from workbench.errors import UsageError, WorkbenchError
from workbench.migrations.backups import Backups
from workbench.migrations.ledger import now
from workbench.migrations.store import Store
from workbench.project import Profile, Project, Target

__all__ = [
    "MIGRATION_BACKUPS",
    "NO_BACKUP",
    "OPTED_OUT",
    "ROWS_BY_KEY",
    "WHOLE_TABLE",
    "ChangePreview",
    "ChangeRecord",
    "Console",
    "ConsoleRefused",
]

OPTED_OUT = "none (opted out)"


class ConsoleRefused(WorkbenchError):
    """The session will not run this change (read-only session, transaction control)."""

    exit_code = 2


class Console:
    """Runs statements against one connection. `read_only`: reads only (a protected profile
    whose name was not typed); `profile` (a name of `project`) gives the timeouts."""

    def __init__(
        self,
        conn: Connection,
        *,
        project: Project | None = None,
        read_only: bool = False,
        profile: str | None = None,
    ) -> None:
        self.conn = conn
        self.project = project
        self.read_only = read_only
        self.profile: Profile | None = project.profiles.get(profile) if project and profile else None
        self.store = Store(conn)
        self._tables: dict[TableKey, Table | None] = {}

    @classmethod
    def for_target(cls, conn: Connection, target: Target, project: Project, typed: str | None = None) -> Console:
        """A session on `target`: read-only when a protected profile guards it and `typed` is not its name."""
        guard = target.protected_by
        read_only = guard is not None and typed != guard.name
        return cls(conn, project=project, read_only=read_only, profile=target.profile.name if target.profile else None)

    def limits(self) -> AbstractContextManager[None]:
        """The profile's statement and lock timeouts, for the block."""
        p = self.profile
        return self.conn.limits(p.statement_timeout if p else None, p.lock_timeout if p else None)

    # -- reading ---------------------------------------------------------------------------------

    def classify(self, sql: str) -> list[Classified]:
        return classify(self.conn, sql)

    def read(self, statement: Classified, params: Sequence[Any] = ()) -> Result:
        """A read's rows, in a read-only transaction, under the statement timeout."""
        timeout = self.profile.statement_timeout if self.profile else None
        with self.limits(), self.conn.read_only(timeout):
            return self.conn.query(statement.sql, tuple(params))

    # -- changes ---------------------------------------------------------------------------------

    def preview(self, sql: str, params: Sequence[Any] = ()) -> list[ChangePreview]:
        """Each statement of `sql` with the rows it would change and the backup it would get;
        nothing is written (writes are counted in a transaction that is rolled back). `params`
        only with a single statement."""
        statements = self.classify(sql)
        if params and len(statements) != 1:
            raise UsageError("parameters go with exactly one statement")
        self._refuse(statements)
        counts = self._count(statements, tuple(params)) if any(s.writes for s in statements) else {}
        return [
            ChangePreview(
                s,
                counts.get(i),
                self._backup_kind(s),
                tuple(f"{schema}.{name}" for schema, name in s.tables),
                tuple(params),
            )
            if s.writes
            else ChangePreview(s, None, NO_BACKUP, (), tuple(params))
            for i, s in enumerate(statements)
        ]

    def run_change(self, preview: ChangePreview, *, backup: bool = True) -> ChangeRecord:
        """Take the backup, run the statement and write the journal entry, in one transaction."""
        return self.run_changes([preview], backup=backup)

    def run_changes(self, previews: Sequence[ChangePreview], *, backup: bool = True) -> ChangeRecord:
        """Several statements as ONE change: one transaction, one journal entry, one undo."""
        statements = [p.statement for p in previews]
        self._refuse(statements)
        conn = self.conn
        journal = Journal(conn, self.store)
        self._tables = {}  # read again inside the change's transaction: a table may have changed since the preview
        with self.limits(), conn.transaction(immediate=True):
            journal.ensure()
            change_id = journal.next_id()
            run = _Run(change_id, backup, shared=len(previews) > 1)
            rows = 0
            for step, preview in enumerate(previews):
                rows += max(self._run(run, step, preview), 0)
            self._stop_images(run)
            pieces = [self._settled(p) for p in run.pieces]
            record = ChangeRecord(
                id=change_id,
                statement=";\n".join(s.sql for s in statements),
                ran_at=now(),
                rows=rows,
                backup_bytes=self._bytes(pieces) if backup else None,
                backup=_kind_of(pieces, statements) if backup else OPTED_OUT,
                undone_at=None,
                database=conn.display_url,
                tables=tuple(dict.fromkeys(f"{p.schema}.{p.table}" for p in pieces if p.kind != CREATED))
                or tuple(dict.fromkeys(f"{s}.{n}" for st in statements for s, n in st.tables)),
                values=tuple(tuple(literal(v) for v in p.params) for p in previews)
                if any(p.params for p in previews)
                else (),
            )
            journal.write(record, pieces)
        self._tables.clear()
        return record

    # -- inside ----------------------------------------------------------------------------------

    def _refuse(self, statements: Sequence[Classified]) -> None:
        for s in statements:
            if s.verb in ("transaction", "transactionstmt"):
                raise ConsoleRefused(
                    "the console runs each change in a transaction of its own: leave out BEGIN, COMMIT and ROLLBACK"
                )
            if s.writes and self.read_only:
                raise ConsoleRefused(
                    "this session is read-only (a protected profile): type the profile's name to write"
                )

    def _count(self, statements: Sequence[Classified], params: tuple[Any, ...]) -> dict[int, int | None]:
        """Rows each statement changes, run one after another in a transaction that is rolled
        back (counters the statements moved are put back where they were). The database's error
        when one fails: nothing of the script would run."""
        conn = self.conn
        positions = {t: conn.sequence_positions(*t) for s in statements for t in s.tables}
        counts: dict[int, int | None] = {}
        with self.limits(), rolled_back(conn):
            for i, s in enumerate(statements):
                if not s.writes:
                    continue
                emptied = sum(conn.row_count(*t) for t in s.tables) if s.kind == TRUNCATE else None
                n = conn.execute(s.sql, params)  # one that fails here would fail when run: say so now
                counts[i] = emptied if emptied is not None else n if n >= 0 else None
        for p in positions.values():
            for sql in conn.sequence_restore_sql(p):
                conn.execute(sql)
        return counts

    def _table(self, key: TableKey) -> Table | None:
        """The table as the catalog describes it, read once per preview or change (and again after
        a statement that may have changed definitions)."""
        if key not in self._tables:
            self._tables[key] = self.conn.introspect_table(*key)
        return self._tables[key]

    def _backup_kind(self, s: Classified) -> str:
        if s.kind in (TRUNCATE, DDL):
            return MIGRATION_BACKUPS
        if s.kind == ROWS and s.tables:
            tables = [self._table(t) for t in s.tables]
            if all(t is not None and row_key(self.conn, t) for t in tables):
                return ROWS_BY_KEY
        return WHOLE_TABLE

    def _run(self, run: _Run, step: int, preview: ChangePreview) -> int:
        """One statement of a change; its backup pieces go to `run`. Row images of a table are
        shared by the statements that follow until one that is not an INSERT/UPDATE/DELETE (it
        may change definitions): the triggers stop before it."""
        conn, statement = self.conn, preview.statement
        if not run.backup:
            return conn.execute(statement.sql, preview.params)
        if statement.kind == ROWS:
            for key in statement.tables:
                if key not in run.imaging:
                    self._start_images(run, key, step)
        else:
            self._stop_images(run)
        backups = Backups(conn, self.store)

        def protect(tables: frozenset[TableKey]) -> None:
            for key in sorted(tables):
                table = self._table(key)
                if table is not None:
                    run.pieces.append(whole_table(conn, backups, table, run.change_id, step))

        count = conn.execute_watched(statement.sql, run.imaging.__contains__, protect, preview.params)
        if statement.kind == DDL and statement.verb == "create":
            run.pieces.append(created(statement.sql, step))
        if statement.kind != ROWS:
            self._tables.clear()  # it may have changed definitions the next statement reads
        return count

    def _start_images(self, run: _Run, key: TableKey, step: int) -> None:
        table = self._table(key)
        row_id = row_key(self.conn, table) if table is not None else None
        if table is None or not row_id:
            return
        images = Imaging(self.conn, self.store, table, run.change_id, step, row_id, shared=run.shared)
        if images.start():
            run.imaging[key] = images

    def _stop_images(self, run: _Run) -> None:
        run.pieces.extend(images.stop() for images in run.imaging.values())
        run.imaging.clear()

    def _settled(self, piece: Piece) -> Piece:
        """A whole-table piece with the table's checksum and counters as the change left them."""
        if piece.kind != TABLE_PIECE:
            return piece
        if self._table((piece.schema, piece.table)) is None:
            return piece  # dropped by the change
        conn = self.conn
        positions = conn.sequence_positions(piece.schema, piece.table)
        return replace(
            piece,
            after=conn.table_checksum(piece.schema, piece.table),
            sequences_after={k: [v[0], v[1]] for k, v in positions.items()},
        )

    def _bytes(self, pieces: Sequence[Piece]) -> int | None:
        """Bytes the backups of a change take, where the database can measure them (one question
        to the database for all of them: SQLite reads its whole `dbstat` for each)."""
        ids = {p.backup_id for p in pieces if p.backup_id is not None}
        copies = [b.backup_table for b in Backups(self.conn, self.store).all() if b.id in ids] if ids else []
        names = [n for p in pieces if p.kind == ROW_PIECE for n in (p.old, p.new)] + copies
        return self.conn.tables_size(self.store.catalog_schema, [n for n in names if n is not None])


@dataclass
class _Run:
    """One change under way: its backup pieces so far, and the tables being imaged."""

    change_id: int
    backup: bool
    shared: bool  # several statements: images keep first before / last after per row
    pieces: list[Piece] = field(default_factory=list)
    imaging: dict[TableKey, Imaging] = field(default_factory=dict)


def _kind_of(pieces: Sequence[Piece], statements: Sequence[Classified]) -> str:
    """The journal's word for the backup a change got."""
    pieces = [p for p in pieces if p.kind != CREATED]
    if not pieces:
        return NO_BACKUP
    if any(s.kind in (TRUNCATE, DDL) for s in statements):
        return MIGRATION_BACKUPS
    if all(p.kind == ROW_PIECE for p in pieces):
        return ROWS_BY_KEY
    if any(p.kind == ROW_PIECE for p in pieces):
        return f"{ROWS_BY_KEY} + {WHOLE_TABLE}"
    return WHOLE_TABLE
