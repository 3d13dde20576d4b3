"""Provides the translation memory's busy handling: machine entries queue while another process
holds the memory's write lock (a long `translator memory import`), instead of failing the file.

SQLite lets one process write at a time; in WAL mode readers are never blocked. A machine
translation that cannot be stored within a short wait (MACHINE_WAIT) is queued in this process:
translation goes on, later lookups see the queued entries, each later write tries the queue again
without waiting, and the command settles the queue at the end of its run, after the English is
written: it says that it waits for the memory and why, waits at most a bound (Settings.memory_wait,
TRANSLATOR_MEMORY_WAIT) and reports in one line what it could not save. Reviewed entries and
imports keep SQLite's busy timeout (BUSY_TIMEOUT) and fail in one line past it.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from translator.errors import InputError
from translator.store.memory_entry import FuzzyMatch, MemoryEntry, Origin, similar, source_key

#: Seconds a write waits for another process's write lock before SQLite answers "database is locked".
BUSY_TIMEOUT = 30.0
#: Seconds a machine entry waits for the lock before it is queued (normal contention lasts milliseconds).
MACHINE_WAIT = 2.0
#: Seconds of one wait for the lock while settling (Ctrl-C is answered between two).
SETTLE_STEP = 1.0


class MemoryBusyError(InputError):
    """Another process held the memory's write lock past the busy timeout."""


def is_busy(exc: sqlite3.OperationalError) -> bool:
    """Whether SQLite failed because another connection holds a lock (SQLITE_BUSY or SQLITE_LOCKED)."""
    return exc.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def busy_message(path: object) -> str:
    """The status line while the memory is busy: what waits and why."""
    return (f"the translation memory {path} is locked by another process (a `translator memory import` or "
            "another run writing it); translation goes on and its new entries wait to be saved")


def skipped_message(count: int, path: object, waited: float) -> str:
    """The one line saying which entries a run gave up saving, and that its English is safe."""
    what = "new machine translation was" if count == 1 else "new machine translations were"
    return (f"{count} {what} not saved to the translation memory {path}: another process held its write "
            f"lock for {waited:g} s (the English is written)")


class WriteQueue:
    """Machine entries waiting for the memory's write lock, in the order they were made."""

    def __init__(self, path: Path) -> None:
        self.path = path
        """The memory's database (named in the status lines)."""
        self.entries: list[MemoryEntry] = []
        self.by_key: dict[str, MemoryEntry] = {}
        """The newest queued entry of each source key (what a lookup answers)."""
        self.busy = False
        """Whether the last attempt met the lock (later entries then queue without waiting)."""

    def add(self, entry: MemoryEntry) -> None:
        self.entries.append(entry)
        self.by_key[source_key(entry.source)] = entry

    def find(self, key: str, model: str | None, glossary: str) -> MemoryEntry | None:
        """The queued machine entry for `key` made by `model` under `glossary`, if any."""
        entry = self.by_key.get(key)
        return entry if entry is not None and entry.model == model and entry.glossary == glossary else None

    def drop(self, entry: MemoryEntry) -> bool:
        """Take one queued entry out (the translator forgot it before it was saved)."""
        if entry not in self.entries:
            return False
        self.entries.remove(entry)
        self.by_key = {source_key(e.source): e for e in self.entries}
        return True

    def clear(self) -> int:
        """Forget every queued entry (saved or given up); returns how many there were."""
        count = len(self.entries)
        self.entries.clear()
        self.by_key.clear()
        self.busy = False
        return count

    def flush(self, write: Callable[[list[MemoryEntry], float], None], wait: float,
              on_busy: Callable[[str], None] | None) -> bool:
        """Store the queued entries with `write(entries, wait)` (one transaction); False while another
        process holds the lock (they stay queued; `on_busy` hears it once). Other failures (a full
        disk) drop the queue, so it never grows, and are raised as before."""
        if not self.entries:
            return True
        try:
            write(self.entries, wait)
        except MemoryBusyError:
            if not self.busy and on_busy is not None:
                on_busy(busy_message(self.path))
            self.busy = True
            return False
        except InputError:
            self.clear()
            raise
        self.clear()
        return True

    def settle(self, flush: Callable[[float], bool], limit: float, on_wait: Callable[[str], None] | None) -> str:
        """Flush, waiting at most `limit` seconds in steps (Ctrl-C is answered between two); "" when
        all were saved, else the one line saying how many were given up."""
        if flush(0):
            return ""
        if on_wait is not None:
            count = len(self.entries)
            on_wait(f"waiting up to {limit:g} s for the translation memory to save {count} new "
                    f"{'entry' if count == 1 else 'entries'}: another process holds its write lock "
                    "(a `translator memory import`?)")
        return "" if wait_until(flush, limit) else skipped_message(self.clear(), self.path, limit)


def with_queued(found: Sequence[FuzzyMatch], source: str, queued: Sequence[MemoryEntry],
                gone: Callable[[MemoryEntry], bool], limit: int) -> list[FuzzyMatch]:
    """The stored matches for `source` (`found`, best first) with the entries still queued behind
    another process's write lock (`queued`, oldest first), as a lookup will see them once saved:
    one match per source, reviewed before machine, a queued entry before a stored one of the same
    origin (it replaces it when saved), the newest queued last-in wins; stored entries whose removal
    is queued (`gone`) are left out. Queued matches are marked `queued`."""
    scored = similar(source_key(source), [source_key(e.source) for e in queued], len(queued))
    best: dict[str, FuzzyMatch] = {}

    def rank(match: FuzzyMatch) -> tuple[bool, bool]:
        return match.origin is Origin.REVIEWED, match.queued

    for match in [m for m in found if not gone(m.entry)] + [FuzzyMatch(s, queued[i], True) for i, s in sorted(scored)]:
        key = source_key(match.source)
        if key not in best or rank(match) >= rank(best[key]):
            best[key] = match
    return sorted(best.values(), key=lambda m: -m.score)[:limit]


def wait_until(flush: Callable[[float], bool], limit: float) -> bool:
    """Call `flush(wait)` until it answers True, for at most `limit` seconds in steps of at most
    SETTLE_STEP (Ctrl-C is answered between two); False when the time ran out."""
    deadline = time.monotonic() + limit
    while (left := deadline - time.monotonic()) > 0:
        if flush(min(left, SETTLE_STEP)):
            return True
    return False
