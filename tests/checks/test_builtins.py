"""Built-in checks on both backends: orphans, values in use, primary keys, RLS, objects present, idempotency."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from workbench.checks.builtins import BuiltinConfig, builtin_checks, check_value_list, load_config, parse_config
from workbench.checks.runner import CheckResult, run_checks
from workbench.checks.suite import plan_suite
from workbench.db import Connection, connect
from workbench.db.catalog import CheckConstraint
from workbench.errors import ConfigError
from workbench.migrations.discovery import Migration, discover
from workbench.project import load_project


def run_builtins(
    conn: Connection, config: BuiltinConfig | None = None, migrations: Sequence[Migration] = ()
) -> dict[str, CheckResult]:
    config = config or BuiltinConfig()
    catalog = conn.introspect()
    return {r.name: r for r in run_checks(conn, builtin_checks(conn, catalog, config, migrations), catalog=catalog)}


def is_pg(conn: Connection) -> bool:
    return conn.backend.name == "postgresql"


# Broken data is made the way each database allows: SQLite does not enforce foreign keys on a
# plain connection and can ignore CHECKs; PostgreSQL takes constraints added NOT VALID.
SQLITE_BROKEN = """
CREATE TABLE customers (id integer PRIMARY KEY, region text NOT NULL, tier text CHECK (tier IN ('free', 'pro')));
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id), region text,
                     FOREIGN KEY (customer_id, region) REFERENCES customers (id, region));
