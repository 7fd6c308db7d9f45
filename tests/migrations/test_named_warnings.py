"""Every warning names its migration, and a version is written one way (as its file writes it).

The pocket-id rollback printed "its down script is empty, so the workbench undoes it itself" five
times with no subject: in a long plan the heading above had scrolled away.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.app import App, ComposeResult

from tests.migrations.helpers import write_files
from tests.tui.conftest import pilot_test
from tests.tui.migrating import text_of
from workbench.cli import main
from workbench.db import connect
from workbench.migrations.service import MigrationService
from workbench.tui.widgets.plan_view import PlanView

EMPTY_DOWNS = {
    "0001_tags.up.sql": "CREATE TABLE tags (id integer PRIMARY KEY);\n",
    "0001_tags.down.sql": "-- nothing to undo by hand\n",
    "0002_labels.up.sql": "CREATE TABLE labels (id integer PRIMARY KEY, body text);\nINSERT INTO labels VALUES (1, 'x');\n",
    "0002_labels.down.sql": "",
    "0003_drop.up.sql": "ALTER TABLE labels DROP COLUMN body;\n",
}
EMPTY = "its down script is empty, so the workbench undoes it itself"


def applied_project(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    write_files(tmp_path / "migrations", EMPTY_DOWNS)
    assert main(["migrate", "up", url, "--project", str(tmp_path)]) == 0
    capsys.readouterr()
    return tmp_path


def test_plan_and_report_name_the_migration_of_each_warning(
    backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = applied_project(backend_url, tmp_path, capsys)
    assert main(["migrate", "plan", backend_url, "--project", str(root), "--down", "--to", "0"]) == 0
    plan = capsys.readouterr().out
    assert [line.strip() for line in plan.splitlines() if EMPTY in line] == [f"! 0002: {EMPTY}", f"! 0001: {EMPTY}"]
    assert main(["migrate", "down", backend_url, "--project", str(root), "--to", "0", "--yes"]) == 0
    report = capsys.readouterr().out
    warnings = [line.strip() for line in report.splitlines() if line.strip().startswith("!")]
    assert warnings and all(w.startswith(("! 0001: ", "! 0002: ", "! 0003: ")) for w in warnings), warnings


def test_backups_write_the_version_as_status_does(
    backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = applied_project(backend_url, tmp_path, capsys)
    assert main(["migrate", "backups", backend_url, "--project", str(root), "--json"]) == 0
    backups = json.loads(capsys.readouterr().out)["backups"]
    assert [(b["migration"], b["version"]) for b in backups] == [("0003", "0003")]
    assert main(["migrate", "status", backend_url, "--project", str(root), "--json"]) == 0
    assert "0003" in {m["version"] for m in json.loads(capsys.readouterr().out)["migrations"]}


class _Shows(App[None]):
    def __init__(self, view: PlanView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        yield self.view


@pilot_test
async def test_the_screens_plan_names_the_migration_of_each_warning(sqlite_url: str, tmp_path: Path) -> None:
    write_files(tmp_path / "migrations", EMPTY_DOWNS)
    conn = connect(sqlite_url)
    try:
        svc = MigrationService(conn, tmp_path / "migrations")
        assert svc.apply(None).ok
        plan = svc.plan_down("0", None)
    finally:
        conn.close()
    app = _Shows(PlanView(plan))
    async with app.run_test(size=(140, 40)):
        shown = text_of(app.view)
    assert f"! 0002: {EMPTY}" in shown and f"! 0001: {EMPTY}" in shown
