"""Other migration tools' ledgers, read as adopted history and kept in step.

A database that golang-migrate, dbmate, diesel, Flyway, Prisma, drizzle or sqitch has been
migrating already says what ran, in that tool's own table. Each adapter (`foreign_tools.py`) recognises its
tool's table by name and columns, reads its rows into ledger entries (`adopted_from` names the
tool; the apply time and who applied it where the tool kept them; a changed file shows as drift
where the tool kept a checksum; a dirty or failed run as failed, which nothing overwrites), and
writes an apply or a rollback the way that tool would, in the workbench's own transaction, so
that a team can go on using both. sqitch's registry is read but not written: see `Sqitch`.

Only tables that exist are touched: the workbench never creates another tool's ledger.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from workbench.db.base import Connection
from workbench.migrations.discovery import Migration
from workbench.errors import WorkbenchError
from workbench.migrations.foreign_base import DEFAULT, Adapter, ForeignLedgerBlocked, Found
from workbench.migrations.foreign_tools import ADAPTERS, SqitchFile
from workbench.migrations.ledger import APPLIED, FAILED, Entry

if TYPE_CHECKING:
    from workbench.migrations.analysis import StatementInfo

__all__ = ["ForeignLedgerBlocked", "ForeignLedgers", "blocked"]


class ForeignLedgers:
    """Every other tool's ledger found in one database, for the ledger to merge and keep in step."""

    def __init__(self, conn: Connection, migrations: Sequence[Migration]) -> None:
        self.conn = conn
        self.migrations = migrations
        self.by_version = {m.canonical: m for m in migrations}
        self._remembering = False
        self._found: list[Adapter] | None = None  # what present() found, while remembering

    @contextmanager
    def remembered(self) -> Iterator[None]:
        """Ask the database once which ledgers are here, for a run that holds the migrate lock:
        only its own migrations can add or drop one then, and `ran` forgets when one might."""
        self._remembering, self._found = True, None
        try:
            yield
        finally:
            self._remembering, self._found = False, None

    def ran(self, statements: Iterable[StatementInfo]) -> None:
        """A migration runs `statements`: forget what was found if they might make, drop or
        rename another tool's ledger, or move the schema it is looked for in."""
        if self._found is not None and any(_may_touch_ledgers(st) for st in statements):
            self._found = None

    def present(self) -> list[Adapter]:
        """The adapters whose table exists here, found by name and columns in one query
        (once per run inside `remembered`)."""
        if self._found is None:
            found = self._find()
            self._found = found if self._remembering else None
            return found
        return self._found

    def _find(self) -> list[Adapter]:
        tables: dict[tuple[str, str], set[str]] = {}
        for schema, table, column in _columns(self.conn, {a.table for a in ADAPTERS}):
            tables.setdefault((schema, table), set()).add(column.lower())
        out: list[Adapter] = []
        for adapter in ADAPTERS:
            for schema in adapter.schemas_on(self.conn):
                where = (schema, adapter.table)
                taken = any((a.found_in, a.table) == where for a in out)  # golang-migrate's table before dbmate's
                if not taken and adapter.columns <= tables.get(where, set()):
                    out.append(adapter(self.conn, schema, self.migrations))
                    break
        if not self.conn.capabilities.schemas and SqitchFile.registry(self.conn) is not None:
            out.append(SqitchFile(self.conn, DEFAULT, self.migrations))
        return out

    def entries(self) -> dict[str, Entry]:
        """What the other tools say ran, as ledger entries by canonical version (where two tools
        disagree, the one that says failed is heard)."""
        out: dict[str, Entry] = {}
        for adapter in self.present():
            for f in _read(adapter):
                if f.applied and f.version in out:
                    continue
                m = self.by_version.get(f.version)
                out[f.version] = Entry(
                    version=f.version,
                    version_text=m.version if m else f.version_text,
                    name=m.name if m else "",
                    checksum=f.their_checksum or (m.checksum if m else ""),
                    outcome=APPLIED if f.applied else FAILED,
                    applied_at=f.applied_at,
                    error=None if f.applied else f"{f.note} ({adapter.name})",
                    down_sql=m.down_sql if m else None,
                    adopted_from=adapter.tool,
                    applied_by=f.applied_by,
                )
        return out

    def record_applied(self, entry: Entry) -> None:
        """Write `entry`'s apply into every ledger the workbench keeps in step (same transaction)."""
        for adapter, m in self._kept_for(entry):
            adapter.applied(m, entry.duration_ms)

    def record_partial(self, entry: Entry) -> None:
        """A run that left part of itself applied, in the ledgers that can say so (golang-migrate's dirty flag)."""
        for adapter, m in self._kept_for(entry):
            adapter.partial(m)

    def record_rolled_back(self, entry: Entry) -> None:
        for adapter, m in self._kept_for(entry):
            adapter.rolled_back(m)

    def _kept_for(self, entry: Entry) -> Iterator[tuple[Adapter, Migration]]:
        """The ledgers kept in step that know of `entry`'s kind of migration, with its file."""
        m = self.by_version.get(entry.version)
        if m is None:
            return
        for adapter in self.present():
            if adapter.not_kept is None and (adapter.repeatables or not m.repeatable):
                yield adapter, m

    def notes(self) -> list[str]:
        """What a plan says before anything runs: which other ledgers are kept in step, which not and why."""
        out = []
        for adapter in self.present():
            if adapter.not_kept is None:
                out.append(f"{adapter.tool}'s ledger ({adapter.name}) is kept in step with every apply and rollback")
            else:
                out.append(f"{adapter.tool}'s ledger ({adapter.name}) will not be kept in step: {adapter.not_kept}")
        return out


