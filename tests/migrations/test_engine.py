"""Apply and rollback behaviour on both backends: failures, drift, targets, refusals, backups."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from workbench.db import Connection
from workbench.errors import UsageError
from workbench.migrations.engine import DriftError, Migrator, RollbackRefused
from workbench.migrations.ledger import Entry, Ledger
from workbench.migrations.progress import Progress
from workbench.migrations.store import Store
from tests.migrations.helpers import snapshot, write_files

BASE = {
    "001_items.sql": "CREATE TABLE items (id integer PRIMARY KEY, label text NOT NULL);\n"
    "INSERT INTO items VALUES (1, 'one'), (2, 'two');\n",
}


def migrator(conn: Connection, tmp_path: Path, files: dict[str, str], **kwargs: Any) -> Migrator:
    return Migrator(conn, write_files(tmp_path / "migrations", {**BASE, **files}), **kwargs)


def states(mg: Migrator) -> list[tuple[str, str]]:
    return [(s.version, s.state) for s in mg.status()]


def test_failing_statement_rolls_back_its_whole_migration_and_is_recorded(conn: Connection, tmp_path: Path) -> None:
    mg = migrator(
        conn,
        tmp_path,
        {
            "002_half.sql": "CREATE TABLE extra (x integer);\n"
            "UPDATE items SET label = 'changed';\n"
            "INSERT INTO missing_table VALUES (1);\n"
        },
    )
    assert mg.up(to="1").ok
    before = snapshot(conn)
    outcome = mg.up()
    assert not outcome.ok and outcome.done == ()
    assert outcome.failure.statement == 3 and "missing_table" in outcome.failure.error
    assert "\n" not in outcome.failure.describe()
    assert before.differences(snapshot(conn)) == []
    failed = mg.status()[1]
    assert failed.state == "failed"
    assert failed.to_dict()["failed_statement"] == 3 and "missing_table" in failed.to_dict()["error"]
    assert failed.to_dict()["applied_at"] is None


def test_rerunning_after_the_fix_applies_without_manual_cleanup(conn: Connection, tmp_path: Path) -> None:
    mg = migrator(conn, tmp_path, {"002_half.sql": "CREATE TABLE extra (x integer);\nINSERT INTO nope VALUES (1);\n"})
    assert not mg.up().ok
    write_files(
        tmp_path / "migrations", {"002_half.sql": "CREATE TABLE extra (x integer);\nINSERT INTO extra VALUES (1);\n"}
    )
    mg = Migrator(conn, tmp_path / "migrations")
    assert mg.up().ok
    assert states(mg) == [("001", "applied"), ("002", "applied")]
    assert conn.row_count(conn.default_schema, "extra") == 1


def test_malformed_sql_fails_with_one_sentence_and_changes_nothing(conn: Connection, tmp_path: Path) -> None:
    mg = migrator(conn, tmp_path, {"002_bad.sql": "CREAT TABLE oops (x int);"})
    outcome = mg.up()
    assert outcome.done == ("001",)
    assert outcome.failure.version == "002" and outcome.failure.statement == 1
    assert "syntax error" in outcome.failure.error
    assert states(mg)[-1] == ("002", "failed")


def test_checksum_drift_blocks_apply_until_allowed_or_repaired(conn: Connection, tmp_path: Path) -> None:
    mg = migrator(conn, tmp_path, {})
    assert mg.up().ok
    write_files(
        tmp_path / "migrations",
        {
            "001_items.sql": BASE["001_items.sql"] + "-- edited later\n",
            "002_more.sql": "CREATE TABLE more (x integer);",
        },
    )
    mg = Migrator(conn, tmp_path / "migrations")
    assert states(mg) == [("001", "drifted"), ("002", "pending")]
    with pytest.raises(DriftError, match="001 changed since applied"):
        mg.up()
    assert states(mg)[1] == ("002", "pending")
    assert mg.up(allow_drift=True).ok
    assert mg.repair_checksums() == ["001"]
    assert states(mg) == [("001", "applied"), ("002", "applied")]


def test_versions_are_given_as_written_and_down_to_keeps_the_target(conn: Connection, tmp_path: Path) -> None:
    mg = migrator(
        conn, tmp_path, {"002_b.sql": "CREATE TABLE b (x integer);", "010_c.sql": "CREATE TABLE c (x integer);"}
    )
    assert mg.up(to="2").done == ("001", "002")
    assert mg.up().done == ("010",)
    assert mg.down(to="001").done == ("010", "002")
    assert states(mg) == [("001", "applied"), ("002", "pending"), ("010", "pending")]
    with pytest.raises(UsageError, match="--to VERSION"):
        mg.down()
    with pytest.raises(UsageError, match="no migration with version 7"):
        mg.up(to="7")


def test_rollback_without_any_way_back_is_refused_naming_why(conn: Connection, tmp_path: Path) -> None:
    mg = migrator(conn, tmp_path, {})
    with conn.transaction():
        Store(conn).ensure()
        conn.execute_script(BASE["001_items.sql"])
        # applied by another tool before the workbench: no down, no inverse, no recorded schema
        Ledger(conn).write(Entry("1", "001", "items", mg.migrations[0].checksum, "applied", "2020-01-01T00:00:00Z"))
    before = snapshot(conn)
    plan = mg.plan_down(steps=1).migrations[0]
    assert plan.refusal and "no down script" in plan.refusal and "record of the schema" in plan.refusal
    with pytest.raises(RollbackRefused, match="nothing was rolled back: 001 items"):
        mg.down(steps=1)
    assert before.differences(snapshot(conn)) == []


def test_broken_down_script_is_reported_and_backups_bring_the_data_back(conn: Connection, tmp_path: Path) -> None:
    mg = migrator(
        conn,
        tmp_path,
        {
            "002_drop.up.sql": "ALTER TABLE items DROP COLUMN label;",
            "002_drop.down.sql": "ALTER TABLE items ADD COLUMN label text NOT NUL;",
        },
    )
    assert mg.up(to="1").ok
    before = snapshot(conn)
    assert mg.up().ok
    outcome = mg.down(steps=1)
    assert outcome.ok
    assert any(w.startswith("002: the down script failed at statement 1") for w in outcome.warnings), outcome.warnings
    assert before.differences(snapshot(conn)) == []


def test_working_down_script_that_loses_data_is_completed_from_backups(conn: Connection, tmp_path: Path) -> None:
    mg = migrator(
        conn,
        tmp_path,
        {
            "002_drop.up.sql": "ALTER TABLE items DROP COLUMN label;",
            "002_drop.down.sql": "ALTER TABLE items ADD COLUMN label text NOT NULL DEFAULT '';",
        },
    )
    assert mg.up(to="1").ok
    before = snapshot(conn)
    assert mg.up().ok
    plan = mg.plan_down(steps=1).migrations[0]
    assert plan.method == "down script" and [s.action for s in plan.steps][-3:] == ["verify", "restore", "ledger"]
    assert mg.down(steps=1).ok
    assert before.differences(snapshot(conn)) == []


def test_progress_reports_migrations_backups_and_statements(conn: Connection, tmp_path: Path) -> None:
    events: list[Progress] = []
    mg = migrator(
        conn,
        tmp_path,
        {"002_wipe.sql": "DELETE FROM items;\nINSERT INTO items VALUES (3, 'three');"},
        progress=events.append,
    )
    assert mg.up().ok
    seen = [(p.phase, p.version, p.index, p.total, p.rows) for p in events]
    assert ("migration", "002", 2, 2, None) in seen
    assert ("backup", "002", 1, 1, 2) in seen
    assert ("statement", "002", 2, 2, None) in seen


def test_backups_are_listed_and_purge_keeps_what_a_rollback_needs(conn: Connection, tmp_path: Path) -> None:
    mg = migrator(conn, tmp_path, {"002_wipe.sql": "DELETE FROM items;"})
    assert mg.up().ok
    (info,) = mg.backups()
    assert info.needed and info.backup.row_count == 2 and info.backup.source.endswith(".items")
    assert info.backup.definition.column_names == ("id", "label")
    assert mg.keeper.checksum(info.backup) == conn.table_checksum(Store(conn).catalog_schema, info.backup.backup_table)
    assert mg.purge(timedelta(0)).dropped == ()
    assert mg.down(steps=1).ok
    assert [p.backup.id for p in mg.purge(timedelta(0)).dropped] == [info.backup.id]
    assert mg.backups() == []


def test_safety_backup_keeps_rows_written_since_before_a_rollback(conn: Connection, tmp_path: Path) -> None:
    mg = migrator(conn, tmp_path, {"002_more.sql": "CREATE TABLE notes (id integer PRIMARY KEY, body text);"})
    assert mg.up().ok
    conn.execute("INSERT INTO notes VALUES (1, 'written after the apply')")
    assert mg.down(steps=1, safety_backup=True).ok
    (info,) = mg.backups()
    assert info.backup.purpose == "before rollback" and info.backup.row_count == 1 and not info.needed


def test_dbmate_transaction_false_commits_each_statement_and_records_partial(conn: Connection, tmp_path: Path) -> None:
    mg = migrator(
        conn,
        tmp_path,
        {
            "002_notx.sql": "-- migrate:up transaction:false\n"
            "CREATE TABLE kept (x integer);\nINSERT INTO nope VALUES (1);\n"
            "-- migrate:down\nDROP TABLE kept;\n"
        },
    )
    outcome = mg.up()
    assert outcome.failure.statement == 2
    entry = Ledger(conn).entries()["2"]
    assert entry.outcome == "partial" and entry.statements_run == 1
    assert conn.row_count(conn.default_schema, "kept") == 0  # it stayed: it ran outside a transaction
    assert states(mg)[-1] == ("002", "failed")
    write_files(
        tmp_path / "migrations",
        {
            "002_notx.sql": "-- migrate:up transaction:false\n"
            "CREATE TABLE kept (x integer);\nINSERT INTO kept VALUES (1);\n"
            "-- migrate:down\nDROP TABLE kept;\n"
        },
    )
    mg = Migrator(conn, tmp_path / "migrations")
    plan = mg.plan_up().migrations[0]
    assert any("resumes after statement 1" in w for w in plan.warnings)
    assert mg.up().ok and conn.row_count(conn.default_schema, "kept") == 1
