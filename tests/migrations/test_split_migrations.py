"""A migration is planned, backed up and run statement by statement exactly as the database reads
it: a `\\'` that ends a string on the server ends it for the plan too."""

from __future__ import annotations

from pathlib import Path

from tests.migrations.helpers import snapshot, write_files
from workbench.db import Connection
from workbench.migrations.engine import Migrator

# Valid on both backends: 'C:\' is a whole string (a backslash escapes nothing), so the DROP is
# a statement of its own (a splitter that reads \' as a quote reads on to the next quote).
SETTINGS_FIX = (
    "UPDATE settings SET path = 'C:\\'; DROP TABLE legacy_settings;\nINSERT INTO settings VALUES (2, 'E:');\n"
)


def test_a_statement_after_a_backslash_string_is_planned_backed_up_and_undone(conn: Connection, tmp_path: Path) -> None:
    conn.execute("CREATE TABLE settings (id integer PRIMARY KEY, path text)")
    conn.execute("CREATE TABLE legacy_settings (id integer PRIMARY KEY, value text)")
    conn.execute("INSERT INTO settings VALUES (1, 'D:')")
    for start in range(0, 100, 25):
        rows = ", ".join(f"({i}, 'v{i}')" for i in range(start, start + 25))
        conn.execute(f"INSERT INTO legacy_settings VALUES {rows}")
    before = snapshot(conn)
    mg = Migrator(conn, write_files(tmp_path / "migrations", {"001_settings_fix.sql": SETTINGS_FIX}))

    (plan,) = mg.plan_up().migrations
    statements = [s.text for s in plan.steps if s.action == "statement"]
    assert len(statements) == 3 and "DROP TABLE legacy_settings" in statements[1]
    backups = {s.table for s in plan.steps if s.action == "backup"}
    assert {t.split(".")[-1] for t in backups} == {"settings", "legacy_settings"}

    assert mg.up().ok
    assert conn.query("SELECT path FROM settings").scalar() == "C:\\"
    copies = {b.backup.source_table: b.backup.row_count for b in mg.backups()}
    assert copies == {"settings": 1, "legacy_settings": 100}

    assert mg.down(to="0").ok
    assert before.differences(snapshot(conn)) == []
    assert conn.row_count(conn.default_schema, "legacy_settings") == 100
