"""Planning a 100,000-statement migration vs the database running it (issue 12, section 7).

Budget: planning ≤ 0.5× the time the database takes to run the same statements, with memory
that grows with the file, not faster. "Ours" is `Migrator.plan_up()` on a pending migration
holding the text (discovery aside): the split by the engine's own lexer, the analysis, the impact,
the lint and the plan's steps, from a cold analysis cache. Two raw references run in the same
process, alternately, on a fresh table each time:

- statement by statement: the driver executes each statement of the split text in one
  transaction, as the migration engine itself does — the judged reference;
- one call: the whole text in one driver call (sqlite3 `executescript`, psycopg's simple query
  protocol: one round trip) — the fastest the database can take it, shown for the record.

The text is `bench_split.script`: inserts of literal rows, an UPDATE behind a comment every 100.

    .venv/bin/python -m benchmarks.bench_plan                 # SQLite, and PostgreSQL if reachable
    .venv/bin/python -m benchmarks.bench_plan --backend sqlite --statements 20000 --runs 3

Results are printed and written to benchmarks/out/bench_plan.json; exit 1 over budget.
"""

from __future__ import annotations

import json
import tempfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from typing import Any

from benchmarks.bench_split import TABLE, arguments, raw_runner, script
from benchmarks.databases import chosen_backends, fresh_database
from benchmarks.spread import ms, ratio, shown, spread, timed
from workbench.db import Connection, connect, split_statements
from workbench.migrations.analysis import analyse
from workbench.migrations.engine import Migrator

BUDGET = 0.5
OUT = Path(__file__).resolve().parent / "out" / "bench_plan.json"


def one_by_one(conn: Connection, text: str) -> Callable[[], None]:
    """Each statement through the driver, in one transaction: how a migration runs them."""
    statements = [s.sql for s in split_statements(text, conn.backend.name)]
    raw = conn.raw  # type: ignore[attr-defined]

    if conn.backend.name == "sqlite":

        def run() -> None:
            raw.execute("BEGIN")
            for sql in statements:
                raw.execute(sql)
            raw.execute("COMMIT")

        return run

    def run_pg() -> None:
        with raw.transaction(), raw.cursor() as cur:
            for sql in statements:
                cur.execute(sql.encode())

    return run_pg


def plan(mg: Migrator) -> int:
    analyse.cache_clear()  # cold: the text is read as for the first time
    return len(mg.plan_up().migrations[0].statements)


def measure(url: str, count: int, runs: int) -> dict[str, Any]:
    conn = connect(url)
    try:
        text = script(count)
        conn.execute(TABLE)
        folder = Path(tempfile.mkdtemp(prefix="bench-plan-"))
        (folder / "001_seed.sql").write_text(text)
        mg = Migrator(conn, folder)
        assert plan(mg) == count
        tracemalloc.start()
        plan(mg)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        stepwise, whole = one_by_one(conn, text), raw_runner(conn, text)
        ours: list[float] = []
        raw: list[float] = []
        floor: list[float] = []
        for run in range(runs):  # alternate which side goes first: no order bias
            if run % 2:
                ours.append(timed(lambda: plan(mg)))
            conn.execute("DELETE FROM items")
            raw.append(timed(stepwise))
            conn.execute("DELETE FROM items")
            floor.append(timed(whole))
            if not run % 2:
                ours.append(timed(lambda: plan(mg)))
        return {
            "statements": count,
            "text_bytes": len(text.encode()),
            "plan_peak_bytes": peak,
            "plan": ours,
            "raw_one_by_one": raw,
            "raw_one_call": floor,
            "ratio": ratio(ours, raw),
            "ratio_one_call": ratio(ours, floor),
        }
    finally:
        conn.close()


def main() -> int:
    args = arguments(__doc__)
    backends = chosen_backends(args.backend)
    results = {}
    for backend in backends:
        with fresh_database(backend) as url:
            results[backend] = measure(url, args.statements, args.runs)
    for name, r in results.items():
        print(
            f"{name}, {r['statements']:,} statements: plan {shown(ms(r['plan']), 'ms', 0)}; "
            f"raw one by one {shown(ms(r['raw_one_by_one']), 'ms', 0)}, ratio {r['ratio']:.2f}; "
            f"raw in one call {shown(ms(r['raw_one_call']), 'ms', 0)}, ratio {r['ratio_one_call']:.2f}; "
            f"plan peak {r['plan_peak_bytes'] / 1e6:.1f} MB"
        )
    worst = max(r["ratio"] for r in results.values())
    print(
        f"worst ratio {worst:.2f} (budget ≤ {BUDGET}, against the statements run one by one): "
        f"{'MET' if worst <= BUDGET else 'NOT MET'}"
    )
    OUT.parent.mkdir(exist_ok=True)
    sides = ("plan", "raw_one_by_one", "raw_one_call")
    summary = {name: {**r, **{k: spread(ms(r[k])) for k in sides}, "unit": "ms"} for name, r in results.items()}
    OUT.write_text(json.dumps({"runs": args.runs, "results": summary}, indent=2) + "\n")
    return 0 if worst <= BUDGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
