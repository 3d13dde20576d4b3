"""Provides TranslationMemory: machine and reviewed translations of paragraphs, in SQLite.

One database per project folder (`<folder>/.translator/memory.sqlite`, WAL mode), shared by
the desk and batch runs, even at the same time. Entries are keyed by the normalised source
paragraph. A reviewed translation beats any machine one. Machine entries record the model
label and glossary fingerprint that produced them, and are reused only by the same pair, so a
new model or an edited glossary never serves stale machine output.

Every entry keeps its provenance (translator.store.memory_entry): reviewed in the desk, made by which
model under which glossary, or imported from which TMX/XLIFF file and when, with its creation
date and creator id. Databases written before provenance (schema 1) are migrated on open; their
rows are marked `legacy`. Only a file's own marks make an import machine or reviewed
(translator.store.memory_io): machine output never comes back as reviewed.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from translator.errors import InputError
from translator.store.memory_busy import BUSY_TIMEOUT, MACHINE_WAIT, MemoryBusyError, WriteQueue, is_busy
from translator.store.memory_entry import (
    KEY_SCHEME,
    MIN_SCORE,
    FuzzyMatch,
    MemoryEntry,
    Origin,
    Via,
    default_creator,
    now_iso,
    similar,
    source_key,
)
from translator.store.memory_schema import COLUMNS, PROVENANCE, SCHEMA, SCHEMA_VERSION, row_entry, sql_filters

MEMORY_DIRNAME = ".translator"
MEMORY_FILENAME = "memory.sqlite"
MACHINE = Origin.MACHINE
REVIEWED = Origin.REVIEWED


def memory_path(folder: Path) -> Path:
    """Where the memory of the project (article folder) `folder` lives."""
    return Path(folder) / MEMORY_DIRNAME / MEMORY_FILENAME


class MemoryDamagedError(InputError):
    """The memory's database file holds garbage (not a lock or a full disk)."""


