"""Provides the typed records of the translation memory: MemoryEntry, its Origin and Via, FuzzyMatch.

Kept apart from the SQLite store (translator.store.memory) so listings, the desk and the TMX/XLIFF
bridges share one vocabulary without the database.
"""

from __future__ import annotations

import getpass
import os
import unicodedata
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import Enum

from translator.text.arabic import normalize


class Origin(str, Enum):
    """How far an entry can be trusted: lookups prefer reviewed over machine."""

    MACHINE = "machine"
    REVIEWED = "reviewed"


class Via(str, Enum):
    """Where an entry came from."""

    DESK = "desk"
    """Accepted by a translator in the desk."""
    ENGINE = "engine"
    """Machine translation made here (batch, translate, the desk's machine draft)."""
    TMX = "tmx"
    """Imported from a TMX file (`file`, `imported`)."""
    XLIFF = "xliff"
    """Imported from an XLIFF file (`file`, `imported`)."""
    OMEGAT = "omegat"
    """Imported from an OmegaT project's translated file (`file`, `imported`)."""
    LEGACY = "legacy"
    """Stored before provenance was recorded (schema 1): origin unknown beyond reviewed/machine."""


#: Name of the key normalisation; stored so a later change rekeys old databases on open.
KEY_SCHEME = "arabic-1"


def source_key(text: str) -> str:
    """The lookup key of a source paragraph (normalised for matching, never for storage)."""
    return normalize(unicodedata.normalize("NFC", text))


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds (the memory's date format)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def default_creator() -> str:
    """The creator id of new entries: $TRANSLATOR_USER, else the login name."""
    name = os.environ.get("TRANSLATOR_USER", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


@dataclass(frozen=True)
class MemoryEntry:
    """One stored translation with its provenance."""

    source: str
    target: str
    origin: Origin
    model: str = ""
    """Machine entries: the label of the model that made it."""
    glossary: str = ""
    """Machine entries: the fingerprint of the glossary enforced ('' for none)."""
    updated: str = ""
    """Last change (ISO, UTC)."""
    created: str = ""
    """When the translation was first made (ISO, UTC; a TMX's creationdate when imported)."""
    creator: str = ""
    """Who made it (user id; a TMX's creationid when imported)."""
    via: Via = Via.ENGINE
    file: str = ""
    """The TMX/XLIFF file it was imported from ('' unless via is tmx or xliff)."""
    imported: str = ""
    """When it was imported (ISO, UTC; '' unless imported)."""
    id: int = 0
    """Row id in this database (0 until stored); pass it to `forget`."""

    def to_json(self) -> dict[str, object]:
        """The entry as JSON-ready data (`from_json` reads it back)."""
        return {**asdict(self), "origin": self.origin.value, "via": self.via.value}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> MemoryEntry:
        fields = {k: str(v) for k, v in data.items() if k not in ("origin", "via", "id")}
        return cls(**fields, origin=Origin(str(data["origin"])), via=Via(str(data["via"])),  # type: ignore[arg-type]
                   id=int(str(data.get("id", 0))))

    @property
    def label(self) -> str:
        """Short provenance for a list or a suggestion: reviewed, machine, TMX, TMX machine, XLIFF."""
        if self.via in (Via.TMX, Via.XLIFF, Via.OMEGAT):
            name = "OmegaT" if self.via is Via.OMEGAT else self.via.value.upper()
            return f"{name} machine" if self.origin is Origin.MACHINE else name
        return self.origin.value

    @property
    def provenance(self) -> str:
        """Where it came from, in a few words: `TMX alice.tmx, alice`, `reviewed in the desk by
        sam`, `machine ar→en 1.9`."""
        if self.via in (Via.TMX, Via.XLIFF, Via.OMEGAT):
            where = self.file.replace("\\", "/").rsplit("/", 1)[-1]
            return ", ".join(part for part in (f"{self.label} {where}".strip(), self.creator) if part)
        if self.via is Via.DESK:
            return f"reviewed in the desk by {self.creator}" if self.creator else "reviewed in the desk"
        if self.origin is Origin.MACHINE:
            return f"machine {self.model}".strip()
        return f"{self.origin.value} ({self.via.value})"


#: Least similarity (0–100) of a fuzzy match.
MIN_SCORE = 50.0


def similar(key: str, keys: list[str], limit: int, min_score: float = MIN_SCORE) -> list[tuple[int, float]]:
    """The indexes of `keys` (source keys) most similar to `key`, best first, with their 0–100
    score (rapidfuzz ratio, one decimal): the one measure of every fuzzy match."""
    from rapidfuzz import fuzz, process

    found = process.extract(key, keys, scorer=fuzz.ratio, limit=limit, score_cutoff=min_score)
    return [(index, round(score, 1)) for _, score, index in found]


@dataclass(frozen=True)
class FuzzyMatch:
    """A similar stored paragraph and its best translation, with a 0–100 similarity score."""

    score: float
    entry: MemoryEntry
    queued: bool = False
    """Not in the database yet: waiting there for another process's write lock (translator.store.memory_busy)."""

    @property
    def label(self) -> str:
        """The entry's label (`reviewed`, `TMX`...), `reviewed, queued` while it waits to be saved."""
        return f"{self.entry.label}, queued" if self.queued else self.entry.label

    @property
    def source(self) -> str:
        return self.entry.source

    @property
    def target(self) -> str:
        return self.entry.target

    @property
    def origin(self) -> Origin:
        return self.entry.origin
