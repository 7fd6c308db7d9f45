"""The Verify screen driven with the keyboard: plan, run all / one, failures only, stop, export."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import SIZE, pilot_test, ready, settle
from workbench.checks.checkfile import Check
from workbench.checks.runner import RunContext, run_checks
from workbench.db import Result, connect
from workbench.project import Target, load_project
from workbench.tui import make_app
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.verify import CheckDetail, CheckTree, VerifyScreen

SHOP = """
CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL, tier text CHECK (tier IN ('free', 'pro')));
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id), total integer);
INSERT INTO customers VALUES (1, 'Ada', 'free'), (2, 'Grace', 'pro');
INSERT INTO orders VALUES (10, 1, 150), (11, 2, 20), (12, 3, 5);
"""
COUNTS = """
-- check: two customers
-- expect: 2
SELECT count(*) FROM customers;

-- check: three orders
-- expect: 3
SELECT count(*) FROM orders;

-- check: tiers
-- expect:
--   tier | n
--   free | 1
--   pro  | 2
SELECT tier, count(*) AS n FROM customers GROUP BY tier;
"""
BROKEN = """
-- check: missing table
-- expect: 0
SELECT count(*) FROM invoices;
"""


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WorkbenchApp:
    """A SQLite shop with one orphan order and a project of checks; relative paths keep snapshots stable."""
    monkeypatch.chdir(tmp_path)
    conn = connect("shop.db", options={"create": True})
    try:
        conn.execute_script(SHOP)
    finally:
        conn.close()
    (tmp_path / "workbench.toml").write_text("")
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "counts.sql").write_text(COUNTS)
    (tmp_path / "checks" / "broken.sql").write_text(BROKEN)
    return make_app(Target("sqlite:///shop.db"), load_project(tmp_path))


async def open_verify(pilot: Pilot) -> VerifyScreen:
    app = await ready(pilot)
    await pilot.press("3")
    screen = app.screen
    assert isinstance(screen, VerifyScreen)
    await settle(pilot, lambda: bool(screen.checks))
    return screen


def statuses(screen: VerifyScreen) -> dict[str, str]:
    return {c.name: screen.results[c].status if c in screen.results else "not run" for c in screen.checks}


def tree_labels(screen: VerifyScreen) -> list[str]:
    tree = screen.query_one(CheckTree)
    return [str(node.label) for file in tree.root.children for node in (file, *file.children)]


def detail_text(screen: VerifyScreen) -> str:
    from rich.console import Console

    console = Console(width=100, record=True)
    console.print(screen.query_one(CheckDetail).content)
    return console.export_text()


@pilot_test
async def test_screen_lists_checks_by_file_before_anything_runs(shop: WorkbenchApp) -> None:
    async with shop.run_test(size=SIZE) as pilot:
        screen = await open_verify(pilot)
        assert set(statuses(screen).values()) == {"not run"}
        labels = tree_labels(screen)
        assert labels[0].startswith("checks/broken.sql") and labels[0].endswith("1 not run")
        assert "· two customers" in labels
        assert any(label.startswith("built-in/foreign-keys") for label in labels)
        assert screen.check_action("export", ()) is None  # greyed out until something ran


@pilot_test
async def test_v_runs_every_check_and_shows_mixed_results(shop: WorkbenchApp) -> None:
    async with shop.run_test(size=SIZE) as pilot:
        screen = await open_verify(pilot)
        await pilot.press("v")
        await settle(pilot, lambda: not screen.running)
        assert statuses(screen) == {
            "missing table": "error",
            "two customers": "pass",
            "three orders": "pass",
            "tiers": "fail",
            "orders(customer_id) → customers": "fail",
            "customers.tier values": "pass",
            "every table has a primary key": "pass",
        }
        state = str(screen.query_one("#verify-state").content)
        assert state == "7 checks · ✓ 4 · ✗ 2 · ⚠ 1 · – 0 · 0 not run"
        assert tree_labels(screen)[2].startswith("checks/counts.sql  ✓2 ✗1")


@pilot_test
async def test_detail_shows_sql_expected_actual_and_the_differences(shop: WorkbenchApp) -> None:
    async with shop.run_test(size=SIZE) as pilot:
        screen = await open_verify(pilot)
        await pilot.press("v")
        await settle(pilot, lambda: not screen.running)
        tree = screen.query_one(CheckTree)
        tiers = next(n for n in tree.root.children[1].children if n.data.name == "tiers")
        tree.move_cursor(tiers)
        await settle(pilot)
        text = detail_text(screen)
        assert "✗ tiers   fail" in text
        assert "SELECT tier, count(*) AS n FROM customers GROUP BY tier" in text
        assert "missing: pro | 2" in text and "unexpected: pro | 1" in text
        tree.move_cursor(tree.root.children[0].children[0])
        await settle(pilot)
        assert "no such table: invoices" in detail_text(screen)


@pilot_test
async def test_enter_runs_only_the_highlighted_check(shop: WorkbenchApp) -> None:
    async with shop.run_test(size=SIZE) as pilot:
        screen = await open_verify(pilot)
        tree = screen.query_one(CheckTree)
        tree.move_cursor(tree.root.children[1].children[0])
        await pilot.press("enter")
        await settle(pilot, lambda: not screen.running)
        assert statuses(screen)["two customers"] == "pass"
        assert list(statuses(screen).values()).count("not run") == 6


@pilot_test
async def test_enter_on_a_file_runs_its_checks(shop: WorkbenchApp) -> None:
    async with shop.run_test(size=SIZE) as pilot:
        screen = await open_verify(pilot)
        tree = screen.query_one(CheckTree)
        tree.move_cursor(tree.root.children[1])
        await pilot.press("enter")
        await settle(pilot, lambda: not screen.running)
        assert [statuses(screen)[n] for n in ("two customers", "three orders", "tiers", "missing table")] == [
            "pass",
            "pass",
            "fail",
            "not run",
        ]


@pilot_test
async def test_f_shows_failures_only_and_back(shop: WorkbenchApp) -> None:
    async with shop.run_test(size=SIZE) as pilot:
        screen = await open_verify(pilot)
        await pilot.press("v")
        await settle(pilot, lambda: not screen.running)
        await pilot.press("f")
        await settle(pilot)
        leaves = [n.data.name for f in screen.query_one(CheckTree).root.children for n in f.children]
        assert leaves == ["missing table", "tiers", "orders(customer_id) → customers"]
        assert "failures only" in str(screen.query_one("#verify-state").content)
        await pilot.press("f")
        await settle(pilot)
        assert len([n for f in screen.query_one(CheckTree).root.children for n in f.children]) == 7


@pilot_test
async def test_e_writes_the_report_in_the_format_of_its_suffix(shop: WorkbenchApp, tmp_path: Path) -> None:
    async with shop.run_test(size=SIZE) as pilot:
        screen = await open_verify(pilot)
        await pilot.press("v")
        await settle(pilot, lambda: not screen.running)
        await pilot.press("e")
        await settle(pilot)
        box = shop.screen.query_one("#report-path")
        box.value = "report.txt"
        await pilot.press("enter")
        await settle(pilot)
        assert "ending in .md" in str(shop.screen.query_one("#dialog-error").content)
        box.value = "report.json"
        await pilot.press("enter")
        await settle(pilot, lambda: (tmp_path / "report.json").exists())
    document = json.loads((tmp_path / "report.json").read_text())
    assert document["summary"] == {"passed": 4, "failed": 2, "errors": 1, "skipped": 0}


@dataclass(frozen=True)
class Gate(Check):
    """A check that waits until the test opens the gate, so a run can be seen half-way."""

    gate: threading.Event = field(default_factory=threading.Event, compare=False)

    def fetch(self, context: RunContext) -> Result:
        self.gate.wait(10)
        return Result(("value",), [(1,)])


def gated(screen: VerifyScreen, gate: Gate) -> None:
    """Put the gate after the project's first three checks."""
    checks = screen.checks
    screen.post_message(VerifyScreen.Planned((*checks[:3], gate, *checks[3:]), screen.catalog, screen._plans))


