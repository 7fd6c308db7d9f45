"""Pictures of each Browse tab and of the empty and error states (SQLite, fixed size and theme).

Regenerate after an intended change: `pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.conftest import SIZE, app_for, ready, settle
from workbench.db import connect
from workbench.tui.widgets.object_detail import TABS

SHOP = """
CREATE TABLE customers (
    id integer PRIMARY KEY,
    name text NOT NULL,
    email text UNIQUE,
    note text,
    photo blob
);
CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    total numeric(10, 2) NOT NULL CHECK (total >= 0),
    placed_on date NOT NULL DEFAULT '2024-01-01'
);
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX orders_big ON orders (total) WHERE total > 100;
CREATE TRIGGER orders_total_guard BEFORE UPDATE ON orders
    WHEN NEW.total < 0 BEGIN SELECT RAISE(ABORT, 'negative'); END;
CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
INSERT INTO customers VALUES
    (1, 'Ada Lovelace', 'ada@example.org', NULL, x'89504e470d0a1a0a'),
    (2, 'NULL', NULL, 'the string NULL, not a null', NULL),
    (3, 'Grace Hopper', 'grace@example.org', 'a long note that goes on and on beyond what a cell can show at once', NULL);
INSERT INTO orders VALUES (10, 1, 150.00, '2024-02-01'), (11, 2, 20.00, '2024-02-02'), (12, 3, 99.99, '2024-03-01');
"""


@pytest.fixture
def shop_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    conn = connect("shop.db", options={"create": True})
    conn.execute_script(SHOP)
    conn.close()
    return "sqlite:///shop.db"


def keys_then_settle(*keys: str):  # noqa: ANN201 - the snapshot plugin's run_before callback
    async def run_before(pilot) -> None:  # noqa: ANN001
        await ready(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("tab", [key for _, _, key in TABS])
def test_snapshot_of_each_tab_of_a_table(snap_compare, shop_url: str, tab: str) -> None:  # noqa: ANN001
    # orders is the second table: it has a foreign key, a check, indexes and a trigger
    assert snap_compare(app_for(shop_url), terminal_size=SIZE, run_before=keys_then_settle("down", tab))


def test_snapshot_of_the_filtered_tree(snap_compare, shop_url: str) -> None:  # noqa: ANN001
    assert snap_compare(
        app_for(shop_url), terminal_size=SIZE, run_before=keys_then_settle("slash", "o", "r", "d", "enter")
    )


def test_snapshot_of_an_empty_database(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)
    connect("empty.db", options={"create": True}).close()
    assert snap_compare(app_for("sqlite:///empty.db"), terminal_size=SIZE, run_before=keys_then_settle())


def test_snapshot_of_a_connection_error(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)
    assert snap_compare(app_for("sqlite:///missing/nowhere.db"), terminal_size=SIZE, run_before=keys_then_settle())


@pytest.mark.parametrize("theme", ["workbench-light", "workbench-high-contrast"])
def test_snapshot_of_our_other_themes(snap_compare, shop_url: str, theme: str) -> None:  # noqa: ANN001
    app = app_for(shop_url)
    app.theme = theme
    assert snap_compare(app, terminal_size=SIZE, run_before=keys_then_settle("down", "d"))


def test_snapshot_of_the_help_screen(snap_compare, shop_url: str) -> None:  # noqa: ANN001
    assert snap_compare(app_for(shop_url), terminal_size=SIZE, run_before=keys_then_settle("question_mark"))
