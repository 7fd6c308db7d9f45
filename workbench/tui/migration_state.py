"""The migration service as the screens open it, and how they write times, durations and sizes.

Everything the screens show about migrations comes from `MigrationService` reports; this
module only opens the service for the app's project and formats values for people.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from workbench.db.base import Connection
from workbench.migrations.progress import ProgressCallback
from workbench.migrations.service import MigrationService
from workbench.project import Project


def service_for(conn: Connection, project: Project | None, progress: ProgressCallback | None = None) -> MigrationService:
    """The migration service on `conn` for the project's migrations (without a project: the ledger alone)."""
    return MigrationService(conn, project.migrations_dir if project is not None else None, progress=progress)


# -- formatting shared by the screens ---------------------------------------------------------


def when(stamp: str | None) -> str:
    """`2026-03-01T10:20:30Z` → `2026-03-01 10:20` (UTC, as stored)."""
    return stamp.replace("T", " ")[:16] if stamp else ""


def duration(ms: int | None) -> str:
    if ms is None:
        return ""
    if ms < 1000:
        return f"{ms} ms"
    seconds = ms / 1000
    return f"{seconds:.1f} s" if seconds < 60 else f"{int(seconds // 60)} min {int(seconds % 60)} s"


def size(n: int | None) -> str:
    if n is None:
        return "size unknown"
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return ""


def age(stamp: str, now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> str:
    """How long ago `stamp` (ledger format) was: `45 s`, `12 min`, `3 h`, `5 d`."""
    then = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    seconds = max(int((now() - then).total_seconds()), 0)
    for unit, span in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= span:
            return f"{seconds // span} {unit}"
    return f"{seconds} s"
