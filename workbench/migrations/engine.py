"""The migration engine's front door, shared by the CLI and the TUI.

    mg = Migrator(conn, project.migrations_dir, progress=callback)
    mg.status()                      # files and ledger merged
    mg.plan_up(to="007")             # what `up` would do, nothing written
    mg.up(to="007")                  # apply, under the cross-process lock
    mg.plan_down(to="003")           # the way back, or why there is none
    mg.down(to="003")                # roll back newest first; V stays applied

Everything that writes runs under `conn.lock("migrate")` (a PostgreSQL advisory lock, an OS
file lock beside a SQLite file), and re-reads the ledger once it holds the lock, so two
appliers never apply the same migration: the second waits, then finds nothing left to do, or
stops with a clear message when the wait is over.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from workbench.db.base import Connection, DatabaseError
from workbench.db.catalog import Catalog
from workbench.db.catalog_diff import changes_by_object, diff
from workbench.errors import UsageError, WorkbenchError
from workbench.migrations.apply import apply_one
from workbench.migrations.backups import Backup, Backups, why_not_needed
from workbench.migrations.baseline import suggestion
from workbench.migrations.capture import Captures
from workbench.migrations.discovery import Migration, canonical_version, discover, is_repeatable
from workbench.migrations.foreign_ledgers import ForeignLedgers, blocked
from workbench.migrations.ledger import APPLIED, PARTIAL, Entry, Ledger, Status, find, status
from workbench.migrations.purge import Purged, purge, purge_preview
from workbench.migrations.plan import WAYS, Plan, before_catalog, plan_down_one, plan_up
from workbench.migrations.progress import Progress, ProgressCallback, ignore
from workbench.migrations.rollback import describe_refusals, plan_one, rollback_one
from workbench.migrations.reports import MigrationReport, RunReport
from workbench.migrations.runner import user_catalog
from workbench.migrations.scratch import Skipped
from workbench.migrations.store import Store

LOCK = "migrate"


class DriftError(WorkbenchError):
    """Applied files were edited since; nothing runs until the user decides."""


@dataclass(frozen=True)
class BackupInfo:
    backup: Backup
    size: int | None  # bytes dropping it frees (None: the database cannot tell)
    why_not_needed: str | None  # None: the rollback of the apply that is live now restores from it
    version: str  # the migration's version as its file writes it (the backup keeps the canonical one)
    size_estimated: bool = False  # `size` estimated from a sample of rows (SQLite without dbstat)

    @property
    def needed(self) -> bool:
        return self.why_not_needed is None

    def to_dict(self) -> dict[str, object]:
        """`migration` and `version` both as the file writes the version (`0004`, as `migrate status`
        does), never the ledger's canonical key (`4`): one way to write a version."""
        return {
            **self.backup.to_dict(),
            "migration": self.version,
            "version": self.version,
            "size_bytes": self.size,
            "size_estimated": self.size_estimated,
            "needed": self.needed,
            "why_not_needed": self.why_not_needed,
        }


