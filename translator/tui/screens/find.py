"""Provides FindScreen: ask for text to find in the article (Arabic or English)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class FindScreen(ModalScreen[str | None]):
    """One input; enter finds, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, query: str = "", cursor_blink: bool = True) -> None:
        super().__init__(classes="dialog-screen")
        self.query_text = query
        self.cursor_blink = cursor_blink

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="find-dialog"):
            yield Label("Find in Arabic or English (F3 finds the next one)")
            yield Input(self.query_text, id="find-input", placeholder="text to find")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.cursor_blink = self.cursor_blink

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
