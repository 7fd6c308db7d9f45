"""PostgreSQL backend over psycopg 3.

Targets are `postgresql://…` / `postgres://…` URLs or libpq `key=value` strings; libpq's
environment variables and service files apply as psycopg applies them. `postgresql+embedded:///NAME`
is database NAME on the private server of `embedded.py`, started on first use. Connections run in
autocommit mode; `transaction()` maps onto psycopg's transaction blocks (savepoints when
nested). Every statement goes through the extended query protocol, one per round trip: the
server refuses text holding two. Error text is reduced to the server's one-line primary
message; connection failures are rewritten into a short sentence naming host and port, never
any part of the password.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import psycopg
from psycopg import conninfo as pg_conninfo
from psycopg import sql as pg_sql

from workbench.db import embedded, postgres_catalog
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
from workbench.db.pg_watch import Fingerprint
from workbench.sqltext import Statement

_SCHEMES = ("postgresql", "postgres", embedded.SCHEME)


class PostgresBackend:
    name = "postgresql"
    url_schemes = _SCHEMES
    capabilities = Capabilities(
        transactional_ddl=True,
        schemas=True,
        enums=True,
        rls=True,
        sequences=True,
        functions=True,
        materialized_views=True,
        domains=True,
        partitions=True,
        comments=True,
        cancel=True,
        alter_column=True,
        lock_views=True,
    )

    def accepts(self, target: str) -> bool:
        scheme = target.split("://", 1)[0].lower() if "://" in target else ""
        if scheme in _SCHEMES:
            return True
        # A libpq keyword string: "host=… dbname=…"
        return "://" not in target and bool(re.match(r"^\s*\w+\s*=", target)) and "=" in target

    def redact(self, target: str) -> str:
        if "://" in target:
            return _redact_url(target)
        try:
            params = pg_conninfo.conninfo_to_dict(target)
        except psycopg.ProgrammingError:
            return "<unparseable connection string>"
        params.pop("password", None)
        return pg_conninfo.make_conninfo(**{k: str(v) for k, v in params.items()})

    def split_statements(self, sql: str) -> list[Statement]:
        from workbench.db import pg_lexer  # pglast loads when text is first split, not at start-up

        return pg_lexer.split(sql)

    def connect(self, target: str, *, options: dict[str, Any] | None = None) -> PostgresConnection:
        options = options or {}
        if "://" in target and _stray_at(target):
            raise ConnectError(
                f"cannot tell the password from the host in {self.redact(target)}: write an @ or / "
                "in a user name or password as %40 or %2F"
            )
        shown, tools = self.redact(target), None
        if embedded.is_embedded(target):
            target, tools = embedded.resolve(target)
        try:
            params: dict[str, Any] = pg_conninfo.conninfo_to_dict(target)  # connect()'s keywords
        except psycopg.ProgrammingError:
            raise ConnectError(f"not a valid PostgreSQL URL: {shown}") from None
        params.setdefault("connect_timeout", options.get("connect_timeout", 10))
        params.setdefault("application_name", "schema-workbench")
        try:
            raw = psycopg.connect(**params, autocommit=True)
        except psycopg.Error as exc:  # a missing database is created when asked to
            if not (options.get("create") and _MISSING_DATABASE.search(str(exc)) and params.get("dbname")):
                raise ConnectError(_connect_message(exc, params)) from None
            self._create_database(params)
            raw = self._connect_or_explain(params)
        return PostgresConnection(self, raw, shown, params, tools)

    def _create_database(self, params: dict[str, Any]) -> None:
        """CREATE DATABASE through the server's maintenance database, for `options={"create": True}`."""
        admin = self._connect_or_explain({**params, "dbname": "postgres"})
        try:
            with admin.cursor() as cur:
                cur.execute(pg_sql.SQL("CREATE DATABASE {}").format(pg_sql.Identifier(params["dbname"])))
        except psycopg.Error as exc:
            raise ConnectError(f"could not create database {params['dbname']}: {_primary(exc)}") from None
        finally:
            admin.close()

    def _connect_or_explain(self, params: dict[str, Any]) -> psycopg.Connection:
        try:
            return psycopg.connect(**params, autocommit=True)
        except psycopg.Error as exc:
            raise ConnectError(_connect_message(exc, params)) from None


