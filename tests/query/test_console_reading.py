"""The Query screen's engine pieces that need no screen: history, workspace, EXPLAIN, completion,
which statement the cursor is in, and the project's timeouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.console import history, workspace
from workbench.console.completion import candidates, complete, members
from workbench.console.explain import explain, explain_analyze
from workbench.console.pick import statement_at, statements_in
from workbench.db import Connection, connect, redact


def test_history_keeps_every_run_and_finds_it_by_words(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    history.record(history.Entry.now("SELECT * FROM orders WHERE total > 10", "db-a", 12.3, 4), path)
    history.record(history.Entry.now("select name from customers", "db-a", 1.0, 2), path)
    history.record(history.Entry.now("DELETE FROM orders", "db-b", 3.0, None, "refused"), path)
    assert [e.sql for e in history.search("", path=path)][0] == "DELETE FROM orders"  # newest first
    assert [e.sql for e in history.search("orders total", path=path)] == ["SELECT * FROM orders WHERE total > 10"]
    assert [e.sql for e in history.search("ORDERS", database="db-b", path=path)] == ["DELETE FROM orders"]
    with path.open("a", encoding="utf-8") as out:
        out.write('{"sql": "cut short by a cra')  # a crash mid-line costs that line only
    assert len(history.search(path=path)) == 3


def test_history_never_stores_a_password(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    shown = redact("postgresql://alice:s3cret@db.example.org/shop")
    history.record(history.Entry.now("SELECT 1", shown, 1.0, 1), path)
    assert "s3cret" not in path.read_text(encoding="utf-8")


def test_the_workspace_comes_back_per_database(tmp_path: Path) -> None:
    path = tmp_path / "workspace.json"
    workspace.save("db-a", workspace.Workspace("SELECT 1;\nSELECT 2;", ("SELECT 1",)), path)
    workspace.save("db-b", workspace.Workspace("other", ()), path)
    assert workspace.load("db-a", path) == workspace.Workspace("SELECT 1;\nSELECT 2;", ("SELECT 1",))
    assert workspace.load("db-b", path).editor == "other"
    assert workspace.load("nowhere", path) == workspace.Workspace()
    path.write_text("{not json", encoding="utf-8")
    assert workspace.load("db-a", path) == workspace.Workspace()


@pytest.fixture
def shop(conn: Connection) -> Connection:
    conn.execute_script(
        "CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL);"
        "CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id), total numeric);"
        "INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace');"
        "INSERT INTO orders VALUES (10, 1, 5), (11, 2, 7), (12, 2, 9);"
    )
    return conn


def _labels(node: object) -> list[str]:
    out = [node.label]  # type: ignore[attr-defined]
    for child in node.children:  # type: ignore[attr-defined]
        out += _labels(child)
    return out


def test_explain_draws_the_plan_as_a_tree_without_running_it(shop: Connection) -> None:
    plan = explain(shop, "DELETE FROM orders WHERE customer_id = 2;")
    assert not plan.analyzed
    assert any("orders" in label for label in _labels(plan.root))
    assert shop.query("SELECT count(*) FROM orders").scalar() == 3


def test_explain_analyze_measures_a_write_and_rolls_it_back(shop: Connection, backend_url: str) -> None:
    before = shop.query("SELECT * FROM orders ORDER BY id").rows
    plan = explain_analyze(shop, "DELETE FROM orders WHERE customer_id = 2")
    assert plan.analyzed and "rolled back" in plan.summary
    witness = connect(backend_url)  # another connection: nothing was committed
    try:
        assert witness.query("SELECT * FROM orders ORDER BY id").rows == before
    finally:
        witness.close()


def test_postgres_plans_carry_costs_and_measured_rows(pg_url: str) -> None:
    conn = connect(pg_url)
    try:
        conn.execute_script("CREATE TABLE t (n integer); INSERT INTO t SELECT generate_series(1, 100);")
        plan = explain_analyze(conn, "SELECT * FROM t WHERE n > 50")
        node = plan.root
        assert node.cost is not None and node.rows is not None and node.actual_rows == 50
        assert "cost" in node.line() and "50 rows" in node.line()
    finally:
        conn.close()


def test_completion_offers_catalog_names_then_keywords(shop: Connection) -> None:
    catalog = shop.introspect()
    pool = candidates(catalog)
    assert [c.text for c in complete("ord", pool)][:1] == ["orders"]
    assert "select" in [c.text for c in complete("sel", pool)]
    assert {c.text for c in complete("", members(catalog, "orders"))} == {"id", "customer_id", "total"}
    assert complete("zzz", pool) == []


def test_the_statement_under_the_cursor_is_cut_by_the_backend(conn: Connection) -> None:
    text = "SELECT 'a;b' AS x;\n\nSELECT 2;\n-- the third\nSELECT 3\n  + 4;"
    backend = conn.backend
    assert statements_in(backend, text) == ["SELECT 'a;b' AS x;", "SELECT 2;", "-- the third\nSELECT 3\n  + 4;"]
    assert statement_at(backend, text, 0) == "SELECT 'a;b' AS x;"
    assert statement_at(backend, text, 2) == "SELECT 2;"
    assert statement_at(backend, text, 5) == "-- the third\nSELECT 3\n  + 4;"
