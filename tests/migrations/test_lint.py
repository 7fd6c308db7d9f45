"""The lint: what PostgreSQL's parser says each statement locks (checked against a real server's
pg_locks), the rules on both backends, accepted findings, and risk by size with a real target."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.migrations.lint_cases import DANGEROUS, SAFE
from workbench.db import connect, pg_locks
from workbench.migrations.analysis import analyse
from workbench.migrations.impact import assess
from workbench.migrations.lint import Finding, lint

EXISTING = {("public", "orders"), ("public", "users")}


def findings(sql: str, dialect: str = "postgresql", existing: set[tuple[str, str]] | None = None) -> list[Finding]:
    schema = "public" if dialect == "postgresql" else "main"
    heads = analyse(sql, dialect).heads()
    known = existing if existing is not None else {(schema, t) for _, t in EXISTING}
    return lint(heads, assess(heads, schema, known), schema, None, dialect)


def loud(found: Sequence[Finding]) -> list[tuple[str, str]]:
    """(code, severity) of the findings that are a warning or worse."""
    return [(f.code, f.severity) for f in found if f.severity != "info"]


@pytest.mark.parametrize(("sql", "code"), DANGEROUS, ids=[c for _, c in DANGEROUS])
def test_every_dangerous_case_is_flagged_by_its_rule_with_the_safe_way(sql: str, code: str) -> None:
    found = [f for f in findings(sql) if f.code == code and f.severity != "info"]
    assert found, f"{code} not raised: {[(f.code, f.severity) for f in findings(sql)]}"
    if code not in ("drop-table", "truncate", "unconditioned-write", "concurrently-in-transaction"):
        assert "Instead:" in found[0].message  # each such rule spells out the safe alternative


@pytest.mark.parametrize("sql", SAFE)
def test_every_safe_case_stays_quiet(sql: str) -> None:
    assert loud(findings(sql)) == []


def test_the_booking_rebuild_is_not_data_loss_and_its_new_tables_need_no_concurrently() -> None:
    sql = """
        CREATE TABLE orders_new (id int PRIMARY KEY, total int);
        INSERT INTO orders_new SELECT id, total FROM orders;
        DROP TABLE orders;
        ALTER TABLE orders_new RENAME TO orders;
        CREATE INDEX orders_total ON orders (total);
    """
    for dialect in ("postgresql", "sqlite"):
        found = findings(sql, dialect)
        assert loud(found) == [], dialect
        rebuild = next(f for f in found if f.code == "rebuild")
        assert rebuild.statement == 3 and "no rows are lost" in rebuild.message
        assert "every row" not in " ".join(f.message for f in found)


def test_a_drop_without_the_copy_is_still_data_loss_on_both_backends() -> None:
    for dialect in ("postgresql", "sqlite"):
        assert ("drop-table", "danger") in loud(findings("DROP TABLE orders;", dialect))


def test_a_rename_warns_about_running_code_but_is_not_data_loss() -> None:
    (st,) = analyse("ALTER TABLE orders RENAME COLUMN total TO amount;", "postgresql")
    assert not st.loses_data
    (f,) = [f for f in findings(st.sql) if f.code == "rename"]
    assert f.severity == "warning" and "no data is lost" in f.message


@pytest.mark.parametrize(
    ("sql", "locks", "rewrites", "scans", "loses", "in_tx"),
    [
        ("CREATE INDEX i ON orders (a)", {"orders": "SHARE"}, False, True, False, True),
        ("CREATE INDEX CONCURRENTLY i ON orders (a)", {"orders": "SHARE UPDATE EXCLUSIVE"}, False, True, False, False),
        (
            "ALTER TABLE orders ADD CONSTRAINT f FOREIGN KEY (u) REFERENCES users (id)",
            {"orders": "SHARE ROW EXCLUSIVE", "users": "SHARE ROW EXCLUSIVE"},
            False,
            True,
            False,
            True,
        ),
        (
            "ALTER TABLE orders ADD COLUMN t uuid DEFAULT gen_random_uuid()",
            {"orders": "ACCESS EXCLUSIVE"},
            True,
            False,
            False,
            True,
        ),
        ("ALTER TABLE orders ADD COLUMN n int DEFAULT 0", {"orders": "ACCESS EXCLUSIVE"}, False, False, False, True),
        ("ALTER TABLE orders VALIDATE CONSTRAINT f", {"orders": "SHARE UPDATE EXCLUSIVE"}, False, True, False, True),
        ("ALTER TABLE orders DROP COLUMN a", {"orders": "ACCESS EXCLUSIVE"}, False, False, True, True),
        ("UPDATE orders SET a = 1 WHERE id = 2", {"orders": "ROW EXCLUSIVE"}, False, False, False, True),
        ("TRUNCATE orders", {"orders": "ACCESS EXCLUSIVE"}, False, False, True, True),
        ("VACUUM FULL orders", {"orders": "ACCESS EXCLUSIVE"}, True, False, False, False),
    ],
)
def test_the_parser_reads_each_statements_locks_rewrite_scan_and_loss(
    sql: str, locks: dict[str, str], rewrites: bool, scans: bool, loses: bool, in_tx: bool
) -> None:
    facts = pg_locks.read(sql)
    assert facts is not None
    assert dict(facts.locks) == locks
    assert any(a.rewrites for a in facts.actions) is rewrites
    assert any(a.scans for a in facts.actions) is scans
    assert any(a.loses_data for a in facts.actions) is loses
    assert facts.transactional is in_tx


def test_what_a_lock_blocks_is_said_in_words() -> None:
    (f,) = [f for f in findings("ALTER TABLE orders ALTER COLUMN total TYPE bigint;") if f.code == "type-change"]
    assert f.lock == "ACCESS EXCLUSIVE" and f.table == "orders"
    assert "blocks reads and writes for the length of a table rewrite" in f.message
    (g,) = [f for f in findings("CREATE INDEX i ON orders (total);") if f.code == "index-not-concurrent"]
    assert g.lock == "SHARE" and "blocks writes for the whole build" in g.message


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "CREATE INDEX orders_total ON orders (total)",
        "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id)",
        "ALTER TABLE orders ADD COLUMN note text",
        "ALTER TABLE orders ALTER COLUMN total SET NOT NULL",
        "ALTER TABLE orders VALIDATE CONSTRAINT orders_total_ck",
        "UPDATE orders SET total = 1 WHERE id = 1",
        "TRUNCATE orders CASCADE",
        "CREATE TRIGGER t BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()",
    ],
)
def test_the_locks_read_are_the_locks_postgresql_takes(pg_url: str, sql: str) -> None:
    """Run the statement in a transaction on a real server and read pg_locks before rolling back."""
    facts = pg_locks.read(sql)
    assert facts is not None
    conn = connect(pg_url)
    try:
        conn.execute_script(
            "CREATE TABLE users (id int PRIMARY KEY);"
            "CREATE TABLE orders (id int PRIMARY KEY, user_id int, total int);"
            "ALTER TABLE orders ADD CONSTRAINT orders_total_ck CHECK (total > 0) NOT VALID;"
        )
        with pytest.raises(_Rollback) as rolled_back, conn.transaction():
            conn.execute(sql)
            held = conn.query(
                "SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE l.pid = pg_backend_pid() AND c.relname IN ('orders', 'users')"
            ).rows
            raise _Rollback(held)
        taken: dict[str, set[str]] = {}
        for name, mode in rolled_back.value.args[0]:
            taken.setdefault(name, set()).add(mode.removesuffix("Lock"))
        assert facts.locks
        for table, mode in facts.locks:
            assert _words(mode) in taken[table], (table, mode, taken)
    finally:
        conn.close()


class _Rollback(Exception):
    pass


def _words(mode: str) -> str:
    """ "SHARE ROW EXCLUSIVE" as pg_locks spells it ("ShareRowExclusive")."""
    return "".join(w.capitalize() for w in mode.split())


@pytest.mark.parametrize(
    ("sql", "code"),
    [
        ("PRAGMA foreign_keys = OFF;", "sqlite-foreign-keys-off"),
        ("ALTER TABLE orders ALTER COLUMN total TYPE bigint;", "sqlite-alter"),
        ("ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0);", "sqlite-alter"),
        ("ALTER TABLE orders ADD COLUMN status text NOT NULL;", "sqlite-alter"),
        ("ALTER TABLE orders ADD COLUMN made timestamp DEFAULT CURRENT_TIMESTAMP;", "sqlite-alter"),
        ("ALTER TABLE orders DROP COLUMN note;", "drop-column"),
        ("ALTER TABLE orders RENAME TO purchases;", "rename"),
        ("DELETE FROM orders;", "unconditioned-write"),
    ],
)
def test_sqlite_rules_flag_what_sqlite_refuses_or_loses(sql: str, code: str) -> None:
    assert code in [c for c, _ in loud(findings(sql, "sqlite"))]


@pytest.mark.parametrize(
    "sql",
    [
        "ALTER TABLE orders ADD COLUMN status text DEFAULT 'new' NOT NULL;",
        "ALTER TABLE orders ADD COLUMN note text;",
        "CREATE INDEX orders_total ON orders (total);",
        "PRAGMA foreign_keys = ON;",
        "DELETE FROM orders WHERE total = 0;",
    ],
)
def test_sqlite_rules_stay_quiet_on_what_sqlite_does_cheaply(sql: str) -> None:
    assert loud(findings(sql, "sqlite")) == []


def test_the_plan_and_the_lint_command_report_the_same_findings(backend_url: str, tmp_path: Path) -> None:
    """One engine: the plan's findings (what the Migrations screen and the apply confirmation show)
    are the lint's, on both backends."""
    from tests.migrations.helpers import write_files
    from workbench.migrations.lint_run import lint_against
    from workbench.migrations.service import MigrationService

    write_files(
        tmp_path / "migrations",
        {"001_orders.sql": "CREATE TABLE orders (id int PRIMARY KEY, total int, note text);\n"},
    )
    conn = connect(backend_url)
    try:
        svc = MigrationService(conn, tmp_path / "migrations")
        svc.apply()
        write_files(
            tmp_path / "migrations",
            {"002_risky.sql": "ALTER TABLE orders RENAME COLUMN note TO remark;\nDELETE FROM orders;\n"},
        )
        svc = MigrationService(conn, tmp_path / "migrations")
        (planned,) = svc.plan_up().migrations
        linted = [x.finding for x in lint_against(conn, tmp_path / "migrations")]
    finally:
        conn.close()
    assert sorted(planned.findings, key=lambda f: (f.statement, f.code)) == sorted(
        linted, key=lambda f: (f.statement, f.code)
    )
    assert {f.code for f in linted} >= {"rename", "unconditioned-write"}


