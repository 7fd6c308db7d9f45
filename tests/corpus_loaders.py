"""Loading the shared corpus databases where they lie (never copied into the repository)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from workbench.db import connect


def load_chinook_pg(url: str, corpus: Path) -> None:
    """Run Chinook's PostgreSQL script minus its own DROP/CREATE DATABASE and `\\c` lines."""
    text = (corpus / "chinook" / "Chinook_PostgreSql.sql").read_text(encoding="utf-8")
    body = text.split("\\c chinook;", 1)[1]
    conn = connect(url)
    try:
        conn.execute_script(body)
    finally:
        conn.close()


def load_pagila(url: str, corpus: Path) -> None:
    """Pagila's dumps use COPY FROM stdin, which needs psql."""
    psql = shutil.which("psql")
    if psql is None:
        raise RuntimeError("psql is needed to load Pagila (COPY … FROM stdin)")
    for name in ("pagila-schema.sql", "pagila-data.sql"):
        subprocess.run(
            [psql, "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", str(corpus / "pagila" / name)],
            check=True,
            capture_output=True,
        )


def chinook_sqlite_copy(corpus: Path, folder: Path) -> Path:
    """A private copy of Chinook's SQLite file, for tests that write."""
    target = folder / "chinook.sqlite"
    shutil.copyfile(corpus / "chinook" / "Chinook_Sqlite.sqlite", target)
    return target
