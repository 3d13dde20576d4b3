"""Provides SidePanel: glossary hits, memory suggestions and QA findings for the active paragraph."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widget import Widget

from translator.text.bidi import visual_order
from translator.store.memory import FuzzyMatch
from translator.store.memory_entry import Origin


@dataclass(frozen=True)
class TermHit:
    """A glossary match in the active paragraph."""

    arabic: str
    english: str
    kind: str = ""


@dataclass(frozen=True)
class Finding:
    """A QA finding on the active paragraph."""

    severity: str
    message: str


class SideText(Widget):
    """The side panel's text: at least as tall as the panel, so that new text which fits redraws
    without a layout pass (Textual re-arranges the whole screen for one); longer text scrolls."""

    DEFAULT_CSS = "SideText { height: auto; min-height: 100%; }"

    # Its new size is already laid out when this is set: no second layout pass for it.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self._content = Content()

    def update(self, text: Text, room: int) -> None:
        """Show `text`; `room` is the panel's visible height."""
        content = Content.from_rich_text(text, console=self.app.console)
        width = self.content_size.width
        # The styles, as Textual itself passes them when it sizes the widget (its documented argument).
        lines = content.get_height(self.styles, width) if width > 0 else 0  # type: ignore[arg-type]
        # A layout pass only when the text is, or was, taller than the panel.
        layout = width <= 0 or room <= 0 or max(lines, self.size.height) > room
        self._content = content
        self.refresh(layout=layout)

    def render(self) -> Content:
        return self._content


class SidePanel(VerticalScroll):
    """Right-hand panel next to the editor."""

    # Longer or shorter text moves the scroll bar's thumb, a redraw; the scroll bar coming or
    # going still asks for a layout pass (show_vertical_scrollbar). Without this, every change
    # of its text's height cost Textual a second and a third layout pass.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def compose(self) -> ComposeResult:
        yield SideText(id="side-content")

    def show(
        self,
        hits: Sequence[TermHit],
        suggestions: Sequence[FuzzyMatch] | None,
        findings: Sequence[Finding] | None,
        visual: bool = True,
        current: str = "",
    ) -> None:
        """Redraw. None for a section means that feature is not available.

        A suggestion equal to `current` (the editor's English) is marked `(in the editor)`: the
        English came from the memory, and this says from which entry (alt+x removes a bad one).

        `visual` shows Arabic in visual order (see translator.text.bidi), like the source pane.
        """
        out = Text()
        out.append("Glossary", style="bold")
        if not hits:
            out.append("\n  no terms in this paragraph", style="dim")
        for hit in hits:
            out.append("\n  ")
            out.append(visual_order(hit.arabic) if visual else hit.arabic, style="bold")
            out.append(" → ")
            out.append(hit.english, style="bold green")
            if hit.kind:
                out.append(f" ({hit.kind})", style="dim")
        if suggestions is not None:
            out.append("\n\nMemory", style="bold")
            if not suggestions:
                out.append("\n  no matches", style="dim")
            for n, s in enumerate(suggestions[:3], start=1):
                out.append(f"\n  alt+{n} ", style="bold cyan")
                # Where it came from and how close: `reviewed 100%`, `machine 92%`, `TMX 87%`, `reviewed, queued 96%`.
                out.append(f"{s.label} {s.score:.0f}% ",
                           style="bold green" if s.origin is Origin.REVIEWED else "bold yellow")
                out.append(_clip(s.target, 120))
                if s.target == current:
                    out.append(" (in the editor)", style="dim italic")
        if findings is not None:
            out.append("\n\nQA", style="bold")
            if not findings:
                out.append("\n  ✓ no findings", style="green")
            for f in findings:
                mark, style = ("✗", "bold red") if f.severity == "error" else ("⚠", "yellow")
                out.append(f"\n  {mark} ", style=style)
                # Findings quote Arabic inside English sentences: reorder only those runs.
                out.append(visual_order(f.message, 0) if visual else f.message)
        self.query_one(SideText).update(out, self.scrollable_content_region.height)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
