"""An exclusive lock on a database file, per purpose, released by the operating system if the
holder dies (`filelock`: flock on POSIX, LockFileEx on Windows).

Used by backends without a server-side lock (SQLite) so that two workbench processes never apply
migrations to the same file at once, even after a `kill -9`. The lock file lives in the temp
folder, named after the database's real path, so nothing is left beside the user's database and
every name of that file (relative, absolute, through a symlink) takes the same lock.
"""

from __future__ import annotations

import os
from pathlib import Path

# filelock, hashlib and tempfile load on first use: `workbench inspect` never locks.

LOCK_FOLDER = "workbench-locks"


def lock_file(database: str, purpose: str) -> Path:
    """Where the `purpose` lock of `database` lives: the temp folder, shared by every user."""
    import hashlib
    import tempfile

    folder = Path(tempfile.gettempdir()) / LOCK_FOLDER
    if not folder.is_dir():
        folder.mkdir(exist_ok=True)
        os.chmod(folder, 0o1777)  # like /tmp: anyone may lock, nobody removes another's file
    digest = hashlib.sha256(os.path.realpath(database).encode()).hexdigest()[:32]
    return folder / f"{digest}.{purpose}.lock"


class FileLock:
    """An exclusive lock held on the file at `path`; `acquire` waits, `release` lets the next one in."""

    def __init__(self, path: str | Path) -> None:
        from filelock import FileLock as Lock

        self._lock = Lock(path, mode=0o666)

    def acquire(self, timeout_s: float) -> bool:
        """Wait up to `timeout_s` for the lock; False when another process still holds it."""
        from filelock import Timeout

        try:
            self._lock.acquire(timeout=timeout_s, poll_interval=0.05)
        except Timeout:
            return False
        return True

    def release(self) -> None:
        self._lock.release()


class DatabaseLock(FileLock):
    """The `purpose` lock of one database file (see `lock_file`)."""

    def __init__(self, database: str, purpose: str) -> None:
        super().__init__(lock_file(database, purpose))