@pilot_test
async def test_results_appear_while_the_run_goes_on_and_escape_stops_it(shop: WorkbenchApp) -> None:
    gate = Gate(name="waits for the test", sql="", file="checks/gate.sql", line=1)
    async with shop.run_test(size=SIZE) as pilot:
        screen = await open_verify(pilot)
        gated(screen, gate)
        await settle(pilot, lambda: gate in screen.checks)
        await pilot.press("v")
        await pilot.pause()
        while len(screen.results) < 3:
            await pilot.pause(0.01)
        assert screen.running and len(screen.results) == 3
        assert "running…" in str(screen.query_one("#verify-state").content)
        await pilot.press("escape")
        gate.gate.set()
        await settle(pilot, lambda: not screen.running)
        assert len(screen.results) == 4  # the gate's own result arrives, nothing after it


# -- snapshots --------------------------------------------------------------------------------


def test_snapshot_not_run(shop: WorkbenchApp, snap_compare) -> None:  # noqa: ANN001
    async def before(pilot: Pilot) -> None:
        await open_verify(pilot)

    assert snap_compare(shop, terminal_size=SIZE, run_before=before)


def test_snapshot_running(shop: WorkbenchApp, snap_compare) -> None:  # noqa: ANN001
    """Half-way through a run: the first three results posted as the run worker posts them."""

    async def before(pilot: Pilot) -> None:
        screen = await open_verify(pilot)
        conn = connect("shop.db")
        try:
            first = list(run_checks(conn, screen.checks[:3]))
        finally:
            conn.close()
        screen._runs += 1
        screen.running = True
        for done, result in enumerate(first, start=1):
            screen.post_message(VerifyScreen.CheckDone(result, done, len(screen.checks), screen._runs))
        await pilot.pause()
        screen.query_one(CheckTree).move_cursor(screen.query_one(CheckTree).root.children[1])
        await pilot.pause()

    assert snap_compare(shop, terminal_size=SIZE, run_before=before)


