"""Flyway's repeatable `R__` migrations: run after the versioned ones, again whenever their
text changes, never rolled back; Flyway's history kept in step."""

from __future__ import annotations

from pathlib import Path

from workbench.db import Connection
from workbench.migrations.discovery import discover
from workbench.migrations.engine import Migrator
from tests.migrations.foreign_tools import run_as
from tests.migrations.test_discovery import write

VIEW = "DROP VIEW IF EXISTS user_names;\nCREATE VIEW user_names AS SELECT {column} FROM users;\n"
FILES = {
    "V1__users.sql": "CREATE TABLE users (id integer PRIMARY KEY, name text, email text);\n",
    "R__user_names.sql": VIEW.format(column="name"),
}


def test_repeatables_are_read_after_every_versioned_migration(tmp_path: Path) -> None:
    write(tmp_path, {**FILES, "V20240101000000__late.sql": "SELECT 1;", "R__a_first.sql": "SELECT 2;"})
    found = discover(tmp_path)
    assert [(m.version, m.repeatable) for m in found] == [
        ("1", False),
        ("20240101000000", False),
        ("R__a_first", True),
        ("R__user_names", True),
    ]


def test_a_repeatable_runs_again_when_its_text_changes_and_is_never_rolled_back(
    conn: Connection, tmp_path: Path
) -> None:
    root = write(tmp_path, FILES)
    assert Migrator(conn, root).up().ok
    assert [s.state for s in Migrator(conn, root).status()] == ["applied", "applied"]
    assert [m.version for m in Migrator(conn, root).plan_up().migrations] == []

    (root / "R__user_names.sql").write_text(VIEW.format(column="email"))
    mg = Migrator(conn, root)
    assert [s.state for s in mg.status()] == ["applied", "pending"]
    report = mg.up()
    assert [m.version for m in report.migrations] == ["R__user_names"]
    assert [c.name for c in conn.introspect().view("user_names", conn.default_schema).columns] == ["email"]
    assert [e.version for e in mg.targets("0", None)] == ["1"]  # no way back for a repeatable


def test_flyway_history_of_a_repeatable_is_adopted_and_its_rerun_recorded(conn: Connection, tmp_path: Path) -> None:
    root = write(tmp_path, FILES)
    mg = Migrator(conn, root)
    run_as(conn, "flyway", mg.migrations)
    assert [(s.state, s.entry.adopted_from if s.entry else None) for s in mg.status()] == [("applied", "Flyway")] * 2

    (root / "R__user_names.sql").write_text(VIEW.format(column="email"))
    mg = Migrator(conn, root)
    assert [s.state for s in mg.status()] == ["applied", "pending"]
    assert mg.up().ok
    rows = conn.query(
        "SELECT installed_rank, version, script, success FROM flyway_schema_history ORDER BY installed_rank"
    ).rows
    assert [(r[0], r[1], r[2], bool(r[3])) for r in rows] == [
        (1, "1", "V1__users.sql", True),
        (2, None, "R__user_names.sql", True),
        (3, None, "R__user_names.sql", True),
    ]
    assert [s.state for s in Migrator(conn, root).status()] == ["applied", "applied"]