@pytest.mark.postgres
def test_set_not_null_is_quiet_when_the_database_holds_a_validated_not_null_check(pg_url: str) -> None:
    from workbench.migrations.runner import user_catalog

    conn = connect(pg_url)
    try:
        conn.execute_script(
            "CREATE TABLE orders (id int, total int, note text);"
            "ALTER TABLE orders ADD CONSTRAINT total_nn CHECK (total IS NOT NULL);"
            "INSERT INTO orders VALUES (1, 2, 'a'); ANALYZE orders;"
        )
        catalog = user_catalog(conn)
    finally:
        conn.close()
    sql = "ALTER TABLE orders ALTER COLUMN total SET NOT NULL;\nALTER TABLE orders ALTER COLUMN note SET NOT NULL;\n"
    heads = analyse(sql, "postgresql").heads()
    found = lint(heads, assess(heads, "public", {("public", "orders")}), "public", catalog, "postgresql")
    assert [(f.statement, f.code) for f in found if f.severity != "info"] == [(2, "set-not-null")]


def test_a_statement_postgresqls_parser_refuses_is_said_to_fail_not_passed_over() -> None:
    (f,) = [f for f in findings("ALTER TABLE orders ADD COLUM note text;") if f.severity != "info"]
    assert f.code == "unreadable" and "will fail when it runs" in f.message


