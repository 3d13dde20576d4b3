"""Provides the memory's bridges: TMX export with provenance, import that keeps it; review states filled from memory.

An exported unit carries its creation date, creator id and, for machine output, the origin
(`<prop type="x-origin">machine</prop>`), model and glossary fingerprint. An import stores each
unit with the file it came from and when: units the file marks as machine stay machine, others
become reviewed translations, so machine output never comes back as reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from translator.store.memory import TranslationMemory
from translator.store.memory_entry import MemoryEntry, Origin, Via, now_iso, source_key
from translator.store.review import ParagraphReview, ReviewState, Status
from translator.store.tmx import TmxUnit, read_tmx, write_tmx
from translator.text.document import Article


@dataclass(frozen=True)
class TmxImport:
    """What a TMX import added."""

    added: int
    reviewed: int
    machine: int


def best_entries(memory: TranslationMemory, include_machine: bool = True) -> list[MemoryEntry]:
    """One entry per source, oldest first: the reviewed one, else (optionally) the newest machine one."""
    chosen: dict[str, MemoryEntry] = {}
    for entry in memory.entries():
        if entry.origin is Origin.MACHINE and not include_machine:
            continue
        key = source_key(entry.source)
        if entry.origin is Origin.REVIEWED or chosen.get(key, entry).origin is not Origin.REVIEWED:
            chosen[key] = entry
    return list(chosen.values())


def tmx_unit(entry: MemoryEntry) -> TmxUnit:
    """The TMX unit of a memory entry, provenance included."""
    machine = entry.origin is Origin.MACHINE
    return TmxUnit(entry.source, entry.target, entry.updated, entry.created, entry.creator, machine,
                   entry.model if machine else "", entry.glossary if machine else "")


def memory_entry(unit: TmxUnit, file: Path, imported: str = "") -> MemoryEntry:
    """The memory entry of an imported TMX unit (machine only when the file marks it so)."""
    origin = Origin.MACHINE if unit.machine else Origin.REVIEWED
    return MemoryEntry(unit.source, unit.target, origin, unit.model, unit.glossary, unit.updated, unit.created,
                       unit.creator, Via.TMX, str(Path(file).resolve()), imported or now_iso())


def export_tmx(memory: TranslationMemory, path: Path, include_machine: bool = False) -> int:
    """Write the memory's reviewed entries (and, if asked, machine ones, marked) as TMX; returns the unit count."""
    units = [tmx_unit(entry) for entry in best_entries(memory, include_machine)]
    write_tmx(path, units)
    return len(units)


def import_tmx(memory: TranslationMemory, path: Path) -> TmxImport:
    """Add a TMX file's units to the memory with their provenance, in one transaction.

    Raises:
        InputError: the file cannot be read as Arabic→English TMX (nothing is written then).
    """
    units = read_tmx(path)  # refuses the whole file before anything is written
    when = now_iso()
    added = memory.add_many(memory_entry(unit, path, when) for unit in units)
    machine = sum(1 for unit in units if unit.machine)
    return TmxImport(added, added - machine, machine)


def remembered(memory: TranslationMemory, source: str) -> MemoryEntry | None:
    """The memory's English for `source` whatever the model: the reviewed entry, else the newest machine one."""
    found = memory.entries(source=source)
    reviewed = [e for e in found if e.origin is Origin.REVIEWED]
    return (reviewed or found)[-1] if found else None


def with_memory(article: Article, state: ReviewState, memory: TranslationMemory | None) -> ReviewState:
    """A copy of `state` where paragraphs without English take it from the memory (reviewed or machine)."""
    merged = ReviewState(state.article, dict(state.paragraphs))
    if memory is None:
        return merged
    for p in article.translatable:
        rec = merged.paragraphs.get(p.id)
        if rec is not None and rec.status is not Status.NEW and rec.text.strip():
            continue
        entry = remembered(memory, p.text)
        if entry is None:
            continue
        if entry.origin is Origin.REVIEWED:
            merged.paragraphs[p.id] = ParagraphReview(Status.REVIEWED, None, entry.target, entry.updated,
                                                      entry.updated)
        else:
            merged.paragraphs[p.id] = ParagraphReview(Status.MACHINE, entry.target, entry.target, entry.updated)
    return merged


def reviewed_unit(memory: TranslationMemory | None, source: str, english: str, when: str) -> TmxUnit:
    """The TMX unit of a reviewed paragraph, with the memory's creation date and creator when it holds that English."""
    found = memory.entries(Origin.REVIEWED, source=source) if memory is not None else []
    for entry in found:
        if entry.target.strip() == english.strip():
            return replace(tmx_unit(entry), source=source, target=english)
    return TmxUnit(source, english, when)
