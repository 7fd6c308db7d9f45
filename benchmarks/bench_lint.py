"""Linting a 10,000-statement migration (issue 16). Budget: ≤ 2 s per backend.

"Ours" is what `workbench migrate lint` does to a file offline, from cold caches: the split by the
backend's own lexer, the analysis, the impact and the lint (on PostgreSQL every statement read by
PostgreSQL's parser through pglast). The script is schema changes, not seed rows (a run of
literal INSERTs is read once, which would flatter us): every statement distinct, cycling through
the kinds the rules look at — ADD COLUMN with and without defaults, indexes with and without
CONCURRENTLY, foreign keys and checks with NOT VALID and VALIDATE, type changes, SET NOT NULL,
renames, drops, UPDATE/DELETE with and without WHERE — on 50 tables that exist before it (so
the rules speak: on tables the script made they stay quiet).

    .venv/bin/python -m benchmarks.bench_lint
    .venv/bin/python -m benchmarks.bench_lint --statements 20000 --runs 5

Results are printed and written to benchmarks/out/bench_lint.json; exit 1 over budget.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from benchmarks.spread import shown, spread
from workbench.db import pg_locks
from workbench.migrations.analysis import analyse
from workbench.migrations.impact import assess
from workbench.migrations.lint import lint

BUDGET_S = 2.0
OUT = Path(__file__).resolve().parent / "out" / "bench_lint.json"
TABLES = 50
KINDS = (
    "ALTER TABLE t{t} ADD COLUMN c{i} integer;",
    "ALTER TABLE t{t} ADD COLUMN c{i} text DEFAULT 'x' NOT NULL;",
    "CREATE INDEX i{i} ON t{t} (id, note);",
    "CREATE INDEX CONCURRENTLY i{i} ON t{t} (note);",
    "ALTER TABLE t{t} ADD CONSTRAINT f{i} FOREIGN KEY (id) REFERENCES t{u} (id) NOT VALID;",
    "ALTER TABLE t{t} VALIDATE CONSTRAINT f{i};",
    "ALTER TABLE t{t} ADD CONSTRAINT k{i} CHECK (id > {i});",
    "ALTER TABLE t{t} ALTER COLUMN note TYPE varchar({i});",
    "ALTER TABLE t{t} ALTER COLUMN id SET NOT NULL;",
    "ALTER TABLE t{t} RENAME COLUMN note TO note{i};",
    "UPDATE t{t} SET note = 'n{i}' WHERE id = {i};",
    "DELETE FROM t{t} WHERE id < {i};",
    "-- workbench: allow unconditioned-write reset {i}\nUPDATE t{t} SET note = NULL;",
    "ALTER TABLE t{t} DROP COLUMN c{i};",
)


def script(statements: int) -> str:
    body = [KINDS[i % len(KINDS)].format(i=i, t=i % TABLES, u=(i + 1) % TABLES) for i in range(statements)]
    return "\n".join(body) + "\n"


def lint_once(text: str, dialect: str) -> tuple[float, int]:
    """Seconds to lint `text` from cold caches, and the findings it gave."""
    analyse.cache_clear()
    pg_locks.read.cache_clear()
    schema = "public" if dialect == "postgresql" else "main"
    start = time.perf_counter()
    heads = analyse(text, dialect).heads()
    existing = {(schema, f"t{t}") for t in range(TABLES)}
    found = lint(heads, assess(heads, schema, existing), schema, None, dialect)
    return time.perf_counter() - start, len(found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    text = script(args.statements)
    results = {}
    for dialect in ("postgresql", "sqlite"):
        runs = [lint_once(text, dialect) for _ in range(args.runs)]
        seconds = [s for s, _ in runs]
        best = min(seconds)
        results[dialect] = {
            "statements": args.statements,
            "seconds": spread(seconds),
            "runs_s": [round(s, 3) for s in seconds],
            "findings": runs[0][1],
            "budget_s": BUDGET_S,
            "within": best <= BUDGET_S,
        }
        print(
            f"{dialect:<10} {args.statements:,} statements: {shown(seconds, digits=2)}, {runs[0][1]:,} findings; "
            f"budget {BUDGET_S} s for the fastest run"
        )
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    return 0 if all(r["within"] for r in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
