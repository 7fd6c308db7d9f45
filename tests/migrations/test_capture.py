"""A rollback that keeps what users wrote since the apply, judged by the databases' own dumps.

The refactor renames a column, drops columns (one with a default, one required without), turns a
text column into an enum (a CHECK on SQLite), retypes a number to text, drops a referenced table
and makes a new one. Users then write through the new shape. After the rollback the old shape
must hold the original rows plus exactly the writes that fit — the same dump as a database that
had the old shape all along and got those writes as plain SQL — and the rest sits in the side
table with its reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import judge
from tests.conftest import create_pg_database, drop_pg_database, pg_url_for
from tests.migrations.helpers import dialect, write_files
from workbench.db import Connection, connect
from workbench.db.catalog import is_workbench_object
from workbench.migrations.engine import Migrator
from workbench.migrations.replay import RowsDoNotFit
from workbench.migrations.service import MigrationService
from workbench.migrations.store import Store

BASE = """
CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer REFERENCES customers (id),
    status text NOT NULL,
    note text NOT NULL DEFAULT 'none',
    amount integer
);
CREATE TABLE items (id integer PRIMARY KEY, sku text NOT NULL, qty integer, legacy text NOT NULL);
INSERT INTO customers VALUES (1, 'Ada'), (2, 'Bob');
INSERT INTO orders VALUES (1, 1, 'new', 'first', 10), (2, 2, 'paid', 'second', 20), (3, 1, 'new', 'third', 30);
INSERT INTO items VALUES (1, 'a', 1, 'L1'), (2, 'b', 2, 'L2');
"""

REFACTOR = {
    "postgres": """
ALTER TABLE orders RENAME COLUMN amount TO total;
ALTER TABLE orders DROP COLUMN note;
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');
ALTER TABLE orders ALTER COLUMN status TYPE order_status USING status::order_status;
DROP TABLE customers CASCADE;
ALTER TABLE items DROP COLUMN legacy;
ALTER TABLE items ALTER COLUMN qty TYPE text;
CREATE TABLE shipments (id integer PRIMARY KEY, order_id integer);
""",
    "sqlite": """
