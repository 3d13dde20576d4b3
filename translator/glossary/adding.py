"""Provides add_term(): the one decision of how adding a term to a glossary file treats an entry
for the same Arabic in another file of the glossary layers (`glossary add` and the desk's
`Workspace.add_term` both come here; the text itself is written by `yaml_edit.write_entry`).

- The file's own entry for the Arabic: extended in place, or a conflict (`write_entry`).
- An entry of another file of the same layer (a folder of *.yaml): refused before anything is
  written, in one line naming both files: a second entry would be a duplicate or a conflict
  inside the layer, which the glossary refuses to load.
- Else an entry of an earlier layer (the shipped glossary, when adding to a project's
  glossary.yaml): overridden, as layers are meant to; the new entry keeps that entry's English
  and alternatives as alternatives, and its avoided renderings that do not block the new English.
- An entry of a later layer: it stays in force over the new one; nothing of it is copied, and
  the result names it (`shadowed_by`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from translator.errors import GlossaryError
from translator.glossary.compiled import parse_cached
from translator.glossary.layers import glossary_files
from translator.glossary.yaml_edit import write_entry
from translator.glossary.yaml_file import GlossaryEntry, blocked_by
from translator.text.arabic import match_key


@dataclass(frozen=True)
class AddedEntry:
    """What `add_term` wrote: the entry as loaded back, whether it extended the file's own entry,
    the entry of an earlier layer it overrides and what of that entry it kept, and the entry of
    a later layer that overrides the new one (still in force)."""

    entry: GlossaryEntry
    extended: bool = False
    overridden: GlossaryEntry | None = None
    kept_alternatives: tuple[str, ...] = ()
    kept_avoid: tuple[str, ...] = ()
    shadowed_by: GlossaryEntry | None = None


def add_term(
    layers: Sequence[Path],
    file: Path,
    ar: str | Sequence[str],
    en: str,
    type: str | None = None,
    alt: Sequence[str] = (),
    note: str = "",
    avoid: Sequence[str] = (),
) -> AddedEntry:
    """Write an entry into glossary `file`, one of the files of `layers` (see the module doc).

    Args:
        layers: the glossary layers the file is used with, in load order (files or folders; ones
            that do not exist are skipped). A file of none of them is taken as a last layer of its own.
        file: the glossary file to write (created if missing).
        ar: Arabic form or spelling variants; en: preferred English; type: None keeps an
            extended entry's type (term for a new one); alt, note, avoid: as `write_entry`.

    Raises:
        GlossaryError: an entry of another file of the same layer holds the Arabic, or
            `write_entry` refuses; nothing is written.
    """
    file = Path(file)
    forms = [a.strip() for a in ([ar] if isinstance(ar, str) else ar) if a.strip()]
    keys = {match_key(f) for f in forms}
    stack = [Path(p) for p in layers if Path(p).exists()]
    index = next((i for i, layer in enumerate(stack) if _holds(layer, file)), None)
    if index is None:
        stack, index = [*stack, file], len(stack)
    head = f"{file}: cannot add {forms[0] if forms else '(no Arabic)'} → {en.strip()}"
    own = _holder(_entries([file]) if file.exists() else [], keys)
    sibling = _holder(_entries(f for f in _files(stack[index]) if not _same(f, file)), keys)
    if sibling is not None:
        variant = next(f for f in sibling.ar if match_key(f) in keys)
        raise GlossaryError([f"{head}: '{variant}' is already listed at {sibling.where} ({sibling.en}) in the "
                             f"same glossary folder; add to {sibling.file} instead; the file is unchanged"])
    overridden = None if own is not None else _holder(_entries(f for layer in stack[:index] for f in _files(layer)),
                                                      keys)
    shadowed_by = _holder(_entries(f for layer in stack[index + 1:] for f in _files(layer)), keys)
    carried: tuple[str, ...] = ()
    kept_avoid: tuple[str, ...] = ()
    if overridden is not None:
        given = {a.strip().casefold() for a in (en, *alt)}
        carried = tuple(a for a in overridden.english_forms if a.casefold() not in given)
        kept_avoid = tuple(a for a in overridden.avoid if blocked_by(a, (en.strip(), *alt, *carried)) is None)
    written = write_entry(file, forms, en, type, (*alt, *carried), note, (*kept_avoid, *avoid))
    return AddedEntry(written.entry, written.extended, overridden, carried, kept_avoid, shadowed_by)


def _files(layer: Path) -> list[Path]:
    """A layer's glossary files that exist."""
    return [f for f in glossary_files(layer) if f.is_file()]


def _holds(layer: Path, file: Path) -> bool:
    """True if `file` is glossary layer `layer` or one of its folder's files."""
    if layer.is_dir():
        return file.suffix in (".yaml", ".yml") and _same(file.parent, layer)
    return _same(layer, file)


def _same(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


def _entries(files: Iterable[Path]) -> list[GlossaryEntry]:
    """The valid entries of files, in order (a file's own problems are reported when it loads)."""
    return [e for f in files for e in parse_cached(f).entries]


def _holder(entries: list[GlossaryEntry], keys: set[str]) -> GlossaryEntry | None:
    """The entry in force for one of the match keys: the last one that holds it (later wins)."""
    return next((e for e in reversed(entries) if keys & {match_key(f) for f in e.ar}), None)
