"""Inline editing in the Data tab, driven by its keys: edit a cell, see it staged, preview, discard,
apply (confirmed; the profile's name typed when protected) and see the database's new values."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests import judge
from tests.tui.conftest import SIZE, app_for, pilot_test, ready, settle
from workbench.console.journal import changes
from workbench.console.undo import undo
from workbench.db import Connection, connect
from workbench.project import Profile, Target
from workbench.tui import make_app
from workbench.tui.widgets.confirm import ConfirmDialog
from workbench.tui.widgets.cell_editor import CellEditor, EditsPreview
from workbench.tui.widgets.data_grid import DataGrid
from workbench.tui.widgets.data_pane import DataPane

FILMS = (
    "CREATE TABLE films (id integer PRIMARY KEY, title text NOT NULL, year integer, note text)",
    "INSERT INTO films VALUES (1, 'Alien', 1979, NULL), (2, 'Heat', 1995, ''), (3, 'Ran', 1985, 'Kurosawa')",
)


def make_films(conn: Connection) -> None:
    for sql in FILMS:
        conn.execute(sql)


async def open_films(pilot: Pilot) -> DataGrid:
    await ready(pilot)
    await pilot.press("d")
    await settle(pilot)
    grid = pilot.app.screen.query_one(DataGrid)
    await settle(pilot, lambda: len(grid.rows_in_window) == 3)
    return grid


async def edit(pilot: Pilot, text: str | None) -> None:
    """Edit the cursor's cell: type `text` and Enter, or ctrl+n for NULL."""
    await pilot.press("i")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CellEditor)
    if text is None:
        await pilot.press("ctrl+n")
    else:
        pilot.app.screen.query_one("#cell-input", Input).value = text
        await pilot.press("enter")
    await settle(pilot)


def status(pilot: Pilot) -> str:
    return str(pilot.app.screen.query_one("#data-status").render())


@pilot_test
async def test_edits_are_staged_highlighted_and_discarded_without_writing(conn: Connection, backend_url: str) -> None:
    make_films(conn)
    async with app_for(backend_url).run_test(size=SIZE) as pilot:
        grid = await open_films(pilot)
        await pilot.press("right")  # title of row 1
        await edit(pilot, "Aliens")
        await pilot.press("down", "right", "right")  # note of row 2: '' becomes NULL
        await edit(pilot, None)
        line1, line2 = grid.render_line(1), grid.render_line(2)
        assert "Aliens" in line1.text and "∅ null" in line2.text
        staged = grid.get_component_rich_style("data-grid--staged")
        assert any(seg.text.strip() == "Aliens" and seg.style == staged for seg in line1)
        assert "2 edits staged" in status(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(pilot.app.screen, EditsPreview)
        sql = str(pilot.app.screen.query_one("#edits-sql").render())
        assert 'SET "title" = ' in sql and "-- 'Aliens', 1" in sql and "-- NULL, 2" in sql
        await pilot.press("escape", "x")
        await settle(pilot)
        assert "Alien " in grid.render_line(1).text and "staged" not in status(pilot)
    assert conn.query("SELECT title, note FROM films ORDER BY id").rows == [
        ("Alien", None),
        ("Heat", ""),
        ("Ran", "Kurosawa"),
    ]


@pilot_test
async def test_the_key_column_is_not_edited(conn: Connection, backend_url: str) -> None:
    make_films(conn)
    async with app_for(backend_url).run_test(size=SIZE) as pilot:
        await open_films(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, CellEditor)
        assert any("key each row is found by" in n.message for n in pilot.app._notifications)
        assert pilot.app.screen.query_one(DataPane)._edits.cells == ()


@pilot_test
async def test_a_table_without_a_key_opens_no_editor_and_says_why(pg_url: str) -> None:
    conn = connect(pg_url)
    try:
        conn.execute("CREATE TABLE loose (a integer, b text)")
        conn.execute("INSERT INTO loose VALUES (1, 'x'), (1, 'x')")
    finally:
        conn.close()
    async with app_for(pg_url).run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("right", "i")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, CellEditor)
        messages = [n.message for n in pilot.app._notifications]
        assert any("no primary key or unique NOT NULL columns" in m for m in messages), messages


@pytest.mark.parametrize("protected", [False, True], ids=["plain", "protected"])
@pilot_test
async def test_apply_writes_one_undoable_change_and_the_grid_shows_it(
    conn: Connection, backend_url: str, protected: bool
) -> None:
    make_films(conn)
    before = judge.snapshot(backend_url)
    profile = Profile("prod", backend_url, protected=True) if protected else None
    async with make_app(Target(backend_url, profile)).run_test(size=SIZE) as pilot:
        grid = await open_films(pilot)
        await pilot.press("right", "right")  # year of row 1
        await edit(pilot, "1980")
        await pilot.press("down", "down", "right")  # note of row 3
        await edit(pilot, None)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        if protected:
            await pilot.press("enter")  # without the name typed: refused, the dialog stays
            await settle(pilot)
            assert isinstance(pilot.app.screen, ConfirmDialog)
            await pilot.press(*"prod")
        await pilot.press("enter")
        await settle(pilot, lambda: not isinstance(pilot.app.screen, ConfirmDialog) and grid.loading_request is None)
        await settle(pilot, lambda: "1980" in grid.render_line(1).text)
        assert "staged" not in status(pilot)
        assert grid.get_component_rich_style("data-grid--staged") not in [seg.style for seg in grid.render_line(1)]
    assert conn.query("SELECT year, note FROM films ORDER BY id").rows == [(1980, None), (1995, ""), (1985, None)]
    journal = changes(conn)
    assert len(journal) == 1
    assert undo(conn, journal[0].id).refused is None
    judge.assert_same(before, judge.snapshot(backend_url))


@pilot_test
async def test_a_value_the_column_refuses_is_reported_and_stays_staged(conn: Connection, backend_url: str) -> None:
    make_films(conn)
    before = judge.snapshot(backend_url)
    async with app_for(backend_url).run_test(size=SIZE) as pilot:
        await open_films(pilot)
        await pilot.press("right", "right")
        await edit(pilot, "nineteen")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot, lambda: not isinstance(pilot.app.screen, ConfirmDialog))
        messages = [n.message for n in pilot.app._notifications]
        assert any(m.startswith("Nothing was changed: Row id=1, year: ") for m in messages), messages
        assert "1 edit staged" in status(pilot)
    judge.assert_same(before, judge.snapshot(backend_url))


@pytest.fixture
def films_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)  # a relative URL keeps the snapshot's header stable
    conn = connect("films.db", options={"create": True})
    make_films(conn)
    conn.close()
    return "sqlite:///films.db"


def test_snapshot_of_staged_edits_at_80_by_24(snap_compare, films_url: str) -> None:  # noqa: ANN001
    async def run_before(pilot: Pilot) -> None:
        await open_films(pilot)
        await pilot.press("right")
        await edit(pilot, "Aliens")
        await pilot.press("down", "right")
        await edit(pilot, "1996")
        await pilot.press("right")
        await edit(pilot, None)
        await pilot.press("down")
        await settle(pilot)

    assert snap_compare(app_for(films_url), terminal_size=(80, 24), run_before=run_before)
