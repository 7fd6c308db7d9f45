"""Which PostgreSQL the test suite runs against (tests/embedded_pg.py), seen as a developer runs it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ONE_PG_TEST = "tests/db/test_connection.py::test_query_returns_columns_and_rows_with_parameters"

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _pytest(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("WORKBENCH_TEST_PG", "CI", "PYTEST_XDIST_WORKER")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", *args],
        cwd=ROOT,
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_forced_embedded_server_runs_the_postgres_tests_and_says_so() -> None:
    run = _pytest(ONE_PG_TEST, WORKBENCH_TEST_PG="embedded")
    assert run.returncode == 0, run.stdout + run.stderr
    said = re.search(r"PostgreSQL tests ran against an embedded PostgreSQL (\d+)\.\d+ in (\S+)", run.stdout)
    assert said, run.stdout
    assert int(said.group(1)) >= 18 and "2 passed" in run.stdout
    assert not Path(said.group(2)).exists()  # stopped and deleted at the end of the run


def test_a_url_that_was_set_and_does_not_answer_fails_instead_of_falling_back() -> None:
    run = _pytest(ONE_PG_TEST, WORKBENCH_TEST_PG="postgresql://postgres@127.0.0.1:1/postgres")
    assert run.returncode == 1
    assert "1 passed, 1 error" in run.stdout and "skipped" not in run.stdout  # failed in its fixture
    assert "WORKBENCH_TEST_PG is unreachable" in run.stdout and "embedded" not in run.stdout


def test_a_run_without_postgres_tests_starts_no_server() -> None:
    run = _pytest(ONE_PG_TEST, "-m", "not postgres", WORKBENCH_TEST_PG="embedded")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout and "ran against" not in run.stdout
