"""Backups (`b` on the Migrations screen): every backup table, grouped by the migration it belongs to.

Each with its rows, the space dropping it frees, its age and why it was taken (before a
migration, before a rollback, before a restore), and whether it is *needed* (the live apply of
its migration restores from it on rollback) or *stale* (and why no rollback needs it). `c`
compares the highlighted backup with its live table (row counts, checksums, content over the
common columns, columns added or removed), `r` restores that one table from it, `p` purges:
the engine's preview of what goes, what stays and the space freed, starting from the project's
`keep_backups` rule; restore and purge ask first (the profile's name typed, when it is protected).

Database work runs in thread workers holding the session as "migrate"; restore and purge post
`SchemaChanged` so the app and every screen read the catalog again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widgets import Checkbox, Input, Label, Static, Tree

from workbench.errors import UsageError, WorkbenchError
from workbench.migrations.backups import BEFORE_MIGRATION
from workbench.migrations.discovery import version_key
from workbench.migrations.engine import BackupInfo
from workbench.migrations.ledger import Status
from workbench.migrations.progress import Progress
from workbench.migrations.purge import PurgePreview, purge_preview, size_text, total
from workbench.migrations.retention import parse_age, project_retention
from workbench.migrations.restore import Comparison, Restored
from workbench.migrations.service import canonical
from workbench.tui.messages import SchemaChanged
from workbench.tui.migration_state import age, service_for, when
from workbench.tui.widgets.confirm import (
    ConfirmDialog,
    PhraseInput,
    phrase_for,
    phrase_prompt,
)
from workbench.tui.widgets.footer import Footer
from workbench.tui.widgets.header import WorkbenchHeader
from workbench.tui.widgets.progress_panel import ProgressPanel
from workbench.tui.describe import describe as _describe

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.session import DbSession


def now_utc() -> datetime:
    return datetime.now(UTC)


class BackupTree(Tree[object]):
    """Migrations holding backups; node data is the migration's canonical version or a `BackupInfo`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"backup-tree--muted", "backup-tree--needed", "backup-tree--stale"}

    def group_label(self, heading: str, infos: list[BackupInfo]) -> Text:
        stale = [i for i in infos if not i.needed]
        return Text.assemble(
            (heading, "bold"),
            (
                f"   {len(infos)} backup{'s' * (len(infos) != 1)} · {total(infos)}"
                + (f" · {len(stale)} stale, purge frees {total(stale)}" if stale else ""),
                self.get_component_rich_style("backup-tree--muted"),
            ),
        )

    def leaf_label(self, info: BackupInfo, clock: Callable[[], datetime], name_width: int) -> Text:
        """One backup; `name_width` is the longest source name shown, so the figures line up."""
        b = info.backup
        space = size_text(info.size, info.size_estimated)
        label = Text(f"#{b.id:<3} ")  # needed or stale first: a narrow tree cuts the end of the line
        state = "needed" if info.needed else "stale"
        label.append(f"{state:<7}", style=self.get_component_rich_style(f"backup-tree--{state}"))
        label.append(f"{b.source:<{name_width}} {b.row_count:>9,} rows {space:>10} {age(b.created_at, clock):>6}  ")
        label.append(b.purpose.removeprefix("before "), style=self.get_component_rich_style("backup-tree--muted"))
        return label


