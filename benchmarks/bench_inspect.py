"""`workbench inspect --json` as a whole process vs the floor, on the wide schema (issue: ≤ 1.5×).

The floor is a minimal Python process that imports only the driver, connects, and runs exactly
the catalog queries the workbench runs (recorded from a real introspection in this run), fetching
every row. Both are timed as whole processes, run alternately, median of several runs, for 100
and 1,000 tables, so the ratio and the growth with table count are measured on the same machine
at the same time. The target is the issue's: the 1,000-table schema; the 100-table run shows growth.

The workbench is measured as installed: pip byte-compiles a package when it installs it, so the
package is compiled first here, as the driver and the standard library already are (an editable
install under PYTHONDONTWRITEBYTECODE=1 would otherwise recompile every module on every start).

    python -m benchmarks.bench_inspect [--runs 9] [--backends sqlite,postgresql]
    (PostgreSQL from WORKBENCH_TEST_PG)
"""

from __future__ import annotations

import argparse
import compileall
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import workbench
from benchmarks.databases import fresh_database
from benchmarks.wide_schema import build
from workbench.db import Result, connect

_CONNECT = {
    "sqlite": "import sqlite3 as driver\nconn = driver.connect(sys.argv[1], isolation_level=None)\n"
    "run = lambda sql, params: conn.execute(sql, params)\n",
    "postgresql": "import psycopg as driver\nconn = driver.connect(sys.argv[1], autocommit=True)\n"
    "run = lambda sql, params: conn.execute(sql, params or None)\n",
}
_QUERIES = "import json, sys\nqueries = json.load(open(sys.argv[2]))\n"

# The floor: connect, run every catalog query, fetch every row.
FLOOR = {
    backend: _QUERIES + connect + "for sql, params in queries:\n    run(sql, params).fetchall()\n"
    for backend, connect in _CONNECT.items()
}

# The least a program printing the catalog as keyed JSON must do on top: every row as a dict of
# its columns, encoded by orjson. No objects, no DDL parsing, no argument parsing. It shows how
# much of the 1.5× allowance is left for everything else.
BARE_JSON = {
    backend: _QUERIES
    + connect
    + (
        "import orjson\n"
        "out = []\n"
        "for sql, params in queries:\n"
        "    cur = run(sql, params)\n"
        "    names = [d[0] for d in cur.description]\n"
        "    out.append([dict(zip(names, row)) for row in cur.fetchall()])\n"
        "sys.stdout.buffer.write(orjson.dumps(out))\n"
    )
    for backend, connect in _CONNECT.items()
}


def record_queries(url: str) -> list[tuple[str, list]]:
    """The exact statements (and parameters) one introspection runs."""
    conn = connect(url)
    recorded: list[tuple[str, list]] = []
    original = conn.query

    def spy(sql: str, params: Sequence[Any] = ()) -> Result:
        recorded.append((sql, list(params)))
        return original(sql, params)

    conn.query = spy  # type: ignore[method-assign]
    conn.introspect()
    conn.close()
    return recorded


def timed(commands: dict[str, list[str]], runs: int, cwd: Path) -> dict[str, float]:
    """Median wall time of each command, run in turn so all see the same machine load.

    All run in a scratch folder, so none reads whatever project the benchmark was started in.
    """
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            started = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=cwd)
            samples[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in samples.items()}


def measure(backend: str, url: str, runs: int, workdir: Path) -> dict[str, float]:
    queries = workdir / f"queries-{uuid.uuid4().hex[:6]}.json"
    queries.write_text(json.dumps(record_queries(url)))
    raw_target = url[len("sqlite:///") :] if backend == "sqlite" else url
    times = timed(
        {
            "floor": [sys.executable, "-c", FLOOR[backend], raw_target, str(queries)],
            "bare": [sys.executable, "-c", BARE_JSON[backend], raw_target, str(queries)],
            "workbench": [sys.executable, "-m", "workbench", "inspect", url, "--json"],
        },
        runs,
        workdir,
    )
    return {**times, "ratio": times["workbench"] / times["floor"], "bare_ratio": times["bare"] / times["floor"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = args.backends.split(",")
    compileall.compile_dir(str(Path(workbench.__file__).parent), quiet=1)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for size in sizes:
            if "sqlite" in backends:
                path = workdir / f"wide{size}.db"
                conn = connect(str(path), options={"create": True})
                build(conn, size)
                conn.close()
                results.append(("sqlite", size, measure("sqlite", f"sqlite:///{path}", args.runs, workdir)))
            if "postgresql" not in backends:
                continue
            with fresh_database("postgresql") as url:
                conn = connect(url)
                build(conn, size)
                conn.close()
                results.append(("postgresql", size, measure("postgresql", url, args.runs, workdir)))

    print(f"{'backend':<11} {'tables':>6} {'floor s':>8} {'bare JSON s':>16} {'workbench s':>12} {'ratio':>6}")
    for backend, size, r in results:
        print(
            f"{backend:<11} {size:>6} {r['floor']:>8.3f} {r['bare']:>7.3f} ({r['bare_ratio']:.2f}×)"
            f" {r['workbench']:>12.3f} {r['ratio']:>6.2f}"
        )
    for backend in ("sqlite", "postgresql"):
        by_size = {size: r["workbench"] for b, size, r in results if b == backend}
        if len(by_size) == 2:
            small, large = sorted(by_size)
            print(
                f"{backend}: workbench time grows {by_size[large] / by_size[small]:.1f}× "
                f"for {large / small:.0f}× the tables (linear or better when ≤ {large / small:.0f}×)"
            )
    largest = max(sizes)
    worst = max(r["ratio"] for _b, size, r in results if size == largest)
    print(f"worst ratio at {largest} tables {worst:.2f} (target ≤ 1.5): {'MET' if worst <= 1.5 else 'NOT MET'}")
    return 0 if worst <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
