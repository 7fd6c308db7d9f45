"""The shortcuts that keep a wide catalog fast give the same answers as the slow way.

- PostgreSQL writes a plain index's CREATE INDEX itself instead of calling pg_get_indexdef:
  every index of a zoo of unusual ones must read exactly as the server prints it.
- SQLite reads row estimates 500 tables per statement: tables past the first statement count too.
- `positional()` builds catalog objects without `__init__`: they must be the same objects.
"""

from __future__ import annotations

import dataclasses
import pickle
import sqlite3

import pytest

from workbench.db import Connection, connect
from workbench.db.catalog import Column, ForeignKey, Grant, Index, is_workbench_object, positional

# Each statement makes one index the shortcut must either write exactly or leave to the server.
INDEX_ZOO = [
    "CREATE INDEX plain_one ON zoo (a)",
    "CREATE UNIQUE INDEX plain_unique_two ON zoo (a, b)",
    'CREATE INDEX "Mixed Case ix" ON zoo ("Odd Col", a)',
    'CREATE INDEX "select" ON zoo ("order")',
    "CREATE INDEX desc_ix ON zoo (a DESC)",
    "CREATE INDEX nulls_first_ix ON zoo (b NULLS FIRST)",
    'CREATE INDEX collated_ix ON zoo (b COLLATE "C")',
    "CREATE INDEX pattern_ix ON zoo (b text_pattern_ops)",
    "CREATE INDEX varchar_ix ON zoo (v)",  # text_ops serves varchar by binary coercion
    "CREATE INDEX domain_ix ON zoo (d)",
    "CREATE INDEX include_ix ON zoo (a) INCLUDE (b)",
    "CREATE INDEX partial_ix ON zoo (a) WHERE a > 0",
    "CREATE INDEX expr_ix ON zoo (lower(b))",
    "CREATE INDEX mixed_expr_ix ON zoo (a, lower(b))",
    "CREATE INDEX hash_ix ON zoo USING hash (b)",
    "CREATE INDEX gin_ix ON zoo USING gin (tags)",
    "CREATE INDEX brin_ix ON zoo USING brin (a)",
    "CREATE INDEX fillfactor_ix ON zoo (a) WITH (fillfactor = 70)",
    "CREATE UNIQUE INDEX nulls_not_distinct_ix ON zoo (a) NULLS NOT DISTINCT",
    'CREATE INDEX other_schema_ix ON "Other Schema"."T" (id)',
    "CREATE INDEX part_ix ON parted (k)",
]


@pytest.mark.postgres
def test_every_index_reads_as_pg_get_indexdef_prints_it(pg_url: str) -> None:
    conn = connect(pg_url)
    try:
        conn.execute_script("""
            CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
            CREATE TABLE zoo (id integer PRIMARY KEY, a integer, b text, v varchar(20), d positive,
                              tags text[], "Odd Col" integer, "order" integer,
                              UNIQUE (a, id), EXCLUDE USING btree (v WITH =));
            CREATE SCHEMA "Other Schema";
            CREATE TABLE "Other Schema"."T" (id integer PRIMARY KEY);
            CREATE TABLE parted (k integer, PRIMARY KEY (k)) PARTITION BY RANGE (k);
            CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (10);
        """)
        statements = INDEX_ZOO if conn.server_version >= 150000 else [s for s in INDEX_ZOO if "NULLS NOT" not in s]
        for statement in statements:
            conn.execute(statement)
        catalog = conn.introspect()
        ours = {(t.schema, ix.name): ix.definition for t in catalog.tables for ix in t.indexes}
        servers = {
            (schema, name): definition
            for schema, name, definition in conn.query(
                "SELECT n.nspname, c.relname, pg_get_indexdef(c.oid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname IN ('public', 'Other Schema')"
            ).rows
        }
    finally:
        conn.close()
    assert ours == servers
    assert len(servers) >= len(statements) + 6, "the zoo, the keys' indexes and the partition's"


def test_row_estimates_past_the_first_statement(sqlite_url: str) -> None:
    """1,200 tables, each with as many rows as its number: every estimate is that number."""
    path = sqlite_url[len("sqlite:///") :]
    witness = sqlite3.connect(path)
    with witness:
        for i in range(1, 1201):
            witness.execute(f"CREATE TABLE t{i} (id integer PRIMARY KEY)")
            witness.execute(
                f"INSERT INTO t{i} WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {i}) "
                "SELECT g FROM s"
            )
    witness.close()
    conn = connect(sqlite_url)
    try:
        estimates = {t.name: t.row_estimate for t in conn.introspect().tables}
    finally:
        conn.close()
    assert estimates == {f"t{i}": i for i in range(1, 1201)}


def test_positional_builds_the_object_init_builds(conn: Connection) -> None:
    """Fast-built columns, indexes and keys compare, hash, copy and pickle as the real thing."""
    conn.execute("CREATE TABLE p (id integer PRIMARY KEY)")
    conn.execute("CREATE TABLE c (id integer PRIMARY KEY, p_id integer NOT NULL REFERENCES p (id))")
    conn.execute("CREATE INDEX c_p ON c (p_id)")
    table = conn.introspect().table("c")
    assert table is not None
    for obj in (*table.columns, *table.indexes, *table.foreign_keys):
        rebuilt = type(obj)(**{f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)})
        assert obj == rebuilt and hash(obj) == hash(rebuilt)
        assert list(vars(obj)) == list(vars(rebuilt)), "fields in declaration order, as JSON prints them"
        assert pickle.loads(pickle.dumps(obj)) == obj
        assert dataclasses.replace(obj, name="other") == dataclasses.replace(rebuilt, name="other")
        with pytest.raises(dataclasses.FrozenInstanceError):
            obj.name = "changed"  # type: ignore[misc]


