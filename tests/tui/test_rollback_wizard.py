"""The rollback wizard end to end, keys only, on real databases; the database is checked afterwards
(schema through introspection, every table's rows through checksums), not only the screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import SIZE, pilot_test, settle
from tests.tui.migrating import (
    app_for,
    apply_up_to,
    backups,
    db_snapshot,
    freeze_times,
    load_schema,
    open_migrations,
    open_wizard,
    roll_back,
    sample,
    states,
    text_of,
    wizard_to_confirm,
    write_project,
)
from workbench.db import connect
from workbench.migrations.backups import UNDONE
from workbench.tui.screens.migrations import MigrationsScreen
from workbench.tui.screens.rollback_wizard import CONFIRM, PLAN, RUN, SAFETY, SUMMARY, TARGET, RollbackWizard

NOTE = {
    "workbench.toml": "",
    "migrations/001_note.up.sql": "ALTER TABLE items ADD COLUMN note text;\nCREATE INDEX items_note_idx ON items (note);\n",
    "migrations/001_note.down.sql": "DROP INDEX items_note_idx;\nALTER TABLE items DROP COLUMN note;\n",
}


def _count(url: str, table: str) -> int:
    conn = connect(url)
    try:
        return int(conn.query(f"SELECT count(*) FROM {table}").scalar())
    finally:
        conn.close()


@pytest.fixture
def booking(booking_url: str):  # noqa: ANN201
    return booking_url, sample("booking")


def note_project(url: str, root: Path):  # noqa: ANN201
    """Items and an additive migration whose down script (and inverse) a view written since breaks."""
    conn = connect(url, options={"create": True})
    conn.execute_script(
        "CREATE TABLE items (id integer PRIMARY KEY, label text);\nINSERT INTO items VALUES (1, 'a'), (2, 'b');"
    )
    conn.close()
    return write_project(root, NOTE)


@pilot_test
async def test_roll_back_the_destructive_refactor_with_a_safety_backup(booking) -> None:  # noqa: ANN001
    url, project = booking
    app = app_for(url, project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        await apply_up_to(pilot, screen, "0003")
        before = db_snapshot(url)
        rules_before = _count(url, "availability_rules")
        await apply_up_to(pilot, screen, "0004")
        conn = connect(url)
        deleted = conn.execute("DELETE FROM availability_rules WHERE rowid % 100 = 0")  # written since the apply
        rules_now = conn.query("SELECT count(*) FROM availability_rules").scalar()
        conn.close()
        wizard = await roll_back(pilot, "0003")
        assert wizard.step == SUMMARY and wizard.result.done == ("0004",)
        report = wizard.result.migrations[0]
        assert report.rows_restored["main.booking_orders"] == 20_000
        assert {b.table for b in report.safety_backups} >= {"main.booking_orders", "main.availability_rules"}
        assert "Checks: " in text_of(wizard.query_one("#wizard-checks"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MigrationsScreen)
        assert [screen.overview.state(s) for s in screen.overview.statuses] == ["applied", "pending"]
    # the deletes written since the apply are carried over to the old shape; nothing else differs
    assert db_snapshot(url).differences(before) == ["rows of main.availability_rules differ"]
    assert _count(url, "availability_rules") == rules_before - deleted  # the migration's deletes undone, not theirs
    safety = {source: rows for purpose, source, rows in backups(url) if purpose == "before rollback"}
    assert safety["main.availability_rules"] == rules_now < 1187  # the rows as they were, deletes included


@pilot_test
async def test_back_to_the_start_without_a_safety_backup(booking) -> None:  # noqa: ANN001
    url, project = booking
    before = db_snapshot(url)
    async with app_for(url, project).run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        await apply_up_to(pilot, screen, "0004")
        wizard = await roll_back(pilot, "0", downs=1, safety=False)
        assert wizard.result.done == ("0004", "0003")
        assert all(m.safety_backups == () for m in wizard.result.migrations)
    assert db_snapshot(url).differences(before) == []
    assert states(url, project) == ["pending", "pending"]
    # no safety copy was taken; the apply's own backups stay, retired (see `backups.UNDONE`)
    assert {purpose for purpose, _, _ in backups(url)} == {UNDONE}


@pilot_test
async def test_a_protected_profile_asks_for_its_name_not_the_version(booking) -> None:  # noqa: ANN001
    url, project = booking
    async with app_for(url, project, protected=True).run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        await apply_up_to(pilot, screen, "0003")
        before = db_snapshot(url)
        await apply_up_to(pilot, screen, "0004", phrase="prod")
        wizard = await open_wizard(pilot)
        await wizard_to_confirm(pilot, wizard)
        await pilot.press(*"0003", "enter")
        await settle(pilot)
        assert wizard.step == CONFIRM and "Type prod exactly" in str(wizard.query_one("#wizard-confirm-error").content)
        await pilot.press(*["backspace"] * 4, *"prod", "enter")
        await settle(pilot, lambda: wizard.result is not None, timeout=60)
        assert wizard.result.ok
    assert db_snapshot(url).differences(before) == []


@pilot_test
async def test_every_step_goes_back_and_escape_cancels_with_nothing_changed(booking) -> None:  # noqa: ANN001
    url, project = booking
    app = app_for(url, project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        await apply_up_to(pilot, screen, "0004")
        applied = db_snapshot(url)
        wizard = await open_wizard(pilot)
        await wizard_to_confirm(pilot, wizard)
        assert wizard.step == CONFIRM
        await pilot.press("backspace")  # the empty field: back
        assert wizard.step == SAFETY
        await pilot.press("backspace")
        assert wizard.step == PLAN
        await pilot.press("left")
        assert wizard.step == TARGET
        await pilot.press("down", "enter")  # another target: the plan is read again
        await settle(pilot, lambda: wizard.forecast is not None)
        assert [m.version for m in wizard.forecast.plan.migrations] == ["0004", "0003"]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MigrationsScreen)
    assert db_snapshot(url).differences(applied) == []
    assert states(url, project) == ["applied", "applied"]


@pytest.mark.postgres
@pilot_test
async def test_roll_back_the_campaigns_sample_to_the_start_on_postgresql(pg_url: str) -> None:
    project = sample("campaigns")
    load_schema(pg_url, project)
    before = db_snapshot(pg_url)
    async with app_for(pg_url, project).run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        await apply_up_to(pilot, screen, "017")
        wizard = await roll_back(pilot, "0", downs=4)
        assert wizard.result.done == ("017", "016", "015", "014", "013")
        await settle(pilot, lambda: "Checks: " in text_of(wizard.query_one("#wizard-checks")), timeout=60)
    assert db_snapshot(pg_url).differences(before) == []
    assert states(pg_url, project) == ["pending"] * 5


@pytest.mark.parametrize(
    "backend_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
@pilot_test
async def test_a_failure_mid_rollback_changes_nothing_and_the_wizard_says_so(backend_url: str, tmp_path: Path) -> None:
    project = note_project(backend_url, tmp_path)
    async with app_for(backend_url, project).run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        await apply_up_to(pilot, screen, "001")
        conn = connect(backend_url)
        conn.execute("CREATE VIEW item_notes AS SELECT id, note FROM items")  # written since: the down script breaks
        conn.close()
        before = db_snapshot(backend_url)
        wizard = await roll_back(pilot, "0")
        assert wizard.step == RUN and wizard.result.failure is not None
        assert wizard.result.unchanged is True
        shown = text_of(wizard.query_one("#wizard-run"))
        assert "the database is as it was before rolling back 001: nothing of it stayed" in shown
        assert "001: the down script failed at statement 2" in shown
        await pilot.press("enter")
        await settle(pilot)
        assert [screen.overview.state(s) for s in screen.overview.statuses] == ["applied"]
    assert db_snapshot(backend_url).differences(before) == []


# -- snapshots of each step -------------------------------------------------------------------


def wizard_at(step: int, *, fail: bool = False):  # noqa: ANN201
    async def before(pilot: Pilot) -> None:
        screen = await open_migrations(pilot)
        await apply_up_to(pilot, screen, screen.overview.statuses[-1].version)
        freeze_times(pilot.app.target.url)  # the list behind the wizard shows apply times
        screen.action_reload()
        await settle(pilot)
        pilot.app.clear_notifications()  # before the wizard covers the screen that shows them
        await settle(pilot)
        if fail:
            conn = connect("note.db")
            conn.execute("CREATE VIEW item_notes AS SELECT id, note FROM items")
            conn.close()
        if step >= RUN:
            await roll_back(pilot, "0003" if not fail else "0")
            return
        wizard = await open_wizard(pilot)
        if step >= PLAN:
            await pilot.press("enter")
            await settle(pilot, lambda: wizard.forecast is not None)
        for _ in range(step - PLAN):
            await pilot.press("enter")
            await settle(pilot)
        if step == CONFIRM:
            await pilot.press(*"00")

    return before


@pytest.mark.parametrize("step", [TARGET, PLAN, SAFETY, CONFIRM, SUMMARY])
def test_snapshot_of_each_step(booking, snap_compare, step: int) -> None:  # noqa: ANN001
    url, project = booking
    assert snap_compare(app_for(url, project), terminal_size=(130, 40), run_before=wizard_at(step))


def test_snapshot_of_a_failed_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, snap_compare) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)
    project = note_project("sqlite:///note.db", tmp_path)
    assert snap_compare(
        app_for("sqlite:///note.db", project), terminal_size=(130, 40), run_before=wizard_at(RUN, fail=True)
    )


@pilot_test
async def test_the_command_palette_opens_the_wizard_from_another_screen(booking) -> None:  # noqa: ANN001
    url, project = booking
    app = app_for(url, project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        await apply_up_to(pilot, screen, "0003")
        await pilot.press("1", "ctrl+p", *"roll back a migration")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, RollbackWizard))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MigrationsScreen)
