"""Provides DeskMemory: the folder's translation memory as the desk uses it, or none.

The Workspace opens the memory (an unopenable file, e.g. a bad header, is a reason, not an
exception). A file with garbage in the middle opens, and fails later, on a read or a write: the
desk then goes on without memory and says so once, in one line (what, where, what to do), never
with a traceback. Machine entries are read and written under the glossary the English was
enforced with (one connection per glossary fingerprint), so a glossary change while a
translation runs never files old English under the new glossary.

Another process holding the memory's write lock (a long `translator memory import`) never blocks
the desk for more than DESK_WAIT nor fails an accept: the review state and English do not depend
on the memory; the memory's changes (accept, un-accept, forget, and machine entries, which
queue in translator.store.memory_busy) wait in order, are retried on the desk's tick without
waiting, and `busy_line` says so in one line until they are saved. At quit `close` waits at most
QUIT_WAIT for them and returns the one line saying what was not saved and how to redo it.
No Textual here.
"""

from __future__ import annotations

import shlex
import threading
from dataclasses import dataclass
from pathlib import Path

from translator.errors import TranslatorError
from translator.store.memory import FuzzyMatch, MemoryDamagedError, TranslationMemory
from translator.store.memory_busy import MemoryBusyError, wait_until, with_queued
from translator.store.memory_entry import MemoryEntry, Origin, Via
from translator.workspace import Workspace

#: Seconds a memory write waits in the desk for another process's write lock before it queues.
DESK_WAIT = 0.2
#: Seconds the desk waits at quit for the memory changes still queued (the review files are saved).
QUIT_WAIT = 3.0


