"""Warnings about statements that are risky to run, in the spirit of squawk and Atlas's lint.

Each finding names the statement and says, in one sentence, what can go wrong. Tables made by
the same migration are new and empty, so locking and data-loss warnings about them are noise and
are left out. With a catalog, "NOT NULL without default" is only raised for tables that hold rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Sequence

from workbench.db.catalog import Catalog
from workbench.migrations.analysis import Effect, Name, StatementInfo
from workbench.migrations.impact import Impact, table_key


@dataclass(frozen=True)
class Finding:
    code: str  # stable, e.g. "drop-column"; documented in `CODES`
    statement: int
    line: int
    message: str

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "statement": self.statement, "line": self.line, "message": self.message}


CODES = {
    "drop-table": "drops a table and every row in it",
    "drop-column": "drops a column and its data",
    "type-change": "changes a column's type: rewrites the table and fails on values that do not convert",
    "not-null-without-default": "adds NOT NULL without a default: fails when the table has rows",
    "set-not-null": "sets NOT NULL: fails when a row holds NULL, and scans the table under a lock",
    "rename": "renames a table or column: code using the old name breaks",
    "unconditioned-write": "DELETE or UPDATE without WHERE touches every row",
    "truncate": "removes every row",
    "heavy-lock": "blocks other sessions while it runs",
    "outside-transaction": "cannot run inside a transaction: if a later statement fails it stays applied",
    "transaction-control": "the file's own BEGIN/COMMIT are replaced by the workbench's transaction",
    "opaque": "cannot be analysed: every table it mentions is backed up and a down script is needed",
    "enum-value-rename": "renames an enum value: code and stored data that use the old value break",
    "runs-code": "runs code (a function, a procedure) that may write to any table",
    "cascade": "CASCADE also removes what depends on the object, in tables the statement does not name",
}


def lint(
    statements: Sequence[StatementInfo], impact: Impact, default_schema: str, catalog: Catalog | None = None
) -> list[Finding]:
    """Findings for every statement, in statement order."""
    findings: list[Finding] = []
    quiet: tuple[Effect, ...] | None = None  # the effects of a run whose first statement raised nothing
    for st in statements:
        if quiet and st.effects is quiet:
            continue

        def add(code: str, message: str, st: StatementInfo = st) -> None:
            findings.append(Finding(code, st.index, st.line, message))

        if st.opaque:
            add("opaque", f"statement {st.index} {CODES['opaque']}")
            continue
        if not st.transactional:
            add("outside-transaction", f"statement {st.index} {CODES['outside-transaction']}")
        if st.kind == "transaction":
            add("transaction-control", f"statement {st.index}: {CODES['transaction-control']}")
        fresh = [e for e in st.effects if e.table is not None and _is_new(e, impact, default_schema)]
        for e in st.effects:
            if e in fresh:
                continue
            message = _effect_message(e, catalog, default_schema)
            if message:
                add(*message)
        if st.heavy_lock and not fresh:
            add("heavy-lock", f"statement {st.index} {st.heavy_lock}")
        if not findings or findings[-1].statement != st.index:
            quiet = st.effects
    return findings


def _is_new(e: Effect, impact: Impact, default_schema: str) -> bool:
    return (
        e.table is not None
        and table_key(e.table, default_schema) in impact.created_tables
        and e.action
        not in (
            "drop_table",
            "rename_table",
        )
    )


def _effect_message(e: Effect, catalog: Catalog | None, default_schema: str) -> tuple[str, str] | None:
    t = e.table
    if e.action == "drop_table":
        return "drop-table", f"drops table {t} and every row in it"
    if e.action == "drop_column":
        return "drop-column", f"drops column {t}.{e.column} and its data"
    if e.action == "alter_column_type":
        return (
            "type-change",
            f"changes the type of {t}.{e.column}: rewrites {t} and fails on values that do not convert",
        )
    if e.action == "add_column" and e.has("not null") and not e.has("default"):
        rows = _rows(catalog, t, default_schema)
        if rows != 0:
            held = f"{t} holds about {rows:,} rows" if rows else f"it fails if {t} has rows"
            return "not-null-without-default", f"adds {t}.{e.column} NOT NULL without a default: {held}"
    if e.action == "set_not_null":
        return "set-not-null", f"sets {t}.{e.column} NOT NULL: fails if a row holds NULL"
    if e.action == "rename_table":
        return "rename", f"renames table {t} to {e.new_name}: code using the old name breaks"
    if e.action == "rename_column":
        return "rename", f"renames column {t}.{e.column} to {e.new_name}: code using the old name breaks"
    if e.action in ("delete", "update") and e.has("unconditioned"):
        verb = "deletes" if e.action == "delete" else "updates"
        return "unconditioned-write", f"{verb} every row of {t} (no WHERE)"
    if e.action == "truncate":
        return "truncate", f"removes every row of {t}" + (
            " and of the tables that reference it (CASCADE)" if e.has("cascade") else ""
        )
    if e.action == "rename_enum_value":
        return (
            "enum-value-rename",
            f"renames a value of enum {e.object_name} ({e.column!r} → {e.new_name!r}): "
            "code and queries that use the old value break",
        )
    if e.action == "run":
        return (
            "runs-code",
            "runs code that may write to any table: the database reports which tables it "
            "changes as it runs, and those are backed up before it runs for good",
        )
    if e.has("cascade"):
        what = e.object_name or t
        return (
            "cascade",
            f"drops {what} with CASCADE: columns, views and rows that depend on it go too; the "
            "database reports those tables as it runs, and they are backed up first",
        )
    return None


def _rows(catalog: Catalog | None, name: Name | None, default_schema: str) -> int | None:
    """Rows the catalog estimates for the table, 0 when the table is new, None when unknown."""
    if catalog is None or name is None:
        return None
    table = catalog.table(name.name, name.schema or default_schema)
    if table is None:
        return 0
    return table.row_estimate
