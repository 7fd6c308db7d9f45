"""What a read waits for: the blocking session named from another connection, on real servers."""

from __future__ import annotations

import threading

import pytest

from tests.browse.conftest import make_items, table_locked
from workbench.browse.waits import lock_wait
from workbench.db import connect


@pytest.mark.postgres
def test_a_read_blocked_by_lock_table_names_the_table_and_the_session_holding_it(pg_url: str) -> None:
    conn = connect(pg_url)
    probe = connect(pg_url)
    try:
        film = make_items(conn, 10, name="film")
        assert lock_wait(probe, film) is None  # nobody waits yet
        with table_locked(pg_url, "film") as holder:
            reader = threading.Thread(target=lambda: conn.query("SELECT count(*) FROM film"))
            reader.start()
            wait = None
            for _ in range(100):  # the reader reaches the lock within milliseconds
                wait = lock_wait(probe, film)
                if wait is not None:
                    break
                threading.Event().wait(0.05)
            assert wait is not None and wait.blocker == holder
            assert wait.describe().startswith(
                f"a lock on public.film held by session {holder} (idle in transaction; last ran: LOCK TABLE"
            )
        reader.join(5)
        assert not reader.is_alive()  # the lock went with the holder's transaction
        assert lock_wait(probe, film) is None
    finally:
        probe.close()
        conn.close()


def test_a_backend_without_lock_views_cannot_tell(sqlite_url: str) -> None:
    conn = connect(sqlite_url)
    try:
        assert lock_wait(conn, make_items(conn, 1)) is None
    finally:
        conn.close()
