"""What the screens ask the engine before and besides a rollback, on both backends: tables at
stake, ways back without counting rows, one backup compared with and restored into its table."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from workbench.db import Connection
from workbench.migrations.engine import Migrator
from workbench.migrations.restore import BEFORE_RESTORE, RestoreFailed, compare, restore
from workbench.migrations.stakes import TableStake, stakes, ways_back
from tests.migrations.helpers import snapshot, write_files

ITEMS = (
    "CREATE TABLE items (id integer PRIMARY KEY, label text NOT NULL);\n"
    "INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three');\n"
)
MIGRATIONS = {
    "001_notes.sql": "CREATE TABLE notes (id integer PRIMARY KEY, body text);",
    "002_cleanup.sql": "DELETE FROM items WHERE id = 3;\nALTER TABLE items DROP COLUMN label;",
}


@pytest.fixture
def mg(conn: Connection, tmp_path: Path) -> Migrator:
    conn.execute_script(ITEMS)
    return Migrator(conn, write_files(tmp_path / "migrations", MIGRATIONS))


def table(conn: Connection, name: str) -> str:
    return f"{conn.default_schema}.{name}"


def test_stakes_count_rows_now_in_the_backup_and_written_since(mg: Migrator, conn: Connection) -> None:
    assert mg.up().ok
    conn.execute("INSERT INTO items (id) VALUES (10), (11)")
    conn.execute("INSERT INTO notes VALUES (1, 'kept by nobody')")
    entries = {e.version_text: e for e in mg.targets("0", None)}
    (items,) = stakes(mg, entries["002"])
    assert items == TableStake(table(conn, "items"), rows_now=4, backup_rows=3, rows_after_apply=2)
    assert items.written_since == 2
    assert stakes(mg, entries["001"]) == (TableStake(table(conn, "notes"), 1, None, None, dropped=True),)


def test_ways_back_plans_every_applied_migration_and_names_a_refusal(mg: Migrator, conn: Connection) -> None:
    assert ways_back(mg) == {}
    assert mg.up().ok
    plans = ways_back(mg)
    assert [(v, p.method) for v, p in plans.items()] == [("2", "restore"), ("1", "inverse")]
    mg.purge(timedelta(0), force=True)  # the backups 002's rollback needs are gone
    refusal = ways_back(mg)["2"].refusal
    assert refusal and "no backup" in refusal


def test_compare_finds_rows_and_columns_that_differ(mg: Migrator, conn: Connection) -> None:
    assert mg.up().ok
    (info,) = mg.backups()
    c = compare(mg, info.backup)
    assert (c.live_rows, c.backup.row_count, c.columns_added, c.columns_removed) == (2, 3, (), ("label",))
    assert (c.only_in_backup, c.only_in_live, c.same) == (1, 0, False)  # over the common column id
    assert c.backup_checksum == mg.keeper.checksum(info.backup) and c.live_checksum


def test_compare_with_a_table_that_is_gone(mg: Migrator, conn: Connection) -> None:
    assert mg.up().ok
    (info,) = mg.backups()
    conn.execute("DROP TABLE items")
    c = compare(mg, info.backup)
    assert c.live_rows is None and c.only_in_backup == 3 and not c.same


def test_restore_puts_back_definition_and_rows_after_a_safety_copy(mg: Migrator, conn: Connection) -> None:
    before = snapshot(conn)
    assert mg.up().ok
    conn.execute("INSERT INTO items (id) VALUES (10)")
    (info,) = mg.backups()
    restored = restore(mg, info.backup)
    assert restored.rows == 3 and "column " + table(conn, "items") + ".label added" in restored.schema_changes
    assert restored.safety is not None and restored.safety.purpose == BEFORE_RESTORE
    assert restored.safety.row_count == 3  # ids 1, 2 and 10, as they were just before
    assert compare(mg, info.backup).same
    items = table(conn, "items")
    assert snapshot(conn).checksums[items] == before.checksums[items]


def test_restore_without_safety_copy_and_of_a_dropped_table(mg: Migrator, conn: Connection) -> None:
    assert mg.up().ok
    (info,) = mg.backups()
    conn.execute("DROP TABLE items")
    restored = restore(mg, info.backup, safety_backup=False)
    assert restored.rows == 3 and restored.safety is None
    assert [i.backup.id for i in mg.backups()] == [info.backup.id]


def test_a_restore_that_cannot_finish_changes_nothing(mg: Migrator, conn: Connection) -> None:
    assert mg.up().ok
    (info,) = mg.backups()
    conn.execute("INSERT INTO items (id) VALUES (10)")
    before = snapshot(conn)
    with conn.transaction():
        conn.execute(f"UPDATE {mg.keeper.registry} SET row_count = 99")  # a backup that lies about itself
    with pytest.raises(RestoreFailed, match="nothing was changed"):
        restore(mg, mg.backups()[0].backup)
    assert before.differences(snapshot(conn)) == []
    assert [i.backup.purpose for i in mg.backups()] == ["before migration"]  # no safety copy left behind
