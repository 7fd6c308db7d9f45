"""Start-up cost of the embedded PostgreSQL (`postgresql+embedded:///NAME`, issue 22).

cold: a new folder (initdb, then start); warm: the folder of an earlier run (start only); stop:
what exiting adds. Then the whole command a user waits for, `workbench inspect` of an empty
database, on the embedded server (warm: it starts and stops inside the command) and, as the
raw comparison, on the server of WORKBENCH_TEST_PG (or the local default) when one answers.

    python -m benchmarks.bench_embedded [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.databases import PG_ADMIN_URL, pg_problem
from benchmarks.spread import ms, shown, timed
from workbench.db import embedded


def server_times(runs: int) -> dict[str, list[float]]:
    """Seconds to start a new folder, to start an existing one, and to stop, `runs` times each."""
    times: dict[str, list[float]] = {"cold start": [], "warm start": [], "stop": []}
    for _ in range(runs):
        parent = Path(tempfile.mkdtemp(prefix="bench-embedded-"))  # not under $HOME: as root, others must pass
        try:
            times["cold start"].append(timed(lambda: embedded.start(parent / "data").stop()))
            server: list[embedded.Server] = []
            times["warm start"].append(timed(lambda: server.append(embedded.start(parent / "data"))))
            times["stop"].append(timed(server[0].stop))
        finally:
            shutil.rmtree(parent, ignore_errors=True)
    return times


def inspect_times(runs: int) -> dict[str, list[float]]:
    """Seconds for `workbench inspect` of an empty database, embedded (warm) and on the system server."""
    parent = Path(tempfile.mkdtemp(prefix="bench-embedded-"))
    env = dict(os.environ, WORKBENCH_DATA_DIR=str(parent))
    targets = {"inspect, embedded (warm)": "postgresql+embedded:///postgres"}
    if pg_problem() is None:
        targets["inspect, system server"] = PG_ADMIN_URL
    command = [sys.executable, "-m", "workbench", "inspect"]

    def run(target: str) -> None:
        subprocess.run([*command, target], env=env, check=True, capture_output=True)

    try:
        run(targets["inspect, embedded (warm)"])  # the first one creates the folder (cold)
        return {name: [timed(lambda t=target: run(t)) for _ in range(runs)] for name, target in targets.items()}
    finally:
        shutil.rmtree(parent, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    results = {**server_times(runs), **inspect_times(runs)}
    for name, values in results.items():
        print(f"{name:<26} {shown(ms(values), 'ms', 0)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
