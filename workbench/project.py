"""Finds and loads a project: where migrations, checks and use cases live, and connection profiles.

A project is a folder with `workbench.toml`, or a `pyproject.toml` holding `[tool.workbench]`.
Every key is optional, so an empty file (or none at all) means the defaults: `migrations/`,
`checks/`, `use_cases.toml`, no profiles.

    [workbench]                 # optional table; keys may also sit at the top level
    migrations = "db/migrations"
    checks = "checks"
    use_cases = "use_cases.toml"
    default_profile = "local"
    keep_backups = "7d"         # what `migrate backups --purge --retention` may drop (asked, never on its own)
    capture_retention = "30d"   # migrations applied longer ago are made final by the next `migrate up`
    baseline = "schema.sql"     # the schema the first migration starts from (diff, drift, Compare replay it first)

    [profiles.local]
    url = "sqlite:///booking.db"          # relative SQLite paths are relative to the project
    [profiles.local.attach]               # SQLite only: ATTACH these files under these aliases
    proposals = "proposals.db"

    [profiles.prod]
    url = "postgresql://app@db.internal/booking"
    protected = true                      # destructive actions need the profile name typed
    statement_timeout = "30s"             # the console stops a statement after this long (s, ms, m; or seconds)
    lock_timeout = "5s"                   # and one that waits this long for a lock

Protection belongs to the database a protected profile names, not to the profile's name: reached
by its path, its URL or another profile, that database is still protected by that profile.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import ConfigError, UsageError, WorkbenchError, read_text

CONFIG_NAMES = ("workbench.toml", "pyproject.toml")
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3", ".db3")


@dataclass(frozen=True)
class Profile:
    """A named connection. `url` is absolute (relative SQLite paths already resolved)."""

    name: str
    url: str
    protected: bool = False
    attach: dict[str, str] = field(default_factory=dict)
    statement_timeout: float | None = None  # seconds; the console applies it to every statement
    lock_timeout: float | None = None  # seconds a console statement waits for a lock

    def connect_options(self) -> dict[str, Any]:
        return {"attach": dict(self.attach)} if self.attach else {}


@dataclass(frozen=True)
class Project:
    root: Path
    migrations_dir: Path
    checks_dir: Path
    use_cases_file: Path
    profiles: dict[str, Profile] = field(default_factory=dict)
    default_profile: str | None = None
    config_file: Path | None = None
    keep_backups: str | None = None  # an age (`7d`); `migrations/retention.py` reads it
    capture_retention: str | None = None  # an age ("30d"): see `MigrationService.apply`
    baseline: Path | None = None  # SQL the first migration builds on; `diff/from_migrations.py` runs it first

    @property
    def name(self) -> str:
        return self.root.name

    def profile(self, name: str) -> Profile:
        try:
            return self.profiles[name]
        except KeyError:
            known = ", ".join(sorted(self.profiles)) or "none"
            raise UsageError(f"no profile named {name!r} in {self.root} (profiles: {known})") from None


@dataclass(frozen=True)
class Target:
    """What to connect to: a URL, the profile it came from (if any), and the protected profile
    that names the same database (if any: its name is what a destructive step asks to be typed)."""

    url: str
    profile: Profile | None = None
    protected_by: Profile | None = None

    def __post_init__(self) -> None:
        if self.protected_by is None and self.profile is not None and self.profile.protected:
            object.__setattr__(self, "protected_by", self.profile)  # a protected profile guards itself

    @property
    def protected(self) -> bool:
        return self.protected_by is not None

    def protection(self) -> str:
        """Why a destructive step asks for a name: `prod is a protected profile`, or whose
        database this is when it was reached by another name."""
        guard = self.protected_by
        if guard is None:
            return ""
        if guard == self.profile:
            return f"{guard.name} is a protected profile"
        return f"this is the database of the protected profile {guard.name}"

    def connect_options(self) -> dict[str, Any]:
        return self.profile.connect_options() if self.profile else {}


def load_project(directory: str | Path | None = None) -> Project:
    """The project in `directory` (default: the current directory); defaults when no config."""
    root = Path(directory or ".").expanduser().resolve()
    if directory is not None and not root.is_dir():
        raise UsageError(f"project folder not found: {directory}")
    config_file, data = _read_config(root)
    settings = data.get("workbench", data)
    if not isinstance(settings, dict):
        raise ConfigError(f"{config_file}: [workbench] must be a table")

    def path_of(key: str, default: str) -> Path:
        value = settings.get(key, default)
        if not isinstance(value, str):
            raise ConfigError(f"{config_file}: {key} must be a path string")
        return (root / value).resolve()

    profiles = {
        name: _profile(name, spec, root, config_file)
        for name, spec in _table(data.get("profiles", {}), "profiles", config_file).items()
    }
    default = settings.get("default_profile")
    if default is not None and default not in profiles:
        raise ConfigError(f"{config_file}: default_profile {default!r} is not a profile")
    if default is None and len(profiles) == 1:
        default = next(iter(profiles))
    keep_backups = _age_setting(settings, "keep_backups", "7d", config_file)
    retention = _age_setting(settings, "capture_retention", "30d", config_file)
    baseline = path_of("baseline", "") if settings.get("baseline") is not None else None
    return Project(
        root=root,
        migrations_dir=path_of("migrations", "migrations"),
        checks_dir=path_of("checks", "checks"),
        use_cases_file=path_of("use_cases", "use_cases.toml"),
        profiles=profiles,
        default_profile=default,
        config_file=config_file,
        keep_backups=keep_backups,
        capture_retention=retention,
        baseline=baseline,
    )


def _age_setting(settings: dict[str, object], key: str, example: str, config_file: Path | None) -> str | None:
    """A setting holding an age such as "7d" (its meaning is read where it is used)."""
    value = settings.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f'{config_file}: {key} must be an age such as "{example}"')
    return value


def resolve_target(arg: str | None, project: Project) -> Target:
    """Turn the command line's URL-or-profile argument into a `Target`.

    A profile name wins over a same-named file; no argument means the project's default profile.
    """
    if arg is None:
        if project.default_profile is None:
            raise UsageError("no database given and the project has no default profile; pass a URL")
        arg = project.default_profile
    profile = project.profiles.get(arg)
    url = profile.url if profile else arg
    guard = profile if profile is not None and profile.protected else _protecting(url, project)
    return Target(url, profile, guard)


def names_a_database(arg: str, project: Project) -> bool:
    """Whether `arg` can only mean a database: a profile of `project`, a URL (or a libpq
    `key=value` string), an existing file, or a name shaped like a SQLite path (a folder in it, or
    a SQLite suffix) even when no such file exists yet.

    What is none of these is a bare word such as `frobnicate`: most likely a mistyped command,
    which the caller refuses instead of opening a database that cannot exist. Loads no backend.
    """
    if arg in project.profiles or "://" in arg or arg.startswith("sqlite:") or "=" in arg:
        return True
    path = Path(arg).expanduser()
    return path.exists() or _has_folder(arg) or path.suffix.lower() in SQLITE_SUFFIXES


def _has_folder(name: str) -> bool:
    """`./river`, `data/river`, `~/river`: a path separator makes a name a path, suffix or not."""
    return "/" in name or os.sep in name or name.startswith("~")


def _protecting(url: str, project: Project) -> Profile | None:
    """The protected profile naming the database `url` names, if any."""
    for other in project.profiles.values():
        if other.protected and _same_database(url, other.url):
            return other
    return None


def _same_database(url: str, other: str) -> bool:
    from workbench.db.identity import same_database  # loads a backend: only with a protected profile

    try:
        return same_database(url, other)
    except WorkbenchError:
        return False  # a target that cannot be read is refused when it is opened


def _read_config(root: Path) -> tuple[Path | None, dict[str, Any]]:
    for name in CONFIG_NAMES:
        path = root / name
        if not path.is_file():
            continue
        text = read_text(path)
        if name == "pyproject.toml" and "tool.workbench" not in text:
            continue  # somebody else's pyproject: not ours to parse
        import tomllib  # only when there is a file of ours to read: start-up stays lean

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from None
        if name == "pyproject.toml":
            tool = data.get("tool", {}).get("workbench")
            if tool is None:
                continue
            return path, _table(tool, "tool.workbench", path)
        return path, data
    return None, {}


def _table(value: Any, key: str, config_file: Path | None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{config_file}: {key} must be a table")
    return value


def _profile(name: str, spec: Any, root: Path, config_file: Path | None) -> Profile:
    spec = _table(spec, f"profiles.{name}", config_file)
    url = spec.get("url")
    if not isinstance(url, str) or not url:
        raise ConfigError(f"{config_file}: profiles.{name} needs a url")
    attach = _table(spec.get("attach", {}), f"profiles.{name}.attach", config_file)
    return Profile(
        name=name,
        url=absolute_sqlite(url, root),
        protected=bool(spec.get("protected", False)),
        attach={alias: str((root / path).resolve()) for alias, path in attach.items()},
        statement_timeout=_seconds(spec, "statement_timeout", name, config_file),
        lock_timeout=_seconds(spec, "lock_timeout", name, config_file),
    )


_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0}


def _seconds(spec: dict[str, Any], key: str, profile: str, config_file: Path | None) -> float | None:
    """A duration setting: a number of seconds, or a string such as "500ms", "30s", "2m"."""
    value = spec.get(key)
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    if isinstance(value, str):
        for unit in sorted(_UNITS, key=len, reverse=True):
            number = value.strip().removesuffix(unit)
            if number != value.strip():
                try:
                    return float(number) * _UNITS[unit]
                except ValueError:
                    break
    raise ConfigError(f'{config_file}: profiles.{profile}.{key} must be a duration such as "30s", "500ms" or 30')


def absolute_sqlite(url: str, root: Path) -> str:
    """`url` with a relative SQLite path made absolute against `root` (a profile's: the project folder,
    not the cwd); any other URL as it is."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        rel = url[len("sqlite:///") :]
        return "sqlite:///" + str((root / rel).resolve()) if rel and rel != ":memory:" else url
    if "://" not in url and url.lower().endswith(SQLITE_SUFFIXES) and not Path(url).is_absolute():
        return str((root / url).resolve())
    return url
