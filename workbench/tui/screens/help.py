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
from textual.widget import Widget
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", key_display="Esc")]

    def __init__(self, below: Screen[object]) -> None:
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
        """(title, [(keys, description)]) for the app, the screen, and each of our widgets on it
        that can have the focus (itself or inside it: keys reach only the focused widget's chain)."""
        title = getattr(self.below, "title", None) or _words(type(self.below).__name__.removesuffix("Screen"))
        sections = [("Everywhere", self._rows(self.app)), (title, self._rows(self.below))]
        seen: set[type] = set()
        for widget in self.below.walk_children(Widget):
            kind = type(widget)
            if kind in seen or not kind.__module__.startswith("workbench."):
                continue
            seen.add(kind)
            if widget.can_focus or any(child.can_focus for child in widget.walk_children(Widget)):
                sections.append((_words(kind.__name__), self._rows(widget)))
        return [(title, rows) for title, rows in sections if rows]

    def _rows(self, node: DOMNode) -> list[tuple[str, str]]:
        """(keys, description) of `node`'s bindings that have a description, one row per description.

        The bindings its classes declare, and those Textual added at run time (the command palette's
        key on the app) as the screen's `active_bindings` report them.
        """
        bindings = _declared(type(node))
        bindings += [b for owner, b, *_ in self.below.active_bindings.values() if owner is node and b not in bindings]
        rows: dict[str, list[str]] = {}
        for binding in bindings:
            if binding.description:
                rows.setdefault(binding.description, []).append(self.app.get_key_display(binding))
        return [(" ".join(dict.fromkeys(keys)), description) for description, keys in rows.items()]


def _declared(kind: type[DOMNode]) -> list[Binding]:
    """The bindings `kind`'s classes declare in `BINDINGS`; a subclass's binding of a key replaces its base's."""
    by_key: dict[str, list[Binding]] = {}
    for base in reversed(kind.__mro__):
        if issubclass(base, DOMNode) and "BINDINGS" in vars(base):
            declared: dict[str, list[Binding]] = {}
            for binding in Binding.make_bindings(vars(base)["BINDINGS"]):
                declared.setdefault(binding.key, []).append(binding)
            by_key.update(declared)
    return [binding for bindings in by_key.values() for binding in bindings]


def _words(name: str) -> str:
    """`DataGrid` → `Data grid`."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)
    return spaced[:1].upper() + spaced[1:].lower()
