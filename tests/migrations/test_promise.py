"""The promise, on both backends: apply then roll back leaves every definition and row as before."""

from __future__ import annotations

from pathlib import Path

from workbench.db import Connection
from workbench.migrations.engine import Migrator
from tests.migrations.helpers import DATA, dialect, snapshot, write_files


def refactor_project(conn: Connection, tmp_path: Path) -> Migrator:
    """The seed-004-like database, populated, and its one destructive migration without a down."""
    data = DATA / "refactor" / dialect(conn)
    conn.execute_script((data / "base.sql").read_text())
    folder = write_files(tmp_path / "migrations", {"001_mvp_refactor.sql": (data / "001_mvp_refactor.sql").read_text()})
    return Migrator(conn, folder)


def test_refactor_without_down_script_is_backed_up_then_rolled_back_exactly(conn: Connection, tmp_path: Path) -> None:
    mg = refactor_project(conn, tmp_path)
    before = snapshot(conn)

    plan = mg.plan_up()
    backed_up = {s.table.split(".", 1)[1] for s in plan.migrations[0].steps if s.action == "backup"}
    assert {"runs", "screens", "actions", "decisions", "checkpoints_index", "agent_state_snapshots"} <= backed_up

    assert mg.up().ok
    assert before.differences(snapshot(conn)), "the migration changed nothing?"
    assert {b.backup.source.split(".", 1)[1]: b.backup.row_count for b in mg.backups()}["runs"] == 500

    down = mg.plan_down(steps=1).migrations[0]
    assert down.method == "restore" and not down.refusal
    outcome = mg.down(steps=1)
    assert outcome.ok, outcome.failure
    assert before.differences(snapshot(conn)) == []
    assert [s.state for s in mg.status()] == ["pending"]


def test_rows_written_since_the_apply_are_named_before_the_rollback(conn: Connection, tmp_path: Path) -> None:
    mg = refactor_project(conn, tmp_path)
    before = snapshot(conn)
    assert mg.up().ok
    conn.execute("INSERT INTO screens (screen_id, app_package) VALUES ('late', 'app.x')")

    warnings = mg.plan_down(steps=1).migrations[0].warnings
    assert any(
        "screens holds 301 rows, 300 just after 001 was applied: rows written since are carried" in w for w in warnings
    ), warnings
    assert mg.down(steps=1).ok
    assert before.differences(snapshot(conn)) == [f"rows of {conn.default_schema}.screens differ"]
    assert conn.query("SELECT count(*) FROM screens WHERE screen_id = 'late'").scalar() == 1  # carried over


def test_reapplying_after_rollback_gives_the_same_result(conn: Connection, tmp_path: Path) -> None:
    mg = refactor_project(conn, tmp_path)
    assert mg.up().ok
    applied = snapshot(conn)
    assert mg.down(steps=1).ok
    assert mg.up().ok
    assert applied.differences(snapshot(conn)) == []
