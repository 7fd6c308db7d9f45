"""A check may read and nothing else: judged by the engine's own parser (PostgreSQL) or authorizer
(SQLite) before it runs, on both backends where the backend has the feature. Each hole was
reproduced on the code before the guard; the witnesses are independent of the runner: a fresh
connection counting rows, the file system, a second session."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from workbench.checks.checkfile import parse_checks
from workbench.checks.runner import CheckResult, run_checks
from workbench.cli import main
from workbench.db import Connection, DatabaseError, connect
from workbench.db.pg_guard import escape_refusal, read_only_refusal

ROWS = "CREATE TABLE t (id integer PRIMARY KEY, name text); INSERT INTO t VALUES (1, 'Ann'), (2, 'ann'), (3, 'Bob');"


@pytest.fixture
def db(conn: Connection) -> Connection:
    conn.execute_script(ROWS)
    return conn


def run(conn: Connection, text: str) -> list[CheckResult]:
    return list(run_checks(conn, parse_checks(text, "checks/t.sql", dialect=conn.backend.name)))


def rows_seen_by_a_fresh_connection(url: str) -> int:
    witness = connect(url)
    try:
        return int(witness.query("SELECT count(*) FROM t").scalar())
    finally:
        witness.close()


def verify_json(
    url: str, tmp_path: Path, checks: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, dict[str, str]]:
    root = tmp_path / "project"
    (root / "checks").mkdir(parents=True)
    (root / "workbench.toml").write_text("")
    (root / "checks" / "escape.sql").write_text(checks)
    code = main(["verify", url, "--project", str(root), "--json"])
    report = json.loads(capsys.readouterr().out)
    return code, {c["name"]: c["status"] for c in report["checks"]}


@pytest.mark.postgres
def test_a_commit_hidden_in_a_string_cannot_end_the_transaction_for_a_writable_cte(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = connect(pg_url)
    conn.execute_script(ROWS)
    conn.close()
    escape = "-- check: escape\nSELECT 'a\\'; COMMIT; -- ';\n"
    cte = (
        "-- check: delete everything\n-- expect: >= 0\nWITH d AS (DELETE FROM t RETURNING 1) SELECT count(*) FROM d;\n"
    )
    root = tmp_path / "project"
    (root / "checks").mkdir(parents=True)
    (root / "workbench.toml").write_text("")
    (root / "checks" / "escape.sql").write_text(escape + cte)
    # PostgreSQL's own lexer sees two statements where the check has room for one: the file is refused
    assert main(["verify", pg_url, "--project", str(root), "--json"]) == 2
    assert "checks/escape.sql:2: " in capsys.readouterr().err
    # and the write alone, reaching the server, is an error that writes nothing
    code, statuses = verify_json(pg_url, tmp_path / "alone", cte, capsys)
    assert code == 1 and statuses["delete everything"] == "error"
    assert rows_seen_by_a_fresh_connection(pg_url) == 3


def test_a_write_that_expects_an_error_is_an_error_never_a_pass(
    backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = connect(backend_url)
    conn.execute_script(ROWS)
    conn.close()
    code, statuses = verify_json(backend_url, tmp_path, "-- check: sneaky\n-- expect: error\nDELETE FROM t;\n", capsys)
    assert (code, statuses["sneaky"]) == (1, "error")
    assert rows_seen_by_a_fresh_connection(backend_url) == 3


@pytest.mark.postgres
@pytest.mark.parametrize(
    "template",
    [
        "COPY (SELECT 1) TO PROGRAM 'touch {path}'",
        "COPY (SELECT 1) TO '{path}'",
        "COPY t TO '{path}'",
    ],
)
def test_copy_to_a_program_or_a_server_file_is_refused_and_nothing_is_written(pg_url: str, template: str) -> None:
    path = Path(f"/tmp/wb_guard_{uuid.uuid4().hex[:10]}")
    conn = connect(pg_url)
    try:
        conn.execute_script(ROWS)
        (result,) = run(conn, f"-- check: copy\n{template.format(path=path)};\n")
    finally:
        conn.close()
        created = path.exists()
        path.unlink(missing_ok=True)
    assert result.status == "error" and "COPY" in (result.error or "")
    assert not created


@pytest.mark.postgres
def test_lo_export_is_refused_even_schema_qualified(pg_url: str) -> None:
    path = Path(f"/tmp/wb_guard_lo_{uuid.uuid4().hex[:10]}")
    conn = connect(pg_url)
    try:
        oid = conn.query("SELECT lo_from_bytea(0, 'secret')").scalar()
        results = run(
            conn,
            f"-- check: export\nSELECT pg_catalog.lo_export({oid}, '{path}');\n"
            f"-- check: export again\nSELECT lo_export({oid}, '{path}');\n",
        )
    finally:
        conn.close()
        created = path.exists()
        path.unlink(missing_ok=True)
    assert [r.status for r in results] == ["error", "error"]
    assert "lo_export()" in (results[0].error or "")
    assert not created


@pytest.mark.postgres
def test_set_config_does_not_leak_into_the_next_check(pg_url: str) -> None:
    conn = connect(pg_url)
    try:
        conn.execute_script(ROWS)
        setting, after = run(
            conn,
            "-- check: hide the tables\nSELECT set_config('search_path', 'nowhere', false);\n"
            "-- check: rows\n-- expect: 3\nSELECT count(*) FROM t;\n",
        )
    finally:
        conn.close()
    assert setting.status == "error" and "set_config()" in (setting.error or "")
    assert after.status == "pass"


def test_a_sqlite_pragma_does_not_leak_into_the_next_check(sqlite_url: str) -> None:
    conn = connect(sqlite_url)
    try:
        conn.execute_script(ROWS)
        setting, after = run(
            conn,
            "-- check: case matters\nPRAGMA case_sensitive_like = 1;\n"
            "-- check: ann twice\n-- expect: 2\nSELECT count(*) FROM t WHERE name LIKE 'ann';\n",
        )
    finally:
        conn.close()
    assert setting.status == "error" and "PRAGMA case_sensitive_like" in (setting.error or "")
    assert after.status == "pass"


@pytest.mark.postgres
def test_an_advisory_lock_taken_by_a_check_is_refused(pg_url: str) -> None:
    conn = connect(pg_url)
    other = connect(pg_url)
    try:
        (result,) = run(conn, "-- check: lock\nSELECT pg_advisory_lock(4242);\n")
        assert result.status == "error"
        assert other.query("SELECT pg_try_advisory_lock(4242)").scalar() is True
    finally:
        conn.close()
        other.close()


@pytest.mark.parametrize("method", ["query", "execute", "stream"])
def test_read_only_refuses_before_anything_runs_whichever_method_runs_it(
    db: Connection, backend_url: str, method: str
) -> None:
    with pytest.raises(DatabaseError, match="DELETE.*is refused: a read-only run takes one statement that only reads"):
        with db.read_only():
            result = getattr(db, method)("DELETE FROM t")
            list(result) if method == "stream" else result
    assert rows_seen_by_a_fresh_connection(backend_url) == 3
    assert db.query("SELECT count(*) FROM t").scalar() == 3  # and the connection goes on


def test_reads_with_parameters_and_catalog_functions_pass_the_guard(db: Connection) -> None:
    p = db.placeholder
    with db.read_only():
        assert db.query(f"SELECT count(*) FROM t WHERE name LIKE {p} || '%'", ("A",)).scalar() >= 1
        assert db.introspect().table("t", db.default_schema) is not None
        assert db.table_checksum(db.default_schema, "t")


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 1",
        "VALUES (1), (2)",
        "TABLE t",
        "SHOW work_mem",
        "EXPLAIN SELECT * FROM t",
        "EXPLAIN (ANALYZE off) DELETE FROM t",
        "WITH a AS (SELECT 1) SELECT * FROM a",
        "SELECT * FROM t WHERE name LIKE 'x%%' AND id = $1",
        "SELECT lower(name), now() FROM t",
    ],
)
def test_pg_reads_are_allowed(sql: str) -> None:
    assert read_only_refusal(sql) is None


@pytest.mark.parametrize(
    "sql, named",
    [
        ("SELECT 'a\\'; COMMIT; -- '", "a text of 2 statements"),
        ("", "an empty text"),
        ("COMMIT", "COMMIT"),
        ("SET transaction_read_only = off", "SET"),
        ("RESET ALL", "RESET"),
        ("DISCARD ALL", "DISCARD"),
        ("LISTEN x", "LISTEN"),
        ("NOTIFY x", "NOTIFY"),
        ("COPY t TO STDOUT", "COPY"),
        ("SELECT * INTO copy_of_t FROM t", "SELECT … INTO"),
        ("WITH d AS (DELETE FROM t RETURNING 1) SELECT count(*) FROM d", "a WITH that runs DELETE"),
        ("SELECT * FROM (SELECT * FROM t FOR SHARE) s", "FOR UPDATE/SHARE"),
        ("EXPLAIN ANALYZE DELETE FROM t", "EXPLAIN ANALYZE"),
        ("DO $$BEGIN DELETE FROM t; END$$", "DO"),
        ("CALL purge()", "CALL"),
        ("SELECT pg_read_file('/etc/passwd')", "pg_read_file()"),
        ("SELECT * FROM pg_ls_dir('.')", "pg_ls_dir()"),
        ("SELECT dblink_exec('dbname=x', 'DELETE FROM t')", "dblink_exec()"),
        ("SELECT count(*) FROM t WHERE pg_terminate_backend(42)", "pg_terminate_backend()"),
        ("SELECT pg_reload_conf()", "pg_reload_conf()"),
        ("SELECT pg_notify('c', 'x')", "pg_notify()"),
        ("SELECT pg_create_logical_replication_slot('s', 'pgoutput')", "pg_create_logical_replication_slot()"),
        ("SELECT query_to_xml('DELETE FROM t RETURNING 1', true, true, '')", "query_to_xml()"),
    ],
)
def test_pg_anything_but_one_read_is_refused_naming_what_was_found(sql: str, named: str) -> None:
    refusal = read_only_refusal(sql)
    assert refusal is not None and refusal.startswith(named), refusal


@pytest.mark.parametrize(
    "sql, refused",
    [
        ("INSERT INTO t VALUES (4)", False),
        ("WITH d AS (DELETE FROM t RETURNING 1) SELECT count(*) FROM d", False),
        ("SET LOCAL search_path = x", False),
        ("COPY t FROM STDIN", False),
        ("DO $$BEGIN INSERT INTO t VALUES (4); END$$", False),
        ("SELECT 'a\\'; COMMIT; -- '", True),
        ("ROLLBACK TO SAVEPOINT workbench_scenario", True),
        ("SET search_path = x", True),
        ("PREPARE p AS SELECT 1", True),
        ("COPY t TO '/tmp/x'", True),
        ("COPY t FROM PROGRAM 'cat /etc/passwd'", True),
        ("SELECT pg_advisory_lock(1)", True),
        ("DO $$BEGIN PERFORM lo_export(1, '/tmp/x'); END$$", True),
        ("DO $$BEGIN EXECUTE 'COMMIT'; END$$", True),
    ],
)
def test_pg_scenario_steps_may_write_but_not_escape(sql: str, refused: bool) -> None:
    assert (escape_refusal(sql) is not None) == refused, escape_refusal(sql)