def test_work_under_an_access_exclusive_lock_is_noted_once_and_a_timeout_missing_once() -> None:
    sql = (
        "ALTER TABLE orders ADD COLUMN paid boolean;\n"
        "UPDATE orders SET paid = true WHERE total > 0;\n"
        "UPDATE orders SET paid = false WHERE total = 0;\n"
        "ALTER TABLE users ADD COLUMN vip boolean;\n"
    )
    found = [(f.statement, f.code, f.severity) for f in findings(sql)]
    assert found == [(1, "lock-timeout", "info"), (2, "long-exclusive-lock", "info")]
    assert [f.code for f in findings("SET lock_timeout = '2s';\n" + sql)] == ["long-exclusive-lock"]


def test_code_that_may_write_anywhere_is_noted_on_both_backends() -> None:
    for dialect in ("postgresql", "sqlite"):
        assert [f.code for f in findings("SELECT purge_old_orders();", dialect)] == ["runs-code"], dialect


def test_a_statement_that_cannot_run_in_a_transaction_is_noted_on_both_backends() -> None:
    assert [f.code for f in findings("VACUUM;", "sqlite")] == ["outside-transaction"]
    assert "outside-transaction" in [f.code for f in findings("CREATE INDEX CONCURRENTLY i ON orders (total);")]


def test_a_missing_lock_timeout_names_every_table_the_statement_blocks() -> None:
    sql = "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;"
    (f,) = [f for f in findings(sql) if f.code == "lock-timeout"]
    assert "takes SHARE ROW EXCLUSIVE on orders, SHARE ROW EXCLUSIVE on users with no lock_timeout" in f.message
