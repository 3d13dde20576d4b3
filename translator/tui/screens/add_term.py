"""Provides AddTermScreen: a small form that adds an entry to a glossary file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from translator.errors import TranslatorError
from translator.glossary.layers import split_renderings
from translator.tui.desk_services import KnownTerm, NewTerm

TYPES = ("person", "place", "organisation", "term")


class FormInput(Input):
    """An Input that hands on keys typed after a Tab in the same burst.

    The app routes every key of a burst to the field focused when it reads the key, while the
    Tab that moves the focus is applied by that field later, in order. Keys that reach a field
    after it lost the focus belong to the field that has it now.
    """

    async def _on_key(self, event: events.Key) -> None:
        focused = self.screen.focused
        if focused is not None and focused is not self:
            event.prevent_default()
            event.stop()
            focused.post_message(events.Key(event.key, event.character))


class AddTermScreen(ModalScreen[NewTerm | None]):
    """Arabic, English, renderings to avoid, type, file, note; ctrl+s or the button adds, escape cancels.

    `add` writes the entry (DeskServices.add_term: a new entry, or the file's own entry for the
    same Arabic and English extended); if it fails (a broken glossary file, a conflict, an
    avoided rendering inside the accepted English) the error is shown and the form stays open
    with what was typed. `known` (DeskServices.known_term) says which entry the Arabic already
    has: the form shows it and fills in its English and type when no English was typed.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "add", "Add", priority=True),
        # Queued behind the keys typed just before it (one burst): they stay in their field, and
        # the field hands the keys after it to the next one (FormInput).
        Binding("tab", "queued_focus(1)", "Next field", show=False, priority=True),
        Binding("shift+tab", "queued_focus(-1)", "Previous field", show=False, priority=True),
    ]

    def __init__(self, arabic: str, english: str, files: Sequence[Path],
                 add: Callable[[NewTerm], str] | None = None,
                 known: Callable[[str], KnownTerm | None] | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.arabic = arabic
        self.english = english
        self.files = list(files)
        self.add = add
        self.known = known
        self.message = ""
        """The confirmation of the added entry."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="add-term"):
            yield Label("Add a glossary term  ·  ctrl+s adds, escape cancels", classes="dialog-title")
            yield FormInput(self.arabic, id="term-arabic", placeholder="Arabic (as written in the article)")
            yield FormInput(self.english, id="term-english", placeholder="English to use")
            yield Label("", id="term-known", classes="form-note")
            yield FormInput(id="term-avoid", placeholder="wrong English to avoid (optional), separated by ; or ,")
            with Horizontal(classes="form-row"):
                yield Select([(t, t) for t in TYPES], value="term", allow_blank=False, id="term-type")
                yield Select([(f"{f.parent.name}/{f.name}", f) for f in self.files], value=self.files[0], allow_blank=False, id="term-file")
            yield FormInput(id="term-note", placeholder="note for translators (optional)")
            yield Button("Add term", id="term-add", variant="primary")

    cursor_blink = True
    """The review screen turns it off for snapshot tests."""

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.cursor_blink
        self._show_known(self.arabic)
        self.query_one("#term-english" if self.arabic and not self.english else "#term-arabic", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "term-arabic":
            self._show_known(event.value)

    def _show_known(self, arabic: str) -> None:
        """Say which entry the Arabic already has; fill in its English and type if none was typed."""
        known = self.known(arabic) if self.known is not None else None
        label = self.query_one("#term-known", Label)
        label.update(known.line if known is not None else "")
        label.display = known is not None
        english = self.query_one("#term-english", Input)
        if known is not None and not english.value.strip():
            english.value = known.english
            self.query_one("#term-type", Select).value = known.type

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_add()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_add()

    def action_queued_focus(self, step: int) -> None:
        """Move to the next (1) or previous (-1) field once the keys typed before are applied."""
        (self.focused or self).call_later(self.focus_next if step > 0 else self.focus_previous)

    def action_add(self) -> None:
        arabic = self.query_one("#term-arabic", Input).value.strip()
        english = self.query_one("#term-english", Input).value.strip()
        if not arabic or not english:
            self.notify("Both the Arabic and the English are needed.", severity="warning")
            return
        term = NewTerm(
            arabic=arabic,
            english=english,
            type=str(self.query_one("#term-type", Select).value),
            file=Path(str(self.query_one("#term-file", Select).value)),
            note=self.query_one("#term-note", Input).value.strip(),
            avoid=tuple(split_renderings(self.query_one("#term-avoid", Input).value)),
        )
        if self.add is not None:
            try:
                self.message = self.add(term)
            except TranslatorError as exc:
                self.notify(f"{exc}\nThe form keeps what you typed: fix the file, or choose another one.",
                            title="Glossary", severity="error", timeout=15)
                return
        self.dismiss(term)

    def action_cancel(self) -> None:
        self.dismiss(None)
