"""sqitch's verify scripts as checks: each deployed change's `verify/<change>.sql` must still run.

sqitch runs a change's verify script after deploying it, and `sqitch verify` runs them all
again; a script raises an error when what the change made is missing. Here each statement of
the script (less its own BEGIN/ROLLBACK: checks run in their own read-only transaction) is a
check that expects to run without error, for every change applied now (by the workbench or by
sqitch itself). Changes not applied yet have nothing to verify, so they give no checks.
"""

from __future__ import annotations

from pathlib import Path

from workbench.checks.checkfile import Check
from workbench.db.base import Connection
from workbench.errors import ConfigError
from workbench.migrations.analysis import analyse
from workbench.migrations.discovery import Migration, discover
from workbench.migrations.engine import Migrator
from workbench.migrations.layouts import SQITCH_PLAN, dialect_folder

TAG = "sqitch-verify"


def verify_checks(conn: Connection, migrations_dir: Path, relative_to: Path) -> list[Check]:
    """One check per statement of the verify script of every applied sqitch change."""
    if not _is_sqitch_project(migrations_dir, conn.backend.name):
        return []
    migrations = discover(migrations_dir, conn.backend.name)
    applied = {s.version for s in Migrator(conn, migrations).status() if s.state in ("applied", "drifted")}
    checks = []
    for m in migrations:
        if m.verify_sql is None or m.version not in applied:
            continue
        statements = [st for st in analyse(m.verify_sql, conn.backend.name) if st.kind != "transaction"]
        for i, st in enumerate(statements, 1):
            checks.append(
                Check(
                    name=f"sqitch verify {m.name}" + (f" ({i}/{len(statements)})" if len(statements) > 1 else ""),
                    sql=st.sql,
                    file=_relative(verify_path(m), relative_to),
                    line=st.line,
                    tags=(TAG,),
                    description=f"what change {m.version} ({m.name}) deployed is still there",
                )
            )
    return checks


def _is_sqitch_project(migrations_dir: Path, dialect: str) -> bool:
    """Whether the folder (or its subfolder for `dialect`) holds a sqitch.plan. A folder that
    cannot be read is not one here: `migrate` says what is wrong with it, `verify` goes on."""
    if not migrations_dir.is_dir():
        return False
    try:
        return (dialect_folder(migrations_dir, dialect) / SQITCH_PLAN).is_file()
    except ConfigError:
        return False


def verify_path(m: Migration) -> Path:
    """`verify/<change>.sql` beside the change's `deploy/<change>.sql`."""
    return m.path.parent.parent / "verify" / m.path.name


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