SCRATCH_PREFIX = "workbench_scratch_"
_MISSING_DATABASE = re.compile(r'database "[^"]*" does not exist')


def _stray_at(url: str) -> bool:
    """Whether a URL holds an `@` besides the one libpq takes as the end of the user and password.

    libpq ends the credentials at the first `@` met before any `/`; an unencoded `@` or `/` in a
    password makes it read the rest of the password as the host, database or options, and echo
    it in its messages. Such a URL is refused rather than guessed at.
    """
    rest = url.split("://", 1)[1]
    first = re.search(r"[@/]", rest)
    if first is not None and first.group() == "@":
        rest = rest[first.end() :]
    return "@" in rest


def _redact_url(url: str) -> str:
    """`url` without its password: whatever libpq or its author took for the end of the
    credentials (the first or the last `@`), the user name is all that is kept of them."""
    scheme, rest = url.split("://", 1)
    at = rest.rfind("@")
    if at >= 0:
        user = rest[:at].split(":", 1)[0]
        rest = (f"{user}@" if user else "") + rest[at + 1 :]
    base, mark, query = rest.partition("?")
    kept = "&".join(p for p in query.split("&") if p and not p.lower().startswith("password="))
    return f"{scheme}://{base}" + (f"?{kept}" if mark and kept else "")


def _connect_message(exc: psycopg.Error, params: dict[str, Any]) -> str:
    """One line for a failed connect: the cause, with the host and port it concerns."""
    text = str(exc)
    if params.get("password"):  # libpq repeats a value it cannot read, such as a password taken for a port
        text = re.sub(rf"(?<!\w){re.escape(str(params['password']))}(?!\w)", "***", text)
    where = f"{params.get('host') or 'the local socket'}"
    if params.get("port"):
        where += f":{params['port']}"
    if "Connection refused" in text:
        return f"could not connect to {where}: connection refused (is PostgreSQL running there?)"
    if "timeout expired" in text:
        return f"could not connect to {where}: timed out"
    for pattern in (
        r'password authentication failed for user "[^"]*"',
        r'database "[^"]*" does not exist',
        r'role "[^"]*" does not exist',
        r"no password supplied",
        r"no pg_hba\.conf entry for [^\n]*",
        r"could not translate host name \"[^\"]*\" to address",
        r"No such file or directory",
    ):
        match = re.search(pattern, text)
        if match:
            return f"could not connect to {where}: {match.group(0)}"
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    last = re.sub(r"^(FATAL|ERROR):\s*", "", lines[-1] if lines else "unknown error")
    return f"could not connect to {where}: {last}"


class _RunAgain(Exception):
    """Leaves the savepoint of a watched statement that changed a table nobody has copied yet."""


