"""Provides DeskHeader: article, progress, model and save state on one line."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from translator.store.review import Status


class DeskHeader(Static):
    """Top line of the review screen (fixed height: redraws without a layout pass)."""

    _line = Text()

    def render(self) -> Text:
        return self._line

    def show(
        self,
        name: str,
        counts: dict[Status, int],
        model: str,
        demo: bool,
        saved: bool,
        mt: str = "",
    ) -> None:
        """Redraw from the session's figures."""
        total = sum(counts.values())
        out = Text()
        out.append(" translator ", style="bold reverse")
        out.append(f" {name} ", style="bold")
        out.append(f" {counts.get(Status.REVIEWED, 0)}/{total} reviewed ", style="bold green")
        out.append(f"○{counts.get(Status.MACHINE, 0)} machine ", style="dim")
        out.append(f"◐{counts.get(Status.EDITED, 0)} edited ", style="dim")
        out.append(f"·{counts.get(Status.NEW, 0)} new ", style="dim")
        # Save state before the model: on narrow terminals the end of the line is cut.
        out.append(" ✓ saved " if saved else " ● unsaved ", style="green" if saved else "yellow")
        if mt:
            out.append(f" {mt} ", style="italic yellow")
        out.append(" model: ")
        out.append(model.removesuffix(" (demo)") if demo else model, style="bold")
        if demo:
            out.append(" demo model — not for real work ", style="bold white on dark_red")
        if out != self._line or out.plain != self._line.plain:
            self._line = out
            self.refresh()
