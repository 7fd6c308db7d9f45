"""Coverage per migration: replayed on a scratch copy, on both backends, the user's database untouched."""

from __future__ import annotations

import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from workbench.coverage.suite import load_suite
from workbench.coverage.timeline import coverage_timeline
from workbench.db import Connection
from workbench.db.catalog_diff import diff
from workbench.migrations.engine import Migrator

FILES = {
    "migrations/001_queues.up.sql": "CREATE TABLE queues (id text PRIMARY KEY, name text NOT NULL);\n",
    "migrations/001_queues.down.sql": "DROP TABLE queues;\n",
    "migrations/002_private_notes.up.sql": "ALTER TABLE bookings ADD COLUMN private_note text;\n",
    "scenarios/uc-1.sql": "-- scenario: a walk-in joins\nINSERT INTO queues VALUES ('q1', 'front desk');\n"
    "-- expect: 1\nSELECT count(*) FROM queues;\n",
    "scenarios/uc-2.sql": "-- scenario: a note is kept\nINSERT INTO bookings VALUES ('b2', 'n', 'secret');\n"
    "-- expect: 'secret'\nSELECT private_note FROM bookings WHERE id = 'b2';\n",
    "use_cases.toml": textwrap.dedent("""
        [[use_case]]
        id = "UC-1"
        title = "Walk-in queue"
        tables = ["queues"]
        scenarios = ["scenarios/uc-1.sql"]

        [[use_case]]
        id = "UC-2"
        title = "Private notes"
        columns = ["bookings.notes", "bookings.private_note"]
        scenarios = ["scenarios/uc-2.sql"]
    """),
}


@pytest.fixture
def project(tmp_path: Path, conn: Connection) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    conn.execute("CREATE TABLE bookings (id text PRIMARY KEY, notes text)")
    conn.execute("INSERT INTO bookings VALUES ('b1', 'quiet room')")
    assert Migrator(conn, tmp_path / "migrations").up(to="001").ok
    return tmp_path


def test_each_migration_is_measured_and_moves_are_named(conn: Connection, backend_url: str, project: Path) -> None:
    seen: list[tuple[int, int]] = []
    timeline = coverage_timeline(
        conn,
        project / "migrations",
        load_suite(project / "use_cases.toml", dialect=conn.backend.name),
        progress=lambda done, total, text: seen.append((done, total)),
    )
    assert timeline.problem is None
    assert [p.label for p in timeline.points] == ["before any migration", "001 queues", "002 private_notes"]
    assert [[str(r.status) for r in p.coverage.use_cases] for p in timeline.points] == [
        ["gap", "partial"],
        ["full", "partial"],
        ["full", "full"],
    ]
    assert [
        (m.point.version, m.after.use_case.id, str(m.before.status), str(m.after.status), m.newly_met)
        for m in timeline.moves()
    ] == [
        ("001", "UC-1", "gap", "full", ("queues",)),
        ("002", "UC-2", "partial", "full", ("bookings.private_note",)),
    ]
    assert [p.applied_at is not None for p in timeline.points[1:]] == [True, False]
    assert seen[-1][0] == seen[-1][1] and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_the_users_database_is_only_read(conn: Connection, backend_url: str, project: Path) -> None:
    catalog = conn.introspect()
    rows = {t.name: conn.table_checksum(t.schema, t.name) for t in catalog.tables}
    states = [(s.version, s.state) for s in Migrator(conn, project / "migrations").status()]
    coverage_timeline(conn, project / "migrations", load_suite(project / "use_cases.toml", dialect=conn.backend.name))
    after = conn.introspect()
    assert not diff(catalog, after)
    assert {t.name: conn.table_checksum(t.schema, t.name) for t in after.tables} == rows
    assert [(s.version, s.state) for s in Migrator(conn, project / "migrations").status()] == states


def test_until_stops_the_replay_and_at_end_sees_the_copy_there(
    conn: Connection, backend_url: str, project: Path
) -> None:
    seen: list[list[str]] = []
    timeline = coverage_timeline(
        conn,
        project / "migrations",
        load_suite(project / "use_cases.toml", dialect=conn.backend.name),
        scenarios=False,
        until="1",
        at_end=lambda copy: seen.append([c.name for c in copy.introspect().tables[0].columns]),
    )
    assert [p.label for p in timeline.points] == ["before any migration", "001 queues"]
    assert seen == [["id", "notes"]]  # bookings without the column 002 adds


def test_a_migration_that_cannot_be_undone_starts_the_history_after_it(
    conn: Connection, backend_url: str, tmp_path: Path
) -> None:
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "migrations" / "001_queues.down.sql").unlink()
    (tmp_path / "migrations" / "001_queues.up.sql").write_text(
        "CREATE TABLE queues (id text PRIMARY KEY, name text NOT NULL);\nDROP TABLE legacy;\n"
    )
    conn.execute("CREATE TABLE bookings (id text PRIMARY KEY, notes text)")
    conn.execute("CREATE TABLE legacy (id integer PRIMARY KEY)")
    migrator = Migrator(conn, tmp_path / "migrations")
    assert migrator.up(to="001").ok
    migrator.purge(timedelta(seconds=-60), force=True)  # every backup, even this second's: no way back
    timeline = coverage_timeline(
        conn,
        tmp_path / "migrations",
        load_suite(tmp_path / "use_cases.toml", dialect=conn.backend.name),
        scenarios=False,
    )
    assert [p.label for p in timeline.points] == ["after 001 queues", "002 private_notes"]
    assert timeline.problem == "001 queues cannot be undone on the copy, so the history starts after it"


def test_the_copy_holds_the_rows_unless_the_database_is_too_big(
    conn: Connection, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    suite = load_suite(project / "use_cases.toml", dialect=conn.backend.name)
    seen: list[int] = []

    def rows_on_copy(copy: Connection) -> None:
        seen.append(copy.query("SELECT count(*) FROM bookings").scalar())

    assert coverage_timeline(conn, project / "migrations", suite, scenarios=False, at_end=rows_on_copy).note is None
    monkeypatch.setattr("workbench.coverage.timeline.COPY_ROWS_UP_TO", 0)
    big = coverage_timeline(conn, project / "migrations", suite, scenarios=False, at_end=rows_on_copy)
    if conn.backend.name == "postgresql":
        assert seen == [1, 0] and "copy without rows" in big.note
    else:  # SQLite copies are whole files: the rows come along whatever the size
        assert seen == [1, 1]
