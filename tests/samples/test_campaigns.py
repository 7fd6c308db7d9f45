"""The campaigns sample (PostgreSQL, seed 002): loaded with one call into an empty database,
its Week 2 migrations applied and rolled back with every row, its checks red before and green
after, its use cases covered once the migrations are in."""

from __future__ import annotations

import pytest

from tests.migrations.helpers import snapshot
from workbench import samples
from workbench.checks.checkfile import load_checks
from workbench.checks.runner import run_checks
from workbench.checks.suite import plan_suite
from workbench.cli import main
from workbench.coverage.suite import load_suite, measure
from workbench.db import Connection, connect
from workbench.db.catalog import Catalog
from workbench.migrations.discovery import discover
from workbench.migrations.engine import Migrator
from workbench.project import Project
from workbench.resources import bundled

SAMPLE = bundled("sample_dbs") / "campaigns"
WEEK2_TABLES = {
    "positioning",
    "message_architecture",
    "campaigns",
    "campaign_quests",
    "campaign_cohorts",
    "achievements",
    "user_achievements",
    "user_stats",
    "agent_registry",
    "agent_capabilities",
    "agent_assignments",
    "agent_performance",
    "intelligence_signals",
    "market_insights",
    "system_alerts",
    "user_notifications",
}
WEEK2_FUNCTIONS = {
    "calculate_move_success_rate",
    "update_experience_level",
    "stamp_achievement_unlock",
    "unlock_achievement",
    "refresh_user_stats",
    "record_agent_execution",
    "create_insight_from_signals",
    "get_active_insights",
    "get_priority_signals",
    "create_system_alert",
    "send_user_notification",
    "acknowledge_alert",
    "mark_notification_as_read",
    "get_user_unread_notifications",
    "get_critical_alerts",
}


def test_migrations_are_013_to_017_with_downs_for_some_but_not_all() -> None:
    migrations = discover(SAMPLE / "migrations")
    assert [(m.version, m.down_sql is not None) for m in migrations] == [
        ("013", True),
        ("014", False),
        ("015", True),
        ("016", False),
        ("017", True),
    ]


def test_checks_and_use_cases_parse() -> None:
    checks = load_checks(SAMPLE / "checks", relative_to=SAMPLE, dialect="postgresql")
    assert {
        "week2_table_count",
        "week2_rls_policy_count",
        "week2_functions_exist",
        "week2_updated_at_triggers",
        "market_insights_signals_exist",
    } <= {c.name for c in checks}
    assert len({c.file for c in checks}) == 6
    suite = load_suite(SAMPLE / "use_cases.toml", dialect="postgresql")
    assert [u.id for u in suite.use_cases.use_cases] == [f"UC-{i}" for i in range(1, 9)]


@pytest.mark.postgres
def test_a_database_that_is_not_empty_is_refused_and_left_alone(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = connect(pg_url)
    try:
        conn.execute("CREATE TABLE keep_me (id integer)")
        assert main(["sample", "load", "campaigns", pg_url]) == 2
        err = capsys.readouterr().err
        assert "is not empty (1 user object)" in err and "--force" in err
        assert [t.name for t in conn.introspect().tables] == ["keep_me"]
    finally:
        conn.close()


def _tables(catalog: Catalog) -> set[str]:
    return {t.name for t in catalog.tables if t.schema == "public"}


def _failing(conn: Connection, project: Project) -> set[str]:
    suite = plan_suite(conn, project)
    return {r.check.name for r in run_checks(conn, suite.checks, catalog=suite.catalog) if r.status != "pass"}


@pytest.mark.postgres
@pytest.mark.slow
def test_load_apply_verify_and_roll_back(pg_url: str) -> None:
    stray = connect(pg_url)
    stray.execute("CREATE TABLE leftover (id integer)")
    stray.close()

    project = samples.load("campaigns", pg_url, force=True)  # --force: the leftover goes
    profile = project.profiles[project.default_profile or ""]
    assert profile.url == pg_url and project.root == samples.data_dir() / "samples" / "campaigns"
    assert samples.open_sample("campaigns").root == project.root

    conn = connect(profile.url)
    try:
        week1 = conn.introspect()
        assert len(_tables(week1)) == 43 and "leftover" not in _tables(week1)
        assert len(week1.policies) == 18
        assert {e.name for e in week1.enums} == {"member_role", "content_channel"}
        assert [f.name for f in week1.functions] == ["update_updated_at_column"]
        assert {t.function for t in week1.triggers} == {"public.update_updated_at_column"} and len(week1.triggers) == 24
        assert conn.row_count("public", "move_executions") == 13200
        base = snapshot(conn)
        failing = _failing(conn, project)
        assert {
            "week2_table_count",
            "week2_rls_policy_count",
            "week2_functions_exist",
            "015_create_agent_registry is idempotent",
        } <= failing
        assert "week1_tables_untouched" not in failing
        coverage_before = measure(conn, load_suite(project.use_cases_file, dialect=conn.backend.name)).summary

        mg = Migrator(conn, project.migrations_dir)
        assert mg.up().ok
        week2 = conn.introspect()
        assert _tables(week2) == _tables(week1) | WEEK2_TABLES
        assert len(week2.policies) == 35
        assert not next(p for p in week2.policies if p.table == "user_stats" and p.name == "own_row_updates").permissive
        assert {e.name for e in week2.enums} >= {"achievement_tier", "alert_severity"}
        assert {f.name for f in week2.functions if f.schema != "workbench"} == WEEK2_FUNCTIONS | {
            "update_updated_at_column"
        }
        assert {f.name for f in week2.functions if f.kind == "procedure"} == {
            "refresh_user_stats",
            "record_agent_execution",
        }
        assert {t.table for t in week2.triggers if t.name.endswith("_updated_at")} >= WEEK2_TABLES
        assert week2.table("campaigns").comment and week2.table("agent_registry").rls_enabled is False
        assert all(fk.on_delete == "CASCADE" for name in WEEK2_TABLES for fk in week2.table(name).foreign_keys)
        assert _failing(conn, project) == set()
        coverage_after = measure(conn, load_suite(project.use_cases_file, dialect=conn.backend.name)).summary
        assert (coverage_before.full, coverage_after.full) == (2, 8)

        assert mg.down(to="0").ok
        assert base.differences(snapshot(conn)) == []
    finally:
        conn.close()