class BackupDetail(Static):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "backup-detail--heading",
        "backup-detail--muted",
        "backup-detail--same",
        "backup-detail--differs",
    }

    def part(self, name: str) -> str:
        return str(self.get_component_rich_style(f"backup-detail--{name}"))

    def show(
        self, info: BackupInfo, version: str, comparison: Comparison | None, clock: Callable[[], datetime]
    ) -> None:
        """`version`: the migration as its file names it."""
        b = info.backup
        parts: list[RenderableType] = [
            Text(f"#{b.id} {b.source}", style=self.part("heading")),
            Text(
                f"{b.purpose} {version} · taken {when(b.created_at)} UTC, {age(b.created_at, clock)} ago",
                style=self.part("muted"),
            ),
            Text(f"{b.row_count:,} rows · {size_text(info.size, info.size_estimated)} · kept as {b.backup_table}"),
            Text(f"columns: {', '.join(b.definition.column_names)}", style=self.part("muted")),
        ]
        if info.needed:
            parts.append(
                Text(f"Needed: rolling back {version} restores {b.source} from it. Purge keeps it unless forced.")
            )
        else:
            parts.append(
                Text(f"Stale: {info.why_not_needed}. Purging it frees {size_text(info.size, info.size_estimated)}.")
            )
        if comparison is None:
            parts.append(Text("\nc compares it with the live table · r restores the table from it"))
        else:
            parts += [Text("\nCompared with the live table", style=self.part("heading")), *self.comparison(comparison)]
        self.update(Group(*parts))

    def comparison(self, c: Comparison) -> list[Text]:
        b = c.backup
        if c.live_rows is None:
            return [
                Text(
                    f"{b.source} does not exist now: restoring recreates it with its {b.row_count:,} rows.",
                    style=self.part("differs"),
                )
            ]
        rows = c.live_rows - b.row_count
        out = [
            self.verdict(
                not rows,
                f"rows: {c.live_rows:,} live, {b.row_count:,} in the backup" + (f" ({rows:+,} since)" if rows else ""),
            ),
            self.verdict(
                not (c.columns_added or c.columns_removed),
                "columns: "
                + (
                    "the same"
                    if not (c.columns_added or c.columns_removed)
                    else "; ".join(
                        x
                        for x in (
                            f"added since: {', '.join(c.columns_added)}" if c.columns_added else "",
                            f"removed since: {', '.join(c.columns_removed)}" if c.columns_removed else "",
                        )
                        if x
                    )
                ),
            ),
            self.verdict(
                not (c.only_in_backup or c.only_in_live),
                "content over the common columns: "
                + (
                    "the same"
                    if not (c.only_in_backup or c.only_in_live)
                    else f"{c.only_in_backup:,} rows only in the backup, {c.only_in_live:,} only in the live table"
                ),
            ),
            Text(f"checksums: backup {c.backup_checksum}, live {c.live_checksum}", style=self.part("muted")),
        ]
        return out

    def verdict(self, same: bool, text: str) -> Text:
        return Text.assemble(("= " if same else "≠ ", self.part("same" if same else "differs")), text)


class PurgeDialog(ModalScreen[tuple[PurgePreview, bool] | None]):
    """What a purge drops, as the engine previews it for the age and force chosen; returns that
    preview (and whether to vacuum afterwards) once confirmed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "purge", "Purge", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        infos: list[BackupInfo],
        retention: str,
        phrase: str | None,
        prompt: str,
        clock: Callable[[], datetime],
    ) -> None:
        """`retention`: the project's keep_backups, the age the dialog starts from ("" for none)."""
        super().__init__()
        self.infos = infos
        self.retention = retention
        self.phrase = phrase
        self.prompt = prompt
        self.clock = clock

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm-dialog"):
            yield Label(Text("Purge backups no rollback needs", style="bold"))
            rule = f"the project keeps {self.retention}" if self.retention else "no keep_backups in the project"
            yield Static(f"Only those older than (1w, 7d, 12h; empty: every stale one; {rule}):")
            yield Input(value=self.retention, id="purge-age")
            yield Checkbox("Also drop needed backups (their rollback loses its rows)", False, id="purge-force")
            yield Checkbox("Then give the space back to the file system (SQLite VACUUM)", False, id="purge-vacuum")
            with VerticalScroll(id="purge-preview-box"):
                yield Static(id="purge-preview")
            if self.phrase is not None:
                yield Static(Text(self.prompt), classes="confirm-prompt")
                yield PhraseInput(placeholder=self.phrase, id="purge-phrase")
            yield Static(id="dialog-error", classes="dialog-error")
            yield Static("Enter purges what is listed · Escape cancels, nothing is dropped", classes="dialog-hint")
        yield Footer()

    def on_mount(self) -> None:
        self._preview()

    def on_input_changed(self) -> None:
        self._preview()

    def on_checkbox_changed(self) -> None:
        self._preview()

    def choice(self) -> PurgePreview:
        """The engine's preview for the age and force chosen (a bad age is a UsageError)."""
        text = self.query_one("#purge-age", Input).value.strip()
        older_than = parse_age(text) if text else None
        force = self.query_one("#purge-force", Checkbox).value
        return purge_preview(self.infos, older_than, force, self.clock())

    def _preview(self) -> None:
        box = self.query_one("#purge-preview", Static)
        try:
            box.update(Text("\n".join(self.choice().lines())))
        except UsageError as exc:
            box.update(Text(str(exc)))

    def action_purge(self) -> None:
        """Purge what the preview lists (once the phrase, if any, is typed)."""
        error = self.query_one("#dialog-error", Static)
        try:
            preview = self.choice()
        except UsageError as exc:
            error.update(Text(str(exc)))
            return
        vacuum = self.query_one("#purge-vacuum", Checkbox).value
        if not preview.drops and not vacuum:
            error.update(Text("Nothing to purge as chosen; Escape closes."))
            return
        if self.phrase is not None and self.query_one(PhraseInput).value.strip() != self.phrase:
            error.update(Text(f"Type {self.phrase} exactly, or press Escape."))
            return
        self.dismiss((preview, vacuum))

    def action_cancel(self) -> None:
        """Close without dropping anything."""
        self.dismiss(None)


