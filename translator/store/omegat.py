"""Provides the OmegaT bridge: a ready OmegaT 3.6 project from articles, and the way back.

`export_project` writes, for the articles of a folder:

- `omegat.project` (ar → en, sentence segmentation off) and `omegat/filters.xml` setting the
  text filter to one segment per line (`segmentOn=BREAKS`): OmegaT's segments are then exactly
  our paragraphs (site junk lines too, which OmegaT offers as extra segments);
- `source/<article>`: the article files byte for byte;
- `omegat/project_save.tmx`: the reviewed work as the project's own memory (OmegaT shows and
  writes these as the translations);
- `tm/translator-machine.tmx`: machine drafts as a reference TMX (OmegaT offers them as fuzzy
  matches only, never inserts them), marked `x-origin` machine with their model;
- `glossary/translator.utf8`: the glossary in OmegaT's tab-separated format (UTF-8).

The way back (`import_project`): the project's `omegat/project_save.tmx` and, for each source
file, the translated file in `target/` paired line by line, both as reviewed translations.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from translator.errors import InputError
from translator.fileio import atomic_write_text, read_user_text
from translator.glossary.layers import Glossary
from translator.store.memory import TranslationMemory
from translator.store.memory_entry import MemoryEntry, Origin, Via, now_iso
from translator.store.memory_io import import_tmx, remembered, reviewed_unit, tmx_unit, with_memory
from translator.store.review import Status, load_review
from translator.store.tmx import TmxUnit, has_arabic, source_segment, write_tmx
from translator.text.document import Article, read_article

PROJECT_FILE = "omegat.project"
PROJECT_SAVE = "omegat/project_save.tmx"
MACHINE_TM = "tm/translator-machine.tmx"
GLOSSARY_FILE = "glossary/translator.utf8"
_FOLDERS = ("source", "target", "tm", "glossary", "omegat", "dictionary")

PROJECT_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>ar</source_lang>
    <target_lang>en</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneArabicTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""

# OmegaT 3.6 reads a project's own omegat/filters.xml (FilterMaster.loadConfig) and adds the
# filters it lacks. BREAKS: one segment per non-empty line, as translator.document splits.
FILTERS_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<filters removeTags="false" removeSpacesNonseg="true" preserveSpaces="false" ignoreFileContext="false">
  <filter className="org.omegat.filters2.text.TextFilter" enabled="true">
    <files sourceFilenameMask="*.txt" targetFilenamePattern="${filename}" sourceEncoding="UTF-8"
           targetEncoding="UTF-8"/>
    <option name="segmentOn" value="BREAKS"/>
    <option name="lineLength" value=""/>
    <option name="maxLineLength" value=""/>
  </filter>
</filters>
"""


@dataclass(frozen=True)
class OmegatExport:
    """What `export_project` wrote."""

    project: Path
    articles: int
    reviewed: int
    """Units in omegat/project_save.tmx."""
    machine: int
    """Units in the reference TMX tm/translator-machine.tmx."""
    terms: int
    """Lines of the glossary file."""


def export_project(articles: Sequence[Path], project: Path, glossary: Glossary | None = None) -> OmegatExport:
    """Write an OmegaT project at `project` for `articles` (their review state and folder memory).

    Raises:
        InputError: `project` exists and is not empty (never overwritten); an article cannot be
            read; two articles share a file name.
    """
    project = Path(project)
    if project.exists() and (not project.is_dir() or any(project.iterdir())):
        hint = "give a new or empty folder for -o"
        if (project / PROJECT_SAVE).is_file():
            hint = f"bring its work back first (translator memory import {project}), then export to a new folder"
        raise InputError(project, "exists and is not empty (an OmegaT project's work would be overwritten)", hint)
    names: dict[str, Path] = {}
    for path in articles:
        if path.name in names:
            raise InputError(path, f"has the same file name as {names[path.name]}", "export one folder at a time")
        names[path.name] = path
    for sub in _FOLDERS:
        (project / sub).mkdir(parents=True, exist_ok=True)
    atomic_write_text(project / PROJECT_FILE, PROJECT_XML)
    atomic_write_text(project / "omegat" / "filters.xml", FILTERS_XML)
    reviewed: dict[str, TmxUnit] = {}
    machine: dict[str, TmxUnit] = {}
    for path in articles:
        article = read_article(path)
        shutil.copyfile(article.path, project / "source" / article.path.name)
        _collect(article, reviewed, machine)
    write_tmx(project / PROJECT_SAVE, reviewed.values())
    write_tmx(project / MACHINE_TM, (u for key, u in machine.items() if key not in reviewed))
    terms = _write_glossary(project / GLOSSARY_FILE, glossary) if glossary is not None else 0
    return OmegatExport(project, len(articles), len(reviewed),
                        sum(1 for key in machine if key not in reviewed), terms)


