"""Provides Workspace: settings and a folder of articles, turned once into what the commands use.

A Workspace owns the engine (loaded on first use, with the settings' device and model), the
glossary layers of the folder (the configured glossaries plus the folder's own glossary.yaml:
assembled here and in `glossary.layers.folder_layers` only), the enforcer over them, the folder's
translation memory and the glossary QA checks against. `translate`, `batch`, `evaluate`, `qa`,
`report` and `export` build one; nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from translator.config import Settings
from translator.glossary.enforce import GlossaryEnforcer
from translator.glossary.layers import (
    Glossary,
    GlossaryEntry,
    add_entry,
    folder_layers,
    glossary_for_checks,
    load_glossary,
)
from translator.mt.engine import Engine
from translator.store.memory import TranslationMemory


class Workspace:
    """The engine, glossary, enforcer, memory and QA glossary for the articles of one folder."""

    def __init__(self, settings: Settings, folder: Path | str | None, engine: Engine | None = None) -> None:
        """Args:
            settings: resolved settings (glossary layers, models, device, engine knobs).
            folder: the articles' folder, or an article file (its folder is used); None for
                no folder (configured glossaries only, no memory).
            engine: an engine to use instead of loading the installed model (tests, benches).
        """
        self.settings = settings
        self.folder = None if folder is None else Path(folder).parent if Path(folder).is_file() else Path(folder)
        self._engine = engine
        self._glossary: Glossary | None = None

    @property
    def engine(self) -> Engine:
        """The translation engine, loaded on first use (raises ModelError without a model)."""
        if self._engine is None:
            from translator.mt.models import load_engine

            self._engine = load_engine(self.settings)
        return self._engine

    # -- glossary ------------------------------------------------------------------------

    def glossary_layers(self) -> list[Path]:
        """Glossary layers in load order: the configured ones, then the folder's glossary.yaml."""
        return folder_layers(self.settings, self.folder)

    @property
    def glossary(self) -> Glossary:
        """The merged glossary of the folder (loaded on first use; raises GlossaryError)."""
        if self._glossary is None:
            self._glossary = load_glossary(self.glossary_layers())
        return self._glossary

    def reload_glossary(self) -> Glossary:
        """Load the glossary files again (after an edit); raises GlossaryError and keeps the old one."""
        self._glossary = load_glossary(self.glossary_layers())
        return self._glossary

    @property
    def fingerprint(self) -> str:
        """The glossary's content hash (reports, the memory's provenance)."""
        return self.glossary.fingerprint

    def add_term(self, file: Path, arabic: str, english: str, type: str = "term", note: str = "") -> GlossaryEntry:
        """Append an entry to a glossary file, then reload."""
        entry = add_entry(file, arabic, english, type, note=note)
        self.reload_glossary()
        return entry

    def enforcer(self) -> GlossaryEnforcer:
        """Glossary enforcement over the folder's glossary."""
        return GlossaryEnforcer(self.glossary)

    def qa_glossary(self, paths: Sequence[Path] | None = None) -> Glossary | None:
        """The glossary QA checks terms against: `paths` if given, else the folder's layers that
        exist; None when there is no glossary file at all.

        Raises:
            InputError: a path given explicitly does not exist.
            GlossaryError: invalid glossary files (every bad file and line).
        """
        return glossary_for_checks(self.settings, paths, self.folder)

    # -- memory --------------------------------------------------------------------------

    def open_memory(self, model: str | None = None, enforced: bool = True) -> TranslationMemory:
        """The folder's translation memory, for output of `model` under this glossary (or none).

        Raises:
            InputError: the memory cannot be created or opened (read-only folder, damaged file).
        """
        if self.folder is None:
            raise ValueError("a workspace without a folder has no translation memory")
        return TranslationMemory.for_folder(self.folder, model, self.fingerprint if enforced else "")
