"""Catalog correctness on fixtures we write: nasty identifiers and every object kind, both backends."""

from __future__ import annotations

import dataclasses
import gc
import json
from pathlib import Path

import pytest

from workbench.db import Connection, DatabaseError, connect
from workbench.db.catalog import Catalog, Grant, Table
from workbench.db.catalog_diff import diff

NASTY = ["order", "select", "with space", 'with "quotes"', "MixedCase", "ünïcödé_名前", "x" * 63]


def col(name: str) -> str:
    """A column named after its table, kept within PostgreSQL's 63-byte identifier limit."""
    return name[:40] + " col"


def test_empty_database_has_an_empty_catalog(conn: Connection) -> None:
    catalog = conn.introspect()
    assert catalog.tables == () and catalog.views == () and catalog.functions == ()
    assert catalog.backend == conn.backend.name


def test_nasty_identifiers_survive_introspection(conn: Connection) -> None:
    q = conn.quote
    for name in NASTY:
        conn.execute(
            f"CREATE TABLE {q(name)} ({q('id')} integer PRIMARY KEY, {q(col(name))} text NOT NULL, "
            f"{q('select')} integer)"
        )
        conn.execute(f"CREATE INDEX {q(name[:50] + ' ix')} ON {q(name)} ({q(col(name))})")
    catalog = conn.introspect()
    assert {t.name for t in catalog.tables} == set(NASTY)
    for name in NASTY:
        table = catalog.table(name)
        assert table.column_names == ("id", col(name), "select")
        assert table.primary_key.columns == ("id",)
        assert any(ix.columns == (col(name),) for ix in table.indexes)
        # the quoted name works in a real query
        conn.execute(f"INSERT INTO {conn.qualify(table.schema, table.name)} VALUES (1, 'a', 2)")
        assert conn.row_count(table.schema, table.name) == 1


def test_foreign_keys_both_directions_with_actions(conn: Connection) -> None:
    conn.execute_script("""
        CREATE TABLE parent (id integer PRIMARY KEY, code text UNIQUE);
        CREATE TABLE child (
            id integer PRIMARY KEY,
            parent_id integer REFERENCES parent (id) ON DELETE CASCADE ON UPDATE SET NULL,
            parent_code text,
            CONSTRAINT child_code_fk FOREIGN KEY (parent_code) REFERENCES parent (code) ON DELETE SET DEFAULT
        );
    """)
    catalog = conn.introspect()
    child = catalog.table("child")
    by_cols = {fk.columns: fk for fk in child.foreign_keys}
    assert by_cols[("parent_id",)].on_delete == "CASCADE"
    assert by_cols[("parent_id",)].on_update == "SET NULL"
    assert by_cols[("parent_code",)].ref_columns == ("code",)
    assert by_cols[("parent_code",)].on_delete == "SET DEFAULT"
    incoming = catalog.referencing(catalog.table("parent"))
    assert sorted(fk.columns for _t, fk in incoming) == [("parent_code",), ("parent_id",)]
    parent = catalog.table("parent")
    assert [u.columns for u in parent.uniques] == [("code",)]


def test_checks_defaults_partial_and_expression_indexes(conn: Connection) -> None:
    conn.execute_script("""
        CREATE TABLE booking (
            id integer PRIMARY KEY,
            status text DEFAULT 'pending' NOT NULL CHECK (status IN ('pending', 'done')),
            email text,
            seats integer,
            CONSTRAINT seats_positive CHECK (seats > 0)
        );
        CREATE INDEX booking_open ON booking (status) WHERE status = 'pending';
        CREATE INDEX booking_email_lower ON booking (lower(email));
    """)
    table = conn.introspect().table("booking")
    status = table.column("status")
    assert "pending" in status.default and not status.nullable
    checks = {c.name: c.expression for c in table.checks}
    assert "seats > 0" in checks["seats_positive"]
    assert any("'done'" in expr for expr in checks.values())
    indexes = {ix.name: ix for ix in table.indexes}
    assert "pending" in indexes["booking_open"].predicate
    assert "lower" in indexes["booking_email_lower"].columns[0].lower()


def test_views_and_a_view_over_a_dropped_table(conn: Connection) -> None:
    conn.execute_script("""
        CREATE TABLE t (id integer PRIMARY KEY, label text);
        CREATE VIEW v AS SELECT id, label FROM t;
    """)
    view = conn.introspect().view("v")
    assert [c.name for c in view.columns] == ["id", "label"]
    if conn.backend.name == "sqlite":  # PostgreSQL refuses to drop a table a view depends on
        conn.execute("CREATE VIEW broken AS SELECT * FROM gone")
        catalog = conn.introspect()
        assert catalog.view("broken").error and "gone" in catalog.view("broken").error
        assert catalog.view("v").error is None