class PostgresConnection:
    placeholder = "%s"
    default_schema = "public"

    def __init__(
        self,
        backend: PostgresBackend,
        raw: psycopg.Connection,
        display_url: str,
        params: dict[str, Any],
        tools: Path | None = None,
    ) -> None:
        self.backend = backend
        self.raw = raw
        self.display_url = display_url
        self._params = params  # as given (password included) for tools such as pg_dump; never shown
        self._tools = tools  # the server's own client tools (embedded), else those on PATH
        self._cancel_requested = False
        self._streamed = False  # a stream ran since the last pipeline (see `_pipeline`)

    def __repr__(self) -> str:
        return f"<PostgresConnection {self.display_url}>"

    @property
    def capabilities(self) -> Capabilities:
        return self.backend.capabilities

    @property
    def database(self) -> str:
        return self.raw.info.dbname

    @property
    def server_version(self) -> int:
        """The server version as libpq reports it, e.g. 150019 for 15.19."""
        return self.raw.info.server_version

    # -- running SQL -------------------------------------------------------------------------

    def query(self, sql: str, params: Params = ()) -> Result:
        """One statement, with the extended query protocol (see `OneStatementCursor`): one round trip."""
        with self._errors(), self._cursor() as cur:
            if self._streamed:
                self._sync_after_stream()
            cur.execute(*_bind(sql, params))
            if cur.description is None:
                return Result((), [])
            return Result(tuple(d.name for d in cur.description), cur.fetchall())

    def stream(self, sql: str, params: Params = (), batch_size: int = 1000) -> Iterator[Sequence[tuple[Any, ...]]]:
        """Rows arrive in chunks from the server (libpq chunked/single-row mode): memory stays flat.
        psycopg streams with the extended protocol, so the text is one statement here too."""
        with self._errors(), self.raw.cursor() as cur:
            batch: list[tuple[Any, ...]] = []
            self._streamed = True
            for row in cur.stream(*_bind(sql, params), size=batch_size):
                batch.append(row)
                if len(batch) >= batch_size:
                    yield batch
                    batch = []
            if batch:
                yield batch

    def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement for its effect. Asking for binary results (there are none to read)
        makes psycopg use the extended query protocol without a pipeline: the server still
        refuses text holding two statements, and the statement costs one round trip, not two."""
        with self._errors(), self.raw.cursor() as cur:
            if self._streamed:
                self._sync_after_stream()
            cur.execute(*_bind(sql, params), binary=True)
            return cur.rowcount

    def execute_script(self, sql: str) -> None:
        """The statements as PostgreSQL's own parser cuts them, each in its own Parse message,
        pipelined with one sync at the end: one round trip, and one implicit transaction (all or
        nothing unless the script holds its own BEGIN/COMMIT), as the text used to run as one
        simple query, except that the server now refuses any piece holding two statements."""
        statements = self.backend.split_statements(sql)
        with self._errors(), self.raw.cursor() as cur, self._pipeline():
            for statement in statements:
                cur.execute(statement.sql)

    def _cursor(self) -> psycopg.Cursor[Any]:
        """A cursor that speaks the extended protocol: the guard's inside a guarded block."""
        if issubclass(self.raw.cursor_factory, OneStatementCursor):
            return self.raw.cursor()
        return OneStatementCursor(self.raw)

    @contextmanager
    def _pipeline(self) -> Iterator[None]:
        """psycopg's pipeline mode, synced when the block ends.

        libpq (18) keeps a stream's chunked-rows mode into the next pipeline, whose first result
        then arrives as a chunk psycopg refuses; a sync first (one round trip, after a stream
        only) clears that mode.
        """
        with self.raw.pipeline() as pipeline:
            if self._streamed:
                pipeline.sync()
                self._streamed = False
            yield

    def _sync_after_stream(self) -> None:
        """Clear what a stream leaves in libpq (see `_pipeline`) before a statement outside one."""
        with self.raw.pipeline() as pipeline:
            pipeline.sync()
        self._streamed = False

    # -- transactions ------------------------------------------------------------------------

    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    @contextmanager
    def transaction(self, immediate: bool = False) -> Iterator[None]:
        # `immediate` is for SQLite's database-wide write lock; PostgreSQL locks rows as it writes.
        with self._errors(), self.raw.transaction():
            yield

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        with self._errors(), self.raw.transaction():
            yield

    @contextmanager
    def read_only(self, timeout_s: float | None = None) -> Iterator[None]:
        from workbench.db import pg_guard  # the parser loads when a guard is first needed

        nested = self.in_transaction()
        with self._errors(), self.raw.transaction(force_rollback=True):
            # Inside an outer transaction this is a savepoint; read-only still applies until
            # the savepoint is rolled back, which restores the setting.
            self._run("SET LOCAL transaction_read_only = on" if nested else "SET TRANSACTION READ ONLY")
            if timeout_s:
                self._run(f"SET LOCAL statement_timeout = {int(timeout_s * 1000)}")
            with self._guarded(pg_guard.read_only_refusal):
                yield

    @contextmanager
    def contained(self) -> Iterator[None]:
        from workbench.db import pg_guard

        with self._guarded(pg_guard.escape_refusal):
            yield

    @contextmanager
    def _guarded(self, refusal: Callable[[str], str | None]) -> Iterator[None]:
        """Every statement any cursor of this connection runs in the block is first judged by
        `refusal`, whichever method runs it: the guard sits below query/execute/stream."""
        previous = self.raw.cursor_factory
        self.raw.cursor_factory = _guarded_cursor(refusal)
        try:
            yield
        finally:
            self.raw.cursor_factory = previous

    def leaves_database(self, sql: str) -> str | None:
        from workbench.db import pg_guard

        return pg_guard.leaves_database(sql, self._function_bodies)

    def _function_bodies(self, schema: str | None, name: str) -> list[tuple[str, str]]:
        """(language, source) of the user-defined functions called `name`, for `leaves_database`."""
        return [
            tuple(row)
            for row in self.query(
                "SELECT l.lanname, p.prosrc FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang "
                "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname = %s "
                "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND (%s::text IS NULL OR n.nspname = %s)",
                (name, schema, schema),
            ).rows
        ]

    def _run(self, sql: str) -> None:
        with self.raw.cursor() as cur:
            cur.execute(sql)

    @contextmanager
    def lock(self, name: str, timeout_s: float) -> Iterator[None]:
        """A session-level advisory lock: released by the server if this process dies."""
        key = _lock_key(name)
        deadline = time.monotonic() + timeout_s
        while not self.query("SELECT pg_try_advisory_lock(%s)", (key,)).scalar():
            if time.monotonic() >= deadline:
                raise LockTimeout(
                    f"another workbench process holds the {name} lock on {self.display_url}; "
                    f"waited {timeout_s:g} s — try again when it has finished"
                )
            time.sleep(0.1)
        try:
            yield
        finally:
            if not self.raw.closed:
                self.query("SELECT pg_advisory_unlock(%s)", (key,))

    def statement_facts(self, sql: str) -> StatementFacts:
        """PostgreSQL's parser reads the statement; the names it writes are resolved on the
        search path as the server would (a name it does not know stays out)."""
        from workbench.db import pg_facts  # the parser loads when first needed

        kind, verb, names = pg_facts.facts(sql)
        tables: list[TableKey] = []
        for schema, name in names:
            found = self.query(
                "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.oid = to_regclass(%s)",
                (self.qualify(schema, name),),
            ).rows
            tables += [(str(r[0]), str(r[1])) for r in found]
        return StatementFacts(kind, verb, tuple(tables))

    @contextmanager
    def limits(self, statement_timeout_s: float | None, lock_timeout_s: float | None) -> Iterator[None]:
        """Session settings for the block, put back after it (use it around a transaction: a
        transaction rolled back undoes settings made inside it anyway)."""
        settings = {"statement_timeout": statement_timeout_s, "lock_timeout": lock_timeout_s}
        wanted = {name: f"{int(value * 1000)}ms" for name, value in settings.items() if value is not None}
        previous = {name: str(self.query(f"SELECT current_setting('{name}')").scalar()) for name in wanted}
        for name, value in wanted.items():
            self.query("SELECT set_config(%s, %s, false)", (name, value))
        try:
            yield
        finally:
            if not self.raw.broken and not self.in_transaction():
                for name, value in previous.items():
                    self.query("SELECT set_config(%s, %s, false)", (name, value))

    def cancel(self) -> None:
        self._cancel_requested = True
        try:
            self.raw.cancel_safe()
        except psycopg.Error:
            pass  # nothing running, or the connection is gone: nothing to cancel

    @contextmanager
    def _errors(self) -> Iterator[None]:
        self._cancel_requested = False
        try:
            yield
        except psycopg.errors.QueryCanceled as exc:
            if "statement timeout" in str(exc):
                raise QueryTimeout("query timed out", exc.sqlstate) from None
            raise QueryCancelled("query cancelled", exc.sqlstate) from None
        except psycopg.OperationalError as exc:
            if self.raw.closed or self.raw.broken:
                raise DatabaseError(f"lost the connection to the server: {_primary(exc)}", exc.sqlstate) from None
            raise DatabaseError(_primary(exc), exc.sqlstate) from None
        except psycopg.Error as exc:
            raise DatabaseError(_primary(exc), exc.sqlstate) from None

    # -- names and content -------------------------------------------------------------------

    def quote(self, identifier: str) -> str:
        return '"' + identifier.replace('"', '""') + '"'

    def qualify(self, schema: str | None, name: str) -> str:
        return f"{self.quote(schema)}.{self.quote(name)}" if schema else self.quote(name)

    def database_size(self) -> int | None:
        return int(self.query("SELECT pg_database_size(current_database())").scalar())

    def row_count(self, schema: str, name: str) -> int:
        return int(self.query(f"SELECT count(*) FROM {self.qualify(schema, name)}").scalar())

    def table_size(self, schema: str, name: str) -> int | None:
        return self.tables_size(schema, [name])

    def tables_size(self, schema: str, names: Sequence[str]) -> int | None:
        qualified = [self.qualify(schema, name) for name in names]
        return int(
            self.query(
                "SELECT coalesce(sum(pg_total_relation_size(t::regclass)), 0) FROM unnest(%s::text[]) AS t",
                (qualified,),
            ).scalar()
        )

    def table_checksum(self, schema: str, name: str, columns: Sequence[str] | None = None) -> str:
        """Row count plus an order-independent sum of per-row md5s, computed in the server."""
        row_text = f"ROW({', '.join(self.quote(c) for c in columns)})::text" if columns else '"__wb_row__"::text'
        row = self.query(
            f"SELECT count(*), coalesce(sum(('x' || substr(md5({row_text}), 1, 16))::bit(64)::bigint::numeric), 0) "
            f'FROM {self.qualify(schema, name)} AS "__wb_row__"'
        ).rows[0]
        return f"{row[0]}:{row[1]}"

    def execute_watched(
        self,
        sql: str,
        covered: Callable[[TableKey], bool],
        protect: Callable[[frozenset[TableKey]], None],
        params: Params = (),
    ) -> int:
        """See `Connection.execute_watched`: run in a savepoint, and again after `protect` when
        the server's own records show a table changed that is not covered."""
        before = Fingerprint.read(self)
        try:
            with self.savepoint():
                count = self.execute(sql, params)
                after = Fingerprint.read(self)
                missing = frozenset(t for t in before.changed(after) if not covered(t))
                if missing:
                    raise _RunAgain
            return count
        except _RunAgain:
            pass
        for reset in before.sequence_reset_sql(after):
            self.execute(reset)
        protect(missing)
        return self.execute(sql, params)

    def text_columns(self, schema: str, name: str) -> tuple[str, ...]:
        rows = self.query(
            "SELECT a.attname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
            "LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A' "
            "JOIN pg_namespace n ON n.oid = coalesce(e.typnamespace, t.typnamespace) "
            "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped "
            "AND (n.nspname <> 'pg_catalog' OR coalesce(e.typtype, t.typtype) IN ('e', 'd', 'c')) ORDER BY a.attnum",
            (self.qualify(schema, name),),
        ).rows
        return tuple(r[0] for r in rows)

    def sequence_positions(self, schema: str, name: str) -> dict[str, tuple[int, bool]]:
        owned = self.query(
            "SELECT format('%I.%I', n.nspname, s.relname) FROM pg_depend d "
            "JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' JOIN pg_namespace n ON n.oid = s.relnamespace "
            "WHERE d.classid = 'pg_class'::regclass AND d.refobjid = %s::regclass AND d.deptype IN ('a', 'i') "
            "ORDER BY d.refobjsubid",
            (self.qualify(schema, name),),
        ).rows
        out = {}
        for (sequence,) in owned:
            last, called = self.query(f"SELECT last_value, is_called FROM {sequence}").rows[0]
            out[sequence] = (int(last), bool(called))
        return out

    def sequence_restore_sql(self, positions: dict[str, tuple[int, bool]]) -> list[str]:
        return [
            f"SELECT setval(CAST('{seq.replace(chr(39), chr(39) * 2)}' AS regclass), {int(last)}, "
            f"{'true' if called else 'false'})"
            for seq, (last, called) in positions.items()
        ]

    def table_statistics(self, schema: str, name: str) -> list[tuple[Any, ...]]:
        return []  # pg_dump does not print them, and ANALYZE rebuilds them

    def statistics_restore_sql(self, schema: str, name: str, rows: Sequence[Sequence[Any]]) -> list[str]:
        return []

    def introspect(self, schemas: Sequence[str] | None = None) -> Catalog:
        with collector_paused():
            return postgres_catalog.load(self, schemas)

    def introspect_table(self, schema: str, name: str) -> Table | None:
        with collector_paused():
            return postgres_catalog.load(self, [schema], name).table(name, schema)

    def outline(self) -> CatalogOutline:
        return postgres_catalog.outline(self)

    @contextmanager
    def scratch_copy(
        self,
        data_schemas: Sequence[str] = (),
        all_rows: bool = False,
        notify: Callable[[str], None] | None = None,
        empty: bool = False,
    ) -> Iterator[PostgresConnection]:
        """A temporary database on the same server holding `pg_dump` of this one: the schema, plus
        the rows of `data_schemas` (or of everything with `all_rows`). Needs CREATEDB and pg_dump
        (not with `empty`: then the database is left as CREATE DATABASE makes it).

        While the copy lives this session holds an advisory lock named after it, which the
        server releases when the process dies however it dies; so a copy whose lock nobody holds
        and to which nobody is connected was left behind, and is dropped before a new one is made.
        """
        name = f"{SCRATCH_PREFIX}{uuid.uuid4().hex[:12]}"
        with self.lock(name, 0):
            self._drop_dead_scratch_copies(notify or (lambda text: None))
            params = {k: str(v) for k, v in self._params.items() if k != "password"}
            password = self._params.get("password") or self.raw.info.password or None
            dump = "" if empty else self._dump(params, password, data_schemas, all_rows)
            try:
                self.execute(f"CREATE DATABASE {self.quote(name)}")
            except DatabaseError as exc:
                raise DatabaseError(f"cannot create a scratch database: {exc}", exc.sqlstate) from None
            try:
                secret = {"password": password} if password else {}
                copy = self.backend.connect(pg_conninfo.make_conninfo(**{**params, "dbname": name, **secret}))
                try:
                    if dump:
                        copy.execute_script(dump)
                        copy.execute("RESET ALL")  # the dump empties search_path for its own session
                    yield copy
                finally:
                    copy.close()
            finally:
                self.execute(f"DROP DATABASE IF EXISTS {self.quote(name)} WITH (FORCE)")

    def _dump(self, params: dict[str, str], password: str | None, data_schemas: Sequence[str], all_rows: bool) -> str:
        if all_rows:  # rows as multi-row INSERTs: COPY … FROM stdin needs psql
            return _pg_dump(self._tools, params, password, "--rows-per-insert=500")
        dump = _pg_dump(self._tools, params, password, "--schema-only")
        present = self.query("SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", (list(data_schemas),)).rows
        for (schema,) in present:
            dump += "\n" + _pg_dump(self._tools, params, password, "--data-only", "--inserts", f"--schema={schema}")
        return dump

    def _drop_dead_scratch_copies(self, notify: Callable[[str], None]) -> None:
        """Drop the scratch databases of runs that died: nobody holds their lock, nobody is connected."""
        unused = self.query(
            "SELECT d.datname FROM pg_database d WHERE d.datname LIKE %s "
            "AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datid = d.oid)",
            (SCRATCH_PREFIX.replace("_", "\\_") + "%",),
        ).rows
        for (name,) in unused:
            key = _lock_key(name) & 0xFFFF_FFFF_FFFF_FFFF  # pg_locks shows the key as two unsigned halves
            held = self.query(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 "
                "AND classid::bigint = %s AND objid::bigint = %s)",
                (key >> 32, key & 0xFFFF_FFFF),
            ).scalar()
            if held:
                continue
            try:
                self.execute(f"DROP DATABASE IF EXISTS {self.quote(name)} WITH (FORCE)")
            except DatabaseError as exc:
                notify(f"could not drop {name}, a scratch copy left behind by a run that was stopped: {exc}")
            else:
                notify(f"dropped {name}, a scratch copy left behind by a run that was stopped")

    def close(self) -> None:
        self.raw.close()


