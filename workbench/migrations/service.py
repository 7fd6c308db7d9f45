"""The migration service: the one front door the CLI and the TUI use for migrations.

    svc = MigrationService(conn, project.migrations_dir, progress=callback)
    svc.overview()                    # every migration, its state and way back, every backup
    svc.plan_up(to="0004")            # what `up` would do, nothing written
    svc.apply(to="0004")              # RunReport: what ran, what stayed, backups, the way back
    svc.rollback_targets()            # how far back one can go, newest first
    svc.forecast(target)              # the plan and, per table, the rows at stake
    svc.rollback(target, safety_backup=True)
    svc.restore(backup) / svc.compare(backup)
    svc.purge_preview(older_than) → svc.purge(preview) → svc.vacuum()
    svc.baseline_suggestion() / svc.baseline("0004")   # a database built another way

Every answer is a complete, immutable value (reports in `reports.py`, plans in `plan.py`): a
screen renders it, the CLI prints it, neither works anything out. Progress arrives through the
callback, from whatever thread runs the service.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from workbench.db.base import Connection
from workbench.db.catalog import Catalog
from workbench.migrations.analysis import Statements, analyse
from workbench.migrations.backups import Backup
from workbench.migrations.baseline import Baselined, baseline, suggestion
from workbench.migrations.capture import Captures
from workbench.migrations.discovery import Migration, canonical_version
from workbench.migrations.engine import BackupInfo, Migrator
from workbench.migrations.impact import assess
from workbench.migrations.ledger import Status
from workbench.migrations.lint import Finding, lint
from workbench.migrations.plan import MigrationPlan, Plan
from workbench.migrations.progress import ProgressCallback
from workbench.migrations.purge import PurgePreview, Purged, Vacuumed, purge, purge_preview, vacuum
from workbench.migrations.rehearsal import rehearse
from workbench.migrations.replay import Carried
from workbench.migrations.retention import parse_age
from workbench.migrations.reports import RunReport
from workbench.migrations.restore import Comparison, Restored, compare, restore
from workbench.migrations.stakes import TableStake, stakes, ways_back

NO_WAY_BACK = "no way back"


def canonical(status: Status) -> str:
    """The version as the ledger keys it."""
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


def summary_text(statuses: Sequence[Status], backups: int) -> str:
    """The header's slot: `3 applied · 1 pending · 6 backups` (failed and drifted when there are);
    empty when there are neither migrations nor backups."""
    if not statuses and not backups:
        return ""
    counts = {state: sum(s.state == state for s in statuses) for state in ("applied", "pending", "failed", "drifted")}
    parts = [f"{counts['applied'] + counts['drifted']} applied", f"{counts['pending']} pending"]
    parts += [f"{counts[s]} {s}" for s in ("failed", "drifted") if counts[s]]
    parts.append(f"{backups} backup{'s' * (backups != 1)}")
    return " · ".join(parts)


@dataclass(frozen=True)
class RollbackTarget:
    """How far back: the newest `len(undo)` applied migrations go; `to` stays applied ("0": none)."""

    undo: tuple[Status, ...]  # newest first
    to: str
    label: str

    @property
    def steps(self) -> int | None:
        """One step back is said as a count, so a migration applied meanwhile cannot slip in."""
        return 1 if len(self.undo) == 1 else None

    @property
    def engine_to(self) -> str | None:
        return None if self.steps else self.to


def rollback_targets(applied: Sequence[Status]) -> list[RollbackTarget]:
    """Every way back for `applied` (newest first): one step, then back to each older version."""
    out = []
    for k in range(1, len(applied) + 1):
        undo = tuple(applied[:k])
        stays = applied[k] if k < len(applied) else None
        to = stays.version if stays else "0"
        names = ", ".join(s.version for s in undo)
        if k == 1:
            rest = f"{stays.version} {stays.name} stays applied" if stays else "nothing stays applied"
            label = f"One step back: undo {undo[0].version} {undo[0].name} ({rest})"
        elif stays:
            label = f"Back to {stays.version} {stays.name}: undo {k} migrations ({names})"
        else:
            label = f"Back to the start: undo all {k} migrations ({names})"
        out.append(RollbackTarget(undo, to, label))
    return out


@dataclass(frozen=True)
class Forecast:
    """What a rollback to a target would do: the plan, and per migration (by version text) the
    tables at stake with their rows now, in the backup, and written since the apply."""

    plan: Plan
    stakes: dict[str, tuple[TableStake, ...]]
    carried: dict[str, tuple[Carried, ...]] = field(default_factory=dict)  # by version: the rehearsed carry
    rehearsal_problem: str = ""  # why the carry could not be rehearsed, when it could not

    @property
    def set_aside(self) -> list[str]:
        """`table key: reason` for each row written since that the old shape cannot hold."""
        return [f"{c.table} {a}" for per in self.carried.values() for c in per for a in c.aside]

    def carried_tables(self, version: str) -> set[str]:
        return {c.table for c in self.carried.get(version, ())}

    @property
    def tables_now(self) -> list[TableStake]:
        """Tables at stake that exist now: what a safety backup would copy, at most."""
        seen: dict[str, TableStake] = {}
        for per_migration in self.stakes.values():
            for s in per_migration:
                if s.rows_now is not None:
                    seen.setdefault(s.table, s)
        return list(seen.values())

    @property
    def rows_not_kept(self) -> list[str]:
        """`table +n` for each table whose rows written since the apply the rollback does not keep."""
        return [
            f"{s.table} {s.written_since:+,}"
            for version, per in self.stakes.items()
            for s in per
            if s.written_since and s.table not in self.carried_tables(version)
        ]


def statement_analysis(
    sql: str, dialect: str, default_schema: str, catalog: Catalog | None
) -> tuple[Statements, tuple[Finding, ...]]:
    """Each statement of `sql` (cut by `dialect`'s lexer) described, and the lint findings (pure
    reading; the catalog, when given, says which tables hold rows). A seed's rows stay one piece."""
    statements = analyse(sql, dialect)
    heads = statements.heads()
    return statements, tuple(lint(heads, assess(heads, default_schema), default_schema, catalog))


