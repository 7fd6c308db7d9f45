"""What the speed-ups of a screen's first visit must not change: a migration's SQL drawn only where it
is on screen reads as it did drawn whole, cell for cell, and to its last line."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static

from tests.tui.conftest import SIZE, pilot_test, settle
from tests.tui.migrating import app_for, open_migrations, sample
from workbench.tui.screens.migrations import MigrationDetail
from workbench.tui.widgets.document import Document


def cells(widget: Widget) -> list[list[tuple[str, str]]]:
    """Every cell the widget draws at its size, as (character, style)."""
    width, height = widget.size
    return [
        [(char, str(segment.style)) for segment in strip for char in segment.text]
        for strip in widget.render_lines(Region(0, 0, width, height))
    ]


def parts() -> list[RenderableType]:
    heading = Text("0042 a_migration_with_a_long_name_that_wraps_somewhere", style="bold #ff8800")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("1", "create", Text("booking_orders, booking_order_private_notes"))
    grid.add_row("2–9", "insert", Text("t (8 rows)  can lose data", style="italic"))
    sql = Text.assemble(
        ("CREATE TABLE ", "bold blue"),
        "t (id integer PRIMARY KEY,\n\tlabel text NOT NULL DEFAULT 'a value long enough to wrap twice at forty cells');\n\n",
        ("-- the end", "dim"),
    )
    return [heading, Text("muted line", style="#777777"), Padding(grid, (0, 0, 0, 1)), sql]


class Pair(App[None]):
    """The same parts in a Document and in a Static of Group(*parts), side by side."""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Document(id="document")
            yield Static(Group(*parts()), id="static")

    def on_mount(self) -> None:
        self.query_one(Document).update(*parts())


@pilot_test
async def test_a_document_draws_what_a_static_of_its_parts_draws() -> None:
    async with Pair().run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        document, static = pilot.app.query_one(Document), pilot.app.query_one("#static", Static)
        assert document.size == static.size
        drawn = cells(document)
        assert drawn == cells(static)
        text = ["".join(char for char, _ in line).rstrip() for line in drawn]
        assert "CREATE TABLE t (id integer PRIMARY KEY," in text
        assert text[-1] == "-- the end"  # the wrapped lines above it counted right


@pilot_test
async def test_the_detail_scrolled_to_its_end_shows_the_last_line_of_the_script(booking_url: str) -> None:
    project = sample("booking")
    script = (project.migrations_dir / "0003_surgical_schema_fixes.sql").read_text(encoding="utf-8")
    last = script.strip().splitlines()[-1]
    async with app_for(booking_url, project).run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        await settle(pilot)
        await pilot.press("tab")  # from the list to the detail
        scroll = screen.query_one("#migration-detail", VerticalScroll)
        assert screen.focused is scroll
        await pilot.press("end")
        await settle(pilot)
        detail = screen.query_one(MigrationDetail)
        top, height = round(scroll.scroll_y), scroll.scrollable_content_region.height
        assert top > 0 and top + height == detail.size.height  # scrolled to the very end
        shown = " ".join(s.text for s in detail.render_lines(Region(0, top, detail.size.width, height)))
        assert " ".join(last.split()[-3:]) in " ".join(shown.split())
