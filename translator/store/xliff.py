"""Provides XLIFF 1.2 export of an article's review state, and import of a reviewed XLIFF.

One `<file>` per article (`original` = the article's file name), one `<trans-unit>` per
translatable paragraph with the paragraph id as `id`. Review status maps to XLIFF states:
new -> state="new" (no target), machine -> needs-review-translation (state-qualifier
leveraged-mt), edited -> translated, reviewed -> final with approved="yes". Sources are the
paragraphs as a CAT tool reads them (bidi marks and inner spaces kept, see tmx.source_segment).

On import, a unit that is approved or final/signed-off becomes reviewed; other changed targets
become edits. `state="translated"` is a translator's confirmation in Trados but an unaccepted edit
in our own exports, so by default it counts as an edit (machine English left unchanged stays
machine, and is counted); `accept_translated=True` (`--accept-translated`) makes it reviewed.
Units whose source no longer matches the article's paragraph are skipped, never misapplied; a
file in other languages than ar→en is refused whole.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from translator import __version__
from translator.errors import InputError
from translator.fileio import atomic_write_text, read_xml_root
from translator.store.lock import ArticleLock
from translator.store.memory import TranslationMemory
from translator.store.memory_entry import MemoryEntry, Origin, Via, now_iso
from translator.store.memory_io import remembered
from translator.store.review import ReviewState, Status, load_review, save_review
from translator.store.tmx import clean_segment, same_source, source_segment
from translator.text.document import Article, read_article

NS = "urn:oasis:names:tc:xliff:document:1.2"
_Q = f"{{{NS}}}"
_STATE_OUT = {
    Status.MACHINE: ("needs-review-translation", ' state-qualifier="leveraged-mt"'),
    Status.EDITED: ("translated", ""),
    Status.REVIEWED: ("final", ""),
}
_FINAL_STATES = {"final", "signed-off"}


def render_xliff(article: Article, state: ReviewState) -> tuple[str, int]:
    """The XLIFF 1.2 document of an article's review state, and its unit count."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<xliff version="1.2" xmlns="{NS}">',
        f'  <file original={quoteattr(article.path.name)} source-language="ar" target-language="en" '
        'datatype="plaintext">',
        "    <header>",
        f'      <tool tool-id="translator" tool-name="translator" tool-version={quoteattr(__version__)}/>',
        "    </header>",
        "    <body>",
    ]
    units = 0
    for p in article.translatable:
        source = source_segment(p.text)
        if not source.strip():
            continue
        rec = state.paragraphs.get(p.id)
        status = rec.status if rec and rec.text.strip() else Status.NEW
        approved = ' approved="yes"' if status is Status.REVIEWED else ""
        lines.append(f'      <trans-unit id={quoteattr(p.id)} resname={quoteattr(f"line {p.line}")}{approved}>')
        lines.append(f'        <source xml:lang="ar">{escape(source)}</source>')
        if status is Status.NEW:
            lines.append('        <target xml:lang="en" state="new"></target>')
        else:
            xstate, qualifier = _STATE_OUT[status]
            target = clean_segment(rec.text)  # type: ignore[union-attr]
            lines.append(f'        <target xml:lang="en" state="{xstate}"{qualifier}>{escape(target)}</target>')
        if p.kind.value == "title":
            lines.append('        <note from="translator">title</note>')
        lines.append("      </trans-unit>")
        units += 1
    lines += ["    </body>", "  </file>", "</xliff>", ""]
    return "\n".join(lines), units


def write_xliff(path: Path, article: Article, state: ReviewState) -> int:
    """Atomically write the XLIFF of an article; returns the unit count."""
    text, units = render_xliff(article, state)
    atomic_write_text(Path(path), text)
    return units


@dataclass(frozen=True)
class XliffUnit:
    """One trans-unit as read."""

    id: str
    source: str
    target: str | None
    """None when the unit has no `<target>`."""
    state: str
    approved: bool

    @property
    def is_final(self) -> bool:
        """Approved by the reviewer (approved="yes", or state final / signed-off)."""
        return self.approved or self.state in _FINAL_STATES

    def confirmed(self, accept_translated: bool) -> bool:
        """Whether the unit counts as reviewed: final, or `translated` when that is taken as confirmed."""
        return self.is_final or (accept_translated and self.state == "translated")


@dataclass(frozen=True)
class XliffFile:
    """One `<file>` of an XLIFF document."""

    original: str
    units: list[XliffUnit]
    source_language: str = "ar"
    target_language: str = "en"


def _text(element: ET.Element | None) -> str:
    """Text of a source/target, with inline elements' text (g, mrk) but not native codes."""
    if element is None:
        return ""
    parts = [element.text or ""]
    for child in element:
        if child.tag.replace(_Q, "") not in {"bpt", "ept", "ph", "it", "x", "bx", "ex"}:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_xliff(path: Path) -> list[XliffFile]:
    """Parse an XLIFF 1.2 document.

    Raises:
        InputError: missing file, malformed XML, or not XLIFF 1.2.
    """
    path = Path(path)
    root = read_xml_root(path, "fix or re-export it")
    if root.tag != f"{_Q}xliff":
        version = root.get("version", "")
        raise InputError(path, f"not an XLIFF 1.2 document (root <{root.tag}> version {version!r})",
                         "export XLIFF 1.2 from the CAT tool")
    files = []
    for file in root.iter(f"{_Q}file"):
        units = []
        for unit in file.iter(f"{_Q}trans-unit"):
            target = unit.find(f"{_Q}target")
            units.append(XliffUnit(
                id=unit.get("id", ""),
                source=source_segment(_text(unit.find(f"{_Q}source"))),
                target=None if target is None else clean_segment(_text(target)),
                state=(target.get("state", "") if target is not None else ""),
                approved=unit.get("approved", "no") == "yes",
            ))
        files.append(XliffFile(file.get("original", ""), units, file.get("source-language", ""),
                               file.get("target-language", "")))
    return files


