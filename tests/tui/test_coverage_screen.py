"""The Coverage screen driven with the keyboard: counts, filter, sort, drill-down, per-migration timeline."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from tests.tui.conftest import SIZE, pilot_test, ready, settle
from workbench.db import connect
from workbench.migrations.engine import Migrator
from workbench.project import Target, load_project
from workbench.resources import bundled
from workbench.tui import make_app
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.coverage import CoverageBars, CoverageScreen, TimelineScreen, UseCaseScreen

MIGRATING = {
    "workbench.toml": "",
    "migrations/001_queues.up.sql": "CREATE TABLE queues (id text PRIMARY KEY, name text NOT NULL);\n",
    "migrations/002_private_notes.up.sql": "ALTER TABLE bookings ADD COLUMN private_note text;\n",
    "scenarios/uc-1.sql": "-- scenario: a walk-in joins\nINSERT INTO queues VALUES ('q1', 'front desk');\n"
    "-- expect: 1\nSELECT count(*) FROM queues;\n",
    "use_cases.toml": textwrap.dedent("""
        [[use_case]]
        id = "UC-1"
        title = "Walk-in queue"
        tables = ["queues"]
        scenarios = ["scenarios/uc-1.sql"]

        [[use_case]]
        id = "UC-2"
        title = "Private notes"
        columns = ["bookings.private_note"]
    """),
}


@pytest.fixture
def booking(booking_url: str) -> WorkbenchApp:
    """The booking sample as shipped (before the surgical fixes), with its use cases."""
    return make_app(Target(booking_url), load_project(bundled("sample_dbs") / "booking"))


@pytest.fixture
def migrating(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WorkbenchApp:
    """A small project with one applied and one pending migration; relative paths for snapshots."""
    monkeypatch.chdir(tmp_path)
    for name, text in MIGRATING.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    conn = connect("shop.db", options={"create": True})
    try:
        conn.execute("CREATE TABLE bookings (id text PRIMARY KEY)")
        assert Migrator(conn, tmp_path / "migrations").up(to="001").ok
    finally:
        conn.close()
    return make_app(Target("sqlite:///shop.db"), load_project(tmp_path))


async def open_coverage(pilot: Pilot) -> CoverageScreen:
    app = await ready(pilot)
    await pilot.press("4")
    screen = app.screen
    assert isinstance(screen, CoverageScreen)
    await settle(pilot, lambda: screen.coverage is not None and not screen.running)
    return screen


def rows(screen: CoverageScreen) -> list[tuple[str, str]]:
    table = screen.query_one(DataTable)
    return [(str(table.get_row_at(i)[0]), str(table.get_row_at(i)[2])) for i in range(table.row_count)]


def text_of(screen, selector: str) -> str:  # noqa: ANN001
    """What a Static shows, as plain text (tables included)."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(screen.query_one(selector, Static).content)
    return console.export_text()


@pilot_test
async def test_counts_pass_rate_and_one_row_per_use_case(booking: WorkbenchApp) -> None:
    async with booking.run_test(size=SIZE) as pilot:
        screen = await open_coverage(pilot)
        summary = screen.query_one(CoverageBars).summary
        assert (summary.full, summary.strong, summary.partial, summary.gap) == (4, 0, 10, 6)
        assert summary.pass_rate == "14/50, 28%"
        assert rows(screen)[:3] == [("UC-1 *", "gap"), ("UC-2 *", "partial"), ("UC-3", "gap")]
        assert len(rows(screen)) == 20


@pilot_test
async def test_filter_by_status_and_sort(booking: WorkbenchApp) -> None:
    async with booking.run_test(size=SIZE) as pilot:
        screen = await open_coverage(pilot)
        await pilot.press("f")
        assert screen.status_filter == "full"
        assert [uc for uc, _ in rows(screen)] == ["UC-4 *", "UC-9", "UC-10", "UC-11"]
        await pilot.press("f", "f", "f")
        assert screen.status_filter == "gap"
        assert {status for _, status in rows(screen)} == {"gap"}
        await pilot.press("f", "s")
        assert (screen.status_filter, screen.sort_by) == ("all", "status")
        assert [status for _, status in rows(screen)][0] == "gap"
        assert [status for _, status in rows(screen)][-1] == "full"
        assert "filter: all · sort: status" in text_of(screen, "#coverage-state")


@pilot_test
async def test_enter_explains_every_gap_of_a_use_case(booking: WorkbenchApp) -> None:
    async with booking.run_test(size=SIZE) as pilot:
        screen = await open_coverage(pilot)
        await pilot.press("down", "enter")  # UC-2
        await settle(pilot)
        detail = booking.screen
        assert isinstance(detail, UseCaseScreen) and detail.result.use_case.id == "UC-2"
        requirements = text_of(detail, "#use-case-requirements")
        assert "booking_orders has no column requested_duration_min" in requirements
        assert "✓ │ enum value │ offers.kind = 'appointment'" in requirements
        scenarios = text_of(detail, "#use-case-scenarios")
        assert "stopped at line 10: error: no such column: unit_pricing_minor" in scenarios
        await pilot.press("escape")
        assert booking.screen is screen


