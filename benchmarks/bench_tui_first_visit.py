"""First visit to each screen: time from the key press until the screen is usable, vs a later visit.

Drives the real app headless (Textual's test driver) on a fresh copy of the booking sample, the
project `workbench` opens with no argument. After the catalog is on screen the user reads it for a
second (`--idle`), then presses each screen's key once and then once more. A screen is usable when
it is the one shown, every worker it started has finished (its lists are filled) and a frame has
been drawn. Each run is a fresh interpreter, so a first visit pays what a user's first visit pays
(imports, stylesheets, first queries). The later visit is the reference: the same screen, already
built. Each figure is the median over `--runs` with its min and max beside it. CPU seconds of the
process (UI and worker threads) are reported beside the wall clock: on a shared two-core machine the
wall clock also measures the neighbours.

    python -m benchmarks.bench_tui_first_visit [--runs 5] [--idle 1.0]

Target (issue 15, item 3): every first visit ≤ 0.3 s to a usable screen.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.spread import spread

OUT = Path(__file__).resolve().parent / "out" / "bench_tui_first_visit.json"
SIZE = (130, 36)


async def _usable(pilot: object, mode: str) -> None:
    """Wait until `mode`'s screen is shown, its workers are done, and one more frame is drawn."""
    app = pilot.app  # type: ignore[attr-defined]
    while app.current_mode != mode or any(w.is_running or w.state.name == "PENDING" for w in app.workers):
        await asyncio.sleep(0.005)
    await pilot.pause()  # type: ignore[attr-defined]


async def _one_run(idle: float) -> dict[str, dict[str, list[float]]]:
    from workbench.commands.common import open_project_and_target
    from workbench.tui import make_app
    from workbench.tui.screens import SCREENS

    project, target = open_project_and_target(None, None, sample_when_empty=True)
    app = make_app(target, project)
    times: dict[str, dict[str, list[float]]] = {}
    async with app.run_test(size=SIZE) as pilot:
        while app.catalog is None:
            await asyncio.sleep(0.01)
        await asyncio.sleep(idle)
        visits = [spec for spec in SCREENS[1:]] + [SCREENS[0]] + [spec for spec in SCREENS[1:]]
        for spec in visits:
            started, cpu = time.perf_counter(), time.process_time()
            await pilot.press(spec.key)
            await _usable(pilot, spec.mode)
            which = "later" if spec.mode in times else "first"
            times.setdefault(spec.mode, {})[which] = [time.perf_counter() - started, time.process_time() - cpu]
    return times


def _child(idle: float) -> None:
    with tempfile.TemporaryDirectory() as data:
        os.environ["XDG_DATA_HOME"] = data
        os.environ["XDG_CONFIG_HOME"] = data
        print(json.dumps(asyncio.run(_one_run(idle))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", type=float, default=1.0, help="seconds the user reads the catalog first")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.idle)
        return
    runs = []
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_tui_first_visit", "--child", "--idle", str(args.idle)],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    result = {
        mode: {
            f"{which}_{clock}": spread([round(run[mode][which][i], 3) for run in runs])
            for which in ("first", "later")
            for i, clock in enumerate(("wall", "cpu"))
        }
        for mode in runs[0]
        if "later" in runs[0][mode]
    }
    print(f"seconds, median (min–max) of {args.runs} runs; target: first visit ≤ 0.3 s")
    columns = ("first_wall", "first_cpu", "later_wall", "later_cpu")
    print(f"{'screen':<12}" + "".join(f"{name.replace('_', ' '):>22}" for name in columns))
    for mode, figures in result.items():
        print(f"{mode:<12}" + "".join(f"{_cell(figures[name]):>22}" for name in columns))
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({"runs": args.runs, "idle_s": args.idle, "seconds": result}, indent=2) + "\n")


def _cell(figures: dict[str, float]) -> str:
    """`0.212 (0.198–0.260)`: the median, then the spread."""
    return f"{figures['median']:.3f} ({figures['min']:.3f}–{figures['max']:.3f})"


if __name__ == "__main__":
    main()
