"""Two sources compared both ways, for the Compare screen: what it shows and what `w` writes.

A source is what `workbench diff` takes (a URL, a SQLite path, a profile) or `migrations`. The
`migrations` side is replayed on the backend and server of the other side, so that comparing a
PostgreSQL database with the migrations replays them on PostgreSQL (the CLI's `migrations`
source, which has no other side to go by, uses the project's default profile).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.db import redact
from workbench.diff.from_migrations import SOURCE, replay
from workbench.diff.new_migration import BothWays, both_ways, write_both
from workbench.diff.sources import load_catalog
from workbench.errors import UsageError
from workbench.migrations.writer import Written
from workbench.project import Project


@dataclass(frozen=True)
class Comparison:
    """FROM and TO as the user named them, the diff both ways, and the backend they share."""

    source: str
    target: str
    both: BothWays
    backend: str

    def write(self, project: Project, name: str) -> Written:
        """The up and down scripts as the next migration of `project` (see `new_migration`)."""
        nothing = f"{redact(self.source)} and {redact(self.target)} have the same schema"
        return write_both(self.both, Path(project.migrations_dir), name, self.backend, nothing)


def compare(source: str, target: str, project: Project | None) -> Comparison:
    """Load both sides (each connection closed before this returns) and diff them both ways."""
    if source == target:
        raise UsageError(f"both sides are {source}: pick two different sources")
    real = target if source == SOURCE else source
    catalog, conn = load_catalog(real, project)
    try:
        if SOURCE in (source, target):
            if project is None:
                raise UsageError("the migrations source needs a project: open the workbench with --project DIR")
            other = replay(conn, project.migrations_dir, project.baseline).catalog
        else:
            other, other_conn = load_catalog(target, project)
            other_conn.close()
        before, after = (other, catalog) if source == SOURCE else (catalog, other)
        if before.backend != after.backend:
            raise UsageError(
                f"{source} is a {before.backend} database and {target} a {after.backend} one: "
                "compare two schemas of one backend"
            )
        return Comparison(source, target, both_ways(before, after, conn), conn.backend.name)
    finally:
        conn.close()
