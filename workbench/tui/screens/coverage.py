"""Coverage (`4`): which use cases the schema supports, the scenario pass rate, and what is missing.

At the top, counts per status and the scenario pass rate as bars. Below, one row per use case
(id, title, status, requirements met, scenarios passed), filtered by status with `f` and sorted
with `s`. Enter drills into a use case: every requirement ✓/✗ with its reason and rename hint,
every scenario with the step that stopped it. `t` shows coverage per migration.

Measuring runs in a thread worker holding the session as "coverage": the catalog the app already
has, plus the scenarios (each file in a transaction that is always rolled back), with progress
per scenario file. It runs when the screen first sees a catalog, after every catalog refresh
(a migration applied elsewhere changes the answer) and on `r`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from collections.abc import Callable

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Static

from workbench.coverage.results import (
    STATUSES,
    Coverage,
    ScenarioResult,
    Summary,
    UseCaseResult,
)
from workbench.coverage.suite import SCENARIOS_HELD_BACK, load_suite, measure
from workbench.coverage.timeline import Timeline, coverage_timeline
from workbench.db.catalog import Catalog
from workbench.tui.screens.base import WorkbenchScreen
from workbench.tui.widgets.footer import Footer
from workbench.tui.widgets.header import WorkbenchHeader
from workbench.tui.widgets.progress_bar import ProgressBar
from workbench.tui.widgets.info_table import InfoTable
from workbench.tui.describe import describe as _describe

if TYPE_CHECKING:
    from workbench.project import Project
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.session import DbSession

FILTERS = ("all", *(str(s) for s in STATUSES))
SORTS: dict[str, Callable[[UseCaseResult], tuple[Any, ...]]] = {
    "id": lambda r: _natural(r.use_case.id),
    "status": lambda r: (list(reversed(STATUSES)).index(r.status), _natural(r.use_case.id)),
    "requirements": lambda r: (r.met_count / max(len(r.structural), 1), _natural(r.use_case.id)),
    "scenarios": lambda r: (r.scenarios_passed / max(len(r.scenarios), 1), _natural(r.use_case.id)),
}
MARK = {True: "✓", False: "✗"}


def _natural(text: str) -> tuple[object, ...]:
    """`UC-2` before `UC-10`."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


