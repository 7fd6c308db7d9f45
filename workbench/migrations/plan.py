"""Plans: what `up` and `down` will do, as a list of steps shown before anything runs.

A plan is built from the migration files, the ledger, the backup catalog and a catalog read of
the database, without writing anything; the engine then runs exactly these steps. For `up`, a
migration's plan is: the tables to back up (those its statements can lose, traced back to their
names before the migration), each statement with its class and lint findings, the ledger write.
For `down`, it is the way back — the down script, the inverse of a purely additive migration,
or a repair to the schema recorded before it with rows from its backups — or a refusal naming
why there is none, with a warning for rows written since the apply that would be lost.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable, Iterable, Iterator, Sequence

from workbench.db.base import Connection
from workbench.db.catalog import Catalog, Table
from workbench.migrations import reconcile
from workbench.migrations.analysis import StatementInfo, Statements, analyse
from workbench.migrations.backups import Backup
from workbench.migrations.discovery import Migration, checksum
from workbench.migrations.impact import Impact, TableKey, assess, find_table, table_key
from workbench.migrations.ledger import PARTIAL, Entry
from workbench.db import split_statements
from workbench.migrations.lint import Finding, lint
from workbench.migrations.reports import named
from workbench.migrations.steps import Step

_CASCADING = ("CASCADE", "SET NULL", "SET DEFAULT")
# The ways back from a migration, as the plan words them when one stands in for another.
WAYS = {
    "down script": "run its down script",
    "inverse": "undo it with its inverse",
    "restore": "repair to the recorded schema with its backups",
}


@dataclass(frozen=True)
class MigrationPlan:
    """The plan for one migration in one direction.

    `method` — up: transaction | partly outside a transaction | no transaction;
    down: down script | inverse | restore | refused. The fields after `refusal` are what the
    engine needs to run the plan and are not part of its JSON.
    """

    version: str
    name: str
    direction: str
    method: str
    steps: tuple[Step, ...]
    warnings: tuple[str, ...] = ()
    refusal: str | None = None
    statements: Sequence[StatementInfo] = field(default=(), repr=False)
    impact: Impact | None = field(default=None, repr=False)
    backup_tables: tuple[Table, ...] = field(default=(), repr=False)
    fallback: str | None = None  # down: what runs if the first way back fails
    ways: tuple[str, ...] = field(default=(), repr=False)  # down: the ways back, in the order tried

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for s in self.steps for f in s.findings)

    @property
    def named_warnings(self) -> tuple[str, ...]:
        """The warnings as people read them: each names this migration (see `reports.named`)."""
        return named(self.version, self.warnings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "name": self.name,
            "direction": self.direction,
            "method": self.method,
            "refusal": self.refusal,
            "fallback": self.fallback,
            "warnings": list(self.warnings),
            "steps": [s.to_dict() for s in self.steps],
        }

    def lines(self) -> list[str]:
        """The plan for people, one line per step, findings indented under their statement."""
        head = f"{self.direction} {self.version} {self.name}".rstrip() + f"  [{self.method}]"
        out = [head]
        if self.refusal:
            out.append(f"  refused: {self.refusal}")
        out += [f"  ! {w}" for w in self.named_warnings]
        for step in self.steps:
            out.append(f"  {step.action:<9} {step.text}")
            out += [f"            ! {f.message}" for f in step.findings]
        if self.fallback:
            out.append(f"  if the {self.method} fails: {self.fallback}")
        return out


@dataclass(frozen=True)
class Plan:
    direction: str
    migrations: tuple[MigrationPlan, ...]
    notes: tuple[str, ...] = ()

    @property
    def refused(self) -> list[MigrationPlan]:
        return [m for m in self.migrations if m.refusal]

    @property
    def destructive(self) -> bool:
        """Whether running it can lose data (a protected target then asks for the typed name)."""
        return (
            self.direction == "down"
            and bool(self.migrations)
            or any(s.statement is not None and s.statement.loses_data for m in self.migrations for s in m.steps)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "direction": self.direction,
            "notes": list(self.notes),
            "migrations": [m.to_dict() for m in self.migrations],
        }

    def lines(self) -> list[str]:
        if not self.migrations:
            return ["nothing to do"]
        return [*(f"note: {n}" for n in self.notes), *(line for m in self.migrations for line in m.lines())]


# -- up -------------------------------------------------------------------------------------


def server_major(catalog: Catalog | None) -> int | None:
    """The server's major version from the catalog ("15.20 (Debian…)" → 15), when known."""
    if catalog is None or not catalog.server_version[:1].isdigit():
        return None
    return int(catalog.server_version.split(".")[0].split()[0])


