"""The data grid as drawn: a true scrollbar over a bounded window, keys, mouse and what each line shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from textual.geometry import Offset
from textual.pilot import Pilot
from textual.widgets import Input

from tests.browse.conftest import make_items
from tests.tui.conftest import SIZE, app_for, pilot_test, ready, settle
from workbench.browse.outline import ObjectRef
from workbench.db import Connection, connect
from workbench.tui.widgets.data_grid import MAX_PAGES, PAGE_SIZE, DataGrid
from workbench.tui.widgets.dialogs import CellViewer


async def open_items(pilot: Pilot, rows: int = 5000) -> DataGrid:
    await ready(pilot)
    await pilot.press("d")
    await settle(pilot)
    grid = pilot.app.screen.query_one(DataGrid)
    await pilot.press("number_sign")  # an exact count: the scrollbar spans the table whatever the estimate
    await settle(pilot, lambda: grid.total == rows)
    return grid


def top_line_id(grid: DataGrid) -> int:
    """The id shown on the first line under the header."""
    return int(grid.render_line(1).text.split()[1].replace(",", ""))


@pilot_test
async def test_the_scrollbar_spans_every_row_and_dragging_it_far_moves_the_window(
    conn: Connection, backend_url: str
) -> None:
    make_items(conn, 5000)
    app = app_for(backend_url)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_items(pilot)
        assert grid.virtual_size.height == 5000 + 1  # the header line, then one line per row
        grid.scroll_to(y=3000, animate=False)
        await settle(pilot, lambda: grid.window_offset is not None and grid.window_offset > 0)
        start, held = grid.window_offset, len(grid.rows_in_window)
        assert start <= 3000 < start + held <= start + PAGE_SIZE * MAX_PAGES
        assert top_line_id(grid) == 3001 and grid.rows_in_window[grid.cursor_row][0] == 3001
        grid.scroll_to(y=start + held, animate=False)  # just past the window: it moves on by a page
        await settle(pilot)
        assert top_line_id(grid) == start + held + 1
        assert grid.window_offset <= start + held < grid.window_offset + len(grid.rows_in_window)


@pilot_test
async def test_keys_move_the_cursor_and_the_window_follows(conn: Connection, backend_url: str) -> None:
    make_items(conn, 5000)
    app = app_for(backend_url)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_items(pilot)
        await pilot.press("end")
        assert grid.cursor_column == 2
        await pilot.press("home", "right")
        assert grid.cursor_column == 1
        for _ in range(10):
            await pilot.press("pagedown")
            await settle(pilot)
        screenful = grid.size.height - 1
        row = grid.rows_in_window[grid.cursor_row][0]
        assert row == 1 + 10 * screenful and grid.window_offset > 0  # the first page was dropped
        assert grid.scroll_offset.y <= row - 1 < grid.scroll_offset.y + screenful  # the cursor is on screen


@pilot_test
async def test_a_click_puts_the_cursor_on_the_cell(conn: Connection, backend_url: str) -> None:
    make_items(conn, 50)
    app = app_for(backend_url)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_items(pilot, 50)
        label = len("50") + 2
        id_width = len("id") + 2
        await pilot.click(DataGrid, offset=Offset(label + id_width + 1, 4))  # grp of the fourth row
        assert (grid.cursor_row, grid.cursor_column) == (3, 1)
        assert grid.cursor_value == 4 % 7


@pilot_test
async def test_scrolling_past_an_estimate_that_is_too_high_settles_on_the_true_end(sqlite_url: str) -> None:
    conn = connect(sqlite_url)
    make_items(conn, 300)
    conn.execute("INSERT INTO items VALUES (1000000, 0, 'last')")  # SQLite estimates max(rowid): 1,000,000
    conn.close()
    app = app_for(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("d")
        await settle(pilot)
        grid = app.screen.query_one(DataGrid)
        assert grid.total is None and grid.virtual_size.height == 1_000_000 + 1  # the estimate, until known
        grid.scroll_to(y=500_000, animate=False)  # no row there: the window goes to the end, which is counted
        await settle(pilot)
        assert grid.total == 301 and grid.virtual_size.height == 301 + 1
        assert grid.rows_in_window[-1] == (1000000, 0, "last")
        assert grid.scroll_offset.y == grid.max_scroll_y  # the view is on the last rows, not past them


@pilot_test
async def test_a_control_character_in_a_value_is_drawn_not_sent_to_the_terminal(
    conn: Connection, backend_url: str
) -> None:
    conn.execute("CREATE TABLE notes (id integer PRIMARY KEY, body text)")
    conn.execute(f"INSERT INTO notes VALUES (1, {conn.placeholder})", ("red\x1b[31malert\x07",))
    app = app_for(backend_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("d")
        await settle(pilot)
        grid = app.screen.query_one(DataGrid)
        assert grid.rows_in_window == [(1, "red\x1b[31malert\x07")]  # the value itself, untouched
        assert "red·[31malert·" in grid.render_line(1).text


@pilot_test
async def test_view_copy_and_export_from_the_grid(conn: Connection, backend_url: str, tmp_path: Path) -> None:
    make_items(conn, 2500)
    app = app_for(backend_url)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_items(pilot, 2500)
        await pilot.press("right", "right", "enter")  # the label of row 1, whole, in the viewer
        await settle(pilot)
        assert isinstance(app.screen, CellViewer) and app.screen.value == "item 1"
        await pilot.press("escape")
        await pilot.press("y")
        assert app.clipboard == "item 1"
        await pilot.press("e")
        await settle(pilot)
        target = tmp_path / "items.csv"
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot, lambda: target.exists())
        lines = target.read_text(encoding="utf-8").splitlines()
        assert len(lines) == 2500 + 1 and lines[1] == "1,1,item 1"
        assert not app.screen.query("#export-bar")  # the progress bar is gone with the export
        assert grid.has_focus


def visible_labels(grid: DataGrid) -> list[str]:
    """The row numbers drawn on the lines the user sees: below the header, above any horizontal scrollbar."""
    lines = range(1, grid.scrollable_content_region.height)
    return [grid.render_line(y).text[: grid._label_width].strip() for y in lines]


@pytest.mark.parametrize("size", [(80, 24), SIZE])
@pytest.mark.parametrize("key", ["G", "ctrl+end"])
@pilot_test
async def test_the_last_row_is_above_the_horizontal_scrollbar(
    booking_url: str, size: tuple[int, int], key: str
) -> None:
    app = app_for(booking_url)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        app.screen.reveal(ObjectRef("table", "main", "booking_orders"))
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        grid = app.screen.query_one(DataGrid)
        assert grid.show_horizontal_scrollbar  # booking_orders is wider than the screen
        await pilot.press(key)
        await settle(pilot)
        assert grid.total == 20_000
        assert visible_labels(grid)[-1] == "20,000"


@pilot_test
async def test_numbers_are_right_aligned_and_text_left_aligned(conn: Connection, backend_url: str) -> None:
    make_items(conn, 12)
    conn.execute("ALTER TABLE items ADD COLUMN price numeric(8, 2)")
    conn.execute("UPDATE items SET price = id * 10.5")
    app = app_for(backend_url)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_items(pilot, 12)
        header = [s.text for s in grid.render_line(0)]
        first = [s.text for s in grid.render_line(1)]
        assert header[1:4] == [" id ", " grp ", " label   "] and first[1:4] == ["  1 ", "   1 ", " item 1  "]
        price = first[4].strip()  # 10.5 (SQLite's REAL) or 10.50 (PostgreSQL's numeric)
        assert (
            price in ("10.5", "10.50")
            and first[4] == f" {price:>{len(first[4]) - 2}} "
            and len(first[4]) - 2 > len(price)
        )
        assert header[4] == f" {'price':>{len(first[4]) - 2}} "  # the header sits over the digits


@pilot_test
async def test_the_last_row_stays_in_view_when_its_window_brings_the_horizontal_scrollbar(
    conn: Connection, backend_url: str
) -> None:
    make_items(conn, 1000)
    conn.execute("UPDATE items SET label = 'a rather long label that widens the grid' WHERE id > 990")
    app = app_for(backend_url)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_items(pilot, 1000)
        assert not grid.show_horizontal_scrollbar  # the first rows fit
        await pilot.press("G")
        await settle(pilot)
        assert grid.show_horizontal_scrollbar
        assert visible_labels(grid)[-1] == "1,000"
