"""The Connection contract, one body per behaviour on both backends."""

from __future__ import annotations

import threading
import time

import pytest

from workbench.db import Connection, DatabaseError, LockTimeout, QueryCancelled, QueryTimeout, connect


def make_items(conn: Connection) -> None:
    conn.execute("CREATE TABLE items (id integer PRIMARY KEY, label text)")
    conn.execute(f"INSERT INTO items VALUES (1, {conn.placeholder})", ("one",))


def test_query_returns_columns_and_rows_with_parameters(conn: Connection) -> None:
    make_items(conn)
    result = conn.query(f"SELECT id, label FROM items WHERE label = {conn.placeholder}", ("one",))
    assert result.columns == ("id", "label")
    assert result.rows == [(1, "one")]
    assert result.scalar() == 1


def test_parameters_are_never_pasted_into_sql(conn: Connection) -> None:
    make_items(conn)
    evil = "x'); DROP TABLE items; --"
    conn.execute(f"INSERT INTO items VALUES (2, {conn.placeholder})", (evil,))
    assert conn.query("SELECT label FROM items WHERE id = 2").scalar() == evil
    assert conn.row_count(conn.default_schema, "items") == 2


def test_transaction_rolls_back_ddl_and_data_on_error(conn: Connection) -> None:
    make_items(conn)
    with pytest.raises(DatabaseError):
        with conn.transaction():
            conn.execute("CREATE TABLE extra (x integer)")
            conn.execute("INSERT INTO items VALUES (2, 'two')")
            conn.execute("INSERT INTO items VALUES (1, 'duplicate key')")
    assert conn.query("SELECT count(*) FROM items").scalar() == 1
    assert conn.introspect().table("extra") is None
    assert not conn.in_transaction()


def test_nested_transaction_is_a_savepoint(conn: Connection) -> None:
    make_items(conn)
    with conn.transaction():
        conn.execute("INSERT INTO items VALUES (2, 'kept')")
        with pytest.raises(DatabaseError):
            with conn.transaction():
                conn.execute("INSERT INTO items VALUES (3, 'undone')")
                conn.execute("SELECT * FROM no_such_table")
        conn.execute("INSERT INTO items VALUES (4, 'kept too')")
    assert [r[0] for r in conn.query("SELECT id FROM items ORDER BY id").rows] == [1, 2, 4]


def test_execute_script_runs_every_statement_inside_the_transaction(conn: Connection) -> None:
    script = """
        CREATE TABLE a (id integer PRIMARY KEY); -- a comment; with a semicolon
        INSERT INTO a VALUES (1);
        INSERT INTO a VALUES (2);
    """
    with pytest.raises(DatabaseError):
        with conn.transaction():
            conn.execute_script(script)
            conn.execute_script("INSERT INTO a VALUES (1)")
    assert conn.introspect().table("a") is None
    conn.execute_script(script)
    assert conn.query("SELECT count(*) FROM a").scalar() == 2


def test_read_only_blocks_writes_and_keeps_data(conn: Connection) -> None:
    make_items(conn)
    with pytest.raises(DatabaseError):
        with conn.read_only():
            conn.execute("DELETE FROM items")
    with pytest.raises(DatabaseError):
        with conn.read_only():
            conn.execute("DROP TABLE items")
    assert conn.query("SELECT count(*) FROM items").scalar() == 1
    conn.execute("INSERT INTO items VALUES (2, 'writable again')")
    assert conn.query("SELECT count(*) FROM items").scalar() == 2


def test_read_only_inside_a_transaction_leaves_the_outer_one_writable(conn: Connection) -> None:
    make_items(conn)
    with conn.transaction():
        with pytest.raises(DatabaseError):
            with conn.read_only():
                conn.execute("DELETE FROM items")
        conn.execute("INSERT INTO items VALUES (2, 'after')")
    assert conn.query("SELECT count(*) FROM items").scalar() == 2


SLOW = {
    "sqlite": "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
    "postgresql": "SELECT pg_sleep(30)",
}


def test_statement_timeout_stops_a_slow_query(conn: Connection) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        with conn.read_only(timeout_s=0.3):
            conn.query(SLOW[conn.backend.name])
    assert time.monotonic() - started < 5
    assert conn.query("SELECT 1").scalar() == 1


def test_cancel_from_another_thread_stops_the_running_query(conn: Connection) -> None:
    timer = threading.Timer(0.3, conn.cancel)
    timer.start()
    started = time.monotonic()
    with pytest.raises(QueryCancelled):
        conn.query(SLOW[conn.backend.name])
    assert time.monotonic() - started < 5
    assert conn.query("SELECT 1").scalar() == 1


def test_lock_is_exclusive_across_connections(backend_url: str) -> None:
    first, second = connect(backend_url), connect(backend_url)
    try:
        with first.lock("migrate", timeout_s=1):
            with pytest.raises(LockTimeout, match="another workbench process"):
                with second.lock("migrate", timeout_s=0.3):
                    pass
        with second.lock("migrate", timeout_s=1):
            pass
    finally:
        first.close()
        second.close()


def test_checksum_ignores_row_order_but_sees_any_change(conn: Connection) -> None:
    conn.execute("CREATE TABLE a (id integer, label text)")
    conn.execute("CREATE TABLE b (id integer, label text)")
    conn.execute("INSERT INTO a VALUES (1, 'x'), (2, 'y'), (3, NULL)")
    conn.execute("INSERT INTO b VALUES (3, NULL), (1, 'x'), (2, 'y')")
    s = conn.default_schema
    assert conn.table_checksum(s, "a") == conn.table_checksum(s, "b")
    conn.execute("UPDATE b SET label = 'z' WHERE id = 2")
    assert conn.table_checksum(s, "a") != conn.table_checksum(s, "b")


def test_driver_errors_become_one_line_messages(conn: Connection) -> None:
    with pytest.raises(DatabaseError) as info:
        conn.query("SELECT * FROM missing_table")
    assert "missing_table" in str(info.value)
    assert "\n" not in str(info.value)
    assert "Traceback" not in str(info.value)


def test_percent_signs_in_names_literals_and_operators_with_parameters(conn: Connection) -> None:
    q, p = conn.quote, conn.placeholder
    conn.execute(f"CREATE TABLE {q('100% real')} ({q('a%b')} integer, {q('%s')} text)")
    conn.execute(f"INSERT INTO {q('100% real')} VALUES ({p}, {p})", (7, "50% off"))
    rows = conn.query(
        f"SELECT {q('a%b')} % 4, {q('%s')} FROM {q('100% real')} WHERE {q('%s')} LIKE '50%' AND {q('a%b')} = {p}",
        (7,),
    ).rows
    assert rows == [(3, "50% off")]
    streamed = [
        row
        for batch in conn.stream(f"SELECT {q('a%b')} FROM {q('100% real')} WHERE {q('a%b')} > {p}", (1,))
        for row in batch
    ]
    assert streamed == [(7,)]
    assert conn.query(f"SELECT {q('%s')} FROM {q('100% real')} WHERE {q('%s')} LIKE '%off'").scalar() == "50% off"
