"""`workbench migrate backups` end to end on both backends: which backups a rollback needs, the
purge preview and its yes, the project's retention rule, --force saying what it loses, --vacuum."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main
from tests.migrations.helpers import write_files

FILES = {
    "001_items.sql": "CREATE TABLE items (id integer PRIMARY KEY, label text);\nINSERT INTO items VALUES (1, 'a');\n",
    "002_drop.sql": "ALTER TABLE items DROP COLUMN label;\n",
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["migrate", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def backups(backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # noqa: ANN201
    """`migrate backups URL --project DIR …` after 002 was applied, rolled back, applied again."""
    write_files(tmp_path / "migrations", FILES)
    (tmp_path / "workbench.toml").write_text("")

    def backups(*args: str) -> tuple[int, str, str]:
        return run(capsys, "backups", backend_url, "--project", str(tmp_path), *args)

    for action in (("up",), ("down", "--steps", "1", "--yes"), ("up",)):
        assert run(capsys, action[0], backend_url, "--project", str(tmp_path), *action[1:])[0] == 0
    return backups


def test_listing_says_which_backups_a_rollback_needs_and_why_not(backups) -> None:  # noqa: ANN001
    code, out, _ = backups("--json")
    rows = json.loads(out)["backups"]
    assert code == 0 and [(r["id"], r["needed"], r["why_not_needed"]) for r in rows] == [
        (1, False, "its apply was rolled back"),
        (2, True, None),
    ]
    assert all(r["size_bytes"] > 0 and r["size_estimated"] is False for r in rows)
    code, out, _ = backups()  # into a pipe: rows only, whole values
    assert code == 0 and "its apply was rolled back" in out.splitlines()[1] and "needs it" in out.splitlines()[2]
    code, out, _ = backups("--format", "table")
    assert code == 0 and "stale" in out and "1 of 2 backups no rollback needs" in out


def test_purge_shows_a_preview_and_drops_nothing_without_a_yes(backups) -> None:  # noqa: ANN001
    code, out, err = backups("--purge")
    assert code == 2 and "pass --yes" in err
    assert "Purge drops 1 backup, freeing" in out and "its apply was rolled back" in out
    assert "Keeps 1 backup" in out and "rolling back 002 restores" in out
    assert len(json.loads(backups("--json")[1])["backups"]) == 2


def test_purge_with_yes_drops_the_stale_and_keeps_what_the_live_apply_needs(backups) -> None:  # noqa: ANN001
    code, out, _ = backups("--purge", "--older-than", "0s", "--yes", "--json")
    done = json.loads(out)
    assert code == 0 and [b["id"] for b in done["purged"]["dropped"]] == [1]
    assert [b["id"] for b in done["preview"]["kept"]] == [2] and done["vacuum"] is None
    assert [b["id"] for b in json.loads(backups("--json")[1])["backups"]] == [2]


def test_force_says_what_it_loses(backups) -> None:  # noqa: ANN001
    code, out, _ = backups("--purge", "--force", "--yes")
    assert code == 0 and "NEEDED: rolling back 002 can then no longer bring back" in out
    assert "Dropped 2 backups" in out
    assert json.loads(backups("--json")[1])["backups"] == []


def test_retention_applies_the_projects_keep_backups(backups, tmp_path: Path) -> None:  # noqa: ANN001
    code, _, err = backups("--purge", "--retention")
    assert code == 2 and "keep_backups" in err
    (tmp_path / "workbench.toml").write_text('[workbench]\nkeep_backups = "1w"\n')
    code, out, _ = backups("--purge", "--retention")
    assert code == 0 and "retention: the project keeps backups 1w" in out
    assert "Nothing to purge: no backup is old enough." in out and "newer than 7 days" in out
    code, _, err = backups("--older-than", "1d")
    assert code == 2 and "go with --purge" in err


def test_vacuum_reports_the_database_size_before_and_after(backups, backend_url: str) -> None:  # noqa: ANN001
    code, out, _ = backups("--purge", "--yes", "--vacuum")
    assert code == 0 and "Dropped 1 backup" in out
    if backend_url.startswith("sqlite"):
        assert "Vacuumed: the database went from" in out
    else:
        assert "Nothing to vacuum" in out


def test_a_protected_profile_needs_its_name_to_purge(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(tmp_path / "migrations", FILES)
    (tmp_path / "workbench.toml").write_text('[profiles.prod]\nurl = "sqlite:///prod.db"\nprotected = true\n')
    (tmp_path / "prod.db").touch()
    where = ("prod", "--project", str(tmp_path))
    for action in (
        ("up", "--confirm", "prod"),
        ("down", "--steps", "1", "--yes", "--confirm", "prod"),
        ("up", "--confirm", "prod"),
    ):
        assert run(capsys, action[0], *where, *action[1:])[0] == 0
    code, _, err = run(capsys, "backups", *where, "--purge", "--yes")
    assert code == 2 and "pass --confirm prod" in err
    code, out, _ = run(capsys, "backups", *where, "--purge", "--confirm", "prod")
    assert code == 0 and "Dropped 1 backup" in out
