"""Progress reports for long work, as plain values a screen can show (no Textual here).

The engine calls `progress(Progress(...))` from whatever thread it runs in; the TUI turns the
counts into a progress bar. Counts, never sentences to parse: `text` is only for people.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """One report. `phase`: migration (starting migration `index` of `total`), backup (table
    `index` of `total` copied, `rows` rows), statement (statement `index` of `total` done),
    restore (a rollback step `index` of `total` done, `rows` rows copied back), verify."""

    phase: str
    version: str
    index: int
    total: int
    rows: int | None = None
    table: str | None = None
    text: str = ""


ProgressCallback = Callable[[Progress], object]  # what it returns is ignored


def ignore(_: Progress) -> None:
    """The callback when nobody is watching."""
