"""The Compare screen driven with the keyboard: the migrations against the open database (changed
by hand), the tree of differences, DDL before and after, the SQL, swap, and `w` writing the
migration into the project's folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.diff.helpers import TWO_MIGRATIONS, migrated, write_project
from tests.tui.conftest import SIZE, pilot_test, ready, settle
from tests.tui.migrating import app_for, text_of
from workbench.db import connect
from workbench.project import load_project
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.compare import CompareScreen, DiffTree
from workbench.tui.widgets.dialogs import NameDialog

HAND_CHANGES = (
    "CREATE TABLE audit_notes (id integer PRIMARY KEY, note text NOT NULL)",
    "ALTER TABLE customers ADD COLUMN phone text",
)


def changed_by_hand(url: str, root: Path) -> WorkbenchApp:
    """A project whose migrations are applied to `url`, which then gained a table and a column by hand."""
    project = migrated(root, url)
    conn = connect(url)
    for sql in HAND_CHANGES:
        conn.execute(sql)
    conn.close()
    return app_for(url, project)


async def open_compare(pilot: Pilot, compare_now: bool = True) -> CompareScreen:
    await ready(pilot)
    await pilot.press("6")
    screen = pilot.app.screen
    assert isinstance(screen, CompareScreen)
    if compare_now:
        await pilot.press("c")
        await settle(pilot, lambda: screen.comparison is not None or not screen.busy)
    return screen


def leaves(tree: DiffTree) -> list[tuple[str, str, str]]:
    out = []
    for status in tree.root.children:
        for kind in status.children:
            out += [(e.data.status, e.data.kind, e.data.name.rsplit(".", 1)[-1]) for e in kind.children if e.data]
    return out


@pilot_test
async def test_c_compares_the_migrations_with_the_open_database(backend_url: str, tmp_path: Path) -> None:
    async with changed_by_hand(backend_url, tmp_path).run_test(size=SIZE) as pilot:
        screen = await open_compare(pilot)
        assert screen.comparison is not None
        tree = screen.query_one(DiffTree)
        found = leaves(tree)
        assert ("added", "table", "audit_notes") in found
        assert ("added", "column", "phone") in found
        state = text_of(screen.query_one("#compare-state"))
        assert state.startswith("migrations → current:") and "w writes the migration" in state
        sql = text_of(screen.query_one("#compare-sql-body"))
        assert "audit_notes" in sql and "phone" in sql

        # the highlighted object's DDL: not in FROM, and its CREATE in TO
        audit = next(
            n
            for s in tree.root.children
            for k in s.children
            for n in k.children
            if n.data and n.data.name.endswith("audit_notes")
        )
        tree.move_cursor(audit)
        await settle(pilot)
        assert "not in FROM" in text_of(screen.query_one("#compare-before-body"))
        assert "audit_notes" in text_of(screen.query_one("#compare-after-body"))


@pilot_test
async def test_w_writes_the_migration_in_the_projects_layout(sqlite_url: str, tmp_path: Path) -> None:
    async with changed_by_hand(sqlite_url, tmp_path / "project").run_test(size=SIZE) as pilot:
        screen = await open_compare(pilot)
        await pilot.press("w")
        await settle(pilot, lambda: isinstance(pilot.app.screen, NameDialog))
        await pilot.press(*"hand changes", "enter")
        folder = tmp_path / "project" / "migrations"
        up = folder / "0003_hand_changes.up.sql"
        await settle(pilot, lambda: pilot.app.screen is screen and not screen.busy and up.exists())
        assert up.exists() and (folder / "0003_hand_changes.down.sql").exists()
        assert "audit_notes" in up.read_text()
        said = "".join(text_of(screen.query_one("#compare-state")).split())  # a long path wraps
        assert said.startswith(f"wrote{up};wrote{folder / '0003_hand_changes.down.sql'}")


@pilot_test
async def test_escape_in_the_name_dialog_writes_nothing(sqlite_url: str, tmp_path: Path) -> None:
    async with changed_by_hand(sqlite_url, tmp_path / "project").run_test(size=SIZE) as pilot:
        await open_compare(pilot)
        await pilot.press("w")
        await settle(pilot, lambda: isinstance(pilot.app.screen, NameDialog))
        await pilot.press("escape")
        await settle(pilot)
        assert sorted(p.name for p in (tmp_path / "project" / "migrations").iterdir()) == sorted(TWO_MIGRATIONS)


@pilot_test
async def test_s_swaps_the_sides_and_compares_again(sqlite_url: str, tmp_path: Path) -> None:
    async with changed_by_hand(sqlite_url, tmp_path).run_test(size=SIZE) as pilot:
        screen = await open_compare(pilot)
        await pilot.press("s")
        await settle(pilot, lambda: not screen.busy)
        assert screen.query_one("#compare-from", Input).value == "current"
        assert ("removed", "table", "audit_notes") in leaves(screen.query_one(DiffTree))


@pilot_test
async def test_same_schemas_offer_nothing_to_write(sqlite_url: str, tmp_path: Path) -> None:
    async with app_for(sqlite_url, migrated(tmp_path, sqlite_url)).run_test(size=SIZE) as pilot:
        screen = await open_compare(pilot)
        assert text_of(screen.query_one("#compare-state")).strip() == "migrations → current: the same schema."
        assert screen.check_action("write", ()) is None


@pilot_test
async def test_a_source_that_cannot_be_read_is_one_sentence(sqlite_url: str, tmp_path: Path) -> None:
    write_project(tmp_path, sqlite_url, {"0001_bad.up.sql": "ALTER TABLE nowhere ADD COLUMN x integer;\n"})
    async with app_for(sqlite_url, load_project(tmp_path)).run_test(size=SIZE) as pilot:
        screen = await open_compare(pilot)
        state = text_of(screen.query_one("#compare-state")).strip()
        assert state.startswith("the migrations cannot be replayed on an empty database: 0001 bad failed")
        assert screen.comparison is None and screen.check_action("write", ()) is None


@pytest.mark.parametrize("size", [(80, 24), (160, 40)], ids=["80x24", "wide"])
def test_snapshot_of_the_compare_screen(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)
    connect("dev.db", options={"create": True}).close()
    app = changed_by_hand("sqlite:///dev.db", tmp_path)

    async def before(pilot: Pilot) -> None:
        await open_compare(pilot)
        await pilot.press("down", "down", "down", "down")  # main.audit_notes
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=before)