def _collect(article: Article, reviewed: dict[str, TmxUnit], machine: dict[str, TmxUnit]) -> None:
    """Add the article's reviewed and machine English (review state, then memory) by source segment."""
    folder = article.path.parent
    memory = TranslationMemory.for_folder(folder) if (folder / ".translator" / "memory.sqlite").is_file() else None
    try:
        state = with_memory(article, load_review(article.path), memory)
        for p in article.translatable:
            rec = state.paragraphs.get(p.id)
            key = source_segment(p.text)
            if rec is None or not rec.text.strip() or not key.strip():
                continue
            if rec.status is Status.REVIEWED:
                reviewed[key] = reviewed_unit(memory, p.text, rec.text, rec.reviewed_at or rec.updated)
            elif rec.status is Status.MACHINE:
                entry = remembered(memory, p.text) if memory is not None else None
                if entry is None or entry.origin is not Origin.MACHINE or entry.target != rec.text:
                    entry = MemoryEntry(p.text, rec.text, Origin.MACHINE, updated=rec.updated)
                machine[key] = tmx_unit(entry)
    finally:
        if memory is not None:
            memory.close()


def _cell(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def _write_glossary(path: Path, glossary: Glossary) -> int:
    """OmegaT's tab-separated glossary: Arabic form, English, comment (type, accepted alternatives, note)."""
    lines = ["# translator glossary for OmegaT: Arabic<TAB>English<TAB>comment"]
    for entry in glossary.active_entries:
        comment = "; ".join(part for part in (entry.type, "also: " + ", ".join(entry.alt) if entry.alt else "",
                                              entry.note) if part)
        for form in entry.ar:
            lines.append(f"{_cell(form)}\t{_cell(entry.en)}\t{_cell(comment)}")
    atomic_write_text(path, "\n".join(lines) + "\n")
    return len(lines) - 1


@dataclass(frozen=True)
class OmegatImport:
    """What `import_project` added to the memory."""

    from_tmx: int
    from_targets: int


def is_project(path: Path) -> bool:
    """Whether `path` is an OmegaT project folder."""
    return Path(path).is_dir() and (Path(path) / PROJECT_FILE).is_file()


def import_project(project: Path, memory: TranslationMemory) -> OmegatImport:
    """Bring an OmegaT project's translations back as reviewed: its project_save.tmx, then its target files.

    A target file is paired line by line with its source file (the text filter keeps the lines);
    a line counts when it differs from the source line and holds no Arabic (OmegaT leaves
    untranslated segments in Arabic).
    """
    project = Path(project)
    from_tmx = 0
    if (project / PROJECT_SAVE).is_file():
        from_tmx = import_tmx(memory, project / PROJECT_SAVE).added
    when = now_iso()
    entries: list[MemoryEntry] = []
    for source in sorted((project / "source").glob("*.txt")):
        target = project / "target" / source.name
        if target.is_file():
            entries += _target_entries(source, target, when)
    return OmegatImport(from_tmx, memory.add_many(entries))


def _target_entries(source: Path, target: Path, when: str) -> Iterable[MemoryEntry]:
    """Reviewed entries from a translated file paired line by line with its source."""
    src_lines = read_user_text(source).splitlines()
    tgt_lines = read_user_text(target).splitlines()
    if len(src_lines) != len(tgt_lines):
        raise InputError(target, f"has {len(tgt_lines)} lines, its source {len(src_lines)}",
                         "keep the project's text filter at one segment per line (segmentOn=BREAKS)")
    for ar, en in zip(src_lines, tgt_lines):
        if ar.strip() and en.strip() and en.strip() != ar.strip() and not has_arabic(en):
            yield MemoryEntry(ar, en.strip(), Origin.REVIEWED, via=Via.OMEGAT, file=str(target.resolve()),
                              imported=when)