@dataclass
class _Change:
    """One change of the reviewed memory waiting for the write lock."""

    kind: str  # "accept", "unaccept" or "forget"
    source: str = ""
    target: str = ""
    replaced: MemoryEntry | None = None
    entry_id: int = 0


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
        self._pending: list[_Change] = []
        """Reviewed-memory changes waiting for another process's write lock, in order (UI thread)."""
        self._replaced: dict[tuple[str, str], MemoryEntry | None] = {}
        """What a queued accept replaced once it was saved, for its un-accept."""
        if use:
            memory, why = workspace.try_memory(model, busy_timeout=DESK_WAIT)
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
                    memory = self._open[fingerprint] = self.workspace.open_memory(
                        self.model, glossary=fingerprint, busy_timeout=DESK_WAIT)
                except TranslatorError as exc:
                    self._failed(exc)
                    return None
        return memory

    # -- session.ReviewMemory ------------------------------------------------------------

    def add_reviewed(self, source: str, target: str) -> MemoryEntry | None:
        """Remember a reviewed translation; the reviewed entry it replaced, if any (nothing when
        off or queued behind another process's lock; a failure switches the memory off)."""
        self._replaced.pop((source, target), None)
        found = self._change(_Change("accept", source, target))
        return found if isinstance(found, MemoryEntry) else None

    def undo_reviewed(self, source: str, target: str, replaced: MemoryEntry | None) -> bool:
        """Undo an accept's `add_reviewed` (False when off or failing: nothing changed). An accept
        still queued is simply dropped."""
        if self._drop_pending_accept(source, target):
            return True
        replaced = self._replaced.pop((source, target), replaced)
        return self._change(_Change("unaccept", source, target, replaced)) is not False

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
        """Exact and fuzzy matches under the glossary in use, with the changes still queued behind
        another process's lock as they will be once saved (marked queued; [] when off or failing)."""
        memory = self.under(self.workspace.fingerprint)
        if memory is None:
            return []
        try:
            found = memory.fuzzy(text, limit=limit + len(self._pending))
        except TranslatorError as exc:
            self._failed(exc)
            return []
        except OSError:
            return []
        queued = list(memory.queue.entries)  # machine entries under this glossary
        for change in self._pending:
            if change.kind == "accept":
                queued.append(MemoryEntry(change.source, change.target, Origin.REVIEWED, via=Via.DESK))
            elif change.kind == "unaccept" and change.replaced is not None:
                queued.append(change.replaced)  # the reviewed entry the un-accept brings back
        return with_queued(found, text, queued, self._going, limit)

    def _going(self, entry: MemoryEntry) -> bool:
        """Whether a queued forget or un-accept removes the stored `entry`."""
        return any((change.kind == "forget" and change.entry_id == entry.id) or
                   (change.kind == "unaccept" and (change.source, change.target) == (entry.source, entry.target))
                   for change in self._pending)

    def forget(self, entry_id: int) -> bool:
        """Delete one entry; False if it was already gone (or the memory is off); True when queued."""
        return self._change(_Change("forget", entry_id=entry_id)) is not False

    def drop_queued(self, entry: MemoryEntry) -> bool:
        """Forget an entry still queued (a suggestion marked queued): it is never saved."""
        if self._drop_pending_accept(entry.source, entry.target):
            return True
        memory = self.under(self.workspace.fingerprint)
        return memory is not None and memory.queue.drop(entry)

    def _drop_pending_accept(self, source: str, target: str) -> bool:
        """Take the latest queued accept of (source, target) out of the queue; False when none is queued."""
        for i in range(len(self._pending) - 1, -1, -1):
            change = self._pending[i]
            if change.kind == "accept" and (change.source, change.target) == (source, target):
                del self._pending[i]
                return True
        return False

    # -- another process holding the write lock -------------------------------------------

    def _change(self, change: _Change) -> object:
        """Apply `change` now (waiting at most DESK_WAIT), or queue it behind the lock; its result,
        None when queued, False when off or failing."""
        if self.under(self.workspace.fingerprint) is None:
            return False
        if not self._pending or self.retry():
            try:
                return self._apply(change, DESK_WAIT, queued=False)
            except MemoryBusyError:
                pass
            except TranslatorError as exc:
                self._failed(exc)
                return False
        self._pending.append(change)
        return None

    def _apply(self, change: _Change, wait: float, queued: bool = True) -> object:
        memory = self.under(self.workspace.fingerprint)
        if memory is None:
            return False
        with memory.waiting(wait):
            if change.kind == "accept":
                replaced = memory.add_reviewed(change.source, change.target)
                if queued:  # the session got None: its un-accept finds it here
                    self._replaced[(change.source, change.target)] = replaced
                return replaced
            if change.kind == "unaccept":
                return memory.undo_reviewed(change.source, change.target, change.replaced)
            return bool(memory.forget([change.entry_id]))

    def _flush(self, wait: float) -> bool:
        """Save the queued changes and machine entries, waiting at most `wait` s for the lock;
        True when nothing is left queued."""
        with self._lock:
            memories = list(self._open.values())
        saved = True
        for memory in memories:
            try:
                saved = memory.flush(wait) and saved
            except TranslatorError as exc:  # a full disk: the queue is dropped, said once
                self._failed(exc)
        while self._pending and not self._off:
            try:
                self._apply(self._pending[0], wait)
            except MemoryBusyError:
                return False
            except TranslatorError as exc:
                self._failed(exc)
            self._pending.pop(0)
        if self._off:
            self._pending.clear()
        return saved and not self._pending

    def retry(self) -> bool:
        """The desk's tick: try the queued changes again without waiting; True when none is left."""
        return not self.unsaved() or self._flush(0)

    def unsaved(self) -> int:
        """Memory changes and machine entries waiting for another process's write lock."""
        with self._lock:
            machine = sum(len(memory.queue.entries) for memory in self._open.values())
        return len(self._pending) + machine

    def busy_line(self) -> str:
        """The one line while changes wait for the lock ("" when none does)."""
        count = self.unsaved()
        if not count:
            return ""
        return (f"Translation memory busy: another process holds {self._path() or 'the translation memory'} (a `translator memory import`?); "
                f"{count} {'entry' if count == 1 else 'entries'} will be saved when it frees (your review is saved).")

    def _path(self) -> Path | None:
        """The memory's database file (one per folder, whatever the glossary), None before any is open."""
        return next(iter(self._open.values())).path if self._open else None

    def close(self, wait: float = QUIT_WAIT, reviews: Path | None = None) -> str:
        """Save what is queued, waiting at most `wait` s for the lock, and close; "" when all was
        saved, else the one line saying what was not and how to redo it (the export reads the review
        files from `reviews`, the desk's `-o` folder, when they are not beside the articles)."""
        saved = not self.unsaved() or wait_until(self._flush, wait)
        reviewed = sum(1 for change in self._pending if change.kind != "forget")
        lost = self.unsaved()
        path = self._path()
        for memory in self._open.values():
            memory.queue.clear()
            memory.close()
        self._open.clear()
        self._pending.clear()
        if saved or not lost:
            return ""
        folder = shlex.quote(str(self.workspace.folder))
        where = f" --reviews {shlex.quote(str(reviews))}" if reviews is not None else ""
        redo = (f"; the reviewed English is in the review files: `translator export {folder}{where} --format tmx "
                f"-o DIR` then `translator memory --folder {folder} import DIR/NAME.tmx` adds it" if reviewed else "")
        return (f"{lost} translation memory {'change' if lost == 1 else 'changes'} ({reviewed} reviewed) not saved "
                f"to {path}: another process held its write lock for {wait:g} s{redo}")
