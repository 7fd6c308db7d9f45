"""Splitting a 100,000-statement file vs the database running it raw (issue 12, section 7).

Planning 100,000 simple statements must take at most 0.5× the time the database takes to run
them; `bench_plan.py` judges that. This one shows the cutting alone, two ways: "split" is
`workbench.db.split_statements(text, backend)`, statement by statement (SQLite's own
`complete_statement` at each `;`, PostgreSQL's own parser through pglast, a statement object
each), as checks and the exactness tests use it; "read" is `workbench.db.row_runs.read`, as
planning reads a file: runs of literal-row INSERTs by one match each, the rest by the lexer. "Raw" is
the driver running the same text in one transaction, in one call (sqlite3 `executescript`,
psycopg's simple query protocol: one round trip), which is the fastest the database can go.
A third row times PostgreSQL text that does not parse (one typo at the end), which is split
over the scanner's tokens instead; it is shown, not judged.

Both sides run alternately `--runs` times on a fresh table, in the same process; min, median
and max are printed, and the ratio of the medians.

    .venv/bin/python -m benchmarks.bench_split                  # SQLite, and PostgreSQL if reachable
    .venv/bin/python -m benchmarks.bench_split --backend sqlite --statements 20000 --runs 3

Results are printed and written to benchmarks/out/bench_split.json (no verdict: see bench_plan).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.databases import chosen_backends, fresh_database
from benchmarks.spread import ms, ratio, shown, spread, timed
from workbench.db import Connection, connect, row_runs, split_statements

OUT = Path(__file__).resolve().parent / "out" / "bench_split.json"
TABLE = "CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, price integer)"


def script(count: int) -> str:
    """`count` simple statements: inserts with a string literal, an update and a comment now and then."""
    lines = []
    for i in range(count):
        if i % 100 == 99:
            lines.append(f"-- batch {i // 100}; prices move\nUPDATE items SET price = price + 1 WHERE id = {i - 50};")
        else:
            lines.append(f"INSERT INTO items (id, name, price) VALUES ({i}, 'item {i}; it''s new', {i % 97});")
    return "\n".join(lines) + "\n"


def raw_runner(conn: Connection, text: str) -> Callable[[], None]:
    """The whole text through the driver, in one transaction and one call."""
    if conn.backend.name == "sqlite":
        return lambda: conn.raw.executescript(f"BEGIN;\n{text}COMMIT;")  # type: ignore[attr-defined]

    def run() -> None:
        with conn.raw.transaction(), conn.raw.cursor() as cur:  # type: ignore[attr-defined]
            cur.execute(text.encode())

    return run


def measure(url: str, count: int, runs: int) -> dict[str, dict[str, Any]]:
    conn = connect(url)
    try:
        backend = conn.backend.name
        text = script(count)
        assert len(split_statements(text, backend)) == count  # also loads the lexer before timing
        conn.execute(TABLE)
        execute = raw_runner(conn, text)
        ours: list[float] = []
        read: list[float] = []
        raw: list[float] = []
        for run in range(runs):  # alternate which side goes first: no order bias
            if run % 2:
                ours.append(timed(lambda: split_statements(text, backend)))
                read.append(timed(lambda: row_runs.read(text, backend)))
            conn.execute("DELETE FROM items")
            raw.append(timed(execute))
            if not run % 2:
                ours.append(timed(lambda: split_statements(text, backend)))
                read.append(timed(lambda: row_runs.read(text, backend)))
        results = {backend: {"statements": count, "raw": raw, "split": ours, "read": read}}
        if backend == "postgresql":
            broken = text + "SELEC 1;\n"
            assert len(split_statements(broken, backend)) == count + 1
            fallback = [timed(lambda: split_statements(broken, backend)) for _ in range(runs)]
            again = [timed(lambda: row_runs.read(broken, backend)) for _ in range(runs)]
            results["postgresql, does not parse"] = {
                "statements": count + 1,
                "raw": raw,
                "split": fallback,
                "read": again,
            }
        for result in results.values():
            result["ratio"] = ratio(result["split"], result["raw"])
            result["read_ratio"] = ratio(result["read"], result["raw"])
        return results
    finally:
        conn.close()


def arguments(doc: str | None) -> argparse.Namespace:
    """--backend, --statements and --runs: the command line of the statement benchmarks."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    return parser.parse_args()


def main() -> int:
    args = arguments(__doc__)
    backends = chosen_backends(args.backend)
    results: dict[str, dict[str, Any]] = {}
    for backend in backends:
        with fresh_database(backend) as url:
            results.update(measure(url, args.statements, args.runs))
    for name, r in results.items():
        print(
            f"{name}, {r['statements']:,} statements: raw {shown(ms(r['raw']), 'ms', 0)}; "
            f"split {shown(ms(r['split']), 'ms', 0)}, ratio {r['ratio']:.2f}; "
            f"read {shown(ms(r['read']), 'ms', 0)}, ratio {r['read_ratio']:.2f}"
        )
    summary = {
        name: {**r, **{side: spread(ms(r[side])) for side in ("raw", "split", "read")}, "unit": "ms"}
        for name, r in results.items()
    }
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({"runs": args.runs, "results": summary}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
