"""Compare (`6`): two schemas side by side, and the migration between them one key away.

Top, the two sources: `current` (the connection the workbench has open), a profile, a URL or
SQLite path typed in, or `migrations` (the schema the project's migrations produce, replayed on
a scratch database of the other side's backend). Left, the differences as a tree: added,
removed, changed, grouped by kind; right, the highlighted object's DDL before and after, side
by side, and under them the SQL that turns FROM into TO. `c` (or Enter in a source) compares,
`s` swaps the sides, `w` writes the SQL as the project's next migration (asking its name; the
down script is the way back), through the same writer as `workbench migrate new`.

Everything that touches a database or the disk runs in a thread worker (`diff.compare`) and comes
back as a message; the screen only renders the `Comparison` it is given.
"""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static, Tree

from workbench.diff import DiffEntry
from workbench.diff.compare import Comparison, compare
from workbench.diff.drift import MARKS
from workbench.diff.from_migrations import SOURCE
from workbench.diff.model import STATUSES
from workbench.migrations.writer import Written
from workbench.tui.describe import describe as _describe
from workbench.tui.screens.base import WorkbenchScreen
from workbench.tui.screens.migrations import sql_syntax
from workbench.tui.widgets.footer import Footer
from workbench.tui.widgets.dialogs import NameDialog
from workbench.tui.widgets.header import WorkbenchHeader

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp

CURRENT = "current"


class DiffTree(Tree[DiffEntry | None]):
    """Status, then kind, then each object; a leaf's data is its `DiffEntry`."""

    def show(self, entries: tuple[DiffEntry, ...]) -> None:
        self.clear()
        for status in STATUSES:
            mine = [e for e in entries if e.status == status]
            if not mine:
                continue
            branch = self.root.add(Text(f"{MARKS[status]} {status} ({len(mine)})", style="bold"), None, expand=True)
            for kind, group in groupby(sorted(mine, key=lambda e: (e.kind, e.name)), key=lambda e: e.kind):
                objects = list(group)
                node = branch.add(f"{kind} ({len(objects)})", None, expand=True)
                for entry in objects:
                    hint = f"  ← {entry.likely_rename_of}?" if entry.likely_rename_of else ""
                    node.add_leaf(f"{entry.name}{hint}", entry)
        self.move_cursor(self.root.children[0] if self.root.children else None)


