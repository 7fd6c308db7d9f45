"""The Data tab: the grid, a status line (position, count, sort, filter), export with progress and
inline edits (staged, highlighted, previewed as SQL, applied as one journaled change).

Export runs on a connection of its own, so the grid stays usable while a large table is written.
A query that takes longer than `PROBE_AFTER` says so with its seconds on the status line, and asks
the server (on another short-lived connection, where the backend can tell) whether it waits on a
lock, so the line can say "waiting 12 s for a lock on public.film held by session 4242".
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from workbench.browse.cells import edit_text, is_binary
from workbench.console.edits import Edits, NotEditable, edits_for
from workbench.db.catalog import Table, View
from workbench.tui.widgets.cell_editor import CellEditor, CellValue, EditsPreview
from workbench.tui.widgets.confirm import ConfirmDialog, phrase_for
from workbench.tui.widgets.data_grid import DataGrid, GridQuery
from workbench.tui.widgets.dialogs import ExportDialog, FilterChoice, FilterDialog
from workbench.tui.describe import describe

if TYPE_CHECKING:
    from workbench.console.session import ChangeRecord

PROBE_AFTER = 1.0  # seconds a query runs before the status line counts them and asks what it waits for


class DataPane(Vertical):
    BINDINGS = [
        Binding("w", "filter", "Filter"),
        Binding("e", "export", "Export"),
        Binding("escape", "stop_export", "Stop export"),
        Binding("i,f2", "edit_cell", "Edit cell"),
        Binding("p", "preview_edits", "Preview SQL"),
        Binding("ctrl+s", "apply_edits", "Apply edits"),
        Binding("x", "discard_edits", "Discard edits"),
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

    class _Applied(Message):
        """The staged edits ran as journal entry `record`, or were refused with `error` (nothing kept)."""

        def __init__(self, edits: Edits, record: ChangeRecord | None, error: str | None) -> None:
            super().__init__()
            self.edits, self.record, self.error = edits, record, error

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._edits: Edits | None = None  # the shown table's staged edits; None when it cannot be edited
        self._not_editable = ""  # why, when it cannot
        self._applying = False
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
        """Show `relation`'s rows from the top, unsorted and unfiltered (staged edits of another are dropped)."""
        self._drop_edits()
        session = getattr(self.app, "session", None)
        if session is not None:
            try:  # reads the catalog entry and the backend's flags only: no SQL
                self._edits = edits_for(session.conn, relation)
            except NotEditable as exc:
                self._not_editable = str(exc)
        self.grid.show(GridQuery(relation))

    def close(self) -> None:
        self._drop_edits()
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
        if self._edits is not None and self._edits.cells:  # first: at 80 columns the line's end is cut
            count = len(self._edits.cells)
            doing = "applying…" if self._applying else "p preview, ctrl+s apply, x discard"
            parts.insert(0, f"{count} edit{'s' if count != 1 else ''} staged: {doing}")
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
        if action == "edit_cell":
            return self.grid.query_spec is not None and not self._applying
        if action in ("preview_edits", "apply_edits", "discard_edits"):
            return self._edits is not None and bool(self._edits.cells) and not self._applying
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

    # -- inline edits ------------------------------------------------------------------------

    def action_edit_cell(self) -> None:
        """Edit the value under the cursor; the edit is staged, nothing is written yet."""
        grid, edits = self.grid, self._edits
        if edits is None:
            self.notify(self._not_editable or "This relation cannot be edited.", severity="warning")
            return
        key, column = grid.cursor_key, grid.cursor_column_name
        if key is None or column is None:
            return
        old = grid.cursor_value
        if is_binary(old):
            self.notify("Binary values cannot be edited as text.", severity="warning")
            return
        try:
            edits.editable(column)
            staged = edits.edit_of(key, column)
            text = staged.value if staged is not None else edit_text(old)
        except NotEditable as exc:
            self.notify(str(exc), severity="warning")
            return
        data_type = next(c.data_type for c in edits.table.columns if c.name == column)

        def answered(answer: CellValue | None) -> None:
            if answer is not None and self._edits is edits:  # still the same table and edits
                self._set_edits(edits.stage(key, column, answer.value, old))

        self.app.push_screen(CellEditor(column, data_type, text), answered)

    def action_preview_edits(self) -> None:
        """Show the UPDATE statements the staged edits will run."""
        edits, session = self._edits, getattr(self.app, "session", None)
        if edits is not None and edits.cells and session is not None:
            self.app.push_screen(EditsPreview(edits.table.qualified_name, edits.preview(session.conn)))

    def action_apply_edits(self) -> None:
        """Apply the staged edits in one transaction, as one change of the journal (after a confirmation)."""
        edits, session = self._edits, getattr(self.app, "session", None)
        if edits is None or not edits.cells or session is None:
            return
        target = self.app.target  # type: ignore[attr-defined]
        rows = len(edits.rows)
        body = Static(
            Text.assemble(
                edits.preview(session.conn),
                (
                    f"\n\n{rows} row{'s' if rows != 1 else ''} of {edits.table.qualified_name} change in one "
                    "transaction; their old values are kept, so the change can be undone from the journal.",
                    "dim",
                ),
            )
        )
        dialog = ConfirmDialog(
            f"Apply {len(edits.cells)} staged edits?", body, "apply the edits", target, phrase_for(target, None)
        )

        def confirmed(ok: bool | None) -> None:
            if ok and self._edits is edits:
                self._applying = True
                self.refresh_bindings()
                self._show_status()
                self._apply(edits, dialog.phrase)  # confirmed: the phrase, if any, was typed exactly

        self.app.push_screen(dialog, confirmed)

    @work(thread=True, group="edits", exit_on_error=False)
    def _apply(self, edits: Edits, typed: str | None) -> None:
        from workbench.console.edits import apply
        from workbench.console.session import Console

        app: Any = self.app
        try:
            with app.session.use("edits") as conn:
                record = apply(Console.for_target(conn, app.target, app.project, typed), edits)
        except Exception as exc:
            self.post_message(self._Applied(edits, None, describe(exc)))
            return
        self.post_message(self._Applied(edits, record, None))

    def on_data_pane__applied(self, message: _Applied) -> None:
        self._applying = False
        self.refresh_bindings()
        self._show_status()
        if message.error is not None or message.record is None:
            self.notify(f"Nothing was changed: {message.error}", severity="error", timeout=10)
            return
        count, change, edits = len(message.edits.cells), message.record.id, message.edits
        self.notify(
            f"Applied {count} edit{'s' if count != 1 else ''} to {edits.table.qualified_name} as change {change}; "
            f"`workbench changes undo {change}` or the Query screen's journal undoes it.",
            timeout=8,
        )
        if self._edits is edits:  # still on that table (staging waits while edits apply)
            self._set_edits(Edits(edits.table, edits.key_columns))
            if self.grid.query_spec is not None:
                self.grid.show(self.grid.query_spec)  # the rows as the database now has them

    def action_discard_edits(self) -> None:
        """Forget every staged edit; nothing was written."""
        if self._edits is not None and self._edits.cells:
            count = len(self._edits.cells)
            self._set_edits(Edits(self._edits.table, self._edits.key_columns))
            self.notify(f"Discarded {count} staged edit{'s' if count != 1 else ''}.", timeout=4)

    def _set_edits(self, edits: Edits | None) -> None:
        self._edits = edits
        staged: dict[tuple[tuple[Any, ...], str], str | None] = {}
        for cell in edits.cells if edits is not None else ():
            staged[cell.key, cell.column] = cell.value
        self.grid.show_staged(staged)
        self.refresh_bindings()
        self._show_status()

    def _drop_edits(self) -> None:
        """Leaving a table: its staged edits go (said when there were some)."""
        if self._edits is not None and self._edits.cells and not self._applying:
            self.notify(f"Discarded the staged edits of {self._edits.table.qualified_name}.", severity="warning")
        self._not_editable = ""
        self._set_edits(None)
