"""The Browse screen's key paths, driven with the keyboard on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from rich.segment import Segment
from textual.pilot import Pilot

from tests.browse.conftest import make_items
from tests.tui.conftest import SIZE, app_for, pilot_test, ready, settle
from workbench.browse.outline import ObjectRef
from workbench.db import Connection, connect
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.browse import BrowseScreen
from workbench.tui.widgets.data_grid import MAX_PAGES, PAGE_SIZE, DataGrid
from workbench.tui.widgets.object_detail import ObjectDetail
from workbench.tui.widgets.schema_tree import SchemaTree

SHOP = """
CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL, note text);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers (id),
                     total numeric(10, 2) CHECK (total >= 0));
CREATE INDEX orders_customer ON orders (customer_id);
CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
INSERT INTO customers VALUES (1, 'Ada', NULL), (2, 'NULL', 'the string, not a null');
INSERT INTO orders VALUES (10, 1, 150.00), (11, 2, 20.00);
"""


def highlighted(app) -> ObjectRef | None:  # noqa: ANN001
    return app.screen.query_one(SchemaTree).highlighted_ref


async def hold_catalog(pilot: Pilot) -> tuple[threading.Event, threading.Event]:
    """Hold the app's connection once the outline is shown, so the catalog read waits until the
    second event is set; returns (occupied, release)."""
    app: WorkbenchApp = pilot.app  # type: ignore[assignment]
    occupied, release = threading.Event(), threading.Event()

    def occupy() -> None:
        assert app.session is not None
        with app.session.use("test"):
            occupied.set()
            release.wait(20)

    while app.session is None:
        await pilot.pause()
    threading.Thread(target=occupy, daemon=True).start()
    while highlighted(app) is None:
        await pilot.pause()
    return occupied, release


def drawn_cell(grid: DataGrid, row: int, containing: str) -> Segment:
    """The segment of the window's `row`, as drawn on screen, whose text holds `containing`."""
    line = grid.render_line(grid.window_offset + row - grid.scroll_offset.y + 1)
    return next(s for s in line if containing in s.text)


@pilot_test
async def test_open_shows_the_schema_and_the_first_table(conn: Connection, backend_url: str) -> None:
    conn.execute_script(SHOP)
    app = app_for(backend_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, BrowseScreen)
        assert app.problem == ""
        assert app.backend_label == conn.backend.name
        assert "@" not in app.connection_label or ":***@" in app.connection_label or "postgres@" in app.connection_label
        detail = app.screen.query_one(ObjectDetail)
        assert detail.ref == ObjectRef("table", conn.default_schema, "customers")
        assert highlighted(app) == detail.ref


@pilot_test
async def test_filter_narrows_the_tree_and_enter_opens_the_best_match(conn: Connection, backend_url: str) -> None:
    conn.execute_script(SHOP)
    app = app_for(backend_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"ordrs", "enter")
        await settle(pilot)
        tree = app.screen.query_one(SchemaTree)
        assert tree.has_focus
        assert highlighted(app) == ObjectRef("table", conn.default_schema, "orders")
        assert app.screen.query_one(ObjectDetail).ref == highlighted(app)  # same tree line as before
        names = [n.data.ref.name for n in tree.root.children[0].children[0].children]
        assert names == ["orders"]
        await pilot.press("escape")  # clears the filter
        await settle(pilot)
        assert app.screen.query_one("#tree-filter").value == ""
        assert len(tree.root.children[0].children) == 2  # tables and views again


