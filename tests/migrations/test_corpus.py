"""Real migration sets from the corpus, round-tripped on every backend they have a dialect for.

Up one at a time (a snapshot after each), down one and up again, then down all the way one at a
time: after each rollback the database must match the snapshot taken before that migration.
The sets' own broken or no-op down scripts are real; the engine must report the broken ones and
fall back to its own way back.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.db import Connection
from workbench.migrations.engine import Migrator
from tests.migrations.helpers import dialect, register_corpus_functions, river_folder, snapshot

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

# Down scripts that fail upstream (SOURCE.md of each set), by dialect.
BROKEN_DOWNS = {
    ("authelia", "postgres"): {"0002"},  # fine in a full chain, fails step-wise (index name clash)
    ("authelia", "sqlite"): set(),
    ("pocket-id", "postgres"): {"20250408120918", "20250412000000"},
    ("pocket-id", "sqlite"): {"20240820205521", "20250115155817", "20250408120918", "20250412000000", "20250810144214"},
    ("river", "postgres"): set(),
    ("river", "sqlite"): set(),
}
# What a down script deliberately keeps: River leaves the 'pending' enum value in place.
KEPT = {
    ("river", "postgres", "004"): ["enum public.river_job_state changed"],
    ("river", "postgres", "003"): ["enum public.river_job_state changed"],
}


def corpus_migrator(name: str, conn: Connection, corpus: Path, tmp_path: Path) -> Migrator:
    register_corpus_functions(conn)
    if name == "river":
        return Migrator(conn, river_folder(corpus, conn, tmp_path))
    return Migrator(conn, corpus / f"{name}-migrations" / dialect(conn))


@pytest.mark.parametrize("name", ["authelia", "pocket-id", "river"])
def test_corpus_set_applies_and_rolls_back_to_each_earlier_state(
    name: str, conn: Connection, corpus: Path, tmp_path: Path
) -> None:
    mg = corpus_migrator(name, conn, corpus, tmp_path)
    snaps = [snapshot(conn)]
    for m in mg.migrations:
        outcome = mg.up(to=m.version)
        if not outcome.ok:
            # SQLite before 3.45 has no jsonb(): River's 007 fails and must leave nothing behind
            assert (name, dialect(conn), m.version) == ("river", "sqlite", "007"), outcome.failure
            assert "jsonb" in outcome.failure.error
            assert snaps[-1].differences(snapshot(conn)) == []
            assert [s.state for s in mg.status()][-1] == "failed"
            break
        snaps.append(snapshot(conn))
    applied = len(snaps) - 1

    assert mg.down(steps=1).ok
    assert snaps[applied - 1].differences(snapshot(conn)) == []
    assert mg.up(to=mg.migrations[applied - 1].version).ok
    assert snaps[applied].differences(snapshot(conn)) == []

    failed_downs = set()
    for k in range(applied, 0, -1):
        version = mg.migrations[k - 1].version
        outcome = mg.down(steps=1)
        assert outcome.ok, outcome.failure
        failed_downs |= {version for w in outcome.warnings if "the down script failed" in w}
        left = [d.split(":")[0] for d in snaps[k - 1].differences(snapshot(conn))]
        assert left == KEPT.get((name, dialect(conn), version), []), version
    assert failed_downs == BROKEN_DOWNS[(name, dialect(conn))]

    assert mg.up(to=mg.migrations[applied - 1].version).ok
    assert snaps[applied].differences(snapshot(conn)) == []
