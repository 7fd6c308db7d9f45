"""500 checks through the runner vs the same 500 queries raw through the driver (issue 14: ≤ 1.3×).

Both sides run in this one process against the same database, alternately `--runs` times; min,
median and max are printed, and the ratio of the medians. The checks are a realistic mix of the expectation kinds (a value, a
comparison, between, no rows, rows: N, a small table) over a 20,000-row table, each query
taking tens of microseconds, so the runner's own overhead (read-only transaction, timeout,
judging, result objects) is what the ratio shows. The read-only guard's answers are
forgotten before each run, as a real run reads each check once; a third side keeps them (a
second run in the same session, as the Verify screen's), to show what judging the text costs. "Raw" is the driver's own
connection (`sqlite3` / psycopg in autocommit) executing each query and fetching every row,
nothing else. Parsing the check file is timed separately (it happens once, before a run).

    .venv/bin/python -m benchmarks.bench_checks                  # SQLite, and PostgreSQL if reachable
    .venv/bin/python -m benchmarks.bench_checks --backend sqlite --runs 9

Results are printed and written to benchmarks/out/bench_checks.json; exit 1 over budget.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from benchmarks.databases import chosen_backends, fresh_database
from benchmarks.spread import ratio, shown, spread
from workbench.checks.checkfile import Check, parse_checks
from workbench.checks.runner import Summary, run_checks
from workbench.db import Connection, connect

BUDGET = 1.3
ROWS = 20_000
GROUPS = 200
STATUSES = ("done", "failed", "queued")

SETUP = f"""
CREATE TABLE runs (id integer PRIMARY KEY, grp integer NOT NULL, status varchar(10) NOT NULL, amount integer NOT NULL);
CREATE INDEX runs_grp ON runs (grp, status);
INSERT INTO runs
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {ROWS})
SELECT i, i % {GROUPS}, CASE i % 3 WHEN 0 THEN 'done' WHEN 1 THEN 'failed' ELSE 'queued' END, i % 97 FROM n;
"""


def check_file(count: int) -> str:
    """`count` checks cycling through the expectation kinds; every one passes."""
    per_group = ROWS // GROUPS
    blocks = []
    for i in range(count):
        g = i % GROUPS
        kind = i % 6
        if kind == 0:
            expect, sql = str(per_group), f"SELECT count(*) FROM runs WHERE grp = {g}"
        elif kind == 1:
            expect, sql = ">= 1", f"SELECT count(*) FROM runs WHERE grp = {g} AND status = 'done'"
        elif kind == 2:
            expect, sql = "between 0 and 10000", f"SELECT sum(amount) FROM runs WHERE grp = {g}"
        elif kind == 3:
            expect, sql = "no rows", f"SELECT id FROM runs WHERE grp = {g} AND amount < 0"
        elif kind == 4:
            expect, sql = "rows: 1", f"SELECT id, status FROM runs WHERE id = {i + 1}"
        else:
            table = "\n".join(f"--   {s} | {n}" for s, n in _status_counts(g))
            expect, sql = (
                f"\n--   status | n\n{table}",
                (f"SELECT status, count(*) AS n FROM runs WHERE grp = {g} GROUP BY status"),
            )
        blocks.append(f"-- check: c{i}\n-- expect: {expect}\n{sql};\n")
    return "\n".join(blocks)


def _status_counts(group: int) -> list[tuple[str, int]]:
    counts = {s: 0 for s in STATUSES}
    for i in range(1, ROWS + 1):
        if i % GROUPS == group:
            counts[STATUSES[i % 3]] += 1
    return [(s, n) for s, n in counts.items() if n]


def time_runner(conn: Connection, checks: list[Check], fresh: bool = True) -> float:
    if fresh:
        _forget_guard_answers()
    started = time.perf_counter()
    results = list(run_checks(conn, checks))
    elapsed = time.perf_counter() - started
    summary = Summary.of(results)
    if summary.passed != len(checks):
        bad = next(r for r in results if r.status != "pass")
        raise SystemExit(f"benchmark checks must all pass: {summary.line()}; first: {bad}")
    return elapsed


def time_raw(raw: object, queries: list[str]) -> float:
    execute = raw.execute  # type: ignore[attr-defined]
    started = time.perf_counter()
    for sql in queries:
        execute(sql).fetchall()
    return time.perf_counter() - started


def _forget_guard_answers() -> None:
    """PostgreSQL's guard keeps its answers per text; a real run judges each check once."""
    from workbench.db import pg_guard

    pg_guard.read_only_refusal.cache_clear()


def measure(url: str, count: int, runs: int) -> dict[str, Any]:
    conn = connect(url)
    raw_conn = connect(url)  # the driver's own connection object, used directly
    for c in (conn, raw_conn):
        if hasattr(c.raw, "prepare_threshold"):
            # psycopg prepares a query on its 5th execution; a real run executes each check
            # once, so repeated rounds must not hand either side server-side prepared plans.
            c.raw.prepare_threshold = None
    try:
        conn.execute_script(SETUP)
        text = check_file(count)
        started = time.perf_counter()
        checks = parse_checks(text, "bench.sql", dialect=conn.backend.name)
        parse_s = time.perf_counter() - started
        queries = [c.sql for c in checks]
        time_raw(raw_conn.raw, queries)  # warm caches on both sides before timing
        time_runner(conn, checks)
        raw: list[float] = []
        ours: list[float] = []
        cached: list[float] = []
        for run in range(runs):  # alternate which side goes first: no order bias
            if run % 2:
                ours.append(time_runner(conn, checks))
                cached.append(time_runner(conn, checks, fresh=False))
            raw.append(time_raw(raw_conn.raw, queries))
            if not run % 2:
                ours.append(time_runner(conn, checks))
                cached.append(time_runner(conn, checks, fresh=False))
    finally:
        raw_conn.close()
        conn.close()
    return {
        "checks": count,
        "raw_ms": [t * 1000 for t in raw],
        "runner_ms": [t * 1000 for t in ours],
        "ratio": ratio(ours, raw),
        "runner_guard_cached_ms": [t * 1000 for t in cached],
        "ratio_guard_cached": ratio(cached, raw),
        "parse_ms": parse_s * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--checks", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    backends = chosen_backends(args.backend)
    results = {backend: measure_on(backend, args.checks, args.runs) for backend in backends}
    for backend, r in results.items():
        print(
            f"{backend:<10} {r['checks']} checks  raw {shown(r['raw_ms'], 'ms', 1)}  "
            f"runner {shown(r['runner_ms'], 'ms', 1)}  ratio {r['ratio']:.2f}  parse {r['parse_ms']:.1f} ms\n"
            f"{'':<10} guard's answers kept (a second run): {shown(r['runner_guard_cached_ms'], 'ms', 1)}  "
            f"ratio {r['ratio_guard_cached']:.2f}"
        )
    worst = max(r["ratio"] for r in results.values())
    print(f"worst ratio {worst:.2f} (budget ≤ {BUDGET}): {'MET' if worst <= BUDGET else 'NOT MET'}")
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    sides = ("raw_ms", "runner_ms", "runner_guard_cached_ms")
    summary = {b: {**r, **{k: spread(r[k]) for k in sides}, "runs": args.runs} for b, r in results.items()}
    (out / "bench_checks.json").write_text(json.dumps(summary, indent=2) + "\n")
    return 0 if worst <= BUDGET else 1


def measure_on(backend: str, count: int, runs: int) -> dict[str, Any]:
    with fresh_database(backend) as url:
        return measure(url, count, runs)


if __name__ == "__main__":
    raise SystemExit(main())
