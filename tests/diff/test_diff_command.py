"""`workbench diff` as a user runs it: the summary, --json, --rename keeping rows, exit codes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.diff.test_pg_cases import psql
from workbench.cli import main


def sqlite_db(path: Path, sql: str) -> str:
    with sqlite3.connect(path) as db:
        db.executescript(sql)
    db.close()
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_same_schemas_exit_0_and_say_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = sqlite_db(tmp_path / "a.db", "CREATE TABLE t (id INTEGER PRIMARY KEY);")
    b = sqlite_db(tmp_path / "b.db", "CREATE TABLE t (id INTEGER PRIMARY KEY);")
    assert run(capsys, a, b) == (0, "The schemas are the same.\n", "")
    assert run(capsys, a, b, "--sql") == (0, "", "")


def test_summary_groups_by_kind_and_marks_a_likely_rename(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = sqlite_db(tmp_path / "a.db", "CREATE TABLE clients (id INTEGER, name TEXT); CREATE INDEX ix ON clients(name);")
    b = sqlite_db(tmp_path / "b.db", "CREATE TABLE customers (id INTEGER, name TEXT); CREATE VIEW v AS SELECT 1;")
    code, out, _ = run(capsys, a, b)
    assert code == 1
    assert "tables (2):" in out and "views (1):" in out
    assert "+ main.customers added  (likely renamed from main.clients)" in out
    assert "--rename main.clients=main.customers" in out


def test_rename_keeps_the_rows_of_a_table_and_a_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = sqlite_db(
        tmp_path / "a.db",
        "CREATE TABLE clients (id INTEGER PRIMARY KEY, nm TEXT); INSERT INTO clients VALUES (1, 'Ann');",
    )
    b = sqlite_db(tmp_path / "b.db", "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);")
    code, sql, _ = run(capsys, a, b, "--sql", "--rename", "clients=customers", "--rename", "customers.nm=name")
    assert code == 1 and "RENAME TO" in sql and "RENAME COLUMN" in sql
    subprocess.run(["sqlite3", "-bail", a], input=sql, check=True, capture_output=True, text=True)
    with sqlite3.connect(a) as db:
        assert db.execute("SELECT id, name FROM customers").fetchall() == [(1, "Ann")]
    db.close()
    code, out, _ = run(capsys, a, b, "--json")
    assert (code, json.loads(out)["same"]) == (0, True)


def test_json_is_the_documented_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = sqlite_db(tmp_path / "a.db", "CREATE TABLE t (id INTEGER);")
    b = sqlite_db(tmp_path / "b.db", "CREATE TABLE t (id INTEGER); CREATE TABLE u (x TEXT);")
    code, out, _ = run(capsys, a, b, "--json")
    data = json.loads(out)
    assert code == 1 and set(data) == {"backend", "same", "entries", "statements", "problems"}
    assert data["entries"] == [
        {
            "kind": "table",
            "name": "main.u",
            "status": "added",
            "before_ddl": None,
            "after_ddl": "CREATE TABLE u (x TEXT);",
            "details": [],
            "likely_rename_of": None,
        }
    ]
    assert data["statements"] == ["CREATE TABLE u (x TEXT);"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.db", "other.db"], "missing.db"),
        (["a.db", "a.db", "--rename", "nope"], "OLD=NEW"),
        (["a.db", "a.db", "--rename", "ghost=t"], "FROM has no table or column ghost"),
    ],
)
def test_bad_input_is_one_sentence_and_exit_2(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    sqlite_db(tmp_path / "a.db", "CREATE TABLE t (id INTEGER);")
    code, out, err = run(capsys, *args)
    assert code == 2 and out == "" and message in err and err.count("\n") == 1, err
    assert not (tmp_path / "missing.db").exists() and not (tmp_path / "other.db").exists()


@pytest.mark.postgres
def test_two_backends_cannot_be_compared(pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = sqlite_db(tmp_path / "a.db", "CREATE TABLE t (id INTEGER);")
    code, _, err = run(capsys, a, pg_url)
    assert code == 2 and "same backend" in err


@pytest.mark.postgres
def test_postgres_rename_and_type_change_keep_values(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import create_pg_database, drop_pg_database, pg_url_for

    other = create_pg_database("wbdiff")
    try:
        goal = pg_url_for(other)
        psql(
            pg_url,
            "create table clients (id int primary key, total text); insert into clients values (1, '42'), (2, '7');",
        )
        psql(goal, "create table customers (id int primary key, amount integer);")
        code, sql, err = run(
            capsys, pg_url, goal, "--sql", "--rename", "public.clients=public.customers",
            "--rename", "public.customers.total=amount",
        )  # fmt: skip
        assert code == 1, err
        assert "USING" in sql and "DROP TABLE" not in sql
        psql(pg_url, sql)
        done = subprocess.run(
            ["psql", "-X", "-At", "-d", pg_url, "-c", "select id, amount + 0 from customers order by id"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert done.stdout.split() == ["1|42", "2|7"]
        assert run(capsys, pg_url, goal)[0] == 0
    finally:
        drop_pg_database(other)
