"""The data grid on a 1,000,000-row table: first rows, paging to the end, and flat memory.

Drives the real app headless (Textual's test driver, which renders every frame) on SQLite and
PostgreSQL: open the table, press `d`, and time until its first rows are in the grid and painted;
press ctrl+end and time until the last row is; then page up through a few thousand rows. The
process's resident memory is sampled after every step; what counts is the largest rise above
the level measured just before the Data tab opened. CPU seconds are reported beside wall-clock
seconds: on a shared two-core machine the wall clock also measures the neighbours.

`first_rows_s` runs until the app has settled after the key (Pilot waits for the process to go
idle, ~0.1 s of which is the driver's own polling, see `first_rows_idle_floor_s`); beside it,
`first_rows_drawn_s` is when the grid drew its first row for the screen, i.e. when a user sees it.
The app starts afresh for each of `--runs`; every time is given as min / median / max of the runs,
the memory rise as the largest.

    python -m benchmarks.bench_tui_grid [--rows 1000000] [--runs 3] [--pg postgresql://postgres@127.0.0.1/postgres]

Targets (issue 3): first rows ≤ 0.3 s; last row well under 1 s; memory within 50 MB of its start.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any
from collections.abc import Awaitable, Callable

from benchmarks.spread import spread
from workbench.db import Connection, connect
from workbench.project import Target

if TYPE_CHECKING:
    from textual.pilot import Pilot
    from textual.strip import Strip

OUT = Path(__file__).resolve().parent / "out" / "bench_tui_grid.json"


def fill_tall(conn: Connection, rows: int) -> None:
    if conn.backend.name == "postgresql":
        source = f"SELECT g FROM generate_series(1, {rows}) AS s(g)"
    else:
        source = f"WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {rows}) SELECT g FROM s"
    conn.execute("CREATE TABLE tall (id integer PRIMARY KEY, name text NOT NULL, amount numeric(12, 2), note text)")
    with conn.transaction():
        conn.execute(
            "INSERT INTO tall SELECT g, 'name ' || g, g * 0.01, CASE WHEN g % 3 = 0 THEN NULL ELSE 'note' END "
            f"FROM ({source}) AS q"
        )
    if conn.backend.name == "postgresql":
        conn.execute("ANALYZE tall")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def waiter(pilot: Pilot[Any], what: str) -> Callable[..., Awaitable[float]]:
    """`await until(condition)`: the seconds until `condition()` holds and the frame after it is
    painted (polled every 2 ms); `what` names the screen in the error when it never does."""

    async def until(condition: Callable[[], bool], limit: float = 120) -> float:
        start = time.perf_counter()
        while not condition():
            if time.perf_counter() - start > limit:
                raise RuntimeError(f"{what} did not answer in time")
            await asyncio.sleep(0.002)
        await pilot.pause()  # one more turn of the loop: the frame is painted
        return time.perf_counter() - start

    return until


async def measure(url: str) -> dict[str, float]:
    from workbench.tui import make_app
    from workbench.tui.widgets.data_grid import DataGrid

    app = make_app(Target(url))
    async with app.run_test(size=(160, 48)) as pilot:
        until = waiter(pilot, "the grid")

        await until(lambda: app.catalog is not None)
        await pilot.pause()
        app.screen.reveal(_tall_ref(app))
        await pilot.pause()
        start = time.perf_counter()
        await pilot.press("x")  # no binding: what a key costs the driver alone
        idle_floor = time.perf_counter() - start
        grid = app.screen.query_one(DataGrid)
        drawn: list[float] = []
        draw = grid.render_line

        def render_line(y: int) -> Strip:  # the first line holding a row, as the screen asks for it
            if y and grid.rows_in_window and not drawn:
                drawn.append(time.perf_counter())
            return draw(y)

        grid.render_line = render_line  # type: ignore[method-assign]
        base = rss_mb()
        peak = base
        start, cpu = time.perf_counter(), time.process_time()
        await pilot.press("d")
        await until(lambda: bool(grid.rows_in_window) and grid.loading_request is None)
        first_rows, first_rows_cpu = time.perf_counter() - start, time.process_time() - cpu
        first_rows_drawn = drawn[0] - start
        peak = max(peak, rss_mb())
        start, cpu = time.perf_counter(), time.process_time()
        await pilot.press("ctrl+end")
        await until(
            lambda: (
                bool(grid.rows_in_window)
                and grid.rows_in_window[-1][0] == TOTAL[0]
                and grid.loading_request in (None, "count")
            )
        )
        last_row, last_row_cpu = time.perf_counter() - start, time.process_time() - cpu
        await until(lambda: grid.loading_request is None)
        peak = max(peak, rss_mb())
        start = time.perf_counter()
        for _ in range(100):  # about 4,000 rows upwards, page by page
            await pilot.press("pageup")
            await until(lambda: grid.loading_request is None)
            peak = max(peak, rss_mb())
        page_up = (time.perf_counter() - start) / 100
    return {
        "first_rows_s": round(first_rows, 3),
        "first_rows_cpu_s": round(first_rows_cpu, 3),
        "first_rows_drawn_s": round(first_rows_drawn, 3),
        "first_rows_idle_floor_s": round(idle_floor, 3),
        "last_row_s": round(last_row, 3),
        "last_row_cpu_s": round(last_row_cpu, 3),
        "page_up_avg_s": round(page_up, 4),
        "rss_start_mb": round(base, 1),
        "rss_peak_rise_mb": round(peak - base, 1),
    }


TOTAL = [0]


def _tall_ref(app):  # noqa: ANN001, ANN202
    from workbench.browse.outline import ObjectRef

    table = app.catalog.table("tall")
    return ObjectRef("table", table.schema, table.name)


def summarise(runs: list[dict[str, float]]) -> dict[str, object]:
    """Min / median / max of each time, the largest memory rise."""
    summary: dict[str, object] = {key: spread([run[key] for run in runs]) for key in runs[0] if key.endswith("_s")}
    summary["rss_peak_rise_mb"] = max(run["rss_peak_rise_mb"] for run in runs)
    summary["rss_start_mb"] = runs[0]["rss_start_mb"]  # later runs start in a process that held an app
    return summary


def table(results: dict[str, dict[str, object]], runs: int) -> str:
    """The times as a table: one line per measure, median (min–max) per backend."""
    backends = list(results)
    lines = [f"seconds, median (min–max) of {runs} runs; target: first rows ≤ 0.3 s"]
    lines.append(f"{'':<26}" + "".join(f"{b:>24}" for b in backends))
    for key in (k for k in results[backends[0]] if k.endswith("_s")):
        cells = []
        for b in backends:
            s = results[b][key]
            assert isinstance(s, dict)
            cells.append(f"{s['median']:.3f} ({s['min']:.3f}–{s['max']:.3f})")
        lines.append(f"{key:<26}" + "".join(f"{c:>24}" for c in cells))
    for key in ("rss_start_mb", "rss_peak_rise_mb"):
        lines.append(f"{key:<26}" + "".join(f"{results[b][key]:>24}" for b in backends))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="app starts per backend")
    parser.add_argument("--pg", default=os.environ.get("WORKBENCH_TEST_PG", "postgresql://postgres@127.0.0.1/postgres"))
    args = parser.parse_args()
    TOTAL[0] = args.rows
    work = Path(tempfile.mkdtemp(prefix="bench-grid-"))
    os.environ["WORKBENCH_CONFIG_DIR"] = str(work / "config")
    results: dict[str, dict[str, object]] = {}
    sqlite_path = work / "tall.db"
    conn = connect(str(sqlite_path), options={"create": True})
    fill_tall(conn, args.rows)
    conn.close()
    results["sqlite"] = summarise([asyncio.run(measure(str(sqlite_path))) for _ in range(args.runs)])
    db = f"wbbench_tall_{uuid.uuid4().hex[:8]}"
    admin = connect(args.pg)
    admin.execute(f"CREATE DATABASE {admin.quote(db)}")
    try:
        url = args.pg.rsplit("/", 1)[0] + "/" + db
        conn = connect(url)
        fill_tall(conn, args.rows)
        conn.close()
        results["postgresql"] = summarise([asyncio.run(measure(url)) for _ in range(args.runs)])
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {admin.quote(db)} WITH (FORCE)")
        admin.close()
        shutil.rmtree(work, ignore_errors=True)
    report = {
        "benchmark": "data grid on a tall table",
        "rows": args.rows,
        "runs": args.runs,
        "targets": {"first_rows_s": 0.3, "last_row_s": 1.0, "rss_peak_rise_mb": 50},
        "results": results,
    }
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n")
    print(table(results, args.runs))


if __name__ == "__main__":
    main()
