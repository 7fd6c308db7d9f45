"""What every adapter of another migration tool's ledger shares (see `foreign_ledgers.py`).

An adapter knows one tool's table: its name, the schema it lives in and the columns that tell
it apart, how to read its rows into `Found` records, and how to write an apply or a rollback
the way that tool does. The helpers read values as any driver hands them back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from workbench.db.base import Connection
from workbench.errors import WorkbenchError
from workbench.migrations.discovery import Migration

DEFAULT = ""  # the connection's current schema


class ForeignLedgerBlocked(WorkbenchError):
    """Another tool marks a run dirty or failed: the workbench applies nothing over it."""


@dataclass(frozen=True)
class Found:
    """One migration as another tool records it."""

    version: str  # canonical
    version_text: str
    applied: bool  # False: dirty or failed in that tool
    applied_at: str = ""
    applied_by: str | None = None
    their_checksum: str | None = None  # None: the tool keeps none, or it matches the file
    note: str | None = None  # why it is not applied, as a phrase after "<tool> marks <version>"


class Adapter:
    """One tool's ledger table on one connection; subclasses read and write its rows."""

    tool: ClassVar[str]
    table: ClassVar[str]
    schema: ClassVar[str] = DEFAULT
    columns: ClassVar[frozenset[str]]
    not_kept: ClassVar[str | None] = None  # why the workbench does not write this ledger, if it does not
    repeatables: ClassVar[bool] = False  # whether the tool knows Flyway-style repeatable migrations

    def __init__(self, conn: Connection, schema: str, migrations: Sequence[Migration]) -> None:
        self.conn, self.found_in = conn, schema
        self.migrations = list(migrations)
        self.by_version = {m.canonical: m for m in migrations}
        self.p = conn.placeholder

    @classmethod
    def schemas_on(cls, conn: Connection) -> tuple[str, ...]:
        """Where the tool keeps its table on this connection, most likely first (DEFAULT: the
        current schema)."""
        return (cls.schema,)

    @property
    def name(self) -> str:
        """The table as people call it: `schema_migrations`, `drizzle.__drizzle_migrations`."""
        return f"{self.found_in}.{self.table}" if self.found_in else self.table

    @property
    def qualified(self) -> str:
        return self.conn.qualify(self.found_in or None, self.table)

    def select(self, columns: str, rest: str = "", params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.conn.query(f"SELECT {columns} FROM {self.qualified} {rest}", params).rows]

    def read(self) -> list[Found]:
        """Every migration the tool's rows speak of, as that tool reads them."""
        raise NotImplementedError

    def applied(self, m: Migration, duration_ms: int | None) -> None:
        """Record `m` as applied, as the tool itself would."""

    def partial(self, m: Migration) -> None:
        """Record that `m` ran in part, where the tool has a way to say so (most have none)."""

    def rolled_back(self, m: Migration) -> None:
        """Record `m` as no longer applied, as the tool itself would."""


def truth(value: Any) -> bool:
    """A boolean as any driver hands it back (True, 1, 't', 'true')."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "t", "true", "y", "yes")
    return bool(value)


def iso(value: Any) -> str:
    """A tool's timestamp (datetime, epoch seconds or milliseconds, or text) as the ledger writes times."""
    if value is None or value == "":
        return ""
    if isinstance(value, (int, float)) or (isinstance(value, str) and re.fullmatch(r"\d{10,}(\.\d+)?", value)):
        number = float(value)
        value = datetime.fromtimestamp(number / 1000 if number > 1e11 else number, UTC)
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


def now_sql(conn: Connection, sqlite_text: bool = False) -> Any:
    """Now, as the tools store it: a timestamp on PostgreSQL; on SQLite epoch milliseconds
    (Prisma) or text (Flyway's `strftime('%Y-%m-%d %H:%M:%f')`)."""
    now = datetime.now(UTC)
    if conn.capabilities.schemas:
        return now
    return now.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] if sqlite_text else int(now.timestamp() * 1000)


def user(conn: Connection) -> str:
    """Who applies: the database role on PostgreSQL, the operating-system user on SQLite."""
    if conn.capabilities.schemas:
        return str(conn.query("SELECT current_user").scalar())
    import getpass

    return getpass.getuser()
