"""What the drift check costs `migrate status`, against the raw work it cannot avoid.

A project of `--migrations` migrations (a table and an index each) is applied to a fresh database.
Then, alternately, `--runs` times: the status alone (what `--no-drift` pays), the drift check
(`diff.drift.schema_drift`: replay the applied migrations on an empty scratch database through
the engine, introspect both sides, diff), and the floor: the same scripts run straight into an
empty scratch database with `execute_script`, plus the two catalog reads.

    .venv/bin/python -m benchmarks.bench_drift --backend both --migrations 50 --runs 3
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.databases import chosen_backends, fresh_database
from benchmarks.spread import ratio, shown, spread
from workbench.db import connect
from workbench.diff.drift import schema_drift
from workbench.migrations.discovery import discover
from workbench.migrations.service import MigrationService


def write_migrations(folder: Path, count: int) -> None:
    for i in range(1, count + 1):
        (folder / f"{i:04d}_t{i}.up.sql").write_text(
            f"CREATE TABLE t{i} (id integer PRIMARY KEY, a text NOT NULL, b integer);\n"
            f"CREATE INDEX t{i}_b ON t{i} (b);\n"
        )
        (folder / f"{i:04d}_t{i}.down.sql").write_text(f"DROP TABLE t{i};\n")


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure(backend: str, count: int, runs: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp, fresh_database(backend) as url:
        folder = Path(tmp)
        write_migrations(folder, count)
        conn = connect(url)
        try:
            svc = MigrationService(conn, folder)
            assert svc.apply().ok
            scripts = [m.up_sql for m in discover(folder, backend)]  # the floor runs the same SQL

            def floor() -> None:
                with conn.scratch_copy(empty=True) as scratch:
                    for sql in scripts:
                        scratch.execute_script(sql)
                    scratch.introspect()
                conn.introspect()

            status, drift, raw = [], [], []
            for _ in range(runs):
                status.append(timed(svc.status))
                drift.append(timed(lambda: schema_drift(conn, svc.status())))
                raw.append(timed(floor))
            assert schema_drift(conn, svc.status()).same
        finally:
            conn.close()
    print(f"{backend}, {count} migrations: status {shown(status)}; drift {shown(drift)}; floor {shown(raw)}")
    print(f"  drift / floor = {ratio(drift, raw):.2f}")
    return {"status": spread(status), "drift": spread(drift), "floor": spread(raw), "ratio": ratio(drift, raw)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--migrations", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    out = {b: measure(b, args.migrations, args.runs) for b in chosen_backends(args.backend)}
    if args.json:
        print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
