"""Driving the Migrations screen, the rollback wizard and the Backups screen as a person would,
and reading the database behind them (schema through introspection, rows through checksums)."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static

from tests.migrations.helpers import Snapshot, snapshot
from tests.tui.conftest import ready, settle
from workbench.db import connect
from workbench.migrations.engine import Migrator
from workbench.project import Profile, Project, Target, load_project
from workbench.resources import bundled
from workbench.tui import make_app
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.migrations import MigrationsScreen, MigrationTable
from workbench.tui.screens.rollback_wizard import RollbackWizard
from workbench.tui.widgets.confirm import ConfirmDialog

FIXED_TIME = "2026-03-01T09:00:00Z"


def text_of(widget: Widget) -> str:
    """What a widget shows, as plain text (a Static's content, or what `render` draws)."""
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(widget.content if isinstance(widget, Static) else widget.render())
    return console.export_text()


def sample(name: str) -> Project:
    """A bundled sample project, read where it ships (its files are only read)."""
    return load_project(bundled("sample_dbs") / name)


def app_for(url: str, project: Project | None, protected: bool = False) -> WorkbenchApp:
    profile = Profile("prod", url, protected=True) if protected else None
    return make_app(Target(url, profile), project)


def load_schema(url: str, project: Project) -> None:
    conn = connect(url, options={"create": True})
    try:
        with conn.transaction():
            conn.execute_script((project.root / "schema.sql").read_text(encoding="utf-8"))
    finally:
        conn.close()


def db_snapshot(url: str) -> Snapshot:
    conn = connect(url)
    try:
        return snapshot(conn)
    finally:
        conn.close()


def states(url: str, project: Project) -> list[str]:
    conn = connect(url)
    try:
        return [s.state for s in Migrator(conn, project.migrations_dir).status()]
    finally:
        conn.close()


def backups(url: str) -> list[tuple[str, str, int]]:
    """(purpose, source, rows) of every backup, oldest first."""
    conn = connect(url)
    try:
        return [(i.backup.purpose, i.backup.source, i.backup.row_count) for i in Migrator(conn, []).backups()]
    finally:
        conn.close()


def freeze_times(url: str) -> None:
    """Ledger and backup times fixed, so pictures of the screens do not change with the clock."""
    conn = connect(url)
    try:
        mg = Migrator(conn, [])
        conn.execute(f"UPDATE {mg.store.table('migrations')} SET applied_at = '{FIXED_TIME}', duration_ms = 120")
        conn.execute(f"UPDATE {mg.store.table('backups')} SET created_at = '{FIXED_TIME}'")
    finally:
        conn.close()


async def open_migrations(pilot: Pilot) -> MigrationsScreen:
    app = await ready(pilot)
    await pilot.press("2")
    screen = app.screen
    assert isinstance(screen, MigrationsScreen)
    await settle(pilot, lambda: screen.overview is not None)
    return screen


async def select(pilot: Pilot, screen: MigrationsScreen, version: str) -> None:
    assert screen.overview is not None
    versions = [s.version for s in screen.overview.statuses]
    screen.query_one(MigrationTable).move_cursor(row=versions.index(version))
    await settle(pilot)


async def confirm(pilot: Pilot, phrase: str | None = None) -> None:
    """Answer the confirmation dialog that is open (typing `phrase` first)."""
    await settle(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
    if phrase:
        await pilot.press(*phrase)
    await pilot.press("enter")


async def apply_up_to(pilot: Pilot, screen: MigrationsScreen, version: str, phrase: str | None = None) -> None:
    """`A` on `version`, confirmed; returns once the screen shows the result."""
    await select(pilot, screen, version)
    await pilot.press("A")
    await confirm(pilot, phrase)
    await settle(pilot, lambda: not screen.busy)


async def open_wizard(pilot: Pilot) -> RollbackWizard:
    await pilot.press("r")
    await settle(pilot, lambda: isinstance(pilot.app.screen, RollbackWizard))
    wizard = pilot.app.screen
    assert isinstance(wizard, RollbackWizard)
    return wizard


async def wizard_to_confirm(pilot: Pilot, wizard: RollbackWizard, downs: int = 0, safety: bool = True) -> None:
    """Steps 1–3: pick the target `downs` below the first, read the plan, set the safety backup."""
    for _ in range(downs):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot, lambda: wizard.forecast is not None)
    await pilot.press("enter")
    await settle(pilot)
    if not safety:
        await pilot.press("space")
    await pilot.press("enter")
    await settle(pilot)


async def roll_back(pilot: Pilot, phrase: str, downs: int = 0, safety: bool = True) -> RollbackWizard:
    """The whole wizard, keys only; returns once the run (and the checks after it) ended."""
    wizard = await open_wizard(pilot)
    await wizard_to_confirm(pilot, wizard, downs, safety)
    await pilot.press(*phrase)
    await pilot.press("enter")
    await settle(pilot, lambda: wizard.result is not None, timeout=60)
    return wizard


def write_project(root: Path, files: dict[str, str]) -> Project:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return load_project(root)
