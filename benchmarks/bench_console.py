"""What the console's prior backup and undo cost (issue 18): a DELETE of 100,000 rows.

1. Change: `DELETE FROM big WHERE id <= 100000` (of 200,000 rows, one secondary index) run by
   the console — row images copied by trigger, journal entry, one transaction — against the same
   DELETE run plain in one transaction. Budget: ≤ 2×.
2. Undo: `undo()` of that change (its checks that nothing changed since, then the rows put back)
   against re-inserting the same 100,000 rows raw, in one INSERT … SELECT from a side table in one
   transaction (the set-based floor). Budget: ≤ 2×.

Sides run alternately `--runs` times, each on a freshly built table, in one process; min, median and max
are printed, and the ratio of the medians.

    .venv/bin/python -m benchmarks.bench_console                      # SQLite, and PostgreSQL if reachable
    .venv/bin/python -m benchmarks.bench_console --backend sqlite --rows 20000 --runs 3

Results are printed and written to benchmarks/out/bench_console.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from benchmarks.databases import chosen_backends, fresh_database
from benchmarks.spread import ratio, shown, spread
from workbench.console.session import Console
from workbench.console.undo import undo
from workbench.db import Connection, connect

OUT = Path(__file__).resolve().parent / "out" / "bench_console.json"
BUDGET = 2.0


def build(conn: Connection, rows: int) -> None:
    """`big` with 2 × `rows` rows and an index, and `spare` holding the rows the DELETE takes."""
    conn.execute("DROP TABLE IF EXISTS big")
    conn.execute("DROP TABLE IF EXISTS spare")
    conn.execute("CREATE TABLE big (id integer PRIMARY KEY, name text NOT NULL, qty integer, note text)")
    series = (
        f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {2 * rows}) SELECT i FROM s"
        if not conn.capabilities.schemas
        else f"SELECT i FROM generate_series(1, {2 * rows}) AS s(i)"
    )
    conn.execute(
        f"INSERT INTO big SELECT i, 'name ' || i, i % 97, CASE WHEN i % 3 = 0 THEN NULL ELSE 'note' END FROM ({series}) AS g"
    )
    conn.execute("CREATE INDEX big_qty ON big (qty)")
    conn.execute(f"CREATE TABLE spare AS SELECT * FROM big WHERE id <= {rows}")
    if conn.capabilities.schemas:
        conn.execute("ANALYZE big")


def timed(action: Any) -> float:
    t = time.perf_counter()
    action()
    return time.perf_counter() - t


def measure(backend: str, rows: int, runs: int) -> dict[str, Any]:
    sides: dict[str, list[float]] = {"plain delete": [], "console delete": [], "raw re-insert": [], "undo": []}
    delete = f"DELETE FROM big WHERE id <= {rows}"
    with fresh_database(backend) as url:
        conn = connect(url)
        for _ in range(runs):
            build(conn, rows)

            def plain() -> None:
                with conn.transaction():
                    conn.execute(delete)

            def reinsert() -> None:
                with conn.transaction():
                    conn.execute("INSERT INTO big SELECT * FROM spare")

            sides["plain delete"].append(timed(plain))
            sides["raw re-insert"].append(timed(reinsert))
            build(conn, rows)  # the same fresh table for our side: no dead rows left by the plain side
            console = Console(conn)
            (preview,) = console.preview(delete)  # what the person reads before saying yes: not timed
            record = None

            def change() -> None:
                nonlocal record
                record = console.run_change(preview)

            sides["console delete"].append(timed(change))
            assert record is not None and record.rows == rows
            sides["undo"].append(timed(lambda: _undone(conn, record.id)))
            assert conn.row_count("main" if not conn.capabilities.schemas else "public", "big") == 2 * rows
        conn.close()
    result = {
        "backend": backend,
        "rows": rows,
        "runs": runs,
        "timings": {k: spread(v) for k, v in sides.items()},
        "delete_ratio": ratio(sides["console delete"], sides["plain delete"]),
        "undo_ratio": ratio(sides["undo"], sides["raw re-insert"]),
        "budget": BUDGET,
    }
    print(f"{backend}: DELETE of {rows:,} rows (of {2 * rows:,})")
    for name, values in sides.items():
        print(f"  {name:<15} {shown(values)}")
    for key, label in (("delete_ratio", "console delete / plain"), ("undo_ratio", "undo / raw re-insert")):
        verdict = "within" if result[key] <= BUDGET else "OVER"
        print(f"  {label}: {result[key]:.2f}× ({verdict} the {BUDGET:g}× budget)")
    return result


def _undone(conn: Connection, change_id: int) -> None:
    report = undo(conn, change_id)
    assert report.refused is None, report.refused


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results = [measure(b, args.rows, args.runs) for b in chosen_backends(args.backend)]
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2))
    return 0 if all(r["delete_ratio"] <= BUDGET and r["undo_ratio"] <= BUDGET for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
