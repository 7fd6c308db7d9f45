"""SQLite backend over the standard library's sqlite3.

Connections run in autocommit mode (`isolation_level=None`) so that transactions are exactly the
ones the workbench opens: sqlite3's implicit BEGIN/COMMIT would otherwise split a migration.
Statement timeouts and cancellation use a progress handler and `interrupt()`, since SQLite has
no server to ask. The cross-process lock is an OS file lock beside the database file, so it is
released by the operating system even when the holder is killed.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote as url_unquote

from workbench.db import sqlite_catalog, sqlite_facts, sqlite_lexer
from workbench.db.base import (
    Capabilities,
    CatalogOutline,
    ConnectError,
    DatabaseError,
    LockTimeout,
    Params,
    QueryCancelled,
    QueryTimeout,
    Result,
    StatementFacts,
    TableKey,
    StatementRefused,
)
from workbench.db.catalog import Catalog, Table, collector_paused
from workbench.db.file_lock import DatabaseLock, FileLock
from workbench.db.sqlite_guard import Guard
from workbench.db.sqlite_watch import tables_changed_by
from workbench.sqltext import Statement

SUFFIXES = (".db", ".sqlite", ".sqlite3", ".db3")
_HEADER = b"SQLite format 3\x00"


class SQLiteBackend:
    """Files on disk (or `:memory:`), addressed as `sqlite:///rel.db`, `sqlite:////abs.db` or a path."""

    name = "sqlite"
    url_schemes = ("sqlite",)
    capabilities = Capabilities(
        transactional_ddl=True,
        schemas=False,
        enums=False,
        rls=False,
        sequences=False,
        functions=False,
        materialized_views=False,
        domains=False,
        partitions=False,
        comments=False,
        cancel=True,
        alter_column=False,
        rowid=True,
        truncate=False,
        vacuum_shrinks=True,
    )

    def accepts(self, target: str) -> bool:
        if target.startswith("sqlite:"):
            return True
        if "://" in target:
            return False
        if target.lower().endswith(SUFFIXES) or Path(target).is_file():
            return True
        # A folder in the name makes it a path even when the file is missing, so "not found" tells
        # the truth; a libpq keyword string (`host=/run/postgresql dbname=x`) is not one.
        return "=" not in target and ("/" in target or os.sep in target)

    def path_of(self, target: str) -> str:
        """The filesystem path (or ':memory:') a target names."""
        if target.startswith("sqlite:"):
            rest = target[len("sqlite:") :]
            rest = rest.split("?", 1)[0]
            if rest.startswith("///"):
                rest = rest[3:]
            elif rest.startswith("//"):
                rest = rest[2:]
            return url_unquote(rest) or ":memory:"
        return target

    def redact(self, target: str) -> str:
        return target  # SQLite targets carry no credentials

    def split_statements(self, sql: str) -> list[Statement]:
        return sqlite_lexer.split(sql)

    def connect(self, target: str, *, options: dict[str, Any] | None = None) -> SQLiteConnection:
        options = options or {}
        path = self.path_of(target)
        shown = path if path == ":memory:" else os.path.relpath(path) if not os.path.isabs(path) else path
        if path != ":memory:":
            file = Path(path)
            if file.is_dir():
                raise ConnectError(f"not a SQLite database: {shown} is a folder")
            if not file.exists():
                if not options.get("create"):
                    raise ConnectError(f"SQLite database file not found: {shown}")
                if not file.parent.is_dir():
                    raise ConnectError(f"cannot create SQLite database {shown}: folder {file.parent} does not exist")
            elif file.stat().st_size:
                try:
                    with file.open("rb") as fh:
                        header = fh.read(16)
                except OSError as exc:
                    raise ConnectError(f"cannot read {shown}: {exc.strerror}") from None
                if header != _HEADER:
                    raise ConnectError(f"not a SQLite database: {shown}")
        try:
            raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5.0)
        except sqlite3.Error as exc:
            raise ConnectError(f"cannot open SQLite database {shown}: {exc}") from None
        conn = SQLiteConnection(self, raw, path, "sqlite:///" + path if path != ":memory:" else "sqlite:///:memory:")
        for alias, attached in (options.get("attach") or {}).items():
            conn.attach(alias, attached)
        if options.get("foreign_keys"):
            conn.execute("PRAGMA foreign_keys = ON")
        return conn


class SQLiteConnection:
    """One sqlite3 connection with the workbench's transaction, timeout and error conventions."""

    placeholder = "?"
    default_schema = "main"

    def __init__(self, backend: SQLiteBackend, raw: sqlite3.Connection, path: str, display_url: str) -> None:
        self.backend = backend
        self.raw = raw
        self.path = path
        self.display_url = display_url
        self._cancelled = threading.Event()
        self._attached: dict[str, str] = {}
        self._guard: Guard | None = None  # the authorizer of a read_only/contained block

    def __repr__(self) -> str:
        return f"<SQLiteConnection {self.display_url}>"

    @property
    def capabilities(self) -> Capabilities:
        return self.backend.capabilities

    @property
    def attached(self) -> dict[str, str]:
        """Attached databases by alias (from the profile's `attach` table)."""
        return dict(self._attached)

    # -- running SQL -------------------------------------------------------------------------

    def query(self, sql: str, params: Params = ()) -> Result:
        with self._errors():
            cur = self.raw.execute(sql, params)
            rows = cur.fetchall()
            columns = tuple([d[0] for d in cur.description or ()])
        return Result(columns, rows)

    def stream(self, sql: str, params: Params = (), batch_size: int = 1000) -> Iterator[Sequence[tuple[Any, ...]]]:
        with self._errors():
            cur = self.raw.execute(sql, params)
        try:
            while True:
                with self._errors():
                    batch = cur.fetchmany(batch_size)
                if not batch:
                    return
                yield batch
        finally:
            cur.close()

    def execute(self, sql: str, params: Params = ()) -> int:
        with self._errors():
            return self.raw.execute(sql, params).rowcount

    def execute_script(self, sql: str) -> None:
        # Not sqlite3.executescript: it COMMITs any open transaction first.
        for statement in sqlite_lexer.split(sql):
            self.execute(statement.sql)

    # -- transactions ------------------------------------------------------------------------

    def in_transaction(self) -> bool:
        return self.raw.in_transaction

    @contextmanager
    def transaction(self, immediate: bool = False) -> Iterator[None]:
        """A transaction; nested, a savepoint. `immediate` takes the write lock at BEGIN."""
        if self.raw.in_transaction:
            with self.savepoint():
                yield
            return
        self.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
        try:
            yield
        except BaseException:
            if self.in_transaction():  # asked again: the statements in the block may have ended it
                self.raw.execute("ROLLBACK")
            raise
        else:
            self.execute("COMMIT")

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        name = f"wb_sp_{id(object()):x}"
        self.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            if self.raw.in_transaction:
                self.raw.execute(f"ROLLBACK TO SAVEPOINT {name}")
                self.raw.execute(f"RELEASE SAVEPOINT {name}")
            raise
        else:
            self.execute(f"RELEASE SAVEPOINT {name}")

    @contextmanager
    def read_only(self, timeout_s: float | None = None) -> Iterator[None]:
        self.execute("PRAGMA query_only = ON")
        outer = self.raw.in_transaction
        try:
            with self._timeout(timeout_s):
                if outer:
                    with self.savepoint():
                        with self._guarded(writes=False):
                            yield
                        raise _Rollback
                else:
                    self.execute("BEGIN")
                    try:
                        with self._guarded(writes=False):
                            yield
                    finally:
                        if self.raw.in_transaction:
                            self.raw.execute("ROLLBACK")
        except _Rollback:
            pass
        finally:
            self.raw.execute("PRAGMA query_only = OFF")

    @contextmanager
    def contained(self) -> Iterator[None]:
        with self._guarded(writes=True):
            yield

    @contextmanager
    def _guarded(self, writes: bool) -> Iterator[None]:
        """SQLite's authorizer judges every statement compiled in the block (see `sqlite_guard`);
        the one before it comes back afterwards."""
        previous, self._guard = self._guard, Guard(writes)
        self.raw.set_authorizer(self._guard)
        try:
            yield
        finally:
            self._guard = previous
            self.raw.set_authorizer(previous)

    def leaves_database(self, sql: str) -> str | None:
        return None  # a SQLite database is its file (and its attachments, which the copy brings)

    @contextmanager
    def lock(self, name: str, timeout_s: float) -> Iterator[None]:
        if self.path == ":memory:":
            yield
            return
        lock = DatabaseLock(self.path, name)
        if not lock.acquire(timeout_s):
            raise LockTimeout(
                f"another workbench process holds the {name} lock on {self.path}; "
                f"waited {timeout_s:g} s — try again when it has finished"
            )
        try:
            yield
        finally:
            lock.release()

    @contextmanager
    def _timeout(self, timeout_s: float | None) -> Iterator[None]:
        """Stop statements after `timeout_s` through a progress handler (SQLite has no server timeout)."""
        if not timeout_s:
            yield
            return
        deadline = time.monotonic() + timeout_s
        self.raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            yield
        finally:
            self.raw.set_progress_handler(None, 0)

    def statement_facts(self, sql: str) -> StatementFacts:
        return sqlite_facts.facts(self, sql)

    @contextmanager
    def limits(self, statement_timeout_s: float | None, lock_timeout_s: float | None) -> Iterator[None]:
        """The statement timeout through the progress handler; the lock timeout as SQLite's busy
        timeout (how long a writer waits for another connection's lock), put back afterwards."""
        previous = int(self.query("PRAGMA busy_timeout").scalar() or 0)
        if lock_timeout_s is not None:
            self.execute(f"PRAGMA busy_timeout = {int(lock_timeout_s * 1000)}")
        try:
            with self._timeout(statement_timeout_s):
                yield
        finally:
            self.execute(f"PRAGMA busy_timeout = {previous}")

    def cancel(self) -> None:
        self._cancelled.set()
        self.raw.interrupt()

    def _errors(self) -> _DriverErrors:
        """Driver errors → our errors, with the reason an interrupt happened."""
        if self._cancelled.is_set():  # clear() takes a lock: skip it on the hot path
            self._cancelled.clear()
        return _DriverErrors(self._cancelled, self._guard)

    # -- names and content -------------------------------------------------------------------

    def quote(self, identifier: str) -> str:
        return '"' + identifier.replace('"', '""') + '"'

    def qualify(self, schema: str | None, name: str) -> str:
        return f"{self.quote(schema)}.{self.quote(name)}" if schema else self.quote(name)

    def attach(self, alias: str, path: str) -> None:
        """ATTACH another database file under `alias` (it must exist)."""
        if not Path(path).is_file():
            raise ConnectError(f"cannot attach {alias}: SQLite database file not found: {path}")
        self.execute(f"ATTACH DATABASE ? AS {self.quote(alias)}", (path,))
        self._attached[alias] = path

    def database_size(self) -> int | None:
        return int(self.query("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()").scalar())

    def row_count(self, schema: str, name: str) -> int:
        return int(self.query(f"SELECT count(*) FROM {self.qualify(schema, name)}").scalar())

    def table_size(self, schema: str, name: str) -> int | None:
        return self.tables_size(schema, [name])

    def tables_size(self, schema: str, names: Sequence[str]) -> int | None:
        """Pages of the tables and their indexes, from the `dbstat` table (None when SQLite lacks
        it). One `name IN (…)` condition, which `dbstat` reads only those objects' pages for (an
        OR of two makes it read every page of the database)."""
        if not names:
            return 0
        marks = ", ".join("?" * len(names))
        try:
            size = self.query(
                f"SELECT sum(pgsize) FROM {self.quote(schema)}.dbstat WHERE name IN "
                f"(SELECT name FROM {self.quote(schema)}.sqlite_master WHERE tbl_name IN ({marks}))",
                tuple(names),
            ).scalar()
        except DatabaseError:
            return None
        return int(size or 0)

    def table_checksum(self, schema: str, name: str, columns: Sequence[str] | None = None) -> str:
        """Row count plus an order-independent sum of per-row hashes over the columns in order."""
        import hashlib  # here, not at the top: OpenSSL costs every `inspect` a few ms to load

        total, count = 0, 0
        selected = ", ".join(self.quote(c) for c in columns) if columns else "*"
        for batch in self.stream(f"SELECT {selected} FROM {self.qualify(schema, name)}", batch_size=5000):
            for row in batch:
                digest = hashlib.blake2b(repr(row).encode(), digest_size=16).digest()
                total = (total + int.from_bytes(digest, "big")) % (1 << 128)
                count += 1
        return f"{count}:{total:032x}"

    def execute_watched(
        self,
        sql: str,
        covered: Callable[[TableKey], bool],
        protect: Callable[[frozenset[TableKey]], None],
        params: Params = (),
    ) -> int:
        """See `Connection.execute_watched`: SQLite names the tables when it compiles the statement."""
        missing = frozenset(t for t in tables_changed_by(self, sql, params) if not covered(t))
        if missing:
            protect(missing)
        return self.execute(sql, params)

    def text_columns(self, schema: str, name: str) -> tuple[str, ...]:
        return ()  # every SQLite value has one of five storage classes: nothing to pin

    def sequence_positions(self, schema: str, name: str) -> dict[str, tuple[int, bool]]:
        """The AUTOINCREMENT counter of the table, when it has one."""
        try:
            seq = self.query(f"SELECT seq FROM {self.quote(schema)}.sqlite_sequence WHERE name = ?", (name,)).scalar()
        except DatabaseError:
            return {}  # no AUTOINCREMENT table in this database
        return {} if seq is None else {f"{schema}.{name}": (int(seq), True)}

    def table_statistics(self, schema: str, name: str) -> list[tuple[Any, ...]]:
        try:
            return self.query(
                f"SELECT idx, stat FROM {self.quote(schema)}.sqlite_stat1 WHERE tbl = ? ORDER BY idx", (name,)
            ).rows
        except DatabaseError:
            return []  # never analysed: no sqlite_stat1

    def statistics_restore_sql(self, schema: str, name: str, rows: Sequence[Sequence[Any]]) -> list[str]:
        if not rows:
            return []
        table, text = f"{self.quote(schema)}.sqlite_stat1", _literal

        def value(v: Any) -> str:
            return "NULL" if v is None else text(str(v))

        return [f"DELETE FROM {table} WHERE tbl = {text(name)}"] + [
            f"INSERT INTO {table} (tbl, idx, stat) VALUES ({text(name)}, {value(idx)}, {value(stat)})"
            for idx, stat in rows
        ]

    def sequence_restore_sql(self, positions: dict[str, tuple[int, bool]]) -> list[str]:
        out = []
        for key, (seq, _called) in positions.items():
            schema, _, name = key.partition(".")
            table = f"{self.quote(schema)}.sqlite_sequence"
            literal = _literal(name)
            out += [
                f"DELETE FROM {table} WHERE name = {literal}",
                f"INSERT INTO {table} (name, seq) VALUES ({literal}, {int(seq)})",
            ]
        return out

    def introspect(self, schemas: Sequence[str] | None = None) -> Catalog:
        with collector_paused():
            return sqlite_catalog.load(self, schemas)

    def introspect_table(self, schema: str, name: str) -> Table | None:
        return self.introspect([schema]).table(name, schema)  # SQLite reads its schema from memory

    def outline(self) -> CatalogOutline:
        return sqlite_catalog.outline(self)

    @contextmanager
    def scratch_copy(
        self,
        data_schemas: Sequence[str] = (),
        all_rows: bool = False,
        notify: Callable[[str], None] | None = None,
        empty: bool = False,
    ) -> Iterator[SQLiteConnection]:
        """Every database of this connection (main and attached) copied with `VACUUM INTO` into a
        temporary folder, rows included (cheap here, and migrations may read them); with `empty`,
        a new empty file in that folder instead.

        The folder holds an OS file lock while the copy lives, released by the operating system
        when the process dies however it dies; folders whose lock nobody holds were left behind
        and are removed before a new copy is made."""
        import shutil
        import tempfile  # here, not at the top: only migrations need it

        root = tempfile.gettempdir()
        _remove_dead_scratch_folders(root, notify or (lambda text: None))
        # Made under another name and renamed once locked: no cleaner ever sees it unlocked.
        making = tempfile.mkdtemp(prefix=".workbench-making-")
        owner = FileLock(os.path.join(making, _OWNER))
        owner.acquire(0)
        folder = os.path.join(root, SCRATCH_PREFIX + os.path.basename(making).rsplit("-", 1)[-1])
        os.rename(making, folder)
        try:
            main = os.path.join(folder, "main.db")
            if empty:
                open(main, "wb").close()  # noqa: SIM115 - an empty file is an empty SQLite database
            else:
                self.execute("VACUUM main INTO ?", (main,))
            attach = {}
            for number, alias in enumerate(() if empty else self._attached):
                attach[alias] = os.path.join(folder, f"attached-{number}.db")
                self.execute(f"VACUUM {self.quote(alias)} INTO ?", (attach[alias],))
            copy = self.backend.connect(main, options={"attach": attach})
            try:
                yield copy
            finally:
                copy.close()
        finally:
            owner.release()
            shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        self.raw.close()