ALTER TABLE orders RENAME COLUMN amount TO total;
CREATE TABLE orders_new (
    id integer PRIMARY KEY,
    customer_id integer,
    status text NOT NULL CHECK (status IN ('new', 'paid', 'shipped')),
    total integer
);
INSERT INTO orders_new SELECT id, customer_id, status, total FROM orders;
DROP TABLE orders;
ALTER TABLE orders_new RENAME TO orders;
DROP TABLE customers;
CREATE TABLE items_new (id integer PRIMARY KEY, sku text NOT NULL, qty text);
INSERT INTO items_new SELECT id, sku, qty FROM items;
DROP TABLE items;
ALTER TABLE items_new RENAME TO items;
CREATE TABLE shipments (id integer PRIMARY KEY, order_id integer);
""",
}

# Written by users through the new shape, after the apply.
WRITES = """
INSERT INTO orders (id, customer_id, status, total) VALUES (101, 1, 'paid', 70);
INSERT INTO orders (id, customer_id, status, total) VALUES (102, 99, 'new', 5);
UPDATE orders SET total = 999, status = 'shipped' WHERE id = 1;
DELETE FROM orders WHERE id = 2;
INSERT INTO orders (id, customer_id, status, total) VALUES (103, 1, 'new', 1);
DELETE FROM orders WHERE id = 103;
UPDATE items SET qty = '7' WHERE id = 1;
UPDATE items SET qty = 'many' WHERE id = 2;
INSERT INTO items (id, sku, qty) VALUES (10, 'x', '3');
INSERT INTO shipments VALUES (1, 101);
"""

# The same writes as the old shape can hold them: what the rollback must leave.
FITTING = """
INSERT INTO orders (id, customer_id, status, amount) VALUES (101, 1, 'paid', 70);
UPDATE orders SET amount = 999, status = 'shipped' WHERE id = 1;
DELETE FROM orders WHERE id = 2;
UPDATE items SET qty = 7 WHERE id = 1;
"""

SET_ASIDE = {
    ("public.orders", '{"id": 102}'): "no customers row it refers to",
    ("public.items", '{"id": 2}'): "does not fit",
    ("public.items", '{"id": 10}'): "legacy has no value and no default in the old shape",
    ("public.shipments", '{"id": 1}'): "shipments did not exist before 001",
}


@pytest.fixture
def expected_url(backend_url: str, tmp_path: Path) -> Iterator[str]:
    """A second database of the same backend: the old shape, written to with plain SQL."""
    if backend_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'expected.db'}"
        return
    name = create_pg_database("wbexpect")
    try:
        yield pg_url_for(name)
    finally:
        drop_pg_database(name)


def _refactored(conn: Connection, tmp_path: Path) -> Migrator:
    conn.execute_script(BASE)
    folder = write_files(tmp_path / "migrations", {"001_refactor.sql": REFACTOR[dialect(conn)]})
    mg = Migrator(conn, folder)
    report = mg.up()
    assert report.ok, report.failure
    return mg


def _side_table(conn: Connection) -> dict[tuple[str, str], str]:
    side = Store(conn).table("set_aside")
    rows = conn.query(f"SELECT source_table, row_key, reason FROM {side}").rows
    return {(str(t).replace("main.", "public."), str(k)): str(r) for t, k, r in rows}


def test_a_rollback_keeps_the_writes_that_fit_and_sets_the_rest_aside(
    backend_url: str, conn: Connection, tmp_path: Path, expected_url: str
) -> None:
    other = connect(expected_url, options={"create": True})
    other.execute_script(BASE + FITTING)
    other.close()
    expected = judge.snapshot(expected_url)
    mg = _refactored(conn, tmp_path)
    conn.execute_script(WRITES)

    report = mg.down(to="0", keep_aside=True)

    assert report.ok, report.failure
    judge.assert_same(expected, judge.snapshot(backend_url))
    got = _side_table(conn)
    assert set(got) == set(SET_ASIDE), got
    for key, reason in SET_ASIDE.items():
        assert reason in got[key], (key, got[key])
    text = "\n".join(report.lines())
    assert "carried over" in text and "set aside 2 rows of " in text and "does not fit" in text


def test_rows_that_do_not_fit_stop_the_rollback_unless_kept_aside(
    backend_url: str, conn: Connection, tmp_path: Path
) -> None:
    mg = _refactored(conn, tmp_path)
    conn.execute_script(WRITES)
    after = judge.snapshot(backend_url)

    with pytest.raises(RowsDoNotFit, match=r"nothing was rolled back: 4 rows written since 001 .*--keep-aside"):
        mg.down(to="0")

    judge.assert_same(after, judge.snapshot(backend_url))  # the new shape, its writes and the capture stay
    conn.execute("INSERT INTO orders (id, customer_id, status, total) VALUES (104, 1, 'new', 4)")
    assert mg.down(to="0", keep_aside=True).ok
    assert conn.query("SELECT amount FROM orders WHERE id = 104").scalar() == 4  # still captured after the stop


def test_the_capture_hides_from_catalogs_and_goes_with_finalize(
    backend_url: str, conn: Connection, tmp_path: Path
) -> None:
    mg = _refactored(conn, tmp_path)
    catalog = conn.introspect()
    assert any(t.name.startswith("workbench_capture") for t in catalog.triggers)
    assert not catalog.without(is_workbench_object).triggers

    done = mg.finalize("001")

    assert done == [("001", 3, 3)]  # orders, items, shipments; backups of orders, customers, items
    assert not conn.introspect().triggers
    assert not [b for b in mg.backups() if b.needed]


def test_the_forecast_rehearses_the_carry_and_names_the_rows_that_do_not_fit(
    backend_url: str, conn: Connection, tmp_path: Path
) -> None:
    mg = _refactored(conn, tmp_path)
    conn.execute_script(WRITES)
    after = judge.snapshot(backend_url)
    svc = MigrationService(conn, tmp_path / "migrations")

    forecast = svc.forecast(svc.rollback_targets()[0])

    judge.assert_same(after, judge.snapshot(backend_url))  # a rehearsal: nothing changed, capture still on
    assert not forecast.rehearsal_problem
    schema = conn.default_schema
    carried = {c.table: (c.upserted, c.deleted, len(c.aside)) for c in forecast.carried["001"]}
    assert carried == {f"{schema}.orders": (2, 1, 1), f"{schema}.items": (1, 0, 2), f"{schema}.shipments": (0, 0, 1)}
    assert sorted(a.split(":")[0] for a in forecast.set_aside) == sorted(
        [f"{schema}.orders id=102", f"{schema}.items id=2", f"{schema}.items id=10", f"{schema}.shipments id=1"]
    )
    assert not any("orders" in r or "items" in r for r in forecast.rows_not_kept)  # carried, not lost
    assert mg.down(to="0", keep_aside=True).ok


def test_rows_carried_with_their_keys_move_the_sequence_past_them(
    backend_url: str, conn: Connection, tmp_path: Path
) -> None:
    serial = "serial" if dialect(conn) == "postgres" else "integer"
    conn.execute_script(f"CREATE TABLE notes (id {serial} PRIMARY KEY, body text, old text);")
    conn.execute_script("INSERT INTO notes (body, old) VALUES ('a', 'x'), ('b', 'y');")
    folder = write_files(tmp_path / "migrations", {"001_drop.sql": "ALTER TABLE notes DROP COLUMN old;"})
    mg = Migrator(conn, folder)
    assert mg.up().ok
    conn.execute_script("INSERT INTO notes (body) VALUES ('c'), ('d');")  # ids 3 and 4, from the sequence

    assert mg.down(to="0").ok

    conn.execute("INSERT INTO notes (body) VALUES ('e')")  # the next default does not collide
    assert conn.query("SELECT id, body, old FROM notes ORDER BY id").rows == [
        (1, "a", "x"),
        (2, "b", "y"),
        (3, "c", None),
        (4, "d", None),
        (5, "e", None),
    ]


def test_an_update_that_moves_a_key_is_carried_as_the_row_under_its_new_key(
    backend_url: str, conn: Connection, tmp_path: Path
) -> None:
    conn.execute_script("CREATE TABLE notes (id integer PRIMARY KEY, body text, old text DEFAULT 'gone');")
    conn.execute_script("INSERT INTO notes VALUES (1, 'a', 'x'), (2, 'b', 'y');")
    folder = write_files(tmp_path / "migrations", {"001_drop.sql": "ALTER TABLE notes DROP COLUMN old;"})
    mg = Migrator(conn, folder)
    assert mg.up().ok
    conn.execute("UPDATE notes SET id = 20, body = 'moved' WHERE id = 2")

    assert mg.down(to="0").ok

    assert conn.query("SELECT id, body, old FROM notes ORDER BY id").rows == [(1, "a", "x"), (20, "moved", "gone")]


def test_a_composite_key_is_carried_by_all_its_columns(backend_url: str, conn: Connection, tmp_path: Path) -> None:
    conn.execute_script(
        "CREATE TABLE stock (shop integer, sku text, qty integer NOT NULL, bin text DEFAULT 'A', PRIMARY KEY (shop, sku));"
        "INSERT INTO stock VALUES (1, 'x', 5, 'B'), (1, 'y', 6, 'C'), (2, 'x', 7, 'D');"
    )
    folder = write_files(tmp_path / "migrations", {"001_drop.sql": "ALTER TABLE stock DROP COLUMN bin;"})
    mg = Migrator(conn, folder)
    assert mg.up().ok
    conn.execute_script(
        "UPDATE stock SET qty = 50 WHERE shop = 1 AND sku = 'x'; DELETE FROM stock WHERE shop = 1 AND sku = 'y';"
        "INSERT INTO stock VALUES (2, 'y', 8);"
    )

    assert mg.down(to="0").ok

    assert conn.query("SELECT shop, sku, qty, bin FROM stock ORDER BY shop, sku").rows == [
        (1, "x", 50, "B"),
        (2, "x", 7, "D"),
        (2, "y", 8, "A"),
    ]


@pytest.mark.postgres
def test_an_application_role_without_rights_on_the_workbench_schema_still_writes(
    pg_url: str, pg_role: str, tmp_path: Path
) -> None:
    conn = connect(pg_url)
    mg = _refactored(conn, tmp_path)
    conn.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON orders, items TO {pg_role}")
    with conn.transaction():
        conn.execute(f"SET LOCAL ROLE {pg_role}")
        conn.execute("UPDATE orders SET total = 5 WHERE id = 1")  # the capture writes its log as its owner
        conn.execute("DELETE FROM items WHERE id = 2")
    assert mg.down(to="0").ok
    assert conn.query("SELECT amount FROM orders WHERE id = 1").scalar() == 5
    assert conn.query("SELECT count(*) FROM items").scalar() == 1
    conn.close()
