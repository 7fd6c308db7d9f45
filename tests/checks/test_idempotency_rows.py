"""The idempotency built-in compares rows too: a migration that inserts a duplicate row each time
it runs is not idempotent, and one guarded with WHERE NOT EXISTS is; nothing stays behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.checks.builtins import BuiltinConfig, builtin_checks
from workbench.checks.runner import CheckResult, run_checks
from workbench.db import Connection, connect
from workbench.migrations.discovery import discover
from workbench.migrations.engine import Migrator

SETUP = "CREATE TABLE settings (k text NOT NULL, v text NOT NULL); INSERT INTO settings VALUES ('lang', 'en');"
MIGRATIONS = {
    "001_seed_twice.sql": "INSERT INTO settings (k, v) VALUES ('theme', 'dark');\n",
    "002_seed_once.sql": "INSERT INTO settings (k, v) SELECT 'tz', 'UTC'\n"
    "WHERE NOT EXISTS (SELECT 1 FROM settings WHERE k = 'tz');\n",
}


@pytest.fixture
def migrations(tmp_path: Path) -> list:
    folder = tmp_path / "migrations"
    folder.mkdir()
    for name, sql in MIGRATIONS.items():
        (folder / name).write_text(sql)
    return discover(folder)


def idempotency(conn: Connection, migrations: list) -> dict[str, CheckResult]:
    catalog = conn.introspect()
    checks = builtin_checks(conn, catalog, BuiltinConfig(primary_keys=False, idempotent=("all",)), migrations)
    return {
        r.name.removesuffix(" is idempotent"): r
        for r in run_checks(conn, checks, catalog=catalog)
        if r.check.file == "built-in/idempotency"
    }


def rows(url: str) -> list[tuple[str, str]]:
    witness = connect(url)
    try:
        return sorted(witness.query("SELECT k, v FROM settings").rows)
    finally:
        witness.close()


def test_a_migration_that_inserts_each_run_fails_and_a_guarded_one_passes(
    conn: Connection, backend_url: str, migrations: list
) -> None:
    conn.execute_script(SETUP)
    results = idempotency(conn, migrations)
    twice, once = results["001_seed_twice"], results["002_seed_once"]
    assert twice.status == "fail"
    assert any("the rows of" in line and "settings changed" in line for line in twice.detail), twice.detail
    assert (once.status, once.detail) == ("pass", ())
    assert rows(backend_url) == [("lang", "en")]  # both runs were rolled back


def test_an_applied_migration_that_inserts_again_fails(conn: Connection, backend_url: str, migrations: list) -> None:
    conn.execute_script(SETUP)
    assert Migrator(conn, migrations).up().failure is None
    results = idempotency(conn, migrations)
    assert (results["001_seed_twice"].status, results["002_seed_once"].status) == ("fail", "pass")
    assert rows(backend_url) == [("lang", "en"), ("theme", "dark"), ("tz", "UTC")]


def test_a_migration_another_tool_applied_counts_as_applied(conn: Connection, backend_url: str, tmp_path: Path) -> None:
    from tests.migrations.foreign_tools import run_as

    folder = tmp_path / "dbmate"
    folder.mkdir()
    (folder / "20240101000000_extra.sql").write_text("-- migrate:up\nCREATE TABLE extra (id integer);\n")
    migrations = discover(folder)
    run_as(conn, "dbmate", migrations)
    result = idempotency(conn, migrations)["20240101000000_extra"]
    # applied already, so it runs once more and fails on the table it made; not "the first run failed"
    assert result.status == "fail" and "extra" in " ".join(result.detail), (result.status, result.detail)
