"""Findings about statements that are risky to run, at squawk's and eugene's level, with locks.

On PostgreSQL every statement is read by PostgreSQL's own parser (`workbench.db.pg_locks`): the
lock it takes on each table and what that lock blocks, whether it rewrites or scans the table,
whether it can lose data. The rules below turn that into findings, each with a severity (info,
warning, danger), the lock's blast radius in words and the safe alternative. SQLite statements are
read by `analysis` (SQLite's ALTER TABLE is small enough for its reader): rebuilds, foreign-key
checks turned off, what its ALTER TABLE cannot do.

Tables made by the same migration are new and empty: locks on them are not a danger, and a
SQLite rebuild that copies the rows into a new table before dropping the old one loses nothing.
With a catalog (a database target) each finding on a table carries its live rows and is ranked by
them; a rewrite of an empty table is only info. A statement preceded by
`-- workbench: allow <rule> <reason>` keeps its finding, marked accepted, and fails no build.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from workbench.db.catalog import Catalog, Table
from workbench.migrations.analysis import Effect, Name, StatementInfo
from workbench.migrations.impact import Impact, table_key

SEVERITIES = ("info", "warning", "danger")


@dataclass(frozen=True)
class Finding:
    code: str  # stable, e.g. "drop-column"; documented in `CODES`
    statement: int
    line: int
    message: str
    severity: str = "warning"
    table: str | None = None
    lock: str | None = None  # the lock mode the statement takes on `table`
    rows: int | None = None  # the table's live rows, with a database target
    allowed: str | None = None  # the reason of a `-- workbench: allow` comment

    @property
    def rank(self) -> tuple[int, int]:
        """Riskier first when sorted: severity, then the rows it touches (accepted ones last)."""
        level = -1 if self.allowed is not None else SEVERITIES.index(self.severity)
        return (-level, -(self.rows or 0))

    @property
    def text(self) -> str:
        """The finding as the plan, the Migrations screen and the command line show it."""
        accepted = f" (accepted: {self.allowed})" if self.allowed is not None else ""
        return f"{self.severity}: {self.message}{accepted}"

    def reaches(self, severity: str) -> bool:
        """Whether this finding fails a build run with `--fail-on severity`."""
        return self.allowed is None and SEVERITIES.index(self.severity) >= SEVERITIES.index(severity)

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "code": self.code,
            "severity": self.severity,
            "statement": self.statement,
            "line": self.line,
            "message": self.message,
        }
        for key in ("table", "lock", "rows", "allowed"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


CODES = {
    "drop-table": "drops a table and every row in it",
    "drop-column": "drops a column and its data",
    "type-change": "changes a column's type so that the table is rewritten under an exclusive lock",
    "not-null-without-default": "adds NOT NULL without a default: fails when the table has rows",
    "set-not-null": "sets NOT NULL: scans the table under an exclusive lock (fails on a NULL)",
    "rename": "renames a table or column: code using the old name breaks (no data is lost)",
    "unconditioned-write": "DELETE or UPDATE without WHERE touches every row",
    "truncate": "removes every row",
    "heavy-lock": "blocks other sessions while it runs",
    "index-not-concurrent": "builds, drops or rebuilds an index while blocking writes",
    "concurrently-in-transaction": "CONCURRENTLY cannot run inside a transaction block",
    "constraint-not-valid": "adds a foreign key or CHECK that scans the table under a blocking lock",
    "validate-same-transaction": "validates a constraint in the transaction that added it NOT VALID",
    "unique-without-index": "adds UNIQUE or PRIMARY KEY by building its index under an exclusive lock",
    "rewrite-default": "adds a column whose default or generation rewrites the table",
    "lock-timeout": "takes a blocking lock without lock_timeout: every later query queues behind it",
    "long-exclusive-lock": "more work runs while an ACCESS EXCLUSIVE lock is held",
    "enum-value-rename": "renames an enum value: code and stored data that use the old value break",
    "enum-value-add": "adds an enum value that the same transaction cannot use yet",
    "rebuild": "drops a table whose rows were copied into its replacement: nothing is lost, writers wait",
    "sqlite-foreign-keys-off": "turns SQLite's foreign-key checks off",
    "sqlite-alter": "asks SQLite's ALTER TABLE for something it cannot do",
    "outside-transaction": "cannot run inside a transaction: if a later statement fails it stays applied",
    "transaction-control": "the file's own BEGIN/COMMIT are replaced by the workbench's transaction",
    "unreadable": "PostgreSQL's parser cannot read the statement: it fails when it runs",
    "opaque": "cannot be analysed: every table it mentions is backed up and a down script is needed",
    "runs-code": "runs code (a function, a procedure) that may write to any table",
    "cascade": "CASCADE also removes what depends on the object, in tables the statement does not name",
}

_SOURCES = re.compile(r'\bFROM\s+("[^"]+"|[\w.]+)', re.IGNORECASE)
_LEADING = re.compile(r"(?:\s+|--[^\n]*|/\*.*?\*/)*", re.DOTALL)  # comments before the statement's code
_ALLOW = re.compile(r"--\s*workbench:\s*allow\s+([\w-]+)\s*(.*)", re.IGNORECASE)


def lint(
    statements: Sequence[StatementInfo],
    impact: Impact,
    default_schema: str,
    catalog: Catalog | None = None,
    dialect: str = "postgresql",
    types: dict[tuple[str, str, str], str] | None = None,
) -> list[Finding]:
    """Findings for every statement, in statement order, riskiest first within a statement.

    `types` holds the column types earlier migrations gave ((schema, table, column) → type); it is
    read and updated, so that a run over a project's migrations knows what a later one widens."""
    from workbench.migrations import lint_pg, lint_sqlite  # lint_pg loads pglast: only when linting

    rules = lint_pg if dialect == "postgresql" else lint_sqlite
    ctx = Context(default_schema, catalog, impact, types)
    findings: list[Finding] = []
    for st in statements:
        found = [f for f in _common(st)] if st.opaque or st.kind == "transaction" else []
        found += rules.check(st, ctx)
        ctx.note_copies(st)
        allow = {m.group(1).lower(): m.group(2).strip() or "accepted" for m in _ALLOW.finditer(st.sql)}
        found = [replace(f, allowed=allow.get(f.code, allow.get("all"))) if allow else f for f in found]
        if found and (skipped := _LEADING.match(st.sql)) and "\n" in skipped.group():
            found = [replace(f, line=st.line + skipped.group().count("\n")) for f in found]
        findings += sorted(found, key=lambda f: f.rank)
    return findings


