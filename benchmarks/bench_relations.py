"""The Relations tab and `workbench docs` on the 1,000-table schema (issue 19).

Targets: the Relations tab for a table draws in ≤ 100 ms once the catalog is loaded; `docs` for
1,000 tables takes ≤ 3 s. Measured on `benchmarks.wide_schema` (1,000 tables, each referencing
the one before: every table has neighbours both ways, and more at each hop).

- `draw`: the pure layout (neighbourhood by hops + boxes), median over many tables, at 1 hop and
  at the widest radius the tab allows.
- `tab`: in the real app, headless: with the Relations tab shown, the time from opening a table
  (as the tree's cursor does) until the frame is drawn; and from `+` until drawn.
- `docs`: `workbench docs` as a whole process (connect, catalog, pages), first into an empty
  folder and again on the unchanged schema (nothing written); the pages alone in-process; and
  the floor: creating the same 1,001 files with the same bytes and nothing else.

    python -m benchmarks.bench_relations [--backend sqlite|postgresql|both] [--tables 1000] [--runs 5]

Every series (over tables for `draw` and `tab`, over `--runs` for `docs`) is printed as its
median with min and max.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.databases import chosen_backends, fresh_database
from benchmarks.spread import ms, shown, spread, timed
from benchmarks.wide_schema import build, table_name
from workbench.db import connect
from workbench.db.catalog import Catalog
from workbench.relations.boxes import draw
from workbench.relations.docs import pages
from workbench.relations.graph import neighbourhood

OUT = Path(__file__).resolve().parent / "out" / "bench_relations.json"


def measure_draw(catalog: Catalog, names: list[str], hops: int) -> list[float]:
    times = []
    for name in names:
        table = catalog.table(name)
        assert table is not None
        times.append(timed(lambda t=table: draw(neighbourhood(catalog, t, hops))))
    return ms(times)


async def _tab_times(url: str, names: list[str]) -> dict[str, Any]:
    from workbench.browse.outline import ObjectRef
    from workbench.project import Target
    from workbench.tui import make_app
    from workbench.tui.widgets.relations_view import RelationsView

    app = make_app(Target(url))
    opened, drawn, grown, idle, drawn_cpu, grown_cpu = [], [], [], [], [], []
    async with app.run_test(size=(130, 36)) as pilot:
        while app.catalog is None or any(w.is_running for w in app.workers):
            await asyncio.sleep(0.01)
        catalog = app.catalog
        screen = app.screen
        screen.reveal(ObjectRef("table", catalog.tables[0].schema, names[0]))
        await pilot.press("n")
        await pilot.pause()
        view = screen.query_one(RelationsView)
        for name in names[1:]:
            started = time.perf_counter()
            screen.reveal(ObjectRef("table", catalog.tables[0].schema, name))
            await pilot.pause()
            opened.append(time.perf_counter() - started)
            assert view.table is not None and view.table.name == name
        for name in names[1:]:  # the tab's own part: lay out, paint, draw the frame
            table = catalog.table(name)
            assert table is not None
            started, cpu = time.perf_counter(), time.process_time()
            view.show(catalog, table)
            await pilot.pause()
            drawn.append(time.perf_counter() - started)
            drawn_cpu.append(time.process_time() - cpu)
        for _ in range(len(names)):  # what one frame costs with nothing to do: the floor
            started = time.perf_counter()
            screen.refresh()
            await pilot.pause()
            idle.append(time.perf_counter() - started)
        view.focus()
        await pilot.pause()
        for _ in range(5):
            started, cpu = time.perf_counter(), time.process_time()
            view.action_hops(1)
            await pilot.pause()
            grown.append(time.perf_counter() - started)
            grown_cpu.append(time.process_time() - cpu)
    return {
        "open_table_ms": ms(opened),
        "tab_draw_ms": ms(drawn),
        "tab_draw_cpu_ms": ms(drawn_cpu),
        "plus_ms": ms(grown),
        "plus_cpu_ms": ms(grown_cpu),
        "empty_frame_ms": ms(idle),
        "hops_reached": view.hops,
    }


def measure_docs(url: str, runs: int) -> dict[str, list[float]]:
    first: list[float] = []
    again: list[float] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="workbench-docs-") as folder:
            command = [sys.executable, "-m", "workbench", "docs", url, "--output", folder]
            for times in (first, again):
                times.append(timed(lambda: subprocess.run(command, check=True, capture_output=True)))
    return {"process_first_s": first, "process_again_s": again}


def measure_floor(texts: dict[str, str], runs: int) -> list[float]:
    """Creating the same files with the same bytes and nothing else: what the file system costs."""

    def create(folder: str) -> None:
        for name, text in texts.items():
            (Path(folder) / name).write_text(text, encoding="utf-8")

    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="workbench-floor-") as folder:
            times.append(timed(lambda: create(folder)))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", default="both", choices=("sqlite", "postgresql", "both"))
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results: dict[str, dict[str, Any]] = {}
    for backend in chosen_backends(args.backend):
        with fresh_database(backend) as url:
            conn = connect(url)
            try:
                build(conn, args.tables)
                catalog = conn.introspect()
            finally:
                conn.close()
            names = [table_name(i) for i in range(0, args.tables, max(args.tables // 50, 1))]
            started = time.perf_counter()
            texts = pages(catalog)
            in_process = time.perf_counter() - started
            results[backend] = {  # a list is a series: ms by its name's unit, else s
                "draw_1_hop_ms": measure_draw(catalog, names, 1),
                "draw_6_hops_ms": measure_draw(catalog, names, 6),
                **asyncio.run(_tab_times(url, names[:12])),
                "docs_pages_in_process_s": round(in_process, 3),
                "floor_create_files_s": measure_floor(texts, args.runs),
                **measure_docs(url, args.runs),
            }
    for backend, figures in results.items():
        print(backend)
        for name, value in figures.items():
            unit = "ms" if name.endswith("_ms") else "s"
            print(f"  {name:<26} {shown(value, unit, 2) if isinstance(value, list) else value}")
    summary = {b: {k: spread(v) if isinstance(v, list) else v for k, v in f.items()} for b, f in results.items()}
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({"tables": args.tables, "runs": args.runs, "results": summary}, indent=2))


if __name__ == "__main__":
    main()
