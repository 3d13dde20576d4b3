"""Provides ParagraphRow: one paragraph of the document view (status, Arabic, English)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from translator.store.review import Status
from translator.tui.widgets.source_text import Highlight, SourceText

#: Marker shown in the gutter per status.
STATUS_MARK = {Status.NEW: "·", Status.MACHINE: "○", Status.EDITED: "◐", Status.REVIEWED: "●"}


class ParagraphRow(Horizontal):
    """Gutter (number, status) | Arabic (read-only) | English preview."""

    def __init__(self, index: int, number: int | None, source: str, visual: bool) -> None:
        super().__init__(id=f"row-{index}", classes="paragraph-row")
        self.index = index
        self.number = number
        self._source = source
        self._visual = visual
        self._shown: Text | None = None
        self._gutter: Text | None = None

    def compose(self) -> ComposeResult:
        yield Static(classes="row-gutter")
        yield SourceText(self._source, visual=self._visual, classes="row-source")
        yield Static(classes="row-target", markup=False)

    def show(
        self,
        status: Status | None,
        english: str,
        active: bool,
        placeholder: str = "",
        highlights: Iterable[Highlight] | None = None,
        visual: bool | None = None,
    ) -> None:
        """Update the row from the session's state."""
        self.set_class(active, "-active")
        self.set_class(status is None, "-junk")
        for s in Status:
            self.set_class(status is s, f"-{s.value}")
        pointer = "▶" if active else " "
        if status is None:
            gutter = Text(f"{pointer}    junk", style="dim")
        else:
            number = f"{self.number:>3}" if self.number is not None else "   "
            gutter = Text(f"{pointer}{number} {STATUS_MARK[status]} {status.value}")
        if gutter != self._gutter:
            self._gutter = gutter
            self.query_one(".row-gutter", Static).update(gutter)
        target = self.query_one(".row-target", Static)
        if status is None:
            shown = Text("(site junk: skipped)", style="dim italic")
        elif english:
            shown = Text(english)
        else:
            shown = Text(placeholder, style="dim italic")
        # Re-render only what changed: rows re-wrap Arabic, which is the costly part.
        if shown != self._shown:
            self._shown = shown
            target.update(shown)
        source = self.query_one(SourceText)
        new_highlights = source.highlights if highlights is None else list(highlights)
        new_visual = source.visual if visual is None else visual
        if new_highlights != source.highlights or new_visual != source.visual:
            source.show(source.text, new_highlights, new_visual)
