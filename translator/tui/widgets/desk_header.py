"""Provides DeskHeader: article, progress, model and save state on one line."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from translator.store.review import Status
from translator.tui.widgets.paragraph_row import MEMORY_MARK


#: Parts that must fit: "translator", the article name, the progress, the save state.
_ESSENTIAL = 4


class DeskHeader(Static):
    """Top line of the review screen (fixed height: redraws without a layout pass)."""

    _line = Text()

    def render(self) -> Text:
        return self._line

    def show(
        self,
        name: str,
        counts: dict[Status, int],
        memory_drafts: int,
        model: str,
        demo: bool,
        saved: bool,
        mt: str = "",
    ) -> None:
        """Redraw from the session's figures (`memory_drafts`: machine-status paragraphs whose
        English the memory supplied, counted apart from fresh machine output)."""
        total = sum(counts.values())
        self._parts = [
            (" translator ", "bold reverse"),
            (f" {name} ", "bold"),
            (f" {counts.get(Status.REVIEWED, 0)}/{total} reviewed ", "bold green"),
            # The save state right after the progress: on narrow terminals the end of the line is cut.
            (" ✓ saved " if saved else " ● unsaved ", "green" if saved else "yellow"),
        ]
        if mt:
            self._parts.append((f" {mt} ", "italic yellow"))
        self._parts += [
            (f" ○{counts.get(Status.MACHINE, 0) - memory_drafts} machine "
             + (f"{MEMORY_MARK}{memory_drafts} memory " if memory_drafts else "")
             + f"◐{counts.get(Status.EDITED, 0)} edited ·{counts.get(Status.NEW, 0)} new ", "dim"),
            (" model: ", ""),
            (model.removesuffix(" (demo)") if demo else model, "bold"),
        ]
        if demo:
            self._parts.append((" demo model — not for real work ", "bold white on dark_red"))
        line = self._build(self.size.width)
        if line != self._line or line.plain != self._line.plain:
            self._line = line
            self.refresh()

    _parts: list[tuple[str, str]] = []

    def _build(self, width: int) -> Text:
        """The line; when the name, progress and save state do not fit, the name is shortened (with …)."""
        parts = list(self._parts)
        if width > 0 and len(parts) > 1:
            excess = sum(len(text) for text, _ in parts[:_ESSENTIAL]) - width
            name = parts[1][0]
            if excess > 0 and len(name) > 12:
                keep = max(10, len(name) - excess - 1)
                parts[1] = (name[: keep] + "… ", parts[1][1])
        out = Text()
        for text, style in parts:
            out.append(text, style=style)
        return out

    def on_resize(self) -> None:
        line = self._build(self.size.width)
        if line.plain != self._line.plain:
            self._line = line
            self.refresh()
