"""Projects on disk for the diff tools' tests: a migrations folder and a workbench.toml."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from workbench.cli import main
from workbench.db import Connection
from workbench.project import Project, load_project

CREATE = "CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL)"
ADD = "ALTER TABLE customers ADD COLUMN email text;\nCREATE INDEX customers_email ON customers (email)"


def write_project(root: Path, url: str, files: dict[str, str], **others: str) -> Path:
    """`root` as a project whose default profile `db` is `url` (and `others`, by name), with these
    migration files."""
    root.mkdir(parents=True, exist_ok=True)
    profiles = {"db": url, **others}
    (root / "workbench.toml").write_text(
        'default_profile = "db"\n' + "".join(f'[profiles.{name}]\nurl = "{u}"\n' for name, u in profiles.items())
    )
    folder = root / "migrations"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


TWO_MIGRATIONS = {
    "0001_customers.up.sql": CREATE + ";\n",
    "0001_customers.down.sql": "DROP TABLE customers;\n",
    "0002_email.up.sql": ADD + ";\n",
    "0002_email.down.sql": "DROP INDEX customers_email;\nALTER TABLE customers DROP COLUMN email;\n",
}


def migrated(root: Path, url: str, files: dict[str, str] | None = None) -> Project:
    """`write_project` (TWO_MIGRATIONS by default) with every migration applied to `url`."""
    write_project(root, url, TWO_MIGRATIONS if files is None else files)
    assert main(["migrate", "up", "--project", str(root)]) == 0
    return load_project(root)


def gone(conn: Connection, display_url: str) -> bool:
    """Whether the scratch database `display_url` names no longer exists (judged by the server's
    own list of databases, or the file system)."""
    if conn.backend.name == "sqlite":
        return not Path(display_url.removeprefix("sqlite:///")).exists()
    name = display_url.rsplit("/", 1)[-1].split("?")[0]
    return conn.query("SELECT count(*) FROM pg_database WHERE datname = %s", (name,)).scalar() == 0


class ScratchSpy:
    """A connection that remembers the URL of each scratch database it hands out: the witness
    for "the scratch database is gone afterwards". Everything else is the real connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self.scratches: list[str] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self._conn, name)

    @contextmanager
    def scratch_copy(self, **options: object) -> Iterator[Connection]:
        with self._conn.scratch_copy(**options) as scratch:  # type: ignore[arg-type]
            self.scratches.append(scratch.display_url)
            yield scratch
