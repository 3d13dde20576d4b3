"""Provides exports of an article's English: Markdown, plain text, bilingual Markdown, TMX, XLIFF.

The renderers take the article and a mapping paragraph id -> English, so batch output (machine
English) and desk output (review state) share one format. File-level exports read the review
state saved beside the article, and fill paragraphs it has no English for from the project's
translation memory (the reviewed entry, else the newest machine one): after `translator batch`,
which writes no review state, the exports hold its machine English, marked as machine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from translator.errors import InputError
from translator.fileio import atomic_write_text
from translator.store.memory import TranslationMemory, memory_path
from translator.store.memory_entry import MemoryEntry, Origin
from translator.store.memory_io import remembered, reviewed_unit, tmx_unit, with_memory
from translator.store.render import Mode, escape_markdown, render_markdown
from translator.store.review import ReviewState, Status, load_review
from translator.store.tmx import TmxUnit, write_tmx
from translator.text.document import Article, Kind, article_stem, read_article

#: Export formats and the suffix of the file each writes (`<name><suffix>`).
SUFFIXES = {
    "md": ".en.md",
    "txt": ".en.txt",
    "bilingual": ".bilingual.md",
    "tmx": ".tmx",
    "xliff": ".xlf",
}
UNTRANSLATED = "_(not translated yet)_"


def render_text(article: Article, english: Mapping[str, str]) -> str:
    """English as plain text: title line, then paragraphs, separated by blank lines."""
    blocks = [english.get(p.id, "").strip() for p in article.translatable]
    return "\n\n".join(b for b in blocks if b) + "\n"


def render_bilingual(article: Article, english: Mapping[str, str]) -> str:
    """Bilingual Markdown: per paragraph the Arabic (as a quote) then the English.

    The Arabic is kept exactly as stored; the title's English is the heading.
    """
    blocks = []
    for p in article.translatable:
        text = escape_markdown(english.get(p.id, "").strip()) or UNTRANSLATED
        arabic = f"> {p.text.strip()}"
        blocks.append(f"{arabic}\n\n# {text}" if p.kind is Kind.TITLE else f"{arabic}\n\n{text}")
    return "\n\n".join(blocks) + "\n"


def render_machine_markdown(article: Article, english: Mapping[str, str], model: str = "") -> str:
    """Machine English nobody reviewed (batch output): says so in its front matter and header."""
    return render_markdown(article, english, (), Mode.MACHINE, model)


RENDERERS = {"md": render_machine_markdown, "txt": render_text, "bilingual": render_bilingual}


def english_of(article: Article, state: ReviewState, reviewed_only: bool = False) -> dict[str, str]:
    """Paragraph id -> current English from a review state (optionally reviewed paragraphs only)."""
    found = {}
    for p in article.translatable:
        rec = state.paragraphs.get(p.id)
        if rec is None or rec.status is Status.NEW or not rec.text.strip():
            continue
        if reviewed_only and rec.status is not Status.REVIEWED:
            continue
        found[p.id] = rec.text
    return found


def tmx_units(article: Article, state: ReviewState, memory: TranslationMemory | None,
              include_machine: bool = False) -> list[TmxUnit]:
    """TMX units of the reviewed paragraphs (and, if asked, machine ones, marked with their model)."""
    units = []
    for p in article.translatable:
        rec = state.paragraphs.get(p.id)
        if rec is None or not rec.text.strip():
            continue
        if rec.status is Status.REVIEWED:
            units.append(reviewed_unit(memory, p.text, rec.text, rec.reviewed_at or rec.updated))
        elif rec.status is Status.MACHINE and include_machine:
            entry = remembered(memory, p.text) if memory is not None else None
            if entry is None or entry.origin is not Origin.MACHINE or entry.target != rec.text:
                entry = MemoryEntry(p.text, rec.text, Origin.MACHINE, updated=rec.updated)  # model unknown
            units.append(tmx_unit(replace(entry, source=p.text)))
    return units


@dataclass(frozen=True)
class Exported:
    """One written export file."""

    path: Path
    units: int
    """Paragraphs with English (md/txt/bilingual), units written (tmx/xliff)."""


def export_article(article_path: Path, fmt: str, out_dir: Path | None = None,
                   reviewed_only: bool = False, include_machine: bool = False,
                   draft: bool = False, reviews: Path | None = None) -> Exported:
    """Export one article's work in `fmt` to `out_dir` (default: beside the article).
    `reviews`: the folder of its review state (a desk opened with `-o`; default: beside the article).

    The review state, with paragraphs it lacks filled from the project memory (if there is one).
    `include_machine`: TMX also holds machine English, marked machine with its model.

    `md` holds the reviewed English (unreviewed paragraphs in HTML comments) unless `draft`,
    which writes every paragraph's current English under a header saying how many are reviewed.

    Raises:
        InputError: unknown format, unreadable article, corrupt review state or memory.
    """
    if fmt not in SUFFIXES:
        raise InputError(article_path, f"unknown export format {fmt!r}", f"use one of {', '.join(SUFFIXES)}")
    article = read_article(article_path)
    target = (out_dir or article.path.parent) / f"{article_stem(article.path)}{SUFFIXES[fmt]}"
    memory = None
    if memory_path(article.path.parent).is_file():
        memory = TranslationMemory.for_folder(article.path.parent)
    try:
        state = with_memory(article, load_review(article.path, reviews), memory)
        if fmt == "tmx":
            units = tmx_units(article, state, memory, include_machine)
            write_tmx(target, units)
            return Exported(target, len(units))
    finally:
        if memory is not None:
            memory.close()
    if fmt == "xliff":
        from translator.store.xliff import write_xliff

        return Exported(target, write_xliff(target, article, state))
    english = english_of(article, state, reviewed_only)
    if fmt == "md":
        reviewed = set(english_of(article, state, reviewed_only=True))
        mode = Mode.DRAFT if draft and not reviewed_only else Mode.REVIEWED
        atomic_write_text(target, render_markdown(article, english, reviewed, mode))
        return Exported(target, len(english) if mode is Mode.DRAFT else len(reviewed))
    atomic_write_text(target, RENDERERS[fmt](article, english))
    return Exported(target, len(english))


def article_files(folder: Path, pattern: str = "*.txt") -> list[Path]:
    """Article files in `folder` matching `pattern`, without our own outputs or hidden folders."""
    outputs = tuple(s for s in SUFFIXES.values()) + (".en.txt", ".en.md")
    found = []
    for path in sorted(Path(folder).glob(pattern)):
        rel = path.relative_to(folder)
        # Anything that is not a folder is an article candidate: a FIFO, a device or a bad link is
        # reported as failed by the reader, never silently skipped (and never opened blocking).
        if path.is_dir() or any(part.startswith(".") for part in rel.parts):
            continue
        if path.name.endswith(outputs) or path.name.endswith(".review.json"):
            continue
        found.append(path)
    return found
