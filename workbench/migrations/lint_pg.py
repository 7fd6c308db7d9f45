"""The PostgreSQL rules of the lint, on the facts PostgreSQL's parser gives (`workbench.db.pg_locks`).

Each rule says what the statement locks and for how long, in words ("blocks reads and writes to
orders, 2.4 M rows, for the length of a table rewrite"), and the safe way to do the same thing.
"""

from __future__ import annotations

import re

from workbench.db import pg_locks
from workbench.db.pg_locks import ACCESS_EXCLUSIVE, BLOCKING, Action, Facts
from workbench.migrations.analysis import StatementInfo
from workbench.migrations.lint import Context, Finding, effect_finding, outside_transaction, rebuild


def check(st: StatementInfo, ctx: Context) -> list[Finding]:
    if st.opaque:
        return []  # `lint` has said so already
    facts = pg_locks.read(st.sql)
    if facts is None:
        msg = (
            f"statement {st.index} is not valid SQL to PostgreSQL's parser: it will fail when it runs, "
            "and what it would lock is unknown"
        )
        return [_finding(st, "unreadable", "warning", msg)]
    out: list[Finding] = []
    for e in st.effects:
        if e.action == "run" or (e.has("cascade") and e.action not in ("truncate", "drop_table")):
            found = effect_finding(e, st, ctx)
            if found:
                out.append(found)
    if not facts.transactional and not ctx.explicit:
        out.append(outside_transaction(st))
    for a in facts.actions:
        rule = _RULES.get(a.kind)
        found = rule(a, st, ctx) if rule else None
        if found:
            out.append(found)
    out += _held(facts, st, ctx)
    out += _timeout(facts, st, ctx)
    _remember(facts, ctx, st.index)
    return out


def _finding(
    st: StatementInfo, code: str, severity: str, message: str, a: Action | None = None, ctx: Context | None = None
) -> Finding:
    table = a.table if a else None
    rows = ctx.rows(table) if ctx and table else None
    return Finding(code, st.index, st.line, message, severity, table, a.lock if a else None, rows)


def blast(a: Action, ctx: Context, how_long: str) -> str:
    """ "blocks writes to orders (2.4 M rows) for the length of a table rewrite"."""
    blocks = pg_locks.BLOCKS.get(a.lock or "", "schema changes")
    return f"takes {a.lock} on {a.table}{ctx.size(a.table)}: blocks {blocks} for {how_long}"


def _existing(a: Action, ctx: Context) -> bool:
    """Whether the action acts on a table that was there before the migration (not made by it)."""
    return a.table is not None and not ctx.is_fresh(a.table)


def _create_index(a: Action, st: StatementInfo, ctx: Context) -> Finding | None:
    if a.has("concurrently"):
        return _in_explicit(a, st, ctx, "CREATE INDEX CONCURRENTLY")
    if not _existing(a, ctx):
        return None
    msg = (
        f"builds index {a.detail or ''} on {a.table} without CONCURRENTLY; {blast(a, ctx, 'the whole build')}. "
        "Instead: CREATE INDEX CONCURRENTLY (in a migration of its own, outside a transaction)"
    )
    return _finding(st, "index-not-concurrent", ctx.scaled("danger", a.table), msg, a, ctx)


def _in_explicit(a: Action, st: StatementInfo, ctx: Context, what: str) -> Finding | None:
    if not ctx.explicit:
        return None
    msg = (
        f"{what} inside the file's BEGIN … COMMIT: PostgreSQL refuses CONCURRENTLY in a transaction block. "
        "Instead: leave it outside BEGIN/COMMIT (the workbench runs it outside its transaction)"
    )
    return _finding(st, "concurrently-in-transaction", "danger", msg, a, ctx)


def _drop_index(a: Action, st: StatementInfo, ctx: Context) -> Finding | None:
    if a.has("concurrently"):
        return _in_explicit(a, st, ctx, "DROP INDEX CONCURRENTLY")
    if (a.detail or "").rpartition(".")[2].lower() in ctx.fresh_indexes:
        return None  # built by this migration: nothing reads it yet
    msg = (
        f"drops index {a.detail} without CONCURRENTLY: takes ACCESS EXCLUSIVE on its table, blocking reads "
        "and writes while it waits for running queries. Instead: DROP INDEX CONCURRENTLY"
    )
    return _finding(st, "index-not-concurrent", "warning", msg, a, ctx)


