"""Provides DeskSession: the desk's domain logic for one article, with no UI.

A session holds the article, its review state and what is unsaved. It answers which
paragraphs still need machine translation, applies machine results and the translator's
edits (accept, revert), moves between paragraphs, counts progress and decides when to save.
The Textual desk (translator/tui) is a thin view over it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from translator.store.lock import ArticleLock
from translator.store.memory_entry import MemoryEntry
from translator.store.review import (
    ParagraphReview,
    ReviewFiles,
    ReviewState,
    Status,
    load_review,
    review_files,
    state_path,
)
from translator.text.document import Article, Paragraph, read_article


@dataclass(frozen=True)
class DeskOptions:
    """How the desk behaves; built once by the CLI (or a test) and passed to the app."""

    out_dir: Path | None = None
    """Where `<name>.en.md` and `<name>.review.json` go; None = next to the article."""

    autosave_seconds: float = 3.0
    """Unsaved typing is written at most this long after the last change (kill -9 safety)."""

    arabic_display: str = "visual"
    """`visual` (reordered for terminals without bidi, the default) or `logical` (as stored)."""

    watch_seconds: float = 2.0
    """How often glossary files are checked for outside edits; 0 turns watching off (tests)."""

    cursor_blink: bool = True
    """Blinking editor cursor; snapshot tests turn it off."""

    side_follow_seconds: float = 0.4
    """The side panel's QA and memory follow the typing this long after the last key (not every key)."""


class ReviewMemory(Protocol):
    """What the session feeds a translation memory with (translator.store.memory implements it)."""

    def add_reviewed(self, source: str, target: str) -> MemoryEntry | None:
        """Remember a reviewed translation; returns the reviewed entry it replaced, if any."""
        ...

    def undo_reviewed(self, source: str, target: str, replaced: MemoryEntry | None) -> bool:
        """Undo `add_reviewed(source, target)`: put `replaced` back (or drop the entry if None)."""
        ...


