"""The app shell: screens one key away, help, themes as data that persist, and failures as sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.conftest import SIZE, app_for, pilot_test, ready, settle
from workbench.errors import ConfigError
from workbench.tui import make_app
from workbench.tui.config import UserConfig, config_path
from workbench.tui.screens import SCREENS
from workbench.tui.screens.browse import BrowseScreen
from workbench.tui.screens.help import HelpScreen
from workbench.tui.themes import load_themes, parse_theme
from workbench.tui.widgets.object_detail import ObjectDetail


@pilot_test
async def test_every_screen_is_one_key_away(sqlite_url: str) -> None:
    app = app_for(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for spec in SCREENS[1:]:
            await pilot.press(spec.key)
            await settle(pilot)
            assert app.current_mode == spec.mode
            assert type(app.screen).__name__ == spec.target.rpartition(":")[2]
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)


@pilot_test
async def test_help_lists_the_keys_of_the_screen_and_the_app(sqlite_url: str) -> None:
    app = app_for(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        described = {description for _, rows in app.screen.sections() for _, description in rows}
        for description in ("Browse", "Migrations", "Filter", "Refresh", "Go to row", "Sort", "Export", "DDL"):
            assert description in described, description
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)


@pilot_test
async def test_switching_theme_persists_in_the_user_config(sqlite_url: str) -> None:
    assert not config_path().exists() or UserConfig.load()[0].theme != "workbench-light"
    app = app_for(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.theme == "workbench-dark"
        app.theme = "workbench-light"
        await settle(pilot)
    assert UserConfig.load()[0].theme == "workbench-light"
    again = app_for(sqlite_url)
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert again.theme == "workbench-light"
    UserConfig().save()  # leave the isolated config as we found it


def test_bundled_themes_are_valid_and_bad_ones_are_reported(tmp_path: Path) -> None:
    themes, problems = load_themes()
    assert problems == []
    assert {"workbench-dark", "workbench-light", "workbench-high-contrast"} <= {t.name for t in themes}
    assert any(not t.dark for t in themes)
    (tmp_path / "bad.toml").write_text('name = "bad"\ndark = true\nprimary = "not-a-colour"\n')
    (tmp_path / "broken.toml").write_text("name = \n")
    themes, problems = load_themes(tmp_path)
    assert themes == [] and len(problems) == 2 and "not a colour" in problems[0]
    with pytest.raises(ConfigError, match="unknown key"):
        parse_theme({"name": "x", "dark": True, "primary": "#000", "primery": "#fff"}, "x.toml")


@pytest.mark.parametrize(
    "url", ["sqlite:///no/such/folder/x.db", "postgresql://nobody@127.0.0.1:1/none", "mysql://example/db"]
)
@pilot_test
async def test_a_connection_failure_is_one_sentence_and_r_retries(url: str) -> None:
    app = app_for(url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.problem and "\n" not in app.problem and "Traceback" not in app.problem
        message = str(app.screen.query_one("#tree-message").render())
        assert app.problem in message and "--help" in message
        await pilot.press("r")
        await ready(pilot)
        assert app.problem and app.catalog is None


@pilot_test
async def test_an_empty_database_says_so(sqlite_url: str) -> None:
    app = app_for(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        detail = app.screen.query_one(ObjectDetail)
        assert detail.ref is None
        assert "empty" in str(app.screen.query_one("#detail-title").render())


@pilot_test
async def test_the_command_palette_opens_a_table(sqlite_url: str) -> None:
    from workbench.db import connect

    conn = connect(sqlite_url)
    conn.execute_script("CREATE TABLE alpha (id integer PRIMARY KEY); CREATE TABLE zulu_orders (id integer);")
    conn.close()
    app = app_for(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p", *"zulu", "enter")
        await settle(pilot)
        assert app.screen.query_one(ObjectDetail).ref.name == "zulu_orders"


@pytest.mark.parametrize("size", [(80, 24), SIZE])
@pilot_test
async def test_ctrl_t_lists_our_three_themes_first_by_name_and_picks_one(
    sqlite_url: str, size: tuple[int, int]
) -> None:
    from textual.command import CommandList, CommandPalette

    app = app_for(sqlite_url)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+t")
        await settle(
            pilot, lambda: isinstance(app.screen, CommandPalette) and app.screen.query_one(CommandList).option_count > 3
        )
        options = app.screen.query_one(CommandList)
        prompts = [str(options.get_option_at_index(i).prompt).splitlines()[0] for i in range(options.option_count)]
        assert prompts[:3] == ["Workbench dark", "Workbench high contrast", "Workbench light"]
        assert "textual-dark" in prompts[3:]  # Textual's themes follow, under their own names
        await pilot.press(*"contrast")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "workbench-high-contrast"


@pytest.mark.parametrize("screen_key", ["1", "2"])
@pilot_test
async def test_ctrl_r_finds_a_database_file_created_after_not_found(
    screen_key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.commands.common import open_project_and_target
    from workbench.db import connect

    monkeypatch.chdir(tmp_path)
    project, target = open_project_and_target("river.db", None)  # what `workbench river.db` opens
    app = make_app(target, project)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "not found: river.db" in app.problem
        await pilot.press(screen_key)
        await settle(pilot)
        conn = connect("river.db", options={"create": True})
        conn.execute_script("CREATE TABLE fish (id integer PRIMARY KEY);")
        conn.close()
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: app.catalog is not None or app.problem != "")
        assert app.problem == ""
        assert [t.name for t in app.catalog.tables] == ["fish"]
        assert app.connection_label.endswith("river.db")
        if screen_key == "2":  # the screen's message follows: the missing file is no longer its news
            await settle(pilot)
            assert "river.db" not in str(app.screen.query_one("#migrations-message").render())
