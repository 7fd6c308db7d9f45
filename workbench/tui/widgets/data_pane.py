"""The Data tab: the grid, a status line (position, count, sort, filter) and export with progress.

Export runs on a connection of its own, so the grid stays usable while a large table is written.
A query that takes longer than `PROBE_AFTER` says so with its seconds on the status line, and asks
the server (on another short-lived connection, where the backend can tell) whether it waits on a
lock, so the line can say "waiting 12 s for a lock on public.film held by session 4242".
"""

from __future__ import annotations

import time
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import ProgressBar, Static

from workbench.browse.export import ExportResult, export
from workbench.browse.paging import Pager
from workbench.browse.waits import LockWait, lock_wait
from workbench.db.catalog import Table, View
from workbench.tui.widgets.data_grid import DataGrid, GridQuery
from workbench.tui.widgets.dialogs import ExportDialog, FilterChoice, FilterDialog
from workbench.tui.describe import describe

PROBE_AFTER = 1.0  # seconds a query runs before the status line counts them and asks what it waits for


class DataPane(Vertical):
    BINDINGS = [
        Binding("w", "filter", "Filter"),
        Binding("e", "export", "Export"),
        Binding("escape", "stop_export", "Stop export"),
    ]

    class _Progress(Message):
        def __init__(self, done: int, total: int | None) -> None:
            super().__init__()
            self.done, self.total = done, total

    class _Exported(Message):
        def __init__(self, result: ExportResult | None, error: str | None) -> None:
            super().__init__()
            self.result, self.error = result, error

    class _Probed(Message):
        """What the query started at `since` waits for (None: no lock, or the backend cannot tell)."""

        def __init__(self, since: float, wait: LockWait | None) -> None:
            super().__init__()
            self.since, self.wait = since, wait

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._exporting = False
        self._stop_export = False
        self._ticker: Timer | None = None  # runs only while a query does
        self._probing = False
        self._wait: tuple[float, LockWait] | None = None  # (the query's start, what it waits for)

    def compose(self) -> ComposeResult:
        yield Static(id="data-status")
        yield DataGrid(id="data-grid")

    @property
    def grid(self) -> DataGrid:
        return self.query_one(DataGrid)

    def open(self, relation: Table | View) -> None:
        """Show `relation`'s rows from the top, unsorted and unfiltered."""
        self.grid.show(GridQuery(relation))

    def close(self) -> None:
        self.grid.close()

    # -- status ------------------------------------------------------------------------------

    def on_data_grid_status(self, message: DataGrid.Status) -> None:
        message.stop()
        loading = self.grid.loading_request is not None
        if loading and self._ticker is None:
            self._ticker = self.set_interval(PROBE_AFTER, self._tick)
        elif not loading and self._ticker is not None:
            self._ticker.stop()
            self._ticker, self._wait = None, None
        self._show_status()

    def _show_status(self) -> None:
        # one line of fixed size: repaint it without a layout pass of the whole screen
        self.query_one("#data-status", Static).update(self._status(), layout=False)

    def _tick(self) -> None:
        """Once a second while a query runs: count its seconds, and ask what it waits for."""
        grid, since = self.grid, self.grid.loading_since
        if since is None or grid.query_spec is None:
            return
        self._show_status()
        session = getattr(self.app, "session", None)
        can_tell = session is not None and session.conn.capabilities.lock_views
        if can_tell and not self._probing and time.monotonic() - since >= PROBE_AFTER:
            self._probing = True
            self._probe(grid.query_spec.relation, since)

    @work(thread=True, group="data-probe", exit_on_error=False)
    def _probe(self, relation: Table | View, since: float) -> None:
        from workbench.db import connect

        target = self.app.target  # type: ignore[attr-defined]
        wait = None
        try:
            probe = connect(target.url, options=target.connect_options())
            try:
                wait = lock_wait(probe, relation)
            finally:
                probe.close()
        except Exception:
            pass  # the question is a courtesy: without an answer the line still counts the seconds
        self.post_message(self._Probed(since, wait))

    def on_data_pane__probed(self, message: _Probed) -> None:
        self._probing = False
        if message.since == self.grid.loading_since:  # still the same query
            self._wait = (message.since, message.wait) if message.wait is not None else None
            self._show_status()

    def on_data_grid_failed(self, message: DataGrid.Failed) -> None:
        message.stop()
        self.notify(message.message, severity="error", timeout=8)

    def _status(self) -> Text:
        grid = self.grid
        if grid.error:
            return Text(grid.error, style="bold")
        spec = grid.query_spec
        if spec is None:
            return Text("")
        rows = len(grid.rows_in_window)
        parts = []
        if grid.pages:
            first = grid.window_offset
            total = grid.total
            estimate = grid.pager.estimate if grid.pager else None
            of = f" of {total:,}" if total is not None else f" of ~{estimate:,}" if estimate is not None else ""
            if not rows:
                parts.append("no rows" if grid.pages[0].at_start else "no more rows")
            elif first is None:
                parts.append(f"last {rows:,} rows{of}")
            else:
                parts.append(f"rows {first + 1:,}–{first + rows:,}{of}")
        if spec.order_by:
            parts.append(f"sorted by {spec.order_by} {'▼' if spec.descending else '▲'}")
        if spec.where:
            parts.append(f"where {spec.where.describe()}")
        if grid.pager is not None:
            parts.append(f"{grid.pager.strategy} paging")
        if grid.loading_request:
            parts.append(self._loading())
        return Text("  ·  ".join(parts))

    def _loading(self) -> str:
        """What the running query is doing: loading, for how long, and what it waits for when known."""
        grid = self.grid
        since, spec = grid.loading_since, grid.query_spec
        seconds = int(time.monotonic() - since) if since is not None else 0
        if self._wait is not None and self._wait[0] == since:
            return f"waiting {seconds} s for {self._wait[1].describe()}… Esc stops"
        name = spec.relation.qualified_name if spec is not None else ""
        took = f" {seconds} s" if seconds >= PROBE_AFTER else ""
        return f"loading {name} ({grid.loading_request})…{took} Esc stops"

    # -- filter ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop_export":
            return self._exporting
        if action in ("filter", "export"):
            return self.grid.query_spec is not None and not (action == "export" and self._exporting)
        return True

    def action_filter(self) -> None:
        """Show only rows where one column matches a condition."""
        grid = self.grid
        spec = grid.query_spec
        if spec is None:
            return
        columns = tuple(c.name for c in spec.relation.columns) or (grid.pages[0].columns if grid.pages else ())
        if not columns:
            return
        cursor_column = columns[grid.cursor_column] if grid.cursor_column < len(columns) else None
        self.app.push_screen(FilterDialog(columns, spec.where, cursor_column), self._filtered)

    def _filtered(self, choice: FilterChoice | None) -> None:
        if choice is not None:
            self.grid.set_filter(choice.where)

    # -- export ------------------------------------------------------------------------------

    def action_export(self) -> None:
        """Write the table (as filtered and sorted here) to a CSV or JSON file."""
        spec = self.grid.query_spec
        if spec is None:
            return
        what = spec.relation.qualified_name + (f" where {spec.where.describe()}" if spec.where else "")
        default = Path.cwd() / f"{spec.relation.name}.csv"

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._start_export(spec, path)

        self.app.push_screen(ExportDialog(default, what), chosen)

    def _start_export(self, spec: GridQuery, path: Path) -> None:
        self._exporting, self._stop_export = True, False
        # There only while an export runs: hidden, a progress bar still redraws on its timers.
        self.mount(
            Horizontal(
                Static(Text(f"Exporting to {path.name} "), id="export-label"),
                ProgressBar(id="export-progress", show_eta=False),
                id="export-bar",
            )
        )
        self.refresh_bindings()
        self._export(spec, path)

    @work(thread=True, group="export", exit_on_error=False)
    def _export(self, spec: GridQuery, path: Path) -> None:
        from workbench.db import connect

        target = self.app.target  # type: ignore[attr-defined]
        try:
            conn = connect(target.url, options=target.connect_options())
            try:
                pager = Pager(conn, spec.relation, order_by=spec.order_by, descending=spec.descending, where=spec.where)

                def progress(done: int, total: int | None) -> None:
                    self.post_message(self._Progress(done, total))

                result = export(
                    pager, path, total=pager.estimate, progress=progress, should_stop=lambda: self._stop_export
                )
            finally:
                conn.close()
        except Exception as exc:
            self.post_message(self._Exported(None, describe(exc)))
            return
        self.post_message(self._Exported(result, None))

    def on_data_pane__progress(self, message: _Progress) -> None:
        total = max(message.total, message.done) if message.total is not None else None
        self.query_one(ProgressBar).update(total=total, progress=message.done)
        self.query_one("#export-label", Static).update(Text(f"Exported {message.done:,} rows "))

    def on_data_pane__exported(self, message: _Exported) -> None:
        self._exporting = False
        self.query_one("#export-bar").remove()
        self.refresh_bindings()
        if message.error:
            self.notify(message.error, severity="error", timeout=8)
        elif message.result is not None and message.result.stopped:
            self.notify("Export stopped; no file was written.", severity="warning")
        elif message.result is not None:
            self.notify(f"Exported {message.result.rows:,} rows to {message.result.path}.", timeout=6)

    def action_stop_export(self) -> None:
        """Stop the export; the partial file is removed."""
        self._stop_export = True
