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
) -> list[str]:
    """Statements that start copying the rows statements touch in `table` (qualified) into the
    image tables `old` and `new` (qualified); `trigger` names the triggers (a prefix), `function`
    (qualified) the trigger function PostgreSQL needs."""
    cols = ", ".join(conn.quote(t) for t in targets)
    if conn.capabilities.schemas:
        assert function is not None
        body = (
            "BEGIN\n"
            f"  IF TG_OP IN ('UPDATE', 'DELETE') THEN INSERT INTO {old} ({cols}) "
            f"SELECT {_select(conn, 'r.', sources, casts, targets)} FROM workbench_old r; END IF;\n"
            f"  IF TG_OP IN ('UPDATE', 'INSERT') THEN INSERT INTO {new} ({cols}) "
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

    copies = {
        "insert": f"INSERT INTO {new} ({cols}) VALUES ({values('NEW')});",
        "update": f"INSERT INTO {old} ({cols}) VALUES ({values('OLD')}); INSERT INTO {new} ({cols}) VALUES ({values('NEW')});",
        "delete": f"INSERT INTO {old} ({cols}) VALUES ({values('OLD')});",
    }
    # REPLACE deletes the rows in its way without firing DELETE triggers unless this is on
    return ["PRAGMA recursive_triggers = ON"] + [
        f"CREATE TEMP TRIGGER {conn.quote(f'{trigger}_{event}')} AFTER {event.upper()} ON {table} BEGIN {copies[event]} END"
        for event in _EVENTS
    ]


def remove(conn: Connection, table: str, function: str | None, trigger: str) -> list[str]:
    """Statements that stop the copying (the image tables stay: they are the backup)."""
    on = f" ON {table}" if conn.capabilities.schemas else ""
    reset = [] if conn.capabilities.schemas else ["PRAGMA recursive_triggers = OFF"]
    out = reset + [f"DROP TRIGGER IF EXISTS {conn.quote(f'{trigger}_{event}')}{on}" for event in _EVENTS]
    return out + ([f"DROP FUNCTION IF EXISTS {function}()"] if function else [])


def _select(
    conn: Connection, prefix: str, sources: Sequence[str], casts: Sequence[str | None], targets: Sequence[str]
) -> str:
    out = []
    for source, cast, target in zip(sources, casts, targets, strict=True):
        expr = prefix + (source if source == "rowid" else conn.quote(source))
        out.append(f"CAST({expr} AS {cast}) AS {conn.quote(target)}" if cast else f"{expr} AS {conn.quote(target)}")
    return ", ".join(out)
