"""Provides ListingScreen: a read-only table (the glossary, the article's QA findings)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label


class ListingScreen(ModalScreen[None]):
    """A titled table; escape closes it."""

    BINDINGS = [Binding("escape,f4,f5", "close", "Close")]

    def __init__(self, title: str, columns: Sequence[str], rows: Sequence[Sequence[str]],
                 widths: Sequence[int] | None = None) -> None:
        """`widths`: fixed column widths; long cells then wrap onto more lines instead of being cut."""
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.columns = columns
        self.rows = rows
        self.widths = widths

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="listing"):
            yield Label(f"{self.title_text} ({len(self.rows)})  ·  escape closes", classes="dialog-title")
            yield DataTable(id="listing-table", zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        if self.widths:
            for column, width in zip(self.columns, self.widths):
                table.add_column(column, width=width)
        else:
            table.add_columns(*self.columns)
        for row in self.rows:
            # Wrapped cells (Text wraps to the column width): nothing is cut.
            table.add_row(*(Text(cell) for cell in row), height=None if self.widths else 1)
        if not self.rows:
            table.add_row(*(["(none)"] + [""] * (len(self.columns) - 1)))

    def action_close(self) -> None:
        self.dismiss(None)