def needs_catalog(statements: Statements, default_schema: str) -> bool:
    """Whether planning needs a catalog read: anything beyond plain additive statements does, and
    so does a statement whose writes the database is asked about (what it reports is backed up
    with its recorded definition, and the schema before the migration is kept for the rollback)."""
    heads = statements.heads()
    impact = assess(heads, default_schema)
    return not impact.additive or impact.guarded or any(st.needs_witness for st in heads)


def plan_up_one(
    m: Migration,
    conn: Connection,
    catalog: Catalog | None,
    existing: Iterable[TableKey] | None = None,
    resume_after: int = 0,
) -> MigrationPlan:
    """The up plan of `m` against `catalog` (the database now, without workbench objects).

    `existing` overrides the catalog's tables (planning several migrations ahead); `resume_after`
    skips statements a partial earlier run left applied.
    """
    default = conn.default_schema
    statements = analyse(m.up_sql, conn.backend.name)
    known = existing if existing is not None else ({t.key for t in catalog.tables} if catalog else None)
    heads = statements.heads()  # a run of rows is read once: its statements all do what its first does
    impact = assess(heads, default, known)
    findings = lint(heads, impact, default, catalog)
    by_statement: dict[int, list[Finding]] = {}
    for f in findings:
        by_statement.setdefault(f.statement, []).append(f)
    stake = [] if catalog is None or resume_after else tables_at_stake(impact, catalog, default)
    if existing is not None and catalog is not None and not resume_after:
        # tables an earlier migration of the same run makes: named now, copied when it is their turn
        found = {t.key for t, _ in stake}
        stake += [
            (
                Table(k[0], k[1]),
                f"statement {a.statement} {a.reason.replace('_', ' ')} (made by an earlier migration of this run)",
            )
            for a in impact.at_stake
            if (k := table_key(a.table, default)) not in found and find_table(catalog, a.table, default) is None
        ]
    major = server_major(catalog)
    steps: list[Step] = [
        Step(
            "backup",
            f"back up {t.qualified_name}" + (f" (~{t.row_estimate:,} rows)" if t.row_estimate else "") + f": {why}",
            table=t.qualified_name,
            rows=t.row_estimate,
        )
        for t, why in stake
    ]
    transactional = []
    total = len(statements)
    through = 0  # the last statement the last step stands for, when it stands for a run of them
    for st, count in _pieces(statements, resume_after):
        in_tx = (
            m.transactional
            and st.transactional
            and not (st.needs_pg12_for_transaction and major is not None and major < 12)
        )
        transactional.append(in_tx)
        last = steps[-1] if steps else None
        if (
            last is not None
            and last.action == "statement"
            and last.statement is not None
            and st.effects
            and st.effects is last.statement.effects
            and not last.findings
            and in_tx == last.transactional
            and st.index > resume_after
            and st.index not in by_statement
        ):
            through = st.index + count - 1  # the same change again (a seed's rows): one step, not one each
            continue
        if through:
            steps[-1] = _grouped(steps[-1], statements, through)
            through = 0
        summary = st.summary
        if st.index <= resume_after:
            steps.append(Step("skip", f"{st.index}/{total} already applied: {summary}", statement=st))
        elif st.kind == "transaction":
            steps.append(
                Step("skip", f"{st.index}/{total} {summary} (the workbench runs its own transaction)", statement=st)
            )
        else:
            steps.append(
                Step(
                    "statement",
                    f"{st.index}/{total} {st.kind:<6} {summary}",
                    statement=st,
                    findings=tuple(by_statement.get(st.index, ())),
                    transactional=in_tx,
                )
            )
            if count > 1:
                through = st.index + count - 1
    if through:
        steps[-1] = _grouped(steps[-1], statements, through)
    keeps = ("its inverse" if impact.additive else "the schema before it") + (" and down script" if m.down_sql else "")
    steps.append(
        Step(
            "ledger",
            f"record {m.version} as applied, with {keeps}"
            + (f" and {len(stake)} backup{'s' * (len(stake) != 1)}" if stake else ""),
        )
    )
    method = (
        "transaction"
        if all(transactional)
        else "no transaction"
        if not any(transactional)
        else "partly outside a transaction"
    )
    warnings = (
        [f"resumes after statement {resume_after}: statements before it ran outside a transaction and stayed"]
        if resume_after
        else []
    )
    return MigrationPlan(
        m.version,
        m.name,
        "up",
        method,
        tuple(steps),
        tuple(warnings),
        statements=statements,
        impact=impact,
        backup_tables=tuple(t for t, _ in stake),
    )


