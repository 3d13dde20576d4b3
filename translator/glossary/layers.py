"""Provides Glossary and load_glossary(): merged, validated glossaries with Arabic-aware matching.

Each path given to `load_glossary` is a layer (a file, or a folder of *.yaml files). Within a
layer every source form must be unique; a later layer (e.g. a project's own glossary.yaml
beside its articles) overrides earlier ones (the shipped glossaries), and each override is
reported in `Glossary.overrides`.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from translator.config import Settings
from translator.errors import GlossaryError, InputError
from translator.glossary.compiled import parse_cached
from translator.glossary.matcher import Match, Matcher
from translator.glossary.yaml_edit import Written, split_renderings, write_entry
from translator.glossary.yaml_file import TYPES, GlossaryEntry
from translator.text.arabic import match_key

__all__ = [
    "TYPES", "Glossary", "GlossaryEntry", "Match", "Written", "file_holding", "folder_layers",
    "glossary_files", "glossary_for_checks", "load_glossary", "load_for_folder", "project_glossary_path",
    "PROJECT_GLOSSARY_NAME", "split_renderings", "write_entry",
]

#: File name of a project's own glossary, kept beside its articles.
PROJECT_GLOSSARY_NAME = "glossary.yaml"


@dataclass
class Glossary:
    """Merged glossary entries, indexed for matching."""

    entries: list[GlossaryEntry] = field(default_factory=list)
    """Every entry loaded, in load order."""
    files: list[Path] = field(default_factory=list)
    """Files the entries came from."""
    overrides: list[str] = field(default_factory=list)
    """Notices of source forms a later layer redefined ("file:line: … overrides …")."""

    def __post_init__(self) -> None:
        self._forms: dict[str, GlossaryEntry] = {}
        for entry in self.entries:
            for variant in entry.ar:
                self._forms[match_key(variant)] = entry
        self._matcher = Matcher(self._forms)
        self._fingerprint = ""

    @classmethod
    def from_entries(cls, entries: Iterable[GlossaryEntry]) -> Glossary:
        """A glossary built in code (later entries win on a shared form)."""
        return cls(list(entries))

    def __len__(self) -> int:
        return len(self.entries)

    def match(self, text: str) -> list[Match]:
        """Glossary terms in `text` as spans of the original text (see `Matcher.find`)."""
        return self._matcher.find(text)

    def lookup(self, arabic: str) -> GlossaryEntry | None:
        """The entry an exact Arabic form (any spelling the normaliser folds) belongs to."""
        return self._forms.get(match_key(arabic))

    @property
    def active_entries(self) -> list[GlossaryEntry]:
        """Entries that still own at least one source form after overrides."""
        owners = {id(e) for e in self._forms.values()}
        return [e for e in self.entries if id(e) in owners]

    def counts(self) -> dict[str, int]:
        """Number of active entries per type, in TYPES order."""
        c = Counter(e.type for e in self.active_entries)
        return {t: c[t] for t in TYPES if c[t]}

    @property
    def fingerprint(self) -> str:
        """Short content hash of what matching and enforcement use (for reports and caches)."""
        if not self._fingerprint:
            rows = sorted(  # avoid only where given: fingerprints of glossaries without it stay as they were
                [key, e.en, list(e.alt), e.type, *([list(e.avoid)] if e.avoid else [])]
                for key, e in self._forms.items()
            )
            data = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            self._fingerprint = hashlib.sha256(data).hexdigest()[:16]
        return self._fingerprint


def glossary_files(path: Path) -> list[Path]:
    """The glossary files of one layer: the file itself, or a folder's *.yaml/*.yml, sorted."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    return [path]


