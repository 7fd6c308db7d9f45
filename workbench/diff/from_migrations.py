"""The `migrations` source: the schema the project's migrations produce.

Built by replaying the migrations, oldest first, on an empty scratch database of the same
backend and server as a connection the caller already has (`Connection.scratch_copy(empty=True)`:
a file in a temporary folder for SQLite, a throwaway database for PostgreSQL). The scratch
database is dropped when the replay is done, and also when a migration fails; that failure is a
`ReplayFailed` naming the migration (exit 2: the project's files cannot build a schema). A project
whose migrations start from a schema built another way names that schema's SQL as its `baseline`
(workbench.toml), which runs on the scratch database first. The
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
from workbench.errors import UsageError, WorkbenchError
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


def replay(like: Connection, migrations: str | Path | Sequence[Migration], baseline: Path | None = None) -> Replayed:
    """Replay `migrations` (a folder, read for `like`'s dialect, or the migrations themselves) on
    an empty scratch database of `like`'s backend, after the `baseline` SQL when there is one, and
    return the schema they produce."""
    with like.scratch_copy(empty=True) as scratch:
        if baseline is not None:
            _run_baseline(scratch, baseline)
        migrator = Migrator(scratch, migrations, scratch=True)
        report = migrator.up(allow_drift=True)
        failure = report.failure
        if failure is not None:
            start = "its baseline" if baseline is not None else "an empty database"
            hint = (
                ""
                if baseline is not None
                else " (a project whose migrations start from an existing schema names its SQL as `baseline` in workbench.toml)"
            )
            raise ReplayFailed(f"the migrations cannot be replayed on {start}: {failure.describe()}{hint}")
        labels = tuple(m.label for m in migrator.migrations)
        return Replayed(user_catalog(scratch), labels, tuple(migrator.skipped))


def _run_baseline(scratch: Connection, baseline: Path) -> None:
    try:
        sql = baseline.read_text(encoding="utf-8")
    except OSError as exc:
        raise ReplayFailed(f"the baseline {baseline} cannot be read: {exc.strerror or exc}") from None
    try:
        scratch.execute_script(sql)
    except WorkbenchError as exc:
        raise ReplayFailed(f"the baseline {baseline.name} fails on an empty database: {exc}") from None


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
        return replay(conn, project.migrations_dir, project.baseline).catalog, conn
    except BaseException:
        conn.close()
        raise