class BackupsScreen(Screen[None]):
    CSS_PATH = ["../styles/migrations.tcss", "../styles/backups.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Migrations"),
        Binding("c", "compare", "Compare"),
        Binding("r", "restore", "Restore table"),
        Binding("p", "purge", "Purge stale"),
        Binding("ctrl+r", "reload", "Reload"),
    ]
    clock: ClassVar[staticmethod[[], datetime]] = staticmethod(now_utc)  # ages are measured against it

    app: WorkbenchApp
    infos: reactive[tuple[BackupInfo, ...] | None] = reactive(None, always_update=True)
    busy: reactive[bool] = reactive(False)

    class Loaded(Message):
        def __init__(self, infos: tuple[BackupInfo, ...], statuses: tuple[Status, ...]) -> None:
            super().__init__()
            self.infos = infos
            self.statuses = statuses

    class Failed(Message):
        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    class Compared(Message):
        def __init__(self, comparison: Comparison) -> None:
            super().__init__()
            self.comparison = comparison

    class Progressed(Message):
        def __init__(self, progress: Progress) -> None:
            super().__init__()
            self.progress = progress

    class Done(Message):
        """A restore or purge finished; `text` says what it did."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self) -> None:
        super().__init__(name="backups")
        self.statuses: dict[str, Status] = {}
        self.comparisons: dict[int, Comparison] = {}

    def compose(self) -> ComposeResult:
        yield WorkbenchHeader()
        yield Static(id="backups-state")
        yield ProgressPanel(id="backups-progress")
        with Horizontal(id="backups"):
            yield BackupTree("backups", id="backup-tree")
            with VerticalScroll(id="backup-detail"):
                yield BackupDetail(id="backup-detail-body")
        yield Static(id="backups-message")
        yield Footer()

    def on_mount(self) -> None:
        tree = self.query_one(BackupTree)
        tree.show_root = False
        tree.focus()
        self.action_reload()

    # -- loading -----------------------------------------------------------------------------

    def action_reload(self) -> None:
        """Read the backup catalog again."""
        if self.app.session is not None:
            self._load(self.app.session)

    @work(thread=True, group="backups-load", exclusive=True, exit_on_error=False)
    def _load(self, session: DbSession) -> None:
        try:
            with session.use("migrate") as conn:
                svc = service_for(conn, self.app.project)
                infos, statuses = tuple(svc.backups()), tuple(svc.status())
        except Exception as exc:  # every failure becomes a sentence on screen
            self.post_message(self.Failed(_describe(exc)))
            return
        self.post_message(self.Loaded(infos, statuses))

    def on_backups_screen_loaded(self, message: Loaded) -> None:
        self.statuses = {canonical(s): s for s in message.statuses}
        self.comparisons = {}
        self.infos = message.infos

    def on_backups_screen_failed(self, message: Failed) -> None:
        self.busy = False
        self._message(message.message)
        self.notify(message.message, severity="error", timeout=8)

    def watch_infos(self, infos: tuple[BackupInfo, ...] | None) -> None:
        if infos is None:
            return
        tree = self.query_one(BackupTree)
        selected = self.selected
        tree.clear()
        groups: dict[str, list[BackupInfo]] = {}
        for info in infos:
            groups.setdefault(info.backup.migration, []).append(info)
        target = None
        name_width = max(len(i.backup.source) for i in infos) if infos else 0
        for version in sorted(groups, key=version_key):
            status = self.statuses.get(version)
            heading = (
                f"{status.version} {status.name}  {status.state}" if status else f"{version}  (no such migration now)"
            )
            node = tree.root.add(tree.group_label(heading, groups[version]), data=version, expand=True)
            for info in groups[version]:
                leaf = node.add_leaf(tree.leaf_label(info, self.clock, name_width), data=info)
                if isinstance(selected, BackupInfo) and selected.backup.id == info.backup.id:
                    target = leaf
        first = next(iter(tree.root.children), None)
        if target or first:  # once the tree has laid out its new lines
            tree.call_after_refresh(
                tree.move_cursor, target or (first.children[0] if first and first.children else first)
            )
        stale = [i for i in infos if not i.needed]
        self.query_one("#backups-state", Static).update(
            Text(
                f"{len(infos)} backups of {len(groups)} migrations · {total(infos)} · "
                f"{len(infos) - len(stale)} needed by the live applies · "
                + (f"{len(stale)} stale: purge frees {total(stale)}" if stale else "none stale")
            )
        )
        self._message("" if infos else "No backups: the workbench takes one before a migration can lose data.")
        self._show_detail()
        self.refresh_bindings()

    # -- detail ------------------------------------------------------------------------------

    @property
    def selected(self) -> object:
        """The `BackupInfo` (or a migration's version) under the cursor."""
        node = self.query_one(BackupTree).cursor_node
        return node.data if node is not None else None

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[object]) -> None:
        self._show_detail()
        self.refresh_bindings()

    def _show_detail(self) -> None:
        selected, detail = self.selected, self.query_one(BackupDetail)
        if isinstance(selected, BackupInfo):
            status = self.statuses.get(selected.backup.migration)
            detail.show(
                selected,
                status.version if status else selected.backup.migration,
                self.comparisons.get(selected.backup.id),
                self.clock,
            )
        elif isinstance(selected, str) and self.infos is not None:
            infos = [i for i in self.infos if i.backup.migration == selected]
            status = self.statuses.get(selected)
            detail.update(
                Text(
                    f"{len(infos)} backups of migration {status.version if status else selected}; "
                    "open one to compare or restore it."
                )
            )
        else:
            detail.update("")

    # -- compare, restore, purge ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Compare and restore need a backup under the cursor; nothing starts while one runs."""
        if action in ("compare", "restore", "purge", "reload") and (self.busy or self.app.session is None):
            return None
        if action in ("compare", "restore"):
            return True if isinstance(self.selected, BackupInfo) else None
        if action == "purge":
            return True if self.infos else None
        return True

    def action_compare(self) -> None:
        """Compare the highlighted backup with its live table."""
        if isinstance(self.selected, BackupInfo) and self.app.session is not None:
            self.busy = True
            self._compare(self.app.session, self.selected)

    @work(thread=True, group="backups-compare", exclusive=True, exit_on_error=False)
    def _compare(self, session: DbSession, info: BackupInfo) -> None:
        try:
            with session.use("migrate") as conn:
                comparison = service_for(conn, self.app.project).compare(info.backup)
        except Exception as exc:
            self.post_message(self.Failed(_describe(exc)))
            return
        self.post_message(self.Compared(comparison))

    def on_backups_screen_compared(self, message: Compared) -> None:
        self.busy = False
        self.comparisons[message.comparison.backup.id] = message.comparison
        self._show_detail()

    def action_restore(self) -> None:
        """Put the highlighted backup's table back as it holds it, after a confirmation."""
        info = self.selected
        if not isinstance(info, BackupInfo):
            return
        b = info.backup
        status = self.statuses.get(b.migration)
        lines = [
            Text(
                f"{b.source} gets back its definition and its {b.row_count:,} rows as backup #{b.id} holds them "
                f"({b.purpose} {status.version if status else b.migration}, taken {when(b.created_at)} UTC)."
            ),
            Text("The rows it holds now are copied into a safety backup first, so this can be undone."),
        ]
        if b.purpose == BEFORE_MIGRATION and status is not None and status.state in ("applied", "drifted"):
            lines.append(
                Text(
                    f"Migration {status.version} is still applied: the table will look as it did before it. "
                    "To undo the whole migration, use the rollback wizard (r on the Migrations screen)."
                )
            )

        def go(confirmed: bool | None) -> None:
            if confirmed and self.app.session is not None:
                self.busy = True
                panel = self.query_one(ProgressPanel)
                panel.display = True
                panel.start(f"restoring {b.source} from backup #{b.id}…")
                self._restore(self.app.session, info)

        dialog = ConfirmDialog(
            f"Restore {b.source} from backup #{b.id}?",
            Static(Group(*lines)),
            "restore",
            self.app.target,
            phrase_for(self.app.target, None),
        )
        self.app.push_screen(dialog, go)

    @work(thread=True, group="backups-change", exclusive=True, exit_on_error=False)
    def _restore(self, session: DbSession, info: BackupInfo) -> None:
        try:
            with session.use("migrate") as conn:
                svc = service_for(conn, self.app.project, progress=lambda p: self.post_message(self.Progressed(p)))
                done: Restored = svc.restore(info.backup)
        except Exception as exc:  # refused or failed: the database is as it was
            self.post_message(self.Failed(_describe(exc)))
            return
        safety = f"; its previous rows are in backup #{done.safety.id}" if done.safety else ""
        self.post_message(
            self.Done(f"Restored {done.backup.source}: {done.rows:,} rows from backup #{done.backup.id}{safety}.")
        )
        self.post_message(SchemaChanged())

    def action_purge(self) -> None:
        """Preview what a purge drops (from the project's retention rule), then purge after a yes."""
        if not self.infos:
            return
        try:
            rule = project_retention(self.app.project)
        except WorkbenchError as exc:  # a keep_backups that is not an age: say so, start from none
            self.notify(str(exc), severity="warning", timeout=8)
            rule = None
        phrase = phrase_for(self.app.target, None)
        prompt = phrase_prompt(self.app.target, phrase, "purge") if phrase else ""

        def go(choice: tuple[PurgePreview, bool] | None) -> None:
            if choice is not None and self.app.session is not None:
                self.busy = True
                self._purge(self.app.session, *choice)

        dialog = PurgeDialog(list(self.infos), rule.text if rule else "", phrase, prompt, self.clock)
        self.app.push_screen(dialog, go)

    @work(thread=True, group="backups-change", exclusive=True, exit_on_error=False)
    def _purge(self, session: DbSession, preview: PurgePreview, vacuum: bool) -> None:
        try:
            with session.use("migrate") as conn:
                svc = service_for(conn, self.app.project)
                lines = svc.purge(preview).lines() if preview.drops else []
                if vacuum:
                    lines += svc.vacuum().lines()
        except Exception as exc:
            self.post_message(self.Failed(_describe(exc)))
            return
        self.post_message(self.Done(" ".join(lines)))
        self.post_message(SchemaChanged())

    def on_backups_screen_progressed(self, message: Progressed) -> None:
        self.query_one(ProgressPanel).advance(message.progress)

    def on_backups_screen_done(self, message: Done) -> None:
        self.busy = False
        self._message("")
        self.notify(message.text, timeout=6)
        self.action_reload()

    def watch_busy(self, busy: bool) -> None:
        progress = self.query_one(ProgressPanel)
        if not busy:
            progress.display = False
        self.refresh_bindings()

    def _message(self, text: str) -> None:
        box = self.query_one("#backups-message", Static)
        box.display = bool(text)
        box.update(Text(text))
