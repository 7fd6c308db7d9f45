"""The helper every TUI test waits with: a worker superseded under load must not fail the test."""

from __future__ import annotations

import threading

from textual.worker import WorkerState

from tests.tui.conftest import SIZE, app_for, pilot_test, ready, settle


@pilot_test
async def test_settle_waits_out_an_exclusive_worker_superseded_by_a_newer_one(sqlite_url: str) -> None:
    """As when a screen reloads twice before the first load ended: the first worker is cancelled."""
    app = app_for(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        release = threading.Event()
        first = app.run_worker(release.wait, thread=True, exclusive=True, group="reload")
        second = app.run_worker(release.set, thread=True, exclusive=True, group="reload")
        await settle(pilot)
        assert (first.state, second.state) == (WorkerState.CANCELLED, WorkerState.SUCCESS)
