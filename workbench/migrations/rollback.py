"""Rolling back one migration, in one transaction, verified against the schema recorded before it.

The way back is the one the plan names: the down script (then, when the schema before the apply
was recorded, a comparison with it and a repair of whatever the script left different, rows
from backups included), the inverse of a purely additive migration, or a repair straight from
the recorded schema and the backups. If the down script fails, the transaction rolls back and
the automatic way runs instead, when there is one. The ledger row turns `rolled_back` in the
same transaction, so a crash leaves the migration either applied or rolled back, never between.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from workbench.db import split_statements
from workbench.db.base import DatabaseError
from workbench.db.catalog import Catalog
from workbench.db.catalog_diff import diff
from workbench.errors import OperationFailed
from workbench.migrations.analysis import analyse
from workbench.migrations.backups import BEFORE_MIGRATION, BEFORE_ROLLBACK, Backup
from workbench.migrations.discovery import Migration
from workbench.migrations.impact import find_table
from workbench.migrations.ledger import Entry
from workbench.migrations.plan import WAYS, MigrationPlan, before_catalog, plan_down_one
from workbench.migrations.progress import Progress
from workbench.migrations.reconcile import repair
from workbench.migrations.runner import Failure, run_steps, user_catalog

if TYPE_CHECKING:
    from workbench.migrations.engine import Migrator

_ROUNDS = 3  # repairs after the first: what replacing tables took along (foreign keys, views, owners)


class RollbackIncomplete(OperationFailed):
    """The rollback would not give back the recorded schema or rows; nothing was changed."""


def plan_one(mg: Migrator, entry: Entry, migration: Migration | None, now: Catalog | None) -> MigrationPlan:
    """The rollback plan of `entry` from the schema `now` (None: not known before it runs)."""
    backups = [b for b in mg.keeper.of(entry.version) if b.purpose == BEFORE_MIGRATION]
    return plan_down_one(entry, migration, backups, mg.conn, now, mg.count_rows)


def rollback_one(mg: Migrator, entry: Entry, migration: Migration | None, safety_backup: bool
                 ) -> tuple[Failure | None, list[str]]:
    """Undo `entry`; returns the failure (None when rolled back) and warnings for the user.

    The ways back are tried in the plan's order, each in a transaction of its own, until one
    succeeds; a way that fails leaves nothing behind and is named in the warnings.
    """
    plan = plan_one(mg, entry, migration, user_catalog(mg.conn) if entry.before_catalog else None)
    if plan.refusal:
        return Failure(entry.version_text, f"no way back: {plan.refusal}"), []
    undo = _Undo(mg, entry, plan, safety_backup)
    warnings: list[str] = list(plan.warnings)
    failure: Failure | None = None
    for i, way in enumerate(plan.ways):
        try:
            undo.run(way)
            return None, warnings + undo.warnings
        except (DatabaseError, RollbackIncomplete) as exc:
            failure = Failure(entry.version_text, str(exc), undo.statement, undo.sql)
            if i + 1 < len(plan.ways):
                where = f" at statement {undo.statement}" if undo.statement else ""
                warnings.append(f"the {way} of {entry.version_text} failed{where} ({exc}); "
                                f"the workbench will {WAYS[plan.ways[i + 1]]} instead")
    return failure, warnings


class _Undo:
    def __init__(self, mg: Migrator, entry: Entry, plan: MigrationPlan, safety_backup: bool) -> None:
        self.mg, self.entry, self.plan, self.safety_backup = mg, entry, plan, safety_backup
        self.conn = mg.conn
        self.before = before_catalog(entry)
        self.backups = {(b.source_schema, b.source_table): b for b in mg.keeper.of(entry.version)
                        if b.purpose == BEFORE_MIGRATION}
        self.statement: int | None = None
        self.sql: str | None = None
        self.warnings: list[str] = []

    def run(self, way: str) -> None:
        self.statement = self.sql = None
        self.warnings = []
        with self.conn.transaction(immediate=True):
            if self.safety_backup:
                self.take_safety_backups()
            if way == "down script":
                self.run_script()
            elif way == "inverse":
                self.run_inverse()
            if self.before is not None:
                # after a down script, what it leaves is its author's choice; otherwise nothing may differ
                self.converge(self.before, strict=way != "down script")
            self.mg.ledger.mark_rolled_back(self.entry)

    def run_script(self) -> None:
        statements = [s for s in self.plan.statements if s.kind != "transaction"]
        for i, st in enumerate(statements, 1):
            self.statement, self.sql = st.index, st.sql
            self.conn.execute(st.sql)
            self.mg.progress(Progress("statement", self.entry.version_text, i, len(statements), text=st.sql[:80]))
        self.statement = self.sql = None

    def run_inverse(self) -> None:
        statements = split_statements(self.entry.inverse_sql or "", self.conn.backend.name)
        for i, st in enumerate(statements, 1):
            self.conn.execute(st.sql)
            self.mg.progress(Progress("statement", self.entry.version_text, i, len(statements), text=st.sql[:80]))

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
            run_steps(self.conn, fix.steps, self.entry.version_text, self.mg.progress)
            backups = {}
        left = diff(before, user_catalog(self.conn))
        if left and strict:
            shown = "; ".join(left.describe()[:4]) + ("; …" if len(left.changes) > 4 else "")
            raise RollbackIncomplete(f"rolling back {self.entry.version_text} would leave the schema different: {shown}")
        if left:
            self.warnings.append(
                f"after the down script of {self.entry.version_text} the schema still differs from before it: "
                + "; ".join(left_out or left.describe()[:4])
            )
        self.check_rows(before)
        self.mg.progress(Progress("verify", self.entry.version_text, 1, 1, text="schema and rows as recorded"))

    def check_rows(self, before: Catalog) -> None:
        for (schema, name), backup in self.backups.items():
            if before.table(name, schema) is None:
                continue
            rows = self.conn.row_count(schema, name)
            if rows != backup.row_count:
                raise RollbackIncomplete(
                    f"{schema}.{name} holds {rows:,} rows after the restore, its backup {backup.row_count:,}"
                )

    def take_safety_backups(self) -> None:
        """Copies of what the rollback empties or drops, rows written since the apply included."""
        now = user_catalog(self.conn)
        tables = [t for t in now.tables if t.key in self.backups
                  or self.before is not None and self.before.table(t.name, t.schema) is None]
        if self.before is None:
            inverse = analyse(self.entry.inverse_sql or "", self.conn.backend.name)
            drops = [e.table for st in inverse for e in st.effects if e.action == "drop_table" and e.table is not None]
            tables = [t for t in (find_table(now, n, self.conn.default_schema) for n in drops) if t is not None]
        for i, table in enumerate(tables, 1):
            backup: Backup = self.mg.keeper.take(table, now, self.entry.version, BEFORE_ROLLBACK)
            self.mg.progress(Progress("backup", self.entry.version_text, i, len(tables), backup.row_count,
                                      table.qualified_name, f"safety copy of {table.qualified_name}"))


def describe_refusals(plans: Sequence[MigrationPlan]) -> str:
    """One sentence for a rollback that cannot start."""
    return "; ".join(f"{p.version} {p.name}: {p.refusal}" for p in plans if p.refusal)
