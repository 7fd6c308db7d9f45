"""Drift: `migrate status` says when the live schema differs from what the applied migrations
produce (a change made by hand), on both backends, and replays only the applied ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.diff.helpers import TWO_MIGRATIONS, write_project
from workbench.cli import main
from workbench.db import Connection


def status(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    capsys.readouterr()
    assert main(["migrate", "status", "--project", str(tmp_path), "--json", "--drift", *extra]) == 0
    out: dict[str, object] = json.loads(capsys.readouterr().out)
    return out


def test_a_schema_built_by_its_migrations_has_no_drift_and_a_hand_change_is_named(
    conn: Connection, backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(tmp_path, backend_url, {**TWO_MIGRATIONS, "0003_later.up.sql": "CREATE TABLE later (id integer);\n"})
    assert main(["migrate", "up", "--project", str(tmp_path), "--to", "0002"]) == 0
    drift = status(tmp_path, capsys)["drift"]
    assert drift == {
        "same": True,
        "entries": [],
        "statements": [],
        "problems": [],
        "replayed": ["0001_customers", "0002_email"],  # 0003 is pending: not replayed
        "problem": "",
    }

    conn.execute("CREATE TABLE audit_notes (id integer PRIMARY KEY, note text)")  # by hand, outside any migration
    conn.execute("DROP INDEX customers_email")
    drift = status(tmp_path, capsys)["drift"]
    assert isinstance(drift, dict) and drift["same"] is False
    seen = {(e["kind"], e["name"].rsplit(".", 1)[-1], e["status"]) for e in drift["entries"]}
    assert ("table", "audit_notes", "added") in seen
    assert ("index", "customers_email", "removed") in seen

    capsys.readouterr()
    assert main(["migrate", "status", "--project", str(tmp_path), "--format", "plain", "--drift"]) == 0
    out = capsys.readouterr().out
    assert "schema drift: the database differs from what its applied migrations produce" in out
    assert "audit_notes" in out


def test_status_replays_nothing_unless_drift_is_asked_for(
    backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(tmp_path, backend_url, TWO_MIGRATIONS)
    assert main(["migrate", "up", "--project", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["migrate", "status", "--project", str(tmp_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["drift"] is None


def test_an_applied_migration_that_cannot_replay_is_a_problem_not_a_failure(
    conn: Connection, backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn.execute("CREATE TABLE legacy (id integer)")  # built another way, then baselined
    write_project(tmp_path, backend_url, {"0001_on_legacy.up.sql": "ALTER TABLE legacy ADD COLUMN note text;\n"})
    assert main(["migrate", "baseline", "0001", "--project", str(tmp_path)]) == 0
    drift = status(tmp_path, capsys)["drift"]
    assert isinstance(drift, dict) and drift["same"] is None
    assert str(drift["problem"]).startswith(
        "the migrations cannot be replayed on an empty database: 0001 on_legacy failed"
    )
