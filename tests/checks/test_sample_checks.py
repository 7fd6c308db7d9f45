"""The booking sample's own checks: red where migration 0003 is still pending, green once migrated."""

from __future__ import annotations

from workbench.checks.runner import CheckResult, run_checks
from workbench.checks.suite import plan_suite
from workbench.db import Connection, connect
from workbench.migrations.engine import Migrator
from workbench.project import Project
from workbench.samples import open_sample

BEFORE_0003 = {"table count", "new tables of 0003", "bookings of variable length"}


def run(conn: Connection, project: Project) -> list[CheckResult]:
    suite = plan_suite(conn, project)
    return list(run_checks(conn, suite.checks, catalog=suite.catalog))


def test_sample_checks_fail_only_on_what_0003_adds_and_all_pass_after_migrating() -> None:
    project = open_sample("booking")
    conn = connect(project.profiles["local"].url)
    try:
        before = run(conn, project)
        assert {r.name for r in before if r.status != "pass"} == BEFORE_0003
        assert {r.status for r in before if r.name in BEFORE_0003} == {"fail"}
        assert {"checks/counts.sql", "checks/integrity.sql", "built-in/foreign-keys", "built-in/values"} <= {
            r.file for r in before
        }
        assert Migrator(conn, project.migrations_dir).up().failure is None
        after = run(conn, project)
    finally:
        conn.close()
    assert [(r.file, r.name, r.actual, r.error) for r in after if r.status != "pass"] == []
    assert len(after) > len(before)  # the new tables bring their own built-in checks
