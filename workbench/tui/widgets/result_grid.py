"""One query's result in the lazy data grid: the rows come from a `ResultPager` over the Query
screen's own connection, a page at a time; Escape stops the statement on the server.

Beyond the grid's keys: copy a column or the whole result, export it to CSV or JSON. Copies and
exports read the result again from its first row (the grid never holds it all).
"""

from __future__ import annotations

import time
from pathlib import Path

from textual import work
from textual.binding import Binding
from textual.message import Message

from workbench.browse.cells import full_text
from workbench.console.results import NO_LIMITS, Limits, ResultPager, Streams
from workbench.db.base import Connection
from workbench.db.catalog import View
from workbench.tui.describe import describe
from workbench.tui.session import DbSession
from workbench.tui.widgets.data_grid import PAGE_SIZE, DataGrid, GridQuery

COPY_LIMIT = 100_000  # rows a whole-result copy takes at most: a clipboard is no place for more


def result_query(sql: str) -> GridQuery:
    """A query's result, as the grid takes it: an unnamed view defined by the query."""
    return GridQuery(View(schema="", name="result", definition=sql))


class ResultGrid(DataGrid):
    """The rows of one statement's result (see the module's docstring)."""

    BINDINGS = [
        Binding("c", "copy_column", "Copy column", show=False),
        Binding("a", "copy_all", "Copy result", show=False),
        Binding("e", "export", "Export"),
    ]

    concern = "query"

    class FirstPage(Message):
        """The statement's first page arrived (or it failed): what the history keeps."""

        def __init__(self, grid: ResultGrid, seconds: float, rows: int | None, error: str | None) -> None:
            super().__init__()
            self.grid, self.seconds, self.rows, self.error = grid, seconds, rows, error

    def __init__(self, session: DbSession, streams: Streams, sql: str, limits: Limits = NO_LIMITS) -> None:
        super().__init__()
        self.session = session
        self.streams = streams
        self.sql = sql
        self.limits = limits
        self._started: float | None = None

    def on_mount(self) -> None:
        self._started = time.perf_counter()
        self.show(result_query(self.sql))

    def _session(self) -> DbSession | None:
        return self.session

    def _open_pager(self, conn: Connection, spec: GridQuery) -> ResultPager:  # type: ignore[override]
        return ResultPager(conn, self.sql, self.streams, page_size=PAGE_SIZE, limits=self.limits)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sort":
            return False  # a result is in the order its query gives; sorting is the query's ORDER BY
        if action in ("copy_column", "copy_all", "export"):
            return self.pager is not None
        return super().check_action(action, parameters)

    def on_data_grid_status(self, message: DataGrid.Status) -> None:
        """Tell the screen once when the first page is in, or the statement failed."""
        if self._started is None or self.loading_request is not None:
            return
        if not self.pages and self.error is None:
            return
        seconds, self._started = time.perf_counter() - self._started, None
        rows = self.total if self.total is not None else None
        self.post_message(self.FirstPage(self, seconds, rows, self.error))

    def action_cancel(self) -> None:
        """Stop the statement on the server; the tab says so."""
        super().action_cancel()
        if self._started is not None and not self.pages:
            self.error = "query cancelled"
            self.post_message(self.Status())

    def _result(self) -> ResultPager | None:
        pager: object = self.pager  # the grid types it as a table's Pager; here it is always a ResultPager
        return pager if isinstance(pager, ResultPager) else None

    # -- copy and export ---------------------------------------------------------------------

    def action_copy_column(self) -> None:
        """Copy the cursor's column, one value a line (the whole result's)."""
        self._copy(self.cursor_column)

    def action_copy_all(self) -> None:
        """Copy the whole result, tab-separated, with a header line."""
        self._copy(None)

    @work(thread=True, group="query-copy", exit_on_error=False)
    def _copy(self, column: int | None) -> None:
        pager = self._result()
        if pager is None:
            return
        lines: list[str] = [] if column is not None else ["\t".join(pager.columns)]
        cut = False
        try:
            with self.session.use(self.concern):
                for batch in pager.stream():
                    for row in batch:
                        values = row if column is None else (row[column],)
                        lines.append("\t".join(full_text(v) for v in values))
                    if len(lines) > COPY_LIMIT:
                        cut = True
                        break
                self.streams.release()
        except Exception as exc:
            self.app.call_from_thread(self.notify, describe(exc), severity="error")
            return
        self.app.call_from_thread(self._copied, "\n".join(lines[: COPY_LIMIT + 1]), column, cut)

    def _copied(self, text: str, column: int | None, cut: bool) -> None:
        self.app.copy_to_clipboard(text)
        what = "the whole result" if column is None else f"the column {self._columns[column]}"
        self.notify(f"Copied {what}" + (f" (its first {COPY_LIMIT:,} rows)." if cut else "."), timeout=3)

    def action_export(self) -> None:
        """Write the whole result to a CSV or JSON file."""
        from workbench.tui.widgets.dialogs import ExportDialog

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._export(path)

        self.app.push_screen(ExportDialog(Path.cwd() / "result.csv", "this result"), chosen)

    @work(thread=True, group="query-export", exit_on_error=False)
    def _export(self, path: Path) -> None:
        from workbench.browse.export import export

        pager = self._result()
        if pager is None:
            return
        try:
            with self.session.use(self.concern):
                result = export(pager, path)
                self.streams.release()
        except Exception as exc:
            self.app.call_from_thread(self.notify, describe(exc), severity="error", timeout=8)
            return
        self.app.call_from_thread(self.notify, f"Exported {result.rows:,} rows to {result.path}.", timeout=6)