def plan_up(
    pending: Sequence[Migration],
    conn: Connection,
    catalog: Catalog | None,
    notes: Sequence[str] = (),
    entries: dict[str, Entry] | None = None,
) -> Plan:
    """Plans for several migrations in order; tables made or dropped by earlier ones count."""
    existing = {t.key for t in catalog.tables} if catalog else None
    plans = []
    for m in pending:
        resume = resume_point(m, (entries or {}).get(m.canonical), conn.backend.name)
        plan = plan_up_one(m, conn, catalog, existing, resume)
        plans.append(plan)
        if existing is not None and plan.impact is not None:
            existing = (existing - plan.impact.removed_tables) | plan.impact.created_tables
    return Plan("up", tuple(plans), tuple(notes))


def _pieces(statements: Statements, resume_after: int) -> Iterator[tuple[StatementInfo, int]]:
    """The statements as pieces (see `Statements.pieces`); a run that a partial earlier run
    reached into is read statement by statement, as its first part is skipped."""
    for st, count in statements.pieces():
        if count > 1 and st.index <= resume_after:
            yield from ((s, 1) for s in statements.between(st.index - 1, st.index - 1 + count))
        else:
            yield st, count


def _grouped(step: Step, statements: Statements, through: int) -> Step:
    """`step` standing for itself and the statements after it, to `through`, that do the same."""
    first = step.statement
    assert first is not None
    count = through - first.index + 1
    text = f"{first.index}–{through}/{len(statements)} {first.kind:<6} {count:,} × {first.summary}"
    return dataclasses.replace(step, text=text, run=statements.span(first.index, through))


def resume_point(m: Migration, previous: Entry | None, dialect: str) -> int:
    """How many statements of `m` a partial earlier run left applied, when they are unchanged."""
    if previous is None or previous.outcome != PARTIAL or not previous.statements_run:
        return 0
    same = previous.partial_checksum == applied_prefix(m, previous.statements_run, dialect)
    return previous.statements_run if same else 0


def applied_prefix(m: Migration, count: int, dialect: str) -> str:
    """Checksum of the first `count` statements of `m`'s up script, as backend `dialect` cuts it."""
    return checksum("\n".join(s.sql for s in split_statements(m.up_sql, dialect)[:count]))


def tables_at_stake(impact: Impact, catalog: Catalog, default_schema: str) -> list[tuple[Table, str]]:
    """Catalog tables to back up, each with the reason, in a stable order.

    Besides the tables statements name: every table an opaque statement mentions, every table of
    a dropped schema, and tables whose rows follow a deleted one (ON DELETE CASCADE / SET NULL).
    """
    found: dict[TableKey, tuple[Table, str]] = {}
    for a in impact.at_stake:
        t = find_table(catalog, a.table, default_schema)
        if t is not None:
            found.setdefault(t.key, (t, f"statement {a.statement} {a.reason.replace('_', ' ')}"))
    for t in catalog.tables:
        if impact.mentions and t.name.lower() in impact.mentions:
            found.setdefault(t.key, (t, f"named by statement {impact.opaque_statements[0]}, which cannot be analysed"))
        if t.schema in impact.dropped_schemas:
            found.setdefault(t.key, (t, f"its schema {t.schema} is dropped"))
    for table, _ in list(found.values()):
        for part in _partitions(catalog, table):
            found.setdefault(part.key, (part, f"a partition of {table.qualified_name}, whose rows it holds"))
    queue = list(found)
    while queue:
        parent = queue.pop()
        for child, fk in catalog.referencing(found[parent][0]):
            if child.key not in found and (fk.on_delete in _CASCADING or fk.on_update in _CASCADING):
                found[child.key] = (child, f"its rows follow {parent[0]}.{parent[1]} (ON DELETE {fk.on_delete})")
                queue.append(child.key)
    return sorted(found.values(), key=lambda pair: pair[0].key)


def _partitions(catalog: Catalog, table: Table) -> list[Table]:
    """The partitions of a partitioned table, their own partitions included: its rows live there."""
    if not table.partition_key:
        return []
    direct = [t for t in catalog.tables if t.partition_of == table.qualified_name]
    return direct + [p for t in direct for p in _partitions(catalog, t)]


