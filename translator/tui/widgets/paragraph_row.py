"""Provides ParagraphRow: one paragraph of the document view (status, Arabic, English)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget

from translator.store.review import Status
from translator.tui.widgets.source_text import Highlight, SourceText

#: Marker shown in the gutter per status.
STATUS_MARK = {Status.NEW: "·", Status.MACHINE: "○", Status.EDITED: "◐", Status.REVIEWED: "●"}
#: Marker of a machine-status paragraph whose English the translation memory supplied.
MEMORY_MARK = "◇"


#: Lines a row shows at most (the CSS max-height); a longer paragraph ends in `…`.
ROW_LINES = 4


class ClampedLines:
    """Rich renderable: `text` wrapped to the width, at most `max_lines` lines, `…` where cut."""

    def __init__(self, text: Text, max_lines: int) -> None:
        self.text = text
        self.max_lines = max_lines

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width)
        lines = list(self.text.wrap(console, width, overflow="fold"))
        if len(lines) > self.max_lines:
            lines = lines[: self.max_lines]
            last = lines[-1]
            last.rstrip()
            if last.cell_len >= width:
                last.truncate(width - 1)
            last.append("…", style="bold")
        for line in lines:
            line.end = "\n"
            line.no_wrap = True
            yield line


class ClampedText(Widget):
    """Text of a row's English column, cut with `…` beyond ROW_LINES lines."""

    DEFAULT_CSS = "ClampedText { height: auto; }"

    def __init__(self, classes: str = "") -> None:
        super().__init__(classes=classes)
        self._text = Text()

    def update(self, text: Text) -> None:
        # A layout pass (which in Textual re-arranges the whole screen) only when the number of
        # lines shown changes: typing mostly changes a line, not the row's height.
        width = self.content_size.width
        layout = width <= 0 or self._lines(self._text, width) != self._lines(text, width)
        self._text = text
        self.refresh(layout=layout)

    def _lines(self, text: Text, width: int) -> int:
        return min(ROW_LINES, len(text.wrap(self.app.console, width, overflow="fold")))

    def render(self) -> ClampedLines:
        return ClampedLines(self._text, ROW_LINES)


class Gutter(Widget):
    """Number, pointer and status of a row: always one line, so a redraw needs no layout pass
    (a Static's update re-lays out the whole screen; the gutter changes on every move)."""

    DEFAULT_CSS = "Gutter { height: 1; }"

    def __init__(self, classes: str = "") -> None:
        super().__init__(classes=classes)
        self._text = Text()

    def update(self, text: Text) -> None:
        self._text = text
        self.refresh()

    def render(self) -> Text:
        return self._text


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
        yield Gutter(classes="row-gutter")
        yield SourceText(self._source, visual=self._visual, max_lines=ROW_LINES, classes="row-source")
        yield ClampedText(classes="row-target")

    def show(
        self,
        status: Status | None,
        english: str,
        active: bool,
        placeholder: str = "",
        highlights: Iterable[Highlight] | None = None,
        visual: bool | None = None,
        from_memory: bool = False,
    ) -> None:
        """Update the row from the session's state (`from_memory`: an unreviewed draft the
        translation memory supplied, shown as `memory`, apart from fresh machine output)."""
        self.set_class(active, "-active")
        self.set_class(status is None, "-junk")
        for s in Status:
            self.set_class(status is s and not from_memory, f"-{s.value}")
        self.set_class(from_memory, "-memory")
        pointer = "▶" if active else " "
        if status is None:
            gutter = Text(f"{pointer}    junk", style="dim")
        else:
            number = f"{self.number:>3}" if self.number is not None else "   "
            mark, name = (MEMORY_MARK, "memory") if from_memory else (STATUS_MARK[status], status.value)
            gutter = Text(f"{pointer}{number} {mark} {name}")
        if gutter != self._gutter:
            self._gutter = gutter
            self.query_one(".row-gutter", Gutter).update(gutter)
        target = self.query_one(".row-target", ClampedText)
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
