"""Which database a target names, whatever it is called: protection belongs to the database.

`sqlite:///data/app.db`, `./data/app.db` and a symlink to it are one file; `postgresql://me@db/app`
and `host=db port=5432 dbname=app` are one database. A SQLite file is known by its real path; a
PostgreSQL database by its server (host, port, after libpq's defaults and environment) and name.
Local PostgreSQL spellings (Unix socket, localhost, 127.0.0.1, ::1) count as one server: when in
doubt, a protected database stays protected.
"""

from __future__ import annotations

import os
from collections.abc import Hashable

from workbench.db.base import Backend
from workbench.db.registry import backend_for

_LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}


def same_database(a: str, b: str) -> bool:
    """Whether targets `a` and `b` name the same database (False when either cannot be read)."""
    backend = backend_for(a)
    if not backend.accepts(b):  # never loads another backend's driver to compare
        return False
    return _identity(backend, a) == _identity(backend, b)


def _identity(backend: Backend, target: str) -> Hashable:
    if backend.name == "sqlite":
        path = backend.path_of(target)  # type: ignore[attr-defined]
        return ("sqlite", target if path == ":memory:" else os.path.realpath(path))
    if backend.name == "postgresql":
        return _postgres_identity(target)
    return (backend.name, target)  # a backend we know nothing of: the same text, the same database


def _postgres_identity(target: str) -> Hashable:
    import getpass

    from workbench.db import embedded

    if embedded.is_embedded(target):  # one server per user data folder, reached through its socket
        return ("postgresql", "embedded", str(embedded.default_folder().resolve()), embedded.database_of(target))

    import psycopg
    from psycopg import pq
    from psycopg.conninfo import conninfo_to_dict

    try:
        given = {k: str(v) for k, v in conninfo_to_dict(target).items() if v not in (None, "")}
    except psycopg.Error:
        return ("postgresql", "unreadable", target)  # refused when it is opened
    defaults = {o.keyword.decode(): o.val.decode() for o in pq.Conninfo.get_defaults() if o.val}
    value = {**defaults, **given}.get
    host = (value("host") or value("hostaddr") or "").lower()
    host = "local" if host in _LOCAL_HOSTS or host.startswith("/") else host
    user = value("user") or getpass.getuser()
    return ("postgresql", host, value("port") or "5432", value("dbname") or user)
