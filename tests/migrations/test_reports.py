"""The engine's reports say what ran, what stayed and the way back — the same for the CLI and the TUI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.db import connect
from workbench.migrations.service import MigrationService
from tests.judge import assert_same, snapshot
from tests.migrations.helpers import write_files

MIXED = """CREATE TABLE made (a integer);
DELETE FROM t WHERE id <= 50;
CREATE INDEX CONCURRENTLY t_x ON t (x);
INSERT INTO missing VALUES (1);
"""


@pytest.fixture
def mixed(pg_url: str, tmp_path: Path) -> Path:
    conn = connect(pg_url)
    conn.execute_script(
        "CREATE TABLE t (id integer PRIMARY KEY, x integer);\n"
        "INSERT INTO t SELECT g, g % 7 FROM generate_series(1, 100) g;"
    )
    conn.close()
    write_files(tmp_path / "migrations", {"001_mixed.sql": MIXED})
    return tmp_path


@pytest.mark.postgres
def test_a_failure_after_work_outside_a_transaction_says_exactly_what_stayed(
    pg_url: str, mixed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(pg_url)
    code = main(["migrate", "up", pg_url, "--project", str(mixed)])
    out, err = capsys.readouterr()
    assert code == 1
    assert '✗ 001 mixed failed at statement 4 of 4: relation "missing" does not exist' in out
    assert "3 statements of 001 had already run and stayed" in out
    assert "2  DELETE FROM t WHERE id <= 50  (50 rows)" in out
    assert "the database is NOT as it was before 001" in out
    assert "way back: rolling back 001 would repair to the recorded schema with its backups" in out
    assert "the database is as it was" not in out and "part of it stayed" in err

    conn = connect(pg_url)
    assert conn.row_count("public", "t") == 50 and conn.query("SELECT to_regclass('made')").scalar() == "made"
    report = MigrationService(conn, mixed / "migrations").rollback(steps=1)
    conn.close()
    assert report.ok, report.lines()
    assert_same(before, snapshot(pg_url))


@pytest.mark.postgres
def test_the_json_report_holds_the_same_facts(pg_url: str, mixed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate", "up", pg_url, "--project", str(mixed), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)["report"]
    failure = report["failure"]
    assert (failure["outcome"], failure["failed_statement"], failure["unchanged"]) == ("partial", 4, False)
    assert failure["statements_kept"] == [1, 2, 3] and failure["statements_not_run"] == []
    assert failure["rows"] == {"2": 50}
    assert [b["table"] for b in failure["backups"]] == ["public.t"]
    assert report["unchanged"] is False and report["done"] == []


def test_a_failure_inside_one_transaction_leaves_nothing_and_says_so(backend_url: str, tmp_path: Path) -> None:
    conn = connect(backend_url)
    conn.execute_script("CREATE TABLE t (id integer PRIMARY KEY);\nINSERT INTO t VALUES (1), (2);")
    folder = write_files(
        tmp_path / "m",
        {
            "001_ok.sql": "CREATE TABLE a (x integer);",
            "002_bad.sql": "DELETE FROM t;\nINSERT INTO nowhere VALUES (1);\nCREATE TABLE b (y integer);",
        },
    )
    report = MigrationService(conn, folder).apply()
    assert report.done == ("001",) and not report.ok
    failure = report.failure
    assert failure.unchanged and [r.index for r in failure.runs if not r.kept] == [1]
    assert failure.not_run == (3,) and failure.backups == ()
    lines = "\n".join(report.lines())
    assert "✓ applied 001 ok (transaction, 1 statement)" in lines
    assert "rolled back with their transaction: statement 1" in lines and "not run: statement 3" in lines
    assert "the database is as it was before 002: nothing of it stayed" in lines
    assert "way back: nothing to undo; fix the file and apply it again" in lines
    assert "applied before it: 001; 002 failed" in lines
    assert conn.row_count(conn.default_schema, "t") == 2
