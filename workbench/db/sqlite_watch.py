"""Which tables a SQLite statement changes, as SQLite itself compiles it.

SQLite codes triggers and foreign-key actions into the statement's program when it prepares it,
and asks the authorizer callback about every table the program writes — with the trigger's name
when a trigger does it. Compiling `EXPLAIN <statement>` runs that whole check and writes nothing,
so the answer comes before the statement runs, exact, for the price of a compile.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from workbench.db.base import Params, TableKey

if TYPE_CHECKING:
    from workbench.db.sqlite import SQLiteConnection

# authorizer action: (position of the table name, position of the database name) in its arguments
_WRITES = {
    sqlite3.SQLITE_INSERT: (0, 2),
    sqlite3.SQLITE_UPDATE: (0, 2),
    sqlite3.SQLITE_DELETE: (0, 2),
    sqlite3.SQLITE_DROP_TABLE: (0, 2),
    sqlite3.SQLITE_ALTER_TABLE: (1, 0),
}
_INTERNAL = ("sqlite_", "workbench_")  # the schema tables, sqlite_sequence/stat, our own objects


def tables_changed_by(conn: SQLiteConnection, sql: str, params: Params = ()) -> frozenset[TableKey]:
    """Every user table the statement may write, alter or drop (schema = database alias).

    A statement that does not compile here (it names a table an earlier statement has not made
    yet, say) reports nothing: running it will fail the same way.
    """
    found: set[TableKey] = set()

    def authorize(action: int, a: str | None, b: str | None, c: str | None, _trigger: str | None) -> int:
        where = _WRITES.get(action)
        if where is not None:
            args = (a, b, c)
            table, database = args[where[0]], args[where[1]]
            if table and not table.lower().startswith(_INTERNAL):
                found.add((database or "main", table))
        return sqlite3.SQLITE_OK

    raw = conn.raw
    raw.set_authorizer(authorize)
    try:
        raw.execute(f"EXPLAIN {sql}", params).close()
    except sqlite3.Error:
        return frozenset()
    finally:
        raw.set_authorizer(None)
    return frozenset(found)
