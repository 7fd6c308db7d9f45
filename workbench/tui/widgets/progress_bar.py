"""A progress bar whose parts are built the first time it shows."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import ProgressBar as TextualProgressBar


class ProgressBar(TextualProgressBar):
    """Textual's bar, built when it first shows: most bars wait hidden until something runs, and
    built with their screen they cost its first visit three more widgets to mount and style (with a
    dozen component classes), 20–40 ms. Its values (`update`, `total`, `progress`) work before."""

    _parts_built = False

    def compose(self) -> ComposeResult:
        if self._parts_built:
            yield from super().compose()

    def on_show(self) -> None:
        if not self._parts_built:
            self._parts_built = True
            self.refresh(recompose=True)