def _read(adapter: Adapter) -> list[Found]:
    """The adapter's rows; a row no version can be read from is an error naming the table."""
    try:
        return adapter.read()
    except (ValueError, TypeError) as exc:
        raise ForeignLedgerUnreadable(
            f"{adapter.tool}'s ledger ({adapter.name}) holds a row the workbench cannot read ({exc}); nothing was run"
        ) from None


class ForeignLedgerUnreadable(WorkbenchError):
    """Another tool's ledger holds what that tool would not write: the workbench will not guess."""


def blocked(entries: Iterable[Entry]) -> None:
    """Raise when another tool marks a run dirty or failed: applying over it would hide that."""
    stuck = [e for e in entries if e.adopted_from and e.outcome == FAILED]
    if stuck:
        e = stuck[0]
        raise ForeignLedgerBlocked(
            f"{e.adopted_from} marks {e.version_text} {e.error}; the workbench applies nothing over it"
        )


# Effects that cannot bring another tool's ledger into being or take it away, unless they name it.
_LEAVES_LEDGERS = frozenset(
    {"create_table", "create_index", "create_view", "create_type", "create_sequence", "add_column"}
    | {"add_constraint", "alter_column", "comment", "insert", "update", "delete"}
)
_LEDGER_TABLES = frozenset(a.table.lower() for a in ADAPTERS)


def _may_touch_ledgers(statement: StatementInfo) -> bool:
    return statement.opaque or any(
        e.action not in _LEAVES_LEDGERS or (e.table is not None and e.table.name.lower() in _LEDGER_TABLES)
        for e in statement.effects
    )


def _columns(conn: Connection, tables: set[str]) -> list[tuple[str, str, str]]:
    """(schema, table, column) of every table named in `tables`: schema "" for the
    current schema (SQLite's main database), else its name."""
    names = sorted(tables)
    marks = ", ".join([conn.placeholder] * len(names))
    if conn.capabilities.schemas:
        sql = (  # pg_catalog, not information_schema: this runs on every read of the ledger
            "SELECT CASE WHEN n.nspname = current_schema() THEN '' ELSE n.nspname END, c.relname, a.attname "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
            f"WHERE c.relkind IN ('r', 'p') AND c.relname IN ({marks}) "
            "AND (n.nspname = current_schema() OR n.nspname IN ('drizzle', 'sqitch'))"
        )
    else:
        sql = (
            "SELECT '', m.name, p.name FROM sqlite_master AS m, pragma_table_info(m.name) AS p "
            f"WHERE m.type = 'table' AND m.name IN ({marks})"
        )
    return [(str(s), str(t), str(c)) for s, t, c in conn.query(sql, names).rows]
