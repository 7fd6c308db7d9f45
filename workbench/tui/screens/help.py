"""`?`: every key of the screen below, grouped by where it works, read from the live bindings.

Built from the bindings themselves (never a hand-written list), so a key added anywhere shows up
here without anyone remembering to document it.
"""

from __future__ import annotations

import re

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", key_display="Esc")]

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Static(Text("Keys", style="bold"))
            with VerticalScroll():
                yield Static(self._table(), id="help-keys")
            yield Static("Esc closes · ctrl+p opens the command palette", classes="dialog-hint")

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(justify="right", style="bold")
        table.add_column()
        for title, rows in self.sections():
            table.add_row("", "")
            table.add_row("", Text(title, style="underline"))
            for key, description in rows:
                table.add_row(Text(key), Text(description))
        return table

    def sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """(title, [(keys, description)]) for the app, the screen, and each of our widgets on it."""
        sections = [("Everywhere", self._keys(self.app))]
        title = getattr(self.below, "title", None) or _words(type(self.below).__name__.removesuffix("Screen"))
        sections.append((title, self._keys(self.below)))
        seen: set[type] = set()
        for widget in self.below.walk_children():
            kind = type(widget)
            if kind in seen or not kind.__module__.startswith("workbench.") or not widget._bindings.key_to_bindings:
                continue
            seen.add(kind)
            rows = self._keys(widget)
            if rows:
                sections.append((_words(kind.__name__), rows))
        return [(title, rows) for title, rows in sections if rows]

    def _keys(self, node: DOMNode) -> list[tuple[str, str]]:
        rows: dict[str, list[str]] = {}
        for bindings in node._bindings.key_to_bindings.values():
            for binding in bindings:
                if binding.description:
                    rows.setdefault(binding.description, []).append(self.app.get_key_display(binding))
        return [(" ".join(dict.fromkeys(keys)), description) for description, keys in rows.items()]


def _words(name: str) -> str:
    """`DataGrid` → `Data grid`."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)
    return spaced[:1].upper() + spaced[1:].lower()
