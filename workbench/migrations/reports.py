"""What an apply or a rollback did, as complete, immutable reports that the CLI and the TUI render.

The engine fills these in as it goes, from facts it holds (which statements ran in which
transaction and whether that transaction committed, the rows each changed, the backups taken,
the catalog before and after), so that no screen has to work out the aftermath itself and the
CLI says exactly what the TUI says: `lines()` is the words, `to_dict()` the `--json` form.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from workbench.migrations.backups import Backup
from workbench.migrations.replay import Carried

APPLIED, ROLLED_BACK, FAILED, PARTIAL = "applied", "rolled back", "failed", "partial"


@dataclass(frozen=True)
class BackupRef:
    """A backup table as a report names it."""

    id: int
    table: str  # schema.name of the table it copies
    rows: int
    purpose: str

    @classmethod
    def of(cls, backup: Backup) -> BackupRef:
        return cls(backup.id, backup.source, backup.row_count, backup.purpose)

    def __str__(self) -> str:
        return f"#{self.id} {self.table} ({self.rows:,} rows)"


@dataclass(frozen=True)
class StatementRun:
    """One statement of a migration (or of its down script) that ran."""

    index: int  # 1-based, in its script
    summary: str  # the statement on one line
    kept: bool  # it stayed: its transaction committed, or it ran outside one
    rows: int | None = None  # rows it inserted, updated or deleted, when the database says


@dataclass(frozen=True)
class MigrationReport:
    """One migration in one direction: what ran, what stayed, what it took and how to undo it."""

    version: str
    name: str
    direction: str  # up | down
    outcome: str  # applied | rolled back | failed (nothing of it stayed) | partial (part of it stayed)
    method: str  # up: transaction | partly outside a transaction | no transaction; down: the way back used
    total: int = 0  # statements in the script that ran (up: the migration; down: its down script)
    runs: tuple[StatementRun, ...] = ()
    skipped: tuple[int, ...] = ()  # not run on purpose: applied by an earlier run, the file's own BEGIN/COMMIT
    statement: int | None = None  # the statement that failed
    sql: str | None = None
    error: str | None = None
    backups: tuple[BackupRef, ...] = ()  # taken before anything could be lost (up)
    safety_backups: tuple[BackupRef, ...] = ()  # copies of what a rollback empties or drops (down)
    rows_restored: dict[str, int] = field(default_factory=dict)  # per table, from backups (down)
    carried: tuple[Carried, ...] = ()  # per table, rows written since the apply carried over (down)
    way_back: str = ""  # how to undo what is there now, in words
    warnings: tuple[str, ...] = ()
    duration_ms: int | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in (APPLIED, ROLLED_BACK)

    @property
    def kept(self) -> tuple[StatementRun, ...]:
        return tuple(r for r in self.runs if r.kept)

    @property
    def unchanged(self) -> bool:
        """Nothing of a failed migration (or rollback) stayed: every statement that ran was rolled
        back with its transaction. A fact of the transactions, not a guess."""
        return not self.ok and not self.kept

    @property
    def not_run(self) -> tuple[int, ...]:
        ran = {r.index for r in self.runs} | set(self.skipped) | ({self.statement} if self.statement else set())
        return tuple(i for i in range(1, self.total + 1) if i not in ran)

    @property
    def label(self) -> str:
        return f"{self.version} {self.name}".rstrip()

    def describe(self) -> str:
        """One line: what happened to it."""
        if self.ok:
            return f"{self.label}: {self.outcome} ({self.method})"
        where = (
            f" at statement {self.statement}" + (f" of {self.total}" if self.total else "") if self.statement else ""
        )
        what = "rolling back " if self.direction == "down" else ""
        return f"{what}{self.label} failed{where}: {self.error}"

    def lines(self) -> list[str]:
        """The report for people, the same words in the CLI and the TUI."""
        if self.ok:
            head = f"✓ {self.outcome} {self.label} ({self.method}"
            head += f", {_count(self.total, 'statement')})" if self.direction == "up" else ")"
            out = [head]
        else:
            out = [f"✗ {self.describe()}"]
        out += [f"  ! {w}" for w in named(self.version, self.warnings)]
        out += [f"  backed up {b}" for b in self.backups]
        out += [f"  safety backup {b}" for b in self.safety_backups]
        out += [f"  restored {rows:,} rows of {table}" for table, rows in sorted(self.rows_restored.items())]
        out += [line for c in self.carried for line in c.lines()]
        if not self.ok:
            out += self._aftermath()
        if self.way_back:
            out.append(f"  way back: {self.way_back}")
        return out

    def _aftermath(self) -> list[str]:
        """What the failure left, statement by statement: the truth of the transactions."""
        out = []
        kept = self.kept
        undone = [r for r in self.runs if not r.kept]
        if kept:
            out.append(
                f"  {_count(len(kept), 'statement')} of {self.version} had already run and stayed "
                "(outside a transaction, or in a part that committed):"
            )
            out += [f"    {r.index}  {r.summary}" + (f"  ({r.rows:,} rows)" if r.rows else "") for r in kept]
        if undone or self.statement:
            rolled = ", ".join(str(r.index) for r in undone)
            out.append(
                f"  rolled back with their transaction: statement{'s' * (len(undone) != 1)} {rolled}"
                if undone
                else "  the failing statement changed nothing"
            )
        if self.not_run:
            out.append(f"  not run: {_span(self.not_run)}")
        if kept:
            out.append(f"  the database is NOT as it was before {self.version}: what stayed is listed above")
        else:
            out.append(
                f"  the database is as it was before {'rolling back ' if self.direction == 'down' else ''}"
                f"{self.version}: nothing of it stayed"
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "name": self.name,
            "direction": self.direction,
            "outcome": self.outcome,
            "method": self.method,
            "statements_total": self.total,
            "statements_kept": [r.index for r in self.kept],
            "statements_rolled_back": [r.index for r in self.runs if not r.kept],
            "statements_not_run": list(self.not_run),
            "rows": {str(r.index): r.rows for r in self.runs if r.rows is not None},
            "failed_statement": self.statement,
            "sql": self.sql,
            "error": self.error,
            "unchanged": self.unchanged if not self.ok else None,
            "backups": [b.__dict__ for b in self.backups],
            "safety_backups": [b.__dict__ for b in self.safety_backups],
            "rows_restored": dict(self.rows_restored),
            "carried": [c.to_dict() for c in self.carried],
            "way_back": self.way_back,
            "warnings": list(self.warnings),
            "duration_ms": self.duration_ms,
        }


@dataclass(frozen=True)
class RunReport:
    """One `up` or `down`: its migrations in the order they ran (the failed one last), notes that
    concern the whole run, and how the schema differs from before the run, object by object."""

    direction: str
    migrations: tuple[MigrationReport, ...] = ()
    notes: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()  # the catalog before the run against after it, one line per object

    @property
    def ok(self) -> bool:
        return all(m.ok for m in self.migrations)

    @property
    def done(self) -> tuple[str, ...]:
        """Versions applied (or rolled back) in full, in order."""
        return tuple(m.version for m in self.migrations if m.ok)

    @property
    def failure(self) -> MigrationReport | None:
        return next((m for m in self.migrations if not m.ok), None)

    @property
    def unchanged(self) -> bool:
        """Nothing of the run stayed: it failed before any migration completed, and nothing of the
        failed one stayed either."""
        failure = self.failure
        return not self.done and (failure is None or failure.unchanged)

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.notes + tuple(w for m in self.migrations for w in named(m.version, m.warnings))

    def lines(self) -> list[str]:
        verb = "applied" if self.direction == "up" else "rolled back"
        if not self.migrations:
            return [f"note: {n}" for n in self.notes] + [f"nothing {verb}"]
        out = [f"note: {n}" for n in self.notes]
        for m in self.migrations:
            out += m.lines()
        if self.changes:
            out.append(f"schema changes ({len(self.changes)}):")
            out += [f"  {c}" for c in self.changes]
        if self.failure is not None:
            done = f"{verb} before it: {', '.join(self.done)}" if self.done else f"nothing was {verb}"
            out.append(f"{done}; {self.failure.version} {self.failure.outcome}")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "direction": self.direction,
            "ok": self.ok,
            "done": list(self.done),
            "unchanged": self.unchanged if not self.ok else None,
            "failure": self.failure.to_dict() if self.failure else None,
            "migrations": [m.to_dict() for m in self.migrations],
            "notes": list(self.notes),
            "changes": list(self.changes),
            "warnings": list(self.warnings),
        }


def named(version: str, warnings: Iterable[str]) -> tuple[str, ...]:
    """Each warning with its migration's version in front, as every screen and log shows them: a
    warning read on its own (a long plan scrolled past its heading, one line of a CI log) still
    says which migration it is about."""
    return tuple(f"{version}: {w}" for w in warnings)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'s' * (n != 1)}"


def _span(numbers: tuple[int, ...]) -> str:
    """`4–7, 9`: consecutive statement numbers as ranges."""
    out: list[str] = []
    start = prev = numbers[0]
    for n in (*numbers[1:], None):
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(f"{start}–{prev}" if prev > start else str(start))
        if n is not None:
            start = prev = n
    return "statement" + ("s " if len(numbers) > 1 else " ") + ", ".join(out)