def test_catalog_json_round_trip_is_lossless(conn: Connection) -> None:
    conn.execute_script("""
        CREATE TABLE parent (id integer PRIMARY KEY, name text NOT NULL);
        CREATE TABLE child (id integer PRIMARY KEY, parent_id integer REFERENCES parent (id));
        CREATE INDEX child_parent ON child (parent_id);
        CREATE VIEW names AS SELECT name FROM parent;
    """)
    catalog = conn.introspect()
    again = Catalog.from_dict(json.loads(json.dumps(catalog.to_dict())))
    assert again == catalog
    assert not diff(catalog, again)


def test_diff_reports_added_columns_and_dropped_tables(conn: Connection) -> None:
    conn.execute_script("CREATE TABLE a (id integer PRIMARY KEY); CREATE TABLE b (id integer PRIMARY KEY);")
    before = conn.introspect()
    conn.execute_script("ALTER TABLE a ADD COLUMN note text; DROP TABLE b; CREATE INDEX a_note ON a (note);")
    changes = diff(before, conn.introspect())
    assert [(c.kind, c.name, c.action) for c in changes.of("column")] == [
        ("column", f"{before.tables[0].schema}.a.note", "added")
    ]
    assert [c.path[-1] for c in changes.of("table", "removed")] == ["b"]
    assert [c.path[-1] for c in changes.of("index", "added")] == ["a_note"]
    assert any("note" in line for line in changes.describe())


def test_row_estimates_come_without_counting(conn: Connection) -> None:
    conn.execute("CREATE TABLE big (id integer PRIMARY KEY, v text)")
    values = ", ".join(f"({i}, 'v')" for i in range(1, 501))
    conn.execute(f"INSERT INTO big VALUES {values}")
    if conn.backend.name == "postgresql":
        conn.execute("ANALYZE big")
    assert conn.introspect().table("big").row_estimate == 500


# -- SQLite specifics --------------------------------------------------------------------------


def test_sqlite_generated_columns_options_and_triggers(sqlite_url: str) -> None:
    conn = connect(sqlite_url)
    conn.execute_script("""
        CREATE TABLE kv (k text PRIMARY KEY, v text, v_len integer GENERATED ALWAYS AS (length(v)) STORED) WITHOUT ROWID;
        CREATE TABLE log (id integer PRIMARY KEY AUTOINCREMENT, msg text);
        CREATE TRIGGER kv_audit AFTER UPDATE OF v ON kv BEGIN INSERT INTO log (msg) VALUES ('changed'); END;
    """)
    catalog = conn.introspect()
    kv = catalog.table("kv")
    assert kv.column("v_len").generated == "length(v)" and kv.column("v_len").generated_kind == "stored"
    assert "WITHOUT ROWID" in kv.options
    assert "AUTOINCREMENT" in catalog.table("log").options
    trigger = kv.triggers[0]
    assert (trigger.name, trigger.timing, trigger.events) == ("kv_audit", "AFTER", ("UPDATE",))
    assert "sqlite_sequence" not in {t.name for t in catalog.tables}
    conn.close()


