"""Applying one migration: backups, statements and the ledger row in one transaction.

The success row is written inside the migration's transaction, so the change and the record of
it commit together; a crash at any moment leaves both before or both after. A failing statement
rolls the whole migration back, and the failure (which statement, the error) is recorded after
that, in a transaction of its own. Statements that cannot run in a transaction (`CREATE INDEX
CONCURRENTLY`, dbmate's `transaction:false`) split the migration into segments, each committed
with a `partial` ledger row, so the ledger stays true; a later run resumes after them.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

from workbench.db.base import DatabaseError
from workbench.db.catalog import Catalog
from workbench.migrations.analysis import analyse
from workbench.migrations.ddl import inverse
from workbench.migrations.discovery import Migration
from workbench.migrations.ledger import APPLIED, FAILED, PARTIAL, Entry, now
from workbench.migrations.plan import MigrationPlan, applied_prefix, needs_catalog, plan_up_one, resume_point
from workbench.migrations.progress import Progress
from workbench.migrations.runner import Failure, user_catalog
from workbench.migrations.steps import Step

if TYPE_CHECKING:
    from workbench.migrations.engine import Migrator


def apply_one(mg: Migrator, m: Migration, previous: Entry | None) -> Failure | None:
    """Apply `m` (pending, or failed before); None when it is applied."""
    conn = mg.conn
    resume = resume_point(m, previous, conn.backend.name)
    catalog: Catalog | None = None
    if not resume and needs_catalog(analyse(m.up_sql, conn.backend.name), conn.default_schema):
        catalog = user_catalog(conn)
    plan = plan_up_one(m, conn, catalog, resume_after=resume)
    before = previous.before_catalog if resume and previous else _json(catalog)
    return _Run(mg, m, plan, catalog, before, resume).go()


def _json(catalog: Catalog | None) -> str | None:
    return json.dumps(catalog.to_dict(), sort_keys=True) if catalog is not None else None


class _Run:
    """One apply: the plan's statements in segments, backups first, the ledger kept true."""

    def __init__(self, mg: Migrator, m: Migration, plan: MigrationPlan, catalog: Catalog | None,
                 before: str | None, resume: int) -> None:
        self.mg, self.m, self.plan, self.catalog, self.before = mg, m, plan, catalog, before
        self.committed = resume  # statements committed so far
        self.total = len(plan.statements)
        self.started = time.monotonic()
        impact = plan.impact
        self.inverse = None  # kept for purely additive migrations: their undo, newest effect first
        if impact is not None and impact.inverse is not None:
            self.inverse = "".join(f"{inverse(mg.conn, e)};\n" for e in reversed(impact.inverse))

    def go(self) -> Failure | None:
        conn = self.mg.conn
        segments = self.segments()
        for number, (in_tx, steps) in enumerate(segments):
            outcome = APPLIED if number == len(segments) - 1 else PARTIAL
            reached = steps[-1].statement.index if steps else self.committed
            current: Step | None = None
            try:
                if in_tx:
                    with conn.transaction(immediate=True):
                        if number == 0:
                            self.take_backups()
                        for current in steps:
                            self.execute(current)
                        self.record(outcome, reached)
                else:
                    if number == 0 and self.plan.backup_tables:
                        with conn.transaction(immediate=True):
                            self.take_backups()
                    for current in steps:
                        self.execute(current)
                    with conn.transaction():
                        self.record(outcome, reached)
            except DatabaseError as exc:
                return self.failed(current, exc)
            self.committed = reached
        return None

    def segments(self) -> list[tuple[bool, list[Step]]]:
        """Consecutive transactional statements together; each other statement alone."""
        out: list[tuple[bool, list[Step]]] = []
        for step in self.plan.steps:
            if step.action != "statement":
                continue
            if step.transactional and out and out[-1][0]:
                out[-1][1].append(step)
            else:
                out.append((step.transactional, [step]))
        return out or [(True, [])]

    def take_backups(self) -> None:
        tables = self.plan.backup_tables
        for i, table in enumerate(tables, 1):
            backup = self.mg.keeper.take(table, self.catalog, self.m.canonical)
            self.mg.progress(Progress("backup", self.m.version, i, len(tables), backup.row_count,
                                      table.qualified_name, f"backed up {table.qualified_name}"))

    def execute(self, step: Step) -> None:
        self.mg.conn.execute(step.statement.sql)
        self.mg.progress(Progress("statement", self.m.version, step.statement.index, self.total, text=step.text))

    def after_rows(self) -> dict[str, int]:
        """Row counts, just after the apply, of every table it put at stake, made or renamed,
        so a rollback can tell how many rows were written since (purely additive ones skip it)."""
        impact = self.plan.impact
        if impact is None or impact.additive:
            return {}
        keys = {t.key for t in self.plan.backup_tables} | impact.created_tables | impact.renamed_tables
        out = {}
        for schema, name in sorted(keys):
            table = self.catalog_name(schema, name)
            try:
                with self.mg.conn.savepoint():
                    out[f"{schema}.{table}"] = self.mg.conn.row_count(schema, table)
            except DatabaseError:
                continue  # dropped by the migration
        return out

    def catalog_name(self, schema: str, name: str) -> str:
        """The stored spelling of a table the analysis knows folded (SQLite keeps the case)."""
        if self.catalog is None:
            return name
        table = next((t for t in self.catalog.tables if t.schema == schema and t.name.lower() == name), None)
        return table.name if table else name

    def record(self, outcome: str, reached: int) -> None:
        """The ledger row after a segment: applied after the last, partial (resumable) before."""
        if outcome == APPLIED:
            self.write(outcome, reached, after_rows=self.after_rows())
        else:
            self.write(outcome, reached, partial_checksum=applied_prefix(self.m, reached, self.mg.conn.backend.name))

    def write(self, outcome: str, statements_run: int, **fields: object) -> None:
        self.mg.ledger.write(Entry(
            version=self.m.canonical, version_text=self.m.version, name=self.m.name, checksum=self.m.checksum,
            outcome=outcome, applied_at=now(), duration_ms=int((time.monotonic() - self.started) * 1000),
            statements_run=statements_run, statements_total=self.total, down_sql=self.m.down_sql,
            inverse_sql=self.inverse, before_catalog=self.before, **fields,
        ))

    def failed(self, step: Step | None, exc: DatabaseError) -> Failure:
        """Record the failure after the rollback; statements committed before it (outside a
        transaction) make it `partial`."""
        statement = step.statement if step is not None else None
        with self.mg.conn.transaction():
            self.write(PARTIAL if self.committed else FAILED, self.committed,
                       partial_checksum=applied_prefix(self.m, self.committed, self.mg.conn.backend.name)
                       if self.committed else None,
                       failed_statement=statement.index if statement else None,
                       failed_sql=statement.sql if statement else None, error=str(exc))
        return Failure(self.m.version, str(exc), statement.index if statement else None,
                       statement.sql if statement else None)
