"""Provides DeskServices: the desk's access to the engine, glossary, memory and QA modules.

One object per open article folder, built by the app factory. It keeps the last good glossary
(a broken file on reload is reported and ignored), turns glossary matches into highlight spans
and side-panel rows, and adapts the memory and QA modules to the side panel. No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from translator.config import Settings
from translator.mt.engine import Engine
from translator.glossary.enforce import GlossaryEnforcer
from translator.glossary.layers import Glossary
from translator.glossary.matcher import Match
from translator.errors import GlossaryError, InputError, TranslatorError
from translator.store.memory import FuzzyMatch, TranslationMemory
from translator.store.memory_entry import Origin, source_key
from translator.store.review import english_path
from translator.session import DeskSession
from translator.tui.widgets.side_panel import Finding, TermHit

#: Highlight style per glossary entry type.
TERM_STYLES = {
    "person": "bold #e5c07b underline",
    "place": "bold #61afef underline",
    "organisation": "bold #c678dd underline",
    "term": "bold #98c379 underline",
}


@dataclass(frozen=True)
class NewTerm:
    """What the add-term form returns."""

    arabic: str
    english: str
    type: str
    file: Path
    note: str = ""


class DeskServices:
    """Engine, glossary, memory and QA for the articles of one folder."""

    def __init__(self, settings: Settings, folder: Path, engine: Engine | None, use_memory: bool = True) -> None:
        self.settings = settings
        self.folder = Path(folder)
        self.engine = engine
        self.glossary: Glossary | None = None
        self.memory: TranslationMemory | None = None
        self.glossary_error = ""
        self.memory_error = ""
        self._mtimes: dict[Path, float] = {}
        self._match_cache: tuple[Glossary | None, dict[str, list[Match]]] = (None, {})
        self._load_glossary_or_report()
        if use_memory:
            self.memory = self._open_memory()

    # -- glossary ------------------------------------------------------------------------

    def glossary_paths(self) -> list[Path]:
        """Glossary layers: the configured ones plus the folder's own glossary.yaml (see folder_layers)."""
        from translator.glossary.layers import folder_layers

        return folder_layers(self.settings, self.folder)

    def glossary_files(self) -> list[Path]:
        """Every glossary file, the project's own first (where new terms go by default)."""
        from translator.glossary.layers import glossary_files, project_glossary_path

        files: list[Path] = []
        for layer in self.glossary_paths():
            if layer.exists():
                files.extend(glossary_files(layer))
        project = project_glossary_path(self.folder)
        return [project] + [f for f in files if f.resolve() != project.resolve()]

    def _snapshot(self) -> dict[Path, float]:
        stamps: dict[Path, float] = {}
        for layer in self.glossary_paths():
            candidates = [layer, *(layer.glob("*.y*ml") if layer.is_dir() else [])]
            for path in candidates:
                try:
                    stamps[path] = path.stat().st_mtime_ns
                except OSError:
                    stamps[path] = -1
        return stamps

    def _load_glossary_or_report(self) -> None:
        try:
            self.reload_glossary()
        except TranslatorError as exc:
            # One bad file (the project's glossary.yaml, most often) must not leave the desk with
            # no glossary at all: keep the configured layers that load, and say which file is bad.
            self.glossary_error = str(exc)
            self.glossary = self._fallback_glossary()

    def _fallback_glossary(self) -> Glossary | None:
        """The configured (shipped) glossary layers without the project's own, or None if they fail too."""
        from translator.glossary.layers import load_glossary

        paths = [Path(p) for p in self.settings.glossary_paths if Path(p).exists()]
        try:
            return load_glossary(paths) if paths else None
        except TranslatorError:
            return None

    def reload_glossary(self) -> None:
        """Load the glossary now; raises GlossaryError and keeps the old one if a file is bad."""
        from translator.glossary.layers import load_glossary

        self._mtimes = self._snapshot()
        paths = [p for p in self.glossary_paths() if p.exists()]
        glossary = load_glossary(paths) if paths else None
        self.glossary = glossary
        self.glossary_error = ""
        if self.memory is not None and glossary is not None:
            self.memory.glossary = glossary.fingerprint

    def reload_glossary_if_changed(self) -> bool:
        """Reload when a glossary file changed since the last look; True if reloaded.

        Raises:
            GlossaryError: the changed files are invalid (reported once per change).
        """
        if self._snapshot() == self._mtimes:
            return False
        try:
            self.reload_glossary()
        except GlossaryError as exc:
            self.glossary_error = str(exc)
            raise
        return True

    def glossary_size(self) -> int:
        """Entries in use (an entry overridden by a later layer is not counted, as in the F4 list)."""
        return len(self.glossary.active_entries) if self.glossary is not None else 0

    def matches(self, text: str) -> list[Match]:
        """Glossary matches in Arabic `text` (spans of the original text), remembered per text until
        the glossary changes (every paragraph move asks for the same paragraphs again)."""
        glossary: Glossary | None = self.glossary
        if glossary is None:
            return []
        owner, cache = self._match_cache
        if owner is not glossary:
            cache = {}
            self._match_cache = (glossary, cache)
        found = cache.get(text)
        if found is None:
            found = cache[text] = glossary.match(text)
        return found

    def highlights(self, text: str) -> list[tuple[int, int, str]]:
        """Highlight spans for the Arabic of a paragraph."""
        return [(m.start, m.end, TERM_STYLES.get(m.entry.type, "bold underline")) for m in self.matches(text)]

    def term_hits(self, text: str) -> list[TermHit]:
        """Side-panel rows: which entry each highlighted term matched."""
        seen: set[tuple[str, str]] = set()
        hits = []
        for m in self.matches(text):
            key = (m.surface, m.entry.en)
            if key not in seen:
                seen.add(key)
                hits.append(TermHit(m.surface, m.entry.en, m.entry.type))
        return hits

    def contains_term(self, text: str, arabic: str) -> bool:
        """True if the glossary matches the entry of `arabic` in `text`."""
        if self.glossary is None:
            return False
        entry = self.glossary.lookup(arabic)
        return entry is not None and any(m.entry == entry for m in self.matches(text))

    def glossary_rows(self) -> list[tuple[str, ...]]:
        """(Arabic forms, English, type) of every active entry, for the glossary panel."""
        if self.glossary is None:
            return []
        return [(" / ".join(e.ar), e.en + (f"  (also: {', '.join(e.alt)})" if e.alt else ""), e.type)
                for e in self.glossary.active_entries]

    def add_term(self, term: NewTerm) -> str:
        """Write a new entry into a glossary file and reload; returns a one-line confirmation.

        An entry of another file with the same Arabic is overridden by the new one (later layers
        win): its accepted alternatives (and its English, when different) are kept as
        alternatives, and the confirmation says which entry was overridden.
        """
        from translator.glossary.layers import add_entry

        arabic, english = term.arabic.strip(), term.english.strip()
        if not arabic or not english:
            raise InputError(term.file, "the Arabic and the English are both needed")
        existing = self.glossary.lookup(arabic) if self.glossary is not None else None
        overridden = existing is not None and Path(existing.file).resolve() != term.file.resolve()
        alt: list[str] = []
        if existing is not None and overridden:
            alt = [a for a in existing.english_forms if a != english]
        entry = add_entry(term.file, arabic, english, term.type, alt=alt or None, note=term.note)
        self.reload_glossary()
        message = f"Added {entry.ar[0]} → {entry.en} ({entry.type}) to {term.file}"
        if existing is not None and overridden:
            kept = f"; its English kept as alternatives: {', '.join(alt)}" if alt else ""
            message += f". It overrides {existing.where} ({existing.en}){kept}"
        return message

    def enforcer(self) -> GlossaryEnforcer | None:
        """The glossary enforcer over the last good glossary (None without a glossary)."""
        return GlossaryEnforcer(self.glossary) if self.glossary is not None else None

    # -- memory --------------------------------------------------------------------------

    def _open_memory(self) -> TranslationMemory | None:
        try:
            return TranslationMemory.for_folder(
                self.folder,
                model=self.engine.label if self.engine else None,
                glossary=self.glossary.fingerprint if self.glossary is not None else "",
            )
        except InputError as exc:
            self.memory_error = str(exc)
            return None

    def suggestions(self, text: str) -> list[FuzzyMatch]:
        """Exact and fuzzy memory matches for a paragraph, best first.

        The paragraph's own machine translation (a machine entry for this very source) is no
        suggestion. A reviewed or imported entry whose English is already in the editor stays:
        it shows where that English came from (the pipeline takes a reviewed entry as the draft).
        """
        if self.memory is None:
            return []
        try:
            found = list(self.memory.fuzzy(text, limit=4))
        except (OSError, TranslatorError):
            return []
        key = source_key(text)
        return [m for m in found if not (m.origin is Origin.MACHINE and source_key(m.source) == key)][:3]

    def forget(self, match: FuzzyMatch) -> str:
        """Delete a suggestion's entry from the memory; returns a one-line confirmation."""
        if self.memory is None or not self.memory.forget([match.entry.id]):
            return "That memory entry was already gone."
        return f"Forgot the {match.entry.label} memory entry “{_clip(match.target, 60)}”."

    # -- QA ------------------------------------------------------------------------------

    def findings(self, source: str, target: str) -> list[Finding]:
        """QA findings of one paragraph."""
        from translator.quality.qa import check_paragraph

        if not target.strip():
            return []
        return [Finding(f.severity.value, f.message) for f in check_paragraph(source, target, glossary=self.glossary)]

    def english_file(self, session: DeskSession) -> Path:
        """Where the session's English is saved."""
        return english_path(session.article.path, session.out_dir)

    def close(self) -> None:
        if self.memory is not None:
            self.memory.close()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
