"""One open connection shared by the app's worker threads, one statement at a time.

A `Connection` may be used by one thread at a time, but the TUI has several workers (catalog,
data, and later migrations, checks) that all want it. `DbSession.use(concern)` serialises them
and remembers which concern is running, so that cancelling the data grid's slow query never
cancels a catalog refresh that happens to hold the connection.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from contextlib import contextmanager
from typing import TYPE_CHECKING
from collections.abc import Iterator

if TYPE_CHECKING:
    from workbench.db.base import CatalogOutline, Connection
    from workbench.project import Target


class DbSession:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._lock = threading.Lock()
        self._running: str | None = None
        self._closed = False

    @property
    def display_url(self) -> str:
        return self.conn.display_url

    @property
    def backend(self) -> str:
        return self.conn.backend.name

    @contextmanager
    def use(self, concern: str) -> Iterator[Connection]:
        """The connection, held by `concern` for the block; waits while another concern holds it."""
        with self._lock:
            self._running = concern
            try:
                yield self.conn
            finally:
                self._running = None

    def cancel(self, concern: str) -> bool:
        """Stop the statement of `concern` if it is the one running now; True if one was asked to stop."""
        if self._running != concern or self._closed:
            return False
        self.conn.cancel()
        return True

    def close(self) -> None:
        """Cancel what runs, wait briefly for it to stop, and close the connection."""
        if self._closed:
            return
        self._closed = True
        if self._running is not None:
            self.conn.cancel()
        if self._lock.acquire(timeout=2):
            try:
                self.conn.close()
            finally:
                self._lock.release()


class Opening:
    """Connect and read the outline (names, kinds, row estimates) on a thread of its own, started
    before Textual is imported.

    Opening a database takes about as long as importing Textual, so both happen at once; the outline
    is a read of a few milliseconds, enough for the tree's first paint. The full catalog is read
    afterwards, by the app, once that paint is done: read here, it would compete with the import and
    the first frame for the interpreter and delay both. The outline read holds the session, so no
    worker uses the connection meanwhile. `session` and `outline` are futures; each raises the
    error that stopped it.
    """

    def __init__(self, target: Target) -> None:
        self.target = target
        self.session: Future[DbSession] = Future()
        self.outline: Future[CatalogOutline] = Future()
        threading.Thread(target=self._run, name="workbench-open", daemon=True).start()

    def _run(self) -> None:
        try:
            from workbench.db import connect

            session = DbSession(connect(self.target.url, options=self.target.connect_options()))
        except BaseException as exc:
            self.session.set_exception(exc)
            self.outline.set_exception(exc)
            return
        try:
            with session.use("catalog") as conn:
                self.session.set_result(session)
                outline = conn.outline()
        except BaseException as exc:
            self.outline.set_exception(exc)
            return
        self.outline.set_result(outline)
