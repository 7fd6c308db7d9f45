"""The Textual application: connection, catalog, themes and the screens one key away.

Kept thin on purpose. Screens live in `workbench/tui/screens/` (one module each) and are
registered in `workbench.tui.screens.SCREENS`; adding a screen is that module plus one line there,
and its key, header entry, help and command-palette entry follow automatically.

What a screen may rely on from the app:
- `app.session`: the open `DbSession` (None until connected); run statements in a thread worker
  under `session.use("<concern>")`.
- `app.catalog` (reactive): the latest catalog, replaced whole on refresh; watch it.
- `app.outline` (reactive): the names, kinds and row estimates read at start-up before the catalog,
  to list objects early; the catalog, once there, supersedes it.
- `app.problem` (reactive): the one-sentence reason the database is unavailable, or "".
- `app.migration_summary` (reactive): text for the header's migration slot, read after every catalog.
- `app.refresh_catalog()`: re-read the schema after a change; stale results are dropped.
- post `workbench.tui.messages.SchemaChanged` after changing the database: the app reads the
  catalog again and every screen watching it follows.
"""

from __future__ import annotations

import gc
import os
import threading
from typing import ClassVar
from collections.abc import Callable, Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen

from workbench.db.base import CatalogOutline
from workbench.db.catalog import Catalog
from workbench.project import Project, Target
from workbench.tui.commands import CatalogCommands, MigrationCommands, ThemeCommands
from workbench.tui.config import UserConfig
from workbench.tui.describe import describe
from workbench.tui.messages import SchemaChanged
from workbench.tui.recent import remember
from workbench.tui.screens import SCREENS
from workbench.tui.session import DbSession, Opening
from workbench.tui.themes import DEFAULT_THEME, load_themes


