"""Migration engine speed as ratios against the raw operation, measured in the same run (issue 4).

- backup: `Backups.take` of a 1,000,000-row, 10-column table (copy, registration, definition)
  vs a raw `CREATE TABLE … AS SELECT *` of the same table — budget 1.3×;
- restore: the rollback's refill of that table from its backup (empty it, copy back) vs a raw
  `TRUNCATE`/`DELETE` + `INSERT … SELECT` — budget 1.3×;
- apply: 200 trivial migrations through `Migrator.up` (discovery, analysis, plan, lock,
  one transaction and ledger row each) vs the same files executed raw through the driver, one
  transaction per file, in one process — budget 1.5×.

Raw means the driver connection inside the workbench connection (`conn.raw`: sqlite3 or
psycopg), executing the SQL and nothing else. Each side runs alternately `--runs` times, on
fresh tables or databases; min, median and max are printed, and the ratio of the medians.

    .venv/bin/python -m benchmarks.bench_migrations                   # SQLite, and PostgreSQL if reachable
    .venv/bin/python -m benchmarks.bench_migrations --backend sqlite --rows 200000 --runs 3
    .venv/bin/python -m benchmarks.bench_migrations --only apply --runs 9

Results are printed and written to benchmarks/out/bench_migrations.json; exit 1 over budget.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from benchmarks.databases import fresh_database
from benchmarks.spread import ratio, shown, spread, timed
from workbench.db import ConnectError, Connection, connect
from workbench.db.catalog import Catalog, is_workbench_object
from workbench.migrations.backups import Backups
from workbench.migrations.engine import Migrator
from workbench.migrations.reconcile import repair
from workbench.migrations.runner import run_steps
from workbench.migrations.progress import ignore
from workbench.migrations.store import Store

BUDGETS = {"backup": 1.3, "restore": 1.3, "apply": 1.5}
OUT = Path(__file__).parent / "out" / "bench_migrations.json"

BIG = {
    "postgresql": """
CREATE TABLE big (id bigint PRIMARY KEY, account integer NOT NULL, name text NOT NULL, email varchar(200),
  amount numeric(12, 2) NOT NULL, ratio double precision, active boolean NOT NULL, created timestamptz NOT NULL,
  day date, note text);
INSERT INTO big SELECT i, i % 1000, 'name ' || i, 'user' || i || '@example.com', (i % 100000) / 100.0, i / 7.0,
  i % 2 = 0, timestamptz '2025-01-01' + i * interval '1 second', date '2025-01-01' + (i % 365),
  CASE WHEN i % 5 = 0 THEN NULL ELSE 'note ' || (i % 977) END
FROM generate_series(1, {rows}) i;
""",
    "sqlite": """
CREATE TABLE big (id integer PRIMARY KEY, account integer NOT NULL, name text NOT NULL, email varchar(200),
  amount numeric NOT NULL, ratio real, active boolean NOT NULL, created text NOT NULL, day text, note text);
INSERT INTO big WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})
SELECT i, i % 1000, 'name ' || i, 'user' || i || '@example.com', (i % 100000) / 100.0, i / 7.0,
  i % 2 = 0, datetime('2025-01-01', '+' || i || ' seconds'), date('2025-01-01', '+' || (i % 365) || ' days'),
  CASE WHEN i % 5 = 0 THEN NULL ELSE 'note ' || (i % 977) END FROM n;
