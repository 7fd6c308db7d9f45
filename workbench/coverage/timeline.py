"""Coverage per migration: the project's migrations replayed one by one on a scratch copy.

The copy (`Connection.scratch_copy`) starts where the database is. Its applied migrations are
rolled back newest first, as far as they can be (the engine refuses one whose data could not come
back), and then every migration is applied again in order, the coverage measured before the
first and after each. The user's database is only read: copied, never migrated. The copy shares
its server with the real database, so the replay (`Migrator(..., scratch=True)`) skips every
statement whose effect would leave it (roles, databases, the server's configuration, …) and the
timeline names each one in `skipped`.

`Timeline.moves()` says which migration moved which use case, e.g. `0003 surgical_schema_fixes:
UC-1 gap → full`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from workbench.coverage.results import Coverage, UseCaseResult
from workbench.coverage.suite import Suite, measure
from workbench.db.base import Connection
from workbench.db.catalog import Catalog, is_workbench_object
from workbench.migrations.backups import Backup
from workbench.migrations.discovery import canonical_version
from workbench.migrations.engine import Migrator, canonical_version_safe
from workbench.migrations.scratch import Skipped
from workbench.migrations.store import SCHEMA as LEDGER_SCHEMA

# (step done, steps in all, what is happening): counts for a progress bar, text for people.
TimelineProgress = Callable[[int, int, str], None]
# Up to this size the copy takes every row, so scenarios see the data they would see for real;
# above it, only the schema (and the ledger) is copied and the timeline says so.
COPY_ROWS_UP_TO = 256 * 1024 * 1024


@dataclass(frozen=True)
class Point:
    """The schema and its coverage after `version` (or, for the first point, before any replay)."""

    version: str | None
    name: str
    catalog: Catalog = field(repr=False)
    coverage: Coverage = field(repr=False)
    applied_at: str | None = None  # when the real database applied it; None: pending there
    backups: tuple[Backup, ...] = ()  # the tables the migration copied aside on the scratch copy

    @property
    def label(self) -> str:
        return f"{self.version} {self.name}" if self.version else self.name


@dataclass(frozen=True)
class Move:
    """A use case whose status changed at `point` (the migration just applied)."""

    point: Point
    before: UseCaseResult
    after: UseCaseResult

    @property
    def newly_met(self) -> tuple[str, ...]:
        """The requirements this migration met, as labels."""
        was = {r.requirement for r in self.before.requirements if r.met}
        return tuple(r.requirement.label for r in self.after.structural if r.met and r.requirement not in was)


@dataclass(frozen=True)
class Timeline:
    points: tuple[Point, ...]
    problem: str | None = None  # why the history is shorter than the project's migrations
    failed: bool = False  # a migration failed to apply on the copy (not merely could not be undone)
    note: str | None = None  # how the copy differs from the database (e.g. it holds no rows)
    skipped: tuple[Skipped, ...] = ()  # statements not run on the copy: they would have left it
    removed: tuple[str, ...] = ()  # scratch copies of dead runs dropped before this one was made

    def moves(self) -> list[Move]:
        """Every status change, migration by migration, in use-case order."""
        out = []
        for before, after in pairwise(self.points):
            for result in after.coverage.use_cases:
                old = before.coverage.get(result.use_case.id)
                if old is not None and old.status != result.status:
                    out.append(Move(after, old, result))
        return out


def coverage_timeline(
    conn: Connection,
    migrations_dir: Path,
    suite: Suite,
    *,
    scenarios: bool = True,
    until: str | None = None,
    at_end: Callable[[Connection], None] | None = None,
    progress: TimelineProgress | None = None,
) -> Timeline:
    """Coverage before the first replayable migration and after each one, on a scratch copy of
    the database behind `conn` (`Connection.scratch_copy`; the user's database is only read).

    The replay stops after migration `until` when given; `at_end` then sees the copy as it is
    there (a report runs the project's checks on it) before the copy is dropped.
    """
    stop = canonical_version_safe(until) if until is not None else None
    say = progress or (lambda done, total, text: None)
    say(0, 1, "copying the database")
    size = conn.database_size()
    all_rows = size is None or size <= COPY_ROWS_UP_TO
    note = (
        None
        if size is None or all_rows
        else (
            f"replayed on a copy without rows (the database holds {size / 2**20:,.0f} MiB), "
            "so scenarios that rely on existing rows fail there"
        )
    )
    removed: list[str] = []

    def leftover(text: str) -> None:
        removed.append(text)
        say(0, 1, text)

    with conn.scratch_copy(data_schemas=(LEDGER_SCHEMA,), all_rows=all_rows, notify=leftover) as scratch:
        migrator = Migrator(scratch, migrations_dir, scratch=True)
        statuses = migrator.status()
        applied_at = {s.version: s.entry.applied_at for s in statuses if s.state == "applied" and s.entry}
        kept = [s for s in statuses if s.state in ("applied", "drifted")]  # applied on the copy
        total = len(kept) + len(statuses) + 1
        problem, failed = None, False
        while kept:
            newest = kept[-1]
            say(total - len(statuses) - len(kept), total, f"rolling back {newest.version} {newest.name} on the copy")
            if newest.migration is None or migrator.plan_down(steps=1).refused or not migrator.down(steps=1).ok:
                problem = f"{newest.version} {newest.name} cannot be undone on the copy, so the history starts after it"
                break
            kept.pop()
        replay = [s for s in statuses if s.migration is not None and s not in kept]
        start = f"after {kept[-1].version} {kept[-1].name}" if kept else "before any migration"
        done = total - len(statuses)
        say(done, total, "measuring the starting point")
        points = [Point(None, start, *_measured(scratch, suite, scenarios))]
        for n, status in enumerate(replay, start=done + 1):
            say(n, total, f"applying {status.version} {status.name} to the copy")
            outcome = migrator.up(to=status.version, allow_drift=True)
            if outcome.failure is not None:
                problem, failed = f"{outcome.failure.describe()} on the copy; the history stops before it", True
                break
            catalog, coverage = _measured(scratch, suite, scenarios)
            taken = tuple(b for b in migrator.keeper.all() if b.migration == canonical_version(status.version))
            points.append(Point(status.version, status.name, catalog, coverage, applied_at.get(status.version), taken))
            if canonical_version(status.version) == stop:
                break
        if at_end is not None:
            at_end(scratch)
        say(total, total, "done")
    return Timeline(tuple(points), problem, failed, note, tuple(migrator.skipped), tuple(removed))


def _measured(conn: Connection, suite: Suite, scenarios: bool) -> tuple[Catalog, Coverage]:
    catalog = conn.introspect().without(is_workbench_object)
    return catalog, measure(conn, suite, catalog=catalog, scenarios=scenarios)
