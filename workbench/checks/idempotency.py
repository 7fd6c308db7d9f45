"""The idempotency built-in: a migration run twice must neither fail nor change anything the second time.

Seed `002_…` claims "all migrations tested for idempotency"; this makes the claim checkable.
The migration's up SQL (its statements as the migrations engine reads them, less the file's own
BEGIN/COMMIT) runs twice inside one transaction that is always rolled back, so the database is
left exactly as it was, whatever the migration does; when the ledger says the migration is
applied already, the database is in the state after a first run, so it runs once more only.
A first run that fails (say a pending migration needs an earlier pending one) leaves nothing to
judge: the check errors with that message. Otherwise the check fails when the run after it
raises, when the catalog after it differs from the catalog before it, or when the content of
any user table differs (`Connection.table_checksum` of every table before and after, in the same
transaction: a migration that inserts a duplicate row each time is not idempotent); the rows of
its result name each difference. The checksums read every table twice: the price of the claim.

Migrations that must run outside a transaction (dbmate's `transaction:false`, or a statement
such as CREATE INDEX CONCURRENTLY) are skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from workbench.checks.checkfile import Check, builtin_origin
from workbench.checks.expectations import parse_expectation
from workbench.checks.runner import RunContext
from workbench.db.base import Connection, DatabaseError, Result, rolled_back
from workbench.db.catalog import Catalog, is_workbench_object
from workbench.db.catalog_diff import diff
from workbench.errors import ConfigError
from workbench.migrations.discovery import Migration, canonical_version
from workbench.migrations.foreign_ledgers import ForeignLedgers
from workbench.migrations.ledger import APPLIED, Ledger
from workbench.migrations.analysis import StatementInfo, analyse


@dataclass(frozen=True)
class IdempotencyCheck(Check):
    """Runs `migration` twice in a rolled-back transaction; rows name what the second run did."""

    migration: Migration | None = field(default=None, compare=False)

    writes = True

    def statements(self, backend: str) -> list[StatementInfo]:
        """The statements to run on `backend`, as the migrations engine reads them, less the
        file's own transaction control (the check runs its own transaction, as `migrate up` does)."""
        assert self.migration is not None
        return [st for st in analyse(self.migration.up_sql, backend) if st.kind != "transaction"]

    def skip_reason(self, backend: str) -> str | None:
        outside = next((st for st in self.statements(backend) if not st.transactional), None)
        if outside is not None:
            return f"statement {outside.index} (line {outside.line}) must run outside a transaction, so it cannot be tried in one"
        if self.migration is not None and not self.migration.transactional:
            return "the migration runs outside a transaction, so it cannot be tried in one"
        return super().skip_reason(backend)

    def fetch(self, context: RunContext) -> Result:
        assert self.migration is not None
        conn = context.conn
        # read before the transaction; another tool's ledger counts too (what it applied is applied)
        ledger = Ledger(conn, foreign=ForeignLedgers(conn, [self.migration]))
        entry = ledger.entries().get(self.migration.canonical)
        applied = entry is not None and entry.outcome == APPLIED
        problems: list[tuple[str]] = []
        with rolled_back(conn):
            if not applied:
                _apply(conn, self.statements(conn.backend.name), "the first run")
            before = conn.introspect().without(is_workbench_object)
            sums = _checksums(conn, before)
            try:
                _apply(conn, self.statements(conn.backend.name), "running it again" if applied else "the second run")
            except DatabaseError as exc:
                problems.append((str(exc),))
            else:
                after = conn.introspect().without(is_workbench_object)
                problems += [(line,) for line in diff(before, after).describe()]
                problems += [(line,) for line in _changed_rows(conn, sums, after)]
        return Result(("second run",), problems)


def _checksums(conn: Connection, catalog: Catalog) -> dict[tuple[str, str], str]:
    return {(t.schema, t.name): conn.table_checksum(t.schema, t.name) for t in catalog.tables}


def _changed_rows(conn: Connection, before: dict[tuple[str, str], str], after: Catalog) -> list[str]:
    """One line per table that is in both catalogs and whose content the run changed."""
    lines = []
    for table in after.tables:
        key = (table.schema, table.name)
        if key in before and conn.table_checksum(*key) != before[key]:
            lines.append(f"the rows of {table.schema}.{table.name} changed ({conn.row_count(*key):,} rows now)")
    return lines


def _apply(conn: Connection, statements: Sequence[StatementInfo], run: str) -> None:
    for statement in statements:
        try:
            conn.execute(statement.sql)
        except DatabaseError as exc:
            where = f"statement {statement.index} (line {statement.line})"
            raise DatabaseError(f"{run} failed at {where}: {exc}", exc.sqlstate) from None


def idempotency_checks(migrations: Sequence[Migration], wanted: Sequence[str]) -> list[Check]:
    """One check per migration named in `wanted` (versions or labels; `all` for every one)."""
    if not wanted:
        return []
    everything = "all" in wanted
    chosen = [m for m in migrations if everything or _named(m, wanted)]
    missing = [] if everything else [w for w in wanted if not any(_named(m, [w]) for m in migrations)]
    if missing:
        raise ConfigError(f"builtins.toml: idempotent names migrations that do not exist: {', '.join(missing)}")
    return [
        IdempotencyCheck(
            name=f"{m.label} is idempotent",
            sql=m.up_sql,
            **builtin_origin("idempotency"),
            expectation=parse_expectation("no rows"),
            description=(
                "runs the migration twice (once more if it is applied) in a transaction that is rolled back; "
                "the last run must neither fail nor change anything"
            ),
            migration=m,
        )
        for m in chosen
    ]


def _named(migration: Migration, wanted: Sequence[str]) -> bool:
    names = {migration.label, migration.version, migration.canonical}
    return any(w in names or (w.isdigit() and canonical_version(w) == migration.canonical) for w in wanted)
