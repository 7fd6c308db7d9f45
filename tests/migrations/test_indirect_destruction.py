"""What a statement destroys without naming it is backed up too, and the rollback gives it back.

Triggers that write elsewhere, functions called by a SELECT, writable CTEs, CASCADE through
types, domains and extensions, partitions of a dropped table: the tables they change are found
by the database itself before the statement runs for real, copied aside, and restored. Judged by
the database's own dump (pg_dump / sqlite3 .dump, rows sorted), not by our catalog.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.db import connect
from workbench.migrations.backups import UNDONE
from workbench.migrations.engine import Migrator
from tests.judge import assert_same, snapshot
from tests.migrations.helpers import judged_round_trip, write_files


def _prepared(url: str, tmp_path: Path, base: str, migration: str) -> Migrator:
    """`base` loaded and `migration` in a migrations folder, nothing applied."""
    conn = connect(url)
    conn.execute_script(base)
    return Migrator(conn, write_files(tmp_path / "migrations", {"001_change.sql": migration}))


def _round_trip(url: str, tmp_path: Path, base: str, migration: str) -> Migrator:
    """Load `base`, apply `migration`, roll it back; assert the dump is as before and that the
    migration did change something. Returns the engine for further questions."""
    return judged_round_trip(url, _prepared(url, tmp_path, base, migration))


def test_trigger_side_effects_are_undone(backend_url: str, tmp_path: Path) -> None:
    if backend_url.startswith("sqlite"):
        base = """
        CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER NOT NULL);
        CREATE TABLE log (id INTEGER PRIMARY KEY AUTOINCREMENT, msg TEXT NOT NULL);
        CREATE TRIGGER orders_gone AFTER DELETE ON orders BEGIN INSERT INTO log (msg) VALUES ('deleted ' || old.id); END;
        INSERT INTO orders (total) VALUES (10), (20), (30);
        INSERT INTO log (msg) VALUES ('start');
        """
    else:
        base = """
        CREATE TABLE orders (id serial PRIMARY KEY, total integer NOT NULL);
        CREATE TABLE log (id serial PRIMARY KEY, msg text NOT NULL);
        CREATE FUNCTION note_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO log (msg) VALUES ('deleted ' || old.id); RETURN old; END $$;
        CREATE TRIGGER orders_gone AFTER DELETE ON orders FOR EACH ROW EXECUTE FUNCTION note_delete();
        INSERT INTO orders (total) VALUES (10), (20), (30);
        INSERT INTO log (msg) VALUES ('start');
        """
    mg = _round_trip(backend_url, tmp_path, base, "DELETE FROM orders WHERE total > 15;")
    taken = {b.backup.source_table for b in mg.backups() if b.backup.purpose == UNDONE}  # taken, then served
    assert {"orders", "log"} <= taken


@pytest.mark.postgres
def test_a_function_called_by_select_has_its_writes_backed_up(pg_url: str, tmp_path: Path) -> None:
    base = """
    CREATE TABLE events (id integer PRIMARY KEY, kind text);
    INSERT INTO events SELECT g, CASE WHEN g % 2 = 0 THEN 'old' ELSE 'new' END FROM generate_series(1, 20) g;
    CREATE FUNCTION purge() RETURNS integer LANGUAGE sql AS $$ DELETE FROM events WHERE kind = 'old' RETURNING 1 $$;
    """
    _round_trip(pg_url, tmp_path, base, "CREATE TABLE marker (a integer);\nSELECT purge();")


@pytest.mark.postgres
def test_a_writable_cte_is_a_write(pg_url: str, tmp_path: Path) -> None:
    base = """
    CREATE TABLE events (id integer PRIMARY KEY, kind text);
    CREATE TABLE archive (id integer, kind text);
    INSERT INTO events SELECT g, 'k' || g FROM generate_series(1, 10) g;
    """
    _round_trip(
        pg_url,
        tmp_path,
        base,
        "WITH gone AS (DELETE FROM events WHERE id > 5 RETURNING *) INSERT INTO archive SELECT * FROM gone;",
    )


@pytest.mark.postgres
@pytest.mark.parametrize("drop", ["DROP TYPE mood CASCADE;", "DROP DOMAIN score CASCADE;"])
def test_drop_cascade_through_a_type_keeps_the_columns_it_took(pg_url: str, tmp_path: Path, drop: str) -> None:
    base = """
    CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
    CREATE DOMAIN score AS integer CHECK (VALUE BETWEEN 0 AND 10);
    CREATE TABLE people (id integer PRIMARY KEY, feeling mood, points score, name text);
    INSERT INTO people VALUES (1, 'sad', 3, 'a'), (2, 'happy', 9, 'b'), (3, NULL, NULL, 'c');
    """
    _round_trip(pg_url, tmp_path, base, drop)


@pytest.mark.postgres
def test_drop_extension_cascade_keeps_the_columns_it_took(pg_url: str, tmp_path: Path) -> None:
    base = """
    CREATE EXTENSION citext;
    CREATE TABLE users (id integer PRIMARY KEY, email citext NOT NULL);
    INSERT INTO users VALUES (1, 'A@x.org'), (2, 'b@X.org');
    """
    _round_trip(pg_url, tmp_path, base, "DROP EXTENSION citext CASCADE;")


@pytest.mark.postgres
def test_enum_value_rename_warns_and_rolls_back(pg_url: str, tmp_path: Path) -> None:
    base = """
    CREATE TYPE mood AS ENUM ('sad', 'ok');
    CREATE TABLE people (id integer PRIMARY KEY, feeling mood);
    INSERT INTO people VALUES (1, 'sad'), (2, 'ok');
    """
    mg = _prepared(pg_url, tmp_path, base, "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';")
    step = next(s for s in mg.plan_up().migrations[0].steps if s.action == "statement")
    assert any("renames a value of enum mood" in f.message for f in step.findings), step.findings
    judged_round_trip(pg_url, mg)


@pytest.mark.postgres
def test_dropping_a_partitioned_table_backs_up_its_partitions(pg_url: str, tmp_path: Path) -> None:
    base = """
    CREATE TABLE measures (id integer, taken date NOT NULL, value numeric) PARTITION BY RANGE (taken);
    CREATE TABLE measures_2025 PARTITION OF measures FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
    CREATE TABLE measures_2026 PARTITION OF measures FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
    INSERT INTO measures SELECT g, date '2025-06-01' + g * 2, g * 1.5 FROM generate_series(1, 200) g;
    """
    _round_trip(pg_url, tmp_path, base, "DROP TABLE measures;")


@pytest.mark.postgres
def test_select_into_is_undone_by_the_inverse(pg_url: str, tmp_path: Path) -> None:
    base = """
    CREATE TABLE audit (id integer PRIMARY KEY, what text);
    INSERT INTO audit VALUES (1, 'a'), (2, 'b');
    """
    _round_trip(pg_url, tmp_path, base, "SELECT * INTO audit_copy FROM audit;")


def test_sqlite_rowids_survive_a_rollback(sqlite_url: str, tmp_path: Path) -> None:
    base = """
    CREATE TABLE notes (body TEXT, extra TEXT);
    INSERT INTO notes VALUES ('a', 'x'), ('b', 'x'), ('c', 'x'), ('d', 'x'), ('e', 'x');
    DELETE FROM notes WHERE body IN ('a', 'b');
    """
    _round_trip(sqlite_url, tmp_path, base, "ALTER TABLE notes DROP COLUMN extra;")
    conn = connect(sqlite_url)
    assert conn.query("SELECT rowid, body FROM notes ORDER BY rowid").rows == [(3, "c"), (4, "d"), (5, "e")]


def test_autoincrement_counters_come_back(sqlite_url: str, tmp_path: Path) -> None:
    base = """
    CREATE TABLE tickets (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT);
    INSERT INTO tickets (title) VALUES ('a'), ('b');
    """
    _round_trip(
        sqlite_url,
        tmp_path,
        base,
        "INSERT INTO tickets (title) VALUES ('c'), ('d');\n"
        "CREATE TABLE other (id INTEGER PRIMARY KEY AUTOINCREMENT, x TEXT);\n"
        "INSERT INTO other (x) VALUES ('y');",
    )


@pytest.mark.postgres
def test_extensions_a_migration_created_are_gone_after_the_rollback(pg_url: str, tmp_path: Path) -> None:
    base = "CREATE TABLE t (id integer PRIMARY KEY);\nINSERT INTO t VALUES (1);"
    _round_trip(
        pg_url, tmp_path, base, "CREATE EXTENSION IF NOT EXISTS citext;\nALTER TABLE t ADD COLUMN email citext;"
    )


def test_a_rollback_never_takes_a_backup_of_an_earlier_apply(backend_url: str, tmp_path: Path) -> None:
    """Apply, roll back, apply again: the second apply backs up fewer tables (its DELETE matches
    nothing, so no trigger writes the log). Its rollback must leave the log as it is now — not
    restore it from the first apply's backup, which would lose what was written since."""
    trigger = (
        "CREATE TRIGGER orders_gone AFTER DELETE ON orders BEGIN INSERT INTO log (msg) VALUES ('gone'); END;"
        if backend_url.startswith("sqlite")
        else "CREATE FUNCTION gone() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO log (msg) "
        "VALUES ('gone'); RETURN old; END $$;\n"
        "CREATE TRIGGER orders_gone AFTER DELETE ON orders FOR EACH ROW EXECUTE FUNCTION gone();"
    )
    key = "integer" if backend_url.startswith("sqlite") else "serial"
    base = (
        "CREATE TABLE orders (id integer PRIMARY KEY, total integer);\n"
        f"CREATE TABLE log (id {key} PRIMARY KEY, msg text);\n"
        + trigger
        + "\nINSERT INTO orders VALUES (1, 10), (2, 20), (3, 30);"
    )
    mg = _prepared(backend_url, tmp_path, base, "DELETE FROM orders WHERE total > 15;")
    assert mg.up().ok
    first = {b.backup.id for b in mg.backups()}
    assert mg.down(to="0").ok
    conn = mg.conn
    conn.execute("UPDATE orders SET total = 1")
    conn.execute("INSERT INTO log (id, msg) VALUES (100, 'written since')")
    assert mg.up().ok
    old = [b for b in mg.backups() if b.backup.id in first]
    assert old and all(not b.needed and b.backup.purpose == UNDONE for b in old)
    assert any(b.needed and b.backup.source_table == "orders" for b in mg.backups())
    before = snapshot(backend_url)
    assert mg.down(to="0").ok
    assert_same(before, snapshot(backend_url))
    assert conn.query("SELECT msg FROM log ORDER BY id").rows == [("written since",)]
