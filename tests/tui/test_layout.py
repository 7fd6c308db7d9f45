"""Layout at the sizes people use, 80×24 and 160×40, read from what the widgets draw.

A confirmation that cuts `main.booking_orders` and `main.booking_order_private_notes` to
`main.boo…` asks a person to approve something they cannot read: names of tables are never cut;
everything else wraps (under its own first word) or scrolls.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from tests.tui.conftest import pilot_test, settle
from tests.tui.migrating import (
    app_for,
    apply_up_to,
    freeze_times,
    open_migrations,
    open_wizard,
    sample,
    select,
    write_project,
)
from workbench.db import connect
from workbench.tui.screens.backups import BackupsScreen, BackupTree
from workbench.tui.screens.migrations import MigrationDetail, MigrationTable
from workbench.tui.screens.rollback_wizard import PLAN, RollbackWizard, StakesView, StepIndicator
from workbench.tui.widgets.confirm import ConfirmDialog, PhraseInput
from workbench.tui.widgets.plan_view import PlanView

SIZES = [(80, 24), (160, 40)]
TABLES = ("availability_rules", "booking_order_private_notes", "booking_orders", "fulfillment_units")


def drawn(widget: Widget) -> str:
    """The lines the widget draws at its size now (its whole height, scrolled into view or not)."""
    width, height = widget.outer_size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


def names_whole(text: str) -> list[str]:
    """The sample's tables at stake that appear in `text` as whole names."""
    return [t for t in TABLES if re.search(rf"\bmain\.{t}\b", text)]


@pytest.fixture
def booking(booking_url: str):  # noqa: ANN201
    return booking_url, sample("booking")


async def applied_up_to(pilot: Pilot, version: str):  # noqa: ANN201
    """The migrations up to `version` applied, at a fixed time (pictures show it)."""
    screen = await open_migrations(pilot)
    await apply_up_to(pilot, screen, version)
    freeze_times(pilot.app.target.url)
    screen.action_reload()
    await settle(pilot)
    pilot.app.clear_notifications()
    await settle(pilot)
    return screen


async def apply_confirmation(pilot: Pilot) -> None:
    """0003 applied, and the confirmation of applying 0004 open."""
    screen = await applied_up_to(pilot, "0003")
    await select(pilot, screen, "0004")
    await pilot.press("A")
    await settle(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))


async def wizard_plan(pilot: Pilot) -> RollbackWizard:
    await applied_up_to(pilot, "0004")
    wizard = await open_wizard(pilot)
    await pilot.press("enter")
    await settle(pilot, lambda: wizard.forecast is not None)
    assert wizard.step == PLAN
    return wizard


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pilot_test
async def test_the_rollback_plan_names_every_table_in_full(booking, size: tuple[int, int]) -> None:  # noqa: ANN001
    url, project = booking
    async with app_for(url, project).run_test(size=size) as pilot:
        wizard = await wizard_plan(pilot)
        stakes = drawn(wizard.query_one(StakesView))
        assert names_whole(stakes) == list(TABLES), stakes
        assert "…" not in stakes
        steps = drawn(wizard.query_one(StepIndicator))
        assert "2 Plan" in steps and "6" in steps.split("2 Plan")[1]  # every step, none cut off
        plan = drawn(wizard.query_one(PlanView))
        assert "restore 20,000 rows of main.booking_orders from backup" in " ".join(plan.split())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pilot_test
async def test_the_apply_confirmation_shows_names_and_statements_in_full(booking, size: tuple[int, int]) -> None:  # noqa: ANN001
    url, project = booking
    async with app_for(url, project).run_test(size=size) as pilot:
        await apply_confirmation(pilot)
        text = drawn(pilot.app.screen.query_one(PlanView))
        assert names_whole(text) == list(TABLES)
        assert "…" not in text
        # the first statement is 400 characters: its end is shown, wrapped under its start
        flat = " ".join(text.split())
        assert 'WHERE b."notes" IS NOT NULL;' in flat
        lines = text.splitlines()
        start = next(i for i, line in enumerate(lines) if "INSERT INTO" in line)
        column = lines[start].index("1/14")
        assert lines[start + 1][:column].strip() == ""  # the wrapped line hangs under the text