def _bind(sql: str, params: Params) -> tuple[str, Params | None]:
    """SQL and parameters as psycopg wants them: with parameters, psycopg reads every `%` as
    the start of a placeholder, so every other `%` is doubled (see `_percents_escaped`)."""
    if not params:
        return sql, None
    return _percents_escaped(sql), params


# psycopg's placeholders and an escaped %, kept as written; any other % is doubled
_PERCENT = re.compile(r"(%(?:\(\w+\))?[sbt]|%%)|%")
# what can hold a % that means itself: string constants, quoted names, comments
_MAY_QUOTE = re.compile(r"['\"$]|--|/\*")


@lru_cache(maxsize=512)
def _percents_escaped(sql: str) -> str:
    """`sql` with each `%` that is not a placeholder doubled: in code, a lone `%` (the modulo
    operator); inside a string constant, a quoted name or a comment, every `%`.

    Which text is quoted is read by PostgreSQL's own scanner (`E'\\''` is one string, `'\\'` is
    another), loaded only for text that may hold quotes or comments. Cached: the workbench sends
    the same parameterised texts again and again.
    """
    if "%" not in sql:
        return sql
    if not _MAY_QUOTE.search(sql):
        return _escape_code(sql)
    from workbench.db import pg_lexer

    out, done = [], 0
    for start, end in pg_lexer.quoted_spans(sql):
        out += [_escape_code(sql[done:start]), sql[start:end].replace("%", "%%")]
        done = end
    out.append(_escape_code(sql[done:]))
    return "".join(out)