@pilot_test
async def test_timeline_replays_each_migration_on_a_copy(migrating: WorkbenchApp, tmp_path: Path) -> None:
    async with migrating.run_test(size=SIZE) as pilot:
        screen = await open_coverage(pilot)
        assert [status for _, status in rows(screen)] == ["full", "gap"]
        await pilot.press("t")
        timeline_screen = migrating.screen
        assert isinstance(timeline_screen, TimelineScreen)
        await settle(pilot, lambda: timeline_screen.timeline is not None)
        timeline = timeline_screen.timeline
        assert [p.label for p in timeline.points] == ["before any migration", "001 queues", "002 private_notes"]
        assert [(m.point.version, m.after.use_case.id) for m in timeline.moves()] == [("001", "UC-1"), ("002", "UC-2")]
        assert "2 migrations" in text_of(timeline_screen, "#timeline-state")
        conn = connect("shop.db")
        try:  # the copy moved, the database did not
            assert [s.state for s in Migrator(conn, tmp_path / "migrations").status()] == ["applied", "pending"]
        finally:
            conn.close()


@pilot_test
async def test_on_the_sample_the_timeline_shows_0003_closing_the_gaps(booking: WorkbenchApp) -> None:
    async with booking.run_test(size=SIZE) as pilot:
        await open_coverage(pilot)
        await pilot.press("t")
        timeline_screen = booking.screen
        await settle(pilot, lambda: timeline_screen.timeline is not None)
        moves = [
            " ".join(line.replace("│", " ").split())
            for line in text_of(timeline_screen, "#timeline-moves").splitlines()
        ]
        assert any(
            line.startswith(
                "0003 surgical_schema_fixes UC-1 Solo consultant keeps private notes on bookings "
                "gap full booking_order_private_notes,"
            )
            for line in moves
        )
        assert not any("0004" in line for line in moves)
        assert [p.coverage.summary.gap for p in timeline_screen.timeline.points] == [6, 0, 0]


@pilot_test
async def test_a_project_without_use_cases_says_how_to_add_them(migrating: WorkbenchApp, tmp_path: Path) -> None:
    (tmp_path / "use_cases.toml").unlink()
    async with migrating.run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert "No use cases:" in text_of(app.screen, "#coverage-message")
        assert app.screen.coverage is None


@pilot_test
async def test_a_malformed_use_case_file_is_one_sentence_with_its_line(migrating: WorkbenchApp, tmp_path: Path) -> None:
    (tmp_path / "use_cases.toml").write_text('[[use_case]]\nid = "UC-1"\ntitle = "t"\ncolums = ["a.b"]\n')
    async with migrating.run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("4")
        await settle(pilot, lambda: not app.screen.running)
        assert "use_cases.toml:4: unknown use case key 'colums'" in text_of(app.screen, "#coverage-message")


# -- snapshots --------------------------------------------------------------------------------


def test_snapshot_coverage(booking: WorkbenchApp, snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(booking, terminal_size=SIZE, run_before=open_coverage)


def test_snapshot_drill_down(booking: WorkbenchApp, snap_compare) -> None:  # noqa: ANN001
    async def before(pilot: Pilot) -> None:
        await open_coverage(pilot)
        await pilot.press("enter")  # UC-1
        await settle(pilot)

    assert snap_compare(booking, terminal_size=SIZE, run_before=before)


def test_snapshot_timeline(migrating: WorkbenchApp, snap_compare) -> None:  # noqa: ANN001
    async def before(pilot: Pilot) -> None:
        await open_coverage(pilot)
        await pilot.press("t")
        await settle(pilot, lambda: pilot.app.screen.timeline is not None)

    assert snap_compare(migrating, terminal_size=SIZE, run_before=before)


@pytest.mark.parametrize("theme", ["workbench-dark", "workbench-light", "workbench-high-contrast"])
@pilot_test
async def test_the_selected_rows_status_is_readable_in_every_theme(booking: WorkbenchApp, theme: str) -> None:
    from tests.tui.test_theme_contrast import contrast
    from textual.color import Color

    async with booking.run_test(size=SIZE) as pilot:
        screen = await open_coverage(pilot)
        booking.theme = theme
        await settle(pilot)
        table = screen.query_one(DataTable)
        assert table.has_focus
        seen = set()
        for row in range(table.row_count):
            table.move_cursor(row=row)
            await pilot.pause()
            status = str(table.get_row_at(row)[2])
            line = table.render_line(row - int(table.scroll_y) + 1)  # below the header
            cell = next(s for s in line if s.text.strip() == status)
            fg, bg = (Color.from_rich_color(c) for c in (cell.style.color, cell.style.bgcolor))
            assert contrast(fg, bg) >= 3.0, f"{status} on the cursor: {fg.hex} on {bg.hex}"
            seen.add(status)
        assert len(seen) >= 3  # the sample has several statuses
