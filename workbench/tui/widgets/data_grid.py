"""The data grid: a window of at most `MAX_PAGES` pages of a table of any size, drawn line by line.

The grid never holds more than a few hundred rows. Moving the cursor, or scrolling, near either
edge of the window asks for the neighbouring page; the page at the far end is dropped, so memory
stays flat whether the table has a hundred rows or a hundred million. Scrolling far away (the
scrollbar) moves the whole window there. All queries run in thread workers (group "data")
through a `Pager`; every request carries a generation number, and a result from a superseded
request (the user sorted, filtered or jumped meanwhile) is dropped on arrival, and so is a page of
any relation but the one shown: while another table's first page is on its way (it may wait on a
lock for as long as another session holds it), the grid is empty rather than showing the old
table's rows under the new one's name.

Drawing uses Textual's Line API: the virtual height is the table's row count (exact once known,
else the catalog's estimate), so the scrollbar tells the truth, and a frame renders only the
lines on screen. Cell texts and column widths are worked out once per window, from the rows it
holds; a cursor move redraws lines, never rebuilds a table.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any
from collections.abc import Callable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.binding import Binding
from textual.geometry import Size, clamp
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from workbench.browse.cells import cell_text, full_text, is_number
from workbench.browse.paging import Filter, Page, Pager
from workbench.db.base import Connection
from workbench.db.catalog import Table, View
from workbench.tui.session import DbSession
from workbench.tui.describe import describe

PAGE_SIZE = 100
MAX_PAGES = 3  # rows in memory: at most PAGE_SIZE * MAX_PAGES
PREFETCH = 15  # rows from the window's edge at which the next page is fetched
NULL = "∅ null"  # how NULL reads; styled apart, so it never looks like the string 'NULL'
# A control character in a value would reach the terminal as a command: show it as a dot.
_VISIBLE = str.maketrans({code: "·" for code in [*range(32), 127]})


@dataclasses.dataclass(frozen=True)
class GridQuery:
    """What the grid shows: a relation, its sort and its filter. A query's result is shown as an unnamed
    view whose definition is the query (`workbench.tui.widgets.result_grid.ResultGrid`)."""

    relation: Table | View
    order_by: str | None = None
    descending: bool = False
    where: Filter | None = None


def _fit(text: str, width: int, right: bool) -> str:
    """`text` in exactly `width` cells: padded on the left in a number column, so the digits line up."""
    return " " * (width - cell_len(text)) + text if right and cell_len(text) <= width else set_cell_size(text, width)


def _at(pager: Pager, offset: int) -> Page:
    """The page starting at row `offset`, or the last page when the table ends before it."""
    page = pager.at(offset)
    return page if page.rows or offset <= 0 else pager.last()


class DataGrid(ScrollView, can_focus=True):
    """The rows of one relation, a bounded window of them at a time (see the module's docstring)."""

    COMPONENT_CLASSES = {
        "data-grid--header",
        "data-grid--stripe",
        "data-grid--cursor",
        "data-grid--null",
        "data-grid--staged",
    }
    BINDINGS = [
        Binding("enter", "view_cell", "View cell"),
        Binding("g", "jump", "Go to row"),
        Binding("o", "sort", "Sort"),
        Binding("y", "copy_cell", "Copy cell"),
        Binding("Y", "copy_row", "Copy row", show=False),
        Binding("number_sign", "count", "Count rows", key_display="#", show=False),
        # the status line says "Esc stops" while a query runs: a footer key that came and went with every
        # page fetched would rebuild the footer twice per page
        Binding("escape", "cancel", "Cancel query", show=False),
        Binding("up", "move(-1, 0)", "Row up", show=False),
        Binding("down", "move(1, 0)", "Row down", show=False),
        Binding("left", "move(0, -1)", "Column left", show=False),
        Binding("right", "move(0, 1)", "Column right", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge_column(-1)", "First column", show=False),
        Binding("end", "edge_column(1)", "Last column", show=False),
        Binding("ctrl+home", "first", "First row", show=False),
        Binding("ctrl+end,G", "last", "Last row", show=False),
    ]

    class Status(Message):
        """The window or its loading state changed: the pane redraws its status line."""

    class Failed(Message):
        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    class _Loaded(Message):
        def __init__(
            self,
            generation: int,
            spec: GridQuery,
            request: str,
            pager: Pager,
            page: Page | int | None,
            error: str | None,
        ) -> None:
            super().__init__()
            self.generation, self.spec, self.request = generation, spec, request
            self.pager, self.page, self.error = pager, page, error

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.query_spec: GridQuery | None = None
        self.pager: Pager | None = None
        self.pages: list[Page] = []
        self.total: int | None = None  # exact row count, when known
        self.loading_request: str | None = None
        self.loading_since: float | None = None  # time.monotonic() when the running request started
        self.error: str | None = None
        self.cursor_row = 0  # index into `rows_in_window`
        self.cursor_column = 0
        self._generation = 0
        self._cursor_at_end = False
        self._columns: tuple[str, ...] = ()  # kept while a new window loads, so the header stays
        self._rows: list[tuple[Any, ...]] = []
        self._keys: list[tuple[Any, ...]] = []  # each row's key (`Pager.key`), when the relation has one
        self._staged: dict[tuple[tuple[Any, ...], str], str | None] = {}  # (row key, column): the edited value
        self._texts: list[tuple[str | None, ...]] = []  # what each cell reads; None is NULL
        self._widths: list[int] = []
        self._numeric: list[bool] = []  # columns whose values are all numbers: drawn right-aligned
        self._start = 0  # the virtual row of the window's first row
        self._virtual_rows = 0  # virtual rows: the exact count, else the estimate, else what is known
        self._numbered = False  # `_start` is a real row number, so rows carry labels
        self._label_width = 0

    # -- what the pane calls -----------------------------------------------------------------

    def show(self, spec: GridQuery) -> None:
        """Start over with `spec`: a new pager, the first page (same column when re-sorting or filtering)."""
        same = self.query_spec is not None and self.query_spec.relation == spec.relation
        self.cursor_column = self.cursor_column if same else 0
        self.query_spec = spec
        self.pager = None
        self.total = None
        if not same:  # another table: its rows or nothing, never the last table's rows under its name
            self._columns, self.pages = (), []
            self._show_window(0)
        self._request("open", lambda pager: pager.first(), replace=True)

    def close(self) -> None:
        """Forget the table (and drop whatever is still loading for it)."""
        self._cancel_running()
        self._generation += 1
        self.query_spec = self.pager = None
        self.total, self.loading_request, self.loading_since, self.error = None, None, None, None
        self._columns = ()
        self.pages = []
        self._show_window(0)
        self.post_message(self.Status())

    @property
    def rows_in_window(self) -> list[tuple[Any, ...]]:
        return self._rows

    @property
    def window_offset(self) -> int | None:
        return self.pages[0].offset if self.pages else None

    @property
    def cursor_value(self) -> Any:
        return self._rows[self.cursor_row][self.cursor_column] if self.has_cell else None

    @property
    def has_cell(self) -> bool:
        return 0 <= self.cursor_row < len(self._rows) and 0 <= self.cursor_column < len(self._columns)

    @property
    def cursor_key(self) -> tuple[Any, ...] | None:
        """The key of the cursor's row (None when the relation has no key or no row is there)."""
        return self._keys[self.cursor_row] if self.has_cell and self.cursor_row < len(self._keys) else None

    @property
    def cursor_column_name(self) -> str | None:
        return self._columns[self.cursor_column] if self.has_cell else None

    def show_staged(self, staged: dict[tuple[tuple[Any, ...], str], str | None]) -> None:
        """Draw these edited values, highlighted, in place of the cells' own (by row key and column)."""
        self._staged = staged
        self._widen_for_staged()
        self.virtual_size = Size(self._label_width + sum(w + 2 for w in self._widths), self.virtual_size.height)
        self.refresh()

    # -- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.loading_request is not None  # else Escape goes on to the screen
        # Keys for a cell apply as soon as a table is shown, not only once its rows arrived: the footer
        # then stays the same while pages load instead of being rebuilt for each.
        if action in ("first", "last", "jump", "sort", "count", "view_cell", "copy_cell", "copy_row"):
            return self.query_spec is not None
        return True

    def action_move(self, rows: int, columns: int) -> None:
        """Move the cursor by rows and columns."""
        self._move_to(self.cursor_row + rows, self.cursor_column + columns)

    def action_page(self, direction: int) -> None:
        """Move the cursor a screenful up or down; it keeps its line on the screen."""
        before = self.cursor_row
        self._move_to(before + direction * self._body_height, scroll=False)
        self.scroll_to(y=self.scroll_y + self.cursor_row - before, animate=False)

    def action_edge_column(self, direction: int) -> None:
        """Go to the first or the last column."""
        self._move_to(self.cursor_row, 0 if direction < 0 else len(self._columns) - 1)

    def action_first(self) -> None:
        """Go to the first row of the table."""
        self._request("first", lambda pager: pager.first(), replace=True)

    def action_last(self) -> None:
        """Go to the last row of the table."""
        self._request("last", lambda pager: pager.last(), replace=True, cursor_at_end=True)

    def action_jump(self) -> None:
        """Ask for a row number and go there."""
        from workbench.tui.widgets.dialogs import JumpDialog

        self.app.push_screen(JumpDialog(self.total), self._jump_to)

    def _jump_to(self, row: int | None) -> None:
        if row is not None:
            self._request("jump", lambda pager: _at(pager, row - 1), replace=True)

    def action_sort(self) -> None:
        """Sort by the cursor's column: ascending, then descending, then unsorted."""
        if self.query_spec is None or not self._columns:
            return
        column = self._columns[self.cursor_column]
        spec = self.query_spec
        if spec.order_by != column:
            spec = dataclasses.replace(spec, order_by=column, descending=False)
        elif not spec.descending:
            spec = dataclasses.replace(spec, descending=True)
        else:
            spec = dataclasses.replace(spec, order_by=None, descending=False)
        self.show(spec)

    def set_filter(self, where: Filter | None) -> None:
        if self.query_spec is not None:
            self.show(dataclasses.replace(self.query_spec, where=where))

    def action_view_cell(self) -> None:
        """Show the whole value under the cursor."""
        from workbench.tui.widgets.dialogs import CellViewer

        if self.has_cell:
            self.app.push_screen(CellViewer(self._columns[self.cursor_column], self.cursor_value))

    def action_copy_cell(self) -> None:
        """Copy the value under the cursor to the clipboard."""
        if self.has_cell:
            self.app.copy_to_clipboard(full_text(self.cursor_value))
            self.notify("Copied the cell.", timeout=2)

    def action_copy_row(self) -> None:
        """Copy the cursor's row, tab-separated, to the clipboard."""
        if self.has_cell:
            self.app.copy_to_clipboard("\t".join(full_text(v) for v in self._rows[self.cursor_row]))
            self.notify("Copied the row.", timeout=2)

    def action_count(self) -> None:
        """Count the rows exactly (a full scan on big tables; Escape stops it)."""
        self._request("count", lambda pager: pager.count())

    def action_cancel(self) -> None:
        """Stop the running query."""
        self._cancel_running()
        self._generation += 1
        self.loading_request = self.loading_since = None
        self.post_message(self.Status())

    # -- cursor and scrolling ----------------------------------------------------------------

    @property
    def _body_height(self) -> int:
        """Rows on screen below the header and above the horizontal scrollbar, which covers the last line."""
        return max(1, self.scrollable_content_region.height - 1)

    def _move_to(self, row: int, column: int | None = None, *, scroll: bool = True) -> None:
        if not self._rows:
            return
        self.cursor_row = clamp(row, 0, len(self._rows) - 1)
        if column is not None:
            self.cursor_column = clamp(column, 0, max(0, len(self._columns) - 1))
        if scroll:
            self._scroll_to_cursor()
        self.refresh()
        self._follow()

    def _scroll_to_cursor(self, top: bool = False) -> None:
        """Scroll as little as shows the cursor's cell (with `top`, put its row on the first line)."""
        row = self._start + self.cursor_row
        y = self.scroll_y
        if top or row < y:
            y = row
        elif row >= y + self._body_height:
            y = row - self._body_height + 1
        left = sum(w + 2 for w in self._widths[: self.cursor_column])
        right = left + (self._widths[self.cursor_column] + 2 if self._widths else 0)
        visible = max(1, self.scrollable_content_region.width - self._label_width)
        x = self.scroll_x
        if left < x:
            x = left
        elif right > x + visible:
            x = min(left, right - visible)
        self.scroll_to(x=x, y=y, animate=False)

    def _cursor_into_view(self) -> None:
        """After scrolling took the view elsewhere, put the cursor on the window's row nearest the top line."""
        if self._rows:
            self.cursor_row = clamp(int(self.scroll_y) - self._start, 0, len(self._rows) - 1)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.call_later(self._follow)  # after the move that scrolled: it may have asked for rows already

    def on_resize(self, event: events.Resize) -> None:
        self._follow()

    def watch_show_horizontal_scrollbar(self, shown: bool) -> None:
        """A window of wider rows brought the scrollbar over the last line: keep the cursor above it."""
        if shown and self._rows:
            self.call_after_refresh(self._scroll_to_cursor)

    def on_click(self, event: events.Click) -> None:
        """Put the cursor on the clicked cell."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0 or not self._rows:
            return
        row = int(self.scroll_y) + offset.y - 1 - self._start
        x = offset.x - self._label_width + int(self.scroll_x)
        column, edge = 0, 0
        for column, width in enumerate(self._widths):  # noqa: B007 - where it stops is read below
            edge += width + 2
            if x < edge:
                break
        if 0 <= row < len(self._rows) and offset.x >= self._label_width:
            self._move_to(row, column)

    def _follow(self) -> None:
        """Ask for the rows the cursor or the view is about to reach."""
        if self.loading_request is not None or not self.pages or not self.is_mounted:
            return
        top = int(self.scroll_y)
        bottom = min(self._virtual_rows, top + self._body_height)
        start, end = self._start, self._start + len(self._rows)
        if bottom <= start - PAGE_SIZE or top >= end + PAGE_SIZE:
            # far from the window (the scrollbar was dragged): move the window to the view
            self._request("scroll", lambda pager: _at(pager, top), replace=True)
        elif (self.cursor_row >= len(self._rows) - PREFETCH or bottom > end) and not self.pages[-1].at_end:
            page = self.pages[-1]
            self._request("next", lambda pager: pager.next(page))
        elif (self.cursor_row < PREFETCH or top < start) and not self.pages[0].at_start:
            page = self.pages[0]
            self._request("previous", lambda pager: pager.previous(page))

    # -- loading -----------------------------------------------------------------------------

    concern = "data"  # the session's concern the grid's queries run under (what Escape cancels)

    def _session(self) -> DbSession | None:
        """The session the grid reads through: the app's."""
        return getattr(self.app, "session", None)

    def _open_pager(self, conn: Connection, spec: GridQuery) -> Pager:
        """A pager over what `spec` names (a subclass pages something else through the same interface)."""
        return Pager(
            conn,
            spec.relation,
            order_by=spec.order_by,
            descending=spec.descending,
            where=spec.where,
            page_size=PAGE_SIZE,
        )

    def _request(
        self, request: str, fetch: Callable[[Pager], Page | int], *, replace: bool = False, cursor_at_end: bool = False
    ) -> None:
        session = self._session()
        if self.query_spec is None or session is None:
            return
        if replace:
            self._cancel_running()
            self._generation += 1
        self._cursor_at_end = cursor_at_end
        self.loading_request = request
        self.loading_since = time.monotonic()
        self.error = None
        self.post_message(self.Status())
        self._fetch(session, self._generation, request, self.query_spec, self.pager, fetch)

    @work(thread=True, group="data", exit_on_error=False)
    def _fetch(
        self,
        session: DbSession,
        generation: int,
        request: str,
        spec: GridQuery,
        pager: Pager | None,
        fetch: Callable[[Pager], Page | int],
    ) -> None:
        result: Page | int | None = None
        error = None
        try:
            with session.use(self.concern) as conn:
                if generation != self._generation:
                    return  # superseded while waiting for the connection
                if pager is None:
                    pager = self._open_pager(conn, spec)
                result = fetch(pager)
        except Exception as exc:
            error = describe(exc)
        if pager is not None or error:
            self.post_message(self._Loaded(generation, spec, request, pager, result, error))  # type: ignore[arg-type]

    def on_data_grid__loaded(self, message: _Loaded) -> None:
        message.stop()
        if message.generation != self._generation or message.spec != self.query_spec:
            return
        self.loading_request = self.loading_since = None
        if message.error:
            self.error = message.error
            if message.request in ("open", "first", "last", "jump", "scroll"):
                self.pages = []
                self._columns = () if message.request == "open" else self._columns
                self._show_window(0)
            self.post_message(self.Failed(message.error))
            self.post_message(self.Status())
            return
        self.pager = message.pager
        if isinstance(message.page, int):
            self._located(message.page)
        elif isinstance(message.page, Page):
            self._place(message.request, message.page)
        self.post_message(self.Status())
        if isinstance(message.page, Page) and message.page.at_end and self.total is None:
            # at the end without knowing where (the last page, or a scroll past a too-high estimate):
            # count, so the rows get their numbers and the scrollbar its true length
            self._request("count", lambda pager: pager.count())
        else:
            self._follow()

    def _located(self, total: int) -> None:
        """An exact count arrived: every page in the window learns its position; the cursor keeps its line."""
        line = clamp(self._start + self.cursor_row - self.scroll_offset.y, 0, self._body_height - 1)
        self.total = total
        self.pages = [page.locate(total) for page in self.pages]
        self._show_window(self.cursor_row)
        self.scroll_to(y=self._start + self.cursor_row - line, animate=False)

    def _place(self, request: str, page: Page) -> None:
        """Put a fetched page into the window, dropping the page at the far end."""
        row = self.cursor_row
        if request in ("open", "first", "last", "jump", "scroll"):
            self._columns = page.columns
            self.pages = [page]
            row = len(page.rows) - 1 if self._cursor_at_end else 0
        elif request == "next":
            self.pages.append(page)
            if len(self.pages) > MAX_PAGES:
                row -= len(self.pages.pop(0).rows)
        else:
            self.pages.insert(0, page)
            row += len(page.rows)
            if len(self.pages) > MAX_PAGES:
                self.pages.pop()
        if self.total is None and page.at_end and page.offset is not None:
            self.total = page.offset + len(page.rows)  # reached the end at a known row: the count is exact
        if self.total is not None:
            self.pages = [p.locate(self.total) for p in self.pages]
        self._show_window(row)
        if request in ("open", "first", "jump"):
            self._scroll_to_cursor(top=True)
        elif request == "last":
            self._scroll_to_cursor()
        elif request == "scroll" and not self._start <= self.scroll_offset.y < self._start + len(self._rows):
            self.cursor_row = len(self._rows) - 1  # the table ended before the row scrolled to: show its end
            self._scroll_to_cursor()
        elif request == "scroll" or not 0 <= row < len(self._rows):
            self._cursor_into_view()  # the view moved without the cursor, or its row left the window

    def _show_window(self, cursor_row: int) -> None:
        """Take in the window's rows: cell texts, column widths, virtual size; the cursor goes to `cursor_row`."""
        self._rows = [row for page in self.pages for row in page.rows]
        self._keys = [key for page in self.pages for key in page.keys]
        self._texts = [
            tuple(None if v is None else cell_text(v).translate(_VISIBLE) for v in row) for row in self._rows
        ]
        header = self._header()
        self._widths = [
            max([cell_len(name)] + [len(NULL) if text is None else cell_len(text) for text in column])
            for name, column in zip(
                header, zip(*self._texts, strict=True) if self._texts else [()] * len(header), strict=False
            )
        ]
        self._widen_for_staged()
        self._numeric = [
            any(v is not None for v in column) and all(v is None or is_number(v) for v in column)
            for column in zip(*self._rows, strict=True)
        ] or [False] * len(header)
        self._start, self._virtual_rows, self._numbered = self._geometry()
        self._label_width = len(f"{self._virtual_rows:,}") + 2 if self._virtual_rows else 0
        self.cursor_row = clamp(cursor_row, 0, max(0, len(self._rows) - 1))
        self.cursor_column = clamp(self.cursor_column, 0, max(0, len(self._columns) - 1))
        height = self._virtual_rows + 1 if self._columns else 0  # the header line, then one line per row
        self.virtual_size = Size(self._label_width + sum(w + 2 for w in self._widths), height)
        self.refresh()

    def _geometry(self) -> tuple[int, int, bool]:
        """Where the window sits among the virtual rows, how many there are, and whether that is exact."""
        if not self.pages:
            return 0, 0, False
        first, last, held = self.pages[0], self.pages[-1], len(self._rows)
        estimate = (self.pager.estimate if self.pager is not None else None) or 0
        if self.total is not None:
            size = self.total
        elif first.offset is not None:
            size = max(estimate, first.offset + held + (0 if last.at_end else 1))
        else:
            size = max(estimate, held + (last.from_end or 0) + (0 if first.at_start else 1))
        if first.offset is not None:
            return first.offset, size, True
        return size - held - (last.from_end or 0), size, False

    def _header(self) -> list[str]:
        spec = self.query_spec
        arrows = {spec.order_by: " ▼" if spec.descending else " ▲"} if spec is not None and spec.order_by else {}
        return [name + arrows.get(name, "") for name in self._columns]

    def _cancel_running(self) -> None:
        session = self._session()
        if session is not None and self.loading_request is not None:
            session.cancel(self.concern)

    # -- drawing -----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if not self._columns:
            return Strip.blank(width, base)
        if y == 0:
            header = self.get_component_rich_style("data-grid--header")
            label = Segment(" " * self._label_width, header)
            cells = [
                Segment(f" {_fit(name, w, right)} ", header)
                for name, w, right in zip(self._header(), self._widths, self._numeric, strict=False)
            ]
            fill = base
        else:
            row = self.scroll_offset.y + y - 1
            if row >= self._virtual_rows:
                return Strip.blank(width, base)
            fill = self.get_component_rich_style("data-grid--stripe") if row % 2 == 0 else base
            label, cells = self._row_segments(row, fill)
        scroll_x = self.scroll_offset.x
        content = Strip(cells).crop(scroll_x, scroll_x + width - self._label_width)
        return Strip.join([Strip([label]), content]).extend_cell_length(width, fill)

    def _row_segments(self, row: int, style: Style) -> tuple[Segment, list[Segment]]:
        """The label and the cells of virtual row `row` (on `style`); a row outside the window is blank until it loads."""
        header = self.get_component_rich_style("data-grid--header")
        index = row - self._start
        if not 0 <= index < len(self._rows):
            blank = " " * (sum(self._widths) + 2 * len(self._widths))
            return Segment(" " * self._label_width, header), [Segment(blank, style)]
        number = f"{row + 1:,}" if self._numbered else ""
        label = Segment(f" {number:>{self._label_width - 2}} ", header)
        # NULL's colour on the row's own background (a partial style cannot resolve theme colours)
        null = self.get_component_rich_style("data-grid--null") + Style(bgcolor=style.bgcolor)
        edited = self._staged_in_row(index)
        cells = []
        for column, (text, width, right) in enumerate(
            zip(self._texts[index], self._widths, self._numeric, strict=False)
        ):
            if column in edited:
                value = edited[column]
                text = None if value is None else cell_text(value).translate(_VISIBLE)
            if index == self.cursor_row and column == self.cursor_column:
                cell = self.get_component_rich_style("data-grid--cursor")
            elif column in edited:
                cell = self.get_component_rich_style("data-grid--staged")
            else:
                cell = style if text is not None else null
            cells.append(Segment(f" {_fit(NULL if text is None else text, width, right)} ", cell))
        return label, cells

    def _widen_for_staged(self) -> None:
        """Columns as wide as the edited values they show, too."""
        for index in range(len(self._keys)) if self._staged else ():
            for column, value in self._staged_in_row(index).items():
                width = len(NULL) if value is None else cell_len(cell_text(value).translate(_VISIBLE))
                self._widths[column] = max(self._widths[column], width)

    def _staged_in_row(self, index: int) -> dict[int, str | None]:
        """The edited values of the window's row `index`, by column position."""
        if not self._staged or index >= len(self._keys):
            return {}
        key = self._keys[index]
        return {i: self._staged[key, name] for i, name in enumerate(self._columns) if (key, name) in self._staged}

    def on_focus(self) -> None:
        self.refresh()  # the cursor is drawn brighter with the focus

    def on_blur(self) -> None:
        self.refresh()