def _escape_code(text: str) -> str:
    return _PERCENT.sub(lambda m: m.group(1) or "%%", text)


def _lock_key(name: str) -> int:
    """The advisory-lock key (a signed bigint) of a lock `name`."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


class OneStatementCursor(psycopg.Cursor[Any]):
    """A cursor that always uses the extended query protocol, whose Parse step refuses a text
    holding two statements ("cannot insert multiple commands into a prepared statement").
    psycopg sends a text without parameters as a simple query, which runs any number of them.
    Each statement stays its own implicit transaction outside a block (VACUUM and CONCURRENTLY
    still work) and costs one round trip; a pipeline per statement did the same at twice the
    client's time. psycopg has no public switch for this: `_execute_send` is where it decides."""

    def _execute_send(self, query: Any, *, force_extended: bool = False, binary: bool | None = None) -> None:
        super()._execute_send(query, force_extended=True, binary=binary)


@functools.cache
def _guarded_cursor(refusal: Callable[[str], str | None]) -> type[psycopg.Cursor[Any]]:
    """A cursor class that asks `refusal` about each statement before it goes to the server."""

    def judge(cursor: psycopg.Cursor[Any], query: Any, bound: bool) -> None:
        if isinstance(query, pg_sql.Composable):
            query = query.as_string(cursor.connection)
        text = query.decode() if isinstance(query, bytes) else query
        if bound:  # psycopg reads %s as $n and %% as % when parameters come along
            text = _PLACEHOLDER.sub(lambda m: "%" if m.group(0) == "%%" else "$1", text)
        reason = refusal(text)
        if reason:
            raise StatementRefused(reason)

    class GuardedCursor(OneStatementCursor):
        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            judge(self, query, params is not None)
            return super().execute(query, params, **kwargs)

        def executemany(self, query: Any, params_seq: Any, **kwargs: Any) -> None:
            judge(self, query, True)
            return super().executemany(query, params_seq, **kwargs)

        def stream(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            judge(self, query, params is not None)
            return super().stream(query, params, **kwargs)

        def copy(self, statement: Any, params: Any = None, **kwargs: Any) -> Any:
            judge(self, statement, params is not None)
            return super().copy(statement, params, **kwargs)

    return GuardedCursor


_PLACEHOLDER = re.compile(r"%%|%(?:\(\w+\))?[sbt]")


def _pg_dump(tools: Path | None, params: dict[str, str], password: str | None, *flags: str) -> str:
    """pg_dump's SQL for the database `params` name, without psql meta-commands. pg_dump comes
    from `tools` when given (an embedded server's own, as new as the server), else from PATH.

    The password travels in the environment, never on a command line.
    """
    program = shutil.which("pg_dump", path=str(tools) if tools else None)
    if program is None:
        raise DatabaseError("copying a PostgreSQL database needs pg_dump (the PostgreSQL client tools) on PATH")
    env = dict(os.environ, **({"PGPASSWORD": password} if password else {}))
    done = subprocess.run(
        [program, "--no-owner", "--no-privileges", *flags, "--dbname", pg_conninfo.make_conninfo(**params)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no reason given"])[-1].removeprefix("pg_dump: error: ")
        raise DatabaseError(f"pg_dump could not read the schema: {reason}")
    return "\n".join(line for line in done.stdout.splitlines() if not line.startswith("\\"))


def _primary(exc: psycopg.Error) -> str:
    """The server's primary message (one line), or the first line of the driver's text."""
    diag = getattr(exc, "diag", None)
    message = diag.message_primary if diag is not None and diag.message_primary else str(exc)
    first = message.strip().splitlines()[0] if message.strip() else type(exc).__name__
    return re.sub(r"^(FATAL|ERROR):\s*", "", first)
