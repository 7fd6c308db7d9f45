"""DDL from the catalog is real DDL: run on an empty database, it recreates the same schema.

`ddl()` is what Browse shows; the builders under it, with their defaults, are what rollback
runs to put objects back (tests/migrations round-trips those on the corpus).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import create_pg_database, drop_pg_database, pg_url_for
from workbench.db import Connection, connect
from workbench.db.catalog import Column, Enum, Function, Policy, Sequence, Table, View
from workbench.db.catalog_diff import diff
from workbench.db.ddl import add_foreign_key, create_table, ddl, literal

SCHEMA = """
CREATE TABLE parent (id integer PRIMARY KEY, code text NOT NULL UNIQUE, note text DEFAULT 'n/a');
CREATE TABLE "child table" (
    id integer PRIMARY KEY,
    parent_id integer NOT NULL REFERENCES parent (id) ON DELETE CASCADE,
    "select" integer CHECK ("select" > 0),
    "naïve ✓" text
);
CREATE INDEX child_parent ON "child table" (parent_id);
CREATE UNIQUE INDEX child_select ON "child table" ("select") WHERE "select" > 10;
CREATE VIEW parent_codes AS SELECT id, code FROM parent;
"""

POSTGRES_SCHEMA = """
CREATE SCHEMA "odd schema";
CREATE TYPE mood AS ENUM ('happy', 'it''s ok');
COMMENT ON TYPE mood IS 'feelings';
CREATE DOMAIN "odd schema".posint AS integer DEFAULT 1 NOT NULL CONSTRAINT pos CHECK (VALUE > 0);
CREATE SEQUENCE counter AS integer START WITH 5 INCREMENT BY 2;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$;
CREATE TABLE parent (
    id integer GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 5) PRIMARY KEY,
    code text COLLATE "C" NOT NULL UNIQUE,
    doubled integer GENERATED ALWAYS AS (id * 2) STORED,
    m mood DEFAULT 'happy',
    p "odd schema".posint,
    CONSTRAINT code_len CHECK (length(code) > 1 AND code <> '(x')
);
COMMENT ON TABLE parent IS 'the parent, it''s here';
COMMENT ON COLUMN parent.code IS 'a code';
CREATE TABLE "odd schema"."child table" (
    id integer PRIMARY KEY, a integer, b integer, UNIQUE (a, b),
    parent_id integer REFERENCES parent (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE ref2 (a integer, b integer,
    FOREIGN KEY (a, b) REFERENCES "odd schema"."child table" (a, b) MATCH FULL ON UPDATE SET NULL);
CREATE UNLOGGED TABLE scratch (x integer);
CREATE TABLE events (id integer, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX parent_code_lower ON parent (lower(code)) WHERE code IS NOT NULL;
CREATE TRIGGER parent_touch BEFORE UPDATE ON parent FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE parent DISABLE TRIGGER parent_touch;
ALTER TABLE parent ENABLE ROW LEVEL SECURITY;
CREATE POLICY readers ON parent FOR SELECT USING ((code = 'a(') OR (code = ')b'));
CREATE POLICY writers ON parent AS RESTRICTIVE FOR INSERT WITH CHECK (id > 0);
CREATE VIEW parent_codes AS SELECT id, code FROM parent WHERE code <> 'x';
CREATE MATERIALIZED VIEW parent_ids AS SELECT id FROM parent;
CREATE INDEX parent_ids_id ON parent_ids (id);
COMMENT ON MATERIALIZED VIEW parent_ids IS 'ids';
"""


@contextmanager
def empty_database(backend: str, tmp_path: Path) -> Iterator[Connection]:
    """A new empty database on `backend`, dropped afterwards."""
    name = create_pg_database("wbddl") if backend == "postgresql" else None
    other = connect(pg_url_for(name)) if name else connect(str(tmp_path / "fresh.db"), options={"create": True})
    try:
        yield other
    finally:
        other.close()
        if name:
            drop_pg_database(name)


@pytest.fixture
def fresh(conn: Connection, tmp_path: Path) -> Iterator[Connection]:
    """A second empty database on the same backend as `conn`."""
    with empty_database(conn.backend.name, tmp_path) as other:
        yield other


@pytest.fixture
def fresh_pg(pg_url: str, tmp_path: Path) -> Iterator[Connection]:
    """An empty PostgreSQL database beside the one at `pg_url`."""
    with empty_database("postgresql", tmp_path) as other:
        yield other


def test_rebuilt_ddl_recreates_the_same_tables_and_views(conn: Connection, fresh: Connection) -> None:
    conn.execute_script(SCHEMA)
    before = conn.introspect()
    # parents first: the catalog lists tables by name, and "child table" sorts before "parent"
    ordered = sorted(before.tables, key=lambda t: bool(t.foreign_keys))
    text = "\n".join(ddl(obj, conn, before) for obj in (*ordered, *before.views))
    fresh.execute_script(text)
    assert diff(before, fresh.introspect()).describe() == [], text


def test_rebuilt_ddl_recreates_postgresql_types_identity_policies_and_comments(
    pg_url: str, fresh_pg: Connection
) -> None:
    conn = connect(pg_url)
    try:
        conn.execute_script(POSTGRES_SCHEMA)
        before = conn.introspect()
    finally:
        conn.close()
    ordered = sorted(before.tables, key=lambda t: (bool(t.foreign_keys), t.partition_of is not None))
    standalone = [s for s in before.sequences if not s.owned_by]  # identity columns make their own
    objects = (*before.enums, *before.domains, *standalone, *before.functions, *ordered, *before.views)
    text = "\n".join(ddl(obj, fresh_pg, before) for obj in objects)
    fresh_pg.execute_script('CREATE SCHEMA "odd schema";\n' + text)
    assert diff(before, fresh_pg.introspect()).describe() == [], text


def test_ddl_quotes_identifiers_and_shows_constraints(conn: Connection) -> None:
    conn.execute_script(SCHEMA)
    text = ddl(conn.introspect().table("child table", conn.default_schema), conn)
    assert text.startswith('CREATE TABLE "child table" (')
    assert '"select" integer' in text.lower() and '"naïve ✓" text' in text.lower()
    assert "ON DELETE CASCADE" in text and "ON UPDATE" not in text  # default actions left out
    assert "CREATE INDEX" in text and text.rstrip().endswith(";")


def test_restore_statements_are_qualified_and_add_foreign_keys_afterwards(conn: Connection) -> None:
    conn.execute_script(SCHEMA)
    catalog = conn.introspect()
    child = catalog.table("child table", conn.default_schema)
    rendered = create_table(conn, child, catalog, stored_text=False)
    assert rendered.startswith(f"CREATE TABLE {conn.qualify(conn.default_schema, 'child table')} (")
    assert "FOREIGN KEY" not in rendered
    assert add_foreign_key(conn, child, child.foreign_keys[0]).endswith("ON DELETE CASCADE ON UPDATE NO ACTION")
    if child.sql:  # where the database keeps the table's text, that text comes back as it is
        assert create_table(conn, child, catalog) == child.sql


def test_other_objects_read_as_ddl(conn: Connection) -> None:
    enum = Enum("public", "mood", ("happy", "it's ok"))
    assert ddl(enum, conn).startswith("CREATE TYPE")
    assert "'it''s ok'" in ddl(enum, conn)
    seq = Sequence(conn.default_schema, "s", start=5, increment=2, owned_by="t.id")
    assert "START WITH 5" in ddl(seq, conn) and "INCREMENT BY 2" in ddl(seq, conn)
    assert 'ALTER SEQUENCE "s" OWNED BY "t"."id";' in ddl(seq, conn)
    fn = Function(
        "public",
        "f",
        "x integer",
        "integer",
        "sql",
        definition="CREATE OR REPLACE FUNCTION public.f(x integer)\n RETURNS integer\n"
        " LANGUAGE sql\nAS $function$SELECT x + 1$function$\n",
    )
    assert ddl(fn, conn) == fn.definition.rstrip() + ";\n"
    aggregate = Function("public", "total", "integer", "integer", "internal", kind="aggregate")
    assert ddl(aggregate, conn).startswith("-- aggregate ") and "not reported" in ddl(aggregate, conn)
    view = View("public", "v", definition=" SELECT 1;")
    assert ddl(view, conn).count(";") == 1
    table = Table(conn.default_schema, "t", columns=(Column("a", 1, "integer", comment="the a"),), comment="a table")
    text = ddl(table, conn)
    assert "the a" in text and "a table" in text  # COMMENT ON where it exists, a SQL comment where not
    assert literal("x'y") == "'x''y'"


def test_policy_roles_are_quoted(pg_url: str) -> None:
    conn = connect(pg_url)
    try:
        policy = Policy("public", "t", "readers", "SELECT", roles=("app reader", "public"), using="(a = 1)")
        text = ddl(Table("public", "t", policies=(policy,)), conn)
    finally:
        conn.close()
    assert (
        'CREATE POLICY "readers" ON "t"\n  AS PERMISSIVE FOR SELECT TO "app reader", public\n  USING (a = 1);' in text
    )


def test_readable_ddl_drops_only_parentheses_that_enclose_the_whole_expression(conn: Connection) -> None:
    def shown(expression: str) -> str:
        column = Column("g", 1, "integer", generated=expression, generated_kind="stored")
        return ddl(Table(conn.default_schema, "t", columns=(column,)), conn)

    assert "AS (a * 2) STORED" in shown("(a * 2)")
    assert "AS ((a) + (b)) STORED" in shown("(a) + (b)")
    assert "AS ((a = '(') OR (b = ')')) STORED" in shown("(a = '(') OR (b = ')')")


@pytest.mark.postgres
def test_owner_and_grants_are_shown_and_compared(pg_url: str, pg_role: str) -> None:
    conn = connect(pg_url)
    try:
        conn.execute_script(f"""
            CREATE TABLE t (id integer);
            GRANT SELECT, INSERT ON t TO {pg_role};
            GRANT UPDATE ON t TO {pg_role} WITH GRANT OPTION;
            GRANT SELECT ON t TO PUBLIC;
            CREATE SEQUENCE s;
            GRANT USAGE ON SEQUENCE s TO {pg_role};
            CREATE VIEW w AS SELECT id FROM t;
            GRANT SELECT ON w TO {pg_role};
        """)
        before = conn.introspect()
        text = ddl(before.table("t"), conn)
        sequence_text = ddl(next(s for s in before.sequences if s.name == "s"), conn)
        view_text = ddl(before.view("w"), conn)
        conn.execute(f"REVOKE INSERT ON t FROM {pg_role}")
        changes = diff(before, conn.introspect()).describe()
    finally:
        conn.close()
    assert f'ALTER TABLE "t" OWNER TO "{before.table("t").owner}";' in text
    assert f'GRANT INSERT, SELECT ON "t" TO "{pg_role}";' in text
    assert f'GRANT UPDATE ON "t" TO "{pg_role}" WITH GRANT OPTION;' in text
    assert 'GRANT SELECT ON "t" TO PUBLIC;' in text
    assert f'GRANT USAGE ON SEQUENCE "s" TO "{pg_role}";' in sequence_text
    assert f'ALTER VIEW "w" OWNER TO "{before.view("w").owner}";' in view_text
    assert f'GRANT SELECT ON "w" TO "{pg_role}";' in view_text
    assert f"grant public.t.INSERT to {pg_role} removed" in changes
