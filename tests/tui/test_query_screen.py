"""The Query screen driven with Pilot: type, ctrl+j, rows; Escape stops a query on the server;
ctrl+r brings back an old statement; F7 draws the plan; the workspace survives a restart; a write is
confirmed, journaled and undone, judged by another connection's sorted rows."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static, TabbedContent, TextArea, Tree

from tests.tui.conftest import app_for, pilot_test, ready, settle
from workbench.db import connect
from workbench.project import Profile, Target
from workbench.tui import make_app
from workbench.tui.screens.query import QueryScreen
from workbench.tui.widgets.confirm import ConfirmDialog
from workbench.tui.widgets.result_grid import ResultGrid

SHOP = (
    "CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL);"
    "INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace'), (3, 'Edsger');"
)


@pytest.fixture
def shop_url(backend_url: str) -> str:
    conn = connect(backend_url)
    conn.execute_script(SHOP)
    conn.close()
    return backend_url


async def open_query(pilot: Pilot) -> QueryScreen:
    await ready(pilot)
    await pilot.press("5")
    screen = pilot.app.screen
    assert isinstance(screen, QueryScreen)
    await settle(pilot, lambda: screen.session is not None)
    return screen


async def type_and_run(pilot: Pilot, screen: QueryScreen, sql: str) -> None:
    editor = screen.query_one(TextArea)
    editor.load_text("")
    if not editor.has_focus:
        await pilot.press("i")
    await pilot.press(*sql)
    await pilot.press("ctrl+j")
    await settle(pilot, lambda: screen._statement is None and not screen._waiting)


async def until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 10) -> None:
    """Wait for `condition` while workers still run (`settle` would wait for them to end)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await pilot.pause(0.05)


def status(screen: QueryScreen) -> str:
    return str(screen.query_one("#query-status").render())


@pilot_test
async def test_a_typed_query_shows_its_rows_in_a_tab(shop_url: str) -> None:
    async with app_for(shop_url).run_test(size=(120, 32)) as pilot:
        screen = await open_query(pilot)
        await type_and_run(pilot, screen, "select name from customers order by id;")
        grid = screen.query_one(ResultGrid)
        assert grid.rows_in_window == [("Ada",), ("Grace",), ("Edsger",)]
        assert "3 rows" in status(screen)


@pilot_test
async def test_ctrl_j_typed_ahead_runs_the_whole_statement_typed_before_it(shop_url: str) -> None:
    from textual import events

    async with app_for(shop_url).run_test(size=(120, 32)) as pilot:
        screen = await open_query(pilot)
        await pilot.press("i")
        sql = "select name from customers where id = 3;"
        for key in [*sql, "ctrl+j"]:  # all at once, as a terminal hands over type-ahead
            pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(pilot, lambda: screen.query(ResultGrid) and screen._statement is None)
        assert screen.query_one(ResultGrid).rows_in_window == [("Edsger",)]


@pilot_test
async def test_a_selection_of_two_statements_opens_two_tabs(shop_url: str) -> None:
    async with app_for(shop_url).run_test(size=(120, 32)) as pilot:
        screen = await open_query(pilot)
        editor = screen.query_one(TextArea)
        editor.load_text("select 1 as one;\nselect name from customers where id = 2;")
        editor.select_all()
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: len(screen.query(ResultGrid)) == 2 and screen._statement is None)
        first, second = screen.query(ResultGrid)
        assert first.rows_in_window == [(1,)] and second.rows_in_window == [("Grace",)]


@pytest.mark.postgres
@pilot_test
async def test_escape_stops_a_long_query_on_the_server(pg_url: str) -> None:
    async with app_for(pg_url).run_test(size=(120, 32)) as pilot:
        screen = await open_query(pilot)
        screen.query_one(TextArea).load_text("select pg_sleep(30);")
        await pilot.press("ctrl+j")
        await until(pilot, lambda: any(g.loading_request for g in screen.query(ResultGrid)))
        await pilot.pause(0.5)  # the statement reaches the server
        await pilot.press("escape")
        await settle(pilot, lambda: screen._statement is None, timeout=10)
        assert "cancel" in status(screen).lower()
        watcher = connect(pg_url)  # the server says nothing of ours is still sleeping
        try:
            active = watcher.query(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'select pg_sleep%'"
            ).scalar()
        finally:
            watcher.close()
        assert active == 0


