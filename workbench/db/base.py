"""The backend contract: the only surface the rest of the workbench sees of a database.

A backend is one module in `workbench/db/` with a class implementing `Backend`, registered under
the entry-point group `workbench.backends` (see `registry.py`). It hands out `Connection`
objects. Nothing outside `workbench/db/` imports a driver; everything talks to these protocols.

What callers may rely on, on every backend:

- Parameters are passed separately from SQL, never pasted; `Connection.placeholder` is the
  marker to put in the SQL text ("?" for SQLite, "%s" for PostgreSQL).
- A connection starts in autocommit mode. `transaction()` opens a transaction (DDL included: both
  built-in backends have transactional DDL); nested `transaction()` calls become savepoints.
  Leaving the block with an exception rolls back to where the block started.
- `read_only()` runs its block in a transaction that can not write and is always rolled back,
  with an optional statement timeout; every statement run in it is first judged by the
  database's own parser or authorizer, and one that is not a single read is refused before it
  runs (`StatementRefused`). `contained()` does the same for statements that may write but must
  not reach past the current transaction (scenarios).
- `leaves_database(sql)` names what in `sql` would act outside the database (roles, other
  databases, the server's files): a replay on a scratch copy skips it.
- Identifiers are quoted with `quote()` / `qualify()`; user text never becomes SQL by pasting.
- Driver errors surface as `DatabaseError` subclasses with a one-line message that never shows
  a password. Timeouts are `QueryTimeout`, cancellation is `QueryCancelled`.
- `introspect()` reads the whole schema with a constant number of queries per object kind.
- `outline()` names the same objects with their row estimates, from one cheap read, so that a
  screen can list them while `introspect()` is still at work.
- `query`, `stream` and `execute` run exactly one statement: text holding two is refused by the
  database, so a `;` inside a check or a migration statement can never start another one.
  `Backend.split_statements` cuts a script where the database itself would, with its own lexer.
- `execute_watched()` runs one statement only after the caller has had the chance to copy aside
  every existing table the statement changes — as the database itself reports them, so triggers,
  cascades, functions and CASCADE through types are included, whatever the text names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from workbench.db.catalog import Catalog, Table
from workbench.errors import OperationFailed, WorkbenchError
from workbench.sqltext import Statement

Params = Sequence[Any] | dict[str, Any]
TableKey = tuple[str, str]  # (schema, name) as the catalog spells them


# -- errors ---------------------------------------------------------------------------------


class DatabaseError(WorkbenchError):
    """A database said no. `sqlstate` is the SQLSTATE code when the backend reports one."""

    exit_code = 1

    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


class StatementRefused(DatabaseError):
    """A guard refused a statement before it reached the database: nothing of it ran. It is
    never what a check or scenario step "expects" when it expects an error."""


READ_ONLY_RULE = "a read-only run takes one statement that only reads"
CONTAINED_RULE = "a scenario step may write, but nothing may reach past the transaction that is rolled back"


class ConnectError(DatabaseError):
    """The database could not be opened or reached: bad URL, missing file, refused, auth."""

    exit_code = 2


class QueryTimeout(DatabaseError):
    """A statement ran past its timeout and was stopped by the database."""


class QueryCancelled(DatabaseError):
    """A statement was cancelled on request (`Connection.cancel`)."""


class LockTimeout(OperationFailed):
    """Another process holds the workbench lock (e.g. a concurrent `migrate up`)."""


# -- capabilities and results -----------------------------------------------------------------


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do; engines branch on these flags, never on the backend's name."""

    transactional_ddl: bool = True
    schemas: bool = False  # real namespaces beyond one default (PostgreSQL schemas)
    enums: bool = False  # CREATE TYPE … AS ENUM
    rls: bool = False  # row-level security policies
    sequences: bool = False
    functions: bool = False  # stored functions/procedures in SQL
    materialized_views: bool = False
    domains: bool = False
    partitions: bool = False
    comments: bool = False  # COMMENT ON
    cancel: bool = True  # a running statement can be cancelled from another thread
    alter_column: bool = False  # ALTER TABLE … ALTER COLUMN (SQLite rebuilds the table instead)
    rowid: bool = False  # every ordinary table has an implicit row id (SQLite's rowid)
    truncate: bool = True  # TRUNCATE TABLE (SQLite empties a table with an unconditioned DELETE)
    vacuum_shrinks: bool = False  # VACUUM gives dropped tables' pages back to the file system (SQLite)
    lock_views: bool = False  # pg_locks / pg_blocking_pids: another session can see who waits on whom


