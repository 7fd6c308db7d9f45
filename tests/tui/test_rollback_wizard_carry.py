"""The rollback wizard on a migration whose writes since the apply are captured: the plan names,
per table, the rows carried over and each row that cannot be, and the user chooses to keep those
aside or to stop. Keys only, on a real SQLite database, checked afterwards."""

from __future__ import annotations

from pathlib import Path

from tests.migrations.test_capture import BASE, REFACTOR, WRITES
from tests.tui.conftest import SIZE, pilot_test, settle
from tests.tui.migrating import app_for, open_migrations, open_wizard, select, text_of, write_project
from workbench.db import connect
from workbench.migrations.engine import Migrator
from workbench.migrations.store import Store
from workbench.tui.widgets.confirm import ConfirmDialog
from workbench.tui.screens.rollback_wizard import CONFIRM, RUN, SUMMARY, RollbackWizard


def _written_since(url: str, root: Path):  # noqa: ANN202
    project = write_project(root, {"workbench.toml": "", "migrations/001_refactor.sql": REFACTOR["sqlite"]})
    conn = connect(url)
    conn.execute_script(BASE)
    assert Migrator(conn, project.migrations_dir).up().ok
    conn.execute_script(WRITES)
    conn.close()
    return project


async def _to_confirm(pilot, wizard: RollbackWizard, keep_aside: bool) -> None:  # noqa: ANN001
    await pilot.press("enter")
    await settle(pilot, lambda: wizard.forecast is not None, timeout=60)
    await pilot.press("enter")
    await settle(pilot)
    if not keep_aside:
        await pilot.press("tab", "space")
    await pilot.press("enter")
    await settle(pilot)


@pilot_test
async def test_the_plan_names_rows_carried_and_set_aside_and_the_rollback_keeps_them(
    sqlite_url: str, tmp_path: Path
) -> None:
    project = _written_since(sqlite_url, tmp_path / "project")
    async with app_for(sqlite_url, project).run_test(size=SIZE) as pilot:
        await open_migrations(pilot)
        wizard = await open_wizard(pilot)
        await pilot.press("enter")
        await settle(pilot, lambda: wizard.forecast is not None, timeout=60)
        plan = text_of(wizard.query_one("#wizard-stakes"))
        assert "main.orders: carries over 2 rows written and 1 deleted since" in plan
        assert "main.items: 2 rows cannot be carried over:" in plan
        assert "id=10: legacy has no value and no default in the old shape" in plan
        assert "main.shipments: 1 rows cannot be carried over:" in plan
        await pilot.press("enter")
        await settle(pilot)
        assert wizard.query_one("#wizard-keep-aside").display
        await pilot.press("enter")
        await settle(pilot)
        assert wizard.step == CONFIRM
        assert "4 rows written since the apply cannot be carried over: they go to the side table" in text_of(
            wizard.query_one("#wizard-confirm-summary")
        )
        await pilot.press("0", "enter")
        await settle(pilot, lambda: wizard.result is not None, timeout=60)
        assert wizard.step == SUMMARY and wizard.result.ok
    conn = connect(sqlite_url)
    assert conn.query(f"SELECT count(*) FROM {Store(conn).table('set_aside')}").scalar() == 4
    assert conn.query("SELECT amount, note FROM orders WHERE id = 101").rows == [(70, "none")]
    conn.close()


@pilot_test
async def test_choosing_to_stop_leaves_everything_as_it_is(sqlite_url: str, tmp_path: Path) -> None:
    project = _written_since(sqlite_url, tmp_path / "project")
    async with app_for(sqlite_url, project).run_test(size=SIZE) as pilot:
        await open_migrations(pilot)
        wizard = await open_wizard(pilot)
        await _to_confirm(pilot, wizard, keep_aside=False)
        assert "cannot be carried over: the rollback stops and nothing changes" in text_of(
            wizard.query_one("#wizard-confirm-summary")
        )
        await pilot.press("0", "enter")
        await settle(pilot, lambda: wizard.step == RUN and not wizard.running, timeout=60)
        shown = text_of(wizard.query_one("#wizard-run"))
        assert "nothing was rolled back: 4 rows written since 001 cannot be carried over" in shown
        assert "Nothing was changed." in shown
    conn = connect(sqlite_url)
    assert conn.query("SELECT total FROM orders WHERE id = 101").rows == [(70,)]  # still the new shape
    conn.close()


@pilot_test
async def test_f_finalizes_the_highlighted_migration_after_a_confirmation(sqlite_url: str, tmp_path: Path) -> None:
    project = _written_since(sqlite_url, tmp_path / "project")
    async with app_for(sqlite_url, project).run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        await select(pilot, screen, "001")
        await pilot.press("f")
        await settle(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        assert "frees its 3 backups: it can no longer be" in text_of(pilot.app.screen.query_one(".confirm-body Static"))
        await pilot.press("enter")
        await settle(pilot, lambda: not screen.busy and pilot.app.screen is screen)
        await settle(pilot, lambda: screen.overview is not None and not screen.overview.backups)
    conn = connect(sqlite_url)
    assert not [t for t in conn.introspect().triggers if t.name.startswith("workbench_capture")]
    conn.close()