@pilot_test
async def test_the_tree_lists_names_before_the_catalog_and_keeps_the_cursor_when_it_arrives(
    conn: Connection, backend_url: str
) -> None:
    conn.execute_script(SHOP)
    app = app_for(backend_url)
    async with app.run_test(size=SIZE) as pilot:
        occupied, release = await hold_catalog(pilot)
        assert occupied.is_set() and app.catalog is None and app.outline is not None
        tree = app.screen.query_one(SchemaTree)
        tables = tree.root.children[0].children[0]
        nodes = list(tables.children)
        assert [n.data.ref.name for n in nodes] == ["customers", "orders"]
        await pilot.press("down")
        assert highlighted(app) == ObjectRef("table", conn.default_schema, "orders")
        assert app.screen.query_one(ObjectDetail).ref is None  # nothing to describe yet
        release.set()
        await settle(pilot, lambda: app.catalog is not None)
        assert list(tables.children) == nodes  # the same tree: the outline named what the catalog holds
        assert highlighted(app) == ObjectRef("table", conn.default_schema, "orders")  # where the user left it
        assert app.screen.query_one(ObjectDetail).ref == highlighted(app)


@pilot_test
async def test_a_filter_typed_before_the_catalog_arrives_is_kept(conn: Connection, backend_url: str) -> None:
    conn.execute_script(SHOP)
    app = app_for(backend_url)
    async with app.run_test(size=SIZE) as pilot:
        occupied, release = await hold_catalog(pilot)
        assert occupied.is_set() and app.catalog is None
        await pilot.press("slash", *"ordrs")  # on a big schema, people type while the catalog loads
        tree = app.screen.query_one(SchemaTree)

        def filtered() -> list[str]:
            return [n.data.ref.name for n in tree.root.children[0].children[0].children]

        for _ in range(200):  # the catalog worker is held: wait for the filter's timer, boundedly
            if filtered() == ["orders"]:
                break
            await pilot.pause(0.01)
        assert filtered() == ["orders"]
        release.set()
        await settle(pilot, lambda: app.catalog is not None)
        assert app.screen.query_one("#tree-filter").value == "ordrs"
        assert filtered() == ["orders"]
        assert app.screen.query_one(ObjectDetail).ref == ObjectRef("table", conn.default_schema, "orders")


