"""Provides XLIFF 1.2 export of an article's review state, and import of a reviewed XLIFF.

One `<file>` per article (`original` = the article's file name), one `<trans-unit>` per
translatable paragraph with the paragraph id as `id`. Review status maps to XLIFF states:
new -> state="new" (no target), machine -> needs-review-translation (state-qualifier
leveraged-mt), edited -> translated, reviewed -> final with approved="yes". On import, a unit
that is approved or final/signed-off becomes reviewed; other changed targets become edits.
Units whose source no longer matches the article's paragraph are skipped, never misapplied.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from translator import __version__
from translator.document import Article, read_article
from translator.errors import InputError
from translator.fileio import atomic_write_text, read_xml_root
from translator.lock import ArticleLock
from translator.review import ReviewState, Status, load_review, save_review
from translator.tmx import clean_segment

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
        source = clean_segment(p.text)
        if not source:
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


@dataclass(frozen=True)
class XliffFile:
    """One `<file>` of an XLIFF document."""

    original: str
    units: list[XliffUnit]


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
                source=clean_segment(_text(unit.find(f"{_Q}source"))),
                target=None if target is None else clean_segment(_text(target)),
                state=(target.get("state", "") if target is not None else ""),
                approved=unit.get("approved", "no") == "yes",
            ))
        files.append(XliffFile(file.get("original", ""), units))
    return files


@dataclass
class ImportResult:
    """What an XLIFF import changed in one article's review state."""

    article: Path
    reviewed: int = 0
    edited: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    """One line per unit not applied (unknown id, changed source, empty target)."""


def import_xliff(path: Path, folder: Path | None = None, memory: object = None) -> list[ImportResult]:
    """Apply a reviewed XLIFF to the review state of the article(s) it names.

    Args:
        path: the XLIFF file.
        folder: where the articles are (default: the XLIFF's folder).
        memory: a TranslationMemory that also receives the reviewed segments, or None.

    Returns:
        One ImportResult per `<file>`; review states are saved atomically.
    """
    folder = Path(folder) if folder else Path(path).parent
    results = []
    for xfile in read_xliff(path):
        if not xfile.original or Path(xfile.original).name != xfile.original:
            raise InputError(path, f"<file original={xfile.original!r}> is not an article file name",
                             "export the XLIFF from `translator export --format xliff`")
        article = read_article(folder / xfile.original)
        with ArticleLock(article.path):  # a desk with the article open would overwrite us
            results.append(_apply(xfile, article, memory))
    return results


def _apply(xfile: XliffFile, article: Article, memory: object) -> ImportResult:
    """Apply one `<file>` of units to the article's review state and save it."""
    state = load_review(article.path)
    result = ImportResult(article.path)
    paragraphs = {p.id: p for p in article.translatable}
    reviewed_pairs = []
    for unit in xfile.units:
        p = paragraphs.get(unit.id)
        if p is None:
            result.skipped.append(f"unit {unit.id}: no such paragraph in {article.path.name}")
            continue
        if clean_segment(p.text) != unit.source:
            result.skipped.append(f"unit {unit.id} (line {p.line}): the Arabic changed since the export")
            continue
        if not unit.target:
            result.unchanged += 1
            continue
        rec = state.paragraphs.get(p.id)
        current = clean_segment(rec.text) if rec else ""
        if unit.is_final:
            if rec and rec.status is Status.REVIEWED and current == unit.target:
                result.unchanged += 1
            else:
                state.accept(p.id, unit.target)
                result.reviewed += 1
            reviewed_pairs.append((p.text, unit.target))
        elif current != unit.target:
            state.set_text(p.id, unit.target)
            result.edited += 1
        else:
            result.unchanged += 1
    if result.reviewed or result.edited:
        save_review(article, state)
    if memory is not None and reviewed_pairs:
        memory.add_reviewed_many(reviewed_pairs)  # type: ignore[attr-defined]
    return result