def _common(st: StatementInfo) -> list[Finding]:
    if st.opaque:
        return [Finding("opaque", st.index, st.line, f"statement {st.index} {CODES['opaque']}", "warning")]
    return [
        Finding(
            "transaction-control", st.index, st.line, f"statement {st.index}: {CODES['transaction-control']}", "info"
        )
    ]


class Context:
    """What the rules know as they walk a migration: the tables it made so far, the catalog."""

    def __init__(
        self,
        default_schema: str,
        catalog: Catalog | None,
        impact: Impact,
        types: dict[tuple[str, str, str], str] | None = None,
    ) -> None:
        self.default_schema = default_schema
        self.catalog = catalog
        self.impact = impact
        self.fresh: set[tuple[str, str]] = set()  # tables made by this migration so far
        self.fresh_indexes: set[str] = set()  # indexes built by this migration so far (PostgreSQL)
        self.types = {} if types is None else types  # (schema, table, column) → type, as declared
        self.copied: set[tuple[str, str]] = set()  # tables whose rows went into a table made here
        # PostgreSQL's rules' notes, as the migration goes: what was set, added, validated, locked.
        self.explicit = False  # inside the file's own BEGIN … COMMIT
        self.timeout = False  # lock_timeout or statement_timeout set
        self.timeout_named = False  # the missing timeout was reported (once per migration)
        self.not_null_checks: set[tuple[tuple[str, str], str]] = set()  # validated CHECK (col IS NOT NULL)
        self.pending_checks: dict[tuple[tuple[str, str], str], str] = {}  # NOT VALID ones: name → column
        self.not_valid: set[tuple[tuple[str, str], str]] = set()  # constraints added NOT VALID
        self.held: tuple[str, int] | None = None  # ACCESS EXCLUSIVE taken: table, statement
        self.held_named = False  # the work done under it was reported (once per migration)

    def note_copies(self, st: StatementInfo) -> None:
        """`INSERT INTO new SELECT … FROM old`, `new` made by this migration: `old`'s rows are kept."""
        for e in st.effects:
            if e.action == "insert" and self.is_fresh(e.table):
                self.copied.update(self.key(source.strip('"')) for source in _SOURCES.findall(st.sql))

    def key(self, table: str | Name | None) -> tuple[str, str]:
        if isinstance(table, Name):
            return table_key(table, self.default_schema)
        schema, _, name = (table or "").rpartition(".")
        return (schema or self.default_schema).lower(), name.lower()

    def is_fresh(self, table: str | Name | None) -> bool:
        return table is not None and self.key(table) in self.fresh

    def table(self, table: str | Name | None) -> Table | None:
        """The catalog's table: the name as the database folded it, else compared without case."""
        if self.catalog is None or table is None:
            return None
        if isinstance(table, Name):
            schema, name = table.schema or self.default_schema, table.name
        else:
            schema, _, name = table.rpartition(".")
            schema = schema or self.default_schema
        found = self.catalog.table(name, schema)
        if found is None:
            wanted = (schema.lower(), name.lower())
            found = next((t for t in self.catalog.tables if (t.schema.lower(), t.name.lower()) == wanted), None)
        return found

    def rows(self, table: str | Name | None) -> int | None:
        """The table's live rows by the catalog; None without one. With one, a table it lacks is made
        by an earlier migration of the same run: empty (0)."""
        if self.catalog is None or table is None:
            return None
        found = self.table(table)
        return 0 if found is None else found.row_estimate

    def column_type(self, table: str, column: str) -> str | None:
        schema, name = self.key(table)
        made = self.types.get((schema, name, column.lower()))
        if made is not None:
            return made
        found = self.table(table)
        col = next((c for c in found.columns if c.name.lower() == column.lower()), None) if found else None
        return col.data_type if col else None

    def size(self, table: str | Name | None) -> str:
        """ ", 2.4 M rows" when the catalog knows the table's rows, else ""."""
        rows = self.rows(table)
        return "" if rows is None else f", {_count(rows)} rows"

    def scaled(self, severity: str, table: str | Name | None) -> str:
        """`severity` for a lock or rewrite on `table`, lowered to info when the table is empty."""
        return "info" if self.rows(table) == 0 else severity