class Bars(Widget):
    """Horizontal bars in the theme's colours: one per status, and the scenario pass rate.

    Colours come from the component classes in coverage.tcss, never from code.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"bars--{s}" for s in STATUSES),
        "bars--scenarios",
        "bars--empty",
        "bars--label",
    }
    LABEL = 10

    def bar(self, label: str, part: int, whole: int, style: str, note: str) -> Text:
        """One line: label, a bar `part/whole` of the available width, then `note`."""
        width = max(self.size.width - self.LABEL - len(note) - 2, 10)
        filled = round(width * part / whole) if whole else 0
        return Text.assemble(
            (f"{label:<{self.LABEL}}", self.get_component_rich_style("bars--label")),
            ("█" * filled, self.get_component_rich_style(style)),
            ("░" * (width - filled), self.get_component_rich_style("bars--empty")),
            f" {note}",
        )


class CoverageBars(Bars):
    summary: reactive[Summary | None] = reactive(None, layout=True)

    def render(self) -> RenderableType:
        s = self.summary
        if s is None:
            return Text("")
        lines = [
            self.bar(str(status), s.count(status), s.use_cases, f"bars--{status}", f"{s.count(status):>4}")
            for status in STATUSES
        ]
        lines.append(self.bar("scenarios", s.scenarios_passed, s.scenarios_total, "bars--scenarios", s.pass_rate))
        return Text("\n").join(lines)


class CoverageScreen(WorkbenchScreen):
    CSS_PATH = "../styles/coverage.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "cycle_filter", "Filter status"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("t", "timeline", "Per migration"),
        Binding("r", "measure", "Run again"),
    ]

    app: WorkbenchApp
    coverage: reactive[Coverage | None] = reactive(None)
    status_filter: reactive[str] = reactive("all")
    sort_by: reactive[str] = reactive("id")
    running: reactive[bool] = reactive(False)

    class Measured(Message):
        def __init__(self, coverage: Coverage, generation: int) -> None:
            super().__init__()
            self.coverage = coverage
            self.generation = generation

    class Failed(Message):
        def __init__(self, message: str, generation: int) -> None:
            super().__init__()
            self.message = message
            self.generation = generation

    class Progress(Message):
        """`done` of `total` scenario files have run."""

        def __init__(self, done: int, total: int, generation: int) -> None:
            super().__init__()
            self.done = done
            self.total = total
            self.generation = generation

    def __init__(self) -> None:
        super().__init__(name="coverage")
        self._generation = 0

    def compose(self) -> ComposeResult:
        yield WorkbenchHeader()
        yield CoverageBars(id="coverage-bars")
        yield Static(id="coverage-state")
        yield ProgressBar(id="coverage-progress", show_eta=False)
        yield InfoTable("use case", "title", "status", "requirements", "scenarios", id="use-cases")
        yield Static(id="coverage-message")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "catalog", self._catalog_changed)
        self.watch(self.app, "problem", self._problem_changed)
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        """Status cells take the theme's colours: refill once its stylesheet has been applied."""
        self.call_after_refresh(self._fill_table)

    # -- measuring ---------------------------------------------------------------------------

    @property
    def use_cases_file(self) -> Path | None:
        return self.app.project.use_cases_file if self.app.project is not None else None

    def _catalog_changed(self, catalog: Catalog | None) -> None:
        if catalog is not None:
            self.action_measure()

    def _problem_changed(self, problem: str) -> None:
        if problem:
            self._message(problem)

    def action_measure(self) -> None:
        """Evaluate the use cases and run the scenarios again."""
        session, catalog, path = self.app.session, self.app.catalog, self.use_cases_file
        if session is None or catalog is None:
            return
        if path is None or not path.is_file():
            self._message(
                f"No use cases: {path or 'use_cases.toml'} not found. Write one (the bundled sample has "
                "an example) or open the workbench with --project DIR."
            )
            return
        self._generation += 1
        self.running = True
        self._measure(session, catalog, path, self._generation)

    @work(thread=True, group="coverage", exclusive=True, exit_on_error=False)
    def _measure(self, session: DbSession, catalog: Catalog, path: Path, generation: int) -> None:
        try:
            suite = load_suite(path, dialect=session.backend)

            def progress(done: int, total: int) -> None:
                self.post_message(self.Progress(done, total, generation))

            with session.use("coverage") as conn:
                coverage = measure(
                    conn, suite, catalog=catalog, scenarios=not self.app.target.protected, progress=progress
                )
        except Exception as exc:  # every failure becomes a sentence on screen
            self.post_message(self.Failed(_describe(exc), generation))
            return
        self.post_message(self.Measured(coverage, generation))

    def on_coverage_screen_progress(self, message: Progress) -> None:
        if message.generation == self._generation:
            self.query_one(ProgressBar).update(total=message.total, progress=message.done)

    def on_coverage_screen_measured(self, message: Measured) -> None:
        if message.generation == self._generation:
            self.running = False
            target = self.app.target
            held_back = SCENARIOS_HELD_BACK.format(profile=target.protected_by.name) if target.protected_by else ""
            self._message(held_back + (" (run them from the command line with --run-scenarios)" if held_back else ""))
            self.coverage = message.coverage

    def on_coverage_screen_failed(self, message: Failed) -> None:
        if message.generation == self._generation:
            self.running = False
            self._message(message.message)

    def _message(self, text: str) -> None:
        box = self.query_one("#coverage-message", Static)
        box.display = bool(text)
        box.update(text)

    # -- showing -----------------------------------------------------------------------------

    def watch_running(self, running: bool) -> None:
        bar = self.query_one(ProgressBar)
        bar.display = running
        if running:
            bar.update(total=None, progress=0)
        self._show_state()
        self.refresh_bindings()

    def watch_coverage(self, coverage: Coverage | None) -> None:
        self.query_one(CoverageBars).summary = coverage.summary if coverage else None
        self._fill_table()
        self.refresh_bindings()

    def watch_status_filter(self) -> None:
        self._fill_table()

    def watch_sort_by(self) -> None:
        self._fill_table()

    def _show_state(self) -> None:
        state = f"filter: {self.status_filter} · sort: {self.sort_by}"
        if self.running:
            state += " · running scenarios…"
        self.query_one("#coverage-state", Static).update(state)

    def _fill_table(self) -> None:
        self._show_state()
        table = self.query_one(InfoTable)
        selected = self.selected
        bars = self.query_one(CoverageBars)
        rows = sorted(self.visible_results, key=SORTS[self.sort_by])
        table.fill(
            (
                (
                    r.use_case.id + (" *" if r.use_case.required else ""),
                    r.use_case.title,
                    # the colour only: the row's own background (the cursor's, when selected) stays under it
                    Text(str(r.status), style=bars.get_component_rich_style(f"bars--{r.status}", partial=True)),
                    f"{r.met_count}/{len(r.structural)}",
                    f"{r.scenarios_passed}/{len(r.scenarios)}",
                )
                for r in rows
            ),
            keys=[r.use_case.id for r in rows],
        )
        ids = [r.use_case.id for r in rows]
        if selected is not None and selected.use_case.id in ids:
            table.move_cursor(row=ids.index(selected.use_case.id))

    @property
    def visible_results(self) -> list[UseCaseResult]:
        if self.coverage is None:
            return []
        return [r for r in self.coverage.use_cases if self.status_filter in ("all", r.status)]

    @property
    def selected(self) -> UseCaseResult | None:
        """The use case under the table's cursor."""
        table = self.query_one(DataTable)
        if self.coverage is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.coverage.get(key) if key else None

    # -- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("cycle_filter", "cycle_sort"):
            return self.coverage is not None
        if action == "measure":
            return not self.running and self.app.session is not None
        if action == "timeline":
            return self.app.session is not None and self.app.project is not None
        return True

    def action_cycle_filter(self) -> None:
        """Show only use cases of the next status (all → full → strong → partial → gap)."""
        self.status_filter = FILTERS[(FILTERS.index(self.status_filter) + 1) % len(FILTERS)]

    def action_cycle_sort(self) -> None:
        """Sort by the next column (id, status, requirements met, scenarios passed)."""
        keys = list(SORTS)
        self.sort_by = keys[(keys.index(self.sort_by) + 1) % len(keys)]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if self.coverage is not None and event.row_key.value:
            result = self.coverage.get(event.row_key.value)
            if result is not None:
                self.app.push_screen(UseCaseScreen(result))

    def action_timeline(self) -> None:
        """Coverage after each migration, computed on a scratch copy of the database."""
        self.app.push_screen(TimelineScreen())


