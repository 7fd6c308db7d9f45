"""Progress of an apply, rollback or restore: a bar for statement (or step) i of n, and a line
saying what runs now and how many rows have been copied so far.

Fed with the engine's own `Progress` values, posted from the worker thread as messages; the
panel only counts, it never parses text.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from workbench.migrations.progress import Progress
from workbench.tui.widgets.progress_bar import ProgressBar

_PHASES = {"backup": "backing up tables", "statement": "statement", "restore": "step", "verify": "verifying"}


class ProgressPanel(Vertical):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows = 0  # copied to backups or restored from them, since `start`

    def compose(self) -> ComposeResult:
        yield Static(id="progress-text")
        yield ProgressBar(id="progress-bar", show_eta=False)

    def start(self, text: str) -> None:
        self.rows = 0
        self.query_one(ProgressBar).update(total=None, progress=0)
        self._say(text)

    def advance(self, p: Progress) -> None:
        """Show one report: bar at `index` of `total`, rows added to the running count."""
        if p.phase in ("backup", "restore") and p.rows:
            self.rows += p.rows
        if p.phase == "migration":
            self._say(f"{p.text} ({p.index} of {p.total})")
            self.query_one(ProgressBar).update(total=None, progress=0)
            return
        self.query_one(ProgressBar).update(total=max(p.total, 1), progress=p.index)
        where = f"{_PHASES.get(p.phase, p.phase)} {p.index} of {p.total}"
        if p.phase == "verify":
            where = f"verifying: {p.text}"
        elif p.table:
            where += f": {p.table}"
        self._say(f"{p.version} · {where} · {self.rows:,} rows copied")

    def _say(self, text: str) -> None:
        self.query_one("#progress-text", Static).update(Text(text))