@dataclass(frozen=True)
class Result:
    """Rows of one query. `columns` are the result column names, in order."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def scalar(self) -> Any:
        """The first value of the first row, or None when there are no rows."""
        return self.rows[0][0] if self.rows and self.rows[0] else None


@dataclass(frozen=True)
class StatementFacts:
    """What one statement does, as the database's own parser or compiler reads it.

    `kind`: read, rows (INSERT/UPDATE/DELETE/upsert/MERGE), truncate, ddl or other; `verb` the
    statement's own word (select, update, delete, insert, upsert, merge, truncate, create, …);
    `tables` the existing tables it writes by itself (not through triggers or foreign keys)."""

    kind: str
    verb: str
    tables: tuple[TableKey, ...] = ()


@dataclass(frozen=True)
class OutlineEntry:
    """One object as `Connection.outline` names it: `kind` is table, view, materialized view, enum,
    domain, function or sequence; a function's `name` carries its identity arguments, as the
    second half of `Function.key` does."""

    kind: str
    schema: str
    name: str
    row_estimate: int | None = None


@dataclass(frozen=True)
class CatalogOutline:
    """Every object `introspect()` would return, by name only, and the schemas in catalog order."""

    schemas: tuple[str, ...]
    objects: tuple[OutlineEntry, ...]


# -- the protocols --------------------------------------------------------------------------


@runtime_checkable
class Connection(Protocol):
    """An open database connection. Use it from one thread at a time (except `cancel`)."""

    backend: Backend
    placeholder: str
    default_schema: str
    display_url: str  # the target with any password removed, fit for screens and logs

    @property
    def capabilities(self) -> Capabilities: ...

    def query(self, sql: str, params: Params = ()) -> Result:
        """Run one statement and return all its rows; text holding several is a `DatabaseError`."""

    def stream(self, sql: str, params: Params = (), batch_size: int = 1000) -> Iterator[Sequence[tuple[Any, ...]]]:
        """Run one statement and yield its rows in batches, holding at most one batch in memory."""

    def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement for its effect; returns the affected row count (-1 if unknown)."""

    def execute_script(self, sql: str) -> None:
        """Run a script's statements in order, each as a statement of its own (as
        `Backend.split_statements` cuts them), inside the current transaction if there is one;
        stops at the first that fails."""

    def transaction(self, immediate: bool = False) -> AbstractContextManager[None]:
        """A transaction (a savepoint when nested); rolled back if the block raises.

        `immediate` takes the database's write lock at BEGIN (SQLite `BEGIN IMMEDIATE`), so a
        writer waits there instead of failing later on a lock upgrade; backends whose writers
        lock rows as they go (PostgreSQL) accept and ignore it.
        """

    def savepoint(self) -> AbstractContextManager[None]:
        """A savepoint inside the current transaction."""

    def read_only(self, timeout_s: float | None = None) -> AbstractContextManager[None]:
        """A transaction that cannot write and is always rolled back; statements time out.

        Each statement run in the block must be exactly one statement that only reads (as the
        database's own parser or authorizer judges it); any other raises `StatementRefused`
        before anything of it runs.
        """

    def contained(self) -> AbstractContextManager[None]:
        """Statements run in the block may write, but none may reach past the current
        transaction: transaction control, session settings and state, the server's files and
        programs, other sessions. Those raise `StatementRefused` before anything of them runs.
        For steps run inside a transaction that is always rolled back (scenarios)."""

    def leaves_database(self, sql: str) -> str | None:
        """What in `sql` would act outside this database (roles, databases, tablespaces, the
        server's configuration, files or programs), as one line; None when nothing would."""

    def lock(self, name: str, timeout_s: float) -> AbstractContextManager[None]:
        """A cross-process lock named `name`, held for the block; raises `LockTimeout`."""

    def introspect(self, schemas: Sequence[str] | None = None) -> Catalog:
        """The catalog of the given schemas (default: all user schemas)."""

    def introspect_table(self, schema: str, name: str) -> Table | None:
        """One table as `introspect` describes it (None when there is none), reading only what
        it needs: a change's backup asks this for each table it touches."""

    def outline(self) -> CatalogOutline:
        """The objects `introspect()` returns for all user schemas, with the same row estimates,
        and nothing else: a read a small fraction of the cost, for a first paint."""

    def quote(self, identifier: str) -> str:
        """The identifier quoted for this backend, safe whatever characters it holds."""

    def qualify(self, schema: str | None, name: str) -> str:
        """`schema.name`, both quoted; the schema is left out when it is None."""

    def table_checksum(self, schema: str, name: str, columns: Sequence[str] | None = None) -> str:
        """A checksum of a table's whole content (or of these columns, in this order; SQLite's
        `rowid` counts as one), independent of physical row order."""

    def execute_watched(
        self,
        sql: str,
        covered: Callable[[TableKey], bool],
        protect: Callable[[frozenset[TableKey]], None],
        params: Params = (),
    ) -> int:
        """Run one statement (with `params`) inside the current transaction, like `execute`, after calling
        `protect(tables)` with every existing user table it changes (rows, definition, or the
        table itself) that is not `covered` — while those tables are still as they were.

        The database is the witness, not the statement's text: SQLite's authorizer names every
        table the compiled statement writes (its triggers and foreign-key actions included);
        PostgreSQL runs the statement in a savepoint, reads which tables its statistics and
        catalog say changed, and — only when one is not covered — rolls back to the savepoint
        (sequence positions included), calls `protect`, and runs the statement again.
        The workbench's own objects never count.
        """

    def text_columns(self, schema: str, name: str) -> tuple[str, ...]:
        """Columns of the table whose type the database does not ship (enums, domains, extension
        and composite types, arrays of them): a backup keeps them as text, so that it never pins
        a type a statement drops, even with CASCADE."""

    def sequence_positions(self, schema: str, name: str) -> dict[str, tuple[int, bool]]:
        """Where the counters that number the table's rows stand (PostgreSQL: the sequences its
        columns own; SQLite: its AUTOINCREMENT counter), by a key `sequence_restore_sql` takes."""

    def sequence_restore_sql(self, positions: dict[str, tuple[int, bool]]) -> list[str]:
        """Statements that put counters back where `sequence_positions` found them."""

    def table_statistics(self, schema: str, name: str) -> list[tuple[Any, ...]]:
        """The planner statistics the database keeps as data of its own and dumps with the schema
        (SQLite's `sqlite_stat1` rows of the table; nothing on PostgreSQL, which rebuilds them)."""

    def statistics_restore_sql(self, schema: str, name: str, rows: Sequence[Sequence[Any]]) -> list[str]:
        """Statements that put `table_statistics` rows back."""

    def row_count(self, schema: str, name: str) -> int:
        """The exact number of rows (a full count: use for backups and checks, not on open)."""

    def table_size(self, schema: str, name: str) -> int | None:
        """Bytes the table takes on disk with its indexes; None when the database cannot tell."""

    def tables_size(self, schema: str, names: Sequence[str]) -> int | None:
        """Bytes these tables of `schema` take with their indexes, together, asked in one query;
        None when the database cannot tell."""

    def scratch_copy(
        self,
        data_schemas: Sequence[str] = (),
        all_rows: bool = False,
        notify: Callable[[str], None] | None = None,
        empty: bool = False,
    ) -> AbstractContextManager[Connection]:
        """A connection to a throwaway copy of this database, dropped when the block ends.

        The copy has the same schema and the rows of `data_schemas`, or of every table with
        `all_rows` (a backend may copy every row anyway when that is cheap, as SQLite does).
        Nothing done to the copy reaches this database; coverage per migration replays
        migrations on it. Copies left behind by runs that died (killed, crashed) are removed
        first, and `notify` is told of each in one line. With `empty`, the copy holds nothing at
        all: a blank database of the same backend and server, on which migrations replay from the
        start (the schema the project's migrations produce).
        """

    def database_size(self) -> int | None:
        """The database's size on disk in bytes, when the backend can tell."""

    def statement_facts(self, sql: str) -> StatementFacts:
        """What the one statement `sql` does and which tables it writes (see `StatementFacts`)."""

    def limits(self, statement_timeout_s: float | None, lock_timeout_s: float | None) -> AbstractContextManager[None]:
        """Statements run in the block stop after `statement_timeout_s` (`QueryTimeout`) and stop
        waiting for a lock after `lock_timeout_s`; None leaves that limit as it is."""

    def in_transaction(self) -> bool: ...

    def cancel(self) -> None:
        """Ask the database to stop the statement running now (safe from another thread)."""

    def close(self) -> None: ...


