"""Finds backends through the `workbench.backends` entry-point group.

A third backend (MySQL, DuckDB, …) is one module implementing `Backend` plus one line in its
distribution's entry points; nothing here or elsewhere changes. The two built-in backends are
also known by import path, so a source checkout that was never installed still works.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
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


# Built-in backends whose driver comes with an extra (`pip install 'schema-workbench[postgres]'`),
# with the URL schemes that mean them: known here, so the hint needs no driver.
_EXTRAS = {"postgresql": ("postgres", ("postgresql", "postgres", "postgresql+embedded"))}


class MissingExtra(ConnectError):
    """A built-in backend's driver is not installed: the message says which extra brings it."""


@cache
def load_backend(name: str) -> Backend:
    """The backend registered as `name`, imported on first use (a driver loads only when needed)."""
    module, _, attr = (_BUILTIN.get(name) or _specs()[name]).partition(":")
    try:
        loaded = importlib.import_module(module)
    except ImportError as exc:
        if name not in _EXTRAS or exc.name == module:
            raise
        extra = _EXTRAS[name][0]
        raise MissingExtra(
            f"the {name} backend needs the {extra} extra ({exc.name} is not installed): "
            f"pip install 'schema-workbench[{extra}]'"
        ) from None
    backend: Backend = getattr(loaded, attr)()
    return backend


def backend_names() -> list[str]:
    return list(_specs())


def _loadable(names: Iterable[str]) -> Iterator[Backend]:
    """The backends named, each imported when reached; those missing their extra left out."""
    for name in names:
        try:
            yield load_backend(name)
        except MissingExtra:
            continue


def backend_for(target: str) -> Backend:
    """The backend that accepts `target`, or a `ConnectError` naming the schemes we know (or the
    extra to install, for a built-in backend's URL whose driver is missing)."""
    scheme = target.split("://", 1)[0].lower() if "://" in target else None
    for name, (_, extra_schemes) in _EXTRAS.items():
        if scheme in extra_schemes:
            return load_backend(name)
    for backend in _loadable(_BUILTIN):  # built-ins first: reading entry points costs ~30 ms
        if backend.accepts(target):
            return backend
    for backend in _loadable(backend_names()):
        if backend.accepts(target):
            return backend
    schemes = sorted({s for backend in _loadable(backend_names()) for s in backend.url_schemes})
    shown = target.split("://", 1)[0] + "://" if "://" in target else target
    raise ConnectError(
        f"cannot tell which database {shown} is: use a URL starting with "
        + ", ".join(f"{s}://" for s in schemes)
        + " or a path ending in .db, .sqlite, .sqlite3 or .db3"
    )


def split_statements(sql: str, backend: str) -> list[Statement]:
    """The statements of `sql` as the backend named `backend` cuts them, without a connection.

    Only that backend's lexer loads (an SQLite user never loads pglast or psycopg). A backend
    that brings no `split_statements`, or is not installed, gets the SQL standard's rules.
    """
    module = lexer_module(backend)
    if module is None:
        own: Callable[[str], list[Statement]] = load_backend(backend).split_statements
        return own(sql)
    split: Callable[[str], list[Statement]] = importlib.import_module(module).split
    return split(sql)


def lexer_module(backend: str) -> str | None:
    """The module of the lexer that cuts `backend`'s statements (its `split`, `statement_ends`
    and `end_finder`), or None when the backend cuts them with its own `split_statements`."""
    if backend in _LEXERS:
        return _LEXERS[backend]
    own = getattr(load_backend(backend), "split_statements", None) if backend in _specs() else None
    return None if own is not None else _STANDARD_LEXER
