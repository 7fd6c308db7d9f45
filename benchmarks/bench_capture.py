"""What change capture costs (issue 20): user writes through a captured table, and the rollback.

1. Writes: 100,000 single-row INSERTs, then 100,000 single-row UPDATEs by key, into a table a
   migration changed and the workbench captures, against the same table with no capture (the
   same migration applied, then finalized). Both through the driver itself, as an application
   writes, each side in one transaction. Budget: captured ≤ 1.5× raw.
2. Rollback: rolling back the migration with the changes above captured (100,000 inserts and
   100,000 updates of the same rows) against running those same changes as plain single-row SQL
   on the old shape (what a person would replay by hand). Budget: ≤ 2×. Also shown, unjudged:
   against inserting the 100,000 resulting rows alone (the net effect, the strictest reading).

Sides run alternately `--runs` times in the same process; min, median and max are printed, and
the ratio of the medians.

    .venv/bin/python -m benchmarks.bench_capture                      # SQLite, and PostgreSQL if reachable
    .venv/bin/python -m benchmarks.bench_capture --backend sqlite --rows 20000 --runs 3

Results are printed and written to benchmarks/out/bench_capture.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any, cast

from benchmarks.databases import chosen_backends, fresh_database
from benchmarks.spread import ratio, shown, spread
from workbench.db import Connection, connect
from workbench.migrations.engine import Migrator

OUT = Path(__file__).resolve().parent / "out" / "bench_capture.json"
BASE = "CREATE TABLE orders (id integer PRIMARY KEY, status text NOT NULL, amount integer, note text DEFAULT 'none');"
SEED = 1000  # rows before the migration
MIGRATION = "ALTER TABLE orders RENAME COLUMN amount TO total;\nALTER TABLE orders DROP COLUMN note;\n"
WRITE_BUDGET, ROLLBACK_BUDGET = 1.5, 2.0


def prepared(url: str, folder: Path, finalize: bool) -> tuple[Connection, Migrator]:
    """The old shape with its seed rows, the migration applied (and finalized: no capture)."""
    conn = connect(url)
    conn.execute_script(BASE)
    with conn.transaction():
        for i in range(SEED):
            conn.execute(f"INSERT INTO orders VALUES ({-i - 1}, 'old', {i}, 'n')")
    mg = Migrator(conn, folder)
    assert mg.up().ok
    if finalize:
        mg.finalize()
    return conn, mg


def writes(conn: Connection, rows: int, amount: str = "total", updates: bool = True) -> float:
    """Seconds for `rows` single-row INSERTs then (with `updates`) as many UPDATEs by key, through
    the driver, in one transaction; `amount` is the column's name in this shape."""
    raw: Any = cast(Any, conn).raw  # the driver itself, as an application writes
    p = conn.placeholder
    insert = f"INSERT INTO orders (id, status, {amount}) VALUES ({p}, {p}, {p})"
    update = f"UPDATE orders SET {amount} = {p} WHERE id = {p}"
    t = time.perf_counter()
    with conn.transaction():
        cur = raw.cursor()
        for i in range(rows):
            cur.execute(insert, (i, "new", i))
        for i in range(rows if updates else 0):
            cur.execute(update, (i + 1, i))
    return time.perf_counter() - t


def plain_replay(url: str, rows: int, updates: bool) -> float:
    """Seconds to run the captured changes as plain single-row SQL on the old shape: the same
    INSERTs (and, with `updates`, UPDATEs) the users wrote, in one transaction."""
    conn = connect(url)
    conn.execute_script(BASE)
    elapsed = writes(conn, rows, "amount", updates)
    conn.close()
    return elapsed


def measure(backend: str, rows: int, runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "001_refactor.sql").write_text(MIGRATION)
        captured, raw, rollback, replay, inserts_only = [], [], [], [], []
        for run in range(runs):
            with fresh_database(backend) as cap_url, fresh_database(backend) as raw_url:
                cap, mg = prepared(cap_url, folder, finalize=False)
                plain, _ = prepared(raw_url, folder, finalize=True)
                sides = [(cap, captured), (plain, raw)]
                for conn, out in reversed(sides) if run % 2 else sides:  # alternate who goes first
                    out.append(writes(conn, rows))
                t = time.perf_counter()
                report = mg.down(to="0")
                rollback.append(time.perf_counter() - t)
                assert report.ok, report.failure
                assert cap.row_count(cap.default_schema, "orders") == SEED + rows
                cap.close()
                plain.close()
            with fresh_database(backend) as url:
                replay.append(plain_replay(url, rows, updates=True))
            with fresh_database(backend) as url:
                inserts_only.append(plain_replay(url, rows, updates=False))
    return {
        "backend": backend,
        "rows": rows,
        "writes_captured_s": captured,
        "writes_raw_s": raw,
        "writes_ratio": ratio(captured, raw),
        "rollback_s": rollback,
        "plain_replay_s": replay,
        "rollback_ratio": ratio(rollback, replay),
        "plain_inserts_only_s": inserts_only,
        "rollback_ratio_to_inserts_only": ratio(rollback, inserts_only),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results = [measure(b, args.rows, args.runs) for b in chosen_backends(args.backend)]
    ok = True
    for r in results:
        w, rb = r["writes_ratio"], r["rollback_ratio"]
        ok &= w <= WRITE_BUDGET and rb <= ROLLBACK_BUDGET
        print(
            f"{r['backend']}: {r['rows']:,} inserts + {r['rows']:,} updates captured "
            f"{shown(r['writes_captured_s'])} vs raw {shown(r['writes_raw_s'])} = {w:.2f}x (budget {WRITE_BUDGET}x)\n"
            f"  rollback carrying {r['rows']:,} inserts + updates {shown(r['rollback_s'])} "
            f"vs the same changes as plain SQL {shown(r['plain_replay_s'])} = {rb:.2f}x (budget {ROLLBACK_BUDGET}x)\n"
            f"  against the {r['rows']:,} resulting rows inserted alone {shown(r['plain_inserts_only_s'])}: "
            f"{r['rollback_ratio_to_inserts_only']:.2f}x"
        )
    OUT.parent.mkdir(exist_ok=True)
    summary = [{k: spread(v) if k.endswith("_s") else v for k, v in r.items()} for r in results]
    OUT.write_text(json.dumps(summary, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