def test_positional_takes_defaults_and_refuses_a_wrong_count() -> None:
    make = positional(Column)
    assert make("id", 1, "integer") == Column("id", 1, "integer")
    full = make("id", 1, "integer", False, "0", None, None, None, None, "c", -1, "", "", (Grant("r", "SELECT"),), False)
    assert full == Column(
        "id", 1, "integer", False, "0", None, None, None, None, "c", -1, "", "", (Grant("r", "SELECT"),), False
    )
    with pytest.raises(TypeError):
        make("id", 1)  # data_type has no default
    with pytest.raises(TypeError):
        make(*range(16))
    assert positional(Index)("ix", ("a",)) == Index("ix", ("a",))
    assert positional(ForeignKey)("fk", ("a",), "main", "p", ("id",)).on_delete == "NO ACTION"


@pytest.mark.postgres
def test_a_table_never_analyzed_is_estimated_from_the_live_tuple_count(pg_url: str) -> None:
    """What pg_stat_user_tables says for it, read without the view (a view itself has no estimate)."""
    conn = connect(pg_url)
    try:
        conn.execute("CREATE TABLE fresh (id integer)")
        conn.execute("INSERT INTO fresh SELECT generate_series(1, 300)")
        conn.execute("CREATE VIEW fresh_view AS SELECT id FROM fresh")
        if conn.server_version >= 150000:
            conn.query("SELECT pg_stat_force_next_flush()")
        conn.execute("SELECT 1")  # a statement after the flush request makes the counts visible
        (reltuples,) = conn.query("SELECT reltuples FROM pg_class WHERE relname = 'fresh'").rows[0]
        witness = conn.query("SELECT n_live_tup FROM pg_stat_user_tables WHERE relname = 'fresh'").scalar()
        catalog = conn.introspect()
    finally:
        conn.close()
    assert reltuples < 0, "the table was never analyzed"
    assert witness == 300
    table, view = catalog.table("fresh"), catalog.view("fresh_view")
    assert table is not None and table.row_estimate == 300
    assert view is not None and view.row_estimate is None


@pytest.mark.postgres
@pytest.mark.parametrize("schemas", [None, ["public"]], ids=["all schemas", "only public"])
def test_key_columns_are_named_in_key_order_across_schemas(pg_url: str, schemas: list[str] | None) -> None:
    """Keys name their columns from the column rows; a table outside the filter is named by the server."""
    conn = connect(pg_url)
    try:
        conn.execute_script("""
            CREATE SCHEMA other;
            CREATE TABLE other.parent (x integer, y integer, z integer, PRIMARY KEY (z, y), UNIQUE (y, x));
            CREATE TABLE public.local (p integer, q integer, UNIQUE (q, p));
            CREATE TABLE public.child (a integer, b integer, c integer, d integer,
                CONSTRAINT to_other FOREIGN KEY (b, a) REFERENCES other.parent (y, x),
                CONSTRAINT to_local FOREIGN KEY (d, c) REFERENCES public.local (q, p),
                CONSTRAINT positive CHECK (a > 0), CONSTRAINT always CHECK (true));
        """)
        catalog = conn.introspect(schemas)
        witness = dict(
            conn.query(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conname IN ('to_other', 'to_local')"
            ).rows
        )
    finally:
        conn.close()
    child = catalog.table("child", "public")
    assert child is not None
    keys = {fk.name: (fk.columns, fk.ref_schema, fk.ref_table, fk.ref_columns) for fk in child.foreign_keys}
    assert keys == {
        "to_other": (("b", "a"), "other", "parent", ("y", "x")),
        "to_local": (("d", "c"), "public", "local", ("q", "p")),
    }
    assert witness == {
        "to_other": "FOREIGN KEY (b, a) REFERENCES other.parent(y, x)",
        "to_local": "FOREIGN KEY (d, c) REFERENCES local(q, p)",
    }
    assert {c.name for c in child.checks} == {"positive", "always"}
    assert catalog.table("local", "public").uniques[0].columns == ("q", "p")  # type: ignore[union-attr]
    parent = catalog.table("parent", "other")
    if schemas is None:
        assert parent is not None and parent.primary_key is not None
        assert parent.primary_key.columns == ("z", "y") and parent.uniques[0].columns == ("y", "x")
    else:
        assert parent is None


def test_without_hides_the_workbench_objects_and_keeps_a_catalog_that_has_none(conn: Connection) -> None:
    conn.execute("CREATE TABLE orders (id integer PRIMARY KEY)")
    plain = conn.introspect()
    assert plain.without(is_workbench_object) is plain, "nothing to hide: the same catalog, not a copy"
    conn.execute("CREATE TABLE workbench_backup_1 (id integer)")
    mixed = conn.introspect()
    hidden = mixed.without(is_workbench_object)
    assert [t.name for t in hidden.tables] == ["orders"]
    assert hidden.table("workbench_backup_1") is None and mixed.table("workbench_backup_1") is not None
