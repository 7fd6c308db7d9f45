"""Time from process start until a table name is on screen: the workbench vs Harlequin, same run.

Both apps run in tmux with the same pane size and the same harness: start the process, poll the
pane every 10 ms, and stop the clock when `t0000` (the first table of the wide schema, 1,000
tables) is visible. Harlequin's catalog starts collapsed, so the harness presses the keys a user
would (F6 to focus the catalog, then Enter to expand once it has the focus; on PostgreSQL also the schema) as soon as each
level appears; the workbench needs no key. Resident memory of the process tree is read at the
moment the name appears. Runs alternate between the apps so load on the machine hits both alike.
Each app first runs once untimed, with bytecode writing allowed (the harness's own environment may
forbid it), so both start from compiled modules and a warm file cache, as on a user's machine.
Times are printed as median (min–max) of `--runs`; the ratio is of the medians.

Harlequin must live in its own virtualenv so it never enters our dependencies:

    python3 -m venv /tmp/harlequin-venv
    /tmp/harlequin-venv/bin/pip install 'harlequin==2.17.*' harlequin-postgres
    python -m benchmarks.bench_tui_startup [--runs 5] [--harlequin /tmp/harlequin-venv/bin/harlequin]
        [--pg postgresql://postgres@127.0.0.1/postgres]

Target (issue 3): the workbench at ≤ 0.5× Harlequin's median on both backends.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from benchmarks.spread import ratio, spread
from benchmarks.wide_schema import build
from workbench.db import connect

OUT = Path(__file__).resolve().parent / "out" / "bench_tui_startup.json"
ROOT = Path(__file__).resolve().parents[1]
NAME = "t0000"
FOCUSED = "Insert Name"  # Harlequin's footer once its catalog has the focus
SIZE = ("160", "48")

Step = tuple[str, str]  # ("wait", text) | ("keys", "F6,Enter")


def run_once(command: list[str], steps: list[Step], env: dict[str, str], limit: float = 60) -> tuple[float, float]:
    """Seconds until the last awaited text is on screen, and the process tree's RSS then (MB)."""
    session = "bench-" + uuid.uuid4().hex[:8]
    shell = " ".join(_quote(part) for part in command)
    env_prefix = " ".join(f"{k}={_quote(v)}" for k, v in env.items())
    start = time.perf_counter()
    subprocess.run(
        [
            "tmux",
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            SIZE[0],
            "-y",
            SIZE[1],
            f"exec env -u PYTHONDONTWRITEBYTECODE {env_prefix} {shell}",
        ],
        check=True,
    )
    try:
        for kind, arg in steps:
            if kind == "keys":
                for key in arg.split(","):
                    subprocess.run(["tmux", "send-keys", "-t", session, key], check=True)
                continue
            while arg not in _screen(session):
                if time.perf_counter() - start > limit:
                    raise RuntimeError(f"{arg!r} not on screen after {limit}s:\n{_screen(session)}")
                time.sleep(0.01)
        elapsed = time.perf_counter() - start
        return elapsed, _tree_rss_mb(_pane_pid(session))
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def _screen(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout


def _pane_pid(session: str) -> int:
    out = subprocess.run(["tmux", "display", "-p", "-t", session, "#{pane_pid}"], capture_output=True, text=True)
    return int(out.stdout.strip())


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of `pid` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(status.parent.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--harlequin", default="/tmp/harlequin-venv/bin/harlequin")
    parser.add_argument("--pg", default=os.environ.get("WORKBENCH_TEST_PG", "postgresql://postgres@127.0.0.1/postgres"))
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed: it runs both apps in a real terminal")
    harlequin = args.harlequin if Path(args.harlequin).exists() else None
    if harlequin is None:
        print(f"Harlequin not found at {args.harlequin}: measuring the workbench alone", file=sys.stderr)

    # Keeps the tmux server alive between runs (it exits with its last session, racing the next start).
    holder = "bench-holder-" + uuid.uuid4().hex[:6]
    subprocess.run(["tmux", "new-session", "-d", "-s", holder, "sleep 86400"], check=True)
    work = Path(tempfile.mkdtemp(prefix="bench-tui-"))
    env = {
        "WORKBENCH_CONFIG_DIR": str(work / "config"),
        "WORKBENCH_DATA_DIR": str(work / "data"),
        "HOME": str(work),
        "TERM": os.environ.get("TERM", "xterm-256color"),
    }
    sqlite_path = work / "wide.db"
    conn = connect(str(sqlite_path), options={"create": True})
    build(conn, args.tables)
    conn.close()
    # A name that sorts first, so Harlequin's database list shows it with the cursor on it.
    pg_db = f"a_wbbench_{uuid.uuid4().hex[:8]}"
    admin = connect(args.pg)
    admin.execute(f"CREATE DATABASE {admin.quote(pg_db)}")
    pg_url = args.pg.rsplit("/", 1)[0] + "/" + pg_db
    try:
        conn = connect(pg_url)
        build(conn, args.tables)
        conn.close()
        ours = [sys.executable, "-m", "workbench"]
        cases = {
            "sqlite": {
                "workbench": (ours + [str(sqlite_path)], [("wait", NAME)]),
                "harlequin": (
                    [harlequin or "", "-a", "sqlite", str(sqlite_path)],
                    [("wait", "main db"), ("keys", "F6"), ("wait", FOCUSED), ("keys", "Enter"), ("wait", NAME)],
                ),
            },
            "postgresql": {
                "workbench": (ours + [pg_url], [("wait", NAME)]),
                "harlequin": (
                    [harlequin or "", "-a", "postgres", pg_url],
                    [
                        ("wait", f"{pg_db} db"),
                        ("keys", "F6"),
                        ("wait", FOCUSED),
                        ("keys", "Enter"),
                        ("wait", "public"),
                        ("keys", "Down,Enter"),
                        ("wait", NAME),
                    ],
                ),
            },
        }
        results: dict[str, dict[str, object]] = {}
        for backend, tools in cases.items():
            samples: dict[str, list[tuple[float, float]]] = {tool: [] for tool in tools}
            for run in range(args.runs + 1):  # run 0 warms up
                for tool, (command, steps) in tools.items():
                    if tool == "harlequin" and harlequin is None:
                        continue
                    sample = run_once(
                        command, steps, env if tool == "workbench" else {"HOME": str(work), "TERM": env["TERM"]}
                    )
                    if run:
                        samples[tool].append(sample)
            results[backend] = {
                tool: {
                    "seconds": spread([round(s, 3) for s, _ in runs]),
                    "rss_mb": round(statistics.median(m for _, m in runs), 1),
                }
                for tool, runs in samples.items()
                if runs
            }
            if samples.get("harlequin"):
                results[backend]["ratio"] = round(
                    ratio([s for s, _ in samples["workbench"]], [s for s, _ in samples["harlequin"]]), 2
                )
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {admin.quote(pg_db)} WITH (FORCE)")
        admin.close()
        shutil.rmtree(work, ignore_errors=True)
        subprocess.run(["tmux", "kill-session", "-t", holder], capture_output=True)
    report = {
        "benchmark": "time to first table on screen, wide schema",
        "tables": args.tables,
        "runs": args.runs,
        "target_ratio": 0.5,
        "results": results,
    }
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n")
    print(f"seconds to the first table on screen, median (min–max) of {args.runs} runs; target: ≤ 0.5× Harlequin")
    for backend, tools in results.items():
        for tool, figures in tools.items():
            if isinstance(figures, dict):
                t = figures["seconds"]
                print(
                    f"{backend:<11} {tool:<10} {t['median']:.3f} ({t['min']:.3f}–{t['max']:.3f})  {figures['rss_mb']} MB"
                )
        if "ratio" in tools:
            print(f"{backend:<11} ratio      {tools['ratio']}")


if __name__ == "__main__":
    main()