class MigrationService:
    """Migrations of one database: reading, planning, applying, rolling back, backups."""

    def __init__(
        self,
        conn: Connection,
        migrations: str | Path | Sequence[Migration] | None,
        progress: ProgressCallback | None = None,
        lock_timeout: float = 30.0,
        capture_retention: str | None = None,
    ) -> None:
        """`migrations` is the project's folder (or the migrations themselves); None: the ledger
        alone, for a database opened without a project. `capture_retention` (an age, "30d"):
        applied migrations older than that are made final by the next apply."""
        self.retention = parse_age(capture_retention) if capture_retention is not None else None
        self.conn = conn
        self._mg = Migrator(conn, migrations if migrations is not None else [], progress, lock_timeout)
        self._captures = Captures(conn, self._mg.store)

    # -- reading ------------------------------------------------------------------------------

    def status(self) -> list[Status]:
        return self._mg.status()

    def overview(self) -> Overview:
        return Overview(tuple(self._mg.status()), tuple(self._mg.backups()), ways_back(self._mg))

    def summary(self) -> str:
        """The header's one line, without sizes or ways back: cheap enough for start-up."""
        return summary_text(self._mg.status(), len(self._mg.keeper.all()))

    def backups(self) -> list[BackupInfo]:
        return self._mg.backups()

    def drift(self) -> str | None:
        return self._mg.drift()

    # -- up -----------------------------------------------------------------------------------

    def plan_up(self, to: str | None = None) -> Plan:
        return self._mg.plan_up(to)

    def apply(self, to: str | None = None, allow_drift: bool = False) -> RunReport:
        """Apply pending migrations; first, with a capture retention, make final the applied ones
        older than it (their capture stops, their backups are freed), said in the report's notes."""
        notes = []
        if self.retention is not None:
            for version, captures, backups in self._mg.finalize(older_than=self.retention):
                notes.append(
                    f"{version} was applied more than {self.retention} ago (capture_retention): finalized, "
                    f"{captures} capture{'s' * (captures != 1)} stopped, {backups} backup{'s' * (backups != 1)} freed"
                )
        report = self._mg.up(to, allow_drift=allow_drift)
        return dataclasses.replace(report, notes=(*notes, *report.notes)) if notes else report

    # -- down ---------------------------------------------------------------------------------

    def plan_down(self, to: str | None = None, steps: int | None = None) -> Plan:
        return self._mg.plan_down(to, steps)

    def rollback_targets(self, overview: Overview | None = None) -> list[RollbackTarget]:
        return rollback_targets((overview or self.overview()).applied)

    def forecast(self, target: RollbackTarget) -> Forecast:
        """The plan, the rows at stake, and — when writes since an apply are captured — the carry
        rehearsed: the rollback run in a transaction that is then rolled back, so the rows that
        cannot be carried over are named exactly, before anything runs."""
        plan = self._mg.plan_down(target.engine_to, target.steps)
        entries = self._mg.targets(target.engine_to, target.steps)
        at_stake = {e.version_text: stakes(self._mg, e) for e in entries}
        if plan.refused or not any(self._captures.of(e.version) for e in entries):
            return Forecast(plan, at_stake)
        carried, problem = rehearse(self._mg, target.engine_to, target.steps)
        return Forecast(plan, at_stake, carried, problem)

    def rollback(
        self, to: str | None = None, steps: int | None = None, safety_backup: bool = False, keep_aside: bool = False
    ) -> RunReport:
        """Undo the newest migrations: everything after `to` (which stays), or the newest `steps`.
        Rows written since that the old shape cannot hold stop it, unless `keep_aside`."""
        return self._mg.down(to, steps, safety_backup=safety_backup, keep_aside=keep_aside)

    def rollback_to(self, target: RollbackTarget, safety_backup: bool = False, keep_aside: bool = False) -> RunReport:
        return self.rollback(target.engine_to, target.steps, safety_backup, keep_aside)

    def finalize(self, version: str | None = None) -> list[tuple[str, int, int]]:
        """Mark `version` (or every applied migration) final: capture stops, backups are freed."""
        return self._mg.finalize(version)

    # -- backups and repair ---------------------------------------------------------------------

    def compare(self, backup: Backup) -> Comparison:
        return compare(self._mg, backup)

    def restore(self, backup: Backup, safety_backup: bool = True) -> Restored:
        return restore(self._mg, backup, safety_backup)

    def purge_preview(
        self, older_than: timedelta | None = None, force: bool = False, now: datetime | None = None
    ) -> PurgePreview:
        """What `purge` would drop and keep, and why; nothing is dropped."""
        return purge_preview(self._mg.backups(), older_than, force, now or datetime.now(UTC))

    def purge(self, preview: PurgePreview) -> Purged:
        """Drop what `preview` listed (each judged again: what a rollback needs now stays, unless forced)."""
        return purge(self._mg, preview)

    def vacuum(self) -> Vacuumed:
        """Give the space of dropped backups back to the file system (SQLite); sizes before and after."""
        return vacuum(self.conn)

    def repair_checksums(self, versions: Sequence[str] | None = None) -> list[str]:
        return self._mg.repair_checksums(versions)

    # -- baseline ---------------------------------------------------------------------------------

    def baseline_suggestion(self) -> str | None:
        """The version a baseline should reach when the schema already holds what the first
        migrations create and nothing is applied; None when a baseline does not fit."""
        return suggestion(self._mg)

    def baseline(self, version: str) -> Baselined:
        """Mark every migration up to `version` applied without running it."""
        return baseline(self._mg, version)
