"""Rolling back one migration, in one transaction, verified against the schema recorded before it.

The way back is the one the plan names: the down script (then, when the schema before the apply
was recorded, a comparison with it and a repair of whatever the script left different, rows
from backups included), the inverse of a purely additive migration, or a repair straight from
the recorded schema and the backups. If the down script fails, the transaction rolls back and
the automatic way runs instead, when there is one. The ledger row turns `rolled_back` in the
same transaction, so a crash leaves the migration either applied or rolled back, never between.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from workbench.db import split_statements
from workbench.db.base import DatabaseError
from workbench.db.catalog import Catalog
from workbench.db.catalog_diff import diff
from workbench.errors import OperationFailed
from workbench.migrations.analysis import StatementInfo, analyse
from workbench.migrations.backups import BEFORE_ROLLBACK, Backup
from workbench.migrations.capture import Captures
from workbench.migrations.discovery import Migration
from workbench.migrations.impact import find_table
from workbench.migrations.ledger import Entry
from workbench.migrations.plan import WAYS, MigrationPlan, before_catalog, plan_down_one
from workbench.migrations.progress import Progress
from workbench.migrations.reconcile import repair
from workbench.migrations.replay import Carried, Replayer
from workbench.migrations.reports import FAILED, ROLLED_BACK, BackupRef, MigrationReport, StatementRun
from workbench.migrations.runner import run_steps, user_catalog
from workbench.migrations.scratch import may_run

if TYPE_CHECKING:
    from workbench.migrations.engine import Migrator

_ROUNDS = 3  # repairs after the first: what replacing tables took along (foreign keys, views, owners)


class RollbackIncomplete(OperationFailed):
    """The rollback would not give back the recorded schema or rows; nothing was changed."""


def plan_one(mg: Migrator, entry: Entry, migration: Migration | None, now: Catalog | None) -> MigrationPlan:
    """The rollback plan of `entry` from the schema `now` (None: not known before it runs)."""
    plan = plan_down_one(entry, migration, mg.keeper.live(entry.version), mg.conn, now, mg.count_rows)
    captured = {c.qualified for c in Captures(mg.conn, mg.store).of(entry.version)}
    if not captured:
        return plan
    return dataclasses.replace(plan, warnings=tuple(_carried(w, captured) for w in plan.warnings))


def _carried(warning: str, captured: set[str]) -> str:
    """A plan's warning about rows written since a table's apply, told true for captured tables."""
    table = warning.split(" holds ", 1)[0]
    lost = ": rows written since are lost"
    if table in captured and warning.endswith(lost):
        return warning[: -len(lost)] + ": rows written since are carried over (captured since the apply)"
    return warning


def rollback_one(
    mg: Migrator, entry: Entry, migration: Migration | None, safety_backup: bool, keep_aside: bool = False
) -> MigrationReport:
    """Undo `entry`: the report says which way back worked, the rows restored and the safety
    copies taken — or, when none worked, why, with the database as it was (each way runs in a
    transaction of its own, and a way that fails leaves nothing behind)."""
    started = time.monotonic()
    plan = plan_one(mg, entry, migration, user_catalog(mg.conn) if entry.before_catalog else None)

    def report(outcome: str, undo: _Undo | None, **fields: Any) -> MigrationReport:
        return MigrationReport(
            entry.version_text,
            entry.name,
            "down",
            outcome,
            undo.way if undo else plan.method,
            len(undo.script) if undo else 0,
            tuple(undo.runs) if undo else (),
            safety_backups=tuple(BackupRef.of(b) for b in undo.safety) if undo else (),
            rows_restored=dict(undo.restored) if undo else {},
            carried=tuple(undo.carried) if undo else (),
            duration_ms=int((time.monotonic() - started) * 1000),
            **fields,
        )

    if plan.refusal:
        return report(FAILED, None, error=f"no way back: {plan.refusal}")
    undo = _Undo(mg, entry, plan, safety_backup, keep_aside)
    warnings: list[str] = list(plan.warnings)
    for i, way in enumerate(plan.ways):
        try:
            undo.run(way)
            return report(ROLLED_BACK, undo, warnings=tuple(warnings + undo.warnings))
        except (DatabaseError, RollbackIncomplete) as exc:
            failure = dict(statement=undo.statement, sql=undo.sql, error=str(exc))
            if i + 1 < len(plan.ways):
                where = f" at statement {undo.statement}" if undo.statement else ""
                warnings.append(f"the {way} failed{where} ({exc}); the workbench will {WAYS[plan.ways[i + 1]]} instead")
    return report(FAILED, undo, warnings=tuple(warnings), **failure)


class _Undo:
    def __init__(self, mg: Migrator, entry: Entry, plan: MigrationPlan, safety_backup: bool, keep_aside: bool) -> None:
        self.mg, self.entry, self.plan, self.safety_backup = mg, entry, plan, safety_backup
        self.keep_aside = keep_aside
        self.carried: list[Carried] = []
        self.conn = mg.conn
        self.before = before_catalog(entry)
        self.backups = {(b.source_schema, b.source_table): b for b in mg.keeper.live(entry.version)}
        self.statement: int | None = None
        self.sql: str | None = None
        self.warnings: list[str] = []
        self.way = plan.method
        self.script: list[StatementInfo] = []
        self.runs: list[StatementRun] = []
        self.restored: dict[str, int] = {}
        self.safety: list[Backup] = []

    def run(self, way: str) -> None:
        """One way back, in one transaction: what it did is kept only if all of it worked."""
        self.statement = self.sql = None
        self.warnings, self.runs, self.restored, self.safety, self.carried = [], [], {}, [], []
        self.way = way
        self.script = [s for s in self.plan.statements if s.kind != "transaction"] if way == "down script" else []
        with self.conn.transaction(immediate=True):
            replayer = self.stash()
            if self.safety_backup:
                self.take_safety_backups()
            if way == "down script":
                self.run_script()
            elif way == "inverse":
                self.run_inverse()
            if self.before is not None:
                # after a down script, what it leaves is its author's choice; otherwise nothing may differ
                self.converge(self.before, strict=way != "down script")
            if replayer is not None:
                old = {key: b.definition for key, b in self.backups.items()}
                self.carried = replayer.replay(old, self.keep_aside)
            self.mg.ledger.mark_rolled_back(self.entry)
            self.mg.keeper.retire(self.entry.version)
        self.runs = [dataclasses.replace(r, kept=True) for r in self.runs]

    def stash(self) -> Replayer | None:
        """Read what was written since the apply (the capture's net effect) and stop the capture,
        before the rollback changes anything; None when nothing was captured."""
        captures = Captures(self.conn, self.mg.store)
        mine = captures.of(self.entry.version)
        if not mine:
            return None
        replayer = Replayer(self.conn, captures, self.entry.version_text)
        replayer.stash(mine, user_catalog(self.conn))
        return replayer

    def run_script(self) -> None:
        for i, st in enumerate(self.script, 1):
            self.statement, self.sql = st.index, st.sql
            if not may_run(self.mg, self.entry.version_text, "down", st.index, st.sql):
                continue
            rows = self.conn.execute(st.sql)
            self.runs.append(
                StatementRun(st.index, st.summary, False, rows if rows >= 0 and st.kind == "data" else None)
            )
            self.mg.progress(Progress("statement", self.entry.version_text, i, len(self.script), text=st.sql[:80]))
        self.statement = self.sql = None

    def run_inverse(self) -> None:
        statements = split_statements(self.entry.inverse_sql or "", self.conn.backend.name)
        for i, st in enumerate(statements, 1):
            if may_run(self.mg, self.entry.version_text, "inverse", i, st.sql):
                self.conn.execute(st.sql)
            self.mg.progress(Progress("statement", self.entry.version_text, i, len(statements), text=st.sql[:80]))

    def restore_progress(self, p: Progress) -> None:
        """Counts the rows each restore step copies back, then passes the report on."""
        if p.phase == "restore" and p.table and p.rows:
            self.restored[p.table] = self.restored.get(p.table, 0) + p.rows
        self.mg.progress(p)

    def converge(self, before: Catalog, strict: bool) -> None:
        """Repair towards `before` until nothing differs. Strict (no down script ran): anything
        left is a failure and everything rolls back. After a down script, what cannot be repaired
        is what its author chose to keep (e.g. an enum value): it is reported, not undone."""
        backups = self.backups
        left_out: list[str] = []
        for _ in range(_ROUNDS):
            now = user_catalog(self.conn)
            if not backups and not diff(before, now):
                break
            fix = repair(before, now, backups, self.conn, self.mg.keeper)
            if fix.problems and strict:
                raise RollbackIncomplete(f"cannot roll back {self.entry.version_text}: {'; '.join(fix.problems)}")
            left_out = list(fix.problems)
            run_steps(self.conn, fix.steps, self.entry.version_text, self.restore_progress)
            backups = {}
        left = diff(before, user_catalog(self.conn))
        if left and strict:
            shown = "; ".join(left.describe()[:4]) + ("; …" if len(left.changes) > 4 else "")
            raise RollbackIncomplete(
                f"rolling back {self.entry.version_text} would leave the schema different: {shown}"
            )
        if left:
            self.warnings.append(
                f"after the down script of {self.entry.version_text} the schema still differs from before it: "
                + "; ".join(left_out or left.describe()[:4])
            )
        self.check_rows(before)
        self.mg.progress(Progress("verify", self.entry.version_text, 1, 1, text="schema and rows as recorded"))

    def check_rows(self, before: Catalog) -> None:
        for (schema, name), backup in self.backups.items():
            table = before.table(name, schema)
            if table is None or table.partition_key:
                continue  # a partitioned table's rows are its partitions', each checked on its own
            rows = self.conn.row_count(schema, name)
            if rows != backup.row_count:
                raise RollbackIncomplete(
                    f"{schema}.{name} holds {rows:,} rows after the restore, its backup {backup.row_count:,}"
                )

    def take_safety_backups(self) -> None:
        """Copies of what the rollback empties or drops, rows written since the apply included."""
        now = user_catalog(self.conn)
        tables = [
            t
            for t in now.tables
            if t.key in self.backups or self.before is not None and self.before.table(t.name, t.schema) is None
        ]
        if self.before is None:
            inverse = analyse(self.entry.inverse_sql or "", self.conn.backend.name)
            drops = [e.table for st in inverse for e in st.effects if e.action == "drop_table" and e.table is not None]
            tables = [t for t in (find_table(now, n, self.conn.default_schema) for n in drops) if t is not None]
        for i, table in enumerate(tables, 1):
            backup: Backup = self.mg.keeper.take(table, self.entry.version, BEFORE_ROLLBACK)
            self.safety.append(backup)
            self.mg.progress(
                Progress(
                    "backup",
                    self.entry.version_text,
                    i,
                    len(tables),
                    backup.row_count,
                    table.qualified_name,
                    f"safety copy of {table.qualified_name}",
                )
            )


def describe_refusals(plans: Sequence[MigrationPlan]) -> str:
    """One sentence for a rollback that cannot start."""
    return "; ".join(f"{p.version} {p.name}: {p.refusal}" for p in plans if p.refusal)
