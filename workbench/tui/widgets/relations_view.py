"""The Relations tab: the selected table's neighbourhood as boxes and lines.

The drawing is `workbench.relations.boxes`' (pure text); this widget only colours it, scrolls it
and moves a cursor over the tables in it. `+`/`-` change the radius in hops; Enter on a
neighbour asks Browse to open it.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical
from textual.geometry import Region
from textual.message import Message
from textual.widgets import Static

from workbench.db.catalog import Catalog, Table
from workbench.relations.boxes import Drawing, draw
from workbench.relations.graph import Key, neighbourhood

MAX_HOPS = 6


class RelationsView(Vertical, can_focus=True):
    BINDINGS = [
        Binding("plus,equals_sign", "hops(1)", "More hops", key_display="+"),
        Binding("minus", "hops(-1)", "Fewer hops", key_display="-"),
        Binding("enter", "open", "Open table"),
        Binding("down", "move(1)", "Next table", show=False),
        Binding("up", "move(-1)", "Previous table", show=False),
        Binding("right", "side(1)", "Table to the right", show=False),
        Binding("left", "side(-1)", "Table to the left", show=False),
    ]

    class NeighbourChosen(Message):
        """Enter on a table of the drawing other than the centre."""

        def __init__(self, key: Key) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.hops = 1
        self.catalog: Catalog | None = None
        self.table: Table | None = None
        self.drawing: Drawing | None = None
        self.cursor = 0

    def compose(self) -> ComposeResult:
        yield Static(id="relations-summary")  # stays put while the drawing scrolls
        scroll = ScrollableContainer(Static(id="relations-canvas"), id="relations-scroll")
        scroll.can_focus = False  # the keys are this widget's: one stop for Tab, not two
        yield scroll

    def show(self, catalog: Catalog, table: Table) -> None:
        """Draw `table`'s neighbourhood at the current radius; the cursor starts on the centre."""
        self.catalog, self.table = catalog, table
        self._redraw()

    def _redraw(self) -> None:
        assert self.catalog is not None and self.table is not None
        graph = neighbourhood(self.catalog, self.table, self.hops)
        self.drawing = draw(graph)
        self.cursor = next(i for i, t in enumerate(self.drawing.targets) if t.key == self.table.key)
        others = len(graph.tables) - 1
        summary = (
            f"{self.hops} {'hop' if self.hops == 1 else 'hops'}: {others} related "
            f"{'table' if others == 1 else 'tables'}, {len(graph.edges)} foreign "
            f"{'key' if len(graph.edges) == 1 else 'keys'}.  +/- radius · arrows move · Enter opens"
        )
        if not others and not graph.edges:
            summary = "No foreign keys to or from this table."
        self.query_one("#relations-summary", Static).update(Text(summary, style="italic"))
        self._paint()

    def _paint(self) -> None:
        drawing = self.drawing
        assert drawing is not None and self.table is not None
        text = Text("\n".join(drawing.lines), no_wrap=True, end="")
        offsets = [0]
        for line in drawing.lines:
            offsets.append(offsets[-1] + len(line) + 1)
        for i, target in enumerate(drawing.targets):
            start = offsets[target.row] + target.start
            style = "bold" if target.key == self.table.key else ""
            if i == self.cursor:
                style = "reverse " + style
            if style:
                text.stylize(style, start, offsets[target.row] + target.end)
        if drawing.notes:
            text.append("\n\nAlso:\n", style="bold")
            text.append("\n".join(drawing.notes))
        self.query_one("#relations-canvas", Static).update(text)
        target = drawing.targets[self.cursor]
        scroll = self.query_one("#relations-scroll", ScrollableContainer)
        region = Region(target.start, target.row, target.end - target.start, 1)
        self.call_after_refresh(scroll.scroll_to_region, region, animate=False)

    # -- actions -----------------------------------------------------------------------------

    def action_hops(self, step: int) -> None:
        """Grow or shrink the radius (1 to MAX_HOPS foreign keys away)."""
        hops = min(max(self.hops + step, 1), MAX_HOPS)
        if hops != self.hops and self.table is not None:
            self.hops = hops
            self._redraw()

    def action_move(self, step: int) -> None:
        """The next or previous table, column by column, top to bottom."""
        if self.drawing is not None:
            self.cursor = (self.cursor + step) % len(self.drawing.targets)
            self._paint()

    def action_side(self, step: int) -> None:
        """The nearest table in the next column left or right."""
        if self.drawing is None:
            return
        here = self.drawing.targets[self.cursor]
        candidates = [(i, t) for i, t in enumerate(self.drawing.targets) if t.column == here.column + step]
        if candidates:
            self.cursor = min(candidates, key=lambda it: abs(it[1].row - here.row))[0]
            self._paint()

    def action_open(self) -> None:
        """Open the table under the cursor in Browse."""
        if self.drawing is not None and self.table is not None:
            key = self.drawing.targets[self.cursor].key
            if key != self.table.key:
                self.post_message(self.NeighbourChosen(key))
