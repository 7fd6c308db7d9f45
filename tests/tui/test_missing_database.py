"""The TUI on a SQLite file that does not exist: it says so and creates nothing (only
`migrate up` creates a missing file)."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import SIZE, app_for, pilot_test, ready


@pilot_test
async def test_the_tui_says_a_missing_file_is_not_found_and_never_creates_it(tmp_path: Path) -> None:
    missing = tmp_path / "river.db"
    app = app_for(str(missing))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.problem is not None and "not found" in app.problem
    assert not missing.exists()
