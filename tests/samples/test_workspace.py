"""The workspace sample (SQLite, seed 003): four source databases built from SQL, three of them
attached by the profile, consolidated into workspace.db and un-consolidated again while the
sources are only ever read."""

from __future__ import annotations

import hashlib

import pytest

from tests.migrations.helpers import snapshot
from workbench import samples
from workbench.checks.runner import run_checks
from workbench.checks.suite import plan_suite
from workbench.db import Connection, connect, split_statements
from workbench.migrations.engine import Migrator
from workbench.project import Project

SOURCES = {
    "proposals_source": "proposals.db",
    "task_queue_source": "task_queue.db",
    "orch_source": "orchestration_decisions.db",
}
CONSOLIDATED = {"proposals", "tasks", "task_queue_metadata", "orchestration_decisions"}


class _Undo(Exception):
    """Raised to leave a transaction by rolling it back."""


def _open(project: Project) -> Connection:
    profile = project.profiles[project.default_profile or ""]
    return connect(profile.url, options=profile.connect_options())


def _digests(project: Project) -> dict[str, str]:
    return {name: hashlib.sha256((project.root / name).read_bytes()).hexdigest() for name in SOURCES.values()}


def _main_tables(conn: Connection) -> set[str]:
    return {t.name for t in conn.introspect(["main"]).tables if not t.name.startswith("workbench_")}


def _results(conn: Connection, project: Project) -> dict[str, str]:
    suite = plan_suite(conn, project, builtins=False)
    return {r.check.name: r.status for r in run_checks(conn, suite.checks, catalog=suite.catalog)}


@pytest.fixture
def workspace() -> Project:
    return samples.load("workspace")


def test_every_database_is_built_from_its_script(workspace: Project) -> None:
    assert workspace.profiles["workspace"].attach == {a: str(workspace.root / f) for a, f in SOURCES.items()}
    conn = _open(workspace)
    try:
        counts = [
            conn.row_count(schema, table)
            for schema, table in [
                ("main", "workspace_tasks"),
                ("main", "unregistered_files"),
                ("proposals_source", "proposals"),
                ("task_queue_source", "tasks"),
                ("task_queue_source", "task_queue_metadata"),
                ("orch_source", "orchestration_decisions"),
            ]
        ]
        assert counts == [62, 289, 1, 85, 5, 212]
        assert len(_main_tables(conn)) == 27
        assert {s.name for s in conn.introspect().schemas} == {"main", *SOURCES}
    finally:
        conn.close()


def test_the_consolidation_sql_runs_against_the_attached_sources(workspace: Project) -> None:
    up = (workspace.migrations_dir / "001_consolidate_into_workspace.up.sql").read_text()
    conn = _open(workspace)
    try:
        with pytest.raises(_Undo), conn.transaction():
            for statement in split_statements(up, conn.backend.name):
                conn.execute(statement.sql)
            assert CONSOLIDATED <= _main_tables(conn)
            assert conn.row_count("main", "tasks") == conn.row_count("task_queue_source", "tasks") == 85
            raise _Undo
        assert not CONSOLIDATED & _main_tables(conn)
    finally:
        conn.close()


def test_consolidate_verify_and_roll_back_leaving_the_sources_untouched(workspace: Project) -> None:
    sources = _digests(workspace)
    conn = _open(workspace)
    try:
        before = snapshot(conn)
        checks = _results(conn, workspace)
        assert checks["workspace_records_unchanged"] == "pass"
        assert {checks["workspace_table_count"], checks["record_counts_match_sources"]} == {"fail", "error"}

        mg = Migrator(conn, workspace.migrations_dir)
        assert [m.version for m in mg.migrations] == ["001", "002"]
        assert mg.up().ok
        consolidated = _main_tables(conn)
        assert CONSOLIDATED <= consolidated and len(consolidated) == 31
        assert set(_results(conn, workspace).values()) == {"pass"}

        assert mg.plan_down(to="0").migrations[0].method == "inverse"  # 002 has no down script
        assert mg.down(to="0").ok
        assert not CONSOLIDATED & _main_tables(conn)
        assert before.differences(snapshot(conn)) == []
    finally:
        conn.close()
    assert _digests(workspace) == sources