@pilot_test
async def test_ctrl_r_puts_an_old_statement_back_in_the_editor(sqlite_url: str) -> None:
    connect(sqlite_url).execute_script(SHOP)
    async with app_for(sqlite_url).run_test(size=(120, 32)) as pilot:
        screen = await open_query(pilot)
        await type_and_run(pilot, screen, "select id from customers;")
        await type_and_run(pilot, screen, "select 42;")
        screen.query_one(TextArea).load_text("")
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press(*"custom")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.query_one(TextArea).text.strip() == "select id from customers;"


@pilot_test
async def test_f7_draws_the_plan_of_the_statement_under_the_cursor(shop_url: str) -> None:
    async with app_for(shop_url).run_test(size=(120, 32)) as pilot:
        screen = await open_query(pilot)
        screen.query_one(TextArea).load_text("select * from customers where id = 2;")
        await pilot.press("f7")
        await settle(pilot, lambda: bool(screen.query(Tree)))
        tree = screen.query_one(Tree)
        labels = [str(node.label) for node in tree.root.children] + [str(tree.root.label)]
        assert any("customers" in label for label in labels)


@pilot_test
async def test_the_editor_and_tabs_survive_a_restart(sqlite_url: str) -> None:
    connect(sqlite_url).execute_script(SHOP)
    async with app_for(sqlite_url).run_test(size=(120, 32)) as pilot:
        screen = await open_query(pilot)
        await type_and_run(pilot, screen, "select name from customers where id = 3;")
    async with app_for(sqlite_url).run_test(size=(120, 32)) as pilot:
        screen = await open_query(pilot)
        await settle(pilot, lambda: bool(screen.query(ResultGrid)) and screen._statement is None)
        assert screen.query_one(TextArea).text == "select name from customers where id = 3;"
        assert screen.query_one(ResultGrid).rows_in_window == [("Edsger",)]
        assert screen.query_one(TabbedContent).tab_count == 1


def test_history_file_lives_in_the_data_folder(tmp_path: Path) -> None:
    from workbench.console.history import history_path

    assert history_path().parent.name == "user-data"


def sorted_rows(url: str, table: str) -> list[tuple[object, ...]]:
    """The witness: every row of `table`, read by a connection of its own, in a fixed order."""
    conn = connect(url)
    try:
        return sorted(conn.query(f"SELECT * FROM {table}").rows, key=repr)
    finally:
        conn.close()


