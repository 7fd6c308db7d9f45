"""The migration report: what a range of migrations changed, written as the user used to by hand.

Everything is computed, nothing typed: the migrations are replayed on a scratch copy (see
`timeline.py`), the schema before and after is compared (`catalog_diff.diff`) for columns added
per table, tables created or dropped, indexes, enums, CHECKs and policies; the backups come from
the database's own backup catalog (or, for migrations not applied yet, from the replay); the
project's checks run on the copy as it is after the range; and the use-case coverage is measured
before and after.

The default range is the migrations still pending in the database, or else the newest applied
one. The Markdown has no clock in it except the dates the ledger recorded, so the same database
and project always give the same report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.checks.runner import CheckResult, Summary, run_checks
from workbench.checks.suite import plan_suite
from workbench.coverage.markdown import gaps
from workbench.coverage.suite import Suite
from workbench.coverage.timeline import Move, Point, TimelineProgress, coverage_timeline
from workbench.db import ddl
from workbench.db.base import Connection
from workbench.db.catalog import Column, Index, Table
from workbench.db.catalog_diff import Change, CatalogDiff, diff
from workbench.errors import UsageError
from workbench.markdown import table
from workbench.migrations.backups import BEFORE_MIGRATION, Backup
from workbench.migrations.discovery import Migration, canonical_version
from workbench.migrations.engine import Migrator
from workbench.migrations.ledger import Status, find
from workbench.migrations.scratch import Skipped
from workbench.project import Project

CHECK_ICONS = {"pass": "✓", "fail": "✗", "error": "⚠", "skipped": "–"}
# Kinds the report gives a section of their own; everything else is listed under "Other changes".
_OWN_SECTION = {"table", "column", "index", "enum", "check", "policy"}
_COLUMN_FIELDS = ("data_type", "nullable", "default", "identity", "generated", "collation", "comment")


@dataclass(frozen=True)
class MigrationReport:
    """The facts of one report; `markdown()` writes them down."""

    target: str
    range: tuple[tuple[str, str], ...]  # (version, name) of each migration asked for
    before: Point
    after: Point
    migrations: tuple[Point, ...]  # the ones the copy reached, in order
    files: tuple[Path, ...]
    changes: CatalogDiff
    backups: tuple[Backup, ...]
    checks: tuple[CheckResult, ...] = ()
    problem: str | None = None
    note: str | None = None
    failed: bool = False  # a migration of the range failed on the copy
    skipped: tuple[Skipped, ...] = ()  # statements the replay did not run: they would have left the copy
    removed: tuple[str, ...] = ()  # leftover scratch copies of dead runs, dropped first (not in the Markdown:
    # the same database and project always give the same report)
    sql: dict[tuple[str, str], str] = field(default_factory=dict)  # CREATE TABLE text of new tables

    @property
    def ok(self) -> bool:
        """Every migration applied on the copy and every check passed."""
        return not self.failed and Summary.of(self.checks).ok

    @property
    def title(self) -> str:
        names = [f"{version}_{name}" for version, name in self.range]
        return names[0] if len(names) == 1 else f"{names[0]} → {names[-1]}"

    def markdown(self) -> str:
        lines = [f"# Schema Migration Report: {self.title}", "", *self._header(), "", "---", "", "## Summary", ""]
        lines += self._summary()
        sections = [
            ("Column Changes", self._columns()),
            ("New Tables", self._new_tables()),
            ("Dropped Tables", [f"- `{c.name}`" for c in self.changes.of("table", "removed")]),
            ("Indexes", self._indexes()),
            ("Enums, CHECK Constraints and Policies", self._constraints()),
            ("Other Changes", [f"- {c.describe()}" for c in self.changes.changes if c.kind not in _OWN_SECTION]),
        ]
        number = 0
        for heading, body in sections:
            if body:
                number += 1
                lines += ["", "---", "", f"## Section {number}: {heading}", "", *body]
        if self.skipped:
            lines += ["", "---", "", "## Not Run on the Copy", "", *self._skipped()]
        lines += ["", "---", "", "## Backups Taken", "", *self._backups()]
        lines += ["", "---", "", "## Checks Run", "", *self._checks()]
        lines += ["", "---", "", "## Use Case Coverage", "", *self._coverage()]
        return "\n".join(lines).rstrip() + "\n"

    # -- parts ---------------------------------------------------------------------------------

    def _header(self) -> list[str]:
        applied = [p.applied_at for p in self.migrations if p.applied_at]
        if self.failed:
            status = "❌ Fails: measured on a scratch copy of the database, which it could not migrate"
        elif applied and len(applied) == len(self.range):
            status = f"✅ Applied ({applied[-1][:10]})"
        elif applied:
            status = "⚠️ Partly applied; the rest measured on a scratch copy"
        else:
            status = "⏳ Not applied yet: measured on a scratch copy of the database"
        lines = [f"**Database**: `{self.target}`  ", f"**Status**: {status}  ", "**Files**:"]
        lines += [f"- `{path.as_posix()}`" for path in self.files]
        lines += [line for text in (self.note, self.problem) if text for line in ("", f"> {text}")]
        return lines

    def _skipped(self) -> list[str]:
        head = (
            "The copy shares its server with the database, so these statements were not run there: their "
            "effect would have reached beyond the copy. What was measured after them, was measured without them."
        )
        return [head, "", *(f"- {s.describe()}" for s in self.skipped)]

    def _summary(self) -> list[str]:
        added_columns = [c for c in self.changes.of("column", "added") if not _new_table(self.changes, c)]
        counts = [
            (len(added_columns), "new column", "added to existing tables"),
            (len(self.changes.of("column", "removed")), "column", "dropped"),
            (len([c for c in self.changes.of("column", "changed") if _changed(c)]), "column", "changed"),
            (len(self.changes.of("table", "added")), "new table", "created"),
            (len(self.changes.of("table", "removed")), "table", "dropped"),
            (len(self._created_indexes()), "index", "created"),
            (len(self.changes.of("index", "removed")), "index", "dropped"),
            (len(self.backups), "backup table", "taken"),
        ]
        lines = [
            f"- **{n} {noun}{'es' if noun == 'index' and n != 1 else 's' if n != 1 else ''}** {what}"
            for n, noun, what in counts
            if n
        ]
        before, after = self.before.coverage.summary, self.after.coverage.summary
        lines.append(
            f"- **Use cases**: {before.full} full → {after.full} full; scenarios {before.pass_rate} → {after.pass_rate}"
        )
        return lines

    def _columns(self) -> list[str]:
        lines: list[str] = []
        by_table: dict[str, list[Change]] = {}
        for c in self.changes.changes:
            if c.kind == "column" and not _new_table(self.changes, c) and (c.action != "changed" or _changed(c)):
                by_table.setdefault(".".join(c.path[:-1]), []).append(c)
        for name, changes in by_table.items():
            rows = []
            for c in changes:
                col: Column = c.after or c.before
                what = {"added": "added", "removed": "dropped"}.get(c.action) or _changed(c)
                rows.append([f"`{col.name}`", col.data_type, col.default or "", "yes" if col.nullable else "no", what])
            lines += [
                f"### Table: `{name.split('.', 1)[-1]}`",
                "",
                *table(["Column", "Type", "Default", "Null", "Change"], rows),
                "",
            ]
        return lines[:-1]

    def _new_tables(self) -> list[str]:
        lines: list[str] = []
        for number, c in enumerate(self.changes.of("table", "added"), start=1):
            t: Table = c.after
            lines += [f"### {number}. `{t.name}`", "", "```sql", self.sql.get(t.key, ""), "```", ""]
        return lines[:-1]

    def _created_indexes(self) -> list[tuple[str, Index]]:
        """(table, index) for indexes added to existing tables and those new tables came with."""
        own = [(c.path[-2], c.after) for c in self.changes.of("index", "added")]
        new = [(c.after.name, i) for c in self.changes.of("table", "added") for i in c.after.indexes]
        return [(t, i) for t, i in [*own, *new] if not i.constraint]

    def _indexes(self) -> list[str]:
        created, dropped = self._created_indexes(), self.changes.of("index", "removed")
        lines = []
        if created:
            lines += ["Created:", "", "```sql", *(f"{_index_sql(t, i)};" for t, i in created), "```"]
        if dropped:
            lines += ["", "Dropped:", "", *(f"- `{c.name}`" for c in dropped)]
        return lines

    def _constraints(self) -> list[str]:
        lines = []
        checks = self.changes.of("check")
        same = {
            id(c)
            for c in checks
            for o in checks
            if c.path[:-1] == o.path[:-1]
            and c.action != o.action
            and "changed" not in (c.action, o.action)
            and _same_check((c.after or c.before).expression, (o.after or o.before).expression)
        }
        for c in self.changes.changes:
            if id(c) in same:
                continue
            if c.kind == "enum":
                before = set(c.before.values) if c.before else set()
                after = set(c.after.values) if c.after else set()
                added = [v for v in (c.after.values if c.after else ()) if v not in before]
                removed = [v for v in (c.before.values if c.before else ()) if v not in after]
                parts = [f"+ {', '.join(added)}" if added else "", f"− {', '.join(removed)}" if removed else ""]
                lines.append(f"- enum `{c.name}` {c.action}: {'; '.join(p for p in parts if p)}")
            elif c.kind in ("check", "policy"):
                obj = c.after or c.before
                text = obj.expression if c.kind == "check" else f"{obj.command} using {obj.using}"
                lines.append(f"- {c.kind} on `{'.'.join(c.path[1:-1])}` {c.action}: `{text}`")
        return lines

    def _backups(self) -> list[str]:
        if not self.backups:
            return ["None: no statement could lose data, so nothing was copied aside."]
        shown = {canonical_version(p.version): p.version for p in self.migrations if p.version}
        rows = [
            [shown.get(b.migration, b.migration), f"`{b.source_table}`", f"{b.row_count:,}", f"`{b.backup_table}`"]
            for b in self.backups
        ]
        return table(["Migration", "Table", "Rows", "Backup table"], rows)

    def _checks(self) -> list[str]:
        if not self.checks:
            return ["No checks in the project."]
        summary = Summary.of(self.checks)
        rows = [
            [
                CHECK_ICONS[r.status],
                r.name,
                f"{r.file}:{r.check.line}" if r.check.line else r.file,
                r.expected,
                r.error if r.status in ("error", "skipped") else r.actual,
            ]
            for r in self.checks
        ]
        return [
            f"Run on the database as it is after {self.after.label}: **{summary.line()}**",
            "",
            *table(["", "Check", "File", "Expected", "Actual"], rows),
        ]

    def _coverage(self) -> list[str]:
        before, after = self.before.coverage, self.after.coverage
        moved: list[Move] = []
        for result in after.use_cases:
            old = before.get(result.use_case.id)
            if old is not None:
                move = Move(self.after, old, result)
                if old.status != result.status or move.newly_met:
                    moved.append(move)
        lines = [f"Before: {before.summary.describe()}  ", f"After: {after.summary.describe()}", ""]
        if moved:
            lines += table(
                ["Use Case", "Feature", "Tables/Columns", "Before", "After"],
                [
                    [
                        m.after.use_case.id,
                        m.after.use_case.title,
                        ", ".join(f"`{n}`" for n in m.newly_met),
                        m.before.status,
                        f"{'✅ ' if m.after.status == 'full' else ''}{m.after.status}",
                    ]
                    for m in moved
                ],
            )
        else:
            lines.append("No use case changed.")
        missing = gaps(after.use_cases)
        if missing:
            lines += ["", "**Still short of full after this:**", *missing]
        return lines


def migration_report(
    conn: Connection,
    project: Project,
    suite: Suite,
    *,
    start: str | None = None,
    end: str | None = None,
    progress: TimelineProgress | None = None,
) -> MigrationReport:
    """The report for migrations `start` … `end` of `project` on the database behind `conn`."""
    migrator = Migrator(conn, project.migrations_dir)
    wanted = _range(migrator.status(), start, end)  # a UsageError now, not after the replay
    checks: list[CheckResult] = []

    def run_project_checks(scratch: Connection) -> None:
        planned = plan_suite(scratch, project)
        checks.extend(run_checks(scratch, planned.checks, catalog=planned.catalog))

    timeline = coverage_timeline(
        conn, project.migrations_dir, suite, until=wanted[-1].version, at_end=run_project_checks, progress=progress
    )
    keys = [canonical_version(s.version) for s in wanted]
    reached = tuple(p for p in timeline.points[1:] if canonical_version(p.version or "0") in keys)
    if reached and reached[0].version == wanted[0].version:
        before = timeline.points[timeline.points.index(reached[0]) - 1]
    elif not reached and timeline.failed:  # the range's first migration failed on the copy
        before = timeline.points[-1]
    else:
        raise UsageError(f"cannot report on {wanted[0].version}: {timeline.problem}")
    after = reached[-1] if reached else before
    changes = diff(before.catalog, after.catalog)
    real = [b for b in migrator.keeper.all() if b.purpose == BEFORE_MIGRATION and b.migration in keys]
    return MigrationReport(
        target=conn.display_url,
        range=tuple((s.version, s.name) for s in wanted),
        before=before,
        after=after,
        migrations=reached,
        files=tuple(_files(migrator.migrations, set(keys), project.root)),
        changes=changes,
        backups=tuple(real + [b for p in reached if p.applied_at is None for b in p.backups]),
        checks=tuple(checks),
        problem=timeline.problem,
        note=timeline.note,
        failed=timeline.failed,
        skipped=timeline.skipped,
        removed=timeline.removed,
        sql={c.after.key: ddl.create_table(conn, c.after, after.catalog) for c in changes.of("table", "added")},
    )


def _range(statuses: Sequence[Status], start: str | None, end: str | None) -> list[Status]:
    """The migrations from `start` to `end`; by default the pending ones, or else the newest."""
    files = [s for s in statuses if s.migration is not None]
    if not files:
        raise UsageError("the project has no migrations to report on")
    if start is None and end is None:
        return [s for s in files if s.state != "applied"] or files[-1:]
    low = find(statuses, start).key if start else files[0].key
    high = find(statuses, end).key if end else files[-1].key
    if high < low:
        raise UsageError(f"--to {end} comes before --from {start}")
    return [s for s in files if low <= s.key <= high]


def _files(migrations: Sequence[Migration], versions: set[str], root: Path) -> list[Path]:
    out = []
    for m in migrations:
        if m.canonical in versions:
            out += [p for p in (m.path, m.down_path) if p is not None]
    journal = next((m.path.parent / "meta" / "_journal.json" for m in migrations), None)
    if journal is not None and journal.is_file():
        out.append(journal)
    return [p.relative_to(root) if p.is_relative_to(root) else p for p in out]


def _new_table(changes: CatalogDiff, change: Change) -> bool:
    return any(t.path == change.path[:-1] for t in changes.of("table", "added"))


def _changed(change: Change) -> str:
    """What changed in a column, `data_type: varchar(3) → text`; "" when only its position moved."""
    fields = [f for f in _COLUMN_FIELDS if getattr(change.before, f) != getattr(change.after, f)]
    return "; ".join(f"{f}: {getattr(change.before, f)} → {getattr(change.after, f)}" for f in fields)


def _same_check(a: str, b: str) -> bool:
    """Two CHECK texts that differ only in identifier quoting or spacing (a rebuilt table)."""
    return re.sub(r'[\s"]', "", a) == re.sub(r'[\s"]', "", b)


def _index_sql(table_name: str, index: Index) -> str:
    unique = "UNIQUE " if index.unique else ""
    return index.definition or f"CREATE {unique}INDEX {index.name} ON {table_name} ({', '.join(index.columns)})"
