"""Provides SourceText: read-only Arabic, right-aligned, glossary terms highlighted.

Lines are wrapped in logical order first, then each line is put in visual order (see
translator.text.bidi) when the desk shows Arabic for terminals without bidi; the stored text is
never changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from translator.text.bidi import visual_chars

#: (start, end, style) over the logical text.
Highlight = tuple[int, int, str]


class ArabicLines:
    """Rich renderable: wraps Arabic to the width, right-aligns, optionally reorders for display."""

    def __init__(
        self,
        text: str,
        highlights: Sequence[Highlight] = (),
        visual: bool = True,
        style: str = "",
        cache: dict[int, list[Text]] | None = None,
        max_lines: int | None = None,
    ) -> None:
        self.text = text
        self.highlights = highlights
        self.visual = visual
        self.style = style
        self.max_lines = max_lines
        """Lines shown at most; a cut paragraph ends in `…` (at the left: Arabic ends there)."""
        self.cache = {} if cache is None else cache
        """Lines per width; the owner drops it when text, highlights or order change."""

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width)
        lines = self.cache.get(width)
        if lines is None:
            lines = self.cache[width] = self._lines(console, width)
        yield from lines

    def _lines(self, console: Console, width: int) -> list[Text]:
        out_lines: list[Text] = []
        source = Text(self.text, style=self.style)
        for start, end, style in self.highlights:
            source.stylize(style, start, end)
        for line in source.wrap(console, width, justify="left", overflow="fold"):
            line.rstrip()
            shown = _reorder(line) if self.visual else line
            pad = width - shown.cell_len
            out = Text(" " * max(0, pad)) + shown
            out.end = "\n"
            out.no_wrap = True
            out_lines.append(out)
        if self.max_lines is not None and len(out_lines) > self.max_lines:
            out_lines = out_lines[: self.max_lines]
            last = out_lines[-1]
            # Right-aligned right-to-left text: its end is the leftmost cell (padding or a letter).
            out_lines[-1] = Text("…", style="bold") + last[1:] if self.visual else _cut_end(last, width)
        return out_lines


def _cut_end(line: Text, width: int) -> Text:
    """Logical order (the terminal reorders): the paragraph's end is the end of the stored text."""
    keep = line[1:] if line.plain.startswith(" ") else line[: len(line.plain) - 1]
    keep.append("…", style="bold")
    keep.end = "\n"
    keep.no_wrap = True
    return keep


def _reorder(line: Text) -> Text:
    """The line in visual order, keeping each character's style."""
    plain = line.plain
    styles: list[Style | str] = [line.style] * len(plain)
    for span in line.spans:
        for i in range(span.start, min(span.end, len(plain))):
            styles[i] = Style.combine([_as_style(styles[i]), _as_style(span.style)])
    out = Text(style=line.style)
    for i, ch in visual_chars(plain, 1):
        out.append(ch, styles[i])
    return out


def _as_style(style: Style | str) -> Style:
    return style if isinstance(style, Style) else Style.parse(style) if style else Style()


class SourceText(Widget):
    """The Arabic of a paragraph; read-only; highlights given as logical spans."""

    DEFAULT_CSS = "SourceText { height: auto; }"

    def __init__(self, text: str = "", highlights: Iterable[Highlight] = (), visual: bool = True,
                 max_lines: int | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.max_lines = max_lines
        self.text = text
        self.highlights = list(highlights)
        self.visual = visual
        self._cache: dict[int, list[Text]] = {}

    def show(self, text: str, highlights: Iterable[Highlight] = (), visual: bool | None = None) -> None:
        """Replace what is shown (a pane of fixed height, see `fit`, redraws without a layout pass)."""
        self.text = text
        self.highlights = list(highlights)
        if visual is not None:
            self.visual = visual
        self._cache = {}
        self.refresh(layout=not self._fixed)

    _fixed = False

    def fit(self, texts: Iterable[str], most: int) -> None:
        """Fix the height to the longest of `texts` at the current width, at most `most` lines.

        Any of `texts` then shows without changing the pane's size: a redraw, not a re-layout of
        the screen (which in Textual also re-arranges every other pane). A longer text ends in `…`.
        """
        width = self.content_size.width
        if width <= 0:
            return
        console = self.app.console
        needed = max((len(Text(t).wrap(console, width, overflow="fold")) for t in texts), default=1)
        lines = max(1, min(needed, most))
        self._fixed = True
        if lines != self.max_lines or self.styles.height is None or self.styles.height.cells != lines:
            self.max_lines = lines
            self._cache = {}
            self.styles.height = lines

    def render(self) -> ArabicLines:
        return ArabicLines(self.text, self.highlights, self.visual, cache=self._cache, max_lines=self.max_lines)