@pilot_test
async def test_at_80_columns_the_header_keeps_its_summary_and_the_detail_its_names(booking) -> None:  # noqa: ANN001
    url, project = booking
    async with app_for(url, project).run_test(size=(80, 24)) as pilot:
        screen = await applied_up_to(pilot, "0004")
        summary = screen.query_one("#header-migrations")
        assert drawn(summary).strip() == "2 applied · 0 pending · 6 backups"
        assert summary.region.right <= 80  # on screen, not pushed off its right edge
        assert "2 Migrations" in drawn(screen.query_one("#header-keys"))
        assert drawn(screen.query_one("#header-connection")).strip() == "booking.db"  # whole, its scheme left out
        await select(pilot, screen, "0004")
        detail = drawn(screen.query_one(MigrationDetail))
        assert re.search(r"\bbooking_order_private_notes\b", detail)  # not folded mid-word
        assert screen.query_one(MigrationDetail).size.width >= 40


@pilot_test
async def test_at_80_columns_a_long_database_name_stays_whole_and_the_screen_keeps_its_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    name = "customer_relationship_management_archive_2026_copy.db"
    connect(name, options={"create": True}).execute("CREATE TABLE t (id integer)")
    async with app_for(f"sqlite:///{name}", None).run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: pilot.app.backend_label != "")
        screen = pilot.app.screen
        assert drawn(screen.query_one("#header-connection")).strip() == name  # whole, never cut for a screen's name
        assert drawn(screen.query_one("#header-keys")).split() == ["1", "2", "3", "4", "5", "6"]


@pilot_test
async def test_backups_line_up_whatever_the_length_of_their_names(booking) -> None:  # noqa: ANN001
    url, project = booking
    async with app_for(url, project).run_test(size=(160, 40)) as pilot:
        await applied_up_to(pilot, "0004")
        await pilot.press("b")
        await settle(pilot, lambda: isinstance(pilot.app.screen, BackupsScreen))
        lines = [line for line in drawn(pilot.app.screen.query_one(BackupTree)).splitlines() if " rows " in line]
        assert len(lines) == 6 and any("main.booking_order_private_notes " in line for line in lines)
        assert len({line.index(" rows ") for line in lines}) == 1  # one column of row counts
        assert all(line.rstrip(" ▕").endswith("migration") for line in lines)  # nothing cut at the right


# -- pictures -----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_of_the_rollback_plan(booking, snap_compare, size: tuple[int, int]) -> None:  # noqa: ANN001
    url, project = booking
    assert snap_compare(app_for(url, project), terminal_size=size, run_before=wizard_plan)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_of_the_apply_confirmation(booking, snap_compare, size: tuple[int, int]) -> None:  # noqa: ANN001
    url, project = booking
    assert snap_compare(app_for(url, project), terminal_size=size, run_before=apply_confirmation)


@pilot_test
async def test_a_long_migration_name_wraps_and_keeps_the_backups_column_in_view(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    conn = connect("notes.db", options={"create": True})
    conn.execute_script("CREATE TABLE booking_order_private_notes (id integer PRIMARY KEY, note text);")
    conn.close()
    name = "drop_the_note_column_from_booking_order_private_notes"
    project = write_project(
        tmp_path,
        {
            "workbench.toml": "",
            f"migrations/20240101120000_{name}.up.sql": "ALTER TABLE booking_order_private_notes DROP COLUMN note;\n",
        },
    )
    async with app_for("sqlite:///notes.db", project).run_test(size=(160, 40)) as pilot:
        screen = await open_migrations(pilot)
        await apply_up_to(pilot, screen, "20240101120000")
        lines = [line.rstrip(" ▕") for line in drawn(screen.query_one(MigrationTable)).splitlines()]
        assert lines[0].split()[-1] == "backups"
        assert lines[1].endswith("KiB")  # the backups cell, whole
        assert lines[1].split()[1] + lines[2].split()[0] == name  # on two lines, broken after an underscore


@pilot_test
async def test_on_24_rows_a_protected_confirmation_keeps_its_field_in_view(booking) -> None:  # noqa: ANN001
    url, project = booking
    async with app_for(url, project, protected=True).run_test(size=(80, 24)) as pilot:
        await apply_confirmation(pilot)
        dialog = pilot.app.screen
        for part in (dialog.query_one(PhraseInput), dialog.query_one(".dialog-hint")):
            assert part.region.height and part.region.bottom <= 24 - 1  # above the footer, not clipped
        await pilot.press(*"prod", "enter")
        await settle(pilot, lambda: not isinstance(pilot.app.screen, ConfirmDialog))
