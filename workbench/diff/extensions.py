"""Whether PostgreSQL has a way from one version of an extension to another."""

from __future__ import annotations

from workbench.db.base import Connection, DatabaseError
from workbench.db.catalog import Extension


def update_problem(conn: Connection, old: Extension, new: Extension) -> str | None:
    """None when `ALTER EXTENSION … UPDATE TO` can go from `old` to `new`, else the sentence
    saying why not (the server's own update paths decide; without them, a lower version is
    taken for a downgrade with no path)."""
    try:
        row = conn.query(
            "SELECT path FROM pg_catalog.pg_extension_update_paths(%s) WHERE source = %s AND target = %s",
            (old.name, old.version, new.version),
        ).rows
    except DatabaseError:
        row = []
    if row and row[0][0] is not None:
        return None
    if not row and _version(new.version) > _version(old.version):
        return None
    return (
        f"extension {old.name} cannot go from version {old.version} to {new.version}: "
        "PostgreSQL has no update path for it (a downgrade needs the extension dropped and created again)"
    )


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.replace("-", ".").split(".") if p.isdigit())
