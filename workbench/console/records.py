"""The console's report objects: a change's preview and its journal entry (see `session.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.console.statements import Classified

ROWS_BY_KEY = "rows by primary key"
WHOLE_TABLE = "whole table"
MIGRATION_BACKUPS = "migration backups"
NO_BACKUP = "none"


@dataclass(frozen=True)
class ChangePreview:
    """What the confirmation shows before a change runs: nothing has been written."""

    statement: Classified
    rows: int | None  # rows it will change, counted in a rolled-back savepoint; None when unknown
    backup: str  # ROWS_BY_KEY, WHOLE_TABLE, MIGRATION_BACKUPS or NO_BACKUP (a read)
    tables: tuple[str, ...]  # "schema.name" of the tables it writes
    params: tuple[Any, ...] = ()  # the statement's parameters (one statement, placeholders of the backend)

    def to_dict(self) -> dict[str, object]:
        return {
            "statement": self.statement.sql,
            "kind": self.statement.kind,
            "rows": self.rows,
            "backup": self.backup,
            "tables": list(self.tables),
        }


@dataclass(frozen=True)
class ChangeRecord:
    """One journal entry. `backup` is the kind taken ("none" when the user opted out)."""

    id: int
    statement: str
    ran_at: str
    rows: int
    backup_bytes: int | None
    backup: str
    undone_at: str | None
    database: str
    tables: tuple[str, ...] = ()
    values: tuple[tuple[str, ...], ...] = ()  # each statement's bound parameters, as `literal` shows them

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "statement": self.statement,
            "ran_at": self.ran_at,
            "rows": self.rows,
            "backup_bytes": self.backup_bytes,
            "backup": self.backup,
            "undone_at": self.undone_at,
            "database": self.database,
            "tables": list(self.tables),
            "values": [list(v) for v in self.values],
        }


def literal(value: Any) -> str:
    """How a bound value reads where a person looks at it (NULL, numbers bare, text quoted):
    shown, never pasted into SQL that runs."""
    if value is None:
        return "NULL"
    if isinstance(value, bool | int | float):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"
