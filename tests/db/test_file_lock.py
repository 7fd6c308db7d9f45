"""SQLite's migrate lock: exclusive per database file whatever it is called, and nothing left
beside the user's database."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main
from workbench.db import LockTimeout, connect


def test_migrating_leaves_nothing_beside_the_database(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    connect(str(folder / "app.db"), options={"create": True}).close()
    migrations = tmp_path / "project" / "migrations"
    migrations.mkdir(parents=True)
    (migrations / "001_notes.sql").write_text("CREATE TABLE notes (id integer PRIMARY KEY, body text);\n")
    assert main(["migrate", "up", str(folder / "app.db"), "--project", str(tmp_path / "project")]) == 0
    assert (
        main(
            ["migrate", "down", str(folder / "app.db"), "--project", str(tmp_path / "project"), "--steps", "1", "--yes"]
        )
        == 0
    )
    assert sorted(p.name for p in folder.iterdir()) == ["app.db"]


def test_the_lock_holds_whatever_name_the_file_is_reached_by(tmp_path: Path) -> None:
    database = tmp_path / "app.db"
    connect(str(database), options={"create": True}).close()
    (tmp_path / "alias.db").symlink_to(database)
    first, second = connect(str(database)), connect(f"sqlite:///{tmp_path / 'alias.db'}")
    try:
        with first.lock("migrate", timeout_s=1):
            with pytest.raises(LockTimeout, match="another workbench process"):
                with second.lock("migrate", timeout_s=0.2):
                    pass
        with second.lock("migrate", timeout_s=1):
            pass
    finally:
        first.close()
        second.close()