@pilot_test
async def test_tabs_switch_by_key_and_only_where_they_apply(conn: Connection, backend_url: str) -> None:
    conn.execute_script(SHOP)
    app = app_for(backend_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        detail = app.screen.query_one(ObjectDetail)
        app.screen.reveal(ObjectRef("table", conn.default_schema, "orders"))
        for key, pane in (
            ("k", "constraints"),
            ("f", "foreign-keys"),
            ("i", "indexes"),
            ("t", "triggers"),
            ("p", "policies"),
            ("s", "ddl"),
            ("d", "data"),
            ("c", "columns"),
        ):
            await pilot.press(key)
            await settle(pilot)
            assert detail.active_tab == pane
        app.screen.reveal(ObjectRef("view", conn.default_schema, "big_orders"))
        await settle(pilot)
        assert app.screen.check_action("tab", ("constraints",)) is False
        await pilot.press("k")
        assert detail.active_tab == "columns"


@pilot_test
async def test_follow_a_foreign_key_and_come_back(conn: Connection, backend_url: str) -> None:
    conn.execute_script(SHOP)
    app = app_for(backend_url)
    orders = ObjectRef("table", conn.default_schema, "orders")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.screen.reveal(orders)
        await pilot.press("f", "enter")
        await settle(pilot)
        detail = app.screen.query_one(ObjectDetail)
        assert detail.ref == ObjectRef("table", conn.default_schema, "customers")
        assert highlighted(app) == detail.ref
        await pilot.press("f", "enter")  # customers ← orders: the incoming key leads back
        await settle(pilot)
        assert detail.ref == orders
        await pilot.press("b")
        await settle(pilot)
        assert detail.ref == ObjectRef("table", conn.default_schema, "customers")
        await pilot.press("b")
        await settle(pilot)
        assert detail.ref == orders


@pilot_test
async def test_data_grid_pages_to_the_end_of_a_large_table_with_a_bounded_window(
    conn: Connection, backend_url: str
) -> None:
    make_items(conn, 5000)
    app = app_for(backend_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("d")
        await settle(pilot)
        grid = app.screen.query_one(DataGrid)
        assert grid.has_focus and grid.rows_in_window[0][0] == 1
        await pilot.press("ctrl+end")
        await settle(pilot)
        assert grid.rows_in_window[-1][0] == 5000 and grid.total == 5000
        assert grid.cursor_row == len(grid.rows_in_window) - 1
        for _ in range(PAGE_SIZE * (MAX_PAGES + 1) // 20):
            await pilot.press("pageup")
            await settle(pilot)
            assert len(grid.rows_in_window) <= PAGE_SIZE * MAX_PAGES
        assert grid.window_offset is not None and grid.window_offset < 5000 - PAGE_SIZE * MAX_PAGES
        visible = grid.rows_in_window[grid.cursor_row][0]
        assert visible == grid.window_offset + grid.cursor_row + 1
        label = drawn_cell(grid, grid.cursor_row, f"{visible:,}")  # the row's label, drawn beside its data
        assert label.text.strip() == f"{visible:,}"
        await pilot.press("ctrl+home")
        await settle(pilot)
        assert grid.rows_in_window[0][0] == 1


@pilot_test
async def test_sort_and_filter_the_grid(conn: Connection, backend_url: str) -> None:
    make_items(conn, 300)
    app = app_for(backend_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("d")
        await settle(pilot)
        grid = app.screen.query_one(DataGrid)
        await pilot.press("right", "o")  # sort by grp ascending
        await settle(pilot)
        assert grid.query_spec.order_by == "grp" and [r[1] for r in grid.rows_in_window[:3]] == [0, 0, 0]
        await pilot.press("o")
        await settle(pilot)
        assert grid.rows_in_window[0][1] == 6
        await pilot.press("w")
        await settle(pilot)
        await pilot.press(*"5", "enter")
        await settle(pilot)
        assert grid.query_spec.where is not None and {r[1] for r in grid.rows_in_window} == {5}
        await pilot.press("w")
        await settle(pilot)
        await pilot.click("#remove")
        await settle(pilot)
        assert grid.query_spec.where is None


@pilot_test
async def test_nulls_look_different_from_the_string_null(conn: Connection, backend_url: str) -> None:
    conn.execute_script(SHOP)
    app = app_for(backend_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("d")
        await settle(pilot)
        grid = app.screen.query_one(DataGrid)
        note_null = drawn_cell(grid, 0, "null")
        name_string = drawn_cell(grid, 1, "NULL")
        assert note_null.text.strip() == "∅ null" and name_string.text.strip() == "NULL"
        assert note_null.style != name_string.style


@pytest.mark.parametrize("name", ['we"ird tab le', "select", "Ünï ✓ 名前"])
@pilot_test
async def test_identifier_torture_in_tree_detail_and_grid(conn: Connection, backend_url: str, name: str) -> None:
    q = conn.quote
    conn.execute(f"CREATE TABLE {q(name)} ({q('order')} integer PRIMARY KEY, {q(name)} text)")
    conn.execute(f"INSERT INTO {q(name)} VALUES (1, '[bold]not markup[/bold]')")
    app = app_for(backend_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert highlighted(app) == ObjectRef("table", conn.default_schema, name)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        grid = app.screen.query_one(DataGrid)
        assert grid.rows_in_window == [(1, "[bold]not markup[/bold]")]
        assert drawn_cell(grid, 0, "not markup").text.strip() == "[bold]not markup[/bold]"
        assert name in grid.render_line(0).text  # the header


@pilot_test
async def test_refresh_shows_a_table_created_outside(conn: Connection, backend_url: str) -> None:
    conn.execute_script(SHOP)
    app = app_for(backend_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        conn.execute("CREATE TABLE added_later (id integer PRIMARY KEY)")
        await pilot.press("r")
        await settle(pilot, lambda: app.catalog.table("added_later", conn.default_schema) is not None)
        app.screen.reveal(ObjectRef("table", conn.default_schema, "added_later"))
        await settle(pilot)
        assert highlighted(app) == ObjectRef("table", conn.default_schema, "added_later")


@pilot_test
async def test_a_superseded_data_request_never_overwrites_the_newer_one(conn: Connection, backend_url: str) -> None:
    conn.execute_script(SHOP)
    app = app_for(backend_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("d")
        await settle(pilot)
        screen = app.screen
        screen.reveal(ObjectRef("table", conn.default_schema, "orders"))
        screen.reveal(ObjectRef("table", conn.default_schema, "customers"))
        screen.reveal(ObjectRef("table", conn.default_schema, "orders"))
        await settle(pilot)
        grid = screen.query_one(DataGrid)
        assert grid.query_spec.relation.name == "orders"
        assert [r[0] for r in grid.rows_in_window] == [10, 11]


@pytest.mark.postgres
@pilot_test
async def test_escape_cancels_a_slow_query_and_frees_the_connection(pg_url: str) -> None:
    from workbench.db import connect

    conn = connect(pg_url)
    conn.execute_script(
        SHOP + "CREATE VIEW slow AS SELECT g FROM generate_series(1, 400) g WHERE pg_sleep(0.05) IS NOT NULL;"
    )
    conn.close()
    app = app_for(pg_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.screen.reveal(ObjectRef("view", "public", "slow"))
        await pilot.press("d")
        grid = app.screen.query_one(DataGrid)
        await pilot.pause(0.5)
        assert grid.loading_request == "open"
        await pilot.press("escape")
        assert grid.loading_request is None
        app.screen.reveal(ObjectRef("table", "public", "customers"))
        await settle(pilot, lambda: bool(grid.rows_in_window), timeout=5)  # far less than the 20 s query
        assert [r[0] for r in grid.rows_in_window] == [1, 2]


@pilot_test
async def test_empty_tabs_say_what_is_missing(conn: Connection, backend_url: str) -> None:
    conn.execute_script(SHOP)
    app = app_for(backend_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.screen.reveal(ObjectRef("table", conn.default_schema, "customers"))
        for key, table, message in (("t", "#triggers-table", "no triggers"), ("p", "#policies-table", "no policies")):
            await pilot.press(key)
            await settle(pilot)
            shown = app.screen.query_one(table)
            assert shown.row_count == 1 and str(shown.get_row_at(0)[0]) == message
        app.screen.reveal(ObjectRef("table", conn.default_schema, "orders"))
        await pilot.press("i")
        await settle(pilot)
        assert str(app.screen.query_one("#indexes-table").get_row_at(0)[0]) != "no indexes"  # orders has one


@pilot_test
async def test_the_sqlite_ddl_tab_shows_the_databases_own_create_text(corpus: Path, tmp_path: Path) -> None:
    """Chinook's CREATE TABLE keeps its `ON DELETE NO ACTION` and its foreign keys' order (guard)."""
    path = tmp_path / "chinook.sqlite"
    shutil.copyfile(corpus / "chinook" / "Chinook_Sqlite.sqlite", path)
    conn = connect(str(path))
    try:
        stored = conn.query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'InvoiceLine'").scalar()
    finally:
        conn.close()
    assert "ON DELETE NO ACTION" in stored
    app = app_for(f"sqlite:///{path}")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.screen.reveal(ObjectRef("table", "main", "InvoiceLine"))
        await pilot.press("s")
        await settle(pilot)
        shown = app.screen.query_one("#ddl-text").content.code
        assert shown.startswith(stored + ";\n")


@pilot_test
async def test_column_positions_line_up_at_the_right(conn: Connection, backend_url: str) -> None:
    conn.execute("CREATE TABLE wide (" + ", ".join(f"c{i} integer" for i in range(1, 12)) + ")")
    app = app_for(backend_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        table = app.screen.query_one("#columns-table")
        first, last = table.render_line(1).text, table.render_line(11).text
        assert first.startswith("  1  c1 ") and last.startswith(" 11  c11 ")  # one space of padding each side