def _reindex(a: Action, st: StatementInfo, ctx: Context) -> Finding | None:
    if a.has("concurrently"):
        return _in_explicit(a, st, ctx, "REINDEX CONCURRENTLY")
    msg = (
        f"rebuilds {a.detail} without CONCURRENTLY: blocks writes to the table (and reads that use the "
        "index) for the whole rebuild. Instead: REINDEX … CONCURRENTLY (PostgreSQL 12+)"
    )
    return _finding(st, "index-not-concurrent", "danger", msg, a, ctx)


def _add_column(a: Action, st: StatementInfo, ctx: Context) -> Finding | None:
    if not _existing(a, ctx):
        return None
    col = f"{a.table}.{a.column}"
    if a.rewrites:
        why = next(
            w
            for f, w in (
                ("volatile default", "a default calling a volatile (or unknown) function, computed per row"),
                ("stored generated", "a stored generated value"),
                ("identity", "an identity"),
                ("serial", "a serial (nextval per row)"),
            )
            if a.has(f)
        )
        msg = (
            f"adds {col} with {why}: rewrites {a.table}; {blast(a, ctx, 'the length of a table rewrite')}. "
            "Instead: add the column without a default (or with a constant one), then backfill in batches "
            "and set the default afterwards"
        )
        return _finding(st, "rewrite-default", ctx.scaled("danger", a.table), msg, a, ctx)
    if a.has("unique"):
        msg = (
            f"adds {col} UNIQUE/PRIMARY KEY: builds its index under ACCESS EXCLUSIVE on {a.table}. Instead: "
            "add the column, CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX"
        )
        return _finding(st, "unique-without-index", ctx.scaled("danger", a.table), msg, a, ctx)
    if a.has("not null") and not a.has("default") and ctx.rows(a.table) != 0:
        rows = ctx.rows(a.table)
        held = f"{a.table} holds about {rows:,} rows" if rows else f"it fails if {a.table} has rows"
        msg = (
            f"adds {col} NOT NULL without a default: {held}. Instead: add it with a constant DEFAULT, "
            "or nullable, backfill, then a validated CHECK and SET NOT NULL"
        )
        return _finding(st, "not-null-without-default", "danger", msg, a, ctx)
    return None


def _drop_column(a: Action, st: StatementInfo, ctx: Context) -> Finding | None:
    if not _existing(a, ctx):
        return None
    msg = (
        f"drops column {a.table}.{a.column} and its data; a running application that still reads it breaks. "
        "Instead: stop using the column in the code first, deploy, then drop it"
    )
    return _finding(st, "drop-column", "danger", msg, a, ctx)


def _drop_table(a: Action, st: StatementInfo, ctx: Context) -> Finding | None:
    if not _existing(a, ctx):
        return None
    if ctx.key(a.table) in ctx.copied:
        return rebuild(st, ctx, a.table or "")
    return _finding(
        st,
        "drop-table",
        "danger",
        f"drops table {a.table}{ctx.size(a.table)} and every row in it (backed up first by the workbench)",
        a,
        ctx,
    )


_WIDENS = re.compile(r"(varchar|character varying|numeric|decimal|bit varying|varbit)\s*(?:\((\d+)(?:,\s*(\d+))?\))?")
_TYPE_NAMES = {
    "character varying": "varchar",
    "decimal": "numeric",
    "integer": "int4",
    "int": "int4",
    "bigint": "int8",
    "smallint": "int2",
    "timestamp with time zone": "timestamptz",
    "timestamp without time zone": "timestamp",
    "character": "bpchar",
    "double precision": "float8",
    "boolean": "bool",
}


def _norm(t: str) -> str:
    t = t.lower().strip()
    for long, short in _TYPE_NAMES.items():
        if t.startswith(long):
            return short + t[len(long) :].replace(" ", "")
    return t.replace(" ", "")