def _summary(sql: str, width: int = 90) -> str:
    text = " ".join(sql.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# -- down -----------------------------------------------------------------------------------


def plan_down_one(
    entry: Entry,
    migration: Migration | None,
    backups: Sequence[Backup],
    conn: Connection,
    now: Catalog | None,
    count_rows: Callable[[str], int | None],
) -> MigrationPlan:
    """The way back from `entry` (an applied migration), or a refusal naming why there is none.

    `now` is the catalog (without workbench objects) the rollback starts from; `count_rows`
    counts a table's rows ("schema.name"), or None when it is not there.
    """
    down_sql, warnings = _down_script(entry, migration)
    statements: Sequence[StatementInfo] = analyse(down_sql, conn.backend.name) if down_sql else ()
    runnable = [s for s in statements if s.kind != "transaction"]
    before = before_catalog(entry)
    mine = [b for b in backups if b.migration == entry.version and b.purpose == "before migration"]
    ways = [
        w
        for w, available in (
            ("down script", bool(runnable)),
            ("inverse", entry.inverse_sql is not None),
            ("restore", before is not None),
        )
        if available
    ]
    steps: list[Step] = []
    refusal = None
    method = ways[0] if ways else "refused"
    if method == "down script":
        steps += [
            Step("statement", f"{s.index}/{len(statements)} {s.kind:<6} {s.summary}", statement=s) for s in runnable
        ]
    elif method == "inverse":
        steps += [
            Step("drop", _summary(s.sql), (s.sql,))
            for s in split_statements(entry.inverse_sql or "", conn.backend.name)
        ]
    elif method == "restore" and now is not None and before is not None:
        fix = reconcile.repair(before, now, {(b.source_schema, b.source_table): b for b in mine}, conn)
        steps += fix.steps
        problems = [*fix.problems, *_rows_without_backup(entry, before, mine)]
        if problems:
            refusal = "; ".join(problems)
    if before is not None:
        steps.append(
            Step(
                "verify",
                f"compare with the schema recorded before {entry.version_text}"
                + ("; repair what differs" if method != "restore" else "")
                + (" and restore rows from backups" if mine and method != "restore" else ""),
            )
        )
        if method != "restore":
            steps += [
                Step(
                    "restore",
                    f"rows of {b.source} from backup #{b.id} ({b.row_count:,} rows)",
                    table=b.source,
                    rows=b.row_count,
                )
                for b in mine
            ]
    if not ways:
        refusal = (
            f"{entry.version_text} has no down script, is not purely additive, and the workbench kept no "
            "record of the schema before it"
        )
    if down_sql is not None and not runnable and ways:
        warnings.append("its down script is empty, so the workbench undoes it itself")
    warnings += _rows_written_since(entry, steps, count_rows)
    steps.append(Step("ledger", f"record {entry.version_text} as rolled back"))
    fallback = ", then ".join(WAYS[w] for w in ways[1:]) or None
    return MigrationPlan(
        entry.version_text,
        entry.name,
        "down",
        "refused" if refusal else method,
        tuple(steps),
        tuple(warnings),
        refusal,
        statements=statements,
        fallback=fallback,
        ways=tuple(ways),
    )


def _rows_without_backup(entry: Entry, before: Catalog, backups: Sequence[Backup]) -> list[str]:
    """Tables whose rows the apply put at stake (they were there before it and it counted them
    after) with no backup left to bring those rows back — purged with --force: restoring the
    schema alone would say "rolled back" over rows that stay changed."""
    kept = {b.source.casefold() for b in backups}
    out = []
    for name in sorted(entry.after_rows):
        schema, _, table = name.partition(".")
        if before.table(table, schema) is not None and name.casefold() not in kept:
            out.append(f"the rows {entry.version_text} changed in {name} cannot come back: its backup is gone")
    return out


def before_catalog(entry: Entry) -> Catalog | None:
    return Catalog.from_dict(json.loads(entry.before_catalog)) if entry.before_catalog else None


def _down_script(entry: Entry, migration: Migration | None) -> tuple[str | None, list[str]]:
    """The file's down script when there is one (a fix made after the apply counts), else the
    one recorded at apply time."""
    if migration is not None and migration.down_sql is not None:
        changed = entry.down_sql is not None and entry.down_sql != migration.down_sql
        return migration.down_sql, [
            "the down script changed since the apply; the file's version runs"
        ] if changed else []
    if entry.down_sql is not None:
        return entry.down_sql, ["the down script file is gone; the copy recorded at apply time runs"]
    return None, []


def _rows_written_since(entry: Entry, steps: Sequence[Step], count_rows: Callable[[str], int | None]) -> list[str]:
    out = []
    for table, after in sorted(entry.after_rows.items()):
        rows = count_rows(table)
        if rows is not None and rows != after:
            out.append(
                f"{table} holds {rows:,} rows, {after:,} just after {entry.version_text} was applied: "
                "rows written since are lost"
            )
    for step in steps:
        if step.action == "drop" and step.table and step.table not in entry.after_rows:
            rows = count_rows(step.table)
            if rows:
                out.append(f"dropping {step.table} loses the {rows:,} rows it holds")
    return out
