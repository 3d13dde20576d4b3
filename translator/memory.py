"""Provides TranslationMemory: machine and reviewed translations of paragraphs, in SQLite.

One database per project folder (`<folder>/.translator/memory.sqlite`, WAL mode), shared by
the desk and batch runs, even at the same time. Entries are keyed by the normalised source
paragraph. A reviewed translation beats any machine one. Machine entries record the model
label and glossary fingerprint that produced them, and are reused only by the same pair, so a
new model or an edited glossary never serves stale machine output.
"""

from __future__ import annotations

import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from translator.arabic import normalize
from translator.errors import InputError

MEMORY_DIRNAME = ".translator"
MEMORY_FILENAME = "memory.sqlite"
MACHINE = "machine"
REVIEWED = "reviewed"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS segments (
    key      TEXT NOT NULL,          -- normalised source, the lookup key
    origin   TEXT NOT NULL CHECK (origin IN ('machine', 'reviewed')),
    model    TEXT NOT NULL DEFAULT '',  -- model label ('' for reviewed)
    glossary TEXT NOT NULL DEFAULT '',  -- glossary fingerprint ('' for reviewed or none)
    source   TEXT NOT NULL,          -- the source paragraph as last seen
    target   TEXT NOT NULL,
    updated  TEXT NOT NULL,
    PRIMARY KEY (key, origin, model, glossary)
);
"""


def memory_path(folder: Path) -> Path:
    """Where the memory of the project (article folder) `folder` lives."""
    return Path(folder) / MEMORY_DIRNAME / MEMORY_FILENAME


#: Name of the key normalisation; stored so a later change rekeys old databases on open.
KEY_SCHEME = "arabic-1"


def source_key(text: str) -> str:
    """The lookup key of a source paragraph (normalised for matching, never for storage)."""
    return normalize(unicodedata.normalize("NFC", text))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class MemoryEntry:
    """One stored translation."""

    source: str
    target: str
    origin: str
    """`machine` or `reviewed`."""
    model: str = ""
    glossary: str = ""
    updated: str = ""


@dataclass(frozen=True)
class FuzzyMatch:
    """A similar stored paragraph and its best translation, with a 0–100 similarity score."""

    score: float
    source: str
    target: str
    origin: str


class TranslationMemory:
    """SQLite translation memory; implements the pipeline's Memory protocol.

    Args:
        path: the database file (created with its folder if missing).
        model: label of the engine in use; machine entries of other models are ignored.
        glossary: fingerprint of the glossary in use; machine entries made under another are ignored.

    Safe to share between threads (one lock) and processes (WAL, busy timeout).
    """

    def __init__(self, path: Path, model: str | None = None, glossary: str = "") -> None:
        self.path = Path(path)
        self.model = model
        self.glossary = glossary
        self._lock = threading.RLock()
        self._defer = 0
        self._fuzzy_cache: tuple[tuple[object, ...], list[str], list[tuple[str, str, str]]] | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=30000")
            self._db.executescript(_SCHEMA)
            self._rekey_if_needed()
        except sqlite3.DatabaseError as exc:
            raise InputError(self.path, f"translation memory cannot be opened ({exc})",
                             "move the file aside; a new memory will be started") from None
        except OSError as exc:
            raise InputError(self.path, f"translation memory cannot be created ({exc.strerror})") from None

    @classmethod
    def for_folder(cls, folder: Path, model: str | None = None, glossary: str = "") -> TranslationMemory:
        """Open the memory of the project folder `folder`."""
        return cls(memory_path(folder), model, glossary)

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Serialise access and turn SQLite failures (locked, disk full, corrupt) into one clear line."""
        with self._lock:
            try:
                yield
            except sqlite3.Error as exc:
                raise InputError(self.path, f"translation memory error ({exc})",
                                 "retry; if it persists, move the file aside") from None

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Group many writes into one transaction (one commit at the end; rolled back on error)."""
        with self._guard():
            outer = self._defer == 0
            if outer:
                self._db.execute("BEGIN IMMEDIATE")
            self._defer += 1
            try:
                yield
            except BaseException:
                self._defer -= 1
                if outer:
                    self._db.execute("ROLLBACK")
                raise
            self._defer -= 1
            if outer:
                self._db.execute("COMMIT")

    def _rekey_if_needed(self) -> None:
        """Recompute keys if the normalisation changed since the database was written."""
        scheme = KEY_SCHEME
        row = self._db.execute("SELECT value FROM meta WHERE name='key_scheme'").fetchone()
        if row and row[0] == scheme:
            return
        with self.deferred():
            rows = self._db.execute("SELECT rowid, source FROM segments").fetchall()
            for rowid, source in rows:
                self._db.execute("UPDATE OR REPLACE segments SET key=? WHERE rowid=?", (source_key(source), rowid))
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('key_scheme', ?)", (scheme,))

    # -- pipeline.Memory ---------------------------------------------------------------------

    def lookup(self, source: str) -> str | None:
        """The reviewed English of `source`, else the machine English from this model+glossary."""
        entry = self.lookup_entry(source)
        return entry.target if entry else None

    def lookup_entry(self, source: str) -> MemoryEntry | None:
        """Like lookup, with the entry's origin and provenance."""
        key = source_key(source)
        if not key:
            return None
        with self._guard():
            rows = self._db.execute(
                "SELECT source, target, origin, model, glossary, updated FROM segments WHERE key=? AND "
                "(origin='reviewed' OR (model=? AND glossary=?)) ORDER BY origin='reviewed' DESC, updated DESC",
                (key, self.model if self.model is not None else "\0none", self.glossary),
            ).fetchall()
        return MemoryEntry(*rows[0]) if rows else None

    def add_machine(self, source: str, target: str, model: str) -> None:
        """Remember a machine translation made by `model` under this memory's glossary."""
        self._put(source, target, MACHINE, model, self.glossary)

    def add_reviewed(self, source: str, target: str) -> None:
        """Remember a translator's reviewed translation (replaces any earlier reviewed one)."""
        self._put(source, target, REVIEWED, "", "")

    def _put(self, source: str, target: str, origin: str, model: str, glossary: str) -> None:
        key = source_key(source)
        if not key or not target.strip():
            return
        with self._guard():
            self._db.execute(
                "INSERT OR REPLACE INTO segments (key, origin, model, glossary, source, target, updated) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (key, origin, model, glossary, source, target, _now()),
            )

    # -- listing, fuzzy ----------------------------------------------------------------------

    def entries(self, origin: str | None = None) -> list[MemoryEntry]:
        """All entries (optionally of one origin), oldest first."""
        query = "SELECT source, target, origin, model, glossary, updated FROM segments"
        args: tuple[str, ...] = ()
        if origin:
            query, args = query + " WHERE origin=?", (origin,)
        with self._guard():
            return [MemoryEntry(*row) for row in self._db.execute(query + " ORDER BY updated, rowid", args)]

    def counts(self) -> dict[str, int]:
        """Number of entries per origin."""
        with self._guard():
            rows = self._db.execute("SELECT origin, count(*) FROM segments GROUP BY origin").fetchall()
        return {MACHINE: 0, REVIEWED: 0, **dict(rows)}

    def fuzzy(self, source: str, limit: int = 5, min_score: float = 50.0) -> list[FuzzyMatch]:
        """Stored paragraphs similar to `source`, best first (rapidfuzz ratio on normalised text).

        Each stored source appears once, with its reviewed translation if it has one, else the
        machine translation of this memory's model+glossary.
        """
        from rapidfuzz import fuzz, process

        key = source_key(source)
        if not key:
            return []
        keys, values = self._fuzzy_index()
        found = process.extract(key, keys, scorer=fuzz.ratio, limit=limit, score_cutoff=min_score)
        return [FuzzyMatch(round(score, 1), *values[index]) for _, score, index in found]

    def _fuzzy_index(self) -> tuple[list[str], list[tuple[str, str, str]]]:
        """Keys and (source, target, origin), rebuilt only when the database changed."""
        with self._guard():
            version = (self._db.execute("PRAGMA data_version").fetchone()[0], self._db.total_changes,
                       self.model, self.glossary)
            if self._fuzzy_cache and self._fuzzy_cache[0] == version:
                return self._fuzzy_cache[1], self._fuzzy_cache[2]
            rows = self._db.execute(
                "SELECT key, source, target, origin FROM segments WHERE origin='reviewed' "
                "OR (model=? AND glossary=?) ORDER BY origin='reviewed', updated",
                (self.model if self.model is not None else "\0none", self.glossary),
            ).fetchall()
        best: dict[str, tuple[str, str, str]] = {}
        for key, src, tgt, origin in rows:  # reviewed rows come last and win
            best[key] = (src, tgt, origin)
        keys = list(best)
        values = [best[k] for k in keys]
        with self._guard():
            self._fuzzy_cache = (version, keys, values)
        return keys, values

    # -- TMX ---------------------------------------------------------------------------------

    def export_tmx(self, path: Path, include_machine: bool = False) -> int:
        """Write reviewed (and optionally machine) entries as TMX 1.4; returns the unit count."""
        from translator.tmx import TmxUnit, write_tmx

        chosen: dict[str, MemoryEntry] = {}
        for entry in self.entries():
            if entry.origin == REVIEWED or include_machine:
                key = source_key(entry.source)
                if entry.origin == REVIEWED or chosen.get(key, entry).origin != REVIEWED:
                    chosen[key] = entry
        units = [TmxUnit(e.source, e.target, e.updated) for e in chosen.values()]
        write_tmx(path, units)
        return len(units)

    def import_tmx(self, path: Path) -> int:
        """Add every unit of a TMX file as a reviewed translation; returns the count added."""
        from translator.tmx import read_tmx

        units = read_tmx(path)
        self.add_reviewed_many((u.source, u.target) for u in units)
        return sum(1 for u in units if u.source.strip() and u.target.strip())

    def add_reviewed_many(self, pairs: Iterable[tuple[str, str]]) -> None:
        """add_reviewed for many pairs in one transaction."""
        with self.deferred():
            for source, target in pairs:
                self.add_reviewed(source, target)
