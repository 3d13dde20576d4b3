"""Provides HelpScreen: every key of the current screen and the app, from their bindings."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Label, Static

ABOUT = (
    "The English editor keeps focus: plain keys type. Moving to another paragraph keeps what you typed;\n"
    "work is saved on every paragraph change and a few seconds after typing stops.\n"
    "Status: · new (no English)  ○ machine (untouched MT)  ◐ edited  ● reviewed."
)


def bindings_table(screen: DOMNode, app: DOMNode) -> list[tuple[str, str]]:
    """(keys, description) of every binding of `screen` and of the app, for the help screen."""
    rows: list[tuple[str, str]] = []
    for owner in (screen, app):
        for b in owner.BINDINGS:
            if isinstance(b, Binding) and b.description:
                keys = ", ".join(k.strip() for k in b.key.split(","))
                rows.append((keys, b.description))
    rows.append(("ctrl+p", "Command palette (every action by name)"))
    return rows


#: Editor keys too plain to list (every editor has them).
_PLAIN_KEYS = {"up", "down", "left", "right", "backspace", "pageup", "pagedown"}


def editor_keys(editor: DOMNode) -> list[tuple[str, str]]:
    """(keys, description) of the English editor's own keys (select, cut/copy/paste, undo...)."""
    rows = [("", "English editor")]
    for b in editor.BINDINGS:
        if isinstance(b, Binding) and b.description and b.key not in _PLAIN_KEYS:
            rows.append((", ".join(k.strip() for k in b.key.split(",")), b.description))
    return rows


class HelpScreen(ModalScreen[None]):
    """Key list; escape or F1 closes it."""

    BINDINGS = [Binding("escape,f1,q", "close", "Close")]

    def __init__(self, keys: Sequence[tuple[str, str]]) -> None:
        super().__init__(classes="dialog-screen")
        self.keys = keys

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for key, description in self.keys:
            if key:
                table.add_row(key, description)
            else:  # a section heading
                table.add_row("", "")
                table.add_row(Text(description, style="bold"), "")
        with VerticalScroll(classes="dialog wide", id="help"):
            yield Label("Keys  ·  escape closes", classes="dialog-title")
            yield Static(table)
            yield Static(ABOUT, classes="help-about", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
