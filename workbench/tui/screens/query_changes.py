"""The Query screen's way from a statement to its result or its change.

Each statement is first classified by the console engine (`workbench.console.statements.classify`):
a read goes to a result tab; anything else is previewed (`Console.preview`: rows it will change,
the backup to be taken), confirmed in a dialog (with the profile's name typed when it is protected,
and a key to go without the backup), and run as one journaled change (`Console.run_changes`).
The journal tab lists the changes; `u` undoes the selected one after a confirmation.

A mixin of `QueryScreen`, so that the screen module stays about editing and reading.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Checkbox, DataTable, Static, TabbedContent, TabPane

from workbench.tui.describe import describe
from workbench.tui.messages import SchemaChanged
from workbench.tui.session import DbSession

if TYPE_CHECKING:
    from workbench.console.records import ChangePreview, ChangeRecord
    from workbench.console.session import Console
    from workbench.db.base import Connection
    from workbench.tui.screens.query import QueryScreen


class QueryChanges:
    """Classify, preview, confirm, change, journal and undo (see the module's docstring)."""

    JOURNAL_BINDINGS = [
        Binding("f6", "journal", "Changes", priority=True),
        Binding("u", "undo", "Undo change", show=False),
    ]

    class Prepared(Message):
        """What a statement is and, for a change, what it will do."""

        def __init__(
            self, sql: str, read: bool, previews: list[ChangePreview], seconds: float, error: str | None
        ) -> None:
            super().__init__()
            self.sql, self.read, self.previews, self.seconds, self.error = sql, read, previews, seconds, error

    class Changed(Message):
        def __init__(self, sql: str, record: ChangeRecord | None, seconds: float, error: str | None) -> None:
            super().__init__()
            self.sql, self.record, self.seconds, self.error = sql, record, seconds, error

    class Undone(Message):
        def __init__(self, change_id: int, refused: str | None) -> None:
            super().__init__()
            self.change_id, self.refused = change_id, refused

    class Journal(Message):
        def __init__(self, changes: list[ChangeRecord], error: str | None) -> None:
            super().__init__()
            self.changes, self.error = changes, error

    # -- a statement's way -------------------------------------------------------------------

    def start(self: QueryScreen, sql: str) -> None:  # type: ignore[misc]
        """Find out what `sql` is; the answer comes back as `Prepared`."""
        assert self.session is not None
        self._status(Text("Running… Esc stops"))
        self._prepare(self.session, sql)

    @work(thread=True, group="query-run", exit_on_error=False)
    def _prepare(self: QueryScreen, session: DbSession, sql: str) -> None:
        from workbench.console.statements import classify

        started = time.perf_counter()
        try:
            with session.use("query") as conn:
                self.streams.release()
                if not any(c.writes for c in classify(conn, sql)):
                    self.post_message(QueryChanges.Prepared(sql, True, [], 0.0, None))
                    return
                # a protected database: the preview (rolled back) may count, the run needs the name typed
                guard = self.app.target.protected_by
                previews = self._engine(conn, guard.name if guard else None).preview(sql)
        except Exception as exc:
            self.post_message(QueryChanges.Prepared(sql, False, [], time.perf_counter() - started, describe(exc)))
            return
        self.post_message(QueryChanges.Prepared(sql, False, previews, time.perf_counter() - started, None))

    def _engine(self: QueryScreen, conn: Connection, typed: str | None) -> Console:  # type: ignore[misc]
        """The console engine on `conn`: read-only on a protected database unless its name was `typed`."""
        from workbench.console.session import Console

        target, project = self.app.target, self.app.project
        if project is not None:
            return Console.for_target(conn, target, project, typed)
        guard = target.protected_by
        return Console(conn, read_only=guard is not None and typed != guard.name)

    def on_query_changes_prepared(self: QueryScreen, message: QueryChanges.Prepared) -> None:  # type: ignore[misc]
        if message.error:
            self.show_message(
                message.sql, Text(message.error, style="bold"), seconds=message.seconds, rows=None, error=message.error
            )
        elif message.read:
            self.show_result(message.sql)
        else:
            self._confirm(message.sql, message.previews)

    def _confirm(self: QueryScreen, sql: str, previews: list[ChangePreview]) -> None:  # type: ignore[misc]
        from workbench.tui.widgets.confirm import ConfirmDialog, phrase_for

        backup = Checkbox("Take a prior backup first (undo needs it)", value=True, id="query-backup")
        lines = [Text(sql, style="bold"), Text("")]
        lines += [Text(f"• {_describe_preview(p)}") for p in previews]
        body = Vertical(Static(Text("\n").join(lines)), backup, classes="query-confirm")
        target = self.app.target
        phrase = phrase_for(target, None)

        def answered(yes: bool | None) -> None:
            if yes and self.session is not None:
                self._status(Text("Changing… Esc stops"))
                self._change(self.session, sql, previews, backup.value, phrase)
            else:
                self.show_message(
                    sql, Text("Not run: cancelled at the confirmation."), seconds=0, rows=None, error=None
                )

        self.app.push_screen(ConfirmDialog("Run this change?", body, "run it", target, phrase), answered)

    @work(thread=True, group="query-run", exit_on_error=False)
    def _change(
        self: QueryScreen, session: DbSession, sql: str, previews: list[ChangePreview], backup: bool, typed: str | None
    ) -> None:
        started = time.perf_counter()
        try:
            with session.use("query") as conn:
                record = self._engine(conn, typed).run_changes(previews, backup=backup)
        except Exception as exc:
            self.post_message(QueryChanges.Changed(sql, None, time.perf_counter() - started, describe(exc)))
            return
        self.post_message(QueryChanges.Changed(sql, record, time.perf_counter() - started, None))

    def on_query_changes_changed(self: QueryScreen, message: QueryChanges.Changed) -> None:  # type: ignore[misc]
        record = message.record
        if record is None:
            text = Text(f"Nothing was changed: {message.error}", style="bold")
            rows = None
        else:
            rows = record.rows
            text = Text(
                f"Changed {rows:,} row{'s' if rows != 1 else ''}; backup: {record.backup}. Journaled as change #{record.id}: "
                "F6 lists the changes, u undoes the selected one."
            )
        self.show_message(message.sql, text, seconds=message.seconds, rows=rows, error=message.error)
        if record is not None:
            self.post_message(SchemaChanged())  # rows or definitions changed: the catalog and counts follow
            if self.query("#journal") and self.session is not None:
                self._load_journal(self.session)

    # -- the journal -------------------------------------------------------------------------

    def action_journal(self: QueryScreen) -> None:  # type: ignore[misc]
        """Show the change journal (changes made from the console, newest first)."""
        tabs = self.query_one(TabbedContent)
        if not self.query("#journal"):
            table: DataTable[str] = DataTable(id="journal-table", cursor_type="row")
            table.add_columns("#", "when", "statement", "rows", "backup", "state")
            tabs.add_pane(TabPane("Changes", table, id="journal"))
        tabs.active = "journal"
        if self.session is not None:
            self._load_journal(self.session)

    @work(thread=True, group="query-journal", exclusive=True, exit_on_error=False)
    def _load_journal(self: QueryScreen, session: DbSession) -> None:
        from workbench.console.journal import changes

        try:
            with session.use("query") as conn:
                self.streams.release()
                found = list(changes(conn))
        except Exception as exc:
            self.post_message(QueryChanges.Journal([], describe(exc)))
            return
        self.post_message(QueryChanges.Journal(found, None))

    def on_query_changes_journal(self: QueryScreen, message: QueryChanges.Journal) -> None:  # type: ignore[misc]
        if message.error:
            self.notify(message.error, severity="error")
            return
        table = self.query_one("#journal-table", DataTable)
        table.clear()
        for change in message.changes:
            table.add_row(*_journal_row(change), key=str(change.id))

    def action_undo(self: QueryScreen) -> None:  # type: ignore[misc]
        """Undo the selected change, after a confirmation."""
        from workbench.tui.widgets.confirm import ConfirmDialog, phrase_for

        tables = self.query("#journal-table")
        if not tables or self.session is None:
            return
        table = tables.first(DataTable)
        if not table.has_focus or table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if not key:
            return
        body = Static(
            Text(
                f"Undo change #{key}: updated rows get their old values, deleted rows come back, inserted rows go. "
                "It refuses, and says why, when the rows were changed again since."
            )
        )

        def answered(yes: bool | None) -> None:
            if yes and self.session is not None:
                self._undo(self.session, int(key))

        target = self.app.target
        self.app.push_screen(
            ConfirmDialog(f"Undo change #{key}?", body, "undo it", target, phrase_for(target, None)), answered
        )

    @work(thread=True, group="query-run", exit_on_error=False)
    def _undo(self: QueryScreen, session: DbSession, change_id: int) -> None:
        from workbench.console.undo import undo

        try:
            with session.use("query") as conn:
                self.streams.release()
                report = undo(conn, change_id)
        except Exception as exc:
            self.post_message(QueryChanges.Undone(change_id, describe(exc)))
            return
        self.post_message(QueryChanges.Undone(change_id, report.refused))
        if report.refused is None:
            self.post_message(SchemaChanged())

    def on_query_changes_undone(self: QueryScreen, message: QueryChanges.Undone) -> None:  # type: ignore[misc]
        if message.refused:
            self.notify(f"Change #{message.change_id} was not undone: {message.refused}", severity="error", timeout=10)
        else:
            self.notify(f"Undid change #{message.change_id}.", timeout=5)
        if self.session is not None:
            self._load_journal(self.session)


def _describe_preview(preview: ChangePreview) -> str:
    """One line of what a change will do: rows, tables, the backup it gets."""
    count = preview.rows
    rows = "an unknown number of rows" if count is None else f"{count:,} row{'s' if count != 1 else ''}"
    tables = ", ".join(preview.tables) or "no existing table"
    return f"{preview.statement.verb or preview.statement.kind}: {rows} of {tables}; backup: {preview.backup}"


def _journal_row(change: ChangeRecord) -> tuple[str, ...]:
    size = "" if change.backup_bytes is None else f"{change.backup_bytes:,} B"
    state = f"undone {change.undone_at[:19]}" if change.undone_at else ""
    statement = " ".join(change.statement.split())[:60]
    return str(change.id), change.ran_at[:19], statement, f"{change.rows:,}", f"{change.backup} {size}".strip(), state
