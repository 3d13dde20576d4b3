"""Provides FittedLine: a one-line banner whose text is made for the width it gets (never wraps)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widgets import Static


class FittedLine(Static):
    """One line under the header; `fit(width)` gives its text for the cells it has (a resize
    asks again), so a long path is shortened where the caller chooses, not wrapped."""

    DEFAULT_CSS = "FittedLine { height: 1; }"

    def __init__(self, *, id: str | None = None, classes: str = "") -> None:
        super().__init__(id=id, classes=classes)
        self._fit: Callable[[int], str] | None = None

    def show(self, fit: Callable[[int], str] | None) -> None:
        """Show `fit`'s line (hidden when None)."""
        self._fit = fit
        self.set_class(fit is None, "-hidden")
        self.refresh()

    def render(self) -> Text:
        width = self.content_size.width
        return Text(self._fit(width) if self._fit is not None and width > 0 else "", no_wrap=True, overflow="ellipsis")
