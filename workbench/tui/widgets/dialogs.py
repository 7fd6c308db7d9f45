"""Small modal dialogs of the data grid; each returns a typed value (or None when cancelled)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from workbench.browse.cells import full_text
from workbench.browse.export import FORMATS
from workbench.browse.paging import OPERATORS, Filter
from workbench.errors import UsageError


VIEWER_LIMIT = 200_000  # characters the cell viewer draws; copying still takes the whole value


class _Dialog(ModalScreen[Any]):
    """Escape cancels; the first input has the focus."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel")]

    def action_dismiss_none(self) -> None:
        """Close without an answer."""
        self.dismiss(None)


class JumpDialog(_Dialog):
    """Ask for a 1-based row number."""

    def __init__(self, total: int | None) -> None:
        super().__init__()
        self.total = total

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            hint = f" (1–{self.total:,})" if self.total is not None else ""
            yield Label(f"Go to row{hint}")
            yield Input(placeholder="row number", type="integer", id="row")
            yield Static(id="dialog-error", classes="dialog-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            row = int(event.value.replace(",", "").replace("_", ""))
        except ValueError:
            self.query_one("#dialog-error", Static).update("Type a whole number.")
            return
        self.dismiss(max(1, row))


class NameDialog(_Dialog):
    """Ask for a name (of a migration to write); returns it stripped, never empty."""

    def __init__(self, prompt: str, hint: str) -> None:
        super().__init__()
        self.prompt = prompt
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.prompt))
            yield Input(placeholder="name", id="name")
            yield Static(self.hint, classes="dialog-hint")
            yield Static(id="dialog-error", classes="dialog-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#dialog-error", Static).update("Type a name, or press Escape.")
            return
        self.dismiss(event.value.strip())


@dataclass(frozen=True)
class FilterChoice:
    """The filter to apply; `where=None` removes the current one."""

    where: Filter | None


class FilterDialog(_Dialog):
    """`column operator value` — one condition, sent to the database as a parameter."""

    def __init__(self, columns: tuple[str, ...], current: Filter | None, column: str | None) -> None:
        super().__init__()
        self.columns = columns
        self.current = current
        self.column = current.column if current else column

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Filter rows where")
            yield Select(
                [(c, c) for c in self.columns],
                value=self.column or self.columns[0],
                allow_blank=False,
                id="filter-column",
            )
            yield Select(
                [(o, o) for o in OPERATORS],
                value=self.current.op if self.current else "=",
                allow_blank=False,
                id="filter-op",
            )
            yield Input(
                value=(self.current.value or "") if self.current else "", placeholder="value", id="filter-value"
            )
            yield Static(id="dialog-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Remove filter", id="remove", disabled=self.current is None)

    def on_mount(self) -> None:
        self.query_one("#filter-value", Input).focus()

    def on_input_submitted(self) -> None:
        self._apply()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "remove":
            self.dismiss(FilterChoice(None))
        else:
            self._apply()

    def _apply(self) -> None:
        op = str(self.query_one("#filter-op", Select).value)
        value = self.query_one("#filter-value", Input).value
        try:
            where = Filter(
                str(self.query_one("#filter-column", Select).value),
                op,
                None if op in ("is null", "is not null") else value,
            )
        except UsageError as exc:
            self.query_one("#dialog-error", Static).update(Text(str(exc)))
            return
        self.dismiss(FilterChoice(where))


class ExportDialog(_Dialog):
    """Ask where to write the export; the suffix (.csv or .json) picks the format."""

    def __init__(self, default: Path, description: str) -> None:
        super().__init__()
        self.default = default
        self.description = description

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(f"Export {self.description} to"))
            yield Input(value=str(self.default), id="export-path")
            yield Static(
                f"Ends in {' or '.join('.' + f for f in FORMATS)}; Enter starts, Escape cancels.", classes="dialog-hint"
            )
            yield Static(id="dialog-error", classes="dialog-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        if path.suffix.lstrip(".").lower() not in FORMATS:
            self.query_one("#dialog-error", Static).update("Use a file name ending in .csv or .json.")
            return
        self.dismiss(path)


class CellViewer(_Dialog):
    """One value in full: long text wrapped, JSON indented, binary as a hex dump."""

    BINDINGS = [Binding("escape,enter,q", "dismiss_none", "Close"), Binding("y", "copy", "Copy")]

    def __init__(self, column: str, value: Any) -> None:
        super().__init__()
        self.column = column
        self.value = value

    def compose(self) -> ComposeResult:
        kind = "NULL" if self.value is None else type(self.value).__name__
        with Vertical(classes="dialog cell-viewer"):
            yield Label(Text.assemble((self.column, "bold"), f"  ({kind})"))
            text = full_text(self.value)
            if len(text) > VIEWER_LIMIT:
                text = text[:VIEWER_LIMIT] + f"\n… {len(text) - VIEWER_LIMIT:,} more characters (y copies all)"
            with VerticalScroll():
                yield Static(Text(text), id="cell-value")

    def action_copy(self) -> None:
        """Copy the whole value to the clipboard."""
        self.app.copy_to_clipboard(full_text(self.value))
        self.notify("Copied the value.", timeout=2)
