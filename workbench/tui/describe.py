"""One sentence for the screen about an exception, shared by the app, its screens and widgets."""

from __future__ import annotations

from workbench.errors import WorkbenchError


def describe(exc: BaseException) -> str:
    """Our errors say it themselves; anything else gets its type and first line."""
    if isinstance(exc, WorkbenchError):
        return str(exc)
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"unexpected {type(exc).__name__}: {first}" if first else f"unexpected {type(exc).__name__}"
