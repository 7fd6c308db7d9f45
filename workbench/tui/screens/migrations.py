"""Migrations (`2`): every migration with its state, what each one does, and the ways to apply
and undo them.

Once the list is shown, a worker replays the applied migrations on a scratch database on a
connection of its own (`diff.drift`) and, when the schema differs from what they produce (changed
by hand), the message line says so (unless a failed apply has more urgent news) and `d` shows
that diff.

Left, the migrations oldest first: state (applied, pending, failed, drifted, no way back),
applied-at, duration and the backups it took. Right, the highlighted one: what the ledger
recorded (for a failed one, the statement and the database's error), each statement's class,
tables and lint findings, and its SQL. `p` shows a plan, `a` applies the next migration and `A`
every one up to the highlighted, each after a confirmation that lists the backups to be taken
(and the profile's name typed, when it is protected); `r` opens the rollback wizard, `b` the
backups.

Every database call runs in a thread worker holding the session as "migrate"; progress, results
and failures come back as messages. After anything that changes the database the screen posts
`SchemaChanged`: the app reads the catalog again, and this screen reloads when it arrives.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, ClassVar

from rich.console import RenderableType
from rich.padding import Padding
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from workbench.db import connect
from workbench.db.catalog import Catalog
from workbench.db.registry import backend_for
from workbench.diff.drift import Drift, schema_drift
from workbench.migrations.analysis import Statements
from workbench.migrations.baseline import Baselined
from workbench.migrations.ledger import PARTIAL, Status
from workbench.migrations.lint import Finding
from workbench.migrations.plan import Plan
from workbench.migrations.progress import Progress
from workbench.migrations.reports import RunReport
from workbench.migrations.service import NO_WAY_BACK, Overview, canonical, statement_analysis
from workbench.tui.messages import SchemaChanged
from workbench.tui.migration_state import duration, service_for, size, when
from workbench.tui.screens.base import WorkbenchScreen
from workbench.tui.widgets.confirm import ConfirmDialog, phrase_for
from workbench.tui.widgets.document import Document
from workbench.tui.widgets.footer import Footer
from workbench.tui.widgets.header import WorkbenchHeader
from workbench.tui.widgets.info_table import InfoTable, wrapped
from workbench.tui.widgets.plan_view import METHODS, PlanView
from workbench.tui.widgets.progress_panel import ProgressPanel
from workbench.tui.describe import describe as _describe

if TYPE_CHECKING:
    from collections.abc import Callable

    from workbench.migrations.service import MigrationService
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.session import DbSession

ICONS = {"applied": "✓", "pending": "○", "failed": "✗", "drifted": "~", NO_WAY_BACK: "⊘"}
COLUMNS = ("version", "name", "state", "applied (UTC)", "took", "backups")
SHOWN = 300  # statement lines and script lines in the detail: drawn on the UI thread
NAME_WIDTH = 36  # a longer name wraps in the list, which keeps the backups column in view at 160 columns


def sql_syntax(sql: str, dark: bool) -> Text:
    """SQL highlighted in the terminal's own palette, so it follows light and dark themes.

    Highlighted once, here: a `Syntax` runs the lexer again each time it is measured or drawn
    (twice on a screen's first frame, 0.2 s for 300 lines). The last few texts are kept: the detail
    shows the same script again when its analysis arrives and whenever the cursor comes back to it.
    """
    return _highlighted(sql.strip(), dark).copy()


@lru_cache(maxsize=8)
def _highlighted(code: str, dark: bool) -> Text:
    syntax = Syntax(
        code, "sql", theme="ansi_dark" if dark else "ansi_light", background_color="default", word_wrap=True
    )
    text = syntax.highlight(code)
    text.rstrip()  # the lexer's own final newline, which `Syntax` drops when it draws
    return text


def prepare(backend: str) -> None:
    """What a first visit would otherwise wait for, done on the app's warm-up worker: pygments
    compiling its SQL lexer (~40 ms) and the statement analysis reading its first statement (sqlparse's
    lexer and the lint's tables, 50–250 ms on two busy cores, on a thread that holds the GIL)."""
    sql_syntax("SELECT 1", dark=True)
    statement_analysis("SELECT 1;", backend, "", None)


@dataclass(frozen=True)
class Analysis:
    """Each statement of a migration and the lint findings about it."""

    statements: Statements
    findings: tuple[Finding, ...]


class MigrationTable(InfoTable):
    ROWS_GROW = True  # a long name wraps (`NAME_WIDTH`)
    COMPONENT_CLASSES: ClassVar[set[str]] = {f"migration-table--{s.replace(' ', '-')}" for s in ICONS}

    def state_text(self, state: str) -> Text:
        return Text(
            f"{ICONS.get(state, '?')} {state}",
            style=self.get_component_rich_style(f"migration-table--{state.replace(' ', '-')}"),
        )


class MigrationDetail(Document):
    """The highlighted migration, from plain data; colours come from migrations.tcss. A `Document`,
    so that its SQL (up to `SHOWN` lines) costs a change only the lines on screen."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "migration-detail--heading",
        "migration-detail--muted",
        "migration-detail--error",
        "migration-detail--warning",
    }

    def part(self, name: str) -> str:
        return str(self.get_component_rich_style(f"migration-detail--{name}"))

    def heading(self, text: str) -> Text:
        return Text(f"\n{text}", style=self.part("heading"))

    def show(self, status: Status, overview: Overview, analysis: Analysis | None) -> None:
        state = overview.state(status)
        m, e = status.migration, status.entry
        parts: list[RenderableType] = [
            Text.assemble((f"{status.version} {status.name}", self.part("heading")), f"   {ICONS[state]} {state}")
        ]
        meta = [str(m.path.name) if m else "file missing: only the ledger knows it"]
        if m is not None:
            meta.append("with a down script" if m.down_sql is not None else "no down script")
        parts.append(Text(" · ".join(meta), style=self.part("muted")))
        plan = overview.plans_back.get(canonical(status))
        if plan is not None:
            back = (
                Text(f"No way back: {plan.refusal}", style=self.part("error"))
                if plan.refusal
                else Text(
                    f"Way back: {METHODS[plan.method]}" + (f"; if that fails, {plan.fallback}" if plan.fallback else "")
                )
            )
            parts.append(back)
        backups = overview.backups_of(status)
        if backups:
            total = sum(b.size or 0 for b in backups)
            parts.append(
                Text(f"Backups: {len(backups)} table{'s' * (len(backups) != 1)}, {size(total)} (b lists them)")
            )
        if e is not None and status.state != "pending":
            parts += [self.heading("Ledger"), *self.ledger(status)]
        if analysis is not None:
            parts += [self.heading("Statements"), *self.statements(analysis)]
        if m is not None:
            parts += [self.heading("SQL"), *self.script(m.up_sql)]
            if m.down_sql:
                parts += [self.heading("Down script"), *self.script(m.down_sql)]
        self.update(*parts)

    def ledger(self, status: Status) -> list[RenderableType]:
        e = status.entry
        assert e is not None
        lines: list[RenderableType] = [
            Text(
                f"{e.outcome.replace('_', ' ')} {when(e.applied_at)} UTC · {duration(e.duration_ms)} · "
                f"{e.statements_run} of {e.statements_total} statements · checksum {e.checksum[:12]}"
            )
            if e.adopted_from is None
            else Text(
                f"Adopted from {e.adopted_from}'s ledger"
                + (f": applied {when(e.applied_at)} UTC" if e.applied_at else "")
                + (f" by {e.applied_by}" if e.applied_by else "")
                + "; the workbench did not run it"
            )
        ]
        if status.state == "drifted":
            lines.append(
                Text(
                    "The file changed since it was applied: check the edit, then accept it with "
                    "`workbench migrate repair`.",
                    style=self.part("warning"),
                )
            )
        if e.error and e.adopted_from:
            lines.append(Text(f"{e.adopted_from} marks it {e.error}", style=self.part("error")))
        elif e.error:
            where = f"statement {e.failed_statement}" if e.failed_statement else "before its first statement"
            lines.append(Text(f"Failed at {where}: {e.error}", style=self.part("error")))
            if e.failed_sql:
                lines.append(sql_syntax(e.failed_sql, self.app.current_theme.dark))
            if e.outcome == PARTIAL:
                lines.append(
                    Text(
                        f"Statements 1–{e.statements_run} ran outside a transaction and stayed applied; "
                        "applying again resumes after them.",
                        style=self.part("warning"),
                    )
                )
        return lines

    def statements(self, analysis: Analysis) -> list[RenderableType]:
        """One line per statement, a seed's run of rows on one line; the first `SHOWN` of them."""
        by_statement: dict[int, list[Finding]] = {}
        for f in analysis.findings:
            by_statement.setdefault(f.statement, []).append(f)
        pieces = list(islice(analysis.statements.pieces(), SHOWN))
        # a grid: a long table name wraps whole under the tables, never under the number
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for st, count in pieces:
            number = f"{st.index}" if count == 1 else f"{st.index}–{st.index + count - 1}"
            line = Text(", ".join(st.tables) or "no table")
            if count > 1:
                line.append(f" ({count:,} rows)")
            rebuilt = any(f.code == "rebuild" for f in by_statement.get(st.index, ()))  # the rows were copied
            if st.loses_data and not rebuilt:
                line.append("  can lose data", style=self.part("warning"))
            grid.add_row(number, st.kind, line)
            for f in by_statement.get(st.index, ()):
                grid.add_row("", "", Text(f"! {f.text}", style=self.part("warning")))
        out: list[RenderableType] = [Padding(grid, (0, 0, 0, 1))]
        shown = pieces[-1][0].index + pieces[-1][1] - 1 if pieces else 0
        if shown < len(analysis.statements):
            rest = len(analysis.statements) - shown
            out.append(
                Text(f"… {rest:,} more statement{'s' * (rest != 1)} (p shows the plan)", style=self.part("muted"))
            )
        return out

    def script(self, sql: str) -> list[RenderableType]:
        """The script highlighted, its first `SHOWN` lines only: a seed file is megabytes."""
        lines = sql.strip().split("\n", SHOWN)
        if len(lines) <= SHOWN:
            return [sql_syntax(sql, self.app.current_theme.dark)]
        rest = lines.pop().count("\n") + 1
        return [
            sql_syntax("\n".join(lines), self.app.current_theme.dark),
            Text(f"… {rest:,} more line{'s' * (rest != 1)}", style=self.part("muted")),
        ]


class PlanDialog(ModalScreen[None]):
    """A plan to read; nothing runs from here."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,q", "dismiss", "Close", key_display="Esc")]

    def __init__(self, title: str, plan: Plan) -> None:
        super().__init__()
        self.heading = title
        self.plan = plan

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog plan-dialog"):
            yield Label(Text(self.heading, style="bold"))
            with VerticalScroll():
                yield PlanView(self.plan)
            yield Static("Nothing has run. Esc closes.", classes="dialog-hint")


class DriftDialog(ModalScreen[None]):
    """The drift as the engine reports it: each object changed by hand, and the SQL that would
    bring the migrations' schema to the live one (what `migrate new --from-diff` writes)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,q", "dismiss", "Close", key_display="Esc")]

    def __init__(self, drift: Drift) -> None:
        super().__init__()
        self.drift = drift

    def compose(self) -> ComposeResult:
        lines = self.drift.lines()
        sql = self.drift.diff.sql() if self.drift.diff is not None else ""
        with Vertical(classes="dialog plan-dialog"):
            yield Label(Text(lines[0], style="bold"))
            with VerticalScroll():
                yield Static(Text("\n".join(line.strip() for line in lines[1:])))
                if sql:
                    yield Static(Text("\nSQL from the migrations' schema to this database:", style="bold"))
                    yield Static(sql_syntax(sql, self.app.current_theme.dark))
            yield Static(
                "workbench migrate new NAME --from-diff TARGET writes this as a migration. Esc closes.",
                classes="dialog-hint",
            )


class ApplyErrorDialog(ModalScreen[None]):
    """A failed apply in full, as the engine reports it: the statement, the database's message,
    what stayed and what did not, and the way back."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "dismiss", "Close", key_display="Esc")]

    def __init__(self, report: RunReport) -> None:
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        failure = self.report.failure
        assert failure is not None
        lines = self.report.lines()
        with Vertical(classes="dialog error-dialog"):
            yield Label(
                Text(lines[0] if len(self.report.migrations) == 1 else f"✗ {failure.describe()}", style="bold"),
                classes="error-title",
            )
            with VerticalScroll():
                if failure.sql:
                    yield Static(Text(f"Statement {failure.statement}:", style="bold"))
                    yield Static(sql_syntax(failure.sql, self.app.current_theme.dark))
                yield Static(Text("\n".join(lines[1:] if len(self.report.migrations) == 1 else lines)))
            yield Static(
                "The ledger records the failure; fix the file, then a applies it again. Esc closes.",
                classes="dialog-hint",
            )


class MigrationsScreen(WorkbenchScreen):
    CSS_PATH = "../styles/migrations.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "plan", "Plan"),
        Binding("a", "apply_next", "Apply next"),
        Binding("A", "apply_to_selected", "Apply up to here", key_display="A"),
        Binding("r", "rollback", "Roll back…"),
        Binding("f", "finalize", "Finalize…", show=False),  # listed by ?, kept off the crowded footer
        Binding("b", "backups", "Backups"),
        Binding("B", "baseline", "Baseline…", key_display="B"),
        Binding("d", "drift", "Drift", show=False),  # offered by its own line when there is drift
        Binding("ctrl+r", "reload", "Reload"),
    ]

    app: WorkbenchApp
    overview: reactive[Overview | None] = reactive(None, always_update=True)
    busy: reactive[bool] = reactive(False)

    class Loaded(Message):
        def __init__(self, overview: Overview, generation: int, baseline: str | None = None) -> None:
            super().__init__()
            self.overview = overview
            self.generation = generation
            self.baseline = baseline  # the version a baseline would reach, when one fits

    class Failed(Message):
        """Reading or changing the migrations failed as a whole (a malformed folder, drift, a lock)."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    class Analysed(Message):
        def __init__(self, key: tuple[str, str], analysis: Analysis) -> None:
            super().__init__()
            self.key = key
            self.analysis = analysis

    class Planned(Message):
        """A plan is ready: to read (`apply_to` None) or to confirm before applying up to `apply_to`."""

        def __init__(self, title: str, plan: Plan, apply_to: str | None) -> None:
            super().__init__()
            self.title = title
            self.plan = plan
            self.apply_to = apply_to

    class Progressed(Message):
        def __init__(self, progress: Progress) -> None:
            super().__init__()
            self.progress = progress

    class Applied(Message):
        def __init__(self, report: RunReport) -> None:
            super().__init__()
            self.report = report

    class DriftChecked(Message):
        def __init__(self, drift: Drift, generation: int) -> None:
            super().__init__()
            self.drift = drift
            self.generation = generation

    class BaselineDone(Message):
        def __init__(self, done: Baselined) -> None:
            super().__init__()
            self.done = done

    def __init__(self) -> None:
        super().__init__(name="migrations")
        self._generation = 0
        self._analyses: dict[tuple[str, str], Analysis] = {}
        self._notice = ""  # what the last apply left to say; stays while the list reloads
        self._baseline: str | None = None  # offered when the schema already holds the first migrations
        self.drift: Drift | None = None  # the schema against the applied migrations, once checked

    def compose(self) -> ComposeResult:
        yield WorkbenchHeader()
        yield Static(id="migrations-state")
        yield ProgressPanel(id="migrations-progress")
        with Horizontal(id="migrations"):
            yield MigrationTable(*COLUMNS, id="migration-list")
            with VerticalScroll(id="migration-detail"):
                yield MigrationDetail(id="migration-detail-body")
        yield Static(id="migrations-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(MigrationTable).focus()
        self.watch(self.app, "catalog", self._catalog_changed)
        self.watch(self.app, "problem", self._problem_changed)
        self.watch(self.app, "theme", lambda _theme: self._show_detail(), init=False)

    # -- loading -----------------------------------------------------------------------------

    def _catalog_changed(self, catalog: Catalog | None) -> None:
        if catalog is not None:
            self.action_reload()

    def _problem_changed(self, problem: str) -> None:
        if problem:
            self._message(f"{problem}\nctrl+r tries again.")

    def action_reload(self) -> None:
        """Read the migrations folder and the ledger again (connecting again first when the
        database was not available: the list follows the catalog that connection reads)."""
        if self.app.session is None:
            self.app.refresh_catalog()
            return
        self._generation += 1
        self._load(self.app.session, self._generation)

    @work(thread=True, group="migrations-load", exclusive=True, exit_on_error=False)
    def _load(self, session: DbSession, generation: int) -> None:
        try:
            with session.use("migrate") as conn:
                svc = service_for(conn, self.app.project)
                overview = svc.overview()
                baseline = svc.baseline_suggestion() if overview.pending else None
        except Exception as exc:  # every failure becomes a sentence on screen
            self.post_message(self.Failed(_describe(exc)))
            return
        self.post_message(self.Loaded(overview, generation, baseline))

    def on_migrations_screen_loaded(self, message: Loaded) -> None:
        if message.generation == self._generation:
            self._baseline = message.baseline
            self.overview = message.overview
            self.app.migration_summary = message.overview.summary()
            if self.app.project is not None:
                self._check_drift(message.overview, message.generation)

    @work(thread=True, group="migrations-drift", exclusive=True, exit_on_error=False)
    def _check_drift(self, overview: Overview, generation: int) -> None:
        """Drift, on a connection of its own: the replay takes seconds and must not hold the session."""
        target = self.app.target
        try:
            conn = connect(target.url, options=target.connect_options())
            try:
                drift = schema_drift(conn, overview.statuses, self.app.project.baseline if self.app.project else None)
            finally:
                conn.close()
        except Exception as exc:
            drift = Drift((), problem=_describe(exc))
        self.post_message(self.DriftChecked(drift, generation))

    def on_migrations_screen_drift_checked(self, message: DriftChecked) -> None:
        if message.generation != self._generation:
            return
        self.drift = message.drift
        self._message(self._notice or self._drift_line() or self._baseline_offer())
        self.refresh_bindings()

    def _drift_line(self) -> str:
        """Said when the schema was changed by hand; a failed apply's notice outranks it."""
        if self.drift is None or self.drift.same is not False:
            return ""
        return f"⚠ {self.drift.headline()}; d shows the diff."

    def action_drift(self) -> None:
        """Show how the schema differs from what the applied migrations produce."""
        if self.drift is not None and self.drift.diff is not None:
            self.app.push_screen(DriftDialog(self.drift))

    @staticmethod
    def _row(table: MigrationTable, overview: Overview, s: Status) -> tuple[Text | str, ...]:
        backups = overview.backups_of(s)
        shown = s.entry is not None and s.state != "pending"
        return (
            s.version,
            wrapped(s.name, NAME_WIDTH),
            table.state_text(overview.state(s)),
            when(s.entry.applied_at) if shown and s.entry else "",
            duration(s.entry.duration_ms) if shown and s.entry else "",
            f"{len(backups)} · {size(sum(b.size or 0 for b in backups))}" if backups else "",
        )

    def on_migrations_screen_failed(self, message: Failed) -> None:
        acting, self.busy = self.busy, False
        self._message(message.message)
        if acting:  # a failed apply or rollback also gets a toast; a failed load is said once
            self.notify(message.message, severity="error", timeout=8)
        self.refresh_bindings()

    def watch_overview(self, overview: Overview | None) -> None:
        if overview is None:
            return
        table = self.query_one(MigrationTable)
        selected = self.selected
        keys = [s.version for s in overview.statuses]
        table.fill((self._row(table, overview, s) for s in overview.statuses), keys)
        if selected is not None and selected.version in keys:
            table.move_cursor(row=keys.index(selected.version))
        self._show_state()
        message = self._notice or self._drift_line() or self._baseline_offer()
        self._message(message if overview.statuses else self._nothing_here())
        self._show_detail()
        self.refresh_bindings()

    def _baseline_offer(self) -> str:
        if self._baseline is None:
            return ""
        return (
            f"The schema already holds what migrations up to {self._baseline} create. If it was built "
            "another way, B marks them applied without running them (a baseline)."
        )

    def _nothing_here(self) -> str:
        project = self.app.project
        if project is None:
            return "No migrations: open the workbench with --project DIR to manage a project's migrations."
        return f"No migrations in {project.migrations_dir} yet."

    def _show_state(self) -> None:
        o = self.overview
        if o is None:
            return
        counts = {state: sum(o.state(s) == state for s in o.statuses) for state in ICONS}
        parts = [f"{len(o.statuses)} migrations"] + [f"{ICONS[s]} {n} {s}" for s, n in counts.items() if n]
        parts.append(f"{len(o.backups)} backups, {size(sum(b.size or 0 for b in o.backups))}")
        self.query_one("#migrations-state", Static).update(Text(" · ".join(parts)))

    # -- detail ------------------------------------------------------------------------------

    @property
    def selected(self) -> Status | None:
        """The migration under the cursor."""
        if self.overview is None or not self.overview.statuses:
            return None
        row = self.query_one(MigrationTable).cursor_row
        return self.overview.statuses[row] if 0 <= row < len(self.overview.statuses) else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()
        self.refresh_bindings()

    def _show_detail(self) -> None:
        status, overview = self.selected, self.overview
        detail = self.query_one(MigrationDetail)
        if status is None or overview is None:
            detail.update()
            return
        m = status.migration
        key = (status.version, m.checksum) if m is not None else None
        analysis = self._analyses.get(key) if key else None
        detail.show(status, overview, analysis)
        if m is not None and key is not None and analysis is None:
            pending = status.state in ("pending", "failed")
            self._analyse(key, m.up_sql, self.app.catalog if pending else None)

    @work(thread=True, group="migrations-analysis", exclusive=True, exit_on_error=False)
    def _analyse(self, key: tuple[str, str], sql: str, catalog: Catalog | None) -> None:
        """Statement classes and lint; pure reading of the SQL (the catalog, for pending ones, says
        which tables hold rows)."""
        try:
            session = self.app.session
            default = session.conn.default_schema if session else "public"
            dialect = session.backend if session else backend_for(self.app.target.url).name
            statements, findings = statement_analysis(sql, dialect, default, catalog)
        except Exception as exc:
            self.post_message(self.Failed(_describe(exc)))
            return
        self.post_message(self.Analysed(key, Analysis(statements, findings)))

    def on_migrations_screen_analysed(self, message: Analysed) -> None:
        self._analyses[message.key] = message.analysis
        self._show_detail()

    # -- plan and apply ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that do nothing now are greyed out."""
        o, selected = self.overview, self.selected
        if action == "reload":
            return None if self.busy else True
        if action in ("plan", "apply_next", "apply_to_selected", "rollback", "finalize", "backups"):
            if self.busy or o is None or self.app.session is None:
                return None
        if action == "apply_next":
            return True if o and o.pending else None
        if action == "apply_to_selected":
            return True if o and selected is not None and selected in o.pending else None
        if action == "rollback":
            return True if o and o.applied else None
        if action == "finalize":
            return True if o and selected is not None and selected in o.applied else None
        if action == "plan":
            return True if o and (o.pending or o.applied) else None
        if action == "drift":
            return True if self.drift is not None and self.drift.same is False else None
        if action == "baseline":  # shown only when a baseline fits
            return True if self._baseline and not self.busy and self.app.session is not None else False
        return True

    def action_plan(self) -> None:
        """Show what applying up to the highlighted migration (or rolling it back) would do."""
        o, s = self.overview, self.selected
        if o is None:
            return
        to: str | None
        if s is not None and s in o.applied:
            newer = o.applied[: o.applied.index(s) + 1]
            older = o.applied[len(newer) :]
            to = older[0].version if older else "0"
            self._plan(f"Rolling back {', '.join(x.version for x in newer)} would", None, to, down=True)
        else:
            to = s.version if s is not None and s in o.pending else None
            self._plan("Applying would", None, to, down=False)

    def action_apply_next(self) -> None:
        """Apply the next pending migration, after a confirmation."""
        if self.overview and self.overview.pending:
            self._plan("Apply", self.overview.pending[0].version, self.overview.pending[0].version)

    def action_apply_to_selected(self) -> None:
        """Apply every pending migration up to the highlighted one, after a confirmation."""
        if self.selected is not None:
            self._plan("Apply", self.selected.version, self.selected.version)

    @work(thread=True, group="migrations-plan", exclusive=True, exit_on_error=False)
    def _plan(self, title: str, apply_to: str | None, to: str | None, down: bool = False) -> None:
        session = self.app.session
        if session is None:
            return
        try:
            with session.use("migrate") as conn:
                svc = service_for(conn, self.app.project)
                plan = svc.plan_down(to=to) if down else svc.plan_up(to)
        except Exception as exc:
            self.post_message(self.Failed(_describe(exc)))
            return
        self.post_message(self.Planned(title, plan, apply_to))

    def on_migrations_screen_planned(self, message: Planned) -> None:
        if message.apply_to is None:
            self.app.push_screen(PlanDialog(message.title, message.plan))
            return
        plan, to = message.plan, message.apply_to
        if not plan.migrations:
            self.notify("Nothing to apply.")
            return
        names = [f"{m.version} {m.name}".rstrip() for m in plan.migrations]
        title = (
            f"Apply {names[0]}?" if len(names) == 1 else f"Apply {len(names)} migrations, {names[0]} to {names[-1]}?"
        )
        phrase = phrase_for(self.app.target, None) if plan.destructive else None
        body = PlanView(plan, lead=self._backups_sentence(plan))

        def go(confirmed: bool | None) -> None:
            if confirmed:
                self._start_apply(to, plan)

        self.app.push_screen(ConfirmDialog(title, body, "apply", self.app.target, phrase), go)

    @staticmethod
    def _backups_sentence(plan: Plan) -> Text:
        tables = [t for m in plan.migrations for t in m.backup_tables]
        if not tables:
            return Text("No backups needed: no statement can lose data.")
        names = ", ".join(t.qualified_name + (f" (~{t.row_estimate:,} rows)" if t.row_estimate else "") for t in tables)
        return Text(
            f"Before it runs, {len(tables)} table{'s' * (len(tables) != 1)} will be copied into backups: {names}."
        )

    def _start_apply(self, to: str, plan: Plan) -> None:
        session = self.app.session
        if session is None or self.busy:
            return
        self.busy = True
        self.query_one(ProgressPanel).start(f"applying up to {to}…")
        self._apply(session, to, plan)

    @work(thread=True, group="migrations-apply", exclusive=True, exit_on_error=False)
    def _apply(self, session: DbSession, to: str, plan: Plan) -> None:
        try:
            with session.use("migrate") as conn:
                svc = service_for(conn, self.app.project, progress=lambda p: self.post_message(self.Progressed(p)))
                report = svc.apply(to)
        except Exception as exc:  # drift, a lock held elsewhere, a lost connection: one sentence
            self.post_message(self.Failed(_describe(exc)))
            return
        self.post_message(self.Applied(report))
        self.post_message(SchemaChanged())

    def on_migrations_screen_progressed(self, message: Progressed) -> None:
        self.query_one(ProgressPanel).advance(message.progress)

    def on_migrations_screen_applied(self, message: Applied) -> None:
        self.busy = False
        report = message.report
        if report.failure is not None:
            self._notice = "\n".join(report.lines())
            self.app.push_screen(ApplyErrorDialog(report))
        else:
            self._notice = ""
            self.notify(f"Applied {', '.join(report.done)}." if report.done else "Nothing to apply.")
        self._message(self._notice)

    def watch_busy(self, busy: bool) -> None:
        self.query_one(ProgressPanel).display = busy
        self.refresh_bindings()

    # -- baseline ------------------------------------------------------------------------------

    def action_baseline(self) -> None:
        """Mark the migrations the schema already holds as applied, after a confirmation."""
        o, to = self.overview, self._baseline
        if o is None or to is None:
            return
        limit = next(s.key for s in o.statuses if s.version == to)
        names = [f"{s.version} {s.name}".rstrip() for s in o.pending if s.key <= limit]
        body = Static(
            Text(
                f"The schema already holds what these migrations create: {', '.join(names)}. Nothing runs: "
                "the ledger records them as applied now, and applying goes on from the next one."
            )
        )

        def go(confirmed: bool | None) -> None:
            if confirmed and self.app.session is not None:
                self.busy = True
                self._run_service(self.app.session, lambda svc: self.BaselineDone(svc.baseline(to)))

        title = f"Mark {len(names)} migration{'s' * (len(names) != 1)} applied without running them?"
        self.app.push_screen(ConfirmDialog(title, body, "mark them applied", self.app.target), go)

    @work(thread=True, group="migrations-apply", exclusive=True, exit_on_error=False)
    def _run_service(self, session: DbSession, call: Callable[[MigrationService], Message]) -> None:
        """One service call (a baseline, a finalize) in the migrate session; the message it makes
        comes back, or the failure in one sentence (a lock held elsewhere, a lost connection)."""
        try:
            with session.use("migrate") as conn:
                message = call(service_for(conn, self.app.project))
        except Exception as exc:
            self.post_message(self.Failed(_describe(exc)))
            return
        self.post_message(message)

    def on_migrations_screen_baseline_done(self, message: BaselineDone) -> None:
        self.busy = False
        self.notify(message.done.lines()[0])
        self.action_reload()

    # -- finalize ----------------------------------------------------------------------------

    def action_finalize(self) -> None:
        """Mark the highlighted applied migration final, after a confirmation: its change capture
        stops and its backups are freed."""
        o, s = self.overview, self.selected
        session = self.app.session
        if o is None or s is None or s not in o.applied or session is None or self.busy:
            return
        body = Static(
            Text(
                f"Finalizing {s.version} {s.name} stops capturing what users write for its rollback and "
                f"frees its {len(o.backups_of(s))} backup{'s' * (len(o.backups_of(s)) != 1)}: it can no "
                "longer be rolled back with its rows."
            )
        )

        def go(confirmed: bool | None) -> None:
            if confirmed:
                self.busy = True
                self._run_service(session, lambda svc: self.Finalized(s.version, svc.finalize(s.version)))

        phrase = phrase_for(self.app.target, None)
        self.app.push_screen(ConfirmDialog(f"Finalize {s.version}", body, "finalize", self.app.target, phrase), go)

    class Finalized(Message):
        def __init__(self, version: str, done: list[tuple[str, int, int]]) -> None:
            super().__init__()
            self.version = version
            self.done = done

    def on_migrations_screen_finalized(self, message: Finalized) -> None:
        self.busy = False
        if message.done:
            _, captures, backups = message.done[0]
            self.notify(
                f"Finalized {message.version}: stopped capturing {captures} table{'s' * (captures != 1)}, "
                f"freed {backups} backup{'s' * (backups != 1)}."
            )
        else:
            self.notify(f"{message.version} had nothing to finalize: no capture, no backups.")
        self.action_reload()

    # -- other screens -----------------------------------------------------------------------

    def action_rollback(self) -> None:
        """Open the guided rollback: target, plan, safety backup, confirmation, run, summary."""
        from workbench.tui.screens.rollback_wizard import RollbackWizard

        if self.overview is None or not self.overview.applied:
            return

        def done(result: object) -> None:
            if result is None:
                self.notify("Rollback cancelled; nothing was changed.")

        self.app.push_screen(RollbackWizard(self.overview, self.selected), done)

    def action_backups(self) -> None:
        """List the backup tables: compare, restore, purge."""
        from workbench.tui.screens.backups import BackupsScreen

        self.app.push_screen(BackupsScreen())

    def _message(self, text: str) -> None:
        box = self.query_one("#migrations-message", Static)
        box.display = bool(text)
        box.update(Text(text))
