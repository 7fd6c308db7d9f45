"""Verify (`3`): the project's checks grouped by file, run read-only, results as they come.

Left, a tree of check files (and the built-in kinds) with a status icon per check and counts
per file; right, the highlighted check: its SQL, expected vs actual (the differences for
tables) and the error. `v` runs every check, Enter runs the highlighted check (or file), `f`
shows failures only, `e` writes a report (JSON, JUnit XML or Markdown, by the file's suffix),
Escape stops a run.

Planning (reading the check files and deriving the built-ins from the catalog) happens when the
screen first sees a catalog and after every catalog refresh, since a migration changes which
built-ins apply; results are kept only until then. Running happens in a thread worker holding
the session as "verify"; each result is posted as it arrives.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, Tree
from textual.widgets.tree import TreeNode
from textual.worker import get_current_worker

from workbench.checks.checkfile import Check
from workbench.checks.reports import ICONS, to_json, to_junit, to_markdown
from workbench.checks.runner import CheckResult, Summary, run_checks
from workbench.checks.suite import plan_suite
from workbench.db.catalog import Catalog
from workbench.tui.screens.base import WorkbenchScreen
from workbench.tui.widgets.footer import Footer
from workbench.tui.widgets.header import WorkbenchHeader
from workbench.tui.widgets.progress_bar import ProgressBar
from workbench.tui.describe import describe as _describe

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.session import DbSession

NOT_RUN = "not-run"
SHOWN_FAILING = ("fail", "error")
REPORTS = {".json": "JSON", ".xml": "JUnit XML", ".md": "Markdown"}


def report_text(path: Path, results: Sequence[CheckResult], target: str) -> str:
    """The report for `path`'s suffix: .json, .xml (JUnit) or .md."""
    import json

    suffix = path.suffix.lower()
    if suffix == ".json":
        return json.dumps(to_json(results), indent=2, ensure_ascii=False, default=str) + "\n"
    if suffix == ".xml":
        return to_junit(results)
    return to_markdown(results, target)


class CheckTree(Tree[object]):
    """Files (or built-in kinds) holding checks; node data is the file name or the `Check`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "check-tree--pass",
        "check-tree--fail",
        "check-tree--error",
        "check-tree--skipped",
        "check-tree--not-run",
        "check-tree--count",
    }

    def icon(self, status: str) -> Text:
        return Text(ICONS.get(status, "·"), style=self.get_component_rich_style(f"check-tree--{status}"))

    def check_label(self, check: Check, result: CheckResult | None) -> Text:
        return Text.assemble(self.icon(result.status if result else NOT_RUN), " ", check.name)

    def file_label(self, file: str, results: list[CheckResult | None]) -> Text:
        counts = Summary.of(r for r in results if r is not None)
        label = Text.assemble((file, "bold"), "  ")
        for status, n in (
            ("pass", counts.passed),
            ("fail", counts.failed),
            ("error", counts.errors),
            ("skipped", counts.skipped),
        ):
            if n:
                label.append_text(self.icon(status))
                label.append(f"{n} ")
        waiting = sum(r is None for r in results)
        if waiting:
            label.append(f"{waiting} not run", style=self.get_component_rich_style("check-tree--count"))
        return label


class CheckDetail(Static):
    """The highlighted check or file, rendered from plain data; colours come from verify.tcss."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "check-detail--heading",
        "check-detail--muted",
        "check-detail--sql",
        "check-detail--missing",
        "check-detail--unexpected",
        "check-detail--error",
    }

    def part(self, name: str) -> str:
        return str(self.get_component_rich_style(f"check-detail--{name}"))

    def show_check(self, check: Check, result: CheckResult | None) -> None:
        status = result.status if result else "not run"
        heading = Text.assemble((f"{ICONS.get(status, '·')} {check.name}", self.part("heading")), f"   {status}")
        meta = [f"{check.file}:{check.line}" if check.line else check.file]
        if check.tags:
            meta.append(f"tags: {', '.join(check.tags)}")
        if result and result.status != "skipped":
            meta.append(f"{result.duration_ms:.1f} ms")
        parts: list[RenderableType] = [heading, Text(" · ".join(meta), style=self.part("muted"))]
        if check.description:
            parts.append(Text(check.description))
        if check.sql:
            parts += [self.heading("SQL"), Text(check.sql, style=self.part("sql"))]
        parts += [self.heading("Expected"), Text(result.expected if result else check.expectation.text)]
        if result and result.actual:
            parts += [self.heading("Actual"), Text(result.actual)]
        if result and result.detail:
            parts.append(self.heading("Differences"))
            parts += [Text(line, style=self._diff_style(line)) for line in result.detail]
        if result and result.error:
            parts += [
                self.heading("Skipped" if result.status == "skipped" else "Error"),
                Text(result.error, style=self.part("error")),
            ]
        self.update(Group(*parts))

    def heading(self, text: str) -> Text:
        return Text(f"\n{text}", style=self.part("heading"))

    def show_file(self, file: str, checks: list[Check], results: dict[Check, CheckResult]) -> None:
        s = Summary.of(results[c] for c in checks if c in results)
        counts = (
            f"{len(checks)} check{'' if len(checks) == 1 else 's'}: {s.passed} passed, {s.failed} failed, {s.errors} errors, "
            f"{s.skipped} skipped, {len(checks) - s.total} not run"
        )
        lines = [Text(file, style=self.part("heading")), Text(counts, style=self.part("muted")), Text("")]
        for check in checks:
            result = results.get(check)
            status = result.status if result else "not run"
            line = Text(f"{ICONS.get(status, '·')} {check.name}")
            if result and result.status == "fail":
                line.append(f"   {_in_short(result)}", style=self.part("muted"))
            elif result and result.status == "error":
                line.append(f"   {result.error}", style=self.part("error"))
            lines.append(line)
        self.update(Group(*lines))

    def _diff_style(self, line: str) -> str:
        """Rows the query should have returned in one colour, rows it should not have in another."""
        if line.startswith("missing"):
            return self.part("missing")
        return self.part("unexpected") if line.startswith(("unexpected", "row:")) else ""


