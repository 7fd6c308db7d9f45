"""The Backups screen driven with the keyboard: grouped list (needed or stale, the space each
frees), compare with the live table, restore one table (the database checked afterwards), purge
after the engine's preview and a confirmation."""

from __future__ import annotations

import dataclasses
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
from workbench.migrations.engine import Migrator
from workbench.project import Project
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
    return await show_backups(pilot)


async def show_backups(pilot: Pilot) -> BackupsScreen:
    """From the Migrations screen, `b`; returns once the backups are listed."""
    if not isinstance(pilot.app.screen, BackupsScreen):
        await pilot.press("b")
    await settle(pilot, lambda: isinstance(pilot.app.screen, BackupsScreen) and pilot.app.screen.infos is not None)
    return pilot.app.screen  # type: ignore[return-value]


def apply_rollback_rounds(url: str, project: Project, count: int) -> None:
    """`count` rounds of applying 0004 and rolling it back, then 0004 applied once more: the way
    booking.db grew from 10.9 MB to 35 MB."""
    conn = connect(url)
    try:
        mg = Migrator(conn, project.migrations_dir)
        for _ in range(count):
            assert mg.up(to="0004").ok and mg.down(steps=1).ok
        assert mg.up(to="0004").ok
    finally:
        conn.close()


def labels(screen: BackupsScreen) -> list[str]:
    return [str(n.label) for group in screen.query_one(BackupTree).root.children for n in group.children]


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
            "needed",
            "main.booking_orders",
            "20,000",
            "rows",
            *labels[2].split()[5:7],
            "a",
            "day",
            "migration",
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


@pytest.mark.parametrize("size", [SIZE, (80, 24)])
@pilot_test
async def test_backups_of_rolled_back_applies_show_stale_with_the_space_they_free(booking, size) -> None:  # noqa: ANN001
    url, project = booking
    apply_rollback_rounds(url, project, 2)
    async with app_for(url, project).run_test(size=size) as pilot:
        await open_migrations(pilot)
        screen = await show_backups(pilot)
        shown = labels(screen)
        assert len(shown) == 18
        assert [line.split()[1] for line in shown] == ["stale"] * 12 + ["needed"] * 6
        state = text_of(screen.query_one("#backups-state"))
        assert "6 needed by the live applies" in state and "12 stale: purge frees" in state
        tree = screen.query_one(BackupTree)
        tree.move_cursor(tree.root.children[0].children[2])  # main.booking_orders, first round
        await settle(pilot)
        detail = text_of(screen.query_one(BackupDetail))
        assert "Stale: its apply was rolled back. Purging it frees" in " ".join(detail.split())


@pilot_test
async def test_purge_previews_then_drops_only_what_no_rollback_needs(booking) -> None:  # noqa: ANN001
    url, project = booking
    apply_rollback_rounds(url, project, 2)
    app = app_for(url, dataclasses.replace(project, keep_backups="1w"))
    async with app.run_test(size=SIZE) as pilot:
        await open_migrations(pilot)
        screen = await show_backups(pilot)
        await pilot.press("p")
        await settle(pilot, lambda: isinstance(app.screen, PurgeDialog))
        box = app.screen.query_one("#purge-age")
        assert box.value == "1w"  # the project's retention rule, applied only when confirmed
        preview = lambda: " ".join(text_of(app.screen.query_one("#purge-preview")).split())  # noqa: E731
        assert "Nothing to purge: no backup is old enough." in preview() and "newer than 7 days" in preview()
        box.value = "soon"
        await pilot.press("enter")
        assert "not an age" in str(app.screen.query_one("#dialog-error").content)
        box.value = ""
        await settle(pilot)
        assert "Purge drops 12 backups, freeing" in preview() and "its apply was rolled back" in preview()
        assert "Keeps 6 backups" in preview() and "rolling back 0004 restores main.booking_orders" in preview()
        app.screen.query_one("#purge-force").value = True
        await settle(pilot)
        assert "Purge drops 18 backups" in preview()
        assert "NEEDED: rolling back 0004 can then no longer bring back main.booking_orders (20,000 rows)" in preview()
        app.screen.query_one("#purge-force").value = False
        app.screen.query_one("#purge-vacuum").value = True
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot, lambda: not screen.busy and len(screen.infos or ()) == 6)
        assert all(line.split()[1] == "needed" for line in labels(screen))
    assert [purpose for purpose, _, _ in backups(url)] == ["before migration"] * 6


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


def test_snapshot_purge_preview_at_80x24(booking, snap_compare) -> None:  # noqa: ANN001
    url, project = booking
    apply_rollback_rounds(url, project, 1)

    async def before(pilot: Pilot) -> None:
        await open_migrations(pilot)
        await show_backups(pilot)
        await pilot.press("p")
        await settle(pilot, lambda: isinstance(pilot.app.screen, PurgeDialog))
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app_for(url, project), terminal_size=(80, 24), run_before=before)
