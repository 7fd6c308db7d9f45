"""`workbench migrate down --keep-aside` and `workbench migrate finalize`, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.migrations.test_cli import project, run
from workbench.db import connect

FILES = {
    "001_items.sql": "CREATE TABLE items (id integer PRIMARY KEY, label text NOT NULL, kind text NOT NULL);\n"
    "INSERT INTO items VALUES (1, 'a', 'k');\n",
    "002_drop.sql": "ALTER TABLE items DROP COLUMN kind;\n",
}


def _written_since(url: str) -> None:
    conn = connect(url)
    conn.execute("INSERT INTO items (id, label) VALUES (2, 'new')")  # kind has no default in the old shape
    conn.execute("UPDATE items SET label = 'b' WHERE id = 1")
    conn.close()


def test_rows_that_do_not_fit_stop_the_cli_rollback_until_kept_aside(
    backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(project(tmp_path, FILES))
    assert run(capsys, "up", backend_url, "--project", root)[0] == 0
    _written_since(backend_url)

    code, _, err = run(capsys, "down", backend_url, "--project", root, "--steps", "1", "--yes")
    assert code == 1
    assert "nothing was rolled back: 1 row written since 002 cannot be carried over" in err
    assert "items id=2: kind has no value and no default in the old shape" in err and "Traceback" not in err

    code, out, _ = run(
        capsys, "down", backend_url, "--project", root, "--steps", "1", "--yes", "--keep-aside", "--json"
    )
    assert code == 0
    (carried,) = json.loads(out)["report"]["migrations"][0]["carried"]
    assert carried["carried"] == 1 and carried["set_aside"] == [
        "id=2: kind has no value and no default in the old shape"
    ]
    conn = connect(backend_url)
    assert conn.query("SELECT id, label, kind FROM items").rows == [(1, "b", "k")]  # the update carried over
    conn.close()


def test_finalize_stops_the_capture_and_frees_the_backups(
    backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(project(tmp_path, FILES))
    assert run(capsys, "up", backend_url, "--project", root)[0] == 0

    code, out, _ = run(capsys, "finalize", backend_url, "9", "--project", root)
    assert code == 2 and not out

    code, out, _ = run(capsys, "finalize", backend_url, "--project", root)
    assert code == 0
    assert out.strip() == (
        "finalized 002: stopped capturing 1 table, freed 1 backup; it can no longer be rolled back with its rows"
    )
    code, out, _ = run(capsys, "finalize", backend_url, "--project", root, "--json")
    assert code == 0 and json.loads(out) == {"finalized": []}
    conn = connect(backend_url)
    assert not [t for t in conn.introspect().triggers if t.name.startswith("workbench_")]
    conn.close()


def test_a_capture_retention_finalizes_older_applies_at_the_next_up(
    backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(project(tmp_path, FILES, config='capture_retention = "0s"\n'))
    assert run(capsys, "up", backend_url, "--project", root, "--to", "1")[0] == 0
    code, out, _ = run(capsys, "up", backend_url, "--project", root)
    assert code == 0
    assert "note: 001 was applied more than 0:00:00 ago (capture_retention): finalized" not in out  # nothing to free
    code, out, _ = run(capsys, "up", backend_url, "--project", root)  # 002 is older than 0s now
    assert code == 0
    assert (
        "note: 002 was applied more than 0:00:00 ago (capture_retention): finalized, 1 capture stopped, 1 backup freed"
        in out
    )
    conn = connect(backend_url)
    assert not [t for t in conn.introspect().triggers if t.name.startswith("workbench_")]
    conn.close()


def test_a_capture_retention_that_is_not_an_age_is_one_sentence(
    backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(project(tmp_path, FILES, config='capture_retention = "soon"\n'))
    code, _, err = run(capsys, "up", backend_url, "--project", root)
    assert code == 2 and "not an age: 'soon'" in err and "Traceback" not in err