CREATE UNIQUE INDEX customers_id_region ON customers (id, region);
INSERT INTO customers VALUES (1, 'eu', 'free'), (2, 'us', 'pro');
INSERT INTO orders VALUES (10, 1, 'eu'), (11, 2, NULL), (12, 3, 'eu'), (13, NULL, NULL), (14, 1, 'us');
PRAGMA ignore_check_constraints = ON;
INSERT INTO customers VALUES (4, 'us', 'enterprise');
PRAGMA ignore_check_constraints = OFF;
"""
PG_BROKEN = """
CREATE TABLE customers (id integer PRIMARY KEY, region text NOT NULL, tier text, UNIQUE (id, region));
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer, region text);
INSERT INTO customers VALUES (1, 'eu', 'free'), (2, 'us', 'pro'), (4, 'us', 'enterprise');
INSERT INTO orders VALUES (10, 1, 'eu'), (11, 2, NULL), (12, 3, 'eu'), (13, NULL, NULL), (14, 1, 'us');
ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
ALTER TABLE orders ADD FOREIGN KEY (customer_id, region) REFERENCES customers (id, region) NOT VALID;
ALTER TABLE customers ADD CONSTRAINT tier_check CHECK (tier IN ('free', 'pro')) NOT VALID;
"""


def test_orphan_rows_fail_their_foreign_key_check_on_both_backends(conn: Connection) -> None:
    conn.execute_script(PG_BROKEN if is_pg(conn) else SQLITE_BROKEN)
    results = run_builtins(conn)
    single, composite = results["orders(customer_id) → customers"], results["orders(customer_id, region) → customers"]
    assert (single.status, single.actual) == ("fail", "1")  # order 12; NULL keys are not orphans
    assert (composite.status, composite.actual) == ("fail", "2")  # orders 12 and 14
    assert "every orders.customer_id value exists in customers.id" == single.check.description


def test_values_outside_a_check_list_fail_and_are_listed(conn: Connection) -> None:
    conn.execute_script(PG_BROKEN if is_pg(conn) else SQLITE_BROKEN)
    result = run_builtins(conn)["customers.tier values"]
    assert (result.status, result.actual, result.detail) == ("fail", "rows: 1", ("row: enterprise",))


def test_clean_database_passes_every_default_builtin(conn: Connection) -> None:
    conn.execute_script(
        "CREATE TABLE a (id integer PRIMARY KEY, kind varchar(10) CHECK (kind IN ('x', 'y')));"
        "CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a (id), n integer CHECK (n IN (1, 2)));"
        "INSERT INTO a VALUES (1, 'x'), (2, NULL); INSERT INTO b VALUES (1, 1, 2), (2, NULL, NULL);"
    )
    results = run_builtins(conn)
    assert {name: r.status for name, r in results.items()} == {
        "b(a_id) → a": "pass",
        "a.kind values": "pass",
        "b.n values": "pass",
        "every table has a primary key": "pass",
    }


def test_tables_without_primary_key_are_named(conn: Connection) -> None:
    conn.execute_script(
        "CREATE TABLE keyed (id integer PRIMARY KEY); CREATE TABLE loose (id integer); CREATE TABLE skipme (x integer);"
    )
    result = run_builtins(conn, BuiltinConfig(exclude=("skip*",)))["every table has a primary key"]
    assert (result.status, result.actual, result.detail) == ("fail", "rows: 1", ("row: loose",))


def test_defaults_can_be_turned_off(conn: Connection) -> None:
    conn.execute_script(
        "CREATE TABLE loose (id integer UNIQUE, p integer REFERENCES loose (id), k text CHECK (k IN ('a')))"
    )
    assert run_builtins(conn, BuiltinConfig(foreign_keys=False, values=False, primary_keys=False)) == {}


def test_triggers_named_in_the_config_must_exist(conn: Connection) -> None:
    conn.execute_script("CREATE TABLE t (id integer PRIMARY KEY, n integer)")
    if is_pg(conn):
        conn.execute_script(
            "CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.n := 1; RETURN NEW; END $$;"
            "CREATE TRIGGER t_bump BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION bump();"
        )
    else:
        conn.execute_script("CREATE TRIGGER t_bump AFTER INSERT ON t BEGIN UPDATE t SET n = 1 WHERE id = NEW.id; END;")
    results = run_builtins(
        conn, BuiltinConfig(primary_keys=False, triggers=("t_bump", "t.t_bump", "other.t_bump", "gone"))
    )
    assert {n: r.status for n, r in results.items()} == {
        "trigger t_bump exists": "pass",
        "trigger t.t_bump exists": "pass",
        "trigger other.t_bump exists": "fail",
        "trigger gone exists": "fail",
    }


@pytest.mark.postgres
def test_functions_named_in_the_config_must_exist(pg_url: str) -> None:
    conn = connect(pg_url)
    try:
        conn.execute("CREATE FUNCTION set_updated_at() RETURNS integer LANGUAGE sql AS 'SELECT 1'")
        config = BuiltinConfig(primary_keys=False, functions=("set_updated_at", "public.set_updated_at", "missing"))
        results = run_builtins(conn, config)
    finally:
        conn.close()
    assert [(r.status, r.actual) for r in results.values()] == [("pass", "true"), ("pass", "true"), ("fail", "false")]


RLS = """
CREATE TABLE notes (id integer PRIMARY KEY, owner text);
CREATE TABLE secrets (id integer PRIMARY KEY);
CREATE TABLE locked (id integer PRIMARY KEY);
CREATE POLICY notes_owner ON notes USING (owner = current_user);
CREATE POLICY notes_admin ON notes FOR DELETE USING (true);
CREATE POLICY secrets_none ON secrets USING (false);
ALTER TABLE secrets ENABLE ROW LEVEL SECURITY;
"""


@pytest.mark.postgres
def test_rls_must_be_enabled_where_policies_exist_and_counts_must_match(pg_url: str) -> None:
    conn = connect(pg_url)
    try:
        conn.execute_script(RLS)
        config = BuiltinConfig(rls_tables=("locked",), policies=(("notes", 2), ("secrets", 2)))
        results = run_builtins(conn, config)
    finally:
        conn.close()
    rls = {n: (r.status, r.actual) for n, r in results.items() if r.file == "built-in/rls"}
    assert rls == {
        "notes has RLS enabled": ("fail", "false"),  # two policies that do nothing
        "secrets has RLS enabled": ("pass", "true"),
        "locked has RLS enabled": ("fail", "false"),
        "notes has 2 RLS policies": ("pass", "2"),
        "secrets has 2 RLS policies": ("fail", "1"),
    }


def test_rls_checks_only_exist_where_the_backend_has_rls(conn: Connection) -> None:
    conn.execute("CREATE TABLE notes (id integer PRIMARY KEY)")
    names = {c.file for c in builtin_checks(conn, conn.introspect(), BuiltinConfig(rls_tables=("notes",)))}
    assert ("built-in/rls" in names) == conn.capabilities.rls


@pytest.mark.postgres
def test_a_table_named_in_the_config_that_does_not_exist_is_an_error(pg_url: str) -> None:
    conn = connect(pg_url)
    try:
        result = run_builtins(conn, BuiltinConfig(policies=(("ghost", 1),)))["ghost has 1 RLS policy"]
    finally:
        conn.close()
    assert (result.status, result.error) == ("error", "no table named 'ghost'")


# -- idempotency ------------------------------------------------------------------------------

MIGRATIONS = {
    "001_safe.sql": "CREATE TABLE IF NOT EXISTS runs (id integer PRIMARY KEY, name text);\n"
    "CREATE INDEX IF NOT EXISTS runs_name ON runs (name);\n",
    "002_rebuild.sql": "DROP TABLE IF EXISTS tags;\nCREATE TABLE tags (id integer PRIMARY KEY);\n",
    "003_add_column.sql": "CREATE TABLE IF NOT EXISTS runs (id integer PRIMARY KEY, name text);\n"
    "ALTER TABLE runs ADD COLUMN started text;\n",
    "004_plain_create.sql": "CREATE TABLE events (id integer PRIMARY KEY);\n",
    "005_own_transaction.sql": "BEGIN;\nCREATE TABLE IF NOT EXISTS x (id integer);\nCOMMIT;\n",
    "006_needs_missing.sql": "ALTER TABLE nowhere ADD COLUMN y integer;\n",
    "007_concurrently.sql": "CREATE TABLE IF NOT EXISTS y (id integer);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS yi ON y (id);\n",
}


@pytest.fixture
def migrations(tmp_path: Path) -> list:
    folder = tmp_path / "migrations"
    folder.mkdir()
    for name, sql in MIGRATIONS.items():
        (folder / name).write_text(sql)
    return discover(folder)


def test_idempotency_runs_each_migration_twice_and_leaves_the_database_as_it_was(
    conn: Connection, migrations: list
) -> None:
    before = conn.introspect()
    results = run_builtins(conn, BuiltinConfig(idempotent=("all",)), migrations)
    outcome = {
        n.removesuffix(" is idempotent"): (r.status, r.detail, r.error) for n, r in results.items() if "idempotent" in n
    }
    assert outcome["001_safe"] == ("pass", (), None)
    assert outcome["002_rebuild"] == ("pass", (), None)
    assert outcome["003_add_column"][0] == "fail"
    assert outcome["003_add_column"][1][0].startswith("row: the second run failed at statement 2 (line 2): ")
    assert outcome["004_plain_create"][0] == "fail"
    assert outcome["005_own_transaction"] == ("pass", (), None)  # its BEGIN/COMMIT give way to ours
    assert outcome["006_needs_missing"][0] == "error"
    assert (outcome["006_needs_missing"][2] or "").startswith("the first run failed at statement 1 (line 1)")
    assert outcome["007_concurrently"][0] == "skipped"
    assert "statement 2 (line 2) must run outside a transaction" in (outcome["007_concurrently"][2] or "")
    assert conn.introspect() == before


def test_an_applied_migration_is_run_once_more_only(conn: Connection, migrations: list) -> None:
    from workbench.migrations.engine import Migrator

    wanted = [m for m in migrations if m.version in ("001", "003")]
    assert Migrator(conn, wanted).up().failure is None
    results = run_builtins(conn, BuiltinConfig(primary_keys=False, idempotent=("001", "003")), wanted)
    safe, add_column = results["001_safe is idempotent"], results["003_add_column is idempotent"]
    assert (safe.status, add_column.status) == ("pass", "fail")
    assert add_column.detail[0].startswith("row: running it again failed at statement 2 (line 2): ")


def test_idempotency_can_name_migrations_by_version(conn: Connection, migrations: list) -> None:
    checks = builtin_checks(conn, conn.introspect(), BuiltinConfig(idempotent=("1", "002_rebuild")), migrations)
    assert [c.name for c in checks if c.file == "built-in/idempotency"] == [
        "001_safe is idempotent",
        "002_rebuild is idempotent",
    ]
    with pytest.raises(ConfigError, match="do not exist: 9"):
        builtin_checks(conn, conn.introspect(), BuiltinConfig(idempotent=("9",)), migrations)


# -- configuration and parsing ----------------------------------------------------------------


def test_config_file_is_read_and_validated(tmp_path: Path) -> None:
    assert load_config(tmp_path) == BuiltinConfig()
    (tmp_path / "builtins.toml").write_text(
        'values = false\nfunctions = ["f"]\nidempotent = "all"\n[policies]\nnotes = 2\n'
    )
    assert load_config(tmp_path) == BuiltinConfig(
        values=False, functions=("f",), idempotent=("all",), policies=(("notes", 2),)
    )


@pytest.mark.parametrize(
    "data, complaint",
    [
        ({"foreign_key": True}, "unknown key 'foreign_key'; did you mean 'foreign_keys'?"),
        ({"values": "yes"}, "values must be true or false"),
        ({"functions": "f"}, "functions must be a list of names"),
        ({"policies": {"t": -1}}, "policy counts"),
    ],
)
def test_config_mistakes_are_named(data: dict, complaint: str) -> None:
    with pytest.raises(ConfigError, match=complaint):
        parse_config(data, "checks/builtins.toml")


@pytest.mark.parametrize(
    "expression, column, expected",
    [
        ("status IN ('a', 'b')", None, ("status", ("a", "b"))),
        ("\"Kind\" in ('it''s', 'x')", None, ("Kind", ("it's", "x"))),
        ("n IN (1, 2, -3)", None, ("n", (1, 2, -3))),
        ("s = ANY (ARRAY['a'::text, 'b'::text])", None, ("s", ("a", "b"))),
        ("(v)::text = ANY ((ARRAY['x'::character varying, 'y'::character varying])::text[])", None, ("v", ("x", "y"))),
        ("v::text = ANY (ARRAY['x'::character varying(10), 'y'::character varying]::text[])", None, ("v", ("x", "y"))),
        ("n = ANY (ARRAY[1, 2, 3])", None, ("n", (1, 2, 3))),
        ("(status IN ('a', 'b'))", None, ("status", ("a", "b"))),
        ("k::text = ANY (ARRAY['a'::character varying::text, 'b'::character varying::text])", None, ("k", ("a", "b"))),
        (
            "kind::text = ANY (ARRAY['x'::character varying, 'y'::character varying]::text[])",
            None,
            ("kind", ("x", "y")),
        ),
        ("status IN ('a', 'b')", "other", None),
        ("s = 'a'::text OR s = 'b'::text", None, None),
        ("a IN ('x') AND b IN ('y')", None, None),
        ("a IN ('x', 1)", None, None),
        ("weekday BETWEEN 0 AND 6", None, None),
    ],
)
def test_check_value_lists_are_recognised_in_both_spellings(
    expression: str, column: str | None, expected: object
) -> None:
    assert check_value_list(CheckConstraint(None, expression, column)) == expected


# -- the corpus -------------------------------------------------------------------------------


@pytest.mark.corpus
def test_chinook_on_sqlite_passes_every_builtin(corpus: Path, tmp_path: Path) -> None:
    from tests.corpus_loaders import chinook_sqlite_copy

    conn = connect(str(chinook_sqlite_copy(corpus, tmp_path)))
    try:
        results = run_builtins(conn)
    finally:
        conn.close()
    assert len([r for r in results.values() if r.file == "built-in/foreign-keys"]) == 11
    assert {r.status for r in results.values()} == {"pass"}


@pytest.mark.corpus
@pytest.mark.postgres
def test_chinook_on_postgresql_passes_every_builtin(chinook_pg_url: str) -> None:
    conn = connect(chinook_pg_url)
    try:
        results = run_builtins(conn)
    finally:
        conn.close()
    assert len([r for r in results.values() if r.file == "built-in/foreign-keys"]) == 11
    assert {r.status for r in results.values()} == {"pass"}


@pytest.mark.corpus
@pytest.mark.postgres
def test_pagila_passes_every_builtin_including_partition_keys_and_enum_values(pagila_url: str) -> None:
    conn = connect(pagila_url)
    try:
        results = run_builtins(
            conn, BuiltinConfig(functions=("last_day", "rewards_report"), triggers=("film_fulltext_trigger",))
        )
    finally:
        conn.close()
    assert {r.status for r in results.values()} == {"pass"}
    assert "film.rating values" in results
    assert "payment_p2022_01(customer_id) → customer" in results


# -- a whole project --------------------------------------------------------------------------


def test_suite_plans_file_checks_then_builtins_and_filters_by_tag(conn: Connection, tmp_path: Path) -> None:
    conn.execute_script(
        "CREATE TABLE a (id integer PRIMARY KEY); CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a (id));"
    )
    (tmp_path / "workbench.toml").write_text("")
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "counts.sql").write_text(
        "-- check: a rows\n-- tags: counts\n-- expect: 0\nSELECT count(*) FROM a;\n"
    )
    project = load_project(tmp_path)
    suite = plan_suite(conn, project)
    assert [(c.file, c.name) for c in suite.checks] == [
        ("checks/counts.sql", "a rows"),
        ("built-in/foreign-keys", "b(a_id) → a"),
        ("built-in/primary-keys", "every table has a primary key"),
    ]
    assert [c.name for c in plan_suite(conn, project, tags=["COUNTS"]).checks] == ["a rows"]
    assert [c.name for c in plan_suite(conn, project, tags=["foreign-keys"]).checks] == ["b(a_id) → a"]
    assert [c.name for c in plan_suite(conn, project, builtins=False).checks] == ["a rows"]