def test_sqlite_attached_databases_are_schemas(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    side = connect(str(other), options={"create": True})
    side.execute("CREATE TABLE proposals (id text PRIMARY KEY)")
    side.close()
    conn = connect(str(tmp_path / "main.db"), options={"create": True, "attach": {"props": str(other)}})
    conn.execute("CREATE TABLE tasks (id text PRIMARY KEY)")
    catalog = conn.introspect()
    assert {(t.schema, t.name) for t in catalog.tables} == {("main", "tasks"), ("props", "proposals")}
    assert catalog.table("proposals", "props") is not None
    conn.close()


# -- PostgreSQL specifics ----------------------------------------------------------------------


@pytest.mark.postgres
def test_postgres_policies_comments_identity_generated(pg_url: str) -> None:
    conn = connect(pg_url)
    conn.execute_script("""
        CREATE SCHEMA app;
        CREATE TYPE app.status AS ENUM ('draft', 'active');
        CREATE TABLE app.campaigns (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            workspace_id uuid NOT NULL,
            name text NOT NULL,
            name_len integer GENERATED ALWAYS AS (length(name)) STORED,
            status app.status DEFAULT 'draft' NOT NULL
        );
        COMMENT ON TABLE app.campaigns IS 'Marketing campaigns';
        COMMENT ON COLUMN app.campaigns.name IS 'Shown to customers';
        ALTER TABLE app.campaigns ENABLE ROW LEVEL SECURITY;
        ALTER TABLE app.campaigns FORCE ROW LEVEL SECURITY;
        CREATE POLICY workspace_isolation ON app.campaigns
            USING (workspace_id = current_setting('app.current_workspace_id')::uuid);
        CREATE POLICY insert_own ON app.campaigns FOR INSERT TO public
            WITH CHECK (workspace_id = current_setting('app.current_workspace_id')::uuid);
        CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RETURN NEW; END; $$;
        CREATE TRIGGER campaigns_touch BEFORE UPDATE ON app.campaigns FOR EACH ROW EXECUTE FUNCTION app.touch();
    """)
    catalog = conn.introspect()
    table = catalog.table("campaigns", "app")
    assert table.comment == "Marketing campaigns"
    assert table.column("name").comment == "Shown to customers"
    assert table.column("id").identity == "always"
    assert table.column("name_len").generated == "length(name)" and table.column("name_len").generated_kind == "stored"
    assert table.column("status").data_type == "app.status"
    assert table.rls_enabled and table.rls_forced
    policies = {p.name: p for p in table.policies}
    assert policies["workspace_isolation"].command == "ALL"
    assert "app.current_workspace_id" in policies["workspace_isolation"].using
    assert policies["insert_own"].command == "INSERT" and policies["insert_own"].with_check
    assert policies["insert_own"].roles == ("public",)
    assert [t.function for t in table.triggers] == ["app.touch"]
    assert [f.name for f in catalog.functions] == ["touch"]
    assert catalog.enum("status", "app").values == ("draft", "active")
    assert {s.name for s in catalog.schemas} >= {"app", "public"}
    only_public = conn.introspect(["public"])
    assert only_public.tables == () and {s.name for s in only_public.schemas} == {"public"}
    conn.close()


@pytest.mark.postgres
def test_postgres_table_with_1600_columns(pg_url: str) -> None:
    conn = connect(pg_url)
    columns = ", ".join(f"c{i} integer" for i in range(1, 1601))
    conn.execute(f"CREATE TABLE wide ({columns})")
    table = conn.introspect().table("wide")
    assert len(table.columns) == 1600
    assert table.columns[-1] == dataclasses.replace(table.columns[-1], name="c1600", position=1600)
    conn.close()


def test_fast_json_equals_the_dict_form(conn: Connection) -> None:
    conn.execute_script("""
        CREATE TABLE parent (id integer PRIMARY KEY, name text NOT NULL);
        CREATE TABLE child (id integer PRIMARY KEY, parent_id integer REFERENCES parent (id));
        CREATE INDEX child_parent ON child (parent_id);
    """)
    conn.execute('CREATE TABLE "ünïcödé ""名前""" ("naïve col" text DEFAULT \'l\'\'été\')')
    catalog = conn.introspect()
    expected = json.loads(json.dumps(catalog.to_dict()))
    assert json.loads(catalog.to_json()) == expected
    pretty = catalog.to_json(pretty=True)
    assert json.loads(pretty) == expected
    assert b'\n  "tables": [' in pretty, "pretty output is indented for a person reading it"
    assert 'ünïcödé \\"名前\\"'.encode() in catalog.to_json(), "names are written as UTF-8, not escaped"


def test_introspection_leaves_the_garbage_collector_as_it_found_it(backend_url: str) -> None:
    """The collector is paused while a catalog is built; a long-running TUI must get it back."""
    conn = connect(backend_url)
    conn.introspect()
    assert gc.isenabled()
    gc.disable()
    try:
        conn.introspect()
        assert not gc.isenabled(), "a caller that paused it keeps it paused"
    finally:
        gc.enable()
    conn.close()
    with pytest.raises(DatabaseError):
        conn.introspect()
    assert gc.isenabled(), "a failed introspection turns it back on too"


def test_an_owner_or_grants_a_catalog_does_not_know_never_count_as_a_change() -> None:
    """A catalog recorded before grants were read (None) must not make a rollback revoke them."""
    known = Table("public", "t", owner="app", grants=(Grant("reader", "SELECT"),))
    unknown = Table("public", "t")
    assert not diff(Catalog("postgresql", tables=(unknown,)), Catalog("postgresql", tables=(known,)))
    fewer = dataclasses.replace(known, grants=())
    assert diff(Catalog("postgresql", tables=(known,)), Catalog("postgresql", tables=(fewer,))).describe() == [
        "table public.t changed",
        "grant public.t.SELECT to reader removed",
    ]
