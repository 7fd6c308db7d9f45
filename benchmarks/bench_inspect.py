"""`workbench inspect --json` as a whole process vs two floors, at 1,000 and 5,000 tables (issue 14).

The budget: ≤ 1.5× the raw catalog queries and ≤ 3× the one-query floor, cost linear in tables.

- floor: a minimal Python process that imports only the driver, connects, and runs exactly the
  catalog queries the workbench runs (recorded from a real introspection in this run), fetching
  every row.
- one-query floor: the database's own command-line client (`sqlite3`, `psql`) printing every
  column of every table (name, type, not null, default) in one query — the least any tool that
  lists a schema does, with no interpreter start-up at all.
- bare JSON (a reference, not a budget): the floor plus every row as a dict, encoded by orjson.

All are timed as whole processes, run alternately `--runs` times, so every ratio is of medians
taken on the same machine at the same time; each line shows min / median / max. The growth from
the smallest to the largest size shows whether the cost is linear in tables.

The workbench is measured as installed: pip byte-compiles a package when it installs it, so the
package is compiled first here, as the driver and the standard library already are (an editable
install under PYTHONDONTWRITEBYTECODE=1 would otherwise recompile every module on every start).

    python -m benchmarks.bench_inspect [--runs 7] [--tables 1000,5000] [--backends sqlite,postgresql]
    (PostgreSQL from WORKBENCH_TEST_PG)
"""

from __future__ import annotations

import argparse
import compileall
import json
import resource
import shutil
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
from benchmarks.spread import ratio, shown
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


# The one-query floor: every column of every table, as the database's own client prints it.
ONE_QUERY = {
    "sqlite": 'SELECT m.name, p.name, p.type, p."notnull", p.dflt_value '
    "FROM sqlite_schema m JOIN pragma_table_xinfo(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid",
    "postgresql": "SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
    "pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
    "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') "
    "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast' "
    "ORDER BY 1, 2, a.attnum",
}


def one_query_command(backend: str, target: str) -> list[str] | None:
    """The client's command line for the one-query floor, or None when the client is not installed."""
    if backend == "sqlite":
        client = shutil.which("sqlite3")
        return [client, target, ONE_QUERY[backend]] if client else None
    client = shutil.which("psql")
    return [client, "-X", "-A", "-t", "-q", "-d", target, "-c", ONE_QUERY[backend]] if client else None


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


def timed(commands: dict[str, list[str]], runs: int, cwd: Path) -> dict[str, list[float]]:
    """Wall times of each command, run in turn so all see the same machine load.

    Each command's own CPU time (user + system, its process only: not the server's) is kept as
    "NAME cpu", which a busy machine disturbs less than the wall clock. All run in a scratch
    folder, so none reads whatever project the benchmark was started in.
    """
    samples: dict[str, list[float]] = {key: [] for name in commands for key in (name, f"{name} cpu")}
    for _ in range(runs):
        for name, cmd in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=cwd)
            samples[name].append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            samples[f"{name} cpu"].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return samples


def measure(backend: str, url: str, runs: int, workdir: Path) -> dict[str, list[float]]:
    queries = workdir / f"queries-{uuid.uuid4().hex[:6]}.json"
    queries.write_text(json.dumps(record_queries(url)))
    raw_target = url[len("sqlite:///") :] if backend == "sqlite" else url
    commands = {
        "floor": [sys.executable, "-c", FLOOR[backend], raw_target, str(queries)],
        "bare": [sys.executable, "-c", BARE_JSON[backend], raw_target, str(queries)],
        "workbench": [sys.executable, "-m", "workbench", "inspect", url, "--json"],
    }
    one_query = one_query_command(backend, raw_target)
    if one_query:
        commands["one query"] = one_query
    return timed(commands, runs, workdir)


def report(results: list[tuple[str, int, dict[str, list[float]]]]) -> bool:
    """Print every measurement and the verdict; True when every budget is met."""
    met = True
    for backend, size, samples in results:
        print(f"\n{backend}, {size:,} tables ({len(samples['workbench'])} runs each)")
        for name, values in samples.items():
            print(f"  {name:<14} {shown(values)}")
        vs_floor = ratio(samples["workbench"], samples["floor"])
        line = f"  workbench / floor {vs_floor:.2f}× (≤ 1.5), bare JSON / floor {ratio(samples['bare'], samples['floor']):.2f}×"
        met &= vs_floor <= 1.5
        if "one query" in samples:
            vs_one = ratio(samples["workbench"], samples["one query"])
            line += f", workbench / one query {vs_one:.2f}× (≤ 3)"
            met &= vs_one <= 3
        print(line)
        print(
            f"  CPU of the client process alone: workbench / floor {ratio(samples['workbench cpu'], samples['floor cpu']):.2f}×"
        )
    for backend in dict.fromkeys(b for b, _s, _r in results):
        by_size = {size: statistics.median(r["workbench"]) for b, size, r in results if b == backend}
        if len(by_size) >= 2:
            small, large = min(by_size), max(by_size)
            print(
                f"{backend}: workbench time grows {by_size[large] / by_size[small]:.1f}× "
                f"for {large / small:.0f}× the tables (linear or better when ≤ {large / small:.0f}×)"
            )
    print(f"budgets (≤ 1.5× the floor, ≤ 3× one query) at every size: {'MET' if met else 'NOT MET'}")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tables", default="1000,5000", help="comma-separated table counts")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    sizes = [int(s) for s in args.tables.split(",")]
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
    return 0 if report(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
