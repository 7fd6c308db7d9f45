"""The whole story of a sample, told with the keys: browse, apply all, verify, coverage, roll
back with the wizard, verify again. Every step reads the database too, not only the screen."""

from __future__ import annotations

from dataclasses import dataclass

from textual.pilot import Pilot
from textual.widgets import Static

from tests.migrations.helpers import Snapshot, snapshot
from tests.tui.conftest import ready, settle
from tests.tui.migrating import apply_up_to, roll_back
from workbench.checks.reports import ICONS
from workbench.checks.runner import Summary as CheckSummary
from workbench.coverage.results import Summary as CoverageSummary
from workbench.db import Connection, connect
from workbench.db.catalog import is_workbench_object
from workbench.migrations.engine import Migrator
from workbench.project import Project, Target
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.browse import BrowseScreen
from workbench.tui.screens.coverage import CoverageScreen
from workbench.tui.screens.migrations import MigrationsScreen
from workbench.tui.screens.rollback_wizard import SUMMARY
from workbench.tui.screens.verify import VerifyScreen
from workbench.tui.widgets.data_grid import DataGrid
from workbench.tui.widgets.info_table import InfoTable
from workbench.tui.widgets.object_detail import ObjectDetail


@dataclass(frozen=True)
class Opened:
    """The database behind a target, opened as the app opens it (attached databases included)."""

    target: Target
    project: Project

    def connect(self) -> Connection:
        return connect(self.target.url, options=self.target.connect_options())

    def snapshot(self) -> Snapshot:
        conn = self.connect()
        try:
            return snapshot(conn)
        finally:
            conn.close()

    def states(self) -> list[str]:
        conn = self.connect()
        try:
            return [s.state for s in Migrator(conn, self.project.migrations_dir).status()]
        finally:
            conn.close()

    def first_rows(self, table: str, key: str, n: int) -> list[tuple[object, ...]]:
        conn = self.connect()
        try:
            quoted = conn.quote(table)
            return [tuple(r) for r in conn.query(f"SELECT * FROM {quoted} ORDER BY {conn.quote(key)} LIMIT {n}").rows]
        finally:
            conn.close()

    def tables(self) -> set[str]:
        """The user tables of the default schema (not those of attached databases)."""
        conn = self.connect()
        try:
            catalog = conn.introspect([conn.default_schema]).without(is_workbench_object)
            return {t.name for t in catalog.tables}
        finally:
            conn.close()


async def browse(pilot: Pilot, opened: Opened, table: str, key: str, column: str) -> None:
    """Find `table` with the tree filter, see `column` among its columns, then its first rows."""
    app: WorkbenchApp = pilot.app  # type: ignore[assignment]
    await pilot.press("1")
    screen = app.screen
    assert isinstance(screen, BrowseScreen)
    await pilot.press("slash", *table, "enter", "c")
    await settle(pilot)
    detail = screen.query_one(ObjectDetail)
    assert app.session is not None and detail.ref is not None
    assert (detail.ref.schema, detail.ref.name) == (app.session.conn.default_schema, table)
    columns = screen.query_one("#columns-table", InfoTable)
    assert column in {str(columns.get_row_at(i)[1]) for i in range(columns.row_count)}
    await pilot.press("d")
    grid = screen.query_one(DataGrid)
    await settle(pilot, lambda: bool(grid.rows_in_window))
    assert grid.rows_in_window[:5] == opened.first_rows(table, key, 5)
    await pilot.press("escape")  # back to the tree
    await settle(pilot)


async def verify(pilot: Pilot) -> dict[str, str]:
    """Run every check from the Verify screen (`v`); the status of each, by check name."""
    await pilot.press("3")
    screen = pilot.app.screen
    assert isinstance(screen, VerifyScreen)
    await settle(pilot, lambda: bool(screen.checks))
    await pilot.press("v")
    await settle(pilot, lambda: not screen.running and len(screen.results) == len(screen.checks), timeout=120)
    s = CheckSummary.of(screen.results.values())
    shown = f"{len(screen.checks)} checks · {ICONS['pass']} {s.passed} · {ICONS['fail']} {s.failed} · {ICONS['error']} {s.errors}"
    assert str(screen.query_one("#verify-state", Static).content).startswith(shown)
    return {c.name: screen.results[c].status for c in screen.checks}


async def coverage(pilot: Pilot) -> CoverageSummary:
    """What the Coverage screen measured for the database as it is now."""
    await pilot.press("4")
    screen = pilot.app.screen
    assert isinstance(screen, CoverageScreen)
    await settle(pilot, lambda: screen.coverage is not None and not screen.running, timeout=60)
    assert screen.coverage is not None
    return screen.coverage.summary


async def migrations(pilot: Pilot) -> MigrationsScreen:
    """The Migrations screen (`2`), once it has read the ledger."""
    await pilot.press("2")
    screen = pilot.app.screen
    assert isinstance(screen, MigrationsScreen)
    await settle(pilot, lambda: screen.overview is not None and not screen.busy)
    return screen


async def apply_all(pilot: Pilot) -> MigrationsScreen:
    """`A` on the last migration of the Migrations screen, confirmed: every pending one applied."""
    screen = await migrations(pilot)
    assert screen.overview is not None
    await apply_up_to(pilot, screen, screen.overview.statuses[-1].version)
    await settle(pilot)
    return screen


async def roll_back_all(pilot: Pilot) -> None:
    """The rollback wizard to the very start ("0", the last target), with its safety backup."""
    screen = await migrations(pilot)
    assert screen.overview is not None
    applied = sum(screen.overview.state(s) == "applied" for s in screen.overview.statuses)
    wizard = await roll_back(pilot, "0", downs=applied - 1)
    assert wizard.step == SUMMARY and wizard.result is not None and wizard.result.ok
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, MigrationsScreen)


async def story(pilot: Pilot, opened: Opened, browsed: tuple[str, str, str], new_table: tuple[str, str, str]) -> None:
    """Browse, apply all, verify green, coverage up, roll back with the wizard, verify as before.

    `browsed` and `new_table` are (table, key column, another column): one there from the start,
    one that the migrations create.
    """
    before = opened.snapshot()
    tables_before = opened.tables()
    pending = opened.states()
    assert pending and set(pending) == {"pending"}
    await ready(pilot)
    await browse(pilot, opened, *browsed)

    checks_before = await verify(pilot)
    assert set(checks_before.values()) - {"pass"}, "the sample opens with something for the migrations to fix"
    coverage_before = await coverage(pilot)

    await apply_all(pilot)
    assert opened.states() == ["applied"] * len(pending)
    assert new_table[0] in opened.tables() - tables_before
    await browse(pilot, opened, *new_table)

    checks_applied = await verify(pilot)
    assert set(checks_applied.values()) == {"pass"}, {n: s for n, s in checks_applied.items() if s != "pass"}
    coverage_applied = await coverage(pilot)
    assert coverage_applied.full > coverage_before.full
    assert coverage_applied.scenarios_passed > coverage_before.scenarios_passed

    await roll_back_all(pilot)
    assert opened.states() == ["pending"] * len(pending)
    assert opened.snapshot().differences(before) == []
    assert await verify(pilot) == checks_before
    assert await coverage(pilot) == coverage_before
