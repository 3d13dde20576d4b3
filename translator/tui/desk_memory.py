"""Provides DeskMemory: the folder's translation memory as the desk uses it, or none.

The Workspace opens the memory (an unopenable file, e.g. a bad header, is a reason, not an
exception). A file with garbage in the middle opens, and fails later, on a read or a write: the
desk then goes on without memory and says so once, in one line (what, where, what to do), never
with a traceback. Machine entries are read and written under the glossary the English was
enforced with (one connection per glossary fingerprint), so a glossary change while a
translation runs never files old English under the new glossary. No Textual here.
"""

from __future__ import annotations

import threading

from translator.errors import TranslatorError
from translator.store.memory import FuzzyMatch, MemoryDamagedError, TranslationMemory
from translator.store.memory_entry import MemoryEntry
from translator.workspace import Workspace


class DeskMemory:
    """The memory of one desk: per-glossary connections, reviewed feed, suggestions, and the
    one-line warning when it had to be switched off."""

    def __init__(self, workspace: Workspace, model: str | None, use: bool = True) -> None:
        self.workspace = workspace
        self.model = model
        self._lock = threading.Lock()
        self._open: dict[str, TranslationMemory] = {}
        self._off = not use
        self._problem = ""
        self._announced = False
        if use:
            memory, why = workspace.try_memory(model)
            if memory is None:
                self._switch_off(why)
            else:
                self._open[memory.glossary] = memory

    # -- state ---------------------------------------------------------------------------

    @property
    def problem(self) -> str:
        """Why the memory is off ("" when it is on or was never asked for)."""
        return self._problem

    def warning(self) -> str:
        """The one line to show the translator, the first time only ("" otherwise)."""
        self._check()
        if not self._problem or self._announced:
            return ""
        self._announced = True
        return f"Translation memory off: {self._problem}. The desk goes on without it; your work is saved as usual."

    def _check(self) -> None:
        """A connection that degraded on its own (a failed lookup in the pipeline) switches the memory off."""
        for memory in list(self._open.values()):
            if memory.degraded:
                self._switch_off(memory.degraded)

    def _switch_off(self, why: str) -> None:
        if self._off and self._problem:
            return
        self._off, self._problem, self._announced = True, why, False

    def _failed(self, exc: TranslatorError) -> None:
        if isinstance(exc, MemoryDamagedError):
            self._switch_off(str(exc))
        elif not self._problem:  # locked past the timeout, disk full: said once; the memory stays on
            self._problem, self._announced = str(exc), False

    # -- connections ---------------------------------------------------------------------

    def under(self, fingerprint: str) -> TranslationMemory | None:
        """The memory for machine English enforced with glossary `fingerprint` (None when off)."""
        self._check()
        if self._off:
            return None
        with self._lock:
            memory = self._open.get(fingerprint)
            if memory is None:
                try:
                    memory = self._open[fingerprint] = self.workspace.open_memory(self.model, glossary=fingerprint)
                except TranslatorError as exc:
                    self._failed(exc)
                    return None
        return memory

    # -- session.ReviewMemory ------------------------------------------------------------

    def add_reviewed(self, source: str, target: str) -> MemoryEntry | None:
        """Remember a reviewed translation; the reviewed entry it replaced, if any (nothing when
        off; a failure switches the memory off)."""
        memory = self.under(self.workspace.fingerprint)
        if memory is None:
            return None
        try:
            return memory.add_reviewed(source, target)
        except TranslatorError as exc:
            self._failed(exc)
            return None

    def undo_reviewed(self, source: str, target: str, replaced: MemoryEntry | None) -> bool:
        """Undo an accept's `add_reviewed` (False when off or failing: nothing changed)."""
        memory = self.under(self.workspace.fingerprint)
        if memory is None:
            return False
        try:
            return memory.undo_reviewed(source, target, replaced)
        except TranslatorError as exc:
            self._failed(exc)
            return False

    # -- side panel ----------------------------------------------------------------------

    def provenance_of(self, source: str) -> str:
        """Where the English the memory gives for `source` came from (`memory: TMX alice.tmx, alice`);
        just "memory" when that cannot be read now."""
        memory = self.under(self.workspace.fingerprint)
        if memory is None:
            return "memory"
        try:
            return memory.provenance_of(source)
        except TranslatorError as exc:
            self._failed(exc)
            return "memory"

    def fuzzy(self, text: str, limit: int) -> list[FuzzyMatch]:
        """Exact and fuzzy matches under the glossary in use ([] when off or failing)."""
        memory = self.under(self.workspace.fingerprint)
        if memory is None:
            return []
        try:
            return list(memory.fuzzy(text, limit=limit))
        except TranslatorError as exc:
            self._failed(exc)
            return []
        except OSError:
            return []

    def forget(self, entry_id: int) -> bool:
        """Delete one entry; False if it was already gone (or the memory is off)."""
        memory = self.under(self.workspace.fingerprint)
        if memory is None:
            return False
        try:
            return bool(memory.forget([entry_id]))
        except TranslatorError as exc:
            self._failed(exc)
            return False

    def close(self) -> None:
        for memory in self._open.values():
            memory.close()
        self._open.clear()
