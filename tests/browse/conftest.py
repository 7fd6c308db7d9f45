"""Tables with known content on both backends, built with the connection layer only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from workbench.db import Connection, connect
from workbench.db.catalog import Table


def series(conn: Connection, n: int) -> str:
    """A SELECT yielding g = 1..n on either backend."""
    if conn.backend.name == "postgresql":
        return f"SELECT g FROM generate_series(1, {int(n)}) AS s(g)"
    return f"WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {int(n)}) SELECT g FROM s"


def make_items(conn: Connection, n: int, *, key: str = "integer PRIMARY KEY", name: str = "items") -> Table:
    """`items(id, grp NOT NULL, label nullable)`: label is NULL on every 10th row, grp = id % 7."""
    conn.execute(f"CREATE TABLE {conn.quote(name)} (id {key}, grp integer NOT NULL, label text)")
    if n > 0:
        conn.execute(
            f"INSERT INTO {conn.quote(name)} (id, grp, label) "
            f"SELECT g, g % 7, CASE WHEN g % 10 = 0 THEN NULL ELSE 'item ' || g END FROM ({series(conn, n)}) AS q"
        )
    table = conn.introspect().table(name, conn.default_schema)
    assert table is not None
    return table


@pytest.fixture
def items(conn: Connection) -> Table:
    return make_items(conn, 1000)


@contextmanager
def table_locked(url: str, table: str) -> Iterator[int]:
    """Another session holds an ACCESS EXCLUSIVE lock on `table` for the block (PostgreSQL); yields its pid."""
    other = connect(url)
    try:
        pid = int(other.query("SELECT pg_backend_pid()").scalar())
        with other.transaction():
            other.execute(f"LOCK TABLE {other.quote(table)} IN ACCESS EXCLUSIVE MODE")
            yield pid
    finally:
        other.close()
