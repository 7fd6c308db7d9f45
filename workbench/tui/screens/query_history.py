"""The Query screen's history search (ctrl+r): type to narrow, Enter puts the statement back in the editor."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from workbench.console import history


class HistoryDialog(ModalScreen[str | None]):
    """Statements run before on this database, newest first; dismissed with the chosen statement."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Close"),
        Binding("down", "to_list", "List", show=False),
    ]

    def __init__(self, database: str) -> None:
        super().__init__()
        self.database = database
        self._found: list[history.Entry] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog history-dialog"):
            yield Label(Text("Query history", style="bold"))
            yield Input(placeholder="words the statement holds", id="history-search")
            yield OptionList(id="history-list")
            yield Static("Enter puts the statement in the editor · Escape closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self._show("")
        box = self.query_one(Input)
        box.cursor_blink = False
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._found:
            self.dismiss(self._found[self.query_one(OptionList).highlighted or 0].sql)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._found[event.option_index].sql)

    def _show(self, text: str) -> None:
        self._found = history.search(text, self.database)
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options([Option(_line(entry)) for entry in self._found])
        if self._found:
            listing.highlighted = 0

    def action_to_list(self) -> None:
        """Move from the search field into the list."""
        self.query_one(OptionList).focus()

    def action_dismiss_none(self) -> None:
        """Close without choosing."""
        self.dismiss(None)


def _line(entry: history.Entry) -> Text:
    rows = "error" if entry.error else (f"{entry.rows:,} rows" if entry.rows is not None else "rows")
    facts = f"{entry.at.replace('T', ' ')[:19]}  {entry.duration_ms:,.0f} ms  {rows}  "
    return Text.assemble((facts, "dim"), " ".join(entry.sql.split())[:200])