def _in_short(result: CheckResult) -> str:
    """One line on what went wrong: expected vs actual, or a table's first difference."""
    if "\n" in result.expected and result.detail:
        return result.detail[0]
    return f"expected {result.expected.splitlines()[0]}, got {result.actual.splitlines()[0] if result.actual else ''}"


class ReportDialog(ModalScreen[Path | None]):
    """Ask where to write the report; the suffix picks the format."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, default: Path) -> None:
        super().__init__()
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Write the check results to")
            yield Input(value=str(self.default), id="report-path")
            yield Static(
                "Ends in .md (Markdown), .xml (JUnit XML) or .json; Enter writes, Escape cancels.",
                classes="dialog-hint",
            )
            yield Static(id="dialog-error", classes="dialog-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        if path.suffix.lower() not in REPORTS:
            self.query_one("#dialog-error", Static).update("Use a file name ending in .md, .xml or .json.")
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        """Close without writing."""
        self.dismiss(None)


class VerifyScreen(WorkbenchScreen):
    CSS_PATH = "../styles/verify.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "run_all", "Run all"),
        Binding("enter", "run_selected", "Run selected", priority=True),
        Binding("f", "toggle_failures", "Failures only"),
        Binding("e", "export", "Export"),
        Binding("escape", "stop", "Stop"),
    ]

    app: WorkbenchApp
    checks: reactive[tuple[Check, ...]] = reactive((), always_update=True)
    failures_only: reactive[bool] = reactive(False)
    running: reactive[bool] = reactive(False)

    class Planned(Message):
        def __init__(self, checks: tuple[Check, ...], catalog: Catalog, generation: int) -> None:
            super().__init__()
            self.checks = checks
            self.catalog = catalog
            self.generation = generation

    class CheckDone(Message):
        """One result of the running batch; `done` of `total` have finished."""

        def __init__(self, result: CheckResult, done: int, total: int, generation: int) -> None:
            super().__init__()
            self.result = result
            self.done = done
            self.total = total
            self.generation = generation

    class RunEnded(Message):
        def __init__(self, generation: int) -> None:
            super().__init__()
            self.generation = generation

    class Failed(Message):
        """Planning (`run` False) or a run failed as a whole, e.g. a malformed check file."""

        def __init__(self, message: str, generation: int, run: bool) -> None:
            super().__init__()
            self.message = message
            self.generation = generation
            self.run = run

    def __init__(self) -> None:
        super().__init__(name="verify")
        self.results: dict[Check, CheckResult] = {}
        self.catalog: Catalog | None = None
        self._check_nodes: dict[Check, TreeNode[object]] = {}
        self._file_nodes: dict[str, TreeNode[object]] = {}
        self._plans = 0  # generation of the latest plan request; older answers are dropped
        self._runs = 0  # likewise for runs

    def compose(self) -> ComposeResult:
        yield WorkbenchHeader()
        yield Static(id="verify-state")
        yield ProgressBar(id="verify-progress", show_eta=False)
        with Horizontal(id="verify"):
            yield CheckTree("checks", id="verify-tree")
            with VerticalScroll(id="verify-detail"):
                yield CheckDetail(id="verify-detail-body")
        yield Static(id="verify-message")
        yield Footer()

    def on_mount(self) -> None:
        tree = self.query_one(CheckTree)
        tree.show_root = False
        tree.focus()
        self.watch(self.app, "catalog", self._catalog_changed)
        self.watch(self.app, "problem", self._message)

    # -- planning ----------------------------------------------------------------------------

    def _catalog_changed(self, catalog: Catalog | None) -> None:
        if catalog is not None and self.app.session is not None:
            self._plans += 1
            self._plan(self.app.session, catalog, self._plans)

    @work(thread=True, group="verify-plan", exclusive=True, exit_on_error=False)
    def _plan(self, session: DbSession, catalog: Catalog, generation: int) -> None:
        try:
            with session.use("verify") as conn:
                suite = plan_suite(conn, self.app.project, catalog=catalog)
        except Exception as exc:  # every failure becomes a sentence on screen
            self.post_message(self.Failed(_describe(exc), generation, run=False))
            return
        self.post_message(self.Planned(suite.checks, suite.catalog, generation))

    def on_verify_screen_planned(self, message: Planned) -> None:
        if message.generation != self._plans:
            return
        if self.running:  # the schema changed under the run: its results would be stale
            self.action_stop()
            self._runs += 1
            self.running = False
        self.results = {}
        self.catalog = message.catalog
        self.checks = message.checks
        if not message.checks:
            where = self.app.project.checks_dir if self.app.project else "checks/ (open with --project DIR)"
            self._message(f"No checks yet: write .sql files in {where}; built-ins appear once there are tables.")
        else:
            self._message("")

    # -- running -----------------------------------------------------------------------------

    def start_run(self, checks: Sequence[Check]) -> None:
        """Run `checks` in a worker; their old results are dropped, the others kept."""
        session = self.app.session
        if session is None or not checks or self.running:
            return
        for check in checks:
            self.results.pop(check, None)
            self._relabel(check)
        self._runs += 1
        self.running = True
        self.query_one(ProgressBar).update(total=len(checks), progress=0)
        self._run(session, tuple(checks), self.catalog, self._runs)

    @work(thread=True, group="verify-run", exclusive=True, exit_on_error=False)
    def _run(self, session: DbSession, checks: tuple[Check, ...], catalog: Catalog | None, generation: int) -> None:
        worker = get_current_worker()
        try:
            with session.use("verify") as conn:
                for done, result in enumerate(run_checks(conn, checks, catalog=catalog), start=1):
                    self.post_message(self.CheckDone(result, done, len(checks), generation))
                    if worker.is_cancelled:
                        break
        except Exception as exc:  # every failure becomes a sentence on screen
            self.post_message(self.Failed(_describe(exc), generation, run=True))
        self.post_message(self.RunEnded(generation))

    def on_verify_screen_check_done(self, message: CheckDone) -> None:
        if message.generation != self._runs:
            return
        self.results[message.result.check] = message.result
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)
        if self.failures_only and (message.result.status in SHOWN_FAILING or not self._check_nodes):
            # a new failure to list, or the empty view's sentence to bring up to date
            self._fill_tree()
        else:
            self._relabel(message.result.check)
        self._show_state()
        self._show_detail()

    def on_verify_screen_run_ended(self, message: RunEnded) -> None:
        if message.generation == self._runs:
            self.running = False

    def on_verify_screen_failed(self, message: Failed) -> None:
        if message.generation == (self._runs if message.run else self._plans):
            self.running = False
            self._message(message.message)

    # -- showing -----------------------------------------------------------------------------

    def watch_checks(self) -> None:
        self._fill_tree()
        self.refresh_bindings()

    def watch_failures_only(self) -> None:
        self._fill_tree()

    def watch_running(self, running: bool) -> None:
        self.query_one(ProgressBar).display = running
        self._show_state()
        self.refresh_bindings()

    def _visible(self) -> list[Check]:
        if not self.failures_only:
            return list(self.checks)
        return [c for c in self.checks if c in self.results and self.results[c].status in SHOWN_FAILING]

    def _fill_tree(self) -> None:
        tree = self.query_one(CheckTree)
        selected = self.selected
        tree.clear()
        self._check_nodes, self._file_nodes = {}, {}
        for check in self._visible():
            if check.file not in self._file_nodes:
                self._file_nodes[check.file] = tree.root.add(check.file, data=check.file, expand=True)
            self._check_nodes[check] = self._file_nodes[check.file].add_leaf(
                tree.check_label(check, self.results.get(check)), data=check
            )
        for file in self._file_nodes:
            self._relabel_file(file)
        if self.failures_only and not self._check_nodes:
            tree.root.add_leaf(Text(self._no_failures(), style="italic"))  # an empty view says why it is empty
        target = self._check_nodes.get(selected) if isinstance(selected, Check) else self._file_nodes.get(str(selected))
        first = next(iter(self._file_nodes.values()), None)
        if target or first:
            tree.move_cursor(target or first)
        self._show_state()
        self._show_detail()

    def _relabel(self, check: Check) -> None:
        node = self._check_nodes.get(check)
        if node is not None:
            node.set_label(self.query_one(CheckTree).check_label(check, self.results.get(check)))
            self._relabel_file(check.file)

    def _relabel_file(self, file: str) -> None:
        node = self._file_nodes.get(file)
        if node is not None:
            results = [self.results.get(c) for c in self.checks if c.file == file]
            node.set_label(self.query_one(CheckTree).file_label(file, results))

    def _show_state(self) -> None:
        summary = Summary.of(self.results.values())
        waiting = len(self.checks) - summary.total
        parts = [
            f"{len(self.checks)} checks",
            f"{ICONS['pass']} {summary.passed}",
            f"{ICONS['fail']} {summary.failed}",
            f"{ICONS['error']} {summary.errors}",
            f"{ICONS['skipped']} {summary.skipped}",
            f"{waiting} not run",
        ]
        if self.failures_only:
            parts.append("failures only")
        if self.running:
            parts.append("running…")
        self.query_one("#verify-state", Static).update(" · ".join(parts))

    def _show_detail(self) -> None:
        detail = self.query_one(CheckDetail)
        selected = self.selected
        if isinstance(selected, Check):
            detail.show_check(selected, self.results.get(selected))
        elif isinstance(selected, str):
            detail.show_file(selected, [c for c in self._visible() if c.file == selected], self.results)
        elif self.failures_only:
            detail.update(self._no_failures().capitalize() + " (f shows every check).")
        else:
            detail.update("")

    def _no_failures(self) -> str:
        if not self.results:
            return "no failures yet: no check has run (v runs them all)"
        return "no failures: every check that ran passed"

    def _message(self, text: str) -> None:
        box = self.query_one("#verify-message", Static)
        box.display = bool(text)
        box.update(Text(text))

    @property
    def selected(self) -> object:
        """The check or file name under the tree's cursor, or None."""
        node = self.query_one(CheckTree).cursor_node
        return node.data if node is not None else None

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[object]) -> None:
        self._show_detail()

    # -- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that do nothing now are greyed out (None); Stop only shows during a run."""
        if action in ("run_all", "run_selected"):
            return None if self.running or not self.checks or self.app.session is None else True
        if action == "export":
            return None if self.running or not self.results else True
        if action == "stop":
            return self.running
        return True

    def action_run_all(self) -> None:
        """Run every check."""
        self.start_run(self.checks)

    def action_run_selected(self) -> None:
        """Run the highlighted check, or every check of the highlighted file."""
        selected = self.selected
        if isinstance(selected, Check):
            self.start_run([selected])
        elif isinstance(selected, str):
            self.start_run([c for c in self.checks if c.file == selected])

    def action_toggle_failures(self) -> None:
        """Show only the checks that failed or errored, or all of them again."""
        self.failures_only = not self.failures_only

    def action_stop(self) -> None:
        """Stop the running checks after the one in progress (its query is cancelled)."""
        if self.app.session is not None:
            self.app.session.cancel("verify")
        self.workers.cancel_group(self, "verify-run")

    def action_export(self) -> None:
        """Write the results as Markdown, JUnit XML or JSON."""

        def write(path: Path | None) -> None:
            if path is not None:
                self._export(path, [self.results[c] for c in self.checks if c in self.results])

        self.app.push_screen(ReportDialog(Path("verify-report.md")), write)

    @work(thread=True, group="verify-export", exit_on_error=False)
    def _export(self, path: Path, results: list[CheckResult]) -> None:
        try:
            path.write_text(report_text(path, results, self.app.connection_label), encoding="utf-8")
        except OSError as exc:
            self.app.call_from_thread(self.notify, f"Cannot write {path}: {exc.strerror or exc}", severity="error")
            return
        self.app.call_from_thread(
            self.notify, f"Wrote {len(results)} results to {path} ({REPORTS[path.suffix.lower()]})."
        )
