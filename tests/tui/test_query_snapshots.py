"""Pictures of the Query screen at 80×24 and 160×40: a result, the plan, and a change's confirmation.

Regenerate after an intended change: `pytest tests/tui/test_query_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TextArea

from tests.tui.conftest import app_for, ready, settle
from workbench.db import connect
from workbench.tui.screens import query

SIZES = [(80, 24), (160, 40)]
SHOP = (
    "CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL, email text, note text);"
    "INSERT INTO customers VALUES (1, 'Ada Lovelace', 'ada@example.org', NULL),"
    " (2, 'Grace Hopper', 'grace@example.org', 'compilers'), (3, 'Edsger Dijkstra', NULL, 'shortest paths');"
)


@pytest.fixture
def shop_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(query, "took", lambda seconds: "0.001 s")  # the one thing that varies run to run
    conn = connect("shop.db", options={"create": True})
    conn.execute_script(SHOP)
    conn.close()
    return "sqlite:///shop.db"


def in_editor(sql: str, *keys: str):  # noqa: ANN201 - the snapshot plugin's run_before callback
    async def run_before(pilot) -> None:  # noqa: ANN001
        await ready(pilot)
        await pilot.press("5")
        screen = pilot.app.screen
        await settle(pilot, lambda: screen.session is not None)
        editor = screen.query_one(TextArea)
        editor.load_text(sql)
        editor.move_cursor((0, 0))
        for key in keys:
            await pilot.press(key)
            await settle(pilot, lambda: screen._statement is None or pilot.app.screen is not screen)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_of_a_result(snap_compare, shop_url: str, size: tuple[int, int]) -> None:  # noqa: ANN001
    run = in_editor("select id, name, email, note\nfrom customers\norder by id;", "ctrl+j")
    assert snap_compare(app_for(shop_url), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_of_a_plan(snap_compare, shop_url: str, size: tuple[int, int]) -> None:  # noqa: ANN001
    run = in_editor("select * from customers where id = 2;", "f7")
    assert snap_compare(app_for(shop_url), terminal_size=size, run_before=run)


def test_snapshot_of_a_change_confirmation(snap_compare, shop_url: str) -> None:  # noqa: ANN001
    run = in_editor("delete from customers where note is null;", "ctrl+j")
    assert snap_compare(app_for(shop_url), terminal_size=(80, 24), run_before=run)
