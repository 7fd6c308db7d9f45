"""The connection picker (ctrl+o): switch to another database without leaving the workbench.

It lists the project's profiles and the targets opened lately (`workbench.tui.recent`), and takes
a URL, a SQLite path or a profile name typed in. A choice is resolved as the command line
resolves its argument (so a URL naming a protected profile's database stays protected) and opened
in a thread worker while the current connection stays in use; only once the new one is open, and
its names read, is the picker dismissed with it (an `Opening` whose futures are done). A target
that cannot be opened gives one sentence here and changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from workbench.db import redact
from workbench.project import Project, Target, resolve_target
from workbench.tui.describe import describe
from workbench.tui.recent import recent_targets
from workbench.tui.session import Opening
from workbench.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp


class ConnectScreen(ModalScreen[Opening | None]):
    """Dismissed with the opened connection, or None (Escape: the current one stays)."""

    CSS_PATH = "../styles/connect.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Keep the current connection")]

    app: WorkbenchApp

    class Opened(Message):
        def __init__(self, opening: Opening) -> None:
            super().__init__()
            self.opening = opening

    class Failed(Message):
        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self, project: Project | None, current: str | None) -> None:
        """`current`: the connection in use, as shown (None: there is none)."""
        super().__init__()
        self.project = project
        self.current = current
        self.connecting = False
        self._abandoned = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog connect-dialog"):
            yield Label(Text("Connect to another database", style="bold"))
            yield Static(Text(f"Now: {self.current or 'not connected'}"), classes="dialog-hint")
            yield OptionList(*self.choices(), id="connect-choices")
            yield Input(placeholder="a URL, a SQLite path or a profile name", id="connect-target")
            yield Static(id="connect-status", classes="dialog-error")
            yield Static("Enter connects · Tab: list or field · Escape keeps the current one", classes="dialog-hint")
        yield Footer()

    def choices(self) -> list[Option]:
        """Profiles, then recent targets; headings are disabled options, ids say what to open."""
        out: list[Option] = []
        profiles = self.project.profiles if self.project else {}
        if profiles:
            out.append(Option(Text(f"Profiles of {self.project.name}", style="bold"), disabled=True))  # type: ignore[union-attr]
            for name, p in profiles.items():
                label = Text.assemble(f"  {name}  ", (redact(p.url), "dim"), ("  protected" if p.protected else ""))
                out.append(Option(label, id=f"profile:{name}"))
        recent = recent_targets()
        if recent:
            out.append(Option(Text("Recent", style="bold"), disabled=True))
            out += [Option(Text(f"  {url}"), id=f"url:{url}") for url in recent]
        if not out:
            out.append(Option(Text("No profiles or recent databases yet: type one below.", style="dim"), disabled=True))
        return out

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        if any(not o.disabled for o in choices.options):
            choices.highlighted = next(i for i, o in enumerate(choices.options) if not o.disabled)
            choices.focus()
        else:
            self.query_one(Input).focus()

    def on_unmount(self) -> None:
        self._abandoned = True  # a connection still opening is closed when it arrives

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        _kind, _, value = (event.option.id or "").partition(":")
        self.open(value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self._say("Type a URL (postgresql://…, sqlite:///…), a SQLite path or a profile name.")
            return
        self.open(text)

    def open(self, text: str) -> None:
        """Resolve `text` as the command line would and open it in the background."""
        if self.connecting:
            return
        try:
            target = resolve_target(text, self.project) if self.project else Target(text)
        except Exception as exc:  # an unknown profile and the like: one sentence
            self._say(describe(exc))
            return
        self.connecting = True
        self.query_one("#connect-status", Static).set_class(False, "dialog-error")
        self._say(f"Connecting to {redact(target.url)}…")
        self._open(Opening(target))

    @work(thread=True, group="connect-picker", exclusive=True, exit_on_error=False)
    def _open(self, opening: Opening) -> None:
        """Wait for the connection and its names; report one sentence if either fails."""
        try:
            session = opening.session.result()
        except Exception as exc:
            self.post_message(self.Failed(describe(exc)))
            return
        try:
            opening.outline.result()
        except Exception as exc:
            session.close()
            self.post_message(self.Failed(describe(exc)))
            return
        if self._abandoned:
            session.close()
            return
        self.post_message(self.Opened(opening))

    def on_connect_screen_opened(self, message: Opened) -> None:
        self.dismiss(message.opening)

    def on_connect_screen_failed(self, message: Failed) -> None:
        self.connecting = False
        self.query_one("#connect-status", Static).set_class(True, "dialog-error")
        self._say(f"{message.message} — still connected to {self.current}." if self.current else message.message)

    def action_cancel(self) -> None:
        """Close; the current connection stays."""
        self.dismiss(None)

    def _say(self, text: str) -> None:
        self.query_one("#connect-status", Static).update(Text(text))
