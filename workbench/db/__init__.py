"""The connection layer: the only package that imports database drivers.

`connect(target)` is the front door: it picks the backend from the URL or path and returns a
`Connection` (see `base.py` for what a connection promises). `split_statements(sql, backend)`
cuts a script as that backend would, for code that has its name but no connection.
"""

from __future__ import annotations

import os
import re
from typing import Any

from workbench.db.base import (
    Backend,
    Capabilities,
    ConnectError,
    Connection,
    DatabaseError,
    LockTimeout,
    QueryCancelled,
    QueryTimeout,
    Result,
)
from workbench.db.registry import backend_for, split_statements

__all__ = [
    "Backend",
    "Capabilities",
    "ConnectError",
    "Connection",
    "DatabaseError",
    "LockTimeout",
    "QueryCancelled",
    "QueryTimeout",
    "Result",
    "connect",
    "missing_sqlite_file",
    "redact",
    "split_statements",
]


def connect(target: str, *, options: dict[str, Any] | None = None) -> Connection:
    """Open `target` (URL or SQLite path) with the backend that accepts it."""
    return backend_for(target).connect(target, options=options)


def missing_sqlite_file(target: str) -> str | None:
    """The path of the SQLite file `target` names when there is no such file yet, else None
    (another backend, `:memory:`, or a file that exists). Says nothing about whether to create it:
    `migrate up` does (`options={"create": True}`), reading commands never do."""
    if backend_for(target).name != "sqlite":
        return None
    from workbench.db.sqlite import SQLiteBackend

    path = SQLiteBackend().path_of(target)
    return None if path == ":memory:" or os.path.lexists(path) else path


def redact(target: str) -> str:
    """`target` with any password removed, fit for display, whatever the scheme."""
    try:
        return backend_for(target).redact(target)
    except ConnectError:
        return re.sub(r"(://[^/@:]*):[^/@]*@", r"\1:***@", target)
