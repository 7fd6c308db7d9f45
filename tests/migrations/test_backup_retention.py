"""Backups that can be cleaned up, on both backends: only the live apply's backups are needed;
purge previews, drops the rest, never drops a needed one unless forced (and then says what is
lost); sizes are measured; SQLite gives the space back on vacuum; the project's retention rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from workbench.db import Connection
from workbench.errors import ConfigError, UsageError
from workbench.migrations.backups import BEFORE_MIGRATION, SUPERSEDED, UNDONE
from workbench.migrations.engine import Migrator, RollbackRefused
from workbench.migrations.purge import purge, purge_preview, size_text, vacuum
from workbench.migrations.retention import Retention, parse_age, project_retention
from workbench.project import load_project
from tests.migrations.helpers import Snapshot, snapshot, write_files

ITEMS = "CREATE TABLE items (id integer PRIMARY KEY, label text NOT NULL);\n"
START: dict[str, Snapshot] = {}  # each test's database as `rounds` filled it, by backend
WIPE = {"001_wipe.sql": "DELETE FROM items WHERE id > 100;"}


def fill(conn: Connection, rows: int) -> None:
    conn.execute_script(ITEMS)
    conn.execute(
        "INSERT INTO items (id, label) "
        f"SELECT n, 'item number ' || n || ' padded to take some room on disk ........' FROM ({numbers(conn, rows)}) AS t"
    )


def numbers(conn: Connection, rows: int) -> str:
    if conn.capabilities.schemas:
        return f"SELECT generate_series(1, {rows}) AS n"
    return f"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < {rows}) SELECT n FROM c"


def rounds(conn: Connection, tmp_path: Path, count: int, rows: int = 300) -> Migrator:
    """`count` apply/rollback rounds of 001, then one more apply that stays."""
    fill(conn, rows)
    START[conn.backend.name] = snapshot(conn)
    mg = Migrator(conn, write_files(tmp_path / "migrations", WIPE))
    for _ in range(count):
        assert mg.up().ok and mg.down(steps=1).ok
    assert mg.up().ok
    return mg


def set_purpose(conn: Connection, mg: Migrator, backup_id: int, purpose: str) -> None:
    """What a workbench older than retiring left behind: a rolled-back apply's copy still marked
    as taken before the migration."""
    p = conn.placeholder
    conn.execute(f"UPDATE {mg.keeper.registry} SET purpose = {p} WHERE id = {p}", (purpose, backup_id))


def verdicts(mg: Migrator) -> list[tuple[int, str | None]]:
    return [(i.backup.id, i.why_not_needed) for i in mg.backups()]


def test_only_the_live_apply_needs_its_backups_and_purge_drops_the_rest(conn: Connection, tmp_path: Path) -> None:
    mg = rounds(conn, tmp_path, 2)
    assert verdicts(mg) == [(1, "its apply was rolled back"), (2, "its apply was rolled back"), (3, None)]
    preview = purge_preview(mg.backups(), None, False, datetime.now(UTC))
    assert [i.backup.id for i in preview.drops] == [1, 2] and [i.backup.id for i in preview.kept] == [3]
    text = "\n".join(preview.lines())
    assert "Purge drops 2 backups" in text and "its apply was rolled back" in text
    assert "rolling back 001 restores" in text and "--force" in text
    done = mg.purge()
    assert [i.backup.id for i in done.dropped] == [1, 2] and [i.backup.id for i in mg.backups()] == [3]
    assert mg.down(steps=1).ok  # the live apply's own copy is still there to roll back with
    assert snapshot(conn).differences(START[conn.backend.name]) == []


def test_backups_left_by_an_older_workbench_are_judged_by_what_a_rollback_takes(
    conn: Connection, tmp_path: Path
) -> None:
    mg = rounds(conn, tmp_path, 1)
    set_purpose(conn, mg, 1, BEFORE_MIGRATION)  # never retired: it used to count as needed
    assert verdicts(mg) == [(1, "superseded by backup #2 of the same table"), (2, None)]
    assert mg.down(steps=1).ok
    for backup_id in (1, 2):
        set_purpose(conn, mg, backup_id, BEFORE_MIGRATION)
    assert verdicts(mg) == [(1, "its migration is not applied"), (2, "its migration is not applied")]
    assert mg.up().ok  # a fresh apply takes its own copies; the old ones can never be taken for them
    assert [b.purpose for b in mg.keeper.all()] == [SUPERSEDED, SUPERSEDED, BEFORE_MIGRATION]
    stale = "taken before an apply that did not stay"
    assert verdicts(mg) == [(1, stale), (2, stale), (3, None)]


def test_no_age_drops_a_needed_backup_only_force_does_and_says_what_is_lost(conn: Connection, tmp_path: Path) -> None:
    mg = rounds(conn, tmp_path, 1)
    now = datetime.now(UTC) + timedelta(days=30)
    preview = purge_preview(mg.backups(), timedelta(0), False, now)
    assert [i.backup.id for i in preview.drops] == [1] and [i.backup.id for i in preview.kept] == [2]
    young = purge_preview(mg.backups(), timedelta(days=60), False, now)
    assert young.drops == () and [i.backup.id for i in young.younger] == [1]
    assert "Nothing to purge: no backup is old enough." in young.lines()
    assert any("newer than 2 months" in line for line in young.lines())
    forced = purge_preview(mg.backups(), timedelta(0), True, now)
    assert [i.backup.id for i in forced.lost] == [2] and forced.kept == ()
    assert any(
        line.endswith("can then no longer bring back " + forced.lost[0].backup.source + " (300 rows)")
        for line in forced.lines()
    )
    assert [i.backup.id for i in mg.purge(force=True).dropped] == [1, 2]
    assert mg.backups() == []
    (plan,) = mg.plan_down(steps=1).migrations  # as the preview said: the rows cannot come back
    assert plan.refusal == f"the rows 001 changed in {conn.default_schema}.items cannot come back: its backup is gone"
    with pytest.raises(RollbackRefused):
        mg.down(steps=1)
    assert conn.query("SELECT count(*) FROM items").scalar() == 100  # nothing pretended to roll back


def test_purge_leaves_what_became_needed_since_its_preview(conn: Connection, tmp_path: Path) -> None:
    mg = rounds(conn, tmp_path, 1)
    assert mg.down(steps=1).ok
    preview = purge_preview(mg.backups(), None, False, datetime.now(UTC))  # both stale now
    set_purpose(conn, mg, 2, BEFORE_MIGRATION)
    conn.execute(f"UPDATE {mg.ledger.store.table('migrations')} SET outcome = 'applied'")  # applied again meanwhile
    done = purge(mg, preview)
    assert [i.backup.id for i in done.dropped] == [1] and [i.backup.id for i in done.skipped] == [2]
    assert [b.id for b in mg.keeper.all()] == [2]


def test_sizes_are_measured_and_an_estimate_is_close(conn: Connection, tmp_path: Path) -> None:
    mg = rounds(conn, tmp_path, 0, rows=2000)
    (info,) = mg.backups()
    assert info.size and info.size > 2000 * 60 and not info.size_estimated
    estimate = mg.keeper.estimate_size(info.backup)
    assert estimate is not None and info.size / 3 < estimate < info.size * 3
    assert size_text(1536, estimated=True) == "≈ 1.5 KiB" and size_text(None) == "size unknown"


def test_vacuum_gives_the_space_back_on_sqlite(conn: Connection, tmp_path: Path) -> None:
    mg = rounds(conn, tmp_path, 2, rows=5000)
    before = conn.database_size()
    assert before is not None
    assert len(mg.purge().dropped) == 2
    done = vacuum(conn)
    if conn.capabilities.vacuum_shrinks:
        assert done.before == before and done.after is not None and done.after < before * 0.8
        assert done.lines()[0].startswith("Vacuumed: the database went from")
    else:
        assert (done.before, done.after) == (None, None) and "Nothing to vacuum" in done.lines()[0]


def test_ages_and_the_projects_retention_rule(tmp_path: Path) -> None:
    assert parse_age("1w") == timedelta(days=7) and parse_age("12h") == timedelta(hours=12)
    assert parse_age(" 90m ") == timedelta(minutes=90)
    with pytest.raises(UsageError, match="not an age"):
        parse_age("a week")
    assert project_retention(load_project(tmp_path)) is None
    (tmp_path / "workbench.toml").write_text('[workbench]\nkeep_backups = "7d"\n')
    rule = project_retention(load_project(tmp_path))
    assert rule == Retention(timedelta(days=7), "7d")
    assert rule.cutoff(datetime(2026, 3, 8, 12, tzinfo=UTC)) == "2026-03-01T12:00:00Z"
    (tmp_path / "workbench.toml").write_text('[workbench]\nkeep_backups = "soon"\n')
    with pytest.raises(ConfigError, match="workbench.toml: keep_backups: not an age"):
        project_retention(load_project(tmp_path))
    (tmp_path / "workbench.toml").write_text("[workbench]\nkeep_backups = 7\n")
    with pytest.raises(ConfigError, match="keep_backups must be an age"):
        load_project(tmp_path)


def test_undone_is_what_a_rollback_leaves(conn: Connection, tmp_path: Path) -> None:
    mg = rounds(conn, tmp_path, 1)
    assert [b.purpose for b in mg.keeper.all()] == [UNDONE, BEFORE_MIGRATION]
