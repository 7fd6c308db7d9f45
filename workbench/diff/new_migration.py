"""A migration written from a diff: up turns FROM into TO, down turns TO back into FROM.

`migrate new NAME --from-diff TARGET` takes FROM = the schema the project's migrations produce
and TO = TARGET's schema; the Compare screen takes its two chosen sources. Both write through
`migrations.writer.write_next`, so the file lands in the project's own layout and numbering.
Nothing to write (the schemas are the same) and a difference no statement can make are refused
(`UsageError`, exit 2) before any file is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.db.base import Connection
from workbench.db.catalog import Catalog, is_workbench_object
from workbench.diff import SchemaDiff, diff_catalogs
from workbench.diff.from_migrations import replay
from workbench.errors import UsageError
from workbench.migrations.writer import Written, write_next


@dataclass(frozen=True)
class BothWays:
    """The diff from FROM to TO (the up script) and back (the down script)."""

    up: SchemaDiff
    down: SchemaDiff


def both_ways(source: Catalog, target: Catalog, conn: Connection) -> BothWays:
    return BothWays(diff_catalogs(source, target, conn), diff_catalogs(target, source, conn))


def write_both(both: BothWays, directory: Path, name: str, dialect: str | None, nothing: str) -> Written:
    """Write `both` as migration `name`; `nothing` is the sentence said when there is no difference."""
    problems = both.up.problems or both.down.problems
    if problems:
        raise UsageError(f"nothing was written: {problems[0]}")
    if both.up.same or not both.up.statements:
        raise UsageError(f"nothing to write: {nothing}")
    return write_next(directory, name, both.up.sql(), both.down.sql(), dialect)


def from_migrations_to(conn: Connection, migrations_dir: Path, name: str, baseline: Path | None = None) -> Written:
    """Migration `name` taking the schema the migrations produce (after `baseline`) to the schema
    of `conn`'s database."""
    produced = replay(conn, migrations_dir, baseline).catalog
    live = conn.introspect().without(is_workbench_object)
    nothing = f"the migrations already produce the schema of {conn.display_url}"
    return write_both(both_ways(produced, live, conn), migrations_dir, name, conn.backend.name, nothing)
