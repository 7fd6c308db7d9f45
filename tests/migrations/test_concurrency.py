"""Two appliers at once, and `kill -9` at several points of an apply and of a rollback.

Both run in real separate processes against the same database. Whatever happens, the database
is either before or after the migration, and the ledger says which.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.db import Connection, connect
from workbench.migrations.engine import Migrator
from workbench.migrations.store import Store
from tests.migrations.helpers import DATA, dialect, snapshot, write_files

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]

SLOW = {
    "postgres": "SELECT pg_sleep(1.5);",
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 4000000) SELECT count(*) FROM c;",
}


def workbench(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "workbench", *args], cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def slow_project(conn: Connection, tmp_path: Path) -> Path:
    write_files(
        tmp_path / "migrations",
        {
            "001_slow.sql": f"CREATE TABLE once (id integer);\nINSERT INTO once VALUES (1);\n{SLOW[dialect(conn)]}\n",
        },
    )
    return tmp_path


def test_two_appliers_at_once_apply_the_migration_exactly_once(
    backend_url: str, conn: Connection, tmp_path: Path
) -> None:
    project = slow_project(conn, tmp_path)
    runs = [workbench("migrate", "up", backend_url, "--project", str(project), "--json") for _ in range(2)]
    results = [(p.wait(60), p.stdout.read(), p.stderr.read()) for p in runs]
    assert [code for code, _, _ in results] == [0, 0], results
    done = sorted(
        tuple(json.loads(out)["report"]["done"]) if json.loads(out).get("report") else () for _, out, _ in results
    )
    assert done == [(), ("001",)]
    assert conn.row_count(conn.default_schema, "once") == 1


def test_an_applier_that_cannot_wait_stops_with_a_clear_message(
    backend_url: str, conn: Connection, tmp_path: Path
) -> None:
    project = slow_project(conn, tmp_path)
    with conn.lock("migrate", 5):  # another apply is running
        proc = workbench("migrate", "up", backend_url, "--project", str(project), "--lock-timeout", "0.3")
        code, err = proc.wait(60), proc.stderr.read()
    assert code == 1
    assert "another workbench process holds the migrate lock" in err and err.count("\n") == 1
    assert [s.state for s in Migrator(conn, project / "migrations").status()] == ["pending"]


KILLER = """
import os, signal, sys
from workbench.db import connect
from workbench.migrations.engine import Migrator
url, folder, direction, phase, index = sys.argv[1:6]
def progress(p):
    if p.phase == phase and p.index == int(index):
        os.kill(os.getpid(), signal.SIGKILL)
mg = Migrator(connect(url), folder, progress=progress)
outcome = mg.up() if direction == "up" else mg.down(steps=1)
sys.exit(0 if outcome.ok else 1)
"""


def killed(url: str, folder: Path, direction: str, phase: str, index: int) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", KILLER, url, str(folder), direction, phase, str(index)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr


def registry_is_consistent(conn: Connection) -> bool:
    """Every registered backup has its table and every backup table is registered."""
    mg = Migrator(conn, [])
    registered = {b.backup_table for b in mg.keeper.all()}
    store = Store(conn)
    present = {
        t.name
        for t in conn.introspect().tables
        if t.schema == store.catalog_schema and t.name.startswith(store.name("backup_"))
    }
    return registered == present


@pytest.mark.parametrize(
    "phase, index", [("backup", 1), ("backup", 4), ("statement", 1), ("statement", 12), ("statement", -1)]
)
def test_kill_during_apply_leaves_the_database_before_the_migration(
    backend_url: str, conn: Connection, tmp_path: Path, phase: str, index: int
) -> None:
    data = DATA / "refactor" / dialect(conn)
    conn.execute_script((data / "base.sql").read_text())
    folder = write_files(tmp_path / "m", {"001_refactor.sql": (data / "001_mvp_refactor.sql").read_text()})
    before = snapshot(conn)
    total = len(Migrator(conn, folder).plan_up().migrations[0].statements)
    killed(backend_url, folder, "up", phase, total if index == -1 else index)

    conn = connect(backend_url)  # a fresh session: the killed one's transaction is gone
    mg = Migrator(conn, folder)
    assert [s.state for s in mg.status()] == ["pending"]
    assert before.differences(snapshot(conn)) == []
    assert registry_is_consistent(conn)
    assert mg.up().ok  # the lock was released with the process


@pytest.mark.parametrize("phase, index", [("restore", 1), ("restore", 6), ("verify", 1)])
def test_kill_during_rollback_leaves_the_migration_applied(
    backend_url: str, conn: Connection, tmp_path: Path, phase: str, index: int
) -> None:
    data = DATA / "refactor" / dialect(conn)
    conn.execute_script((data / "base.sql").read_text())
    folder = write_files(tmp_path / "m", {"001_refactor.sql": (data / "001_mvp_refactor.sql").read_text()})
    before = snapshot(conn)
    assert Migrator(conn, folder).up().ok
    applied = snapshot(conn)
    killed(backend_url, folder, "down", phase, index)

    conn = connect(backend_url)
    mg = Migrator(conn, folder)
    assert [s.state for s in mg.status()] == ["applied"]
    assert applied.differences(snapshot(conn)) == []
    assert registry_is_consistent(conn)
    assert mg.down(steps=1).ok
    assert before.differences(snapshot(conn)) == []
