"""Project config: defaults, profiles, relative SQLite paths, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.errors import ConfigError, UsageError
from workbench.project import load_project, resolve_target


def test_empty_folder_means_defaults(tmp_path: Path) -> None:
    project = load_project(tmp_path)
    assert project.migrations_dir == tmp_path.resolve() / "migrations"
    assert project.checks_dir == tmp_path.resolve() / "checks"
    assert project.use_cases_file == tmp_path.resolve() / "use_cases.toml"
    assert project.profiles == {}


def test_profiles_resolve_relative_sqlite_paths_against_the_project(tmp_path: Path) -> None:
    (tmp_path / "workbench.toml").write_text(
        '[workbench]\nmigrations = "db/migrations"\n'
        '[profiles.local]\nurl = "sqlite:///data/app.db"\n[profiles.local.attach]\nextra = "extra.db"\n'
        '[profiles.prod]\nurl = "postgresql://app@db/shop"\nprotected = true\n'
    )
    project = load_project(tmp_path)
    assert project.migrations_dir == tmp_path.resolve() / "db" / "migrations"
    local = project.profile("local")
    assert local.url == f"sqlite:///{tmp_path.resolve() / 'data' / 'app.db'}"
    assert local.attach == {"extra": str(tmp_path.resolve() / "extra.db")}
    target = resolve_target("prod", project)
    assert target.protected and target.url == "postgresql://app@db/shop"
    assert resolve_target("other.db", project).profile is None


def test_pyproject_tool_table_is_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.workbench]\nchecks = "verify"\n[tool.workbench.profiles.dev]\nurl = "dev.db"\n'
    )
    project = load_project(tmp_path)
    assert project.checks_dir.name == "verify"
    assert project.default_profile == "dev"
    assert resolve_target(None, project).url == str(tmp_path.resolve() / "dev.db")


def test_malformed_config_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "workbench.toml").write_text("[profiles.x\nurl=1")
    with pytest.raises(ConfigError, match="workbench.toml"):
        load_project(tmp_path)


def test_project_files_that_are_not_utf8_are_named_in_one_sentence(tmp_path: Path) -> None:
    """workbench.toml, use_cases.toml, checks/builtins.toml: read the same way, said the same way."""
    from workbench.checks.builtins import load_config
    from workbench.coverage.usecases import load_use_cases

    for name in ("workbench.toml", "use_cases.toml", "checks/builtins.toml"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes("title = 'Caf\xe9'\n".encode("latin-1"))
    for read, name in (
        (lambda: load_project(tmp_path), "workbench.toml"),
        (lambda: load_use_cases(tmp_path / "use_cases.toml"), "use_cases.toml"),
        (lambda: load_config(tmp_path / "checks"), "checks/builtins.toml"),
    ):
        with pytest.raises(ConfigError) as caught:
            read()
        assert str(caught.value) == f"{tmp_path / name}: cannot read: not UTF-8 text"


def test_unknown_default_profile_and_missing_url_are_config_errors(tmp_path: Path) -> None:
    (tmp_path / "workbench.toml").write_text('[workbench]\ndefault_profile = "nope"\n')
    with pytest.raises(ConfigError, match="default_profile"):
        load_project(tmp_path)
    (tmp_path / "workbench.toml").write_text("[profiles.dev]\nprotected = true\n")
    with pytest.raises(ConfigError, match="needs a url"):
        load_project(tmp_path)


def test_no_target_and_no_default_profile_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no database given"):
        resolve_target(None, load_project(tmp_path))
