"""`workbench report`: generated like seed 001, on the sample and on both backends."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.report.migration_report import migration_report
from workbench.coverage.suite import load_suite
from workbench.db import Connection, connect
from workbench.db.catalog_diff import diff
from workbench.migrations.engine import Migrator
from workbench.project import load_project
from workbench.resources import bundled

SAMPLE = bundled("sample_dbs") / "booking"
EXPECTED = Path(__file__).parent / "data" / "booking_report_0003.md"


@pytest.fixture
def booking_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The sample database as shipped, at ./booking.db (a relative URL keeps the report stable)."""
    monkeypatch.chdir(tmp_path)
    conn = connect("booking.db", options={"create": True})
    try:
        with conn.transaction():
            conn.execute_script((SAMPLE / "schema.sql").read_text(encoding="utf-8"))
    finally:
        conn.close()
    return "sqlite:///booking.db"


def test_sample_report_for_0003_matches_the_expected_markdown(booking_db: str, tmp_path: Path) -> None:
    """Regenerate after an intended change: `workbench report sqlite:///booking.db --project
    sample_dbs/booking --to 0003 --output tests/report/data/booking_report_0003.md` on a fresh
    build of the sample (`workbench sample reset booking` makes one)."""
    out = tmp_path / "report.md"
    assert main(["report", booking_db, "--project", str(SAMPLE), "--to", "0003", "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == EXPECTED.read_text(encoding="utf-8")


def test_sample_report_reads_like_seed_001(booking_db: str) -> None:
    text = EXPECTED.read_text(encoding="utf-8")
    assert text.startswith("# Schema Migration Report: 0003_surgical_schema_fixes\n")
    for line in (
        "- **11 new columns** added to existing tables",
        "- **9 new tables** created",
        "- **6 indexes** created",
        "| `is_mobile` | boolean | false | no | added |",
        "### 1. `booking_order_private_notes`",
        'CREATE INDEX "queues_biz_status_idx" ON "queues" ("biz_id", "status");',
        "| UC-1 | Solo consultant keeps private notes on bookings | `booking_order_private_notes`, "
        "`booking_order_private_notes.booking_order_id`, `booking_order_private_notes.author_user_id`, "
        "`booking_order_private_notes.note` | gap | ✅ full |",
        "Before: 20 use cases: 4 full, 0 strong, 10 partial, 6 gap; scenarios 14/50, 28%  ",
        "After: 20 use cases: 17 full, 1 strong, 2 partial, 0 gap; scenarios 47/50, 94%",
    ):
        assert line in text, line


def test_default_range_is_the_pending_migrations_with_backups_they_would_take(booking_db: str) -> None:
    project = load_project(SAMPLE)
    conn = connect(booking_db)
    try:
        report = migration_report(conn, project, load_suite(project.use_cases_file, dialect="sqlite"))
    finally:
        conn.close()
    assert report.title == "0003_surgical_schema_fixes → 0004_mvp_cleanup"
    assert {b.source_table for b in report.backups} >= {"booking_orders", "locations"}
    text = report.markdown()
    assert "| `address` | TEXT |  | yes | dropped |" in text
    assert "## Section 4: Enums, CHECK Constraints and Policies" in text
    assert '`length("currency") = 3`' in text
    assert report.ok


PROJECT = {
    "migrations/001_queues.up.sql": "CREATE TABLE queues (id text PRIMARY KEY, name text NOT NULL);\n"
    "CREATE INDEX queues_name_idx ON queues (name);\n"
    "ALTER TABLE bookings ADD COLUMN party_size integer;\n",
    "migrations/002_drop_legacy.up.sql": "ALTER TABLE bookings DROP COLUMN legacy_code;\n",
    "checks/counts.sql": "-- check: two bookings\n-- expect: 2\nSELECT count(*) FROM bookings;\n",
    "scenarios/uc-1.sql": "INSERT INTO queues VALUES ('q1', 'front desk');\n",
    "use_cases.toml": textwrap.dedent("""
        [[use_case]]
        id = "UC-1"
        title = "Walk-in queue"
        tables = ["queues"]
        columns = ["bookings.party_size"]
        scenarios = ["scenarios/uc-1.sql"]
    """),
}


@pytest.fixture
def project(tmp_path: Path, conn: Connection) -> Path:
    for name, text in PROJECT.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    conn.execute("CREATE TABLE bookings (id text PRIMARY KEY, legacy_code text)")
    conn.execute("INSERT INTO bookings VALUES ('b1', 'X1'), ('b2', 'X2')")
    assert Migrator(conn, tmp_path / "migrations").up().ok
    return tmp_path


def test_report_of_applied_migrations_on_both_backends(conn: Connection, backend_url: str, project: Path) -> None:
    before = conn.introspect()
    report = migration_report(
        conn,
        load_project(project),
        load_suite(project / "use_cases.toml", dialect=conn.backend.name),
        start="1",
        end="2",
    )
    assert not diff(before, conn.introspect())  # only read
    text = report.markdown()
    assert text.startswith("# Schema Migration Report: 001_queues → 002_drop_legacy\n")
    assert "**Status**: ✅ Applied (" in text
    assert "- `migrations/001_queues.up.sql`" in text
    assert "- **1 new column** added to existing tables" in text
    assert "- **1 column** dropped" in text
    assert "### 1. `queues`" in text
    assert "queues_name_idx" in text
    assert [(b.source_table, b.row_count) for b in report.backups] == [("bookings", 2)]
    assert "| ✓ | two bookings | checks/counts.sql:1 | 2 | 2 |" in text
    assert "| UC-1 | Walk-in queue | `queues`, `bookings.party_size` | gap | ✅ full |" in text


def test_a_migration_failing_on_the_copy_makes_the_report_exit_1(
    conn: Connection, backend_url: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "migrations" / "003_broken.up.sql").write_text("ALTER TABLE nowhere ADD COLUMN x integer;\n")
    assert main(["report", backend_url, "--project", str(project), "--from", "3"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("# Schema Migration Report: 003_broken\n")
    assert "**Status**: ❌ Fails" in out
    assert "> 003 broken failed at statement 1 of 1:" in out