def load_glossary(paths: Sequence[Path | str] | Path | str) -> Glossary:
    """Load, validate and merge glossary layers; later layers override earlier ones.

    Args:
        paths: files or folders, in increasing priority.

    Returns:
        The merged Glossary (overrides listed in `.overrides`).

    Raises:
        GlossaryError: listing every problem in every file as "file:line:col: message".
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    problems: list[str] = []
    entries: list[GlossaryEntry] = []
    files: list[Path] = []
    overrides: list[str] = []
    owner: dict[str, GlossaryEntry] = {}  # match key -> entry, over all layers so far
    for layer in paths:
        layer = Path(layer)
        if not layer.exists():
            problems.append(f"{layer}:1:1: glossary path not found (check the glossary_paths setting)")
            continue
        layer_owner: dict[str, GlossaryEntry] = {}
        for path in glossary_files(layer):
            parsed = parse_cached(path)  # big files: compiled once, keyed by content
            files.append(path)
            problems.extend(parsed.problems)
            for entry in parsed.entries:
                for variant in entry.ar:
                    key = match_key(variant)
                    same = layer_owner.get(key)
                    if same is not None and same.file != entry.file:
                        if same.en == entry.en:
                            problems.append(
                                f"{entry.where}:1: duplicate entry: '{variant}' is already listed at {same.where}"
                            )
                        else:
                            problems.append(
                                f"{entry.where}:1: conflict: '{variant}' → '{entry.en}' here "
                                f"but → '{same.en}' at {same.where}"
                            )
                        continue
                    layer_owner[key] = entry
                    earlier = owner.get(key)
                    if earlier is not None and earlier.file != entry.file and earlier.en != entry.en:
                        overrides.append(f"{entry.where}: '{variant}' → '{entry.en}' "
                                         f"overrides '{earlier.en}' from {earlier.where}")
                    owner[key] = entry
                entries.append(entry)
    if problems:
        raise GlossaryError(problems)
    return Glossary(entries, files, overrides)


def file_holding(layer: Path, arabic: Sequence[str]) -> Path | None:
    """The file of glossary layer `layer` (a folder or a file) whose entry owns one of the Arabic
    forms, where an edit of that entry belongs; None when none does, or the layer is missing or
    does not load (then adding reports the file's own problems)."""
    if not Path(layer).exists():
        return None
    try:
        glossary = load_glossary([layer])
    except GlossaryError:
        return None
    found = next((e for form in arabic if (e := glossary.lookup(form)) is not None), None)
    return Path(found.file) if found is not None else None


def project_glossary_path(folder: Path | str) -> Path:
    """Where a project's own glossary lives: `folder/glossary.yaml` beside its articles."""
    return Path(folder) / PROJECT_GLOSSARY_NAME


def load_for_folder(settings: Settings, folder: Path | str | None = None) -> Glossary:
    """Load the configured glossaries plus, when it exists, the project glossary of `folder`.

    Args:
        settings: the configured glossary layers (`glossary_paths`).
        folder: the articles' folder (or an article file, whose folder is used); None for none.

    Raises:
        GlossaryError: as `load_glossary`.
    """
    return load_glossary(folder_layers(settings, folder))


def folder_layers(settings: Settings, folder: Path | str | None = None) -> list[Path]:
    """The glossary layers of a folder, in load order: the configured glossaries, then the
    folder's own glossary.yaml when it exists (and is not configured already).

    This is the one place that decides which glossary files apply to a folder.
    """
    paths: list[Path] = [Path(p) for p in settings.glossary_paths]
    if folder is not None:
        folder = Path(folder)
        if folder.is_file():
            folder = folder.parent
        project = project_glossary_path(folder)
        if project.exists() and project.resolve() not in {p.resolve() for p in paths if p.exists()}:
            paths.append(project)
    return paths


def glossary_for_checks(
    settings: Settings, paths: Sequence[Path] | None = None, folder: Path | None = None
) -> Glossary | None:
    """The glossary for QA: `paths` if given, else the configured glossaries plus the project
    glossary (glossary.yaml) of `folder`; None when no glossary file exists.

    Raises:
        InputError: a path given explicitly does not exist.
        GlossaryError: invalid glossary files (every bad file and line).
    """
    if paths:
        missing = [p for p in paths if not Path(p).exists()]
        if missing:
            raise InputError(missing[0], "glossary not found", "check the --glossary path")
        loaded = load_glossary(list(paths))
    else:
        loaded = load_glossary([p for p in folder_layers(settings, folder) if p.exists()])
    return loaded if len(loaded) else None
