"""The connection picker (ctrl+o): profiles, recent databases and a typed URL, switched without a
restart; a target that cannot be opened says why in one sentence and the current one stays."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from tests.tui.conftest import SIZE, app_for, pilot_test, ready, settle
from tests.tui import migrating
from tests.tui.migrating import write_project
from workbench.db import connect
from workbench.project import Target
from workbench.tui import make_app
from workbench.tui.app import WorkbenchApp
from workbench.tui.recent import recent_path, recent_targets, remember
from workbench.tui.screens.connect import ConnectScreen
from workbench.tui.widgets.confirm import ConfirmDialog

PROFILES = """
[profiles.local]
url = "sqlite:///a.db"
[profiles.other]
url = "b.db"
[profiles.prod]
url = "postgresql://app@db.internal/booking"
protected = true
"""


@pytest.fixture
def two_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """a.db with a table alpha and b.db with a table beta, in the current folder."""
    monkeypatch.chdir(tmp_path)
    for name, table in (("a.db", "alpha"), ("b.db", "beta")):
        conn = connect(name, options={"create": True})
        conn.execute_script(f"CREATE TABLE {table} (id integer PRIMARY KEY);")
        conn.close()
    return tmp_path


def tables(app: WorkbenchApp) -> list[str]:
    return [t.name for t in app.catalog.tables] if app.catalog else []


async def picker(pilot: Pilot) -> ConnectScreen:
    await pilot.press("ctrl+o")
    await settle(pilot, lambda: isinstance(pilot.app.screen, ConnectScreen))
    screen = pilot.app.screen
    assert isinstance(screen, ConnectScreen)
    return screen


async def type_target(pilot: Pilot, text: str) -> None:
    await pilot.press("tab", *text, "enter")


@pilot_test
async def test_a_typed_path_switches_the_database_without_a_restart(two_files: Path) -> None:
    app = app_for("sqlite:///a.db")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert tables(app) == ["alpha"]
        first = app.session
        await picker(pilot)
        await type_target(pilot, "b.db")
        await settle(pilot, lambda: not isinstance(app.screen, ConnectScreen) and tables(app) == ["beta"])
        assert app.connection_label.endswith("b.db") and app.session is not first
        assert first is not None and first._closed  # noqa: SLF001 - the old connection is let go
    assert recent_targets() == [str(two_files / "b.db"), f"sqlite:///{two_files / 'a.db'}"]


@pilot_test
async def test_a_target_that_cannot_be_opened_keeps_the_current_connection(two_files: Path) -> None:
    app = app_for("sqlite:///a.db")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        first = app.session
        screen = await picker(pilot)
        await type_target(pilot, "nowhere.db")
        await settle(pilot, lambda: not screen.connecting)
        said = str(screen.query_one("#connect-status").render())
        assert said == "SQLite database file not found: nowhere.db — still connected to sqlite:///a.db."
        assert isinstance(app.screen, ConnectScreen)  # to correct the typing
        await pilot.press("escape")
        await settle(pilot)
        assert app.session is first and tables(app) == ["alpha"] and app.problem == ""
        assert not isinstance(app.screen, ConnectScreen)


@pilot_test
async def test_a_profile_of_the_project_is_chosen_from_the_list(two_files: Path) -> None:
    project = write_project(two_files, {"workbench.toml": PROFILES})
    app = make_app(Target("sqlite:///a.db", project.profiles["local"]), project)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await picker(pilot)
        listed = [str(o.prompt) for o in screen.query_one(OptionList).options]
        assert listed[0] == f"Profiles of {two_files.name}"
        assert any("prod" in line and "protected" in line for line in listed)
        await pilot.press("down", "enter")  # from local to other
        await settle(pilot, lambda: tables(app) == ["beta"])
        assert app.target.profile is not None and app.target.profile.name == "other"
    assert recent_targets() == []  # profiles are listed as profiles, not remembered twice


@pilot_test
async def test_a_recent_database_is_offered_and_opens_on_either_backend(two_files: Path, backend_url: str) -> None:
    conn = connect(backend_url)
    conn.execute_script("CREATE TABLE gamma (id integer PRIMARY KEY);")
    conn.close()
    async with app_for(backend_url).run_test(size=SIZE) as pilot:  # remembered once it opened
        await ready(pilot)
    app = app_for("sqlite:///a.db")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await picker(pilot)
        options = screen.query_one(OptionList)
        listed = [str(o.prompt).strip() for o in options.options]
        assert listed == ["Recent", *recent_targets()] and len(listed) == 3  # a.db, newest, then the other
        options.highlighted = 2
        await pilot.press("enter")
        await settle(pilot, lambda: tables(app) == ["gamma"])
        assert app.problem == "" and app.backend_label == ("sqlite" if "sqlite" in backend_url else "postgresql")


def test_a_remembered_target_keeps_no_password() -> None:
    assert remember(Target("postgresql://app:s3cret@db.internal/booking")) is None
    assert recent_targets() == ["postgresql://app@db.internal/booking"]
    assert "s3cret" not in recent_path().read_text()


def test_snapshot_of_the_picker(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """Started on a file that is missing (so nothing new is remembered), with fixed profiles and recents."""
    monkeypatch.chdir(tmp_path)
    project = write_project(
        tmp_path,
        {
            "workbench.toml": PROFILES.replace('"sqlite:///a.db"', '"/srv/data/a.db"').replace(
                '"b.db"', '"/srv/data/b.db"'
            )
        },
    )
    recent_path().parent.mkdir(parents=True, exist_ok=True)
    recent_path().write_text(json.dumps(["postgresql://ci@127.0.0.1/orders", "/srv/data/river.db"]))

    async def before(pilot: Pilot) -> None:
        await ready(pilot)
        await picker(pilot)

    assert snap_compare(make_app(Target("missing.db"), project), terminal_size=(80, 24), run_before=before)


@pilot_test
async def test_ctrl_o_waits_while_a_confirmation_is_open(booking_url: str) -> None:
    """Switching closes the connection: never under a dialog about to change the database."""
    app = migrating.app_for(booking_url, migrating.sample("booking"))
    async with app.run_test(size=SIZE) as pilot:
        await migrating.open_migrations(pilot)
        await pilot.press("a")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("ctrl+p", *"connect to another database")  # the palette opens over any dialog
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert any("Finish or close what is open first" in str(n.message) for n in app._notifications)  # noqa: SLF001
