"""Row images in SQL, per backend: triggers that copy every row a statement touches, as it was
(into the `old` table) and as it became (into the `new` table), for the console's exact undo.

Unlike the migration capture (`capture_sql.py`, keys only, for the life of an apply), these live
for one statement inside its transaction and copy whole rows:

- PostgreSQL: statement-level AFTER triggers with transition tables, whose one function copies
  each set in one INSERT … SELECT (a bulk DELETE costs one call, not one per row).
- SQLite: TEMP row triggers (the user's schema never holds them), one INSERT per row.

`sources` are the table's columns to copy (`rowid` for SQLite's hidden one), `casts` the type a
source is kept as (user-defined types as text, so an image never pins a type) or None, `targets`
the image tables' column names, in the same order.

Images shared by several statements of one change (`merged`, the image columns of the row's key)
keep each key's FIRST before-image and LAST after-image: a row is copied into `old` only the first
time the change touches it (not yet in `old`, nor in `new` as a row the change inserted), and its
after-image replaces any earlier one (a deleted row's is removed). The lookups go through an index
on the key (`key_index`); a single statement's images skip them, so one big DELETE pays nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from workbench.db.base import Connection

_EVENTS = ("insert", "update", "delete")


def image_table(
    conn: Connection,
    table: str,
    image: str,
    sources: Sequence[str],
    casts: Sequence[str | None],
    targets: Sequence[str],
) -> str:
    """The statement creating an empty image table (qualified `image`) shaped like `table`'s rows."""
    return f"CREATE TABLE {image} AS SELECT {_select(conn, '', sources, casts, targets)} FROM {table} WHERE 1 = 0"


def install(
    conn: Connection,
    table: str,
    old: str,
    new: str,
    function: str | None,
    trigger: str,
    sources: Sequence[str],
    casts: Sequence[str | None],
    targets: Sequence[str],
    merged: Sequence[str] = (),
) -> list[str]:
    """Statements that start copying the rows statements touch in `table` (qualified) into the
    image tables `old` and `new` (qualified); `trigger` names the triggers (a prefix), `function`
    (qualified) the trigger function PostgreSQL needs; `merged`: see the module docstring."""
    cols = ", ".join(conn.quote(t) for t in targets)
    keyed = _Keyed(conn, sources, casts, targets, merged)
    if conn.capabilities.schemas:
        assert function is not None
        first = (
            f" WHERE NOT EXISTS (SELECT 1 FROM {old} i WHERE {keyed.match('i', 'r.')})"
            f" AND NOT EXISTS (SELECT 1 FROM {new} i WHERE {keyed.match('i', 'r.')})"
            if merged
            else ""
        )

        def forget(rows: str) -> str:
            return f" DELETE FROM {new} i USING {rows} r WHERE {keyed.match('i', 'r.')};" if merged else ""

        body = (
            "BEGIN\n"
            f"  IF TG_OP IN ('UPDATE', 'DELETE') THEN INSERT INTO {old} ({cols}) "
            f"SELECT {_select(conn, 'r.', sources, casts, targets)} FROM workbench_old r{first};"
            f"{forget('workbench_old')} END IF;\n"
            f"  IF TG_OP IN ('UPDATE', 'INSERT') THEN{forget('workbench_new')} INSERT INTO {new} ({cols}) "
            f"SELECT {_select(conn, 'r.', sources, casts, targets)} FROM workbench_new r; END IF;\n"
            "  RETURN NULL;\nEND"
        )
        transitions = {
            "insert": "NEW TABLE AS workbench_new",
            "update": "OLD TABLE AS workbench_old NEW TABLE AS workbench_new",
            "delete": "OLD TABLE AS workbench_old",
        }
        return [
            f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql "
            f"SET search_path = pg_catalog, pg_temp AS $workbench$\n{body}\n$workbench$",
            *(
                f"CREATE TRIGGER {conn.quote(f'{trigger}_{event}')} AFTER {event.upper()} ON {table} "
                f"REFERENCING {transitions[event]} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
                for event in _EVENTS
            ),
        ]

    def values(row: str) -> str:
        return ", ".join(f"{row}.{s if s == 'rowid' else conn.quote(s)}" for s in sources)

    def before(row: str) -> str:
        if not merged:
            return f"INSERT INTO {old} ({cols}) VALUES ({values(row)});"
        return (
            f"INSERT INTO {old} ({cols}) SELECT {values(row)} "
            f"WHERE NOT EXISTS (SELECT 1 FROM {old} WHERE {keyed.match(old, row + '.')}) "
            f"AND NOT EXISTS (SELECT 1 FROM {new} WHERE {keyed.match(new, row + '.')}); "
            f"DELETE FROM {new} WHERE {keyed.match(new, row + '.')};"
        )

    def after(row: str) -> str:
        forget = f"DELETE FROM {new} WHERE {keyed.match(new, row + '.')}; " if merged else ""
        return f"{forget}INSERT INTO {new} ({cols}) VALUES ({values(row)});"

    copies = {"insert": after("NEW"), "update": f"{before('OLD')} {after('NEW')}", "delete": before("OLD")}
    # REPLACE deletes the rows in its way without firing DELETE triggers unless this is on
    return ["PRAGMA recursive_triggers = ON"] + [
        f"CREATE TEMP TRIGGER {conn.quote(f'{trigger}_{event}')} AFTER {event.upper()} ON {table} BEGIN {copies[event]} END"
        for event in _EVENTS
    ]


