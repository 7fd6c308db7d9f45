"""The booking sample's use cases on the sample database as shipped, and per migration after it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.coverage.results import Coverage
from workbench.coverage.suite import load_suite, measure
from workbench.coverage.timeline import coverage_timeline
from workbench.db import connect
from workbench.project import load_project
from workbench.resources import bundled

SAMPLE = bundled("sample_dbs") / "booking"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample database built from schema.sql, once for this module (tests only read it)."""
    path = tmp_path_factory.mktemp("booking") / "booking.db"
    conn = connect(str(path), options={"create": True})
    try:
        with conn.transaction():
            conn.execute_script((SAMPLE / "schema.sql").read_text(encoding="utf-8"))
    finally:
        conn.close()
    return path


@pytest.fixture(scope="module")
def before(sample_db: Path) -> Coverage:
    conn = connect(str(sample_db))
    try:
        return measure(conn, load_suite(SAMPLE / "use_cases.toml", dialect="sqlite"))
    finally:
        conn.close()


def test_sample_lists_uc1_to_uc20_with_a_scenario_file_each() -> None:
    suite = load_suite(SAMPLE / "use_cases.toml", dialect="sqlite")
    assert [u.id for u in suite.use_cases.use_cases] == [f"UC-{i}" for i in range(1, 21)]
    assert all(len(u.scenarios) == 1 for u in suite.use_cases.use_cases)


def test_before_the_fixes_several_use_cases_are_gaps(before: Coverage) -> None:
    summary = before.summary
    assert (summary.full, summary.strong, summary.partial, summary.gap) == (4, 0, 10, 6)
    assert summary.pass_rate == "14/50, 28%"
    assert {r.use_case.id for r in before.use_cases if r.status == "gap"} == {
        "UC-1",
        "UC-3",
        "UC-16",
        "UC-18",
        "UC-19",
        "UC-20",
    }


def test_before_the_fixes_the_required_private_notes_and_duration_fail(before: Coverage) -> None:
    assert [r.use_case.id for r in before.required_not_full] == ["UC-1", "UC-2"]


def test_every_gap_is_explained(before: Coverage) -> None:
    for result in before.use_cases:
        if result.status != "full":
            assert result.missing or any(not s.passed for s in result.scenarios), result.use_case.id
            assert all(m.detail for m in result.missing)


def test_sample_scenarios_leave_the_database_as_it_was(sample_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "booking.db"
    shutil.copy(sample_db, copy)
    conn = connect(str(copy))
    try:
        tables = [t for t in conn.introspect().tables]
        sums = {t.name: conn.table_checksum(t.schema, t.name) for t in tables}
        measure(conn, load_suite(SAMPLE / "use_cases.toml", dialect="sqlite"))
        assert {t.name: conn.table_checksum(t.schema, t.name) for t in tables} == sums
    finally:
        conn.close()


def test_per_migration_the_surgical_fixes_close_the_gaps(sample_db: Path) -> None:
    project = load_project(SAMPLE)
    conn = connect(str(sample_db))
    try:
        timeline = coverage_timeline(conn, project.migrations_dir, load_suite(project.use_cases_file, dialect="sqlite"))
    finally:
        conn.close()
    assert [p.label for p in timeline.points] == [
        "before any migration",
        "0003 surgical_schema_fixes",
        "0004 mvp_cleanup",
    ]
    assert [p.coverage.summary.describe() for p in timeline.points] == [
        "20 use cases: 4 full, 0 strong, 10 partial, 6 gap; scenarios 14/50, 28%",
        "20 use cases: 17 full, 1 strong, 2 partial, 0 gap; scenarios 47/50, 94%",
        "20 use cases: 17 full, 1 strong, 2 partial, 0 gap; scenarios 47/50, 94%",
    ]
    moved = {
        (m.point.version, m.after.use_case.id): (str(m.before.status), str(m.after.status)) for m in timeline.moves()
    }
    assert moved[("0003", "UC-1")] == ("gap", "full")
    assert moved[("0003", "UC-17")] == ("partial", "strong")
    assert {version for version, _ in moved} == {"0003"}  # the cleanup keeps every use case where it was
    assert {b.source_table for b in timeline.points[2].backups} >= {"booking_orders", "locations"}
