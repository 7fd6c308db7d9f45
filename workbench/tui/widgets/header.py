"""The one-line header every screen shares: screens by key, the connection, the backend, and a
slot for the migration summary that the Migrations screen fills in (`app.migration_summary`).
When the parts do not fit in one line, the title goes, then the names of the other screens, so
the summary and the backend are never cut (`fit`).

It shows only what the app's reactives say, so whoever learns something new (the connect
worker, the migrations engine) sets the reactive and every screen's header follows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from workbench.tui.screens import SCREENS

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp


TITLE = "Schema Workbench"


class WorkbenchHeader(Horizontal):
    app: WorkbenchApp

    def compose(self) -> ComposeResult:
        # classes first, so each part is styled once, already knowing whether it shows (a class
        # changed later styles the header and every part again)
        self.update_classes(self._fitting()[0], update=False)
        yield Static(TITLE, id="header-title")
        yield Static(id="header-screens")
        yield Static(id="header-keys")  # narrow terminals: the keys, and the current screen's name
        yield Static(id="header-connection")
        yield Static(id="header-backend")
        yield Static(id="header-migrations")

    CONNECTION_ROOM = 30  # cells the connection may claim before the title and screen names give way

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
        for widget_id, text in (("#header-backend", app.backend_label), ("#header-migrations", app.migration_summary)):
            widget = self.query_one(widget_id, Static)
            widget.update(Text(text))
            widget.display = bool(text)
        self.fit()

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        """Drop the title, then the other screens' names, while the header's parts overflow its
        line; then show the connection without its scheme (the backend beside it names it)."""
        classes, short, bare = self._fitting()
        self.update_classes(classes)
        app = self.app
        # the keys alone, one space apart, and the current screen's name while the database still fits
        self.query_one("#header-keys", Static).update(
            " ".join(
                (f"[reverse]{spec.key}[/]" if bare else f"[reverse]{spec.key} {spec.title}[/]")
                if spec.mode == app.current_mode
                else spec.key
                for spec in SCREENS
            )
        )
        label = app.connection_label
        self.query_one("#header-connection", Static).update(Text(without_scheme(label) if short else label))

    def _fitting(self) -> tuple[dict[str, bool], bool, bool]:
        """The classes that fit the parts into the header's width, whether the connection must drop
        its scheme, and whether the current screen shows its key alone (so the database's name is
        never cut for the screen's). Before its first layout the header has no size: it spans the screen."""
        app = self.app
        label = app.connection_label
        width = self.size.width or app.size.width
        room = width - sum(cell_len(text) + 2 for text in (app.backend_label, app.migration_summary) if text)
        screens = sum(cell_len(f"{spec.key} {spec.title}  ") for spec in SCREENS) + 2  # the current one padded
        current = next((spec.title for spec in SCREENS if spec.mode == app.current_mode), "")
        keys = sum(cell_len(f"{spec.key} ") for spec in SCREENS) + cell_len(current) + 2
        title = cell_len(TITLE) + 2
        wanted = min(cell_len(label), self.CONNECTION_ROOM) + 2
        classes = {"-no-title": title + screens + wanted > room, "-keys-only": screens + wanted > room}
        short = bool(app.backend_label) and keys + cell_len(label) + 2 > room
        shown = cell_len(without_scheme(label) if short else label)
        return classes, short, keys + shown + 2 > room


def without_scheme(url: str) -> str:
    """`sqlite:///app.db` → `app.db`, `sqlite:////srv/app.db` → `/srv/app.db`, `postgresql://me@db/app`
    → `me@db/app`; anything else as it is."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    return rest[1:] if scheme == "sqlite" else rest
