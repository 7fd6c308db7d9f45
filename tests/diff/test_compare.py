"""What the Compare screen asks of the engine: two sources diffed both ways, `migrations` replayed on
the other side's backend, and sources that cannot be compared refused in one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diff.helpers import migrated
from workbench.db import connect
from workbench.diff.compare import compare
from workbench.errors import UsageError


def test_migrations_against_a_database_both_ways(backend_url: str, tmp_path: Path) -> None:
    project = migrated(tmp_path, backend_url)
    conn = connect(backend_url)
    conn.execute("CREATE TABLE audit_notes (id integer PRIMARY KEY)")
    conn.close()
    there = compare("migrations", "db", project)
    back = compare("db", "migrations", project)
    assert [(e.status, e.name.rsplit(".", 1)[-1]) for e in there.both.up.entries] == [("added", "audit_notes")]
    assert [(e.status, e.name.rsplit(".", 1)[-1]) for e in back.both.up.entries] == [("removed", "audit_notes")]
    assert there.both.down.statements == back.both.up.statements  # down is the way back


def test_the_same_source_twice_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="pick two different sources"):
        compare("migrations", "migrations", migrated(tmp_path, sqlite_url))


@pytest.mark.postgres
def test_two_backends_are_refused(sqlite_url: str, pg_url: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="compare two schemas of one backend$"):
        compare(sqlite_url, pg_url, migrated(tmp_path, sqlite_url))