@pilot_test
async def test_a_write_is_confirmed_journaled_and_undone(shop_url: str) -> None:
    before = sorted_rows(shop_url, "customers")
    async with app_for(shop_url).run_test(size=(120, 32)) as pilot:
        screen = await open_query(pilot)
        screen.query_one(TextArea).load_text("delete from customers where id >= 2;")
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        body = " ".join(str(s.render()) for s in pilot.app.screen.query(Static))
        assert "2 rows" in body and "backup" in body  # how many rows, and that a backup is taken
        await pilot.press("enter")
        await settle(pilot, lambda: screen._statement is None)
        assert sorted_rows(shop_url, "customers") == [(1, "Ada")]
        assert "journaled as change #1" in str(screen.query(".query-message").last().render()).lower()
        await pilot.press("f6")
        await settle(pilot, lambda: screen.query_one("#journal-table", DataTable).row_count == 1)
        screen.query_one("#journal-table", DataTable).focus()
        await pilot.press("u")
        await settle(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        await pilot.press("enter")
        await settle(pilot)
        assert sorted_rows(shop_url, "customers") == before
        table = screen.query_one("#journal-table", DataTable)
        assert "undone" in str(table.get_row_at(0)[-1])


@pilot_test
async def test_a_write_cancelled_at_the_confirmation_changes_nothing(sqlite_url: str) -> None:
    connect(sqlite_url).execute_script(SHOP)
    before = sorted_rows(sqlite_url, "customers")
    async with app_for(sqlite_url).run_test(size=(120, 32)) as pilot:
        screen = await open_query(pilot)
        screen.query_one(TextArea).load_text("update customers set name = 'x';")
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        await pilot.press("escape")
        await settle(pilot, lambda: screen._statement is None)
    assert sorted_rows(sqlite_url, "customers") == before


@pilot_test
async def test_ctrl_s_saves_the_statement_as_the_next_migration(sqlite_url: str, tmp_path: Path) -> None:
    from workbench.migrations.discovery import discover
    from workbench.project import load_project

    (tmp_path / "proj" / "migrations").mkdir(parents=True)
    (tmp_path / "proj" / "workbench.toml").write_text("", encoding="utf-8")
    project = load_project(tmp_path / "proj")
    async with make_app(Target(sqlite_url), project).run_test(size=(120, 32)) as pilot:
        screen = await open_query(pilot)
        screen.query_one(TextArea).load_text("create table notes (id integer primary key, body text);")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press(*"notes table", "enter")
        await settle(pilot)
    [migration] = discover(tmp_path / "proj" / "migrations")
    assert migration.name == "notes_table" and "create table notes" in migration.up_sql


@pilot_test
async def test_a_protected_profile_writes_only_once_its_name_is_typed(sqlite_url: str) -> None:
    connect(sqlite_url).execute_script(SHOP)
    target = Target(sqlite_url, Profile("prod", sqlite_url, protected=True))
    async with make_app(target).run_test(size=(120, 32)) as pilot:
        screen = await open_query(pilot)
        await type_and_run(pilot, screen, "select count(*) from customers;")
        assert screen.query_one(ResultGrid).rows_in_window == [(3,)]  # reads need no name
        screen.query_one(TextArea).load_text("delete from customers where id = 1;")
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        await pilot.press("enter")  # nothing typed: the dialog stays
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        assert sorted_rows(sqlite_url, "customers") == [(1, "Ada"), (2, "Grace"), (3, "Edsger")]
        await pilot.press(*"prod", "enter")
        await settle(pilot, lambda: screen._statement is None)
    assert sorted_rows(sqlite_url, "customers") == [(2, "Grace"), (3, "Edsger")]


@pilot_test
async def test_ctrl_space_completes_a_table_name_from_the_catalog(sqlite_url: str) -> None:
    connect(sqlite_url).execute_script(SHOP)
    async with app_for(sqlite_url).run_test(size=(120, 32)) as pilot:
        screen = await open_query(pilot)
        editor = screen.query_one(TextArea)
        editor.load_text("select * from cust")
        editor.move_cursor((0, len(editor.text)))
        await pilot.press("i", "ctrl+space")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert editor.text == "select * from customers"


@pilot_test
async def test_a_result_is_copied_whole_and_exported(sqlite_url: str, tmp_path: Path) -> None:
    connect(sqlite_url).execute_script(SHOP)
    async with app_for(sqlite_url).run_test(size=(120, 32)) as pilot:
        screen = await open_query(pilot)
        await type_and_run(pilot, screen, "select id, name from customers order by id;")
        await pilot.press("escape", "f2")  # out of the editor, to the rows
        await pilot.press("a")
        await settle(pilot, lambda: bool(pilot.app.clipboard))
        assert pilot.app.clipboard == "id\tname\n1\tAda\n2\tGrace\n3\tEdsger"
        await pilot.press("right", "c")  # the cursor's column
        await settle(pilot, lambda: pilot.app.clipboard.startswith("Ada"))
        assert pilot.app.clipboard == "Ada\nGrace\nEdsger"
        await pilot.press("e")
        await settle(pilot)
        target = tmp_path / "people.json"
        pilot.app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot, target.exists)
    assert json.loads(target.read_text(encoding="utf-8")) == [
        {"id": 1, "name": "Ada"},
        {"id": 2, "name": "Grace"},
        {"id": 3, "name": "Edsger"},
    ]


@pilot_test
async def test_escape_leaves_the_editor_so_number_keys_switch_screens(sqlite_url: str) -> None:
    async with app_for(sqlite_url).run_test(size=(120, 32)) as pilot:
        screen = await open_query(pilot)
        await pilot.press("i", "1")  # in the editor, 1 is text
        assert screen.query_one(TextArea).text == "1" and pilot.app.screen is screen
        await pilot.press("escape", "1")
        await settle(pilot)
        assert pilot.app.current_mode == "browse"