def key_index(conn: Connection, image: str, index: str, key: Sequence[str]) -> str:
    """The statement indexing the image table `image` (qualified) by its `key` columns, as
    `index` (unqualified, the name the undo looks for)."""
    columns = ", ".join(conn.quote(c) for c in key)
    return f"CREATE INDEX IF NOT EXISTS {conn.quote(index)} ON {image} ({columns})"


def remove(conn: Connection, table: str, function: str | None, trigger: str) -> list[str]:
    """Statements that stop the copying (the image tables stay: they are the backup)."""
    on = f" ON {table}" if conn.capabilities.schemas else ""
    reset = [] if conn.capabilities.schemas else ["PRAGMA recursive_triggers = OFF"]
    out = reset + [f"DROP TRIGGER IF EXISTS {conn.quote(f'{trigger}_{event}')}{on}" for event in _EVENTS]
    return out + ([f"DROP FUNCTION IF EXISTS {function}()"] if function else [])


class _Keyed:
    """The key columns of merged images: how an image row is matched with a trigger's row."""

    def __init__(
        self,
        conn: Connection,
        sources: Sequence[str],
        casts: Sequence[str | None],
        targets: Sequence[str],
        key: Sequence[str],
    ) -> None:
        self.conn = conn
        self.columns = [(s, c, t) for s, c, t in zip(sources, casts, targets, strict=True) if t in key]

    def match(self, image: str, prefix: str) -> str:
        """`image`'s key columns equal to the row's (`prefix`: `r.`, `OLD.`, `NEW.`), as stored."""
        out = []
        for source, cast, target in self.columns:
            expr = prefix + (source if source == "rowid" else self.conn.quote(source))
            out.append(f"{image}.{self.conn.quote(target)} = {f'CAST({expr} AS {cast})' if cast else expr}")
        return " AND ".join(out)


def _select(
    conn: Connection, prefix: str, sources: Sequence[str], casts: Sequence[str | None], targets: Sequence[str]
) -> str:
    out = []
    for source, cast, target in zip(sources, casts, targets, strict=True):
        expr = prefix + (source if source == "rowid" else conn.quote(source))
        out.append(f"CAST({expr} AS {cast}) AS {conn.quote(target)}" if cast else f"{expr} AS {conn.quote(target)}")
    return ", ".join(out)
