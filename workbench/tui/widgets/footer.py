"""The key bar at the bottom of every screen: Textual's footer, rebuilt only when its keys change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey


class Footer(TextualFooter, inherit_bindings=False):
    """Textual announces new bindings twice for each move of the focus (as it moves, and again after
    the next frame). Each rebuild mounts a widget per key and lays the whole screen out again,
    ~50 ms with the two dozen keys of Browse; a rebuild that would show the same keys is skipped.

    It never has the focus, so it keeps none of the scrolling keys it would inherit (nor lists them
    in the help)."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: list[tuple[Binding, bool, str]] | None = None

    async def recompose(self) -> None:
        if not self.is_attached:  # a screen being switched away can still announce its bindings
            return
        shown = [
            (binding, enabled, tooltip)
            for _, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show
        ]
        if shown == self._shown and self.children:
            return
        self._shown = shown
        await super().recompose()

    def compose(self) -> ComposeResult:
        """Textual's keys, each told the footer's `compact` before it mounts: a key starts compact and
        learns otherwise from its binding to the footer once mounted, and each change re-styles it (two
        style passes per key, 30–60 ms for a footer of a dozen keys on every first visit and every
        rebuild). The command palette's key has no such binding and stays as Textual makes it."""
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget
