"""Provides AddTermScreen: a small form that adds an entry to a glossary file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from translator.tui.desk_services import NewTerm

TYPES = ("person", "place", "organisation", "term")


class AddTermScreen(ModalScreen[NewTerm | None]):
    """Arabic, English, type, file; ctrl+s or the button adds, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "add", "Add", priority=True)]

    def __init__(self, arabic: str, english: str, files: Sequence[Path]) -> None:
        super().__init__(classes="dialog-screen")
        self.arabic = arabic
        self.english = english
        self.files = list(files)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="add-term"):
            yield Label("Add a glossary term  ·  ctrl+s adds, escape cancels", classes="dialog-title")
            yield Input(self.arabic, id="term-arabic", placeholder="Arabic (as written in the article)")
            yield Input(self.english, id="term-english", placeholder="English to use")
            with Horizontal(classes="form-row"):
                yield Select([(t, t) for t in TYPES], value="term", allow_blank=False, id="term-type")
                yield Select([(f"{f.parent.name}/{f.name}", f) for f in self.files], value=self.files[0], allow_blank=False, id="term-file")
            yield Input(id="term-note", placeholder="note for translators (optional)")
            yield Button("Add term", id="term-add", variant="primary")

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = getattr(self.app, "options", None) is None or self.app.options.cursor_blink  # type: ignore[attr-defined]
        self.query_one("#term-english" if self.arabic and not self.english else "#term-arabic", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_add()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_add()

    def action_add(self) -> None:
        arabic = self.query_one("#term-arabic", Input).value.strip()
        english = self.query_one("#term-english", Input).value.strip()
        if not arabic or not english:
            self.notify("Both the Arabic and the English are needed.", severity="warning")
            return
        self.dismiss(NewTerm(
            arabic=arabic,
            english=english,
            type=str(self.query_one("#term-type", Select).value),
            file=Path(str(self.query_one("#term-file", Select).value)),
            note=self.query_one("#term-note", Input).value.strip(),
        ))

    def action_cancel(self) -> None:
        self.dismiss(None)