def rewrites_on_type_change(old: str | None, new: str) -> bool | None:
    """Whether changing a column from `old` to `new` rewrites the table; None when unknown.

    No rewrite: the same type, varchar growing (or losing its limit, or becoming text), numeric's
    precision growing at the same scale (or losing its limit), text to an unlimited varchar."""
    new = _norm(new)
    if old is None:
        return None
    old = _norm(old)
    if old == new:
        return False
    o, n = _WIDENS.fullmatch(old), _WIDENS.fullmatch(new)
    if old in ("varchar", "text") and new in ("varchar", "text"):
        return False
    if o and o.group(1) == "varchar" and new == "text":
        return False
    if not (o and n and _norm(o.group(1)) == _norm(n.group(1))):
        return True
    if n.group(2) is None:
        return False  # the limit goes
    if o.group(2) is None:
        return True  # a limit comes: every value is checked
    if o.group(1) == "numeric":
        return not (int(n.group(2)) >= int(o.group(2)) and (n.group(3) or "0") == (o.group(3) or "0"))
    return int(n.group(2)) < int(o.group(2))


def _alter_type(a: Action, st: StatementInfo, ctx: Context) -> Finding | None:
    if not _existing(a, ctx) or a.column is None or a.detail is None:
        return None
    old = ctx.column_type(a.table or "", a.column)
    rewrites = rewrites_on_type_change(old, a.detail)
    if rewrites is False:
        return None
    col = f"{a.table}.{a.column}"
    if rewrites is None:
        if not _WIDENS.fullmatch(_norm(a.detail)) and _norm(a.detail) != "text":
            rewrites = True
        else:
            msg = (
                f"changes {col} to {a.detail}: rewrites {a.table} under ACCESS EXCLUSIVE (blocking reads and "
                "writes) unless it only widens a varchar or numeric, which the migrations do not show (give a "
                "database target to know). Instead: add a new column, backfill it in batches, switch the code"
            )
            return _finding(st, "type-change", ctx.scaled("warning", a.table), msg, a, ctx)
    msg = (
        f"changes {col} to {a.detail}: {blast(a, ctx, 'the length of a table rewrite')}, and fails on values that "
        "do not convert. Instead: add a new column, backfill it in batches, switch the code, drop the old one"
    )
    return _finding(st, "type-change", ctx.scaled("danger", a.table), msg, a, ctx)


def _set_not_null(a: Action, st: StatementInfo, ctx: Context) -> Finding | None:
    if not _existing(a, ctx):
        return None
    if (ctx.key(a.table), (a.column or "").lower()) in ctx.not_null_checks or _checked_in_catalog(a, ctx):
        return None  # a validated CHECK (col IS NOT NULL) lets PostgreSQL 12+ skip the scan
    msg = (
        f"sets {a.table}.{a.column} NOT NULL: {blast(a, ctx, 'a scan of every row')} (fails on a NULL). Instead: "
        "ADD CONSTRAINT … CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (no scan on 12+)"
    )
    return _finding(st, "set-not-null", ctx.scaled("danger", a.table), msg, a, ctx)


def _checked_in_catalog(a: Action, ctx: Context) -> bool:
    """Whether the database already holds a validated CHECK (col IS NOT NULL) on the column."""
    table = ctx.table(a.table)
    if a.column is None:
        return False
    wanted = re.compile(rf'^\(*"?{re.escape(a.column)}"?\s+IS\s+NOT\s+NULL\)*$', re.IGNORECASE)
    return table is not None and any(
        wanted.match(c.expression.strip()) and "NOT VALID" not in (c.definition or "") for c in table.checks
    )


def _add_validated(a: Action, st: StatementInfo, ctx: Context) -> Finding | None:
    """FOREIGN KEY or CHECK: without NOT VALID, every row is checked under the lock."""
    if a.has("not valid") or not _existing(a, ctx):
        return None
    what = "foreign key" if a.kind == "add_foreign_key" else "CHECK"
    msg = (
        f"adds {what} {a.detail or ''} on {a.table} without NOT VALID: {blast(a, ctx, 'a scan of every row')}. "
        "Instead: ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT in a later migration"
    )
    return _finding(st, "constraint-not-valid", ctx.scaled("danger", a.table), msg, a, ctx)


def _add_unique(a: Action, st: StatementInfo, ctx: Context) -> Finding | None:
    if a.has("using index") or not _existing(a, ctx):
        return None
    what = "PRIMARY KEY" if a.kind == "add_primary_key" else "UNIQUE"
    msg = (
        f"adds {what} on {a.table} by building its index: {blast(a, ctx, 'the whole index build')}. "
        f"Instead: CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … {what} USING INDEX"
    )
    return _finding(st, "unique-without-index", ctx.scaled("danger", a.table), msg, a, ctx)


