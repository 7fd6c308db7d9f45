"""A project's whole set of checks: its check files plus the built-ins that apply to the database.

The CLI and the Verify screen both start here, so they list and run the same checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.checks.builtins import BuiltinConfig, builtin_checks, load_config
from workbench.checks.checkfile import Check, load_checks
from workbench.checks.sqitch_verify import verify_checks
from workbench.db.base import Connection
from workbench.db.catalog import Catalog
from workbench.migrations.discovery import discover
from workbench.project import Project


@dataclass(frozen=True)
class Suite:
    """The checks to run, and the catalog they were planned from (the runner reuses it)."""

    checks: tuple[Check, ...]
    catalog: Catalog


def plan_suite(
    conn: Connection,
    project: Project | None,
    *,
    tags: Sequence[str] = (),
    builtins: bool = True,
    catalog: Catalog | None = None,
) -> Suite:
    """File checks (in path order), sqitch's verify scripts of applied changes, then built-ins;
    with `tags`, only checks carrying one of them.

    Without a project only the default built-ins run. `catalog`, when the caller has a fresh
    one, saves a read of the schema. Malformed check files or `builtins.toml` raise
    `ConfigError` naming the file (and line).
    """
    checks = load_checks(project.checks_dir, relative_to=project.root, dialect=conn.backend.name) if project else []
    checks += verify_checks(conn, project.migrations_dir, project.root) if project else []
    catalog = catalog or conn.introspect()
    if builtins:
        config = load_config(project.checks_dir) if project else BuiltinConfig()
        migrations = []
        if project is not None and config.idempotent and project.migrations_dir.is_dir():
            migrations = discover(project.migrations_dir, conn.backend.name)
        checks += builtin_checks(conn, catalog, config, migrations)
    wanted = {t.lower() for t in tags}
    if wanted:
        checks = [c for c in checks if wanted & set(c.tags)]
    return Suite(tuple(checks), catalog)