class Migrator:
    def __init__(
        self,
        conn: Connection,
        migrations: str | Path | Sequence[Migration],
        progress: ProgressCallback | None = None,
        lock_timeout: float = 30.0,
        scratch: bool = False,
    ) -> None:
        self.conn = conn
        self.scratch = scratch  # a replay on a scratch copy: skip what would leave it (see scratch.py)
        self.skipped: list[Skipped] = []
        self.migrations = (
            list(migrations) if not isinstance(migrations, (str, Path)) else discover(migrations, conn.backend.name)
        )
        self.progress = progress or ignore
        self._by_version: dict[str, Migration] | None = None
        self.lock_timeout = lock_timeout
        self.store = Store(conn)
        self.foreign = ForeignLedgers(conn, self.migrations)
        self.ledger = Ledger(conn, self.store, self.foreign)
        self.keeper = Backups(conn, self.store)

    def locked(self) -> AbstractContextManager[None]:
        """The cross-process migrate lock: whatever writes the ledger holds it."""
        return self.conn.lock(LOCK, self.lock_timeout)

    # -- reading ------------------------------------------------------------------------------

    def status(self) -> list[Status]:
        return status(self.migrations, self.ledger.entries())

    def by_version(self) -> dict[str, Migration]:
        """The migrations by canonical version (read once: the folder is read once too)."""
        if self._by_version is None:
            self._by_version = {m.canonical: m for m in self.migrations}
        return self._by_version

    def count_rows(self, table: str) -> int | None:
        """Rows of "schema.name" now, or None when there is no such table."""
        schema, _, name = table.partition(".")
        try:
            return self.conn.row_count(schema, name)
        except DatabaseError:
            return None

    # -- up -----------------------------------------------------------------------------------

    def pending(self, to: str | None = None) -> tuple[list[Migration], list[str]]:
        """Migrations `up` would apply (failed ones again), and notes such as out-of-order ones.

        Raises `ForeignLedgerBlocked` when another tool marks a run dirty or failed."""
        statuses = self.status()
        blocked(s.entry for s in statuses if s.entry is not None)
        limit = find(statuses, to).key if to is not None else None
        newest = max(
            (s.key for s in statuses if s.state in ("applied", "drifted") and not is_repeatable(s.version)),
            default=None,
        )
        todo = [
            s.migration
            for s in statuses
            if s.state in ("pending", "failed") and s.migration is not None and (limit is None or s.key <= limit)
        ]
        notes = [
            f"{m.version} is older than the newest applied migration; it runs out of order"
            for m in todo
            if newest is not None and m.key < newest and not m.repeatable
        ]
        return todo, notes

    def plan_up(self, to: str | None = None) -> Plan:
        pending, notes = self.pending(to)
        drift = self.drift()
        if drift:
            notes.append(drift)
        notes += self.foreign.notes() if pending else []
        catalog = user_catalog(self.conn) if pending else None
        reach = suggestion(self, catalog) if pending else None
        if reach is not None:
            notes.append(
                f"the schema already holds what migrations up to {reach} create; if it was built another "
                f"way, `workbench migrate baseline {reach}` marks them applied without running them"
            )
        return plan_up(pending, self.conn, catalog, notes, self.ledger.entries())

    def drift(self) -> str | None:
        drifted = [s.version for s in self.status() if s.state == "drifted"]
        if not drifted:
            return None
        return (
            f"applied migration{'s' * (len(drifted) > 1)} {', '.join(drifted)} changed since applied; "
            "check the edit, then run `migrate repair` to accept it or pass --allow-drift"
        )

    def up(self, to: str | None = None, allow_drift: bool = False) -> RunReport:
        """Apply pending migrations in order, stopping at the first that fails."""
        with self.conn.lock(LOCK, self.lock_timeout):
            with self.conn.transaction(immediate=True):
                self.store.ensure()
            with self.foreign.remembered():
                drift = self.drift()
                if drift and not allow_drift:
                    raise DriftError(drift)
                pending, notes = self.pending(to)
                entries = self.ledger.entries()
                start = user_catalog(self.conn) if pending else None
                retirable = self.keeper.retirable() if pending else frozenset()
                reports: list[MigrationReport] = []
                for i, m in enumerate(pending, 1):
                    self.progress(Progress("migration", m.version, i, len(pending), text=f"applying {m.label}"))
                    report = apply_one(self, m, entries.get(m.canonical), m.canonical in retirable)
                    reports.append(report)
                    if not report.ok:
                        break
            return self._finished("up", reports, notes, start)

    def _finished(
        self, direction: str, reports: list[MigrationReport], notes: Sequence[str], start: Catalog | None
    ) -> RunReport:
        """The run's report: each migration with its way back as things stand now, and the schema
        compared with before the run."""
        entries = {e.version_text: e for e in self.ledger.entries().values()}
        backups = self.keeper.all()
        done = []
        for report in reports:
            done.append(dataclasses.replace(report, way_back=self._way_back(report, entries, backups)))
        changes = changes_by_object(diff(start, user_catalog(self.conn))) if start is not None else ()
        return RunReport(direction, tuple(done), tuple(notes), changes)

    def _way_back(self, report: MigrationReport, entries: dict[str, Entry], backups: list[Backup]) -> str:
        """How to undo what `report`'s migration left, in words (`entries` by version as written)."""
        entry = entries.get(report.version)
        if report.direction == "down" or entry is None or entry.outcome not in (APPLIED, PARTIAL):
            if report.direction == "up" and report.unchanged:
                return "nothing to undo; fix the file and apply it again"
            return ""
        plan = plan_down_one(
            entry,
            self.by_version().get(entry.version),
            [b for b in backups if b.migration == entry.version],
            self.conn,
            None,
            lambda _t: None,
        )
        if plan.refusal:
            return f"none: {plan.refusal}"
        return f"rolling back {report.version} would {WAYS[plan.ways[0]]}"

    # -- down ---------------------------------------------------------------------------------

    def targets(self, to: str | None, steps: int | None) -> list[Entry]:
        """Applied entries to undo, newest first: everything after `to` (which stays), or the
        newest `steps`. Never everything by default: one of the two is required. Repeatables
        are never undone (Flyway has no way back for them either)."""
        if (to is None) == (steps is None):
            raise UsageError("say how far to roll back: --to VERSION (it stays applied) or --steps N")
        applied = sorted(
            (
                e
                for e in self.ledger.entries().values()
                if e.outcome in (APPLIED, PARTIAL) and not is_repeatable(e.version)
            ),
            key=lambda e: e.key,
            reverse=True,
        )
        if steps is not None:
            if steps < 1:
                raise UsageError("--steps needs a number of migrations, 1 or more")
            return applied[:steps]
        assert to is not None
        if canonical_version_safe(to) == "0":
            return applied
        limit = find(self.status(), to).key
        return [e for e in applied if e.key > limit]

    def plan_down(self, to: str | None = None, steps: int | None = None) -> Plan:
        blocked(self.ledger.entries().values())  # a rollback would write over the other tool's record too
        plans = []
        now: Catalog | None = user_catalog(self.conn)
        for entry in self.targets(to, steps):
            plans.append(plan_one(self, entry, self.by_version().get(entry.version), now))
            # then the database should look as recorded before it (unknown when nothing was recorded)
            now = before_catalog(entry)
        return Plan("down", tuple(plans), tuple(self.foreign.notes()) if plans else ())

    def down(
        self, to: str | None = None, steps: int | None = None, safety_backup: bool = False, keep_aside: bool = False
    ) -> RunReport:
        """Roll back newest first, stopping at the first that fails (it stays as it was). Rows
        written since an apply that do not fit the old shape stop the rollback, unless
        `keep_aside` says to keep them in the side table."""
        with self.conn.lock(LOCK, self.lock_timeout):
            with self.conn.transaction(immediate=True):
                self.store.ensure()
            plan = self.plan_down(to, steps)
            if plan.refused:
                raise RollbackRefused(f"nothing was rolled back: {describe_refusals(plan.refused)}")
            start = user_catalog(self.conn)
            reports: list[MigrationReport] = []
            for entry in self.targets(to, steps):
                report = rollback_one(self, entry, self.by_version().get(entry.version), safety_backup, keep_aside)
                reports.append(report)
                if not report.ok:
                    break
            return self._finished("down", reports, (), start)

    # -- backups and repair ---------------------------------------------------------------------

    def backups(self) -> list[BackupInfo]:
        """Every backup, oldest first, with the space it takes and whether the live apply of its
        migration needs it to roll back (`why_not_needed` None) or why nothing does."""
        entries = self.ledger.entries()
        applied = {v for v, e in entries.items() if e.outcome in (APPLIED, PARTIAL)}
        files = {m.canonical: m.version for m in self.migrations}
        backups = self.keeper.all()
        why = why_not_needed(backups, applied)
        out = []
        for b in backups:
            size, estimated = self.keeper.size(b)
            version = entries[b.migration].version_text if b.migration in entries else files.get(b.migration)
            out.append(BackupInfo(b, size, why[b.id], version or b.migration, estimated))
        return out

    def purge(self, older_than: timedelta | None = None, force: bool = False) -> Purged:
        """Drop every backup no rollback needs (older than `older_than`, when given); with
        `force`, the ones the live applies need as well. `purge.py` previews it first."""
        return purge(self, purge_preview(self.backups(), older_than, force, datetime.now(UTC)))

    def finalize(self, version: str | None = None, older_than: timedelta | None = None) -> list[tuple[str, int, int]]:
        """Mark applied migrations final (`version`, or every applied one, or those applied more
        than `older_than` ago): their change capture stops and their backups are freed, so no
        rollback will carry or restore them any more. Returns (version, captures stopped, backups
        freed) for each that had either."""
        out = []
        with self.conn.lock(LOCK, self.lock_timeout), self.conn.transaction(immediate=True):
            self.store.ensure()
            applied = [e for e in self.ledger.entries().values() if e.outcome in (APPLIED, PARTIAL)]
            if older_than is not None:
                cutoff = (datetime.now(UTC) - older_than).strftime("%Y-%m-%dT%H:%M:%SZ")
                applied = [e for e in applied if e.applied_at <= cutoff]
            if version is not None:
                wanted = canonical_version_safe(version)
                applied = [e for e in applied if e.version == wanted]
                if not applied:
                    raise UsageError(f"{version} is not an applied migration: there is nothing to finalize")
            exists = {t.key for t in user_catalog(self.conn).tables}
            captures = Captures(self.conn, self.store)
            for entry in sorted(applied, key=lambda e: e.key):
                stopped, freed = captures.finalize(entry.version, self.keeper, exists)
                if stopped or freed:
                    out.append((entry.version_text, stopped, freed))
        return out

    def repair_checksums(self, versions: Sequence[str] | None = None) -> list[str]:
        """Accept the current files of drifted migrations as applied; returns the versions fixed."""
        statuses = [s for s in self.status() if s.state == "drifted"]
        if versions:
            wanted = {canonical_version_safe(v) for v in versions}
            statuses = [s for s in statuses if canonical_version_safe(s.version) in wanted]
        with self.conn.lock(LOCK, self.lock_timeout), self.conn.transaction(immediate=True):
            self.store.ensure()  # an adopted migration may be the first the workbench's own ledger records
            for s in statuses:
                assert s.migration is not None and s.entry is not None
                if s.entry.adopted_from:  # the other tool's row stays as it is; ours now speaks for it
                    self.ledger.write(dataclasses.replace(s.entry, checksum=s.migration.checksum), keep_in_step=False)
                else:
                    self.ledger.accept_checksum(s.migration.canonical, s.migration.checksum)
        return [s.version for s in statuses]


class RollbackRefused(WorkbenchError):
    """A migration in the range has no way back; nothing was rolled back."""

    exit_code = 1


def canonical_version_safe(version: str) -> str:
    try:
        return canonical_version(version)
    except ValueError:
        raise UsageError(f"not a version: {version!r} (use the number in the file name, e.g. 003)") from None
