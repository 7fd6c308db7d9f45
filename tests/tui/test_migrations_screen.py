"""The Migrations screen driven with the keyboard on real databases: states, detail, plan, apply
(next and up to the highlighted one) after a confirmation, a failed apply and its error panel."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import SIZE, pilot_test, settle
from tests.tui.migrating import (
    app_for,
    apply_up_to,
    confirm,
    db_snapshot,
    freeze_times,
    load_schema,
    open_migrations,
    sample,
    select,
    states,
    text_of,
    write_project,
)
from workbench.db import connect
from workbench.project import Project
from workbench.tui.screens.migrations import ApplyErrorDialog, MigrationDetail, MigrationsScreen, PlanDialog
from workbench.tui.widgets.confirm import ConfirmDialog

ITEMS = "CREATE TABLE items (id integer PRIMARY KEY, label text NOT NULL);\nINSERT INTO items VALUES (1, 'one'), (2, 'two');\n"
BROKEN = {
    "workbench.toml": "",
    "migrations/001_tags.up.sql": "CREATE TABLE tags (id integer PRIMARY KEY, name text);\n",
    "migrations/002_fill.up.sql": "INSERT INTO items VALUES (3, 'three');\nINSERT INTO nowhere VALUES (1);\n",
}


@pytest.fixture
def booking(booking_url: str) -> tuple[str, Project]:
    return booking_url, sample("booking")


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Project]:
    """Items, and a project whose second migration fails at its second statement."""
    monkeypatch.chdir(tmp_path)
    conn = connect("items.db", options={"create": True})
    conn.execute_script(ITEMS)
    conn.close()
    return "sqlite:///items.db", write_project(tmp_path, BROKEN)


@pilot_test
async def test_lists_every_migration_with_its_state_and_the_header_summary(booking) -> None:  # noqa: ANN001
    url, project = booking
    app = app_for(url, project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        assert [(s.version, screen.overview.state(s)) for s in screen.overview.statuses] == [
            ("0003", "pending"),
            ("0004", "pending"),
        ]
        assert app.migration_summary == "0 applied · 2 pending · 0 backups"
        assert screen.check_action("rollback", ()) is None and screen.check_action("apply_next", ())


@pilot_test
async def test_detail_shows_statements_with_lint_and_the_sql(booking) -> None:  # noqa: ANN001
    url, project = booking
    async with app_for(url, project).run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        await select(pilot, screen, "0004")
        text = text_of(screen.query_one(MigrationDetail))
        assert "0004 mvp_cleanup" in text and "no down script" in text
        words = " ".join(text.split())  # findings wrap under themselves
        assert "drops booking_orders (20 k rows) after its rows were copied into its replacement" in words
        assert "booking_orders  can lose data" not in text
        assert "no rows are lost" in words and "every row in it" not in words  # a rebuild keeps its rows
        assert "danger: drops column locations.address and its data" in words
        assert 'DROP TABLE "booking_orders"' in text


@pilot_test
async def test_a_seed_file_shows_its_rows_as_one_line_and_applies_every_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    conn = connect("items.db", options={"create": True})
    conn.execute_script(ITEMS)
    conn.close()
    rows = "".join(f"INSERT INTO items VALUES ({i}, 'item {i}; it''s new');\n" for i in range(3, 5003))
    project = write_project(tmp_path, {"workbench.toml": "", "migrations/001_seed.up.sql": rows})
    app = app_for("sqlite:///items.db", project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        await select(pilot, screen, "001")
        text = text_of(screen.query_one(MigrationDetail))
        assert "1–5000 data items (5,000 rows)" in text
        assert "INSERT INTO items VALUES (302, " in text and "(303, " not in text  # the first 300 lines
        assert "… 4,700 more lines" in text
        await pilot.press("a")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await confirm(pilot)
        await settle(pilot, lambda: not screen.busy)
        assert [screen.overview.state(s) for s in screen.overview.statuses] == ["applied"]
    conn = connect("sqlite:///items.db")
    assert conn.query("SELECT count(*) FROM items").scalar() == 5002
    conn.close()


@pilot_test
async def test_p_shows_the_plan_and_runs_nothing(booking) -> None:  # noqa: ANN001
    url, project = booking
    before = db_snapshot(url)
    async with app_for(url, project).run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        await select(pilot, screen, "0004")
        await pilot.press("p")
        await settle(pilot, lambda: isinstance(pilot.app.screen, PlanDialog))
        plan = pilot.app.screen.plan
        assert [m.version for m in plan.migrations] == ["0003", "0004"]
        assert any(s.action == "backup" for s in plan.migrations[1].steps)
        await pilot.press("escape")
    assert db_snapshot(url).differences(before) == []


@pilot_test
async def test_apply_asks_listing_the_backups_then_applies_and_the_catalog_follows(booking) -> None:  # noqa: ANN001
    url, project = booking
    app = app_for(url, project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        await pilot.press("a")  # the next one: 0003, purely additive
        await settle(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "No backups needed" in text_of(app.screen.query_one("PlanView"))
        await pilot.press("escape")
        await settle(pilot)
        assert states(url, project) == ["pending", "pending"]  # cancelled: nothing ran
        await select(pilot, screen, "0004")
        await pilot.press("A")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        lead = text_of(app.screen.query_one("PlanView"))
        assert "6 tables will be copied into backups" in lead and "main.booking_orders" in lead
        words = " ".join(lead.split())  # the same findings as the plan and the detail, with severities
        assert "! danger: drops column locations.address and its data" in words
        assert "! info: drops booking_orders (20 k rows) after its rows were copied" in words
        await confirm(pilot)
        await settle(pilot, lambda: not screen.busy)
        assert [screen.overview.state(s) for s in screen.overview.statuses] == ["applied", "applied"]
        assert app.migration_summary == "2 applied · 0 pending · 6 backups"
        assert app.catalog.table("booking_order_private_notes") is not None  # Browse reads this catalog
    assert states(url, project) == ["applied", "applied"]
    conn = connect(url)
    assert conn.query("SELECT count(*) FROM booking_order_private_notes").scalar() == 2445
    conn.close()


@pytest.mark.postgres
@pilot_test
async def test_apply_the_campaigns_sample_on_postgresql(pg_url: str) -> None:
    project = sample("campaigns")
    load_schema(pg_url, project)
    app = app_for(pg_url, project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        await apply_up_to(pilot, screen, "017")
        assert [screen.overview.state(s) for s in screen.overview.statuses] == ["applied"] * 5
        assert app.catalog.table("system_alerts") is not None
    assert states(pg_url, project) == ["applied"] * 5


@pilot_test
async def test_a_failed_apply_opens_the_error_panel_and_leaves_the_database_as_it_was(broken) -> None:  # noqa: ANN001
    url, project = broken
    app = app_for(url, project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        await apply_up_to(pilot, screen, "001")
        before = db_snapshot(url)
        await apply_up_to(pilot, screen, "002")
        await settle(pilot, lambda: isinstance(app.screen, ApplyErrorDialog))
        failure = app.screen.report.failure
        assert (failure.statement, failure.total, failure.unchanged) == (2, 2, True)
        assert "no such table: nowhere" in failure.error
        assert "the database is as it was before 002: nothing of it stayed" in "\n".join(app.screen.report.lines())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MigrationsScreen)
        assert [screen.overview.state(s) for s in screen.overview.statuses] == ["applied", "failed"]
        assert "failed at statement 2 of 2" in str(screen.query_one("#migrations-message").content)
        assert "no such table: nowhere" in text_of(screen.query_one(MigrationDetail))
    assert db_snapshot(url).differences(before) == []


@pilot_test
async def test_a_protected_profile_needs_its_name_typed_for_a_destructive_apply(booking) -> None:  # noqa: ANN001
    url, project = booking
    app = app_for(url, project, protected=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        await apply_up_to(pilot, screen, "0003")  # purely additive: a plain confirmation
        await select(pilot, screen, "0004")
        await pilot.press("A")
        await confirm(pilot, "0004")  # not the name: refused in place
        assert isinstance(app.screen, ConfirmDialog)
        assert "Type prod exactly" in str(app.screen.query_one("#dialog-error").content)
        assert states(url, project) == ["applied", "pending"]
        await pilot.press(*["backspace"] * 4, *"prod", "enter")
        await settle(pilot, lambda: not screen.busy)
    assert states(url, project) == ["applied", "applied"]


# -- snapshots --------------------------------------------------------------------------------


def test_snapshot_applied_and_pending(booking, snap_compare) -> None:  # noqa: ANN001
    url, project = booking

    async def before(pilot: Pilot) -> None:
        screen = await open_migrations(pilot)
        await apply_up_to(pilot, screen, "0003")
        freeze_times(url)
        await pilot.press("ctrl+r")
        await settle(pilot)
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app_for(url, project), terminal_size=SIZE, run_before=before)


def test_snapshot_failed_apply(broken, snap_compare) -> None:  # noqa: ANN001
    url, project = broken

    async def before(pilot: Pilot) -> None:
        screen = await open_migrations(pilot)
        await apply_up_to(pilot, screen, "002")
        await settle(pilot, lambda: isinstance(pilot.app.screen, ApplyErrorDialog))
        freeze_times(url)
        screen.action_reload()  # the list behind the panel, with the frozen times
        await settle(pilot)
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app_for(url, project), terminal_size=SIZE, run_before=before)


BUILT_ANOTHER_WAY = {
    "workbench.toml": "",
    "migrations/001_users.up.sql": "CREATE TABLE users (id integer PRIMARY KEY, name text);\n",
    "migrations/002_posts.up.sql": "CREATE TABLE posts (id integer PRIMARY KEY);\n",
    "migrations/003_tags.up.sql": "CREATE TABLE tags (id integer PRIMARY KEY);\n",
}


@pilot_test
async def test_a_schema_built_another_way_is_offered_a_baseline_and_b_marks_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    conn = connect("restored.db", options={"create": True})
    conn.execute_script(
        BUILT_ANOTHER_WAY["migrations/001_users.up.sql"] + BUILT_ANOTHER_WAY["migrations/002_posts.up.sql"]
    )
    conn.close()
    url, project = "sqlite:///restored.db", write_project(tmp_path, BUILT_ANOTHER_WAY)
    app = app_for(url, project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        message = " ".join(text_of(screen.query_one("#migrations-message")).split())
        assert "already holds what migrations up to 002 create" in message
        assert "B marks them applied without running them" in message
        await pilot.press("B")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "Mark 2 migrations applied without running them?" in app.screen.heading
        await confirm(pilot)
        await settle(pilot, lambda: not screen.busy and screen.overview is not None and screen._baseline is None)
        # marked applied; without down scripts nothing can undo them, and the screen says so
        assert [screen.overview.state(s) for s in screen.overview.statuses] == ["no way back", "no way back", "pending"]
        assert screen.check_action("baseline", ()) is False
    assert states(url, project) == ["applied", "applied", "pending"]


@pilot_test
async def test_no_baseline_is_offered_on_an_empty_database(broken) -> None:  # noqa: ANN001
    url, project = broken
    app = app_for(url, project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        assert screen.check_action("baseline", ()) is False
        assert "baseline" not in text_of(screen.query_one("#migrations-message"))


@pilot_test
async def test_a_migration_another_tool_applied_says_so_in_the_detail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.migrations.foreign_tools import run_as
    from workbench.migrations.engine import Migrator

    monkeypatch.chdir(tmp_path)
    url, project = (
        "sqlite:///flyway.db",
        write_project(
            tmp_path,
            {"workbench.toml": "", "migrations/V1__users.sql": BUILT_ANOTHER_WAY["migrations/001_users.up.sql"]},
        ),
    )
    conn = connect("flyway.db", options={"create": True})
    run_as(conn, "flyway", Migrator(conn, project.migrations_dir).migrations)
    conn.close()
    app = app_for(url, project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_migrations(pilot)
        await select(pilot, screen, "1")
        detail = " ".join(text_of(screen.query_one(MigrationDetail)).split())
        assert (
            "Adopted from Flyway's ledger: applied 2020-01-01 12:00 UTC by alice; the workbench did not run it"
            in detail
        )