class DeskSession:
    """The translator's work on one article: review state plus what is not yet on disk."""

    def __init__(
        self,
        article: Article,
        state: ReviewState,
        out_dir: Path | None = None,
        autosave_seconds: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
        memory: ReviewMemory | None = None,
    ) -> None:
        self.article = article
        self.state = state
        self.out_dir = out_dir
        self.autosave_seconds = autosave_seconds
        self.memory = memory
        self._clock = clock
        self._dirty_since: float | None = None
        self.saves = 0
        """Number of writes so far (tests and the status line read it)."""

    @classmethod
    def open(cls, path: Path, out_dir: Path | None = None, *, autosave_seconds: float = 3.0,
             clock: Callable[[], float] = time.monotonic, memory: ReviewMemory | None = None) -> "DeskSession":
        """Read the article and its saved review state (raises InputError with a clear line)."""
        article = read_article(path)
        return cls(article, load_review(path, out_dir), out_dir, autosave_seconds, clock, memory)

    # -- reading -------------------------------------------------------------------------

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        """All paragraphs in order, junk included (shown greyed)."""
        return self.article.paragraphs

    def record(self, index: int) -> ParagraphReview:
        """Review record of paragraph `index`."""
        return self.state.get(self.paragraphs[index].id)

    def status(self, index: int) -> Status | None:
        """Status of paragraph `index`; None for junk."""
        p = self.paragraphs[index]
        if not p.translatable:
            return None
        rec = self.state.paragraphs.get(p.id)
        return rec.status if rec else Status.NEW

    def english(self, index: int) -> str:
        """The current English of paragraph `index` ('' if none yet)."""
        rec = self.state.paragraphs.get(self.paragraphs[index].id)
        return rec.text if rec else ""

    def progress(self) -> tuple[int, int]:
        """(reviewed, total) over translatable paragraphs."""
        counts = self.state.counts(self.article)
        return counts[Status.REVIEWED], len(self.article.translatable)

    def counts(self) -> dict[Status, int]:
        """Paragraphs per status."""
        return self.state.counts(self.article)

    def needs_mt(self, start: int = 0) -> list[int]:
        """Indexes of translatable paragraphs with no machine output yet, from `start` on, then wrapping."""
        n = len(self.paragraphs)
        order = [(start + k) % n for k in range(n)] if n else []
        return [i for i in order if self.paragraphs[i].translatable and self._machine(i) is None]

    def _machine(self, index: int) -> str | None:
        rec = self.state.paragraphs.get(self.paragraphs[index].id)
        return rec.machine if rec else None

    # -- glossary the machine English was enforced with ---------------------------------

    def enforced_with(self, index: int) -> str | None:
        """Fingerprint of the glossary paragraph `index`'s machine English was enforced with;
        None without machine English or when not recorded (older review files)."""
        rec = self.state.paragraphs.get(self.paragraphs[index].id)
        return rec.glossary if rec is not None and rec.machine is not None and rec.glossary else None

    def enforced_elsewhere(self, index: int, fingerprint: str) -> bool:
        """True if paragraph `index`'s machine English was enforced with another glossary than `fingerprint`."""
        recorded = self.enforced_with(index)
        return recorded is not None and recorded != fingerprint

    def stale_machine(self, fingerprint: str) -> list[int]:
        """Untouched machine paragraphs (neither edited nor reviewed) enforced with another
        glossary than `fingerprint`: a re-translation may replace their English."""
        return [p.index for p in self.article.translatable
                if self.status(p.index) is Status.MACHINE and self.enforced_elsewhere(p.index, fingerprint)]

    def follow_glossary(self, before: str, after: str, touches: Callable[[str], bool]) -> list[int]:
        """After the glossary changed from `before` to `after` (fingerprints): paragraphs enforced
        with `before` whose Arabic holds no term the change `touches` would get the same English,
        so they are recorded as enforced with `after`. Returns the untouched machine paragraphs
        still enforced with another glossary (to re-translate); edited and reviewed ones keep
        their English and stay marked (`enforced_elsewhere`) for the translator.
        """
        for p in self.article.translatable:
            rec = self.state.paragraphs.get(p.id)
            if rec is not None and rec.machine is not None and rec.glossary == before != after \
                    and not touches(p.text):
                rec.glossary = after
                self._touch()
        return self.stale_machine(after)

    # -- navigation ----------------------------------------------------------------------

    def first_index(self) -> int:
        """Where to resume: where the translator last worked (the paragraph they were editing,
        or the next unreviewed one after the one they last accepted); on a fresh article the
        first paragraph not yet reviewed; else the first translatable."""
        touched = [
            (rec.updated, p.index)
            for p in self.article.translatable
            if (rec := self.state.paragraphs.get(p.id)) is not None and rec.status in (Status.EDITED, Status.REVIEWED)
        ]
        if touched:
            _, last = max(touched)
            if self.status(last) is Status.EDITED:
                return last
            found = self.next_index(last, unreviewed=True)
            if found is not None:
                return found
        found = self.next_index(-1, unreviewed=True)
        if found is not None:
            return found
        return self.next_index(-1) or 0

    def next_index(self, current: int, step: int = 1, unreviewed: bool = False) -> int | None:
        """The next translatable paragraph after `current` in direction `step` (junk skipped).

        With `unreviewed`, the search wraps around the article and skips reviewed ones.
        """
        n = len(self.paragraphs)
        candidates = range(1, n + 1) if unreviewed else range(1, n)
        for k in candidates:
            i = current + step * k
            if unreviewed:
                i %= n
            elif not 0 <= i < n:
                return None
            if not self.paragraphs[i].translatable:
                continue
            if unreviewed and self.status(i) is Status.REVIEWED:
                continue
            return i
        return None

    def find(self, query: str, current: int) -> int | None:
        """Next paragraph after `current` (wrapping) whose Arabic or English contains `query`."""
        needle = query.strip().casefold()
        if not needle:
            return None
        n = len(self.paragraphs)
        for k in range(1, n + 1):
            i = (current + k) % n
            if not self.paragraphs[i].translatable:
                continue
            if needle in self.paragraphs[i].text.casefold() or needle in self.english(i).casefold():
                return i
        return None

    # -- changes -------------------------------------------------------------------------

    def apply_machine(self, index: int, text: str, replace: bool = False, draft_from: str = "",
                      glossary: str = "") -> bool:
        """Record machine output for paragraph `index`.

        Args:
            index: paragraph index.
            text: the (glossary-enforced) machine translation.
            replace: also replace the current English unless the translator edited or reviewed it
                (a re-translation).
            draft_from: where the memory's English came from, when the memory supplied it.
            glossary: fingerprint of the glossary `text` was enforced with.

        Returns:
            True if the English shown for the paragraph changed.
        """
        rec = self.record(index)
        before = rec.text
        self.state.set_machine(self.paragraphs[index].id, text, draft_from)
        rec.glossary = glossary
        if replace and rec.status is Status.MACHINE:
            rec.text = text
        self._touch()
        return rec.text != before

    def edit(self, index: int, text: str) -> bool:
        """Record the translator's English for paragraph `index`; True if it changed."""
        rec = self.record(index)
        if text == rec.text:
            return False
        if rec.status is Status.REVIEWED:
            # Changing reviewed text reopens it: the translator must accept again.
            rec.status = Status.EDITED
        self.state.set_text(self.paragraphs[index].id, text)
        if not text.strip() and rec.machine is None:
            rec.status = Status.NEW
        self._touch()
        return True

    def accept(self, index: int, text: str | None = None) -> bool:
        """Mark paragraph `index` reviewed (with `text` if given). Empty English is refused."""
        rec = self.record(index)
        final = rec.text if text is None else text
        if not final.strip():
            return False
        self.state.accept(self.paragraphs[index].id, final)
        if self.memory is not None:
            rec.memory_replaced = self.memory.add_reviewed(self.paragraphs[index].text, final)
        self._touch()
        return True

    def unaccept(self, index: int) -> bool:
        """Undo an accept: the paragraph is no longer reviewed (machine if its English is the
        machine output, else edited) and the memory is as it was before the accept (an older
        reviewed entry it replaced is back). False if it was not reviewed."""
        rec = self.record(index)
        if rec.status is not Status.REVIEWED:
            return False
        rec.status = Status.MACHINE if rec.machine is not None and rec.text == rec.machine else Status.EDITED
        rec.reviewed_at = None
        if self.memory is not None:
            self.memory.undo_reviewed(self.paragraphs[index].text, rec.text, rec.memory_replaced)
        rec.memory_replaced = None
        self._touch()
        return True

    def revert(self, index: int) -> str | None:
        """Put the machine translation back; returns it, or None if there is none."""
        rec = self.record(index)
        if rec.machine is None:
            return None
        rec.text, rec.status = rec.machine, Status.MACHINE
        rec.reviewed_at = None
        self._touch()
        return rec.machine

    # -- saving --------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        """True if there are changes not yet written."""
        return self._dirty_since is not None

    def _touch(self) -> None:
        if self._dirty_since is None:
            self._dirty_since = self._clock()

    def autosave_due(self) -> bool:
        """True when unsaved changes are older than the autosave interval."""
        return self._dirty_since is not None and self._clock() - self._dirty_since >= self.autosave_seconds

    def save(self, force: bool = False, write: Callable[[ReviewFiles], None] | None = None) -> bool:
        """Write the review state and the English atomically if anything changed; True if written.

        `write` takes the save over (the desk hands it to a writer thread: translator.store.review_writer);
        if it then fails, `mark_unsaved` makes the next save write again.
        """
        if not (self.dirty or force):
            return False
        files = review_files(self.article, self.state, self.out_dir)
        (write or ReviewFiles.write)(files)
        self._dirty_since = None
        self.saves += 1
        return True

    def mark_unsaved(self) -> None:
        """A save handed over to `write` failed: the changes count as unsaved again."""
        self._touch()

    @property
    def state_file(self) -> Path:
        """The review-state file this session writes."""
        return state_path(self.article.path, self.out_dir)


def open_article(
    path: Path, options: DeskOptions, memory: ReviewMemory | None = None
) -> tuple[DeskSession, ArticleLock]:
    """Lock and open one article; raises LockedError or InputError with a clear line."""
    lock = ArticleLock(path, options.out_dir)
    lock.acquire()
    try:
        session = DeskSession.open(path, options.out_dir, autosave_seconds=options.autosave_seconds, memory=memory)
    except BaseException:
        lock.release()
        raise
    return session, lock


def mt_chunks(indexes: list[int], first: int = 1, second: int = 4) -> list[list[int]]:
    """Split paragraphs to translate into batches: the first alone (on screen fast), then
    a few, then the rest in one batch (throughput)."""
    cuts = [0, first, first + second, len(indexes)]
    return [indexes[a:b] for a, b in zip(cuts, cuts[1:]) if indexes[a:b]]
