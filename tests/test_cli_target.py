"""What `workbench WORD` means, as a script or a CI job runs it: stdin and stdout are not a terminal.

A word that is no command, no profile, no URL, no file and not shaped like a SQLite path is a
typo, refused with the nearest command; everything else is a database, and without a terminal
the TUI refuses to start instead of hanging on keys that never come.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.db import connect


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real command in a subprocess with no terminal anywhere: a hang fails on the timeout."""
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "80"},
    )


def one_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("word", "nearest"),
    [
        ("frobnicate", "the nearest command is `workbench migrate`"),
        ("inspct", "did you mean `workbench inspect`?"),
        ("status", "did you mean `workbench migrate status`?"),
        ("statu", "did you mean `workbench migrate status`?"),
    ],
)
def test_an_unknown_word_is_exit_2_with_the_nearest_command(word: str, nearest: str, tmp_path: Path) -> None:
    line = one_line(run_cli(word, cwd=tmp_path))
    assert line.startswith(f"workbench: unknown command or database '{word}'")
    assert nearest in line
    assert list(tmp_path.iterdir()) == [], "nothing was created for a typo"


def test_a_command_after_an_option_says_it_comes_first(tmp_path: Path) -> None:
    line = one_line(run_cli("--project", str(tmp_path), "inspect", cwd=tmp_path))
    assert "inspect is a command, so it comes first: `workbench inspect [TARGET] --project DIR`" in line


@pytest.mark.parametrize("name", ["river.db", "river.sqlite3", "river.db3", "data/river", "./river"])
def test_a_missing_name_shaped_like_a_sqlite_path_is_a_database_not_a_typo(name: str, tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    line = one_line(run_cli(name, cwd=tmp_path))
    assert "unknown command" not in line and "the TUI needs a terminal" in line
    assert not (tmp_path / name).exists(), "the TUI never creates a database"


def test_a_profile_an_existing_file_and_a_url_are_databases(tmp_path: Path) -> None:
    (tmp_path / "workbench.toml").write_text('[profiles.dev]\nurl = "dev.db"\n')
    connect(str(tmp_path / "shop"), options={"create": True}).close()  # an existing file, no suffix
    for target in ("dev", "shop", "postgresql://nobody@127.0.0.1:1/none", "host=127.0.0.1 dbname=none"):
        line = one_line(run_cli(target, "--project", str(tmp_path), cwd=tmp_path))
        assert "the TUI needs a terminal" in line, target


def test_without_a_terminal_the_tui_never_starts(tmp_path: Path) -> None:
    proc = run_cli(cwd=tmp_path)  # no argument: the bundled sample, which is not even built
    assert "the TUI needs a terminal" in one_line(proc) and "workbench inspect TARGET" in proc.stderr
    assert not (tmp_path / "user-data" / "samples").exists(), "WORKBENCH_DATA_DIR is this test's (conftest)"


def test_a_subcommand_says_not_found_for_a_missing_path_without_a_suffix(tmp_path: Path) -> None:
    line = one_line(run_cli("inspect", "data/river", cwd=tmp_path))
    assert "SQLite database file not found: data/river" in line
    assert not (tmp_path / "data").exists()


# -- a SQLite file that does not exist yet: `migrate up` creates it, nothing else does ----------


def migrations_folder(root: Path) -> Path:
    (root / "migrations").mkdir()
    (root / "migrations" / "001_items.sql").write_text("CREATE TABLE items (id integer PRIMARY KEY);\n")
    return root


@pytest.mark.parametrize("spelling", ["river.db", "sqlite:///river.db"])
def test_migrate_up_creates_a_missing_sqlite_file_and_says_so(spelling: str, tmp_path: Path) -> None:
    root = migrations_folder(tmp_path)
    proc = run_cli("migrate", "up", spelling, cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "note: created the SQLite database river.db (there was no such file)" in proc.stderr
    assert "applied 001 items" in proc.stdout
    status = run_cli("migrate", "status", "river.db", "--json", cwd=root)
    assert [m["state"] for m in json.loads(status.stdout)["migrations"]] == ["applied"]


def test_migrate_up_json_stays_pure_json_when_it_creates_the_file(tmp_path: Path) -> None:
    root = migrations_folder(tmp_path)
    proc = run_cli("migrate", "up", "river.db", "--json", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["report"]["done"] == ["001"]
    assert "created the SQLite database river.db" in proc.stderr


def test_migrate_up_removes_the_file_again_when_it_fails_before_writing(tmp_path: Path) -> None:
    proc = run_cli("migrate", "up", "river.db", cwd=tmp_path)  # no migrations folder
    assert proc.returncode == 2 and "migrations folder not found" in proc.stderr
    assert "removed river.db again" in proc.stderr and not (tmp_path / "river.db").exists()


def test_migrate_up_does_not_create_the_folder(tmp_path: Path) -> None:
    root = migrations_folder(tmp_path)
    line = one_line(run_cli("migrate", "up", "nodir/river.db", cwd=root))
    assert "folder nodir does not exist" in line and not (root / "nodir").exists()


@pytest.mark.parametrize(
    "command",
    [
        ["inspect"],
        ["verify"],
        ["coverage"],
        ["report"],
        ["migrate", "status"],
        ["migrate", "plan"],
        ["migrate", "down", "--yes"],
        ["migrate", "backups"],
    ],
    ids=" ".join,
)
def test_every_other_command_refuses_a_missing_file_and_creates_nothing(command: list[str], tmp_path: Path) -> None:
    root = migrations_folder(tmp_path)
    line = one_line(run_cli(*command[:2], "river.db", *command[2:], cwd=root))
    assert "SQLite database file not found: river.db" in line
    assert not (root / "river.db").exists()