class CompareScreen(WorkbenchScreen):
    CSS_PATH = "../styles/compare.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "compare", "Compare"),
        Binding("s", "swap", "Swap sides"),
        Binding("w", "write", "Write migration…"),
    ]

    app: WorkbenchApp
    comparison: reactive[Comparison | None] = reactive(None, always_update=True)
    busy: reactive[bool] = reactive(False)

    class Compared(Message):
        def __init__(self, comparison: Comparison) -> None:
            super().__init__()
            self.comparison = comparison

    class WroteMigration(Message):
        def __init__(self, written: Written) -> None:
            super().__init__()
            self.written = written

    class Failed(Message):
        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self) -> None:
        super().__init__(name="compare")

    def compose(self) -> ComposeResult:
        project = self.app.project
        choices = [CURRENT, *([SOURCE] if project is not None else []), *(project.profiles if project else ())]
        suggester = SuggestFromList(choices, case_sensitive=False)
        yield WorkbenchHeader()
        with Horizontal(id="compare-pickers"):
            yield Label("From", classes="compare-label")
            yield Input(SOURCE if project is not None else CURRENT, suggester=suggester, id="compare-from")
            yield Label("To", classes="compare-label")
            yield Input(CURRENT, suggester=suggester, id="compare-to")
        yield Static(self._hint(choices), id="compare-state")
        with Horizontal(id="compare-body"):
            yield DiffTree("differences", id="compare-tree")
            with Vertical(id="compare-detail"):
                with Horizontal(id="compare-ddl"):
                    with VerticalScroll(id="compare-before"):
                        yield Static(id="compare-before-body")
                    with VerticalScroll(id="compare-after"):
                        yield Static(id="compare-after-body")
                with VerticalScroll(id="compare-sql"):
                    yield Static(id="compare-sql-body")
        yield Footer()

    def on_mount(self) -> None:
        tree = self.query_one(DiffTree)
        tree.show_root = False
        tree.focus()
        self.query_one("#compare-before").border_title = "before (FROM)"
        self.query_one("#compare-after").border_title = "after (TO)"
        self.query_one("#compare-sql").border_title = "SQL from FROM to TO"

    @staticmethod
    def _hint(choices: list[str]) -> str:
        return f"Sources: {', '.join(choices)}, or a URL or SQLite path. c compares."

    # -- comparing ---------------------------------------------------------------------------

    def _spec(self, widget_id: str) -> str:
        """What a picker names, `current` read as the open connection's target."""
        value = self.query_one(widget_id, Input).value.strip()
        return self.app.target.url if value == CURRENT else value

    def action_compare(self) -> None:
        """Load both sources and diff them, in a worker."""
        source, target = self._spec("#compare-from"), self._spec("#compare-to")
        if not source or not target or self.busy:
            return
        self.busy = True
        self._state(f"Comparing {self._label('#compare-from')} with {self._label('#compare-to')}…")
        self._compare(source, target)

    def _label(self, widget_id: str) -> str:
        return self.query_one(widget_id, Input).value.strip()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DiffTree).focus()
        self.action_compare()

    @work(thread=True, group="compare", exclusive=True, exit_on_error=False)
    def _compare(self, source: str, target: str) -> None:
        try:
            comparison = compare(source, target, self.app.project)
        except Exception as exc:  # a bad URL, a refused connection, a migration that fails to replay
            self.post_message(self.Failed(_describe(exc)))
            return
        self.post_message(self.Compared(comparison))

    def on_compare_screen_compared(self, message: Compared) -> None:
        self.busy = False
        self.comparison = message.comparison

    def watch_comparison(self, comparison: Comparison | None) -> None:
        if comparison is None:
            return
        up = comparison.both.up
        tree = self.query_one(DiffTree)
        tree.show(up.entries)
        counts = {s: sum(e.status == s for e in up.entries) for s in STATUSES}
        said = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        problems = f" {len(up.problems)} cannot be done: {up.problems[0]}" if up.problems else ""
        self._state(
            f"{self._label('#compare-from')} → {self._label('#compare-to')}: "
            + (
                f"{len(up.entries)} differences ({said}).{problems} w writes the migration."
                if not up.same
                else "the same schema."
            )
        )
        sql = up.sql().strip()
        self.query_one("#compare-sql-body", Static).update(
            sql_syntax(sql, self.app.current_theme.dark) if sql else Text("No statements: nothing to do.")
        )
        self._show_entry(tree.cursor_node.data if tree.cursor_node is not None else None)
        self.refresh_bindings()

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[DiffEntry | None]) -> None:
        self._show_entry(event.node.data)

    def _show_entry(self, entry: DiffEntry | None) -> None:
        """The highlighted object's DDL before and after; a group shows nothing."""
        dark = self.app.current_theme.dark
        for side, ddl, missing in (
            ("before", entry.before_ddl if entry else None, "not in FROM"),
            ("after", entry.after_ddl if entry else None, "not in TO"),
        ):
            body = self.query_one(f"#compare-{side}-body", Static)
            if entry is None:
                body.update("")
            else:
                body.update(sql_syntax(ddl, dark) if ddl else Text(f"({missing})", style="italic"))
        details = self.query_one("#compare-before")
        details.border_subtitle = "; ".join(entry.details) if entry and entry.details else ""

    def action_swap(self) -> None:
        """Swap FROM and TO, and compare again."""
        a, b = self.query_one("#compare-from", Input), self.query_one("#compare-to", Input)
        a.value, b.value = b.value, a.value
        self.action_compare()

    # -- writing -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`w` only with differences to write and a project to write them into."""
        if action == "write":
            c = self.comparison
            ready = c is not None and bool(c.both.up.statements) and self.app.project is not None and not self.busy
            return True if ready else None
        if action in ("compare", "swap"):
            return None if self.busy else True
        return True

    def action_write(self) -> None:
        """Ask the name, then write the SQL as the project's next migration."""
        comparison = self.comparison
        if comparison is None or self.app.project is None:
            return

        def named(name: str | None) -> None:
            if name:
                self.busy = True
                self._write(comparison, name)

        self.app.push_screen(
            NameDialog(
                "Name of the new migration (e.g. add_invoices)",
                "Enter writes it into the project's migrations folder. Esc cancels.",
            ),
            named,
        )

    @work(thread=True, group="compare-write", exclusive=True, exit_on_error=False)
    def _write(self, comparison: Comparison, name: str) -> None:
        project = self.app.project
        assert project is not None
        try:
            written = comparison.write(project, name)
        except Exception as exc:
            self.post_message(self.Failed(_describe(exc)))
            return
        self.post_message(self.WroteMigration(written))

    def on_compare_screen_wrote_migration(self, message: WroteMigration) -> None:
        self.busy = False
        lines = message.written.lines()
        self._state("; ".join(lines))
        self.notify("\n".join(lines), title="Migration written")

    def on_compare_screen_failed(self, message: Failed) -> None:
        self.busy = False
        self._state(message.message)
        self.notify(message.message, severity="error", timeout=8)

    def watch_busy(self, busy: bool) -> None:
        self.refresh_bindings()

    def _state(self, text: str) -> None:
        self.query_one("#compare-state", Static).update(Text(text))
