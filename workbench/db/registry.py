"""Finds backends through the `workbench.backends` entry-point group.

A third backend (MySQL, DuckDB, …) is one module implementing `Backend` plus one line in its
distribution's entry points; nothing here or elsewhere changes. The two built-in backends are
also known by import path, so a source checkout that was never installed still works.
"""

from __future__ import annotations

import importlib
from functools import cache

from workbench.db.base import Backend, ConnectError
from workbench.sqltext import Statement

GROUP = "workbench.backends"
_BUILTIN = {
    "sqlite": "workbench.db.sqlite:SQLiteBackend",
    "postgresql": "workbench.db.postgres:PostgresBackend",
}
# The built-ins' lexers, loadable without their drivers (what their `split_statements` call).
_LEXERS = {"sqlite": "workbench.db.sqlite_lexer", "postgresql": "workbench.db.pg_lexer"}
# For a backend that brings no lexer: the SQL standard's rules, as SQLite follows them (a quote
# in a string is doubled, never backslash-escaped; `--` and `/* */` comments).
_STANDARD_LEXER = _LEXERS["sqlite"]


@cache
def _specs() -> dict[str, str]:
    """Built-ins first, then every entry point (reading installed metadata costs ~30 ms, so only
    when a target is not one of ours)."""
    from importlib.metadata import entry_points

    found: dict[str, str] = dict(_BUILTIN)
    for ep in entry_points(group=GROUP):
        found.setdefault(ep.name, ep.value)
    return found


@cache
def load_backend(name: str) -> Backend:
    """The backend registered as `name`, imported on first use (a driver loads only when needed)."""
    module, _, attr = (_BUILTIN.get(name) or _specs()[name]).partition(":")
    return getattr(importlib.import_module(module), attr)()


def backend_names() -> list[str]:
    return list(_specs())


def backend_for(target: str) -> Backend:
    """The backend that accepts `target`, or a `ConnectError` naming the schemes we know."""
    for name in _BUILTIN:
        if load_backend(name).accepts(target):
            return load_backend(name)
    for name in backend_names():
        backend = load_backend(name)
        if backend.accepts(target):
            return backend
    schemes = sorted({s for name in backend_names() for s in load_backend(name).url_schemes})
    shown = target.split("://", 1)[0] + "://" if "://" in target else target
    raise ConnectError(
        f"cannot tell which database {shown} is: use a URL starting with "
        + ", ".join(f"{s}://" for s in schemes)
        + " or a path ending in .db, .sqlite or .sqlite3"
    )


def split_statements(sql: str, backend: str) -> list[Statement]:
    """The statements of `sql` as the backend named `backend` cuts them, without a connection.

    Only that backend's lexer loads (an SQLite user never loads pglast or psycopg). A backend
    that brings no `split_statements`, or is not installed, gets the SQL standard's rules.
    """
    if backend in _LEXERS:
        return importlib.import_module(_LEXERS[backend]).split(sql)
    split = getattr(load_backend(backend), "split_statements", None) if backend in _specs() else None
    return split(sql) if split is not None else importlib.import_module(_STANDARD_LEXER).split(sql)
