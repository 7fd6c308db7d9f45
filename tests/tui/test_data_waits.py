"""The Data tab while another table's rows are on their way: never the old rows under the new name,
and a wait on a lock says so, with the session that holds it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from tests.browse.conftest import make_items, table_locked
from tests.tui.conftest import SIZE, app_for, pilot_test, ready, settle
from workbench.browse.outline import ObjectRef
from workbench.db import Connection
from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.data_grid import DataGrid


def status(app: WorkbenchApp) -> str:
    return str(app.screen.query_one("#data-status").render())


async def until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 10) -> None:
    """Pause until `condition` holds (a query is running on purpose, so `settle` would wait for it)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)


async def open_actor_data(pilot: Pilot, schema: str) -> DataGrid:
    app: WorkbenchApp = pilot.app  # type: ignore[assignment]
    await ready(pilot)
    app.screen.reveal(ObjectRef("table", schema, "actor"))
    await settle(pilot)
    await pilot.press("d")
    await settle(pilot)
    grid = app.screen.query_one(DataGrid)
    assert grid.rows_in_window and grid.query_spec.relation.name == "actor"
    return grid


@pytest.mark.parametrize("size", [(80, 24), SIZE])
@pilot_test
async def test_another_tables_rows_never_show_while_its_page_waits(
    conn: Connection, backend_url: str, size: tuple[int, int]
) -> None:
    make_items(conn, 30, name="actor")
    make_items(conn, 5, name="film")
    app = app_for(backend_url)
    async with app.run_test(size=size) as pilot:
        grid = await open_actor_data(pilot, conn.default_schema)
        held, release = threading.Event(), threading.Event()

        def hold() -> None:  # the connection is busy elsewhere, so film's first page has to wait
            assert app.session is not None
            with app.session.use("test"):
                held.set()
                release.wait(20)

        threading.Thread(target=hold, daemon=True).start()
        held.wait(5)
        try:
            app.screen.reveal(ObjectRef("table", conn.default_schema, "film"))
            await until(pilot, lambda: grid.loading_request == "open")
            await pilot.pause(0.1)
            assert grid.rows_in_window == [] and grid.render_line(0).text.strip() == ""
            assert f"loading {conn.default_schema}.film" in status(app) and "Loading" not in status(app)
        finally:
            release.set()
        await settle(pilot)
        assert [r[0] for r in grid.rows_in_window] == [1, 2, 3, 4, 5]


@pytest.mark.postgres
@pilot_test
async def test_a_page_waiting_on_a_lock_says_for_how_long_and_who_holds_it(pg_url: str) -> None:
    from workbench.db import connect

    conn = connect(pg_url)
    make_items(conn, 30, name="actor")
    make_items(conn, 5, name="film")
    conn.close()
    app = app_for(pg_url)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_actor_data(pilot, "public")
        with table_locked(pg_url, "film") as holder:
            app.screen.reveal(ObjectRef("table", "public", "film"))
            await until(pilot, lambda: "waiting" in status(app))
            line = status(app)
            assert grid.rows_in_window == []
            assert f"for a lock on public.film held by session {holder}" in line, line
            assert "Esc stops" in app.screen.query_one("#data-status").render().plain  # type: ignore[attr-defined]
        await settle(pilot)
        assert [r[0] for r in grid.rows_in_window] == [1, 2, 3, 4, 5] and "waiting" not in status(app)
