"""The terminal UI. `make_app` is its only entry point, shared by the CLI and the tests.

Importing this package costs nothing: Textual and the screens load inside `make_app`, so the
headless commands (`workbench verify`, …) never pay for the UI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.project import Project, Target
    from workbench.tui.app import WorkbenchApp


def make_app(target: Target, project: Project | None = None) -> WorkbenchApp:
    """The app for `target`; call `.run()` on it.

    The database is opened and its outline read on a background thread that starts here, before
    Textual is imported, so the names are ready about when the first frame is.
    """
    from workbench.tui.session import Opening

    opening = Opening(target)
    from workbench.tui.app import WorkbenchApp

    return WorkbenchApp(target, project, opening)
