"""Command-palette entries beyond the app's system commands: open any object of the catalog, the
Migrations screen's actions (the guided rollback, the backups, applying the next migration), and
the theme picker (`ctrl+t`), which lists our own themes first under readable names."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from workbench.browse.outline import ObjectRef, objects
from workbench.tui.themes import DEFAULT_THEME, theme_title


class CatalogCommands(Provider):
    """`ctrl+p`, then part of a name: jump to that table, view, type or function in Browse."""

    async def search(self, query: str) -> Hits:
        catalog = getattr(self.app, "catalog", None)
        if catalog is None:
            return
        matcher = self.matcher(query)
        for ref, _ in objects(catalog):
            text = f"Open {ref.kind} {ref.qualified}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self._open, ref), help="Show it in Browse")

    async def discover(self) -> Hits:
        catalog = getattr(self.app, "catalog", None)
        for ref, _ in objects(catalog)[:20] if catalog is not None else []:
            yield DiscoveryHit(f"Open {ref.kind} {ref.qualified}", partial(self._open, ref), help="Show it in Browse")

    async def _open(self, ref: ObjectRef) -> None:
        from workbench.tui.screens.browse import BrowseScreen

        await self.app.switch_mode("browse")
        if isinstance(self.app.screen, BrowseScreen):
            self.app.screen.reveal(ref)


MIGRATION_ACTIONS = (
    (
        "Roll back a migration (guided)",
        "rollback",
        "Target, plan, safety backup, confirmation, run, checks (key r on 2)",
    ),
    ("Backups", "backups", "Backup tables: compare with the live table, restore one, purge old ones (key b on 2)"),
    ("Apply the next migration", "apply_next", "After a confirmation listing the backups to take (key a on 2)"),
)


class MigrationCommands(Provider):
    """The Migrations screen's actions, from anywhere: the screen opens, then the action runs."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_ in MIGRATION_ACTIONS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, action), help=help_)

    async def discover(self) -> Hits:
        for title, action, help_ in MIGRATION_ACTIONS:
            yield DiscoveryHit(title, partial(self._run, action), help=help_)

    async def _run(self, action: str) -> None:
        await self.app.switch_mode("migrations")
        await self.app.screen.run_action(action)


class ThemeCommands(Provider):
    """`ctrl+t`: Schema Workbench's themes (dark, light, high contrast) first, then Textual's own."""

    def _themes(self) -> list[tuple[str, str, str]]:
        """(title, theme name, help) for each registered theme: ours, then the rest by name."""
        entries = []
        for name in sorted(self.app.available_themes):
            title = theme_title(name)
            if title is None:
                entries.append((name, name, "A theme that comes with Textual"))
            else:
                default = " (the default)" if name == DEFAULT_THEME else ""
                entries.append((title, name, f"Schema Workbench's own{default}: {name}"))
        return sorted(entries, key=lambda entry: entry[0] == entry[1])  # stable: ours keep their order

    async def discover(self) -> Hits:
        for title, name, help_ in self._themes():
            yield DiscoveryHit(title, partial(self._use, name), help=help_)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, name, help_ in self._themes():
            score = max(matcher.match(title), matcher.match(name))
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._use, name), help=help_)

    def _use(self, name: str) -> None:
        self.app.theme = name