class UseCaseScreen(Screen[None]):
    """One use case: each requirement ✓/✗ with what is missing, each scenario's result."""

    CSS_PATH = "../styles/coverage.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,b", "app.pop_screen", "Back", key_display="Esc")]

    def __init__(self, result: UseCaseResult) -> None:
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        yield WorkbenchHeader()
        with VerticalScroll(id="use-case-detail"):
            yield Static(self._heading(), id="use-case-heading")
            yield Static(self._requirements(), id="use-case-requirements")
            yield Static(self._scenarios(), id="use-case-scenarios")
        yield Footer()

    def _heading(self) -> Text:
        u = self.result.use_case
        text = Text.assemble((f"{u.id} — {u.title}", "bold"), "  ", (str(self.result.status), "reverse"))
        who = " · ".join(x for x in (u.group, u.persona, "required: must be full" if u.required else None) if x)
        if who:
            text.append(f"\n{who}")
        if u.description:
            text.append(f"\n{u.description}")
        return text

    def _requirements(self) -> RenderableType:
        table = Table(title="Requirements", title_justify="left", expand=True, show_edge=False)
        for heading in ("", "kind", "needs", "what is missing"):
            table.add_column(heading, ratio=4 if heading == "what is missing" else None)
        for r in self.result.requirements:
            req = r.requirement
            missing = "" if r.met else r.detail or ""
            if r.hint:
                missing += f" — {r.hint}"
            kind = req.kind.replace("_", " ") + (" (nice to have)" if req.nice_to_have else "")
            table.add_row(Text(MARK[r.met], style="bold"), kind, req.label, missing)
        if not self.result.requirements:
            return Text("No structural requirements.")
        return table

    def _scenarios(self) -> RenderableType:
        if not self.result.scenarios:
            return Text("\nNo scenarios: a use case is full only when scenarios prove it.")
        parts: list[RenderableType] = [Text("\nScenarios", style="italic")]
        for s in self.result.scenarios:
            parts.append(Text.assemble((MARK[s.passed], "bold"), f" {s.name}  ", (s.where, "dim")))
            parts.extend(_step_lines(s))
        return Group(*parts)


def _step_lines(scenario: ScenarioResult) -> list[Text]:
    step = scenario.failed_step
    if step is None:
        return []
    where = f"line {step.line}" if step.label == f"line {step.line}" else f"{step.label} (line {step.line})"
    if step.status == "error" and step.error:
        return [Text(f"    stopped at {where}: error: {step.error}")]
    return [Text(f"    stopped at {where}: expected {step.expected}, got {step.actual}")]


