"""The Migrations screen says when the schema was changed by hand (drift against the applied
migrations), computed after the list is shown, and `d` shows that diff."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.diff.helpers import migrated
from tests.tui.conftest import SIZE, pilot_test, settle
from tests.tui.migrating import app_for, freeze_times, open_migrations, text_of
from workbench.db import connect
from workbench.tui.screens.migrations import DriftDialog


@pilot_test
async def test_a_hand_made_table_is_named_as_drift_and_d_shows_it(backend_url: str, tmp_path: Path) -> None:
    project = migrated(tmp_path, backend_url)
    conn = connect(backend_url)
    conn.execute("CREATE TABLE audit_notes (id integer PRIMARY KEY, note text)")
    conn.close()
    async with app_for(backend_url, project).run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        await settle(pilot, lambda: screen.drift is not None)
        message = " ".join(text_of(screen.query_one("#migrations-message")).split())
        assert message.startswith("⚠ schema drift: the database differs from what its applied migrations produce")
        assert message.endswith("d shows the diff.")
        await pilot.press("d")
        await settle(pilot, lambda: isinstance(pilot.app.screen, DriftDialog))
        shown = " ".join(text_of(w) for w in pilot.app.screen.query("Static"))
        assert "+ table" in shown and "audit_notes" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen


@pilot_test
async def test_no_drift_says_nothing_and_d_does_nothing(sqlite_url: str, tmp_path: Path) -> None:
    async with app_for(sqlite_url, migrated(tmp_path, sqlite_url)).run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        await settle(pilot, lambda: screen.drift is not None)
        assert screen.drift is not None and screen.drift.same is True
        assert not screen.query_one("#migrations-message").display
        assert screen.check_action("drift", ()) is None
        await pilot.press("d")
        await settle(pilot)
        assert pilot.app.screen is screen


def test_snapshot_of_drift_at_80x24(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)
    connect("dev.db", options={"create": True}).close()
    project = migrated(tmp_path, "sqlite:///dev.db")
    conn = connect("dev.db")
    conn.execute("CREATE TABLE audit_notes (id integer PRIMARY KEY, note text)")
    conn.close()
    freeze_times("sqlite:///dev.db")

    async def before(pilot: Pilot) -> None:
        screen = await open_migrations(pilot)
        await settle(pilot, lambda: screen.drift is not None)

    assert snap_compare(app_for("sqlite:///dev.db", project), terminal_size=(80, 24), run_before=before)
