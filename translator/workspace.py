"""Provides Workspace: settings and a folder of articles, turned once into what the commands use.

A Workspace owns the engine (loaded on first use, with the settings' device and model), the
glossary layers of the folder (the configured glossaries plus the folder's own glossary.yaml:
assembled here and in `glossary.layers.folder_layers` only), the enforcer over them, the folder's
translation memory and the glossary QA checks against. `translate`, `batch`, `evaluate`, `qa`,
`report`, `export` and the desk build one; nothing here imports Textual.

Commands take the glossary strictly (`glossary`: a bad file is an error). A long-lived user (the
desk) opens it leniently (`open_glossary`): a broken project glossary falls back to the
configured layers and the error is kept in `glossary_error`; a reload after an edit
(`reload_if_changed`) raises on a bad file and keeps the last good glossary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from translator.config import Settings
from translator.errors import GlossaryError, InputError, ModelError, NoModelError, TranslatorError
from translator.glossary.adding import add_term as add_to_layers
from translator.glossary.enforce import GlossaryEnforcer
from translator.glossary.layers import (
    Glossary,
    GlossaryEntry,
    folder_layers,
    glossary_files,
    glossary_for_checks,
    load_glossary,
    project_glossary_path,
)
from translator.mt.engine import Engine
from translator.store.memory import TranslationMemory
from translator.store.memory_busy import BUSY_TIMEOUT
from translator.text.arabic import match_key


@dataclass(frozen=True)
class GlossaryChange:
    """What a reload changed: the glossaries before and after, and the match keys whose entry
    (English, alternatives, type, avoided renderings) differs or that came or went."""

    before: Glossary | None
    after: Glossary | None
    keys: frozenset[str]

    @property
    def fingerprints(self) -> tuple[str, str]:
        """(before, after) fingerprints; "" for no glossary."""
        return (self.before.fingerprint if self.before else "", self.after.fingerprint if self.after else "")

    def touches(self, text: str) -> bool:
        """True if Arabic `text` holds a term (before or after the change) that the change touched:
        its enforced English may differ; elsewhere enforcement gives the same English."""
        if not self.keys:
            return False
        return any(match_key(form) in self.keys
                   for glossary in (self.before, self.after) if glossary is not None
                   for m in glossary.match(text) for form in m.entry.ar)


@dataclass(frozen=True)
class AddedTerm:
    """A term written by `Workspace.add_term`: the entry, the entry of another file it overrides
    (and what of that entry it kept), whether it extended the file's own entry, the change."""

    entry: GlossaryEntry
    overridden: GlossaryEntry | None
    kept_alternatives: tuple[str, ...]
    change: GlossaryChange
    extended: bool = False
    kept_avoid: tuple[str, ...] = ()
    shadowed_by: GlossaryEntry | None = None
    """An entry of a later layer for the same Arabic, still in force over the new one."""


