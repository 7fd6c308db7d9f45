"""A console session: preview a change, then run it with its prior backup, journaled, in one transaction.

A protected target opens read-only unless the caller passes the profile's typed name; the
profile's `statement_timeout` and `lock_timeout` apply to every statement the session runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench.console.statements import Classified
from workbench.db.base import Connection
from workbench.errors import WorkbenchError
from workbench.project import Project

ROWS_BY_KEY = "rows by primary key"
WHOLE_TABLE = "whole table"
MIGRATION_BACKUPS = "migration backups"
NO_BACKUP = "none"


class ConsoleRefused(WorkbenchError):
    """The session will not run this change (read-only session, a statement it cannot run)."""

    exit_code = 2


@dataclass(frozen=True)
class ChangePreview:
    """What the confirmation shows before a change runs: nothing has been written."""

    statement: Classified
    rows: int | None  # rows it will change, counted in a rolled-back savepoint; None when unknown
    backup: str  # ROWS_BY_KEY, WHOLE_TABLE, MIGRATION_BACKUPS or NO_BACKUP (a read)
    tables: tuple[str, ...]  # "schema.name" of the tables it writes
    params: tuple[Any, ...] = ()  # the statement's parameters (one statement, placeholders of the backend)


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
        }


class Console:
    """Runs statements against one connection. `read_only`: reads only (a protected profile
    whose name was not typed); `project` gives the profile's timeouts."""

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
        self.profile = profile

    def preview(self, sql: str, params: Sequence[Any] = ()) -> list[ChangePreview]:
        """Each statement of `sql` with the rows it would change and the backup it would get;
        nothing is written. `params` only with a single statement."""
        raise NotImplementedError

    def run_change(self, preview: ChangePreview, *, backup: bool = True) -> ChangeRecord:
        """Take the backup, run the statement and write the journal entry, in one transaction."""
        return self.run_changes([preview], backup=backup)

    def run_changes(self, previews: Sequence[ChangePreview], *, backup: bool = True) -> ChangeRecord:
        """Several statements as ONE change: one transaction, one journal entry, one undo."""
        raise NotImplementedError
