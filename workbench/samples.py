"""The bundled sample projects, run from a working copy in the user's data folder.

The package's own copy stays pristine (it may be read-only, inside site-packages); the user
migrates and rolls back a working copy. A sample is a folder of `sample_dbs/` with a
`workbench.toml`, whose optional `[sample]` table (project loading ignores it) says how to
build it:

    [sample]
    description = "…"                          # what `workbench sample list` shows; default:
                                               # the first sentence of the file's header comment
    [sample.databases]                         # SQLite files built from SQL scripts
    "workspace.db" = "sources/workspace.sql"   # default: the default profile's file from schema.sql

A SQLite sample's databases are built inside its working copy, which is (re)built when missing
or when the bundled sample changed. A sample whose default profile is a server database
(campaigns, PostgreSQL) is loaded instead into a database the user names: its `schema.sql` runs
there, and the working copy's default profile is rewritten to that URL. Such a copy is rebuilt
only on request (`reset`), since rebuilding replaces what is in the database. Every database is
built from SQL in one transaction, so it is reproducible and never half-built.

`--embedded` loads a server sample into the workbench's own PostgreSQL instead (`db/embedded.py`,
kept in the user's data folder), so it can be tried with no server installed; loaded there once,
it stays, with whatever the user did to it, until `reset`.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

from workbench.db import Connection, connect, embedded, redact
from workbench.db.registry import backend_for
from workbench.errors import ConfigError, UsageError
from workbench.project import Project, load_project
from workbench.resources import bundled, data_dir

_STAMP = ".sample-stamp"
_SCHEMA = "schema.sql"
_BUILT = ("*.db", "*.db-journal", "*.db-wal", "*.db-shm", "*.lock", "__pycache__", _STAMP)


@dataclass(frozen=True)
class Sample:
    """One bundled sample: where it is, what it is, and the SQL that builds its databases."""

    name: str
    source: Path
    description: str
    backend: str  # of the default profile: "sqlite", "postgresql", …
    url: str  # the default profile's URL as bundled
    databases: dict[str, str]  # SQLite file → script, both relative to the sample folder

    @property
    def needs_url(self) -> bool:
        """Whether it is loaded into a database the user names rather than built in its copy."""
        return self.backend != "sqlite"

    @property
    def work(self) -> Path:
        return data_dir() / "samples" / self.name


def available() -> list[str]:
    root = bundled("sample_dbs")
    return sorted(p.name for p in root.iterdir() if (p / "workbench.toml").is_file()) if root.is_dir() else []


def samples() -> list[Sample]:
    return [sample(name) for name in available()]


def sample(name: str) -> Sample:
    """The bundled sample `name`, read from its `workbench.toml`."""
    source = bundled("sample_dbs") / name
    config = source / "workbench.toml"
    if not config.is_file():
        raise UsageError(f"no sample named {name!r} (samples: {', '.join(available()) or 'none'})")
    project = load_project(source)  # first: it reports a malformed file as a ConfigError
    text = config.read_text(encoding="utf-8")
    spec = tomllib.loads(text).get("sample", {})
    if project.default_profile is None:
        raise ConfigError(f"{config}: a sample needs a default profile")
    url = project.profiles[project.default_profile].url
    backend = backend_for(url).name
    databases = spec.get("databases")
    if databases is None and backend == "sqlite":
        databases = {str(Path(url.removeprefix("sqlite:///")).relative_to(source)): _SCHEMA}
    return Sample(name, source, spec.get("description") or _header_sentence(text), backend, url, dict(databases or {}))


def open_sample(name: str) -> Project:
    """The working copy of sample `name`, built first if it is missing or (SQLite) out of date."""
    s = sample(name)
    stamp = s.work / _STAMP
    if s.needs_url:
        if not stamp.is_file():
            raise UsageError(
                f"the {name} sample is {s.backend}: load it first with `workbench sample load {name} URL` "
                "(or --embedded instead of URL, with no server)"
            )
        return load_project(s.work)
    if not stamp.is_file() or stamp.read_text() != _fingerprint(s.source):
        return reset(name)
    return load_project(s.work)


def load_embedded(name: str, *, force: bool = False) -> tuple[Project, bool]:
    """Server sample `name` in the embedded PostgreSQL, and whether it was loaded just now: a
    working copy that already points there is kept as it is (the user's migrations included)
    unless `force`, which reloads it."""
    s = sample(name)
    if not s.needs_url:
        raise UsageError(f"the {name} sample is SQLite and needs no server; load it without --embedded")
    url = f"{embedded.SCHEME}:///{name}"  # a database of the sample's name on the private server
    if not force and (s.work / _STAMP).is_file():
        current = load_project(s.work)
        if current.profiles[current.default_profile or ""].url == url:
            return current, False
    return load(name, url, force=force), True


def reset(name: str) -> Project:
    """Rebuild the working copy of sample `name` from the bundle, its databases included.

    A server sample is reloaded into the database its working copy points at, replacing
    whatever is there now.
    """
    s = sample(name)
    if s.needs_url:
        if not (s.work / _STAMP).is_file():
            raise UsageError(
                f"the {name} sample has not been loaded yet: `workbench sample load {name} URL` (or --embedded)"
            )
        current = load_project(s.work)
        return load(name, current.profiles[current.default_profile or ""].url, force=True)
    _copy(s)
    for database, script in s.databases.items():
        _build_sqlite(s.work / database, s.source / script)
    return _stamped(s)


def load(name: str, url: str | None = None, *, force: bool = False) -> Project:
    """Load sample `name`: into the database at `url` for a server sample, else rebuild its copy.

    A server database must be empty unless `force`, which first drops every schema in it.
    """
    s = sample(name)
    if not s.needs_url:
        if url is not None:
            raise UsageError(f"the {name} sample is SQLite and lives in its working copy; load it without a URL")
        return reset(name)
    if url is None:
        raise UsageError(f"the {name} sample is {s.backend}: give the URL of an empty database to load it into")
    conn = connect(url, options={"create": True})  # a database that does not exist yet is created
    try:
        with conn.transaction():
            _make_room(conn, name, force)
            conn.execute_script((s.source / _SCHEMA).read_text(encoding="utf-8"))
    finally:
        conn.close()
    _copy(s)
    _point_at(s, url)
    return _stamped(s)


def _copy(s: Sample) -> None:
    if s.work.exists():
        shutil.rmtree(s.work)
    shutil.copytree(s.source, s.work, ignore=shutil.ignore_patterns(*_BUILT))


def _stamped(s: Sample) -> Project:
    (s.work / _STAMP).write_text(_fingerprint(s.source))
    return load_project(s.work)


def _build_sqlite(database: Path, script: Path) -> None:
    conn = connect(str(database), options={"create": True})
    try:
        with conn.transaction():
            conn.execute_script(script.read_text(encoding="utf-8"))
    finally:
        conn.close()


def _make_room(conn: Connection, name: str, force: bool) -> None:
    """Refuse a database that holds anything; with `force`, drop every user schema instead."""
    catalog = conn.introspect()
    if force:
        for schema in catalog.schemas:
            conn.execute(f"DROP SCHEMA {conn.quote(schema.name)} CASCADE")
        conn.execute("CREATE SCHEMA IF NOT EXISTS public")
        return
    objects = len(catalog.tables) + len(catalog.views) + len(catalog.enums) + len(catalog.functions)
    if objects:
        raise UsageError(
            f"{conn.display_url} is not empty ({objects} user object{'' if objects == 1 else 's'}): load the {name} "
            "sample into an empty database, or add --force to drop everything in it first"
        )


def _point_at(s: Sample, url: str) -> None:
    """Rewrite the working copy's default profile URL (its one `url = "…"` line) to `url`."""
    config = s.work / "workbench.toml"
    text = config.read_text(encoding="utf-8")
    line = re.compile(rf"^(\s*url\s*=\s*){re.escape(json.dumps(s.url))}[ \t]*$", re.MULTILINE)
    new, count = line.subn(lambda m: m.group(1) + json.dumps(url), text)
    if count != 1:
        raise ConfigError(f"{s.source / 'workbench.toml'}: needs exactly one line url = {json.dumps(s.url)}")
    config.write_text(new, encoding="utf-8")
    if url != redact(url):  # the URL holds a password: keep the file to its owner
        config.chmod(0o600)


def _header_sentence(text: str) -> str:
    """The first sentence of the comment block that opens a TOML file."""
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line.lstrip("#").strip())
    return re.split(r"(?<=\.)\s", " ".join(header), maxsplit=1)[0]


def _fingerprint(source: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in source.rglob("*") if p.is_file() and p.suffix not in (".db", ".lock")):
        digest.update(str(path.relative_to(source)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
