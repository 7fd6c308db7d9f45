"""Progress reports for long work, as plain values a screen can show (no Textual here).

The engine calls `progress(Progress(...))` from whatever thread it runs in; the TUI turns the
counts into a progress bar. Counts, never sentences to parse: `text` is only for people.
"""

from __future__ import annotations

import time
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


def throttled(callback: ProgressCallback, interval: float = 0.05) -> ProgressCallback:
    """`callback`, passed every report but the run of statement reports: of those, one per
    `interval` seconds and the last of each migration. A 100,000-row seed file reports each
    statement; a screen that redrew for each would spend longer drawing than the database
    takes to run them."""
    last = 0.0

    def report(p: Progress) -> object:
        nonlocal last
        now = time.monotonic()
        if p.phase == "statement" and p.index < p.total and now - last < interval:
            return None
        last = now
        return callback(p)

    return report