SCRATCH_PREFIX = "workbench-scratch-"
_OWNER = "owner.lock"
_UNOWNED_GRACE_S = 3600  # a folder without a lock file comes from a version without owner locks


def _remove_dead_scratch_folders(root: str, notify: Callable[[str], None]) -> None:
    """Remove the scratch folders in `root` whose owner died (nobody holds the lock inside)."""
    import glob
    import shutil

    for folder in glob.glob(os.path.join(glob.escape(root), SCRATCH_PREFIX + "*")):
        lock_path = os.path.join(folder, _OWNER)
        if os.path.exists(lock_path):
            lock = FileLock(lock_path)
            if not lock.acquire(0):
                continue  # its run is alive
            lock.release()
        elif time.time() - os.path.getmtime(folder) < _UNOWNED_GRACE_S:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        notify(f"removed {folder}, a scratch copy left behind by a run that was stopped")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class _Rollback(Exception):
    """Raised inside a read-only savepoint so that it is always rolled back."""


class _DriverErrors:
    """The context `SQLiteConnection._errors` returns: a class, not a generator, because it
    wraps every query and a generator-based context manager costs several times as much."""

    __slots__ = ("_cancelled", "_guard")

    def __init__(self, cancelled: threading.Event, guard: Guard | None) -> None:
        self._cancelled = cancelled
        self._guard = guard

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, _tb: object) -> None:
        if not isinstance(exc, sqlite3.Error):
            return
        message = str(exc)
        refusal = self._guard.refusal(message) if self._guard is not None else None
        if refusal:
            raise StatementRefused(refusal) from None
        if message == "interrupted":
            if self._cancelled.is_set():
                raise QueryCancelled("query cancelled") from None
            raise QueryTimeout("query timed out") from None
        if "readonly" in message or "read-only" in message or "attempt to write" in message:
            message = f"{message} (this runs read-only)"
        raise DatabaseError(message, getattr(exc, "sqlite_errorname", None)) from None
