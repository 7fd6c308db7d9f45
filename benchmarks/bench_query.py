"""The Query screen on a 1,000,000-row result: first rows, paging to the end, flat memory, beside
the raw driver fetching the same result.

Drives the real app headless on SQLite and PostgreSQL: press 5, put `SELECT * FROM tall` in the
editor, press ctrl+j and time until its first rows are in the result grid; press ctrl+end and time
until the last row is (the stream is read to its end, a page kept); page up through a few thousand
rows. Resident memory is sampled after every step; what counts is the largest rise above the level
just before ctrl+j. In the same process, alternately, the raw driver runs the same statement and
fetches every row (`sqlite3` / psycopg's `fetchall`, what a tool that loads a whole result does):
the floor our "to the end" is compared with, and the memory such a load costs.

    python -m benchmarks.bench_query [--rows 1000000] [--runs 3] [--backend both|sqlite|postgresql]

PostgreSQL comes from WORKBENCH_TEST_PG, as in the tests (`benchmarks/databases.py`).

Targets (issue 18): first rows ≤ 0.3 s; paging to the end < 1 s; memory rise ≤ 50 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import tempfile
import time
from pathlib import Path

from benchmarks.bench_tui_grid import fill_tall, rss_mb, waiter
from benchmarks.databases import chosen_backends, fresh_database
from benchmarks.spread import ratio, shown, spread
from workbench.db import connect
from workbench.project import Target

OUT = Path(__file__).resolve().parent / "out" / "bench_query.json"
SQL = "SELECT * FROM tall"


async def measure(url: str, rows: int) -> dict[str, float]:
    from textual.widgets import TextArea

    from workbench.tui import make_app
    from workbench.tui.widgets.result_grid import ResultGrid

    app = make_app(Target(url))
    async with app.run_test(size=(160, 48)) as pilot:
        until = waiter(pilot, "the Query screen")

        await until(lambda: app.catalog is not None)
        await pilot.press("5")
        await until(lambda: getattr(app.screen, "session", None) is not None)
        app.screen.query_one(TextArea).load_text(SQL)
        await pilot.pause()
        base = peak = rss_mb()
        start = time.perf_counter()
        await pilot.press("ctrl+j")
        await until(lambda: any(g.rows_in_window and g.loading_request is None for g in app.screen.query(ResultGrid)))
        first_rows = time.perf_counter() - start
        grid = app.screen.query_one(ResultGrid)
        peak = max(peak, rss_mb())
        grid.focus()
        await pilot.pause()
        start = time.perf_counter()
        await pilot.press("ctrl+end")
        # the end, whatever order the rows came in (PostgreSQL may start a scan of a big table mid-way)
        await until(lambda: grid.total == rows and grid.pages[-1].at_end and not grid.loading_request)
        to_end = time.perf_counter() - start
        peak = max(peak, rss_mb())
        start = time.perf_counter()
        for _ in range(30):  # about 1,200 rows upwards, from the rows kept at hand
            await pilot.press("pageup")
            await until(lambda: grid.loading_request is None)
            peak = max(peak, rss_mb())
        page_up = (time.perf_counter() - start) / 30
    return {
        "first_rows_s": first_rows,
        "to_end_s": to_end,
        "page_up_avg_s": page_up,
        "rss_peak_rise_mb": peak - base,
    }


def raw_fetch(url: str) -> dict[str, float]:
    """The driver alone: run the statement and fetch every row into a list."""
    gc.collect()
    base = rss_mb()
    start = time.perf_counter()
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url) as conn, conn.cursor() as cur:
            cur.execute(SQL)
            rows = cur.fetchall()
    else:
        import sqlite3

        conn = sqlite3.connect(url)
        rows = conn.execute(SQL).fetchall()
        conn.close()
    elapsed = time.perf_counter() - start
    rise = rss_mb() - base
    del rows
    gc.collect()
    return {"fetch_all_s": elapsed, "rss_rise_mb": rise}


def run_backend(url: str, raw_url: str, rows: int, runs: int) -> dict[str, object]:
    ours: list[dict[str, float]] = []
    raw: list[dict[str, float]] = []
    for _ in range(runs):  # alternately, so both sides see the same neighbours
        ours.append(asyncio.run(measure(url, rows)))
        raw.append(raw_fetch(raw_url))
    series = {key: [run[key] for run in ours] for key in ours[0]}
    floor = [run["fetch_all_s"] for run in raw]
    for key, values in series.items():
        print(f"  {key}: {shown(values, 'MB' if key.endswith('mb') else 's')}")
    print(f"  raw fetchall: {shown(floor)}; its memory rise {max(r['rss_rise_mb'] for r in raw):.0f} MB")
    return {
        **{key: spread([round(v, 4) for v in values]) for key, values in series.items()},
        "raw_fetch_all_s": spread([round(v, 4) for v in floor]),
        "raw_rss_rise_mb": round(max(r["rss_rise_mb"] for r in raw), 1),
        "to_end_over_raw_fetch": round(ratio(series["to_end_s"], floor), 2),
        "first_rows_over_raw_fetch": round(ratio(series["first_rows_s"], floor), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="app starts (and raw fetches) per backend")
    parser.add_argument("--backend", choices=["both", "sqlite", "postgresql"], default="both")
    args = parser.parse_args()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="bench-query-") as work:
        os.environ["WORKBENCH_CONFIG_DIR"] = str(Path(work) / "config")
        os.environ["WORKBENCH_DATA_DIR"] = str(Path(work) / "data")  # the history goes there, not to yours
        for backend in chosen_backends(args.backend):
            with fresh_database(backend) as url:
                conn = connect(url)
                fill_tall(conn, args.rows)
                conn.close()
                print(backend)
                raw_url = url.removeprefix("sqlite:///") if backend == "sqlite" else url
                results[backend] = run_backend(url, raw_url, args.rows, args.runs)
    report = {
        "benchmark": "Query screen on a 1,000,000-row result",
        "rows": args.rows,
        "runs": args.runs,
        "targets": {"first_rows_s": 0.3, "to_end_s": 1.0, "rss_peak_rise_mb": 50},
        "results": results,
    }
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