def test_snapshot_mixed_results(shop: WorkbenchApp, snap_compare) -> None:  # noqa: ANN001
    async def before(pilot: Pilot) -> None:
        screen = await open_verify(pilot)
        await pilot.press("v")
        await settle(pilot, lambda: not screen.running)
        tree = screen.query_one(CheckTree)
        tree.move_cursor(tree.root.children[1])
        await settle(pilot)

    assert snap_compare(shop, terminal_size=SIZE, run_before=before)


@pilot_test
async def test_a_malformed_check_file_is_one_sentence_naming_file_and_line(shop: WorkbenchApp, tmp_path: Path) -> None:
    (tmp_path / "checks" / "bad.sql").write_text("-- check: oops\n-- expect: drafts\nSELECT 1;\n")
    async with shop.run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("3")
        screen = app.screen
        await settle(pilot, lambda: screen.query_one("#verify-message").display)
        message = str(screen.query_one("#verify-message").content)
        assert message.startswith("checks/bad.sql:2: unquoted text 'drafts'")
        assert screen.checks == ()
        assert screen.check_action("run_all", ()) is None


@pytest.mark.parametrize("size", [(80, 24), SIZE])
@pilot_test
async def test_an_empty_failures_only_view_says_there_are_no_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    monkeypatch.chdir(tmp_path)
    connect("ok.db", options={"create": True}).close()
    (tmp_path / "workbench.toml").write_text("")
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "ok.sql").write_text("-- check: one\n-- expect: 1\nSELECT 1;\n")
    app = make_app(Target("sqlite:///ok.db"), load_project(tmp_path))
    async with app.run_test(size=size) as pilot:
        screen = await open_verify(pilot)
        await pilot.press("f")  # before anything ran
        await settle(pilot)
        assert tree_labels(screen) == ["no failures yet: no check has run (v runs them all)"]
        await pilot.press("v")
        await settle(pilot, lambda: not screen.running)
        assert tree_labels(screen) == ["no failures: every check that ran passed"]
        assert "No failures: every check that ran passed" in detail_text(screen)
