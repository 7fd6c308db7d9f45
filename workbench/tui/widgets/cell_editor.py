"""The dialogs of inline editing: a cell's new value typed in an Input, and the SQL the edits will run.

The editor answers with a `CellValue`: the typed text, or NULL (ctrl+n), which is never the same as
an empty field; Escape answers None and stages nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Static

from workbench.tui.widgets.dialogs import _Dialog


@dataclass(frozen=True)
class CellValue:
    """What the editor answered: the new text, or None for NULL."""

    value: str | None


class CellEditor(_Dialog):
    """Edit one cell: Enter stages the text as typed, ctrl+n stages NULL, Escape stages nothing."""

    BINDINGS = [Binding("ctrl+n", "null", "Set NULL", priority=True)]

    def __init__(self, column: str, data_type: str, text: str | None) -> None:
        super().__init__()
        self.column, self.data_type, self.text = column, data_type, text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog cell-editor"):
            yield Label(Text.assemble(("Edit ", ""), (self.column, "bold"), (f"  ({self.data_type})", "dim")))
            yield Input(value=self.text or "", placeholder="NULL" if self.text is None else "", id="cell-input")
            yield Static(
                "Enter stages the value (the database converts it) · ctrl+n sets NULL · Escape cancels",
                classes="dialog-hint",
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(CellValue(event.value))

    def action_null(self) -> None:
        """Stage NULL (not the empty string) for the cell."""
        self.dismiss(CellValue(None))


class EditsPreview(_Dialog):
    """The UPDATE statements the staged edits will run, values shown after each (read only)."""

    BINDINGS = [Binding("escape,enter,q", "dismiss_none", "Close")]

    def __init__(self, table: str, sql: str) -> None:
        super().__init__()
        self.table, self.sql = table, sql

    def compose(self) -> ComposeResult:
        count = len(self.sql.splitlines())
        with Vertical(classes="dialog edits-preview"):
            yield Label(Text.assemble((f"{count} UPDATE{'s' if count != 1 else ''} ", "bold"), f"of {self.table}"))
            with VerticalScroll():
                yield Static(Text(self.sql), id="edits-sql")
            yield Static("Applied in one transaction, journaled: ctrl+s applies, x discards.", classes="dialog-hint")
