"""The one-line header every screen shares: screens by key, the connection, the backend, and a
slot for the migration summary that the Migrations screen fills in (`app.migration_summary`).

It shows only what the app's reactives say, so whoever learns something new (the connect
worker, the migrations engine) sets the reactive and every screen's header follows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from workbench.tui.screens import SCREENS

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp


class WorkbenchHeader(Horizontal):
    app: WorkbenchApp

    def compose(self) -> ComposeResult:
        yield Static("Schema Workbench", id="header-title")
        yield Static(id="header-screens")
        yield Static(id="header-connection")
        yield Static(id="header-backend")
        yield Static(id="header-migrations")

    def on_mount(self) -> None:
        for name in ("connection_label", "backend_label", "migration_summary"):
            self.watch(self.app, name, self._update, init=False)
        self.app.mode_change_signal.subscribe(self, self._update)
        self._update()

    def _update(self, _value: object = None) -> None:
        app = self.app
        self.query_one("#header-screens", Static).update(
            "  ".join(
                f"[reverse] {spec.key} {spec.title} [/]"
                if spec.mode == app.current_mode
                else f"{spec.key} {spec.title}"
                for spec in SCREENS
            )
        )
        self.query_one("#header-connection", Static).update(Text(app.connection_label))
        for widget_id, text in (("#header-backend", app.backend_label), ("#header-migrations", app.migration_summary)):
            widget = self.query_one(widget_id, Static)
            widget.update(Text(text))
            widget.display = bool(text)
