"""Where the workbench keeps its own objects in the user's database, apart from user tables.

On a backend with schemas (PostgreSQL) everything lives in the schema `workbench`; elsewhere
(SQLite) in tables whose names start with `workbench_`. `workbench.db.catalog.is_workbench_object`
recognises both, so catalog comparisons can leave them out.
"""

from __future__ import annotations

from workbench.db.base import Connection

SCHEMA = "workbench"
PREFIX = "workbench_"
MAX_NAME_BYTES = 63  # PostgreSQL truncates longer identifiers; SQLite has no limit

_LEDGER_COLUMNS = """
    version TEXT PRIMARY KEY,
    version_text TEXT NOT NULL,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    outcome TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    duration_ms BIGINT,
    statements_run INTEGER NOT NULL,
    statements_total INTEGER NOT NULL,
    failed_statement INTEGER,
    failed_sql TEXT,
    error TEXT,
    down_sql TEXT,
    inverse_sql TEXT,
    before_catalog TEXT,
    after_rows TEXT,
    partial_checksum TEXT,
    rolled_back_at TEXT
"""

_BACKUP_COLUMNS = """
    id BIGINT PRIMARY KEY,
    migration TEXT NOT NULL,
    purpose TEXT NOT NULL,
    source_schema TEXT NOT NULL,
    source_table TEXT NOT NULL,
    backup_table TEXT NOT NULL,
    created_at TEXT NOT NULL,
    row_count BIGINT NOT NULL,
    checksum TEXT,
    definition TEXT NOT NULL,
    extra TEXT
"""


class Store:
    """Names of the workbench's objects on one connection, and their creation."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.schema = SCHEMA if conn.capabilities.schemas else None
        self.catalog_schema = self.schema or conn.default_schema

    def name(self, base: str) -> str:
        """The unquoted table name for `base` ("ledger" → "ledger" or "workbench_ledger")."""
        return _fit(base if self.schema else PREFIX + base)

    def table(self, base: str) -> str:
        """The qualified, quoted table name for `base`, ready for SQL."""
        return self.conn.qualify(self.schema, self.name(base))

    def ensure(self) -> None:
        """Create the schema and the ledger and backup catalog tables when they are missing."""
        if self.schema:
            self.conn.execute(f"CREATE SCHEMA IF NOT EXISTS {self.conn.quote(self.schema)}")
        self.conn.execute(f"CREATE TABLE IF NOT EXISTS {self.table('migrations')} ({_LEDGER_COLUMNS})")
        self.conn.execute(f"CREATE TABLE IF NOT EXISTS {self.table('backups')} ({_BACKUP_COLUMNS})")


def _fit(name: str) -> str:
    """`name` cut to the identifier length every backend keeps whole (UTF-8 safe)."""
    encoded = name.encode()
    return name if len(encoded) <= MAX_NAME_BYTES else encoded[:MAX_NAME_BYTES].decode(errors="ignore")
