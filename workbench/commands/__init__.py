"""Headless subcommands of `workbench`, one module each (see `workbench.cli.COMMANDS`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class OpenTui:
    """A command's request to open the TUI on `project` when it is done.

    Commands never load Textual themselves (they sit beside the TUI, not above it): they return
    this, and `workbench.cli`, which starts the TUI lazily, opens it.
    """

    project: Path
