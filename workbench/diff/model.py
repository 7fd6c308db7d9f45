"""What a schema diff reports: the differences people read and the SQL that removes them.

One immutable value (`SchemaDiff`) serves every surface: `workbench diff` prints its summary,
`--sql` prints `sql()`, `--json` prints `to_dict()` (a stable contract), and the Compare screen
and `migrate new --from-diff` render the same entries and statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STATUSES = ("added", "removed", "changed", "renamed")


@dataclass(frozen=True)
class DiffEntry:
    """One object that differs between FROM and TO.

    `kind` is schema, table, column, index, constraint, view, function, trigger, enum, domain,
    sequence, policy, extension, privilege or comment. `name` is qualified and readable
    ("public.orders", "public.orders.total"). `likely_rename_of` is set on an "added" entry when
    a removed one of the same kind has the same shape: a hint for `--rename`, never acted on.
    """

    kind: str
    name: str
    status: str  # added | removed | changed | renamed
    before_ddl: str | None  # the object's DDL in FROM (None when added)
    after_ddl: str | None  # the object's DDL in TO (None when removed)
    details: tuple[str, ...] = ()  # what changed, one short phrase each
    likely_rename_of: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "status": self.status,
            "before_ddl": self.before_ddl,
            "after_ddl": self.after_ddl,
            "details": list(self.details),
            "likely_rename_of": self.likely_rename_of,
        }


@dataclass(frozen=True)
class SchemaDiff:
    """The differences from FROM to TO and the statements that turn FROM into TO.

    `statements` are in dependency order, each ending in ";". `problems` are what no statement
    can do (one sentence each, e.g. an extension downgrade PostgreSQL has no path for): the
    command exits 2 when there are any.
    """

    backend: str  # sqlite | postgresql
    entries: tuple[DiffEntry, ...]
    statements: tuple[str, ...]
    problems: tuple[str, ...] = ()

    @property
    def same(self) -> bool:
        return not self.entries and not self.statements and not self.problems

    def sql(self) -> str:
        """The statements as one script, ready for `psql -f` or `sqlite3`."""
        return "".join(f"{s}\n\n" for s in self.statements)

    def to_dict(self) -> dict[str, Any]:
        """The `workbench diff --json` contract: backend, same, entries, statements, problems."""
        return {
            "backend": self.backend,
            "same": self.same,
            "entries": [e.to_dict() for e in self.entries],
            "statements": list(self.statements),
            "problems": list(self.problems),
        }
