"""Scratch copies: same schema as the source, and nothing done to the copy reaches the source."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.db import Connection, connect
from workbench.db.catalog_diff import diff

SCHEMA = """
CREATE TABLE bizes (id text PRIMARY KEY, name text NOT NULL CHECK (name <> ''));
CREATE INDEX bizes_name_idx ON bizes (name);
INSERT INTO bizes VALUES ('b1', 'Harbor Physio');
"""


def test_scratch_copy_has_the_schema_and_is_independent(conn: Connection) -> None:
    with conn.transaction():
        conn.execute_script(SCHEMA)
    before = conn.introspect()
    checksum = conn.table_checksum(conn.default_schema, "bizes")
    with conn.scratch_copy() as scratch:
        copied = scratch.introspect()
        assert [t.name for t in copied.tables] == ["bizes"]
        assert copied.tables[0].columns == before.tables[0].columns
        assert [i.name for i in copied.tables[0].indexes if not i.constraint] == ["bizes_name_idx"]
        scratch.execute("ALTER TABLE bizes ADD COLUMN slug text")
        scratch.execute("INSERT INTO bizes (id, name) VALUES ('b2', 'Northside Yoga')")
    assert not diff(before, conn.introspect())
    assert conn.table_checksum(conn.default_schema, "bizes") == checksum


@pytest.mark.postgres
def test_postgres_copy_keeps_the_rows_of_data_schemas_and_is_dropped(pg_url: str) -> None:
    conn = connect(pg_url)
    try:
        conn.execute_script(
            "CREATE SCHEMA workbench; CREATE TABLE workbench.ledger (version text PRIMARY KEY);"
            "INSERT INTO workbench.ledger VALUES ('3');"
        )
        with conn.scratch_copy(data_schemas=("workbench", "absent")) as scratch:
            name = scratch.query("SELECT current_database()").scalar()
            assert scratch.query("SELECT version FROM workbench.ledger").rows == [("3",)]
        assert conn.query("SELECT count(*) FROM pg_database WHERE datname = %s", (name,)).scalar() == 0
    finally:
        conn.close()


def test_sqlite_copy_brings_its_attached_databases(tmp_path: Path) -> None:
    source = connect(str(tmp_path / "tasks.db"), options={"create": True})
    source.execute("CREATE TABLE tasks (id integer PRIMARY KEY)")
    source.execute("INSERT INTO tasks VALUES (1), (2)")
    source.close()
    conn = connect(str(tmp_path / "main.db"), options={"create": True, "attach": {"queue": str(tmp_path / "tasks.db")}})
    try:
        with conn.scratch_copy() as scratch:
            assert scratch.query('SELECT count(*) FROM "queue".tasks').scalar() == 2
            scratch.execute('DELETE FROM "queue".tasks')
        assert conn.query('SELECT count(*) FROM "queue".tasks').scalar() == 2
    finally:
        conn.close()


def test_database_size_is_reported(conn: Connection) -> None:
    conn.execute("CREATE TABLE t (id integer PRIMARY KEY, v text)")
    assert conn.database_size() > 0
