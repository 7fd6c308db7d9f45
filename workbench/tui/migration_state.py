"""The migration service as the screens open it, and how they write times, durations and sizes.

Everything the screens show about migrations comes from `MigrationService` reports; this
module only opens the service for the app's project and formats values for people.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import humanize

from workbench.db.base import Connection
from workbench.migrations.progress import ProgressCallback, throttled
from workbench.migrations.service import MigrationService
from workbench.project import Project


def service_for(
    conn: Connection, project: Project | None, progress: ProgressCallback | None = None
) -> MigrationService:
    """The migration service on `conn` for the project's migrations (without a project: the ledger
    alone); progress reaches the screen at a pace it can draw (`throttled`)."""
    return MigrationService(
        conn,
        project.migrations_dir if project is not None else None,
        progress=throttled(progress) if progress is not None else None,
        capture_retention=project.capture_retention if project is not None else None,
    )


# -- formatting shared by the screens ---------------------------------------------------------


def when(stamp: str | None) -> str:
    """`2026-03-01T10:20:30Z` → `2026-03-01 10:20` (UTC, as stored)."""
    return stamp.replace("T", " ")[:16] if stamp else ""


def duration(ms: int | None) -> str:
    """`120 ms`, `12.3 s` (short, for tables); from a minute on `2 minutes`, `an hour`."""
    if ms is None:
        return ""
    seconds = ms / 1000
    return humanize.metric(seconds, "s") if seconds < 60 else humanize.naturaldelta(seconds)


def size(n: int | None) -> str:
    """`900 Bytes`, `1.5 KiB`, `12.3 MiB`."""
    return "size unknown" if n is None else humanize.naturalsize(n, binary=True)


def age(stamp: str, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> str:
    """How long ago `stamp` (ledger format) was: `45 seconds`, `12 minutes`, `3 hours`, `5 days`."""
    then = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return humanize.naturaldelta(max(now() - then, timedelta(0)))
