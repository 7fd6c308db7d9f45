"""Shared fixtures: real SQLite files and real PostgreSQL databases, one fresh database per test.

PostgreSQL comes from WORKBENCH_TEST_PG (a URL of a server where we may CREATE DATABASE), else
the local default; when nothing answers there, or WORKBENCH_TEST_PG=embedded, from an embedded
server (`tests/embedded_pg.py`) that the session starts once in a temporary folder. A URL that was
set and does not answer fails the PostgreSQL tests. Only when none was set and no embedded server
can be had do they skip, with a loud notice at the end of the run; under CI=true, they fail.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from collections.abc import Callable, Iterator

import pytest

from tests import embedded_pg
from workbench.db import ConnectError, Connection, connect, embedded

PG_ADMIN_URL = os.environ.get("WORKBENCH_TEST_PG", embedded_pg.DEFAULT_URL)  # pytest_configure may change it
CORPUS = Path(os.environ.get("WORKBENCH_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

_pg_problem: str | None = None
_pg_checked = False
_PG_SKIP = "PostgreSQL unreachable"


def _pg_available() -> str | None:
    """None when PostgreSQL answers, else the reason it does not (checked once per process)."""
    global _pg_checked, _pg_problem
    if not _pg_checked:
        _pg_checked = True
        try:
            connect(PG_ADMIN_URL, options={"connect_timeout": 3}).close()
        except ConnectError as exc:
            _pg_problem = str(exc)
    return _pg_problem


def pg_url_for(dbname: str) -> str:
    """The admin URL with its database swapped for `dbname`."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(PG_ADMIN_URL)
    params["dbname"] = dbname
    return make_conninfo(**params)


def _need_pg() -> None:
    problem = _pg_available()
    if problem is None:
        return
    if IN_CI:
        pytest.fail(f"PostgreSQL is required under CI but unreachable: {problem}", pytrace=False)
    if "WORKBENCH_TEST_PG" in os.environ:  # asked for (or started for this run): never skipped quietly
        pytest.fail(f"PostgreSQL at WORKBENCH_TEST_PG is unreachable: {problem}", pytrace=False)
    pytest.skip(f"{_PG_SKIP} ({problem}); {embedded_pg.HINT}")


def create_pg_database(prefix: str = "wbtest") -> str:
    """Create a fresh, empty database; return its name. The caller drops it (`drop_pg_database`)."""
    _need_pg()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = connect(PG_ADMIN_URL)
    try:
        admin.execute(f"CREATE DATABASE {admin.quote(name)}")
    finally:
        admin.close()
    return name


def drop_pg_database(name: str) -> None:
    admin = connect(PG_ADMIN_URL)
    try:
        admin.execute(f"DROP DATABASE IF EXISTS {admin.quote(name)} WITH (FORCE)")
    finally:
        admin.close()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh, empty SQLite database file."""
    path = tmp_path / "test.db"
    connect(str(path), options={"create": True}).close()
    return f"sqlite:///{path}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped after the test."""
    name = create_pg_database()
    try:
        yield pg_url_for(name)
    finally:
        drop_pg_database(name)


@pytest.fixture
def pg_roles(pg_url: str) -> Iterator[Callable[[], str]]:
    """Makes roles to grant to. Roles are server-wide, so each test makes its own, and they are
    dropped with their objects and privileges in the test's database before that database goes."""
    made: list[str] = []
    conn = connect(pg_url)

    def make() -> str:
        made.append(f"wbrole_{uuid.uuid4().hex[:10]}")
        conn.execute(f"CREATE ROLE {made[-1]}")
        return made[-1]

    try:
        yield make
    finally:
        for name in reversed(made):
            conn.execute(f"DROP OWNED BY {name}")
            conn.execute(f"DROP ROLE {name}")
        conn.close()


