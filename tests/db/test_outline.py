"""`Connection.outline`: the objects `introspect` returns, with the same row estimates, from one cheap read."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.db import Connection, connect
from workbench.db.base import OutlineEntry
from workbench.db.catalog import Catalog


def named(catalog: Catalog) -> list[OutlineEntry]:
    """What an outline of the database `catalog` describes must list, sorted for comparison."""
    entries = [OutlineEntry("table", t.schema, t.name, t.row_estimate) for t in catalog.tables]
    entries += [
        OutlineEntry("materialized view" if v.materialized else "view", v.schema, v.name, v.row_estimate)
        for v in catalog.views
    ]
    entries += [
        OutlineEntry(kind, o.schema, o.key[1])
        for kind, objs in (
            ("enum", catalog.enums),
            ("domain", catalog.domains),
            ("sequence", catalog.sequences),
            ("function", catalog.functions),
        )
        for o in objs
    ]
    return sorted(entries, key=repr)


def assert_outline_matches(conn: Connection) -> None:
    outline, catalog = conn.outline(), conn.introspect()
    assert sorted(outline.objects, key=repr) == named(catalog)
    assert outline.schemas == tuple(s.name for s in catalog.schemas)


def test_an_empty_database_has_an_empty_outline(conn: Connection) -> None:
    assert conn.outline().objects == ()
    assert_outline_matches(conn)


def test_outline_lists_tables_and_views_with_their_estimates(conn: Connection) -> None:
    q = conn.quote
    conn.execute_script(f"""
        CREATE TABLE parent (id integer PRIMARY KEY, name text);
        CREATE TABLE {q('with "quotes" and space')} (id integer PRIMARY KEY);
        CREATE VIEW parent_names AS SELECT name FROM parent;
        INSERT INTO parent VALUES (1, 'a'), (2, 'b'), (3, 'c');
    """)
    entries = {(e.kind, e.name): e.row_estimate for e in conn.outline().objects}
    assert entries[("view", "parent_names")] is None
    assert ("table", 'with "quotes" and space') in entries
    assert_outline_matches(conn)


def test_sqlite_outline_covers_attached_databases_without_rowid_and_analyzed_tables(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    side = connect(str(other), options={"create": True})
    side.execute("CREATE TABLE proposals (id text PRIMARY KEY) WITHOUT ROWID")
    side.close()
    conn = connect(str(tmp_path / "main.db"), options={"create": True, "attach": {"props": str(other)}})
    try:
        conn.execute_script("""
            CREATE TABLE tasks (id integer PRIMARY KEY, title text);
            INSERT INTO tasks (title) VALUES ('a'), ('b');
            CREATE TABLE notes (body text);
            INSERT INTO notes VALUES ('x');
            CREATE INDEX notes_body ON notes (body);
            ANALYZE notes;
        """)
        outline = conn.outline()
        assert outline.schemas == ("main", "props")
        assert {(e.schema, e.name): e.row_estimate for e in outline.objects} == {
            ("main", "tasks"): 2,
            ("main", "notes"): 1,
            ("props", "proposals"): None,
        }
        assert_outline_matches(conn)
    finally:
        conn.close()


@pytest.mark.postgres
def test_postgres_outline_covers_every_kind_partitions_and_leaves_extensions_out(pg_url: str) -> None:
    conn = connect(pg_url)
    try:
        conn.execute_script("""
            CREATE SCHEMA sales;
            CREATE TYPE mood AS ENUM ('sad', 'ok');
            CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
            CREATE SEQUENCE sales.invoice_no;
            CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE sql AS 'SELECT a + b';
            CREATE FUNCTION add(a text, b text) RETURNS text LANGUAGE sql AS 'SELECT a || b';
            CREATE PROCEDURE touch() LANGUAGE sql AS 'SELECT 1';
            CREATE TABLE sales.orders (id integer, placed date NOT NULL) PARTITION BY RANGE (placed);
            CREATE TABLE sales.orders_2023 PARTITION OF sales.orders FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
            CREATE TABLE sales.orders_2024 PARTITION OF sales.orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            INSERT INTO sales.orders SELECT g, DATE '2023-01-01' + g FROM generate_series(1, 500) g;
            CREATE MATERIALIZED VIEW sales.totals AS SELECT count(*) AS n FROM sales.orders;
            CREATE VIEW sales.recent AS SELECT * FROM sales.orders WHERE placed > DATE '2024-06-01';
            CREATE FOREIGN DATA WRAPPER nowhere;
            CREATE SERVER faraway FOREIGN DATA WRAPPER nowhere;
            CREATE FOREIGN TABLE remote_things (id integer) SERVER faraway;
            ANALYZE;
        """)
        if conn.query("SELECT 1 FROM pg_available_extensions WHERE name = 'citext'").rows:
            conn.execute("CREATE EXTENSION citext")  # its type and functions are not the user's schema
        outline = conn.outline()
        by_name = {(e.schema, e.name): e for e in outline.objects}
        assert by_name[("sales", "orders")].row_estimate == 500  # the sum of its partitions
        assert by_name[("sales", "totals")].kind == "materialized view"
        assert {e.name for e in outline.objects if e.kind == "function"} == {
            "add(a integer, b integer)",
            "add(a text, b text)",
            "touch()",
        }
        assert outline.schemas == ("public", "sales")
        assert_outline_matches(conn)
    finally:
        conn.close()


@pytest.mark.corpus
@pytest.mark.postgres
def test_pagila_outline_matches_its_catalog(pagila_url: str) -> None:
    conn = connect(pagila_url)
    try:
        assert (
            len(conn.outline().objects) == 22 + 8 + 1 + 2 + 13 + 10
        )  # tables, views, enum, domains, sequences, functions
        assert_outline_matches(conn)
    finally:
        conn.close()
