"""`migrate new`: the next migration in the layout the folder already uses, numbered after the
newest, read back by discovery exactly as written."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.errors import ConfigError, UsageError
from workbench.migrations.discovery import discover
from workbench.migrations.writer import write_next

NOW = datetime(2026, 12, 7, 23, 30, 15, tzinfo=UTC)
UP, DOWN = "CREATE TABLE invoices (id integer PRIMARY KEY);", "DROP TABLE invoices;"

LAYOUTS = {
    "golang-migrate": (
        {"0007_users.up.sql": "CREATE TABLE users (id integer);", "0007_users.down.sql": "DROP TABLE users;"},
        ["0008_add_invoices.up.sql", "0008_add_invoices.down.sql"],
        "0008",
    ),
    "dbmate": (
        {
            "20240101120000_users.sql": "-- migrate:up\nCREATE TABLE users (id integer);\n-- migrate:down\nDROP TABLE users;\n"
        },
        ["20261207233015_add_invoices.sql"],
        "20261207233015",
    ),
    "Flyway": (
        {"V3__users.sql": "CREATE TABLE users (id integer);", "U3__users.sql": "DROP TABLE users;"},
        ["V4__add_invoices.sql", "U4__add_invoices.sql"],
        "4",
    ),
    "Flyway dotted": (
        {"V1.2__users.sql": "CREATE TABLE users (id integer);"},
        ["V1.3__add_invoices.sql", "U1.3__add_invoices.sql"],
        "1.3",
    ),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_next_migration_uses_the_folders_layout_and_numbering(layout: str, tmp_path: Path) -> None:
    existing, expected, version = LAYOUTS[layout]
    for name, text in existing.items():
        (tmp_path / name).write_text(text)
    written = write_next(tmp_path, "Add invoices", UP, DOWN, now=NOW)
    assert [p.name for p in written.paths] == expected
    assert written.lines() == [f"wrote {tmp_path / name}" for name in expected]
    newest = discover(tmp_path)[-1]
    assert (newest.version, newest.name) == (version, "add_invoices")
    assert newest.up_sql.strip() == UP
    assert (newest.down_sql or "").strip() == DOWN


def test_plain_numbered_gets_no_down_script_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "001_users.sql").write_text("CREATE TABLE users (id integer);")
    written = write_next(tmp_path, "add_invoices", UP, DOWN)
    assert [p.name for p in written.paths] == ["002_add_invoices.sql"]
    assert written.note == "plain numbered migrations have no down script, so the down SQL was not written"
    newest = discover(tmp_path)[-1]
    assert (newest.version, newest.up_sql.strip(), newest.down_sql) == ("002", UP, None)


def test_a_timestamp_behind_the_newest_steps_by_one(tmp_path: Path) -> None:
    (tmp_path / "20990101000000_future.up.sql").write_text("SELECT 1;")
    assert write_next(tmp_path, "x", "", "", now=NOW).version == "20990101000001"


def test_an_empty_or_missing_folder_gets_a_golang_migrate_pair_with_templates(tmp_path: Path) -> None:
    written = write_next(tmp_path / "migrations", "first", "", "")
    assert [p.name for p in written.paths] == ["0001_first.up.sql", "0001_first.down.sql"]
    assert written.paths[0].read_text().startswith("-- Write the statements that make this change here.")


def test_a_layout_another_tool_writes_is_refused(tmp_path: Path) -> None:
    (tmp_path / "2024-01-01-120000_users").mkdir()
    (tmp_path / "2024-01-01-120000_users" / "up.sql").write_text("CREATE TABLE users (id integer);")
    with pytest.raises(ConfigError, match="written by another tool"):
        write_next(tmp_path, "x", UP, DOWN)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024-01-01-120000_users"]


def test_a_name_with_nothing_usable_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a usable migration name"):
        write_next(tmp_path, "!!!", UP, DOWN)


def test_cli_says_which_files_it_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_users.up.sql").write_text("CREATE TABLE users (id integer);")
    assert main(["migrate", "new", "add_invoices", "--project", str(tmp_path)]) == 0
    folder = tmp_path / "migrations"
    assert capsys.readouterr().out.splitlines() == [
        f"wrote {folder / '0002_add_invoices.up.sql'}",
        f"wrote {folder / '0002_add_invoices.down.sql'}",
    ]
    assert main(["migrate", "new", "...", "--project", str(tmp_path)]) == 2
    assert "not a usable migration name" in capsys.readouterr().err