class TimelineScreen(Screen[None]):
    """Coverage after each migration: a bar per migration and the use cases each one moved."""

    CSS_PATH = "../styles/coverage.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,b", "app.pop_screen", "Back", key_display="Esc")]

    app: WorkbenchApp
    timeline: reactive[Timeline | None] = reactive(None)

    class Computed(Message):
        def __init__(self, timeline: Timeline) -> None:
            super().__init__()
            self.timeline = timeline

    class Failed(Message):
        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    class Progress(Message):
        """Step `done` of `total` of the replay; `text` says which, for people."""

        def __init__(self, done: int, total: int, text: str) -> None:
            super().__init__()
            self.done = done
            self.total = total
            self.text = text

    def compose(self) -> ComposeResult:
        yield WorkbenchHeader()
        yield Static("Copying the database and applying each migration to the copy…", id="timeline-state")
        with VerticalScroll(id="timeline"):
            yield TimelineChart(id="timeline-chart")
            yield Static(id="timeline-moves")
        yield Footer()

    def on_mount(self) -> None:
        app = self.app
        if app.session is not None and app.project is not None:
            self._compute(app.session, app.project)

    @work(thread=True, group="coverage-timeline", exclusive=True, exit_on_error=False)
    def _compute(self, session: DbSession, project: Project) -> None:
        try:
            suite = load_suite(project.use_cases_file, dialect=session.backend)

            def progress(done: int, total: int, text: str) -> None:
                self.post_message(self.Progress(done, total, text))

            with session.use("coverage") as conn:
                timeline = coverage_timeline(conn, project.migrations_dir, suite, progress=progress)
        except Exception as exc:  # every failure becomes a sentence on screen
            self.post_message(self.Failed(_describe(exc)))
            return
        self.post_message(self.Computed(timeline))

    def on_timeline_screen_progress(self, message: Progress) -> None:
        self.query_one("#timeline-state", Static).update(f"step {message.done} of {message.total}: {message.text}…")

    def on_timeline_screen_failed(self, message: Failed) -> None:
        self.query_one("#timeline-state", Static).update(Text(message.message, style="bold"))

    def on_timeline_screen_computed(self, message: Computed) -> None:
        self.timeline = message.timeline

    def watch_timeline(self, timeline: Timeline | None) -> None:
        if timeline is None:
            return
        state = f"{len(timeline.points) - 1} migrations replayed on a scratch copy; your database is untouched"
        extra = "".join(f"\n{text}" for text in (timeline.note, timeline.problem) if text)
        self.query_one("#timeline-state", Static).update(state + extra)
        self.query_one(TimelineChart).timeline = timeline
        self.query_one("#timeline-moves", Static).update(_moves_table(timeline))


class TimelineChart(Bars):
    """One stacked bar per point in the migration history: full, strong, partial, gap."""

    timeline: reactive[Timeline | None] = reactive(None, layout=True)
    LABEL = 28

    def render(self) -> RenderableType:
        timeline = self.timeline
        if timeline is None:
            return Text("")
        lines = []
        for point in timeline.points:
            s = point.coverage.summary
            width = max(self.size.width - self.LABEL - 24, 10)
            text = Text(f"{point.label[: self.LABEL - 1]:<{self.LABEL}}", self.get_component_rich_style("bars--label"))
            used = 0
            for status in STATUSES:
                cells = round(width * s.count(status) / s.use_cases) if s.use_cases else 0
                cells = min(cells, width - used)
                used += cells
                text.append("█" * cells, self.get_component_rich_style(f"bars--{status}"))
            text.append("░" * (width - used), self.get_component_rich_style("bars--empty"))
            text.append(f" {s.full} full · {s.pass_rate}")
            lines.append(text)
        legend = Text("  ".join(f"█ {status}" for status in STATUSES))
        for status in STATUSES:
            legend.highlight_words([f"█ {status}"], self.get_component_rich_style(f"bars--{status}"))
        return Text("\n").join([*lines, Text(""), legend])


def _moves_table(timeline: Timeline) -> RenderableType:
    moves = timeline.moves()
    if not moves:
        return Text("\nNo migration changed the status of a use case.")
    table = Table(title="\nWhat each migration moved", title_justify="left", expand=True, show_edge=False)
    for heading in ("migration", "use case", "before", "after", "now met"):
        table.add_column(heading)
    for move in moves:
        table.add_row(
            move.point.label,
            f"{move.after.use_case.id} {move.after.use_case.title}",
            str(move.before.status),
            Text(str(move.after.status), style=Style(bold=True)),
            ", ".join(move.newly_met) or "scenarios",
        )
    return table
