"""The guided rollback (`r` on the Migrations screen), one step at a time:

1. Target — one step back, or back to an earlier applied version;
2. Plan — per migration its way back (down script, automatic inverse, restore from backups), the
   tables at stake with rows now vs rows in the backup and rows written since the apply, and
   the migrations with no way back, with why;
3. Safety backup — copy the tables the rollback empties or drops first (on by default), so the
   rollback itself can be undone from the Backups screen;
4. Confirm — type the target version, or the profile's name when the profile is protected;
5. Run — with progress; a failure leaves the migration that failed as it was, and says so;
6. Summary — schema changes undone, rows restored per table, and the project's checks re-run.

Enter goes on, Backspace goes back (from the empty confirmation field too), Escape cancels up to
step 4 with nothing changed. Steps 1–4 only read. The run holds the session as "migrate" in a
thread worker; progress and results arrive as messages, and `SchemaChanged` tells the app to
read the catalog again. The wizard is dismissed with a `RollbackResult`, or None when cancelled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Checkbox, ContentSwitcher, OptionList, Static
from textual.widgets.option_list import Option

from workbench.checks.reports import ICONS as CHECK_ICONS
from workbench.checks.runner import CheckResult, Summary, run_checks
from workbench.checks.suite import plan_suite
from workbench.migrations.ledger import Status
from workbench.migrations.plan import Plan
from workbench.migrations.progress import Progress
from workbench.migrations.reports import RunReport
from workbench.migrations.service import Forecast, Overview, RollbackTarget, rollback_targets
from workbench.migrations.stakes import TableStake
from workbench.tui.messages import SchemaChanged
from workbench.tui.migration_state import service_for
from workbench.tui.screens.migrations import sql_syntax
from workbench.tui.widgets.confirm import PhraseInput, phrase_for, phrase_prompt
from workbench.tui.widgets.footer import Footer
from workbench.tui.widgets.plan_view import METHODS, NamedRows, PlanView
from workbench.tui.widgets.progress_panel import ProgressPanel
from workbench.tui.describe import describe as _describe

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.session import DbSession

STEPS = ("Target", "Plan", "Safety backup", "Confirm", "Run", "Summary")
TARGET, PLAN, SAFETY, CONFIRM, RUN, SUMMARY = range(len(STEPS))
PANES = ("step-target", "step-plan", "step-safety", "step-confirm", "step-run", "step-summary")


class StepIndicator(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"step-indicator--current", "step-indicator--done", "step-indicator--todo"}
    step: reactive[int] = reactive(0)

    def render(self) -> RenderableType:
        """Every step by number and name; where that does not fit in one line, only the current
        step keeps its name (never a bar cut after "5")."""
        full = self.bar(named=lambda i: True, gap="  ›  ")
        return full if full.cell_len <= self.size.width else self.bar(named=lambda i: i == self.step, gap=" › ")

    def bar(self, named: Callable[[int], bool], gap: str) -> Text:
        out = Text(no_wrap=True, overflow="fold")
        for i, name in enumerate(STEPS):
            state = "current" if i == self.step else "done" if i < self.step else "todo"
            if i:
                out.append(gap, style=self.get_component_rich_style("step-indicator--todo"))
            label = f" {i + 1} {name} " if named(i) else f" {i + 1} "
            out.append(label, style=self.get_component_rich_style(f"step-indicator--{state}"))
        return out


class StakesView(Widget):
    """Per migration: its way back, what it cannot undo, and each table at stake with its rows."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "stakes-view--heading",
        "stakes-view--refusal",
        "stakes-view--warning",
        "stakes-view--muted",
    }
    forecast: reactive[Forecast | None] = reactive(None, layout=True)

    def part(self, name: str) -> str:
        return str(self.get_component_rich_style(f"stakes-view--{name}"))

    def render(self) -> RenderableType:
        if self.forecast is None:
            return Text("Reading the plan…", style=self.part("muted"))
        parts: list[RenderableType] = []
        for m in self.forecast.plan.migrations:
            head = Text.assemble(
                (f"{m.version} {m.name}", self.part("heading")), f"  {METHODS.get(m.method, m.method)}"
            )
            if m.fallback:
                head.append(f"; if that fails, {m.fallback}", style=self.part("muted"))
            parts.append(head)
            if m.refusal:
                parts.append(Text(f"  No way back: {m.refusal}", style=self.part("refusal")))
            parts += [Text(f"  ! {w}", style=self.part("warning")) for w in m.named_warnings]
            rows = self.forecast.stakes.get(m.version, ())
            if rows:
                parts.append(self.table(rows))
            parts += self.carry(m.version)
            parts.append(Text(""))
        if self.forecast.rehearsal_problem:
            parts.append(Text(self.forecast.rehearsal_problem, style=self.part("refusal")))
        return Group(*parts)

    def carry(self, version: str) -> list[Text]:
        """Per table, the rows written since the apply that the rehearsal carried over, and each
        row it could not carry, named with why."""
        out = []
        for c in self.forecast.carried.get(version, ()) if self.forecast else ():
            if c.carried:
                out.append(
                    Text(f"  {c.table}: carries over {c.upserted:,} rows written and {c.deleted:,} deleted since")
                )
            if c.aside:
                out.append(
                    Text(f"  {c.table}: {len(c.aside):,} rows cannot be carried over:", style=self.part("warning"))
                )
                out += [Text(f"    {a}", style=self.part("warning")) for a in c.aside]
        return out

    def table(self, rows: tuple[TableStake, ...]) -> NamedRows:
        """Each table at stake with its rows; its name in full at any width."""
        headers = ("rows now", "in backup", "after apply", "written since", "")
        lines = []
        for s in rows:
            since = s.written_since
            fate = (
                "dropped with its rows"
                if s.dropped
                else "restored from the backup"
                if s.backup_rows is not None
                else ""
            )
            cells = (
                _count(s.rows_now, "gone"),
                _count(s.backup_rows, "—"),
                _count(s.rows_after_apply, "—"),
                Text(
                    f"{since:+,}" if since else "0" if since == 0 else "—", style=self.part("warning") if since else ""
                ),
                Text(fate, style=self.part("muted")),
            )
            lines.append((s.table, cells))
        return NamedRows(headers, lines, header_style=self.part("muted"))