class Workspace:
    """The engine, glossary, enforcer, memory and QA glossary for the articles of one folder."""

    def __init__(
        self,
        settings: Settings,
        folder: Path | str | None,
        engine: Engine | None = None,
        *,
        load_engine: bool = True,
    ) -> None:
        """Args:
            settings: resolved settings (glossary layers, models, device, engine knobs).
            folder: the articles' folder, or an article file (its folder is used); None for
                no folder (configured glossaries only, no memory).
            engine: an engine to use instead of loading the installed model (tests, benches).
            load_engine: False for a workspace that never loads a model (the desk without one).
        """
        self.settings = settings
        self.folder = None if folder is None else Path(folder).parent if Path(folder).is_file() else Path(folder)
        self._engine = engine
        self._load_engine = load_engine
        self.engine_error = ""
        """Why there is no engine (no model installed), after `optional_engine` found none."""
        self._glossary: Glossary | None = None
        self._loaded = False
        self._stamps: dict[Path, int] = {}
        self.glossary_error = ""
        """Why the glossary in use is not the folder's whole glossary (a broken file at open), or ""."""

    # -- engine --------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        """The translation engine, loaded on first use (raises ModelError without a model)."""
        if self._engine is None:
            if not self._load_engine:
                raise ModelError("this workspace runs without a translation model")
            from translator.mt.models import load_engine

            self._engine = load_engine(self.settings)
        return self._engine

    def optional_engine(self) -> Engine | None:
        """The engine, or None when no model is installed at all (`engine_error` says why).

        Raises:
            ModelError: a model was chosen (`--model`, `models use`) that is not installed, or no
                installed model can translate: one line, rather than a desk without a model.
        """
        if self._engine is None and self._load_engine and not self.engine_error:
            try:
                return self.engine
            except NoModelError as exc:
                self.engine_error = str(exc)
        return self._engine

    # -- glossary ------------------------------------------------------------------------

    def glossary_layers(self) -> list[Path]:
        """Glossary layers in load order: the configured ones, then the folder's glossary.yaml."""
        return folder_layers(self.settings, self.folder)

    def glossary_files(self) -> list[Path]:
        """Every glossary file, the project's own first (where new terms go by default)."""
        files = [f for layer in self.glossary_layers() if layer.exists() for f in glossary_files(layer)]
        if self.folder is None:
            return files
        project = project_glossary_path(self.folder)
        return [project] + [f for f in files if f.resolve() != project.resolve()]

    @property
    def glossary(self) -> Glossary:
        """The merged glossary of the folder (loaded on first use; raises GlossaryError).

        After `open_glossary` found no glossary file at all, an empty glossary."""
        if not self._loaded:
            self._glossary = load_glossary(self.glossary_layers())
            self._loaded = True
        return self._glossary if self._glossary is not None else Glossary()

    @property
    def current_glossary(self) -> Glossary | None:
        """The glossary in use now without loading (None: none loaded, or no glossary file)."""
        return self._glossary

    def open_glossary(self) -> Glossary | None:
        """Load the glossary without raising: the folder's layers that exist; if one is bad, the
        configured layers alone (the error kept in `glossary_error`); None if nothing loads."""
        stamps = self._snapshot()
        try:
            self._load_existing()
        except GlossaryError as exc:
            self.glossary_error = str(exc)
            self._stamps = stamps  # the broken file is reported here, not again at the next look
            configured = [Path(p) for p in self.settings.glossary_paths if Path(p).exists()]
            try:
                self._glossary = load_glossary(configured) if configured else None
            except TranslatorError:
                self._glossary = None
            self._loaded = True
        return self._glossary

    def _load_existing(self) -> GlossaryChange:
        """Load the layers that exist; raises GlossaryError and keeps what was in use."""
        stamps = self._snapshot()
        paths = [p for p in self.glossary_layers() if p.exists()]
        glossary = load_glossary(paths) if paths else None
        change = _change(self._glossary, glossary)
        self._glossary, self._loaded, self._stamps, self.glossary_error = glossary, True, stamps, ""
        return change

    def reload_glossary(self) -> GlossaryChange:
        """Load the glossary files again (after an edit).

        Raises:
            GlossaryError: a file is invalid; the glossary in use stays (the last good one).
        """
        try:
            return self._load_existing()
        except GlossaryError as exc:
            self._stamps = self._snapshot()  # reported once per change, not on every look
            if self.glossary_error:  # still degraded: the line names the file's problem now
                self.glossary_error = str(exc)
            raise

    def reload_if_changed(self) -> GlossaryChange | None:
        """Reload when a glossary file changed since the last load or look; None if none changed.

        Raises:
            GlossaryError: the changed files are invalid (once per change; the last good glossary stays).
        """
        if self._snapshot() == self._stamps:
            return None
        return self.reload_glossary()

    def _snapshot(self) -> dict[Path, int]:
        """Modification times of every glossary file (and layer folder) of the folder."""
        stamps: dict[Path, int] = {}
        layers = self.glossary_layers()
        if self.folder is not None:
            layers.append(project_glossary_path(self.folder))  # a project glossary created later
        for layer in layers:
            for path in [layer, *(layer.glob("*.y*ml") if layer.is_dir() else [])]:
                try:
                    stamps[path] = path.stat().st_mtime_ns
                except OSError:
                    stamps[path] = -1
        return stamps

    @property
    def fingerprint(self) -> str:
        """The glossary's content hash (reports, the memory's provenance); "" without a glossary."""
        if not self._loaded:
            return self.glossary.fingerprint
        return self._glossary.fingerprint if self._glossary is not None else ""

    def add_term(self, file: Path, arabic: str, english: str, type: str = "term", note: str = "",
                 avoid: Sequence[str] = ()) -> AddedTerm:
        """Write an entry into a glossary file, then reload.

        How an entry for the same Arabic elsewhere is treated is `glossary.adding.add_term`'s
        decision (as for `glossary add`): the file's own entry is extended in place; an entry of
        another file of the same folder is refused (a duplicate); an entry of an earlier layer is
        overridden, its English and alternatives kept as alternatives and its avoided renderings
        that do not block the new English kept too, so nothing it accepted or avoided is lost.

        Raises:
            InputError: the Arabic or the English is empty.
            GlossaryError: the file is invalid, another file of its folder holds the Arabic, or the
                entry would be invalid (an avoided rendering in Arabic script or inside the
                accepted English); nothing is written.
        """
        arabic, english = arabic.strip(), english.strip()
        if not arabic or not english:
            raise InputError(file, "the Arabic and the English are both needed")
        added = add_to_layers(self.glossary_layers(), Path(file), arabic, english, type, note=note, avoid=avoid)
        return AddedTerm(added.entry, added.overridden, added.kept_alternatives, self.reload_glossary(),
                         added.extended, added.kept_avoid, added.shadowed_by)

    def entry_for(self, arabic: str) -> GlossaryEntry | None:
        """The entry of the glossary in use that owns an Arabic form (None: none, or no glossary)."""
        glossary = self._glossary if self._loaded else self.glossary
        return glossary.lookup(arabic.strip()) if glossary is not None and arabic.strip() else None

    def enforcer(self) -> GlossaryEnforcer:
        """Glossary enforcement over the folder's glossary."""
        return GlossaryEnforcer(self.glossary, retry_budget=self.settings.retry_budget)

    def qa_glossary(self, paths: Sequence[Path] | None = None) -> Glossary | None:
        """The glossary QA checks terms against: `paths` if given, else the folder's layers that
        exist; None when there is no glossary file at all.

        Raises:
            InputError: a path given explicitly does not exist.
            GlossaryError: invalid glossary files (every bad file and line).
        """
        return glossary_for_checks(self.settings, paths, self.folder)

    # -- memory --------------------------------------------------------------------------

    def open_memory(self, model: str | None = None, enforced: bool = True,
                    glossary: str | None = None, busy_timeout: float = BUSY_TIMEOUT) -> TranslationMemory:
        """The folder's translation memory, for output of `model` under this glossary (or none,
        or the glossary of fingerprint `glossary`); its writes wait at most `busy_timeout` s for
        another process's write lock.

        Raises:
            InputError: the memory cannot be created or opened (read-only folder, damaged file).
        """
        if self.folder is None:
            raise ValueError("a workspace without a folder has no translation memory")
        fingerprint = glossary if glossary is not None else self.fingerprint if enforced else ""
        return TranslationMemory.for_folder(self.folder, model, fingerprint, busy_timeout=busy_timeout)

    def try_memory(self, model: str | None = None,
                   busy_timeout: float = BUSY_TIMEOUT) -> tuple[TranslationMemory | None, str]:
        """The folder's memory under the glossary in use, or (None, why) when it cannot be opened
        (a damaged header, a read-only folder): the caller goes on without memory."""
        try:
            return self.open_memory(model, busy_timeout=busy_timeout), ""
        except InputError as exc:
            return None, str(exc)


def _change(before: Glossary | None, after: Glossary | None) -> GlossaryChange:
    old, new = _rows(before), _rows(after)
    keys = frozenset(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    return GlossaryChange(before, after, keys)


def _rows(glossary: Glossary | None) -> dict[str, tuple[str, tuple[str, ...], str, tuple[str, ...]]]:
    """Match key -> (English, alternatives, type, avoided renderings) of the entry that owns it:
    what decides a paragraph's enforced English."""
    if glossary is None:
        return {}
    rows: dict[str, tuple[str, tuple[str, ...], str, tuple[str, ...]]] = {}
    for entry in glossary.active_entries:
        for form in entry.ar:
            if glossary.lookup(form) is entry:
                rows[match_key(form)] = (entry.en, tuple(entry.alt), entry.type, tuple(entry.avoid))
    return rows
