"""Applying one migration: backups, statements and the ledger row in one transaction.

The success row is written inside the migration's transaction, so the change and the record of
it commit together; a crash at any moment leaves both before or both after. A failing statement
rolls the whole migration back, and the failure (which statement, the error) is recorded after
that, in a transaction of its own. Statements that cannot run in a transaction (`CREATE INDEX
CONCURRENTLY`, dbmate's `transaction:false`) split the migration into segments, each committed
with a `partial` ledger row, so the ledger stays true; a later run resumes after them.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from workbench.db.base import DatabaseError
from workbench.db.base import TableKey
from workbench.db.catalog import Catalog, Table
from workbench.migrations.backups import SUPERSEDED, Backup
from workbench.migrations.capture import Captures, plan_captures
from workbench.migrations.analysis import Effect, StatementInfo, analyse, heads
from workbench.migrations.impact import table_key
from workbench.migrations.ddl import inverse
from workbench.migrations.discovery import Migration
from workbench.migrations.ledger import APPLIED, FAILED, PARTIAL, Entry, now
from workbench.migrations.plan import MigrationPlan, applied_prefix, needs_catalog, plan_up_one, resume_point
from workbench.migrations.progress import Progress
from workbench.migrations.reports import BackupRef, MigrationReport, StatementRun
from workbench.migrations.runner import user_catalog
from workbench.migrations.scratch import may_run
from workbench.migrations.steps import Step

if TYPE_CHECKING:
    from workbench.migrations.engine import Migrator


def apply_one(mg: Migrator, m: Migration, previous: Entry | None, retire: bool = True) -> MigrationReport:
    """Apply `m` (pending, or failed before): the report says what ran and what stayed.
    `retire` False: the caller knows no copies of an earlier apply of `m` are registered."""
    conn = mg.conn
    resume = resume_point(m, previous, conn.backend.name)
    catalog: Catalog | None = None
    if not resume and needs_catalog(analyse(m.up_sql, conn.backend.name), conn.default_schema):
        catalog = user_catalog(conn)
    plan = plan_up_one(m, conn, catalog, resume_after=resume)
    before = previous.before_catalog if resume and previous else _json(catalog)
    mg.foreign.ran(heads(plan.statements))
    return _Run(mg, m, plan, catalog, before, resume, retire).go()


def _json(catalog: Catalog | None) -> str | None:
    return json.dumps(catalog.to_dict(), sort_keys=True) if catalog is not None else None


class _Run:
    """One apply: the plan's statements in segments, backups first, the ledger kept true."""

    def __init__(
        self,
        mg: Migrator,
        m: Migration,
        plan: MigrationPlan,
        catalog: Catalog | None,
        before: str | None,
        resume: int,
        retire: bool,
    ) -> None:
        self.mg, self.m, self.plan, self.catalog, self.before = mg, m, plan, catalog, before
        self.retire = retire and not resume  # a fresh apply: copies left by one that did not stay are not its own
        self.committed = resume  # statements committed so far
        self.total = len(plan.statements)
        self.backed_up: dict[TableKey, Backup] = {}  # by (schema, name) lower-cased
        self.runs: list[StatementRun] = []  # statements that ran, kept or rolled back
        self.backups: list[Backup] = []  # backups that committed
        self.pending: list[StatementRun] = []  # ran in the open transaction: stay only if it commits
        self.pending_backups: list[Backup] = []
        self.current: StatementInfo | None = None  # the statement running now (the one that failed)
        self.plain: dict[tuple[Effect, ...], bool] = {}  # plain_rows, per shared effects
        self.makes_triggers = any(
            st.opaque or any(e.action in ("create_trigger", "create_other", "run") for e in st.effects)
            for st in heads(plan.statements)
        )
        self.notes: list[str] = []  # what the capture could not cover
        self.started = time.monotonic()
        impact = plan.impact
        self.inverse = None  # kept for purely additive migrations: their undo, newest effect first
        if impact is not None and impact.inverse is not None:
            self.inverse = "".join(f"{inverse(mg.conn, e)};\n" for e in reversed(impact.inverse))

    def go(self) -> MigrationReport:
        """Run the segments in order; the report says which statements stayed and which did not."""
        conn = self.mg.conn
        segments = self.segments()
        for number, (in_tx, steps) in enumerate(segments):
            outcome = APPLIED if number == len(segments) - 1 else PARTIAL
            reached = steps[-1].statements[-1].index if steps else self.committed
            self.current = None
            try:
                if in_tx:
                    with conn.transaction(immediate=True):
                        if number == 0:
                            self.take_backups()
                        for step in steps:
                            self.execute(step)
                        self.record(outcome, reached)
                else:
                    if number == 0 and self.plan.backup_tables:
                        with conn.transaction(immediate=True):
                            self.take_backups()
                        self.keep()
                    for step in steps:
                        self.execute(step, autocommit=True)
                    with conn.transaction():
                        self.record(outcome, reached)
            except DatabaseError as exc:
                return self.failed(self.current, exc, in_tx)
            self.keep()
            self.committed = reached
        return self.report(APPLIED, warnings=tuple(self.notes))

    def segments(self) -> list[tuple[bool, list[Step]]]:
        """Consecutive transactional statements together; each other statement alone."""
        out: list[tuple[bool, list[Step]]] = []
        for step in self.plan.steps:
            if step.action != "statement" or step.statement is None:
                continue
            if step.transactional and out and out[-1][0]:
                out[-1][1].append(step)
            else:
                out.append((step.transactional, [step]))
        return out or [(True, [])]

    def take_backups(self) -> None:
        if self.retire:
            self.mg.keeper.retire(self.m.canonical, SUPERSEDED)
        self.back_up(self.plan.backup_tables, "backed up")

    def back_up(self, tables: Sequence[Table], verb: str) -> None:
        self.notes += Captures(self.mg.conn, self.mg.store).hand_over(tables)
        for i, table in enumerate(tables, 1):
            backup = self.mg.keeper.take(table, self.m.canonical)
            self.backed_up[_folded(table.key)] = backup
            self.pending_backups.append(backup)
            self.mg.progress(
                Progress(
                    "backup",
                    self.m.version,
                    i,
                    len(tables),
                    backup.row_count,
                    table.qualified_name,
                    f"{verb} {table.qualified_name}",
                )
            )

    def execute(self, step: Step, autocommit: bool = False) -> None:
        """Run the step's statements; outside a transaction each stays the moment it has run."""
        for statement in step.statements:
            self.current = statement
            if not may_run(self.mg, self.m.version, "up", statement.index, statement.sql):
                continue  # a replay on a scratch copy leaves it out, and records it (see scratch.py)
            if step.transactional and statement.needs_witness and not self.plain_rows(statement):
                rows = self.mg.conn.execute_watched(statement.sql, self.covered, self.protect)
            else:
                rows = self.mg.conn.execute(statement.sql)
            counted = rows if rows >= 0 and statement.kind == "data" else None
            self.pending.append(StatementRun(statement.index, statement.summary, False, counted))
            if autocommit:
                self.keep()
            self.mg.progress(Progress("statement", self.m.version, statement.index, self.total, text=step.text))

    def plain_rows(self, statement: StatementInfo) -> bool:
        """Whether the statement only puts literal rows into a table nothing else hears about: no
        trigger on it before the migration, none made by it, and the table is a real one (a view
        could have rules). Such a statement needs no witness: what it writes is what it names."""
        effects = statement.effects
        if effects in self.plain:
            return self.plain[effects]
        impact = self.plan.impact
        plain = (
            impact is not None
            and not self.makes_triggers
            and all(
                e.action == "insert"
                and e.has("values")
                and e.table is not None
                and (
                    (t := self.table_before(table_key(e.table, self.mg.conn.default_schema))) is not None
                    and not t.triggers
                    or table_key(e.table, self.mg.conn.default_schema) in impact.created_tables
                )
                for e in effects
            )
        )
        self.plain[effects] = plain
        return plain

    def keep(self) -> None:
        """What ran since the last commit has committed: it stays."""
        self.runs += [dataclasses.replace(r, kept=True) for r in self.pending]
        self.backups += self.pending_backups
        self.pending, self.pending_backups = [], []

    def covered(self, key: TableKey) -> bool:
        """A table is covered when it is backed up already, or this migration made it."""
        return _folded(key) in self.backed_up or self.table_before(key) is None

    def protect(self, keys: frozenset[TableKey]) -> None:
        """Back up the tables the database says the next statement changes, which the plan could
        not see (triggers, functions, cascades): the migration is then undone by restoring them."""
        tables = [t for t in (self.table_before(k) for k in sorted(keys)) if t is not None]
        self.back_up(tables, "the database says the next statement changes it: backed up")
        self.inverse = None  # rows changed: only the backups can undo it

    def table_before(self, key: TableKey) -> Table | None:
        """The table as it was before the migration, from the catalog read when it started."""
        if self.catalog is None:
            self.catalog = user_catalog(self.mg.conn)
        exact = self.catalog.table(key[1], key[0])
        if exact is not None:
            return exact
        return next((t for t in self.catalog.tables if _folded(t.key) == _folded(key)), None)

    def after_rows(self) -> dict[str, int]:
        """Row counts, just after the apply, of every table it put at stake, made or renamed,
        so a rollback can tell how many rows were written since (purely additive ones skip it)."""
        impact = self.plan.impact
        if impact is None or impact.additive:
            return {}
        keys = {(b.source_schema, b.source_table) for b in self.backed_up.values()}
        keys |= impact.created_tables | impact.renamed_tables
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
            self.capture()
        else:
            self.write(outcome, reached, partial_checksum=applied_prefix(self.m, reached, self.mg.conn.backend.name))

    def capture(self) -> None:
        """Start capturing writes to the tables whose old rows a rollback would restore, and to
        the tables a migration that does so made (a table split off), so the rollback can carry
        them over or set them aside (see capture.py)."""
        impact = self.plan.impact
        created = impact.created_tables if impact is not None else frozenset()
        if self.mg.scratch or not self.backed_up:
            return  # purely additive: its inverse drops what it made (the plan counts the rows there)
        captures, notes = plan_captures(
            self.m.canonical,
            heads(self.plan.statements),
            [b.definition for b in self.backed_up.values()],
            created,
            user_catalog(self.mg.conn),
        )
        Captures(self.mg.conn, self.mg.store).install(captures)
        self.notes += notes

    def write(
        self,
        outcome: str,
        statements_run: int,
        *,
        after_rows: dict[str, int] | None = None,
        partial_checksum: str | None = None,
        failed_statement: int | None = None,
        failed_sql: str | None = None,
        error: str | None = None,
    ) -> None:
        self.mg.ledger.write(
            Entry(
                version=self.m.canonical,
                version_text=self.m.version,
                name=self.m.name,
                checksum=self.m.checksum,
                outcome=outcome,
                applied_at=now(),
                duration_ms=int((time.monotonic() - self.started) * 1000),
                statements_run=statements_run,
                statements_total=self.total,
                down_sql=self.m.down_sql,
                inverse_sql=self.inverse,
                before_catalog=self.before,
                after_rows=after_rows or {},
                partial_checksum=partial_checksum,
                failed_statement=failed_statement,
                failed_sql=failed_sql,
                error=error,
            )
        )

    def failed(self, statement: StatementInfo | None, exc: DatabaseError, in_tx: bool) -> MigrationReport:
        """Record the failure after the rollback; statements committed before it (outside a
        transaction) make it `partial`."""
        undone = self.pending if in_tx else []  # rolled back with their transaction
        self.committed = max([self.committed] + [r.index for r in self.runs if r.kept])
        self.runs += [
            dataclasses.replace(r, kept=False) for r in undone if statement is None or r.index != statement.index
        ]
        self.pending, self.pending_backups = [], []
        with self.mg.conn.transaction():
            self.write(
                PARTIAL if self.committed else FAILED,
                self.committed,
                partial_checksum=applied_prefix(self.m, self.committed, self.mg.conn.backend.name)
                if self.committed
                else None,
                failed_statement=statement.index if statement else None,
                failed_sql=statement.sql if statement else None,
                error=str(exc),
            )
        warnings = []
        if statement is not None and not in_tx:
            warnings.append(
                f"statement {statement.index} ran outside a transaction: the database may have kept part "
                "of it (PostgreSQL leaves an INVALID index after a failed CREATE INDEX CONCURRENTLY)"
            )
        return self.report(
            PARTIAL if self.committed else FAILED,
            statement=statement.index if statement else None,
            sql=statement.sql if statement else None,
            error=str(exc),
            warnings=tuple(warnings),
        )

    def report(self, outcome: str, **fields: Any) -> MigrationReport:
        skipped = tuple(s.statement.index for s in self.plan.steps if s.action == "skip" and s.statement is not None)
        return MigrationReport(
            self.m.version,
            self.m.name,
            "up",
            outcome,
            self.plan.method,
            self.total,
            tuple(self.runs),
            skipped,
            backups=tuple(BackupRef.of(b) for b in self.backups),
            duration_ms=int((time.monotonic() - self.started) * 1000),
            **fields,
        )


def _folded(key: TableKey) -> TableKey:
    """A table key as both backends compare unquoted names: without case."""
    return (key[0].lower(), key[1].lower())
