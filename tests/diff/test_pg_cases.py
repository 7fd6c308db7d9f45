"""Real diff cases on PostgreSQL, both directions, judged by pg_dump.

Each `cases/NAME/{a,b}.sql` is loaded into two fresh databases; `workbench diff A B --sql` is
applied to A with psql, and then A's `pg_dump` schema must equal B's, and a second diff must find
nothing. A `problem` file lists the directions where PostgreSQL has no way (exit 2, one sentence).
"""

from __future__ import annotations

import dataclasses
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import judge
from tests.conftest import create_pg_database, drop_pg_database, pg_url_for
from workbench.cli import main

CASES = Path(__file__).parent / "cases"
NAMES = sorted(p.name for p in CASES.iterdir() if (p / "a.sql").exists() and (p / "b.sql").exists())

pytestmark = pytest.mark.postgres


@pytest.fixture
def two_databases() -> Iterator[tuple[str, str]]:
    names = [create_pg_database("wbdiff"), create_pg_database("wbdiff")]
    try:
        yield pg_url_for(names[0]), pg_url_for(names[1])
    finally:
        for name in names:
            drop_pg_database(name)


def psql(url: str, sql: str) -> None:
    done = subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", "-"], input=sql, capture_output=True, text=True
    )
    assert done.returncode == 0, f"psql failed: {done.stderr}\n--- script ---\n{sql}"


def schema_only(url: str) -> judge.Snapshot:
    """The judge's dump without rows: a column PostgreSQL can only append shows in COPY lines."""
    return dataclasses.replace(judge.pg_snapshot(url), data="")


def workbench_diff(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("direction", ["a->b", "b->a"])
@pytest.mark.parametrize("case", NAMES)
def test_diff_applied_makes_the_schemas_equal(
    case: str, direction: str, two_databases: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    start, goal = ("a", "b") if direction == "a->b" else ("b", "a")
    here, there = two_databases
    psql(here, (CASES / case / f"{start}.sql").read_text())
    psql(there, (CASES / case / f"{goal}.sql").read_text())
    code, sql, err = workbench_diff(capsys, here, there, "--sql")
    problem = CASES / case / "problem"
    if problem.exists() and direction in problem.read_text().split():
        assert code == 2 and err and all(line.startswith("workbench: ") for line in err.splitlines()), err
        return
    assert code == 1, err
    psql(here, sql)
    judge.assert_same(schema_only(there), schema_only(here))
    again, rest, err = workbench_diff(capsys, here, there, "--sql")
    assert (again, rest) == (0, ""), f"a second diff still finds:\n{rest}{err}"
