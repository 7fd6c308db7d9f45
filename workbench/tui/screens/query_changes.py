"""The Query screen's way from a statement to its result or its change.

Each statement is first classified by the console engine (`workbench.console.statements.classify`):
a read goes to a result tab; anything else is previewed (`Console.preview`: rows it will change,
the backup to be taken), confirmed in a dialog (with the profile's name typed when it is protected,
and a key to go without the backup), and run as one journaled change (`Console.run_change`).
The journal tab lists the changes; `u` undoes the selected one after a confirmation.

A mixin of `QueryScreen`, so that the screen module stays about editing and reading.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

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
    from workbench.tui.screens.query import QueryScreen

class QueryChanges:
    """Classify, preview, confirm, change, journal and undo (see the module's docstring)."""

    JOURNAL_BINDINGS = [
        Binding("f6", "journal", "Changes", priority=True),
        Binding("u", "undo", "Undo change", show=False),
    ]

    class Prepared(Message):
        """What a statement is and, for a change, what it will do."""

        def __init__(self, sql: str, read: bool, previews: list[Any], seconds: float, error: str | None) -> None:
            super().__init__()
            self.sql, self.read, self.previews, self.seconds, self.error = sql, read, previews, seconds, error

    class Changed(Message):
        def __init__(self, sql: str, records: list[Any], seconds: float, error: str | None, schema: bool) -> None:
            super().__init__()
            self.sql, self.records, self.seconds, self.error, self.schema = sql, records, seconds, error, schema

    class Journal(Message):
        def __init__(self, changes: list[Any], error: str | None) -> None:
            super().__init__()
            self.changes, self.error = changes, error

    # -- a statement's way -------------------------------------------------------------------

    def start(self: QueryScreen, sql: str) -> None:  # type: ignore[misc]
        """Find out what `sql` is; the answer comes back as `Prepared`."""
        assert self.session is not None
        self._status(Text("Running… Esc stops"))
        self._prepare(self.session, sql)

    @work(thread=True, group="query-run", exit_on_error=False)
    def _prepare(self: QueryScreen, session: DbSession, sql: str) -> None:  # type: ignore[misc]
        started = time.perf_counter()
        try:
            from workbench.console.statements import classify

            with session.use("query") as conn:
                self.streams.release()
                kinds = {c.kind for c in classify(conn, sql)}
                if kinds <= {"read"}:
                    self.post_message(QueryChanges.Prepared(sql, True, [], 0.0, None))
                    return
                previews = list(self._console(conn).preview(sql))
        except Exception as exc:
            self.post_message(QueryChanges.Prepared(sql, False, [], time.perf_counter() - started, describe(exc)))
            return
        self.post_message(QueryChanges.Prepared(sql, False, previews, time.perf_counter() - started, None))

    def _console(self: QueryScreen, conn: Any, writable: bool = False) -> Any:  # type: ignore[misc]
        from workbench.console.session import Console

        read_only = self.app.target.protected and not writable
        return Console(conn, project=self.app.project, read_only=read_only)

    def on_query_changes_prepared(self: QueryScreen, message: QueryChanges.Prepared) -> None:  # type: ignore[misc]
        if message.error:
            self.show_message(
                message.sql, Text(message.error, style="bold"), seconds=message.seconds, rows=None, error=message.error
            )
        elif message.read:
            self.show_result(message.sql)
        else:
            self._confirm(message.sql, message.previews)

    def _confirm(self: QueryScreen, sql: str, previews: list[Any]) -> None:  # type: ignore[misc]
        from workbench.tui.widgets.confirm import ConfirmDialog, phrase_for

        backup = Checkbox("Take a prior backup first (undo needs it)", value=True, id="query-backup")
        lines = [Text(sql, style="bold"), Text("")]
        lines += [Text(f"• {_describe_preview(p)}") for p in previews] or [Text("• changes no rows")]
        body = Vertical(Static(Text("\n").join(lines)), backup, classes="query-confirm")
        target = self.app.target

        def answered(yes: bool | None) -> None:
            if yes:
                self._status(Text("Changing… Esc stops"))
                self._change(self.session, sql, previews, backup.value)
            else:
                self.show_message(sql, Text("Not run: cancelled at the confirmation."), seconds=0, rows=None, error=None)

        self.app.push_screen(ConfirmDialog("Run this change?", body, "run it", target, phrase_for(target, None)), answered)

    @work(thread=True, group="query-run", exit_on_error=False)
    def _change(self: QueryScreen, session: DbSession, sql: str, previews: list[Any], backup: bool) -> None:  # type: ignore[misc]
        started = time.perf_counter()
        records: list[Any] = []
        try:
            with session.use("query") as conn:
                console = self._console(conn, writable=True)
                for preview in previews:
                    records.append(console.run_change(preview, backup=backup))
        except Exception as exc:
            self.post_message(QueryChanges.Changed(sql, records, time.perf_counter() - started, describe(exc), False))
            return
        schema = any(getattr(p, "kind", "") in ("ddl", "truncate") for p in previews)
        self.post_message(QueryChanges.Changed(sql, records, time.perf_counter() - started, None, schema))

    def on_query_changes_changed(self: QueryScreen, message: QueryChanges.Changed) -> None:  # type: ignore[misc]
        rows = sum(getattr(r, "rows", 0) or 0 for r in message.records) if message.records else None
        if message.error:
            text = Text(f"The change failed and was rolled back: {message.error}", style="bold")
        else:
            ids = ", ".join(f"#{getattr(r, 'id', '?')}" for r in message.records)
            text = Text(f"Changed {rows or 0:,} rows; journaled as change {ids} (F6 lists changes, u undoes).")
        self.show_message(message.sql, text, seconds=message.seconds, rows=rows, error=message.error)
        self.post_message(SchemaChanged())
        if self.query("#journal"):
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
    def _load_journal(self: QueryScreen, session: DbSession) -> None:  # type: ignore[misc]
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
            table.add_row(*_journal_row(change), key=str(getattr(change, "id", "")))

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
        self.app.push_screen(ConfirmDialog(f"Undo change #{key}?", body, "undo it", target, phrase_for(target, None)), answered)

    @work(thread=True, group="query-run", exit_on_error=False)
    def _undo(self: QueryScreen, session: DbSession, change_id: int) -> None:  # type: ignore[misc]
        from workbench.console.undo import undo

        try:
            with session.use("query") as conn:
                self.streams.release()
                undo(conn, change_id)
        except Exception as exc:
            self.app.call_from_thread(self.notify, describe(exc), severity="error", timeout=10)
            return
        self.app.call_from_thread(self.notify, f"Undid change #{change_id}.", timeout=5)
        self.post_message(SchemaChanged())
        self._load_journal(session)


def _describe_preview(preview: Any) -> str:
    """One line of what a change will do, from the console engine's preview."""
    describe_ = getattr(preview, "describe", None)
    if callable(describe_):
        return str(describe_())
    return str(preview)


def _journal_row(change: Any) -> tuple[str, ...]:
    def field(name: str) -> str:
        value = getattr(change, name, None)
        return "" if value is None else str(value)

    statement = " ".join(field("sql").split())[:60]
    return field("id"), field("at")[:19], statement, field("rows"), field("backup"), field("state")
