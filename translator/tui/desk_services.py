"""Provides DeskServices: the desk's adapter over a Workspace.

One object per open article folder, built by the app factory around the folder's Workspace,
which owns the engine, the glossary (last good one, fallback at open, reload, adding terms) and
the memory. DeskServices turns glossary matches into highlight spans and side-panel rows,
filters memory suggestions and runs QA for the side panel. No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from translator.text.one_line import fit_problem
from translator.glossary.enforce import GlossaryEnforcer
from translator.glossary.layers import Glossary
from translator.glossary.matcher import Match
from translator.mt.engine import Engine
from translator.store.memory import FuzzyMatch, TranslationMemory
from translator.store.memory_entry import Origin, source_key
from translator.store.review import Status, english_path
from translator.session import DeskSession
from translator.tui.desk_memory import DeskMemory
from translator.tui.widgets.side_panel import Finding, TermHit
from translator.workspace import GlossaryChange, Workspace

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
    avoid: tuple[str, ...] = ()
    """Known wrong English renderings to add to the entry's `avoid:` list."""


@dataclass(frozen=True)
class KnownTerm:
    """The entry an Arabic form typed into the add-term form already has."""

    english: str
    type: str
    line: str
    """One line: its English, type, file:line and avoided renderings."""


class DeskServices:
    """The desk's view of a Workspace: highlights, side-panel rows, suggestions, QA findings.

    The glossary (last good one, fallback at open, change detection, adding terms), the memory
    and the engine are the Workspace's; this class only adapts them to the desk.
    """

    def __init__(self, workspace: Workspace, use_memory: bool = True) -> None:
        self.workspace = workspace
        self.folder = workspace.folder if workspace.folder is not None else Path(".")
        self.engine: Engine | None = workspace.optional_engine()
        workspace.open_glossary()
        self._match_cache: tuple[Glossary | None, dict[str, list[Match]]] = (None, {})
        self.last_change: GlossaryChange | None = None
        """The latest glossary change (a reload or an added term): which paragraphs it touches."""
        self.desk_memory = DeskMemory(workspace, self.engine.label if self.engine else None, use_memory)

    # -- glossary ------------------------------------------------------------------------

    @property
    def glossary(self) -> Glossary | None:
        """The glossary in use (the last good one; None without any glossary file)."""
        return self.workspace.current_glossary

    @property
    def glossary_error(self) -> str:
        """Why the glossary in use lacks a layer (a broken file at open), or ""."""
        return self.workspace.glossary_error

    @property
    def fingerprint(self) -> str:
        """Fingerprint of the glossary in use ("" without one)."""
        return self.workspace.fingerprint

    def degraded_line(self, width: int | None = None) -> str:
        """One line while the glossary is degraded (what, where, what to do); "" when it is whole.
        With `width`, at most that many cells: the shorter wordings, then the path's middle, then the
        message's middle give way; file:line:col and the message's end stay."""
        problems = self.glossary_error.splitlines()
        if not problems:
            return ""
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        wordings = [
            ("Project glossary not in use: ", f"{more} — shipped glossaries only until the file is fixed; "
                                             "the marked paragraphs are re-translated then."),
            ("Project glossary not in use: ", f"{more} — shipped glossaries only until it is fixed."),
            ("Glossary not in use (shipped ones until fixed): ", more),
            ("Glossary not in use: ", more),
        ]
        if width is None:
            return f"{wordings[0][0]}{problems[0]}{wordings[0][1]}"
        return fit_problem(problems[0], width, wordings)

    def degraded_translation(self, session: DeskSession, index: int) -> bool:
        """True if the paragraph's machine English was enforced with the degraded glossary in use
        (the project glossary broken) and nobody reviewed it since (an accept is the translator's
        check under the glossary in use: it clears the mark; an un-accept brings it back)."""
        return (bool(self.glossary_error) and session.status(index) is not Status.REVIEWED
                and session.enforced_with(index) == self.fingerprint)

    def glossary_flag(self, session: DeskSession, index: int) -> bool:
        """True if the translator's English (edited or reviewed) was made from machine English
        enforced with another glossary than the one in use: theirs to check, never replaced."""
        return (not self.glossary_error and session.status(index) in (Status.EDITED, Status.REVIEWED)
                and session.enforced_elsewhere(index, self.fingerprint))

    def glossary_mark(self, session: DeskSession, index: int) -> str:
        """The paragraph's glossary warning for the row and the editor title ("" for none)."""
        if self.degraded_translation(session, index):
            return "⚠ without the project glossary"
        return "⚠ made under another glossary: check the terms (ctrl+r re-translates)" \
            if self.glossary_flag(session, index) else ""

    def glossary_files(self) -> list[Path]:
        """Every glossary file, the project's own first (where new terms go by default)."""
        return self.workspace.glossary_files()

    def reload_glossary_if_changed(self) -> GlossaryChange | None:
        """Reload when a glossary file changed since the last look; the change, or None.

        Raises:
            GlossaryError: the changed files are invalid (reported once per change; the last
                good glossary stays).
        """
        change = self.workspace.reload_if_changed()
        if change is not None:
            self._follow_glossary(change)
        return change

    def _follow_glossary(self, change: GlossaryChange) -> None:
        self.last_change = change

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

    def glossary_rows(self) -> list[tuple[str, ...]]:
        """(Arabic forms, English, type) of every active entry, for the glossary panel."""
        if self.glossary is None:
            return []
        return [(" / ".join(e.ar), e.en + (f"  (also: {', '.join(e.alt)})" if e.alt else ""), e.type)
                for e in self.glossary.active_entries]

    def add_term(self, term: NewTerm) -> str:
        """Write a new entry into a glossary file, or extend the file's own entry, and reload
        (Workspace.add_term; paragraphs the change touches are translated again); returns a
        one-line confirmation, naming the entry of another file it overrides."""
        added = self.workspace.add_term(term.file, term.arabic, term.english, term.type, note=term.note,
                                        avoid=term.avoid)
        self._follow_glossary(added.change)
        entry, existing = added.entry, added.overridden
        verb = "Extended" if added.extended else "Added"
        message = f"{verb} {entry.ar[0]} → {entry.en} ({entry.type}) {'in' if added.extended else 'to'} {term.file}"
        if entry.avoid:
            message += f"; avoid: {', '.join(entry.avoid)}"
        if existing is not None:
            alt = added.kept_alternatives
            kept = f"; its English kept as alternatives: {', '.join(alt)}" if alt else ""
            message += f". It overrides {existing.where} ({existing.en}){kept}"
        if added.shadowed_by is not None:
            message += f". {added.shadowed_by.where} ({added.shadowed_by.en}), a later layer, still overrides it"
        return message

    def known_term(self, arabic: str) -> KnownTerm | None:
        """The glossary entry an Arabic form already has, for the add-term form; None for none."""
        entry = self.workspace.entry_for(arabic)
        if entry is None:
            return None
        avoid = f"; avoided: {'; '.join(entry.avoid)}" if entry.avoid else ""
        file = Path(entry.file)  # folder/name, as the form's file choice shows it
        where = f"{file.parent.name}/{file.name}:{entry.line}"
        return KnownTerm(entry.en, entry.type, f"In the glossary: {entry.en} ({entry.type}) at {where}{avoid}")

    def enforcer(self) -> GlossaryEnforcer | None:
        """The glossary enforcer over the last good glossary (None without a glossary)."""
        glossary = self.glossary
        budget = self.workspace.settings.retry_budget  # TRANSLATOR_RETRY_BUDGET, as translate and batch
        return GlossaryEnforcer(glossary, retry_budget=budget) if glossary is not None else None

    # -- memory --------------------------------------------------------------------------

    @property
    def memory(self) -> TranslationMemory | None:
        """The folder's memory under the glossary in use; None when off (see `memory_warning`)."""
        return self.desk_memory.under(self.fingerprint)

    def memory_warning(self) -> str:
        """One line the first time the memory is found unusable (what, where, what to do), else ""."""
        return self.desk_memory.warning()

    def draft_from(self, source: str) -> str:
        """Where the memory's English for paragraph `source` came from (`memory: TMX alice.tmx`)."""
        return self.desk_memory.provenance_of(source)

    def suggestions(self, text: str) -> list[FuzzyMatch]:
        """Exact and fuzzy memory matches for a paragraph, best first.

        The paragraph's own machine translation (a machine entry for this very source) is no
        suggestion. A reviewed or imported entry whose English is already in the editor stays:
        it shows where that English came from (the pipeline takes a reviewed entry as the draft).
        """
        found = self.desk_memory.fuzzy(text, limit=4)
        key = source_key(text)
        return [m for m in found if not (m.origin is Origin.MACHINE and source_key(m.source) == key)][:3]

    def forget(self, match: FuzzyMatch) -> str:
        """Delete a suggestion's entry from the memory; returns a one-line confirmation."""
        if match.queued:
            if not self.desk_memory.drop_queued(match.entry):
                return "That memory entry was already gone."
            later = " (it was queued, never saved)"
        elif not self.desk_memory.forget(match.entry.id):
            return "That memory entry was already gone."
        else:
            later = " (saved when the memory is free: another process holds it)" if self.desk_memory.unsaved() else ""
        return f"Forgot the {match.label} memory entry “{_clip(match.target, 60)}”{later}."

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

    def close(self, reviews: Path | None = None) -> str:
        """Close the memory (a bounded wait for what another process's lock kept queued); "" or
        the one line saying what was not saved and how to redo it (`reviews`: the desk's -o folder)."""
        return self.desk_memory.close(reviews=reviews)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
