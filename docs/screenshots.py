"""The README's screenshots, taken from the real app on the real booking sample.

    .venv/bin/python docs/screenshots.py          # rewrites docs/img/*.svg

The booking sample is built afresh in a temporary data folder (your own working copy is left
alone), opened as `workbench` opens it, and driven with the keys a person would press: browse,
run a query, run the checks, look at coverage, compare the schema with what the migrations make,
apply both migrations, open the rollback wizard. Each picture
is Textual's own SVG export of the screen at that moment. Times of day and durations differ
from run to run; everything else is what the sample shows.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

OUT = Path(__file__).resolve().parent / "img"
SIZE = (130, 36)


async def settle(pilot: Pilot, until: Callable[[], bool] = lambda: True, timeout: float = 120) -> None:
    """Wait until no worker runs and `until` holds; then no toast is left over the screen."""
    from tests.tui.conftest import workers_done  # the tests' own wait: a superseded worker is done

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        await workers_done(pilot.app)
        await pilot.pause()
        if not pilot.app.workers and until():
            break
        if loop.time() > deadline:
            raise TimeoutError("the app did not settle")
        await asyncio.sleep(0.05)
    pilot.app.clear_notifications()
    await pilot.pause()


async def tour(pilot: Pilot) -> list[str]:
    """Drive the app through the README's tour, saving a picture at each stop."""
    from textual.widgets import TextArea

    from workbench.tui.screens.compare import CompareScreen
    from workbench.tui.screens.coverage import CoverageScreen
    from workbench.tui.screens.migrations import MigrationsScreen, MigrationTable
    from workbench.tui.screens.query import QueryScreen
    from workbench.tui.screens.rollback_wizard import RollbackWizard
    from workbench.tui.screens.verify import CheckTree, VerifyScreen
    from workbench.tui.widgets.confirm import ConfirmDialog

    app = pilot.app
    saved: list[str] = []

    async def shot(name: str) -> None:
        await pilot.pause(0.3)  # tables size their columns when idle
        saved.append(app.save_screenshot(f"{name}.svg", str(OUT)))

    await settle(pilot, lambda: app.catalog is not None)
    await pilot.press("slash", *"booking_orders", "enter")
    await settle(pilot)
    await shot("browse")
    await pilot.press("d")
    await settle(pilot)
    await shot("browse-data")

    await pilot.press("5")
    query = app.screen
    assert isinstance(query, QueryScreen)
    await settle(pilot, lambda: query.session is not None)
    query.query_one(TextArea).load_text(
        "select status, count(*) as orders, sum(total_minor) / 100 as revenue\n"
        "from booking_orders\ngroup by status\norder by orders desc;"
    )
    await pilot.press("ctrl+j")
    await settle(pilot, lambda: query._statement is None and not query._waiting)
    await shot("query")

    await pilot.press("3", "v")
    verify = app.screen
    assert isinstance(verify, VerifyScreen)
    await settle(pilot, lambda: not verify.running and len(verify.results) == len(verify.checks))
    await pilot.press("f")  # failures only, the first one opened
    await settle(pilot)
    tree = verify.query_one(CheckTree)
    tree.move_cursor(tree.root.children[0].children[0])
    await settle(pilot)
    await shot("verify")

    await pilot.press("4")
    coverage = app.screen
    assert isinstance(coverage, CoverageScreen)
    await settle(pilot, lambda: coverage.coverage is not None and not coverage.running)
    await shot("coverage")
    await pilot.press("enter")  # UC-1: what is missing
    await settle(pilot)
    await shot("coverage-use-case")
    await pilot.press("escape", "t")
    await settle(pilot, lambda: "untouched" in str(app.screen.query_one("#timeline-state", Static).content))
    await shot("coverage-per-migration")
    await pilot.press("escape")

    await pilot.press("6", "c")  # the migrations (on the sample's baseline) against the database
    compare = app.screen
    assert isinstance(compare, CompareScreen)
    await settle(pilot, lambda: compare.comparison is not None and not compare.busy)
    await pilot.press("down", "down", "down")  # the first column the migrations add
    await settle(pilot)
    await shot("compare")

    await pilot.press("2")
    migrations = app.screen
    assert isinstance(migrations, MigrationsScreen)
    await settle(pilot, lambda: migrations.overview is not None)
    migrations.query_one(MigrationTable).move_cursor(row=1)
    await settle(pilot)
    await shot("migrations")
    await pilot.press("A")
    await settle(pilot, lambda: isinstance(app.screen, ConfirmDialog))
    await shot("migrations-apply")
    await pilot.press("enter")
    await settle(pilot, lambda: not migrations.busy)

    await pilot.press("r")
    await settle(pilot, lambda: isinstance(app.screen, RollbackWizard))
    wizard = app.screen
    assert isinstance(wizard, RollbackWizard)
    await pilot.press("down", "enter")  # back to the start: both migrations
    await settle(pilot, lambda: wizard.forecast is not None)
    await shot("rollback-plan")
    await pilot.press("escape")
    await settle(pilot)
    return saved


async def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["WORKBENCH_DATA_DIR"] = str(Path(scratch) / "data")
        os.environ["WORKBENCH_CONFIG_DIR"] = str(Path(scratch) / "config")  # the default theme, not yours
        from workbench.commands.common import open_project_and_target
        from workbench.project import Target
        from workbench.tui import make_app

        project, _ = open_project_and_target(None, None, sample_when_empty=True)  # what `workbench` opens
        os.chdir(project.root)  # a relative URL keeps the scratch folder's name out of the pictures
        app = make_app(Target("sqlite:///booking.db"), project)
        OUT.mkdir(parents=True, exist_ok=True)
        async with app.run_test(size=SIZE) as pilot:
            for path in await tour(pilot):
                print(f"wrote {path}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    asyncio.run(main())
