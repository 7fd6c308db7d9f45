"""The README stays true: it opens with the two commands (the second is what CI runs), and each
block marked `<!-- example: NAME -->` is read by the real parser for NAME, run where it claims to
run, or (for `workbench … --json`) has exactly the keys the command prints."""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest

from workbench import samples
from workbench.checks.builtins import parse_config
from workbench.checks.checkfile import parse_checks
from workbench.checks.runner import run_checks
from workbench.cli import main
from workbench.coverage.suite import load_suite, measure
from workbench.db import Connection, connect
from workbench.migrations.engine import Migrator
from workbench.project import Project, load_project

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FIRST = "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/workbench"
SECOND = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest -q -n auto"
_EXAMPLE = re.compile(r"<!-- example: (?P<name>.+?) -->\n```\w*\n(?P<body>.*?)\n```", re.DOTALL)


def examples() -> dict[str, str]:
    return {m["name"]: m["body"] + "\n" for m in _EXAMPLE.finditer(README.read_text(encoding="utf-8"))}


def open_booking(migrated: bool = False) -> tuple[Project, Connection]:
    """A fresh working copy of the booking sample (this test's own data folder) and a connection."""
    project = samples.load("booking")
    profile = project.profiles[project.default_profile or ""]
    conn = connect(profile.url)
    if migrated:
        assert Migrator(conn, project.migrations_dir).up().ok
    return project, conn


def test_opens_with_the_two_commands_and_ci_runs_the_second_then_the_static_checks() -> None:
    assert README.read_text(encoding="utf-8").splitlines()[:6] == [
        "# Schema Workbench",
        "",
        "```sh",
        FIRST,
        SECOND,
        "```",
    ]
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-2:] == [SECOND, ".ci/static"]


def test_every_format_has_an_example() -> None:
    assert set(examples()) == {
        "workbench.toml",
        "checks/bookings.sql",
        "checks/builtins.toml",
        "use_cases.toml",
        "scenarios/uc-01-private-notes.sql",
        "workbench migrate status --json",
        "workbench verify local --json",
        "workbench coverage local --json",
        "workbench inspect local --json",
    }


def test_the_project_file_loads(tmp_path: Path) -> None:
    (tmp_path / "workbench.toml").write_text(examples()["workbench.toml"])
    project = load_project(tmp_path)
    assert project.migrations_dir == tmp_path / "db" / "migrations"
    assert project.checks_dir == tmp_path / "db" / "checks"
    assert project.default_profile == "local"
    local, prod = project.profiles["local"], project.profiles["prod"]
    assert local.url == f"sqlite:///{tmp_path / 'app.db'}" and local.attach == {"archive": str(tmp_path / "archive.db")}
    assert prod.protected and not local.protected


def test_the_check_file_passes_on_the_booking_sample_and_builtins_toml_parses() -> None:
    checks = parse_checks(examples()["checks/bookings.sql"], "checks/bookings.sql", dialect="sqlite")
    _, conn = open_booking()
    try:
        results = {r.check.name: r.status for r in run_checks(conn, checks)}
    finally:
        conn.close()
    assert results == {
        "fulfillment stays in the booking's business": "pass",
        "businesses": "pass",
        "statuses in use": "pass",
        "no card numbers stored": "pass",
        "tenant isolation policies": "skipped",
    }
    config = parse_config(tomllib.loads(examples()["checks/builtins.toml"]), "checks/builtins.toml")
    assert config.idempotent == ("003", "004") and config.policies == (("bookings", 2),)


def test_the_use_case_is_partial_on_the_booking_sample_and_full_once_migrated(tmp_path: Path) -> None:
    for name in ("use_cases.toml", "scenarios/uc-01-private-notes.sql"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(examples()[name])
    suite = load_suite(tmp_path / "use_cases.toml", dialect="sqlite")
    _, conn = open_booking()
    try:
        assert measure(conn, suite).get("UC-1").status == "partial"
    finally:
        conn.close()
    _, conn = open_booking(migrated=True)
    try:
        result = measure(conn, suite).get("UC-1")
        assert result.status == "full" and result.scenarios_passed == 2
    finally:
        conn.close()


def key_differences(example: Any, real: Any, path: str = "") -> list[str]:
    """Where `example` and `real` differ in shape: keys of objects, first items of lists."""
    if isinstance(example, dict):
        if not isinstance(real, dict):
            return [f"{path or '.'} is not an object"]
        out = [
            f"{path}.{k} " + ("is not printed" if k in example else "is not in the README")
            for k in sorted(example.keys() ^ real.keys())
        ]
        return out + [
            d for k in example.keys() & real.keys() for d in key_differences(example[k], real[k], f"{path}.{k}")
        ]
    if isinstance(example, list) and example:
        if not isinstance(real, list) or not real:
            return [f"{path} is not a list with items"]
        return key_differences(example[0], real[0], f"{path}[0]")
    return []


@pytest.mark.parametrize("command", [name for name in examples() if name.startswith("workbench ")])
def test_json_contract_has_the_keys_the_command_prints(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    project = samples.load("booking")
    capsys.readouterr()
    assert main([*shlex.split(command)[1:], "--project", str(project.root)]) in (0, 1)
    assert key_differences(json.loads(examples()[command]), json.loads(capsys.readouterr().out)) == []
