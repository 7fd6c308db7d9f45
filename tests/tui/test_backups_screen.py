"""The Backups screen driven with the keyboard: grouped list, compare with the live table, restore
one table (the database checked afterwards), purge after a confirmation."""

from __future__ import annotations

from datetime import datetime, UTC

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import SIZE, pilot_test, settle
from tests.tui.migrating import (
    FIXED_TIME,
    app_for,
    apply_up_to,
    backups,
    db_snapshot,
    freeze_times,
    open_migrations,
    sample,
    text_of,
)
from workbench.db import connect
from workbench.tui.screens.backups import BackupDetail, BackupsScreen, BackupTree, PurgeDialog
from workbench.tui.screens.migrations import MigrationsScreen
from workbench.tui.widgets.confirm import ConfirmDialog


@pytest.fixture
def booking(booking_url: str, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """The booking sample; ages are measured against a fixed clock, a day after the fixed ledger time."""
    monkeypatch.setattr(BackupsScreen, "clock", staticmethod(lambda: datetime(2026, 3, 2, 9, tzinfo=UTC)))
    return booking_url, sample("booking")


async def open_backups(pilot: Pilot, url: str, freeze: bool = False) -> BackupsScreen:
    screen = await open_migrations(pilot)
    await apply_up_to(pilot, screen, "0004")
    if freeze:
        freeze_times(url)
    await pilot.press("b")
    await settle(pilot, lambda: isinstance(pilot.app.screen, BackupsScreen) and pilot.app.screen.infos is not None)
    return pilot.app.screen  # type: ignore[return-value]


async def highlight(pilot: Pilot, screen: BackupsScreen, source: str) -> None:
    tree = screen.query_one(BackupTree)
    node = next(n for group in tree.root.children for n in group.children if n.data.backup.source == source)
    tree.move_cursor(node)
    await settle(pilot)


@pilot_test
async def test_backups_are_grouped_by_migration_with_rows_size_and_age(booking) -> None:  # noqa: ANN001
    url, project = booking
    async with app_for(url, project).run_test(size=SIZE) as pilot:
        screen = await open_backups(pilot, url, freeze=True)
        (group,) = screen.query_one(BackupTree).root.children
        assert str(group.label).startswith("0004 mvp_cleanup  applied   6 backups")
        labels = [str(n.label) for n in group.children]
        assert labels[2].split() == [
            "#3",
            "main.booking_orders",
            "20,000",
            "rows",
            *labels[2].split()[4:6],
            "a",
            "day",
            "migration",
            "needed",
        ]
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, MigrationsScreen)


@pilot_test
async def test_compare_shows_rows_columns_and_content_that_differ(booking) -> None:  # noqa: ANN001
    url, project = booking
    async with app_for(url, project).run_test(size=SIZE) as pilot:
        screen = await open_backups(pilot, url)
        await highlight(pilot, screen, "main.locations")
        await pilot.press("c")
        await settle(pilot, lambda: screen.comparisons)
        text = text_of(screen.query_one(BackupDetail))
        assert "= rows: 36 live, 36 in the backup" in text
        assert "≠ columns: removed since: address" in text
        assert "= content over the common columns: the same" in text


@pilot_test
async def test_restore_one_table_puts_its_rows_back_after_a_safety_copy(booking) -> None:  # noqa: ANN001
    url, project = booking
    app = app_for(url, project)
    before = db_snapshot(url).checksums["main.availability_rules"]  # as 0004 found it (0003 leaves it be)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_backups(pilot, url)
        conn = connect(url)
        conn.execute("DELETE FROM availability_rules")
        conn.close()
        await highlight(pilot, screen, "main.availability_rules")
        await pilot.press("r")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("enter")
        await settle(pilot, lambda: not screen.busy and len(screen.infos or ()) == 7)
    assert db_snapshot(url).checksums["main.availability_rules"] == before
    assert ("before restore", "main.availability_rules", 0) in backups(url)


@pilot_test
async def test_purge_asks_then_keeps_what_a_rollback_needs_unless_forced(booking) -> None:  # noqa: ANN001
    url, project = booking
    app = app_for(url, project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_backups(pilot, url)
        await pilot.press("p")
        await settle(pilot, lambda: isinstance(app.screen, PurgeDialog))
        box = app.screen.query_one("#purge-age")
        box.value = "soon"
        await pilot.press("enter")
        assert "not an age" in str(app.screen.query_one("#dialog-error").content)
        box.value = "0s"
        await settle(pilot)
        assert "0 of 6 backups would go" in str(app.screen.query_one("#purge-preview").content)
        await pilot.press("enter")
        await settle(pilot, lambda: not screen.busy)
        assert len(backups(url)) == 6  # all needed by 0004's rollback
        await pilot.press("p")
        await settle(pilot, lambda: isinstance(app.screen, PurgeDialog))
        app.screen.query_one("#purge-age").value = "0s"
        app.screen.query_one("#purge-force").value = True
        await pilot.press("enter")
        await settle(pilot, lambda: not screen.busy and screen.infos == ())
    assert backups(url) == []


def test_snapshot_backups_screen(booking, snap_compare) -> None:  # noqa: ANN001
    url, project = booking

    async def before(pilot: Pilot) -> None:
        screen = await open_backups(pilot, url, freeze=True)
        await highlight(pilot, screen, "main.booking_orders")
        await pilot.press("c")
        await settle(pilot, lambda: screen.comparisons)
        pilot.app.clear_notifications()
        await settle(pilot)

    assert FIXED_TIME.startswith("2026-03-01")
    assert snap_compare(app_for(url, project), terminal_size=SIZE, run_before=before)
