"""Use-case coverage speed, as ratios measured in the same run.

1. Evaluation: 200 use cases (tables, columns, enum values; about one requirement in ten
   missing, so hints are computed too) against the 1,000-table wide schema. Budget: evaluating
   adds at most 50 ms to the catalog load it follows.
2. Scenarios: 100 scenarios of 6 tiny statements each (the worst case for overhead: every
   statement takes microseconds) through the scenario runner, against the same statements sent
   raw through the same connection, isolated the same way (one transaction rolled back at the
   end, a rollback to a savepoint after each scenario) but with no expectations judged and no
   results kept. Budget: at most 1.5× the raw time. For reference the run also times the
   statements with no isolation between scenarios at all ("flat"), which no correct runner can
   match: the rollback after each scenario is work the database has to do.

    .venv/bin/python -m benchmarks.bench_coverage                 # SQLite, and PostgreSQL if reachable
    .venv/bin/python -m benchmarks.bench_coverage --backend sqlite --tables 1000 --runs 15

Each timing is taken `--runs` times (the three scenario sides interleaved); min, median and max
are printed, and budgets are judged on the medians.

Results are printed and written to benchmarks/out/bench_coverage.json; exit 1 over budget.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.wide_schema import COLUMNS, build, table_name
from benchmarks.databases import fresh_database, pg_problem
from benchmarks.spread import ms, ratio, shown, spread, timed
from workbench.coverage.evaluate import evaluate
from workbench.coverage.scenarios import parse_scenarios, run_file
from workbench.db.base import rolled_back
from workbench.coverage.usecases import Requirement, UseCase
from workbench.db import Connection, connect

EVALUATION_BUDGET_MS = 50.0
SCENARIO_BUDGET_RATIO = 1.5
OUT = Path(__file__).resolve().parent / "out" / "bench_coverage.json"


def times_ms(fn: Callable[[], object], runs: int) -> list[float]:
    return ms([timed(fn) for _ in range(runs)])


def use_cases(count: int, tables: int, enums: bool) -> list[UseCase]:
    """`count` use cases of 3 tables, 5 columns and 2 enum values; every 10th requirement is missing."""
    out = []
    serial = 0

    def missing() -> bool:
        nonlocal serial
        serial += 1
        return serial % 10 == 0

    for i in range(count):
        reqs = []
        for k in range(3):
            name = table_name((i * 7 + k * 13) % tables)
            reqs.append(Requirement("table", name + "_old" if missing() else name))
        for k in range(5):
            name = table_name((i * 11 + k) % tables)
            column = f"c{(i + k) % (COLUMNS - 2):02d}"
            reqs.append(Requirement("column", f"{name}.{column}{'x' if missing() else ''}"))
        for k in range(2):
            # PostgreSQL: enum types e000…e049 ('a', 'b', 'c'); SQLite has none, so they all miss.
            reqs.append(
                Requirement(
                    "enum_value", f"e{(i + k) % 50:03d}" if enums else f"{table_name(i)}.c00", "z" if missing() else "a"
                )
            )
        out.append(UseCase(f"UC-{i + 1}", f"use case {i + 1}", tuple(reqs)))
    return out


def scenario_text(scenarios: int) -> str:
    """Scenarios of 6 statements: two inserts, an update, two checked selects, a delete."""
    parts = []
    for i in range(scenarios):
        a, b = 1_000_000 + 2 * i, 1_000_001 + 2 * i
        parts.append(
            f"-- scenario: s{i}\n"
            f"INSERT INTO t0001 (id, c00, c01) VALUES ({a}, {i}, 'x{i}');\n"
            f"INSERT INTO t0002 (id, parent_id, c00, c01) VALUES ({b}, NULL, {i}, 'y{i}');\n"
            f"UPDATE t0001 SET c02 = {i} WHERE id = {a};\n"
            f"-- expect: 1\nSELECT count(*) FROM t0001 WHERE id = {a};\n"
            f"-- expect: rows: 1\nSELECT c01 FROM t0002 WHERE id = {b};\n"
            f"DELETE FROM t0002 WHERE id = {b};\n"
        )
    return "".join(parts)


def bench_backend(conn: Connection, tables: int, count: int, scenarios: int, runs: int) -> dict[str, Any]:
    build(conn, tables)
    load = times_ms(conn.introspect, runs)
    catalog = conn.introspect()
    cases = use_cases(count, tables, enums=bool(catalog.enums))
    evaluation = times_ms(lambda: evaluate(cases, catalog), runs)

    file = parse_scenarios(scenario_text(scenarios), Path("bench.sql"), dialect=conn.backend.name)
    statements = [[step.sql for step in s.steps] for s in file.scenarios]

    def raw() -> None:
        with rolled_back(conn):
            conn.execute("SAVEPOINT raw")
            for scenario in statements:
                for sql in scenario:
                    conn.query(sql)
                conn.execute("ROLLBACK TO SAVEPOINT raw")

    def flat() -> None:
        with rolled_back(conn):
            for scenario in statements:
                for sql in scenario:
                    conn.query(sql)

    def runner() -> None:
        results = run_file(conn, file)
        assert all(r.passed for r in results), [r.failed_step for r in results if not r.passed][:1]

    raw(), flat(), runner()  # warm caches and statement plans for all alike
    raw_ms: list[float] = []
    flat_ms: list[float] = []
    runner_ms: list[float] = []
    for _ in range(runs):  # interleaved, so drift and other load hit all alike
        raw_ms += times_ms(raw, 1)
        flat_ms += times_ms(flat, 1)
        runner_ms += times_ms(runner, 1)
    return {
        "catalog_load_ms": load,
        "evaluation_ms": evaluation,
        "scenarios_raw_ms": raw_ms,
        "scenarios_runner_ms": runner_ms,
        "scenarios_flat_ms": flat_ms,
        "scenario_ratio": ratio(runner_ms, raw_ms),
        "scenario_ratio_flat": ratio(runner_ms, flat_ms),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--use-cases", type=int, default=200)
    parser.add_argument("--scenarios", type=int, default=100)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    results = {}
    for backend in args.backend or ["sqlite", "postgresql"]:
        problem = pg_problem() if backend == "postgresql" else None
        if problem:
            print(f"postgresql: skipped ({problem})", file=sys.stderr)
            continue
        with fresh_database(backend) as url:
            conn = connect(url)
            try:
                results[backend] = bench_backend(conn, args.tables, args.use_cases, args.scenarios, args.runs)
            finally:
                conn.close()
    over = False
    for backend, r in results.items():
        eval_ok = statistics.median(r["evaluation_ms"]) <= EVALUATION_BUDGET_MS
        ratio_ok = r["scenario_ratio"] <= SCENARIO_BUDGET_RATIO
        over |= not (eval_ok and ratio_ok)
        print(
            f"{backend:<10} catalog load {shown(r['catalog_load_ms'], 'ms', 1)}\n"
            f"{'':<10} + evaluation of {args.use_cases} use cases {shown(r['evaluation_ms'], 'ms', 1)} "
            f"({'ok' if eval_ok else 'OVER'} ≤ {EVALUATION_BUDGET_MS:g} ms)\n"
            f"{'':<10} scenarios {shown(r['scenarios_runner_ms'], 'ms', 1)} vs raw {shown(r['scenarios_raw_ms'], 'ms', 1)} = "
            f"{r['scenario_ratio']:.2f}× ({'ok' if ratio_ok else 'OVER'} ≤ {SCENARIO_BUDGET_RATIO:g}×)\n"
            f"{'':<10} unisolated {shown(r['scenarios_flat_ms'], 'ms', 1)} = {r['scenario_ratio_flat']:.2f}× (reference)"
        )
    summary = {b: {k: spread(v) if isinstance(v, list) else v for k, v in r.items()} for b, r in results.items()}
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(
        json.dumps(
            {"tables": args.tables, "use_cases": args.use_cases, "runs": args.runs, "results": summary}, indent=2
        )
    )
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
