"""Provides EnglishEditor: the active paragraph's English, always one line of text.

A paragraph's English is one block (Enter accepts, as in OmegaT), so a paste never brings line
breaks into it: every run of line breaks becomes one space (no `labore.Filler` gluing).
"""

from __future__ import annotations

import re

from collections.abc import Callable
from typing import Any

from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult

_BREAKS = re.compile(r"[ \t]*(?:\r\n|\r|\n|\u2028|\u2029)+[ \t]*")


def one_line(text: str) -> str:
    """`text` with every run of line breaks (and the blanks around them) turned into one space;
    breaks at the very start or end are dropped."""
    end = len(text)
    joined = _BREAKS.sub(lambda m: "" if m.start() == 0 or m.end() == end else " ", text)
    return joined.replace("\t", " ")


class EnglishEditor(TextArea):
    """The English editor: a TextArea whose pastes are joined into one line, and whose own keys
    (ctrl+a, ctrl+k, ctrl+z…) apply in the order they were typed."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    """As TextArea's, but a new length asks for a layout pass (which in Textual re-arranges the
    whole screen) only where the scroll bar depends on it: a move or a typed key that keeps the
    English within the editor's height only redraws the editor."""

    def watch_virtual_size(self, old: Size, new: Size) -> None:
        room = self.scrollable_content_region.height
        if old.width != new.width or max(old.height, new.height) > room:
            self.refresh(layout=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_edit: Callable[[], object] | None = None
        """Called right after each edit (a typed key, a paste, a cut), so the desk records it and
        redraws the row in the editor's own frame: Textual's Changed message would come after
        that frame and cost a second one per key."""
        self._own_keys = {key.strip(): b.action for b in TextArea.BINDINGS if isinstance(b, Binding)
                          for key in b.key.split(",")}

    def edit(self, edit: Edit) -> EditResult:
        result = super().edit(edit)
        if self.on_edit is not None:
            self.on_edit()
        return result

    async def _on_key(self, event: events.Key) -> None:
        # Textual runs a widget's bindings once the key has bubbled up to the app, after the
        # keys read with it in the same burst: `ctrl+k` then text deleted the text. Run them here,
        # in order (before TextArea's own key handling, which then does not see the key).
        action = next((self._own_keys[k] for k in event.aliases if k in self._own_keys), None)
        if action is not None:
            event.prevent_default()
            event.stop()
            await self.run_action(action)

    async def _on_paste(self, event: events.Paste) -> None:
        # Textual calls this before TextArea's own handler (subclass first), which inserts the text.
        event.text = one_line(event.text)
