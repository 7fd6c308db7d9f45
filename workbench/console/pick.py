"""Which statements of the editor's text a run or an EXPLAIN is about: the selection's, or the one
under the cursor — cut by the connection's backend (`Backend.split_statements`), so a `;` inside a
string, a comment or a dollar-quoted body never splits a statement.
"""

from __future__ import annotations

from workbench.db.base import Backend


def statements_in(backend: Backend, text: str) -> list[str]:
    """Every statement of `text`, in order."""
    return [s.sql for s in backend.split_statements(text)]


def statement_at(backend: Backend, text: str, line: int) -> str | None:
    """The statement the cursor on `line` (0-based) is in: the last one starting on or before it."""
    found = None
    for statement in backend.split_statements(text):
        if statement.line - 1 > line and found is not None:
            break
        found = statement.sql
    return found
