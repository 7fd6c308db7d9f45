"""Real migration sets half applied by another tool, then finished by the workbench: status
adopts the first half, `up` applies the rest, and both ledgers agree; a rollback too."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.db import Connection
from workbench.migrations.engine import Migrator
from tests.migrations.foreign_tools import applied_per_tool, run_as
from tests.migrations.helpers import register_corpus_functions, river_folder

pytestmark = [pytest.mark.corpus, pytest.mark.slow]


@pytest.mark.parametrize(("name", "tool"), [("authelia", "flyway"), ("river", "dbmate"), ("river", "golang-migrate")])
def test_a_real_set_half_applied_by_another_tool_is_finished_with_both_ledgers_in_step(
    name: str, tool: str, conn: Connection, corpus: Path, tmp_path: Path
) -> None:
    register_corpus_functions(conn)
    folder = river_folder(corpus, conn, tmp_path) if name == "river" else corpus / f"{name}-migrations"
    mg = Migrator(conn, folder)
    # River's 007 needs SQLite 3.45 (jsonb); older SQLite stops at 006
    last = "006" if name == "river" and not conn.capabilities.schemas else mg.migrations[-1].version
    wanted = [m.version for m in mg.migrations]
    wanted = wanted[: wanted.index(last) + 1]
    half = mg.migrations[: len(wanted) // 2]
    run_as(conn, tool, half)

    statuses = mg.status()
    assert [s.state for s in statuses[: len(half)]] == ["applied"] * len(half)
    assert {s.entry.adopted_from for s in statuses[: len(half)] if s.entry} == {"Flyway" if tool == "flyway" else tool}
    assert {s.state for s in statuses[len(half) :]} == {"pending"}

    report = mg.up(to=last)
    assert report.ok, report.failure
    assert [m.version for m in report.migrations] == wanted[len(half) :]
    assert applied_per_tool(conn, tool, mg.migrations) == wanted
    assert mg.down(steps=1).ok
    assert applied_per_tool(conn, tool, mg.migrations) == wanted[:-1]