@runtime_checkable
class Backend(Protocol):
    """A database family. `name` is the entry-point name (sqlite, postgresql)."""

    name: str
    capabilities: Capabilities
    url_schemes: tuple[str, ...]

    def accepts(self, target: str) -> bool:
        """Whether this backend handles `target` (a URL or a path)."""

    def connect(self, target: str, *, options: dict[str, Any] | None = None) -> Connection:
        """Open a connection; raise `ConnectError` with a one-line reason on failure."""

    def redact(self, target: str) -> str:
        """`target` with any password removed, for display."""

    def split_statements(self, sql: str) -> list[Statement]:
        """The statements of a script, cut where this database ends them, by its own lexer.

        Build the result with `workbench.sqltext.cut` from the offsets of the ending `;`, so that
        statement text and lines mean the same on every backend. A backend without this method
        gets the SQL standard's lexical rules (see `workbench.db.split_statements`).
        """


class _RollBack(Exception):
    """Raised at the end of a `rolled_back` block so that its transaction never commits."""


@contextmanager
def rolled_back(conn: Connection) -> Iterator[None]:
    """A writable transaction (a savepoint when nested) that is rolled back however the block ends.

    For trying SQL without keeping it: scenarios, idempotency runs, previews.
    """
    try:
        with conn.transaction():
            yield
            raise _RollBack
    except _RollBack:
        pass
