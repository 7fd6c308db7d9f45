"""Asking before a change: a confirmation dialog, and the field where a phrase is typed to confirm.

A protected profile (production) never gets a change from a single key press: the person types
the profile's name. `phrase_for` is the one rule for what must be typed, shared by every screen.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from workbench.project import Target
from workbench.tui.widgets.footer import Footer


def phrase_for(target: Target, otherwise: str | None) -> str | None:
    """What to type: the profile's name when it is protected, else `otherwise` (None: nothing)."""
    return target.protected_by.name if target.protected_by is not None else otherwise


def phrase_prompt(target: Target, phrase: str, action: str) -> str:
    """The sentence above the field, saying what to type and why."""
    if target.protected_by is not None and phrase == target.protected_by.name:
        return f"{target.protection()}: type {phrase} to {action}."
    return f"Type {phrase} to {action}."


class PhraseInput(Input):
    """The field a confirmation phrase is typed into; Backspace in the empty field asks to go back."""

    class BackRequested(Message):
        """Backspace was pressed with nothing left to delete."""

    def action_delete_left(self) -> None:
        if self.value:
            super().action_delete_left()
        else:
            self.post_message(self.BackRequested())


class ConfirmDialog(ModalScreen[bool]):
    """`body` (what will happen) and, when `phrase` is set, a field where it must be typed.

    Dismissed with True only when confirmed (Enter, and the phrase typed exactly); Escape is False.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "confirm", "Confirm", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, title: str, body: Widget, action: str, target: Target, phrase: str | None = None) -> None:
        super().__init__()
        self.heading = title
        self.body = body
        self.action_words = action
        self.target = target
        self.phrase = phrase

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm-dialog"):
            yield Label(Text(self.heading, style="bold"))
            with VerticalScroll(classes="confirm-body"):
                yield self.body
            if self.phrase is not None:
                yield Static(Text(phrase_prompt(self.target, self.phrase, self.action_words)), classes="confirm-prompt")
                yield PhraseInput(placeholder=self.phrase, id="confirm-phrase")
            yield Static(id="dialog-error", classes="dialog-error")
            yield Static(f"Enter to {self.action_words} · Escape cancels, nothing is changed", classes="dialog-hint")
        yield Footer()

    def on_mount(self) -> None:
        if self.phrase is not None:
            self.query_one(PhraseInput).focus()

    def action_confirm(self) -> None:
        """Go ahead (once the phrase, if any, is typed exactly)."""
        if self.phrase is not None and self.query_one(PhraseInput).value.strip() != self.phrase:
            self.query_one("#dialog-error", Static).update(Text(f"Type {self.phrase} exactly, or press Escape."))
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(False)

    def on_phrase_input_back_requested(self) -> None:
        self.action_cancel()