def _count(n: int | None, none: str) -> str:
    return f"{n:,}" if n is not None else none


class RollbackWizard(ModalScreen[RunReport | None]):
    CSS_PATH = ["../styles/migrations.tcss", "../styles/rollback_wizard.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "next", "Next", priority=True),
        Binding("backspace,left", "back", "Back", key_display="⌫"),
        Binding("escape", "cancel", "Cancel"),
    ]

    app: WorkbenchApp
    step: reactive[int] = reactive(TARGET, init=False)
    running: reactive[bool] = reactive(False)

    class Forecasted(Message):
        def __init__(self, forecast: Forecast | None, problem: str, generation: int) -> None:
            super().__init__()
            self.forecast = forecast
            self.problem = problem
            self.generation = generation

    class Progressed(Message):
        def __init__(self, progress: Progress) -> None:
            super().__init__()
            self.progress = progress

    class Ran(Message):
        """The run ended: a result (ok or failed), or `problem` when it could not start."""

        def __init__(self, result: RunReport | None, problem: str = "") -> None:
            super().__init__()
            self.result = result
            self.problem = problem

    class ChecksRan(Message):
        def __init__(self, results: tuple[CheckResult, ...] | None, problem: str = "") -> None:
            super().__init__()
            self.results = results  # None: the project has no checks
            self.problem = problem

    def __init__(self, overview: Overview, selected: Status | None = None) -> None:
        super().__init__()
        self.choices = rollback_targets(overview.applied)
        self.preselect = 0
        if selected is not None and selected in overview.applied and selected is not overview.applied[0]:
            self.preselect = next(i for i, c in enumerate(self.choices) if c.to == selected.version)
        self.target: RollbackTarget | None = None
        self.forecast: Forecast | None = None
        self.result: RunReport | None = None
        self._forecasts = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wizard"):
            yield StepIndicator(id="wizard-steps")
            with ContentSwitcher(initial=PANES[TARGET], id="wizard-body"):
                with Vertical(id=PANES[TARGET]):
                    yield Static(
                        "How far back? Migrations are undone newest first; the version named stays applied.",
                        classes="wizard-lead",
                    )
                    yield OptionList(
                        *(Option(Text(c.label), id=str(i)) for i, c in enumerate(self.choices)), id="wizard-targets"
                    )
                with VerticalScroll(id=PANES[PLAN]):
                    yield StakesView(id="wizard-stakes")
                    yield Static(id="wizard-plan")
                    yield PlanView(Plan("down", ()), id="wizard-plan-steps")
                with Vertical(id=PANES[SAFETY]):
                    yield Checkbox("Take a safety backup of the affected tables first", True, id="wizard-safety")
                    yield Static(id="wizard-safety-detail", classes="wizard-lead")
                    yield Checkbox(
                        "Keep rows that cannot be carried over in the side table", True, id="wizard-keep-aside"
                    )
                with Vertical(id=PANES[CONFIRM]):
                    yield Static(id="wizard-confirm-summary")
                    yield Static(id="wizard-confirm-prompt", classes="confirm-prompt")
                    yield PhraseInput(id="wizard-phrase")
                    yield Static(id="wizard-confirm-error", classes="dialog-error")
                with VerticalScroll(id=PANES[RUN]):
                    yield ProgressPanel(id="wizard-progress")
                    yield Static(id="wizard-run")
                with VerticalScroll(id=PANES[SUMMARY]):
                    yield Static(id="wizard-summary")
                    yield Static(id="wizard-checks")
            yield Static(id="wizard-hint", classes="dialog-hint")
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.preselect
        options.focus()
        self._show_step()

    # -- moving between steps ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Next only when the step allows it; Back in steps 2–4; Escape except while running."""
        step = self.step
        if action == "next":
            if step == PLAN:
                return True if self.forecast is not None and not self.forecast.plan.refused else None
            if step == RUN:
                return True if self.result is not None and not self.running else None
            return True
        if action == "back":
            return PLAN <= step <= CONFIRM
        if action == "cancel":
            return None if self.running else True
        return True

    def action_next(self) -> None:
        """Go on to the next step."""
        if not self.check_action("next", ()):
            return
        step = self.step
        if step == TARGET:
            index = self.query_one(OptionList).highlighted
            if index is None:
                return
            choice = self.choices[index]
            if choice != self.target:
                self.target, self.forecast = choice, None
                self._start_forecast(choice)
            self.step = PLAN
        elif step in (PLAN, SAFETY):
            self.step += 1
        elif step == CONFIRM:
            self._confirm()
        elif step == RUN:
            if self.result is not None and self.result.ok:
                self.step = SUMMARY
            else:
                self.dismiss(self.result)
        elif step == SUMMARY:
            self.dismiss(self.result)

    def action_back(self) -> None:
        """Back to the previous step; nothing has run yet."""
        if PLAN <= self.step <= CONFIRM:
            self.step -= 1

    def action_cancel(self) -> None:
        """Cancel before the run (nothing changed), or close once it is over."""
        if self.running:
            return
        self.dismiss(self.result if self.step >= RUN else None)

    def on_phrase_input_back_requested(self) -> None:
        self.action_back()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_next()

    def watch_step(self) -> None:
        self._show_step()

    def _show_step(self) -> None:
        step = self.step
        self.query_one(StepIndicator).step = step
        self.query_one(ContentSwitcher).current = PANES[step]
        hints = {
            TARGET: "↑↓ choose · Enter: see the plan · Escape cancels, nothing is changed",
            PLAN: "Enter: next · Backspace: back · Escape cancels, nothing is changed",
            SAFETY: "Space turns it on or off · Enter: next · Backspace: back · Escape cancels",
            CONFIRM: "Enter rolls back · Backspace on the empty field: back · Escape cancels, nothing is changed",
            RUN: "Rolling back…",
            SUMMARY: "Enter or Escape closes",
        }
        self.query_one("#wizard-hint", Static).update(hints[step])
        if step == TARGET:
            self.query_one(OptionList).focus()
        elif step == PLAN:
            self.query_one(f"#{PANES[PLAN]}").focus()
        elif step == SAFETY:
            self._show_safety()
            self.query_one("#wizard-safety", Checkbox).focus()
        elif step == CONFIRM:
            self._show_confirm()
            self.query_one(PhraseInput).focus()
        self.refresh_bindings()

    # -- step 2: the plan --------------------------------------------------------------------

    def _start_forecast(self, target: RollbackTarget) -> None:
        self._forecasts += 1
        self.query_one(StakesView).forecast = None
        self.query_one("#wizard-plan", Static).update("")
        self.query_one(PlanView).display = False
        session = self.app.session
        if session is not None:
            self._forecast(session, target, self._forecasts)

    @work(thread=True, group="wizard-forecast", exclusive=True, exit_on_error=False)
    def _forecast(self, session: DbSession, target: RollbackTarget, generation: int) -> None:
        try:
            with session.use("migrate") as conn:
                forecast = service_for(conn, self.app.project).forecast(target)
        except Exception as exc:  # every failure becomes a sentence on screen
            self.post_message(self.Forecasted(None, _describe(exc), generation))
            return
        self.post_message(self.Forecasted(forecast, "", generation))

    def on_rollback_wizard_forecasted(self, message: Forecasted) -> None:
        if message.generation != self._forecasts:
            return
        self.forecast = message.forecast
        if message.forecast is None:
            self.query_one("#wizard-plan", Static).update(Text(message.problem))
            return
        self.query_one(StakesView).forecast = message.forecast
        plan_box = self.query_one("#wizard-plan", Static)
        if message.forecast.plan.refused:
            plan_box.update(
                Text(
                    "Nothing can be rolled back this far: the migrations above have no way back. "
                    "Go back (Backspace) and choose a nearer target, or Escape.",
                    style="bold",
                )
            )
        else:
            plan_box.update(Text("Steps, in the order they run:", style="bold"))
            steps = self.query_one(PlanView)
            steps.plan = message.forecast.plan
            steps.display = True
            steps.refresh(layout=True)
        self.refresh_bindings()

    # -- step 3: the safety backup -----------------------------------------------------------

    def _show_safety(self) -> None:
        tables = self.forecast.tables_now if self.forecast else []
        lines = [
            Text(
                "It copies the rows these tables hold now into backup tables before anything changes, "
                "rows written since the apply included, so this rollback can itself be undone from the "
                "Backups screen (b). It costs the time and space of one copy of each."
            )
        ]
        if tables:
            lines.append(Text(""))
            for s in tables:
                since = s.written_since
                extra = f", {since:+,} since the apply" if since else ""
                lines.append(Text(f"  {s.table}  {s.rows_now:,} rows{extra}"))
        aside = self.forecast.set_aside if self.forecast else []
        keep = self.query_one("#wizard-keep-aside", Checkbox)
        keep.display = bool(aside)
        if aside:
            keep.label = f"Keep the {len(aside):,} rows that cannot be carried over in the side table (else stop)"
        self.query_one("#wizard-safety-detail", Static).update(Group(*lines))

    @property
    def keep_aside(self) -> bool:
        """The user's choice for rows that cannot be carried over: the side table, or stop."""
        return self.query_one("#wizard-keep-aside", Checkbox).value

    # -- step 4: confirmation ----------------------------------------------------------------

    @property
    def phrase(self) -> str:
        assert self.target is not None
        return phrase_for(self.app.target, self.target.to) or self.target.to

    def _show_confirm(self) -> None:
        target, forecast = self.target, self.forecast
        assert target is not None and forecast is not None
        safety = self.query_one("#wizard-safety", Checkbox).value
        ways = "; ".join(f"{m.version} {m.name} {METHODS.get(m.method, m.method)}" for m in forecast.plan.migrations)
        lost = forecast.rows_not_kept
        lines = [
            Text.assemble("Roll back ", (ways, "bold"), f" on {self.app.connection_label}."),
            Text(
                f"Afterwards the newest applied migration is {target.to}."
                if target.to != "0"
                else "Afterwards no migration is applied."
            ),
            Text(
                "A safety backup of the affected tables is taken first."
                if safety
                else "No safety backup: rows written since the apply cannot be recovered afterwards."
            ),
        ]
        if lost:
            lines.append(Text(f"Rows written since the apply that the rollback does not keep: {', '.join(lost)}."))
        aside = len(forecast.set_aside)
        if aside:
            lines.append(
                Text(
                    f"{aside:,} rows written since the apply cannot be carried over: they go to the side table."
                    if self.keep_aside
                    else f"{aside:,} rows written since the apply cannot be carried over: the rollback stops "
                    "and nothing changes."
                )
            )
        self.query_one("#wizard-confirm-summary", Static).update(Group(*lines))
        self.query_one("#wizard-confirm-prompt", Static).update(
            Text(
                phrase_prompt(
                    self.app.target,
                    self.phrase,
                    f"roll back to {target.to}" if self.phrase == target.to else "roll back",
                )
            )
        )
        self.query_one("#wizard-confirm-error", Static).update("")
        self.query_one(PhraseInput).placeholder = self.phrase

    def _confirm(self) -> None:
        box = self.query_one(PhraseInput)
        if box.value.strip() != self.phrase:
            self.query_one("#wizard-confirm-error", Static).update(
                Text(f"Type {self.phrase} exactly to go on, or press Escape: nothing has changed.")
            )
            return
        session = self.app.session
        assert self.target is not None
        if session is None:
            return
        self.step = RUN
        self.running = True
        self.query_one(ProgressPanel).start(f"rolling back {', '.join(s.version for s in self.target.undo)}…")
        self.query_one("#wizard-run", Static).update("")
        self._run(session, self.target, self.query_one("#wizard-safety", Checkbox).value, self.keep_aside)

    # -- step 5: the run ---------------------------------------------------------------------

    @work(thread=True, group="wizard-run", exclusive=True, exit_on_error=False)
    def _run(self, session: DbSession, target: RollbackTarget, safety: bool, keep_aside: bool) -> None:
        try:
            with session.use("migrate") as conn:
                svc = service_for(conn, self.app.project, progress=lambda p: self.post_message(self.Progressed(p)))
                report = svc.rollback_to(target, safety_backup=safety, keep_aside=keep_aside)
        except Exception as exc:  # refused, a lock held elsewhere, a lost connection: one sentence
            self.post_message(self.Ran(None, _describe(exc)))
            return
        self.post_message(self.Ran(report))
        self.post_message(SchemaChanged())
        if report.ok:
            self._recheck(session)

    def _recheck(self, session: DbSession) -> None:
        """Run the project's own checks against the rolled-back database (still on the worker)."""
        project = self.app.project
        try:
            if project is None or not project.checks_dir.is_dir():
                self.post_message(self.ChecksRan(None))
                return
            with session.use("migrate") as conn:
                suite = plan_suite(conn, project, builtins=False)
                results = tuple(run_checks(conn, suite.checks, catalog=suite.catalog)) if suite.checks else None
        except Exception as exc:
            self.post_message(self.ChecksRan(None, _describe(exc)))
            return
        self.post_message(self.ChecksRan(results))

    def on_rollback_wizard_progressed(self, message: Progressed) -> None:
        self.query_one(ProgressPanel).advance(message.progress)

    def on_rollback_wizard_ran(self, message: Ran) -> None:
        self.running = False
        self.query_one(ProgressPanel).display = False
        self.result = message.result
        if message.result is None:
            self.query_one("#wizard-run", Static).update(
                Group(
                    Text("✗ The rollback did not start", style="bold"),
                    Text(message.problem),
                    Text("\nNothing was changed."),
                )
            )
        elif message.result.ok:
            self._show_summary(message.result)
            self.step = SUMMARY
            return
        else:
            self.query_one("#wizard-run", Static).update(self._failure(message.result))
        self.query_one("#wizard-hint", Static).update("Enter or Escape closes")
        self.refresh_bindings()

    def _failure(self, report: RunReport) -> RenderableType:
        """The engine's report of the failed rollback, with the failing statement highlighted."""
        failure = report.failure
        assert failure is not None
        lines = report.lines()
        parts: list[RenderableType] = [Text(f"✗ {failure.describe()}", style="bold")]
        if failure.sql:
            parts.append(sql_syntax(failure.sql, self.app.current_theme.dark))
        parts += [Text(line) for line in lines if not line.startswith("✗")]
        return Group(*parts)

    # -- step 6: the summary -----------------------------------------------------------------

    def _show_summary(self, report: RunReport) -> None:
        lines = report.lines()
        parts: list[RenderableType] = [Text(lines[0], style="bold"), *(Text(line) for line in lines[1:])]
        self.query_one("#wizard-summary", Static).update(Group(*parts))
        self.query_one("#wizard-checks", Static).update(Text("\nRe-running the project's checks…"))

    def on_rollback_wizard_checks_ran(self, message: ChecksRan) -> None:
        box = self.query_one("#wizard-checks", Static)
        if message.problem:
            box.update(Text(f"\nThe checks could not run: {message.problem}"))
            return
        if message.results is None:
            box.update(Text("\nThe project has no verification checks to re-run."))
            return
        summary = Summary.of(message.results)
        parts: list[RenderableType] = [Text(f"\nChecks: {summary.line()}", style="bold")]
        for r in message.results:
            if r.status in ("fail", "error"):
                detail = r.error or f"expected {r.expected}, got {r.actual}"
                parts.append(Text(f"  {CHECK_ICONS[r.status]} {r.name}: {detail}"))
        box.update(Group(*parts))
