"""Installed as users install it: SQLite needs no PostgreSQL driver, and a PostgreSQL URL without
the `postgres` extra says how to get it. The driver is made unimportable in a child process, as on
a machine where `pip install schema-workbench` brought no psycopg and no pglast."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WITHOUT_POSTGRES = "import sys\nfor name in ('psycopg', 'pglast'):\n    sys.modules[name] = None  # import fails\n"


def run_without_postgres(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_POSTGRES + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_a_postgresql_url_without_the_extra_names_the_extra_to_install() -> None:
    proc = run_without_postgres("""
        from workbench.cli import main
        sys.exit(main(['inspect', 'postgresql://app@127.0.0.1:5432/shop']))
    """)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "workbench: the postgresql backend needs the postgres extra (psycopg is not installed): "
        "pip install 'schema-workbench[postgres]'"
    ]


def test_the_booking_sample_opens_on_every_screen_without_the_extra() -> None:
    """The README's first command: `workbench` opens the bundled booking sample (SQLite)."""
    proc = run_without_postgres("""
        import asyncio
        from tests.tui.conftest import SIZE, ready, settle
        from workbench.commands.common import open_project_and_target
        from workbench.tui import make_app

        async def tour() -> None:
            project, target = open_project_and_target(None, None, sample_when_empty=True)
            app = make_app(target, project)
            async with app.run_test(size=SIZE) as pilot:
                await ready(pilot)
                for key in "2341":
                    await pilot.press(key)
                    await settle(pilot)
                print(app.problem or f"{len(app.catalog.tables)} tables", type(app.screen).__name__)

        asyncio.run(tour())
    """)
    assert proc.returncode == 0, proc.stderr
    count, tables, screen = proc.stdout.split()  # "10 tables BrowseScreen", or the problem
    assert (int(count) > 0, tables, screen) == (True, "tables", "BrowseScreen"), proc.stdout
