"""The lint of a project's migrations, as `workbench migrate lint` runs it.

Offline (no database), every migration's up script is read by the backend the project's target
names. With a database, the migrations not yet applied there are read against its catalog: each
finding on a table carries the table's live rows and size on disk, and findings are ranked by them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from workbench.db.base import Connection
from workbench.db.catalog import Catalog
from workbench.migrations.discovery import Migration, discover
from workbench.migrations.lint import Finding
from workbench.migrations.runner import user_catalog
from workbench.migrations.service import MigrationService, statement_analysis


@dataclass(frozen=True)
class LintedFinding:
    """A finding with the migration file it is in."""

    version: str
    name: str
    path: Path
    finding: Finding
    bytes: int | None = None  # the table's size on disk with its indexes, with a database target

    def to_dict(self) -> dict[str, object]:
        size = {} if self.bytes is None else {"bytes": self.bytes}
        return {"version": self.version, "name": self.name, "file": str(self.path), **self.finding.to_dict(), **size}


def lint_offline(directory: Path, dialect: str, default_schema: str) -> list[LintedFinding]:
    """Every migration of `directory`, read without a database."""
    return _lint(discover(directory), dialect, default_schema, None)


def lint_against(conn: Connection, directory: Path) -> list[LintedFinding]:
    """The migrations not yet applied to `conn`'s database, read against its catalog."""
    svc = MigrationService(conn, directory)
    pending = [s.migration for s in svc.status() if s.state in ("pending", "failed") and s.migration is not None]
    catalog = user_catalog(conn) if pending else None
    found = _lint(pending, conn.backend.name, conn.default_schema, catalog)
    sizes: dict[str, int | None] = {}
    for x in found:
        table = x.finding.table
        if table is not None and table not in sizes:
            schema, _, name = table.rpartition(".")
            known = catalog is not None and catalog.table(name, schema or conn.default_schema) is not None
            sizes[table] = conn.table_size(schema or conn.default_schema, name) if known else None
    sized = [replace(x, bytes=sizes.get(x.finding.table or "")) for x in found]
    return sorted(sized, key=lambda x: (*x.finding.rank, -(x.bytes or 0)))


def _lint(
    migrations: Sequence[Migration], dialect: str, default_schema: str, catalog: Catalog | None
) -> list[LintedFinding]:
    """Riskiest first across all the migrations (severity, then the rows at stake)."""
    types: dict[tuple[str, str, str], str] = {}  # what each migration declares, for the next ones
    found = [
        LintedFinding(m.version, m.name, m.path, f)
        for m in migrations
        for f in statement_analysis(m.up_sql, dialect, default_schema, catalog, types)[1]
    ]
    return sorted(found, key=lambda x: x.finding.rank)