def _validate(a: Action, st: StatementInfo, ctx: Context) -> Finding | None:
    if (ctx.key(a.table), (a.detail or "").lower()) not in ctx.not_valid:
        return None
    msg = (
        f"validates {a.detail} in the transaction that added it NOT VALID: the ACCESS EXCLUSIVE lock of the "
        "ADD is still held for the whole scan. Instead: VALIDATE CONSTRAINT in the next migration"
    )
    return _finding(st, "validate-same-transaction", "warning" if ctx.explicit else "info", msg, a, ctx)


def _rename(a: Action, st: StatementInfo, ctx: Context) -> Finding | None:
    if not _existing(a, ctx):
        return None
    what = (
        f"table {a.table} to {a.detail}" if a.kind == "rename_table" else f"column {a.table}.{a.column} to {a.detail}"
    )
    msg = (
        f"renames {what}: a running application that uses the old name breaks (no data is lost). Instead: "
        "add the new name alongside (a view or a new column kept in step), move the code, then drop the old"
    )
    return _finding(st, "rename", "warning", msg, a, ctx)


def _truncate(a: Action, st: StatementInfo, ctx: Context) -> Finding | None:
    if not _existing(a, ctx):
        return None
    cascade = " and of every table that references it (CASCADE)" if a.has("cascade") else ""
    msg = f"removes every row of {a.table}{ctx.size(a.table)}{cascade}; takes ACCESS EXCLUSIVE on it"
    return _finding(st, "truncate", "danger", msg, a, ctx)


def _write(a: Action, st: StatementInfo, ctx: Context) -> Finding | None:
    if a.has("where") or not _existing(a, ctx):
        return None
    verb = "deletes" if a.kind == "delete" else "updates"
    severity = "danger" if a.kind == "delete" else "warning"
    msg = f"{verb} every row of {a.table} (no WHERE{ctx.size(a.table)}); add a WHERE, or batch it by key ranges"
    return _finding(st, "unconditioned-write", ctx.scaled(severity, a.table), msg, a, ctx)


def _enum_rename(a: Action, st: StatementInfo, ctx: Context) -> Finding | None:
    msg = (
        f"renames a value of enum {a.detail} ({a.column!r}): code and queries that use the old value break. "
        "Instead: add the new value, move the rows and the code, and stop using the old one"
    )
    return _finding(st, "enum-value-rename", "warning", msg)


def _enum_add(a: Action, st: StatementInfo, ctx: Context) -> Finding | None:
    msg = (
        f"adds value {a.column!r} to enum {a.detail}: rows cannot use it before the migration's transaction "
        "commits (PostgreSQL 12+; older ones refuse ADD VALUE in a transaction). Instead: use it in a later migration"
    )
    return _finding(st, "enum-value-add", "info", msg)


def _heavy(a: Action, st: StatementInfo, ctx: Context) -> Finding | None:
    if a.lock not in BLOCKING or a.has("concurrently") or (a.table and ctx.is_fresh(a.table)):
        return None
    if a.kind == "refresh":
        how, fix = "the whole refresh", "REFRESH MATERIALIZED VIEW CONCURRENTLY (needs a unique index)"
    elif a.kind in ("vacuum", "cluster"):
        how, fix = "the length of a table rewrite", "pg_repack, which rewrites without the long lock"
    else:
        how, fix = "the rest of the transaction", "a weaker lock mode, or none"
    target = a.table or "the tables it names"
    msg = f"takes {a.lock} on {target}{ctx.size(a.table)}: blocks {pg_locks.BLOCKS[a.lock]} for {how}. Instead: {fix}"
    return _finding(st, "heavy-lock", ctx.scaled("danger", a.table), msg, a, ctx)


def _drop_database(a: Action, st: StatementInfo, ctx: Context) -> Finding | None:
    return _finding(st, "drop-table", "danger", "drops a whole database and every table in it")