class TranslationMemory:
    """SQLite translation memory; implements the pipeline's Memory protocol.

    Args:
        path: the database file (created with its folder if missing).
        model: label of the engine in use; machine entries of other models are ignored.
        glossary: fingerprint of the glossary in use; machine entries made under another are ignored.
        creator: creator id of the entries written (default: `default_creator()`).
        busy_timeout: seconds a write waits for another process's write lock.

    Safe to share between threads (one lock) and processes (WAL, busy timeout). Machine entries
    queue while another process holds the write lock (translator.store.memory_busy); `settle`
    saves them at the end of a run.
    """

    def __init__(self, path: Path, model: str | None = None, glossary: str = "", creator: str | None = None,
                 busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.path = Path(path)
        self.model = model
        self.glossary = glossary
        self.creator = creator if creator is not None else default_creator()
        self._lock = threading.RLock()
        self._defer = 0
        self.busy_timeout = busy_timeout
        self.queue = WriteQueue(self.path)
        """Machine entries waiting for another process's write lock (see `flush`)."""
        self.on_busy: Callable[[str], None] | None = None
        """Told once (a status line) when machine entries start to queue behind another writer."""
        self.degraded = ""
        """Why the memory is off for this session (a damaged database), or ""."""
        self._fuzzy_cache: tuple[tuple[object, ...], list[str], list[MemoryEntry]] | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=busy_timeout, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
            self._migrate()
            self._rekey_if_needed()
        except sqlite3.DatabaseError as exc:
            raise InputError(self.path, f"translation memory cannot be opened ({exc})",
                             "move the file aside; a new memory will be started") from None
        except OSError as exc:
            raise InputError(self.path, f"translation memory cannot be created ({exc.strerror})") from None

    @classmethod
    def for_folder(cls, folder: Path, model: str | None = None, glossary: str = "",
                   creator: str | None = None, busy_timeout: float = BUSY_TIMEOUT) -> TranslationMemory:
        """Open the memory of the project folder `folder`."""
        return cls(memory_path(folder), model, glossary, creator, busy_timeout)

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the database (queued entries get one more try, without waiting: see `settle`)."""
        with self._lock, suppress(InputError):  # a full disk: given up, as a direct write would fail
            self.flush(0)
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
            except sqlite3.OperationalError as exc:  # locked past the busy timeout, disk full, I/O
                error = MemoryBusyError if is_busy(exc) else InputError
                raise error(self.path, f"translation memory error ({exc})",
                            "retry; if it persists, move the file aside") from None
            except sqlite3.DatabaseError as exc:  # garbage in the file: "database disk image is malformed"
                raise MemoryDamagedError(self.path, f"translation memory is damaged ({exc})",
                                         "move the file aside; a new memory will be started") from None

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

    def _migrate(self) -> None:
        """Bring a schema-1 database (no provenance) up to SCHEMA_VERSION, once, under a write lock."""
        row = self._db.execute("SELECT value FROM meta WHERE name='schema'").fetchone()
        if row and int(row[0]) >= SCHEMA_VERSION:
            return
        with self.deferred():  # re-read inside the lock: another process may have migrated meanwhile
            have = {r[1] for r in self._db.execute("PRAGMA table_info(segments)")}
            for name, declaration in PROVENANCE:
                if name not in have:
                    self._db.execute(f"ALTER TABLE segments ADD COLUMN {name} {declaration}")
            # Rows from schema 1 keep their dates; their origin beyond reviewed/machine is unknown.
            self._db.execute("UPDATE segments SET created=updated WHERE created=''")
            self._db.execute("CREATE INDEX IF NOT EXISTS segments_updated ON segments (updated)")
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))

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
        """The reviewed English of `source`, else the machine English from this model+glossary.

        A damaged database degrades to no memory (None; `degraded` says why) rather than failing
        every translation; the caller warns once.
        """
        if self.degraded:
            return None
        try:
            entry = self.lookup_entry(source)
        except MemoryDamagedError as exc:
            self.degraded = str(exc)
            return None
        return entry.target if entry else None

    def lookup_entry(self, source: str) -> MemoryEntry | None:
        """Like lookup, with the entry's origin and provenance."""
        key = source_key(source)
        if not key:
            return None
        with self._guard():
            row = self._db.execute(
                f"SELECT {COLUMNS} FROM segments WHERE key=? AND "
                "(origin='reviewed' OR (model=? AND glossary=?)) ORDER BY origin='reviewed' DESC, updated DESC",
                (key, self.model if self.model is not None else "\0none", self.glossary),
            ).fetchone()
            queued = self.queue.find(key, self.model, self.glossary)
        entry = row_entry(row) if row else None
        return queued if queued is not None and (entry is None or entry.origin is Origin.MACHINE) else entry

    def provenance_of(self, source: str) -> str:
        """Where the English `lookup` gives for `source` came from: `memory: TMX alice.tmx, alice`,
        or `memory: sentence by sentence` when the pipeline assembled it from its sentences' entries."""
        entry = self.lookup_entry(source)
        return f"memory: {entry.provenance}" if entry is not None else "memory: sentence by sentence"

    def add_machine(self, source: str, target: str, model: str) -> None:
        """Remember a machine translation made here by `model` under this memory's glossary
        (nothing, when the database is damaged: see `lookup`; queued while another process writes)."""
        if self.degraded:
            return
        with self._lock:
            self.queue.add(MemoryEntry(source, target, Origin.MACHINE, model, self.glossary, now_iso(),
                                        via=Via.ENGINE))
            self.flush(0 if self.queue.busy else min(self.busy_timeout, MACHINE_WAIT))

    def flush(self, wait: float) -> bool:
        """Store the queued machine entries, waiting at most `wait` seconds for another process's
        write lock; False while it is held (they stay queued)."""
        with self._lock:
            if self.degraded:
                return True
            try:
                return self.queue.flush(self._write, wait, self.on_busy)
            except MemoryDamagedError as exc:
                self.degraded = str(exc)
                return True

    def _write(self, entries: list[MemoryEntry], wait: float) -> None:
        with self.waiting(wait):
            self.add_many(entries)

    @contextmanager
    def waiting(self, seconds: float) -> Iterator[None]:
        """Writes inside wait at most `seconds` for another process's write lock (MemoryBusyError)."""
        with self._lock:
            self._db.execute(f"PRAGMA busy_timeout={int(seconds * 1000)}")
            try:
                yield
            finally:
                self._db.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")

    def settle(self, limit: float, on_wait: Callable[[str], None] | None = None) -> str:
        """Save the queued machine entries, waiting at most `limit` seconds for another process's
        write lock (`on_wait` is told once, before waiting, that the run waits and why).

        Returns "" when every entry was saved, else the one line saying how many were given up
        (the English they came from is already written).
        """
        return self.queue.settle(self.flush, limit, on_wait)

    def add_reviewed(self, source: str, target: str) -> MemoryEntry | None:
        """Remember a translator's reviewed translation from the desk; it replaces the source's
        earlier reviewed entry, which is returned (None if there was none) for `undo_reviewed`."""
        with self.deferred():
            replaced = self._reviewed(source)
            self.add(MemoryEntry(source, target, Origin.REVIEWED, via=Via.DESK))
        return replaced

    def undo_reviewed(self, source: str, target: str, replaced: MemoryEntry | None) -> bool:
        """Undo `add_reviewed(source, target)` (the desk's un-accept): the entry it replaced comes
        back exactly (row, English, dates, creator, file), or, if none, the entry goes. False,
        and nothing changed, when the source's reviewed English is no longer `target` (changed
        since by someone else)."""
        with self.deferred():
            current = self._reviewed(source)
            if current is None or current.target != target:
                return False
            if replaced is None:
                self._db.execute("DELETE FROM segments WHERE rowid=?", (current.id,))
            else:
                r = replaced
                self._db.execute(
                    "UPDATE segments SET source=?, target=?, updated=?, created=?, creator=?, via=?, file=?, "
                    "imported=? WHERE rowid=?",
                    (r.source, r.target, r.updated, r.created, r.creator, r.via.value, r.file, r.imported, current.id))
        return True

    def _reviewed(self, source: str) -> MemoryEntry | None:
        """The source's reviewed entry (one at most: the key is unique per origin)."""
        found = self.entries(Origin.REVIEWED, source=source)
        return found[-1] if found else None

    def add(self, entry: MemoryEntry) -> bool:
        """Store `entry` with its provenance; False if its source or target is blank.

        Missing dates are now, a missing creator is this memory's. A reviewed entry replaces the
        source's earlier reviewed one; a machine entry replaces the one of the same model and
        glossary. Replacing with the same English keeps the first creation date and creator.
        """
        key = source_key(entry.source)
        if not key or not entry.target.strip():
            return False
        now = now_iso()
        model, glossary = (entry.model, entry.glossary) if entry.origin is Origin.MACHINE else ("", "")
        with self._guard():
            self._db.execute(
                "INSERT INTO segments (key, origin, model, glossary, source, target, updated, created, creator, "
                "via, file, imported) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (key, origin, model, glossary) DO UPDATE SET "
                "created=CASE WHEN target=excluded.target THEN created ELSE excluded.created END, "
                "creator=CASE WHEN target=excluded.target THEN creator ELSE excluded.creator END, "
                "source=excluded.source, target=excluded.target, updated=excluded.updated, via=excluded.via, "
                "file=excluded.file, imported=excluded.imported",
                (key, entry.origin.value, model, glossary, entry.source, entry.target, entry.updated or now,
                 entry.created or entry.updated or now, entry.creator or self.creator, entry.via.value,
                 entry.file, entry.imported),
            )
        return True

    def add_many(self, entries: Iterable[MemoryEntry]) -> int:
        """`add` for many entries in one transaction; returns how many were stored."""
        with self.deferred():
            return sum(1 for entry in entries if self.add(entry))

    def forget(self, ids: Iterable[int]) -> int:
        """Delete the entries with these ids (`MemoryEntry.id`); returns how many were deleted."""
        with self.deferred():
            return sum(self._db.execute("DELETE FROM segments WHERE rowid=?", (i,)).rowcount for i in ids)

    # -- listing, search, fuzzy -------------------------------------------------------------

    def entries(self, origin: Origin | str | None = None, *, via: Via | None = None, file: str | None = None,
                since: str | None = None, before: str | None = None, text: str | None = None,
                source: str | None = None, limit: int | None = None) -> list[MemoryEntry]:
        """Entries, oldest change first, filtered by every argument given.

        Args:
            origin: reviewed or machine only.
            via: one provenance (desk, engine, tmx, xliff, legacy).
            file: imported from this file (as stored: the path given to the import).
            since: changed at or after this ISO date/time (`2026-11-30` or `2026-11-30T12:00`).
            before: changed before this ISO date/time.
            text: contained in the English (case-insensitive) or in the Arabic (normalised).
            source: the same source paragraph (normalised key).
            limit: at most this many (the most recent ones when limited).
        """
        where, args = sql_filters(origin, via, file, since, before, text, source)
        query = f"SELECT {COLUMNS} FROM segments" + (" WHERE " + " AND ".join(where) if where else "")
        if limit is not None:
            query = f"SELECT * FROM ({query} ORDER BY updated DESC, rowid DESC LIMIT ?)"
            args.append(int(limit))
        with self._guard():
            rows = self._db.execute(query + " ORDER BY updated, rowid", args).fetchall()
        return [row_entry(row) for row in rows]

    def counts(self) -> dict[str, int]:
        """Number of entries per origin."""
        with self._guard():
            rows = self._db.execute("SELECT origin, count(*) FROM segments GROUP BY origin").fetchall()
        return {MACHINE.value: 0, REVIEWED.value: 0, **dict(rows)}

    def fuzzy(self, source: str, limit: int = 5, min_score: float = MIN_SCORE) -> list[FuzzyMatch]:
        """Stored paragraphs similar to `source`, best first (rapidfuzz ratio on normalised text).

        Each stored source appears once, with its reviewed translation if it has one, else the
        machine translation of this memory's model+glossary.
        """
        key = source_key(source)
        if not key:
            return []
        keys, values = self._fuzzy_index()
        return [FuzzyMatch(score, values[index]) for index, score in similar(key, keys, limit, min_score)]

    def _fuzzy_index(self) -> tuple[list[str], list[MemoryEntry]]:
        """Keys and their best entries, rebuilt only when the database changed."""
        with self._guard():
            version = (self._db.execute("PRAGMA data_version").fetchone()[0], self._db.total_changes,
                       self.model, self.glossary)
            if self._fuzzy_cache and self._fuzzy_cache[0] == version:
                return self._fuzzy_cache[1], self._fuzzy_cache[2]
            rows = self._db.execute(
                f"SELECT key, {COLUMNS} FROM segments WHERE origin='reviewed' "
                "OR (model=? AND glossary=?) ORDER BY origin='reviewed', updated",
                (self.model if self.model is not None else "\0none", self.glossary),
            ).fetchall()
        best: dict[str, MemoryEntry] = {}
        for row in rows:  # reviewed rows come last and win
            best[row[0]] = row_entry(row[1:])
        keys = list(best)
        values = [best[k] for k in keys]
        with self._guard():
            self._fuzzy_cache = (version, keys, values)
        return keys, values
