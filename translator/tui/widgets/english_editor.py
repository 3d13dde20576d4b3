"""Provides EnglishEditor: the active paragraph's English, always one line of text.

A paragraph's English is one block (Enter accepts, as in OmegaT), so a paste never brings line
breaks into it: every run of line breaks becomes one space (no `labore.Filler` gluing).
"""

from __future__ import annotations

import re

from textual import events
from textual.widgets import TextArea

_BREAKS = re.compile(r"[ \t]*(?:\r\n|\r|\n|\u2028|\u2029)+[ \t]*")


def one_line(text: str) -> str:
    """`text` with every run of line breaks (and the blanks around them) turned into one space;
    breaks at the very start or end are dropped."""
    end = len(text)
    joined = _BREAKS.sub(lambda m: "" if m.start() == 0 or m.end() == end else " ", text)
    return joined.replace("\t", " ")


class EnglishEditor(TextArea):
    """The English editor: a TextArea whose pastes are joined into one line."""

    async def _on_paste(self, event: events.Paste) -> None:
        # Textual calls this before TextArea's own handler (subclass first), which inserts the text.
        event.text = one_line(event.text)
