"""Query: an SQL editor over the database, each statement's result in a tab of its own.

The screen opens a connection of its own (`DbSession` under the concern "query"): a statement
that runs long or waits on a lock never holds the catalog or the Browse grid, and Escape stops
exactly it. Reads stream into `ResultGrid`s; anything else goes through the console engine's
preview, a confirmation, and a journaled change with its prior backup (`query_changes.py`).
The editor text and the open tabs are kept in the data folder (`workbench.console.workspace`);
every statement run goes to the history (`workbench.console.history`), searched with ctrl+r.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import OptionList, Static, TabbedContent, TabPane, TextArea, Tree
from textual.widgets.option_list import Option

from workbench.console import history, workspace
from workbench.console.completion import Candidate, candidates, complete, members
from workbench.console.explain import Plan, PlanNode
from workbench.console.pick import statement_at, statements_in
from workbench.console.results import Limits, Streams
from workbench.tui.describe import describe
from workbench.tui.screens.base import WorkbenchScreen
from workbench.tui.screens.query_changes import QueryChanges
from workbench.tui.session import DbSession
from workbench.tui.widgets.footer import Footer
from workbench.tui.widgets.header import WorkbenchHeader
from workbench.tui.widgets.result_grid import ResultGrid

if TYPE_CHECKING:
    from workbench.db.base import Backend
    from workbench.tui.app import WorkbenchApp

SAVE_DELAY = 1.0  # seconds of editing pause before the workspace is written
MAX_TABS = 12  # result tabs kept; the oldest goes first
DEFAULT_LOCK_TIMEOUT_S = 5.0  # a profile without `lock_timeout`: a query never hangs the screen behind a lock


def prepare(backend: str) -> None:
    """Done on the app's warm-up worker, not on the first visit: loading tree-sitter's SQL grammar
    (~20 ms; Textual keeps it for the process)."""
    from textual._tree_sitter import get_language

    get_language("sql")


class QueryScreen(QueryChanges, WorkbenchScreen):
    # Nothing has the focus on arrival: the editor would take the number keys that switch screens.
    AUTO_FOCUS = ""
    # priority throughout: the focused editor would otherwise take these keys for itself
    BINDINGS = [
        Binding("ctrl+j,f5", "after_typing('run')", "Run", key_display="ctrl+j", priority=True),
        # the app's ctrl+r reloads the catalog; here it searches the history (the help says so)
        Binding("ctrl+r", "history", "History (not Reload here)", priority=True),
        Binding("f7", "after_typing('explain')", "Explain", priority=True),
        Binding("f8", "after_typing('explain_analyze')", "Explain analyze", show=False, priority=True),
        Binding("ctrl+space", "after_typing('complete')", "Complete", show=False, priority=True),
        Binding("f2", "switch_focus", "Editor/results", priority=True),
        Binding("f4", "close_tab", "Close tab", show=False, priority=True),
        Binding("ctrl+s", "after_typing('save_migration')", "Save as migration", show=False, priority=True),
        # Escape stops what runs; else it leaves the editor, so that 1–5 switch screens again
        Binding("escape", "escape", "Stop / leave the editor", show=False, priority=True),
        Binding("i", "edit", "Edit"),
        *QueryChanges.JOURNAL_BINDINGS,
    ]

    app: WorkbenchApp

    class Opened(Message):
        def __init__(self, session: DbSession | None, error: str | None) -> None:
            super().__init__()
            self.session, self.error = session, error

    class Planned(Message):
        def __init__(self, sql: str, plan: Plan | None, error: str | None) -> None:
            super().__init__()
            self.sql, self.plan, self.error = sql, plan, error

    def __init__(self) -> None:
        super().__init__(name="query")
        self.session: DbSession | None = None
        self.streams = Streams()
        self._opened_for: str | None = None
        self._waiting: list[str] = []  # statements to run once the session is open / the one before is done
        self._statement: str | None = None
        self._tab_count = 0
        self._save_timer: Timer | None = None
        self._pool: list[Candidate] = []
        self._kept = workspace.Workspace()
        self._explaining = False
        self._opening = False
        self._reads: dict[str, str] = {}  # result tab id → its read statement, in the order opened

    def compose(self) -> ComposeResult:
        yield WorkbenchHeader()
        with Vertical(id="query"):
            # the SQL grammar is set once the screen has shown: compiling its highlight query (~35 ms)
            # would otherwise hold up the first visit
            yield TextArea.code_editor("", id="query-editor", soft_wrap=False)
            yield OptionList(id="query-completion")
            yield Static(id="query-status")
            yield TabbedContent(id="query-results")
        yield Footer()

    def on_mount(self) -> None:
        editor = self.query_one(TextArea)
        editor.cursor_blink = False  # a steady cursor: blinking would redraw the editor twice a second
        self.query_one("#query-completion").display = False
        self.watch(self.app, "catalog", self._catalog_changed)
        self._kept = workspace.load(self._database())
        editor.load_text(self._kept.editor)
        self.call_after_refresh(setattr, editor, "language", "sql")
        self._waiting.extend(self._kept.tabs)
        self._open_session()

    def on_unmount(self) -> None:
        self._save_workspace()
        if self.session is not None:
            self._close(self.session)

    def _close(self, session: DbSession) -> None:
        """Stop what runs on the screen's connection, end its open result, and close it."""
        session.cancel("query")
        with session.use("query"):  # what ran stops at once: cancelled
            self.streams.release()  # an open result ends before its connection does
        session.close()

    def limits(self) -> Limits:
        """The profile's timeouts; without them, no statement timeout and 5 s for a lock."""
        profile = self.app.target.profile
        statement = profile.statement_timeout if profile else None
        lock = profile.lock_timeout if profile and profile.lock_timeout else DEFAULT_LOCK_TIMEOUT_S
        return Limits(statement, lock)

    def _database(self) -> str:
        from workbench.db import redact

        return redact(self.app.target.url)

    # -- the screen's connection -------------------------------------------------------------

    def _open_session(self) -> None:
        self._opening = True
        self._connect()

    @work(thread=True, group="query-open", exit_on_error=False)
    def _connect(self) -> None:
        from workbench.db import connect

        target = self.app.target
        try:
            session = DbSession(connect(target.url, options=target.connect_options()))
        except Exception as exc:
            self.post_message(self.Opened(None, describe(exc)))
            return
        self.post_message(self.Opened(session, None))

    def on_query_screen_opened(self, message: Opened) -> None:
        self._opening = False
        if message.error:
            self._status(Text(message.error, style="bold"))
            return
        self.session = message.session
        self._opened_for = self.app.target.url
        self._status(
            Text("i edits, Escape leaves the editor; ctrl+j runs the statement under the cursor (or the selection).")
        )
        self._next()

    def _catalog_changed(self, catalog: object) -> None:
        self._pool = candidates(self.app.catalog)
        if self._opened_for is not None and self._opened_for != self.app.target.url:
            old, self.session, self._opened_for = self.session, None, None  # the app switched databases
            if old is not None:
                self._close(old)
            self._open_session()

    # -- running -----------------------------------------------------------------------------

    def _chosen(self) -> list[str]:
        """The selection's statements, else the one under the cursor."""
        editor = self.query_one(TextArea)
        backend = self._backend()
        if backend is None:
            return []
        if editor.selected_text.strip():
            return statements_in(backend, editor.selected_text)
        found = statement_at(backend, editor.text, editor.cursor_location[0])
        return [found] if found else []

    def _backend(self) -> Backend | None:
        return self.session.conn.backend if self.session is not None else None

    def action_after_typing(self, action: str) -> None:
        """Run `action` once the editor has taken every key typed before it. A priority binding is
        handled as the key arrives, while the keys before it may still wait in the editor's queue
        (type-ahead, a fast typist): reading the editor then would run half a statement."""
        self.query_one(TextArea).call_later(self.run_action, action)

    def action_run(self) -> None:
        """Run the statement under the cursor, or every statement of the selection, one after another."""
        if self.session is None:
            self.notify("Not connected yet.", severity="warning")
            if not self._opening:
                self._open_session()  # the database may be there now (a failure is never remembered)
            return
        chosen = self._chosen()
        if not chosen:
            self.notify("Nothing to run: the editor is empty here.", severity="warning")
            return
        self._waiting.extend(chosen)
        if self._statement is None:
            self._next()

    def _next(self) -> None:
        """Start the next waiting statement (each waits for the one before it)."""
        if self.session is None or self._statement is not None or not self._waiting:
            return
        self._statement = self._waiting.pop(0)
        self.start(self._statement)

    def show_result(self, sql: str) -> None:
        """A read: its rows in a new tab (the grid reads them itself)."""
        assert self.session is not None
        grid = ResultGrid(self.session, self.streams, sql, self.limits())
        self._reads[self._add_tab(sql, grid)] = sql
        self._schedule_save()  # the editor keeps the focus: F2 goes to the rows

    def show_message(self, sql: str, text: Text, *, seconds: float, rows: int | None, error: str | None) -> None:
        """A statement that returns no rows (a change, a refusal, an error): what happened, in a tab."""
        self._add_tab(sql, Static(text, classes="query-message"))
        self.finished(sql, seconds, rows, error)

    def finished(self, sql: str, seconds: float, rows: int | None, error: str | None) -> None:
        """The running statement is done: keep it in the history, then start the next one."""
        problem = history.record(history.Entry.now(sql, self._database(), seconds * 1000, rows, error))
        if problem:
            self.notify(problem, severity="warning")
        self._status(
            Text(f"Failed after {took(seconds)}: {error}", style="bold")
            if error
            else Text(
                f"Done in {took(seconds)}" + (f", {rows:,} row{'s' if rows != 1 else ''}." if rows is not None else ".")
            )
        )
        if error:
            self._waiting.clear()  # what came after a failed statement may depend on it
        self._statement = None
        self._next()

    def on_result_grid_first_page(self, message: ResultGrid.FirstPage) -> None:
        if message.grid.sql == self._statement:
            self.finished(message.grid.sql, message.seconds, message.rows, message.error)

    def _add_tab(self, sql: str, body: object) -> str:
        tabs = self.query_one(TabbedContent)
        self._tab_count += 1
        title = " ".join(sql.split())[:24] or "result"
        pane = TabPane(f"{self._tab_count} {title}", body, id=f"result-{self._tab_count}")  # type: ignore[arg-type]
        tabs.add_pane(pane)
        tabs.active = pane.id or ""
        panes = list(tabs.query(TabPane))
        for old in panes[: max(0, len(panes) - MAX_TABS)]:
            if old.id:
                tabs.remove_pane(old.id)
                self._reads.pop(old.id, None)
        self._schedule_save()
        return pane.id or ""

    async def action_close_tab(self) -> None:
        """Close the result tab shown."""
        tabs = self.query_one(TabbedContent)
        if tabs.active:
            self._reads.pop(tabs.active, None)
            await tabs.remove_pane(tabs.active)
            self._schedule_save()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "escape":  # else Escape goes on (the completion list, a grid's own)
            return self._busy() or self.query_one(TextArea).has_focus
        return True

    def _busy(self) -> bool:
        return self._statement is not None or self._explaining

    def action_escape(self) -> None:
        """Stop the running statement on the server; with nothing running, leave the editor."""
        if self._busy():
            if self.session is not None and self.session.cancel("query"):
                self.notify("Stopping the statement…", timeout=2)
        else:
            self.set_focus(None)

    def action_edit(self) -> None:
        """Type in the editor (Escape leaves it)."""
        self.query_one(TextArea).focus()

    # -- EXPLAIN -----------------------------------------------------------------------------

    def action_explain(self) -> None:
        """The plan of the statement under the cursor, as a tree with costs (nothing runs)."""
        self._explain(analyze=False)

    def action_explain_analyze(self) -> None:
        """The plan with measured times: runs the statement, after asking, in a rolled-back transaction."""
        from workbench.tui.widgets.confirm import ConfirmDialog

        chosen = self._chosen()
        if not chosen or self.session is None:
            return
        body = Static(
            Text.assemble(
                "EXPLAIN ANALYZE executes the statement to measure it:\n\n",
                (chosen[0], "bold"),
                "\n\nIt runs inside a transaction that is rolled back, so a write changes nothing, "
                "but it takes as long and holds the same locks as running it.",
            )
        )

        def go(yes: bool | None) -> None:
            if yes:
                self._explain(analyze=True)

        self.app.push_screen(ConfirmDialog("Execute to explain?", body, "execute it", self.app.target), go)

    def _explain(self, analyze: bool) -> None:
        chosen = self._chosen()
        if not chosen or self.session is None:
            self.notify("Nothing to explain: the editor is empty here.", severity="warning")
            return
        self._status(Text("Explaining… Esc stops"))
        self._explaining = True
        self._plan(self.session, chosen[0], analyze)

    @work(thread=True, group="query-explain", exclusive=True, exit_on_error=False)
    def _plan(self, session: DbSession, sql: str, analyze: bool) -> None:
        from workbench.console.explain import explain, explain_analyze

        try:
            with session.use("query") as conn:
                self.streams.release()
                plan = explain_analyze(conn, sql) if analyze else explain(conn, sql)
        except Exception as exc:
            self.post_message(self.Planned(sql, None, describe(exc)))
            return
        self.post_message(self.Planned(sql, plan, None))

    def on_query_screen_planned(self, message: Planned) -> None:
        self._explaining = False
        if message.plan is None:
            self._status(Text(f"EXPLAIN failed: {message.error}", style="bold"))
            return
        plan = message.plan
        tree: Tree[None] = Tree(Text(plan.root.line()), classes="query-plan")
        tree.show_root = True

        def grow(node: object, children: tuple[PlanNode, ...]) -> None:
            for child in children:
                branch = node.add(Text(child.line()), expand=True)  # type: ignore[attr-defined]
                grow(branch, child.children)
                if not child.children:
                    branch.allow_expand = False

        grow(tree.root, plan.root.children)
        tree.root.expand()
        title = ("analyze " if plan.analyzed else "explain ") + message.sql
        self._add_tab(title, Vertical(Static(Text(plan.summary or "Plan (not executed)")), tree))
        self._status(Text(plan.summary or "The plan, with the planner's costs and row estimates."))

    # -- migrations --------------------------------------------------------------------------

    def action_save_migration(self) -> None:
        """Save the statement under the cursor (or the selection) as the project's next migration."""
        from workbench.tui.widgets.dialogs import NameDialog

        project = self.app.project
        chosen = self._chosen()
        if project is None or not chosen:
            self.notify(
                "Nothing to save here." if chosen or project else "Open a project (--project) to save migrations.",
                severity="warning",
            )
            return

        backend = self._backend()
        up = "\n\n".join(s if s.rstrip().endswith(";") else s.rstrip() + ";" for s in chosen)

        def named(name: str | None) -> None:
            from workbench.migrations.writer import write_next

            if name:
                try:
                    written = write_next(project.migrations_dir, name, up, "", backend.name if backend else None)
                except Exception as exc:
                    self.notify(describe(exc), severity="error")
                    return
                files = ", ".join(str(p) for p in written.paths)
                self.notify(f"Saved as {files}; the Migrations screen (2) plans and applies it.", timeout=8)

        hint = f"Written to {project.migrations_dir} in the layout found there · Enter saves · Escape cancels"
        self.app.push_screen(NameDialog("Save as the next migration, named", hint), named)

    # -- history -----------------------------------------------------------------------------

    def action_history(self) -> None:
        """Search the statements run before; Enter puts one back in the editor."""
        from workbench.tui.screens.query_history import HistoryDialog

        def chosen(sql: str | None) -> None:
            if sql:
                editor = self.query_one(TextArea)
                text = editor.text.rstrip()
                editor.load_text((text + "\n\n" if text else "") + sql)
                editor.move_cursor((editor.document.line_count - 1, len(editor.document.lines[-1])))
                editor.focus()
                self._schedule_save()

        self.app.push_screen(HistoryDialog(self._database()), chosen)

    # -- completion --------------------------------------------------------------------------

    def action_complete(self) -> None:
        """Offer names from the catalog and keywords for the word before the cursor."""
        editor = self.query_one(TextArea)
        if not editor.has_focus:
            return
        row, column = editor.cursor_location
        before = editor.document.lines[row][:column]
        word = _trailing_word(before)
        owner = before[: len(before) - len(word)]
        pool = members(self.app.catalog, _trailing_word(owner[:-1])) if owner.endswith(".") else self._pool
        found = complete(word, pool)
        box = self.query_one("#query-completion", OptionList)
        box.clear_options()
        if not found:
            box.display = False
            self.notify("Nothing to complete here.", timeout=2)
            return
        box.add_options([Option(Text.assemble(c.text, (f"  {c.kind}", "dim")), id=c.text) for c in found])
        box.highlighted = 0
        box.display = True
        box.focus()

    @on(OptionList.OptionSelected, "#query-completion")
    def _completed(self, event: OptionList.OptionSelected) -> None:
        editor = self.query_one(TextArea)
        row, column = editor.cursor_location
        word = _trailing_word(editor.document.lines[row][:column])
        editor.replace(event.option.id or "", (row, column - len(word)), (row, column))
        self._close_completion()

    def _close_completion(self) -> None:
        box = self.query_one("#query-completion", OptionList)
        box.display = False
        self.query_one(TextArea).focus()

    def on_key(self, event: object) -> None:
        box = self.query_one("#query-completion", OptionList)
        if box.display and box.has_focus and getattr(event, "key", "") == "escape":
            event.stop()  # type: ignore[attr-defined]
            self._close_completion()

    # -- focus, status, workspace ------------------------------------------------------------

    def action_switch_focus(self) -> None:
        """Move between the editor and the result shown."""
        shown = [g for g in self.query(ResultGrid) if g.is_on_screen]
        if shown and not shown[0].has_focus:
            shown[0].focus()
        else:
            self.query_one(TextArea).focus()

    def _status(self, text: Text) -> None:
        self.query_one("#query-status", Static).update(text)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._schedule_save()

    def _schedule_save(self) -> None:
        """Note what is open now; write it after a pause in the editing (and when the screen goes)."""
        self._kept = workspace.Workspace(self.query_one(TextArea).text, tuple(self._reads.values()))
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self._save_workspace)

    def _save_workspace(self) -> None:
        problem = workspace.save(self._database(), self._kept)
        if problem:
            self.notify(problem, severity="warning")


def took(seconds: float) -> str:
    """A duration as the status line shows it (snapshot tests fix it: it is the one thing that varies)."""
    return f"{seconds:.3f} s"


def _trailing_word(text: str) -> str:
    """The identifier characters at the end of `text`."""
    end = len(text)
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_$"):
        start -= 1
    return text[start:end]