def _language(code: str) -> str:
    return code.split("-")[0].split("_")[0].lower()


def check_languages(path: Path, files: list[XliffFile]) -> None:
    """Refuse, in one line, an XLIFF whose files are not Arabic→English (before anything is applied)."""
    for xfile in files:
        source, target = _language(xfile.source_language), _language(xfile.target_language)
        if source not in ("ar", "") or target not in ("en", ""):
            raise InputError(path, f"<file original={xfile.original!r}> is {xfile.source_language or '?'}→"
                             f"{xfile.target_language or '?'}, not ar→en", "nothing was imported; give an ar→en XLIFF")


@dataclass
class ImportResult:
    """What an XLIFF import changed in one article's review state."""

    article: Path
    reviewed: int = 0
    edited: int = 0
    unchanged: int = 0
    confirmed_machine: int = 0
    """Units `translated` with the machine English unchanged, left as machine (see accept_translated)."""
    skipped: list[str] = field(default_factory=list)
    """One line per unit not applied (unknown id, changed source, empty target)."""


def import_xliff(path: Path, folder: Path | None = None, memory: TranslationMemory | None = None,
                 accept_translated: bool = False) -> list[ImportResult]:
    """Apply a reviewed XLIFF to the review state of the article(s) it names.

    Args:
        path: the XLIFF file.
        folder: where the articles are (default: the XLIFF's folder).
        memory: a TranslationMemory that also receives the reviewed segments (as imported from
            this XLIFF), or None.
        accept_translated: `state="translated"` counts as reviewed (Trados' confirmed).

    Returns:
        One ImportResult per `<file>`; review states are saved atomically.
    """
    folder = Path(folder) if folder else Path(path).parent
    files = read_xliff(path)
    for xfile in files:
        if not xfile.original or Path(xfile.original).name != xfile.original:
            raise InputError(path, f"<file original={xfile.original!r}> is not an article file name",
                             "export the XLIFF from `translator export --format xliff`")
    check_languages(path, files)
    for xfile in files:
        if not (folder / xfile.original).is_file():
            raise InputError(path, f"its article {xfile.original} is not in {folder}",
                             "pass --folder DIR, the folder that holds the articles (an XLIFF exported with -o "
                             "lives elsewhere); nothing was imported")
    results = []
    for xfile in files:
        article = read_article(folder / xfile.original)
        with ArticleLock(article.path):  # a desk with the article open would overwrite us
            results.append(_apply(xfile, article, accept_translated, memory))
        if memory is not None:
            _remember(memory, path, article, xfile, accept_translated)
    return results


def _remember(memory: TranslationMemory, path: Path, article: Article, xfile: XliffFile,
              accept_translated: bool) -> None:
    """Add the file's confirmed units to the memory as reviewed, imported from `path`."""
    paragraphs = {p.id: p for p in article.translatable}
    when = now_iso()
    entries = []
    for unit in xfile.units:
        p = paragraphs.get(unit.id)
        if p is not None and unit.target and unit.confirmed(accept_translated) and same_source(p.text, unit.source):
            entries.append(MemoryEntry(p.text, unit.target, Origin.REVIEWED, via=Via.XLIFF,
                                       file=str(Path(path).resolve()), imported=when))
    memory.add_many(entries)


def _apply(xfile: XliffFile, article: Article, accept_translated: bool,
           memory: TranslationMemory | None) -> ImportResult:
    """Apply one `<file>` of units to the article's review state and save it.

    Paragraphs the state has no English for start from the memory's machine English (a batch
    run's), so an unchanged machine target stays machine rather than passing as an edit.
    """
    state = load_review(article.path)
    if memory is not None:
        for para in article.translatable:
            rec = state.paragraphs.get(para.id)
            entry = remembered(memory, para.text) if rec is None or rec.status is Status.NEW else None
            if entry is not None and entry.origin is Origin.MACHINE:
                state.set_machine(para.id, entry.target)
    result = ImportResult(article.path)
    paragraphs = {p.id: p for p in article.translatable}
    for unit in xfile.units:
        p = paragraphs.get(unit.id)
        if p is None:
            result.skipped.append(f"unit {unit.id}: no such paragraph in {article.path.name}")
            continue
        if not same_source(p.text, unit.source):
            result.skipped.append(f"unit {unit.id} (line {p.line}): the Arabic changed since the export")
            continue
        if not unit.target:
            result.unchanged += 1
            continue
        rec = state.paragraphs.get(p.id)
        current = clean_segment(rec.text) if rec else ""
        if unit.confirmed(accept_translated):
            if rec and rec.status is Status.REVIEWED and current == unit.target:
                result.unchanged += 1
            else:
                state.accept(p.id, unit.target)
                result.reviewed += 1
        elif current != unit.target:
            state.set_text(p.id, unit.target)
            result.edited += 1
        else:
            result.unchanged += 1
            if unit.state == "translated" and rec is not None and rec.status is Status.MACHINE:
                result.confirmed_machine += 1
    if result.reviewed or result.edited:
        save_review(article, state)
    return result