_RULES = {
    "create_index": _create_index,
    "drop_index": _drop_index,
    "reindex": _reindex,
    "reindex_index": _reindex,
    "add_column": _add_column,
    "drop_column": _drop_column,
    "drop_table": _drop_table,
    "alter_type": _alter_type,
    "set_not_null": _set_not_null,
    "add_foreign_key": _add_validated,
    "add_check": _add_validated,
    "add_unique": _add_unique,
    "add_primary_key": _add_unique,
    "add_exclusion": _add_unique,
    "validate": _validate,
    "rename_table": _rename,
    "rename_column": _rename,
    "truncate": _truncate,
    "update": _write,
    "delete": _write,
    "rename_enum_value": _enum_rename,
    "add_enum_value": _enum_add,
    "lock": _heavy,
    "vacuum": _heavy,
    "cluster": _heavy,
    "refresh": _heavy,
    "drop_database": _drop_database,
}
_SLOW = frozenset({"create_index", "update", "delete", "validate", "reindex", "reindex_index", "insert"})


def _held(facts: Facts, st: StatementInfo, ctx: Context) -> list[Finding]:
    """More slow work while an ACCESS EXCLUSIVE lock taken earlier in the transaction is held."""
    if ctx.held is None or ctx.held_named or not facts.transactional:
        return []
    table, since = ctx.held
    slow = next((a for a in facts.actions if (a.rewrites or a.scans or a.kind in _SLOW) and _existing(a, ctx)), None)
    if slow is None or ctx.rows(table) == 0:
        return []
    ctx.held_named = True  # once per migration: the first slow statement under the lock
    msg = (
        f"runs while the ACCESS EXCLUSIVE lock statement {since} took on {table} is held: reads and writes to "
        f"{table} wait for this too. Instead: move it to a migration of its own"
    )
    return [_finding(st, "long-exclusive-lock", "info", msg)]


def _timeout(facts: Facts, st: StatementInfo, ctx: Context) -> list[Finding]:
    """A blocking lock on existing tables with no lock_timeout set earlier in the migration."""
    if ctx.timeout or ctx.timeout_named:
        return []
    held = [(t, mode) for t, mode in facts.locks if mode in BLOCKING and not ctx.is_fresh(t)]
    if not held:
        return []
    ctx.timeout_named = True  # once per migration: the first blocking statement
    locks = ", ".join(f"{mode} on {t}" for t, mode in held)
    msg = (
        f"takes {locks} with no lock_timeout: while it waits for running queries, every later query on "
        f"{'the table' if len(held) == 1 else 'those tables'} queues behind it. Instead: SET lock_timeout = '2s' "
        "first (and retry)"
    )
    first = next(a for a in facts.actions if a.table == held[0][0] and a.lock == held[0][1])
    return [_finding(st, "lock-timeout", "info", msg, first, ctx)]


def _remember(facts: Facts, ctx: Context, index: int) -> None:
    """What later statements' rules need: new tables, column types, constraints, settings, locks."""
    for a in facts.actions:
        key = ctx.key(a.table)
        if a.kind in ("begin", "end"):
            ctx.explicit = a.kind == "begin"
        elif a.kind == "set" and a.column in ("lock_timeout", "statement_timeout"):
            ctx.timeout = a.detail not in (None, "0")
        elif a.kind == "create_table":
            ctx.fresh.add(key)
        elif a.kind == "create_index" and a.detail:
            ctx.fresh_indexes.add(a.detail.lower())
        elif a.kind in ("define_column", "add_column", "alter_type") and a.column and a.detail:
            ctx.types[(*key, a.column.lower())] = a.detail
        elif a.kind == "rename_table" and ctx.is_fresh(a.table) and a.detail:
            ctx.fresh.add((key[0], a.detail.lower()))
        elif a.kind == "add_check" and a.column:
            if a.has("not valid"):
                ctx.pending_checks[(key, (a.detail or "").lower())] = a.column.lower()
            else:
                ctx.not_null_checks.add((key, a.column.lower()))
        elif a.kind == "validate" and (column := ctx.pending_checks.get((key, (a.detail or "").lower()))):
            ctx.not_null_checks.add((key, column))
        if a.kind in ("add_foreign_key", "add_check") and a.has("not valid"):
            ctx.not_valid.add((key, (a.detail or "").lower()))
        if a.lock == ACCESS_EXCLUSIVE and _existing(a, ctx) and facts.transactional and ctx.held is None:
            ctx.held = (a.table or "", index)