class WorkbenchApp(App[None]):
    """Schema Workbench. Build it with `workbench.tui.make_app`."""

    # Every screen's stylesheet is read once at start-up (a few KB): Textual re-parses all CSS
    # whenever a new source arrives, which made each first visit to a screen pay 0.1-0.3 s.
    CSS_PATH = [
        "styles/app.tcss",
        "styles/migrations.tcss",
        "styles/backups.tcss",
        "styles/rollback_wizard.tcss",
        "styles/verify.tcss",
        "styles/coverage.tcss",
        "styles/connect.tcss",
        "styles/query.tcss",
    ]
    TITLE = "Schema Workbench"
    COMMANDS = App.COMMANDS | {CatalogCommands, MigrationCommands}
    # Screens get `-narrow` below 100 columns and `-short` below 32 rows: the stylesheets give names,
    # figures and a confirmation's field room first there.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        # The header shows the screens with their keys; the footer keeps its room for the screen's own.
        *(Binding(spec.key, f"show_screen({spec.mode!r})", spec.title, show=False) for spec in SCREENS),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+t", "change_theme", "Theme", show=False),
        Binding("ctrl+r", "refresh_catalog", "Reload", show=False),
        Binding("ctrl+o", "pick_connection", "Connect to…", show=False),
    ]

    connection_label: reactive[str] = reactive("")
    backend_label: reactive[str] = reactive("")
    migration_summary: reactive[str] = reactive("")
    problem: reactive[str] = reactive("")
    catalog: reactive[Catalog | None] = reactive(None, always_update=True)
    outline: reactive[CatalogOutline | None] = reactive(None)
    catalog_loading: reactive[bool] = reactive(False)

    class Connected(Message):
        def __init__(self, session: DbSession) -> None:
            super().__init__()
            self.session = session

    class Connecting(Message):
        def __init__(self, label: str) -> None:
            super().__init__()
            self.label = label

    class Failed(Message):
        """The connection or a catalog read failed; `generation` is the catalog request's."""

        def __init__(self, message: str, generation: int) -> None:
            super().__init__()
            self.message = message
            self.generation = generation

    class Outlined(Message):
        def __init__(self, outline: CatalogOutline, generation: int) -> None:
            super().__init__()
            self.outline = outline
            self.generation = generation

    class CatalogLoaded(Message):
        def __init__(self, catalog: Catalog, generation: int) -> None:
            super().__init__()
            self.catalog = catalog
            self.generation = generation

    class Summarised(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, target: Target, project: Project | None = None, opening: Opening | None = None) -> None:
        super().__init__()
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            # Textual's tab underline slides at level "basic": only "none" stops the 0.3 s of frames
            # that every tab switch (the Data tab too) would otherwise cost a keyboard user.
            self.animation_level = "none"
        self.target = target
        self.project = project
        self.session: DbSession | None = None
        self._opening = opening or Opening(target)
        self._generation = 0
        for spec in SCREENS:
            self.add_mode(spec.mode, self._fresh(spec.factory()))
        themes, self._problems = load_themes()
        for theme in themes:
            self.register_theme(theme)
        self.config, warning = UserConfig.load()
        self._problems += [warning] if warning else []
        wanted = self.config.theme or DEFAULT_THEME
        self.theme = wanted if wanted in self.available_themes else DEFAULT_THEME
        self.connection_label = target.profile.name if target.profile else "connecting…"

    def _fresh(self, build: Callable[[], Screen[object]]) -> Callable[[], Screen[object]]:
        """`build`, with the new screen marked as styled by the current stylesheet and sized for the
        terminal.

        Textual re-parses every stylesheet twice when a mode's screen first appears (its screen starts
        with no CSS generation), 0.1-0.2 s each on two cores, though a screen never shown cannot hold
        stale styles: what it mounts is styled by the stylesheet of the moment anyway. And it gives a
        screen its breakpoint classes (`-narrow`, `-tall`, …) only on its first resize, after every
        widget was styled without them, so that all are styled again: given before it mounts, they
        are right from the start.
        """

        def fresh() -> Screen[object]:
            screen = build()
            screen._css_update_count = self._css_update_count
            width, height = self.size
            screen.add_class(
                _breakpoint(width, self.HORIZONTAL_BREAKPOINTS),
                _breakpoint(height, self.VERTICAL_BREAKPOINTS),
                update=False,
            )
            return screen

        return fresh

    # -- lifecycle ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.switch_mode(SCREENS[0].mode)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        for problem in self._problems:
            self.notify(problem, severity="warning", timeout=8)
        self.catalog_loading = True
        self._connect(self._opening)

    def on_unmount(self) -> None:
        gc.unfreeze()  # what `_after_catalog_shown` froze can go with the app (tests run many in one process)
        if self.session is not None:
            self.session.close()

    @work(thread=True, group="connect", exclusive=True, exit_on_error=False)
    def _connect(self, opening: Opening) -> None:
        """Wait for the connection opened in the background, then for its outline; the catalog follows."""
        generation = self._generation
        try:
            from workbench.db import redact

            self.post_message(self.Connecting(redact(opening.target.url)))
            session = opening.session.result()
            self.post_message(self.Connected(session))
            remember(opening.target)  # offered again by the picker; a file that cannot be written is no loss
            self.post_message(self.Outlined(opening.outline.result(), generation))
        except Exception as exc:  # every failure becomes a sentence on screen
            self.post_message(self.Failed(describe(exc), generation))

    def on_workbench_app_connecting(self, message: Connecting) -> None:
        self.connection_label = message.label

    def on_workbench_app_connected(self, message: Connected) -> None:
        self.session = message.session
        self.connection_label = message.session.display_url
        self.backend_label = message.session.backend

    def on_workbench_app_outlined(self, message: Outlined) -> None:
        """Show the outline now; read the catalog after the frame that shows it (see `Opening`)."""
        if message.generation != self._generation or self.session is None:
            return
        self.outline = message.outline
        self.call_after_refresh(self._load_catalog, self.session, message.generation)

    def refresh_catalog(self) -> None:
        """Read the catalog again; with no connection, open the target again from scratch (a file
        created since the first attempt is found: a failure is never remembered)."""
        self._generation += 1
        self.catalog_loading = True
        if self.session is None:
            self._connect(Opening(self.target))
        else:
            self._load_catalog(self.session, self._generation)

    @work(thread=True, group="catalog", exclusive=True, exit_on_error=False)
    def _load_catalog(self, session: DbSession, generation: int) -> None:
        """Read the whole catalog."""
        try:
            with session.use("catalog") as conn:
                catalog = conn.introspect()
        except Exception as exc:
            self.post_message(self.Failed(describe(exc), generation))
            return
        self.post_message(self.CatalogLoaded(catalog, generation))

    def on_workbench_app_catalog_loaded(self, message: CatalogLoaded) -> None:
        if message.generation != self._generation:
            return  # a newer refresh is on its way
        self.problem = ""
        self.catalog_loading = False
        self.catalog = message.catalog
        self.call_after_refresh(self._after_catalog_shown, first=message.generation == 0)

    def _after_catalog_shown(self, first: bool) -> None:
        """Work that must not delay the frame showing the catalog: the header's summary, and once the
        first catalog is in, freezing start-up's objects for the garbage collector.

        Start-up leaves ~100,000 long-lived objects (modules, styles, widgets, the catalog); every full
        collection would walk them again, a 40–130 ms pause in the middle of a key press. Frozen, they
        are skipped; what start-up made as cyclic garbage (a few hundred objects) is never reclaimed.
        """
        if first:
            gc.freeze()
            self._import_screens()
        if self.session is not None:
            self._summarise(self.session)

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _import_screens(self) -> None:
        """Import the other screens' modules while the user reads the catalog, and let each warm what
        its first visit uses (`ScreenSpec.prepare`), so that a first visit does not wait for them (the
        Migrations screen alone imports the engine: 0.2 s)."""
        backend = self.session.backend if self.session is not None else "sqlite"
        for spec in SCREENS:
            spec.prepare(backend)

    @work(thread=True, group="migration-summary", exclusive=True, exit_on_error=False)
    def _summarise(self, session: DbSession) -> None:
        """The header's migration summary; empty when there is nothing to say (the Migrations screen says why)."""
        try:
            from workbench.tui.migration_state import service_for

            with session.use("migrate") as conn:
                text = service_for(conn, self.project).summary()
        except Exception:
            text = ""
        self.post_message(self.Summarised(text))

    def on_workbench_app_summarised(self, message: Summarised) -> None:
        self.migration_summary = message.text

    def on_schema_changed(self, message: SchemaChanged) -> None:
        """An apply, rollback or restore changed the database: read the catalog again."""
        self.refresh_catalog()

    def on_workbench_app_failed(self, message: Failed) -> None:
        if message.generation != self._generation:
            return
        self.catalog_loading = False
        self.problem = message.message

    # -- actions -----------------------------------------------------------------------------

    def action_refresh_catalog(self) -> None:
        """Read the schema again, or connect again when the database was not available."""
        self.refresh_catalog()

    def action_pick_connection(self) -> None:
        """Choose another database: a profile, a recent one, or a URL typed in."""
        from workbench.tui.screens.connect import ConnectScreen

        if isinstance(self.screen, ModalScreen) or any(getattr(s, "busy", False) for s in self.screen_stack):
            # switching closes this connection: never under a dialog, an apply or a restore
            self.notify("Finish or close what is open first, then ctrl+o switches the database.", severity="warning")
            return
        current = self.session.display_url if self.session else None
        self.push_screen(ConnectScreen(self.project, current), self.use_connection)

    def use_connection(self, opening: Opening | None) -> None:
        """Switch to the database `opening` opened (the picker waited until it had): every screen
        follows the new catalog; the old connection is closed in the background."""
        if opening is None:
            return
        old, self.session = self.session, None
        self.target = opening.target
        self._generation += 1
        self.problem = self.migration_summary = ""
        self.outline, self.catalog, self.catalog_loading = None, None, True
        self._connect(opening)
        if old is not None:
            threading.Thread(target=old.close, name="workbench-close", daemon=True).start()

    def action_show_screen(self, mode: str) -> None:
        """Show one of the top-level screens."""
        self.switch_mode(mode)

    def action_help(self) -> None:
        """List every key of the current screen and the app."""
        from workbench.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for spec in SCREENS:
            yield SystemCommand(
                f"Go to {spec.title}", f"{spec.help} (key {spec.key})", lambda m=spec.mode: self.switch_mode(m)
            )
        yield SystemCommand(
            "Refresh catalog",
            "Read the schema again after an outside change, or connect again (ctrl+r)",
            self.refresh_catalog,
        )
        yield SystemCommand(
            "Connect to another database", "A profile, a recent one or a URL (ctrl+o)", self.action_pick_connection
        )
        yield SystemCommand("Help", "Every key of this screen (key ?)", self.action_help)
        yield from super().get_system_commands(screen)

    def search_themes(self) -> None:
        """`ctrl+t` and the palette's "Theme": our themes first, by readable names."""
        self.push_screen(CommandPalette(providers=[ThemeCommands], placeholder="Search for themes…"))

    def _remember_theme(self, theme: object) -> None:
        if self.theme != self.config.theme:
            self.config = self.config.with_theme(self.theme)
            problem = self.config.save()
            if problem:
                self.notify(problem, severity="warning")


def _breakpoint(size: int, breakpoints: list[tuple[int, str]]) -> str:
    """The class Textual gives a screen `size` cells wide (or high): the highest breakpoint it reaches."""
    return max((point for point in breakpoints if size >= point[0]), default=breakpoints[0])[1]
