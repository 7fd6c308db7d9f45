"""`workbench inspect --json` as a whole process vs the floor, on the wide schema (issue: ≤ 1.5×).

The floor is a minimal Python process that imports only the driver, connects, and runs exactly
the catalog queries the workbench runs (recorded from a real introspection in this run), fetching
every row. Both are timed as whole processes, median of several runs, for 100 and 1,000 tables,
so the ratio and the growth with table count are measured on the same machine at the same time.

    python -m benchmarks.bench_inspect [--runs 5]      (PostgreSQL from WORKBENCH_TEST_PG)
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from benchmarks.databases import fresh_database
from benchmarks.wide_schema import build
from workbench.db import connect

FLOOR = {
    "sqlite": (
        "import sqlite3, json, sys\n"
        "queries = json.load(open(sys.argv[2]))\n"
        "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "for sql, params in queries:\n"
        "    conn.execute(sql, params).fetchall()\n"
    ),
    "postgresql": (
        "import psycopg, json, sys\n"
        "queries = json.load(open(sys.argv[2]))\n"
        "conn = psycopg.connect(sys.argv[1], autocommit=True)\n"
        "for sql, params in queries:\n"
        "    conn.execute(sql, params or None).fetchall()\n"
    ),
}


def record_queries(url: str) -> list[tuple[str, list]]:
    """The exact statements (and parameters) one introspection runs."""
    conn = connect(url)
    recorded: list[tuple[str, list]] = []
    original = conn.query

    def spy(sql: str, params=()):  # type: ignore[no-untyped-def]
        recorded.append((sql, list(params)))
        return original(sql, params)

    conn.query = spy  # type: ignore[method-assign]
    conn.introspect()
    conn.close()
    return recorded


def timed(cmd: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def measure(backend: str, url: str, runs: int, workdir: Path) -> dict[str, float]:
    queries = workdir / f"queries-{uuid.uuid4().hex[:6]}.json"
    queries.write_text(json.dumps(record_queries(url)))
    raw_target = url[len("sqlite:///"):] if backend == "sqlite" else url
    floor = timed([sys.executable, "-c", FLOOR[backend], raw_target, str(queries)], runs)
    ours = timed([sys.executable, "-m", "workbench", "inspect", url, "--json"], runs)
    return {"floor_s": floor, "workbench_s": ours, "ratio": ours / floor}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="100,1000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for size in sizes:
            path = workdir / f"wide{size}.db"
            conn = connect(str(path), options={"create": True})
            build(conn, size)
            conn.close()
            results.append(("sqlite", size, measure("sqlite", f"sqlite:///{path}", args.runs, workdir)))

            with fresh_database("postgresql") as url:
                conn = connect(url)
                build(conn, size)
                conn.close()
                results.append(("postgresql", size, measure("postgresql", url, args.runs, workdir)))

    print(f"{'backend':<11} {'tables':>6} {'floor s':>8} {'workbench s':>12} {'ratio':>6}")
    for backend, size, r in results:
        print(f"{backend:<11} {size:>6} {r['floor_s']:>8.3f} {r['workbench_s']:>12.3f} {r['ratio']:>6.2f}")
    for backend in ("sqlite", "postgresql"):
        by_size = {size: r["workbench_s"] for b, size, r in results if b == backend}
        if len(by_size) == 2:
            small, large = sorted(by_size)
            print(f"{backend}: workbench time grows {by_size[large] / by_size[small]:.1f}× "
                  f"for {large / small:.0f}× the tables (linear or better when ≤ {large / small:.0f}×)")
    worst = max(r["ratio"] for *_x, r in results)
    print(f"worst ratio {worst:.2f} (target ≤ 1.5): {'MET' if worst <= 1.5 else 'NOT MET'}")
    return 0 if worst <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
