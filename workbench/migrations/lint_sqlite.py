"""The SQLite rules of the lint, on `analysis`'s reading of each statement.

SQLite has no lock per table: a writing transaction holds the whole database, so the cost of a
statement is the rows it copies. Its ALTER TABLE can only rename, add and drop columns; anything
else is done by a rebuild (a new table, the rows copied, the old one dropped, the new one renamed),
which loses nothing when the rows were copied first.
"""

from __future__ import annotations

import re

from workbench.migrations.analysis import Effect, StatementInfo
from workbench.migrations.lint import Context, Finding, effect_finding, outside_transaction, rebuild

_FK_OFF = re.compile(r"^\s*PRAGMA\s+(?:\w+\.)?foreign_keys\s*=\s*(?:off|0|false|no)\b", re.IGNORECASE | re.MULTILINE)
_ALTER_LIMIT = re.compile(
    r"\bALTER\s+TABLE\b.*?\b(ALTER\s+COLUMN|ADD\s+CONSTRAINT|DROP\s+CONSTRAINT|ADD\s+(?:PRIMARY|UNIQUE|FOREIGN|CHECK))",
    re.IGNORECASE | re.DOTALL,
)
_ADD_COLUMN_LIMIT = re.compile(r"\b(PRIMARY\s+KEY|UNIQUE)\b|DEFAULT\s*\(|DEFAULT\s+CURRENT_", re.IGNORECASE)
_LARGE = 100_000  # rows above which an index build keeps writers waiting long enough to matter


def check(st: StatementInfo, ctx: Context) -> list[Finding]:
    out: list[Finding] = [] if st.transactional else [outside_transaction(st)]
    if _FK_OFF.search(st.sql):
        out.append(
            Finding(
                "sqlite-foreign-keys-off",
                st.index,
                st.line,
                "turns foreign-key checks off: inside the migration's transaction SQLite ignores it, and where "
                "it applies, rows that break references go in unchecked. Instead: leave it on (the workbench "
                "rebuilds with deferred checks) or run PRAGMA foreign_key_check before the end",
                "warning",
            )
        )
    if st.kind == "alter" and (limit := _ALTER_LIMIT.search(st.sql)):
        what = " ".join(limit.group(1).upper().split())
        out.append(
            Finding(
                "sqlite-alter",
                st.index,
                st.line,
                f"SQLite's ALTER TABLE cannot {what}: the statement fails. Instead: rebuild the table (create "
                "the new shape, copy the rows, drop the old, rename the new)",
                "danger",
            )
        )
        return out
    for e in st.effects:
        found = _effect(e, st, ctx)
        if found:
            out.append(found)
    _remember(st, ctx)
    return out


def _effect(e: Effect, st: StatementInfo, ctx: Context) -> Finding | None:
    t = e.table
    if e.action == "run":
        return effect_finding(e, st, ctx)
    if t is None or (ctx.is_fresh(t) and e.action != "drop_table"):
        return None
    rows = ctx.rows(t)
    size = ctx.size(t)
    if e.action == "drop_table":
        if ctx.is_fresh(t):
            return None
        if ctx.key(t) in ctx.copied:
            return rebuild(st, ctx, t)
        return Finding(
            "drop-table", st.index, st.line, f"drops table {t}{size} and every row in it", "danger", str(t), rows=rows
        )
    if e.action == "drop_column":
        return Finding(
            "drop-column",
            st.index,
            st.line,
            f"drops column {t}.{e.column} and its data; a running application that still reads it breaks",
            "danger",
            str(t),
            rows=rows,
        )
    if e.action == "add_column":
        if e.has("not null") and not e.has("default") and rows != 0:
            return Finding(
                "sqlite-alter",
                st.index,
                st.line,
                f"adds {t}.{e.column} NOT NULL without a default: SQLite refuses that when {t} has rows"
                f"{size}. Instead: give it a constant DEFAULT, or rebuild the table",
                "danger",
                str(t),
            )
        if _ADD_COLUMN_LIMIT.search(st.sql):
            return Finding(
                "sqlite-alter",
                st.index,
                st.line,
                f"adds {t}.{e.column} as PRIMARY KEY/UNIQUE or with a non-constant default: SQLite's ADD "
                "COLUMN refuses that. Instead: rebuild the table",
                "danger",
                str(t),
            )
        return None
    if e.action in ("rename_table", "rename_column"):
        what = f"table {t} to {e.new_name}" if e.action == "rename_table" else f"column {t}.{e.column} to {e.new_name}"
        return Finding(
            "rename",
            st.index,
            st.line,
            f"renames {what}: a running application that uses the old name breaks (no data is lost)",
            "warning",
            str(t),
        )
    if e.action == "create_index" and rows is not None and rows > _LARGE:
        return Finding(
            "heavy-lock",
            st.index,
            st.line,
            f"builds an index on {t}{size}: SQLite holds its write lock on the whole database for the build",
            "warning",
            str(t),
            rows=rows,
        )
    if e.action == "truncate" or (e.action in ("delete", "update") and e.has("unconditioned")) or e.has("cascade"):
        return effect_finding(e, st, ctx)
    return None


def _remember(st: StatementInfo, ctx: Context) -> None:
    for e in st.effects:
        if e.action == "create_table" and e.table is not None:
            ctx.fresh.add(ctx.key(e.table))
        elif e.action == "rename_table" and e.table is not None and ctx.is_fresh(e.table) and e.new_name:
            ctx.fresh.add((ctx.key(e.table)[0], e.new_name.lower()))
            ctx.fresh.discard(ctx.key(e.table))
        elif e.action == "drop_table" and e.table is not None:
            ctx.fresh.discard(ctx.key(e.table))
