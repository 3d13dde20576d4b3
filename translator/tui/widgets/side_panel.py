"""Provides SidePanel: glossary hits, memory suggestions and QA findings for the active paragraph."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

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


class SidePanel(VerticalScroll):
    """Right-hand panel next to the editor."""

    def compose(self) -> ComposeResult:
        yield Static(id="side-content", markup=False)

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
                # Where it came from and how close: `reviewed 100%`, `machine 92%`, `TMX 87%`.
                out.append(f"{s.entry.label} {s.score:.0f}% ",
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
        self.query_one("#side-content", Static).update(out)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
