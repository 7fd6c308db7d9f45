"""Each bundled sample, end to end, as a newcomer would go through it with the keys: the app is
built exactly as the `workbench` command builds it, and the database is read after every step."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.e2e.story import Opened, story
from tests.tui.conftest import SIZE, pilot_test, ready
from workbench import samples
from workbench.commands.common import open_project_and_target
from workbench.tui import make_app
from workbench.tui.widgets.schema_tree import SchemaTree

pytestmark = pytest.mark.slow


def opened(project_dir: str | None) -> Opened:
    """What `workbench` (no argument) or `workbench --project DIR` opens."""
    project, target = open_project_and_target(None, project_dir, sample_when_empty=True)
    return Opened(target, project)


@pilot_test
async def test_booking_on_sqlite_the_first_readme_command() -> None:
    booking = opened(None)  # the bundled booking sample, built in this test's data folder
    assert booking.project.name == "booking" and booking.target.url.endswith("booking.db")
    async with make_app(booking.target, booking.project).run_test(size=SIZE) as pilot:
        await story(pilot, booking, ("booking_orders", "id", "status"), ("booking_order_private_notes", "id", "note"))


@pytest.mark.postgres
@pilot_test
async def test_campaigns_on_postgresql(pg_url: str) -> None:
    project = samples.load("campaigns", pg_url)  # `workbench sample load campaigns URL --open`
    campaigns = opened(str(project.root))
    assert campaigns.target.url == pg_url
    async with make_app(campaigns.target, campaigns.project).run_test(size=SIZE) as pilot:
        await story(pilot, campaigns, ("workspaces", "id", "slug"), ("agent_registry", "id", "agent_type"))


@pytest.mark.postgres
@pytest.mark.usefixtures("embedded_data_dir")
@pilot_test
async def test_campaigns_on_the_embedded_postgresql_with_no_server_installed() -> None:
    project, _ = samples.load_embedded("campaigns")  # `workbench sample load campaigns --embedded`
    campaigns = opened(str(project.root))
    assert campaigns.target.url == "postgresql+embedded:///campaigns"
    async with make_app(campaigns.target, campaigns.project).run_test(size=SIZE) as pilot:
        await story(pilot, campaigns, ("workspaces", "id", "slug"), ("agent_registry", "id", "agent_type"))


@pilot_test
async def test_workspace_consolidation_on_sqlite_leaves_the_sources_byte_identical() -> None:
    project = samples.load("workspace")
    workspace = opened(str(project.root))
    sources: dict[str, str] = workspace.target.connect_options()["attach"]
    assert len(sources) == 3

    def digests() -> dict[str, str]:
        return {alias: hashlib.sha256(Path(path).read_bytes()).hexdigest() for alias, path in sources.items()}

    untouched = digests()
    async with make_app(workspace.target, workspace.project).run_test(size=SIZE) as pilot:
        await ready(pilot)
        schemas = [str(node.label) for node in pilot.app.screen.query_one(SchemaTree).root.children]
        assert all(any(alias in label for label in schemas) for alias in sources), schemas  # attached, browsable
        await story(pilot, workspace, ("workspace_tasks", "id", "priority"), ("tasks", "id", "title"))
    assert digests() == untouched
