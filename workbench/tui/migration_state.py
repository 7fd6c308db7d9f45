"""What the TUI knows about a database's migrations, read in one go on a worker thread.

The Migrations screen lists it; the app's header shows its one-line summary. Plain values, no
widgets: the screens turn them into rows.
"""

from __future__ import annotations

from collections.abc import Callable
import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import humanize

from workbench.db.base import Connection
from workbench.db.catalog_diff import CatalogDiff
from workbench.migrations.discovery import canonical_version
from workbench.migrations.engine import BackupInfo, Migrator
from workbench.migrations.ledger import Status
from workbench.migrations.plan import MigrationPlan
from workbench.migrations.progress import ProgressCallback
from workbench.migrations.stakes import ways_back
from workbench.project import Project

NO_WAY_BACK = "no way back"


def migrator_for(conn: Connection, project: Project | None, progress: ProgressCallback | None = None) -> Migrator:
    """The engine on `conn` for the project's migrations (without a project: the ledger alone)."""
    return Migrator(conn, project.migrations_dir if project is not None else [], progress=progress)


def canonical(status: Status) -> str:
    return status.entry.version if status.entry is not None else canonical_version(status.version)


@dataclass(frozen=True)
class Overview:
    """Every migration with its state, the way back from each applied one, and every backup."""

    statuses: tuple[Status, ...]
    backups: tuple[BackupInfo, ...]
    plans_back: dict[str, MigrationPlan] = field(default_factory=dict)  # applied ones, by canonical version

    def state(self, status: Status) -> str:
        """applied, pending, failed, drifted, or no way back (applied, but nothing can undo it)."""
        plan = self.plans_back.get(canonical(status))
        if status.state == "applied" and plan is not None and plan.refusal:
            return NO_WAY_BACK
        return status.state

    def backups_of(self, status: Status) -> list[BackupInfo]:
        version = canonical(status)
        return [b for b in self.backups if b.backup.migration == version]

    @property
    def applied(self) -> list[Status]:
        """Applied (or drifted) migrations, newest first: what a rollback can undo."""
        return [s for s in reversed(self.statuses) if s.entry is not None and canonical(s) in self.plans_back]

    @property
    def pending(self) -> list[Status]:
        """What `up` would apply, in order (failed ones again)."""
        return [s for s in self.statuses if s.state in ("pending", "failed") and s.migration is not None]

    def summary(self) -> str:
        return summary_text(self.statuses, len(self.backups))


def summary_text(statuses: tuple[Status, ...] | list[Status], backups: int) -> str:
    """The header's slot: `3 applied · 1 pending · 6 backups` (failed and drifted when there are);
    empty when there are neither migrations nor backups."""
    if not statuses and not backups:
        return ""
    counts = {state: sum(s.state == state for s in statuses) for state in ("applied", "pending", "failed", "drifted")}
    parts = [f"{counts['applied'] + counts['drifted']} applied", f"{counts['pending']} pending"]
    parts += [f"{counts[s]} {s}" for s in ("failed", "drifted") if counts[s]]
    parts.append(f"{backups} backup{'s' * (backups != 1)}")
    return " · ".join(parts)


def load_overview(conn: Connection, project: Project | None) -> Overview:
    mg = migrator_for(conn, project)
    return Overview(tuple(mg.status()), tuple(mg.backups()), ways_back(mg))


def load_summary(conn: Connection, project: Project | None) -> str:
    """The summary alone, without sizes or ways back: what the header needs at start-up."""
    mg = migrator_for(conn, project)
    return summary_text(mg.status(), len(mg.keeper.all()))


# -- formatting shared by the screens ---------------------------------------------------------


def changes_by_object(d: CatalogDiff) -> tuple[str, ...]:
    """One line per object that changed, its parts after it: `main.orders: column notes added, …`.

    Columns that only moved (their position, because another column came or went) are left out.
    """
    groups: dict[str, list[str]] = {}
    for c in d.changes:
        obj = ".".join(p for p in c.path[:2] if p)
        parts = groups.setdefault(obj, [])
        if len(c.path) <= 2:
            if c.action != "changed":
                parts.insert(0, f"{c.kind} {c.action}")
        elif not (c.kind == "column" and c.action == "changed"
                  and dataclasses.replace(c.before, position=c.after.position) == c.after):
            parts.append(f"{c.kind} {c.path[-1]} {c.action}")
    return tuple(f"{obj}: {', '.join(parts)}" for obj, parts in groups.items() if parts)



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


def age(stamp: str, now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> str:
    """How long ago `stamp` (ledger format) was: `45 seconds`, `12 minutes`, `3 hours`, `5 days`."""
    then = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    return humanize.naturaldelta(max(now() - then, timedelta(0)))
