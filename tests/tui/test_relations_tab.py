"""The Relations tab of Browse: the neighbourhood drawn in boxes, walked with the keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.conftest import SIZE, app_for, pilot_test, ready, settle
from tests.tui.test_snapshots import keys_then_settle
from workbench.browse.outline import ObjectRef
from workbench.db import Connection, connect
from workbench.tui.widgets.object_detail import ObjectDetail
from workbench.tui.widgets.relations_view import RelationsView

SHOP = """
CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    placed_by integer REFERENCES customers (id) ON DELETE SET NULL
);
CREATE TABLE order_lines (
    order_id integer NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line integer NOT NULL,
    PRIMARY KEY (order_id, line)
);
CREATE TABLE categories (id integer PRIMARY KEY, parent_id integer REFERENCES categories (id));
"""


def hub_schema(spokes: int = 50) -> str:
    """A table referenced by `spokes` others: most by `hub_id`, every fifth by its own column."""
    statements = ["CREATE TABLE hub (id integer PRIMARY KEY)"]
    for i in range(spokes):
        column = f"owner_{i:02d}" if i % 5 == 0 else "hub_id"
        statements.append(f"CREATE TABLE spoke_{i:02d} (id integer PRIMARY KEY, {column} integer REFERENCES hub (id))")
    return ";\n".join(statements) + ";"


def canvas(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one("#relations-canvas").render())


@pilot_test
async def test_relations_show_both_ways_and_enter_opens_a_neighbour(conn: Connection, backend_url: str) -> None:
    conn.execute_script(SHOP)
    app = app_for(backend_url)
    orders = ObjectRef("table", conn.default_schema, "orders")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.screen.reveal(orders)
        await pilot.press("n")
        await settle(pilot)
        view = app.screen.query_one(RelationsView)
        assert view.has_focus
        text = canvas(app)
        assert "│ orders" in text and "│ customers" in text and "│ order_lines" in text
        assert "customer_id · cascade" in text and "order_id · cascade" in text
        # a second key to the same table is not lost: it is listed under the drawing
        assert "orders → customers: placed_by → id · on delete set null" in text
        assert "categories" not in text
        await pilot.press("right", "enter")  # the referenced table, to the right
        await settle(pilot)
        detail = app.screen.query_one(ObjectDetail)
        assert detail.ref == ObjectRef("table", conn.default_schema, "customers")
        assert detail.active_tab == "relations"
        assert "│ order_lines" not in canvas(app)  # two hops away from customers
        assert "│ +1 beyond" in canvas(app)  # … and the orders box says one more hop would add it
        await pilot.press("plus")
        await settle(pilot)
        assert (
            "│ order_lines" in canvas(app)
            and "beyond" not in canvas(app)
            and "2 hops: 2 related tables" in str(app.screen.query_one("#relations-summary").render())
        )
        await pilot.press("minus", "minus")  # never below one hop
        await settle(pilot)
        assert view.hops == 1 and "│ order_lines" not in canvas(app)
        await pilot.press("left", "enter")
        await settle(pilot)
        assert detail.ref == orders


@pilot_test
async def test_a_self_reference_and_a_lonely_table_say_so(conn: Connection, backend_url: str) -> None:
    conn.execute_script(SHOP + "CREATE TABLE lonely (id integer);")
    app = app_for(backend_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.screen.reveal(ObjectRef("table", conn.default_schema, "categories"))
        await pilot.press("n")
        await settle(pilot)
        assert "↺ categories: parent_id → id · on delete no action" in canvas(app)
        app.screen.reveal(ObjectRef("table", conn.default_schema, "lonely"))
        await settle(pilot)
        summary = str(app.screen.query_one("#relations-summary").render())
        assert summary == "No foreign keys to or from this table."


@pilot_test
async def test_a_hub_with_fifty_neighbours_is_grouped_and_every_one_can_be_opened(
    conn: Connection, backend_url: str
) -> None:
    conn.execute_script(hub_schema())
    app = app_for(backend_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.screen.reveal(ObjectRef("table", conn.default_schema, "hub"))
        await pilot.press("n")
        await settle(pilot)
        view = app.screen.query_one(RelationsView)
        text = canvas(app)
        assert text.count("┌") == 3  # the hub, one group of the 40 by hub_id, one of the 10 others
        assert "│ 40 tables" in text and "│ 10 tables" in text
        assert all(f"spoke_{i:02d}" in text for i in range(50))
        assert "spoke_05 → hub: owner_05 → id" in text  # the mixed group's keys are listed
        assert view.drawing is not None and len(view.drawing.targets) == 51
        # walk to the last of the grouped tables and open it; the view scrolls to keep the cursor visible
        keys = [t.key[1] for t in view.drawing.targets]
        assert keys[-1] == "hub" and view.cursor == 50  # the centre's column comes after the left one
        for _ in range(keys.index("spoke_49") + 1):
            await pilot.press("down")
        await settle(pilot)
        scroll = app.screen.query_one("#relations-scroll")
        assert scroll.scroll_y > 0
        assert scroll.max_scroll_x > 0  # wider than 80 columns: it scrolls sideways too, nothing overlaps
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(ObjectDetail).ref == ObjectRef("table", conn.default_schema, "spoke_49")


@pytest.fixture
def shop_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    conn = connect("shop.db", options={"create": True})
    conn.execute_script(SHOP)
    conn.close()
    return "sqlite:///shop.db"


@pytest.mark.parametrize("size", [(80, 24), SIZE], ids=["80x24", "wide"])
def test_snapshot_of_the_relations_tab(snap_compare, shop_url: str, size: tuple[int, int]) -> None:  # noqa: ANN001
    # orders is the fourth table in the tree: customers ← orders ← order_lines, and a second key listed
    assert snap_compare(app_for(shop_url), terminal_size=size, run_before=keys_then_settle("down", "down", "down", "n"))
