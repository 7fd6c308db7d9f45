"""`migrate baseline VERSION`: a database built another way is marked applied up to VERSION,
nothing run, and the next `up` goes on from there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.db import Connection, connect
from workbench.migrations.engine import Migrator
from workbench.migrations.service import MigrationService
from tests.migrations.foreign_tools import applied_per_tool, create
from tests.migrations.test_foreign_ledgers import folder

FILES = {
    "001_users.up.sql": "CREATE TABLE users (id integer PRIMARY KEY, name text);\n",
    "001_users.down.sql": "DROP TABLE users;\n",
    "002_posts.up.sql": "CREATE TABLE posts (id integer PRIMARY KEY, user_id integer);\n",
    "002_posts.down.sql": "DROP TABLE posts;\n",
    "003_tags.up.sql": "CREATE TABLE tags (id integer PRIMARY KEY);\n",
    "003_tags.down.sql": "DROP TABLE tags;\n",
}


def project(tmp_path: Path) -> Path:
    (tmp_path / "migrations").mkdir()
    for name, text in FILES.items():
        (tmp_path / "migrations" / name).write_text(text)
    (tmp_path / "workbench.toml").write_text("")
    return tmp_path


def built_another_way(conn: Connection) -> None:
    """What a dump restore leaves: the first two migrations' tables, no ledger."""
    conn.execute_script(FILES["001_users.up.sql"] + FILES["002_posts.up.sql"])
    conn.execute("INSERT INTO users VALUES (1, 'ann')")


def test_baseline_marks_up_to_version_applied_and_up_goes_on_from_there(
    backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    conn = connect(backend_url)
    try:
        built_another_way(conn)
        svc = MigrationService(conn, root / "migrations")
        assert svc.baseline_suggestion() == "002"
        assert any("workbench migrate baseline 002" in n for n in svc.plan_up().notes)
    finally:
        conn.close()

    assert main(["migrate", "baseline", backend_url, "002", "--project", str(root)]) == 0
    assert "marked 2 migrations applied without running them: 001, 002" in capsys.readouterr().out
    assert main(["migrate", "status", backend_url, "--project", str(root), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["migrations"]
    assert [(r["version"], r["state"], r["statements_run"]) for r in rows] == [
        ("001", "applied", 0),
        ("002", "applied", 0),
        ("003", "pending", None),
    ]
    assert main(["migrate", "up", backend_url, "--project", str(root), "--json"]) == 0
    applied = json.loads(capsys.readouterr().out)["report"]["migrations"]
    assert [m["version"] for m in applied] == ["003"]

    conn = connect(backend_url)
    try:
        assert conn.query("SELECT name FROM users").rows == [("ann",)]  # nothing ran over the data
        assert MigrationService(conn, root / "migrations").baseline_suggestion() is None
    finally:
        conn.close()


def test_a_baselined_migration_rolls_back_with_its_down_script(conn: Connection, tmp_path: Path) -> None:
    built_another_way(conn)
    mg = Migrator(conn, project(tmp_path) / "migrations")
    svc = MigrationService(conn, mg.migrations)
    assert svc.baseline("2").marked == ("001", "002")
    assert svc.baseline("2").marked == ()  # a second time: nothing left to mark
    assert svc.rollback(steps=1).ok
    assert [s.state for s in svc.status()] == ["applied", "pending", "pending"]
    assert conn.query("SELECT COUNT(*) FROM users").scalar() == 1


def test_baseline_keeps_another_tools_ledger_in_step(conn: Connection, tmp_path: Path) -> None:
    root = folder(tmp_path, "dbmate")
    mg = Migrator(conn, root)
    create(conn, "dbmate")
    for m in mg.migrations[:2]:
        conn.execute_script(m.up_sql)
    assert MigrationService(conn, root).baseline(mg.migrations[1].version).marked == tuple(
        m.version for m in mg.migrations[:2]
    )
    assert applied_per_tool(conn, "dbmate", mg.migrations) == [m.version for m in mg.migrations[:2]]


def test_baseline_of_an_unknown_version_exits_2_and_marks_nothing(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    assert main(["migrate", "baseline", sqlite_url, "9", "--project", str(root)]) == 2
    assert "no migration with version 9" in capsys.readouterr().err
    assert main(["migrate", "status", sqlite_url, "--project", str(root), "--json"]) == 0
    assert {r["state"] for r in json.loads(capsys.readouterr().out)["migrations"]} == {"pending"}


def test_no_baseline_is_suggested_for_an_empty_database(conn: Connection, tmp_path: Path) -> None:
    assert MigrationService(conn, project(tmp_path) / "migrations").baseline_suggestion() is None


def test_a_baseline_reaches_past_migrations_that_add_columns_the_schema_has(conn: Connection, tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "migrations" / "004_email.up.sql").write_text("ALTER TABLE users ADD COLUMN email text;\n")
    conn.execute_script(
        FILES["001_users.up.sql"]
        + FILES["002_posts.up.sql"]
        + FILES["003_tags.up.sql"]
        + "ALTER TABLE users ADD COLUMN email text;\n"
    )
    assert MigrationService(conn, root / "migrations").baseline_suggestion() == "004"
    conn.execute("ALTER TABLE users DROP COLUMN email")
    assert MigrationService(conn, root / "migrations").baseline_suggestion() == "003"
