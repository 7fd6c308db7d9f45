"""What one SQLite statement does, as SQLite itself compiles it: the authorizer is asked about
every action of the statement's program (compiling `EXPLAIN <statement>` writes nothing), with
the trigger's name when a trigger does it, so the statement's own writes are told from the rest.
"""

from __future__ import annotations

import itertools
import sqlite3
from typing import TYPE_CHECKING

from workbench.db.base import StatementFacts, TableKey

if TYPE_CHECKING:
    from workbench.db.sqlite import SQLiteConnection

_ROWS = {sqlite3.SQLITE_INSERT: "insert", sqlite3.SQLITE_UPDATE: "update", sqlite3.SQLITE_DELETE: "delete"}
_OTHER = frozenset(
    {
        sqlite3.SQLITE_TRANSACTION,
        sqlite3.SQLITE_ATTACH,
        sqlite3.SQLITE_DETACH,
        sqlite3.SQLITE_PRAGMA,
        sqlite3.SQLITE_SAVEPOINT,
    }
)
_READS = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE})
_INTERNAL = ("sqlite_", "workbench_")
_FRESH = itertools.count()
_DDL_VERBS = {
    getattr(sqlite3, name): name.split("_")[1].lower()
    for name in dir(sqlite3)
    if name.startswith(("SQLITE_CREATE_", "SQLITE_DROP_", "SQLITE_ALTER_"))
}


def facts(conn: SQLiteConnection, sql: str) -> StatementFacts:
    """Kind, verb and the tables the statement writes by itself (not through its triggers)."""
    actions: list[tuple[int, str | None, str | None, str | None]] = []

    def authorize(action: int, a: str | None, b: str | None, c: str | None, trigger: str | None) -> int:
        if trigger is None:
            actions.append((action, a, b, c))
        return sqlite3.SQLITE_OK

    raw = conn.raw
    raw.set_authorizer(authorize)
    try:
        # a text never compiled before: a cached statement would fail its binding check (its
        # parameters are not bound here) before SQLite compiled it again and asked the authorizer
        raw.execute(f"/* {next(_FRESH)} */ EXPLAIN {sql}").close()
    except sqlite3.ProgrammingError:
        pass  # its parameters are not bound here: SQLite checks that after compiling it
    except sqlite3.Error:
        return StatementFacts("other", "unparsed")
    finally:
        raw.set_authorizer(None)
    return _judge(actions)


def _judge(actions: list[tuple[int, str | None, str | None, str | None]]) -> StatementFacts:
    rows: list[tuple[str, TableKey]] = []
    ddl: list[TableKey] = []
    ddl_verb = ""
    for action, a, b, c in actions:
        if action in _OTHER:
            return StatementFacts("other", "pragma" if action == sqlite3.SQLITE_PRAGMA else "transaction")
        if action in _ROWS and a and not a.lower().startswith(_INTERNAL):
            rows.append((_ROWS[action], (c or "main", a)))
        elif action not in _READS and action not in _ROWS:
            ddl_verb = ddl_verb or _DDL_VERBS.get(action, "other")
            if action == sqlite3.SQLITE_DROP_TABLE and a:
                ddl.append((c or "main", a))
            elif action == sqlite3.SQLITE_ALTER_TABLE and b:
                ddl.append((a or "main", b))
    if ddl_verb:
        return StatementFacts("ddl", ddl_verb, tuple(dict.fromkeys(ddl)))
    if rows:
        verbs = {v for v, _ in rows}
        first, table = rows[0]
        verb = "upsert" if first == "insert" and "update" in verbs else first
        return StatementFacts("rows", verb, tuple(dict.fromkeys(t for _, t in rows)))
    return StatementFacts("read", "select")
