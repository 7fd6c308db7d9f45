"""What a statement typed in the console does, read by the backend's own parser.

The script is cut with the backend's splitter and each statement is judged by the database's
own grammar (pglast on PostgreSQL; SQLite's compiler, through its authorizer), never guessed
from its text with patterns: which backup a change gets depends on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.db import split_statements
from workbench.db.base import Connection

READ, ROWS, TRUNCATE, DDL, OTHER = "read", "rows", "truncate", "ddl", "other"


@dataclass(frozen=True)
class Classified:
    """One statement: `kind` is read, rows (UPDATE/DELETE/INSERT/upsert/MERGE), truncate, ddl or
    other; `tables` the (schema, name) of the existing tables it writes by itself."""

    sql: str
    kind: str
    tables: tuple[tuple[str, str], ...] = ()
    verb: str = ""  # select, update, delete, insert, upsert, merge, truncate, create, alter, drop, …

    @property
    def writes(self) -> bool:
        return self.kind != READ


def classify(conn: Connection, sql: str) -> list[Classified]:
    """Every statement of `sql`, in order, with what it does."""
    out = []
    for statement in split_statements(sql, conn.backend.name):
        facts = conn.statement_facts(statement.sql)
        out.append(Classified(statement.sql, facts.kind, facts.tables, facts.verb))
    return out
