"""Where SQLite statements end, as SQLite itself decides.

Every `;` is a candidate end; it is one when `sqlite3.complete_statement` (SQLite's own
`sqlite3_complete`) calls the text since the last end a complete statement. So a `;` inside a
string, a quoted name, a comment or a trigger's `BEGIN … END;` body (CASE … END included) ends
nothing, and a backslash escapes nothing, exactly as when SQLite runs the text. Text after the
last `;` is a last statement. Standard library only: cheap to load.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from workbench.sqltext import Statement, cut


def split(sql: str) -> list[Statement]:
    """The statements of `sql`, cut where SQLite ends them (see `workbench.sqltext.cut`)."""
    return cut(sql, statement_ends(sql))


def statement_ends(sql: str) -> list[int]:
    """Offsets of the `;` that end statements, in order."""
    next_end = end_finder(sql)
    ends: list[int] = []
    at = next_end(0)
    while at is not None:
        ends.append(at)
        at = next_end(at + 1)
    return ends


def end_finder(sql: str) -> Callable[[int], int | None]:
    """For `sql`: where the statement starting at a given offset (a statement start) ends, the
    offset of its `;`, or None when it runs to the end of the text."""
    probe = sql.replace("\0", " ")  # complete_statement refuses NUL; running such text fails later

    def next_end(start: int) -> int | None:
        at = probe.find(";", start)
        while at >= 0:
            if sqlite3.complete_statement(probe[start : at + 1]):
                return at
            at = probe.find(";", at + 1)
        return None

    return next_end
