"""The app's top-level screens, each one key away: the single list the app, footer, help and
command palette are built from.

Adding a screen is one module plus one line here. The module defines a `Screen` subclass whose
constructor takes no arguments (it reads `self.app.session`, `self.app.catalog`, `self.app.project`);
the line names its key, mode, title and `module:Class`. The module is imported the first time
the screen is shown, so start-up never pays for screens the user does not open; and ahead of that,
on a worker thread while the user reads the catalog, where the module may also warm what its first
visit uses with a function `prepare(backend: str) -> None` (a lexer's compiled patterns).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from collections.abc import Callable

from textual.screen import Screen


@dataclass(frozen=True)
class ScreenSpec:
    key: str
    mode: str
    title: str
    help: str  # one line for the command palette
    target: str  # "module:Class"

    def load(self) -> type[Screen[object]]:
        """The screen's class, importing its module on first use."""
        screen: type[Screen[object]] = getattr(self.load_module(), self.target.partition(":")[2])
        return screen

    def prepare(self, backend: str) -> None:
        """Import the screen's module and run its `prepare(backend)`, if it has one (a worker calls
        this ahead of the first visit; what it warms must be safe to use from any thread)."""
        prepare: Callable[[str], None] | None = getattr(self.load_module(), "prepare", None)
        if prepare is not None:
            prepare(backend)

    def load_module(self) -> ModuleType:
        return importlib.import_module(self.target.partition(":")[0])

    def factory(self) -> Callable[[], Screen[object]]:
        """A zero-argument callable building the screen, importing its module on first use."""
        return lambda: self.load()()


SCREENS: tuple[ScreenSpec, ...] = (
    ScreenSpec(
        "1", "browse", "Browse", "Schema tree, table details and data", "workbench.tui.screens.browse:BrowseScreen"
    ),
    ScreenSpec(
        "2",
        "migrations",
        "Migrations",
        "Plan, apply and roll back migrations with backups",
        "workbench.tui.screens.migrations:MigrationsScreen",
    ),
    ScreenSpec(
        "3",
        "verify",
        "Verify",
        "Run verification checks and see what failed",
        "workbench.tui.screens.verify:VerifyScreen",
    ),
    ScreenSpec(
        "4",
        "coverage",
        "Coverage",
        "Use-case coverage, scenarios and gaps",
        "workbench.tui.screens.coverage:CoverageScreen",
    ),
    ScreenSpec(
        "5",
        "query",
        "Query",
        "An SQL editor: results, EXPLAIN, history, undoable changes",
        "workbench.tui.screens.query:QueryScreen",
    ),
    ScreenSpec(
        "6",
        "compare",
        "Compare",
        "Diff two schemas (connections, profiles or the migrations) and write the migration between them",
        "workbench.tui.screens.compare:CompareScreen",
    ),
)
