"""What applying inline edits costs: the Data tab's staged cells applied as one journaled change.

`--edits` cells (two per row, rows spread over a `--rows`-row table) applied with
`workbench.console.edits.apply` — the rolled-back check, the console's preview, its prior backup of
the edited rows, the UPDATEs and the journal entry, in one transaction — against the same UPDATEs
run through the driver in one transaction (the floor: what the edits do, with no way back). Also
timed: undoing the change. Sides alternate `--runs` times in one process; min, median and max are
printed, and the ratio of the medians. No budget: a person applies tens of edits, not thousands.

    .venv/bin/python -m benchmarks.bench_edits                        # SQLite, and PostgreSQL if reachable
    .venv/bin/python -m benchmarks.bench_edits --backend sqlite --edits 200 --runs 3
"""

from __future__ import annotations

import argparse
import time
from typing import Any, cast

from benchmarks.databases import chosen_backends, fresh_database
from benchmarks.spread import ratio, shown
from workbench.console.edits import Edits, apply, edits_for
from workbench.console.session import Console
from workbench.console.undo import undo
from workbench.db import Connection, connect

TABLE = "CREATE TABLE films (id integer PRIMARY KEY, title text NOT NULL, year integer, note text)"


def prepared(url: str, rows: int) -> tuple[Connection, Edits]:
    """`rows` films, and the edits: title and year of `edits / 2` rows spread over the table."""
    conn = connect(url)
    conn.execute(TABLE)
    p = conn.placeholder
    with conn.transaction():
        for i in range(rows):
            conn.execute(f"INSERT INTO films VALUES ({p}, {p}, {p}, NULL)", (i, f"film {i}", 1900 + i % 120))
    table = conn.introspect().table("films", conn.default_schema)
    assert table is not None
    return conn, edits_for(conn, table)


def staged(edits: Edits, rows: int, cells: int) -> Edits:
    step = max(1, rows // max(1, cells // 2))
    for i in range(0, step * (cells // 2), step):
        edits = edits.stage((i,), "title", f"edited {i}", f"film {i}").stage((i,), "year", "2000", 1900 + i % 120)
    return edits


def raw_updates(conn: Connection, edits: Edits) -> float:
    """Seconds for the same UPDATEs through the driver, in one transaction."""
    driver: Any = cast(Any, conn).raw
    updates = edits.updates(conn)
    t = time.perf_counter()
    with conn.transaction():
        cur = driver.cursor()
        for u in updates:
            cur.execute(u.sql, u.params)
    return time.perf_counter() - t


def measure(backend: str, rows: int, cells: int, runs: int) -> tuple[list[float], list[float], list[float]]:
    ours, floor, undone = [], [], []
    for run in range(runs):
        with fresh_database(backend) as a, fresh_database(backend) as b:
            (conn, edits), (plain, plain_edits) = prepared(a, rows), prepared(b, rows)
            ours_first = run % 2 == 0
            for side in ("ours", "floor") if ours_first else ("floor", "ours"):
                if side == "ours":
                    t = time.perf_counter()
                    record = apply(Console(conn), staged(edits, rows, cells))
                    ours.append(time.perf_counter() - t)
                else:
                    floor.append(raw_updates(plain, staged(plain_edits, rows, cells)))
            t = time.perf_counter()
            report = undo(conn, record.id)
            assert report.refused is None, report.refused
            undone.append(time.perf_counter() - t)
            conn.close()
            plain.close()
    return ours, floor, undone


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for backend in chosen_backends(args.backend):
        ours, floor, undone = measure(backend, args.rows, args.edits, args.runs)
        print(
            f"{backend}: {args.edits} edits of a {args.rows:,}-row table applied as one journaled change "
            f"{shown(ours)} vs the bare UPDATEs {shown(floor)} = {ratio(ours, floor):.1f}x; undo {shown(undone)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