@pytest.fixture
def pg_role(pg_roles: Callable[[], str]) -> str:
    return pg_roles()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend_url(request: pytest.FixtureRequest) -> str:
    """A fresh, empty database on each backend in turn."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def conn(backend_url: str) -> Iterator[Connection]:
    connection = connect(backend_url)
    try:
        yield connection
    finally:
        connection.close()


@pytest.fixture
def embedded_data_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data folder for tests of the user's embedded PostgreSQL. Not under pytest's own temporary
    folder: as root, the server runs as another user, who must be let through every folder above
    its own, and pytest takes that right back from /tmp/pytest-of-root whenever a session starts."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="workbench-test-data-"))
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(folder))
    try:
        yield folder
    finally:
        if (embedded.default_folder() / "postmaster.pid").is_file():
            embedded.start(embedded.default_folder()).stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pagila_url(corpus: Path) -> Iterator[str]:
    """Pagila loaded once per test process (read-only use: tests must not change it)."""
    from tests.corpus_loaders import load_pagila

    name = create_pg_database("wbpagila")
    try:
        load_pagila(pg_url_for(name), corpus)
        yield pg_url_for(name)
    finally:
        drop_pg_database(name)


@pytest.fixture(scope="session")
def chinook_pg_url(corpus: Path) -> Iterator[str]:
    """Chinook loaded into PostgreSQL once per test process (read-only use)."""
    from tests.corpus_loaders import load_chinook_pg

    name = create_pg_database("wbchinook")
    try:
        load_chinook_pg(pg_url_for(name), corpus)
        yield pg_url_for(name)
    finally:
        drop_pg_database(name)


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus (../shared/corpus); skipped with a notice in a user's clone without it."""
    if not CORPUS.is_dir():
        if IN_CI:
            pytest.fail(f"the corpus is required under CI but {CORPUS} is missing", pytrace=False)
        pytest.skip(
            f"corpus not found at {CORPUS} (it ships beside the repository, not in it; "
            "WORKBENCH_CORPUS points elsewhere)"
        )
    return CORPUS


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own config and sample copies: never the developer's, never another test's
    (a test that switches theme or migrates the sample must not change what the next one sees)."""
    monkeypatch.setenv("WORKBENCH_CONFIG_DIR", str(tmp_path / "user-config"))
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "user-data"))


@pytest.hookimpl(tryfirst=True, optionalhook=True)  # optional: runs without xdist too
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto`: two workers per core, at most eight. A test spends about half its time waiting on
    PostgreSQL, files and Textual's timers (CPU 338 s over 2 x 371 s on two cores), so on this
    two-core machine four workers finish the suite in 5 min 7 s where two took 6 min 11 s.
    PYTEST_XDIST_AUTO_NUM_WORKERS still decides when it is set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    return min(2 * (os.cpu_count() or 1), 8)


def pytest_configure(config: pytest.Config) -> None:
    """Choose the PostgreSQL server, once for the run (xdist workers inherit it through the
    environment, since the controller configures before it starts them)."""
    global PG_ADMIN_URL
    if not hasattr(config, "workerinput"):
        embedded_pg.choose(config)
        PG_ADMIN_URL = os.environ.get("WORKBENCH_TEST_PG", embedded_pg.DEFAULT_URL)


def pytest_unconfigure(config: pytest.Config) -> None:
    embedded_pg.stop(config)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Which PostgreSQL the run tested against, and a loud line when PostgreSQL tests were
    skipped (counted from reports, so it works with xdist)."""
    tested = embedded_pg.described(terminalreporter.config)
    if tested:
        terminalreporter.write_line(f"PostgreSQL tests ran against {tested}")
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if _PG_SKIP in str(getattr(r, "longrepr", ""))]
    if skipped:
        terminalreporter.write_sep(
            "!",
            f"{len(skipped)} PostgreSQL tests were SKIPPED because the server is unreachable. "
            f"To run them: {embedded_pg.HINT}.",
            red=True,
            bold=True,
        )
