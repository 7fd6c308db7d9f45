"""What every top-level screen shares: it is styled once when it first shows, not three times."""

from __future__ import annotations

from textual import events
from textual.screen import Screen


class WorkbenchScreen(Screen[None]):
    """A screen of `SCREENS`. Textual re-styles a screen and every widget in it each time the screen
    resumes, which a screen shown for the first time does twice (as its mode starts, then as the app
    switches to it): two passes over widgets styled a moment before, as they mounted, which cost a
    first visit as much as styling them did. A screen that has never been suspended cannot have
    missed a change of theme or stylesheet (the app restyles the screen it shows), so it skips them;
    once it has been away, every return restyles it as Textual does."""

    _been_away = False

    def on_screen_suspend(self) -> None:
        self._been_away = True

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._been_away:
            event.refresh_styles = False
