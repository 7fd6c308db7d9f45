"""The `migrations` source: the project's migrations replayed on an empty scratch database of the
same backend, which is gone afterwards, also when a migration fails."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest

from tests.diff.helpers import TWO_MIGRATIONS, ScratchSpy, gone, write_project
from workbench.db import Connection
from workbench.diff.from_migrations import ReplayFailed, replay
from workbench.diff.sources import load_catalog
from workbench.project import load_project


def test_replay_builds_the_schema_the_migrations_produce(conn: Connection, backend_url: str, tmp_path: Path) -> None:
    folder = write_project(tmp_path, backend_url, TWO_MIGRATIONS)
    conn.execute("CREATE TABLE legacy (id integer)")  # the scratch database starts empty, not as a copy
    spy = ScratchSpy(conn)
    replayed = replay(cast(Connection, spy), folder)
    [table] = replayed.catalog.tables
    assert table.name == "customers"
    assert [c.name for c in table.columns] == ["id", "name", "email"]
    assert [i.name for i in table.indexes if not i.primary] == ["customers_email"]
    assert replayed.applied == ("0001_customers", "0002_email")
    assert [t.name for t in conn.introspect().tables] == ["legacy"]  # the user's database is only read
    assert gone(conn, spy.scratches[0])


def test_a_failing_migration_is_named_and_the_scratch_database_is_dropped(
    conn: Connection, backend_url: str, tmp_path: Path
) -> None:
    folder = write_project(
        tmp_path, backend_url, {**TWO_MIGRATIONS, "0003_broken.up.sql": "ALTER TABLE nowhere ADD COLUMN x integer;\n"}
    )
    spy = ScratchSpy(conn)
    with pytest.raises(
        ReplayFailed, match=r"^the migrations cannot be replayed on an empty database: 0003 broken failed.*`baseline`"
    ) as err:
        replay(cast(Connection, spy), folder)
    assert err.value.exit_code == 2
    assert "\n" not in str(err.value)
    assert gone(conn, spy.scratches[0])


def test_the_named_source_replays_on_the_default_profiles_backend(backend_url: str, tmp_path: Path) -> None:
    write_project(tmp_path, backend_url, TWO_MIGRATIONS)
    catalog, conn = load_catalog("migrations", load_project(tmp_path))
    try:
        assert conn.backend.name == catalog.backend == ("sqlite" if backend_url.startswith("sqlite") else "postgresql")
        assert [t.name for t in catalog.tables] == ["customers"]
    finally:
        conn.close()


def test_migrations_that_start_from_an_existing_schema_replay_after_the_projects_baseline(
    conn: Connection, backend_url: str, tmp_path: Path
) -> None:
    write_project(tmp_path, backend_url, {"0001_note.up.sql": "ALTER TABLE legacy ADD COLUMN note text;\n"})
    (tmp_path / "schema.sql").write_text(
        "CREATE TABLE legacy (id integer PRIMARY KEY);\nINSERT INTO legacy VALUES (1);\n"
    )
    with pytest.raises(ReplayFailed, match="`baseline` in workbench.toml"):
        load_catalog("migrations", load_project(tmp_path))  # from an empty database, 0001 has no table

    config = tmp_path / "workbench.toml"
    config.write_text('baseline = "schema.sql"\n' + config.read_text())  # a top-level key, before the profiles
    project = load_project(tmp_path)
    assert project.baseline == (tmp_path / "schema.sql").resolve()
    spy = ScratchSpy(conn)
    replayed = replay(cast(Connection, spy), project.migrations_dir, project.baseline)
    [table] = replayed.catalog.tables
    assert (table.name, [c.name for c in table.columns]) == ("legacy", ["id", "note"])
    assert conn.introspect().tables == ()  # the user's database is only read
    assert gone(conn, spy.scratches[0])


def test_a_baseline_that_fails_is_named_in_one_sentence(conn: Connection, backend_url: str, tmp_path: Path) -> None:
    write_project(tmp_path, backend_url, TWO_MIGRATIONS)
    (tmp_path / "schema.sql").write_text("CREATE TABLE broken (;\n")
    with pytest.raises(ReplayFailed, match=r"^the baseline schema.sql fails on an empty database: ") as err:
        replay(conn, tmp_path / "migrations", tmp_path / "schema.sql")
    assert err.value.exit_code == 2 and "\n" not in str(err.value)
