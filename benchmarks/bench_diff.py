"""`diff_catalogs` on two 1,000-table schemas vs loading both catalogs (issue 17: ≤ 2×).

FROM is the wide benchmark schema; TO is the same schema with a tenth of its tables changed
(a column added, one retyped, an index changed), 20 tables dropped and 20 new ones. Each run
loads both catalogs (the floor) and then diffs them, entries and statements both; the ratio is
of the medians, printed with their spread.

    python -m benchmarks.bench_diff [--runs 5] [--tables 1000] [--backend both|sqlite|postgresql]
    (PostgreSQL from WORKBENCH_TEST_PG)
"""

from __future__ import annotations

import argparse
import json
import time

from benchmarks.databases import chosen_backends, fresh_database
from benchmarks.spread import ratio, shown, spread
from benchmarks.wide_schema import build, table_name
from workbench.db import connect
from workbench.db.catalog import is_workbench_object
from workbench.diff import diff_catalogs


def changed(url: str, tables: int) -> None:
    """The wide schema moved on: every tenth table changed, 20 gone, 20 new."""
    conn = connect(url)
    try:
        statements = []
        for i in range(0, tables, 10):
            name = table_name(i)
            statements += [
                f"ALTER TABLE {name} ADD COLUMN added_note text",
                f"DROP INDEX {name}_c01",
                f"CREATE INDEX {name}_c01 ON {name} (c01)",
            ]
            if conn.capabilities.alter_column:
                statements.append(f"ALTER TABLE {name} ALTER COLUMN c03 TYPE varchar(200)")
        statements += [f"DROP TABLE {table_name(i)}" for i in reversed(range(tables - 20, tables))]
        for i in range(20):
            statements.append(f"CREATE TABLE fresh_{i:02d} (id integer PRIMARY KEY, body text)")
        with conn.transaction():
            conn.execute_script(";\n".join(statements) + ";")
    finally:
        conn.close()


def measure(backend: str, tables: int, runs: int) -> dict[str, object]:
    with fresh_database(backend) as source_url, fresh_database(backend) as target_url:
        for url in (source_url, target_url):
            conn = connect(url)
            try:
                build(conn, tables)
            finally:
                conn.close()
        changed(target_url, tables)
        source, target = connect(source_url), connect(target_url)
        loads, diffs = [], []
        try:
            for _ in range(runs):
                start = time.perf_counter()
                a = source.introspect().without(is_workbench_object)
                b = target.introspect().without(is_workbench_object)
                loads.append(time.perf_counter() - start)
                start = time.perf_counter()
                result = diff_catalogs(a, b, source)
                diffs.append(time.perf_counter() - start)
        finally:
            source.close()
            target.close()
    return {
        "backend": backend,
        "tables": tables,
        "entries": len(result.entries),
        "statements": len(result.statements),
        "load_both_s": spread(loads),
        "diff_s": spread(diffs),
        "ratio": ratio(diffs, loads),
        "shown": f"load both {shown(loads)}; diff {shown(diffs)}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--backend", default="both", choices=("both", "sqlite", "postgresql"))
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args()
    results = [measure(backend, args.tables, args.runs) for backend in chosen_backends(args.backend)]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for r in results:
        verdict = "ok" if float(r["ratio"]) <= 2 else "OVER BUDGET"  # type: ignore[arg-type]
        print(
            f"{r['backend']}: {r['tables']} tables, {r['entries']} entries, {r['statements']} statements: "
            f"{r['shown']}; diff/load {float(r['ratio']):.2f}× (budget 2×, {verdict})"  # type: ignore[arg-type]
        )


if __name__ == "__main__":
    main()
