"""Throwaway databases for the benchmarks: a fresh SQLite file or PostgreSQL database, removed after.

PostgreSQL comes from WORKBENCH_TEST_PG (a server where we may CREATE DATABASE), as in the tests.
"""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Iterator

from workbench.db import ConnectError, connect

PG_ADMIN_URL = os.environ.get("WORKBENCH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def pg_problem() -> str | None:
    """None when PostgreSQL answers, else why not (benchmarks skip that backend and say so)."""
    try:
        connect(PG_ADMIN_URL, options={"connect_timeout": 3}).close()
    except ConnectError as exc:
        return str(exc)
    return None


def chosen_backends(choice: str) -> list[str]:
    """The backends `--backend` names ("both": SQLite and PostgreSQL), without PostgreSQL when it
    does not answer (said on stderr)."""
    backends = ["sqlite", "postgresql"] if choice == "both" else [choice]
    problem = pg_problem() if "postgresql" in backends else None
    if problem:
        print(f"PostgreSQL unreachable ({problem}): measuring SQLite only", file=sys.stderr)
        backends.remove("postgresql")
    return backends


@contextmanager
def fresh_database(backend: str) -> Iterator[str]:
    """The URL of a new, empty database on `backend`, dropped when the block ends."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="workbench-bench-") as folder:
            path = Path(folder) / "bench.db"
            connect(str(path), options={"create": True}).close()
            yield f"sqlite:///{path}"
        return
    name = f"wb_bench_{uuid.uuid4().hex[:10]}"
    admin = connect(PG_ADMIN_URL)
    admin.execute(f"CREATE DATABASE {admin.quote(name)}")
    try:  # a dbname query parameter overrides the URL's own database in libpq
        yield PG_ADMIN_URL + ("&" if "?" in PG_ADMIN_URL else "?") + f"dbname={name}"
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {admin.quote(name)} WITH (FORCE)")
        admin.close()