""",
}


# -- databases ----------------------------------------------------------------------------------


def raw(conn: Connection, sql: str) -> None:
    """One statement straight through the driver connection."""
    conn.raw.execute(sql)  # type: ignore[attr-defined]


def user_catalog(conn: Connection) -> Catalog:
    return conn.introspect().without(is_workbench_object)


# -- the three measurements ---------------------------------------------------------------------


Timings = dict[str, list[float]]  # "raw" and "engine": seconds, one per run


def bench_backup_and_restore(url: str, backend: str, rows: int, runs: int) -> dict[str, Timings]:
    conn = connect(url)
    try:
        conn.execute_script(BIG[backend].format(rows=rows))
        if backend == "postgresql":
            conn.execute("VACUUM ANALYZE big")
        store = Store(conn)
        with conn.transaction():
            store.ensure()
        keeper = Backups(conn, store)
        catalog = user_catalog(conn)
        table = catalog.table("big")
        empty = "TRUNCATE TABLE big" if conn.capabilities.truncate else "DELETE FROM big"
        raw_backup, engine_backup, raw_restore, engine_restore = [], [], [], []
        for i in range(runs):
            raw(conn, "DROP TABLE IF EXISTS raw_copy")
            raw_backup.append(timed(lambda: raw(conn, "CREATE TABLE raw_copy AS SELECT * FROM big")))
            backup = None

            def take() -> None:
                nonlocal backup
                with conn.transaction():
                    backup = keeper.take(table, f"bench{i}")

            engine_backup.append(timed(take))

            def raw_refill() -> None:
                with conn.transaction():
                    conn.execute(empty)
                    conn.execute("INSERT INTO big SELECT * FROM raw_copy")

            raw_restore.append(timed(raw_refill))
            steps = repair(catalog, catalog, {table.key: backup}, conn, keeper).steps

            def engine_refill() -> None:
                with conn.transaction():
                    run_steps(conn, steps, "bench", ignore)

            engine_restore.append(timed(engine_refill))
            with conn.transaction():
                keeper.drop(backup)
        return {
            "backup": {"raw": raw_backup, "engine": engine_backup},
            "restore": {"raw": raw_restore, "engine": engine_restore},
        }
    finally:
        conn.close()


def trivial_migrations(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(1, count + 1):
        (folder / f"{i:04d}_table_{i}.sql").write_text(
            f"CREATE TABLE t_{i} (id integer PRIMARY KEY, label varchar(40) NOT NULL, created_at timestamp);\n"
        )
    return folder


def bench_apply(backend: str, count: int, runs: int) -> Timings:
    raw_times: list[float] = []
    engine_times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = trivial_migrations(Path(tmp) / "migrations", count)
        for _ in range(runs):
            with fresh_database(backend) as url:
                conn = connect(url)
                raw_times.append(timed(lambda: _apply_raw(conn, folder)))
                conn.close()
            with fresh_database(backend) as url:
                conn = connect(url)
                outcome = None

                def engine() -> None:
                    nonlocal outcome
                    outcome = Migrator(conn, folder).up()

                engine_times.append(timed(engine))
                assert outcome is not None and outcome.ok and len(outcome.done) == count, outcome
                conn.close()
    return {"raw": raw_times, "engine": engine_times}


def _apply_raw(conn: Connection, folder: Path) -> None:
    """Each file in its own transaction, the way a bare runner would."""
    driver = conn.raw  # type: ignore[attr-defined]
    for path in sorted(folder.glob("*.sql")):
        sql = path.read_text()
        if conn.capabilities.schemas:  # psycopg: a transaction block
            with driver.transaction():
                driver.execute(sql)
        else:
            driver.execute("BEGIN")
            driver.execute(sql)
            driver.execute("COMMIT")


# -- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--migrations", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=("copies", "apply"), help="backup and restore, or apply alone")
    args = parser.parse_args(argv)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    results: dict[str, dict[str, dict[str, object]]] = {}
    over = []
    for backend in backends:
        timings: dict[str, Timings] = {}
        try:
            with fresh_database(backend) as url:
                if args.only != "apply":
                    timings |= bench_backup_and_restore(url, backend, args.rows, args.runs)
        except ConnectError as exc:
            print(f"{backend}: skipped ({exc})")
            continue
        if args.only != "copies":
            timings["apply"] = bench_apply(backend, args.migrations, args.runs)
        results[backend] = {}
        for name, t in timings.items():
            r = ratio(t["engine"], t["raw"])
            ok = r <= BUDGETS[name]
            over += [] if ok else [f"{backend} {name}"]
            results[backend][name] = {"raw_s": spread(t["raw"]), "engine_s": spread(t["engine"]), "ratio": r}
            print(
                f"{backend:<10} {name:<8} raw {shown(t['raw'])}  engine {shown(t['engine'])}  "
                f"ratio {r:.2f} (budget {BUDGETS[name]})  {'ok' if ok else 'OVER'}"
            )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps({"rows": args.rows, "migrations": args.migrations, "runs": args.runs, "results": results}, indent=2)
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
