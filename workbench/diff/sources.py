"""Where a side of a diff comes from: a URL, a SQLite path, a profile, or a named source.

Named sources (`SOURCES`) are looked up first: `migrations` (the schema the project's
migrations produce) plugs in there, so the command and the Compare screen need no change for it.
"""

from __future__ import annotations

from collections.abc import Callable

from workbench.db import Connection, connect
from workbench.db.catalog import Catalog, is_workbench_object
from workbench.diff.from_migrations import SOURCE, migrations_source
from workbench.project import Project, load_project, resolve_target

# A named source: given the project, the catalog it stands for and a connection of its backend.
Source = Callable[[Project | None], tuple[Catalog, Connection]]
SOURCES: dict[str, Source] = {SOURCE: migrations_source}


def load_catalog(spec: str, project: Project | None) -> tuple[Catalog, Connection]:
    """The catalog `spec` names, without the workbench's own objects, and an open connection
    to it (the caller closes it). Only reads; a SQLite path that does not exist is refused, never
    created."""
    named = SOURCES.get(spec)
    if named is not None:
        return named(project)
    target = resolve_target(spec, project if project is not None else load_project(None))
    conn = connect(target.url, options=target.connect_options())
    try:
        return conn.introspect().without(is_workbench_object), conn
    except BaseException:
        conn.close()
        raise
