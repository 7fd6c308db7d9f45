"""The `migrations` source: the schema the project's migrations produce.

Built by replaying the migrations, oldest first, on an empty scratch database of the same
backend and server as a connection the caller already has (`Connection.scratch_copy(empty=True)`:
a file in a temporary folder for SQLite, a throwaway database for PostgreSQL). The scratch
database is dropped when the replay is done, and also when a migration fails; that failure is a
`ReplayFailed` naming the migration (exit 2: the project's files cannot build a schema). The
replay skips what would act outside the scratch database (roles, settings; see
`migrations/scratch.py`) and says so in `Replayed.skipped`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.db import connect
from workbench.db.base import Connection
from workbench.db.catalog import Catalog
from workbench.errors import UsageError
from workbench.migrations.discovery import Migration
from workbench.migrations.engine import Migrator
from workbench.migrations.runner import user_catalog
from workbench.migrations.scratch import Skipped
from workbench.project import Project, resolve_target

SOURCE = "migrations"


class ReplayFailed(UsageError):
    """A migration of the project fails on an empty database, so its schema cannot be built."""


@dataclass(frozen=True)
class Replayed:
    """The schema after the replay (the workbench's own objects left out), what the replay
    applied (labels, in order) and what it did not run because it would have left the copy."""

    catalog: Catalog
    applied: tuple[str, ...]
    skipped: tuple[Skipped, ...] = ()


def replay(like: Connection, migrations: str | Path | Sequence[Migration]) -> Replayed:
    """Replay `migrations` (a folder, read for `like`'s dialect, or the migrations themselves) on
    an empty scratch database of `like`'s backend and return the schema they produce."""
    with like.scratch_copy(empty=True) as scratch:
        migrator = Migrator(scratch, migrations, scratch=True)
        report = migrator.up(allow_drift=True)
        failure = report.failure
        if failure is not None:
            raise ReplayFailed(f"the migrations cannot be replayed on an empty database: {failure.describe()}")
        labels = tuple(m.label for m in migrator.migrations)
        return Replayed(user_catalog(scratch), labels, tuple(migrator.skipped))


def migrations_source(project: Project | None) -> tuple[Catalog, Connection]:
    """`workbench diff migrations …`: the project's migrations replayed on the backend (and server)
    of its default profile, or on SQLite when it has none; with a connection of that backend,
    open for the caller to close."""
    if project is None:
        raise UsageError("the migrations source needs a project: pass --project DIR")
    if project.default_profile is not None:
        target = resolve_target(None, project)
        conn = connect(target.url, options=target.connect_options())
    else:
        conn = connect("sqlite:///:memory:")
    try:
        return replay(conn, project.migrations_dir).catalog, conn
    except BaseException:
        conn.close()
        raise
