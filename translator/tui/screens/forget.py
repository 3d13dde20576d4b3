"""Provides ForgetScreen: pick the memory suggestion to delete (a bad or junk entry)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from translator.store.memory_entry import FuzzyMatch


class ForgetScreen(ModalScreen[int | None]):
    """The active paragraph's memory suggestions; 1–3 deletes that one, escape keeps them all."""

    BINDINGS = [
        Binding("1", "choose(0)", "Forget 1"),
        Binding("2", "choose(1)", "Forget 2"),
        Binding("3", "choose(2)", "Forget 3"),
        Binding("escape", "choose(-1)", "Keep all"),
    ]

    def __init__(self, suggestions: Sequence[FuzzyMatch]) -> None:
        super().__init__(classes="dialog-screen")
        self.suggestions = list(suggestions)[:3]

    def compose(self) -> ComposeResult:
        listing = Text()
        for n, s in enumerate(self.suggestions, start=1):
            listing.append(f"{n}  ", style="bold cyan")
            listing.append(f"{s.label} {s.score:.0f}%  ", style="bold")
            listing.append(s.target)
            when = s.entry.imported or s.entry.updated
            source = f"{s.entry.file} " if s.entry.file else ""
            listing.append(f"\n   {source}{when[:10]} {s.entry.creator}\n", style="dim")
        with Vertical(classes="dialog", id="forget"):
            yield Label("Forget a memory entry  ·  1–3 deletes it from the memory, escape keeps all",
                        classes="dialog-title")
            yield Static(listing, markup=False)

    def action_choose(self, n: int) -> None:
        if n < len(self.suggestions):
            self.dismiss(n if n >= 0 else None)
