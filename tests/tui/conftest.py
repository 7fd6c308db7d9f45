"""Drive the real app with Pilot against real databases; deterministic for snapshots.

Determinism: a fixed terminal size, the workbench-dark theme (the user config dir is isolated by
the root conftest), no cursor blink, and workers awaited (never slept) before any assertion.
"""

from __future__ import annotations

import asyncio
import functools
import shutil
from pathlib import Path
from typing import Any
from collections.abc import Callable, Coroutine

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import WorkerCancelled, WorkerState

from workbench.browse.outline import outline
from workbench.db import Connection, connect
from workbench.project import Target
from workbench.resources import bundled
from workbench.tui import make_app
from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.data_grid import DataGrid
from workbench.tui.widgets.schema_tree import SchemaTree

SIZE = (130, 36)


def pilot_test(body: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test body in its own event loop (no async plugin needed); fixtures pass through."""

    @functools.wraps(body)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(body(*args, **kwargs))

    return run


def app_for(url: str) -> WorkbenchApp:
    return make_app(Target(url))


async def settle(pilot: Pilot, until: Callable[[], bool] | None = None, timeout: float = 20) -> None:
    """Wait for every worker and message to finish (and `until` to hold), without sleeping blindly.

    A worker cancelled on the way is normal (an exclusive worker superseded by a newer one, as when
    a screen reloads twice under load): it is done, not a failure. A worker that failed still fails
    the test. Settled also means drawn: the screen stays the same through one more round.
    """
    app = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        await workers_done(app)
        await pilot.pause()
        for box in app.query(Input):
            box.cursor_blink = False
        grids_idle = all(g.loading_request is None for g in app.screen.query(DataGrid))
        if not app.workers and grids_idle and (until is None or until()) and await _drawn(pilot):
            return
        if loop.time() > deadline:
            grids = [(g.loading_request, g.error) for g in app.screen.query(DataGrid)]
            raise AssertionError(f"the app did not settle in time: workers {list(app.workers)}, grids {grids}")
        await asyncio.sleep(0.01)


async def _drawn(pilot: Pilot) -> bool:
    """Repaint the whole screen and say whether it then looks as before: what a snapshot shows.

    A DataTable sizes its columns on idle after its rows change, and the screen keeps the lines
    each partial refresh drew; a full repaint after one more round leaves no such history behind.
    """
    before = pilot.app.export_screenshot()
    pilot.app.screen.refresh()
    await pilot.pause()
    return pilot.app.export_screenshot() == before


async def workers_done(app: App[Any]) -> None:
    """Wait for the workers running now; one cancelled before it completed counts as done."""
    for worker in list(app.workers):
        if worker.state is WorkerState.PENDING:
            continue  # not started: the next round of `settle` waits for it
        try:
            await worker.wait()
        except WorkerCancelled:
            pass


async def ready(pilot: Pilot) -> WorkbenchApp:
    """Wait until the catalog arrived (or the connection failed)."""
    app: WorkbenchApp = pilot.app  # type: ignore[assignment]

    def shown() -> bool:
        if app.problem:
            return True
        if app.catalog is None:
            return False
        # the tree puts its cursor on the first object after a refresh: wait for that too
        return not outline(app.catalog) or app.screen.query_one(SchemaTree).highlighted_ref is not None

    await settle(pilot, shown)
    return app


def fill(conn: Connection, sql: str) -> None:
    conn.execute_script(sql)


@pytest.fixture(scope="session")
def booking_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled booking sample's database, built once per test process (its SQL generates
    20,000 orders: seconds each time); every test gets its own copy of the file."""
    path = tmp_path_factory.mktemp("booking") / "booking.db"
    conn = connect(str(path), options={"create": True})
    try:
        with conn.transaction():
            conn.execute_script((bundled("sample_dbs") / "booking" / "schema.sql").read_text(encoding="utf-8"))
    finally:
        conn.close()
    return path


@pytest.fixture
def booking_url(booking_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh copy of the booking sample at ./booking.db; a relative URL keeps snapshots stable."""
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(booking_database, tmp_path / "booking.db")
    return "sqlite:///booking.db"