def _count(rows: int) -> str:
    if rows >= 1_000_000:
        return f"{rows / 1_000_000:.1f} M"
    if rows >= 10_000:
        return f"{rows / 1000:.0f} k"
    return f"{rows:,}"


def outside_transaction(st: StatementInfo) -> Finding:
    return Finding(
        "outside-transaction", st.index, st.line, f"statement {st.index} {CODES['outside-transaction']}", "info"
    )


def rebuild(st: StatementInfo, ctx: Context, table: str | Name) -> Finding:
    """The drop of a rebuild (new table, rows copied, old dropped, new renamed): no data is lost,
    but the copy holds its lock (SQLite's on the whole database) for every row."""
    rows = ctx.rows(table)
    return Finding(
        "rebuild",
        st.index,
        st.line,
        f"drops {table}{'' if rows is None else f' ({_count(rows)} rows)'} after its rows were copied into its replacement (a rebuild: no rows "
        "are lost); writers wait while the rows are copied",
        "warning" if rows is not None and rows > 1_000_000 else "info",
        str(table),
        rows=rows,
    )


def effect_finding(e: Effect, st: StatementInfo, ctx: Context) -> Finding | None:
    """The findings both backends read from `analysis`'s effects: data writes, code, cascades."""
    t = e.table
    if e.action in ("delete", "update") and e.has("unconditioned"):
        verb = "deletes" if e.action == "delete" else "updates"
        severity = "danger" if e.action == "delete" else "warning"
        return Finding(
            "unconditioned-write",
            st.index,
            st.line,
            f"{verb} every row of {t} (no WHERE{ctx.size(t)}); add a WHERE, or batch it by key ranges",
            ctx.scaled(severity, t),
            str(t),
            rows=ctx.rows(t),
        )
    if e.action == "run":
        return Finding(
            "runs-code",
            st.index,
            st.line,
            "runs code that may write to any table: the database reports which tables it "
            "changes as it runs, and those are backed up before it runs for good",
            "info",
        )
    if e.has("cascade") and e.action != "truncate":
        what = e.object_name or t
        return Finding(
            "cascade",
            st.index,
            st.line,
            f"drops {what} with CASCADE: columns, views and rows that depend on it go too; the "
            "database reports those tables as it runs, and they are backed up first",
            "warning",
        )
    return None
